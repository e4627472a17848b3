"""Exact number of linear dichotomies of a finite point set (one neuron).

A *linear dichotomy* of a finite X in R^m is a labelling x -> sgn(w.x + b) with no point on the
hyperplane; both constant labellings count. Their number equals the number of regions of the
central arrangement of the hyperplanes {(w, b) : w.x + b = 0}, x in X, in R^(m+1): each region is
one sign pattern. Only the *vector configuration* of the lifted points (x, 1) matters, and only up
to scaling each vector (a hyperplane does not change when its normal is scaled by any non-zero
number, including -1), so:

* duplicate points count once;
* the count is invariant under affine bijections of R^m (they act linearly on the (x, 1));
* coordinates are made exact integers first (rationals per column over a common denominator,
  translated and divided by the column gcd — an affine map), then all geometry is integer
  arithmetic: int64 while the entries provably cannot overflow, Python integers beyond.

Methods (``method=``):

``'planar'`` (Zaslavsky's theorem for rank 3)
    For X spanning at most a plane (affine rank <= 2, e.g. points on a line or in R^2):
    count = 2 + 2 sum over lines L through >= 2 points of (``|L cap X|`` - 1). Lines are found exactly
    as the normalised cross products of lifted pairs, i.e. the line equations.
``'orbits'`` (deletion–restriction up to symmetry; the default for higher rank)
    The same recursion as 'incremental', run level by level over the points in a fixed order
    with its nodes identified by their flat, and merged up to the automorphisms of the set
    that keep the earlier points together (Brysiewicz, Eble and Kühne, *Computing
    characteristic polynomials of hyperplane arrangements with symmetries*, DCG 2023; see
    :mod:`vcbound._engine._orbits`). ``symmetry='auto'`` uses the group of the box when the
    points form a full box V_1 x ... x V_m (every grid S~; for a cube the hyperoctahedral group
    of order 2^m m!), checked on the points; ``symmetry='none'`` the trivial group; an array
    of permutations of the rows of ``points`` generates a group, each checked to be induced
    by an affine map. The count never depends on the group, only the time (vcbound docs
    §Exact counts on grids).
``'incremental'`` (deletion–restriction; cross-check)
    Adding a hyperplane H to an arrangement A adds as many regions as the restricted arrangement
    A^H has (Zaslavsky; Stanley, *An introduction to hyperplane arrangements*, Lemma 2.1), so
    with H_1, ..., H_N in any order, r(A) = 1 + sum_i r({H_1, ..., H_{i-1}}^{H_i}). In vector
    terms the restriction to H_i is the projection of the earlier vectors along v_i (the quotient
    by span(v_i), computed with an integer pivot step), with parallel images merged. Recursing
    drops the dimension by one per level down to dimension 3, where the planar formula above
    (in its projective form) finishes. We chose it because it needs nothing but exact integer
    projections and line grouping, whose cost is known in advance: about C(N, r - 3) rank-3
    problems for N vectors of rank r (r = 4 for a 3-D grid, 6 for the 5-cube), with no search
    over the lattice of flats. From rank 5 down it runs as compiled kernels
    (:mod:`vcbound._engine._incremental`, int64 with every entry checked, parallel over the
    terms of the top sum; about 35 times the numpy code on 4-D grids), with the numpy code and
    Python integers as the fallback; the tests compare the two implementations. It shares no
    code with 'orbits'.
``'flats'`` (Zaslavsky's theorem; cross-check)
    count = sum over flats F of ``|mu(0, F)|``, flats being the distinct linear spans of subsets of
    the lifted points (affine spans of subsets of X), mu the Möbius function of their lattice
    (Zaslavsky 1975). Flats are enumerated rank by rank as closures, each with an
    exact integer basis of its annihilator; mu(0, F) = -sum_{G < F} mu(0, G) with containment
    tested on point bitmaps. Independent of the incremental method, so tests compare the two.
``'lp'`` (brute force; cross-check on small sets, needs scipy)
    One LP feasibility problem per labelling y with y_1 = +1 (scipy.optimize.linprog,
    method="highs"): find (w, b) with y_i (w.x_i + b) >= 1; the count is twice the number of
    feasible ones (complement symmetry). At most :data:`MAX_LP_POINTS` distinct points.
``'auto'``
    'planar' when the affine rank is at most 2, else 'orbits'.

References
----------
T. Zaslavsky, Facing up to arrangements, Mem. AMS 154 (1975); R. P. Stanley, An introduction to
hyperplane arrangements (2007), Thm 2.5 and Lemma 2.1; T. M. Cover, IEEE Trans. EC-14 (1965);
T. Brysiewicz, H. Eble, L. Kühne, Discrete Comput. Geom. (2023), CountingChambers.jl; S. Muroga,
I. Toda, M. Kondo / S. Muroga, T. Tsuboi, C. R. Baugh (1970) for {0,1}^7 and {0,1}^8. OEIS A000609 (number of threshold functions of n variables: 2, 4, 14, 104, 1882,
94572, ...), the counts for the cubes {0,1}^n.
"""

import math
import numbers
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ._guard import Work, check_exact
from ._result import Result
from ._validation import check_choice, fmt_value, to_rational
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["count_linear_dichotomies", "exact_count", "ExactCount", "integer_points", "METHODS",
           "SYMMETRIES", "MAX_LP_POINTS"]

METHODS = ("auto", "planar", "orbits", "incremental", "flats", "lp")

#: Values of ``symmetry`` besides an array of permutations.
SYMMETRIES = ("auto", "none")

#: The LP brute force solves 2^(n-1) linear programs; refuse it beyond this many points.
MAX_LP_POINTS = 16

#: Largest reduced integer coordinate the floating-point LP brute force accepts.
_LP_MAX_COORD = 2**20

#: int64 arithmetic is used while every entry is below this (products of two stay < 2^62).
_INT64_SAFE = 2**30


# --------------------------------------------------------------------------------------------
# exact integer input


def _float_to_fraction(x):
    """The simplest rational with denominator <= 2^24 that rounds to the double x, else x itself.

    Grid coordinates i/K (K < 2^24) come back exactly; any other double is taken as the binary
    rational it is.
    """
    exact = Fraction(x)
    small = exact.limit_denominator(2**24)
    return small if float(small) == x else exact


def _as_fraction_column(values):
    out = []
    for v in values:
        if isinstance(v, (float, np.floating)):
            if not math.isfinite(float(v)):
                raise VCBoundError(f"Argument 'points' must contain finite numbers, not "
                                   f"{fmt_value(float(v))}.")
            out.append(_float_to_fraction(float(v)))
        elif isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, Decimal)):
            raise VCBoundTypeError(f"Argument 'points' must contain real numbers, not "
                                   f"{fmt_value(v)}.")
        else:
            out.append(to_rational("points", v))
    return out


def integer_points(points, return_rows=False):
    """Distinct points as exact integers, affinely equivalent to ``points`` (internal helper).

    Each column is brought to a common denominator, translated to start at 0 and divided by the
    gcd of its entries (an affine bijection: the dichotomy count is unchanged).

    Parameters
    ----------
    points : array_like (n, m), or a :class:`vcbound.grid.Grid`
        Integers, Fractions (or other exact rationals) or finite floats (a float is read as the
        simplest rational with denominator <= 2^24 that rounds to it, so i/K comes back exact).

    return_rows : bool
        Return the reduced row of every input row (a list of tuples, duplicates kept, input
        order) instead of the distinct sorted array.

    Returns
    -------
    numpy.ndarray
        int64 (or object array of Python ints when large) of shape (n_distinct, m).

    Raises
    ------
    VCBoundError
        Empty set, wrong shape (not 2-D), non-finite or non-real entries.

    Examples
    --------
    >>> integer_points([[0.5, 1], [1.0, 3], [0.5, 1]]).tolist()
    [[0, 0], [1, 1]]
    """
    from .grid import Grid  # light, but keep the import graph one-way
    if isinstance(points, Grid):
        arr = points.int_points - 1
    else:
        if points is None or isinstance(points, (str, bytes, dict, set, numbers.Number)):
            raise VCBoundTypeError(f"Argument 'points' must be an array of shape (n, m), not "
                                   f"{fmt_value(points)}.")
        try:
            arr = np.asarray(points)
        except Exception:  # noqa: BLE001 - ragged nested lists
            raise VCBoundError("Argument 'points' must be a rectangular array of shape "
                               "(n, m).") from None
    if arr.ndim == 0:
        raise VCBoundTypeError(f"Argument 'points' must be an array of shape (n, m), not "
                               f"{fmt_value(points)}.")
    if arr.ndim != 2:
        hint = " (for points on a line use shape (n, 1))" if arr.ndim == 1 else ""
        raise VCBoundError(f"Argument 'points' must be a 2-D array of shape (n, m), one point "
                           f"per row, not an array of shape {arr.shape}{hint}.")
    n, m = arr.shape
    if n == 0:
        raise VCBoundError("Argument 'points' must contain at least one point, not an empty set.")
    if m == 0:
        raise VCBoundError("Argument 'points' must have at least one coordinate (m >= 1).")
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iufO":
        raise VCBoundTypeError(f"Argument 'points' must hold real numbers, not dtype "
                               f"{arr.dtype}.")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise VCBoundError("Argument 'points' must contain finite numbers (found nan or inf).")
    if return_rows:
        return _reduced_rows(_exact_columns(arr))
    rows = sorted(set(_reduced_rows(_exact_columns(arr))))
    big = max((abs(v) for row in rows for v in row), default=0)
    return np.array(rows, dtype=np.int64 if big < _INT64_SAFE else object).reshape(len(rows), m)


def _exact_columns(arr):
    """Each column as exact integers (rationals over the column's common denominator)."""
    m = arr.shape[1]
    if arr.dtype.kind in "iu":
        cols = [[int(v) for v in arr[:, j].tolist()] for j in range(m)]
    else:
        cols = []
        for j in range(m):
            uniq = {}
            col = arr[:, j].tolist()
            for v in col:
                key = (type(v), v)
                try:
                    seen = key in uniq
                except TypeError:   # an unhashable entry (a set, a list): not a real number
                    raise VCBoundTypeError(f"Argument 'points' must contain real numbers, not "
                                           f"{fmt_value(v)}.") from None
                if not seen:
                    uniq[key] = _as_fraction_column([v])[0]
            fr = [uniq[(type(v), v)] for v in col]
            den = math.lcm(*[q.denominator for q in fr])
            cols.append([int(q * den) for q in fr])
    return cols


def _reduced_rows(cols):
    """Rows of the columns translated to start at 0 and divided by their gcd (affine)."""
    ints = []
    for col in cols:
        lo = min(col)
        shifted = [v - lo for v in col]
        g = math.gcd(*shifted) or 1
        ints.append([v // g for v in shifted])
    return list(zip(*ints))


# --------------------------------------------------------------------------------------------
# integer linear algebra on vector configurations


def _fit(M):
    """Same integers, int64 when entries are small enough for one product, else object."""
    if M.size == 0:
        return M.astype(np.int64)
    big = int(np.abs(M).max())
    want = np.int64 if big < _INT64_SAFE else object
    return M if M.dtype == want else M.astype(want)


def _normalize_rows(M):
    """Primitive representative of each row up to sign (gcd 1, first non-zero entry > 0)."""
    if len(M) == 0:
        return M
    g = np.gcd.reduce(np.abs(M), axis=1)
    g[g == 0] = 1
    M = M // g[:, None]
    first = np.argmax(M != 0, axis=1)
    sign = np.sign(M[np.arange(len(M)), first])
    sign[sign == 0] = 1
    return M * sign[:, None]


def _unique_rows(M):
    if len(M) == 0:
        return M
    if M.dtype == object:
        rows = sorted(set(map(tuple, M.tolist())))
        return np.array(rows, dtype=object).reshape(len(rows), M.shape[1])
    return np.unique(M, axis=0)


def _rank_and_pivots(V):
    """Exact rank and pivot columns of an integer matrix (fraction-free elimination)."""
    rows = [list(map(int, r)) for r in V.tolist()]
    ncols = V.shape[1]
    pivots = []
    r = 0
    for c in range(ncols):
        piv = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        p = rows[r]
        for i in range(r + 1, len(rows)):
            if rows[i][c]:
                f = rows[i][c]
                new = [p[c] * a - f * b for a, b in zip(rows[i], p)]
                g = math.gcd(*new) or 1
                rows[i] = [a // g for a in new]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    return r, pivots


def _lifted_configuration(X):
    """Rows (x, 1), restricted to pivot columns so that the vectors span Z^rank (full rank)."""
    V = np.concatenate([X, np.ones((len(X), 1), dtype=X.dtype)], axis=1)
    rank, pivots = _rank_and_pivots(V)
    return _fit(V[:, pivots]), rank


def _project(U, v):
    """Images of the rows of U in the quotient by span(v), integer, merged up to scale/sign."""
    nz = np.nonzero(v)[0]
    p = nz[np.argmin(np.abs(v[nz]))]
    if U.dtype != object and int(np.abs(U).max(initial=0)) * int(np.abs(v).max()) >= 2**61:
        U, v = U.astype(object), v.astype(object)
    W = v[p] * U - U[:, p:p + 1] * v[None, :]
    W = np.delete(W, p, axis=1)
    return _unique_rows(_fit(_normalize_rows(W)))


def _regions_rank3(V):
    """Regions of a central arrangement in dimension <= 3 given by distinct normals V (N, k).

    r = 2 + 2 sum over rank-2 flats L of (|L| - 1) for N >= 1 (planar formula in
    projective form; Zaslavsky with chi(1) = 0), and 1 for N = 0. The sum is computed as
    sum_i (number of distinct planes span(v_i, v_j), j < i): a line L with s vectors is counted
    once by each of its s - 1 non-first members.
    """
    N = len(V)
    if N == 0:
        return 1
    if V.shape[1] < 3:
        V = np.concatenate([V, np.zeros((N, 3 - V.shape[1]), dtype=V.dtype)], axis=1)
    if V.dtype != object and int(np.abs(V).max()) >= 2**30:
        V = V.astype(object)
    total = 0
    block = max(1, 2**21 // max(N, 1))
    for start in range(1, N, block):
        idx_i, idx_j = [], []
        for i in range(start, min(N, start + block)):
            idx_i.append(np.full(i, i))
            idx_j.append(np.arange(i))
        ii = np.concatenate(idx_i)
        jj = np.concatenate(idx_j)
        C = _normalize_rows(np.cross(V[ii], V[jj]) if V.dtype != object
                            else _cross_object(V[ii], V[jj]))
        keys = np.concatenate([ii[:, None].astype(C.dtype), C], axis=1)
        total += len(_unique_rows(keys))
    return 2 + 2 * total


def _cross_object(a, b):
    return np.stack([a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1],
                     a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2],
                     a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]], axis=1)


def _regions_incremental(V, compiled=True):
    """r(A) = 1 + sum_i r({H_1..H_{i-1}}^{H_i}) (deletion–restriction), down to dimension 3.

    ``compiled``: from rank 5 down, the compiled kernels of vcbound._engine._incremental do the
    recursion (int64, every entry checked; this numpy code with Python integers when an entry
    would leave the bounds or the count could leave int64). ``compiled=False`` is the numpy
    implementation alone, kept as an independent implementation for the tests.
    """
    if compiled and V.dtype != object and V.shape[1] <= 5 and _cover_bound(V) < 2**62:
        from ._engine import _incremental
        from ._engine._cache import notice_if_cold
        notice_if_cold(_incremental, about="5-20 seconds")   # measured 6 s on 2 vCPUs
        count = _incremental.regions(V)
        if count is not None:
            return count
    if V.shape[1] <= 3:
        return _regions_rank3(V)
    total = 1
    for i in range(len(V)):
        if i == 0:
            total += 1  # the restriction of the empty arrangement: one region
            continue
        total += _regions_incremental(_project(V[:i], V[i]), compiled)
    return total


def _cover_bound(V):
    """Cover's bound 2 sum_{i < rank} C(N - 1, i) on the regions of N hyperplanes in R^rank."""
    N, r = V.shape
    return 2 * sum(math.comb(N - 1, i) for i in range(min(r, N)))


# --------------------------------------------------------------------------------------------
# Zaslavsky over the lattice of flats


def _regions_flats(V):
    """sum over flats F of |mu(0, F)| (Zaslavsky), flats enumerated as closures rank by rank."""
    N, r = V.shape
    V = V.astype(object)
    levels = [[(np.zeros(N, dtype=bool), np.eye(r, dtype=np.int64).astype(object))]]
    for _rank in range(1, r + 1):
        found = {}
        for members, E in levels[-1]:
            covered = members.copy()
            for p in range(N):
                if covered[p]:
                    continue
                v = E.dot(V[p])
                nz = [i for i in range(len(v)) if v[i] != 0]
                q = min(nz, key=lambda i: abs(v[i]))
                rows = [v[q] * E[i] - v[i] * E[q] for i in range(len(E)) if i != q]
                E2 = (_normalize_rows(np.array(rows, dtype=object)) if rows
                      else np.zeros((0, r), dtype=object))
                new = ((V.dot(E2.T) == 0).all(axis=1) if len(E2)
                       else np.ones(N, dtype=bool))
                covered |= new
                key = np.packbits(new).tobytes()
                if key not in found:
                    found[key] = (new, E2)
        levels.append(list(found.values()))
    mats = [np.array([m for m, _ in lev], dtype=np.float64) for lev in levels]
    mus = [np.array([1], dtype=object)]
    for k in range(1, len(levels)):
        upper = mats[k]
        acc = np.zeros(len(upper), dtype=object)
        for j in range(k):
            # G (rank j) <= F (rank k) iff G has no point outside F
            outside = mats[j] @ (1.0 - upper).T
            acc = acc + mus[j].dot((outside == 0).astype(object))
        mus.append(-acc)
    return int(sum(abs(m) for mu in mus for m in mu))


# --------------------------------------------------------------------------------------------
# deletion-restriction up to symmetry


def _group_order(points, X, symmetry):
    """Order of the group 'orbits' will use, without building it (for the time estimate)."""
    from ._engine import _symmetry as sym
    if isinstance(symmetry, str):
        if symmetry == "none" or X.dtype == object:
            return 1
        vals = sym.box_axes(X)
        return 1 if vals is None else sym.box_group_order(vals)
    return _symmetry_group(points, X, symmetry)[2]


def _symmetry_group(points, X, symmetry):
    """(prefix stabilisers {level: perms of the positions}, point order, group order) for
    ``symmetry`` (vcbound._engine._symmetry)."""
    from ._engine import _symmetry as sym
    from ._engine._orbits import stabilisers_of
    n = len(X)
    if isinstance(symmetry, str):
        symmetry = check_choice("symmetry", symmetry, SYMMETRIES)
        if symmetry == "none" or X.dtype == object:
            return {}, np.arange(n), 1, ("stabilisers", {})
        vals = sym.box_axes(X)
        if vals is None:
            return {}, np.arange(n), 1, ("stabilisers", {})
        order = sym.layer_order(X, vals)
        stab, group_order = sym.box_stabilisers(X, vals, order)
        return stab, order, group_order, ("box", X, vals, order)
    try:
        gens = np.asarray(symmetry)
    except Exception:  # noqa: BLE001 - ragged
        gens = None
    N0 = len(integer_points(points, return_rows=True))
    if gens is None or gens.ndim != 2 or gens.shape[1] != N0 or gens.dtype.kind not in "iu":
        raise VCBoundError(f"Argument 'symmetry' must be 'auto', 'none' or an integer array of "
                           f"permutations of the {N0} rows of 'points' (shape (g, {N0})), not "
                           f"{fmt_value(symmetry)}.")
    rows = integer_points(points, return_rows=True)
    where = {tuple(int(v) for v in row): i for i, row in enumerate(X.tolist())}
    u = np.array([where[tuple(row)] for row in rows])
    out = []
    for g in gens:
        if sorted(g.tolist()) != list(range(N0)):
            raise VCBoundError(f"Argument 'symmetry': row {g.tolist()[:8]}... is not a "
                               f"permutation of 0..{N0 - 1}.")
        perm = np.full(n, -1)
        perm[u] = u[g]
        if (perm < 0).any() or len(set(perm.tolist())) != n or not np.array_equal(
                perm[u], u[g]):
            raise VCBoundError("Argument 'symmetry': a permutation maps equal points to "
                               "different points.")
        if not sym.check_automorphism(X, perm):
            raise VCBoundError("Argument 'symmetry': a permutation is not induced by an affine "
                               "map of the points (it would not preserve the arrangement).")
        out.append(perm)
    perms = sym.closure(out, n)
    if perms is None:
        raise VCBoundError(f"Argument 'symmetry' generates a group of more than "
                           f"{sym.MAX_GROUP} elements; give generators of a subgroup.")
    stab = stabilisers_of(perms)
    return stab, np.arange(n), len(perms), ("stabilisers", stab)


def _regions_orbits(V, stab, order, group, shards=None, checkpoint=None, progress=False,
                    client=None):
    """Orbit-weighted deletion–restriction (vcbound._engine._orbits), sharded as asked
    (vcbound._engine._shards); (count, stats or None when Python integers were needed)."""
    from ._engine import _orbits, _shards
    from ._engine._cache import notice_if_cold
    from ._engine._orbits import OverflowInKernel
    long_run = checkpoint is not None or client is not None
    notice_if_cold(_orbits, about="10-30 seconds")        # measured 18 s on 2 vCPUs
    try:
        if V.dtype == object:
            raise OverflowInKernel()
        # Dask workers run one shard per worker thread; a serial run uses every CPU per level
        spec = _shards.EngineSpec(V[order], group, stabilisers=stab,
                                  threads=1 if client is not None else None)
        target, count = _shards.sharding(len(V), V.shape[1], shards)
        plan = _shards.make_plan(spec, target, count, progress=progress)
        stats = {}
        total = _shards.run_plan(plan, checkpoint=checkpoint, progress=progress, client=client,
                                 stats=stats)
        return total, stats
    except OverflowInKernel:
        if long_run:
            what = "checkpoint" if checkpoint is not None else "client"
            raise VCBoundError(f"Argument {what!r} needs the int64 orbit engine, but the exact "
                               "arithmetic of these points leaves int64 (reduced coordinates "
                               "of 2^16 or more); count them without it (Python integers, "
                               "one process).") from None
        return _regions_incremental(V), None


# --------------------------------------------------------------------------------------------
# LP brute force


def _count_lp(X):
    try:
        from scipy.optimize import linprog
    except ImportError as exc:  # pragma: no cover - scipy is a test dependency
        raise VCBoundError("method='lp' needs scipy (pip install scipy).") from exc
    n, m = X.shape
    if n > MAX_LP_POINTS:
        raise VCBoundError(f"method='lp' solves 2^(n-1) linear programs; it allows at most "
                           f"{MAX_LP_POINTS} distinct points, not {n}.")
    if X.dtype == object or int(np.abs(X).max()) > _LP_MAX_COORD:
        raise VCBoundError(f"method='lp' solves floating-point LPs; it needs integer "
                           f"coordinates (after exact reduction) of at most {_LP_MAX_COORD}, "
                           f"and these reach {int(np.abs(X).max())}. Use 'incremental' or "
                           "'flats' (exact).")
    A = np.concatenate([X.astype(np.float64), np.ones((n, 1))], axis=1)
    feasible = 0
    work = Work("linear programs", 2 ** (n - 1))
    with work:
        for code in range(2 ** (n - 1)):
            work.update(code)
            y = np.array([1] + [1 if (code >> i) & 1 else -1 for i in range(n - 1)],
                         dtype=float)
            res = linprog(np.zeros(m + 1), A_ub=-(y[:, None] * A), b_ub=-np.ones(n),
                          bounds=[(None, None)] * (m + 1), method="highs")
            if res.status == 0:
                feasible += 1
            elif code == 2 ** (n - 1) - 1:  # pragma: no cover - constant labelling is realisable
                raise VCBoundError("linprog found the constant labelling infeasible: the LP is "
                                   "numerically unreliable on these points.")
            elif res.status != 2:  # pragma: no cover - neither feasible nor infeasible
                raise VCBoundError(f"linprog failed on labelling {y.tolist()}: {res.message}")
    return 2 * feasible


# --------------------------------------------------------------------------------------------
# public API


class ExactCount(Result):
    """Exact number of linear dichotomies of a point set (see :func:`exact_count`).

    Attributes
    ----------
    count : int
    n : int
        Number of distinct points.
    m : int
        Ambient dimension of the points.
    rank : int
        Affine rank + 1 of the points (dimension of the arrangement's essential space).
    method : str
        The method actually used.
    seconds : float
    group_order : int or None
        Order of the symmetry group used ('orbits'; 1 for the trivial group).
    nodes : int or None
        Nodes of the orbit recursion after merging ('orbits'; the top and every shard, also
        those taken from a checkpoint).
    shards : int or None
        Shards of the run ('orbits'; 0 when the recursion ran in one piece).
    resumed : int or None
        Shards taken from the checkpoint instead of computed ('orbits').
    peak : int or None
        Most nodes pending at once, in the top or in one shard computed by this process
        ('orbits' run serially; Dask workers report theirs).
    """

    _headline = "count"

    def __init__(self, count, n, m, rank, method, seconds, group_order=None, nodes=None,
                 shards=None, resumed=None, peak=None):
        self.count = count
        self.n = n
        self.m = m
        self.rank = rank
        self.method = method
        self.seconds = seconds
        self.group_order = group_order
        self.nodes = nodes
        self.shards = shards
        self.resumed = resumed
        self.peak = peak

    def title(self):
        return "Exact number of linear dichotomies (one neuron)"

    def rows(self):
        rows = [("count", "count", self.count), ("n", "distinct points n", self.n),
                ("m", "dimension m", self.m), ("rank", "rank of lifted points", self.rank),
                ("method", "method", self.method),
                ("group_order", "symmetry group order", self.group_order),
                ("nodes", "orbit nodes", self.nodes), ("shards", "shards", self.shards),
                ("resumed", "shards resumed from the checkpoint", self.resumed),
                ("peak", "most orbit nodes pending at once", self.peak),
                ("seconds", "seconds", self.seconds)]
        return [row for row in rows if row[2] is not None]


def exact_count(points, method="auto", symmetry="auto", *, shards=None, checkpoint=None,
                progress=False, client=None):
    """The number of linear dichotomies of ``points``, with details.

    Parameters
    ----------
    points : array_like (n, m) or Grid
        See :func:`count_linear_dichotomies`.
    method : {'auto', 'planar', 'orbits', 'incremental', 'flats', 'lp'}
    symmetry : {'auto', 'none'} or array of permutations
        Group used by 'orbits' (see the module docstring); ignored by the other methods.
    shards : int, optional
        'orbits' only: cut the recursion into this many shards after a serial top of about
        64 frontier nodes per shard (vcbound docs §Exact counts on grids). Default: the top runs
        until 2^21 nodes are pending (runs that never hold that many are not sharded) and the
        frontier is cut into 256 shards. The count never depends on it; a checkpoint belongs
        to one choice.
    checkpoint : str or os.PathLike, optional
        'orbits' only: ``.npz`` file of the finished shards, resumed from if it exists (it must
        belong to the same points, group and shards), written every 30 s, when the run stops
        (Ctrl-C) and at its end. Accepting a checkpoint accepts a long run: the 10-minute
        refusal of :func:`vcbound._guard.check_exact` is lifted (up to a year of estimated
        time).
    progress : bool
        'orbits' only: a tqdm line over the serial top of the recursion (the level reached, the
        nodes done and pending; no time to go, the levels being very unequal work), then a bar
        over the shards (when the run is sharded).
    client : distributed.Client, optional
        'orbits' only: run the shards as tasks on this Dask cluster (``pip install
        "vcbound[distributed]"``); same count as the serial run, same checkpoints.

    Returns
    -------
    ExactCount

    Raises
    ------
    VCBoundError
        See :func:`count_linear_dichotomies`; also ``checkpoint``, ``progress``, ``client`` or
        ``shards`` with a method other than 'orbits', a ``client`` that is not a running
        ``distributed.Client``.
    CheckpointError
        The checkpoint belongs to another point set, group or sharding, is corrupt, or is in
        use by another run.
    KeyboardInterrupt
        Ctrl-C during a sharded run: raised after the shards in progress finished and the
        checkpoint was saved; a second Ctrl-C raises it at once (the finished shards are
        saved, the ones in progress are computed again on resume).

    Examples
    --------
    >>> res = exact_count([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> res.count, res.n, res.rank, res.method
    (14, 4, 3, 'planar')
    >>> import itertools, os, tempfile
    >>> cube = list(itertools.product([0, 1], repeat=5))
    >>> path = os.path.join(tempfile.mkdtemp(), "cube5.npz")
    >>> res = exact_count(cube, shards=8, checkpoint=path)     # 94572 (OEIS A000609)
    >>> res.count, res.shards, res.resumed
    (94572, 8, 0)
    >>> exact_count(cube, shards=8, checkpoint=path).resumed   # every shard from the file
    8
    """
    method = check_choice("method", method, METHODS)
    t0 = time.perf_counter()
    shards, checkpoint, progress, client = _check_run_options(method, shards, checkpoint,
                                                              progress, client)
    long_run = checkpoint is not None or client is not None
    from .grid import Grid
    if isinstance(symmetry, str):
        check_choice("symmetry", symmetry, SYMMETRIES)
    if isinstance(points, Grid):   # n, rank and group known in advance: refuse before any work
        rank0 = points.d if points.K > 1 else 1
        guess = method if method != "auto" else ("planar" if rank0 <= 3 else "orbits")
        m0 = points.d - 1
        order0 = 2**m0 * math.factorial(m0) if points.K > 1 and symmetry == "auto" else 1
        check_exact(points.n, rank0, guess, long_run=long_run, group_order=order0)
    X = integer_points(points)
    V, rank = _lifted_configuration(X)
    group_order = nodes = None
    if method == "auto":
        method = "planar" if rank <= 3 else "orbits"
    # refuse what would not finish (vcbound._guard), the group's order known before it is built
    check_exact(len(X), rank, method, long_run=long_run,
                group_order=_group_order(points, X, symmetry) if method == "orbits" else 1)
    extra = {}
    if method in ("planar", "incremental") and rank <= 2:
        # n distinct points on a line: a threshold has n + 1 places and two orientations, the
        # two constant labellings being reached twice: 2(n + 1) - 2 = 2n (derived here)
        count = 2 * len(X)
    elif method == "planar":
        if rank > 3:
            raise VCBoundError(f"method='planar' needs points spanning at most a plane (affine "
                               f"rank <= 2); these have affine rank {rank - 1}. Use "
                               "'incremental' or 'flats'.")
        count = _regions_rank3(V)
    elif method == "orbits":
        stab, order, group_order, group = _symmetry_group(points, X, symmetry)
        count, stats = _regions_orbits(V, stab, order, group, shards, checkpoint, progress,
                                       client)
        if stats is not None:
            nodes = stats["nodes"]
            extra = {"shards": stats["shards"], "resumed": stats["resumed"],
                     "peak": stats["peak"]}
    elif method == "incremental":
        count = _regions_incremental(V)
    elif method == "flats":
        count = _regions_flats(V)
    else:
        count = _count_lp(X)
    return ExactCount(count, len(X), X.shape[1], rank, method, time.perf_counter() - t0,
                      group_order, nodes, **extra)


def _check_run_options(method, shards, checkpoint, progress, client):
    """The options of long 'orbits' runs, checked before any work."""
    from ._guard import check_output_path
    from ._validation import check_integer
    given = [name for name, value in (("shards", shards), ("checkpoint", checkpoint),
                                      ("client", client)) if value is not None]
    if progress not in (True, False, None) and not isinstance(progress, (bool, np.bool_)):
        raise VCBoundTypeError(f"Argument 'progress' must be True or False, not "
                               f"{fmt_value(progress)}.")
    if given and method not in ("auto", "orbits"):
        raise VCBoundError(f"Argument {given[0]!r} applies to method 'orbits' (the sharded "
                           f"recursion), not to method {method!r}.")
    if shards is not None:
        shards = check_integer("shards", shards, 1, 2**31)
    if checkpoint is not None:
        checkpoint = check_output_path("checkpoint", checkpoint, "checkpoint file")
    if client is not None:
        from ._engine._distributed import check_client
        client = check_client(client)
    return shards, checkpoint, bool(progress), client


def count_linear_dichotomies(points, method="auto", symmetry="auto", *, shards=None,
                             checkpoint=None, progress=False, client=None):
    """Exact number of labellings of ``points`` realisable as sgn(w.x + b).

    Both constant labellings count, no point may lie on the hyperplane, duplicate points count
    once. Equals the number of regions of the central arrangement {(w, b) : w.x + b = 0},
    x in X (Zaslavsky: sum over flats F of ``|mu(0, F)|``); see the module docstring for the methods.
    Exact integer arithmetic throughout.

    Parameters
    ----------
    points : array_like of shape (n, m), or a :class:`vcbound.grid.Grid`
        Integers, exact rationals (Fraction, sympy Rational) or finite floats (read as the
        simplest rational with denominator <= 2^24 rounding to the same double, so grid
        coordinates i/K are exact). A Grid is counted on its (d-1)-dimensional points, which
        gives the count on S~ (the last coordinate of S~ is constant).
    method : {'auto', 'planar', 'orbits', 'incremental', 'flats', 'lp'}
        'auto' uses the planar formula for sets spanning at most a plane, else 'orbits'.
    symmetry : {'auto', 'none'} or array of permutations
        The group 'orbits' merges by: 'auto' the box group when the points form a full box
        (checked), 'none' the trivial group, or generators given as permutations of the rows
        of ``points`` (each checked to be induced by an affine map). Never changes the count.
    shards, checkpoint, progress, client
        Long runs of 'orbits': shards, checkpoint/resume, a progress bar over the shards and a
        Dask client, as in :func:`exact_count`.

    Returns
    -------
    int

    Raises
    ------
    VCBoundError
        Empty set, array not 2-D, non-finite entries, unknown method, 'planar' on a set that is
        not planar, 'lp' on more than :data:`MAX_LP_POINTS` points, a ``symmetry`` that is not
        a group of affine symmetries of the points; long-run options with a method other than
        'orbits'.
    CheckpointError
        A checkpoint of another point set, group or sharding, corrupt, or in use.

    References
    ----------
    Zaslavsky (1975); Cover (1965); Brysiewicz, Eble, Kühne (2023); OEIS A000609.

    Examples
    --------
    >>> count_linear_dichotomies([[0], [1], [2]])       # 3 collinear points: 2n = 6
    6
    >>> import itertools
    >>> count_linear_dichotomies(list(itertools.product([0, 1], repeat=3)))   # OEIS A000609
    104
    >>> count_linear_dichotomies(list(itertools.product([0, 1], repeat=5)), symmetry="none")
    94572
    """
    return exact_count(points, method, symmetry, shards=shards, checkpoint=checkpoint,
                       progress=progress, client=client).count
