"""Tests of the stronger and broader lower bounds (issue 19): alpha in (0, 1/2), denser separated
sets, Theorem 3.4, the DAG route and rule_out.

Every expected value is derived independently of the code under test: by hand (comments), by
brute force over the definitions (all V, all M, exact binomials, enumeration of lattice points),
or with plain float re-implementations of the formulas (math.lgamma, math.comb).
"""

import itertools
import math
import re
from fractions import Fraction

import pytest

from vcbound import NoBoundError, VCBoundError
from vcbound.routes import DagUnionRoute, UnionRoute
from vcbound.solver import bound_table, fit_exponent, solve

LOG2E = math.log2(math.e)


# ------------------------------------------------------------------------------------------
# independent re-implementations
# ------------------------------------------------------------------------------------------
# the brute-force G and D_min of the solver tests (exact binomials, linear scan of the definition)
from test_solver import brute_G, brute_d_min, float_log2 as log2_frac  # noqa: E402


def lgamma_log2_G(n, V, alpha):
    """log2 G through math.lgamma (a second method for huge n; absolute error ~1e-6 here)."""
    c = math.ceil((1 - Fraction(alpha)) * n)

    def lb(a, b):
        return (math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1)) / math.log(2)

    return V + lb(c, V) - lb(n, V)


def log2_phi(M, E):
    return math.log2(sum(math.comb(E, i) for i in range(M + 1)))


def union_cap_float(M, d, V, counts=("layered", "dag")):
    """The union bound with exact Sauer sums, floats; None if V < S. Pair counts: layered
    (M+1) M^(M+1) Phi_M(dM + M^3 + M); DAG Phi_M(E), E = sum_{j=1}^{M+1} (d + j - 1) candidate
    edges of M + 1 units in a fixed order; the union route takes the smaller."""
    S, R, L = (M + 1) * (2 * M + 1), (M + 1) ** 2, M + 1
    if V < S:
        return None
    pairs = []
    if "layered" in counts:
        pairs.append(math.log2(M + 1) + (M + 1) * math.log2(M) + log2_phi(M, d * M + M ** 3 + M))
    if "dag" in counts:
        pairs.append(log2_phi(M, sum(d + j - 1 for j in range(1, M + 2))))
    return min(pairs) + L + S * math.log2(2 * math.e * V * R / S)


class LayeredOnlyUnion(UnionRoute):
    """The union route as it was before the DAG count (layered pair count only)."""

    name = "union-layered"

    def log2_pairs(self, M, d):
        return self.log2_pairs_layered(M, d)

    def _approx_log2_pairs(self, M, x, d):
        return math.log2(M + 1) + (M + 1) * x + M * (LOG2E + math.log2(self.edges(M, d)) - x)


def dense_vc_float(M, d):
    """BHLM Theorem 7(b) on [d, M' x M', 1], M' = max(M, 2), counts written out by hand."""
    Mp = max(M, 2)
    W_cum = [(d + 1) * Mp + (i - 1) * (Mp * Mp + Mp) for i in range(1, Mp + 1)]
    W = Mp ** 3 + (d + 1) * Mp + 1
    S = sum(W_cum) + W
    R = Mp * Mp * (Mp + 1) // 2 + (Mp + 1)
    return Mp + 1 + S * math.log2(4 * math.e * R * math.log2(2 * math.e * R))


def scan_M(ruled, M_max):
    """Largest M in [1, M_max] with ruled(M) (0 if none); ruled-out sizes must be a prefix."""
    flags = [ruled(M) for M in range(1, M_max + 1)]
    best = max((M for M, f in zip(range(1, M_max + 1), flags) if f), default=0)
    assert all(flags[:best]), "ruled-out sizes are not a prefix"
    return best


# ------------------------------------------------------------------------------------------
# 1. alpha in (0, 1/2)
# ------------------------------------------------------------------------------------------
def test_issue_figures_d10_eps_tenth_independent():
    # The issue quotes N_d = 92 at alpha = 1/4 and about 69 at alpha = 0.3 (d = 10, eps = 1/10,
    # the union route with its layered pair count, the paper's V = n/2). Recomputed here with
    # lgamma for log2 G and the union formula with exact Sauer sums, scanning M = 1..200:
    # n = 5^9, V = floor(n/2). With the DAG count as well (the union route now), the same scan.
    n = 5 ** 9
    V = n // 2
    layered, both = {}, {}
    for alpha in ("0.25", "0.3"):
        target = lgamma_log2_G(n, V, alpha)
        for out, counts in ((layered, ("layered",)), (both, ("layered", "dag"))):
            out[alpha] = scan_M(lambda M: (union_cap_float(M, 10, V, counts) or math.inf)
                                < target, 200) + 1
        assert solve(10, "0.1", alpha, route=LayeredOnlyUnion()).N_d.exact == layered[alpha]
        assert solve(10, "0.1", alpha).N_d.exact == both[alpha]
    assert layered == {"0.25": 92, "0.3": 69}
    assert both["0.25"] >= 92 and both["0.3"] >= 69


def test_d10_eps_tenth_alpha_tenth_independent():
    # the headline example: d = 10, eps = 1/10, alpha = 1/10, V = n/2, union route. Layered
    # count alone: N_d = 133 (the value before the DAG count); with the DAG count: 134.
    n = 5 ** 9
    V = n // 2
    target = lgamma_log2_G(n, V, "0.1")
    got = [scan_M(lambda M: (union_cap_float(M, 10, V, c) or math.inf) < target, 200) + 1
           for c in (("layered",), ("layered", "dag"))]
    assert got == [133, 134]
    assert solve(10, "0.1", "0.1").N_d.exact == 134


@pytest.mark.parametrize("alpha", ["1/4", "0.3", "0.45"])
@pytest.mark.parametrize("n", [7, 12, 20, 33, 50])
def test_best_V_D_min_brute_force_large_alpha(n, alpha):
    # d = 2, K = n: the VC route's D_min at V = 'best' is the max over every V in [1, c] of the
    # linear-scan D_min of the exact G (G <= 1 gives 0).
    c = math.ceil((1 - Fraction(alpha)) * n)
    best = max(brute_d_min(V, brute_G(n, V, alpha)) for V in range(1, c + 1))
    r = solve(2, Fraction(1, 2 * n), alpha, route="dense", V="best")
    assert r.n == n and r.D_min.exact == best


@pytest.mark.parametrize("d, K, alpha", [(2, 2000, "1/4"), (2, 2000, "0.3"), (3, 50, "0.3"),
                                         (2, 20000, "0.45"), (3, 150, "0.45")])
def test_union_best_V_certificate_by_brute_force(d, K, alpha):
    # The solver's (V, M) is a certificate: with the exact G at its V, the union bound at M is
    # below log2 G. And no V in [1, c] rules out M + 1: brute force over every V, with log2 G
    # accumulated from G(1) = 2c/n by the exact ratio G(V+1)/G(V) = 2 (c - V)/(n - V).
    n = K ** (d - 1)
    c = math.ceil((1 - Fraction(alpha)) * n)
    r = solve(d, Fraction(1, 2 * K), alpha, V="best")
    assert r.n == n and r.M >= 1      # the cases are chosen so that something is certified
    assert union_cap_float(r.M, d, r.V) < log2_frac(brute_G(n, r.V, alpha)) - 1e-9
    logG, x = {}, math.log2(2 * c / n)
    for V in range(1, c + 1):
        logG[V] = x
        x += math.log2(2 * (c - V) / (n - V)) if V < c else 0.0
    assert abs(logG[r.V] - log2_frac(brute_G(n, r.V, alpha))) < 1e-6
    nxt = r.M + 1
    assert all((union_cap_float(nxt, d, V) or math.inf) >= logG[V] - 1e-6 for V in logG)


def test_half_V_says_why_G_at_most_2():
    # alpha = 0.4 > 0.3531: log2 G(n/2)/n -> 1/2 + 0.6 H(5/6) - 1 = -0.1099 < 0 (by hand), so
    # V = n/2 gives nothing while V = 'best' certifies something
    r = solve(10, 0.1, 0.4)
    assert r.N_d.exact == 0 and r.log2_G < 0
    assert any("V = 'best'" in note and "(1 - 2 alpha) n" in note for note in r.notes)
    assert solve(10, 0.1, 0.4, V="best").N_d.exact >= 2


@pytest.mark.parametrize("alpha", [0.5, "1/2", 0.75, 1])
def test_alpha_half_and_above_refused(alpha):
    with pytest.raises(NoBoundError, match="constant classifier"):
        solve(5, 0.1, alpha)


def test_alpha_half_and_above_refused_cli(capsys):
    from vcbound.cli import main

    assert main(["solve", "--d", "5", "--eps", "0.1", "--alpha", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "'alpha' must be in (0, 1/2)" in err and "constant classifier" in err
    assert err.count("\n") == 1


# ------------------------------------------------------------------------------------------
# 2. denser separated sets
# ------------------------------------------------------------------------------------------
def _enumerate_checkerboard(m, J):
    return [z for z in itertools.product(range(J + 1), repeat=m) if sum(z) % 2 == 0]


@pytest.mark.parametrize("m", [1, 2, 3, 4])
@pytest.mark.parametrize("eps", ["0.5", "0.3", "0.25", "0.2", "0.12", "0.1"])
def test_checkerboard_count_by_enumeration(m, eps):
    from vcbound.separated import checkerboard_size

    e = Fraction(eps)
    # J = floor(1/(sqrt 2 eps)): the largest J with (sqrt 2 eps J)^2 = 2 eps^2 J^2 <= 1
    J = max(j for j in range(100) if 2 * e * e * j * j <= 1)
    pts = _enumerate_checkerboard(m, J)
    assert checkerboard_size(m, eps) == len(pts)
    # separation, exactly: |t z - t z'|^2 = 2 eps^2 |z - z'|^2 >= (2 eps)^2 iff |z - z'|^2 >= 2
    if len(pts) <= 400:
        assert all(sum((a - b) ** 2 for a, b in zip(p, q)) * 2 * e * e >= 4 * e * e
                   for p, q in itertools.combinations(pts, 2))


@pytest.mark.parametrize("eps", ["0.1", "0.05", "0.15", "0.01"])
def test_covering_bound_direct_m2_m3(eps):
    from vcbound.separated import covering_size

    r = 2 * float(Fraction(eps))
    two, three = 1 / (math.pi * r * r), 3 / (4 * math.pi * r ** 3)   # 1/vol(B_2), 1/vol(B_3)
    for m, direct in ((2, two), (3, three)):
        assert abs(direct - round(direct)) > 1e-6          # not at an integer: floor is safe
        assert covering_size(m, eps) == math.floor(direct)


def test_covering_bound_huge_m_log_domain():
    from vcbound.separated import covering_size

    # m = 9999, eps = 1e-6: log2(1/vol) = (lgamma(m/2 + 1) - (m/2) ln pi - m ln(2e-6)) / ln 2
    m, r = 9999, 2e-6
    x = (math.lgamma(m / 2 + 1) - m / 2 * math.log(math.pi) - m * math.log(r)) / math.log(2)
    n = covering_size(m, "1e-6")
    assert abs((n.bit_length() - 1) - x) < 1.0 + 1e-6 * x    # 2^(bits-1) <= n <= 2^x
    assert n.bit_length() - 1 <= x


@pytest.mark.parametrize("m, eps", [(1, "0.1"), (2, "0.1"), (3, "0.25"), (2, "0.3")])
def test_sharp_grid_separated_and_counted(m, eps):
    from vcbound.separated import sharp_grid_size

    e = Fraction(eps)
    K = math.floor(1 / (2 * e))
    pts = list(itertools.product([Fraction(i, K) for i in range(K + 1)], repeat=m))
    assert sharp_grid_size(m, eps) == len(pts) == (K + 1) ** m
    assert all(max(abs(a - b) for a, b in zip(p, q)) >= 2 * e
               for p, q in itertools.combinations(pts, 2))
    # maximality (the boxes of side 1/(K+1) are narrower than 2 eps)
    assert Fraction(1, K + 1) < 2 * e


def test_separated_set_choice_and_report():
    from vcbound.separated import separated_set

    # m = 9, eps = 0.1: grid 6^9 = 10077696; lattice J = 7: 8^9/2 = 67108864;
    # covering: Gamma(5.5)/(pi^4.5 0.2^9) = 52.34 / (172.4 * 5.12e-7) = 592,900 (lgamma below)
    s = separated_set(9, 0.1, "sharp", "l2")
    assert s.candidates["sharp grid"] == 6 ** 9
    assert s.candidates["checkerboard lattice"] == 8 ** 9 // 2
    cover = math.exp(math.lgamma(5.5) - 4.5 * math.log(math.pi) - 9 * math.log(0.2))
    assert s.candidates["covering bound"] == math.floor(cover)
    assert s.kind == "checkerboard lattice" and s.n == 8 ** 9 // 2
    assert separated_set(9, 0.1, "sharp", "linf").n == 6 ** 9
    assert separated_set(9, 0.1, "paper", "l2").n == 5 ** 9
    r = solve(10, 0.1, 0.1, points="sharp", norm="l2")
    assert r.n == 8 ** 9 // 2 and r.point_set.kind == "checkerboard lattice"
    data = r.to_dict()
    assert data["points"] == "sharp" and data["norm"] == "l2"
    assert "checkerboard" in data["point_set"] and "l_2" in data["statement"]


def test_sharp_sets_rule_out_more():
    # more points, same everything else: N_d grows (d = 10, eps = 0.1, alpha = 0.1)
    paper = solve(10, 0.1, 0.1).N_d
    sharp = solve(10, 0.1, 0.1, points="sharp").N_d
    l2 = solve(10, 0.1, 0.1, points="sharp", norm="l2").N_d
    assert paper < sharp < l2
    # d = 100: the covering bound wins by far (m = 99: 1.7e108 points vs 6^99 = 1.1e77)
    big = solve(100, 0.1, 0.1, points="sharp", norm="l2")
    assert big.point_set.kind == "covering bound" and not big.point_set.constructed
    assert any("not constructed" in note for note in big.notes)
    assert big.N_d > solve(100, 0.1, 0.1, points="sharp").N_d


@pytest.mark.parametrize("kwargs, message", [
    ({"points": "dense"}, "'points' must be one of 'paper', 'sharp'"),
    ({"norm": "l1"}, "'norm' must be one of 'linf', 'l2'"),
    ({"theorem": "3.3"}, "'theorem' must be one of '4.3', '3.4'"),
    ({"theorem": "4.4"}, "'theorem'"),
])
def test_bad_set_and_theorem_names(kwargs, message):
    with pytest.raises(VCBoundError, match=re.escape(message)):
        solve(5, 0.1, 0.1, **kwargs)


@pytest.mark.parametrize("argv, message", [
    (["--points", "dense"], "'points' must be one of"),
    (["--norm", "l1"], "'norm' must be one of"),
    (["--theorem", "5.5"], "'theorem' must be one of"),
])
def test_bad_set_and_theorem_names_cli(capsys, argv, message):
    from vcbound.cli import main

    for cmd in ("solve", "table"):
        assert main([cmd, "--d", "5", "--eps", "0.1", "--alpha", "0.1"] + argv) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


# ------------------------------------------------------------------------------------------
# 3. Theorem 3.4
# ------------------------------------------------------------------------------------------
def test_theorem_34_every_labelling_is_a_separated_pair():
    # d = 2, K = 2: the grid {1/2, 1}^2; each of the 16 labellings splits it into A, B that are
    # 2eps-separated (eps = 1/4) in l_inf, so a zero-error class for all such pairs shatters it
    pts = [(Fraction(i, 2), Fraction(j, 2)) for i in (1, 2) for j in (1, 2)]
    for labels in itertools.product((-1, 1), repeat=4):
        A = [p for p, y in zip(pts, labels) if y == 1]
        B = [p for p, y in zip(pts, labels) if y == -1]
        assert all(max(abs(a - b) for a, b in zip(p, q)) >= Fraction(1, 2) for p in A for q in B)
    r = solve(2, 0.25, theorem="3.4")
    assert (r.n, r.V, r.G, r.D_min.exact) == (4, 4, 16, 4)


@pytest.mark.parametrize("d, K", [(2, 3), (2, 30), (2, 300), (3, 10), (3, 40), (4, 8), (5, 5)])
def test_theorem_34_tiny_d_linear_scan(d, K):
    # alpha = 0, V = n = K^d, log2 G = n, D_min = n: linear scans of the independent formulas
    n = K ** d
    eps = Fraction(1, 2 * K)
    M_union = scan_M(lambda M: (union_cap_float(M, d, n) or math.inf) < n, 300)
    M_dense = scan_M(lambda M: dense_vc_float(M, d) < n, 100)
    r = solve(d, eps, theorem="3.4")
    assert (r.n, r.V, r.c, r.alpha) == (n, n, n, 0)
    assert r.M == M_union and r.N_d.exact == M_union + 1
    assert solve(d, eps, None, route="dense", theorem="3.4").M == M_dense
    # G = 2^n > 2 rules out the constant classifiers at least
    assert r.N_d.exact >= 1


@pytest.mark.parametrize("d", [3, 4, 6])
def test_theorem_34_exponent_matches_paper(d):
    # Derived by hand: with G = 2^n, V = n, the union bound ~ 2 M^2 log2(e n / 2) < n gives
    # M^2 ~ n / (2 log2(e n/2)), so d ln M / d ln K = d/2 - d / (2 ln(e n/2)) with n = K^d:
    # the slope over K in [20, 500] lies in [d/2 - d/(2 ln(e n_min/2)), d/2 - d/(2 ln(e n_max/2))]
    # up to lower-order terms (slack 0.02). The paper's order (2 eps)^(-d/2) (d ln(1/(2 eps)))^-1/2
    # = K^(d/2) (d ln K)^(-1/2) has slope d/2 - 1/(2 ln K) = d/2 - d/(2 ln n): equal to O(1/ln n).
    Ks = (20, 50, 100, 200, 500)
    ours = fit_exponent([(K, solve(d, Fraction(1, 2 * K), theorem="3.4").N_d.log2) for K in Ks])
    paper = fit_exponent([(K, d / 2 * math.log2(K) - 0.5 * math.log2(d * math.log(K)))
                          for K in Ks])
    lo = d / 2 - d / (2 * math.log(math.e * Ks[0] ** d / 2)) - 0.02
    hi = d / 2 - d / (2 * math.log(math.e * Ks[-1] ** d / 2)) + 0.02
    assert lo <= ours <= hi
    assert abs(ours - paper) < 0.05


def test_theorem_34_alpha_rules():
    assert solve(4, 0.1, 0, theorem="3.4").N_d == solve(4, 0.1, theorem="3.4").N_d
    with pytest.raises(VCBoundError, match="'alpha' must be 0 or omitted"):
        solve(4, 0.1, 0.1, theorem="3.4")
    with pytest.raises(VCBoundError, match="'alpha' is required"):
        solve(4, 0.1)
    t = bound_table([3, 4], [0.1, 0.05], routes="union,union-dag,dense", theorem="3.4")
    assert t.columns[-1] == "d/2" and len(t) == 4
    assert all(row[2] == 0 for row in t.table_rows)


# ------------------------------------------------------------------------------------------
# 4. skip connections: the DAG route
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("M", range(1, 9))
@pytest.mark.parametrize("d", [2, 3, 10])
def test_dag_edges_by_enumeration(M, d):
    from vcbound.routes import dag_edges

    # slots 1..M+1; slot j reads input i (d of them) or slot k < j
    edges = [(src, j) for j in range(1, M + 2)
             for src in [("x", i) for i in range(d)] + [("u", k) for k in range(1, j)]]
    assert dag_edges(M, d) == len(edges)
    assert dag_edges(M, d) <= (d + M) * (M + 1)         # the cruder count (d + M)(M + 1)


@pytest.mark.parametrize("M, d, V", [(1, 2, 6), (2, 3, 15), (5, 10, 10 ** 6), (30, 4, 10 ** 9)])
def test_dag_capacity_against_independent_formula(M, d, V):
    ours = float(DagUnionRoute().capacity(M, d, V))
    ref = union_cap_float(M, d, V, counts=("dag",))
    E = sum(d + j - 1 for j in range(1, M + 2))
    if E <= 20000:
        assert ours == pytest.approx(ref, rel=1e-12)
    else:
        assert 0 <= ours - ref <= 4.33 + math.log2(M) / 2
    assert DagUnionRoute().capacity(M, d, (M + 1) * (2 * M + 1) - 1) is None


def test_dag_count_below_layered_count():
    u = UnionRoute()
    for d in (2, 10, 1000):
        for M in list(range(1, 120)) + [10 ** 3, 10 ** 6, 10 ** 30]:
            assert u.log2_pairs_dag(M, d) <= u.log2_pairs_layered(M, d)


def test_union_dag_never_above_union_table():
    # N_d(union-dag) <= N_d(union) on d = 2..40 x eps (issue 19), with V = 'half'
    t = bound_table(range(2, 41), [0.25, 0.1, 0.05, 0.01], 0.1, routes="union,union-dag")
    iu, idag = t.columns.index("N_d union"), t.columns.index("N_d union-dag")
    assert len(t) == 156
    assert all(row[idag] <= row[iu] for row in t.table_rows)
    # and the DAG count never makes union worse than the layered-only count
    # (M >= 2^40 is resolved to relative 2^-40 only, so there the two may differ by that much)
    for d in (5, 10, 20, 40):
        for e in (0.1, 0.05):
            new, old = solve(d, e, 0.1), solve(d, e, 0.1, route=LayeredOnlyUnion())
            assert new.M >= old.M or (old.M >= 2 ** 40 and old.M - new.M <= old.M >> 39)


@pytest.mark.parametrize("d, eps, alpha", [(8, 0.1, 0.1), (12, 0.05, 0.3), (6, 0.1, 0.45)])
def test_union_dag_never_above_union_best_V(d, eps, alpha):
    u = solve(d, eps, alpha, V="best")
    g = solve(d, eps, alpha, V="best", route="union-dag")
    assert g.N_d <= u.N_d


def test_statements_name_the_class():
    u, g, den = (solve(10, 0.1, 0.1, route=r) for r in ("union", "union-dag", "dense"))
    assert "layered ReLU network" in u.statement() and "DAG" not in u.statement()
    assert "any DAG" in g.statement() and "skip connections" in g.statement()
    assert "layered ReLU network" in den.statement()
    for r in (u, g, den):
        assert "nonzero weights" in r.statement()
        assert r.to_dict()["covered_class"] == r.covered_class
    assert solve(10, 0.1, 0.1, route="paper").statement().startswith("ILLUSTRATIVE")


# ------------------------------------------------------------------------------------------
# 5. rule_out and solve(params=...)
# ------------------------------------------------------------------------------------------
def test_rule_out_by_hand():
    from vcbound.fixed_architecture import rule_out

    # [10, 8, 1]: W_1 = 88, W_2 = 97 (cumulative), S = 185, L = 2, R = 8 + 2 = 10, p = 1
    # at V = floor(n/2) = 976562 (n = 5^9): L + S log2(2 e R V / S) = 2 + 185 log2(2e 10
    # 976562 / 185) = 2 + 185 * 18.1350... = 3356.97 (float, by hand), far below log2 G(n/2)
    r = rule_out([10, 8, 1], 10, "0.1", "0.1", V="half")
    cap = 2 + 185 * math.log2(2 * math.e * 10 * 976562 / 185)
    assert r.V == 976562 and float(r.capacity) == pytest.approx(cap, rel=1e-12)
    assert float(r.log2_G) == pytest.approx(lgamma_log2_G(5 ** 9, 976562, "0.1"), rel=1e-9)
    assert r.answer == "ruled out" and r.margin > 0
    assert float(r.margin) == pytest.approx(float(r.log2_G) - cap, rel=1e-9)


def test_rule_out_agrees_with_solve():
    from vcbound.fixed_architecture import rule_out

    # every layered net with <= N_d - 1 nonzero weights is ruled out by solve; so is each such
    # architecture by its own (smaller) bound, at solve's V and at the best V
    for d, eps, alpha in ((10, "0.1", "0.1"), (8, "0.05", "0.3"), (7, "0.05", "0.2")):
        s = solve(d, eps, alpha)
        M = int(s.M)
        assert M >= 9
        k = max(1, M // (d + 1))                 # [d, k, 1]: d k + k <= M weights
        widths = [d, k, 1]
        assert d * k + k <= M
        for V in ("half", "best"):
            assert rule_out(widths, d, eps, alpha, V=V).answer == "ruled out"
        # the same architecture given by its counts (no sharing): L = 2, P = (d + 1) k + k + 1
        P = (d + 1) * k + k + 1
        assert rule_out(params=P, depth=2, units=[k, 1], d=d, eps=eps,
                        alpha=alpha).answer == "ruled out"
        # and solve(params=...) agrees at the boundary
        assert solve(d, eps, alpha, params=M).params_ruled_out
        assert not solve(d, eps, alpha, params=M + 1).params_ruled_out


def test_rule_out_not_ruled_out_and_not_covered():
    from vcbound.architecture import Architecture
    from vcbound.fixed_architecture import rule_out

    # S <= 50 * 10^7 > V: no growth bound at any V <= n = 5^9, and the VC bound exceeds V
    big = rule_out(params=10 ** 7, depth=50, d=10, eps="0.1", alpha="0.1")
    assert big.answer == "not ruled out" and big.margin is None
    assert "proves nothing" in big.statement()
    # [10, 5000, 1] (55000 weights): a bound exists but is above log2 G ([10, 2000, 1] is ruled
    # out: one architecture has a far smaller bound than the union over all of them)
    wide = rule_out([10, 5000, 1], 10, "0.1", "0.1")
    assert rule_out([10, 2000, 1], 10, "0.1", "0.1").answer == "ruled out"
    assert wide.answer == "not ruled out" and wide.margin < 0
    sig = rule_out(Architecture([10, 8, 1], "sigmoid"), 10, "0.1", "0.1")
    assert sig.answer == "not covered" and not sig.covered and not sig.ruled_out
    assert "not covered" in sig.statement().lower() and sig.margin is None


def test_rule_out_weight_sharing_counts():
    from vcbound.fixed_architecture import _counts

    # P = 50 distinct parameters, depth 3, units 4, 2, 1: S <= 3 * 50, R = 4 + 4 + 3 = 11
    c = _counts(None, 50, 3, [4, 2, 1], 10)
    assert (c.S, c.R, c.U) == (150, 11, 7)
    # total units only: R <= L + (L - 1)(U - 1) = 3 + 2 * 6 = 15 >= 11
    assert _counts(None, 50, 3, 7, 10).R == 15
    # no units: every unit has a parameter of its own, U <= P
    assert _counts(None, 50, 3, None, 10).R == 3 + 2 * 49


@pytest.mark.parametrize("kwargs, message", [
    ({"params": 0, "depth": 1}, "'params' must be at least 1"),
    ({"params": -5, "depth": 1}, "'params'"),
    ({"params": 3, "depth": 5}, "'depth' must be at most 'params'"),
    ({"params": 10}, "both 'params'"),
    ({"params": 10, "depth": 2, "units": [3, 2]}, "ending in 1"),
])
def test_rule_out_bad_input(kwargs, message):
    from vcbound.fixed_architecture import rule_out

    with pytest.raises(VCBoundError, match=re.escape(message)):
        rule_out(None, 10, "0.1", "0.1", **kwargs)


@pytest.mark.parametrize("argv, message", [
    (["--params", "0", "--depth", "1"], "'params' must be at least 1"),
    (["--params", "3", "--depth", "5"], "'depth' must be at most 'params'"),
    (["--params", "30"], "--params needs --depth"),
    (["--widths", "9,8,1"], "input dimension 9"),
    (["--widths", "10,8,1", "--alpha", "0.5"], "constant classifier"),
])
def test_rule_out_cli_bad_input(capsys, argv, message):
    from vcbound.cli import main

    base = ["rule-out", "--d", "10", "--eps", "0.1"] + ([] if "--alpha" in argv else
                                                       ["--alpha", "0.1"])
    assert main(base + argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_rule_out_cli_and_solve_params_cli(capsys):
    import json

    from vcbound.cli import main

    assert main(["rule-out", "--widths", "10,8,1", "--eps", "0.1", "--alpha", "0.1",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answer"] == "ruled out" and data["ruled_out"] is True
    assert main(["solve", "--d", "10", "--eps", "0.1", "--alpha", "0.1", "--params", "200",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["params_ruled_out"] is False
    assert main(["solve", "--d", "10", "--eps", "0.1", "--alpha", "0.1", "--params", "0"]) == 2
    assert "'params' must be at least 1" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# monotonicity over the new options (vcbound docs §Solver): N_d non-decreasing in d and 1/eps,
# non-increasing in alpha, for every route, points and norm
# ------------------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_routes = st.sampled_from(["union", "union-dag", "dense", "paper"])
_sets = st.sampled_from([("paper", "linf"), ("sharp", "linf"), ("paper", "l2"), ("sharp", "l2")])
_K = st.sampled_from([1, 2, 3, 4, 5, 7, 10, 16, 25, 60, 100, 400])
_alpha = st.integers(1, 49).map(lambda k: Fraction(k, 100))


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 30), K=_K, alpha=_alpha, route=_routes, pn=_sets,
       V=st.sampled_from(["half", "best"]))
def test_new_options_non_decreasing_in_d(d, K, alpha, route, pn, V):
    kw = dict(route=route, V=V, points=pn[0], norm=pn[1])
    eps = Fraction(1, 2 * K)
    assert solve(d, eps, alpha, **kw).N_d <= solve(d + 1, eps, alpha, **kw).N_d


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 30), K1=_K, K2=_K, alpha=_alpha, route=_routes, pn=_sets)
def test_new_options_non_decreasing_in_inverse_eps(d, K1, K2, alpha, route, pn):
    K1, K2 = sorted((K1, K2))
    kw = dict(route=route, points=pn[0], norm=pn[1])
    assert (solve(d, Fraction(1, 2 * K1), alpha, **kw).N_d
            <= solve(d, Fraction(1, 2 * K2), alpha, **kw).N_d)


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 30), K=_K, a1=_alpha, a2=_alpha, route=_routes, pn=_sets,
       V=st.sampled_from(["half", "best"]))
def test_new_options_non_increasing_in_alpha(d, K, a1, a2, route, pn, V):
    a1, a2 = sorted((a1, a2))
    kw = dict(route=route, V=V, points=pn[0], norm=pn[1])
    eps = Fraction(1, 2 * K)
    assert solve(d, eps, a1, **kw).N_d >= solve(d, eps, a2, **kw).N_d


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 20), K1=_K, K2=_K, route=_routes, pn=_sets)
def test_theorem_34_monotone(d, K1, K2, route, pn):
    K1, K2 = sorted((K1, K2))
    kw = dict(route=route, points=pn[0], norm=pn[1], theorem="3.4")
    small = solve(d, Fraction(1, 2 * K1), **kw).N_d
    assert small <= solve(d, Fraction(1, 2 * K2), **kw).N_d
    assert small <= solve(d + 1, Fraction(1, 2 * K1), **kw).N_d
