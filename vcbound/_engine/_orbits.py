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

All geometry is exact int64 arithmetic (fraction-free elimination with gcd reduction); a kernel
that sees an entry reach 2^40 reports it and the caller falls back to Python integers.
"""

import math

import numpy as np

from ._compile import njit

__all__ = ["orbit_count"]

_LIMIT = 1 << 40


@njit(cache=True)
def _gcd(a, b):
    a = abs(a)
    b = abs(b)
    while b:
        a, b = b, a % b
    return a


@njit(cache=True)
def _annihilator(V, basis, k, E):
    """E[:d] = integer basis of the vectors orthogonal to V[basis[:k]]; returns d, or -1."""
    r = V.shape[1]
    for i in range(r):
        for j in range(r):
            E[i, j] = 1 if i == j else 0
    d = r
    u = np.empty(r, np.int64)
    for t in range(k):
        v = V[basis[t]]
        q = -1
        for i in range(d):
            s = 0
            for j in range(r):
                s += E[i, j] * v[j]
            u[i] = s
            if s != 0 and (q < 0 or abs(s) < abs(u[q])):
                q = i
        if q < 0:
            return -1          # basis not independent (cannot happen for valid nodes)
        for i in range(d):
            if i == q or u[i] == 0:
                continue
            g = 0
            for j in range(r):
                E[i, j] = u[q] * E[i, j] - u[i] * E[q, j]
                g = _gcd(g, E[i, j])
            if g > 1:
                for j in range(r):
                    E[i, j] //= g
            for j in range(r):
                if abs(E[i, j]) >= _LIMIT:
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
def _project(V, E, d, U, H):
    """U[p, :d] = primitive E[:d] V[p] up to sign (zero for points of the flat); H = hashes.
    Returns False when an entry reaches 2^31 (the planar cross products need less)."""
    N, r = V.shape
    ok = True
    for p in range(N):
        g = 0
        for i in range(d):
            s = 0
            for j in range(r):
                s += E[i, j] * V[p, j]
            U[p, i] = s
            g = _gcd(g, s)
        if g == 0:
            H[p] = np.uint64(0)
            continue
        sign = 0
        for i in range(d):
            U[p, i] //= g
            if sign == 0 and U[p, i] != 0:
                sign = 1 if U[p, i] > 0 else -1
        h = np.uint64(0x12345)
        for i in range(d):
            U[p, i] *= sign
            if abs(U[p, i]) >= 2147483648:
                ok = False
            h = _mix(h, U[p, i])
        H[p] = h | np.uint64(1)
    return ok


@njit(cache=True)
def _same(U, a, b, d):
    for i in range(d):
        if U[a, i] != U[b, i]:
            return False
    return True


@njit(cache=True)
def _classes(U, H, d, cls, cmin, tkey, tval, tgen, gen):
    """cls[p] = class of p (-1 in the flat); cmin[c] = smallest point of class c; returns the
    number of classes, numbered in the order of their smallest points (open-addressing table
    on the hashes, equal hashes checked exactly)."""
    N = U.shape[0]
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
            if tkey[slot] == h and _same(U, cmin[tval[slot]], p, d):
                cls[p] = tval[slot]
                break
            slot = (slot + 1) & mask
    return nc


@njit(cache=True)
def _rank3_value(U, cmin, t, tkey, tval, tgen, gen, L):
    """Regions of the rank-3 arrangement of the t classes: 1 if t = 0, else
    2 + 2 sum over lines L of (|L| - 1) (the planar formula; lines found as the distinct
    normalised cross products of pairs, a line with s classes holding s(s - 1)/2 pairs)."""
    if t == 0:
        return 1
    mask = len(tkey) - 1
    nl = 0
    for i in range(t):
        a = cmin[i]
        for j in range(i):
            b = cmin[j]
            x = U[a, 1] * U[b, 2] - U[a, 2] * U[b, 1]
            y = U[a, 2] * U[b, 0] - U[a, 0] * U[b, 2]
            z = U[a, 0] * U[b, 1] - U[a, 1] * U[b, 0]
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
                    tval[slot] = nl
                    L[nl, 0] = x
                    L[nl, 1] = y
                    L[nl, 2] = z
                    L[nl, 3] = 1
                    nl += 1
                    break
                v = tval[slot]
                if tkey[slot] == h and L[v, 0] == x and L[v, 1] == y and L[v, 2] == z:
                    L[v, 3] += 1
                    break
                slot = (slot + 1) & mask
    total = 2
    for v in range(nl):
        pairs = L[v, 3]
        s = 2
        while s * (s - 1) // 2 < pairs:
            s += 1
        total += 2 * (s - 1)
    return total


@njit(cache=True)
def _expand(V, words, basis, rank, level, mult, start, cap,
            out_words, out_basis, out_rank, out_level, out_mult,
            U, H, cls, cmin, ckey, cval, cgen, lkey, lval, lgen, L, gen0):
    """Process nodes start.. of one level: returns (next node, children written, leaf sum,
    status). Leaf sum = sum of mult * (closed-form value or the node's own 1)."""
    N, r = V.shape
    M, W = words.shape
    E = np.empty((r, r), np.int64)
    gen = gen0
    leaf = 0
    nout = 0
    for i in range(start, M):
        k = rank[i]
        d = _annihilator(V, basis[i], k, E)
        if d < 0:
            return i, nout, leaf, d
        if not _project(V, E, d, U, H):
            return i, nout, leaf, -3
        gen += 1
        nc = _classes(U, H, d, cls, cmin, ckey, cval, cgen, gen)
        t = 0
        while t < nc and cmin[t] < level:
            t += 1
        m = mult[i]
        if d <= 1:
            leaf += m * (2 if t > 0 else 1)
        elif d == 2:
            leaf += m * (2 * t if t > 0 else 1)
        elif d == 3:
            leaf += m * _rank3_value(U, cmin, t, lkey, lval, lgen, gen, L)
        else:
            if nout + t > cap:
                return i, nout, leaf, gen
            leaf += m
            for c in range(t):
                o = nout + c
                for w in range(W):
                    out_words[o, w] = words[i, w]
                for j in range(k):
                    out_basis[o, j] = basis[i, j]
                out_basis[o, k] = cmin[c]
                out_rank[o] = k + 1
                out_level[o] = cmin[c]
                out_mult[o] = m
            for p in range(N):
                c = cls[p]
                if 0 <= c < t:
                    o = nout + c
                    out_words[o, p >> 6] |= np.uint64(1) << np.uint64(p & 63)
            nout += t
    return M, nout, leaf, gen


@njit(cache=True)
def _canonical(words, basis, rank, PT, Z):
    """Replace each flat by one image under the group whose columns PT (N, G) list: the image
    of least Zobrist hash sum_p Z[g(p)] (ties: the first such element). Equivalent flats get
    equal images unless two images of one flat collide in the hash, which only leaves two
    equal nodes unmerged (the merge compares the exact images). The basis is mapped by the
    same element."""
    M, W = words.shape
    N, G = PT.shape
    acc = np.empty(G, np.uint64)
    pts = np.empty(N, np.int64)
    for i in range(M):
        npts = 0
        for p in range(N):
            if (words[i, p >> 6] >> np.uint64(p & 63)) & np.uint64(1):
                pts[npts] = p
                npts += 1
        for g in range(G):
            acc[g] = 0
        for a in range(npts):
            row = PT[pts[a]]
            for g in range(G):
                acc[g] += Z[row[g]]
        bg = 0
        for g in range(1, G):
            if acc[g] < acc[bg]:
                bg = g
        for w in range(W):
            words[i, w] = 0
        for a in range(npts):
            q = PT[pts[a], bg]
            words[i, q >> 6] |= np.uint64(1) << np.uint64(q & 63)
        for j in range(rank[i]):
            basis[i, j] = PT[basis[i, j], bg]


def _merge(words, basis, rank, mult):
    """Equal flats of one level summed into one node."""
    if len(words) <= 1:
        return words, basis, rank, mult
    order = np.lexsort(words.T[::-1])
    w = words[order]
    new = np.ones(len(w), dtype=bool)
    new[1:] = (w[1:] != w[:-1]).any(axis=1)
    starts = np.flatnonzero(new)
    first = order[starts]
    return (words[first], basis[first], rank[first],
            np.add.reduceat(mult[order], starts))


def prefix_stabilisers(perms):
    """For each level l (1..N), the rows of ``perms`` that map {0, .., l-1} onto itself
    (a permutation does iff the largest image of 0..l-1 is l-1)."""
    perms = np.asarray(perms)
    runmax = np.maximum.accumulate(perms, axis=1)
    N = perms.shape[1]
    stab = {l: np.flatnonzero(runmax[:, l - 1] == l - 1) for l in range(1, N + 1)}
    stab[0] = np.arange(len(perms))
    return stab


class OverflowInKernel(ArithmeticError):
    """An int64 entry of the elimination reached its bound (the caller uses Python integers)."""


#: Counts are accumulated in int64; beyond this the caller uses Python integers.
_COUNT_LIMIT = 1 << 62


def orbit_count(V, perms=None, chunk=1 << 15, stats=None, merge_from=3):
    """Regions of the central arrangement with normals V (N, r), integer, full rank r.

    Parameters
    ----------
    V : ndarray (N, r)
        Distinct, pairwise non-parallel integer vectors of rank r (entries below 2^16).
    perms : ndarray (G, N) or None
        Automorphisms of the configuration as permutations of the rows: a group (closed under
        composition, the identity included), or None (trivial group). The count does not
        depend on the group; only the number of nodes does.
    merge_from : int
        Nodes whose flat leaves at least this many dimensions are merged up to symmetry (the
        smaller ones only when equal), a speed trade-off.
    stats : dict, optional
        Receives ``nodes`` (nodes after merging) and ``levels``.

    Returns
    -------
    int

    Raises
    ------
    OverflowInKernel
        When an intermediate integer would leave int64 (the caller falls back to Python ints).
    """
    V = np.ascontiguousarray(V, dtype=np.int64)
    N, r = V.shape
    if N and int(np.abs(V).max()) >= 1 << 16:
        raise OverflowInKernel()
    # Cover's bound 2 sum_{k<r} C(N-1, k) caps every partial sum (int64 cannot wrap)
    if 2 * sum(math.comb(max(N - 1, 0), k) for k in range(r)) >= _COUNT_LIMIT:
        raise OverflowInKernel()
    W = max(1, (N + 63) // 64)
    if perms is None:
        perms = np.arange(N, dtype=np.int32)[None, :]
    perms = np.ascontiguousarray(perms, dtype=np.int32)
    stab = prefix_stabilisers(perms)
    zob = np.random.default_rng(20231).integers(0, 2**63, size=N, dtype=np.int64).astype(np.uint64)
    # workspace of the kernel, allocated once (hash tables stamped by a generation counter)
    size = 1
    while size < 4 * N:
        size *= 2
    lsize = 1
    while lsize < N * N:
        lsize *= 2
    work = [np.empty((N, r), np.int64), np.empty(N, np.uint64), np.empty(N, np.int64),
            np.empty(N, np.int64), np.empty(size, np.uint64), np.empty(size, np.int64),
            np.zeros(size, np.int64), np.empty(lsize, np.uint64), np.empty(lsize, np.int64),
            np.zeros(lsize, np.int64), np.empty((N * N // 2 + 1, 4), np.int64)]
    gen = 0
    cap = max(chunk, N)
    ow = np.empty((cap, W), np.uint64)
    ob = np.zeros((cap, r), np.int64)
    ork = np.empty(cap, np.int64)
    ol = np.empty(cap, np.int64)
    om = np.empty(cap, np.int64)
    pending = {N: [(np.zeros((1, W), np.uint64), np.zeros((1, r), np.int64),
                    np.zeros(1, np.int64), np.ones(1, np.int64))]}
    total = 0
    nodes = 0
    for level in range(N, -1, -1):
        parts = pending.pop(level, None)
        if not parts:
            continue
        words = np.concatenate([p[0] for p in parts])
        basis = np.concatenate([p[1] for p in parts])
        rank = np.concatenate([p[2] for p in parts])
        mult = np.concatenate([p[3] for p in parts])
        if level == 0:      # the empty arrangement: one region per node
            total += int(mult.sum())
            nodes += len(mult)
            continue
        words, basis, rank, mult = _merge(words, basis, rank, mult)
        g = stab[level]
        if len(g) > 1:
            deep = np.flatnonzero(rank <= r - merge_from)
            if len(deep):
                w_, b_ = words[deep], basis[deep]
                _canonical(w_, b_, rank[deep], np.ascontiguousarray(perms[g].T), zob)
                words[deep], basis[deep] = w_, b_
            words, basis, rank, mult = _merge(words, basis, rank, mult)
        nodes += len(words)
        start = 0
        while start < len(words):
            start, n_out, leaf, status = _expand(V, words, basis, rank, level, mult, start, cap,
                                                 ow, ob, ork, ol, om, *work, gen)
            if status < 0:
                raise OverflowInKernel()
            gen = status
            total += int(leaf)
            if n_out:
                order = np.argsort(ol[:n_out], kind="stable")
                cuts = np.flatnonzero(np.diff(ol[order])) + 1
                for seg in np.split(order, cuts):
                    pending.setdefault(int(ol[seg[0]]), []).append(
                        (ow[seg], ob[seg], ork[seg], om[seg]))
    if stats is not None:
        stats["nodes"] = nodes
    return total
