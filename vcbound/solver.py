"""The minimal network size N_d of Theorem 4.3, made explicit (vcbound docs §Solver, §Routes).

The paper proves that ReLU networks need ``N_d = Omega((2 eps)^(-(d-1)/6))`` parameters to reach
robust test error below ``alpha`` on the worst labelling of its construction, with unnamed
constants. :func:`solve` runs the proof's chain with explicit numbers:

1. the grid (vcbound docs §Construction): ``K = floor(1/(2 eps))`` from the *exact* rational ``eps``
   (``0.1 -> K = 5``), ``n = K^(d-1)`` points;
2. double counting, inequality (1) (vcbound docs §Double counting): every class that is ``(1 - alpha)``-accurate on
   every labelling realizes ``>= G = 2^V C(c, V) / C(n, V)`` labellings of some ``V`` points,
   ``c = ceil((1 - alpha) n)``;
3. Sauer–Shelah inversion (vcbound docs §Sauer-Shelah): its VC dimension is ``>= D_min``;
4. a *route* (vcbound docs §Routes, :mod:`vcbound.routes`) bounds the capacity of all networks with at
   most ``M`` nonzero weights; ``M`` is *ruled out* when that bound is below ``D_min`` (VC routes)
   or below ``log2 G`` (the growth route ``'union'``);
5. the largest ruled-out ``M`` is found by search, and ``N_d = M + 1`` nonzero weights (hence
   parameters) are necessary.

Numbers are exact integers/Fractions while cheap (``n <=`` :data:`EXACT_N_MAX`, regime
``'exact'``) and rigorous one-sided base-2 logarithms beyond (regime ``'log'``): lower bounds for
``G`` and ``D_min``, upper bounds for capacities, so every "ruled out" is a proof.

Degenerate cases (derived here). The class of networks with no nonzero weight is the two constant
classifiers; it is ruled out exactly when ``G > 2``. If ``G <= 2`` nothing is ruled out and
``N_d = 0`` is reported (the counting does not even exclude a constant classifier). If ``G > 2``
but the route certifies no ``M >= 1``, ``N_d = 1``. With ``eps > 1/4``, ``K = 1`` and the grid is
a single point: ``G = 2`` for every ``d``, so ``N_d = 0`` — and this is the truth, not a
weakness of the bound: a constant classifier (bias only) labels one point either way.

References
----------
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. Why Robust Generalization in Deep Learning is Difficult:
   Perspective of Expressive Power. NeurIPS 2022, Theorem 4.3 and section 4.3.
.. [BHLM] Bartlett, Harvey, Liaw, Mehrabian. JMLR 20(63):1-17, 2019, Theorem 7.
"""

import functools
import math
import sys
from fractions import Fraction

import mpmath

from ._bigint import big, isqrt
from ._guard import Work, check_solver_grid
from ._numbers import BigNumber, log2_int, round_down
from ._result import Result
from ._validation import (check_alpha, check_choice, check_eps, check_integer, check_real,
                          fmt_value)
from .errors import VCBoundError, VCBoundTypeError
from .routes import DagUnionRoute, Route, UnionRoute, get_route

__all__ = [
    "solve",
    "SizeResult",
    "bound_table",
    "BoundTable",
    "grid_size",
    "fit_exponent",
    "clear_caches",
    "EXACT_N_MAX",
    "EXPONENT_DEFINITION",
]

#: Largest n handled in the exact regime by default (exact Fractions, exact Sauer sums).
EXACT_N_MAX = 20_000
#: Largest n for which the exact regime may be forced (beyond it exact G and D_min are too slow).
EXACT_N_FORCE_MAX = 200_000
#: Largest d accepted (n = K^(d-1) is held as an exact integer).
D_MAX = 10**6
#: N_d is resolved to relative precision 2^-RESOLUTION_BITS (exactly when smaller than that).
RESOLUTION_BITS = 40

_REGIMES = ("auto", "exact", "log")
#: Root of 1/2 + (1 - alpha) H(1/(2 (1 - alpha))) = 1 (rounded down): above it, V = n/2 gives
#: log2 G ~ (negative) n for large n (derived here; see vcbound.double_counting).
_HALF_V_LIMIT = Fraction(3530, 10000)
_V_RULES = ("half", "best")
_PREC = 128


# ---------------------------------------------------------------------------------------------
# the grid and inequality (1)
# ---------------------------------------------------------------------------------------------
def grid_size(d, eps):
    """``K = floor(1/(2 eps))`` and ``n = K^(d-1)`` for the grid of Theorem 4.3 (vcbound docs §Construction).

    ``eps`` is taken as the exact rational the user typed (``0.1 -> 1/10``, so ``K = 5``; the
    float 0.1 is slightly above 1/10 and would give 4).

    Examples
    --------
    >>> grid_size(3, 0.1)
    (5, 25)
    >>> grid_size(2, 0.3)     # eps > 1/4: a single grid point
    (1, 1)
    """
    d = _check_d(d)
    eps = check_eps(eps)
    K = math.floor(1 / (2 * eps))
    check_solver_grid(d, K)
    return K, K ** (d - 1)


def _check_d(d):
    return check_integer("d", d, minimum=2, maximum=D_MAX)


@functools.lru_cache(maxsize=8192)
def _log2_G(n, alpha, V, regime):
    """``(log2 G lower bound, G exact or None)`` for inequality (1) (vcbound docs §Double counting)."""
    from .double_counting import log2_growth_lower_bound

    g = log2_growth_lower_bound(n, V, alpha, regime=regime)
    return g.log2, g.exact


@functools.lru_cache(maxsize=4096)
def _d_min(n, alpha, V, regime):
    """The :class:`vcbound.sauer.DMin` lower bound on the VC dimension (vcbound docs §Sauer-Shelah): exact Sauer
    sums in the exact regime, the tight closed form from the log2 G lower bound otherwise."""
    from .sauer import d_min

    log2_G, G = _log2_G(n, alpha, V, regime)
    if regime == "exact":
        return d_min(V, G=G, form="exact")
    return d_min(V, log2_G=log2_G, form="tight")


def _big_lower(M):
    """``M`` as a BigNumber: exact below ``2^RESOLUTION_BITS``, else a log2 rounded down."""
    if M < 1 << RESOLUTION_BITS:
        return BigNumber(exact=M, bound="lower")
    return BigNumber(log2=round_down(log2_int(M, _PREC)), bound="lower")


def _regime_for(n, regime):
    if regime == "auto":
        return "exact" if n <= EXACT_N_MAX else "log"
    if regime == "exact" and n > EXACT_N_FORCE_MAX:
        raise VCBoundError(f"Argument 'regime' = 'exact' needs n = K^(d-1) <= {EXACT_N_FORCE_MAX} "
                           f"(exact G and D_min would be too slow), not n = {_short(n)}; use "
                           "regime 'auto' or 'log'.")
    return regime


def _short(n):
    return BigNumber(exact=n).human()


# ---------------------------------------------------------------------------------------------
# search for the largest ruled-out M
# ---------------------------------------------------------------------------------------------
def _pow2(x):
    """``floor(2^x)`` as an int for a float ``x >= 0`` (64-bit mantissa for large x)."""
    if x < 52:
        return int(2.0 ** x)
    with mpmath.workprec(64):
        return int(mpmath.floor(mpmath.power(2, mpmath.mpf(x))))


class _Checker:
    """``check(M) -> (ruled_out, gap)`` for one route and one instance, memoised."""

    def __init__(self, route, d, V, D_min, log2_G):
        self.route, self.d, self.V, self.D_min, self.log2_G = route, d, V, D_min, log2_G
        self.target_log2 = route.target_log2(D_min, log2_G)
        self.memo, self.caps = {}, {}

    def capacity(self, M):
        hit = self.caps.get(M, self)
        if hit is self:
            hit = self.caps[M] = self.route.capacity(M, self.d, self.V)
        return hit

    def __call__(self, M):
        hit = self.memo.get(M)
        if hit is None:
            cap = self.capacity(M)
            ruled, gap = self.route.compare(cap, self.D_min, self.log2_G, self.target_log2)
            hit = self.memo[M] = (bool(ruled), gap)
        return hit

    @property
    def evaluations(self):
        return len(self.memo)


def _tolerance(lo):
    return max(1, lo >> RESOLUTION_BITS)


class _Coord:
    """Coordinate ``u`` of a size ``M`` for interpolation: ``log2 M`` while the bracket spans more
    than a factor 2 (capacities are close to power laws, so the gap is nearly linear in it),
    ``M`` itself inside a narrow bracket; mpf at a precision that resolves single integers (a
    float ``log2 M`` would round ``M`` to 2^-40 relative and stall the search)."""

    def __init__(self, lo, hi):
        self.wide = hi > 2 * lo
        self.prec = (64 + hi.bit_length().bit_length() + 64) if self.wide else hi.bit_length() + 64

    def u(self, M):
        with mpmath.workprec(self.prec):
            return log2_int(M, self.prec) if self.wide else mpmath.mpf(M)

    def M(self, u):
        with mpmath.workprec(self.prec):
            return int(mpmath.floor(mpmath.power(2, u) if self.wide else u))


def _width(lo, hi):
    """Width of a bracket: log2(hi/lo) when wider than a factor 2, else (hi - lo)/lo."""
    return math.log2(hi) - math.log2(lo) if hi > 2 * lo else (hi - lo) / lo


def _float_root(gap, x_max):
    """Approximate largest ``x`` in ``[0, x_max]`` with ``gap(x) < 0`` for an increasing float
    function (``None`` values count as positive); ``None`` if ``gap(0) >= 0``."""
    def f(x):
        g = gap(x)
        return math.inf if g is None else g

    lo, flo = 0.0, f(0.0)
    if flo >= 0:
        return None
    hi, step = None, 1.0
    while hi is None:
        x = lo + step if x_max is None else min(lo + step, x_max)
        fx = f(x)
        if fx < 0:
            if x_max is not None and x >= x_max:
                return x_max
            lo, flo, step = x, fx, step * 2
        else:
            hi, fhi = x, fx
    side = 0
    for _ in range(200):
        if hi - lo <= 4e-16 * max(1.0, hi):
            break
        if math.isfinite(fhi) and fhi > flo:
            x = lo + (hi - lo) * (-flo) / (fhi - flo)
            if not lo < x < hi:
                x = (lo + hi) / 2
        else:
            x = (lo + hi) / 2
        fx = f(x)
        if fx < 0:
            lo, flo = x, fx
            if side == 1:
                fhi /= 2            # Illinois: keep regula falsi from stalling on one side
            side = 1
        else:
            hi, fhi = x, fx
            if side == 2:
                flo /= 2
            side = 2
    return lo


def _search(check, limit=None, approx=None):
    """Largest ``M >= 1`` with ``check(M)`` ruled out (0 if even ``M = 1`` is not).

    With ``approx`` (a float approximation of the gap at ``M = 2^x``, see
    :meth:`vcbound.routes.Route.approx_log2_capacity`), a float root-find places ``M`` first and
    the rigorous checks only bracket it, galloping from a step of the float's resolution.
    Without it, bracketing by secant extrapolation of the gap in ``x = log2 M`` with at least
    doubling steps in ``x`` (so ``M`` up to ``2^(2^k)`` is bracketed in about ``k`` steps).
    Then the secant through the two latest points gives a root estimate ``r``; we probe
    ``r - e`` and ``r + e``, ``e`` the change of ``r`` since the previous estimate (the secant
    converges superlinearly, so the bracket collapses to ``2e`` quickly), with a bisection step
    whenever an iteration fails to halve the bracket; down to ``hi - lo <= max(1, lo / 2^40)``.
    Only the ``ruled`` flags decide: gaps merely steer, so the returned ``M`` has always been
    checked and found ruled out.
    """
    if approx is not None:
        x = _float_root(approx, None if limit is None else math.log2(max(limit, 1)))
        if x is not None:
            bracket = _bracket_from_guess(check, _pow2(x), x, limit)
            if bracket is None:
                return 0
            lo, hi, recent = bracket
            if hi is None:
                return lo
            return _refine(check, lo, hi, recent)
    ok, g = check(1)
    if not ok:
        return 0
    lo, recent = 1, [(1, g)]
    hi = None
    if limit is not None:
        if limit <= 1:
            return 1
        ok, g = check(limit)
        if ok:
            return limit
        hi = limit
        recent.append((limit, g))
    step = 1.0
    while hi is None:
        xlo = math.log2(lo)
        x_new = xlo + step
        if len(recent) >= 2 and recent[-2][1] is not None and recent[-1][1] is not None:
            (m1, g1), (m2, g2) = recent[-2:]
            x1, x2 = math.log2(m1), math.log2(m2)
            if x2 > x1 and g2 > g1:
                x_new = max(x_new, x2 + 1.05 * (-g2) * (x2 - x1) / (g2 - g1) + 1e-6)
        M = max(lo + 1, _pow2(x_new))
        ok, g = check(M)
        recent.append((M, g))
        if ok:
            lo, step = M, step * 2
        else:
            hi = M
    return _refine(check, lo, hi, recent)


def _bracket_from_guess(check, M0, x, limit):
    """``(lo, hi, recent)`` with ``check(lo)`` ruled and ``check(hi)`` not (``hi`` None: ``lo``
    is the answer, at ``limit``), galloping from ``M0``; ``None`` if not even ``M = 1``."""
    M0 = max(1, M0 if limit is None else min(M0, limit))
    # the float x has absolute error ~ x 2^-52, i.e. relative ~ x 2^-52 in M
    step = max(1, M0 >> max(0, 50 - max(1, int(x)).bit_length()), _tolerance(M0))
    recent = []
    ok, g = check(M0)
    recent.append((M0, g))
    if ok:
        lo = M0
        while True:
            if limit is not None and lo >= limit:
                return lo, None, recent
            hi = lo + step if limit is None else min(lo + step, limit)
            ok, g = check(hi)
            recent.append((hi, g))
            if not ok:
                return lo, hi, recent
            lo, step = hi, step * 4
    hi = M0
    while True:
        if hi == 1:
            return None
        lo = max(1, hi - step)
        ok, g = check(lo)
        recent.append((lo, g))
        if ok:
            return lo, hi, recent
        hi, step = lo, step * 4


def _refine(check, lo, hi, recent):
    """Shrink ``[lo, hi]`` (``check(lo)`` ruled, ``check(hi)`` not) to the tolerance."""
    halve_next, r_prev = False, None
    while hi - lo > _tolerance(lo):
        width = _width(lo, hi)
        probes = []
        (m1, g1), (m2, g2) = recent[-2:]
        if not halve_next and g1 is not None and g2 is not None and g1 != g2:
            co = _Coord(lo, hi)
            with mpmath.workprec(co.prec):
                u1, u2 = co.u(m1), co.u(m2)
                r = u2 - mpmath.mpf(g2) * (u2 - u1) / (mpmath.mpf(g2) - g1)
                ulo, uhi = co.u(lo), co.u(hi)
                if ulo < r < uhi:
                    err = abs(r - co.u(r_prev)) if r_prev is not None else (uhi - ulo) / 8
                    err = max(err, co.u(lo + _tolerance(lo)) - ulo)
                    probes = [co.M(r - err), co.M(r + err) + 1]
                    r_prev = co.M(r)
        if not probes:
            M = isqrt(big(lo) * hi) if hi > 2 * lo else (lo + hi) // 2
            probes = [min(max(M, lo + 1), hi - 1)]
        for M in probes:
            if not lo < M < hi:
                continue
            ok, g = check(M)
            recent.append((M, g))
            if ok:
                lo = M
            else:
                hi = M
                break                      # the root is below this probe: re-estimate
        halve_next = _width(lo, hi) > 0.5 * width and len(probes) > 1
    return lo


def _search_plain(check, limit=None):
    """Plain baseline: doubling ``M = 1, 2, 4, ...`` then integer bisection (same answer as
    :func:`_search` whenever ``M < 2^40``; slower, used by benchmarks and tests)."""
    if not check(1)[0]:
        return 0
    if limit is not None and check(limit)[0]:
        return limit
    lo = 1
    while True:
        M = 2 * lo
        if limit is not None and M >= limit:
            return _bisect(check, lo, limit)
        if not check(M)[0]:
            return _bisect(check, lo, M)
        lo = M


def _bisect(check, lo, hi):
    while hi - lo > _tolerance(lo):
        mid = (lo + hi) // 2
        if check(mid)[0]:
            lo = mid
        else:
            hi = mid
    return lo


# ---------------------------------------------------------------------------------------------
# the result
# ---------------------------------------------------------------------------------------------
class SizeResult(Result):
    """Everything :func:`solve` derived for one ``(d, eps, alpha, route, V)``.

    Attributes
    ----------
    d, eps, alpha : int, Fraction, Fraction
        The inputs (``eps`` and ``alpha`` as the exact rationals typed).
    K, n, c, V : int
        ``K = floor(1/(2 eps))``, ``n = K^(d-1)``, ``c = ceil((1 - alpha) n)``, the subset size.
    V_rule : str
        ``'half'`` (``floor(n/2)``, the paper's), ``'best'`` (searched, vcbound docs §Double counting) or
        ``'given'``.
    log2_G : mpmath.mpf
        Rigorous lower bound on ``log2 G`` (inequality (1)).
    G : Fraction or None
        ``G`` exactly (exact regime only).
    D_min : BigNumber
        Lower bound on the VC dimension (exact int, or a rigorous log2 lower bound).
    route : str
        Route name; ``certified`` says whether it is a proof (``False``: ILLUSTRATIVE).
    M : int
        Largest size (nonzero weights) ruled out: ``-1`` (nothing, not even constants), ``0``
        (only constant classifiers), or the route's certified ``M >= 1``.
    N_d : BigNumber
        ``M + 1``; exact when ``M < 2^40``, otherwise a rigorous log2 lower bound.
    capacity_at_M, capacity_at_M_plus_1 : int, Fraction, mpf or None
        The route's bound at ``M`` and ``M + 1`` (``None``: no bound / not applicable).
    regime : {'exact', 'log'}
    notes : list of str
        Explanations of degenerate or limited cases.

    Examples
    --------
    >>> r = solve(5, 0.05, 0.1)               # K = 10, n = 10^4, exact regime
    >>> r.regime, r.G is not None, r.N_d.exact == r.M + 1
    ('exact', True, True)
    >>> sorted(k for k in r.to_dict() if k in ("K", "n", "N_d", "certified"))
    ['K', 'N_d', 'certified', 'n']

    References
    ----------
    vcbound docs §Solver (what is reported), §Routes (routes); the paper, Theorem 4.3.
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)

    # convenience -----------------------------------------------------------------------------
    @property
    def envelope_text(self):
        """The route's counts at ``M + 1`` as text (built on first use)."""
        return _envelope_text(*self.envelope_args)

    @property
    def D_min(self):
        """Lower bound on the VC dimension (BigNumber; computed on first use for growth routes,
        which do not need it for ``N_d``). Theorem 3.4: ``V`` itself (a shattered set)."""
        if self.theorem == "3.4":
            return BigNumber(exact=self.V)
        return _d_min(*self.dmin_args).value

    @property
    def D_min_form(self):
        if self.theorem == "3.4":
            return "shattered: VCdim >= V (Theorem 3.4, every labelling is realized)"
        dm = _d_min(*self.dmin_args)
        return f"{dm.form} ({dm.regime})"

    @property
    def links(self):
        """Which links of inequality (1) hold for these integers (text; computed on first use)."""
        if self.theorem == "3.4":
            return "n/a (Theorem 3.4: alpha = 0, every labelling of the V points is realized)"
        if "_links_text" not in self.__dict__:
            self._links_text = _links(*self.links_args)
        return self._links_text

    @property
    def log10_N_d(self):
        """``log10 N_d`` as a float rounded down (``-inf`` for ``N_d = 0``)."""
        return self.N_d.log10

    def human(self):
        """Short human form of ``N_d`` (``'3.2e1234'``)."""
        return self.N_d.human()

    @property
    def status(self):
        return "certified" if self.certified else "ILLUSTRATIVE"

    @property
    def covered_class(self):
        """The class of networks the route's certificate covers, in words."""
        return _covered(self.route_obj)

    def statement(self):
        """The proved (or, for illustrative routes, assumed) statement in one sentence: which
        class of networks (layered or any DAG; nonzero weights), which point set, which norm."""
        alpha = _Decimal(self.alpha)
        pset = self.point_set
        if self.M < 0:
            return ("Nothing is ruled out: G <= 2 is already met by the two constant classifiers, "
                    f"so the argument does not show that any weight is needed (N_d = 0).")
        size = "no nonzero weight (constant classifiers)" if self.M == 0 else (
            f"at most M = {self.M_text()} nonzero weights (biases free, so also with at most "
            f"M parameters)")
        nets = f"{self.covered_class} with {size}"
        need = (f"so at least N_d = {self.N_d.human()} nonzero weights (hence parameters) are "
                "necessary")
        if self.theorem == "3.4":
            claim = (f"for some labelling of {pset.description()} in [0, 1]^{self.d}, no "
                     f"{nets} classifies the two classes (2eps-separated in {pset.norm_text}, "
                     f"eps = {_Decimal(self.eps)}) with zero standard error (the paper's Theorem "
                     f"3.4 setting); {need}")
        else:
            claim = (f"every {nets} has robust error > {alpha} (robust radius c eps, any "
                     f"0 < c <= 1, {pset.norm_text}) under the uniform distribution on S_phi for "
                     f"the worst labelling phi of {pset.description()}, d = {self.d}, lifted to "
                     f"heights 1/2 +- eps0 (A_phi, B_phi linearly separable and 2eps-separated; "
                     f"the paper's Theorem 4.3 setting); {need}")
        if not self.certified:
            return f"ILLUSTRATIVE (assumes {self.route_statement}): {claim}."
        return claim[0].upper() + claim[1:] + "."

    def M_text(self):
        return self.M_big.human() if self.M >= 0 else "none"

    @property
    def M_big(self):
        """``M`` as a BigNumber (rounded down when shortened; ``-1``: nothing ruled out)."""
        if self.M < 0:
            return BigNumber(exact=-1, bound="lower")
        return _big_lower(self.M)

    # Result interface ------------------------------------------------------------------------
    def title(self):
        return (f"N_d for d = {self.d}, eps = {_Decimal(self.eps)}, alpha = "
                f"{_Decimal(self.alpha)}: route "
                f"{self.route} ({self.status})")

    def headline(self):
        return "N_d", self.N_d

    def summary(self):
        return (f"d = {self.d}, eps = {_Decimal(self.eps)}, alpha = {_Decimal(self.alpha)}, "
                f"route {self.route}: N_d {'>=' if self.M >= 0 else '='} {self.N_d.human()} "
                f"({self.status})")

    def rows(self):
        cap_label = "VCdim <=" if self.kind == "vc" else "log2 Pi(V) <="
        ill = "" if self.certified else " (ILLUSTRATIVE)"
        G = (BigNumber(exact=self.G, bound="lower") if self.G is not None
             else BigNumber(log2=self.log2_G, bound="lower"))
        rows = [
            ("theorem", "theorem", _THEOREM_TEXT[self.theorem], "which theorem of the paper"),
            ("d", "d", self.d, "input dimension"),
            ("eps", "eps", _Decimal(self.eps), "separation radius (exact rational)"),
            ("alpha", "alpha", _Decimal(self.alpha),
             "tolerated robust error (0: Theorem 3.4, zero standard error)"),
            ("points", "points", self.points, "paper: the paper's grid; sharp: the best "
             "certified set for the norm"),
            ("norm", "norm", self.norm, "norm of the separation and of the robust balls"),
            ("point_set", "separated set", self.point_set.description(),
             "the 2eps-separated set whose labellings are counted"),
            ("K", "K = floor(1/(2 eps))", self.K, "grid points per axis"),
            ("n", f"n = {self.point_set.formula}", BigNumber(exact=self.n),
             "points of the separated set (certified)"),
            ("c", "c = ceil((1 - alpha) n)", BigNumber(exact=self.c),
             "points a (1 - alpha)-accurate class gets right"),
            ("V", "V", BigNumber(exact=self.V), "subset size in inequality (1)"),
            ("V_rule", "V chosen by", _V_RULE_TEXT[self.V_rule], ""),
            ("log2_G", "log2 G (lower bound)", _float_lower(self.log2_G),
             "rounded down; JSON null beyond the double range (G still has it)"),
            ("G", "G = 2^V (shattered)" if self.theorem == "3.4" else "G = 2^V C(c,V)/C(n,V)",
             G, "labellings of some V points every accurate class realizes (lower bound)"),
            ("D_min", "D_min (VCdim >=)", self.D_min,
             "VC-dimension lower bound (Sauer-Shelah inversion; rounded down)"),
            ("D_min_form", "D_min from", self.D_min_form, ""),
            ("inequality_one", "inequality (1)", self.links, ""),
            ("route", "route", self.route, "how networks of size <= M are covered"),
            ("covered_class", "networks covered", self.covered_class,
             "the class every statement is about (layered or any DAG; nonzero weights)"),
            ("certified", "certified", self.certified, "False: ILLUSTRATIVE, not a proof"),
            ("status", "status", self.status + ("" if self.certified else
                                                 f": assumes {self.route_statement}"), ""),
            ("route_bound", "route bound", self.route_statement, ""),
            ("route_source", "source", self.route_source, ""),
            ("compared_with", "compared with", "D_min" if self.kind == "vc" else "log2 G",
             "M is ruled out when the route's bound is below this"),
            ("M", "largest M ruled out", self.M_big,
             "nonzero weights; -1: nothing ruled out, 0: only constant classifiers"),
            ("N_d", "N_d = M + 1" + ill, self.N_d,
             "nonzero weights (hence parameters) necessary; certified lower bound, rounded down"
             if self.certified else "ILLUSTRATIVE: not a proven bound"),
            ("log10_N_d", "log10 N_d", self.log10_N_d, "rounded down; -inf for N_d = 0"),
            ("N_d_human", "N_d (short)", self.N_d.human() + ill, ""),
            ("capacity_at_M", f"bound at M ({cap_label})", _upper_big(self.capacity_at_M),
             "rounded up; None: no bound"),
            ("capacity_at_M_plus_1", f"bound at M + 1 ({cap_label})",
             _upper_big(self.capacity_at_M_plus_1), "not below the target, so M + 1 is not "
             "ruled out; rounded up"),
            ("envelope_at_M_plus_1", "envelope at M + 1", self.envelope_text, ""),
            ("regime", "regime", self.regime, "exact integers or rigorous logarithms"),
            ("evaluations", "capacity evaluations", self.evaluations, ""),
            ("statement", "statement", self.statement(), ""),
        ]
        if getattr(self, "params_query", None) is not None:
            unit = "bits (log2 G minus the bound)" if self.kind == "growth" else (
                "D_min minus the VC bound")
            rows += [
                ("params", "query: at most P nonzero weights", BigNumber(exact=self.params_query),
                 "the size asked about (--params)"),
                ("params_ruled_out", "P ruled out", self.params_ruled_out,
                 f"every {self.covered_class} with at most P nonzero weights fails"
                 if self.params_ruled_out else "not proved (nothing either way)"),
                ("params_margin", "margin at P", self.params_margin,
                 f"{unit}; None: the route has no bound at P"),
            ]
        from .constructions import bracket_rows

        rows += bracket_rows(self)
        rows += [(f"note_{i + 1}", "note", note, "") for i, note in enumerate(self.notes)]
        return rows

    def to_dict(self):
        """JSON-safe dict with the same keys and JSON types for every input (see the vcbound
        docs §JSON schema): big numbers as ``{"value", "log10", "bound", "text"}``
        objects, ``eps``/``alpha`` as floats with their exact text in ``eps_exact`` /
        ``alpha_exact``, ``notes`` a list of strings."""
        out = {k: v for k, v in super().to_dict().items() if not k.startswith("note_")}
        out["eps_exact"] = str(_Decimal(self.eps))
        out["alpha_exact"] = str(_Decimal(self.alpha))
        out["notes"] = list(self.notes)
        return out


def _float_lower(x):
    """``x`` as a lower-bound :class:`vcbound._numbers.Real` (text rounded down; JSON a float
    rounded down, null beyond the double range)."""
    from ._numbers import Real

    return Real(x, "lower")


def _upper_big(x):
    """A route's bound (int, Fraction, mpf or None) as an upper-bound BigNumber."""
    if x is None:
        return None
    if isinstance(x, (int, Fraction)):
        return BigNumber(exact=x, bound="upper")
    if x <= 0:
        return BigNumber(exact=0, bound="upper")
    from ._numbers import round_up

    with mpmath.workprec(_PREC):
        return BigNumber(log2=round_up(mpmath.log(x, 2)), bound="upper")


class _Decimal(Fraction):
    """A Fraction shown as a decimal when it has a finite one (``1/10 -> '0.1'``), in the short
    exact form ``1e-300`` when that decimal would be longer than 40 characters.

    >>> str(_Decimal(1, 10)), str(_Decimal(1, 3)), str(_Decimal(1, 10**300))
    ('0.1', '1/3', '1e-300')
    """

    def __str__(self):
        den = self.denominator
        for p in (2, 5):
            while den % p == 0:
                den //= p
        if den != 1:
            if max(self.numerator.bit_length(), self.denominator.bit_length()) > 128:
                import mpmath  # a rational with huge terms: its value, marked approximate

                with mpmath.workprec(64):
                    value = mpmath.mpf(self.numerator) / self.denominator
                return "about " + mpmath.nstr(value, 6)
            return super().__str__()
        from decimal import Decimal, localcontext

        with localcontext() as ctx:
            ctx.prec = 60
            text = format(Decimal(self.numerator) / Decimal(self.denominator), "f")
        if len(text) > 40:  # 1e-5000 would print 5,000 zeros: the short exact form instead
            from ._validation import fmt_value

            return fmt_value(Fraction(self), limit=40)
        return text

    __repr__ = Fraction.__repr__


_V_RULE_TEXT = {"half": "half: V = max(1, floor(n/2)) (the paper's choice)",
                "best": "best: searched over [1, c] for the largest result (vcbound docs §Double counting)",
                "given": "given by the user",
                "all": "all: V = n (Theorem 3.4: the whole set is shattered, G = 2^n)"}

_THEOREM_TEXT = {
    "4.3": "4.3 (robust error > alpha on linearly separable, 2eps-separated data)",
    "3.4": "3.4 (zero standard error on every pair of 2eps-separated sets)",
}

#: Accepted ``theorem`` choices.
THEOREMS = ("4.3", "3.4")


def _covered(route):
    return getattr(route, "covered_class", None) or (
        "network embedded in the route's envelope (user route)")


# ---------------------------------------------------------------------------------------------
# solve
# ---------------------------------------------------------------------------------------------
def _check_V(V):
    if isinstance(V, str):
        return check_choice("V", V.strip(), _V_RULES)
    return check_integer("V", V, minimum=1)


def solve(d, eps, alpha=None, route="union", V="half", *, C=1, regime="auto", search="fast",
          points="paper", norm="linf", theorem="4.3", params=None):
    """The largest network size the chosen route rules out, and ``N_d = M + 1`` (vcbound docs §Solver).

    Parameters
    ----------
    d : int
        Input dimension, ``2 <= d <= 10^6``.
    eps : real in (0, 1/2]
        Separation/robustness radius, taken exactly as typed (``0.1 -> 1/10``).
    alpha : real in (0, 1/2)
        Tolerated robust error. Every ``alpha < 1/2`` can give a bound (the paper's last link
        ``C_alpha^n`` needs ``alpha < 1/4``, ``G`` itself does not); beyond ``alpha ~ 0.353``
        the paper's ``V = n/2`` gives ``G <= 2`` for large ``n`` and ``V='best'`` is needed.
        ``alpha >= 1/2`` is refused (:class:`~vcbound.errors.NoBoundError`): a constant
        classifier is correct on half of every labelling.
    route : {'union', 'dense', 'paper'} or vcbound.routes.Route, default 'union'
        How networks with ``<= M`` nonzero weights are covered (:mod:`vcbound.routes`).
        ``'paper'`` is ILLUSTRATIVE (assumes ``VCdim <= C W^2``).
    V : {'half', 'best'} or int, default 'half'
        Size of the subsets in inequality (1): the paper's ``floor(n/2)`` (``max(1, .)``), the
        best value for this route (vcbound docs §Double counting sharpening; for VC routes the ``V`` maximising
        ``D_min``, for ``'union'`` the ``V`` maximising ``M``), or a given ``1 <= V <= c``.
    C : positive real, default 1
        Constant of the ``'paper'`` route.
    regime : {'auto', 'exact', 'log'}, default 'auto'
        ``'exact'``: exact ``G`` and ``D_min`` (``n <= 200000``); ``'log'``: rigorous one-sided
        logarithms; ``'auto'``: exact while ``n <= 20000``.
    search : {'fast', 'plain'}, default 'fast'
        Search for ``M``: interpolating (few capacity evaluations) or plain doubling and
        bisection (the baseline). Both return the same ``M`` below ``2^40``.
    points : {'paper', 'sharp'}, default 'paper'
        The separated set labelled (:func:`vcbound.separated.separated_set`): the paper's grid
        ``K^(d-1)`` (so that intermediates match the paper), or the best certified set for the
        norm (l_inf: the grid ``{0, 1/K, ..., 1}^(d-1)``, ``(K+1)^(d-1)`` points, the maximum;
        l_2: the largest of that grid, the scaled checkerboard lattice and the covering bound).
    norm : {'linf', 'l2'}, default 'linf'
        The norm of the separation and of the robust balls (Theorem 4.3 holds for both).
    theorem : {'4.3', '3.4'}, default '4.3'
        ``'3.4'``: the paper's Theorem 3.4 (classify every pair of 2eps-separated sets in
        ``[0, 1]^d`` with zero standard error): the set lives in ``[0, 1]^d`` (``m = d``) and is
        shattered, so ``alpha = 0`` (pass ``None`` or 0), ``V = n`` and ``G = 2^n``.
    params : int, optional
        Also answer "is every network of the route's class with at most ``params`` nonzero
        weights ruled out?": ``.params_ruled_out`` and ``.params_margin`` (``log2 G`` minus the
        route's bound at ``params`` for growth routes, ``D_min`` minus it for VC routes; ``None``
        where the route has no bound). For one fixed architecture use :func:`vcbound.rule_out`.

    Returns
    -------
    SizeResult
        Renders as text (``str``), dict/JSON (``to_dict``/``to_json``) and LaTeX (Jupyter).

    Raises
    ------
    VCBoundError
        ``d < 2`` or not an integer, ``eps`` outside ``(0, 1/2]``, ``alpha <= 0`` (or missing for
        Theorem 4.3, or nonzero for Theorem 3.4), an unknown route, theorem, points or norm,
        ``V`` outside ``[1, c]``, ``regime='exact'`` for a huge ``n``.
    NoBoundError
        ``alpha >= 1/2``.

    Notes
    -----
    The search needs the route's capacity to be non-decreasing in ``M`` (proved for the shipped
    routes in :mod:`vcbound.routes`). It is safe regardless: the reported ``M`` has itself been
    checked, and every smaller size is ruled out too because networks with fewer weights are
    among those with more — a non-monotone user route can only make the answer smaller, never
    wrong. ``M`` is exact below ``2^40`` and resolved to relative precision ``2^-40`` above (then
    ``N_d`` is reported as a rigorous lower bound in log form).

    Examples
    --------
    ``eps = 0.1`` means exactly 1/10, so ``K = 5`` (not 4):

    >>> r = solve(10, 0.1, 0.1)
    >>> r.K, r.n == 5**9, r.route, r.certified, r.regime
    (5, True, 'union', True, 'log')
    >>> r.N_d > 1
    True
    >>> solve(10, 0.1, 0.1, route="paper").status
    'ILLUSTRATIVE'
    >>> solve(3, 0.3, 0.1).N_d      # eps > 1/4: one grid point, a constant classifier suffices
    BigNumber(0)

    Denser sets and Theorem 3.4:

    >>> solve(10, 0.1, 0.1, points="sharp").n == 6**9          # (K + 1)^(d-1)
    True
    >>> r = solve(4, 0.1, theorem="3.4")                          # 5^4 points of [0, 1]^4
    >>> r.n, r.V, r.alpha
    (625, 625, Fraction(0, 1))
    """
    d = _check_d(d)
    eps = check_eps(eps)
    theorem = _check_theorem(theorem)
    alpha = _check_alpha_for(alpha, theorem)
    regime = check_choice("regime", regime, _REGIMES)
    V = _check_V(V)
    search = check_choice("search", search, ("fast", "plain"))
    C = check_real("C", C, 0, low_open=True)
    route_obj = get_route(route, C)
    pset = _point_set(d, eps, points, norm, theorem)
    if isinstance(route, str):
        fields = _core_cached(d, pset, alpha, route_obj.name,
                              Fraction(C) if route_obj.name == "paper" else None, V, regime,
                              search, theorem)
    else:
        fields = _core(d, pset, alpha, route_obj, V, regime, search, theorem)
    result = SizeResult(eps=eps, **fields)
    if params is not None:
        _answer_params(result, check_integer("params", params, minimum=1))
    return result


def _answer_params(result, P):
    """Fill ``params_*`` of ``result``: is every network of the class with <= P nonzero weights
    ruled out? Sizes up to M are (the route's bound is non-decreasing in the size); above M the
    route's bound at P is compared directly, and the margin reported."""
    route = result.route_obj
    if result.M < 0:
        cap, ruled, margin = None, False, None
    else:
        cap = route.capacity(P, result.d, result.V)
        D_min = result.D_min if route.kind == "vc" else None
        ruled = P <= result.M or route.compare(cap, D_min, result.log2_G)[0]
        margin = None
        if cap is not None:
            with mpmath.workprec(_PREC):
                if route.kind == "growth":
                    margin = result.log2_G - cap
                elif D_min.exact is not None:
                    margin = mpmath.mpf(D_min.exact) - cap
    result.params_query, result.params_capacity = P, cap
    result.params_ruled_out, result.params_margin = bool(ruled), margin


def _check_theorem(theorem):
    text = theorem.strip() if isinstance(theorem, str) else (
        str(theorem) if isinstance(theorem, (int, float)) and not isinstance(theorem, bool)
        else theorem)
    return check_choice("theorem", text, THEOREMS)


def _check_alpha_for(alpha, theorem):
    """alpha as a Fraction: in (0, 1/2) for Theorem 4.3; 0 (or None) for Theorem 3.4."""
    if theorem == "3.4":
        if alpha is None or (not isinstance(alpha, str) and not isinstance(alpha, bool)
                             and alpha == 0) or (isinstance(alpha, str) and alpha.strip() in
                                                 ("0", "0.0")):
            return Fraction(0)
        raise VCBoundError(f"Argument 'alpha' must be 0 or omitted for theorem '3.4' (zero "
                           f"standard error: the set is shattered), not {fmt_value(alpha)}.")
    if alpha is None:
        raise VCBoundError("Argument 'alpha' is required for theorem '4.3' (the tolerated robust "
                           "error, in (0, 1/2)).")
    return check_alpha(alpha)


def _point_set(d, eps, points, norm, theorem):
    """The separated set labelled: in [0, 1]^(d-1) (Theorem 4.3, lifted) or [0, 1]^d (3.4)."""
    from .separated import separated_set

    if theorem == "3.4":
        return separated_set(d, eps, points, norm, dim_name="d")
    return separated_set(d - 1, eps, points, norm, dim_name="(d-1)")


@functools.lru_cache(maxsize=4096)
def _core_cached(d, pset, alpha, route_name, C, V, regime, search, theorem):
    return _core(d, pset, alpha, get_route(route_name, 1 if C is None else C), V, regime, search,
                 theorem)


def _largest_M(route, d, V, D_min, log2_G, search):
    """``(M, checker)``: ``-1`` when ``G <= 2`` (the constant classifiers realize 2 labellings,
    so nothing is ruled out), else the route's largest ruled-out ``M >= 0``."""
    if not log2_G > 1:      # log2_G is a lower bound (exact G = 2 gives 1 - 2^-100)
        return -1, _Checker(route, d, V, D_min, log2_G)
    return _run_search(route, d, V, D_min, log2_G, search)


def _run_search(route, d, V, D_min, log2_G, search):
    check = _Checker(route, d, V, D_min, log2_G)
    limit = route.max_M(d, V)
    if search == "plain":
        return _search_plain(check, limit), check
    approx = None
    if check.target_log2 is not None:
        target, log2_V = float(check.target_log2), math.log2(V)
        if route.approx_log2_capacity(0.0, d, log2_V) is not None or limit == 0:
            def approx(x):
                a = route.approx_log2_capacity(x, d, log2_V)
                return None if a is None else a - target
    return _search(check, limit, approx), check


def _core(d, pset, alpha, route, V_spec, regime, search, theorem="4.3"):
    K, n = pset.K, pset.n
    c = math.ceil((1 - alpha) * n)
    reg = _regime_for(n, regime)
    notes = []
    if theorem == "3.4":
        return _core_shattered(d, pset, route, V_spec, reg, search)
    if V_spec == "half":
        V, rule = max(1, n // 2), "half"
    elif V_spec == "best":
        V, rule = None, "best"
    else:
        if V_spec > c:
            raise VCBoundError(f"Argument 'V' must be in [1, c] = [1, {_short(c)}] (c = "
                               f"ceil((1 - alpha) n) for n = {_short(n)}), "
                               f"not {fmt_value(V_spec)}.")
        V, rule = V_spec, "given"
    if rule == "best":
        V = _best_V(n, c, alpha, reg, route, d, search)
        if type(route) is UnionRoute:
            # N_d(union) >= N_d(union-dag) must hold for V = 'best' too: also try the V that is
            # best for the DAG count (the union bound is never above the DAG bound at equal V)
            V_dag = _best_V(n, c, alpha, reg, DagUnionRoute(), d, search)
            if V_dag != V:
                Ms = [_largest_M(route, d, v, None, _log2_G(n, alpha, v, reg)[0], search)[0]
                      for v in (V, V_dag)]
                if Ms[1] > Ms[0]:
                    V = V_dag
    log2_G, G = _log2_G(n, alpha, V, reg)
    # D_min is needed by VC routes; growth routes only report it, so it is computed on demand
    D_min = _d_min(n, alpha, V, reg).value if route.kind == "vc" else None
    M, check = _largest_M(route, d, V, D_min, log2_G, search)
    cap_M = check.capacity(M) if M >= 1 else None
    cap_M1 = check.capacity(M + 1) if M >= 0 else None
    env = route.envelope(M + 1, d) if M >= 0 else None
    N_d = _big_lower(M + 1)
    if not N_d.is_exact():
        notes.append(f"M is resolved to relative precision 2^-{RESOLUTION_BITS}; N_d is a "
                     "rigorous lower bound given by its logarithm.")
    notes += _explain(n, V, rule, M, route, d, cap_M1, alpha)
    notes += _set_notes(pset) + _count_notes(route, M, d)
    return dict(
        theorem="4.3", point_set=pset, points=pset.points, norm=pset.norm,
        d=d, alpha=alpha, K=K, n=n, c=c, V=V, V_rule=rule, log2_G=log2_G, G=G,
        dmin_args=(n, alpha, V, reg), links_args=(n, alpha, V, reg),
        route=route.name, route_obj=route, certified=route.certified, kind=route.kind,
        route_statement=route.statement, route_source=route.source, M=M, N_d=N_d,
        capacity_at_M=cap_M, capacity_at_M_plus_1=cap_M1,
        envelope_args=(env,), regime=reg, evaluations=check.evaluations,
        notes=notes)


def _core_shattered(d, pset, route, V_spec, reg, search):
    """Theorem 3.4 (vcbound docs §Theorem 3.4): a class classifying every pair of 2eps-separated
    subsets of ``Z`` with zero error realizes all ``2^n`` labellings of ``Z``, so ``G = 2^V``
    for every ``V <= n`` and ``VCdim >= V``; ``V = n`` is the best choice for every route
    (``log2 G = V`` grows linearly, the capacities only logarithmically in ``V``)."""
    n = pset.n
    if V_spec in ("half", "best"):
        V, rule = n, "all"
    else:
        if V_spec > n:
            raise VCBoundError(f"Argument 'V' must be in [1, n] = [1, {_short(n)}] for theorem "
                               f"'3.4', not {fmt_value(V_spec)}.")
        V, rule = V_spec, "given"
    log2_G = _int_lower(V)
    G = Fraction(1 << V) if reg == "exact" else None
    D_min = BigNumber(exact=V) if route.kind == "vc" else None
    M, check = _largest_M(route, d, V, D_min, log2_G, search)
    cap_M = check.capacity(M) if M >= 1 else None
    cap_M1 = check.capacity(M + 1) if M >= 0 else None
    env = route.envelope(M + 1, d) if M >= 0 else None
    N_d = _big_lower(M + 1)
    notes = []
    if not N_d.is_exact():
        notes.append(f"M is resolved to relative precision 2^-{RESOLUTION_BITS}; N_d is a "
                     "rigorous lower bound given by its logarithm.")
    notes += _explain(n, V, rule, M, route, d, cap_M1, Fraction(0))
    notes += _set_notes(pset) + _count_notes(route, M, d)
    return dict(
        theorem="3.4", point_set=pset, points=pset.points, norm=pset.norm,
        d=d, alpha=Fraction(0), K=pset.K, n=n, c=n, V=V, V_rule=rule, log2_G=log2_G, G=G,
        dmin_args=None, links_args=None,
        route=route.name, route_obj=route, certified=route.certified, kind=route.kind,
        route_statement=route.statement, route_source=route.source, M=M, N_d=N_d,
        capacity_at_M=cap_M, capacity_at_M_plus_1=cap_M1,
        envelope_args=(env,), regime=reg, evaluations=check.evaluations,
        notes=notes)


def _int_lower(V):
    """An mpf ``<= V`` for a positive integer of any size (128-bit mantissa, rounded down)."""
    from mpmath.libmp import from_int

    return mpmath.mpf(from_int(V, _PREC, "f"))


def _count_notes(route, M, d):
    """For the union route: which count of the supports decided (see UnionRoute, point 6)."""
    if type(route) is not UnionRoute or M < 1:
        return []
    src = route.pairs_source(M, d)
    if src == "DAG":
        return ["The supports were counted as for networks on any DAG (one unit order, "
                "Phi_M((M+1)(2d+M)/2) supports), which is smaller than the layered count and "
                "covers layered networks too; the statement is about layered networks, but the "
                "same size is ruled out on any DAG (route 'union-dag')."]
    return ["The supports were counted by the layered count ((M+1) M^(M+1) Phi_M(dM + M^3 + M)), "
            "smaller here than the DAG count."]


def _set_notes(pset):
    if not pset.constructed:
        return [f"The {pset.n.bit_length()}-bit count n of the separated set is certified by the "
                "covering bound (a maximal 2eps-separated set exists and has at least that many "
                "points); its points are not constructed."]
    return []


def _envelope_text(env):
    if env is None:
        return None
    counts = [(label, getattr(env, attr)) for label, attr in
              (("W", "W"), ("L", "L"), ("U", "U"), ("sum W_i", "sum_Wi"), ("R", "R"))]
    # a user-defined envelope may give only some counts (e.g. just W for a c W^k route)
    return f"{env.shape}: " + ", ".join(f"{label} = {BigNumber(exact=value).human()}"
                                        for label, value in counts if value is not None)


def _links(n, alpha, V, regime):
    """Which links of inequality (1) hold for these integers, as text (vcbound docs §Double counting)."""
    from .double_counting import inequality_one

    res = inequality_one(n, alpha, V, regime=regime)
    words = {True: "holds", False: "FAILS", None: "n/a or undecided"}
    parts = [f"{k.replace('>=', ' >= ')}: {words[v]}" for k, v in res.links.items()]
    return "; ".join(parts) + " (the solver uses G itself, the strongest link)"


def _explain(n, V, rule, M, route, d, cap_M1, alpha):
    """Plain-language notes on degenerate or limited results (see the module docstring)."""
    notes = []
    if n == 1:
        notes.append("The separated set is a single point (n = 1; eps > 1/4 gives K = 1 on the "
                     "paper's grid) for every d. G = 2 and a constant classifier (bias only) "
                     "labels one point either way, so nothing can be ruled out: N_d = 0 is the "
                     "truth here, not a weak bound.")
    elif M < 0:
        extra = ""
        if rule == "half" and alpha >= _HALF_V_LIMIT:
            extra = (f" With V = floor(n/2) and alpha = {_Decimal(alpha)} >= 0.3531, "
                     "log2 G(n/2) ~ n (1/2 + (1 - alpha) H(1/(2 (1 - alpha))) - 1) is negative "
                     "for large n: G(V) = 2^V C(c,V)/C(n,V) grows only while V < (1 - 2 alpha) n "
                     "(derived here). Use V = 'best', which searches V in [1, c].")
        elif rule != "best":
            extra = " (V = 'best' may do better)"
        notes.append(f"G <= 2 for V = {_short(V)}: the two constant classifiers already realize "
                     f"2 >= G labellings, so the argument rules out nothing and N_d = 0.{extra}")
    elif M == 0:
        why = ("it has no bound at M = 1 (union route: V < (M + 1)(2M + 1) = 6, where no "
               "bound can beat log2 G <= V)" if cap_M1 is None
               else "its bound at M = 1 is not below the target")
        notes.append(f"G > 2 rules out the constant classifiers (no nonzero weight), but the "
                     f"route certifies no M >= 1: {why}. N_d = 1.")
    limit = route.max_M(d, V)
    if limit is not None and M >= 1 and M == limit:
        notes.append("M reached the route's validity limit (M + 1)(2M + 1) <= V; larger M "
                     "cannot be certified by this route (see vcbound.routes.UnionRoute, point 5).")
    if not route.certified:
        notes.append(f"ILLUSTRATIVE: this route assumes {route.statement}; the number is not a "
                     "proven bound.")
    return notes


def _best_V(n, c, alpha, regime, route, d, search):
    """The ``V`` in ``[1, c]`` giving the largest result for this route (vcbound docs §Double counting)."""
    from .double_counting import best_V

    if route.kind == "vc":
        return _best_V_vc(n, alpha, regime)
    # growth route: alternate "best V for ruling out level M + 1" and "largest M for that V";
    # level 0 is the two constant classifiers (log2 Pi = 1), level M >= 1 the route's bound
    V = max(1, n // 2)
    M = _largest_M(route, d, V, None, _log2_G(n, alpha, V, regime)[0], search)[0]
    for _ in range(8):
        def score(v, level=M + 1):
            v = int(v)
            cap = 1 if level == 0 else route.capacity(level, d, v)
            return mpmath.ninf if cap is None else _log2_G(n, alpha, v, regime)[0] - cap

        cand = _as_int(best_V(n, alpha, score=score))
        if not score(cand) > 0:
            break
        M_new = _largest_M(route, d, cand, None, _log2_G(n, alpha, cand, regime)[0], search)[0]
        if M_new <= M:
            break
        V, M = cand, M_new
    return V


@functools.lru_cache(maxsize=4096)
def _best_V_vc(n, alpha, regime):
    """``V`` maximising ``D_min(V)`` (golden search of :func:`vcbound.double_counting.best_V`
    with this regime's ``D_min``; the real root breaks ties between equal integers)."""
    from .double_counting import best_V

    def score(V):
        dm = _d_min(n, alpha, int(V), regime)
        return (dm.value, dm.continuous)

    return _as_int(best_V(n, alpha, score=score))


def _as_int(v):
    """``best_V`` may return an int or an object with ``.V``."""
    return int(getattr(v, "V", v))


# ---------------------------------------------------------------------------------------------
# tables and fitted exponents
# ---------------------------------------------------------------------------------------------
def fit_exponent(points):
    """Least-squares slope of ``log N_d`` against ``log K`` (``K = floor(1/(2 eps))``).

    This is the fitted exponent ``beta`` in ``N_d ~ const * (1/(2 eps))^beta``: for the usual
    inputs ``1/(2 eps)`` is an integer and equals ``K``, and ``N_d`` depends on ``eps`` only
    through ``K``. Compare it with the paper's ``(d - 1)/6``.

    Parameters
    ----------
    points : iterable of (K, log2 N_d)
        Points with ``K >= 2`` and ``N_d >= 2`` (others are skipped: ``K = 1`` has ``log K = 0``
        and ``N_d <= 1`` means the route certified nothing).

    Returns
    -------
    float or None
        ``None`` with fewer than two distinct ``K``.

    Examples
    --------
    >>> fit_exponent([(2, 3.0), (4, 6.0), (8, 9.0)])   # N_d = K^3 exactly
    3.0
    """
    pts = [(math.log2(K), float(y)) for K, y in points if K >= 2 and y >= 1]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


class BoundTable(Result):
    """A table of :func:`solve` results: one row per ``(d, eps, alpha)``.

    Attributes
    ----------
    columns : list of str
    table_rows : list of list
        Values (BigNumbers for ``n``, ``D_min``, ``N_d``; floats for the fitted ``beta``).
    results : dict
        ``(d, eps, alpha, route) -> SizeResult`` for every cell.
    exponents : dict
        ``(d, alpha, route) -> beta`` (see :func:`fit_exponent`), ``None`` when fewer than two
        ``K`` values certified anything.

    Notes
    -----
    Renders as text (``str``; wrapped blocks repeat ``d, eps, alpha``), markdown, CSV (full
    precision), JSON, booktabs LaTeX (:meth:`render`), HTML in Jupyter and a pandas DataFrame
    (:meth:`to_pandas`).
    """

    #: Columns repeated in every block of a wrapped text table.
    KEY_COLUMNS = ("d", "eps", "alpha")

    def __init__(self, columns, table_rows, results, exponents, routes, V):
        self.columns, self.table_rows = columns, table_rows
        self.results, self.exponents, self.routes, self.V = results, exponents, routes, V
        self.theorem, self.points, self.norm = "4.3", "paper", "linf"

    def __len__(self):
        return len(self.table_rows)

    def title(self):
        return f"N_d by route ({', '.join(r.label for r in self.routes)}), V = {self.V}"

    def caption(self):
        """One line: what ``N_d`` counts, that it is a certified lower bound, how it is rounded."""
        text = ("N_d = nonzero weights needed for robust error < alpha: certified lower bound, "
                "rounded down")
        if not all(r.certified for r in self.routes):
            text += "; (ILLUSTRATIVE) columns are not proofs"
        return text + "."

    def render(self, fmt="text", width="terminal"):
        """The table as text, markdown, csv, json or latex (:func:`vcbound._tables.render_table`).

        ``width``: line width of text output (``'terminal'``: the terminal's; None: never wrap,
        as for files)."""
        from ._tables import TABLE_FORMATS, render_table

        fmt = check_choice("format", fmt, TABLE_FORMATS)
        rows = self.table_rows
        if fmt in ("text", "markdown"):   # JSON and CSV keep null/empty; text says n/a
            rows = [["n/a" if v is None else v for v in row] for row in rows]
        keys = sum(1 for c in self.columns[:len(self.KEY_COLUMNS)] if c in self.KEY_COLUMNS)
        return render_table(self.columns, rows, fmt, key_columns=keys, width=width,
                            caption=self.caption() if fmt in ("text", "markdown", "latex")
                            else None)

    def headline(self):
        return "cells", len(self.results)

    def summary(self):
        return (f"{len(self)} rows x {len(self.routes)} route(s) "
                f"({', '.join(r.label for r in self.routes)}); N_d certified lower bounds"
                + ("" if all(r.certified for r in self.routes) else ", some ILLUSTRATIVE"))

    def rows(self):
        return [(f"row_{i}", ", ".join(f"{c}={v}" for c, v in zip(self.columns[:3], row[:3])),
                 dict(zip(self.columns, row))) for i, row in enumerate(self.table_rows)]

    def to_dict(self):
        """``{"columns": [...], "rows": [{column: value}, ...], "exponent_definition": str}``
        with big numbers as ``{"value", "log10", "bound", "text"}`` objects."""
        from ._numbers import json_safe

        return {"columns": self.columns,
                "rows": [{c: json_safe(v) for c, v in zip(self.columns, row)}
                         for row in self.table_rows],
                "exponent_definition": EXPONENT_DEFINITION}

    def to_pandas(self, form="wide"):
        """The table as a pandas DataFrame (pandas imported on first use).

        Parameters
        ----------
        form : {'wide', 'long'}
            ``'wide'``: the table's columns (big numbers as a float column rounded in their
            direction, NaN beyond the double range, or ``int64`` where every value is an exact
            int64, each followed by ``log10 <column>``). ``'long'`` (tidy): one row per
            ``(d, eps, alpha, route)`` with columns ``d, eps, alpha, route, certified, K, n,
            log10_n, D_min, log10_D_min, N_d, log10_N_d, N_d_exact, beta``.

        Returns
        -------
        pandas.DataFrame
        """
        from ._frames import require_pandas, table_frame

        form = check_choice("form", form, ("wide", "long"))
        if form == "wide":
            return table_frame(self.columns, self.table_rows)
        pd = require_pandas()
        from ._frames import number_of

        recs = []
        for (dd, e, a, route), r in self.results.items():
            n_f, n_lg, _ = number_of(BigNumber(exact=r.n))
            dm_f, dm_lg, _ = number_of(r.D_min)
            nd_f, nd_lg, _ = number_of(r.N_d)
            beta = self.exponents.get((dd, a, route))
            recs.append({"d": dd, "eps": float(e), "alpha": float(a), "route": route,
                         "certified": bool(r.certified), "K": r.K, "n": n_f, "log10_n": n_lg,
                         "D_min": dm_f, "log10_D_min": dm_lg, "N_d": nd_f, "log10_N_d": nd_lg,
                         "N_d_exact": r.N_d.is_exact(),
                         "beta": math.nan if beta is None else float(beta)})
        frame = pd.DataFrame.from_records(recs)
        return frame.astype({"d": "int64", "eps": "float64", "alpha": "float64",
                             "certified": "bool", "K": "int64", "n": "float64",
                             "log10_n": "float64", "D_min": "float64",
                             "log10_D_min": "float64", "N_d": "float64", "log10_N_d": "float64",
                             "N_d_exact": "bool", "beta": "float64"})

    def __str__(self):
        return self.render("text")

    def _repr_latex_(self):
        return None

    def _repr_markdown_(self):
        return self.render("markdown")

    def _repr_html_(self):
        from ._result import html_table, text_value

        rows = [["n/a" if v is None else text_value(v) for v in row] for row in self.table_rows]
        return html_table(self.columns, rows, self.title() + ". " + self.caption())


#: What the ``beta`` columns of :func:`bound_table` contain (not the ``gamma`` of
#: :func:`vcbound.plotting.plot_sizes`, which is the exponent of n = K^(d-1): beta = gamma (d - 1)).
EXPONENT_DEFINITION = (
    "beta = least-squares slope of log N_d against log K, K = floor(1/(2 eps)), over the eps "
    "values of the table at fixed (d, alpha, route), using rows with K >= 2 and N_d >= 2; i.e. "
    "the fitted exponent in N_d ~ const K^beta = const (1/(2 eps))^beta, the same for every eps "
    "row of one (d, alpha) (for the l_2 lattice and covering sets log(1/(2 eps)) replaces log K; "
    "equal for eps = 1/(2K)). Compare with the paper's (d - 1)/6 (column '(d-1)/6'; Theorem 3.4 "
    "tables: d/2, column 'd/2', whose order also carries the factor "
    "(d log(1/(2 eps)))^(-1/2)). The plot's gamma is another fit: the exponent of n over d at "
    "fixed eps, beta ~ gamma (d - 1). "
    "'beta N_upper' is the same slope for N_upper, the size of the explicit robust network "
    "(vcbound.constructions); for the bits construction it tends to (d - 1)/2.")


def _show_progress(progress, total):
    if progress is None:
        return total >= 50 and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    return bool(progress)


def clear_caches():
    """Forget cached intermediate results (growth bounds, D_min, best V, solved cells); for
    benchmarks. Results are cached per ``(d, K, alpha, route, V, regime)`` because tables
    recompute the same quantities across routes and ``eps`` values with the same ``K``."""
    for fn in (_core_cached, _log2_G, _d_min, _best_V_vc):
        fn.cache_clear()


def bound_table(d, eps, alpha=None, routes=("union",), V="half", *, C=1, regime="auto",
                progress=None, search="fast", points="paper", norm="linf", theorem="4.3"):
    """Solve every ``(d, eps, alpha)`` for every route and tabulate (vcbound docs §Solver).

    Parameters
    ----------
    d : int or iterable of int
    eps, alpha : real or iterable of reals
        Taken exactly as typed.
    routes : str, Route or iterable of them, default ('union',)
        A comma-separated string works too: ``'union,dense,paper'``.
    V : {'half', 'best'}, default 'half'
    C : positive real, default 1
        Constant of the ``'paper'`` route.
    regime : {'auto', 'exact', 'log'}
    search : {'fast', 'plain'}
        See :func:`solve`.
    points, norm, theorem : str
        See :func:`solve`. With ``theorem='3.4'`` pass ``alpha=None`` (or 0); the last column is
        then the paper's Theorem 3.4 exponent ``d/2`` instead of ``(d-1)/6``.
    progress : bool or None
        tqdm progress bar on stderr; ``None``: only when stderr is a terminal and there are at
        least 50 cells.

    Returns
    -------
    BoundTable
        Columns ``d, eps, alpha, K, n, D_min``, then per route ``N_d <route>`` and
        ``beta <route>`` (and ``V <route>`` when ``V='best'``), then ``(d-1)/6``. ``D_min``
        is at the ``V`` of the rule for VC routes (``floor(n/2)``, or the ``V`` maximising
        ``D_min``). Uncertified routes carry ``(ILLUSTRATIVE)`` in their column names. The
        fitted exponent ``beta`` is defined in :data:`EXPONENT_DEFINITION`.

    Examples
    --------
    >>> t = bound_table([4, 6], [0.25, 0.1], 0.1, routes="union,paper")
    >>> t.columns[:7]
    ['d', 'eps', 'alpha', 'K', 'n', 'D_min', 'N_d union']
    >>> len(t), t.columns[-1]
    (4, '(d-1)/6')
    """
    for name, values in (("d", d), ("eps", eps), ("alpha", alpha)):
        if values is not None and not _as_list(values):
            raise VCBoundError(f"Argument {name!r} must give at least one value, not "
                               f"{fmt_value(values)}.")
    ds = [_check_d(x) for x in _as_list(d)]
    epss = [check_eps(x) for x in _as_list(eps)]
    theorem = _check_theorem(theorem)
    alphas = [_check_alpha_for(x, theorem) for x in _as_list(alpha)]
    from .separated import NORMS, POINTS

    points = check_choice("points", points, POINTS)
    norm = check_choice("norm", norm, NORMS)
    if isinstance(routes, str):
        routes = [r for r in routes.split(",")]
    elif isinstance(routes, Route):
        routes = [routes]
    elif not hasattr(routes, "__iter__") or isinstance(routes, (bytes, dict)):
        raise VCBoundTypeError(f"Argument 'routes' must be a route name, a comma-separated "
                               f"string of names, a Route or a list of them, not "
                               f"{fmt_value(routes)}.")
    routes = list(routes)
    for r in routes:
        if not isinstance(r, (str, Route)):
            raise VCBoundTypeError(f"Argument 'routes' must list route names or Route objects, "
                                   f"not {fmt_value(r)}.")
    C = check_real("C", C, 0, low_open=True)
    route_objs = [get_route(r.strip() if isinstance(r, str) else r, C) for r in routes]
    if not route_objs:
        raise VCBoundError("Argument 'routes' must name at least one route.")
    V = check_choice("V", V, _V_RULES)
    regime = check_choice("regime", regime, _REGIMES)
    cells = [(dd, e, a) for dd in ds for e in epss for a in alphas]
    results = {}
    bar = None
    if _show_progress(progress, len(cells) * len(route_objs)):
        from tqdm import tqdm

        bar = tqdm(total=len(cells) * len(route_objs), file=sys.stderr, unit="cell",
                   desc="vcbound table")
    try:
        with Work("cells", len(cells) * len(route_objs)) as work:
            for dd, e, a in cells:
                for spec, ro in zip(routes, route_objs):
                    arg = spec.strip() if isinstance(spec, str) else ro
                    results[(dd, e, a, ro.name)] = solve(dd, e, a, route=arg, V=V, C=C,
                                                         regime=regime, search=search,
                                                         points=points, norm=norm,
                                                         theorem=theorem)
                    work.update(work.done + 1)
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    exponents = {}
    for ro in route_objs:
        for dd in ds:
            for a in alphas:
                pts = {}
                for e in epss:
                    r = results[(dd, e, a, ro.name)]
                    if r.M >= 1:
                        pts[_abscissa(r)] = r.N_d.log2
                exponents[(dd, a, ro.name)] = fit_exponent(sorted(pts.items()))
    columns = ["d", "eps", "alpha", "K", "n"] + (["set"] if points != "paper" else []) + ["D_min"]
    for ro in route_objs:
        suffix = ro.name if ro.certified else f"{ro.name} (ILLUSTRATIVE)"
        columns += [f"N_d {suffix}", f"beta {suffix}"]
        if V == "best":
            columns.append(f"V {suffix}")
    from .constructions import table_upper

    upper = table_upper(ds, epss, results, alphas[0], route_objs[0].name)
    if upper is not None:
        columns += ["N_upper", "beta N_upper"]
    columns.append("d/2" if theorem == "3.4" else "(d-1)/6")
    table_rows = []
    for dd, e, a in cells:
        first = results[(dd, e, a, route_objs[0].name)]
        row = [dd, _Decimal(e), _Decimal(a), first.K, BigNumber(exact=first.n)]
        if points != "paper":
            row.append(first.point_set.kind)
        row.append(_table_D_min(first, V, regime))
        for ro in route_objs:
            r = results[(dd, e, a, ro.name)]
            exp = exponents[(dd, a, ro.name)]
            row += [r.N_d, None if exp is None else round(exp, 4)]
            if V == "best":
                row.append(BigNumber(exact=r.V))
        if upper is not None:
            row += list(upper[(dd, e)])
        row.append(round(dd / 2 if theorem == "3.4" else (dd - 1) / 6, 4))
        table_rows.append(row)
    table = BoundTable(columns, table_rows, results, exponents, route_objs, V)
    table.theorem, table.points, table.norm = theorem, points, norm
    return table


def _abscissa(result):
    """Fit abscissa: ``K`` for the grids (``N_d`` depends on ``eps`` only through ``K``),
    ``1/(2 eps)`` for the l_2 packings (equal to ``K`` for the usual ``eps = 1/(2K)``)."""
    if result.point_set.kind in ("paper grid", "sharp grid"):
        return result.K
    return float(Fraction(1) / (2 * result.eps))


def _table_D_min(result, V, regime):
    if result.theorem == "3.4" or result.kind == "vc" or V == "half" or not isinstance(V, str):
        return result.D_min
    reg = _regime_for(result.n, regime)
    return _d_min(result.n, result.alpha, _best_V_vc(result.n, result.alpha, reg), reg).value


def _as_list(x):
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__") or getattr(x, "ndim", 1) == 0:
        return [x]   # a number, a string, or a 0-d numpy array (not iterable)
    return list(x)
