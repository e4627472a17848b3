"""d_min's direct integer path (float root estimate -> Newton ladder -> two certifying evaluations,
no real bracket) returns the same certified integers, and the same lazily computed continuous
root, as the bracketed path it skips. The bracketed path is the reference (a second method): it
is forced by setting _DIRECT_MAX_LOG2 = 0. Checked by hand once for the full benchmark table
(1,000 cells) and 300 random cases before/after the change; this is the compact version."""

import random

import mpmath
import pytest

from vcbound import sauer
from vcbound.solver import _log2_G, check_alpha


def _cases():
    rng = random.Random(2024)
    out = []
    for _ in range(40):
        bits = rng.choice([20, 40, 60, 100, 300, 700, 1000])
        m = rng.getrandbits(bits) | 1 << (bits - 1)
        with mpmath.workprec(200):
            L = mpmath.mpf(m) * rng.uniform(0.02, 0.98)
        out.append((m, L, rng.choice(["tight", "tight", "entropy", "em", "m_plus_1"])))
    for K, d in ((2, 30), (5, 40), (10, 60), (50, 90), (500, 110), (2, 200)):   # table cells
        n = K ** (d - 1)
        out.append((n // 2, _log2_G(n, check_alpha("0.1"), n // 2, "log")[0], "tight"))
    return out


@pytest.mark.parametrize("m, L, form", _cases())
def test_direct_path_equals_bracketed_path(m, L, form, monkeypatch):
    fast = sauer.d_min(m, log2_G=L, form=form)
    monkeypatch.setattr(sauer, "_DIRECT_MAX_LOG2", 0)
    ref = sauer.d_min(m, log2_G=L, form=form)
    assert fast.value == ref.value and fast.resolution == ref.resolution
    assert fast.precision == ref.precision
    assert fast.continuous == ref.continuous          # lazily computed: bit-identical
    if fast.resolution == "integer":                  # certified: f(D - 1) < 0 <= f(D)
        D = fast.value.exact
        inv = sauer._LogInversion(m, L, form)
        inv.M = sauer._MVals(m, fast.precision)
        assert inv.f(D - 1) < 0 <= inv.f(D)


def test_direct_path_small_m_brute_force():
    # linear scan of the definition min{D : log2 U(D) >= L} with the rigorous U at the same
    # precision, for every L on a grid
    m = 3000
    for frac in (0.05, 0.2, 0.45, 0.7, 0.95):
        L = mpmath.mpf(m) * frac
        r = sauer.d_min(m, log2_G=L, form="tight")
        inv = sauer._LogInversion(m, L, "tight")
        inv.M = sauer._MVals(m, r.precision)
        first = next(D for D in range(1, m + 1) if inv.f(D) >= 0)
        assert r.value.exact == first


def test_steered_search_recovers_when_the_ladder_lands_low(monkeypatch):
    # A steering candidate below the root (f(A) < 0) must hand over to the plain integer search,
    # which finds the same integer as the normal path (whose answer d_min certifies).
    import mpmath
    from vcbound import sauer
    m, L = 10**6, mpmath.mpf(200000)
    expected = int(sauer.d_min(m, log2_G=L, form="tight").value.exact)
    inv = sauer._LogInversion(m, L, "tight")
    inv.solve()                                         # sets the working precision
    monkeypatch.setattr(sauer._LogInversion, "_ladder", lambda self, x, lo, *a: lo + 1)
    assert inv._steered_search(expected - 50, expected + 50) == expected
