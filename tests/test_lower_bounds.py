"""Tests of the stronger and broader lower bounds (issue 19): alpha in (0, 1/2), denser separated
sets, Theorem 3.4, the DAG route and rule_out.

Every expected value is derived independently of the code under test: by hand (comments), by
brute force over the definitions (all V, all M, exact binomials, enumeration of lattice points),
or with plain float re-implementations of the formulas (math.lgamma, math.comb).
"""

import math
from fractions import Fraction

import pytest

from vcbound import NoBoundError, VCBoundError
from vcbound.solver import solve

LOG2E = math.log2(math.e)


# ------------------------------------------------------------------------------------------
# independent re-implementations
# ------------------------------------------------------------------------------------------
def brute_G(n, V, alpha):
    """G = 2^V C(c, V) / C(n, V), c = ceil((1 - alpha) n), exact (the paper, inequality (1))."""
    c = math.ceil((1 - Fraction(alpha)) * n)
    return Fraction(2 ** V * math.comb(c, V), math.comb(n, V))


def log2_frac(q):
    q = Fraction(q)
    return math.log2(q.numerator) - math.log2(q.denominator)


def brute_d_min(V, G):
    """min{D : sum_{i<=D} C(V, i) >= G} by a linear scan (0 when G <= 1)."""
    total = 0
    for D in range(V + 1):
        total += math.comb(V, D)
        if total >= G:
            return D
    raise AssertionError("G > 2^V")


def lgamma_log2_G(n, V, alpha):
    """log2 G through math.lgamma (a second method for huge n; absolute error ~1e-6 here)."""
    c = math.ceil((1 - Fraction(alpha)) * n)

    def lb(a, b):
        return (math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1)) / math.log(2)

    return V + lb(c, V) - lb(n, V)


def union_cap_float(M, d, V):
    """The union route's bound (layered count) with the exact Sauer sum, floats; None if V < S."""
    S, R, L = (M + 1) * (2 * M + 1), (M + 1) ** 2, M + 1
    if V < S:
        return None
    E = d * M + M ** 3 + M
    phi = sum(math.comb(E, i) for i in range(M + 1))
    return (math.log2(M + 1) + (M + 1) * math.log2(M) + math.log2(phi) + L
            + S * math.log2(2 * math.e * V * R / S))


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
    # union route, the paper's V = n/2). Recomputed here with lgamma for log2 G and the union
    # formula with the exact Sauer sum, scanning M = 1..200: n = 5^9, V = floor(n/2).
    n = 5 ** 9
    V = n // 2
    expected = {}
    for alpha in ("0.25", "0.3"):
        target = lgamma_log2_G(n, V, alpha)
        expected[alpha] = scan_M(lambda M: (union_cap_float(M, 10, V) or math.inf) < target,
                                 200) + 1
        assert solve(10, "0.1", alpha).N_d.exact == expected[alpha]
    assert expected == {"0.25": 92, "0.3": 69}


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
