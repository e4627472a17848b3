"""Separated point sets: how many points the counting argument may label.

See vcbound docs §Construction and §Denser separated sets.

The proofs of the paper's Theorems 3.4 and 4.3 label a finite set ``Z`` in the unit cube
``[0, 1]^m`` whose points are pairwise at distance ``>= 2 eps`` in the norm at hand (Definition
1.1 of the paper is non-strict). Theorem 4.3 lifts ``Z`` (``m = d - 1``) to heights
``1/2 +- eps0``; Theorem 3.4 uses ``Z`` itself (``m = d``). The larger ``n = |Z|``, the stronger
every size bound derived from it. This module certifies ``n`` for five sets:

* ``'paper grid'`` ``{1/K, ..., K/K}^m``, ``K = floor(1/(2 eps))``: ``n = K^m`` (the paper's
  proof sketch of Theorem 4.3; the default, so that intermediates match the paper). Spacing
  ``1/K >= 2 eps`` in every coordinate, hence in l_inf and l_2.
* ``'sharp grid'`` ``{0/K, 1/K, ..., K/K}^m``: ``n = (K + 1)^m``, the **maximum** for l_inf
  (derived here; proof in :func:`sharp_grid_size`).
* ``'checkerboard lattice'`` ``t D_m``, ``D_m = {z in Z^m : sum z even}``, ``t = sqrt(2) eps``
  (l_2 only): ``n = ((J + 1)^m + e)/2``, ``J = floor(1/t)``, ``e = 1`` if ``J`` is even, else 0
  (derived here; :func:`checkerboard_size`).
* ``'covering bound'`` (l_2 only, points not constructed, only counted):
  ``n >= floor(1 / vol(B_m(2 eps)))`` (derived here; :func:`covering_size`).

With ``points='sharp'`` the best certified of the candidates for the norm is used:
l_inf: the sharp grid; l_2: the largest of the sharp grid, the lattice and the covering bound.
All counts are exact integers (the covering bound is rounded down rigorously), so they can be
used in the exact or in the log regime of :mod:`vcbound.solver`.

References
----------
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. Why Robust Generalization in Deep Learning is Difficult:
   Perspective of Expressive Power. NeurIPS 2022, Definition 1.1, Theorem 3.4, proof sketch of
   Theorem 4.3 (section 4.3).
.. [CS99] Conway, Sloane. Sphere Packings, Lattices and Groups, 3rd ed., Springer 1999,
   chapter 4, section 7.1 (the checkerboard lattice D_n, minimal norm 2).
"""

import math
from fractions import Fraction

import mpmath

from ._numbers import BigNumber
from ._result import Result
from ._guard import check_log2_n
from ._validation import check_choice, check_eps, check_integer, fmt_value

__all__ = [
    "separated_set",
    "SeparatedSet",
    "paper_grid_size",
    "sharp_grid_size",
    "checkerboard_size",
    "covering_size",
    "POINTS",
    "NORMS",
]

#: Accepted ``points`` choices.
POINTS = ("paper", "sharp")
#: Accepted ``norm`` choices.
NORMS = ("linf", "l2")

#: Precision margin (bits) subtracted from ``log2(1/vol)`` before rounding the covering count
#: down, far above mpmath's evaluation error at the working precision.
_COVER_MARGIN_BITS = 24
#: Mantissa bits kept when the covering count is astronomically large (the rest is rounded
#: down to zeros: a smaller integer is still a valid count).
_COVER_MANTISSA_BITS = 96


def _K(eps):
    return math.floor(1 / (2 * eps))


def paper_grid_size(m, eps):
    """``n = K^m`` points of the paper's grid ``{1/K, ..., K/K}^m``, ``K = floor(1/(2 eps))``.

    Consecutive values differ by ``1/K >= 2 eps``, so two distinct points are ``>= 2 eps``
    apart in l_inf (hence in l_2 >= l_inf). The paper's proof sketch of Theorem 4.3 (``m = d - 1``).

    Examples
    --------
    >>> paper_grid_size(2, 0.1)     # K = 5
    25
    """
    return _K(check_eps(eps)) ** check_integer("m", m, minimum=1)


def sharp_grid_size(m, eps):
    """``n = (K + 1)^m`` points of ``{0, 1/K, ..., 1}^m``: the largest 2eps-separated set in l_inf.

    **(derived here)** The grid values are ``0, 1/K, ..., K/K`` (``K + 1`` of them, inside
    ``[0, 1]``), spaced ``1/K >= 2 eps`` apart, so distinct points are ``>= 2 eps`` apart in
    l_inf. *Maximality:* ``K + 1 > 1/(2 eps)`` (``K`` is the floor), so ``1/(K + 1) < 2 eps``.
    Cut ``[0, 1]^m`` into the ``(K + 1)^m`` closed boxes ``prod_j [i_j/(K+1), (i_j + 1)/(K+1)]``;
    two points in one box differ by ``<= 1/(K + 1) < 2 eps`` in every coordinate, so a
    2eps-separated set has at most one point per box: ``n <= (K + 1)^m``. The grid attains it.

    Examples
    --------
    >>> sharp_grid_size(2, 0.1)     # K = 5: 6^2
    36
    """
    return (_K(check_eps(eps)) + 1) ** check_integer("m", m, minimum=1)


def _J(eps):
    """``J = floor(1/(sqrt(2) eps)) = isqrt(floor(1/(2 eps^2)))``, exactly (``floor(sqrt(q)) =
    isqrt(floor(q))`` for real ``q >= 0``)."""
    return math.isqrt(math.floor(1 / (2 * eps * eps)))


def checkerboard_size(m, eps):
    """``n = ((J + 1)^m + e) / 2`` points of the scaled checkerboard lattice in ``[0, 1]^m``.

    **(derived here)** ``D_m = {z in Z^m : z_1 + ... + z_m even}`` has minimal distance
    ``sqrt(2)`` for ``m >= 2`` (a nonzero integer vector with even coordinate sum has at least two
    nonzero coordinates or one of absolute value ``>= 2``) and ``2`` for ``m = 1``
    (Conway and Sloane, Sphere Packings, Lattices and Groups, chapter 4, section 7.1). Scaled
    by ``t = sqrt(2) eps`` its points are ``>= 2 eps``
    apart in l_2. Those in ``[0, 1]^m`` are ``t z`` with ``z in {0, ..., J}^m``,
    ``J = floor(1/t)``, and even sum. With ``a`` even and ``b`` odd values in ``{0..J}``, the
    even-sum count is ``((a + b)^m + (a - b)^m) / 2``, and ``a - b = 1`` if ``J`` is even, ``0``
    if odd: ``n = ((J + 1)^m + e)/2``. ``J`` is computed exactly as ``isqrt(floor(1/(2 eps^2)))``.

    Examples
    --------
    >>> checkerboard_size(2, 0.1)   # J = floor(5 sqrt 2) = 7: (64 + 0) / 2
    32
    >>> checkerboard_size(3, 0.25)  # J = floor(2 sqrt 2) = 2: (27 + 1) / 2
    14
    """
    m = check_integer("m", m, minimum=1)
    J = _J(check_eps(eps))
    return ((J + 1) ** m + (1 if J % 2 == 0 else 0)) // 2


def _log2_inv_ball_volume(m, eps, prec):
    """``log2(1/vol(B_m(2 eps)))`` at ``prec`` bits, ``vol(B_m(r)) = pi^(m/2) r^m /
    Gamma(m/2 + 1)``, through ``loggamma`` (no overflow for any ``m``)."""
    with mpmath.workprec(prec):
        r = 2 * mpmath.mpf(eps.numerator) / eps.denominator
        ln_inv = (mpmath.loggamma(mpmath.mpf(m) / 2 + 1) - mpmath.mpf(m) / 2 * mpmath.log(mpmath.pi)
                  - m * mpmath.log(r))
        return ln_inv / mpmath.log(2)


def covering_size(m, eps):
    """``floor(1 / vol(B_m(2 eps)))``, a certified lower bound on the largest 2eps-separated set
    in ``[0, 1]^m`` for l_2 (the points are not constructed).

    **(derived here; the Gilbert–Varshamov covering argument)** A 2eps-separated set in
    ``[0, 1]^m`` is finite (the open balls of radius ``eps`` around its points are disjoint and lie
    in a bounded region), so a maximal one ``Z`` exists. Every ``x in [0, 1]^m`` is at distance
    ``< 2 eps`` from some point of ``Z`` (else ``Z + {x}`` would be 2eps-separated), so the balls
    of radius ``2 eps`` around ``Z`` cover the cube: ``|Z| vol(B_m(2 eps)) >= 1``.

    Rounding (rigorous): ``x = log2(1/vol)`` is evaluated through ``loggamma`` at a precision of
    ``bits(x) + 96`` bits and decreased by ``2^-24`` relative plus ``2^-24`` absolute, far above
    the evaluation error; then ``n = floor(2^x)`` exactly while ``x < 96``, and otherwise the top
    96 bits of ``2^x`` rounded down followed by zero bits (a smaller integer is still a valid
    count). Milliseconds for any ``m``.

    Examples
    --------
    >>> covering_size(2, 0.1)       # 1/(pi 0.2^2) = 7.96
    7
    >>> covering_size(3, 0.1)       # 3/(4 pi 0.2^3) = 29.84
    29
    >>> covering_size(99, 0.1).bit_length()   # 1.67e108 (vs 6^99 ~ 1.1e77 for the sharp grid)
    360
    """
    m = check_integer("m", m, minimum=1)
    eps = check_eps(eps)
    rough = float(_log2_inv_ball_volume(m, eps, 53))
    prec = max(64, int(abs(rough)).bit_length()) + _COVER_MANTISSA_BITS
    with mpmath.workprec(prec + 16):
        x = _log2_inv_ball_volume(m, eps, prec + 16)
        x = x - mpmath.ldexp(abs(x), -_COVER_MARGIN_BITS) - mpmath.ldexp(1, -_COVER_MARGIN_BITS)
        if x < 0:
            return 0
        k = int(mpmath.floor(x))
        if k < _COVER_MANTISSA_BITS:
            return int(mpmath.floor(mpmath.power(2, x)))
        shift = k - _COVER_MANTISSA_BITS
        return int(mpmath.floor(mpmath.power(2, x - shift))) << shift


class SeparatedSet(Result):
    """A certified 2eps-separated set of ``n`` points in ``[0, 1]^m`` (see :func:`separated_set`).

    Attributes
    ----------
    m : int
        Dimension of the cube (``d - 1`` for Theorem 4.3, ``d`` for Theorem 3.4).
    eps : Fraction
    points, norm : str
        The choices made (``'paper'``/``'sharp'``, ``'linf'``/``'l2'``).
    kind : str
        The set used: ``'paper grid'``, ``'sharp grid'``, ``'checkerboard lattice'`` or
        ``'covering bound'``.
    n : int
        Its number of points (certified).
    K : int
        ``floor(1/(2 eps))``.
    J : int or None
        ``floor(1/(sqrt 2 eps))`` for the lattice.
    formula : str
        How ``n`` is computed, e.g. ``'K^(d-1)'``.
    candidates : dict
        ``kind -> n`` of every set compared (``points='sharp'``).
    constructed : bool
        False for the covering bound (only the number of points is certified).
    """

    _meanings = {
        "kind": "which separated set is used (the largest candidate)",
        "formula": "size of the set in terms of K (or J) and the dimension m",
        "constructed": "whether the points are constructed explicitly or only counted",
    }

    def __init__(self, m, eps, points, norm, kind, n, candidates, dim_name):
        self.m, self.eps, self.points, self.norm = m, eps, points, norm
        self.kind, self.n, self.candidates = kind, n, candidates
        self.K = _K(eps)
        self.J = _J(eps) if kind == "checkerboard lattice" else None
        self.constructed = kind != "covering bound"
        self.dim_name = dim_name
        self.formula = _FORMULAS[kind].replace("m", dim_name)

    @property
    def key(self):
        """Identity of the set for caches and equality: ``(m, points, norm, kind, K, J, n)``."""
        return (self.m, self.points, self.norm, self.kind, self.K, self.J, self.n)

    def __eq__(self, other):
        return isinstance(other, SeparatedSet) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    @property
    def norm_text(self):
        return "l_inf" if self.norm == "linf" else "l_2"

    def description(self):
        """One phrase naming the set, its size formula and its norm."""
        what = (_DESCRIPTIONS[self.kind].replace("^m", "^" + self.dim_name)
                .replace("D_m", "D_" + self.dim_name))
        return f"{what} (n = {self.formula} points, 2eps-separated in {self.norm_text})"

    def title(self):
        return f"Separated set in [0, 1]^{self.m} for eps = {self.eps} ({self.norm_text})"

    def rows(self):
        rows = [("m", "dimension m", self.m), ("eps", "eps", self.eps),
                ("points", "points", self.points), ("norm", "norm", self.norm),
                ("kind", "set used", self.kind), ("formula", "n =", self.formula),
                ("n", "n", BigNumber(exact=self.n)), ("constructed", "points constructed",
                                                      self.constructed)]
        for kind, n in self.candidates.items():
            rows.append((f"candidate_{kind.replace(' ', '_')}", f"candidate {kind}",
                         BigNumber(exact=n)))
        return rows

    def __repr__(self):
        return f"SeparatedSet({self.kind!r}, m={self.m}, n={BigNumber(exact=self.n).human()})"


_FORMULAS = {"paper grid": "K^m", "sharp grid": "(K+1)^m",
             "checkerboard lattice": "((J+1)^m + e)/2",
             "covering bound": "floor(1/vol(B_m(2 eps)))"}
_DESCRIPTIONS = {
    "paper grid": "the paper's grid {1/K, ..., K/K}^m (K = floor(1/(2 eps)))",
    "sharp grid": "the grid {0, 1/K, ..., 1}^m (K = floor(1/(2 eps))), the largest in l_inf",
    "checkerboard lattice": "the checkerboard lattice D_m scaled by sqrt(2) eps (J = "
                            "floor(1/(sqrt(2) eps)), e = 1 if J is even else 0)",
    "covering bound": "a maximal 2eps-separated set (not constructed; its size is certified by "
                      "the covering bound)",
}


def separated_set(m, eps, points="paper", norm="linf", *, dim_name=None):
    """The certified separated set the counting argument labels.

    See vcbound docs §Construction and §Denser separated sets.

    Parameters
    ----------
    m : int
        Dimension of the cube, ``m >= 1``.
    eps : real in (0, 1/2]
        Taken exactly as typed.
    points : {'paper', 'sharp'}, default 'paper'
        ``'paper'``: the paper's grid ``K^m`` (any norm, since l_2 >= l_inf). ``'sharp'``: the
        best certified set for the norm (l_inf: the sharp grid ``(K+1)^m``, the maximum; l_2: the
        largest of the sharp grid, the checkerboard lattice and the covering bound).
    norm : {'linf', 'l2'}, default 'linf'
    dim_name : str, optional
        How ``m`` is written in :attr:`SeparatedSet.formula` (e.g. ``'(d-1)'``).

    Returns
    -------
    SeparatedSet

    Raises
    ------
    VCBoundError
        Unknown ``points`` or ``norm``, bad ``m`` or ``eps``.

    Examples
    --------
    >>> separated_set(2, 0.1).n, separated_set(2, 0.1, "sharp").n
    (25, 36)
    >>> s = separated_set(99, 0.1, "sharp", "l2")
    >>> s.kind, len(str(s.n))
    ('covering bound', 109)
    """
    m = check_integer("m", m, minimum=1)
    eps = check_eps(eps)
    points = check_choice("points", points, POINTS)
    norm = check_choice("norm", norm, NORMS)
    # (K + 1)^m points at most: refused before forming it when astronomically large
    check_log2_n(float(min(m, 2**1000)) * math.log2(_K(eps) + 1),
                 f"The point set in [0, 1]^{m} with eps = {fmt_value(eps)}")
    dim_name = dim_name or "m"
    if points == "paper":
        n = _K(eps) ** m
        return SeparatedSet(m, eps, points, norm, "paper grid", n, {"paper grid": n}, dim_name)
    cands = {"sharp grid": (_K(eps) + 1) ** m}
    if norm == "l2":
        cands["checkerboard lattice"] = checkerboard_size(m, eps)
        cands["covering bound"] = covering_size(m, eps)
    kind = max(cands, key=lambda k: cands[k])     # ties: the first (constructed) one
    return SeparatedSet(m, eps, points, norm, kind, cands[kind], cands, dim_name)
