"""The grid S~ of the proof of Theorem 4.3 and the sets S_phi, A_phi, B_phi built on it.

Notation (the paper's, vcbound docs §Construction): ``eps`` in (0, 1/2] is the robustness radius,
``K = floor(1/(2 eps))`` the number of grid values per axis, ``d`` the input dimension and
``n = K^(d-1)`` the number of grid points. The grid is

    S~ = {(i_1/K, ..., i_{d-1}/K, 1/2) : 1 <= i_j <= K}.

The last coordinate of every point of S~ is the constant 1/2, so a labelling of S~ by a function on
R^d is the same as a labelling of the (d-1)-dimensional grid {(i_1/K, ..., i_{d-1}/K)} by the
restricted function; :class:`Grid` therefore stores the (d-1)-dimensional points
(:attr:`Grid.int_points`, :attr:`Grid.points`) and lifts them to R^d only on request
(:meth:`Grid.lifted_points`). Enumerations work on the (d-1)-dimensional grid.

For a labelling ``phi`` of the grid, :func:`construction` builds S_phi (each grid point lifted to
height 1/2 + eps0 phi(i)), A_phi (label +1, above x_d = 1/2) and B_phi (label -1, below), and
checks by brute force the two properties the proof needs: A_phi and B_phi are 2eps-separated
(Definition 1.1 of the paper) and linearly separable by the hyperplane x_d = 1/2.

References
----------
Li, Jin, Zhong, Hopcroft, Wang, NeurIPS 2022, proof sketch of Theorem 4.3 (Section 4.3);
vcbound docs §Construction.
"""

import math
from fractions import Fraction

import numpy as np

from ._result import Result
from ._validation import (check_choice, check_eps, check_instance, check_integer, check_real,
                          fmt_value)
from ._guard import check_grid
from .errors import VCBoundError

__all__ = ["Grid", "make_grid", "Construction", "SeparationCheck", "construction", "MAX_POINTS"]

#: Largest grid :func:`make_grid` builds (2^22 points): no enumeration could use a larger one.
MAX_POINTS = 2**22

#: Largest number of (A_phi, B_phi) pairs :meth:`Construction.separation` compares by brute force.
MAX_SEPARATION_PAIRS = 2**27


class Grid:
    """The grid S~ for dimension ``d`` and ``K`` values per axis (build it with :func:`make_grid`).

    Attributes
    ----------
    d : int
        Input dimension (the points of S~ live in R^d).
    K : int
        Values per axis, K = floor(1/(2 eps)).
    eps : Fraction or None
        The radius the grid was built from (None when built from ``K``).
    n : int
        Number of points, K^(d-1).
    int_points : numpy.ndarray
        int64 array (n, d-1) of the indices i_j in 1..K, in lexicographic order (last index
        fastest). Point number ``p`` of every pattern array refers to row ``p``.
    points : numpy.ndarray
        float64 array (n, d-1) of the coordinates i_j / K.

    Examples
    --------
    >>> g = make_grid(3, K=2)
    >>> g.n, g.int_points.tolist()
    (4, [[1, 1], [1, 2], [2, 1], [2, 2]])
    >>> g.lifted_points()[0].tolist()
    [0.5, 0.5, 0.5]
    """

    def __init__(self, d, K, eps=None):
        self.d = d
        self.K = K
        self.eps = eps
        self.n = K ** (d - 1)
        # column j (0-based) is digit d-2-j of the point number in base K, plus 1: no meshgrid,
        # whose ndarrays are limited to 64 dimensions (d = 70 with K = 1 is a valid grid)
        number = np.arange(self.n, dtype=np.int64)
        ints = np.empty((self.n, d - 1), dtype=np.int64)
        for j in range(d - 1):
            ints[:, j] = (number // K ** (d - 2 - j)) % K + 1 if K > 1 else 1
        self.int_points = ints
        self.points = self.int_points / float(K)

    @property
    def eps_effective(self):
        """The radius used for separation checks: ``eps`` when given, else 1/(2K).

        1/(2K) is the largest eps with floor(1/(2 eps)) = K, so it is the strongest separation
        claim the grid supports.
        """
        return self.eps if self.eps is not None else Fraction(1, 2 * self.K)

    def lifted_points(self, exact=False):
        """The points of S~ in R^d: the grid coordinates followed by the constant 1/2.

        Parameters
        ----------
        exact : bool
            False: float64 array (n, d). True: object array (n, d) of Fractions i_j/K and 1/2.
        """
        if exact:
            out = np.empty((self.n, self.d), dtype=object)
            out[:, :-1] = [[Fraction(int(i), self.K) for i in row] for row in self.int_points]
            out[:, -1] = Fraction(1, 2)
            return out
        return np.concatenate([self.points, np.full((self.n, 1), 0.5)], axis=1)

    def index(self, p):
        """The index tuple (i_1, ..., i_{d-1}) of point number ``p``."""
        p = check_integer("p", p, 0, self.n - 1)
        return tuple(int(i) for i in self.int_points[p])

    def __repr__(self):
        eps = "" if self.eps is None else f", eps={self.eps}"
        return f"Grid(d={self.d}, K={self.K}{eps}, n={self.n})"


def make_grid(d, K=None, eps=None):
    """Build the grid S~ of the proof of Theorem 4.3 (vcbound docs §Construction).

    Parameters
    ----------
    d : int
        Input dimension, at least 2 (the grid has dimension d - 1).
    K : int, optional
        Values per axis (K >= 1; K = 1 gives a one-point grid, allowed but trivial).
    eps : number or str, optional
        Robustness radius in (0, 1/2], taken as the exact rational typed (0.1 means 1/10);
        then K = floor(1/(2 eps)) computed exactly (paper, proof sketch of Theorem 4.3).
        Give exactly one of ``K`` and ``eps``.

    Returns
    -------
    Grid

    Raises
    ------
    VCBoundError
        Bad ``d``, ``K`` or ``eps``, both or neither of ``K``/``eps``.
    LimitError
        More than :data:`MAX_POINTS` points, or more than vcbound._guard.MAX_GRID_ENTRIES
        coordinates in all (n x (d - 1)); checked before anything is allocated.

    Examples
    --------
    >>> make_grid(3, eps=0.1).K        # floor(1/(2 * 1/10)) = 5, not 4 (vcbound docs §Construction pitfall)
    5
    >>> make_grid(4, K=3).n
    27
    """
    d = check_integer("d", d, 2)
    if (K is None) == (eps is None):
        raise VCBoundError("Give exactly one of 'K' and 'eps' (K = floor(1/(2 eps))).")
    if eps is not None:
        eps = check_eps(eps)
        K = math.floor(1 / (2 * eps))
    else:
        K = check_integer("K", K, 1)
    # n = K^(d-1) and the n x (d-1) coordinates checked before forming either (d may be 10^100)
    check_grid(d, K, MAX_POINTS)
    return Grid(d, K, eps)


def _check_grid(grid):
    return check_instance("grid", grid, Grid, "a Grid (see make_grid)")


def _labels_from_phi(grid, phi):
    """phi as an int64 array of +-1 of length n (from an array or a callable on index tuples)."""
    if callable(phi):
        values = [phi(tuple(int(i) for i in row)) for row in grid.int_points]
        arr = np.array(values, dtype=object)
    else:
        try:
            arr = np.asarray(phi)
        except Exception:  # noqa: BLE001 - ragged input
            raise VCBoundError("Argument 'phi' must be an array of +-1 values.") from None
        if arr.ndim != 1:
            raise VCBoundError(f"Argument 'phi' must be a 1-D array of length n = {grid.n} (one "
                               f"label per grid point), not an array of shape {arr.shape}.")
        if arr.shape[0] != grid.n:
            raise VCBoundError(f"Argument 'phi' must have length n = {grid.n} (one label per "
                               f"grid point), not {arr.shape[0]}.")
    bad = [v for v in arr.tolist() if isinstance(v, bool) or v not in (-1, 1)]
    if bad:
        raise VCBoundError(f"Argument 'phi' must take values in {{-1, +1}}; got "
                           f"{fmt_value(bad[0])}.")
    return np.array([int(v) for v in arr.tolist()], dtype=np.int64)


class SeparationCheck(Result):
    """Outcome of :meth:`Construction.separation` (brute force over all pairs of A_phi x B_phi).

    Attributes
    ----------
    norm : str
        ``'inf'`` or ``'2'``.
    min_distance_sq : Fraction or None
        l_2: the exact squared minimum distance; l_inf: the square of the minimum distance.
        None when A_phi or B_phi is empty (vacuously separated).
    min_distance : Fraction, float or None
        l_inf: exact Fraction; l_2: float sqrt of the exact square (comparison is done exactly).
    required : Fraction
        2 eps.
    separated : bool
        min_distance >= 2 eps (exact comparison).
    """

    _meanings = {
        "min_distance": "smallest distance between a point of A and a point of B",
        "required": "the separation the definition asks for, 2 eps",
        "separated": "whether the minimum distance is at least 2 eps",
    }

    _headline = "separated"

    def __init__(self, norm, min_distance_sq, required):
        self.norm = norm
        self.min_distance_sq = min_distance_sq
        self.required = required
        if min_distance_sq is None:
            self.min_distance = None
            self.separated = True
        else:
            self.min_distance = (_fraction_sqrt(min_distance_sq) if norm == "inf"
                                 else math.sqrt(min_distance_sq))
            self.separated = min_distance_sq >= required * required

    def title(self):
        return f"Separation of A_phi and B_phi in l_{self.norm}"

    def rows(self):
        return [("norm", "norm", self.norm),
                ("min_distance", "minimum distance", self.min_distance),
                ("required", "required (2 eps)", self.required),
                ("separated", "2eps-separated", self.separated)]


def _fraction_sqrt(q):
    root = Fraction(math.isqrt(q.numerator), math.isqrt(q.denominator))
    if root * root != q:  # pragma: no cover - l_inf distances are exact rationals
        raise AssertionError("not a perfect square")
    return root


class Construction(Result):
    """S_phi, A_phi and B_phi for one labelling phi of the grid (build with :func:`construction`).

    Attributes
    ----------
    grid : Grid
    phi : numpy.ndarray
        int64 labels +-1, one per grid point (row order of ``grid.int_points``).
    eps0 : Fraction
        Lift height: point p of S_phi is (grid point p, 1/2 + eps0 phi(p)).
    S_phi : numpy.ndarray
        object array (n, d) of exact Fractions.
    A_phi, B_phi : numpy.ndarray
        The rows of S_phi with phi = +1 (above x_d = 1/2) and phi = -1 (below).
    """

    _meanings = {
        "eps0": "largest radius for which the construction's balls stay apart",
        "size_A": "points the labelling phi puts in class A (label +1)",
        "size_B": "points the labelling phi puts in class B (label -1)",
    }

    _headline = "n"

    def __init__(self, grid, phi, eps0):
        self.grid = grid
        self.phi = phi
        self.eps0 = eps0
        d, K = grid.d, grid.K
        # common denominator: coordinates i/K and 1/2 +- eps0, all multiples of 1/scale
        self.scale = math.lcm(K, 2 * eps0.denominator)
        # int64 while d * scale^2 (a squared l_2 distance) fits; exact Python ints beyond
        dtype = np.int64 if self.scale <= 2**28 and d <= 64 else object
        ints = np.empty((grid.n, d), dtype=dtype)
        ints[:, :-1] = grid.int_points.astype(dtype) * (self.scale // K)
        ints[:, -1] = self.scale // 2 + phi.astype(dtype) * (eps0 * self.scale).numerator
        self._int = ints  # S_phi * scale, exact integers
        self.S_phi = np.vectorize(lambda v: Fraction(int(v), self.scale), otypes=[object])(ints)
        self.A_phi = self.S_phi[phi == 1]
        self.B_phi = self.S_phi[phi == -1]

    def title(self):
        return f"Construction S_phi on {self.grid!r}"

    def rows(self):
        return [("d", "d", self.grid.d), ("K", "K", self.grid.K), ("n", "n", self.grid.n),
                ("eps0", "eps0", self.eps0), ("size_A", "|A_phi|", len(self.A_phi)),
                ("size_B", "|B_phi|", len(self.B_phi))]

    def separation(self, norm="inf"):
        """Minimum distance between A_phi and B_phi, by brute force over all pairs, exactly.

        Parameters
        ----------
        norm : {'inf', '2'}

        Returns
        -------
        SeparationCheck
            ``separated`` says whether the minimum distance is >= 2 eps (Definition 1.1 of the
            paper: A, B are 2eps-separated), with eps the grid's (1/(2K) when built from K).

        Raises
        ------
        VCBoundError
            Unknown norm, or more than :data:`MAX_SEPARATION_PAIRS` pairs to compare.
        """
        norm = check_choice("norm", str(norm), ("inf", "2"))
        A = self._int[self.phi == 1]
        B = self._int[self.phi == -1]
        required = 2 * self.grid.eps_effective
        if len(A) == 0 or len(B) == 0:
            return SeparationCheck(norm, None, required)
        if len(A) * len(B) > MAX_SEPARATION_PAIRS:
            raise VCBoundError(f"separation() compares all {len(A) * len(B)} pairs of A_phi x "
                               f"B_phi, more than the {MAX_SEPARATION_PAIRS} it allows.")
        best = None
        chunk = max(1, 2**22 // max(1, len(B) * self.grid.d))
        for start in range(0, len(A), chunk):
            diff = np.abs(A[start:start + chunk, None, :] - B[None, :, :])
            if norm == "inf":
                m = int(diff.max(axis=2).min()) ** 2
            else:
                m = int((diff * diff).sum(axis=2).min())
            best = m if best is None else min(best, m)
        return SeparationCheck(norm, Fraction(best, self.scale**2), required)

    def separating_hyperplane(self):
        """The hyperplane x_d = 1/2 as (w, b) = (e_d, -1/2), verified exactly on every point.

        Returns
        -------
        (tuple of Fraction, Fraction)
            ``w`` (length d, the unit vector e_d) and ``b = -1/2``; sgn(w.x + b) = phi(x) on
            every point of S_phi.

        Raises
        ------
        AssertionError
            If the check fails (it cannot while 0 < eps0).
        """
        d = self.grid.d
        w = tuple(Fraction(int(j == d - 1)) for j in range(d))
        b = Fraction(-1, 2)
        # w.x + b = x_d - 1/2 = eps0 phi; in integers: scale * x_d - scale/2
        values = self._int[:, -1] - self.scale // 2
        if not np.array_equal(np.sign(values), self.phi):
            raise AssertionError("x_d = 1/2 does not separate A_phi from B_phi")
        return w, b


def construction(grid, phi, eps0=None, c=None):
    """S_phi, A_phi, B_phi of the proof of Theorem 4.3 for a labelling ``phi`` (vcbound docs §Construction).

    Each grid point (i/K, 1/2) is lifted to (i/K, 1/2 + eps0 phi(i)); A_phi are the lifted points
    with phi = +1 (above x_d = 1/2), B_phi those with phi = -1.

    Conditions on eps0 (vcbound docs §Construction): 0 < eps0 < eps, so that the points stay off the hyperplane
    x_d = 1/2 and inside [0, 1]^d; and eps0 < c eps, so that the robust ball of radius c eps around
    each lifted point (l_inf or l_2: the lifted point is at distance exactly eps0 from its grid
    point in both norms) contains its grid point, which turns robust accuracy on S_phi into plain
    accuracy on S~ with labels phi. The paper only says "eps0 arbitrarily small". Here eps is the
    grid's eps (1/(2K), the largest eps with this K, when the grid was built from K). The default
    is eps0 = c eps / 2 when ``c`` is given, else eps0 = eps / 16 (valid for every c > 1/16).

    The 2eps-separation (Definition 1.1) does not depend on eps0: points of different classes lie
    in different grid columns, hence differ by >= 1/K >= 2 eps in a grid coordinate (l_2 >= l_inf).

    Parameters
    ----------
    grid : Grid
    phi : array_like of +-1 (length n, row order of ``grid.int_points``) or callable
        A callable is called with each index tuple (i_1, ..., i_{d-1}), 1 <= i_j <= K.
    eps0 : number, optional
        Exact rational lift height (see conditions above).
    c : number, optional
        Robust radius as a fraction of eps, in (0, 1] (Theorem 4.3 uses radius c eps).

    Returns
    -------
    Construction

    Raises
    ------
    VCBoundError
        Wrong phi length or values, or eps0 violating the conditions above.

    Examples
    --------
    >>> g = make_grid(2, K=3)
    >>> con = construction(g, [1, -1, 1])
    >>> con.eps0, len(con.A_phi), len(con.B_phi)
    (Fraction(1, 96), 2, 1)
    >>> con.separation("inf").separated
    True
    >>> con.separating_hyperplane()
    ((Fraction(0, 1), Fraction(1, 1)), Fraction(-1, 2))
    """
    grid = _check_grid(grid)
    labels = _labels_from_phi(grid, phi)
    eps = grid.eps_effective
    if c is not None:
        c = check_real("c", c, 0, 1, low_open=True)
    if eps0 is None:
        eps0 = c * eps / 2 if c is not None else eps / 16
    else:
        eps0 = check_real("eps0", eps0, 0, eps, low_open=True, high_open=True)
        if c is not None and not eps0 < c * eps:
            raise VCBoundError(f"Argument 'eps0' must be below c eps = {c * eps} so that the robust "
                               f"ball around each lifted point contains its grid point, not "
                               f"{eps0}.")
    return Construction(grid, labels, Fraction(eps0))
