"""Double counting, inequality (1) and the best V (vcbound docs §Double counting, §Sauer-Shelah).

Expected values come from brute force over all labellings of tiny grids, from a second formula
(the product form of G), from hand computations (in comments), from the published constants in
vcbound docs §Sauer-Shelah, or from float asymptotics computed independently with scipy.
"""

import itertools
import math
import random
import time
from fractions import Fraction

import mpmath
import pytest
import sympy
from scipy.optimize import brentq, minimize_scalar

from vcbound.double_counting import (EXACT_MAX_N, C_alpha, best_V, growth_lower_bound,
                                     inequality_one, log2_growth_lower_bound, paper_t_check,
                                     sharp_t)
from vcbound.errors import NoBoundError, VCBoundError, VCBoundTypeError

ALPHAS = [Fraction(1, 20), Fraction(1, 10), Fraction(3, 20), Fraction(1, 5)]


def ceil_c(n, alpha):
    return math.ceil((1 - Fraction(alpha)) * n)


def G_product(n, V, alpha):
    """Second method: G = prod_{i<V} 2 (c - i)/(n - i)."""
    c = ceil_c(n, alpha)
    out = Fraction(1)
    for i in range(V):
        out *= Fraction(2 * (c - i), n - i)
    return out


def d_min_scan(m, G):
    """The definition of D_min by a linear scan over cumulative math.comb sums."""
    total, D = 1, 0
    while total < G:
        D += 1
        total += math.comb(m, D)
    return D


def H(t):
    return -t * math.log2(t) - (1 - t) * math.log2(1 - t)


# ---------------------------------------------------------------------------------------------
# G(n, V, alpha)
# ---------------------------------------------------------------------------------------------
def test_pitfall_ceil_not_floor():
    # vcbound docs §Double counting: n = 4, alpha = 0.1: c = ceil(3.6) = 4, V = 2: G = 4 C(4,2)/C(4,2) = 4;
    # floor would give c = 3: 4 C(3,2)/C(4,2) = 4*3/6 = 2 < C_alpha^4 = 1.6^2 = 2.56
    assert growth_lower_bound(4, 2, 0.1) == 4
    assert growth_lower_bound(4, 2, "0.1") == 4
    r = inequality_one(4, 0.1)
    assert r.c == 4 and r.V == 2
    assert r.C_alpha_n.exact == Fraction(64, 25)          # 2.56
    assert r.links == {"G>=middle": True, "middle>=C_alpha^n": True, "G>=C_alpha^n": True}


def test_G_hand_values():
    assert growth_lower_bound(10, 5, 0.1) == 16          # c = 9: 32 * 126 / 252
    assert growth_lower_bound(3, 3, 0.1) == 8            # c = 3 = n: every labelling, 2^3
    assert growth_lower_bound(5, 1, 0.2) == Fraction(8, 5)   # c = 4: 2 * 4 / 5


def test_G_equals_product_form():
    for alpha in ALPHAS:
        for n in range(1, 41):
            for V in range(1, ceil_c(n, alpha) + 1):
                assert growth_lower_bound(n, V, alpha) == G_product(n, V, alpha), (n, V, alpha)


@pytest.mark.parametrize("n", range(2, 7))
@pytest.mark.parametrize("alpha", [Fraction(1, 10), Fraction(1, 5)])
def test_double_counting_by_brute_force(n, alpha):
    # A class F built from all 2^n labellings phi: f_phi agrees with phi on a random set of
    # exactly c points and disagrees elsewhere, so F is (1 - alpha)-accurate on every phi.
    # The claim: some V-subset carries >= G labellings of F, and F realizes >= 2^V C(c, V)
    # labelled V-subsets in total.
    c = ceil_c(n, alpha)
    rng = random.Random(1000 * n + alpha.denominator)
    for _trial in range(3):
        F = set()
        for phi in itertools.product((0, 1), repeat=n):
            good = set(rng.sample(range(n), c))
            F.add(tuple(phi[i] if i in good else 1 - phi[i] for i in range(n)))
        for V in range(1, c + 1):
            patterns = {S: {tuple(f[i] for i in S) for f in F}
                        for S in itertools.combinations(range(n), V)}
            assert max(len(p) for p in patterns.values()) >= growth_lower_bound(n, V, alpha)
            assert sum(len(p) for p in patterns.values()) >= 2**V * math.comb(c, V)


@pytest.mark.parametrize("n, alpha", [(5, Fraction(1, 5)), (6, Fraction(1, 5)),
                                      (7, Fraction(1, 5)), (8, Fraction(1, 5)),
                                      (8, Fraction(1, 10)), (7, Fraction(1, 20))])
def test_double_counting_on_a_small_covering_code(n, alpha):
    # a greedy covering code of Hamming radius n - c is a small class that is (1 - alpha)-
    # accurate on every labelling; the bound must hold for it too
    c = ceil_c(n, alpha)
    r = n - c
    ball = {w: {u for u in range(2**n) if bin(w ^ u).count("1") <= r} for w in range(2**n)}
    uncovered, code = set(range(2**n)), []
    while uncovered:
        best = max(ball, key=lambda w: len(ball[w] & uncovered))
        code.append(tuple((best >> i) & 1 for i in range(n)))
        uncovered -= ball[best]
    assert len(code) < 2**n or r == 0
    for V in range(1, c + 1):
        most = max(len({tuple(f[i] for i in S) for f in code})
                   for S in itertools.combinations(range(n), V))
        assert most >= growth_lower_bound(n, V, alpha)


# ---------------------------------------------------------------------------------------------
# inequality (1)
# ---------------------------------------------------------------------------------------------
def test_inequality_one_fails_for_n_3():
    # n = 3, alpha = 0.1: c = ceil(2.7) = 3, V = 1: G = 2 * 3/3 = 2, middle = 2 (2/2) = 2, but
    # C_alpha^3 = 1.6^1.5 = 2.0239 > 2 (by hand)
    r = inequality_one(3, 0.1)
    assert r.G.exact == 2 and r.middle.exact == 2
    assert r.links == {"G>=middle": True, "middle>=C_alpha^n": False, "G>=C_alpha^n": False}
    assert float(2 ** r.log2_C_alpha_n) == pytest.approx(1.6 ** 1.5, rel=1e-12)
    assert "FAILS" in str(r)


def test_inequality_one_holds_for_every_even_n():
    # by hand: n even, V = n/2: c - V >= (1 - alpha) n - n/2, so 2(c - V)/(n - V) >= 2(1 - 2 alpha)
    # = C_alpha^2 and the middle term is >= C_alpha^(2V) = C_alpha^n; the first link always holds
    for alpha in ALPHAS:
        for n in range(2, 61, 2):
            assert all(inequality_one(n, alpha).links.values()), (n, alpha)


def test_inequality_one_first_link_always_holds():
    # each factor (c - i)/(n - i) decreases in i because c <= n
    for alpha in ALPHAS:
        for n in range(2, 40):
            for V in range(1, min(n - 1, ceil_c(n, alpha)) + 1):
                assert inequality_one(n, alpha, V=V).links["G>=middle"] is True


def test_inequality_one_renders():
    r = inequality_one(10, "0.1")
    d = r.to_dict()
    assert d["G"]["value"] == 16 and d["c"]["value"] == 9 and d["V"]["value"] == 5 and d["G_ge_C_alpha_n"] == "holds"
    assert d["C_alpha"] == "2*sqrt(10)/5"
    latex = r._repr_latex_()
    assert latex.startswith("$") and r"\binom{c}{V}" in latex and r"\checkmark" in latex
    assert "inequality (1)" in str(r).lower() or "Inequality (1)" in str(r)
    assert "n/a" in str(inequality_one(5, 0.1, V=5))       # V = n: middle term is 0/0


def test_inequality_one_huge_n():
    n = 10**7000 + 1
    t0 = time.perf_counter()
    r = inequality_one(n, 0.1)
    assert time.perf_counter() - t0 < 0.5
    assert r.regime == "log"
    assert r.links == {"G>=middle": True, "middle>=C_alpha^n": True, "G>=C_alpha^n": True}
    # log2 C_alpha^n = (n/2) log2 1.6 = 0.33903595... n
    assert float(r.log2_C_alpha_n / n) == pytest.approx(0.5 * math.log2(1.6), rel=1e-14)
    assert "10^(" in str(r)


# ---------------------------------------------------------------------------------------------
# log domain
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [333, 1000, EXACT_MAX_N, EXACT_MAX_N + 1])
def test_log_regime_agrees_with_exact(n):
    for alpha in (Fraction(1, 10), Fraction(1, 5)):
        c = ceil_c(n, alpha)
        for V in (1, 2, n // 7, n // 2, c - 1, c):
            exact = log2_growth_lower_bound(n, V, alpha, regime="exact")
            log = log2_growth_lower_bound(n, V, alpha, regime="log")
            assert exact.regime == "exact" and log.regime == "log" and log.exact is None
            with mpmath.workprec(300):
                true = mpmath.log(exact.exact.numerator, 2) - mpmath.log(exact.exact.denominator, 2)
                assert exact.log2 <= true <= exact.log2_upper
                assert log.log2 <= true <= log.log2_upper
                assert log.log2_upper - log.log2 < 1e-20 * max(1, abs(true))
    assert log2_growth_lower_bound(EXACT_MAX_N, 5, 0.1).regime == "exact"
    assert log2_growth_lower_bound(EXACT_MAX_N + 1, 5, 0.1).regime == "log"


def test_log_regime_huge_n_fast_and_right():
    n = 10**7000
    t0 = time.perf_counter()
    g = log2_growth_lower_bound(n, n // 2, 0.1)
    assert time.perf_counter() - t0 < 0.1
    assert mpmath.isfinite(g.log2) and g.log2 <= g.log2_upper
    # V = n/2, c = 0.9 n: log2 G / n -> 1/2 + 0.9 H(5/9) - 1 = 0.39196845385... (float, by hand)
    assert float(g.log2 / n) == pytest.approx(0.5 + 0.9 * H(5 / 9) - 1, rel=1e-12)
    # the exact G beats the middle term V log2(2 (c - V)/(n - V)) = (n/2) log2 1.6
    assert g.log2 > (n // 2) * mpmath.log(1.6, 2)


# ---------------------------------------------------------------------------------------------
# C_alpha and the paper's constant
# ---------------------------------------------------------------------------------------------
def test_C_alpha():
    c = C_alpha(0.1)
    assert c.expr == 2 * sympy.sqrt(10) / 5                  # sqrt(8/5)
    assert float(c) == pytest.approx(math.sqrt(1.6), rel=1e-15)
    with mpmath.workprec(128):
        assert mpmath.mpf(c) == c.value and c.square == Fraction(8, 5)
    assert C_alpha("0.05").square == Fraction(9, 5)
    for bad in (0.5, "1/2", 0.7):
        with pytest.raises(NoBoundError, match="constant classifier"):
            C_alpha(bad)
    # 1/4 <= alpha < 1/2: returned, but C_alpha <= 1 (square 2 (1 - 2 alpha) = 1, 4/5, 1/5)
    assert [C_alpha(a).square for a in ("1/4", "0.3", "0.45")] == [1, Fraction(4, 5),
                                                                  Fraction(1, 5)]
    assert not any(C_alpha(a).exceeds_one for a in ("1/4", "0.3", "0.45"))
    assert C_alpha("0.2499").exceeds_one
    for bad in (0, -0.1, float("nan"), float("inf")):
        with pytest.raises(VCBoundError):
            C_alpha(bad)


@pytest.mark.parametrize("alpha, published", [("0.1", 0.084654), ("0.05", 0.121859),
                                              ("0.2", 0.022142)])
def test_sharp_t_matches_published(alpha, published):
    t = sharp_t(alpha)
    assert round(float(t), 6) == published                    # vcbound docs §Sauer-Shelah
    assert paper_t_check(alpha, float(t) - 1e-9) and not paper_t_check(alpha, float(t) + 1e-9)


def test_paper_t_check():
    assert paper_t_check(0.1, 0.05)                # the paper's statement at alpha = 0.1
    assert not paper_t_check(0.1, 0.1)
    # by hand: 0.05 ln(e/0.1) = 0.05 * 3.302585 = 0.165129 < ln sqrt(1.6) = 0.235002
    assert paper_t_check("0.1", "0.05")
    with pytest.raises(VCBoundError, match="'t'"):
        paper_t_check(0.1, 0.6)
    with pytest.raises(VCBoundError, match="'t'"):
        paper_t_check(0.1, 0)
    # alpha >= 1/4: ln C_alpha <= 0 < t ln(e/(2t)), the condition fails for every t
    assert not paper_t_check(0.25, 0.001) and not paper_t_check("0.45", "0.5")
    with pytest.raises(NoBoundError):
        paper_t_check(0.5, 0.05)
    with pytest.raises(NoBoundError, match="alpha < 1/4"):
        sharp_t(0.25)


# ---------------------------------------------------------------------------------------------
# best V
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 5, 10, 17, 25, 40, 64, 100, 150])
@pytest.mark.parametrize("alpha", [Fraction(1, 20), Fraction(1, 10), Fraction(1, 5)])
def test_best_V_against_brute_force(n, alpha):
    c = ceil_c(n, alpha)
    brute = {V: d_min_scan(V, G_product(n, V, alpha)) for V in range(1, c + 1)}
    best = max(brute.values())
    r = best_V(n, alpha)
    assert r.d_min.value.exact == best, (n, alpha, r.V)
    assert brute[r.V] == best
    # the integer D_min(V) is unimodal (quasi-concave) in V on these n: golden search is sound
    peak = min(V for V in brute if brute[V] == best)
    seq = [brute[V] for V in range(1, c + 1)]
    assert seq[:peak] == sorted(seq[:peak]) and seq[peak - 1:] == sorted(seq[peak - 1:])[::-1]
    if n >= 2:
        assert r.half.value.exact == brute[n // 2] <= best


def test_best_V_twenty_percent_at_huge_n():
    # vcbound docs §Double counting: about 20% larger than V = n/2 at alpha = 0.1 for large n. Independent float
    # asymptotics: V = v n, log2 G / n -> g(v) = v + 0.9 H(v/0.9) - H(v), and the tight/entropy
    # inversion gives D/n -> v H^{-1}(g(v)/v)
    a = 0.1

    def D_over_n(v):
        g = v + (1 - a) * H(v / (1 - a)) - H(v)
        return v * brentq(lambda t: H(t) - g / v, 1e-15, 0.5, xtol=1e-16)

    opt = minimize_scalar(lambda v: -D_over_n(v), bounds=(0.3, 0.89), method="bounded",
                          options={"xatol": 1e-10})
    ratio = -opt.fun / D_over_n(0.5)
    assert 1.19 < ratio < 1.23
    n = 10**7000
    t0 = time.perf_counter()
    r = best_V(n, a)
    assert time.perf_counter() - t0 < 3.0
    got = float(r.d_min.value.log2 - r.half.value.log2)
    assert got == pytest.approx(math.log2(ratio), abs=1e-7)
    assert float(mpmath.mpf(r.V) / n) == pytest.approx(opt.x, abs=1e-4)


def test_best_V_user_score():
    r = best_V(10**6, 0.1, score=lambda V: -(V - 123457) ** 2)
    assert r.V == 123457 and r.d_min is None and r.score == 0
    r = best_V(10**40, 0.1, score=lambda V: -abs(V - 10**39))
    assert abs(r.V - 10**39) <= 10**39 * 2.0**-45          # relative tolerance 2^-50 of c
    with pytest.raises(VCBoundError, match="callable"):
        best_V(100, 0.1, score=3)


def test_best_V_renders():
    r = best_V(1000, 0.1)
    d = r.to_dict()
    assert d["D_min"]["value"] == 144 and d["D_min_half"]["value"] == 120      # brute force (doctest comment)
    assert "best V" in str(r)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
def test_bad_n_V():
    with pytest.raises(VCBoundError, match="'V' must be in \\[1, c\\]"):
        growth_lower_bound(10, 10, 0.1)                      # c = 9
    for n, V in ((10, 0), (0, 1), (-3, 1), (10, -1)):
        with pytest.raises(VCBoundError):
            growth_lower_bound(n, V, 0.1)
    for n, V in ((10.5, 2), (10, 2.5), (float("nan"), 2), (10, float("inf"))):
        with pytest.raises(VCBoundError):
            log2_growth_lower_bound(n, V, 0.1)
    for n, V in (("10", 2), (10, True), (None, 2)):
        with pytest.raises(VCBoundTypeError):
            log2_growth_lower_bound(n, V, 0.1)
    with pytest.raises(VCBoundError, match="at least 2"):
        inequality_one(1, 0.1)
    with pytest.raises(VCBoundError):
        best_V(0, 0.1)


def test_bad_alpha_and_regime():
    for f in (lambda a: growth_lower_bound(10, 3, a), lambda a: inequality_one(10, a),
              lambda a: best_V(10, a), lambda a: sharp_t(a)):
        with pytest.raises(NoBoundError):
            f(0.5)
        with pytest.raises(VCBoundError):
            f(float("nan"))
        with pytest.raises(VCBoundError):
            f(0)
    with pytest.raises(VCBoundError, match="'regime'"):
        log2_growth_lower_bound(10, 3, 0.1, regime="fast")
    with pytest.raises(VCBoundError, match="n <= 200000"):
        log2_growth_lower_bound(10**6, 3, 0.1, regime="exact")
    with pytest.raises(VCBoundError, match="n <= 200000"):
        growth_lower_bound(10**6, 3, 0.1)
