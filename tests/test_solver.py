"""Tests of vcbound.solver and vcbound.routes (vcbound docs §Construction-§Routes).

Every expected value is derived independently of the code under test: by hand (comments), by
brute force over the definitions (Sauer sums, the double-counting G, linear scans over the size
M with float re-implementations of each route's formula), from vcbound.architecture's counts
(a different module), or as a mathematical property (monotonicity, regime agreement).
"""

import json
import math
import time
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbound import NoBoundError, VCBoundError
from vcbound.architecture import Architecture
from vcbound.routes import (DenseEnvelope, UnionRoute, VCRoute, dense_route, get_route,
                            paper_route)
from vcbound.solver import bound_table, fit_exponent, grid_size, solve

LOG2E = math.log2(math.e)


# ------------------------------------------------------------------------------------------
# independent re-implementations (plain Python, floats or exact integers)
# ------------------------------------------------------------------------------------------
def brute_G(n, V, alpha):
    """G = 2^V C(c, V) / C(n, V), c = ceil((1 - alpha) n), with exact integers (vcbound docs §Double counting)."""
    c = math.ceil((1 - Fraction(alpha)) * n)
    return Fraction(2 ** V * math.comb(c, V), math.comb(n, V))


def brute_d_min(V, G):
    """Linear scan of the definition min{D : sum_{i<=D} C(V, i) >= G} (vcbound docs §Sauer-Shelah)."""
    total = 0
    for D in range(V + 1):
        total += math.comb(V, D)
        if total >= G:
            return D
    raise AssertionError("G > 2^V")


def float_log2(q):
    q = Fraction(q)
    return math.log2(q.numerator) - math.log2(q.denominator)


def union_cap_float(M, d, V, counts=("layered", "dag")):
    """vcbound docs §Routes union bound with the exact Sauer sum, in floats (None when V < S), with the
    smaller of the layered pair count (M+1) M^(M+1) Phi_M(dM + M^3 + M) and the DAG support
    count Phi_M(E_dag), E_dag = sum_{j=1}^{M+1} (d + j - 1) edges on M + 1 ordered units."""
    S, R, L = (M + 1) * (2 * M + 1), (M + 1) ** 2, M + 1
    if V < S:
        return None
    pairs = []
    if "layered" in counts:
        E = d * M + M ** 3 + M
        phi = sum(math.comb(E, i) for i in range(M + 1))
        pairs.append(math.log2(M + 1) + (M + 1) * math.log2(M) + math.log2(phi))
    if "dag" in counts:
        E = sum(d + j - 1 for j in range(1, M + 2))
        pairs.append(math.log2(sum(math.comb(E, i) for i in range(M + 1))))
    return min(pairs) + L + S * math.log2(2 * math.e * V * R / S)


def dense_vc_float(M, d):
    """BHLM Theorem 7 VC bound on [d, M' x M', 1], M' = max(M, 2), counts from Architecture."""
    Mp = max(M, 2)
    a = Architecture([d] + [Mp] * Mp + [1])
    R = a.R
    return a.L + a.sum_W_i * math.log2(4 * math.e * R * math.log2(2 * math.e * R))


def paper_vc_exact(M, d, C=1):
    W = Architecture([d] + [M] * M + [1]).W
    return Fraction(C) * W * W


def scan_M(ruled, M_max):
    """Largest M in [1, M_max] with ruled(M) (0 if none), checking the set is a prefix."""
    flags = [ruled(M) for M in range(1, M_max + 1)]
    best = max((M for M, f in zip(range(1, M_max + 1), flags) if f), default=0)
    assert all(flags[:best]), "ruled-out sizes are not a prefix"
    return best


# ------------------------------------------------------------------------------------------
# grid (vcbound docs §Construction)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("eps, K", [
    (0.1, 5),          # exact 1/10: 1/(2/10) = 5 (the float would give 4)
    ("0.05", 10),
    (0.25, 2),
    (0.3, 1),          # 1/0.6 = 1.67
    (Fraction(1, 6), 3),
    ("1e-6", 500000),
    (0.5, 1),
])
def test_grid_K_from_exact_eps(eps, K):
    assert grid_size(4, eps) == (K, K ** 3)


def test_float_pitfall_is_avoided():
    # floor(1/(2 * 0.1)) with the binary float is 4, since 0.1 > 1/10 as a double
    assert math.floor(1 / (2 * Fraction(0.1))) == 4
    assert solve(3, 0.1, 0.1).K == 5


# ------------------------------------------------------------------------------------------
# routes: envelopes and capacity formulas
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("M", range(1, 8))
@pytest.mark.parametrize("d", [2, 3, 7])
def test_dense_envelope_closed_form_matches_architecture(M, d):
    env = DenseEnvelope().sizes(M, d)
    a = Architecture([d] + [M] * M + [1])
    assert (env.W, env.L, env.U, env.sum_Wi, env.R) == (a.W, a.L, a.U, a.sum_W_i, a.R)


def test_dense_envelope_by_hand():
    # [2, 2, 2, 1]: W = 6 + 6 + 3 = 15, cumulative W_i = 6, 12, 15, R = 1*2 + 2*2 + 3*1 = 9
    env = DenseEnvelope().sizes(2, 2)
    assert (env.W, env.L, env.U, env.sum_Wi, env.R) == (15, 3, 5, 33, 9)


@pytest.mark.parametrize("M, d, V", [(1, 2, 6), (1, 5, 100), (2, 3, 15), (3, 2, 10**4),
                                     (7, 10, 10**6), (20, 4, 10**9), (40, 3, 10**12)])
def test_union_capacity_against_independent_formula(M, d, V):
    ours = UnionRoute().capacity(M, d, V)
    ref = union_cap_float(M, d, V)
    assert ours >= ref - 1e-9 * ref           # an upper bound of the exact-Phi formula
    E = d * M + M ** 3 + M
    if E <= 20000:                            # exact Sauer sums (both counts): the same number
        assert float(ours) == pytest.approx(ref, rel=1e-12)
    else:
        # (e E/M)^M exceeds Phi_M(E) >= C(E, M) by at most e sqrt(M) (E/(E-M))^M
        # (M! <= e sqrt(M) (M/e)^M); (E/(E-M))^M <= exp(M^2/(E-M)) <= e^2 for both counts
        # (E - M > M^2/2 for E_dag = (M+1)(2d+M)/2, d >= 2), i.e. at most 4.33 + log2(M)/2 bits
        assert float(ours) - ref <= 4.33 + math.log2(M) / 2


def test_union_capacity_by_hand():
    # M = 1, d = 2, V = 6: layered E = 4, #pairs <= 2 * 1^2 * Phi_1(4) = 10; DAG: units 1, 2
    # read 2 and 3 candidates, E_dag = 5, Phi_1(5) = 6 < 10. L = 2, S = 6, R = 4:
    # log2 6 + 2 + 6 log2(2e * 6 * 4 / 6) = 2.584963 + 2 + 26.656170 = 31.241133
    assert float(UnionRoute().capacity(1, 2, 6)) == pytest.approx(31.241133, abs=1e-6)


def test_union_no_bound_below_validity_limit():
    # S = (M+1)(2M+1): 6 for M = 1, 15 for M = 2
    u = UnionRoute()
    assert u.capacity(1, 3, 5) is None and u.capacity(2, 3, 14) is None
    assert u.capacity(2, 3, 15) is not None
    for V in range(1, 400):
        brute = max((M for M in range(0, 30) if (M + 1) * (2 * M + 1) <= V), default=0)
        assert u.max_M(3, V) == brute


@pytest.mark.parametrize("n, alpha", [(n, a) for n in range(1, 40) for a in ("0.05", "0.2")])
def test_G_never_exceeds_2_pow_V(n, alpha):
    # the fact behind "V < S proves nothing" (UnionRoute point 5): C(c, V) <= C(n, V)
    c = math.ceil((1 - Fraction(alpha)) * n)
    for V in range(1, c + 1):
        assert brute_G(n, V, alpha) <= 2 ** V


@pytest.mark.parametrize("route", [UnionRoute(), dense_route(), paper_route()])
def test_capacity_non_decreasing_in_M(route):
    V = 10 ** 40
    caps = [route.capacity(M, 6, V) for M in list(range(1, 300)) + [10**6, 10**9, 10**15]]
    assert all(a <= b for a, b in zip(caps, caps[1:]))


def test_dense_route_uses_M2_envelope_for_M1():
    r = dense_route()
    assert r.capacity(1, 4, None) == r.capacity(2, 4, None)
    assert float(r.capacity(2, 4, None)) == pytest.approx(dense_vc_float(2, 4), rel=1e-12)


def test_paper_route_exact_and_labelled():
    r = paper_route("0.5")
    # W = 8 + 3*2 + 1 = 15 for [2, 2, 2, 1]: C W^2 = 225/2
    assert r.capacity(2, 2, None) == Fraction(225, 2)
    assert not r.certified and "ILLUSTRATIVE" in r.label


def test_get_route_errors():
    with pytest.raises(VCBoundError, match="'route' must be one of"):
        get_route("sparse")
    with pytest.raises(VCBoundError, match="'C'"):
        paper_route(0)


# ------------------------------------------------------------------------------------------
# D_min and G by brute force
# ------------------------------------------------------------------------------------------
SMALL = [(d, K, a) for d, K in [(2, 7), (2, 40), (3, 4), (3, 9), (4, 3), (5, 2), (6, 3), (8, 2)]
         for a in ("0.05", "0.1", "0.2")]


@pytest.mark.parametrize("d, K, alpha", SMALL)
def test_D_min_brute_force_V_half(d, K, alpha):
    n = K ** (d - 1)
    V = max(1, n // 2)
    G = brute_G(n, V, alpha)
    r = solve(d, Fraction(1, 2 * K), alpha, route="dense")
    assert (r.n, r.V, r.G) == (n, V, G)
    assert r.D_min.exact == brute_d_min(V, G)


@pytest.mark.parametrize("d, K, alpha", SMALL[::2])
def test_D_min_best_V_brute_force(d, K, alpha):
    n = K ** (d - 1)
    c = math.ceil((1 - Fraction(alpha)) * n)
    best = max(brute_d_min(V, brute_G(n, V, alpha)) for V in range(1, c + 1))
    assert solve(d, Fraction(1, 2 * K), alpha, route="dense", V="best").D_min.exact == best


def test_given_V():
    r = solve(3, Fraction(1, 8), "0.1", route="dense", V=5)   # n = 16, c = 15
    assert r.V == 5 and r.V_rule == "given"
    assert r.D_min.exact == brute_d_min(5, brute_G(16, 5, "0.1"))


# ------------------------------------------------------------------------------------------
# N_d by a second method: linear scans with float formulas
# ------------------------------------------------------------------------------------------
UNION_CASES = [(2, 2000, "0.1"), (3, 25, "0.1"), (4, 10, "0.1"), (5, 10, "0.1"), (2, 5000, "0.2"),
               (3, 100, "0.05"), (4, 20, "0.15")]


@pytest.mark.parametrize("d, K, alpha", UNION_CASES)
def test_union_N_d_linear_scan(d, K, alpha):
    n = K ** (d - 1)
    V = n // 2
    target = float_log2(brute_G(n, V, alpha))
    M = scan_M(lambda M: (union_cap_float(M, d, V) or math.inf) < target, 200)
    r = solve(d, Fraction(1, 2 * K), alpha)
    assert r.regime == "exact" and r.M == M and r.N_d.exact == M + 1
    assert M >= 1 or r.N_d.exact == 1


@pytest.mark.parametrize("d, K, alpha", [(2, 5000, "0.1"), (3, 100, "0.1"), (5, 10, "0.1"),
                                         (2, 20000, "0.05"), (3, 120, "0.2")])
def test_dense_and_paper_N_d_linear_scan(d, K, alpha):
    n = K ** (d - 1)
    V = n // 2
    D = brute_d_min(V, brute_G(n, V, alpha))
    M_dense = scan_M(lambda M: dense_vc_float(M, d) < D, 60)
    M_paper = scan_M(lambda M: paper_vc_exact(M, d) < D, 60)
    eps = Fraction(1, 2 * K)
    assert solve(d, eps, alpha, route="dense").M == M_dense
    assert solve(d, eps, alpha, route="paper").M == M_paper
    assert M_dense >= 1 and M_paper >= 1      # the cases are chosen to certify something


def test_fast_and_plain_search_agree():
    for d, eps in [(3, 0.001), (5, 0.01), (10, 0.1), (20, 0.05), (30, 0.01)]:
        for route in ("union", "dense", "paper"):
            fast = solve(d, eps, 0.1, route=route)
            plain = solve(d, eps, 0.1, route=route, search="plain")
            if fast.M < 2 ** 40:
                assert fast.M == plain.M
            else:   # resolved to relative 2^-40 only
                assert abs(fast.M - plain.M) <= fast.M >> 39


# ------------------------------------------------------------------------------------------
# degenerate cases (derived by hand)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("route", ["union", "dense", "paper"])
@pytest.mark.parametrize("d", [2, 5, 1000])
def test_K1_single_point(route, d):
    # eps = 0.3 > 1/4: K = 1, n = 1, V = 1, c = 1, G = 2 C(1,1)/C(1,1) = 2: constants suffice
    r = solve(d, 0.3, 0.1, route=route)
    assert (r.K, r.n, r.V, r.G) == (1, 1, 1, 2)
    assert r.M == -1 and r.N_d.exact == 0
    assert any("single point" in note for note in r.notes)


def test_G_at_most_2_gives_N_d_0_and_best_V_fixes_n2():
    # n = 2 (d = 2, K = 2), alpha = 0.1: c = 2; V = 1: G = 2 * 2 / 2 = 2 -> nothing ruled out;
    # V = 2: G = 4 * 1 / 1 = 4 > 2 -> constant classifiers ruled out (N_d = 1); no M >= 1
    # (union needs V >= 6; dense needs D_min > VCdim bound of [2, 2, 2, 1])
    assert solve(2, 0.25, 0.1).N_d.exact == 0
    assert solve(2, 0.25, 0.1, V=2).N_d.exact == 1
    assert solve(2, 0.25, 0.1, V="best").N_d.exact == 1


def test_n4_only_constants_ruled_out():
    # n = 4, alpha = 0.1: c = 4, V = 2, G = 4 C(4,2)/C(4,2) = 4 > 2 (vcbound docs §Double counting pitfall value);
    # D_min = 2 (Phi_1(2) = 3 < 4 = Phi_2(2)); no route certifies M = 1 -> N_d = 1
    for route in ("union", "dense", "paper"):
        r = solve(3, 0.25, 0.1, route=route)
        assert (r.n, r.G, r.D_min.exact, r.M, r.N_d.exact) == (4, 4, 2, 0, 1)
        assert any("N_d = 1" in note for note in r.notes)


def test_explicit_V_too_large():
    with pytest.raises(VCBoundError, match=r"'V' must be in \[1, c\]"):
        solve(3, 0.25, 0.1, V=5)    # n = 4, c = 4


# ------------------------------------------------------------------------------------------
# exponents (vcbound docs §Solver, §Routes)
# ------------------------------------------------------------------------------------------
def _slope(d, route):
    pts = [(K, solve(d, Fraction(1, 2 * K), "0.1", route=route).N_d.log2)
           for K in (100, 300, 1000, 3000, 10000)]
    return fit_exponent(pts)


@pytest.mark.parametrize("d", [5, 7])
def test_paper_route_reproduces_exponent_one_sixth(d):
    # By hand: D_min ~ t n with t a constant (Sauer inversion at V = n/2), W = M^3 + (d+1) M + 1
    # ~ M^3, and the route stops where W^2 ~ D_min, so M ~ (t n)^(1/6) = t^(1/6) K^((d-1)/6):
    # the slope of log N_d against log K tends to (d-1)/6. With K >= 100 and d >= 5,
    # n >= 10^8 and M >= (0.1 * 10^8)^(1/6) ~ 15, so the integer floor of M moves log M by at most
    # log(1 + 1/15) over a log K range of log 100: the slope is within ~2% of (d-1)/6.
    assert _slope(d, "paper") == pytest.approx((d - 1) / 6, rel=0.03)


def test_union_and_dense_exponents_follow_their_derived_asymptotics():
    # Derived (not read off the code): union: log2 G ~ g n against ~2 M^2 log2(e V), so
    # M ~ sqrt(g n / (2 log2(e n/2))) and d ln M / d ln n = 1/2 - 1/(2 ln(e n/2)), which lies
    # in [1/2 - 1/(2 ln n_min), 1/2]; n_min = 100^6 = 1e12 at d = 7 gives [0.4819, 0.5].
    # Dense: B ~ (M^4/2) log2(2 e M^3 ...) ~ 1.5 M^4 log2 M = t n, so
    # d ln M / d ln n = 1/(4 + 1/ln M) in [1/(4 + 1/ln M_min), 1/4]; M_min ~ (1e11)^(1/4) ~ 500
    # gives [0.2381, 0.25]. Slack 0.01 for the floor of M and lower-order terms.
    d = 7
    u = _slope(d, "union") / (d - 1)
    assert 0.4819 - 0.01 <= u <= 0.5 + 0.005
    den = _slope(d, "dense") / (d - 1)
    assert 0.2381 - 0.01 <= den <= 0.25 + 0.005


def test_fit_exponent_synthetic():
    assert fit_exponent([(2, 3.0), (4, 6.0), (8, 9.0)]) == pytest.approx(3.0)   # N = K^3
    assert fit_exponent([(5, 2.0), (5, 3.0)]) is None                           # one K only
    assert fit_exponent([(1, 0.0), (10, 5.0)]) is None                          # K = 1 skipped


# ------------------------------------------------------------------------------------------
# property tests
# ------------------------------------------------------------------------------------------
routes_st = st.sampled_from(["union", "dense", "paper"])
K_st = st.sampled_from([1, 2, 3, 4, 5, 7, 10, 16, 25, 60, 100, 400, 1500])
alpha_st = st.integers(1, 24).map(lambda k: Fraction(k, 100))


@settings(max_examples=40, deadline=None)
@given(d=st.integers(2, 30), K=K_st, alpha=alpha_st, route=routes_st,
       V=st.sampled_from(["half", "best"]))
def test_N_d_non_decreasing_in_d(d, K, alpha, route, V):
    eps = Fraction(1, 2 * K)
    assert solve(d, eps, alpha, route=route, V=V).N_d <= solve(d + 1, eps, alpha, route=route,
                                                               V=V).N_d


@settings(max_examples=40, deadline=None)
@given(d=st.integers(2, 30), K1=K_st, K2=K_st, alpha=alpha_st, route=routes_st)
def test_N_d_non_decreasing_in_inverse_eps(d, K1, K2, alpha, route):
    K1, K2 = sorted((K1, K2))
    small = solve(d, Fraction(1, 2 * K1), alpha, route=route).N_d
    assert small <= solve(d, Fraction(1, 2 * K2), alpha, route=route).N_d


@settings(max_examples=40, deadline=None)
@given(d=st.integers(2, 30), K=K_st, a1=alpha_st, a2=alpha_st, route=routes_st,
       V=st.sampled_from(["half", "best"]))
def test_N_d_non_increasing_in_alpha(d, K, a1, a2, route, V):
    a1, a2 = sorted((a1, a2))
    eps = Fraction(1, 2 * K)
    assert solve(d, eps, a1, route=route, V=V).N_d >= solve(d, eps, a2, route=route, V=V).N_d


@settings(max_examples=40, deadline=None)
@given(d=st.integers(2, 40), K=K_st, alpha=alpha_st, V=st.sampled_from(["half", "best"]))
def test_union_at_least_dense_where_both_certify(d, K, alpha, V):
    eps = Fraction(1, 2 * K)
    u, den = solve(d, eps, alpha, V=V), solve(d, eps, alpha, route="dense", V=V)
    if u.M >= 1 and den.M >= 1:
        assert u.N_d >= den.N_d


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 6), K=st.integers(2, 200), alpha=alpha_st, route=routes_st,
       V=st.sampled_from(["half", "best"]))
def test_exact_and_log_regimes_agree(d, K, alpha, route, V):
    n = K ** (d - 1)
    if n > 20000:
        return
    eps = Fraction(1, 2 * K)
    ex = solve(d, eps, alpha, route=route, V=V, regime="exact")
    lg = solve(d, eps, alpha, route=route, V=V, regime="log")
    assert ex.regime == "exact" and lg.regime == "log"
    with mpmath.workprec(300):      # both are rigorous lower bounds of the exact log2 G
        true = mpmath.log(mpmath.mpf(ex.G.numerator), 2) - mpmath.log(ex.G.denominator, 2)
        assert lg.log2_G <= true and ex.log2_G <= true
    # The log regime inverts Sauer with the tight closed form U(D) = C(m, D)(m - D + 1)/(m - 2D + 1)
    # >= Phi_D(m), a valid but weaker bound: never stronger than the exact regime.
    assert lg.D_min <= ex.D_min and lg.N_d <= ex.N_d
    # The union route compares growth functions and never uses D_min: identical always.
    if route == "union":
        assert ex.N_d == lg.N_d
    # Off by at most one while 3 (D - 2) <= m + 1 (m = V), derived by hand: then the tight factor
    # (m - D + 3)/(m - 2D + 5) <= 2, so U(D - 2) <= 2 Phi_{D-2}(m); and C(m, i) >= 2 C(m, i - 1) for
    # i <= D - 1 <= (m + 1)/3, so Phi_{D-1}(m) >= 1 + 2 Phi_{D-2}(m) > U(D - 2). With D = the exact
    # D_min, Phi_{D-1} < G, hence U(D - 2) < G and the log regime's answer is >= D - 1.
    D, m = int(ex.D_min.exact), ex.V
    if 3 * (D - 2) <= m + 1:
        assert int(lg.D_min.exact) >= D - 1
    # Same D_min (and the paper's V): the rest of the chain is the same computation.
    if lg.D_min == ex.D_min and V == "half":
        assert (lg.V, lg.M, lg.N_d) == (ex.V, ex.M, ex.N_d)


# ------------------------------------------------------------------------------------------
# scale (vcbound docs §Solver: d up to 1e4, eps down to 1e-6)
# ------------------------------------------------------------------------------------------
def test_huge_d_and_tiny_eps_in_log_domain():
    t0 = time.perf_counter()
    r = solve(10**4, "1e-6", 0.1)
    assert time.perf_counter() - t0 < 20
    assert r.regime == "log" and r.K == 500000
    # n = 500000^9999 has log10 n = 9999 log10 5e5 = 56985.1; the union route's N_d is about
    # sqrt(n) up to a log factor, so log10 N_d lies in (56985/2 - 10, 56985/2)
    assert 56985.1 / 2 - 10 < float(r.log10_N_d) < 56985.1 / 2
    data = r.to_dict()
    # n has 56986 digits: too many for JSON's exact "value", its log10 is there
    assert data["N_d"]["value"] is None and data["N_d"]["bound"] == "lower"
    assert data["n"]["value"] is None and data["n"]["bound"] == "exact"
    assert abs(data["n"]["log10"] - 9999 * math.log10(5e5)) < 1e-6
    json.dumps(data)


def test_huge_d_monotone_and_routes_ordered():
    a, b = solve(10**4, 0.1, 0.1), solve(10**4 + 1, 0.1, 0.1)
    assert a.N_d < b.N_d
    dense, paper = solve(10**4, 0.1, 0.1, route="dense"), solve(10**4, 0.1, 0.1, route="paper")
    # exponents 1/2 > 1/4 > 1/6 of log10 n = 9999 log10 5 = 6988.9: orders of magnitude
    assert float(a.log10_N_d) > 6988.9 / 2 - 10 and float(dense.log10_N_d) > 6988.9 / 4 - 10
    assert abs(float(paper.log10_N_d) - 6988.9 / 6) < 5     # (t n)^(1/6), t ~ 0.1


# ------------------------------------------------------------------------------------------
# rendering
# ------------------------------------------------------------------------------------------
def test_result_json_keys_and_labels():
    r = solve(10, 0.1, 0.1)
    data = json.loads(r.to_json())
    for key in ("K", "n", "V", "log2_G", "D_min", "N_d", "route", "certified"):
        assert key in data
    assert data["K"] == 5 and data["n"]["value"] == 5 ** 9 and data["certified"] is True
    p = solve(10, 0.1, 0.1, route="paper")
    assert "ILLUSTRATIVE" in str(p) and "ILLUSTRATIVE" in p.to_json()
    assert "ILLUSTRATIVE" in p._repr_latex_()
    assert p.to_dict()["certified"] is False


def test_bound_table_rows_columns_and_labels():
    t = bound_table([4, 5], [0.25, 0.1, 0.05], 0.1, routes="union,paper")
    assert len(t) == 6
    assert t.columns == ["d", "eps", "alpha", "K", "n", "D_min", "N_d union", "beta union",
                         "N_d paper (ILLUSTRATIVE)", "beta paper (ILLUSTRATIVE)", "N_upper",
                         "beta N_upper", "(d-1)/6"]
    row = t.table_rows[4]                 # d = 5, eps = 0.1: K = 5, n = 625
    assert (row[0], row[3], row[4].exact) == (5, 5, 625)
    assert row[6] == solve(5, 0.1, 0.1).N_d
    for fmt in ("text", "markdown", "csv", "latex"):
        assert "ILLUSTRATIVE" in t.render(fmt)
    assert json.loads(t.render("json"))[0]["d"] == 4


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((3, 0, 0.1), {}, VCBoundError, "'eps' must be in"),
    ((3, 0.7, 0.1), {}, VCBoundError, "'eps' must be in"),
    ((3, 0.1, 0.5), {}, NoBoundError, "constant classifier"),
    ((3, 0.1, 0.7), {}, NoBoundError, "1/2"),
    ((3, 0.1, 0), {}, VCBoundError, "'alpha' must be in"),
    ((1, 0.1, 0.1), {}, VCBoundError, "'d' must be"),
    ((2.5, 0.1, 0.1), {}, VCBoundError, "'d' must be an integer"),
    ((3, 0.1, 0.1), {"route": "magic"}, VCBoundError, "'route'"),
    ((3, 0.1, 0.1), {"V": "most"}, VCBoundError, "'V'"),
    ((3, 0.1, 0.1), {"regime": "fast"}, VCBoundError, "'regime'"),
    ((40, 0.1, 0.1), {"regime": "exact"}, VCBoundError, "'regime' = 'exact'"),
    ((3, 0.1, 0.1), {"C": -1}, VCBoundError, "'C'"),
])
def test_bad_inputs(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        solve(*args, **kwargs)


def test_bad_table_inputs():
    with pytest.raises(VCBoundError, match="'V'"):
        bound_table([3], [0.1], [0.1], V=5)
    with pytest.raises(VCBoundError, match="'eps'"):
        bound_table([3], [0.1, 0.9], [0.1])


def test_user_route_plugs_in():
    quartic = VCRoute("quartic", DenseEnvelope(), lambda env: env.W ** 4, source="assumed")
    r = solve(20, 0.1, 0.1, route=quartic)
    D = r.D_min.exact
    # independent scan: W(M)^4 < D_min with W = M^3 + 21 M + 1
    M = scan_M(lambda M: (M ** 3 + 21 * M + 1) ** 4 < D, 100)
    assert r.M == M and not r.certified and r.route == "quartic"


def test_user_envelope_with_only_W_renders():
    # A researcher's own family (Theorem 4.5, VCdim <= c W^k) may describe its envelope by W
    # alone; the solver's text must not require L, U, sum W_i or R.
    from vcbound.capacity import polynomial_vc_bound
    from vcbound.routes import Envelope, VCRoute

    class WOnly:
        name = "W-only envelope"

        def sizes(self, M, d):
            return Envelope(M, d, M, None, None, None, None, f"{M} parameters")

    route = VCRoute("poly", WOnly(), lambda env: polynomial_vc_bound(env.W, c=1, k=2).value)
    r = solve(6, "0.1", "0.1", route=route)
    assert "W = " in r.envelope_text and "R =" not in r.envelope_text
    # VCdim <= M^2 < D_min  <=>  M <= isqrt(D_min - 1), so N_d = isqrt(D_min - 1) + 1 (hand).
    import math
    D = int(r.D_min.exact)
    assert int(r.N_d.exact) == math.isqrt(D - 1) + 1
    assert "W = " in str(r)


def test_route_integers_of_millions_of_bits_are_exact():
    # the union route's integer steps at the sizes of d = 10^6 (GMP above 2^14 bits): checked
    # against their definitions, not against another run
    from vcbound.routes import DenseEnvelope, UnionRoute, dag_edges

    V = 7 ** 300000 + 12345                       # 842,000 bits
    M = UnionRoute().max_M(2, V)
    assert (M + 1) * (2 * M + 1) <= V < (M + 2) * (2 * M + 3)
    d = 10 ** 6
    assert UnionRoute().edges(M, d) == d * M + M ** 3 + M
    assert dag_edges(M, d) == (M + 1) * (2 * d + M) // 2
    env = UnionRoute().envelope(M, d)
    assert (env.sum_Wi, env.R) == ((M + 1) * (2 * M + 1), (M + 1) ** 2)
    assert type(env.sum_Wi) is int and type(UnionRoute().edges(M, d)) is int
    W = DenseEnvelope().sizes(M, d).W
    assert W == M ** 3 + (d + 1) * M + 1 and type(W) is int
