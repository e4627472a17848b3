"""Compiled deletion–restriction without symmetry (engine of :mod:`vcbound.exact`'s 'incremental').

The count r(A) of regions of a central arrangement A = {H_v : v in V} (V the distinct normals,
parallel ones merged) follows from adding the hyperplanes one at a time: each adds as many
regions as its restriction to the earlier ones has (Stanley, *An introduction to hyperplane
arrangements*, Lemma 2.1),

    r(v_1 .. v_m) = 1 + sum_{j=1..m} r(restriction of v_1 .. v_{j-1} to H_{v_j}),

and the restriction to H_v is the arrangement of the images of the earlier normals in the
quotient by span(v) (parallel images merged). Rank 3 is closed: r = 2 + 2 sum_i t_i, t_i the
number of distinct planes span(v_i, v_k), k < i (the planar formula; a rank-2 flat with s
normals is counted once by each of its s - 1 non-first members).

This is the algorithm of :func:`vcbound.exact._regions_incremental` (numpy, Python integers)
written again as three fixed-rank kernels (rank 5 -> 4 -> 3 -> planar), so that the numpy code
stays an independent implementation to test it against, and neither shares code with the orbit
engine (:mod:`._orbits`: flats, levels, symmetry).

Arithmetic. The quotient by span(v) maps u to v_p u - u_p v with the coordinate p dropped (p a
non-zero coordinate of v of least modulus); each image of rank >= 3 is divided by the gcd of
its entries. Directions are compared through floating-point ratios u_j / u_p (p the first
non-zero coordinate; equal directions of integer vectors give bit-equal correctly rounded
quotients), confirmed exactly by cross-multiplication. Every entry is checked to stay below
2^31 (products below 2^62); a kernel that sees a larger one returns -1 and the caller falls back
to the numpy code with Python integers. The counts are int64 (the caller checks beforehand that
Cover's bound fits).
"""

import math

import numpy as np
from numba import prange

from ._compile import njit

__all__ = ["regions", "MAX_RANK"]

#: Largest rank done by the kernels alone (higher ranks recurse in Python down to it).
MAX_RANK = 5

_BOUND = 1 << 31

#: Rank-4 and rank-5 arrangements of fewer normals are counted in the calling thread (the restrictions of
#: higher ranks are many small ones; a parallel launch each costs more than it saves).
SERIAL_BELOW = 96


@njit(cache=True, nogil=True)
def _quotient(U, m, v, D, out):
    """out[k, :D-1] = image of U[k, :D] in the quotient by span(v), gcd-reduced when D - 1 >= 3;
    returns False when an entry reaches 2^31."""
    p = -1
    for i in range(D):
        if v[i] != 0 and (p < 0 or abs(v[i]) < abs(v[p])):
            p = i
    vp = v[p]
    for k in range(m):
        up = U[k, p]
        c = 0
        g = 0
        for i in range(D):
            if i == p:
                continue
            x = vp * U[k, i] - up * v[i]
            out[k, c] = x
            c += 1
            if D - 1 >= 3:
                g = math.gcd(g, x)
        if g > 1:
            for i in range(D - 1):
                out[k, i] //= g
        for i in range(D - 1):
            if abs(out[k, i]) >= _BOUND:
                return False
    return True


@njit(cache=True, nogil=True)
def _mixbits(h, x):
    h ^= x + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2)
    return h


@njit(cache=True, nogil=True)
def _distinct(U, m, D, keep, keys, ratios, stamp, rep, gen):
    """Indices (into ``keep``) of the first vector of each direction among U[:m, :D], in order;
    returns their number. ``stamp`` entries equal to ``gen`` mark occupied slots (no clearing
    between calls); ``ratios`` holds one float per slot and coordinate, its int64 view ``keys``
    is hashed."""
    mask = len(stamp) - 1
    n = 0
    for k in range(m):
        p = 0
        while U[k, p] == 0:
            p += 1
        h = np.int64(p)
        base = 0
        for i in range(D):
            if i == p:
                continue
            ratios[base] = U[k, i] / U[k, p] + 0.0
            h = _mixbits(h, keys[base])
            base += 1
        slot = h & mask
        while True:
            if stamp[slot] != gen:
                stamp[slot] = gen
                rep[slot] = k
                keep[n] = k
                n += 1
                break
            s = rep[slot]
            same = U[s, p] != 0
            if same:
                for q in range(p):
                    if U[s, q] != 0:
                        same = False
                        break
            if same:
                for i in range(D):
                    if U[k, i] * U[s, p] != U[s, i] * U[k, p]:
                        same = False
                        break
            if same:
                break
            slot = (slot + 1) & mask
    return n


@njit(cache=True, nogil=True)
def _lines(P, m, stamp, rep, lkeys, lbits, gen):
    """Distinct directions among the 2-vectors P[:m] (none zero)."""
    mask = len(stamp) - 1
    n = 0
    for k in range(m):
        a = P[k, 0]
        b = P[k, 1]
        key = np.inf if b == 0 else a / b + 0.0
        lkeys[0] = key
        h = _mixbits(np.int64(0), lbits[0])
        slot = h & mask
        while True:
            if stamp[slot] != gen:
                stamp[slot] = gen
                rep[slot] = k
                n += 1
                break
            s = rep[slot]
            if a * P[s, 1] == b * P[s, 0]:
                break
            slot = (slot + 1) & mask
    return n


@njit(cache=True, nogil=True)
def _rank3(W, m, P, stamp, rep, lkeys, lbits, gen):
    """(regions of the arrangement of the m distinct 3-vectors W[:m], next generation), or
    (-1, gen) when an entry leaves the bounds."""
    if m == 0:
        return 1, gen
    total = 0
    for i in range(1, m):
        if not _quotient(W, i, W[i], 3, P):
            return -1, gen
        gen += 1
        total += _lines(P, i, stamp, rep, lkeys, lbits, gen)
    return 2 + 2 * total, gen


@njit(cache=True, nogil=True)
def _rank4(U, m, Q, W, keep, keys, ratios, stamp, rep, P, lkeys, lbits, gen):
    """Regions of the arrangement of the m distinct 4-vectors U[:m] (or -1), next generation."""
    total, gen = _rank4_sum(U, m, 0, 1, Q, W, keep, keys, ratios, stamp, rep, P, lkeys, lbits,
                            gen)
    return (total if total < 0 else total + 1), gen


@njit(cache=True, nogil=True)
def _rank4_sum(U, m, start, step, Q, W, keep, keys, ratios, stamp, rep, P, lkeys, lbits, gen):
    """Sum over j = start, start + step, ... < m of the regions of the restriction of U[:j] to
    H_{U[j]} (or -1), next generation."""
    total = 0
    for j in range(start, m, step):
        if j == 0:
            total += 1
            continue
        if not _quotient(U, j, U[j], 4, Q):
            return -1, gen
        gen += 1
        n = _distinct(Q, j, 3, keep, keys, ratios, stamp, rep, gen)
        for k in range(n):
            for c in range(3):
                W[k, c] = Q[keep[k], c]
        r, gen = _rank3(W, n, P, stamp, rep, lkeys, lbits, gen)
        if r < 0:
            return -1, gen
        total += r
    return total, gen


def _tables(m):
    size = 1
    while size < 2 * max(m, 1):
        size *= 2
    return size


@njit(cache=True, nogil=True)
def _terms(V, m, D, start, step, size):
    """With a workspace of its own: for D = 4 or 5, the sum over j = start, start + step, ...
    < m of the regions of the restriction of V[:j] to H_{V[j]} (one share of the top sum of
    deletion–restriction); for D = 3, the regions of the arrangement (start, step ignored);
    -1 when an entry leaves the bounds."""
    Q4 = np.empty((m, 4), np.int64)
    U = np.empty((m, 4), np.int64)
    Q3 = np.empty((m, 3), np.int64)
    W = np.empty((m, 3), np.int64)
    P = np.empty((m, 2), np.int64)
    keep = np.empty(m, np.int64)
    ratios = np.empty(4, np.float64)
    keys = ratios.view(np.int64)
    lkeys = np.empty(1, np.float64)
    lbits = lkeys.view(np.int64)
    stamp = np.zeros(size, np.int64)
    rep = np.empty(size, np.int64)
    gen = np.int64(0)
    if D == 3:
        r, gen = _rank3(V, m, P, stamp, rep, lkeys, lbits, gen)
        return r
    if D == 4:
        r, gen = _rank4_sum(V, m, start, step, Q3, W, keep, keys, ratios, stamp, rep, P, lkeys,
                            lbits, gen)
        return r
    total = 0
    for j in range(start, m, step):
        if j == 0:
            total += 1
            continue
        if not _quotient(V, j, V[j], 5, Q4):
            return -1
        gen += 1
        n = _distinct(Q4, j, 4, keep, keys, ratios, stamp, rep, gen)
        for k in range(n):
            for c in range(4):
                U[k, c] = Q4[keep[k], c]
        r, gen = _rank4(U, n, Q3, W, keep, keys, ratios, stamp, rep, P, lkeys, lbits, gen)
        if r < 0:
            return -1
        total += r
    return total


@njit(cache=True, parallel=True)
def _parallel(V, m, D, shares, size):
    """Regions of the arrangement of the m distinct D-vectors V[:m], D = 4 or 5 (or -1): the
    terms of the deletion–restriction sum dealt round-robin to ``shares`` parallel shares (term
    j costs about j^(D-2), so every share gets cheap and dear ones)."""
    out = np.zeros(shares, np.int64)
    for s in prange(shares):
        out[s] = _terms(V, m, D, s, shares, size)
    total = 1
    for s in range(shares):
        if out[s] < 0:
            return -1
        total += out[s]
    return total


def regions(V):
    """Regions of the central arrangement of the distinct, pairwise non-parallel integer normals
    ``V`` (m, D) with 1 <= D <= 5 (int64 array), or None when an entry of a quotient would reach
    2^31 (the caller then uses Python integers). Zero rows are not allowed.

    The top sum of ranks 4 and 5 runs in 4 parallel shares per numba thread; arrangements of
    fewer than :data:`SERIAL_BELOW` normals run in the calling thread.
    """
    V = np.ascontiguousarray(V, dtype=np.int64)
    m, D = V.shape
    if m == 0:
        return 1
    if D > MAX_RANK:
        raise ValueError(f"rank {D} > {MAX_RANK}")
    if np.abs(V).max() >= _BOUND:
        return None
    if D < 3:
        V = np.concatenate([V, np.zeros((m, 3 - D), np.int64)], axis=1)
        D = 3
    size = _tables(m)
    if D == 3:
        r = _terms(V, m, 3, 0, 1, size)
    elif m < SERIAL_BELOW:                     # small: no parallel launch per call
        r = _terms(V, m, D, 0, 1, size)
        r = r if r < 0 else r + 1
    else:
        import numba
        r = _parallel(V, m, D, max(1, min(4 * numba.get_num_threads(), m)), size)
    return None if r < 0 else int(r)
