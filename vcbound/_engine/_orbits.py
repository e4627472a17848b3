"""Orbit-weighted deletion–restriction for exact one-neuron counts (engine of :mod:`vcbound.exact`).

The count of linear dichotomies of a finite X is the number of regions r(A) of the central
arrangement A = {H_x : x in X}, H_x = {(w, b) : w.x + b = 0}. With the points numbered
0 .. N-1, a *node* (F, l) is a flat F of the lifted vector configuration (the set of points whose
vector lies in a subspace spanned by points) together with a level l: it stands for the
arrangement B(F, l) = {H_p cap X_F : p < l, p not in F} on X_F = intersection of the H_p, p in F
(parallel restrictions merged). Adding the hyperplanes p < l of B one at a time, each adds as many
regions as its restriction to the earlier ones has (deletion–restriction; Stanley, *An
introduction to hyperplane arrangements*, Lemma 2.1), and only the first point of each class
{p : cl(F + p) = C} adds a new hyperplane, so

    r(F, l) = 1 + sum over classes C of F with min C < l of r(cl(F + min C), min C),

r(A) = r(empty flat, N). The number r(F, l) depends only on the set {H_p : p < l} and the flat,
so it is unchanged when an automorphism g of the configuration that maps {0, .., l-1} onto itself
is applied to F. Nodes of one level are therefore merged up to the setwise stabiliser G_l of the
prefix, each canonical representative carrying the number of nodes it stands for (the orbit
weight). This is the symmetry reduction of Brysiewicz, Eble and Kühne (CountingChambers.jl, DCG
2023), here with nodes identified by their flat rather than by the set restricted to (derived
here: two restriction sets with the same flat give the same arrangement, so merging by flats is
valid and never merges less).

Levels are processed from N down to 1; every child lies on a lower level, so a level is complete
when it is reached. Nodes whose flat leaves at most three dimensions are finished in closed form:
a line has 1 + [some class] regions, a plane 2t (t >= 1 lines), a 3-space
1 + sum_i max(1, 2 L_i) with L_i the number of distinct planes through class i and the earlier
classes (the planar formula taken in the order of the points; derived here from the recursion).

Shards
------
The recursion is a sum over a forest: r(A) = (leaf values of the nodes processed so far) + the
sum of r(F, l) times the multiplicity over the nodes still pending. :meth:`OrbitEngine.run` with
``target`` processes levels from the top until at least ``target`` nodes are pending and returns
that *frontier*; any partition of the frontier into shards gives the same total when each shard's
subtrees are counted on their own (:meth:`OrbitEngine.run` on the shard's nodes, with the same
level-by-level merging inside the shard). Only merges between nodes of different shards are
lost, never values; :func:`order_frontier` puts nodes whose subtrees overlap next to each other.

Arithmetic
----------
All geometry is exact int64 arithmetic. The annihilator of a flat comes from fraction-free
elimination with gcd reduction (entries checked below 2^40). The classes of a node are found by
hashing the direction of each projected vector as floating-point ratios u_j / u_i0 (equal
directions of integer vectors give bit-equal correctly rounded quotients) and confirmed exactly
by cross-multiplication (entries below 2^31, products below 2^62); the planar formula counts
the distinct directions of the earlier classes in the quotient by each class in the same way
(entries below 2^15, so the quotient's entries stay below 2^31). Entries beyond these bounds are
first reduced by their gcd; a kernel that still sees them too large reports it, and the caller
falls back to Python integers.
"""

import math

import numpy as np

from ._compile import njit

__all__ = ["orbit_count", "OrbitEngine", "Nodes", "order_frontier", "prefix_stabilisers",
           "default_threads",
           "OverflowInKernel"]

_LIMIT = 1 << 40
#: Raw projections below this are compared by cross-multiplication (products below 2^62).
_RAW = 1 << 31
#: Class representatives below this use the quotient form of the planar formula.
_SMALL = 1 << 15


@njit(cache=True)
def _gcd(a, b):
    a = abs(a)
    b = abs(b)
    while b:
        a, b = b, a % b
    return a


@njit(cache=True)
def _annihilator(V, basis, k, E):
    """E[:d] = integer basis of the vectors orthogonal to V[basis[:k]]; returns d, or -1 (the
    basis is dependent) or -2 (an entry would leave the int64 bounds).

    Each step eliminates one basis vector v: with u = E v and a pivot q (u_q != 0, least
    |u_q|), rows i != q become u_q E_i - u_i E_q and row q is dropped. A row is divided by the
    gcd of its entries only when one reaches 2^20 (small rows are kept as they are: the
    subspace, not the scale, is what matters); every product is checked to stay below 2^62
    before it is formed, and entries below 2^40.
    """
    r = V.shape[1]
    for i in range(r):
        for j in range(r):
            E[i, j] = 1 if i == j else 0
    d = r
    u = np.empty(r, np.int64)
    for t in range(k):
        v = V[basis[t]]
        q = -1
        ubig = 0
        big = 1                 # max |E|
        for i in range(d):
            s = 0
            for j in range(r):
                e = E[i, j]
                s += e * v[j]
                if abs(e) > big:
                    big = abs(e)
            u[i] = s
            if abs(s) > ubig:
                ubig = abs(s)
            if s != 0 and (q < 0 or abs(s) < abs(u[q])):
                q = i
        if q < 0:
            return -1          # basis not independent (cannot happen for valid nodes)
        if ubig >= (1 << 62) // (2 * big):
            return -2
        for i in range(d):
            if i == q or u[i] == 0:
                continue
            m = 0
            for j in range(r):
                x = u[q] * E[i, j] - u[i] * E[q, j]
                E[i, j] = x
                if abs(x) > m:
                    m = abs(x)
            if m >= 1 << 20:
                g = 0
                for j in range(r):
                    g = _gcd(g, E[i, j])
                if g > 1:
                    m = 0
                    for j in range(r):
                        E[i, j] //= g
                        if abs(E[i, j]) > m:
                            m = abs(E[i, j])
                if m >= _LIMIT:
                    return -2
        d -= 1
        for j in range(r):
            E[q, j] = E[d, j]
    return d


@njit(cache=True)
def _mix(h, x):
    h ^= np.uint64(x & 0xFFFFFFFFFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15) + (h << np.uint64(6)) \
        + (h >> np.uint64(2))
    h *= np.uint64(0xBF58476D1CE4E5B9)
    return h ^ (h >> np.uint64(31))


@njit(cache=True)
def _project(VT, E, d, UT, N):
    """UT[i, p] = (E V[p])_i for i < d and the first N points (columns of the points of the
    flat are zero). Entries of a column are divided by their gcd when one reaches 2^31;
    returns False if that is not enough."""
    r = VT.shape[0]
    big = 0
    for i in range(d):
        row = UT[i]
        for p in range(N):
            row[p] = 0
        for j in range(r):
            e = E[i, j]
            if e != 0:
                src = VT[j]
                for p in range(N):
                    row[p] += e * src[p]
        for p in range(N):
            a = abs(row[p])
            if a > big:
                big = a
    if big < _RAW:
        return True
    for p in range(N):
        g = 0
        for i in range(d):
            g = _gcd(g, UT[i, p])
        if g > 1:
            for i in range(d):
                UT[i, p] //= g
        for i in range(d):
            if abs(UT[i, p]) >= _RAW:
                return False
    return True


@njit(cache=True)
def _parallel(UT, a, b, d):
    """Columns a and b (both non-zero) of UT are parallel."""
    i0 = 0
    while UT[i0, b] == 0:
        i0 += 1
    ua = UT[i0, a]
    ub = UT[i0, b]
    for i in range(d):
        if UT[i, a] * ub != UT[i, b] * ua:
            return False
    return True


def _hash_constants(r):
    """Weights of the linear form s = sum_i c_i u_i by which a direction's hash divides (odd
    20-bit numbers: an accidental s = 0 of a non-zero column needs an integer relation between
    them; |s| stays below 2^63 for r < 2^11 entries below 2^31) and the odd 64-bit multipliers
    combining the quotients' bits, fixed by a seed."""
    rng = np.random.default_rng(0x5EED)
    form = rng.integers(1 << 19, 1 << 20, size=max(r, 1), dtype=np.int64) | 1
    bits = rng.integers(0, 2**63, size=max(r, 1), dtype=np.int64).astype(np.uint64) * 2 + 1
    return form, bits


@njit(cache=True, error_model="numpy")
def _direction_hashes(UT, d, N, S, Q, H, form, bits):
    """H[p] = hash of the direction of column p of UT (0 for a zero column): the quotients
    u_i / s with s = sum_i form_i u_i, bit-equal for parallel integer columns (the same
    rationals, correctly rounded), combined with odd multipliers; computed a row at a time
    (vectorised over the points). A non-zero column with s = 0 is hashed by its first non-zero
    entry instead (every column parallel to it has s = 0 too)."""
    for p in range(N):
        S[p] = 0
    for i in range(d):
        c = form[i]
        row = UT[i]
        for p in range(N):
            S[p] += c * row[p]
    QI = Q.view(np.int64)
    for p in range(N):
        H[p] = 0
    for i in range(d):
        row = UT[i]
        b = bits[i]
        for p in range(N):
            Q[p] = np.float64(row[p]) / np.float64(S[p]) + 0.0
        for p in range(N):
            H[p] += np.uint64(QI[p]) * b
    for p in range(N):
        if S[p] == 0:
            i0 = -1
            for i in range(d):
                if UT[i, p] != 0:
                    i0 = i
                    break
            if i0 < 0:
                H[p] = 0
                continue
            h = np.uint64(0x12345 + i0)
            a = np.float64(UT[i0, p])
            for i in range(d):
                Q[0] = np.float64(UT[i, p]) / a + 0.0
                h += np.uint64(QI[0]) * bits[i]
            H[p] = h ^ np.uint64(0x5DEECE66D)
        h = H[p]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
        H[p] = h | np.uint64(1)


@njit(cache=True)
def _classes(UT, d, N, cls, cmin, tkey, tval, tgen, gen, S, Q, H, form, bits):
    """cls[p] = class of p (-1 in the flat) for the first N points; cmin[c] = smallest point of
    class c; returns the number of classes, numbered in the order of their smallest points.
    Columns are hashed by their direction (:func:`_direction_hashes`); equal hashes are
    confirmed by cross-multiplication."""
    _direction_hashes(UT, d, N, S, Q, H, form, bits)
    mask = len(tkey) - 1
    nc = 0
    for p in range(N):
        h = H[p]
        if h == 0:
            cls[p] = -1
            continue
        slot = np.int64(h & np.uint64(mask))
        while True:
            if tgen[slot] != gen:
                tgen[slot] = gen
                tkey[slot] = h
                tval[slot] = nc
                cls[p] = nc
                cmin[nc] = p
                nc += 1
                break
            if tkey[slot] == h and _parallel(UT, p, cmin[tval[slot]], d):
                cls[p] = tval[slot]
                break
            slot = (slot + 1) & mask
    return nc


@njit(cache=True)
def _rank3_cross(R, t):
    """Planar formula by normalised cross products (representatives below 2^31): 2 + 2 sum
    over lines of (|L| - 1), a line with s classes holding s(s - 1)/2 pairs (a rare path:
    its table is allocated here)."""
    size = 1
    while size < t * t:
        size *= 2
    tkey = np.empty(size, np.uint64)
    tgen = np.zeros(size, np.int64)
    L = np.empty((size, 4), np.int64)
    gen = 1
    mask = size - 1
    nl = 0
    for i in range(t):
        for j in range(i):
            x = R[i, 1] * R[j, 2] - R[i, 2] * R[j, 1]
            y = R[i, 2] * R[j, 0] - R[i, 0] * R[j, 2]
            z = R[i, 0] * R[j, 1] - R[i, 1] * R[j, 0]
            g = _gcd(_gcd(x, y), z)
            x //= g
            y //= g
            z //= g
            if x < 0 or (x == 0 and (y < 0 or (y == 0 and z < 0))):
                x, y, z = -x, -y, -z
            h = _mix(_mix(_mix(np.uint64(7), x), y), z) | np.uint64(1)
            slot = np.int64(h & np.uint64(mask))
            while True:
                if tgen[slot] != gen:
                    tgen[slot] = gen
                    tkey[slot] = h
                    L[slot, 0] = x
                    L[slot, 1] = y
                    L[slot, 2] = z
                    L[slot, 3] = 1
                    nl += 1
                    break
                if tkey[slot] == h and L[slot, 0] == x and L[slot, 1] == y and L[slot, 2] == z:
                    L[slot, 3] += 1
                    break
                slot = (slot + 1) & mask
    total = 2
    for slot in range(len(tkey)):
        if tgen[slot] == gen:
            pairs = L[slot, 3]
            s = 2
            while s * (s - 1) // 2 < pairs:
                s += 1
            total += 2 * (s - 1)
    return total


@njit(cache=True)
def _rank3_value(UT, cmin, t, R, tkey, tgen, L, gen):
    """Regions of the rank-3 arrangement of the first t classes: 1 if t = 0, else
    2 + 2 sum_{i >= 1} L_i, L_i = number of distinct directions of the classes j < i in the
    quotient by class i (the planar formula in the order of the points). Returns
    (value or -1 on overflow, generation)."""
    if t == 0:
        return 1, gen
    for c in range(t):
        for i in range(3):
            R[c, i] = UT[i, cmin[c]]
    return _rank3_of(R, t, tkey, tgen, L, gen)


@njit(cache=True)
def _rank3_of(R, t, tkey, tgen, L, gen):
    """:func:`_rank3_value` of the representatives R[:t] (t >= 1), reduced by their gcd when
    they reach 2^15."""
    big = 0
    for c in range(t):
        for i in range(3):
            if abs(R[c, i]) > big:
                big = abs(R[c, i])
    if big >= _SMALL:
        big = 0
        for c in range(t):
            g = _gcd(_gcd(R[c, 0], R[c, 1]), R[c, 2])
            for i in range(3):
                R[c, i] //= g
                if abs(R[c, i]) > big:
                    big = abs(R[c, i])
        if big >= _SMALL:
            if big >= _RAW:
                return -1, gen
            return _rank3_cross(R, t), gen
    return _rank3_small(R, t, tkey, tgen, L, gen), gen + t


@njit(cache=True)
def _child_leaf(UT, cmin, c, R, ckey, cval, cgen, gen, lkey, lgen, L, form, bits, Q):
    """Value of child c of a node with d = 4 remaining dimensions (a node finished in closed
    form, d = 3), from the parent's projected class representatives: the child's classes are
    the parent's classes j < c grouped by the direction of u_j modulo u_c (every point before
    the child's level lies in one of them), hashed as in :func:`_direction_hashes` (entries
    below 2^15, so the quotient's entries stay below 2^31 and the linear form below 2^53:
    its quotients are exact) and confirmed by cross-multiplication. Returns (value,
    generation), value -1 when an entry is too large (the caller emits the child instead)."""
    if c == 0:
        return 1, gen
    a = cmin[c]
    q = 0
    for i in range(4):
        if UT[i, a] != 0 and (UT[q, a] == 0 or abs(UT[i, a]) < abs(UT[q, a])):
            q = i
    uq = UT[q, a]
    QI = Q.view(np.int64)
    mask = len(ckey) - 1
    gen += 1
    nc = 0
    w = np.empty(3, np.int64)
    for j in range(c):
        b = cmin[j]
        bq = UT[q, b]
        o = 0
        for i in range(4):
            if i != q:
                w[o] = uq * UT[i, b] - bq * UT[i, a]
                o += 1
        s = form[0] * w[0] + form[1] * w[1] + form[2] * w[2]
        if s != 0:
            h = np.uint64(0)
            for i in range(3):
                Q[0] = np.float64(w[i]) / np.float64(s) + 0.0
                h += np.uint64(QI[0]) * bits[i]
        else:
            i0 = 0
            while w[i0] == 0:
                i0 += 1
            h = np.uint64(0x12345 + i0)
            for i in range(3):
                Q[0] = np.float64(w[i]) / np.float64(w[i0]) + 0.0
                h += np.uint64(QI[0]) * bits[i]
            h ^= np.uint64(0x5DEECE66D)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
        h |= np.uint64(1)
        slot = np.int64(h & np.uint64(mask))
        while True:
            if cgen[slot] != gen:
                cgen[slot] = gen
                ckey[slot] = h
                cval[slot] = nc
                R[nc, 0] = w[0]
                R[nc, 1] = w[1]
                R[nc, 2] = w[2]
                nc += 1
                break
            if ckey[slot] == h:
                u = cval[slot]
                i0 = 0
                while R[u, i0] == 0:
                    i0 += 1
                same = True
                for i in range(3):
                    if w[i] * R[u, i0] != R[u, i] * w[i0]:
                        same = False
                        break
                if same:
                    break
            slot = (slot + 1) & mask
    return _rank3_of(R, nc, lkey, lgen, L, gen)


@njit(cache=True, error_model="numpy")
def _rank3_small(R, t, K, tab, L, gen):
    """The quotient form of the planar formula for representatives below 2^15 (quotient
    entries below 2^31): for each class i, the directions (x, y) of the earlier classes in the
    quotient by class i are keyed by the float x / y (inf for y = 0; equal directions give
    bit-equal quotients), computed for all j < i at once, and counted distinct in an open
    addressing table of about 2t slots holding the index of a direction's first class (equal
    keys confirmed by cross-multiplication). Scratch: K (keys), tab (the table, entries below
    (gen + 1) << 20 count as empty: generations gen + 1 .. gen + t - 1 are used), L (rows 0-2
    the representatives by coordinate, 3-4 the quotient's x and y); all of length >= 2t."""
    R0 = L[0]
    R1 = L[1]
    R2 = L[2]
    X = L[3]
    Y = L[4]
    for j in range(t):
        R0[j] = R[j, 0]
        R1[j] = R[j, 1]
        R2[j] = R[j, 2]
    Q = K.view(np.float64)
    # a table of at least 2t slots; an entry is (generation << 20) + index, the generation
    # gen + i of class i (entries of earlier generations are empty)
    size = 8
    shift = np.uint64(61)
    while size < 2 * t:
        size *= 2
        shift -= np.uint64(1)
    mask = size - 1
    total = 2
    for i in range(1, t):
        # pivot coordinate p of class i and the two others c1 < c2
        if R0[i] != 0:
            P, C1, C2 = R0, R1, R2
        elif R1[i] != 0:
            P, C1, C2 = R1, R0, R2
        else:
            P, C1, C2 = R2, R0, R1
        ap = P[i]
        a1 = C1[i]
        a2 = C2[i]
        for j in range(i):
            bp = P[j]
            x = ap * C1[j] - bp * a1
            y = ap * C2[j] - bp * a2
            X[j] = x
            Y[j] = y
            q = np.float64(x) / np.float64(y) + 0.0      # +0.0: no negative zero
            Q[j] = q if y != 0 else np.inf
        g = (gen + i) << 20
        lines = 0
        for j in range(i):
            key = K[j]
            slot = np.int64((key * np.uint64(0x9E3779B97F4A7C15)) >> shift)
            while True:
                e = tab[slot]
                if e < g:
                    tab[slot] = g + j
                    lines += 1
                    break
                u = e - g
                if K[u] == key and X[u] * Y[j] == Y[u] * X[j]:
                    break
                slot = (slot + 1) & mask
        total += 2 * lines
    return total


@njit(cache=True, nogil=True)
def _expand(V, VT, words, basis, rank, level, mult, start, cap,
            out_words, out_basis, out_rank, out_level, out_mult,
            UT, cls, cmin, R, ckey, cval, cgen, lkey, lgen, L, S, Q, H, form, bits, gsize,
            policy, gen0):
    """Process nodes start.. of one level: returns (next node, children written, leaf sum,
    status). Leaf sum = sum of mult * (closed-form value or the node's own 1); status is the
    hash-table generation reached, or negative on overflow.

    A node with d = 4 remaining dimensions finishes those of its children (d = 3) at once
    from its own projection (:func:`_child_leaf`) when that is estimated cheaper than
    emitting them to be merged at their level (:func:`_leaf_now`, with the group orders
    ``gsize`` of the levels and the cost constants ``policy``); the others are emitted."""
    N, r = V.shape
    M, W = words.shape
    E = np.empty((r, r), np.int64)
    slot_of = np.empty(N, np.int64)
    csize = np.empty(N, np.int64)
    gen = gen0
    leaf = 0
    nout = 0
    for i in range(start, M):
        k = rank[i]
        d = _annihilator(V, basis[i], k, E)
        if d < 0:
            return i, nout, leaf, d
        # a node finished in closed form needs only the classes of the points before its level
        # (the others add no hyperplane); one with children needs every point of each class
        npts = level if d <= 3 else N
        if not _project(VT, E, d, UT, npts):
            return i, nout, leaf, -3
        gen += 1
        nc = _classes(UT, d, npts, cls, cmin, ckey, cval, cgen, gen, S, Q, H, form, bits)
        t = 0
        while t < nc and cmin[t] < level:
            t += 1
        m = mult[i]
        if d <= 1:
            leaf += m * (2 if t > 0 else 1)
        elif d == 2:
            leaf += m * (2 * t if t > 0 else 1)
        elif d == 3:
            value, gen = _rank3_value(UT, cmin, t, R, lkey, lgen, L, gen)
            if value < 0:
                return i, nout, leaf, -3
            leaf += m * value
        else:
            if nout + t > cap:
                return i, nout, leaf, gen
            leaf += m
            for c in range(t):
                slot_of[c] = c
            if d == 4:
                fsize = 0
                for w in range(W):
                    x = words[i, w]
                    while x:
                        x &= x - np.uint64(1)
                        fsize += 1
                for c in range(t):
                    csize[c] = 0
                for p in range(npts):
                    c = cls[p]
                    if 0 <= c < t:
                        csize[c] += 1
                small = True
                for c in range(t):
                    for j in range(4):
                        if abs(UT[j, cmin[c]]) >= _SMALL:
                            small = False
                o = 0
                for c in range(t):
                    if small and _leaf_now(c, cmin[c], fsize + csize[c], gsize[cmin[c]],
                                           policy):
                        value, gen = _child_leaf(UT, cmin, c, R, ckey, cval, cgen, gen, lkey,
                                                 lgen, L, form, bits, Q)
                        if value >= 0:
                            leaf += m * value
                            slot_of[c] = -1
                            continue
                    slot_of[c] = o
                    o += 1
            emitted = 0
            for c in range(t):
                o = slot_of[c]
                if o < 0:
                    continue
                o += nout
                emitted += 1
                for w in range(W):
                    out_words[o, w] = words[i, w]
                for j in range(k):
                    out_basis[o, j] = basis[i, j]
                out_basis[o, k] = cmin[c]
                out_rank[o] = k + 1
                out_level[o] = cmin[c]
                out_mult[o] = m
            for p in range(npts):
                c = cls[p]
                if 0 <= c < t and slot_of[c] >= 0:
                    o = nout + slot_of[c]
                    out_words[o, p >> 6] |= np.uint64(1) << np.uint64(p & 63)
            nout += emitted
    return M, nout, leaf, gen


@njit(cache=True)
def _leaf_now(c, level, size, G, policy):
    """Whether child c (at most c classes, at ``level``, a flat of ``size`` points, G the order
    of its level's group) is cheaper finished now from its parent than emitted: now it costs
    the planar formula's c^2 / 2 pairs; emitted, the merge, its canonical form if the policy
    of :func:`_worth_canonical` makes one, and its own evaluation (projection and pairs)
    divided by the merges expected (3 up to symmetry, 1.5 when only equal flats merge).
    policy = (CANON_NS, LEAF_NS, LEAF_NS_PER_LEVEL, PAIR_NS, MERGE_NS)."""
    canon_ns, leaf_ns, per_level, pair_ns, merge_ns = policy[0], policy[1], policy[2], \
        policy[3], policy[4]
    now = leaf_ns + pair_ns * c * c / 2.0
    full = leaf_ns + per_level * level + pair_ns * c * c / 2.0
    canon = canon_ns * size * G
    if G > 1 and canon <= leaf_ns + per_level * level:
        later = merge_ns + canon + full / 3.0
    else:
        later = merge_ns + full / 1.5
    return now <= later


# ----------------------------------------------------------------------------- canonical forms
_DEBRUIJN = np.array([0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59,
                      36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5, 63, 47, 56, 27, 60,
                      41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31,
                      10, 25, 14, 19, 9, 13, 8, 7, 6], dtype=np.int64)


@njit(cache=True)
def _flat_points(words, sel, N):
    """Points of the flats words[sel] as a CSR list (ptr, pts), in increasing order (set bits
    found by isolating the lowest one and a de Bruijn table)."""
    M = len(sel)
    W = words.shape[1]
    ptr = np.zeros(M + 1, np.int64)
    total = 0
    for a in range(M):
        i = sel[a]
        for w in range(W):
            x = words[i, w]
            while x:
                x &= x - np.uint64(1)
                total += 1
        ptr[a + 1] = total
    pts = np.empty(total, np.int64)
    o = 0
    db = _DEBRUIJN
    for a in range(M):
        i = sel[a]
        for w in range(W):
            x = words[i, w]
            while x:
                low = x & (~x + np.uint64(1))
                pts[o] = (w << 6) + db[np.int64((low * np.uint64(0x03F79D71B4CB0A89))
                                               >> np.uint64(58))]
                o += 1
                x ^= low
    return ptr, pts


@njit(cache=True, nogil=True)
def _best_gather(ptr, pts, PT, Z, best):
    """best[a] = the element g of least hash sum_p Z[g(p)] over the points of flat a (first
    such g on ties), reading the permutations column-wise from PT (N, G)."""
    G = PT.shape[1]
    M = len(ptr) - 1
    acc = np.empty(G, np.uint32)
    for a in range(M):
        for g in range(G):
            acc[g] = 0
        for q in range(ptr[a], ptr[a + 1]):
            row = PT[pts[q]]
            for g in range(G):
                acc[g] += Z[row[g]]
        bg = 0
        for g in range(1, G):
            if acc[g] < acc[bg]:
                bg = g
        best[a] = bg


@njit(cache=True, nogil=True)
def _hash_table(PT, Z):
    """HZ[p, g] = Z[g(p)] (uint32)."""
    N, G = PT.shape
    HZ = np.empty((N, G), np.uint32)
    for p in range(N):
        row = PT[p]
        out = HZ[p]
        for g in range(G):
            out[g] = Z[row[g]]
    return HZ


@njit(cache=True, nogil=True)
def _best_hashed(ptr, pts, HZ, best):
    """As :func:`_best_gather` from the hashed table HZ, blocked over the group so that a
    block of HZ stays in cache while every flat is summed over it (rows read as contiguous
    slices, which the compiler vectorises)."""
    N, G = HZ.shape
    M = len(ptr) - 1
    C = 1024
    acc = np.empty(C, np.uint32)
    bestv = np.full(M, np.uint32(0xFFFFFFFF))
    for a in range(M):
        best[a] = 0
    for g0 in range(0, G, C):
        c1 = min(C, G - g0)
        for a in range(M):
            q0 = ptr[a]
            q1 = ptr[a + 1]
            if q0 == q1:
                continue            # the empty flat is its own image
            first = HZ[pts[q0], g0:g0 + c1]
            for c in range(c1):
                acc[c] = first[c]
            for q in range(q0 + 1, q1):
                row = HZ[pts[q], g0:g0 + c1]
                for c in range(c1):
                    acc[c] += row[c]
            lo = acc[0]
            for c in range(c1):
                lo = min(lo, acc[c])
            if lo < bestv[a]:
                for c in range(c1):
                    if acc[c] == lo:
                        best[a] = g0 + c
                        break
                bestv[a] = lo


@njit(cache=True)
def _apply(words, basis, rank, sel, ptr, pts, PT, best):
    """Replace flat sel[a] and its basis by their images under element best[a]."""
    for a in range(len(sel)):
        i = sel[a]
        g = best[a]
        for w in range(words.shape[1]):
            words[i, w] = 0
        for q in range(ptr[a], ptr[a + 1]):
            p = PT[pts[q], g]
            words[i, p >> 6] |= np.uint64(1) << np.uint64(p & 63)
        for j in range(rank[i]):
            basis[i, j] = PT[basis[i, j], g]


#: Cost model of the merge policy (nanoseconds, measured on the benchmark machine): the
#: canonical form of a flat of |F| points under G elements costs about CANON_NS * |F| * G, a
#: node finished in closed form at level l about LEAF_NS + LEAF_NS_PER_LEVEL * l.
CANON_NS = 0.05
LEAF_NS = 300.0
LEAF_NS_PER_LEVEL = 25.0
#: ... a pair of classes in the planar formula about PAIR_NS, keeping a node pending for its
#: level's merge about MERGE_NS.
PAIR_NS = 20.0
MERGE_NS = 400.0


def _worth_canonical(words, rank, r, level, G, merge_from):
    """Nodes whose canonical form under G_level (G elements) costs less than what merging one
    duplicate away saves: the cost of its subtree, a node finished in closed form for d = 3
    remaining dimensions and about (level / 4)^(d - 3) of them for larger d (a node at a low
    level has a small subtree: it is cheaper to count two equivalent nodes than to find out
    that they are equivalent under a large group). The rule depends only on the node's flat
    and level, so equivalent nodes are treated alike; it changes only the time, never the
    count."""
    d = r - rank.astype(np.int64)
    cand = d >= merge_from
    if not cand.any():
        return np.flatnonzero(cand)
    size = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return np.flatnonzero(cand & (CANON_NS * size * G <= _subtree_ns(d, level)))


def _subtree_ns(d, level):
    """Estimated nanoseconds of the subtree of a node with d remaining dimensions at
    ``level``: one node finished in closed form for d <= 3, about (level / 4)^(d - 3) of them
    for larger d."""
    leaf = LEAF_NS + LEAF_NS_PER_LEVEL * level
    return leaf * np.maximum(1.0, level / 4.0) ** np.maximum(d - 3, 0)


@njit(cache=True, nogil=True)
def _dedupe(words, mult):
    """Distinct rows of ``words`` in the order of their first occurrence: (index of each
    first occurrence, mult summed over its copies). Open addressing on a hash of the row,
    equal hashes compared word by word."""
    M, W = words.shape
    size = 1
    while size < 2 * M:
        size *= 2
    mask = size - 1
    table = np.full(size, -1, np.int64)
    keys = np.empty(size, np.uint64)
    first = np.empty(M, np.int64)
    total = np.empty(M, np.int64)
    n = 0
    for i in range(M):
        h = np.uint64(0x2545F4914F6CDD1D)
        for w in range(W):
            h = (h ^ words[i, w]) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
        slot = np.int64(h & np.uint64(mask))
        while True:
            u = table[slot]
            if u < 0:
                table[slot] = n
                keys[slot] = h
                first[n] = i
                total[n] = mult[i]
                n += 1
                break
            if keys[slot] == h:
                j = first[u]
                same = True
                for w in range(W):
                    if words[i, w] != words[j, w]:
                        same = False
                        break
                if same:
                    total[u] += mult[i]
                    break
            slot = (slot + 1) & mask
    return first[:n], total[:n]


def _merge(words, basis, rank, mult):
    """Equal flats of one level summed into one node (the first occurrence kept, in order)."""
    if len(words) <= 1:
        return words, basis, rank, mult
    first, total = _dedupe(words, mult)
    if len(first) == len(words):
        return words, basis, rank, mult
    return words[first], basis[first], rank[first], total


def prefix_stabilisers(perms):
    """For each level l (1..N), the rows of ``perms`` that map {0, .., l-1} onto itself
    (a permutation does iff the largest image of 0..l-1 is l-1)."""
    perms = np.asarray(perms)
    runmax = np.maximum.accumulate(perms, axis=1)
    N = perms.shape[1]
    stab = {l: np.flatnonzero(runmax[:, l - 1] == l - 1) for l in range(1, N + 1)}
    stab[0] = np.arange(len(perms))
    return stab


def stabilisers_of(perms):
    """{level: rows of ``perms`` stabilising the prefix} for the levels 1..N-1 whose stabiliser
    is not trivial (level N holds only the root, which needs no merging)."""
    if perms is None:
        return {}
    perms = np.asarray(perms)
    N = perms.shape[1]
    stab = prefix_stabilisers(perms)
    return {l: perms[stab[l]] for l in range(1, N) if len(stab[l]) > 1}


class OverflowInKernel(ArithmeticError):
    """An int64 entry of the elimination reached its bound (the caller uses Python integers)."""


#: Counts are accumulated in int64; beyond this the caller uses Python integers.
_COUNT_LIMIT = 1 << 62

_BASIS_DTYPE = np.int16


class Nodes:
    """Nodes of the recursion as parallel arrays: ``words`` (M, W) uint64 flat bitmaps,
    ``basis`` (M, r) int16 spanning points, ``rank`` (M,) int8, ``level`` (M,) int32 and
    ``mult`` (M,) int64 multiplicities."""

    __slots__ = ("words", "basis", "rank", "level", "mult")

    def __init__(self, words, basis, rank, level, mult):
        self.words, self.basis, self.rank, self.level, self.mult = \
            words, basis, rank, level, mult

    def __len__(self):
        return len(self.mult)

    def __getitem__(self, index):
        return Nodes(self.words[index], self.basis[index], self.rank[index],
                     self.level[index], self.mult[index])

    @property
    def nbytes(self):
        return sum(a.nbytes for a in (self.words, self.basis, self.rank, self.level, self.mult))

    @staticmethod
    def concat(parts, W, r):
        if not parts:
            return Nodes(np.zeros((0, W), np.uint64), np.zeros((0, r), _BASIS_DTYPE),
                         np.zeros(0, np.int8), np.zeros(0, np.int32), np.zeros(0, np.int64))
        return Nodes(*(np.concatenate([getattr(p, f) for p in parts])
                       for f in Nodes.__slots__))


def order_frontier(nodes):
    """A deterministic order of frontier nodes that keeps overlapping subtrees together: by
    rank (the nodes of one rank, above all the few of low rank with large subtrees, side by
    side), then by level, highest first, then by the flat read as a number whose most
    significant bit is the last point (flats that agree on the points the top of the
    recursion added are neighbours). Measured on {0,1}^6 cut at level 32 into 16 shards:
    1.38 times the nodes of the unsharded run, against 1.67 by flat and level only."""
    if len(nodes) == 0:
        return np.arange(0)
    keys = [nodes.words[:, w] for w in range(nodes.words.shape[1])]
    keys += [-nodes.level.astype(np.int64), nodes.rank.astype(np.int64)]
    return np.lexsort(keys)


class OrbitEngine:
    """The level-by-level recursion on a fixed configuration and group.

    Parameters
    ----------
    V : ndarray (N, r)
        Distinct, pairwise non-parallel integer vectors of rank r (entries below 2^16), in the
        order of the levels.
    stabilisers : dict of int -> ndarray (G_l, N), optional
        For a level l (1 <= l < N), automorphisms of the configuration that map {0..l-1} onto
        itself, as permutations of the rows, forming a group (the prefix stabiliser of a group
        of automorphisms, or any subgroup of it). Levels missing use the trivial group.
    merge_from : int
        Nodes whose flat leaves at least this many dimensions are merged up to symmetry (the
        smaller ones only when equal), a speed trade-off.
    chunk : int
        Children written per kernel call.
    max_pending_bytes : int, optional
        Memory of pending nodes beyond which the lowest levels go to disk
        (:data:`MAX_PENDING_BYTES`).
    threads : int, optional
        Threads processing the nodes of a level (:func:`default_threads`); the count does not
        depend on it.

    Raises
    ------
    OverflowInKernel
        Entries of V at or above 2^16, or a count that could leave int64.
    """

    def __init__(self, V, stabilisers=None, merge_from=3, chunk=1 << 15, max_pending_bytes=None,
                 threads=None):
        V = np.ascontiguousarray(V, dtype=np.int64)
        self.threads = default_threads() if threads is None else max(1, int(threads))
        N, r = V.shape
        if N and int(np.abs(V).max()) >= 1 << 16:
            raise OverflowInKernel()
        # Cover's bound 2 sum_{k<r} C(N-1, k) caps every partial sum (int64 cannot wrap)
        if 2 * sum(math.comb(max(N - 1, 0), k) for k in range(r)) >= _COUNT_LIMIT:
            raise OverflowInKernel()
        if N > np.iinfo(_BASIS_DTYPE).max or r >= 128:   # projections: r terms below 2^56
            raise OverflowInKernel()
        self.V = V
        self.VT = np.ascontiguousarray(V.T)
        self.N, self.r = N, r
        self.W = max(1, (N + 63) // 64)
        self.merge_from = merge_from
        self.chunk = max(chunk, N)
        self.max_pending_bytes = MAX_PENDING_BYTES if max_pending_bytes is None else \
            max_pending_bytes
        pdt = np.int16 if N <= np.iinfo(np.int16).max else np.int32
        self.PT = {}
        for level, P in (stabilisers or {}).items():
            P = np.asarray(P)
            if 1 <= level < N and len(P) > 1:
                self.PT[int(level)] = np.ascontiguousarray(P.T, dtype=pdt)
        self.Z = np.random.default_rng(20231).integers(0, 2**32, size=max(N, 1),
                                                       dtype=np.uint64).astype(np.uint32)
        self.gsize = np.ones(N + 1, np.int64)
        for level, PT in self.PT.items():
            self.gsize[level] = PT.shape[1]
        self._ws = None
        self._pool = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_ws"] = None
        state["_pool"] = None
        return state

    def root(self):
        """The single node of the whole arrangement (empty flat, level N)."""
        return Nodes(np.zeros((1, self.W), np.uint64), np.zeros((1, self.r), _BASIS_DTYPE),
                     np.zeros(1, np.int8), np.full(1, self.N, np.int32), np.ones(1, np.int64))

    def _workspace(self, i=0):
        """Kernel workspace ``i`` (one per thread)."""
        if self._ws is None:
            self._ws = []
        while len(self._ws) <= i:
            N, r = self.N, self.r
            size = 1
            while size < 4 * N:
                size *= 2
            cap = self.chunk
            self._ws.append(dict(
                kernel=[np.empty((r, N), np.int64), np.empty(N, np.int64),
                        np.empty(N, np.int64), np.empty((N, 3), np.int64),
                        np.empty(size, np.uint64), np.empty(size, np.int64),
                        np.zeros(size, np.int64), np.empty(size, np.uint64),
                        np.zeros(size, np.int64), np.empty((5, size), np.int64),
                        np.empty(N, np.int64), np.empty(N, np.float64), np.empty(N, np.uint64),
                        *_hash_constants(r), self.gsize,
                        np.array([CANON_NS, LEAF_NS, LEAF_NS_PER_LEVEL, PAIR_NS, MERGE_NS])],
                out=[np.zeros((cap, self.W), np.uint64), np.zeros((cap, r), _BASIS_DTYPE),
                     np.empty(cap, np.int8), np.empty(cap, np.int32), np.empty(cap, np.int64)],
                gen=0))
        return self._ws[i]

    def _expand_chunks(self, ws, words, basis, rank, level, mult):
        """Process every node of ``words`` (one level) with workspace ``ws``: yields
        (leaf sum, children written, the output arrays), the arrays reused by the next step."""
        kernel, out = ws["kernel"], ws["out"]
        if ws["gen"] >= _GEN_LIMIT:      # generations restart on cleared tables
            kernel[6][:] = 0
            kernel[8][:] = 0
            ws["gen"] = 0
        start = 0
        while start < len(words):
            start, n_out, leaf, status = _expand(
                self.V, self.VT, words, basis, rank, level, mult, start, len(out[0]),
                *out, *kernel, ws["gen"])
            if status < 0:
                raise OverflowInKernel()
            ws["gen"] = status
            yield int(leaf), n_out, out

    def _expand_block(self, free, words, basis, rank, level, mult):
        """A block of nodes processed by a worker thread: (leaf sum, copies of the children)."""
        ws = free.get()
        try:
            leaf, parts = 0, []
            for lf, n_out, out in self._expand_chunks(ws, words, basis, rank, level, mult):
                leaf += lf
                if n_out:
                    parts.append(tuple(a[:n_out].copy() for a in out))
            return leaf, parts
        finally:
            free.put(ws)

    def _expand_level(self, pool, words, basis, rank, level, mult):
        """Yields (leaf sum, children written, output arrays) for the nodes of one level, in
        the order of the nodes: in this thread, or with ``pool`` in blocks of nodes run on its
        threads (the kernel releases the GIL), at most two blocks per thread ahead."""
        M = len(words)
        # the work of a node grows with its level (the planar formula is quadratic in the
        # classes before it): few nodes of high levels are worth the threads too
        if pool is None or (M < PARALLEL_MIN and M * (level + 16) ** 2 < PARALLEL_WORK) \
                or M < 2:
            yield from self._expand_chunks(self._workspace(0), words, basis, rank, level, mult)
            return
        import collections
        import queue
        free = queue.SimpleQueue()
        for i in range(self.threads):
            free.put(self._workspace(i))
        block = min(PARALLEL_BLOCK, max(1, -(-M // (8 * self.threads))))
        if M >= PARALLEL_MIN:
            block = max(block, PARALLEL_MIN // 4)
        starts = iter(range(0, M, block))
        window = collections.deque()

        def submit():
            a = next(starts, None)
            if a is not None:
                b = min(a + block, M)
                window.append(pool.submit(self._expand_block, free, words[a:b], basis[a:b],
                                          rank[a:b], level, mult[a:b]))

        try:
            for _ in range(2 * self.threads):
                submit()
            # children handed on in pieces of at least a chunk, as the serial loop does (the
            # caller's work per piece and level is the same for small and large pieces)
            acc, nacc, leafacc = [], 0, 0
            while window:
                leaf, parts = window.popleft().result()
                submit()
                leafacc += leaf
                acc += parts
                nacc += sum(len(part[0]) for part in parts)
                if nacc >= self.chunk or not window:
                    out = acc[0] if len(acc) == 1 else None if not acc else \
                        tuple(np.concatenate([part[f] for part in acc]) for f in range(5))
                    yield leafacc, nacc, out
                    acc, nacc, leafacc = [], 0, 0
        finally:
            for f in window:
                f.cancel()
            for f in window:
                if not f.cancelled():
                    f.result()

    def _canonicalise(self, level, words, basis, rank, alone=False):
        """Flats worth it (:func:`_worth_canonical`) replaced by their canonical images under
        G_level (also a single one when ``alone``: it is to be merged with nodes reduced
        before). Returns whether any was."""
        PT = self.PT.get(level)
        if PT is None:
            return False
        G = PT.shape[1]
        sel = _worth_canonical(words, rank, self.r, level, G, self.merge_from)
        if len(sel) < (1 if alone else 2):
            return False
        ptr, pts = _flat_points(words, sel, self.N)
        best = np.empty(len(sel), np.int64)
        if G >= 64 and len(pts) >= 2 * self.N:
            kernel, table = _best_hashed, _hash_table(PT, self.Z)
        else:
            kernel, table = _best_gather, PT
        pool = self._pool
        if pool is None or len(sel) < 2 * self.threads or len(pts) * G < PARALLEL_CANON:
            kernel(ptr, pts, table, best) if kernel is _best_hashed else \
                kernel(ptr, pts, table, self.Z, best)
        else:
            # flats cut into one range per thread of about equal numbers of points
            cuts = np.searchsorted(ptr, np.linspace(0, len(pts), self.threads + 1)[1:-1])
            bounds = [0, *np.unique(cuts).tolist(), len(sel)]
            args = [(ptr[a:b + 1], best[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
            if kernel is _best_hashed:
                jobs = [pool.submit(kernel, q, pts, table, out) for q, out in args]
            else:
                jobs = [pool.submit(kernel, q, pts, table, self.Z, out) for q, out in args]
            for job in jobs:
                job.result()
        _apply(words, basis, rank, sel, ptr, pts, PT, best)
        return True

    def _reduce(self, level, pend):
        """The nodes pending at ``level`` merged: the raw parts among themselves, then up to
        G_level, then with the part reduced before (already in canonical form)."""
        if pend.raw:
            words, basis, rank, mult = (np.concatenate([p[f] for p in pend.raw])
                                        for f in range(4))
            pend.raw = []
            words, basis, rank, mult = _merge(words, basis, rank, mult)
            if self._canonicalise(level, words, basis, rank, alone=pend.reduced is not None):
                words, basis, rank, mult = _merge(words, basis, rank, mult)
            if pend.reduced is not None:
                words, basis, rank, mult = _merge(
                    *(np.concatenate([old, new]) for old, new in
                      zip(pend.reduced, (words, basis, rank, mult))))
            pend.reduced = (words, basis, rank, mult)
        pend.nraw = 0
        return pend.reduced

    def run(self, nodes, target=None, stats=None, stop_level=None, on_level=None):
        """Sum of r(F, l) * mult over ``nodes`` (a :class:`Nodes`), level by level.

        The children pending at a level are merged as they accumulate (whenever the raw ones
        outnumber those merged before, at least :data:`EAGER_MERGE` of them), so that a level
        holds about its distinct nodes, not every child produced for it. When the pending
        nodes in memory exceed ``max_pending_bytes``, the lowest levels (processed last) are
        written to a temporary folder and read back when their turn comes (removed at the
        end, also after an error or Ctrl-C).

        Parameters
        ----------
        nodes : Nodes
        target : int, optional
            Stop as soon as, after a level, at least this many nodes are pending, and return
            them (merged per level) as the frontier.
        stop_level : int, optional
            Process only the levels >= stop_level; the rest is returned as the frontier.
        stats : dict, optional
            Receives ``nodes`` (nodes processed after merging, added to any value there),
            ``peak`` (largest number of pending nodes) and ``spilled`` (bytes written to
            disk), maxima with any value there.
        on_level : callable, optional
            Called as ``on_level(level, processed, pending)`` after each level that held nodes
            (the level just finished, nodes processed so far in this run, nodes pending), for
            progress displays; its return value is ignored.

        Returns
        -------
        (int, Nodes or None)
            The leaf sum of the processed nodes and the frontier (None when everything was
            processed).
        """
        spill = _Spill(self.max_pending_bytes)
        pool = None
        if self.threads > 1:
            from concurrent.futures import ThreadPoolExecutor
            pool = ThreadPoolExecutor(self.threads, thread_name_prefix="vcbound-orbits")
        self._pool = pool
        try:
            return self._run(nodes, target, stats, stop_level, spill, pool, on_level)
        finally:
            self._pool = None
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            spill.close()

    def _run(self, nodes, target, stats, stop_level, spill, pool, on_level):
        W, r = self.W, self.r
        pending = {}
        count = 0
        for lev in np.unique(nodes.level)[::-1]:
            sel = np.flatnonzero(nodes.level == lev)
            pend = pending[int(lev)] = _Pending()
            spill.add(pend, (nodes.words[sel], nodes.basis[sel], nodes.rank[sel],
                             nodes.mult[sel]))
            count += len(sel)
        total = 0
        processed = 0
        peak = count
        top = max(pending, default=-1)
        for level in range(top, -1, -1):
            if stop_level is not None and level < stop_level:
                break
            pend = pending.pop(level, None)
            if pend is None:
                continue
            before = pend.size()
            spill.load(pend)
            if level == 0:      # the empty arrangement: one region per node
                for part in pend.raw + ([pend.reduced] if pend.reduced is not None else []):
                    total += int(part[3].sum())
                    processed += len(part[3])
                spill.forget(pend)
                count -= before
                if on_level is not None:
                    on_level(level, processed, count)
                continue
            words, basis, rank, mult = self._reduce(level, pend)
            spill.forget(pend)
            del pend
            count -= before
            processed += len(words)
            for leaf, n_out, out in self._expand_level(pool, words, basis, rank, level, mult):
                total += leaf
                if n_out:
                    ow, ob, ork, ol, om = out
                    order = np.argsort(ol[:n_out], kind="stable")
                    cuts = np.flatnonzero(np.diff(ol[order])) + 1
                    for seg in np.split(order, cuts):
                        lev = int(ol[seg[0]])
                        pend = pending.get(lev)
                        if pend is None:
                            pend = pending[lev] = _Pending()
                        spill.add(pend, (ow[seg], ob[seg], ork[seg], om[seg]))
                        count += len(seg)
                        peak = max(peak, count)
                        if pend.nraw >= max(EAGER_MERGE, pend.nreduced()):
                            old = pend.size()
                            spill.forget(pend)
                            self._reduce(lev, pend)
                            spill.remember(pend)
                            count += pend.size() - old
                    del pend
                    spill.limit(pending)
            if on_level is not None:
                on_level(level, processed, count)
            if target is not None and count >= target and pending:
                break
        if stats is not None:
            stats["nodes"] = stats.get("nodes", 0) + processed
            stats["peak"] = max(stats.get("peak", 0), peak)
            stats["spilled"] = max(stats.get("spilled", 0), spill.written)
        if not pending:
            return total, None
        frontier = []
        for lev in sorted(pending, reverse=True):
            pend = pending.pop(lev)
            spill.load(pend)
            words, basis, rank, mult = self._reduce(lev, pend)
            spill.forget(pend)
            frontier.append(Nodes(words, basis, rank, np.full(len(words), lev, np.int32), mult))
        return total, Nodes.concat(frontier, W, r)


#: Bytes of pending nodes an engine holds in memory before it writes the lowest levels to
#: disk (see :meth:`OrbitEngine.run`).
MAX_PENDING_BYTES = 1 << 31


def _part_bytes(part):
    return sum(a.nbytes for a in part)


class _Spill:
    """Pending levels written to a temporary folder while memory is over a budget."""

    def __init__(self, budget):
        self.budget = budget
        self.mem = 0
        self.written = 0
        self.folder = None
        self.files = 0

    def add(self, pend, part):
        pend.raw.append(part)
        pend.nraw += len(part[3])
        b = _part_bytes(part)
        pend.mem += b
        self.mem += b

    def forget(self, pend):
        """``pend`` leaves the account (processed, or about to be reduced)."""
        self.mem -= pend.mem
        pend.mem = 0

    def remember(self, pend):
        pend.mem = sum(_part_bytes(p) for p in pend.raw)
        if pend.reduced is not None:
            pend.mem += _part_bytes(pend.reduced)
        self.mem += pend.mem

    def limit(self, pending):
        """Write the lowest levels to disk until memory is below half the budget."""
        if self.mem <= self.budget:
            return
        import os
        import tempfile
        if self.folder is None:
            self.folder = tempfile.mkdtemp(prefix="vcbound-orbits-")
        for lev in sorted(pending):
            if self.mem <= self.budget // 2:
                break
            pend = pending[lev]
            parts = pend.raw + ([pend.reduced] if pend.reduced is not None else [])
            if not parts:
                continue
            arrays = {}
            for f, name in enumerate(("words", "basis", "rank", "mult")):
                arrays[name] = np.concatenate([p[f] for p in parts])
            path = os.path.join(self.folder, f"{self.files}.npz")
            self.files += 1
            np.savez(path, **arrays)
            self.written += sum(a.nbytes for a in arrays.values())
            pend.spilled.append(path)
            pend.nspilled += len(arrays["mult"])
            pend.raw, pend.nraw, pend.reduced = [], 0, None
            self.forget(pend)

    def load(self, pend):
        """Read back the parts of ``pend`` on disk (as raw parts)."""
        import os
        for path in pend.spilled:
            with np.load(path) as data:
                part = (data["words"], data["basis"], data["rank"], data["mult"])
            os.unlink(path)
            pend.raw.append(part)
            pend.nraw += len(part[3])
        pend.spilled, pend.nspilled = [], 0

    def close(self):
        if self.folder is not None:
            import shutil
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


#: Hash-table generations of a workspace restart from 0 beyond this (the planar formula's table
#: holds generation << 20).
_GEN_LIMIT = 1 << 40

#: Levels of at least PARALLEL_MIN nodes are processed in blocks of at most PARALLEL_BLOCK
#: nodes handed to the engine's threads, smaller ones in one thread ...
PARALLEL_MIN = 1 << 10
PARALLEL_BLOCK = 1 << 13
#: ... and so are levels of at least this many nodes x (level + 16)^2.
PARALLEL_WORK = 1 << 24
#: Canonical forms of at least this many (point, group element) pairs are split among the
#: threads.
PARALLEL_CANON = 1 << 23


def default_threads():
    """Threads of an engine by default: the environment variable ``VCBOUND_EXACT_THREADS``, else
    the CPUs this process may run on."""
    import os
    value = os.environ.get("VCBOUND_EXACT_THREADS")
    if value:
        if not value.strip().isdigit() or int(value) < 1:
            from ..errors import VCBoundError
            raise VCBoundError(f"Environment variable 'VCBOUND_EXACT_THREADS' must be a positive "
                               f"integer (threads of the exact orbit engine), not {value!r}.")
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:          # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: Raw children pending at one level are merged once at least this many have accumulated
#: (and they outnumber the level's nodes merged before).
EAGER_MERGE = 1 << 14


class _Pending:
    """Nodes pending at one level: raw parts (children as produced) and the part merged up to
    symmetry before."""

    __slots__ = ("raw", "nraw", "reduced", "mem", "spilled", "nspilled")

    def __init__(self):
        self.raw = []
        self.nraw = 0
        self.reduced = None
        self.mem = 0
        self.spilled = []
        self.nspilled = 0

    def nreduced(self):
        return 0 if self.reduced is None else len(self.reduced[3])

    def size(self):
        return self.nraw + self.nreduced() + self.nspilled


def orbit_count(V, perms=None, chunk=1 << 15, stats=None, merge_from=3, stabilisers=None):
    """Regions of the central arrangement with normals V (N, r), integer, full rank r.

    Parameters
    ----------
    V : ndarray (N, r)
        Distinct, pairwise non-parallel integer vectors of rank r (entries below 2^16).
    perms : ndarray (G, N) or None
        Automorphisms of the configuration as permutations of the rows: a group (closed under
        composition, the identity included), or None (trivial group). The count does not
        depend on the group; only the number of nodes does.
    stabilisers : dict, optional
        The prefix stabilisers directly (see :class:`OrbitEngine`), instead of ``perms``.
    merge_from : int
        Nodes whose flat leaves at least this many dimensions are merged up to symmetry (the
        smaller ones only when equal), a speed trade-off.
    stats : dict, optional
        Receives ``nodes`` (nodes after merging) and ``peak`` (most nodes pending at once).

    Returns
    -------
    int

    Raises
    ------
    OverflowInKernel
        When an intermediate integer would leave int64 (the caller falls back to Python ints).
    """
    if stabilisers is None:
        stabilisers = stabilisers_of(perms)
    engine = OrbitEngine(V, stabilisers, merge_from=merge_from, chunk=chunk)
    if stats is not None:
        stats.pop("nodes", None)
    total, _ = engine.run(engine.root(), stats=stats)
    return total
