"""d_min's warm-started log-domain search against the cold-start search it replaced.

The fast path (double-precision root estimate steering the rigorous real bracket, precision
ladder steering the integer search) must return exactly the integers of the plain search
(bisection/Newton from the full bracket [1, 2m], integer bisection), which is kept in the code
and selected here by disabling the two steering helpers. Expected values thus come from a second
method over the same certified predicate, not from the fast path's own output.
"""

import random

import mpmath
import pytest

from vcbound import sauer


def _cold(monkeypatch, m, L, form):
    with monkeypatch.context() as mp:
        mp.setattr(sauer, "_float_root_u", lambda *a: None)
        mp.setattr(sauer._LogInversion, "_steered_search", sauer._LogInversion._integer_search)
        return sauer.d_min(m, log2_G=L, form=form)


def _cases():
    rnd = random.Random(2024)
    out = []
    for _ in range(120):
        form = rnd.choice(["tight", "tight", "tight", "entropy", "em", "m_plus_1"])
        b = rnd.choice([20, 40, 60, 100, 300, 700, 1000, 1100, 2000])
        m = (rnd.getrandbits(b) | (1 << (b - 1))) + 20001
        with mpmath.workprec(200):
            frac = (mpmath.mpf(10) ** (-rnd.uniform(0, 6)) if rnd.random() < 0.7
                    else mpmath.mpf(rnd.uniform(0.5, 1)))
            L = min(mpmath.mpf(m) * frac, mpmath.mpf(m))
            if rnd.random() < 0.15:
                L = mpmath.mpf(rnd.uniform(0.5, 200))
        out.append((m, L, form))
    # the solver's table shape: V = K^(d-1)/2, log2 G close to V/4 .. V/2
    for K, d in [(2, 40), (5, 30), (10, 100), (50, 150), (500, 201), (10, 400)]:
        V = K ** (d - 1) // 2
        out.append((V, mpmath.mpf(V) * mpmath.mpf("0.8"), "tight"))
    for m in (20001, 10**30, 2**1030):
        for L in (mpmath.mpf(1), mpmath.mpf(m), mpmath.mpf(m) * 0.999999, mpmath.mpf(m) / 3):
            if L <= m:        # mpf(10^30) rounds above m: that input is refused, not tested
                out.append((m, L, "tight"))
    return out


@pytest.mark.parametrize("chunk", range(4))
def test_warm_start_matches_cold_search(monkeypatch, chunk):
    cases = _cases()[chunk::4]
    for m, L, form in cases:
        fast = sauer.d_min(m, log2_G=L, form=form)
        cold = _cold(monkeypatch, m, L, form)
        assert fast.resolution == cold.resolution, (m, L, form)
        if cold.resolution == "integer":
            assert fast.value.exact == cold.value.exact, (m, L, form)
            D = fast.value.exact
            if D > 1:             # certificate: log2 U(D - 1) < log2 G with U rounded up,
                M = sauer._MVals(m, fast.precision)      # at the search's working precision
                with mpmath.workprec(M.prec):
                    assert sauer._log2_U(form, D - 1, M) < L
                    assert sauer._log2_U(form, D, M) >= L
        else:
            # both are certified lower bounds of log2 D from 2^-96-wide brackets of one root
            # (wider only beside the cap 2^m, where the bound itself is flat to ~1e-20)
            assert abs(fast.value.log2_mpf - cold.value.log2_mpf) < 1e-18, (m, L, form)
        assert abs(fast.continuous - cold.continuous) <= 1e-18 * abs(cold.continuous)


def test_float_estimate_is_close():
    m = 10**30
    L = mpmath.mpf(10) ** 29                   # root near D with H(D/m) ~ 0.1: log2 D ~ 93.39
    u0 = sauer._float_root_u("tight", m, L)
    cold = sauer._LogInversion(m, L, "tight")
    Dlo, Dhi, _ = cold._real_bracket(None)
    assert abs(u0 - float(mpmath.log(Dlo, 2))) < 1e-9
