"""Sauer–Shelah sums, closed-form bounds and the inversion D_min (vcbound docs §Sauer-Shelah).

Expected values come from brute-force enumeration of concept classes with known VC dimension,
from a second method (sums of math.comb, high-precision mpmath.loggamma, scipy root finding),
or by hand (in comments).
"""

import itertools
import math
import random
import time
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from vcbound.errors import VCBoundError, VCBoundTypeError
from vcbound.sauer import (EXACT_LIMIT_M, EXACT_MAX_M, SAUER_FORMS, d_min, log2_binomial_bounds,
                           log2_sauer, sauer_bound_expr, sauer_sum)


def phi_ref(D, m):
    """Second method: the definition, term by term with math.comb."""
    return sum(math.comb(m, i) for i in range(min(D, m) + 1))


def d_min_ref(m, G):
    """The definition of D_min by a linear scan."""
    D = 0
    while phi_ref(D, m) < G:
        D += 1
    return D


def ref_log2_binom(m, k, prec):
    """log2 C(m, k) straight from mpmath.loggamma at a precision that swamps the cancellation."""
    with mpmath.workprec(prec):
        return (mpmath.loggamma(m + 1) - mpmath.loggamma(k + 1)
                - mpmath.loggamma(m - k + 1)) / mpmath.ln2


def H(t):
    return -t * math.log2(t) - (1 - t) * math.log2(1 - t)


# ---------------------------------------------------------------------------------------------
# exact sums against classes of known VC dimension
# ---------------------------------------------------------------------------------------------
def intervals(m):
    """All [a, b] subsets of the points 0..m-1, plus the empty set."""
    return [frozenset()] + [frozenset(range(a, b + 1)) for a in range(m) for b in range(a, m)]


@pytest.mark.parametrize("m", range(0, 11))
def test_thresholds_vcdim_1(m):
    # thresholds x >= theta on a line have VC dimension 1: exactly m + 1 labellings = Phi_1(m)
    labellings = {tuple(int(x >= th) for x in range(m)) for th in range(m + 2)}
    assert len(labellings) == m + 1 == sauer_sum(1, m)


@pytest.mark.parametrize("m", range(0, 11))
def test_intervals_vcdim_2(m):
    # intervals have VC dimension 2 and meet the Sauer bound: 1 + m + C(m, 2) labellings
    labellings = {tuple(int(x in s) for x in range(m)) for s in intervals(m)}
    assert len(labellings) == sauer_sum(2, m) == 1 + m + m * (m - 1) // 2


@pytest.mark.parametrize("m", range(0, 9))
def test_unions_of_two_intervals_vcdim_4(m):
    # unions of 2 intervals: VC dimension 4; strings with <= 2 runs of ones number
    # sum_{j<=2} C(m+1, 2j) = Phi_4(m) (Pascal: C(m+1, 2j) = C(m, 2j) + C(m, 2j-1))
    ivs = intervals(m)
    labellings = {tuple(int(x in (s | t)) for x in range(m)) for s in ivs for t in ivs}
    assert len(labellings) == sauer_sum(4, m) == sum(math.comb(m + 1, 2 * j) for j in range(3))


def test_sauer_lemma_on_random_classes():
    # brute force: a random family of subsets of m points has |F| <= Phi_VCdim(m)
    rng = random.Random(7)
    for _ in range(40):
        m = rng.randint(1, 6)
        family = {tuple(rng.randint(0, 1) for _ in range(m)) for _ in range(rng.randint(1, 40))}
        vc = max(k for k in range(m + 1) if any(
            len({tuple(f[i] for i in S) for f in family}) == 2 ** k
            for S in itertools.combinations(range(m), k)))
        assert len(family) <= sauer_sum(vc, m)


def test_sauer_sum_hand_values():
    assert sauer_sum(2, 10) == 56            # 1 + 10 + 45
    assert sauer_sum(0, 0) == 1 and sauer_sum(5, 0) == 1
    assert sauer_sum(3, 3) == 8 and sauer_sum(100, 7) == 128
    assert sauer_sum(0, 10**50) == 1 and sauer_sum(1, 10**50) == 10**50 + 1


def test_sauer_sum_against_comb_grid():
    for m in range(0, 70):
        for D in range(0, m + 3):
            assert sauer_sum(D, m) == phi_ref(D, m), (D, m)


@pytest.mark.parametrize("m", [1000, 1001, 2047])
def test_sauer_sum_every_summation_route(m):
    # low end, complement and both sides of the centre are all exercised
    for D in (0, 1, 5, 200, 400, 499, 500, 501, 510, 700, 999, 1000, 1001, 1500, 2046):
        if D <= m + 1:
            assert sauer_sum(D, m) == phi_ref(D, m), (D, m)


def test_sauer_sum_large_m_fast_and_consistent():
    m = 10**5
    t0 = time.perf_counter()
    a, b, c = sauer_sum(m // 4, m), sauer_sum(m // 4, m - 1), sauer_sum(m // 4 - 1, m - 1)
    assert time.perf_counter() - t0 < 3.0
    assert a == b + c                          # Pascal's rule Phi_D(m) = Phi_D(m-1) + Phi_{D-1}(m-1)
    assert sauer_sum(m // 2 - 1, m) == (2**m - math.comb(m, m // 2)) // 2    # symmetry, m even


@given(st.integers(0, 200), st.integers(0, 200))
def test_phi_monotone_in_D_and_m(D, m):
    assert sauer_sum(D, m) <= sauer_sum(D + 1, m)
    assert sauer_sum(D, m) <= sauer_sum(D, m + 1)


# ---------------------------------------------------------------------------------------------
# closed forms
# ---------------------------------------------------------------------------------------------
def test_closed_forms_are_upper_bounds_on_a_grid():
    for m in range(1, 61):
        for D in range(0, m + 1):
            with mpmath.workprec(200):
                exact = mpmath.log(phi_ref(D, m), 2)
            assert log2_sauer(D, m, "exact") >= exact
            assert log2_sauer(D, m, "exact") - exact < 1e-25
            assert log2_sauer(D, m, "m_plus_1") >= exact
            assert log2_sauer(D, m, "tight") >= exact
            if D >= 1:
                assert log2_sauer(D, m, "em") >= exact
            if 2 * D <= m:
                assert log2_sauer(D, m, "entropy") >= exact
                if D >= 1:   # (1 + D/(m-D))^(m-D) <= e^D, so the entropy form is the tighter one
                    assert log2_sauer(D, m, "entropy") <= log2_sauer(D, m, "em")


def test_tight_form_is_within_its_factor():
    # Phi_D(m) >= C(m, D), so tight / Phi <= (m - D + 1)/(m - 2D + 1), which is <= 2 for D <= m/3
    for m in range(2, 80):
        for D in range(1, m // 2 + 1):
            with mpmath.workprec(200):
                gap = log2_sauer(D, m, "tight") - mpmath.log(phi_ref(D, m), 2)
                factor = mpmath.log(mpmath.mpf(m - D + 1) / (m - 2 * D + 1), 2)
            assert 0 <= gap <= factor + 1e-20
            if 3 * D <= m:
                assert gap <= 1


def test_forms_match_their_sympy_expressions():
    for form in ("tight", "entropy", "em", "m_plus_1", "exact"):
        for D, m in ((1, 10), (3, 10), (5, 12), (7, 30)):
            expr = sauer_bound_expr(form, D=D, m=m).doit()
            value = float(mpmath.log(mpmath.mpf(sympy_float(expr)), 2))
            assert abs(value - float(log2_sauer(D, m, form))) < 1e-12, (form, D, m)
    assert str(sauer_bound_expr("m_plus_1")) == "(m + 1)**D"
    assert set(SAUER_FORMS) == {"exact", "tight", "entropy", "em", "m_plus_1"}


def sympy_float(expr):
    return float(expr.evalf(30))


def test_binomial_bounds_bracket_high_precision_reference():
    rng = random.Random(3)
    for m in (2**40 - 3, 2**40 + 7, 3 * 2**41 + 1, 10**15, 10**40, 10**300, 10**4000 + 12345):
        for k in (1, 2, 17, 10**6, m // 1000, m // 3, m // 2, m - 5, rng.randrange(m)):
            lo, hi = log2_binomial_bounds(m, k)
            P = 2 * m.bit_length() + 200
            ref = ref_log2_binom(m, k, P)
            with mpmath.workprec(P):
                assert lo <= ref <= hi, (m, k)
                assert (hi - lo) / max(1, abs(ref)) < mpmath.mpf(2) ** -90, (m, k)


def test_huge_m_log_forms_finite_fast_and_correct():
    m, D = 10**4000, 10**3999
    t0 = time.perf_counter()
    values = {f: log2_sauer(D, m, f) for f in ("tight", "entropy", "em", "m_plus_1")}
    assert time.perf_counter() - t0 < 0.5
    assert all(mpmath.isfinite(v) for v in values.values())
    # entropy <= em <= m_plus_1 (the gap tight/entropy, ~0.5 log2(2 pi m t(1-t)) ~ 6650 bits,
    # is far below the ~100-bit relative resolution here, so it is only checked on small m)
    assert values["entropy"] <= values["em"] <= values["m_plus_1"]
    # m H(1/10) = 0.4689955935892812 m (H by hand/float)
    assert abs(float(values["entropy"] / m) - H(0.1)) < 1e-14
    # tight form against log C(m, D) from loggamma at 27000 bits (a second method)
    P = 2 * m.bit_length() + 200
    with mpmath.workprec(P):
        ref = ref_log2_binom(m, D, P) + mpmath.log(mpmath.mpf(m - D + 1) / (m - 2 * D + 1), 2)
        assert values["tight"] >= ref
        assert values["tight"] - ref < abs(ref) * mpmath.mpf(2) ** -95


def test_tight_caps_at_2_pow_m_and_other_domains():
    assert log2_sauer(6, 10, "tight") == 10           # 2D > m: 2^m
    assert log2_sauer(5, 10, "tight") == 10           # C(10,5) * 6 = 1512 > 1024: capped
    assert log2_sauer(0, 10, "em") == 0               # D = 0: Phi_0 = 1
    with mpmath.workprec(200):                        # (e m / m)^m = e^m
        assert abs(log2_sauer(10, 10, "em") - 10 / mpmath.ln2) < 1e-25
    assert log2_sauer(12, 10, "exact") == pytest.approx(10, abs=1e-20)


# ---------------------------------------------------------------------------------------------
# d_min
# ---------------------------------------------------------------------------------------------
def test_d_min_hand_values():
    assert d_min(10, 57).value.exact == 3            # Phi_2(10) = 56 < 57 <= Phi_3(10) = 176
    assert d_min(10, 56).value.exact == 2
    assert d_min(10, 1).value.exact == 0 and d_min(10, 0).value.exact == 0
    assert d_min(10, Fraction(1, 2)).value.exact == 0
    assert d_min(10, 2**10).value.exact == 10        # only D >= m gives all 2^m labellings
    assert d_min(10, Fraction(113, 2)).value.exact == 3   # Phi >= 56.5 iff Phi >= 57
    assert d_min(10, log2_G=mpmath.log(57, 2)).value.exact == 3


def test_d_min_exact_against_linear_scan():
    rng = random.Random(1)
    for m in range(1, 45):
        for _ in range(15):
            G = Fraction(rng.randint(1, 2**m), rng.randint(1, 5))
            r = d_min(m, G)
            assert r.regime == "exact" and r.value.exact == d_min_ref(m, G), (m, G)


def test_d_min_log_forms_are_lower_bounds_and_tight_is_sharp():
    rng = random.Random(2)
    for m in list(range(1, 60)) + [300, 1000, 3000]:
        for _ in range(6):
            G = rng.randint(2, 2**m)
            exact = d_min(m, G, form="exact").value.exact
            if m <= 300:
                assert exact == d_min_ref(m, G)
            for form in ("tight", "entropy", "em", "m_plus_1"):
                r = d_min(m, G, form=form)
                assert r.regime == "log" and r.value.exact <= exact, (m, G, form)
            # tight is within a factor (m-D+1)/(m-2D+1) <= 2 of Phi for D <= m/3, while
            # Phi_{D-1}/Phi_{D-2} >= 2 there: so it loses at most 1
            if exact <= m / 3:
                assert d_min(m, G, form="tight").value.exact >= exact - 1


def test_d_min_switch_over_between_regimes():
    assert EXACT_MAX_M == 20000
    G = 2**6000 + 12345
    at, above = d_min(20000, G), d_min(20001, G)
    assert at.regime == "exact" and above.regime == "log" and above.form == "tight"
    forced = d_min(20001, G, form="exact").value.exact
    assert forced - 1 <= above.value.exact <= forced
    assert d_min(20000, G, form="tight").value.exact in (at.value.exact - 1, at.value.exact)


def test_d_min_integer_resolution_around_1e300():
    # the answer D must satisfy U(D-1) < G <= U(D) for the tight bound U, checked here with
    # log C(m, D) from mpmath.loggamma at 2200 bits (a second method)
    m = 10**300
    P = 2 * m.bit_length() + 200

    def U(D):
        if 2 * D > m:
            return mpmath.mpf(m)
        ref = ref_log2_binom(m, D, P) + mpmath.log(mpmath.mpf(m - D + 1) / (m - 2 * D + 1), 2)
        return min(mpmath.mpf(m), ref)

    for L in (mpmath.mpf(1000), mpmath.mpf(2) ** 900, mpmath.mpf(m) * 0.39,
              mpmath.mpf(m) * 0.9):
        t0 = time.perf_counter()
        r = d_min(m, log2_G=L)
        assert time.perf_counter() - t0 < 0.5
        D = r.value.exact
        assert r.resolution == "integer" and D is not None
        with mpmath.workprec(P):
            assert U(D - 1) < L <= U(D)


@pytest.mark.parametrize("frac", [0.39, 0.3, 1e-3])
def test_d_min_1e7000_log_form_fast_and_matches_entropy_root(frac):
    m = 10**7000
    t0 = time.perf_counter()
    r = d_min(m, log2_G=mpmath.mpf(m) * frac)
    assert time.perf_counter() - t0 < 1.0
    assert r.resolution == "log2" and mpmath.isfinite(r.value.log2)
    # independent: H(t) = frac solved with scipy in floats; tight and entropy roots differ by a
    # relative ~1e-6996 here, far below double precision
    t = brentq(lambda x: H(x) - frac, 1e-12, 0.5, xtol=1e-17, rtol=1e-15)
    expected = 7000 * math.log2(10) + math.log2(t)
    assert abs(float(r.value.log2) - expected) < 1e-9
    assert r.value > BigNumber_log2(expected - 1e-6) and r.value < BigNumber_log2(expected + 1e-6)


def BigNumber_log2(x):
    from vcbound._numbers import BigNumber
    return BigNumber(log2=x)


def test_d_min_small_answer_at_huge_m():
    # G = 2^1000 with m = 10^7000: Phi_1(m) = m + 1 ~ 2^23253 >= G already, Phi_0 = 1 < G
    r = d_min(10**7000, log2_G=1000)
    assert r.value.exact == 1
    # G = 2^(2^900): D ~ 2^900 / log2(e m / D) is far below 2^1024: an exact integer comes back
    r = d_min(10**7000, log2_G=mpmath.mpf(2) ** 900)
    assert r.resolution == "integer" and 2**880 < r.value.exact < 2**890


@given(st.integers(1, 40), st.integers(0, 2**40), st.integers(0, 2**40))
def test_d_min_monotone_in_G(m, a, b):
    a, b = sorted((a % (2**m + 1), b % (2**m + 1)))
    assert d_min(m, a).value.exact <= d_min(m, b).value.exact
    assert d_min(m, a, form="tight").value.exact <= d_min(m, b, form="tight").value.exact


@given(st.floats(0.001, 0.999), st.floats(0.001, 0.999))
def test_d_min_monotone_in_log2_G_at_huge_m(x, y):
    m = 10**500
    lo, hi = sorted((x, y))
    assert d_min(m, log2_G=mpmath.mpf(m) * lo).value <= d_min(m, log2_G=mpmath.mpf(m) * hi).value


def test_d_min_result_renders():
    r = d_min(10, 57)
    text = str(r)
    assert "D_min" in text and "exact" in text
    assert r.to_dict()["D_min"]["value"] == 3
    assert r"\text{D}_{\text{min}}" in r._repr_latex_()
    big = d_min(10**7000, log2_G=mpmath.mpf(10) ** 7000 * 0.39).to_json()
    assert "log10" in big


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("D, m", [(-1, 5), (2, -1), (2.5, 5), (2, 5.5), (float("nan"), 5),
                                  (2, float("inf"))])
def test_bad_D_m(D, m):
    with pytest.raises(VCBoundError):
        sauer_sum(D, m)
    with pytest.raises(VCBoundError):
        log2_sauer(D, m)


@pytest.mark.parametrize("bad", ["3", True, None, [3]])
def test_bad_types(bad):
    with pytest.raises(VCBoundTypeError):
        sauer_sum(bad, 5)
    with pytest.raises(VCBoundTypeError):
        d_min(bad, 3)


def test_form_conditions_and_choices():
    with pytest.raises(VCBoundError, match="needs D <= m"):
        log2_sauer(11, 10, "em")
    with pytest.raises(VCBoundError, match="needs D <= m/2"):
        log2_sauer(6, 10, "entropy")
    with pytest.raises(VCBoundError, match="'form'"):
        log2_sauer(2, 10, "stirling")
    with pytest.raises(VCBoundError, match="'form'"):
        d_min(10, 5, form="nope")
    with pytest.raises(VCBoundError, match="m <= 200000"):
        log2_sauer(2, EXACT_LIMIT_M + 1, "exact")
    with pytest.raises(VCBoundError, match="m <= 200000"):
        d_min(EXACT_LIMIT_M + 1, 5, form="exact")
    with pytest.raises(VCBoundError, match="log2_sauer"):
        sauer_sum(10**9, 10**9)


def test_bad_G():
    with pytest.raises(VCBoundError, match="exceeds 2\\^m"):
        d_min(10, 2**10 + 1)
    with pytest.raises(VCBoundError, match="exceeds m"):
        d_min(10, log2_G=10.5)
    with pytest.raises(VCBoundError, match="exactly one"):
        d_min(10)
    with pytest.raises(VCBoundError, match="exactly one"):
        d_min(10, 5, log2_G=2)
    with pytest.raises(VCBoundError, match=">= 0"):
        d_min(10, -3)
    for bad in (float("nan"), float("inf"), mpmath.inf, mpmath.nan):
        with pytest.raises(VCBoundError):
            d_min(10, log2_G=bad)
    with pytest.raises(VCBoundError):
        d_min(10, float("nan"))
