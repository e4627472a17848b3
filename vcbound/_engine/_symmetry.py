"""Automorphism groups of point sets, as permutations of the points (engine of vcbound.exact).

An affine bijection of R^m that maps a finite set X onto itself permutes the lifted vectors
(x, 1) by a linear map, hence maps flats to flats and preserves every count of
:mod:`vcbound.exact`. Two sources of such maps:

* a *box* X = V_1 x ... x V_m (every grid S~ of the paper, after the exact integer reduction of
  :func:`vcbound.exact.integer_points`): the reflection x_a -> max V_a - x_a of every axis whose
  value set is symmetric, and the permutations of axes with equal value sets. For a cubic grid
  these generate the hyperoctahedral group B_m of order 2^m m!; in general the product of the
  reflections and the permutations of equal axes (the group named in the paper's setting of
  grids; the full affine group of a box can only be larger when V_a is not an arithmetic
  progression, in which case we use what we can prove);
* permutations given by the user, each checked to be induced by an affine map, closed under
  composition here.

The orbit engine (:mod:`._orbits`) needs only the *prefix stabilisers*: for each level l, the
elements mapping the first l points of its order onto themselves. For a box they are found by
:func:`box_stabilisers` without listing the whole group (B_8 has 10,321,920 elements, of which
only 626,648 memberships in the stabilisers of levels 1..255 matter): every element is run over
the points once, in a numba kernel that steps through the reflections in Gray-code order.
User-given groups are closed explicitly (:func:`closure`, at most ``MAX_GROUP`` elements).
``MAX_STABILISER_BYTES`` caps the memory of the stabilisers: beyond it a subgroup is used (one
axis fixed at a time: fewer merges, same count).
"""

import itertools
import math

import numpy as np

__all__ = ["box_axes", "box_group", "box_group_order", "box_stabilisers", "closure",
           "check_automorphism", "layer_order", "MAX_GROUP", "MAX_STABILISER_BYTES"]

#: Largest explicit group (user-given generators are closed into a list of this many at most).
MAX_GROUP = 700_000

#: Largest memory of the prefix stabilisers of a box (int16 permutations of all levels):
#: 626,648 elements of 256 points for B_8 are 320 MB.
MAX_STABILISER_BYTES = 1_500_000_000


def box_axes(X):
    """Value sets of the axes if the distinct integer points X (sorted rows) form a full box
    V_1 x ... x V_m, else None."""
    n, m = X.shape
    vals = [np.unique(X[:, a]) for a in range(m)]
    if math.prod(len(v) for v in vals) != n:
        return None
    return vals


def _perm_classes(vals):
    """Axes grouped by equal value sets."""
    classes = {}
    for a, v in enumerate(vals):
        classes.setdefault(tuple(v.tolist()), []).append(a)
    return list(classes.values())


def box_group_order(vals, cap=None):
    """Order of the box group (of its subgroup within ``cap`` elements, if given)."""
    classes, flips = _box_generators(vals, cap)
    return math.prod(math.factorial(len(c)) for c in classes) * 2 ** len(flips)


def _box_generators(vals, cap, fixed=0):
    """Axis classes permuted and axes reflected; the largest class loses one axis while the
    order exceeds ``cap`` (and ``fixed`` times more)."""
    flips = [a for a, v in enumerate(vals) if len(v) > 1 and np.array_equal(v[::-1], v[-1] - v)]
    classes = [c for c in _perm_classes(vals) if len(c) > 1]

    def order():
        return math.prod(math.factorial(len(c)) for c in classes) * 2 ** len(flips)

    while classes and ((cap is not None and order() > cap) or fixed > 0):
        fixed -= 1
        classes.sort(key=len)
        big = classes.pop()
        if len(big) > 2:
            classes.append(big[:-1])     # fix one axis of the largest class
    return classes, flips


def _axis_choices(classes, m):
    """Every permutation of the axes within the classes, as rows 'new axis a reads old axis
    row[a]' (the identity first)."""
    rows = []
    for choice in itertools.product(*[itertools.permutations(c) for c in classes]):
        axis = np.arange(m)
        for c, img in zip(classes, choice):
            axis[list(c)] = img
        rows.append(axis)
    return np.array(rows, dtype=np.int64).reshape(len(rows), m)


def _stabiliser_kernels():
    from ._compile import njit

    @njit(cache=True)
    def scan(pos, K, strides, axes, flips, order, where, counts, codes, keep):
        """Pass over every element (axis choice, reflection mask in Gray-code order): counts[l]
        += 1 for each level l (1..n-1) whose prefix it maps onto itself; the codes of the
        elements doing so for some level are written to codes (at most len(codes)); returns
        their number (which may exceed len(codes))."""
        n, m = pos.shape
        nf = len(flips)
        img = np.empty(n, np.int64)
        D = np.empty((nf, n), np.int64)
        kept = 0
        for ai in range(axes.shape[0]):
            axis = axes[ai]
            for x in range(n):
                s = 0
                for a in range(m):
                    s += pos[x, axis[a]] * strides[a]
                img[x] = s
            for j in range(nf):
                a = flips[j]
                for x in range(n):
                    D[j, x] = (K[a] - 1 - 2 * pos[x, axis[a]]) * strides[a]
            mask = 0
            for step in range(1 << nf):
                run = -1
                hit = False
                for e in range(n - 1):
                    q = where[img[order[e]]]
                    if q > run:
                        run = q
                    if run == e:
                        counts[e + 1] += 1
                        hit = True
                if hit and keep:
                    if kept < len(codes):
                        codes[kept, 0] = ai
                        codes[kept, 1] = mask
                    kept += 1
                if step + 1 < (1 << nf):
                    j = 0
                    while not ((step + 1) >> j) & 1:
                        j += 1
                    if (mask >> j) & 1:
                        for x in range(n):
                            img[x] -= D[j, x]
                    else:
                        for x in range(n):
                            img[x] += D[j, x]
                    mask ^= 1 << j
        return kept

    @njit(cache=True)
    def fill(pos, K, strides, axes, flips, order, where, codes, offsets, out):
        """Write each kept element's permutation (in positions of ``order``) into the block of
        every level whose prefix it stabilises (offsets[l] advances)."""
        n, m = pos.shape
        perm = np.empty(n, np.int64)
        for c in range(codes.shape[0]):
            axis = axes[codes[c, 0]]
            mask = codes[c, 1]
            for e in range(n):
                x = order[e]
                s = 0
                for a in range(m):
                    s += pos[x, axis[a]] * strides[a]
                for j in range(len(flips)):
                    if (mask >> j) & 1:
                        a = flips[j]
                        s += (K[a] - 1 - 2 * pos[x, axis[a]]) * strides[a]
                perm[e] = where[s]
            run = -1
            for e in range(n - 1):
                if perm[e] > run:
                    run = perm[e]
                if run == e:
                    o = offsets[e + 1]
                    for f in range(n):
                        out[o, f] = perm[f]
                    offsets[e + 1] = o + 1

    return scan, fill


def box_stabilisers(X, vals, order, max_bytes=MAX_STABILISER_BYTES):
    """Prefix stabilisers of the box group in the point order ``order``, without listing the
    group.

    Parameters
    ----------
    X : ndarray (n, m)
        The full box V_1 x ... x V_m in lexicographic row order (as
        :func:`vcbound.exact.integer_points` returns it).
    vals : list of ndarray
        The value sets (:func:`box_axes`).
    order : ndarray (n,)
        Rows of X in the order of the levels.
    max_bytes : int
        Memory cap of the result; beyond it the largest class of equal axes loses one axis
        (a subgroup) until it fits.

    Returns
    -------
    stabilisers : dict of int -> ndarray (G_l, n) int16/int32
        For each level l in 1..n-1 whose stabiliser is not trivial, its elements as
        permutations of the positions 0..n-1 of ``order``.
    group_order : int
        Order of the group used (the box group or the subgroup).

    Examples
    --------
    >>> import itertools
    >>> X = np.array(list(itertools.product([0, 1], repeat=3)))
    >>> vals = box_axes(X)
    >>> stab, G = box_stabilisers(X, vals, layer_order(X, vals))
    >>> G, len(stab[1])       # B_3 of order 2^3 3!; the stabiliser of the origin is S_3
    (48, 6)
    """
    n, m = X.shape
    scan, fill = _stabiliser_kernels()
    K = np.array([len(v) for v in vals], dtype=np.int64)
    pos = np.ascontiguousarray(np.stack([np.searchsorted(vals[a], X[:, a]) for a in range(m)],
                                        axis=1).astype(np.int64))
    strides = np.ones(m, dtype=np.int64)
    for a in range(m - 2, -1, -1):
        strides[a] = strides[a + 1] * K[a + 1]
    order = np.ascontiguousarray(order, dtype=np.int64)
    where = np.empty(n, dtype=np.int64)
    where[order] = np.arange(n)
    dtype = np.int16 if n <= np.iinfo(np.int16).max else np.int32
    fixed = 0
    while True:
        classes, flips = _box_generators(vals, None, fixed)
        axes = _axis_choices(classes, m)
        flips = np.array(flips, dtype=np.int64)
        counts = np.zeros(n + 1, dtype=np.int64)
        codes = np.zeros((min(len(axes) << len(flips), 1 << 22), 2), dtype=np.int64)
        kept = scan(pos, K, strides, axes, flips, order, where, counts, codes, True)
        nbytes = int(counts.sum()) * n * np.dtype(dtype).itemsize
        if nbytes <= max_bytes or not classes:
            break
        fixed += 1
    if kept > len(codes):
        codes = np.zeros((kept, 2), dtype=np.int64)
        scan(pos, K, strides, axes, flips, order, where, np.zeros(n + 1, dtype=np.int64),
             codes, True)
    codes = codes[:kept]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    start = offsets.copy()
    out = np.empty((int(counts.sum()), n), dtype=dtype)
    fill(pos, K, strides, axes, flips, order, where, codes, offsets, out)
    stab = {l: out[start[l]:start[l] + counts[l]] for l in range(1, n)
            if counts[l] > 1}
    return stab, len(axes) * 2 ** len(flips)


def box_group(X, vals, cap=MAX_GROUP):
    """Elements of the box group (see the module docstring) as permutations of the rows of X.

    X must be the full box in lexicographic row order (as :func:`vcbound.exact.integer_points`
    returns it); at most ``cap`` elements (a subgroup beyond).
    """
    n, m = X.shape
    K = np.array([len(v) for v in vals], dtype=np.int64)
    pos = np.stack([np.searchsorted(vals[a], X[:, a]) for a in range(m)], axis=1)
    strides = np.ones(m, dtype=np.int64)
    for a in range(m - 2, -1, -1):
        strides[a] = strides[a + 1] * K[a + 1]
    classes, flips = _box_generators(vals, cap)
    flip_masks = np.array(list(itertools.product([0, 1], repeat=len(flips))), dtype=np.int64)
    F = np.zeros((len(flip_masks), m), dtype=np.int64)
    if flips:
        F[:, flips] = flip_masks
    perms = []
    for choice in itertools.product(*[itertools.permutations(c) for c in classes]):
        axis = np.arange(m)
        for c, img in zip(classes, choice):
            axis[list(c)] = img
        P = pos[:, axis]                      # coordinates after permuting axes
        base = P @ strides
        D = (K[None, :] - 1 - 2 * P) * strides[None, :]
        perms.append(base[None, :] + F @ D.T)
    out = np.concatenate(perms).astype(np.int32)
    ident = np.flatnonzero((out == np.arange(n)).all(axis=1))[0]
    out[[0, ident]] = out[[ident, 0]]
    return out


def layer_order(X, vals):
    """Point order with large prefix stabilisers for the box group: layers of the coordinate
    sum s paired with their mirror images (S - s), outermost first (for the cube: 0, 1..1,
    the weight-1 points, the weight-(m-1) points, ...). Returns old indices in the new order."""
    pos = np.stack([np.searchsorted(vals[a], X[:, a]) for a in range(X.shape[1])], axis=1)
    s = pos.sum(axis=1)
    S = int(sum(len(v) - 1 for v in vals))
    key = 2 * np.minimum(s, S - s) + (s > S - s)
    return np.argsort(key, kind="stable")


def check_automorphism(X, perm):
    """Whether the permutation ``perm`` of the rows of X is induced by an affine map of R^m
    (exact integer test: the linear map of the lifted vectors fixed by a basis must send every
    lifted point to the lifted image point)."""
    from fractions import Fraction

    n, m = X.shape
    L = [[Fraction(int(v)) for v in row] + [Fraction(1)] for row in X.tolist()]
    # pick a basis of the lifted points
    basis, rows = [], []
    for i, row in enumerate(L):
        cand = rows + [row]
        if _rank(cand) > len(rows):
            rows.append(row)
            basis.append(i)
        if len(rows) == m + 1:
            break
    r = len(rows)
    # solve coefficients of every point in the basis, then check images
    B = [L[i] for i in basis]
    Bimg = [L[int(perm[i])] for i in basis]
    for i in range(n):
        c = _solve(B, L[i])
        if c is None:
            return False      # not in the span: cannot happen (basis spans the points)
        img = [sum(c[k] * Bimg[k][j] for k in range(r)) for j in range(m + 1)]
        if img != L[int(perm[i])]:
            return False
    return True


def _rank(rows):
    M = [list(r) for r in rows]
    rank = 0
    cols = len(M[0]) if M else 0
    for c in range(cols):
        piv = next((i for i in range(rank, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[rank], M[piv] = M[piv], M[rank]
        for i in range(len(M)):
            if i != rank and M[i][c] != 0:
                f = M[i][c] / M[rank][c]
                M[i] = [a - f * b for a, b in zip(M[i], M[rank])]
        rank += 1
    return rank


def _solve(B, v):
    """Coefficients c with sum c_k B_k = v (B independent rows), or None."""
    r, cols = len(B), len(v)
    # augmented system over columns: B^T c = v
    A = [[B[k][j] for k in range(r)] + [v[j]] for j in range(cols)]
    row = 0
    where = [-1] * r
    for c in range(r):
        piv = next((i for i in range(row, cols) if A[i][c] != 0), None)
        if piv is None:
            continue
        A[row], A[piv] = A[piv], A[row]
        for i in range(cols):
            if i != row and A[i][c] != 0:
                f = A[i][c] / A[row][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[row])]
        where[c] = row
        row += 1
    if any(A[i][r] != 0 for i in range(row, cols)):
        return None
    return [A[where[k]][r] / A[where[k]][k] if where[k] >= 0 else 0 for k in range(r)]


def closure(generators, n, cap=MAX_GROUP):
    """All products of the generator permutations (rows, length n), identity first; None when
    the group has more than ``cap`` elements."""
    ident = tuple(range(n))
    seen = {ident}
    order = [ident]
    gens = [tuple(int(v) for v in g) for g in generators]
    frontier = [ident]
    while frontier:
        nxt = []
        for h in frontier:
            for g in gens:
                gh = tuple(g[h[i]] for i in range(n))
                if gh not in seen:
                    seen.add(gh)
                    order.append(gh)
                    nxt.append(gh)
                    if len(order) > cap:
                        return None
        frontier = nxt
    return np.array(order, dtype=np.int32)
