"""Double counting: inequality (1) of the paper and its sharpening (vcbound docs §Double counting, §Sauer-Shelah).

Notation (vcbound docs §Double counting). The grid ``S~`` has ``n`` points; ``alpha in (0, 1/2)`` is the tolerated
error fraction. A class that labels, for *every* labelling ``phi`` of ``S~``, at least
``(1 - alpha) n`` points correctly labels at least ``c = ceil((1 - alpha) n)`` of them (the count
is an integer — ``ceil``, not ``floor``). For any ``V`` in ``[1, c]`` the double-counting argument
of the paper's proof sketch of Theorem 4.3 gives a ``V``-subset on which the class realizes at
least ::

    G(n, V, alpha) = 2^V C(c, V) / C(n, V)                 (exact rational)

labellings, so its growth function satisfies ``Pi(V) >= G``. The paper takes ``V = n/2`` and
continues with inequality (1) ::

    G >= (2 (c - V)/(n - V))^V >= C_alpha^n,        C_alpha = sqrt(2 (1 - 2 alpha)),

then inverts Sauer–Shelah with the ``(e m/D)^D`` form to get ``VCdim >= 0.05 n`` at
``alpha = 0.1`` (the sharp constant is ``t* = 0.084654``, see :func:`sharp_t`). The first link
always holds (each factor ``(c - i)/(n - i)`` decreases in ``i``); the second is exact only for
real ``c`` and even ``n`` and can fail for integers (``n = 3``, ``alpha = 0.1``): this module
checks every link instead of assuming it (:func:`inequality_one`).

Range of alpha (derived here). ``C_alpha > 1`` only for ``alpha < 1/4``, but that is the paper's
*last* link. ``G`` itself exceeds 1 for every ``alpha < 1/2`` with a suitable ``V``:
``log2 G(V)`` increases while ``(c - V)/(n - V) > 1/2``, i.e. up to ``V ~ (1 - 2 alpha) n``
(for ``V << n``, ``G ~ (2 (1 - alpha))^V``), so the chain ``G -> D_min -> capacity`` certifies
sizes for every ``alpha`` in ``(0, 1/2)``. The paper's ``V = n/2`` stops working at
``alpha ~ 0.3531`` (the root of ``1/2 + (1 - alpha) H(1/(2 (1 - alpha))) = 1``: above it
``log2 G(n/2) / n`` is negative); :func:`best_V` keeps working. For ``alpha >= 1/2`` nothing
can be ruled out: the better constant classifier is correct on at least half of the points of
every labelling.

Sharpening (derived here, vcbound docs §Double counting): any ``V`` in ``[1, c]`` is valid, and :func:`best_V`
picks the ``V`` that maximises the resulting VC lower bound ``D_min`` (vcbound docs §Sauer-Shelah) — about 20%
more than ``V = n/2`` for large ``n`` at ``alpha = 0.1``.

References
----------
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. Why Robust Generalization in Deep Learning is Difficult:
   Perspective of Expressive Power. NeurIPS 2022, section 4.3, inequality (1).
"""

import math
from fractions import Fraction

import mpmath
import sympy

from ._numbers import BigNumber, log2_rational, round_down, round_up
from ._result import Result, latex_value
from ._validation import check_alpha, check_integer, check_real, fmt_value
from .errors import NoBoundError, VCBoundError
from .sauer import _big, _err, _prec_for, d_min, log2_binomial_bounds

__all__ = [
    "C_alpha",
    "CAlpha",
    "growth_lower_bound",
    "log2_growth_lower_bound",
    "GrowthBound",
    "inequality_one",
    "InequalityOne",
    "best_V",
    "BestV",
    "paper_t_check",
    "sharp_t",
    "EXACT_MAX_N",
    "EXACT_LIMIT_N",
]

#: ``regime="auto"`` computes ``G`` exactly while ``n <= EXACT_MAX_N``, in log domain beyond.
EXACT_MAX_N = 20_000
#: ``regime="exact"`` is refused for ``n`` above this (exact binomials would be too slow).
EXACT_LIMIT_N = 200_000

_REGIMES = ("auto", "exact", "log")
_PREC = 128


def _show(n):
    return BigNumber(exact=n).human() if isinstance(n, int) else fmt_value(n)


# ---------------------------------------------------------------------------------------------
# C_alpha
# ---------------------------------------------------------------------------------------------
class CAlpha(Result):
    """``C_alpha = sqrt(2 (1 - 2 alpha))`` exactly (sympy) and numerically (mpf, 128 bits).

    ``float(c)`` and ``mpmath.mpf(c)`` give the number; ``.expr`` the exact form; ``.square`` the
    exact rational ``C_alpha^2 = 2 (1 - 2 alpha)``; ``.exceeds_one`` whether ``C_alpha > 1``
    (``alpha < 1/4``), i.e. whether the paper's last link ``G >= C_alpha^n`` proves anything.
    """

    _meanings = {
        "expr": "C_alpha = sqrt(2 (1 - 2 alpha)), exact",
        "value": "C_alpha as a decimal",
        "ln": "natural logarithm of C_alpha",
        "exceeds_one": ("whether C_alpha > 1, needed for the last link of inequality (1) to "
                        "bound G"),
    }

    _headline = "value"

    def __init__(self, alpha):
        self.alpha = alpha
        self.square = 2 * (1 - 2 * alpha)
        self.exceeds_one = self.square > 1
        square = sympy.Rational(self.square.numerator, self.square.denominator)
        if max(self.square.numerator.bit_length(), self.square.denominator.bit_length()) > 512:
            # sympy's perfect-power test converts huge integers to float (OverflowError for
            # alpha = 1e-5000); such a square is left unsimplified under the root
            self.expr = sympy.Pow(square, sympy.S.Half, evaluate=False)
        else:
            self.expr = sympy.sqrt(square)
        with mpmath.workprec(_PREC):
            self.value = mpmath.sqrt(mpmath.mpf(self.square.numerator) / self.square.denominator)
            self.ln = mpmath.ln(self.value)

    @property
    def _mpf_(self):  # lets mpmath.mpf(C_alpha(...)) work
        return self.value._mpf_

    def __float__(self):
        return float(self.value)

    def title(self):
        return "C_alpha = sqrt(2 (1 - 2 alpha)) (paper, inequality (1); vcbound docs §Double counting)"

    def rows(self):
        return [("alpha", "alpha", self.alpha), ("expr", "C_alpha (exact)", self.expr),
                ("value", "C_alpha", self.value), ("ln", "ln C_alpha", self.ln),
                ("exceeds_one", "C_alpha > 1 (last link of (1) gives a bound)",
                 _LAST_LINK_TEXT[self.exceeds_one])]

    def __repr__(self):
        return f"CAlpha({self.expr}, alpha={self.alpha})"


_LAST_LINK_TEXT = {
    True: "yes (alpha < 1/4)",
    False: "no: alpha >= 1/4 gives C_alpha <= 1, so C_alpha^n <= 1 proves nothing; G itself, with a "
           "suitable V, still exceeds 1 for every alpha < 1/2 (use V = 'best')",
}


def C_alpha(alpha):
    """The base ``C_alpha = sqrt(2 (1 - 2 alpha))`` of inequality (1) of the paper.

    ``C_alpha > 1`` iff ``alpha < 1/4``. For ``1/4 <= alpha < 1/2`` the value is still returned
    (``.exceeds_one`` is False): only this last link of inequality (1) fails, while ``G`` itself
    exceeds 1 for a suitable ``V`` (see the module docstring).

    Parameters
    ----------
    alpha : float, str or Fraction
        Tolerated error fraction, taken as the exact decimal typed (``0.1 -> 1/10``).

    Returns
    -------
    CAlpha
        ``.expr`` (sympy), ``.value`` (mpf), ``.ln``, ``.square`` (exact Fraction).

    Raises
    ------
    NoBoundError
        If ``alpha >= 1/2``.
    VCBoundError
        If ``alpha <= 0``, NaN or not a number.

    Examples
    --------
    >>> C_alpha(0.1).expr                  # sqrt(8/5)
    2*sqrt(10)/5
    >>> float(C_alpha(0.1))
    1.2649110640673518
    >>> c = C_alpha(0.3)                   # sqrt(4/5) < 1: the paper's last link fails
    >>> c.exceeds_one, c.expr
    (False, 2*sqrt(5)/5)

    References
    ----------
    Paper, section 4.3, inequality (1); vcbound docs §Double counting.
    """
    return CAlpha(check_alpha(alpha))


# ---------------------------------------------------------------------------------------------
# G(n, V, alpha)
# ---------------------------------------------------------------------------------------------
def _c_of(n, alpha):
    """``c = ceil((1 - alpha) n)`` exactly (alpha a Fraction)."""
    return math.ceil((1 - alpha) * n)


def _check_nVa(n, V, alpha):
    n = check_integer("n", n, minimum=1)
    alpha = check_alpha(alpha)
    c = _c_of(n, alpha)
    V = check_integer("V", V, minimum=1)
    if V > c:
        raise VCBoundError(f"Argument 'V' must be in [1, c] with c = ceil((1 - alpha) n) = "
                           f"{_show(c)}, not {_show(V)}.")
    return n, V, alpha, c


def _check_regime(regime, n):
    regime = regime.lower() if isinstance(regime, str) else regime
    if regime not in _REGIMES:
        raise VCBoundError(f"Argument 'regime' must be one of 'auto', 'exact', 'log', not "
                           f"{fmt_value(regime)}.")
    if regime == "auto":
        return "exact" if n <= EXACT_MAX_N else "log"
    if regime == "exact" and n > EXACT_LIMIT_N:
        raise VCBoundError(f"Argument 'regime' = 'exact' needs n <= {EXACT_LIMIT_N} (exact "
                           f"binomials would be too slow), not n = {_show(n)}; use 'log'.")
    return regime


def growth_lower_bound(n, V, alpha):
    """Exact ``G(n, V, alpha) = 2^V C(c, V) / C(n, V)``, ``c = ceil((1 - alpha) n)``.

    Any class that is ``(1 - alpha)``-accurate on every labelling of ``n`` points realizes at
    least ``G`` labellings of some ``V``-subset (double counting; see the module docstring), so
    ``Pi(V) >= G``.

    Parameters
    ----------
    n : int
        Number of grid points, ``n >= 1`` (at most :data:`EXACT_LIMIT_N`; use
        :func:`log2_growth_lower_bound` beyond).
    V : int
        Subset size, ``1 <= V <= c``.
    alpha : float, str or Fraction
        Error fraction in ``(0, 1/2)``, taken as the exact decimal typed.

    Returns
    -------
    Fraction

    Raises
    ------
    NoBoundError
        ``alpha >= 1/2``.
    VCBoundError
        Bad ``n``/``V``/``alpha``, ``V > c``, or ``n > EXACT_LIMIT_N``.

    Examples
    --------
    >>> growth_lower_bound(4, 2, 0.1)      # c = ceil(3.6) = 4: G = 4 C(4,2)/C(4,2) (vcbound docs §Double counting)
    Fraction(4, 1)
    >>> growth_lower_bound(10, 5, 0.1)     # c = 9: 32 * 126 / 252
    Fraction(16, 1)

    References
    ----------
    Paper, section 4.3 (proof sketch of Theorem 4.3), left side of inequality (1); vcbound docs §Double counting
    (ceil, not floor: with floor, n = 4, alpha = 0.1 would give G = 2 < C_alpha^4 = 2.56).
    """
    n, V, alpha, c = _check_nVa(n, V, alpha)
    _check_regime("exact", n)
    return Fraction(math.comb(c, V) << V, math.comb(n, V))


class GrowthBound(Result):
    """Result of :func:`log2_growth_lower_bound`.

    Attributes
    ----------
    log2 : mpmath.mpf
        Rigorous lower bound of ``log2 G`` (rounded down).
    log2_upper : mpmath.mpf
        Rigorous upper bound of ``log2 G`` (rounded up), used to decide failing links.
    exact : Fraction or None
        ``G`` itself in the exact regime.
    n, V, c : int
    alpha : Fraction
    regime : str
        ``"exact"`` or ``"log"``.
    """

    _meanings = {
        "log2_G_upper": "log2 of G, rounded up (with log2_G it brackets the exact value)",
    }

    _headline = "G"

    def __init__(self, n, V, alpha, c, log2, log2_upper, exact, regime):
        self.n, self.V, self.alpha, self.c = n, V, alpha, c
        self.log2, self.log2_upper, self.exact, self.regime = log2, log2_upper, exact, regime

    @property
    def value(self):
        """``G`` as a BigNumber (exact, or from the lower bound of its log2)."""
        if self.exact is not None:
            return _big(self.exact)
        return BigNumber(log2=self.log2)

    def title(self):
        return "G(n, V, alpha) = 2^V C(c, V) / C(n, V), c = ceil((1 - alpha) n) (vcbound docs §Double counting)"

    def rows(self):
        return [("n", "n", BigNumber(exact=self.n)), ("alpha", "alpha", self.alpha),
                ("c", "c = ceil((1 - alpha) n)", BigNumber(exact=self.c)),
                ("V", "V", BigNumber(exact=self.V)), ("G", "G", self.value),
                ("log2_G", "log2 G (lower bound)", self.log2),
                ("log2_G_upper", "log2 G (upper bound)", self.log2_upper),
                ("regime", "regime", self.regime)]

    def __repr__(self):
        return (f"GrowthBound(n={_show(self.n)}, V={_show(self.V)}, "
                f"log2={mpmath.nstr(self.log2, 15)}, regime={self.regime!r})")


def log2_growth_lower_bound(n, V, alpha, regime="auto"):
    """Rigorous bounds on ``log2 G(n, V, alpha)`` for ``n`` of any size (e.g. ``10^7000``).

    Exact regime (``n <= EXACT_MAX_N`` with ``"auto"``): ``G`` as a Fraction and its log2
    rounded down / up. Log regime: ``log2 G = V + log2 C(c, V) - log2 C(n, V)`` with both binomials
    bracketed by :func:`vcbound.sauer.log2_binomial_bounds` (Stirling's series with Binet's
    remainder and ``log1p``, no cancellation between ``log Gamma`` terms); the lower bound is
    ``V + lo(log2 C(c, V)) - hi(log2 C(n, V))`` minus the bounded rounding error, hence a rigorous
    lower bound of ``log2 G``. This is used rather than the middle term
    ``V log2(2 (c - V)/(n - V))`` of inequality (1), also a valid lower bound, because the
    latter is much weaker (``0.339 n`` instead of ``0.392 n`` at ``V = n/2``, ``alpha = 0.1``).
    The working precision is ~100 bits plus ``bits(V)`` while ``V < 2^1024``, so the result is
    good enough for integer-resolution ``D_min``. Milliseconds for ``n = 10^7000``.

    Parameters
    ----------
    n, V : int
        ``n >= 1``, ``1 <= V <= c``.
    alpha : float, str or Fraction
        In ``(0, 1/2)``.
    regime : {"auto", "exact", "log"}

    Returns
    -------
    GrowthBound
        ``.log2`` (lower bound), ``.log2_upper``, ``.exact``, ``.c``, ``.V``, ``.regime``.

    Examples
    --------
    >>> g = log2_growth_lower_bound(4, 2, 0.1)
    >>> g.exact, float(g.log2)
    (Fraction(4, 1), 2.0)
    >>> n = 10**7000
    >>> g = log2_growth_lower_bound(n, n // 2, 0.1)
    >>> print(mpmath.nstr(g.log2 / n, 10))       # 1/2 + 0.9 H(5/9) - 1 = 0.39196845385...
    0.3919684539

    References
    ----------
    Paper, section 4.3, inequality (1); vcbound docs §Double counting.
    """
    n, V, alpha, c = _check_nVa(n, V, alpha)
    regime = _check_regime(regime, n)
    if regime == "exact":
        G = growth_lower_bound(n, V, alpha)
        v = log2_rational(G, _PREC)
        return GrowthBound(n, V, alpha, c, round_down(v), round_up(v), G, "exact")
    prec = _prec_for(n, V.bit_length())
    clo, chi = log2_binomial_bounds(c, V, prec)
    nlo, nhi = log2_binomial_bounds(n, V, prec)
    with mpmath.workprec(prec):
        Vm = mpmath.mpf(V)
        lo, hi = Vm + clo - nhi, Vm + chi - nlo
        e = _err(prec, Vm, clo, nhi)
        return GrowthBound(n, V, alpha, c, lo - e, hi + e, None, "log")


# ---------------------------------------------------------------------------------------------
# inequality (1), link by link
# ---------------------------------------------------------------------------------------------
def _link(lo_left, hi_left, lo_right, hi_right):
    """``True`` if left >= right is certain, ``False`` if left < right is certain, else None."""
    if lo_left >= hi_right:
        return True
    if hi_left < lo_right:
        return False
    return None


_LINK_TEXT = {True: "holds", False: "FAILS", None: "undecided at working precision"}


class InequalityOne(Result):
    """Every link of inequality (1) for given integers (see :func:`inequality_one`).

    Attributes
    ----------
    n, V, c : int
    alpha : Fraction
    C_alpha : CAlpha
    G, middle, C_alpha_n : BigNumber or None
        ``G = 2^V C(c,V)/C(n,V)``, ``(2 (c - V)/(n - V))^V`` (None when ``V = n``: 0/0) and
        ``C_alpha^n``; exact where cheap, else from rigorous log2 bounds.
    log2_G, log2_middle, log2_C_alpha_n : mpmath.mpf or None
        Their base-2 logarithms (lower bounds for ``G`` and the middle term).
    links : dict
        ``{"G>=middle", "middle>=C_alpha^n", "G>=C_alpha^n"}`` -> True / False / None
        (None: not decided at the working precision, or not applicable).
    regime : str
    """

    _meanings = {
        "C_alpha": "the constant C_alpha of the last link of inequality (1)",
        "C_alpha_exceeds_one": "whether C_alpha > 1 (otherwise the last link gives nothing)",
        "C_alpha_n": "C_alpha^n, the right-hand side of inequality (1)",
        "log2_C_alpha_n": "log2 of C_alpha^n",
        "middle": "the middle term (2(c - V)/(n - V))^V of inequality (1)",
        "log2_middle": "log2 of the middle term",
        "G_ge_middle": "first link of inequality (1): G >= middle term",
        "middle_ge_C_alpha_n": "second link of inequality (1): middle term >= C_alpha^n",
        "G_ge_C_alpha_n": "the whole inequality (1): G >= C_alpha^n",
    }

    _headline = "G"

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def title(self):
        return ("Inequality (1): G = 2^V C(c,V)/C(n,V) >= (2(c-V)/(n-V))^V >= C_alpha^n "
                "(paper, section 4.3; vcbound docs §Double counting)")

    def rows(self):
        return [
            ("n", "n", BigNumber(exact=self.n)), ("alpha", "alpha", self.alpha),
            ("c", "c = ceil((1 - alpha) n)", BigNumber(exact=self.c)),
            ("V", "V", BigNumber(exact=self.V)),
            ("G", "G = 2^V C(c,V)/C(n,V)", self.G), ("log2_G", "log2 G", self.log2_G),
            ("middle", "(2(c-V)/(n-V))^V", self.middle if self.middle is not None else "n/a"),
            ("log2_middle", "log2 middle", self.log2_middle if self.log2_middle is not None
             else "n/a"),
            ("C_alpha", "C_alpha", self.C_alpha.expr),
            ("C_alpha_exceeds_one", "C_alpha > 1", _LAST_LINK_TEXT[self.C_alpha.exceeds_one]),
            ("C_alpha_n", "C_alpha^n", self.C_alpha_n),
            ("log2_C_alpha_n", "log2 C_alpha^n", self.log2_C_alpha_n),
            ("G_ge_middle", "G >= middle", self._link_text("G>=middle")),
            ("middle_ge_C_alpha_n", "middle >= C_alpha^n", self._link_text("middle>=C_alpha^n")),
            ("G_ge_C_alpha_n", "G >= C_alpha^n", _LINK_TEXT[self.links["G>=C_alpha^n"]]),
            ("regime", "regime", self.regime),
        ]

    def _link_text(self, key):
        if self.middle is None:
            return "n/a (V = n: the middle term is 0/0)"
        return _LINK_TEXT[self.links[key]]

    def _repr_latex_(self):
        def rel(key):
            ok = self.links[key]
            mark = {True: r"\checkmark", False: r"\times", None: "?"}[ok]
            return r"\;\overset{" + mark + r"}{\geq}\;"
        mid = latex_value(self.middle) if self.middle is not None else r"\text{n/a}"
        alpha = sympy.latex(sympy.Rational(self.alpha.numerator, self.alpha.denominator))
        head = (rf"n = {latex_value(BigNumber(exact=self.n))},\ \alpha = {alpha},\ "
                rf"c = {latex_value(BigNumber(exact=self.c))},\ "
                rf"V = {latex_value(BigNumber(exact=self.V))}:\quad ")
        return ("$" + head + r"\frac{2^V\binom{c}{V}}{\binom{n}{V}} = " + latex_value(self.G)
                + rel("G>=middle") + r"\left(\frac{2(c-V)}{n-V}\right)^V = " + mid
                + rel("middle>=C_alpha^n") + r"C_\alpha^n = \left("
                + sympy.latex(self.C_alpha.expr) + r"\right)^n = " + latex_value(self.C_alpha_n)
                + "$")


def inequality_one(n, alpha, V=None, regime="auto"):
    """Evaluate every link of inequality (1) of the paper for integers ``n``, ``V``.

    ``G = 2^V C(c, V)/C(n, V) >= (2 (c - V)/(n - V))^V >= C_alpha^n`` with
    ``c = ceil((1 - alpha) n)``. Each ``>=`` is *checked* (exactly with rationals in the exact
    regime: ``C_alpha^n`` is compared through its exact square ``(2(1 - 2 alpha))^n``; with
    rigorous log2 bounds in the log regime, where a link may be reported undecided). The first
    link always holds for ``V < n``; the second can fail for small or odd ``n`` (``n = 3``,
    ``alpha = 0.1``: ``2 < 1.6^1.5 = 2.02``).

    Parameters
    ----------
    n : int
        ``n >= 2`` when ``V`` is not given.
    alpha : float, str or Fraction
        In ``(0, 1/2)``.
    V : int, optional
        Default ``floor(n/2)``, the paper's choice.
    regime : {"auto", "exact", "log"}
        ``"auto"``: exact while ``n <= EXACT_MAX_N``.

    Returns
    -------
    InequalityOne
        Renders as text (``str``), dict (``to_dict``), JSON and LaTeX.

    Examples
    --------
    >>> r = inequality_one(4, 0.1)          # vcbound docs §Double counting pitfall: G = 4 >= 2.56
    >>> r.G, r.C_alpha_n, r.links["G>=C_alpha^n"]
    (BigNumber(4), BigNumber(2.56), True)
    >>> inequality_one(3, 0.1).links["G>=C_alpha^n"]     # G = 2 < 1.6^1.5
    False

    For ``alpha >= 1/4`` the last link is true but useless (``C_alpha^n <= 1``), while ``G``
    can still exceed 2 (``n = 10``, ``alpha = 0.3``, ``V = 3``: ``c = 7``,
    ``G = 8 * 35 / 120 = 7/3``):

    >>> r = inequality_one(10, 0.3, V=3)
    >>> r.G.exact, r.C_alpha.exceeds_one
    (Fraction(7, 3), False)

    References
    ----------
    Paper, section 4.3, inequality (1); vcbound docs §Double counting.
    """
    n = check_integer("n", n, minimum=1)
    alpha = check_alpha(alpha)
    if V is None:
        if n < 2:
            raise VCBoundError("Argument 'n' must be at least 2 for the default V = floor(n/2) "
                               f"(the paper's choice), not {n}; pass V explicitly.")
        V = n // 2
    n, V, alpha, c = _check_nVa(n, V, alpha)
    regime = _check_regime(regime, n)
    ca = CAlpha(alpha)
    sq = ca.square                                   # C_alpha^2 = 2 (1 - 2 alpha), exact
    links = {}
    if regime == "exact":
        G = growth_lower_bound(n, V, alpha)
        middle = Fraction(2 * (c - V), n - V) ** V if V < n else None
        Cn_sq = sq ** n
        Cn = sq ** (n // 2) if n % 2 == 0 else None
        links["G>=middle"] = (G >= middle) if middle is not None else None
        links["middle>=C_alpha^n"] = (middle * middle >= Cn_sq) if middle is not None else None
        links["G>=C_alpha^n"] = G * G >= Cn_sq
        lG = log2_rational(G, _PREC)
        lmid = log2_rational(middle, _PREC) if middle not in (None, 0) else None
        with mpmath.workprec(_PREC):
            lCn = n * log2_rational(sq, _PREC) / 2
        G_big = _big(G)
        mid_big = _big(middle) if middle is not None else None
        Cn_big = _big(Cn) if Cn is not None else BigNumber(log2=round_down(lCn))
    else:
        g = log2_growth_lower_bound(n, V, alpha, regime="log")
        prec = _prec_for(n)
        with mpmath.workprec(prec):
            ls = log2_rational(sq, prec)
            nm = mpmath.mpf(n)
            lCn = nm * ls / 2
            eC = _err(prec, lCn)
            Cn_lo, Cn_hi = lCn - eC, lCn + eC
            if V < n and c > V:
                lr = log2_rational(Fraction(2 * (c - V), n - V), prec)
                lmid = mpmath.mpf(V) * lr
                eM = _err(prec, lmid)
                mid_lo, mid_hi = lmid - eM, lmid + eM
            else:
                lmid = mid_lo = mid_hi = None
        links["G>=middle"] = (_link(g.log2, g.log2_upper, mid_lo, mid_hi)
                              if lmid is not None else None)
        links["middle>=C_alpha^n"] = (_link(mid_lo, mid_hi, Cn_lo, Cn_hi)
                                      if lmid is not None else None)
        links["G>=C_alpha^n"] = _link(g.log2, g.log2_upper, Cn_lo, Cn_hi)
        lG = g.log2
        lmid = mid_lo
        G_big = BigNumber(log2=g.log2)
        mid_big = BigNumber(log2=mid_lo) if lmid is not None else None
        Cn_big = BigNumber(log2=Cn_lo)
        if c == V and V < n:                          # middle term is exactly 0
            mid_big, links["G>=middle"] = BigNumber(exact=0, bound="lower"), True
            links["middle>=C_alpha^n"] = False
    return InequalityOne(n=n, V=V, c=c, alpha=alpha, C_alpha=ca, G=G_big, middle=mid_big,
                         C_alpha_n=Cn_big, log2_G=lG, log2_middle=lmid, log2_C_alpha_n=lCn,
                         links=links, regime=regime)


# ---------------------------------------------------------------------------------------------
# the paper's constant
# ---------------------------------------------------------------------------------------------
def _t_gap(alpha, t, prec):
    """``t ln(e/(2t)) - ln C_alpha`` at ``prec`` bits."""
    with mpmath.workprec(prec):
        t = mpmath.mpf(t.numerator) / t.denominator if isinstance(t, Fraction) else mpmath.mpf(t)
        sq = 2 * (1 - 2 * alpha)
        lnC = mpmath.ln(mpmath.mpf(sq.numerator) / sq.denominator) / 2
        return t * (1 - mpmath.ln(2 * t)) - lnC


def paper_t_check(alpha, t):
    """Whether ``t ln(e/(2t)) < ln C_alpha``, the condition for ``VCdim >= t n`` in the paper.

    With ``V = n/2``, ``G >= C_alpha^n`` and the ``(e m/D)^D`` form (increasing in ``D <= m``):
    at ``D = t n`` the bound is ``(e/(2t))^(t n)``, below ``C_alpha^n`` iff
    ``t ln(e/(2t)) < ln C_alpha``; then no ``D <= t n`` satisfies Sauer–Shelah, so
    ``VCdim > t n``. The paper states ``t = 0.05`` at ``alpha = 0.1``.

    Parameters
    ----------
    alpha : float, str or Fraction
        In ``(0, 1/2)``.
    t : float, str or Fraction
        In ``(0, 1/2]`` (``D = t n <= V = n/2``).

    Returns
    -------
    bool
        Always ``False`` for ``alpha >= 1/4`` (``ln C_alpha <= 0 < t ln(e/(2t))``).

    Examples
    --------
    >>> paper_t_check(0.1, 0.05), paper_t_check(0.1, 0.09), paper_t_check(0.3, 0.01)
    (True, False, False)

    References
    ----------
    Paper, section 4.3 ("VC-dim >= 0.05 K^(d-1)"); vcbound docs §Sauer-Shelah.
    """
    alpha = check_alpha(alpha)
    t = check_real("t", t, 0, Fraction(1, 2), low_open=True)
    for prec in (128, 512, 2048):
        gap = _t_gap(alpha, t, prec)
        if abs(gap) > mpmath.ldexp(1, 16 - prec):
            return bool(gap < 0)
    return bool(gap < 0)


def sharp_t(alpha):
    """The root ``t*`` of ``t ln(e/(2t)) = ln C_alpha`` on ``(0, 1/2)``: the best constant of the
    paper's route (``VCdim >= t n`` for every ``t < t*``).

    ``t ln(e/(2t))`` increases on ``(0, 1/2]`` from 0 to ``1/2 > ln C_alpha`` (derivative
    ``ln(1/(2t)) > 0``), so the root is unique; found by bisection to ~2^-100.

    Parameters
    ----------
    alpha : float, str or Fraction
        In ``(0, 1/4)``.

    Returns
    -------
    mpmath.mpf
        ``t*`` (the lower end of the final bisection bracket).

    Raises
    ------
    NoBoundError
        ``alpha >= 1/4``: then ``ln C_alpha <= 0`` and no ``t > 0`` qualifies (the paper's last
        link gives nothing; :func:`best_V` with ``G`` itself still does).

    Examples
    --------
    >>> [round(float(sharp_t(a)), 6) for a in (0.1, 0.05, 0.2)]      # vcbound docs §Sauer-Shelah
    [0.084654, 0.121859, 0.022142]

    References
    ----------
    vcbound docs §Sauer-Shelah (published check values 0.084654, 0.121859, 0.022142).
    """
    alpha = check_alpha(alpha)
    if not CAlpha(alpha).exceeds_one:
        raise NoBoundError(f"sharp_t needs alpha < 1/4 (C_alpha > 1), not {alpha}: for alpha >= "
                           "1/4, ln C_alpha <= 0 and t ln(e/(2t)) > 0 for every t in (0, 1/2], so "
                           "the paper's route VCdim >= t n gives nothing; use best_V (G itself).")
    with mpmath.workprec(_PREC):
        lo, hi = mpmath.mpf(0), mpmath.mpf(0.5)
        for _ in range(110):
            mid = (lo + hi) / 2
            if _t_gap(alpha, mid, _PREC) < 0:
                lo = mid
            else:
                hi = mid
        return lo


# ---------------------------------------------------------------------------------------------
# sharpening: the best V
# ---------------------------------------------------------------------------------------------
_INV_PHI_NUM = 618033988749894848204586834365638117720309179805762862135
_INV_PHI_DEN = 10 ** 57


def _golden_max(score, lo, hi, stop):
    """Golden-section search for the max of a unimodal ``score`` on integers ``[lo, hi]``.

    Stops when the bracket is at most ``stop`` wide, then scans it if it is short (<= 64).
    Returns ``(argmax, cache)`` over every evaluated point (ties: the smaller ``V``).
    """
    cache = {}

    def F(v):
        if v not in cache:
            cache[v] = score(v)
        return cache[v]

    def interior(a, b):
        d = (b - a) * _INV_PHI_NUM // _INV_PHI_DEN
        x1, x2 = b - d, a + d
        if x1 >= x2:
            x1 = (a + b) // 2
            x2 = x1 + 1
        return x1, x2

    a, b = lo, hi
    x1, x2 = interior(a, b)
    while b - a > stop:
        if F(x1) < F(x2):                 # the max is in [x1, b]
            a, x1 = x1, x2
            x2 = a + b - x1               # reflection: the surviving point is reused
        else:                             # the max is in [a, x2]
            b, x2 = x2, x1
            x1 = a + b - x2
        if not a <= x1 < x2 <= b:         # rounding drift on short brackets: start afresh
            x1, x2 = interior(a, b)
    if b - a <= 64:
        for v in range(a, b + 1):
            F(v)
    best = None
    for v, s in cache.items():
        if best is None or s > cache[best] or (s == cache[best] and v < best):
            best = v
    return best, cache


class BestV(Result):
    """Result of :func:`best_V`.

    Attributes
    ----------
    V : int
        The chosen subset size.
    score : object
        Its score (for the default score: ``(D_min BigNumber, continuous root)``).
    n, c : int
    alpha : Fraction
    evaluations : int
        Number of score evaluations.
    d_min : DMin or None
        ``D_min`` at ``V`` (default score only).
    growth : GrowthBound or None
        ``G(n, V, alpha)`` at ``V`` (default score only).
    half : DMin or None
        ``D_min`` at the paper's ``V = floor(n/2)`` for comparison (default score, ``n >= 2``).
    """

    _meanings = {
        "D_min_half": "D_min for the paper's choice V = floor(n/2), for comparison",
    }

    _headline = "V"

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def title(self):
        return ("Best V for the double-counting bound: maximises D_min(V) "
                "(derived here; vcbound docs §Double counting)")

    def rows(self):
        rows = [("n", "n", BigNumber(exact=self.n)), ("alpha", "alpha", self.alpha),
                ("c", "c = ceil((1 - alpha) n)", BigNumber(exact=self.c)),
                ("V", "best V", BigNumber(exact=self.V))]
        if self.d_min is not None:
            rows += [("log2_G", "log2 G at best V", self.growth.log2),
                     ("D_min", "D_min at best V", self.d_min.value)]
            if self.half is not None:
                rows.append(("D_min_half", "D_min at V = floor(n/2)", self.half.value))
        else:
            rows.append(("score", "score", self.score))
        rows.append(("evaluations", "score evaluations", self.evaluations))
        return rows


def best_V(n, alpha, score=None, *, rtol=None):
    """The subset size ``V`` in ``[1, c]`` that maximises the VC lower bound (derived here).

    Any ``V`` in ``[1, c]`` gives a valid ``G(n, V, alpha)`` and hence a valid
    ``D_min(V) = min{D : Phi_D(V) >= G}`` (vcbound docs §Double counting, §Sauer-Shelah); the paper's ``V = n/2`` is not the
    best choice. The search is a golden-section search on integers, which assumes the score is
    unimodal in ``V`` (true in practice: checked against brute force for small ``n`` in the tests).

    Parameters
    ----------
    n : int
        Number of grid points, ``n >= 1``, any size.
    alpha : float, str or Fraction
        In ``(0, 1/2)``.
    score : callable, optional
        ``score(V) -> comparable`` to maximise. Default: ``(D_min.value, D_min.continuous)`` from
        :func:`vcbound.sauer.d_min` of :func:`log2_growth_lower_bound` at ``m = V`` (the
        continuous root breaks ties between equal integers, which would stall the search).
    rtol : float, optional
        Stop when the bracket is narrower than ``rtol * c``. Default: integer resolution while
        ``c <= 2^20``, ``2^-50`` beyond (a ``V`` within relative ``delta`` of the optimum loses
        only ~``delta^2`` relative in ``D_min``).

    Returns
    -------
    BestV
        ``.V``, ``.score``, ``.evaluations``; with the default score also ``.d_min``,
        ``.growth`` and ``.half`` (the paper's ``V = floor(n/2)``).

    Examples
    --------
    >>> r = best_V(1000, 0.1)          # brute force over all 900 V: max D_min = 144 (V = 704..)
    >>> r.d_min.value, r.half.value     # vs the paper's V = 500
    (BigNumber(144), BigNumber(120))

    References
    ----------
    vcbound docs §Double counting (sharpening, derived here) and §Sauer-Shelah.
    """
    n = check_integer("n", n, minimum=1)
    alpha = check_alpha(alpha)
    c = _c_of(n, alpha)
    if rtol is None:
        stop = 2 if c <= (1 << 20) else max(2, c >> 50)
    else:
        rtol = check_real("rtol", rtol, 0, 1)
        stop = max(2, math.floor(c * rtol))
    user = score is not None
    if user and not callable(score):
        raise VCBoundError(f"Argument 'score' must be a callable score(V), not {fmt_value(score)}.")
    details = {}
    if not user:
        def score(V):
            g = log2_growth_lower_bound(n, V, alpha)
            dm = _d_min_of(g)
            details[V] = (dm, g)
            return (dm.value, dm.continuous)
    V, cache = _golden_max(score, 1, c, stop)
    out = dict(n=n, alpha=alpha, c=c, V=V, score=cache[V], evaluations=len(cache),
               d_min=None, growth=None, half=None)
    if not user:
        out["d_min"], out["growth"] = details[V]
        if n >= 2:
            out["half"] = _d_min_of(log2_growth_lower_bound(n, n // 2, alpha))
    return BestV(**out)


def _d_min_of(g):
    """``D_min`` for a :class:`GrowthBound` (exact ``G`` when known, else its log2 lower bound)."""
    if g.exact is not None:
        return d_min(g.V, g.exact, form="exact")
    return d_min(g.V, log2_G=g.log2)
