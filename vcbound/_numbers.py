"""Exact and log-domain number helpers shared by all engines (internal).

vcbound keeps numbers exact (Python ``int`` / :class:`fractions.Fraction`) while they are cheap and
switches to base-2 logarithms held as :class:`mpmath.mpf` when they are astronomical (K^(d-1) with d
in the thousands). :class:`BigNumber` carries either form and renders both the same way:
exact digits when short, otherwise ``mantissa e exponent`` computed from the logarithm.
"""

import math
from fractions import Fraction

import mpmath

__all__ = ["log2_int", "log2_rational", "human_from_log10", "BigNumber", "json_safe",
           "round_up", "round_down", "LOG10_2", "EXACT_DIGITS"]

#: Above this many decimal digits exact integers are shown in mantissa/exponent form.
EXACT_DIGITS = 15
LOG10_2 = mpmath.log10(2)


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


def human_from_log10(log10_value, digits=2):
    """Short human form ``'3.2e1234'`` of a positive number given by its base-10 logarithm.

    >>> human_from_log10(1234.5051499783)
    '3.2e1234'
    >>> human_from_log10(0)
    '1'
    >>> human_from_log10(mpmath.mpf(10)**7000 * 1.18)   # doubly exponential: 10^(1.18e7000)
    '10^(1.2e7000)'
    """
    x = mpmath.mpf(log10_value)
    if x >= 10**EXACT_DIGITS:          # the exponent itself is astronomical: no mantissa digits
        return f"10^({human_from_log10(mpmath.log10(x), digits)})"
    if x < EXACT_DIGITS - 1 and x > -4:
        val = float(mpmath.power(10, x))
        return f"{val:.{digits + 1}g}"
    e = int(mpmath.floor(x))
    mant = float(mpmath.power(10, x - e))
    if round(mant, digits - 1) >= 10:
        mant, e = mant / 10, e + 1
    return f"{mant:.{digits - 1}f}e{e}"


class BigNumber:
    """A positive (or zero) number known exactly or through its base-2 logarithm.

    Parameters
    ----------
    exact : int or Fraction, optional
        The exact value, when it is known and cheap to hold.
    log2 : mpmath.mpf or float, optional
        Its base-2 logarithm, for values too large to hold exactly.

    Examples
    --------
    >>> BigNumber(exact=2**10).human()
    '1024'
    >>> BigNumber(log2=4100).human()
    '1.7e1234'
    >>> BigNumber(exact=12) < BigNumber(log2=4)
    True
    """

    __slots__ = ("exact", "_log2")

    def __init__(self, exact=None, log2=None):
        if exact is None and log2 is None:
            raise ValueError("BigNumber needs exact or log2")
        self.exact = exact
        self._log2 = None if log2 is None else mpmath.mpf(log2)

    @property
    def log2(self):
        """Base-2 logarithm (mpf; ``-inf`` for zero)."""
        if self._log2 is None:
            if self.exact == 0:
                return mpmath.ninf
            self._log2 = log2_rational(self.exact)
        return self._log2

    @property
    def log10(self):
        """Base-10 logarithm (mpf)."""
        return self.log2 * LOG10_2

    def is_exact(self):
        return self.exact is not None

    def human(self, digits=2):
        """Exact digits when short, else ``'3.2e1234'`` (also for ints beyond Python's 4300-digit
        str limit).

        >>> BigNumber(exact=10**5000).human()
        '1.0e5000'
        """
        if self.exact is not None:
            if (isinstance(self.exact, int) and self.exact.bit_length() <= 64
                    and len(str(abs(self.exact))) <= EXACT_DIGITS):
                return str(self.exact)
            if self.exact == 0:
                return "0"
        return human_from_log10(self.log10, digits)

    def to_json(self):
        """``int`` when it fits a double exactly, a string of the exact integer when short enough
        to print, else ``{"log10": "..."}``."""
        if self.exact is not None and isinstance(self.exact, int):
            if abs(self.exact) < 2**53:
                return self.exact
            if self.exact.bit_length() < 4000:
                return str(self.exact)
        if self.exact is not None and self.exact == 0:
            return 0
        return {"log10": mpmath.nstr(self.log10, 15)}

    def _key(self):
        return self.log2

    def __lt__(self, other):
        other = _as_big(other)
        if self.exact is not None and other.exact is not None:
            return self.exact < other.exact
        return self.log2 < other.log2

    def __le__(self, other):
        other = _as_big(other)
        if self.exact is not None and other.exact is not None:
            return self.exact <= other.exact
        return self.log2 <= other.log2

    def __gt__(self, other):
        return _as_big(other) < self

    def __ge__(self, other):
        return _as_big(other) <= self

    def __eq__(self, other):
        try:
            other = _as_big(other)
        except TypeError:
            return NotImplemented
        if self.exact is not None and other.exact is not None:
            return self.exact == other.exact
        return self.log2 == other.log2

    def __hash__(self):
        return hash(self.exact) if self.exact is not None else hash(float(self.log2))

    def __repr__(self):
        if self.exact is not None:
            return f"BigNumber({self.human()})"
        return f"BigNumber(~{self.human()}, log2={mpmath.nstr(self.log2, 12)})"

    __str__ = human


def _as_big(x):
    if isinstance(x, BigNumber):
        return x
    if isinstance(x, (int, Fraction)):
        return BigNumber(exact=x)
    raise TypeError(f"cannot compare BigNumber with {type(x).__name__}")


def json_safe(value):
    """Convert a value to something :func:`json.dumps` accepts without losing honesty.

    ints beyond 2^53 become strings of the exact integer (or ``{"log10": ...}`` when huge),
    Fractions become floats when exactly representable-ish and strings ``'p/q'`` otherwise,
    mpf become floats when finite in double range else ``{"log10": ...}``, sympy objects strings.

    >>> json_safe({'a': 2**60, 'b': Fraction(1, 10), 'c': [1, 2.5]})
    {'a': '1152921504606846976', 'b': 0.1, 'c': [1, 2.5]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, BigNumber):
        return value.to_json()
    if isinstance(value, int):
        return BigNumber(exact=value).to_json() if value >= 0 else (
            value if value > -2**53 else str(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return json_safe(value.numerator)
        f = float(value)
        return f if math.isfinite(f) and f != 0 else str(value)
    if isinstance(value, mpmath.mpf):
        if mpmath.isfinite(value) and abs(value) < mpmath.mpf(2) ** 1000:
            return float(value)
        if mpmath.isinf(value):
            return str(value)
        return {"log10": mpmath.nstr(mpmath.log10(abs(value)), 15)}
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
