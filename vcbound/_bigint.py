"""Integer arithmetic on numbers of millions of bits through GMP (gmpy2; internal).

The solver's sizes reach ``M ~ 10^(2.8 million)`` (``d = 10^6``, ``eps = 10^-6``). CPython's own
integers multiply such numbers with Karatsuba and take their square roots in pure Python: on the
benchmark machine a cube of a 20-million-bit ``M`` took 9 s and ``math.isqrt`` of a number of
that size 103 s, against 0.13 s and 0.11 s with GMP (both exact). The helpers here switch to
``gmpy2.mpz`` above :data:`GMP_BITS` bits and always return plain Python ``int``, so callers and
results never see an ``mpz``. gmpy2 is a dependency of vcbound (mpmath also uses it as its
backend).
"""

import math

__all__ = ["GMP_BITS", "big", "small", "isqrt", "pow10"]

#: Integers longer than this many bits are handled by GMP (below it CPython is as fast).
GMP_BITS = 1 << 14


def big(x):
    """``x`` as a ``gmpy2.mpz`` when it is an ``int`` of more than :data:`GMP_BITS` bits, else
    unchanged (smaller ints, floats).

    Arithmetic mixing an ``mpz`` with ints stays in GMP; pass the result through
    :func:`small` before it leaves the function.

    >>> big(12), big(0.5)
    (12, 0.5)
    >>> type(big(1 << 20000)).__name__
    'mpz'
    """
    if type(x) is not int or x.bit_length() <= GMP_BITS:
        return x
    import gmpy2
    return gmpy2.mpz(x)


def small(x):
    """A ``gmpy2.mpz`` as a Python ``int``; anything else unchanged.

    >>> small(big(1 << 20000)) == 1 << 20000, type(small(big(1 << 20000))).__name__, small(2.5)
    (True, 'int', 2.5)
    """
    return int(x) if type(x).__name__ == "mpz" else x


def isqrt(x):
    """``floor(sqrt(x))`` of an integer ``x >= 0``, exactly (``math.isqrt``, or GMP's for
    large ``x``); a Python ``int``.

    >>> isqrt(10**40 + 1) == 10**20, isqrt((1 << 40000) - 1) == (1 << 20000) - 1
    (True, True)
    """
    if x.bit_length() <= GMP_BITS:
        return math.isqrt(x)
    import gmpy2
    return int(gmpy2.isqrt(x))


def pow10(k):
    """``10**k`` for an integer ``k >= 0``: an ``int``, or a ``gmpy2.mpz`` for ``k`` above 4000
    (CPython took seconds for ``10**(8.5 million)``; compare or divide with it, and pass a
    result that leaves the caller through :func:`small`).

    >>> pow10(3), pow10(5000) == 10**5000
    (1000, True)
    """
    if k <= 4000:
        return 10 ** k
    import gmpy2
    return gmpy2.mpz(10) ** k
