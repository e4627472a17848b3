"""Exact and log-domain numbers shared by all engines, and their honest rendering (internal).

vcbound keeps numbers exact (Python ``int`` / :class:`fractions.Fraction`) while they are cheap and
switches to base-2 logarithms held as :class:`mpmath.mpf` when they are astronomical (K^(d-1) with d
in the thousands). :class:`BigNumber` carries either form, behaves like a number where it is exact
(``int()``, ``float()``, ``format()``, comparisons) and renders both forms the same way: exact digits
when short, otherwise ``mantissa e exponent``.

Directed rounding. A number that is a *lower bound* of the quantity it stands for (``N_d``,
``D_min``, ``G``) is always rounded **down** when it is shortened (text, CSV, LaTeX, plots, the
``log10`` of JSON); an *upper bound* (a capacity) is rounded **up**; a plain exact value (``n``) to
nearest. So a printed lower bound is never above the certified one: ``N_d = 1.1586e33`` prints as
``1.1e33``, not ``1.2e33``. The direction is the ``bound`` of the BigNumber (``'lower'``,
``'upper'`` or ``None``).

Huge exact integers are never passed to ``str()`` (Python refuses ints of more than 4300 digits);
their short forms come from integer arithmetic, and :func:`exact_digits` gives all digits through
:mod:`decimal` when they are asked for.
"""

import math
import sys
from fractions import Fraction

import mpmath

from .errors import NotExactError, VCBoundError, VCBoundTypeError

__all__ = ["log2_int", "log2_rational", "human_from_log10", "BigNumber", "json_safe",
           "round_up", "round_down", "float_down", "float_up", "directed_float", "exact_digits",
           "format_significant", "Real", "LOG10_2", "EXACT_DIGITS", "JSON_EXACT_DIGITS", "BOUNDS"]

#: Above this many decimal digits exact integers are shown in mantissa/exponent form.
EXACT_DIGITS = 15
#: JSON carries exact integers with at most this many digits (``"value"``); beyond, ``null``.
JSON_EXACT_DIGITS = 4000
LOG10_2 = mpmath.log10(2)
#: The directions a BigNumber can have: what it is relative to the quantity it stands for.
BOUNDS = ("lower", "upper", None)
_PREC = 96


def log2_int(n, prec=80):
    """log2 of a positive integer as an mpf, exact to ``prec`` bits, for any size of ``n``.

    >>> float(log2_int(1024))
    10.0
    >>> float(log2_int(10**4000)) # doctest: +ELLIPSIS
    13287.71237954945...
    """
    n = int(n)
    if n <= 0:
        raise ValueError("log2_int needs a positive integer")
    with mpmath.workprec(prec):
        return +mpmath.log(mpmath.mpf(n), 2)


def log2_rational(q, prec=80):
    """log2 of a positive rational (Fraction or int) as an mpf.

    >>> float(log2_rational(Fraction(1, 8)))
    -3.0
    """
    q = Fraction(q)
    if q <= 0:
        raise ValueError("log2_rational needs a positive rational")
    with mpmath.workprec(prec):
        return +(log2_int(q.numerator, prec) - log2_int(q.denominator, prec))


def round_up(x, margin_bits=100):
    """An mpf ``>= x``: ``x`` plus a relative margin of ``2^-margin_bits``, for upper bounds.

    Use it on the result of a few mpmath operations done at a working precision comfortably above
    ``margin_bits`` (e.g. 128 bits): the accumulated rounding error is then far below the margin,
    so the returned value is a rigorous upper bound of the exact quantity. The addition itself is
    done at ``margin_bits + 28`` bits (or more), so the margin is never rounded away.

    >>> round_up(mpmath.mpf(1)) > 1
    True
    >>> round_up(mpmath.mpf(-1)) > -1
    True
    """
    with mpmath.workprec(max(mpmath.mp.prec, margin_bits + 28)):
        x = mpmath.mpf(x)
        return x + mpmath.ldexp(abs(x), -margin_bits)


def round_down(x, margin_bits=100):
    """An mpf ``<= x``: ``x`` minus a relative margin of ``2^-margin_bits``, for lower bounds
    (see :func:`round_up`).

    >>> round_down(mpmath.mpf(1)) < 1
    True
    """
    with mpmath.workprec(max(mpmath.mp.prec, margin_bits + 28)):
        x = mpmath.mpf(x)
        return x - mpmath.ldexp(abs(x), -margin_bits)


# ---------------------------------------------------------------------------------------------
# directed conversion to float
# ---------------------------------------------------------------------------------------------
def _exact_cmp(f, x):
    """``f < x``, ``f == x`` or ``f > x`` as -1, 0, 1 for a float ``f`` and an int/Fraction/mpf."""
    if isinstance(x, (int, Fraction)):
        if math.isinf(f):
            return 1 if f > 0 else -1
        q = Fraction(f)
        return (q > x) - (q < x)
    return (f > x) - (f < x)       # mpmath compares a float with an mpf exactly


def float_down(x):
    """The largest float ``<= x`` (int, Fraction, mpf or float); the largest finite float for
    ``x`` beyond the double range (an honest lower bound), ``-inf`` for ``-inf``.

    >>> float_down(Fraction(1, 3)) <= Fraction(1, 3) < float_down(Fraction(1, 3)) + 1e-16
    True
    >>> float_down(mpmath.mpf(10) ** 400)
    1.7976931348623157e+308
    """
    return directed_float(x, "lower")


def float_up(x):
    """The smallest float ``>= x`` (``inf`` beyond the double range); see :func:`float_down`.

    >>> float_up(Fraction(1, 3)) >= Fraction(1, 3)
    True
    """
    return directed_float(x, "upper")


def directed_float(x, bound):
    """``x`` as a float rounded down (``bound='lower'``), up (``'upper'``) or to nearest (None).

    >>> directed_float(2**60 + 1, 'lower') < 2**60 + 1 < directed_float(2**60 + 1, 'upper')
    True
    """
    if isinstance(x, float):
        return x
    if isinstance(x, int) and abs(x) < 2**53:
        return float(x)
    if isinstance(x, mpmath.mpf) and not mpmath.isfinite(x):
        return float(x)
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    if bound is None:
        return f
    c = _exact_cmp(f, x)
    if bound == "lower" and c > 0:
        return math.nextafter(f, -math.inf)
    if bound == "upper" and c < 0:
        return math.nextafter(f, math.inf)
    return f


# ---------------------------------------------------------------------------------------------
# short forms with directed rounding
# ---------------------------------------------------------------------------------------------
def exact_digits(n):
    """All decimal digits of an integer, for any size (Python's ``str`` refuses more than 4300
    digits; :mod:`decimal` converts without that limit).

    >>> len(exact_digits(10**5000))
    5001
    >>> exact_digits(-12)
    '-12'
    """
    n = int(n)
    if abs(n) < 10**EXACT_DIGITS:
        return str(n)
    import decimal

    return str(decimal.Decimal(n))


def _decimal_exponent(q):
    """``e`` with ``10^e <= q < 10^(e+1)`` for a positive int or Fraction (exact)."""
    if isinstance(q, int):
        from ._validation import _int_digits  # mpmath-free, shared with the error messages

        return _int_digits(q) - 1
    num, den = q.numerator, q.denominator
    e = int((num.bit_length() - den.bit_length()) * 0.30102999566398120)
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    return e


def _round_int(q, bound):
    """``q`` (a Fraction or int) rounded to an integer in the direction of ``bound``."""
    if bound == "lower":
        return math.floor(q)
    if bound == "upper":
        return math.ceil(q)
    return math.floor(q + Fraction(1, 2))


def _significant_exact(q, sig, bound):
    """``(m, e)`` with ``m`` an integer of ``sig`` digits and ``m 10^(e - sig + 1)`` the rounding
    of the positive exact rational ``q`` in the direction of ``bound``."""
    e = _decimal_exponent(q)
    shift = e - sig + 1
    if isinstance(q, int) and shift > 0:     # integer division (GMP for huge q): exact, fast
        from ._bigint import big, pow10, small

        p = pow10(shift)
        m, r = divmod(big(q), p)
        m = small(m) + (bound == "upper" and r != 0 or bound not in ("lower", "upper")
                        and 2 * r >= p)
    else:
        m = _round_int(Fraction(q) / (Fraction(10) ** shift), bound)
    if m >= 10**sig:                         # 9.99 rounded up: one more digit
        m, e = _round_int(Fraction(m, 10), bound), e + 1
    return m, e


def _significant_log(log10_value, sig, bound):
    """``(m, e)`` as :func:`_significant_exact` for a number given by its base-10 logarithm (mpf).

    The mantissa is computed at a precision covering the exponent's digits and nudged by a
    relative 2^-40 towards the safe side before the directed rounding, so the computed digits
    never cross the true value in the wrong direction."""
    x = mpmath.mpf(log10_value)
    prec = 80 + max(0, int(abs(x)).bit_length())
    with mpmath.workprec(prec):
        e = int(mpmath.floor(x))
        scaled = mpmath.power(10, x - e + sig - 1)
        if bound == "lower":
            m = int(mpmath.floor(scaled * (1 - mpmath.ldexp(1, -40))))
        elif bound == "upper":
            m = int(mpmath.ceil(scaled * (1 + mpmath.ldexp(1, -40))))
        else:
            m = int(mpmath.nint(scaled))
    if m >= 10**sig:
        m, e = (m + 9) // 10 if bound == "upper" else m // 10, e + 1
    if m < 10**(sig - 1):                    # the nudge crossed a power of ten
        m, e = m * 10 + (9 if bound != "upper" else 0), e - 1
    return m, e


def _layout(m, e, sig, positional):
    """Text of ``m 10^(e - sig + 1)``: positional for small exponents, else ``'1.2e33'``."""
    digits = str(m)
    if positional and -5 < e < EXACT_DIGITS:
        if e >= sig - 1:
            return digits + "0" * (e - sig + 1)
        if e >= 0:
            text = digits[:e + 1] + "." + digits[e + 1:]
        else:
            text = "0." + "0" * (-e - 1) + digits
        return text.rstrip("0").rstrip(".") if "." in text else text
    mant = digits[0] + ("." + digits[1:] if sig > 1 else "")
    return f"{mant}e{e}"


def format_significant(value, sig=2, bound=None, positional=True):
    """``value`` (int, Fraction or mpf; positive) with ``sig`` significant digits, rounded in the
    direction of ``bound`` ('lower': down, 'upper': up, None: to nearest).

    >>> format_significant(1158600000000000000000000000000000, 2, 'lower')
    '1.1e33'
    >>> format_significant(1158600000000000000000000000000000, 2, 'upper')
    '1.2e33'
    >>> format_significant(Fraction(1, 3), 3, 'upper')
    '0.334'
    """
    if isinstance(value, (int, Fraction)):
        if value <= 0:
            return str(value)
        m, e = _significant_exact(value, sig, bound)
    else:
        v = mpmath.mpf(value)
        if not mpmath.isfinite(v) or v <= 0:
            return mpmath.nstr(v, sig)
        m, e = _significant_log(mpmath.log10(v), sig, bound)
    return _layout(m, e, sig, positional)


def human_from_log10(log10_value, digits=2, bound=None):
    """Short human form ``'3.2e1234'`` of a positive number given by its base-10 logarithm,
    rounded in the direction of ``bound`` (``'lower'``: down, ``'upper'``: up, None: nearest).

    >>> human_from_log10(1234.5051499783)
    '3.2e1234'
    >>> human_from_log10(33.0639, bound='lower')       # 1.1586e33
    '1.1e33'
    >>> human_from_log10(0)
    '1'
    >>> human_from_log10(mpmath.mpf(10)**7000 * 1.18)   # doubly exponential: 10^(1.18e7000)
    '10^(1.2e7000)'
    """
    x = mpmath.mpf(log10_value)
    if x == mpmath.ninf:
        return "0"
    if x >= 10**EXACT_DIGITS:          # the exponent itself is astronomical: no mantissa digits
        return f"10^({human_from_log10(mpmath.log10(x), digits, bound)})"
    if EXACT_DIGITS - 1 > x > -4:
        m, e = _significant_log(x, digits + 1, bound)
        return _layout(m, e, digits + 1, True)
    m, e = _significant_log(x, digits, bound)
    return _layout(m, e, digits, False)


# ---------------------------------------------------------------------------------------------
# the number type
# ---------------------------------------------------------------------------------------------
class BigNumber:
    """A non-negative number known exactly or through a one-sided bound on its base-2 logarithm.

    Parameters
    ----------
    exact : int or Fraction, optional
        The exact value, when it is known and cheap to hold.
    log2 : mpmath.mpf or float, optional
        Its base-2 logarithm, for values too large to hold exactly (with ``exact`` None).
    bound : {'lower', 'upper', None}, optional
        What this number is for the quantity it stands for: a lower bound (``N_d``, ``D_min``,
        ``G``: shortened forms round down), an upper bound (shortened forms round up), or a plain
        value (None: round to nearest). Default: None for exact values, ``'lower'`` for a log2
        (every log-only number of vcbound is a rigorous lower bound unless stated).

    Notes
    -----
    Where exact, a BigNumber is number-like: ``int(x)``, ``float(x)`` (when finite in double
    precision), ``format(x, ',')``, ``x < 3``, ``x == 12``, ``hash(x) == hash(12)``. Where only a
    log bound is known, ``int(x)`` raises :class:`~vcbound.errors.NotExactError` (there is no
    exact integer to give), ``float(x)`` gives the bound rounded in its direction, and the text
    forms say ``>=`` through :meth:`describe`. ``log2`` and ``log10`` are plain floats rounded in
    the number's direction; ``log2_mpf`` and ``log10_mpf`` keep full precision.

    Examples
    --------
    >>> BigNumber(exact=2**10).human()
    '1024'
    >>> BigNumber(log2=4100).human()
    '1.7e1234'
    >>> BigNumber(exact=12) < BigNumber(log2=4)
    True
    >>> x = BigNumber(exact=1158600000000000000000000000000000, bound='lower')
    >>> str(x), int(x) == 1158600000000000000000000000000000, f"{BigNumber(exact=1234567):,}"
    ('1.1e33', True, '1,234,567')
    >>> int(BigNumber(log2=200))
    Traceback (most recent call last):
    ...
    vcbound.errors.NotExactError: This number is known only through a lower bound on its logarithm (>= 1.6e60, log10 >= 60.2...); it has no exact integer value. Use .log10 or .log2.
    """

    __slots__ = ("exact", "_log2", "bound")

    def __init__(self, exact=None, log2=None, bound="default"):
        if exact is None and log2 is None:
            raise ValueError("BigNumber needs exact or log2")
        if bound == "default":
            bound = None if exact is not None else "lower"
        if bound not in BOUNDS:
            raise ValueError(f"BigNumber bound must be 'lower', 'upper' or None, not {bound!r}")
        if exact is not None and not isinstance(exact, (int, Fraction)):
            raise VCBoundTypeError(f"BigNumber exact must be an int or Fraction, not "
                                   f"{type(exact).__name__}.")
        if isinstance(exact, Fraction) and exact.denominator == 1:
            exact = exact.numerator
        self.exact = exact
        self._log2 = None if log2 is None else mpmath.mpf(log2)
        self.bound = bound

    # logarithms ----------------------------------------------------------------------------
    @property
    def log2_mpf(self):
        """Base-2 logarithm as an mpf (``-inf`` for zero; for a log-only number, the bound)."""
        if self._log2 is None:
            if self.exact <= 0:
                return mpmath.ninf if self.exact == 0 else mpmath.nan
            self._log2 = log2_rational(self.exact, _PREC)
        return self._log2

    @property
    def log10_mpf(self):
        """Base-10 logarithm as an mpf."""
        with mpmath.workprec(_PREC):
            return self.log2_mpf * mpmath.log10(2)

    @property
    def log2(self):
        """Base-2 logarithm as a float, rounded in the number's direction (``-inf`` for 0)."""
        return directed_float(self.log2_mpf, self.bound)

    @property
    def log10(self):
        """Base-10 logarithm as a float, rounded in the number's direction (``-inf`` for 0)."""
        return directed_float(self.log10_mpf, self.bound)

    def is_exact(self):
        """True when the value is known exactly (``.exact`` is not None)."""
        return self.exact is not None

    @property
    def kind(self):
        """``'exact'`` when the value is exact, else its bound ``'lower'``/``'upper'``."""
        return "exact" if self.exact is not None else self.bound

    def with_bound(self, bound):
        """The same number with another rounding direction."""
        return BigNumber(exact=self.exact, log2=self._log2, bound=bound)

    # renderings ----------------------------------------------------------------------------
    def human(self, digits=2):
        """Exact digits when at most 15 of them, else ``'3.2e1234'`` with ``digits`` significant
        digits rounded in the number's direction (down for lower bounds, up for upper bounds).

        >>> BigNumber(exact=10**5000).human()
        '1.0e5000'
        >>> BigNumber(exact=15728 * 10**15, bound='lower').human()
        '1.5e19'
        """
        if self.exact is not None:
            if isinstance(self.exact, int) and abs(self.exact) < 10**EXACT_DIGITS:
                return str(self.exact)
            if self.exact <= 0:
                return str(self.exact)
            if abs(self.exact) < 10**EXACT_DIGITS:      # a short Fraction: 3 significant digits
                return format_significant(self.exact, digits + 1, self.bound)
            return format_significant(self.exact, digits, self.bound, positional=False)
        return human_from_log10(self.log10_mpf, digits, self.bound)

    def describe(self, digits=2):
        """``human()`` with ``'>= '``/``'<= '`` in front when only a log bound is known.

        >>> BigNumber(log2=200).describe(), BigNumber(exact=5).describe()
        ('>= 1.6e60', '5')
        """
        text = self.human(digits)
        if self.exact is None:
            return (">= " if self.bound == "lower" else "<= ") + text
        return text

    def digits(self):
        """All decimal digits of an exact integer, for any size; raises for non-integers."""
        if self.exact is None or not isinstance(self.exact, int):
            raise self._not_exact("has no exact integer digits")
        return exact_digits(self.exact)

    def to_json(self):
        """The stable JSON object ``{"value", "log10", "bound", "text"}`` (same keys and types
        for every size; see the vcbound docs §JSON schema).

        ``value`` is the exact integer when one is known and has at most
        :data:`JSON_EXACT_DIGITS` digits, else null; ``log10`` the base-10 logarithm as a float
        rounded in the number's direction (null for 0, or beyond the double range, about
        ``10^(1.8e308)``); ``bound`` is ``'lower'``, ``'upper'`` or ``'exact'``: the true
        quantity is at least / at most / equal to this number; ``text`` the short form
        (rounded in the same direction).

        >>> BigNumber(exact=1000).to_json()
        {'value': 1000, 'log10': 3.0, 'bound': 'exact', 'text': '1000'}
        >>> BigNumber(log2=100).to_json()['bound']
        'lower'
        """
        value = None
        if self.exact is not None and isinstance(self.exact, int) and (
                abs(self.exact) < 10**EXACT_DIGITS
                or (self.exact.bit_length() <= JSON_EXACT_DIGITS * 3.33
                    and len(exact_digits(self.exact)) <= JSON_EXACT_DIGITS)):
            value = self.exact
        if self.exact is not None and self.exact <= 0:
            log10 = None
        else:
            log10 = self.log10
            if math.isinf(log10) or log10 >= sys.float_info.max:
                log10 = None
        return {"value": value, "log10": log10, "bound": self.bound or "exact",
                "text": self.human()}

    def __str__(self):
        return self.human()

    def __repr__(self):
        if self.exact is not None:
            return f"BigNumber({self.human()})"
        return (f"BigNumber({'>=' if self.bound == 'lower' else '<='} {self.human()}, "
                f"log2={mpmath.nstr(self.log2_mpf, 12)})")

    def __format__(self, spec):
        """Integer specs (``''``, ``'d'``, ``','``, ``'_'``) give the exact digits where exact
        and printable; ``'e'``, ``'g'``, ``'f'`` give directed-rounded decimals; a log-only
        number formats its text form (``'1.6e60'``) under width/alignment specs."""
        if not spec:
            return str(self)
        kind = spec[-1] if spec[-1].isalpha() or spec[-1] == "%" else ""
        head = spec[:-1] if kind else spec
        fill, precision = head, None
        if "." in head:
            fill, prec_text = head.split(".", 1)
            precision = int(prec_text) if prec_text else None
        if kind in ("", "d", "n") and self.exact is not None and isinstance(self.exact, int) \
                and (abs(self.exact) < 10**EXACT_DIGITS or self.exact.bit_length() < 14000):
            return format(self.exact, spec)
        text_spec = fill.replace(",", "").replace("_", "").replace("z", "")
        if kind in ("e", "E", "g", "G"):
            sig = (6 if precision is None else precision) + (1 if kind in "eE" else 0)
            sig = max(1, sig)
            m, e = self._significant(sig)
            if kind in "gG" and -5 < e < sig:
                text = _layout(m, e, sig, True)
            else:
                digits = str(m)
                mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
                text = f"{mant}{'e' if kind in 'eg' else 'E'}{'-' if e < 0 else '+'}{abs(e):02d}"
            return format(text, text_spec)
        if kind in ("f", "F", "%") and self.exact is not None:
            q = Fraction(self.exact) * (100 if kind == "%" else 1)
            places = 6 if precision is None else precision
            scaled = _round_int(q * 10**places, self.bound)
            text = f"{scaled // 10**places}" + (f".{scaled % 10**places:0{places}d}"
                                                 if places else "")
            return format(text + ("%" if kind == "%" else ""), text_spec)
        if kind in ("", "s"):
            return format(self.human(), text_spec)
        raise VCBoundTypeError(f"Unsupported format {spec!r} for {self!r}; use '', 'd', ',', "
                               "'e' or 'g' (a number known only through its logarithm takes "
                               "'', 'e' and 'g').")

    def _significant(self, sig):
        """``(m, e)``: ``sig`` significant digits rounded in the number's direction."""
        if self.exact is not None:
            if self.exact <= 0:
                return 0, 0
            return _significant_exact(self.exact, sig, self.bound)
        return _significant_log(self.log10_mpf, sig, self.bound)

    # number protocol -----------------------------------------------------------------------
    def _not_exact(self, what):
        return NotExactError(
            f"This number is known only through a{'n' if self.bound == 'upper' else ''} "
            f"{self.bound or 'approximate'} bound on its logarithm ({self.describe()}, log10 "
            f"{'>=' if self.bound == 'lower' else '<='} {mpmath.nstr(self.log10_mpf, 4)}); it "
            f"{what}. Use .log10 or .log2.")

    def __int__(self):
        if self.exact is None:
            raise self._not_exact("has no exact integer value")
        return int(self.exact)

    def __index__(self):
        if self.exact is None or not isinstance(self.exact, int):
            raise self._not_exact("has no exact integer value")
        return self.exact

    def __float__(self):
        if self.exact is not None:
            try:
                return float(self.exact)
            except OverflowError:
                raise VCBoundError(
                    f"The exact number {self.human()} exceeds the double range; use .log10 "
                    "(a float) or int().") from None
        if self.log2_mpf > 1023:
            raise self._not_exact("exceeds the double range (about 1.8e308)")
        with mpmath.workprec(_PREC):
            return directed_float(mpmath.power(2, self.log2_mpf), self.bound)

    def __bool__(self):
        return self.exact != 0 if self.exact is not None else True

    def _cmp(self, other):
        """-1, 0, 1 comparing the numbers (exactly where both are exact)."""
        other = _as_big(other)
        if self.exact is not None and other.exact is not None:
            return (self.exact > other.exact) - (self.exact < other.exact)
        a, b = self.log2_mpf, other.log2_mpf
        return (a > b) - (a < b)

    def __lt__(self, other):
        return self._cmp(other) < 0

    def __le__(self, other):
        return self._cmp(other) <= 0

    def __gt__(self, other):
        return self._cmp(other) > 0

    def __ge__(self, other):
        return self._cmp(other) >= 0

    def __eq__(self, other):
        try:
            return self._cmp(other) == 0
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return hash(self.exact) if self.exact is not None else hash(float(self.log2_mpf))


class Real:
    """A real number (mpf) that is a one-sided bound: shown with ``digits`` significant digits
    rounded in its direction, exported as a float rounded the same way (None beyond the double
    range, where the text form still holds).

    >>> str(Real(mpmath.mpf(2) / 3, 'lower')), str(Real(mpmath.mpf(2) / 3, 'upper'))
    ('0.6666666666', '0.6666666667')
    >>> Real(mpmath.mpf(10) ** 400, 'lower').to_json() is None
    True
    """

    __slots__ = ("value", "bound")

    def __init__(self, value, bound=None):
        self.value = mpmath.mpf(value)
        self.bound = bound

    def human(self, digits=10):
        v = self.value
        if not mpmath.isfinite(v) or v == 0:
            return mpmath.nstr(v, digits)
        if v < 0:
            flip = {"lower": "upper", "upper": "lower"}.get(self.bound)
            return "-" + Real(-v, flip).human(digits)
        return format_significant(v, digits, self.bound)

    __str__ = human

    def __repr__(self):
        return f"Real({self.human()}, {self.bound!r})"

    def __float__(self):
        return directed_float(self.value, self.bound)

    def to_json(self):
        f = float(self)
        return f if math.isfinite(f) and abs(f) < sys.float_info.max else None


def _text_spec(spec):
    """The width/alignment part of a format spec, for formatting the text form."""
    out = ""
    for ch in spec:
        if ch in ",_":
            continue
        out += ch
    while out and (out[-1].isalpha() or out[-1] == "."):
        out = out[:-1]
    return out.split(".")[0]


def _as_big(x):
    if isinstance(x, BigNumber):
        return x
    if isinstance(x, bool):
        return BigNumber(exact=int(x))
    if isinstance(x, (int, Fraction)):
        return BigNumber(exact=x)
    if isinstance(x, float) and math.isfinite(x):
        return BigNumber(exact=Fraction(x))
    if isinstance(x, mpmath.mpf) and mpmath.isfinite(x) and x > 0:
        return BigNumber(log2=mpmath.log(x, 2), bound=None)
    raise TypeError(f"cannot compare BigNumber with {type(x).__name__}")


def json_safe(value):
    """Convert a value to something :func:`json.dumps` accepts, with a stable type per quantity.

    BigNumbers become ``{"value", "log10", "bound"}`` objects (:meth:`BigNumber.to_json`); ints
    stay ints (the object form beyond :data:`JSON_EXACT_DIGITS` digits); Fractions and mpf become
    floats (``null`` when infinite or beyond the double range); sympy objects strings.

    >>> json_safe({'a': 2**60, 'b': Fraction(1, 10), 'c': [1, 2.5]})
    {'a': 1152921504606846976, 'b': 0.1, 'c': [1, 2.5]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (BigNumber, Real)):
        return value.to_json()
    if isinstance(value, int):
        if abs(value) < 10**EXACT_DIGITS or value.bit_length() < JSON_EXACT_DIGITS * 3:
            return value
        return BigNumber(exact=value).to_json() if value > 0 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return json_safe(value.numerator)
        f = directed_float(value, None)
        return f if math.isfinite(f) else None
    if isinstance(value, mpmath.mpf):
        if mpmath.isfinite(value) and abs(value) < mpmath.mpf(2) ** 1023:
            return float(value)
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return json_safe(value.item())
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy array
        return json_safe(value.tolist())
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    return str(value)  # sympy expressions and anything else printable
