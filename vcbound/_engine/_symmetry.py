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

Groups are returned as explicit element lists (an int32 array (G, n), row 0 the identity) because
the orbit engine (:mod:`._orbits`) filters them by prefix stabilisers. ``MAX_GROUP`` caps the
size: beyond it a subgroup is used (fewer merges, same count).
"""

import itertools
import math

import numpy as np

__all__ = ["box_axes", "box_group", "closure", "check_automorphism", "layer_order", "MAX_GROUP"]

#: Largest explicit group handed to the orbit engine (B_7 has 645120 elements; B_8 is cut down).
MAX_GROUP = 700_000


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


def box_group_order(vals, cap=MAX_GROUP):
    classes, flips = _box_generators(vals, cap)
    return math.prod(math.factorial(len(c)) for c in classes) * 2 ** len(flips)


def _box_generators(vals, cap):
    flips = [a for a, v in enumerate(vals) if len(v) > 1 and np.array_equal(v[::-1], v[-1] - v)]
    classes = [c for c in _perm_classes(vals) if len(c) > 1]
    while (math.prod(math.factorial(len(c)) for c in classes) * 2 ** len(flips)) > cap:
        classes.sort(key=len)
        big = classes.pop()
        if len(big) > 2:
            classes.append(big[:-1])     # fix one axis of the largest class
    return classes, flips


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
