"""Sauer–Shelah sums, their closed-form upper bounds, and the inversion D_min (vcbound docs §Sauer-Shelah).

Notation (vcbound docs §Sauer-Shelah): ``Phi_D(m) = sum_{i=0}^{D} C(m, i)`` is the Sauer–Shelah sum. If a class
has VC dimension ``D`` then its growth function satisfies ``Pi(m) <= Phi_D(m)`` for every ``m``
(Sauer–Shelah lemma). Read backwards: a class that realizes at least ``G`` labellings of some
``m`` points has VC dimension at least ::

    D_min = min{D : Phi_D(m) >= G}                                     (vcbound docs §Sauer-Shelah)

and replacing ``Phi`` by any upper bound ``U >= Phi`` gives a smaller ``D``, still a valid lower
bound. This module computes ``Phi_D(m)`` exactly, five upper bounds of it (exactly or as
rigorous base-2 logarithms for ``m`` far beyond floating point, e.g. ``m = 10^7000``), and the
inversion :func:`d_min`.

The bound forms (names used by :func:`log2_sauer`, :func:`sauer_bound_expr` and :func:`d_min`):

``"exact"``
    ``Phi_D(m)`` itself.
``"tight"`` (derived here)
    ``C(m, D) (m - D + 1) / (m - 2D + 1)`` for ``2D <= m``, capped at ``2^m``; ``2^m`` for
    ``2D > m``. Within a factor ``(m - D + 1)/(m - 2D + 1)`` of ``Phi_D(m)`` (``<= 2`` for
    ``D <= m/3``) because ``Phi_D(m) >= C(m, D)``.
``"entropy"``
    ``2^{m H(D/m)} = (m/D)^D (m/(m-D))^(m-D)`` for ``D <= m/2``, ``H`` the binary entropy.
``"em"``
    ``(e m / D)^D`` for ``1 <= D <= m`` (the form the paper uses).
``"m_plus_1"``
    ``(m + 1)^D`` for every ``D, m >= 0``.

Derivation of the tight form (derived here; vcbound docs §Sauer-Shelah). For ``1 <= i <= D`` the
ratio of consecutive terms is ``C(m, i-1)/C(m, i) = i/(m - i + 1)``, which increases with ``i``,
so it is at most ``r = D/(m - D + 1)``; hence ``C(m, D - j) <= r^j C(m, D)`` and ::

    Phi_D(m) = sum_{j=0}^{D} C(m, D - j) <= C(m, D) / (1 - r) = C(m, D) (m - D + 1)/(m - 2D + 1),

valid whenever ``r < 1``, i.e. ``2D <= m``. For ``2D > m`` we use ``Phi_D(m) <= 2^m``, which is
within a factor 2 there since then ``Phi_D(m) >= 2^(m-1)`` by symmetry.

Log domain. Every ``log2`` value this module returns as an *upper* bound is rounded up, and
every ``log2`` value returned as a *lower* bound (``D_min`` in log form) is rounded down: the
computation runs at a working precision well above the result's, the rounding error of each
step is bounded by ``2^-(prec - 12)`` times the magnitude of the terms involved, and that bound
is added in the conservative direction. ``log C(m, k)`` for huge ``m`` is computed from
Stirling's series with Binet's remainder ``1/(12x) - 1/(360x^3) < mu(x) < 1/(12x)`` and
``log1p`` (see :func:`log2_binomial_bounds`), so there is no cancellation between
``log Gamma`` terms of size ``m log m``.

References
----------
.. [Sau72] N. Sauer. On the density of families of sets. J. Combin. Theory A 13:145-147, 1972.
.. [She72] S. Shelah. A combinatorial problem. Pacific J. Math. 41:247-261, 1972.
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. Why Robust Generalization in Deep Learning is Difficult:
   Perspective of Expressive Power. NeurIPS 2022, section 4.3 (proof sketch of Theorem 4.3).
.. [WW] Whittaker & Watson, A Course of Modern Analysis, §12.33: for real ``x > 0`` Stirling's
   series for ``ln Gamma`` envelops its value, so Binet's function satisfies
   ``1/(12x) - 1/(360 x^3) < mu(x) < 1/(12x)``.
"""

import math
import numbers
from collections import namedtuple
from fractions import Fraction

import mpmath
import sympy

from ._numbers import BigNumber, log2_int, log2_rational, round_down, round_up
from ._result import Result
from ._validation import check_choice, check_integer, fmt_value, to_rational
from .errors import VCBoundError

__all__ = [
    "sauer_sum",
    "sauer_bound_expr",
    "SAUER_FORMS",
    "SauerForm",
    "log2_sauer",
    "log2_binomial_bounds",
    "d_min",
    "DMin",
    "EXACT_MAX_M",
    "EXACT_LIMIT_M",
    "INT_RESOLUTION_BITS",
]

#: ``form="auto"`` uses exact Sauer sums while ``m <= EXACT_MAX_M``, the tight form beyond.
EXACT_MAX_M = 20_000
#: ``form="exact"`` is refused for ``m`` above this (exact sums would take minutes).
EXACT_LIMIT_M = 200_000
#: In the log regime :func:`d_min` returns an exact integer while ``D < 2^INT_RESOLUTION_BITS``
#: (about 1.8e308) and a base-2 logarithm beyond.
INT_RESOLUTION_BITS = 1024
#: Largest result (in bits) :func:`sauer_sum` will build as an exact integer.
SAUER_SUM_MAX_BITS = 1 << 26

_CHUNK = 64          # terms per chunk in exact binomial sums
_STIRLING_MIN = 1 << 40   # below this, log Gamma is evaluated directly
_NEWTON_TRIES = 16

_m_sym, _D_sym, _i_sym = sympy.symbols("m D i", integer=True, nonnegative=True)

#: A bound form: sympy expression in ``D`` and ``m``, its condition, and where it comes from.
SauerForm = namedtuple("SauerForm", "name expr condition source")

SAUER_FORMS = {
    "exact": SauerForm(
        "exact", sympy.Sum(sympy.binomial(_m_sym, _i_sym), (_i_sym, 0, _D_sym)),
        "D, m >= 0", "definition of Phi_D(m); Sauer-Shelah lemma (vcbound docs §Sauer-Shelah)"),
    "tight": SauerForm(
        "tight", sympy.binomial(_m_sym, _D_sym) * (_m_sym - _D_sym + 1) / (_m_sym - 2 * _D_sym + 1),
        "2D <= m (capped at 2^m; 2^m for 2D > m)",
        "derived here: geometric series of term ratios <= D/(m - D + 1) (vcbound docs §Sauer-Shelah)"),
    "entropy": SauerForm(
        "entropy", (_m_sym / _D_sym) ** _D_sym * (_m_sym / (_m_sym - _D_sym)) ** (_m_sym - _D_sym),
        "1 <= D <= m/2 (equals 2^(m H(D/m)))", "vcbound docs §Sauer-Shelah (entropy form)"),
    "em": SauerForm(
        "em", (sympy.E * _m_sym / _D_sym) ** _D_sym, "1 <= D <= m",
        "vcbound docs §Sauer-Shelah; the form used in the paper's proof sketch of Theorem 4.3"),
    "m_plus_1": SauerForm(
        "m_plus_1", (_m_sym + 1) ** _D_sym, "D, m >= 0", "vcbound docs §Sauer-Shelah"),
}

_FORMS = tuple(SAUER_FORMS)
_LOG_FORMS = ("tight", "entropy", "em", "m_plus_1")


# ---------------------------------------------------------------------------------------------
# exact sums
# ---------------------------------------------------------------------------------------------
def _binom_range_sum(m, a, b, T):
    """``sum_{i=a}^{b} C(m, i)`` for ``0 <= a <= b <= m`` given ``T = C(m, a)`` (exact).

    Works in chunks of ``k`` terms: with ``B = prod_{l=a+1}^{a+k-1} l`` every term of the chunk
    is ``T * (integer) / B``, so a chunk costs two big multiplications and two exact big divisions
    instead of ``k`` of each.
    """
    total = 0
    while a <= b:
        k = min(_CHUNK, b - a + 1)
        suffix = [1] * k              # suffix[j] = prod_{l=a+j+1}^{a+k-1} l
        for j in range(k - 1, 0, -1):
            suffix[j - 1] = suffix[j] * (a + j)
        acc, falling = 0, 1           # falling = prod_{l<j} (m - a - l)
        for j in range(k):
            acc += falling * suffix[j]
            falling *= m - a - j
        B = suffix[0]
        total += T * acc // B
        T = T * falling // (B * (a + k))
        a += k
    return total


def sauer_sum(D, m):
    """The Sauer–Shelah sum ``Phi_D(m) = sum_{i=0}^{D} C(m, i)`` as an exact ``int``.

    ``D >= m`` gives ``2^m``. The sum is evaluated from whichever end is cheapest: from ``i = 0``,
    through the complement ``2^m - Phi_{m-D-1}(m)`` (symmetry ``C(m, i) = C(m, m - i)``), or
    outwards from the centre, where ``Phi_{(m-1)/2}(m) = 2^(m-1)`` for odd ``m`` and
    ``Phi_{m/2-1}(m) = 2^(m-1) - C(m, m/2)/2`` for even ``m``; so at most about ``m/4`` terms are
    added, by incremental binomials in chunks. About 0.2 s for ``m = 10^5`` in the worst case.

    Parameters
    ----------
    D : int
        Upper summation index (the VC dimension in the Sauer–Shelah lemma), ``D >= 0``.
    m : int
        Number of points, ``m >= 0``.

    Returns
    -------
    int
        ``Phi_D(m)``.

    Raises
    ------
    VCBoundError
        If ``D`` or ``m`` is negative or not an integer, or the result would have more than
        :data:`SAUER_SUM_MAX_BITS` bits (use :func:`log2_sauer` then).

    Examples
    --------
    >>> sauer_sum(2, 10)          # 1 + 10 + 45
    56
    >>> sauer_sum(7, 5)           # D >= m: all 2^5 labellings
    32

    References
    ----------
    vcbound docs §Sauer-Shelah (definition of Phi_D(m)); Sauer (1972), Shelah (1972).
    """
    D = check_integer("D", D, minimum=0)
    m = check_integer("m", m, minimum=0)
    if D >= m:
        _check_sum_size(m, D, m)
        return 1 << m
    _check_sum_size(m, D, min(m, D * (m + 1).bit_length()))
    if m % 2:
        h, phi_h = (m - 1) // 2, 1 << (m - 1)
    else:
        h, phi_h = m // 2 - 1, None          # phi_h computed only when the centre route is used
    costs = {"low": D + 1, "complement": m - D, "centre": abs(D - h) + 1}
    route = min(costs, key=costs.get)
    if route == "low":
        return _binom_range_sum(m, 0, D, 1)
    if route == "complement":
        return (1 << m) - _binom_range_sum(m, 0, m - D - 1, 1)
    if phi_h is None:
        phi_h = (1 << (m - 1)) - math.comb(m, m // 2) // 2
    if D == h:
        return phi_h
    if D < h:
        return phi_h - _binom_range_sum(m, D + 1, h, math.comb(m, D + 1))
    return phi_h + _binom_range_sum(m, h + 1, D, math.comb(m, h + 1))


def _check_sum_size(m, D, bits):
    if bits > SAUER_SUM_MAX_BITS:
        raise VCBoundError(
            f"Phi_D(m) for D = {fmt_value(D)}, m = {fmt_value(m)} has about {bits} bits, more than "
            f"{SAUER_SUM_MAX_BITS} can be built exactly; use log2_sauer(D, m) instead.")


def sauer_bound_expr(form="exact", D=None, m=None):
    """The bound ``form`` as a sympy expression in the symbols ``D`` and ``m``.

    Conditions and sources are in :data:`SAUER_FORMS` (``SAUER_FORMS[form].condition``).

    Parameters
    ----------
    form : {"exact", "tight", "entropy", "em", "m_plus_1"}
    D, m : int, optional
        Values to substitute (without evaluating, so huge values are safe; call ``.doit()`` or
        ``.evalf()`` on small ones).

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> sauer_bound_expr("em")
    (E*m/D)**D
    >>> sauer_bound_expr("em", D=2, m=10).evalf(6)        # (10 e / 2)^2
    184.726
    >>> sauer_bound_expr("exact", D=2, m=10).doit()
    56
    >>> SAUER_FORMS["entropy"].condition
    '1 <= D <= m/2 (equals 2^(m H(D/m)))'

    References
    ----------
    vcbound docs §Sauer-Shelah; the tight form is derived here (module docstring).
    """
    form = check_choice("form", form, _FORMS)
    expr = SAUER_FORMS[form].expr
    subs = {}
    if D is not None:
        subs[_D_sym] = sympy.Integer(check_integer("D", D, minimum=0))
    if m is not None:
        subs[_m_sym] = sympy.Integer(check_integer("m", m, minimum=0))
    if subs:
        with sympy.evaluate(False):
            expr = expr.xreplace(subs)
    return expr


# ---------------------------------------------------------------------------------------------
# rigorous log-domain evaluation
# ---------------------------------------------------------------------------------------------
def _err(prec, *terms):
    """Bound on the accumulated rounding error of a few mpf operations on ``terms``."""
    total = mpmath.mpf(1)
    for t in terms:
        total += abs(t)
    return mpmath.ldexp(total, 12 - prec)


def _mpf_up(n):
    """The integer ``n`` as an mpf ``>= n`` at the current precision."""
    return mpmath.mpf(mpmath.libmp.from_int(int(n), mpmath.mp.prec, mpmath.libmp.round_ceiling))


def _prec_for(m, k_bits=0):
    """Working precision: ~100 bits of the result, plus the digits of an integer answer
    ``< 2^k_bits``, plus ``log2 log2 m`` bits lost to cancellation."""
    return 112 + int(m).bit_length().bit_length() + min(int(k_bits), INT_RESOLUTION_BITS)


class _MVals:
    """``m`` with its mpf conversions at one working precision, computed once (converting an int
    such as ``10^7000`` to mpf costs ~0.4 ms in mpmath's pure-Python backend), and the logarithms
    that depend on ``m`` and the precision only: ``ln x`` (``x = m + 1``) and ``ln(2 pi) / 2``.
    They are the very values the bound evaluations computed inline before (same operations at
    the same precision), so caching them changes no bit of any result."""

    __slots__ = ("m", "prec", "mm", "up", "x", "_lnx")

    def __init__(self, m, prec):
        self.m, self.prec = m, prec
        with mpmath.workprec(prec):
            self.mm = mpmath.mpf(m)          # nearest
            self.up = _mpf_up(m)             # >= m
            self.x = self.mm + 1
        self._lnx = None

    @property
    def lnx(self):
        """``ln(m + 1)`` at ``prec`` (computed on first use)."""
        if self._lnx is None:
            with mpmath.workprec(self.prec):
                self._lnx = mpmath.ln(self.x)
        return self._lnx


_HALF_LN_2PI = {}


def _half_ln_2pi(prec):
    """``ln(2 pi) / 2`` at precision ``prec``, cached per precision."""
    v = _HALF_LN_2PI.get(prec)
    if v is None:
        with mpmath.workprec(prec):
            v = _HALF_LN_2PI[prec] = mpmath.ln(2 * mpmath.pi) / 2
    return v


def _ln_gamma_bounds(z, prec):
    """``(lo, hi)`` around ``ln Gamma(z)`` for real ``z >= 1``: directly below ``2^40``, else
    Stirling's series with Binet's remainder ``1/(12z) - 1/(360 z^3) < mu(z) < 1/(12z)``."""
    if z < _STIRLING_MIN:
        v = mpmath.loggamma(z)
        e = _err(prec, v)
        return v - e, v + e
    lnz = mpmath.ln(z)
    t = (z - mpmath.mpf(0.5)) * lnz
    v = t - z + _half_ln_2pi(mpmath.mp.prec) + 1 / (12 * z)
    e = _err(prec, t, z)
    return v - 1 / (360 * z ** 3) - e, v + e


def _ln_binom_bounds(M, k):
    """``(lo, hi)`` around ``ln C(m, k)``, ``m = M.m``, ``k`` an int in ``[0, m]`` or an mpf in
    ``[0, m/2]`` (Gamma extension). Call inside ``workprec(M.prec)``."""
    m, prec = M.m, M.prec
    zero = mpmath.mpf(0)
    if isinstance(k, int):
        if k == 0 or k == m:
            return zero, zero
        if 2 * k > m:
            k = m - k
        kk, y = mpmath.mpf(k), mpmath.mpf(m - k + 1)
    else:                     # real k: only used with 0 < 2k <= m (the forms cap beyond)
        if k == 0:
            return zero, zero
        kk, y = k, M.mm - k + 1
    if m < _STIRLING_MIN:
        # direct: ln Gamma(m + 1) ~ 2^46 at most, so 48 extra bits absorb the cancellation
        prec2 = prec + 48
        with mpmath.workprec(prec2):
            a = mpmath.loggamma(m + 1)
            b = mpmath.loggamma(kk + 1)
            c = mpmath.loggamma(y)
            v = a - b - c
            e = _err(prec2, a, b, c) + _err(prec, v)
            return v - e, v + e
    # ln Gamma(x) - ln Gamma(y) with x = m + 1, y = x - k, by Stirling + Binet's remainder
    # mu(t) = 1/(12 t) - theta/(360 t^3), 0 < theta < 1 (the series envelops for real t > 0):
    #   = k ln x - k - (y - 1/2) log1p(-k/x) - k/(12 x y) + [-1/(360 x^3), +1/(360 y^3)]
    x = M.x
    t1 = kk * M.lnx
    t2 = (y - mpmath.mpf(0.5)) * mpmath.log1p(-kk / x)
    t3 = kk / (12 * x * y)
    pair = t1 - kk - t2 - t3
    zlo, zhi = _ln_gamma_bounds(kk + 1, prec)
    e = _err(prec, t1, kk, t2, t3)
    return pair - 1 / (360 * x ** 3) - zhi - e, pair + 1 / (360 * y ** 3) - zlo + e


def log2_binomial_bounds(m, k, prec=None):
    """Rigorous bounds ``(lo, hi)`` on ``log2 C(m, k)`` for integers ``0 <= k <= m`` of any size.

    For ``m < 2^40`` the three ``log Gamma`` values are evaluated directly (48 extra bits absorb
    their cancellation); beyond, the pair ``ln Gamma(m+1) - ln Gamma(m-k+1)`` is taken from
    Stirling's series in the cancellation-free form
    ``k ln x - k - (y - 1/2) log1p(-k/x) - k/(12 x y)`` (``x = m + 1``, ``y = m - k + 1``), with
    Binet's remainder ``mu(t) = 1/(12 t) - theta/(360 t^3)``, ``0 < theta < 1``, bounding the
    rest, so the working precision only needs to exceed the precision of the result by about
    ``log2 log2 m`` bits. Rounding errors are bounded and added outwards.

    Parameters
    ----------
    m, k : int
        ``0 <= k <= m``.
    prec : int, optional
        Working precision in bits (default: enough for ~100 correct bits, more for small ``k``).

    Returns
    -------
    (mpmath.mpf, mpmath.mpf)
        ``lo <= log2 C(m, k) <= hi``.

    Examples
    --------
    >>> lo, hi = log2_binomial_bounds(10, 3)          # C(10, 3) = 120
    >>> print(mpmath.nstr(lo, 15), hi - lo < 1e-25)   # log2 120 = 6.90689059560852
    6.90689059560852 True
    >>> lo, hi = log2_binomial_bounds(10**4000, 10**3999)
    >>> print(mpmath.nstr(lo / 10**4000, 12))   # ~ H(0.1) = 0.468995593589...
    0.468995593589

    References
    ----------
    Whittaker & Watson §12.33 (Binet's function); vcbound docs §Sauer-Shelah.
    """
    m = check_integer("m", m, minimum=0)
    k = check_integer("k", k, minimum=0, maximum=m)
    if prec is None:
        prec = _prec_for(m, min(k, m - k).bit_length())
    with mpmath.workprec(prec):
        lo, hi = _ln_binom_bounds(_MVals(m, prec), k)
        return _ln_to_log2(lo, -1, prec), _ln_to_log2(hi, +1, prec)


def _ln_to_log2(v, direction, prec):
    """``v / ln 2`` rounded outwards (``direction`` +1 up, -1 down)."""
    w = v / mpmath.ln2
    return w + direction * _err(prec, w) / 16


def _log2_form_raw(form, D, M):
    """Upper bound of log2 of ``form``'s formula at ``0 < D``, inside its domain (no cap).
    ``D`` int or mpf; call inside ``workprec(M.prec)``."""
    m, mm, prec = M.m, M.mm, M.prec
    Dm = mpmath.mpf(D)
    if form == "tight":
        hi = _ln_binom_bounds(M, D)[1]
        if isinstance(D, int):
            num, den = mpmath.mpf(m - D + 1), mpmath.mpf(m - 2 * D + 1)
        else:
            num = mm - Dm + 1 + _err(prec, mm)
            den = mm - 2 * Dm + 1 - _err(prec, mm)
            if den <= 0:
                return mpmath.inf
        lnum, lden = mpmath.ln(num), mpmath.ln(den)
        v, e = hi + lnum - lden, _err(prec, hi, lnum, lden)
    elif form == "entropy":
        rest = mpmath.mpf(m - D) if isinstance(D, int) else mm - Dm
        t1 = Dm * mpmath.ln(mm / Dm)
        t2 = -rest * mpmath.log1p(-Dm / mm)
        v, e = t1 + t2, _err(prec, t1, t2, mm)
    elif form == "em":
        v = Dm * (1 + mpmath.ln(mm / Dm))
        e = _err(prec, v, Dm)
    else:  # m_plus_1
        v = Dm * M.lnx
        e = _err(prec, v)
    return _ln_to_log2(v + e, +1, prec)


def _outside(form, D, M):
    """True where the inversion bound is the cap ``2^m`` (``D >= m``, or ``2D > m`` for the
    tight and entropy forms)."""
    ref = M.m if isinstance(D, int) else M.mm
    return D >= ref or (form in ("tight", "entropy") and 2 * D > ref)


def _log2_U(form, D, M):
    """Upper bound (rounded up) of ``log2 U(D)``, ``U`` the inversion bound of ``form`` capped at
    ``2^m`` and continued by ``2^m`` outside the form's domain; ``D`` int or mpf in ``[0, inf)``.
    Non-decreasing in ``D``. Call inside ``workprec(M.prec)``."""
    if D <= 0:
        return mpmath.mpf(0)
    if _outside(form, D, M):
        return M.up
    return min(_log2_form_raw(form, D, M), M.up)


def _slope(form, D, M):
    """Approximate ``d log2 U / dD`` (steers Newton steps only; never decides anything)."""
    if _outside(form, D, M):
        return mpmath.mpf(0)
    D, mm = mpmath.mpf(D), M.mm
    if form == "tight":
        return (mpmath.ln((mm - D + 0.5) / (D + 0.5)) + 2 / (mm - 2 * D + 1)
                - 1 / (mm - D + 1)) / mpmath.ln2
    if form == "entropy":
        return mpmath.log((mm - D) / D, 2)
    if form == "em":
        return mpmath.log(mm / D, 2)
    return mpmath.log(M.x, 2)


def log2_sauer(D, m, form="auto"):
    """Rigorous upper bound of ``log2 Phi_D(m)`` from one of the bound forms, rounded up.

    Parameters
    ----------
    D, m : int
        Non-negative integers of any size (``m = 10^7000`` is fine for the closed forms).
    form : {"auto", "exact", "tight", "entropy", "em", "m_plus_1"}
        ``"exact"``: log2 of the exact integer ``Phi_D(m)`` (rounded up by a relative
        ``2^-100``); ``"auto"``: ``"exact"`` while ``m <= EXACT_MAX_M``, else ``"tight"``. The
        other forms and their conditions are listed in the module docstring and
        :data:`SAUER_FORMS`; ``"tight"`` includes its cap at ``2^m``. ``D = 0`` gives 0 for every
        form (``Phi_0(m) = 1``, the limit of each formula).

    Returns
    -------
    mpmath.mpf
        An upper bound of ``log2 Phi_D(m)``: every rounding error is bounded and added upwards
        (working precision ~100 bits above the result's, more for integer-resolution use).

    Raises
    ------
    VCBoundError
        Negative or non-integer ``D``/``m``; a form used outside its condition (``"em"`` needs
        ``D <= m``, ``"entropy"`` needs ``D <= m/2``); ``"exact"`` for ``m > EXACT_LIMIT_M``.

    Examples
    --------
    >>> float(log2_sauer(2, 10, "exact"))     # log2 56
    5.807354922...
    >>> float(log2_sauer(2, 10, "em"))        # 2 log2(5 e) = 7.5292...
    7.529...
    >>> float(log2_sauer(10**3999, 10**4000, "tight") / 10**4000)   # ~ H(0.1)
    0.46899559...

    References
    ----------
    vcbound docs §Sauer-Shelah (closed forms); the tight form is derived here (module docstring).
    """
    D = check_integer("D", D, minimum=0)
    m = check_integer("m", m, minimum=0)
    form = check_choice("form", form, ("auto",) + _FORMS)
    if form == "auto":
        form = "exact" if m <= EXACT_MAX_M else "tight"
    if form == "em" and D > m:
        raise VCBoundError(f"The 'em' form (e m / D)^D needs D <= m, not D = {fmt_value(D)} > "
                           f"m = {fmt_value(m)} (vcbound docs §Sauer-Shelah).")
    if form == "entropy" and 2 * D > m:
        raise VCBoundError(f"The 'entropy' form 2^(m H(D/m)) needs D <= m/2, not D = "
                           f"{fmt_value(D)} with m = {fmt_value(m)} (vcbound docs §Sauer-Shelah).")
    if form == "exact":
        _check_exact_size(m)
        return round_up(log2_int(sauer_sum(D, m), 128))
    prec = _prec_for(m)
    with mpmath.workprec(prec):
        if D == 0:
            return mpmath.mpf(0)
        M = _MVals(m, prec)
        if form == "tight":
            return +_log2_U("tight", D, M)
        return +_log2_form_raw(form, D, M)


def _check_exact_size(m):
    if m > EXACT_LIMIT_M:
        raise VCBoundError(
            f"Argument 'form' = 'exact' needs m <= {EXACT_LIMIT_M} (exact Sauer sums would be too "
            f"slow), not m = {BigNumber(exact=m).human()}; use form 'tight' or 'auto'.")


# ---------------------------------------------------------------------------------------------
# inversion
# ---------------------------------------------------------------------------------------------
class DMin(Result):
    """Result of :func:`d_min`: a lower bound on the VC dimension from ``Pi(m) >= G``.

    Attributes
    ----------
    value : BigNumber
        ``D_min`` (exact int when computed exactly or at integer resolution), else a
        ``BigNumber(log2=...)`` whose log2 is rounded down; in every case a rigorous lower bound
        of ``min{D : Phi_D(m) >= G}``.
    regime : str
        ``"exact"`` (exact Sauer sums) or ``"log"`` (a closed form in log domain).
    form : str
        The bound form used (``"exact"``, ``"tight"``, ``"entropy"``, ``"em"``, ``"m_plus_1"``).
    resolution : str
        ``"integer"`` or ``"log2"``.
    m : int
        Number of points.
    G : Fraction or None
        The exact growth value when it was given.
    log2_G : mpmath.mpf
        Lower bound of ``log2 G`` used (``-inf`` for ``G = 0``).
    continuous : mpmath.mpf
        Real root of ``log2 U(D) = log2 G`` for the log-domain bound (the tight form in the exact
        regime; ``log2 G / log2 U(1)`` when the answer is 1) — a smooth companion of
        :attr:`value` used to break ties in searches.
    precision : int or None
        Working precision in bits of the final log-domain step (None in the exact regime).
    evaluations : int
        Number of bound evaluations (exact sums in the exact regime).
    """

    _meanings = {
        "form": "form of the Sauer-Shelah sum Phi_D used: exact sum or a closed-form upper bound",
        "resolution": "D_min found as an exact integer (integer) or through its log2 (log2)",
        "continuous": "real root of the bound's equation Phi_D = G (a smooth companion of D_min)",
    }

    _headline = "D_min"

    def __init__(self, *, value, regime, form, resolution, m, G, log2_G, continuous, precision,
                 evaluations):
        self.value, self.regime, self.form, self.resolution = value, regime, form, resolution
        self.m, self.G, self.log2_G = m, G, log2_G
        self._continuous = continuous
        self.precision, self.evaluations = precision, evaluations

    @property
    def continuous(self):
        """Real root of the bound (see class docstring); computed on first use when the integer
        answer was found without it (the same computation, so the same value)."""
        if callable(self._continuous):
            self._continuous = self._continuous()
        return self._continuous

    def title(self):
        return "Sauer-Shelah inversion: VCdim >= D_min = min{D : Phi_D(m) >= G} (vcbound docs §Sauer-Shelah)"

    def rows(self):
        rows = [("m", "m (points)", BigNumber(exact=self.m))]
        if self.G is not None:
            rows.append(("G", "G (labellings realized)", _big(self.G)))
        rows += [
            ("log2_G", "log2 G (lower bound)", self.log2_G),
            ("form", "bound on Phi", self.form),
            ("regime", "regime", self.regime),
            ("resolution", "resolution", self.resolution),
            ("D_min", "D_min (VC dimension >= D_min)", self.value),
            ("continuous", "real root of the bound", self.continuous),
        ]
        if self.precision is not None:
            rows.append(("precision", "working precision (bits)", self.precision))
        return rows

    def __repr__(self):
        return f"DMin(value={self.value!r}, regime={self.regime!r}, form={self.form!r})"


def _big(q):
    """BigNumber of an exact rational, as an int when it is one (so JSON shows the integer)."""
    if isinstance(q, Fraction) and q.denominator == 1:
        q = q.numerator
    return BigNumber(exact=q, bound="lower")


def _parse_G(G, log2_G):
    """``(G as Fraction or None, lower bound of log2 G as mpf)``."""
    if (G is None) == (log2_G is None):
        raise VCBoundError("Pass exactly one of 'G' (an int or Fraction) and 'log2_G' (a lower "
                           "bound of log2 G), not " + ("both." if G is not None else "neither."))
    if G is not None:
        q = to_rational("G", G)
        if q < 0:
            raise VCBoundError(f"Argument 'G' must be >= 0, not {fmt_value(G)}.")
        if q == 0:
            return q, mpmath.ninf
        return q, round_down(log2_rational(q, 160))
    if isinstance(log2_G, mpmath.mpf):
        if not mpmath.isfinite(log2_G):
            raise VCBoundError(f"Argument 'log2_G' must be finite, not {log2_G}.")
        return None, log2_G
    if isinstance(log2_G, float) or (isinstance(log2_G, numbers.Integral)
                                     and not isinstance(log2_G, bool)):
        if isinstance(log2_G, float) and not math.isfinite(log2_G):
            raise VCBoundError(f"Argument 'log2_G' must be finite, not {log2_G!r}.")
        return None, mpmath.mpf(log2_G)          # exact conversion
    q = to_rational("log2_G", log2_G)
    with mpmath.workprec(160):
        return None, round_down(mpmath.mpf(q.numerator) / q.denominator)


def _exceeds_2_pow_m(q, m):
    """Exact test ``q > 2^m`` for a positive Fraction ``q``."""
    p, d = q.numerator, q.denominator
    if p.bit_length() <= m:
        return False
    return p > (d << m)


def d_min(m, G=None, *, log2_G=None, form="auto"):
    """Lower bound on the VC dimension of a class that realizes ``>= G`` labellings of ``m`` points.

    ``VCdim >= D_min := min{D : Phi_D(m) >= G}`` (Sauer–Shelah read backwards, vcbound docs §Sauer-Shelah).
    With an upper bound ``U >= Phi`` in place of ``Phi`` the minimum is smaller, hence still a
    valid lower bound; so every returned value is ``<= D_min``, with equality in the exact regime.

    Regimes:

    * exact (``form="exact"``, or ``"auto"`` with ``m <= EXACT_MAX_M``): bisection on ``D`` for
      the monotone predicate ``Phi_D(m) >= G`` with exact sums. The initial bracket comes from
      the tight form (``Phi <= U`` certifies the lower end), so typically 1–3 exact sums are
      evaluated.
    * log (the closed forms; ``"auto"`` uses ``"tight"`` for ``m > EXACT_MAX_M``): first the
      real root of ``log2 U(D) = log2 G`` is bracketed by safeguarded Newton–bisection in
      ``log2 D`` at ~100-bit precision. If ``D < 2^INT_RESOLUTION_BITS`` (~1.8e308) the integer
      answer is then found by safeguarded Newton–bisection on integers at precision
      ``bits(D) + ~80`` (the returned ``D`` has ``log2 U(D - 1) < log2 G`` checked with ``U``
      rounded up, which is what makes it rigorous); beyond, ``D`` is returned as a base-2
      logarithm rounded down (the lower end of the real bracket). Returns in milliseconds even for
      ``m = 10^7000``.

    Parameters
    ----------
    m : int
        Number of points (``m >= 0``, any size).
    G : int or Fraction, optional
        Number of labellings realized. ``G <= 1`` gives ``D_min = 0``.
    log2_G : mpmath.mpf or float or Fraction, optional (keyword)
        A lower bound of ``log2 G`` for astronomically large ``G``; pass exactly one of ``G`` and
        ``log2_G``.
    form : {"auto", "exact", "tight", "entropy", "em", "m_plus_1"}
        Bound on ``Phi`` used for the inversion (see module docstring).

    Returns
    -------
    DMin
        ``.value`` (BigNumber), ``.regime``, ``.form``, ``.resolution``, ``.m`` ...

    Raises
    ------
    VCBoundError
        If ``G > 2^m`` (no class has more than ``2^m`` labellings of ``m`` points), if both or
        neither of ``G``/``log2_G`` are given, on bad ``m``/``G``/``form``, or for
        ``form="exact"`` with ``m > EXACT_LIMIT_M``.

    Examples
    --------
    >>> d_min(10, 57).value         # Phi_2(10) = 56 < 57 <= Phi_3(10) = 176
    BigNumber(3)
    >>> r = d_min(10**7000, log2_G=mpmath.mpf(10)**7000 * 0.3)
    >>> r.resolution, round(float(r.value.log2 - mpmath.log(10**7000, 2)), 6)  # log2 t, H(t) = 0.3
    ('log2', -4.231372)

    References
    ----------
    vcbound docs §Sauer-Shelah (inversion), Sauer (1972); the tight form is derived here.
    """
    m = check_integer("m", m, minimum=0)
    form = check_choice("form", form, ("auto",) + _FORMS)
    q, L = _parse_G(G, log2_G)
    regime = "exact" if form == "exact" or (form == "auto" and m <= EXACT_MAX_M) else "log"
    used = "exact" if regime == "exact" else ("tight" if form == "auto" else form)
    if regime == "exact":
        _check_exact_size(m)

    def result(value, resolution, continuous, prec, evals):
        return DMin(value=value, regime=regime, form=used, resolution=resolution, m=m, G=q,
                    log2_G=L, continuous=continuous, precision=prec, evaluations=evals)

    # trivial ends
    if (q is not None and q <= 1) or (q is None and L <= 0):
        return result(BigNumber(exact=0, bound="lower"), "integer", mpmath.mpf(0), 0, 0)
    if q is not None and _exceeds_2_pow_m(q, m):
        raise VCBoundError(f"G = {BigNumber(exact=q).human()} exceeds 2^m = 2^{m}: no class has "
                           f"more than 2^m labellings of m points, so no VC dimension works.")
    if q is None and L > m:
        raise VCBoundError(f"log2_G = {mpmath.nstr(L, 15)} exceeds m = {m}: no class has more "
                           "than 2^m labellings of m points, so no VC dimension works.")

    solver = _LogInversion(m, L, "tight" if regime == "exact" else used)
    if regime == "log":
        value, resolution = solver.solve()
        return result(value, resolution, solver.continuous, solver.prec, solver.evaluations)

    # exact regime: bisection on D with exact sums, bracketed by the tight form
    lo = solver.solve()[0].exact - 1          # Phi(lo) <= U(lo) < G: certified by the tight form
    if q is not None:
        need = -((-q.numerator) // q.denominator)          # Phi integer: Phi >= G iff >= ceil(G)

        def pred(D):
            return sauer_sum(D, m) >= need
    else:
        def pred(D):
            return round_up(log2_int(sauer_sum(D, m), 128)) >= L
    evals = 0
    hi, step = lo + 1, 1
    while True:                                # gallop up to a D with Phi_D(m) >= G
        evals += 1
        if pred(hi):
            break
        lo, hi, step = hi, min(m, hi + step), 2 * step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        evals += 1
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return result(BigNumber(exact=hi, bound="lower"), "integer", solver.continuous, None, evals)


def _float_root_u(form, m, L):
    """A double-precision estimate of ``log2`` of the real root of ``log2 U(D) = L`` (only steers
    the rigorous search of :class:`_LogInversion`; None if it fails).

    Works on ``s = ln D`` with ``g(s) = ln ln U(e^s)``, written so that nothing overflows for
    ``m`` and ``D`` far beyond double range (``t = D/x`` is formed from logarithms; ``ln U``
    is ``D`` times an ``O(ln(1/t))`` factor plus lower-order terms), and solves
    ``g(s) = ln(L ln 2)`` by Newton steps safeguarded by bisection. Models (``x = m + 1``,
    Stirling's series for ``ln Gamma``, vcbound docs §Sauer-Shelah forms):

    * tight: ``ln C(x-1, D) + ln((x - D)/(x - 2D))`` with
      ``ln Gamma(x) - ln Gamma(x - D) ~ D (ln x - 1 - (1 - t) log1p(-t)/t) + log1p(-t)/2``;
    * entropy: ``D (ln(1/t) - (1 - t) log1p(-t)/t)``, ``t = D/m``;
    * em: ``D (1 + ln m - ln D)``;  m_plus_1: ``D ln x``.
    """
    try:
        lnT = math.log(L.man) + L.exp * _LN2 + math.log(_LN2)       # ln(L ln 2), L > 0
        if form == "m_plus_1":
            return (lnT - math.log(math.log(m + 1))) / _LN2
        lx = math.log(m + 1) if form == "tight" else math.log(m)
        s_hi = lx - _LN2 if form in ("tight", "entropy") else lx

        def g(s):
            """``(ln ln U(e^s), d/ds)`` of the model (approximately for the derivative)."""
            t = math.exp(s - lx)
            q = math.log1p(-t) / t if t > 1e-8 else -1 - t / 2
            if form == "em":
                per_D, slope = 1 + lx - s, lx - s
                return s + math.log(per_D), slope / per_D
            per_D = lx - s - (1 - t) * q            # ln(1/t) - (1 - t) log1p(-t)/t
            slope = math.log1p(-t) - math.log(t) if t > 0 else lx - s
            if form == "entropy":
                return s + math.log(per_D), slope / per_D
            rest = 1.5 * math.log1p(-t) - math.log1p(-2 * t)
            if s < 34:                               # D < 5.8e14: lgamma is accurate
                D = math.exp(s)
                lnU = D * (lx - 1 - (1 - t) * q) + rest - math.lgamma(D + 1)
                if lx < 700:                         # Binet: mu(x) - mu(y) ~ -D/(12 x y)
                    x = math.exp(lx)
                    lnU -= D / (12 * x * (x - D))
                    slope = math.log(x - D - 0.5) - math.log(D + 0.5)
                else:
                    slope = lx - math.log(D + 0.5)
                return math.log(lnU), D * slope / lnU
            # ln Gamma(D + 1) ~ D (s - 1) + (ln(2 pi) + s)/2
            per = per_D + (rest - 0.5 * (_LN_2PI + s)) * math.exp(-s)
            return s + math.log(per), slope / per

        lo, hi = 0.0, s_hi
        s = min(max(lnT - math.log(lx), 0.5 * s_hi), s_hi) if lnT < 1e300 else 0.5 * s_hi
        for _ in range(60):
            try:
                val, der = g(s)
            except (ValueError, OverflowError, ZeroDivisionError):
                val, der = math.inf, 0.0
            if val >= lnT:
                hi = s
            else:
                lo = s
            step = (val - lnT) / der if der > 0 and math.isfinite(val) else None
            new = s - step if step is not None else None
            if new is None or not lo < new < hi:
                new = (lo + hi) / 2
            if abs(new - s) <= 4e-16 * max(1.0, abs(s)) or hi - lo <= 4e-16 * max(1.0, hi):
                s = new
                break
            s = new
        else:
            return None
        return s / _LN2 if math.isfinite(s) else None
    except (ValueError, OverflowError, ZeroDivisionError, AttributeError):
        return None


_LN2 = math.log(2)
#: :meth:`_LogInversion._direct_integer` is tried when the float root estimate is below
#: ``2^_DIRECT_MAX_LOG2`` (well inside integer resolution), starting from an assumed relative
#: accuracy of ``2^-_FLOAT_ACC`` (an optimistic guess only costs a fallback).
_DIRECT_MAX_LOG2 = INT_RESOLUTION_BITS - 8
_FLOAT_ACC = 40
_LN_2PI = math.log(2 * math.pi)


class _LogInversion:
    """``min{D : log2 U(D) >= L}`` for a closed form ``U`` (rounded up), see :func:`d_min`."""

    def __init__(self, m, L, form):
        self.m, self.L, self.form = m, L, form
        self.M = _MVals(m, _prec_for(m))
        self.evaluations = 0
        self.continuous = None        # a value, or a callable computing it (see solve)

    @property
    def prec(self):
        """Working precision (bits) of the latest phase."""
        return self.M.prec

    def f(self, D):
        """``log2 U(D) - L`` with ``U`` rounded up: ``f(D) < 0`` certifies ``Phi_D(m) < G``."""
        self.evaluations += 1
        with mpmath.workprec(self.M.prec):
            return _log2_U(self.form, D, self.M) - self.L

    def _answer_one(self):
        """``f(1)``; when ``f(1) >= 0`` (``U(0) = 1 < G``, so ``D = 1`` exactly) also sets
        :attr:`continuous` and returns the answer, else returns None."""
        f1 = self.f(1)
        if f1 < 0:
            return None
        with mpmath.workprec(self.M.prec):             # log-linear interpolation on [0, 1]
            self.continuous = self.L / (f1 + self.L)
        return BigNumber(exact=1, bound="lower"), "integer"

    def solve(self):
        """``(BigNumber, resolution)``; sets :attr:`continuous` and the final precision."""
        m = self.m
        u0 = _float_root_u(self.form, m, self.L)
        if u0 is not None and 2 <= u0 < _DIRECT_MAX_LOG2:
            direct = self._direct_integer(u0)
            if direct is not None:
                return BigNumber(exact=direct, bound="lower"), "integer"
        # f(1) < 0 certifies the lower end D = 1 of the initial bracket; when the float estimate
        # puts the root well above 1 it is only evaluated if that end survives (it almost never
        # does), which saves one rigorous evaluation and changes no result.
        checked_one = u0 is None or u0 < 2
        if checked_one:
            one = self._answer_one()
            if one is not None:
                return one
        Dlo, Dhi, lower_evaluated = self._real_bracket(u0)
        if not (checked_one or lower_evaluated):
            one = self._answer_one()
            if one is not None:
                return one
        with mpmath.workprec(self.M.prec):
            self.continuous = (Dlo + Dhi) / 2
            if Dhi >= mpmath.ldexp(1, INT_RESOLUTION_BITS):
                return BigNumber(log2=round_down(mpmath.log(Dlo, 2), self.M.prec - 16)), "log2"
            lo = int(mpmath.floor(Dlo))                # certified: U(lo) <= U(Dlo) < G
            hi = min(m, int(mpmath.ceil(Dhi)))
        prec = _prec_for(m, hi.bit_length())
        if prec != self.M.prec:
            self.M = _MVals(m, prec)
        return BigNumber(exact=self._steered_search(lo, hi), bound="lower"), "integer"

    def _direct_integer(self, u0):
        """The integer answer straight from the float root estimate ``2^u0``, or None.

        The real bracket (``~4`` evaluations at ~120 bits) only serves to locate the integer
        answer and to give :attr:`continuous`; when the answer is an integer below
        ``2^_DIRECT_MAX_LOG2`` the float estimate (relative error ~``2^-40``) is refined by the
        same steering Newton ladder as :meth:`_steered_search` and the candidate ``A`` is
        certified by the same two evaluations ``f(A - 1) < 0 <= f(A)`` at the same precision
        ``_prec_for(m, bits(A))`` as the bracketed path, so (``f`` non-decreasing in ``D``) ``A`` is
        the very integer that path returns. If the ladder fails or either sign disagrees, None
        (the caller then runs the bracketed path from scratch). :attr:`continuous` becomes a
        callable running that real bracket on first use, so its value is unchanged too.
        """
        m, form, L, M0 = self.m, self.form, self.L, self.M
        with mpmath.workprec(64):
            x = mpmath.power(2, mpmath.mpf(u0))
        bits = int(x).bit_length() + 1
        A = self._ladder(x, 0, _FLOAT_ACC, bits, _prec_for(m, bits))
        if A is None or A < 2:
            return None
        P = _prec_for(m, A.bit_length())
        if P != self.M.prec:
            self.M = _MVals(m, P)
        if self.f(A - 1) >= 0 or self.f(A) < 0:
            self.M = M0
            return None

        def continuous():
            inv = _LogInversion(m, L, form)
            inv.M = M0
            Dlo, Dhi, _ = inv._real_bracket(u0)
            with mpmath.workprec(M0.prec):
                return (Dlo + Dhi) / 2

        self.continuous = continuous
        return A

    def _ladder(self, x, lo, acc, bits, P):
        """``ceil`` of the root refined from ``x`` (relative error ``<= 2^-acc``) to an absolute
        ``2^-6`` by Newton steps, each at about twice the precision of the previous one (capped at
        ``P``), clamped to ``[lo + 1, m]``; None if a slope is not positive. Steers only: the
        values computed here decide nothing."""
        m, form, L = self.m, self.form, self.L
        levels = {}
        while acc < bits + 6:
            # a step from accuracy acc needs its value to ~2 acc bits only: the rounding error
            # of _log2_U at precision p is ~2^(12 - p) times terms of size ~D log x, so
            # p = 2 acc + 48 + log2 log2 m leaves ~30 bits to spare
            p = min(P, 2 * acc + 48 + m.bit_length().bit_length())
            Mp = levels.get(p) or levels.setdefault(p, _MVals(m, p))
            xi = max(lo + 1, min(m, int(x)))
            self.evaluations += 1
            with mpmath.workprec(p):
                v = _log2_U(form, xi, Mp) - L
                slope = _slope(form, xi, Mp)
                if not slope > 0:
                    return None
                x = xi - v / slope
            acc = 2 * acc - 12
        with mpmath.workprec(P):
            return max(lo + 1, min(m, int(mpmath.ceil(x))))

    def _real_bracket(self, u0=None):
        """Bracket ``[Dlo, Dhi]`` (mpf) of the real root with ``f(Dlo) < 0 <= f(Dhi)`` and
        ``log2 Dhi - log2 Dlo <= 2^-96``, by safeguarded Newton–bisection in ``u = log2 D``;
        returns ``(Dlo, Dhi, lower_evaluated)``, the last False when ``Dlo`` is still the initial
        end ``D = 1`` (whose ``f(1) < 0`` the caller must then check).

        ``u0`` (optional) is a starting guess of ``log2`` of the root, e.g. from
        :func:`_float_root_u`; from a guess good to ~1e-13 the bracket closes after ~4
        evaluations instead of ~12. Newton steers on ``ln log2 U(2^u) - ln L``, which is nearly
        linear in ``u`` (``log2 U`` grows like ``D log2(e m / D)``); only the signs of ``f``
        decide the bracket, so the guess affects the cost, never the rigour.
        """
        M, form, L = self.M, self.form, self.L
        with mpmath.workprec(M.prec):
            ulo, uhi = mpmath.mpf(0), mpmath.log(M.up, 2) + 1
            Dlo, Dhi = mpmath.mpf(1), mpmath.ldexp(M.up, 1)
            tol = mpmath.ldexp(1, -96)
            lnL = mpmath.ln(L)
            u = D = fu = None
            newton = 0
            lower_evaluated = False
            while uhi - ulo > tol:
                cand = None
                if u is None and u0 is not None:
                    cand = mpmath.mpf(u0)
                if u is not None and newton < _NEWTON_TRIES and fu + L > 0:
                    v = fu + L
                    slope = _slope(form, D, M) * D * mpmath.ln2 / v
                    if slope > 0:
                        cand = u - (mpmath.ln(v) - lnL) / slope
                        if abs(cand - u) < tol / 4:       # land on the other side of the root
                            cand = u - tol / 4 if fu >= 0 else u + tol / 4
                        newton += 1
                if cand is None or not ulo < cand < uhi:
                    cand = (ulo + uhi) / 2
                u, D = cand, mpmath.power(2, cand)
                fu = self.f(D)
                if fu >= 0:
                    uhi, Dhi = u, D
                else:
                    ulo, Dlo, lower_evaluated = u, D, True
            return Dlo, Dhi, lower_evaluated

    def _steered_search(self, lo, hi):
        """Smallest integer ``D`` in ``(lo, hi]`` with ``f(D) >= 0``, given ``f(lo) < 0``
        (certified), with ``(lo, hi]`` from the real bracket (relative width ``2^-96``; the
        root of the integer-precision ``f`` may lie a little beyond ``hi``, since the real
        bracket's upper end is decided at ~120 bits).

        Newton steps from the real root, each at about twice the precision of the previous one
        (they only steer: their values decide nothing), locate the root to an absolute ``2^-6``;
        then the candidate ``A = ceil(root)`` is certified by the two rigorous evaluations
        ``f(A - 1) < 0 <= f(A)`` at the full integer precision. If either sign disagrees (a root
        within rounding of an integer), :meth:`_integer_search` takes over from the narrowed
        bracket, so the answer is the same as the plain search's in every case.
        """
        if hi - lo <= 1:
            return self._integer_search(lo, hi)
        # x = continuous root: relative error <= 2^-96
        A = self._ladder(self.continuous, lo, 90, hi.bit_length(), self.M.prec)
        if A is None:
            return self._integer_search(lo, hi)
        if A - 1 > lo:
            if self.f(A - 1) >= 0:
                return self._integer_search(lo, A - 1)
            lo = A - 1
        if self.f(A) < 0:
            return self._integer_search(A, max(hi, min(self.m, A + 1)))
        return A

    def _integer_search(self, lo, hi):
        """Smallest integer ``D`` in ``(lo, hi]`` with ``f(D) >= 0``, given ``f(lo) < 0``
        (certified), by bisection steered by Newton steps (``f`` is concave, so Newton lands
        close to the root within a few steps; bisection guarantees termination)."""
        m, form = self.m, self.form
        fx = self.f(hi)
        while fx < 0:                                  # hi from the real bracket is ~always fine
            lo, hi = hi, min(m, hi + max(1, 2 * (hi - lo)))
            fx = self.f(hi)
        x, tries = hi, 0
        while hi - lo > 1:
            cand = None
            if tries < _NEWTON_TRIES:
                tries += 1
                with mpmath.workprec(self.M.prec):
                    slope = _slope(form, x, self.M)
                    if slope > 0:
                        target = x - fx / slope
                        if fx >= 0:
                            cand = min(int(mpmath.floor(target)), x - 1)
                        else:
                            cand = max(int(mpmath.ceil(target)), x + 1)
            if cand is None or not lo < cand < hi:
                cand = (lo + hi) // 2
            x, fx = cand, self.f(cand)
            if fx >= 0:
                hi = x
            else:
                lo = x
        return hi
