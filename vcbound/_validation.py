"""Uniform argument checks shared by every public function (internal).

All checks raise :mod:`vcbound.errors` exceptions whose message names the argument, the value
received and what was expected, in the style ``Argument 'eps' must be in (0, 1/2], not 0.7.``

Rationals: users mean the decimal they typed. ``0.1`` as a float is slightly above 1/10, so
``floor(1/(2*0.1))`` evaluated exactly is 4, not 5 (vcbound docs §Construction pitfall). :func:`to_rational`
therefore converts a float through its shortest repr (``repr(0.1) == '0.1'``) and a string through
:class:`fractions.Fraction`, giving exactly 1/10 in both cases.
"""

import math
import numbers
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ._guard import MAX_DECIMAL_EXPONENT, MAX_NUMBER_CHARS
from .errors import LimitError, NoBoundError, VCBoundError, VCBoundTypeError

__all__ = [
    "check_integer",
    "to_rational",
    "check_eps",
    "check_alpha",
    "check_choice",
    "check_instance",
    "check_real",
    "fmt_value",
]


def fmt_value(value, limit=60):
    """Short printable form of a received value for error messages: what the user typed where
    that is known (a decimal Fraction as a decimal, ``2.5`` rather than ``5/2``), never more
    than ``limit`` characters, and never a conversion of a huge integer to digits (Python
    refuses more than 4300 of them).

    >>> fmt_value(Fraction(5, 2)), fmt_value(Fraction(1, 3)), fmt_value(10**5000)
    ('2.5', '1/3', 'an integer of 5001 digits (about 1e5000)')
    >>> fmt_value(Fraction(1, 10**300)), fmt_value('1' * 100)
    ('1e-300', "'111111111111111111111111111111111111111111111111111111... (102 characters)'")
    """
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return _fmt_int(int(value), limit)
    if isinstance(value, Fraction):
        return _fmt_fraction(value, limit)
    if (type(value).__module__ == "numpy" and type(value).__name__ != "ndarray"
            and getattr(value, "ndim", None) == 0):
        text = str(value)  # np.float32(0.1) -> '0.1', as typed
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a hostile __repr__, or a huge integer inside
            text = f"<{type(value).__name__} object>"
    return _truncate(text, limit)


def _truncate(text, limit=60):
    if len(text) <= limit:
        return text
    return f"{text[:limit - 5]}... ({len(text)} characters)" + ("'" if text[:1] in "'\"" else "")


def _fmt_int(value, limit=60):
    if value.bit_length() <= 3 * limit:
        text = str(value)
        if len(text) <= limit:
            return text
    digits = _int_digits(value)
    return f"an integer of {digits} digits (about {'-' if value < 0 else ''}1e{digits - 1})"


def _int_digits(value):
    """Number of decimal digits of ``value`` without converting it to a string."""
    value = abs(value)
    if value == 0:
        return 1
    from ._bigint import pow10   # GMP for numbers of millions of digits

    guess = int(value.bit_length() * math.log10(2))
    if value >= pow10(guess + 1):  # the guess is low by at most one
        guess += 1
    elif value < pow10(guess):
        guess -= 1
    return guess + 1


def _fmt_fraction(value, limit=60):
    """A Fraction as the decimal it came from when it has a finite one (denominator 2^a 5^b),
    in scientific form when that is shorter (``1e-300``); else ``p/q``, each part shortened."""
    if value.denominator == 1:
        return _fmt_int(value.numerator, limit)
    num, den = value.numerator, value.denominator
    twos = (den & -den).bit_length() - 1
    rest, fives = den >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    places = max(twos, fives)
    if rest == 1 and num.bit_length() + 4 * places < 30000:
        scaled = abs(num) * (10 ** places // den)      # |value| * 10^places, an integer
        digits = str(scaled)
        if len(digits) <= 4000:
            sign = "-" if num < 0 else ""
            if len(digits) <= places:
                plain = "0." + "0" * (places - len(digits)) + digits
            else:
                plain = digits[:-places] + "." + digits[-places:]
            mant = digits.rstrip("0")
            mant = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
            sci = f"{mant}e{len(digits) - 1 - places}"
            best = plain if len(plain) <= max(12, len(sci)) else sci
            return _truncate(sign + best, limit)
    return f"{_fmt_int(num, limit // 2)}/{_fmt_int(den, limit // 2)}"


def _is_bool(value):
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def check_integer(name, value, minimum=None, maximum=None):
    """Return ``value`` as a Python ``int``, or raise.

    Accepts Python/numpy/sympy integers, integral floats (``3.0``) and integral Fractions; rejects
    bools, NaN/inf, non-integral values and strings. ``minimum``/``maximum`` are inclusive.

    >>> check_integer('d', 3)
    3
    >>> check_integer('d', 2.5)
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'd' must be an integer, not 2.5.
    """
    if _is_bool(value) or isinstance(value, (str, bytes)):
        raise VCBoundTypeError(f"Argument {name!r} must be an integer, not {fmt_value(value)}.")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real) or hasattr(value, "is_integer"):
        try:
            fval = value if isinstance(value, Fraction) else float(value)
        except (TypeError, ValueError):
            raise VCBoundTypeError(
                f"Argument {name!r} must be an integer, not {fmt_value(value)}.") from None
        if isinstance(fval, float) and not math.isfinite(fval):
            raise VCBoundError(f"Argument {name!r} must be a finite integer, not {fmt_value(value)}.")
        if isinstance(fval, Fraction):
            if fval.denominator != 1:
                raise VCBoundError(f"Argument {name!r} must be an integer, not {fmt_value(value)}.")
            out = int(fval)
        else:
            if not float(fval).is_integer():
                raise VCBoundError(f"Argument {name!r} must be an integer, not {fmt_value(value)}.")
            out = int(fval)
    else:
        raise VCBoundTypeError(f"Argument {name!r} must be an integer, not {fmt_value(value)}.")
    if minimum is not None and out < minimum:
        bound = f"at least {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise VCBoundError(f"Argument {name!r} must be {bound}, not {fmt_value(value)}.")
    if maximum is not None and out > maximum:
        bound = f"at most {maximum}" if minimum is None else f"in [{minimum}, {maximum}]"
        raise VCBoundError(f"Argument {name!r} must be {bound}, not {fmt_value(value)}.")
    return out


def to_rational(name, value):
    """Return ``value`` as an exact :class:`~fractions.Fraction` of what the user typed.

    Floats go through their shortest repr, so ``0.1 -> 1/10`` (not 3602879701896397/2^55);
    strings may be decimals (``'0.05'``, ``'1e-6'``) or fractions (``'1/3'``).

    >>> to_rational('eps', 0.1)
    Fraction(1, 10)
    >>> to_rational('eps', '1/3')
    Fraction(1, 3)
    >>> to_rational('eps', float('nan'))
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'eps' must be a finite real number, not nan.
    """
    if _is_bool(value):
        raise VCBoundTypeError(f"Argument {name!r} must be a real number, not {fmt_value(value)}.")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise VCBoundError(f"Argument {name!r} must be a finite real number, not {value}.")
        return _decimal_fraction(name, value, value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise VCBoundError(f"Argument {name!r} is a text of {len(text)} characters; numbers "
                               f"of at most {MAX_NUMBER_CHARS} characters are accepted.")
        try:
            if "/" in text:
                num, den = text.split("/", 1)
                out = Fraction(to_rational(name, num.strip())) / to_rational(name, den.strip())
            else:
                dec = Decimal(text)
                if not dec.is_finite():
                    raise VCBoundError(
                        f"Argument {name!r} must be a finite real number, not {_show(value)}.")
                out = _decimal_fraction(name, dec, value)
        except (InvalidOperation, ValueError, ZeroDivisionError) as exc:
            if isinstance(exc, VCBoundError):
                raise
            raise VCBoundError(
                f"Argument {name!r} must be a real number such as 0.1 or 1/10, not "
                f"{_show(value)}.") from None
        return out
    if isinstance(value, numbers.Rational):  # sympy Rational, gmpy mpq ...
        return Fraction(int(value.numerator), int(value.denominator))
    if (type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0
            and getattr(getattr(value, "dtype", None), "kind", "") == "f"
            and type(value).__name__ != "ndarray"):
        # a numpy float scalar means the decimal its own shortest repr shows:
        # str(np.float32(0.1)) == '0.1' (float(np.float32(0.1)) is 0.10000000149...)
        text = str(value)
        if text in ("nan", "inf", "-inf"):
            raise VCBoundError(f"Argument {name!r} must be a finite real number, not {text}.")
        return Fraction(Decimal(text))
    if isinstance(value, numbers.Real) or hasattr(value, "__float__"):
        try:
            fval = float(value)
        except (TypeError, ValueError):
            raise VCBoundTypeError(
                f"Argument {name!r} must be a real number, not {fmt_value(value)}.") from None
        if not math.isfinite(fval):
            raise VCBoundError(f"Argument {name!r} must be a finite real number, not {fval!r}.")
        return Fraction(Decimal(repr(fval)))
    raise VCBoundTypeError(f"Argument {name!r} must be a real number, not {fmt_value(value)}.")


def check_real(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as an exact Fraction inside the given interval, or raise.

    >>> check_real('x', '0.3', 0, 1)
    Fraction(3, 10)
    """
    out = to_rational(name, value)
    bad = (low is not None and (out < low or (low_open and out == low))) or (
        high is not None and (out > high or (high_open and out == high)))
    if bad:
        lo = "-inf" if low is None else str(Fraction(low))
        hi = "inf" if high is None else str(Fraction(high))
        interval = ("(" if low_open or low is None else "[") + f"{lo}, {hi}" + (
            ")" if high_open or high is None else "]")
        raise VCBoundError(f"Argument {name!r} must be in {interval}, not {_show(value)}.")
    return out


def _show(value):
    """A received value as typed (strings without quotes), shortened."""
    return _truncate(value.strip()) if isinstance(value, str) else fmt_value(value)


def _decimal_fraction(name, dec, typed):
    """Fraction(dec), refusing exponents beyond MAX_DECIMAL_EXPONENT first (Fraction of
    Decimal('1e-999999999') alone would build a billion-digit integer)."""
    if dec and abs(dec.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise LimitError(f"Argument {name!r} must have a decimal exponent within "
                         f"+-{MAX_DECIMAL_EXPONENT}, not {_show(typed)}.")
    return Fraction(dec)


def check_eps(eps, name="eps"):
    """The robustness radius eps as an exact Fraction in (0, 1/2] (vcbound docs §Construction).

    >>> check_eps(0.1)
    Fraction(1, 10)
    >>> check_eps(0.7)
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'eps' must be in (0, 1/2], not 0.7.
    """
    return check_real(name, eps, 0, Fraction(1, 2), low_open=True)


def check_alpha(alpha, name="alpha"):
    """The tolerated error fraction alpha as an exact Fraction in (0, 1/2) (vcbound docs §Double counting).

    The double counting of inequality (1) gives ``G > 1`` with a suitable ``V`` for every
    alpha < 1/2 (only the paper's last link ``C_alpha^n`` needs alpha < 1/4). For alpha >= 1/2
    nothing can be ruled out: the better of the two constant classifiers labels at least half of
    the points of every labelling correctly (robust error <= 1/2 on the uniform distribution), so
    we refuse with :class:`NoBoundError`.

    >>> check_alpha('0.3')
    Fraction(3, 10)
    >>> check_alpha(0.5)
    Traceback (most recent call last):
    ...
    vcbound.errors.NoBoundError: Argument 'alpha' must be in (0, 1/2), not 0.5: for alpha >= 1/2 a constant classifier (the better of always +1 and always -1) is correct on at least half of the points of every labelling, i.e. robust error <= 1/2, so no network size can be ruled out.
    """
    out = to_rational(name, alpha)
    if out >= Fraction(1, 2):
        raise NoBoundError(
            f"Argument {name!r} must be in (0, 1/2), not {_show(alpha)}: for alpha >= 1/2 a "
            "constant classifier (the better of always +1 and always -1) is correct on at least "
            "half of the points of every labelling, i.e. robust error <= 1/2, so no network size "
            "can be ruled out.")
    return check_real(name, alpha, 0, Fraction(1, 2), low_open=True, high_open=True)


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices`` (strings compared case-insensitively).

    >>> check_choice('route', 'Union', ('union', 'dense'))
    'union'
    """
    key = value.lower() if isinstance(value, str) else value
    if key not in choices:
        opts = ", ".join(repr(c) for c in choices)
        raise VCBoundError(f"Argument {name!r} must be one of {opts}, not {fmt_value(value)}.")
    return key


def check_instance(name, value, cls, expected):
    """Return ``value`` if it is an instance of ``cls``, else raise :class:`VCBoundTypeError`
    saying ``Argument 'name' must be <expected>, not <value>.``

    >>> check_instance('grid', 3, str, 'a Grid (see make_grid)')
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundTypeError: Argument 'grid' must be a Grid (see make_grid), not 3.
    """
    if not isinstance(value, cls):
        raise VCBoundTypeError(f"Argument {name!r} must be {expected}, not {fmt_value(value)}.")
    return value
