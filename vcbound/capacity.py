"""Capacity upper bounds: VC dimension and growth function of neural-network classes (vcbound docs §Capacity bounds).

Every bound is returned as a :class:`CapacityBound` holding the formula as a sympy expression (in
the symbols of :data:`vcbound.architecture.SYMBOLS`), its value for the given architecture, the
source (paper and theorem) and the conditions under which it holds. Values are exact integers or
Fractions when the formula is rational, and otherwise :class:`mpmath.mpf` computed at 128 bits and
**rounded up** (relative margin 2^-100, far above the accumulated rounding error of the few
operations involved), so that a printed or compared upper bound is never below the true one.
Bounds whose constant the source does not give (Goldberg–Jerrum, Karpinski–Macintyre) carry the
constant as a sympy symbol and have no value unless the user binds the constant, in which case the
number is labelled *illustrative*.

Notation: ``W`` parameters, ``L`` layers of units, ``U`` units, ``k_i`` units in layer ``i``, ``p``
breakpoints and ``deg`` degree of the activation, ``W_i``, ``Lbar``, ``R`` as in BHLM Theorem 7
(see :class:`vcbound.architecture.Architecture`), ``m`` the number of sample points.

The two *raw* functions :func:`bhlm_vc_upper` and :func:`bhlm_log2_growth_upper` take plain
(possibly astronomically large) Python integers and skip the result objects; the size solver calls
them in its bisection.

References
----------
.. [BHLM] P. L. Bartlett, N. Harvey, C. Liaw, A. Mehrabian. Nearly-tight VC-dimension and
   pseudodimension bounds for piecewise linear neural networks. JMLR 20(63):1-17, 2019.
.. [BH] E. B. Baum, D. Haussler. What size net gives valid generalization? Neural Computation
   1(1):151-160, 1989.
.. [GJ] P. W. Goldberg, M. R. Jerrum. Bounding the Vapnik-Chervonenkis dimension of concept classes
   parameterized by real numbers. Machine Learning 18:131-148, 1995.
.. [KM] M. Karpinski, A. Macintyre. Polynomial bounds for VC dimension of sigmoidal and general
   Pfaffian neural networks. J. Comput. Syst. Sci. 54(1):169-176, 1997.
.. [Cover] T. M. Cover. Geometrical and statistical properties of systems of linear inequalities
   with applications in pattern recognition. IEEE Trans. Electron. Comput. EC-14:326-334, 1965.
"""

import math
from fractions import Fraction

import mpmath
import sympy

from ._numbers import json_safe, round_up
from ._result import Result, latex_value, sympy_text
from ._tables import render_table
from ._validation import check_instance, check_integer, check_real, fmt_value
from .architecture import SYMBOLS, Architecture
from .errors import NoBoundError, VCBoundError

__all__ = [
    "CapacityBound",
    "CapacityReport",
    "bhlm_vc_upper",
    "bhlm_log2_growth_upper",
    "bhlm_vc_bound",
    "bhlm_growth_bound",
    "bhlm_thm10_bound",
    "baum_haussler_bound",
    "baum_haussler_growth_bound",
    "halfspace_vc_dimension",
    "cover_count",
    "cover_growth_bound",
    "goldberg_jerrum_bound",
    "karpinski_macintyre_bound",
    "polynomial_vc_bound",
    "all_bounds",
    "growth_upper_bound",
    "upper_float",
    "format_upper",
]

#: Working precision (bits) of every floating-point evaluation in this module.
PREC = 128
_MARGIN_EXP = -100  # relative safety margin 2^-100 added when rounding up

_E = sympy.E
_S = SYMBOLS
PIECES = sympy.Symbol("pieces", positive=True, integer=True)  # number of pieces (= p + 1)
N_UNITS = sympy.Symbol("N", positive=True, integer=True)  # Baum-Haussler: computation units
C_GJ = sympy.Symbol("C_GJ", positive=True)  # unnamed constant of Goldberg-Jerrum
C_KM = sympy.Symbol("C_KM", positive=True)  # unnamed constant of Karpinski-Macintyre

_SRC_THM7 = "Bartlett, Harvey, Liaw, Mehrabian, JMLR 2019, Theorem 7; vcbound docs §Capacity bounds"
_NAME_BH = "Baum-Haussler (1989)"
_SRC_BH = "Baum and Haussler, Neural Computation 1989; vcbound docs §Capacity bounds"


def _log2(x):
    return sympy.log(x, 2)


# --------------------------------------------------------------------------------------------
# rounding helpers
# --------------------------------------------------------------------------------------------
def _up(x):
    """Round an mpf computed at :data:`PREC` bits up by a relative margin of 2^-100."""
    return round_up(x, -_MARGIN_EXP)


def _mpf_up(n):
    """A positive int as an mpf >= n, fast for huge n (mpmath's own conversion of a 20000-bit int
    costs ~0.2 ms): keep the top PREC + 64 bits, rounded up (relative change < 2^-190)."""
    shift = n.bit_length() - PREC - 64
    if shift <= 0:
        return mpmath.mpf(n)
    return mpmath.ldexp(mpmath.mpf(-((-n) >> shift)), shift)


def upper_float(value):
    """The smallest-ish Python float that is >= ``value`` (int, Fraction or mpf).

    >>> upper_float(Fraction(1, 3)) >= Fraction(1, 3)
    True
    >>> upper_float(7)
    7.0
    """
    from ._numbers import directed_float

    return directed_float(value if isinstance(value, (int, Fraction)) else mpmath.mpf(value),
                          "upper")


def format_upper(value, decimals=2):
    """Decimal string of an upper bound, rounded **up** at the last shown digit.

    Exact integers are printed in full (up to 15 digits), huge values as ``'1.235e40'`` with the
    mantissa rounded up.

    >>> format_upper(mpmath.mpf('3659.66960455'))
    '3659.67'
    >>> format_upper(Fraction(1, 3), 3)
    '0.334'
    >>> format_upper(12)
    '12'
    >>> format_upper(mpmath.mpf(10) ** 40 * 1.23451)
    '1.235e40'
    """
    if value is None:
        return "n/a"
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        value = int(value)
        if abs(value) < 10**15:
            return str(value)
        value = mpmath.mpf(value)
    with mpmath.workprec(PREC):
        if isinstance(value, Fraction):
            scaled = math.ceil(value * 10 ** decimals)
            if scaled < 10 ** 15:
                return _with_point(scaled, decimals)
            value = mpmath.mpf(value.numerator) / value.denominator
        v = mpmath.mpf(value)
        if abs(v) < 10 ** 15:
            return _with_point(int(mpmath.ceil(v * 10 ** decimals)), decimals)
        e = int(mpmath.floor(mpmath.log10(v)))
        mant = int(mpmath.ceil(v / mpmath.power(10, e - 3)))  # 4 significant digits, up
        if mant >= 10000:
            mant, e = -(-mant // 10), e + 1
        return f"{mant // 1000}.{mant % 1000:03d}e{e}"


def _with_point(scaled, decimals):
    sign = "-" if scaled < 0 else ""
    scaled = abs(scaled)
    if decimals == 0:
        return f"{sign}{scaled}"
    return f"{sign}{scaled // 10 ** decimals}.{scaled % 10 ** decimals:0{decimals}d}"


def _json_number(value):
    """JSON form of a bound value: exact ints stay exact, floats are rounded up."""
    if value is None:
        return None
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return json_safe(int(value))
    if isinstance(value, Fraction) or (isinstance(value, mpmath.mpf) and abs(value) < 2 ** 1000):
        return upper_float(value)
    return json_safe(value)


# --------------------------------------------------------------------------------------------
# result objects
# --------------------------------------------------------------------------------------------
_RELATIONS = {
    "vc_upper": "VCdim <=",
    "vc_exact": "VCdim =",
    "log2_growth_upper": "log2 Pi(m) <=",
}


class CapacityBound(Result):
    """One capacity bound: formula, value, source and conditions.

    Attributes
    ----------
    key : str
        Short identifier used as JSON key (``'bhlm_thm7'``, ``'baum_haussler'`` ...).
    name : str
        Human name (``'BHLM Theorem 7'``).
    kind : {'vc_upper', 'vc_exact', 'log2_growth_upper'}
        What ``value`` bounds: the VC dimension from above, the VC dimension exactly, or the base-2
        logarithm of the growth function at ``m`` from above.
    expression : sympy.Expr
        The formula in the symbols of :data:`vcbound.architecture.SYMBOLS` (and named constants).
    bindings : dict
        ``{symbol: value}`` that turns ``expression`` into this architecture's bound.
    value : int, Fraction, mpmath.mpf or None
        Exact, or rounded up; ``None`` when the formula has a constant the source does not give.
    status : {'certified', 'illustrative', 'symbolic', 'assumed'}
        ``'certified'``: a proven bound with explicit constants; ``'illustrative'``: a number
        obtained by binding an unnamed constant yourself; ``'symbolic'``: no number (constant
        unknown); ``'assumed'``: holds if the user-given polynomial VC bound holds.
    source, conditions, notes
        Where the formula comes from, when it holds, remarks.
    """

    _meanings = {
        "relation": "the bound as a formula in the architecture's W, L, U, R",
        "value": "the bound evaluated on this architecture (rounded up)",
        "integer_bound": "the largest integer the bound allows (VC dimensions are integers)",
        "source": "where the bound is proved",
        "conditions": "what the architecture must satisfy for the bound to hold",
    }

    _headline = "value"

    def __init__(self, key, name, kind, expression, bindings, value, source, conditions,
                 status="certified", notes=(), m=None, exact=None):
        self.key = key
        self.name = name
        self.kind = kind
        self.expression = expression
        self.bindings = dict(bindings)
        self.value = value
        self.source = source
        self.conditions = list(conditions)
        self.status = status
        self.notes = list(notes)
        self.m = m
        self.exact = exact

    @property
    def relation(self):
        """``'VCdim <='``, ``'VCdim ='`` or ``'log2 Pi(m) <='``."""
        rel = _RELATIONS[self.kind]
        return rel.replace("(m)", f"({self.m})") if self.m is not None else rel

    @property
    def evaluated_expression(self):
        """The formula with this architecture's numbers substituted (constants stay symbols).

        All symbols are replaced at once (``xreplace``), so each node is rebuilt from numbers:
        ``subs`` replaced them one by one and compared ``Max(2 deg^U, U + 1)`` with ``deg`` still
        symbolic, a degree-U root isolation (200 s for widths [2, 10^6, 1]; now 0.1 s).
        """
        return self.expression.xreplace(self.bindings)

    @property
    def integer_bound(self):
        """For VC upper bounds with a value: ``floor(value)`` (the VC dimension is an integer)."""
        if self.value is None or self.kind != "vc_upper":
            return None
        if isinstance(self.value, (int, Fraction)):
            return math.floor(self.value)
        return int(mpmath.floor(self.value))

    def value_text(self, decimals=2):
        """The value as text, rounded up; the symbolic formula when there is no value."""
        if self.value is None:
            return sympy_text(self.evaluated_expression)
        return format_upper(self.value, decimals)

    def title(self):
        return f"{self.name}: {self.relation} {self.value_text()}"

    def rows(self):
        rows = [("bound", "bound", self.name),
                ("relation", "statement", f"{self.relation} {self.expression}"),
                ("value", "value", self.value_text())]
        if self.integer_bound is not None:
            rows.append(("integer_bound", "hence VCdim <=", self.integer_bound))
        if self.exact is not None:
            rows.append(("exact", "exact count", self.exact))
        rows += [("status", "status", self.status),
                 ("source", "source", self.source),
                 ("conditions", "conditions", "; ".join(self.conditions))]
        rows += [(f"note_{i}", "note", n) for i, n in enumerate(self.notes)]
        return rows

    def to_dict(self):
        out = {"key": self.key, "name": self.name, "kind": self.kind,
               "expression": sympy_text(self.expression),
               "evaluated_expression": sympy_text(self.evaluated_expression),
               "value": _json_number(self.value), "status": self.status,
               "source": self.source, "conditions": self.conditions, "notes": self.notes}
        if self.integer_bound is not None:
            out["integer_bound"] = json_safe(self.integer_bound)
        if self.exact is not None:
            out["exact"] = json_safe(self.exact)
        if self.m is not None:
            out["m"] = json_safe(self.m)
        return out

    def _repr_latex_(self):
        lhs = {"vc_upper": r"\mathrm{VCdim} \le ", "vc_exact": r"\mathrm{VCdim} = ",
               "log2_growth_upper": rf"\log_2 \Pi({self.m if self.m is not None else 'm'}) \le "}
        val = "" if self.value is None else " = " + self.value_text()
        return (rf"$\text{{{self.name}}}:\ {lhs[self.kind]}{sympy.latex(self.expression)}"
                rf"{val}\quad {latex_value(f'({self.status}; {self.source})')}$")


# --------------------------------------------------------------------------------------------
# raw contract used by the solver
# --------------------------------------------------------------------------------------------
def _int_arg(name, value, minimum):
    if type(value) is int and value >= minimum:  # fast path for the solver's bisection
        return value
    return check_integer(name, value, minimum=minimum)


def bhlm_vc_upper(L, W, sum_Wi, R, p=1):
    """BHLM Theorem 7(b) VC upper bound from the raw counts, for integers of any size.

    Computes ``L + sum_Wi * log2(4 e p R log2(2 e p R))`` (``sum_Wi = Lbar W``) in mpmath at
    :data:`PREC` bits and rounds it up, so the result is an upper bound on the VC dimension of
    every architecture with these counts (vcbound docs §Capacity bounds).

    Parameters
    ----------
    L : int
        Number of layers of computation units (at least 1).
    W : int
        Number of parameters; only checked (``1 <= W <= sum_Wi``), the formula uses ``sum_Wi``.
    sum_Wi : int
        ``sum_i W_i = Lbar W`` with BHLM's ``W_i`` (cumulative for degree >= 1, per-layer for
        degree 0); any larger value gives a larger, still valid, bound.
    R : int
        ``sum_i k_i (1 + (i - 1) deg^(i-1))`` (at least 3); any larger value is also valid.
    p : int, default 1
        Number of breakpoints of the activation (ReLU: 1).

    Returns
    -------
    mpmath.mpf
        The bound, rounded up (128-bit mantissa).

    Raises
    ------
    VCBoundError
        A non-integer or too small argument (``R < 3`` cannot come from ``U > 2`` units).

    Notes
    -----
    Theorem 7(b) assumes ``U > 2`` computation units, piecewise-polynomial non-output units with
    ``p + 1`` pieces and an identity output unit; the caller is responsible for ``U > 2``
    (which implies ``R >= U >= 3``, the only part checked here). Only cheap integer checks are
    made so that the solver can call this thousands of times.

    Examples
    --------
    ReLU ``[2, 10, 10, 1]``: ``L = 3``, ``W = 151``, ``sum W_i = 30 + 140 + 151 = 321``, ``R = 33``:

    >>> print(mpmath.nstr(bhlm_vc_upper(3, 151, 321, 33), 8))
    3659.6696
    >>> M = 10**2000   # the dense envelope [d, M x M, 1] has W ~ M^3
    >>> bhlm_vc_upper(M + 1, M**3, (M + 1) * M**3, M**2 + 1) > 0
    True

    References
    ----------
    BHLM, Theorem 7(b).
    """
    L = _int_arg("L", L, 1)
    W = _int_arg("W", W, 1)
    sum_Wi = _int_arg("sum_Wi", sum_Wi, W)
    R = _int_arg("R", R, 3)
    p = _int_arg("p", p, 1)
    with mpmath.workprec(PREC):
        # the bound increases with L, sum_Wi and R, so rounding them up (_mpf_up) is safe
        r = 2 * mpmath.e * p * _mpf_up(R)  # 2 e p R; 4 e p R log2(2 e p R) = 2 r log2 r
        return _up(_mpf_up(L) + _mpf_up(sum_Wi) * mpmath.log(2 * r * mpmath.log(r, 2), 2))


def bhlm_log2_growth_upper(m, L, sum_Wi, R, p=1):
    """Upper bound on ``log2 Pi(m)`` from BHLM Theorem 7(a) in aggregated form, for huge integers.

    Returns ``L + sum_Wi * log2(2 e p R m / sum_Wi)`` rounded up; valid for ``m >= sum_Wi``.

    **(derived here)** from Theorem 7(a), ``log2 Pi(m) <= sum_i [1 + W_i log2(2 e m k_i p f_i /
    W_i)]`` with ``f_i = 1 + (i-1) deg^(i-1)``, by Jensen's inequality for the concave log with
    weights ``W_i / sum_Wi``: ``sum_i W_i log2(a_i / W_i) <= sum_Wi log2(sum_i a_i / sum_Wi)``
    where ``sum_i a_i = 2 e m p R``. BHLM take the same step (weighted AM-GM) when proving
    Theorem 7(b); vcbound docs §Routes (union route, itself derived here) uses this form. The value increases with ``L``, ``R`` and, on the valid range
    ``sum_Wi <= m``, with ``sum_Wi`` (``d/dS [S log2(c/S)] = log2(c/(e S)) > 0`` because
    ``c / S = 2 e p R m / S >= 2 e``), so over-estimates of these three counts are safe.

    Parameters
    ----------
    m : int
        Number of points (``m >= sum_Wi``).
    L, sum_Wi, R, p : int
        As in :func:`bhlm_vc_upper`.

    Returns
    -------
    mpmath.mpf

    Raises
    ------
    VCBoundError
        If ``m < sum_Wi`` (Theorem 7(a) is only stated for ``m >= Lbar W``) or an argument is not a
        positive integer.

    Examples
    --------
    >>> x = bhlm_log2_growth_upper(1000, 3, 321, 33)
    >>> print(mpmath.nstr(x, 8))   # 3 + 321 log2(2 e 33 * 1000 / 321)
    2932.5885

    References
    ----------
    BHLM, Theorem 7(a) and the proof of Theorem 7(b).
    """
    L = _int_arg("L", L, 1)
    sum_Wi = _int_arg("sum_Wi", sum_Wi, 1)
    R = _int_arg("R", R, 1)
    p = _int_arg("p", p, 1)
    m = _int_arg("m", m, 1)
    if m < sum_Wi:
        raise VCBoundError(_growth_range_message(m, sum_Wi))
    with mpmath.workprec(PREC):
        # increasing in L, R and (for sum_Wi <= m) in sum_Wi and m: round all four up
        S = _mpf_up(sum_Wi)
        ratio = _mpf_up(m) / S
        return _up(_mpf_up(L) + S * mpmath.log(2 * mpmath.e * p * _mpf_up(R) * ratio, 2))


def _growth_range_message(m, minimum):
    return (f"Argument 'm' must be at least Lbar W = sum_i W_i = {minimum}: BHLM Theorem 7(a) "
            f"(growth-function bound) is only valid for m >= Lbar W, not {fmt_value(m)}.")


# --------------------------------------------------------------------------------------------
# bounds on architectures
# --------------------------------------------------------------------------------------------
def _check_arch(arch):
    return check_instance("arch", arch, Architecture,
                          "an Architecture (e.g. Architecture([2, 10, 10, 1]))")


def _need_piecewise(arch, name):
    """``arch`` checked to be an Architecture with a piecewise-polynomial activation."""
    arch = _check_arch(arch)
    if not arch.is_piecewise_polynomial:
        raise NoBoundError(f"{name} is not applicable to activation {arch.activation!r}: it needs "
                           "a piecewise-polynomial activation (relu, threshold or piecewise); the "
                           "sigmoid is not piecewise polynomial.")
    return arch


def bhlm_vc_bound(arch):
    """BHLM Theorem 7(b): ``VCdim <= L + Lbar W log2(4 e p R log2(2 e p R))`` if ``U > 2``.

    Parameters
    ----------
    arch : Architecture
        Piecewise-polynomial activation (ReLU, threshold or ``'piecewise'``), at least 3 units.

    Returns
    -------
    CapacityBound
        ``kind='vc_upper'``, value rounded up (:func:`bhlm_vc_upper`).

    Raises
    ------
    NoBoundError
        Sigmoid activation (not applicable), or ``U <= 2``.

    Examples
    --------
    >>> b = bhlm_vc_bound(Architecture([2, 10, 10, 1]))
    >>> b.value_text(), b.integer_bound
    ('3659.67', 3659)

    References
    ----------
    BHLM, Theorem 7(b); vcbound docs §Capacity bounds (test vector [2, 10, 10, 1] -> 3659.67).
    """
    arch = _need_piecewise(arch, "BHLM Theorem 7")
    if arch.U <= 2:
        raise NoBoundError(f"BHLM Theorem 7(b) needs U > 2 computation units; architecture "
                           f"{list(arch.widths)} has U = {arch.U}.")
    s = _S
    expr = s.L + s.Lbar * s.W * _log2(4 * _E * s.p * s.R * _log2(2 * _E * s.p * s.R))
    value = bhlm_vc_upper(arch.L, arch.W, arch.sum_W_i, arch.R, arch.p)
    return CapacityBound(
        "bhlm_thm7", "BHLM Theorem 7", "vc_upper", expr, arch.symbol_values(), value, _SRC_THM7,
        [f"non-output activations piecewise polynomial with p + 1 = {arch.pieces} pieces and "
         f"degree <= {arch.degree}; identity output unit", f"U > 2 (here U = {arch.U})",
         f"W_i {arch.W_i_convention} (= {arch.W_i})"])


def bhlm_growth_bound(arch, m):
    """BHLM Theorem 7(a) as log2: ``log2 Pi(m) <= sum_i [1 + W_i log2(2 e m k_i p f_i / W_i)]``.

    Here ``f_i = 1 + (i - 1) deg^(i-1)``; valid for ``m >= Lbar W = sum_i W_i`` (vcbound docs §Capacity bounds).

    Parameters
    ----------
    arch : Architecture
        Piecewise-polynomial activation.
    m : int
        Number of points, at least ``Lbar W``.

    Returns
    -------
    CapacityBound
        ``kind='log2_growth_upper'``; ``expression`` is the right-hand side as a function of the
        symbol ``m`` with the architecture's numbers in place.

    Raises
    ------
    VCBoundError
        ``m < Lbar W`` (the theorem is not stated there) or ``m`` not a positive integer.
    NoBoundError
        Sigmoid activation.

    Examples
    --------
    ReLU ``[3, 5, 1]`` (``W_1 = 20``, ``W_2 = 26``, ``k = [5, 1]``), ``m = 100``:
    ``2 + 20 log2(2e*100*5/20) + 26 log2(2e*100*2/26) = 283.7699...``

    >>> bhlm_growth_bound(Architecture([3, 5, 1]), 100).value_text()
    '283.77'

    References
    ----------
    BHLM, Theorem 7(a).
    """
    arch = _need_piecewise(arch, "BHLM Theorem 7")
    m = check_integer("m", m, minimum=1)
    if m < arch.sum_W_i:
        raise VCBoundError(_growth_range_message(m, arch.sum_W_i))
    p, ms = arch.p, _S.m
    terms = list(zip(arch.W_i, arch.k, arch.layer_factors()))
    expr = sympy.Add(*[1 + wi * _log2(2 * _E * ms * ki * p * fi / wi) for wi, ki, fi in terms])
    with mpmath.workprec(PREC):
        total = mpmath.mpf(0)
        for wi, ki, fi in terms:
            total += 1 + wi * mpmath.log(2 * mpmath.e * m * ki * p * fi / mpmath.mpf(wi), 2)
        value = _up(total)
    return CapacityBound(
        "bhlm_thm7", "BHLM Theorem 7", "log2_growth_upper", expr, {ms: m}, value, _SRC_THM7,
        [f"m >= Lbar W = {arch.sum_W_i} (here m = {m})",
         f"non-output activations piecewise polynomial with p + 1 = {arch.pieces} pieces and "
         f"degree <= {arch.degree}; identity output unit",
         f"W_i {arch.W_i_convention} (= {arch.W_i})"], m=m)


def bhlm_thm10_bound(arch):
    """BHLM Theorem 10: ``VCdim <= 2 W log2(16 e max{U + 1, 2 deg^U} (1 + P)^U)``.

    ``P`` is the number of **pieces** of the activation (vcbound docs §Capacity bounds: "pieces, not breakpoints"),
    i.e. ``arch.pieces = p + 1`` in Theorem 7's notation: ReLU and threshold plug in ``P = 2``.

    Parameters
    ----------
    arch : Architecture
        Piecewise-polynomial activation.

    Returns
    -------
    CapacityBound

    Raises
    ------
    NoBoundError
        Sigmoid activation.

    Examples
    --------
    ReLU ``[3, 5, 1]``: ``W = 26``, ``U = 6``, ``P = 2``:
    ``2 * 26 * log2(16 e * max(7, 2) * 3^6) = 52 log2(221942.27...) = 923.5109...``

    >>> bhlm_thm10_bound(Architecture([3, 5, 1])).value_text()
    '923.52'

    References
    ----------
    BHLM, Theorem 10 (``O(W U log((1 + deg) p))``).
    """
    arch = _need_piecewise(arch, "BHLM Theorem 10")
    s = _S
    expr = 2 * s.W * _log2(16 * _E * sympy.Max(s.U + 1, 2 * s.deg ** s.U) * (1 + PIECES) ** s.U)
    bindings = arch.symbol_values()
    bindings[PIECES] = arch.pieces
    W, U, deg = arch.W, arch.U, arch.degree
    with mpmath.workprec(PREC):
        log_max = mpmath.log(U + 1, 2)
        if deg >= 2:  # compare 2 deg^U with U + 1 in the log domain (deg^U may be huge)
            log_max = max(log_max, 1 + U * mpmath.log(deg, 2))
        inner = mpmath.log(16 * mpmath.e, 2) + log_max + U * mpmath.log(1 + arch.pieces, 2)
        value = _up(2 * W * inner)
    return CapacityBound(
        "bhlm_thm10", "BHLM Theorem 10", "vc_upper", expr, bindings, value,
        "Bartlett, Harvey, Liaw, Mehrabian, JMLR 2019, Theorem 10; vcbound docs §Capacity bounds",
        [f"activation piecewise polynomial with {arch.pieces} pieces (P counts pieces, not "
         f"breakpoints) and degree <= {deg}"])


def _need_threshold(arch):
    """``arch`` checked to be an Architecture of >= 2 threshold units."""
    arch = _check_arch(arch)
    # a 2-piece piecewise-constant activation is a + b * step(x - t): the affine part is absorbed
    # by the next layer, so such nets compute the same classes as threshold nets
    if arch.activation != "threshold" and not (arch.activation == "piecewise"
                                               and arch.degree == 0 and arch.pieces == 2):
        raise NoBoundError(f"Baum-Haussler (1989) is not applicable to activation "
                           f"{arch.activation!r}: it needs threshold units.")
    if arch.U < 2:
        raise NoBoundError(f"Baum-Haussler (1989) needs N >= 2 computation units; architecture "
                           f"{list(arch.widths)} has N = U = {arch.U}.")
    return arch


def baum_haussler_bound(arch):
    """Baum–Haussler (1989): ``VCdim <= 2 W log2(e N)`` for ``N >= 2`` threshold units.

    ``N = U`` counts the computation units (output unit included).

    Parameters
    ----------
    arch : Architecture
        Threshold activation, ``U >= 2``.

    Returns
    -------
    CapacityBound

    Raises
    ------
    NoBoundError
        Another activation, or fewer than 2 units.

    Examples
    --------
    Threshold ``[3, 5, 1]``: ``W = 26``, ``N = 6``: ``52 log2(6e) = 52 * 4.0277...``

    >>> baum_haussler_bound(Architecture([3, 5, 1], 'threshold')).value_text()
    '209.44'

    References
    ----------
    E. B. Baum, D. Haussler, Neural Computation 1(1), 1989; vcbound docs §Capacity bounds.
    """
    arch = _need_threshold(arch)
    expr = 2 * _S.W * _log2(_E * N_UNITS)
    with mpmath.workprec(PREC):
        value = _up(2 * arch.W * mpmath.log(mpmath.e * arch.U, 2))
    return CapacityBound(
        "baum_haussler", _NAME_BH, "vc_upper", expr,
        {_S.W: arch.W, N_UNITS: arch.U}, value,
        _SRC_BH,
        [f"threshold units, N = U = {arch.U} >= 2 computation units"])


def baum_haussler_growth_bound(arch, m):
    """Baum–Haussler (1989) growth function: ``log2 Pi(m) <= W log2(N e m / W)`` for ``m >= W``.

    Parameters
    ----------
    arch : Architecture
        Threshold activation, ``U >= 2``.
    m : int
        Number of points, at least ``W``.

    Returns
    -------
    CapacityBound

    Raises
    ------
    VCBoundError
        ``m < W``.
    NoBoundError
        Another activation, or fewer than 2 units.

    Examples
    --------
    Threshold ``[3, 5, 1]``, ``m = 100``: ``26 log2(6 e 100 / 26) = 155.2479...``

    >>> baum_haussler_growth_bound(Architecture([3, 5, 1], 'threshold'), 100).value_text()
    '155.25'

    References
    ----------
    E. B. Baum, D. Haussler, Neural Computation 1(1), 1989; vcbound docs §Capacity bounds.
    """
    arch = _need_threshold(arch)
    m = check_integer("m", m, minimum=1)
    if m < arch.W:
        raise VCBoundError(f"Argument 'm' must be at least W = {arch.W}: the Baum-Haussler growth "
                           f"bound is only valid for m >= W, not {fmt_value(m)}.")
    expr = _S.W * _log2(N_UNITS * _E * _S.m / _S.W)
    with mpmath.workprec(PREC):
        value = _up(arch.W * mpmath.log(arch.U * mpmath.e * m / mpmath.mpf(arch.W), 2))
    return CapacityBound(
        "baum_haussler", _NAME_BH, "log2_growth_upper", expr,
        {_S.W: arch.W, N_UNITS: arch.U, _S.m: m}, value,
        _SRC_BH,
        [f"threshold units, N = U = {arch.U} >= 2", f"m >= W = {arch.W} (here m = {m})"], m=m)


def halfspace_vc_dimension(dim):
    """VC dimension of affine halfspaces ``{x : w.x + b >= 0}`` in ``R^dim``: exactly ``dim + 1``.

    Parameters
    ----------
    dim : int
        Dimension, at least 1.

    Returns
    -------
    CapacityBound
        ``kind='vc_exact'``, integer value.

    Examples
    --------
    >>> halfspace_vc_dimension(2).value
    3

    References
    ----------
    Classical (Radon's theorem for the upper bound); vcbound docs §Capacity bounds.
    """
    dim = check_integer("dim", dim, minimum=1)
    return CapacityBound(
        "halfspace", "Halfspaces (affine)", "vc_exact", _S.d0 + 1, {_S.d0: dim}, dim + 1,
        "classical (Radon's theorem); vcbound docs §Capacity bounds", [f"affine halfspaces in R^{dim}"])


def cover_count(N, dim):
    """Cover (1965): number of affine dichotomies of ``N`` points in general position in ``R^dim``.

    ``C(N, dim) = 2 sum_{k=0}^{dim} binom(N - 1, k)`` (the homogeneous count ``C(N, dim + 1)`` of
    Cover's paper). It is also the growth function of affine halfspaces in ``R^dim``
    (the maximum over ``N``-point sets is attained in general position). Exact integer.

    Parameters
    ----------
    N : int
        Number of points, at least 1.
    dim : int
        Dimension, at least 1.

    Returns
    -------
    int

    Examples
    --------
    >>> [cover_count(n, 2) for n in range(1, 7)]   # n^2 - n + 2 in the plane
    [2, 4, 8, 14, 22, 32]
    >>> cover_count(5, 10) == 2**5
    True

    References
    ----------
    T. M. Cover, IEEE Trans. Electron. Comput. EC-14, 1965; vcbound docs §Capacity bounds.
    """
    N = check_integer("N", N, minimum=1)
    dim = check_integer("dim", dim, minimum=1)
    return 2 * sum(math.comb(N - 1, k) for k in range(min(dim, N - 1) + 1))


def cover_growth_bound(arch, m):
    """Growth function of a single-unit architecture ``[d0, 1]`` (a halfspace), by Cover's count.

    ``Pi(m) = C(m, d0) = 2 sum_{k=0}^{d0} binom(m - 1, k)`` exactly; returned as ``log2`` (rounded
    up) with the exact count in ``exact``.

    Parameters
    ----------
    arch : Architecture
        Exactly one layer of units (``L = 1``); the activation of hidden units plays no role.
    m : int
        Number of points, at least 1.

    Returns
    -------
    CapacityBound

    Raises
    ------
    NoBoundError
        If ``L > 1``.

    Examples
    --------
    >>> b = cover_growth_bound(Architecture([2, 1]), 4)
    >>> b.exact, b.value_text()
    (14, '3.81')

    References
    ----------
    T. M. Cover (1965); vcbound docs §Capacity bounds.
    """
    arch = _check_arch(arch)
    if arch.L != 1:
        raise NoBoundError(f"Cover's count is the growth function of a single unit (widths "
                           f"[d0, 1]); architecture {list(arch.widths)} has L = {arch.L} layers.")
    m = check_integer("m", m, minimum=1)
    count = cover_count(m, arch.d0)
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    expr = _log2(2 * sympy.Sum(sympy.binomial(_S.m - 1, k), (k, 0, _S.d0)))
    with mpmath.workprec(PREC):
        value = _up(mpmath.log(mpmath.mpf(count), 2))
    return CapacityBound(
        "cover", "Cover (1965)", "log2_growth_upper", expr, {_S.m: m, _S.d0: arch.d0}, value,
        "Cover, IEEE Trans. Electron. Comput. 1965; vcbound docs §Capacity bounds",
        [f"one unit on R^{arch.d0} (affine halfspaces); equality, attained in general position"],
        m=m, exact=count)


def _symbolic_bound(key, name, arch, expr, constant, C, source, conditions, notes):
    bindings = {s: v for s, v in arch.symbol_values().items() if s in expr.free_symbols}
    status, value = "symbolic", None
    if C is not None:
        c = check_real(constant.name, C, 0, low_open=True)
        bindings[constant] = sympy.Rational(c.numerator, c.denominator)
        status = "illustrative"
        value = c * int(expr.subs({constant: 1}).subs(bindings))
        notes = list(notes) + [f"{constant.name} = {c} was chosen by the user, not given by the "
                               "source: the number is illustrative, not a certified bound"]
    return CapacityBound(key, name, "vc_upper", expr, bindings, value, source, conditions,
                         status=status, notes=notes)


def goldberg_jerrum_bound(arch, C=None):
    """Goldberg–Jerrum (1995): ``VCdim = O(W^2)`` for piecewise-polynomial nets, i.e.
    ``VCdim <= C_GJ W^2`` with a constant ``C_GJ`` the source does not make explicit.

    Parameters
    ----------
    arch : Architecture
        Piecewise-polynomial activation.
    C : number, optional
        Bind the constant yourself to get an **illustrative** number (never certified).

    Returns
    -------
    CapacityBound
        ``status='symbolic'`` and ``value=None`` unless ``C`` is given (then ``'illustrative'``).

    Raises
    ------
    NoBoundError
        Sigmoid activation.

    Examples
    --------
    >>> b = goldberg_jerrum_bound(Architecture([2, 10, 10, 1]))
    >>> b.value is None, b.value_text()
    (True, '22801*C_GJ')
    >>> goldberg_jerrum_bound(Architecture([2, 10, 10, 1]), C=1).value
    Fraction(22801, 1)

    References
    ----------
    P. W. Goldberg, M. R. Jerrum, Machine Learning 18, 1995; vcbound docs §Capacity bounds.
    """
    arch = _need_piecewise(arch, "Goldberg-Jerrum (1995)")
    return _symbolic_bound(
        "goldberg_jerrum", "Goldberg-Jerrum (1995)", arch, C_GJ * _S.W ** 2, C_GJ, C,
        "Goldberg and Jerrum, Machine Learning 1995; vcbound docs §Capacity bounds",
        ["piecewise-polynomial activation; constant C_GJ not explicit in the source"],
        ["O(W^2): no certified number"])


def karpinski_macintyre_bound(arch, C=None):
    """Karpinski–Macintyre (1997): ``VCdim = O((W U)^2)`` for sigmoid nets, i.e.
    ``VCdim <= C_KM (W U)^2`` with a constant ``C_KM`` the source does not make explicit.

    Parameters
    ----------
    arch : Architecture
        Sigmoid activation.
    C : number, optional
        Bind the constant yourself to get an **illustrative** number (never certified).

    Returns
    -------
    CapacityBound

    Raises
    ------
    NoBoundError
        Any activation other than the sigmoid.

    Examples
    --------
    >>> karpinski_macintyre_bound(Architecture([2, 3, 1], 'sigmoid')).value_text()
    '2704*C_KM'

    References
    ----------
    M. Karpinski, A. Macintyre, J. Comput. Syst. Sci. 54, 1997; vcbound docs §Capacity bounds.
    """
    arch = _check_arch(arch)
    if arch.activation != "sigmoid":
        raise NoBoundError(f"Karpinski-Macintyre (1997) is stated here for sigmoid units, not "
                           f"{arch.activation!r}.")
    return _symbolic_bound(
        "karpinski_macintyre", "Karpinski-Macintyre (1997)", arch,
        C_KM * (_S.W * _S.U) ** 2, C_KM, C,
        "Karpinski and Macintyre, J. Comput. Syst. Sci. 1997; vcbound docs §Capacity bounds",
        ["sigmoid activation; constant C_KM not explicit in the source"],
        ["O((W U)^2): no certified number"])


def polynomial_vc_bound(W, c, k):
    """Generic polynomial family of the paper's Theorem 4.5: ``VCdim <= c W^k``.

    The paper's Theorem 4.5 holds for any model family whose VC dimension is at most polynomial in
    the number ``W`` of parameters; ``c`` and ``k`` are yours (the bound holds if your assumption
    does).

    Parameters
    ----------
    W : int or Architecture
        Number of parameters (or an architecture, whose ``W`` is used).
    c, k : number
        Positive constants, taken as exact rationals of what you typed (``0.1 -> 1/10``).

    Returns
    -------
    CapacityBound
        ``status='assumed'``; exact Fraction value when ``k`` is an integer, else rounded up.

    Examples
    --------
    >>> polynomial_vc_bound(151, 2, 2).value
    Fraction(45602, 1)
    >>> polynomial_vc_bound(100, 1, 0.5).value_text()
    '10'

    References
    ----------
    The paper, Theorem 4.5; vcbound docs §Capacity bounds.
    """
    if isinstance(W, Architecture):
        W = W.W
    W = check_integer("W", W, minimum=1)
    c = check_real("c", c, 0, low_open=True)
    k = check_real("k", k, 0, low_open=True)
    cs, ks = sympy.Symbol("c", positive=True), sympy.Symbol("k", positive=True)
    bindings = {_S.W: W, cs: sympy.Rational(c.numerator, c.denominator),
                ks: sympy.Rational(k.numerator, k.denominator)}
    root = _integer_root(W, k.denominator)
    if root is not None:  # W^k is an integer: keep the value exact
        value = c * root ** k.numerator
    else:
        with mpmath.workprec(PREC):
            value = _up(mpmath.mpf(c.numerator) / c.denominator
                        * mpmath.power(W, mpmath.mpf(k.numerator) / k.denominator))
    return CapacityBound(
        "polynomial", f"Polynomial family c W^k (c = {c}, k = {k})", "vc_upper", cs * _S.W ** ks,
        bindings, value, "the paper, Theorem 4.5 (VCdim at most poly(W)); vcbound docs §Capacity bounds",
        ["the model family satisfies VCdim <= c W^k (your assumption)"], status="assumed")


def _integer_root(n, b):
    """The integer ``r`` with ``r^b == n``, or None."""
    if b == 1:
        return n
    r = round(n ** (1.0 / b)) if n.bit_length() < 1000 else None
    if r is None:
        return None
    for cand in (r - 1, r, r + 1):
        if cand >= 0 and cand ** b == n:
            return cand
    return None


# --------------------------------------------------------------------------------------------
# everything at once
# --------------------------------------------------------------------------------------------
_VC_FUNCS = (
    ("bhlm_thm7", "BHLM Theorem 7", bhlm_vc_bound),
    ("bhlm_thm10", "BHLM Theorem 10", bhlm_thm10_bound),
    ("baum_haussler", "Baum-Haussler (1989)", baum_haussler_bound),
    ("goldberg_jerrum", "Goldberg-Jerrum (1995)", goldberg_jerrum_bound),
    ("karpinski_macintyre", "Karpinski-Macintyre (1997)", karpinski_macintyre_bound),
)
_GROWTH_FUNCS = (
    ("bhlm_thm7", "BHLM Theorem 7(a)", bhlm_growth_bound),
    ("baum_haussler", "Baum-Haussler (1989)", baum_haussler_growth_bound),
    ("cover", "Cover (1965)", cover_growth_bound),
)


class CapacityReport(Result):
    """Every bound :func:`all_bounds` could apply to one architecture, and why others could not.

    Attributes
    ----------
    arch : Architecture
    m : int or None
    vc : list of CapacityBound
        VC-dimension bounds (upper bounds, and the exact halfspace value for ``L = 1``).
    growth : list of CapacityBound
        Growth-function bounds at ``m`` (empty when ``m`` is None).
    skipped : list of (str, str, str)
        ``(kind, name, reason)`` of bounds that do not apply.
    """

    _meanings = {
        "growth_bhlm_thm7": ("upper bound on log2 of the growth function at the given number of "
                             "points (BHLM Theorem 7, certified)"),
    }

    def __init__(self, arch, m, vc, growth, skipped):
        self.arch, self.m, self.vc, self.growth, self.skipped = arch, m, vc, growth, skipped

    def __iter__(self):
        return iter(self.vc + self.growth)

    def __len__(self):
        return len(self.vc) + len(self.growth)

    def title(self):
        return f"Capacity bounds for {self.arch.title()}"

    def summary(self):
        best = [b for b in self.vc if b.status == "certified" and b.value is not None]
        if not best:
            return f"{list(self.arch.widths)}: no certified VC-dimension bound applies"
        b = min(best, key=lambda b: b.value)
        return (f"{list(self.arch.widths)} ({self.arch.activation}): {b.relation} "
                f"{b.value_text()} ({b.name}, certified)")

    def rows(self):
        rows = list(self.arch.rows())
        rows += [(f"vc_{b.key}", f"{b.name}: {b.relation}", b.value_text()) for b in self.vc]
        rows += [(f"growth_{b.key}", f"{b.name}: {b.relation}", b.value_text())
                 for b in self.growth]
        return rows

    def to_dict(self):
        a = self.arch
        out = {"widths": list(a.widths), "activation": a.activation, "pieces": a.pieces,
               "degree": a.degree, "W": a.W, "L": a.L, "U": a.U, "p": a.p,
               "W_i": a.W_i, "W_i_convention": a.W_i_convention,
               "sum_W_i": a.sum_W_i, "Lbar": None if a.Lbar is None else str(a.Lbar),
               "Lbar_value": None if a.Lbar is None else float(a.Lbar),
               "R": a.R,
               "vc_upper_bound": {b.key: (_json_number(b.value) if b.value is not None
                                          else sympy_text(b.evaluated_expression)) for b in self.vc}}
        if self.m is not None:
            out["m"] = json_safe(self.m)
            out["log2_growth_upper_bound"] = {b.key: _json_number(b.value) for b in self.growth}
        out["not_applicable"] = {f"{kind}:{key}": reason for kind, key, _n, reason in self.skipped}
        out["bounds"] = [b.to_dict() for b in self]
        return json_safe(out)

    def text(self):
        """The newcomer-friendly text report printed by ``python -m vcbound bounds``."""
        a = self.arch
        lines = [f"Network {list(a.widths)}: input dimension {a.d0}, "
                 f"{a.L} layer{'s' if a.L > 1 else ''} of units, activation "
                 f"{a.describe_activation()}; the output unit is linear and its sign is the label.",
                 "", "Counts (notation of Bartlett, Harvey, Liaw, Mehrabian, JMLR 2019):"]
        facts = [("W", a.W, "parameters (weights + biases)"),
                 ("L", a.L, "layers of computation units (output unit = layer L)"),
                 ("U", a.U, "computation units")]
        if a.is_piecewise_polynomial:
            wi_doc = ("parameters into layer i (degree 0)" if a.W_i_convention == "per-layer"
                      else "parameters into layers 1..i (degree >= 1)")
            lbar = a.Lbar
            lbar_text = (str(lbar) if lbar.denominator == 1
                         else f"{lbar} = {float(lbar):.4f}")
            facts += [("p", a.p, "breakpoints of the activation (pieces - 1)"),
                      ("W_i", a.W_i, wi_doc),
                      ("Lbar", lbar_text, "effective depth, (1/W) sum_i W_i"),
                      ("R", a.R, "sum_i k_i (1 + (i-1) deg^(i-1))")]
        width = max(len(n) for n, _v, _d in facts)
        vwidth = max(len(_plain(v)) for _n, v, _d in facts)
        lines += [f"  {n.ljust(width)} = {_plain(v).ljust(vwidth)}  {d}" for n, v, d in facts]
        lines.append("")
        lines.append("Upper bounds on the VC dimension (the largest number of points this network "
                     "can label in every")
        lines.append("possible way; VCdim is an integer, so VCdim <= the integer part):")
        lines.append(_indent(_bound_table(self.vc)))
        if self.m is not None:
            lines += ["", f"Upper bounds on log2 of the growth function at m = {self.m} "
                          f"(log2 of the number of labellings of {self.m} points):"]
            lines.append(_indent(_bound_table(self.growth)) if self.growth else "  (none applies)")
        notes = []
        for _kind, _key, _name, reason in self.skipped:
            if f"  - {reason}" not in notes:
                notes.append(f"  - {reason}")
        if notes:
            lines += ["", "Not applicable here:"] + notes
        if any(b.status == "symbolic" for b in self.vc):
            lines += ["", "Bounds marked 'symbolic' have a constant their source does not give; "
                          "they are shown as formulas, never as certified numbers."]
        lines += ["", "Numbers are rounded up, so every printed upper bound is a valid one. "
                      "Sources and conditions: --format json."]
        return "\n".join(lines)

    def latex(self):
        """The report as a LaTeX fragment (a tabular of the bounds)."""
        a = self.arch
        head = a._repr_latex_()
        cols = ["bound", "statement", "value", "status"]
        rows = [[b.name, b.relation, _latex_bound_value(b), b.status] for b in self]
        return head + "\n\n" + render_table(cols, rows, "latex")

    _repr_latex_ = Result._repr_latex_      # a MathJax array; latex() is for papers


def _latex_bound_value(b):
    if b.value is None:
        return b.evaluated_expression
    return b.value_text()


def _plain(v):
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return str(v)


def _indent(text, n=2):
    return "\n".join(" " * n + line for line in text.splitlines())


def _bound_table(bounds):
    rows = []
    for b in bounds:
        rel = b.relation
        integer = b.integer_bound if b.integer_bound is not None else ""
        rows.append([b.name, rel, b.value_text(), integer, b.status])
    return render_table(["bound", "statement", "value", "integer part", "status"], rows, "text")


def all_bounds(arch, m=None):
    """Every bound of this module that applies to ``arch`` (and, with ``m``, growth bounds at m).

    Parameters
    ----------
    arch : Architecture
    m : int, optional
        Number of points for growth-function bounds.

    Returns
    -------
    CapacityReport
        ``.vc`` and ``.growth`` lists of :class:`CapacityBound`, ``.skipped`` the bounds that do
        not apply with the reason (e.g. sigmoid: "not applicable").

    Examples
    --------
    >>> r = all_bounds(Architecture([2, 10, 10, 1]))
    >>> [b.key for b in r.vc]
    ['bhlm_thm7', 'bhlm_thm10', 'goldberg_jerrum']
    >>> [b.key for b in all_bounds(Architecture([2, 3, 1], 'sigmoid')).vc]
    ['karpinski_macintyre']
    """
    arch = _check_arch(arch)
    if m is not None:
        m = check_integer("m", m, minimum=1)
    vc, growth, skipped = [], [], []
    if arch.L == 1:
        vc.append(halfspace_vc_dimension(arch.d0))
    for key, name, func in _VC_FUNCS:
        try:
            vc.append(func(arch))
        except NoBoundError as exc:
            skipped.append(("vc", key, name, str(exc)))
    if m is not None:
        for key, name, func in _GROWTH_FUNCS:
            try:
                growth.append(func(arch, m))
            except VCBoundError as exc:  # not applicable, or m below the validity range
                skipped.append(("growth", key, name, str(exc)))
    return CapacityReport(arch, m, vc, growth, skipped)


def growth_upper_bound(widths, n):
    """Best certified upper bound on the growth function Pi(n) of a ReLU architecture, as log2.

    The minimum of: n (Pi(n) <= 2^n); for every certified VC bound D of
    :func:`vcbound.capacity.all_bounds` (the exact halfspace value m + 1 for one neuron, BHLM
    Theorems 7 and 10), the Sauer–Shelah sum log2 Phi_D(n), exact (vcbound docs §Sauer-Shelah); and every
    certified growth-function bound at n (BHLM Theorem 7(a) when n >= Lbar W, Cover's count for
    one neuron; vcbound docs §Capacity bounds). Bounds with unnamed constants (Goldberg–Jerrum) are skipped.

    Parameters
    ----------
    widths : list of int or vcbound.architecture.Architecture
        ReLU architecture [m, k_1, ..., 1].
    n : int
        Number of points, >= 1.

    Returns
    -------
    (float, str)
        log2 of the bound and a short description of where it comes from.

    Examples
    --------
    One neuron on 9 points in the plane: Cover's count C(9, 3) = 2 (1 + 8 + 28) = 74 beats the
    Sauer sum Phi_3(9) = 130 of VCdim = 3 and 2^9 = 512.

    >>> log2_bound, source = growth_upper_bound([2, 1], 9)
    >>> round(2 ** log2_bound), source
    (74, 'Cover (1965)')

    References
    ----------
    vcbound docs §Sauer-Shelah (Sauer–Shelah), §Capacity bounds (BHLM Theorems 7 and 10, Cover 1965).
    """
    from .sauer import sauer_sum
    arch = widths if isinstance(widths, Architecture) else Architecture(list(widths))
    n = check_integer("n", n, 1)
    best, source = float(n), "2^n"
    report = all_bounds(arch, n)
    for b in report.vc:
        if b.status != "certified" or b.value is None:
            continue
        D = b.integer_bound if b.kind == "vc_upper" else int(b.value)
        if D < n:
            value = math.log2(sauer_sum(D, n))
            if value < best:
                best, source = value, f"Sauer-Shelah with {b.name} VCdim <= {D}"
    for b in report.growth:
        if b.status == "certified" and b.value is not None and float(b.value) < best:
            best, source = float(b.value), b.name
    return best, source
