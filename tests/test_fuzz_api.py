"""Fuzz suite of the public Python API (issue 20): hypothesis passes values of every type and
size (None, bools, huge ints, NaN/inf floats, Fractions, Decimals, numpy scalars and arrays,
object arrays, strings, lists, arbitrary objects) to the public entry points and checks that
each call returns or raises a :class:`vcbound.errors.VCBoundError` (a wrong type: a
:class:`~vcbound.errors.VCBoundTypeError`) -- never a raw TypeError, ValueError, OverflowError,
MemoryError or numpy error -- within tests/_fuzz.TIME_BOUND seconds.

The API does not print progress, so valid calls that are slow by design (solve with d near
10^6 and a tiny eps) are left to the command-line suite, where the heartbeat speaks; here the
dimension d of solve-like calls is drawn small or invalid.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vcbound
from vcbound.errors import VCBoundError

from vcbound.solver import grid_size

from _fuzz import DEEP, EXAMPLES, TimeBound, any_value, fuzz_settings, record, time_bound

small_d = st.one_of(st.integers(2, 60), any_value)
eps_value = st.one_of(st.sampled_from([0.1, 0.25, "1/3", 0.5]), any_value)
alpha_value = st.one_of(st.sampled_from([0.1, 0.2, "0.3"]), any_value)


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    """The first enumeration loads (or compiles) the numba kernels: not part of the bound."""
    from vcbound.grid import make_grid
    vcbound.enumerate_labellings([2, 1], make_grid(3, K=2), 10)


def _call(name, fn, *args, **kwargs):
    record(f"api {name}")
    try:
        with time_bound():
            fn(*args, **kwargs)
    except TimeBound:
        pytest.fail(f"{name}{args}{kwargs} ran longer than the bound without a word")
    except VCBoundError:
        pass


def _grid(d, K):
    from vcbound.grid import make_grid
    return make_grid(d, K=K)


def _enumerate(widths, points, samples, seed, every):
    from vcbound.grid import make_grid
    pts = make_grid(3, K=2) if isinstance(points, str) and points == "grid" else points
    vcbound.enumerate_labellings(widths, pts, samples, seed=seed, checkpoint_every=every)


CALLS = {
    "solve": (lambda d, e, a, V: vcbound.solve(d, e, a, V=V),
              (small_d, eps_value, alpha_value, st.one_of(st.just("half"), any_value))),
    "grid_size": (lambda d, e: grid_size(d, e), (any_value, any_value)),
    "make_grid": (lambda d, K, e: (vcbound.make_grid(d, K=K) if e is None
                                   else vcbound.make_grid(d, eps=e)),
                  (any_value, any_value, st.one_of(st.none(), any_value))),
    "bound_table": (lambda d, e, a, r: vcbound.bound_table(d, e, a, routes=r),
                    (st.one_of(st.lists(st.integers(2, 8), min_size=1, max_size=3), small_d),
                     eps_value, alpha_value,
                     st.one_of(st.sampled_from(["union", "union,paper", ("dense",)]),
                               any_value))),
    "count_linear_dichotomies": (lambda p, m: vcbound.count_linear_dichotomies(p, method=m),
                                 (st.one_of(any_value, st.lists(st.lists(
                                     st.one_of(st.integers(-5, 5), any_value), min_size=1,
                                     max_size=3), min_size=1, max_size=6)),
                                  st.sampled_from(["auto", "planar", "flats", "lp", "x"]))),
    "enumerate_labellings": (_enumerate, (st.one_of(st.just([2, 1]), any_value),
                                          st.one_of(st.just("grid"), any_value),
                                          st.one_of(st.just(50), any_value),
                                          st.one_of(st.just(0), any_value),
                                          st.one_of(st.just(60), any_value))),
    "d_min": (lambda m, G: vcbound.d_min(m, G=G), (any_value, any_value)),
    "Architecture": (lambda w, a: vcbound.Architecture(w, a),
                     (st.one_of(st.lists(st.integers(-2, 30), max_size=4), any_value),
                      st.one_of(st.just("relu"), any_value))),
    "construction": (lambda K, phi, e0: vcbound.construction(_grid(2, 3) if K else K, phi, e0),
                     (st.booleans(), st.one_of(st.just([1, -1, 1]), any_value),
                      st.one_of(st.none(), any_value))),
}


def _make(name, n):
    fn, strategies = CALLS[name]

    @fuzz_settings(n)
    @given(args=st.tuples(*strategies))
    def test(args):
        _call(name, fn, *args)
    return test


for _name in CALLS:
    globals()[f"test_fuzz_api_{_name}"] = _make(_name, EXAMPLES)
    globals()[f"test_fuzz_api_{_name}_deep"] = pytest.mark.slow(_make(_name, EXAMPLES * DEEP))
