"""Capacity bounds (vcbound docs §Capacity bounds) against hand computations, brute force and published values.

"By hand" values are written out in the comments; where a test recomputes a formula it does so in
plain double-precision ``math`` (a second method, independent of the mpmath code under test) or in
mpmath at 300 bits.
"""

import itertools
import math
import random
import time
from fractions import Fraction
from math import e, log2

import mpmath
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcbound.architecture import Architecture
from vcbound.capacity import (all_bounds, baum_haussler_bound, baum_haussler_growth_bound,
                              bhlm_growth_bound, bhlm_log2_growth_upper, bhlm_thm10_bound,
                              bhlm_vc_bound, bhlm_vc_upper, cover_count, cover_growth_bound,
                              format_upper, goldberg_jerrum_bound, halfspace_vc_dimension,
                              growth_upper_bound, karpinski_macintyre_bound,
                              polynomial_vc_bound, upper_float)
from vcbound.errors import NoBoundError, VCBoundError, VCBoundTypeError


def hp_thm7(L, S, R, p=1):
    """Theorem 7(b) evaluated independently at 300 bits."""
    with mpmath.workprec(300):
        r = 2 * mpmath.e * p * R
        return L + S * mpmath.log(4 * mpmath.e * p * R * mpmath.log(r, 2), 2)


# ---------------------------------------------------------------------------------------------
# BHLM Theorem 7(b)
# ---------------------------------------------------------------------------------------------
def test_bhlm_test_vector_from_math_md():
    # ReLU [2, 10, 10, 1]: W = 30 + 110 + 11 = 151, L = 3, U = 21,
    # W_i (cumulative) = [30, 140, 151], sum W_i = 321, R = 10*1 + 10*2 + 1*3 = 33, p = 1.
    # By hand: 2 e p R = 179.42 -> log2 = 7.4872; 4 e p R = 358.82; 358.82 * 7.4872 = 2686.6
    # -> log2 = 11.3915; 3 + 321 * 11.3915 = 3659.67 (vcbound docs §Capacity bounds quote 3659.67).
    a = Architecture([2, 10, 10, 1])
    assert (a.W, a.L, a.U, a.W_i, a.sum_W_i, a.R) == (151, 3, 21, [30, 140, 151], 321, 33)
    b = bhlm_vc_bound(a)
    assert round(float(b.value), 2) == 3659.67
    assert b.value_text() == "3659.67" and b.integer_bound == 3659
    assert b.status == "certified" and b.kind == "vc_upper" and "Theorem 7" in b.source
    assert any("U > 2" in c for c in b.conditions)
    # the symbolic formula with this architecture's numbers gives the same value
    assert math.isclose(float(b.evaluated_expression.evalf(30)), 3659.6696, rel_tol=1e-7)


def test_bhlm_second_vector_by_hand():
    # ReLU [3, 5, 1]: W = 20 + 6 = 26, L = 2, U = 6, W_i = [20, 26], sum = 46,
    # R = 5*1 + 1*(1 + 1) = 7. 2e*7 = 38.056 -> log2 = 5.2500; 4e*7 = 76.112;
    # 76.112 * 5.2500 = 399.59 -> log2 = 8.6424; 2 + 46 * 8.6424 = 399.55.
    b = bhlm_vc_bound(Architecture([3, 5, 1]))
    assert b.value_text() == "399.55"
    assert math.isclose(float(b.value), 2 + 46 * log2(4 * e * 7 * log2(2 * e * 7)), rel_tol=1e-12)


def test_bhlm_threshold_and_piecewise_by_hand():
    # threshold [3, 5, 1]: degree 0 -> W_i per layer [20, 6], sum 26 = W, R = U = 6, p = 1:
    # 2 + 26 log2(4e*6 log2(2e*6)) = 219.296...
    b = bhlm_vc_bound(Architecture([3, 5, 1], "threshold"))
    assert math.isclose(float(b.value), 2 + 26 * log2(4 * e * 6 * log2(2 * e * 6)), rel_tol=1e-12)
    assert b.value_text() == "219.30"
    # piecewise, 3 pieces (p = 2), degree 2: W_i cumulative [20, 26], R = 5 + 1*(1 + 1*2) = 8:
    # 2 + 46 log2(4e*2*8 log2(2e*2*8)) = 467.9965...
    b = bhlm_vc_bound(Architecture([3, 5, 1], "piecewise", pieces=3, degree=2))
    assert math.isclose(float(b.value), 2 + 46 * log2(4 * e * 16 * log2(2 * e * 16)),
                        rel_tol=1e-12)
    assert b.value_text() == "468.00"


def test_bhlm_not_applicable():
    with pytest.raises(NoBoundError, match="not applicable"):
        bhlm_vc_bound(Architecture([2, 3, 1], "sigmoid"))
    with pytest.raises(NoBoundError, match="U > 2"):
        bhlm_vc_bound(Architecture([4, 1, 1]))  # U = 2
    with pytest.raises(VCBoundTypeError, match="'arch'"):
        bhlm_vc_bound([2, 10, 1])


def test_raw_contract_rounds_up_and_matches():
    v = bhlm_vc_upper(3, 151, 321, 33)
    assert isinstance(v, mpmath.mpf)
    exact = hp_thm7(3, 321, 33)
    assert v >= exact and (v - exact) / exact < mpmath.mpf(2) ** -90
    assert bhlm_vc_upper(3, 151, 321, 33, p=1) == v
    # p enters as 2 e p R: p = 2 with R = 33 equals p = 1 with R = 66
    assert math.isclose(float(bhlm_vc_upper(3, 151, 321, 33, p=2)),
                        float(bhlm_vc_upper(3, 151, 321, 66)), rel_tol=1e-15)


def test_raw_contract_astronomical_integers():
    # dense envelope of vcbound docs §Routes with M = 10^2000: W = M^3 + 3M + 1, L = M + 1, U = M^2 + 1;
    # pass sum_Wi = L W (an over-estimate) and R = U L. Independent check in double-precision logs:
    # log2(value) = log2(L + S log2(2 r log2 r)) ~ log2(S) + log2(log2(2 r log2 r)), r = 2 e R.
    M = 10 ** 2000
    W, L, U = M ** 3 + 3 * M + 1, M + 1, M ** 2 + 1
    S, R = L * W, U * L
    v = bhlm_vc_upper(L, W, S, R)
    log2_r = log2(2 * e) + math.log2(R)
    inner = 1 + log2_r + math.log2(log2_r)  # log2(2 r log2 r)
    expected_log2 = math.log2(S) + math.log2(inner)
    assert math.isclose(float(mpmath.log(v, 2)), expected_log2, rel_tol=1e-13)
    assert v >= hp_thm7(L, S, R)


def test_raw_contract_bad_input():
    with pytest.raises(VCBoundError, match="'L'"):
        bhlm_vc_upper(3.5, 151, 321, 33)
    with pytest.raises(VCBoundError, match="'R'"):
        bhlm_vc_upper(3, 151, 321, 2)
    with pytest.raises(VCBoundError, match="'sum_Wi'"):
        bhlm_vc_upper(3, 151, 100, 33)
    with pytest.raises(VCBoundTypeError):
        bhlm_vc_upper(3, "151", 321, 33)
    with pytest.raises(VCBoundError, match="'p'"):
        bhlm_vc_upper(3, 151, 321, 33, p=0)


def test_raw_contract_is_cheap():
    # the solver calls this thousands of times in a bisection (with M^3-sized integers)
    M = 10 ** 2000
    args = (M + 1, M ** 3, (M + 1) * M ** 3, M ** 2 * (M + 1))
    t0 = time.perf_counter()
    for _ in range(200):
        bhlm_vc_upper(*args)
    assert (time.perf_counter() - t0) / 200 < 0.01  # measured ~0.1 ms per call


# ---------------------------------------------------------------------------------------------
# Monotonicity (hypothesis)
# ---------------------------------------------------------------------------------------------
_activations = st.sampled_from([("relu", None, None), ("threshold", None, None),
                                ("piecewise", 3, 2), ("piecewise", 2, 0), ("piecewise", 4, 1)])
_widths = st.lists(st.integers(1, 8), min_size=1, max_size=4).flatmap(
    lambda hidden: st.integers(1, 6).map(lambda d0: [d0] + hidden + [1]))


def _bound(widths, act):
    return bhlm_vc_bound(Architecture(widths, act[0], pieces=act[1], degree=act[2])).value


@given(_widths, _activations, st.data())
def test_bhlm_nondecreasing_when_a_layer_widens(widths, act, data):
    # Widening layer j raises W, every W_i it feeds (both conventions) and R, and keeps L:
    # the bound L + (sum W_i) log2(4 e p R log2(2 e p R)) is increasing in sum W_i and R.
    if sum(widths[1:]) <= 2:
        widths = [widths[0], 3] + widths[1:]
    j = data.draw(st.integers(0, len(widths) - 2), label="layer")
    wider = list(widths)
    wider[j] += data.draw(st.integers(1, 5), label="extra")
    assert _bound(wider, act) >= _bound(widths, act)


@given(_widths, _activations, st.integers(1, 8))
def test_bhlm_nondecreasing_when_a_layer_is_appended_before_output(widths, act, w):
    # Appending a hidden layer of width w just before the output: the old output layer's
    # (k+1) parameters become (k+1) w + (w + 1) >= (k+1) + 2, every earlier W_i is unchanged,
    # one more W_i term appears, R gains w f_L + f_{L+1} - f_L > 0, and L grows by 1.
    if sum(widths[1:]) <= 2:
        widths = [widths[0], 3] + widths[1:]
    deeper = widths[:-1] + [w, 1]
    assert _bound(deeper, act) >= _bound(widths, act)


def test_inserting_a_narrow_middle_layer_can_lower_the_bound():
    # Not monotone in general: [10, 10, 10, 1] -> [10, 10, 1, 10, 1] (a bottleneck).
    # old: W_i = 110, 220, 231 (sum 561), R = 10 + 20 + 3 = 33, L = 3
    # new: per layer 110, 11, 20, 11 -> W_i = 110, 121, 141, 152 (sum 524),
    #      R = 10*1 + 1*2 + 10*3 + 1*4 = 46, L = 4
    old = 3 + 561 * log2(4 * e * 33 * log2(2 * e * 33))
    new = 4 + 524 * log2(4 * e * 46 * log2(2 * e * 46))
    assert new < old  # 6270.1 < 6393.5
    assert math.isclose(float(_bound([10, 10, 10, 1], ("relu", None, None))), old, rel_tol=1e-12)
    assert math.isclose(float(_bound([10, 10, 1, 10, 1], ("relu", None, None))), new,
                        rel_tol=1e-12)


# ---------------------------------------------------------------------------------------------
# BHLM Theorem 7(a): growth function
# ---------------------------------------------------------------------------------------------
def test_growth_bound_by_hand():
    # ReLU [3, 5, 1], m = 100: W_i = [20, 26], k = [5, 1], factors [1, 1 + 1*1 = 2], p = 1:
    # 2 + 20 log2(2e*100*5*1/20) + 26 log2(2e*100*1*2/26) = 2 + 20*7.0856 + 26*5.3424 = 283.77
    b = bhlm_growth_bound(Architecture([3, 5, 1]), 100)
    hand = 2 + 20 * log2(2 * e * 100 * 5 / 20) + 26 * log2(2 * e * 100 * 2 / 26)
    assert math.isclose(float(b.value), hand, rel_tol=1e-12) and b.value >= hand - 1e-9
    assert b.value_text() == "283.77" and b.kind == "log2_growth_upper" and b.m == 100
    # the growth function never exceeds 2^m, and the bound at m = Lbar W = 46 is allowed
    assert bhlm_growth_bound(Architecture([3, 5, 1]), 46).value > 0


def test_growth_bound_refuses_small_m():
    with pytest.raises(VCBoundError, match=r"'m'.*46.*not 45"):
        bhlm_growth_bound(Architecture([3, 5, 1]), 45)
    with pytest.raises(VCBoundError, match="'m'"):
        bhlm_growth_bound(Architecture([3, 5, 1]), 0)
    with pytest.raises(NoBoundError, match="not applicable"):
        bhlm_growth_bound(Architecture([3, 5, 1], "sigmoid"), 100)
    with pytest.raises(VCBoundError, match="'m'"):
        bhlm_log2_growth_upper(10, 2, 46, 7)


@given(_widths, _activations, st.integers(0, 500))
def test_aggregated_growth_bound_dominates_per_layer(widths, act, extra):
    # Jensen: sum_i W_i log2(a_i / W_i) <= S log2(sum_i a_i / S), so the raw aggregated bound is
    # never below the per-layer Theorem 7(a) bound.
    a = Architecture(widths, act[0], pieces=act[1], degree=act[2])
    m = a.sum_W_i + extra
    raw = bhlm_log2_growth_upper(m, a.L, a.sum_W_i, a.R, a.p)
    # both are rounded up from 128-bit evaluations; equality (e.g. equal ratios a_i / W_i) may
    # leave them 2^-100-close in either order
    with mpmath.workprec(300):
        assert raw >= bhlm_growth_bound(a, m).value * (1 - mpmath.mpf(2) ** -90)


# ---------------------------------------------------------------------------------------------
# BHLM Theorem 10 and Baum-Haussler
# ---------------------------------------------------------------------------------------------
def test_thm10_by_hand():
    # ReLU [3, 5, 1]: W = 26, U = 6, P = 2 pieces (Theorem 10 counts pieces):
    # 2*26*log2(16 e * max(7, 2*1^6) * 3^6) = 52 log2(221942.27) = 923.511
    b = bhlm_thm10_bound(Architecture([3, 5, 1]))
    assert math.isclose(float(b.value), 52 * log2(16 * e * 7 * 729), rel_tol=1e-12)
    assert b.value_text() == "923.52"
    # threshold: degree 0 -> max(U + 1, 2*0^6) = 7, same pieces: same number
    assert bhlm_thm10_bound(Architecture([3, 5, 1], "threshold")).value_text() == "923.52"
    # 3 pieces, degree 2: max(7, 2*2^6 = 128) = 128, (1 + 3)^6 = 4096
    b = bhlm_thm10_bound(Architecture([3, 5, 1], "piecewise", pieces=3, degree=2))
    assert math.isclose(float(b.value), 52 * log2(16 * e * 128 * 4 ** 6), rel_tol=1e-12)
    with pytest.raises(NoBoundError, match="not applicable"):
        bhlm_thm10_bound(Architecture([3, 5, 1], "sigmoid"))


def test_baum_haussler_by_hand():
    # threshold [3, 5, 1]: W = 26, N = U = 6: 2*26*log2(6e) = 52 * 4.02775 = 209.438
    a = Architecture([3, 5, 1], "threshold")
    b = baum_haussler_bound(a)
    assert math.isclose(float(b.value), 52 * log2(6 * e), rel_tol=1e-12)
    assert b.value_text() == "209.44" and b.integer_bound == 209
    # growth at m = 100 >= W: 26 log2(6 e 100 / 26) = 26 * 5.97107 = 155.248
    g = baum_haussler_growth_bound(a, 100)
    assert math.isclose(float(g.value), 26 * log2(6 * e * 100 / 26), rel_tol=1e-12)
    assert g.value_text() == "155.25"
    with pytest.raises(VCBoundError, match=r"'m'.*26"):
        baum_haussler_growth_bound(a, 25)
    with pytest.raises(NoBoundError, match="threshold"):
        baum_haussler_bound(Architecture([3, 5, 1]))
    with pytest.raises(NoBoundError, match="N >= 2"):
        baum_haussler_bound(Architecture([3, 1], "threshold"))


# ---------------------------------------------------------------------------------------------
# Halfspaces and Cover's count
# ---------------------------------------------------------------------------------------------
def _general_position(points):
    for a, b, c in itertools.combinations(points, 3):
        if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) == 0:
            return False
    return True


def _separable(points, labels):
    from scipy.optimize import linprog

    # find (w, b) with y_i (w . x_i + b) >= 1 for all i
    A = [[-y * x for x in p] + [-y] for p, y in zip(points, labels)]
    dim = len(points[0])
    res = linprog([0] * (dim + 1), A_ub=A, b_ub=[-1] * len(points),
                  bounds=[(None, None)] * (dim + 1), method="highs")
    return res.status == 0


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_cover_count_brute_force_plane(n):
    rng = random.Random(1965 + n)
    while True:
        pts = [(rng.randint(-50, 50), rng.randint(-50, 50)) for _ in range(n)]
        if len(set(pts)) == n and _general_position(pts):
            break
    count = sum(_separable(pts, lab) for lab in itertools.product([-1, 1], repeat=n))
    assert count == n * n - n + 2  # the plane: 2 + 2 * C(n, 2) (vcbound docs §One-neuron counts)
    assert cover_count(n, 2) == count


def test_cover_count_brute_force_space():
    # 6 random points in R^3 (general position with probability 1 for real coordinates)
    rng = random.Random(3)
    pts = [tuple(rng.uniform(-1, 1) for _ in range(3)) for _ in range(6)]
    count = sum(_separable(pts, lab) for lab in itertools.product([-1, 1], repeat=6))
    # Cover by hand: 2 (C(5,0) + C(5,1) + C(5,2) + C(5,3)) = 2 (1 + 5 + 10 + 10) = 52
    assert count == 52 == cover_count(6, 3)


def test_cover_shatters_up_to_dim_plus_one():
    # N <= dim + 1 points in general position are shattered: C(N, dim) = 2^N
    for dim in range(1, 6):
        for n in range(1, dim + 2):
            assert cover_count(n, dim) == 2 ** n
        assert cover_count(dim + 2, dim) == 2 ** (dim + 2) - 2


def test_halfspace_and_cover_growth():
    h = halfspace_vc_dimension(5)
    assert h.value == 6 and h.kind == "vc_exact"
    g = cover_growth_bound(Architecture([2, 1]), 4)
    assert g.exact == 14  # 4^2 - 4 + 2
    assert math.isclose(float(g.value), log2(14), rel_tol=1e-12)
    with mpmath.workprec(300):
        assert g.value >= mpmath.log(14, 2)
    with pytest.raises(NoBoundError):
        cover_growth_bound(Architecture([2, 3, 1]), 4)
    with pytest.raises(VCBoundError, match="'N'"):
        cover_count(0, 2)
    with pytest.raises(VCBoundError, match="'dim'"):
        halfspace_vc_dimension(0)


# ---------------------------------------------------------------------------------------------
# Symbolic-constant and polynomial bounds
# ---------------------------------------------------------------------------------------------
def test_symbolic_constants_are_never_certified_numbers():
    a = Architecture([2, 10, 10, 1])
    gj = goldberg_jerrum_bound(a)
    assert gj.value is None and gj.status == "symbolic" and "C_GJ" in gj.value_text()
    assert gj.integer_bound is None
    # binding the constant gives an illustrative number: C * W^2 = 2 * 151^2 = 45602
    gj2 = goldberg_jerrum_bound(a, C=2)
    assert gj2.value == 45602 and gj2.status == "illustrative"
    assert any("illustrative" in n for n in gj2.notes)
    km = karpinski_macintyre_bound(Architecture([2, 3, 1], "sigmoid"))
    assert km.value is None and km.value_text() == "2704*C_KM"  # (W U)^2 = (13 * 4)^2
    assert karpinski_macintyre_bound(Architecture([2, 3, 1], "sigmoid"), C="0.5").value == 1352
    with pytest.raises(NoBoundError):
        karpinski_macintyre_bound(a)
    with pytest.raises(NoBoundError):
        goldberg_jerrum_bound(Architecture([2, 3, 1], "sigmoid"))
    with pytest.raises(VCBoundError, match="'C_GJ'"):
        goldberg_jerrum_bound(a, C=-1)


def test_polynomial_family():
    assert polynomial_vc_bound(151, 2, 2).value == 2 * 151 ** 2
    assert polynomial_vc_bound(Architecture([2, 10, 10, 1]), 1, 1).value == 151
    assert polynomial_vc_bound(100, 1, 0.5).value == 10  # exact square root kept exact
    v = polynomial_vc_bound(10, "0.1", "1.5").value  # 10^1.5 / 10 = sqrt(10) = 3.16227766...
    with mpmath.workprec(300):
        assert v >= mpmath.sqrt(10) and v - mpmath.sqrt(10) < 1e-25
    assert polynomial_vc_bound(10, 1, 1).status == "assumed"
    with pytest.raises(VCBoundError, match="'k'"):
        polynomial_vc_bound(10, 1, 0)
    with pytest.raises(VCBoundError, match="'W'"):
        polynomial_vc_bound(0, 1, 1)


# ---------------------------------------------------------------------------------------------
# all_bounds and helpers
# ---------------------------------------------------------------------------------------------
def test_all_bounds_per_activation():
    keys = lambda r: [b.key for b in r.vc]  # noqa: E731
    assert keys(all_bounds(Architecture([2, 10, 10, 1]))) == [
        "bhlm_thm7", "bhlm_thm10", "goldberg_jerrum"]
    assert keys(all_bounds(Architecture([2, 10, 10, 1], "threshold"))) == [
        "bhlm_thm7", "bhlm_thm10", "baum_haussler", "goldberg_jerrum"]
    sig = all_bounds(Architecture([2, 3, 1], "sigmoid"), m=50)
    assert keys(sig) == ["karpinski_macintyre"] and sig.growth == []
    assert any("not applicable" in reason for *_x, reason in sig.skipped)
    one = all_bounds(Architecture([2, 1]), m=10)
    assert keys(one)[0] == "halfspace" and one.vc[0].value == 3
    assert {g.key for g in one.growth} == {"bhlm_thm7", "cover"}
    r = all_bounds(Architecture([2, 10, 10, 1]), m=1000)
    d = r.to_dict()
    assert d["vc_upper_bound"]["bhlm_thm7"] >= 3659.6696
    assert isinstance(d["vc_upper_bound"]["goldberg_jerrum"], str)
    assert set(d["log2_growth_upper_bound"]) == {"bhlm_thm7"}
    assert "3659.67" in r.text() and r.latex().count(r"\begin{tabular}") == 1


def test_rounding_helpers():
    # 1/3 and 2/3 are not doubles; the nearest double of 1/3 is below it, of 2/3 too
    for q in (Fraction(1, 3), Fraction(2, 3), Fraction(10 ** 30 + 1, 7)):
        f = upper_float(q)
        assert Fraction(f) >= q and Fraction(math.nextafter(f, -math.inf)) < q
    with mpmath.workprec(200):
        x = mpmath.mpf(1) / 3
        f = upper_float(x)
        assert mpmath.mpf(f) >= x and mpmath.mpf(math.nextafter(f, -math.inf)) < x
    assert upper_float(2 ** 60 + 1) >= 2 ** 60 + 1
    assert format_upper(Fraction(1, 3), 2) == "0.34"
    assert format_upper(mpmath.mpf("2.001"), 2) == "2.01"
    assert format_upper(2, 2) == "2"
    assert format_upper(None) == "n/a"


def test_growth_upper_bound_cover_beats_sauer_for_one_neuron():
    # {0,1}^3 is 8 points in R^3: Cover C(8, 4) = 2 (1 + 7 + 21 + 35) = 128 < Phi_4(8) = 163 < 2^8
    log2_bound, source = growth_upper_bound([3, 1], 8)
    assert 2 ** log2_bound == pytest.approx(128)
    assert source.startswith("Cover")
    # 3x3 grid in the plane: C(9, 3) = 2 (1 + 8 + 28) = 74
    assert 2 ** growth_upper_bound([2, 1], 9)[0] == pytest.approx(74)


def test_growth_upper_bound_is_the_minimum_of_the_certified_candidates():
    import math
    arch, n = Architecture([2, 3, 1]), 200
    D = bhlm_vc_bound(arch).integer_bound
    sauer = math.log2(sum(math.comb(n, i) for i in range(D + 1)))   # Phi_D(n) summed here
    growth = float(bhlm_growth_bound(arch, n).value)
    log2_bound, _ = growth_upper_bound([2, 3, 1], n)
    assert log2_bound == pytest.approx(min(n, sauer, growth))
    # 17 parameters already exceed 16 points: no bound below 2^n (any VC bound here is >= W)
    assert growth_upper_bound([2, 4, 1], 16) == (16.0, "2^n")
    with pytest.raises(VCBoundError, match="'n'"):
        growth_upper_bound([2, 1], 0)
