"""Lane-parallel core of the Monte Carlo enumerator (internal; see :mod:`vcbound.enumerate`).

Networks are evaluated in blocks of ``LANES`` = 64 consecutive indices ``t0, ..., t0 + 63``
(``LANES_SHALLOW`` = 128 for networks with at most one hidden layer), one network per SIMD
lane: every work array is laid out ``(..., lane)`` with the lane index innermost, and every
loop over lanes runs the same arithmetic for all the block's networks, so LLVM vectorises it
(16 float32 lanes per AVX-512 register, four or eight registers per pass; 64 rather than 16
lanes amortise each loop's set-up, measured 573 -> 288 ns per network at n = 64,
[2, 16, 1]). Network ``t`` still draws only from the random stream of ``(seed, t)``
(:mod:`._rng`), so its pattern depends neither on which block or lane holds it nor on the
number of threads.

Per block:

1. the 64 streams, then every normal deviate (Box--Muller, vectorised) and from them the
   weights (and, for the gaussian sampler, the biases), as float32 products normal x scale;
2. the first hidden layer's input extents over the data's bounding box, its data-sampler
   biases and its rounding bounds and boxes (the certificate of :mod:`._kernels`, same
   formulas, per lane);
3. the float32 forward pass over the points, with each later layer's data-sampler biases and
   rounding bounds, the output bias (data sampler: from the range of the output), the
   output's rounding bound ``e_out``, min |output| and the bit-packed canonical pattern.
   Networks with two or more hidden layers on large point sets (one layer's activations over
   512 KiB) instead continue one at a time in the per-network pass
   (:func:`._kernels.finish32`) from the lane-drawn parameters and the second hidden
   layer's bound sums (:func:`_lane_box_extents`, computed here): there it is faster;
4. a network whose float32 outputs are not all certified (``|output| > e_out``) is redone
   in float64 (:func:`._kernels.network64`) from its lane-drawn normals (the only place
   normals are computed, so every pass of a network uses the same bits); in the per-network
   pass, only its uncertified points are redone first (:func:`._kernels.repair32`).

Vectorisation notes (measured with this machine's compiler): loops over lanes take their trip
count from an array's shape (a constant trip count lets LLVM unroll the loop before vectorising,
and the unrolled code stays scalar); each such loop stores into distinct arrays (two stores into
one array made LLVM's run-time alias check fail and run the scalar loop); functions computing
divisions use ``error_model="numpy"`` (the ZeroDivisionError check's early exit blocks
vectorisation).

Loads and stores, not arithmetic, bound most of these loops (one lane's parameter is a vector
load, not a register), so the hot loops reuse what they load: the one-hidden-layer pass and
the deeper networks' first layer take four units over two points per pass, and reductions
over the points (ranges, min |output|, the packed bits) take eight points per pass, so that a
pass does not wait on the previous pass's store of the running result. Every such rewrite
keeps the order of each sum: patterns are bit-identical to the one-unit, one-point loops.
What LLVM vectorises is fragile: a test inside the loop over lanes (``zero if first else Z``),
a loop over the points outside the loop over inputs, or indices into flattened arrays each
sent the products to scalar code (3-8x slower). Starting a sum from a constant zero is safe
only when its first term is already rounded: LLVM folds ``0 + a b`` to ``a b`` and then fuses
a different product into the next FMA, which changes the bits.

The hidden-to-hidden products, the one loop that needs the inputs inside the lanes (16 sums
held in registers over all inputs), are therefore not numba loops but explicit vector code,
:func:`._simd.lane_dot4`, summed as one FMA chain; :func:`_lane_dot` is the same chain
for a single unit.
"""

import numpy as np
from numba import prange

from . import _rng
from ._compile import NOALIAS as _NOALIAS, njit
from ._simd import lane_dot4, transpose
from ._kernels import (EMPTY_WORD, SAMPLER_DATA, SAMPLER_GAUSSIAN, _FM, _gamma,
                       _offset_bias, _sizes, finish32, fused_box, network64, normal_scale,
                       repair32, tile_order, unflatten, workspace, zeros64)

__all__ = ["LANES", "generate", "network_record"]

#: Networks per block (one per SIMD lane) of networks with two or more hidden layers.
LANES = 64
#: Networks per block of a single neuron or one hidden layer: longer loops over lanes amortise
#: each loop's set-up (measured 79 -> 69 ns per network at n = 64, [2, 4, 1], 225 -> 194 ns at
#: [2, 16, 1]); deeper networks gain nothing (their lane buffers then outgrow the cache).
LANES_SHALLOW = 128

_F = np.float32
_U = np.uint64



_SLACK_E = 1.0 + 1e-6   # relative slack of a computed rounding bound (see _kernels)
_SLACK_BOX = 1e-9       # relative slack of an interval box (see _kernels._layer_bounds)


#: Networks with two or more hidden layers run their hidden layers in lanes only while the
#: activations of one layer, (max width) x n x LANES float32, fit in this many bytes (every
#: four units of a layer read all of them again). Beyond L2-sized buffers the per-network pass,
#: whose weights stay in registers and whose products skip the inputs zero on a chunk of
#: points, is faster: measured per network, [2, 16, 16, 1], n = 256: 2.09-2.13 against
#: 2.45-2.49 us in lanes; n = 64: lanes 0.81-0.83 against 1.08-1.10 us per network.
_DEEP_LANE_BYTES = 2 ** 19


@njit(cache=True)
def _deep_in_lanes(widths, n):
    maxw, _ = _sizes(widths)
    return widths.shape[0] > 3 and maxw * n * LANES * 4 <= _DEEP_LANE_BYTES


@njit(cache=True)
def lane_workspace(X32, widths):
    """Work arrays of one thread for :func:`_block` (lane index last)."""
    maxw, n_params = _sizes(widths)
    n = X32.shape[1]
    words = (n + 63) // 64
    npairs = (n_params + 2) // 2
    L = LANES if widths.shape[0] > 3 else LANES_SHALLOW
    f64 = np.float64
    f32 = np.float32
    xp = zeros64((2, n), f32)            # the points, padded with a zero row when m = 1
    xp[:min(2, X32.shape[0])] = X32[:min(2, X32.shape[0])]
    masks = zeros64((words,), np.uint64)    # bits in use of each pattern word
    for wd in range(words):
        used = min(64, n - 64 * wd)
        masks[wd] = EMPTY_WORD if used == 64 else (_U(1) << _U(used)) - _U(1)
    # every array on a 64-byte boundary (zeros64): the loops over lanes load 64-byte vectors
    return (zeros64((L,), np.uint64), zeros64((L,), np.uint64),             # st, ga
            zeros64((npairs, L), f32), zeros64((npairs, L), f32),           # NA, NB
            zeros64((n_params, L), f32),                                    # P
            zeros64((maxw, L), f64), zeros64((maxw, L), f64),               # TMIN, TMAX
            zeros64((maxw, L), f64), zeros64((maxw, L), f64),               # TMAG, TERR
            zeros64((maxw, L), f64), zeros64((maxw, L), f64),               # BLO, BHI
            zeros64((maxw, L), f64),                                        # BERR
            zeros64((n, L), f32), zeros64((4, n, L), f32),                  # OUT, Z (4 units)
            zeros64((L,), f32), zeros64((L,), f32),                         # OMIN, OMAX
            zeros64((L,), f32), zeros64((L,), f64), zeros64((L,), f64),     # MINABS, OMAG, OERR
            zeros64((words, L), np.uint64), zeros64((L,), np.uint64),       # KW, FLIP
            xp, masks,
            zeros64((2, maxw, n, L), f32) if _deep_in_lanes(widths, n) else
            zeros64((2, 1, 1, L), f32),                                     # H (ping-pong)
            zeros64((maxw, L), f64), zeros64((maxw, L), f64),               # BLO2, BHI2
            zeros64((maxw, L), f64),                                        # BERR2
            zeros64((L, n_params), f32) if widths.shape[0] > 3 else
            zeros64((1, 1), f32))                                           # PT


# ------------------------------------------------------------------------------ drawing
@njit(cache=True, _nrt=False, **_NOALIAS)
def _lane_streams(seed, t0, st, ga):
    for l in range(st.shape[0]):
        s, g = _rng.stream(seed, t0 + l)
        st[l] = s
        ga[l] = g


@njit(cache=True, _nrt=False, inline="always")
def _put_pair(NA, NB, i, l, pair):
    NA[i, l] = pair[0]
    NB[i, l] = pair[1]


@njit(cache=True, _nrt=False, error_model="numpy", fastmath={"contract"}, **_NOALIAS)
def _lane_normals(st, ga, npairs, NA, NB):
    """NA[i, l], NB[i, l] = normals 2i and 2i + 1 of lane l (:func:`._rng.normal_pair`).

    The only place normals are computed. FMA contraction only (no other fast-math): the
    polynomials run as FMA chains, 2.0 -> 1.65 ns per pair (before, as separate multiplies and
    adds); the deviates' bits depend on it, hence stream version 3. Eight pairs per pass over
    the lanes: one pair's chain of dependent multiplies, division and square root is long,
    and eight independent chains keep the core busy (1.68 -> 1.21 ns per pair; same bits)."""
    i = 0
    while i + 8 <= npairs:
        for l in range(st.shape[0]):
            s, g = st[l], ga[l]
            p0 = _rng.normal_pair(_rng.draw(s, g, i))
            p1 = _rng.normal_pair(_rng.draw(s, g, i + 1))
            p2 = _rng.normal_pair(_rng.draw(s, g, i + 2))
            p3 = _rng.normal_pair(_rng.draw(s, g, i + 3))
            p4 = _rng.normal_pair(_rng.draw(s, g, i + 4))
            p5 = _rng.normal_pair(_rng.draw(s, g, i + 5))
            p6 = _rng.normal_pair(_rng.draw(s, g, i + 6))
            p7 = _rng.normal_pair(_rng.draw(s, g, i + 7))
            _put_pair(NA, NB, i, l, p0)
            _put_pair(NA, NB, i + 1, l, p1)
            _put_pair(NA, NB, i + 2, l, p2)
            _put_pair(NA, NB, i + 3, l, p3)
            _put_pair(NA, NB, i + 4, l, p4)
            _put_pair(NA, NB, i + 5, l, p5)
            _put_pair(NA, NB, i + 6, l, p6)
            _put_pair(NA, NB, i + 7, l, p7)
        i += 8
    while i < npairs:
        for l in range(st.shape[0]):
            _put_pair(NA, NB, i, l, _rng.normal_pair(_rng.draw(st[l], ga[l], i)))
        i += 1


@njit(cache=True, _nrt=False, inline="always")
def _copy_normals(P, p, NA, NB, q, count, scale):
    """P[p + i] = scale * normal number q + i (float32 product), i < count."""
    for i in range(count):
        r = (q + i) >> 1
        src = NA if (q + i) & 1 == 0 else NB
        for l in range(P.shape[1]):
            P[p + i, l] = src[r, l] * scale


@njit(cache=True, _nrt=False, **_NOALIAS)
def _lane_params(widths, sampler, NA, NB, P):
    """Weights (and gaussian biases) from the normals, laid out as in :mod:`._kernels`."""
    p = 0
    q = 0
    for layer in range(widths.shape[0] - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        _copy_normals(P, p, NA, NB, q, k_out * k_in, normal_scale(k_in, sampler))
        p += k_out * k_in
        q += k_out * k_in
        if sampler == SAMPLER_GAUSSIAN:
            _copy_normals(P, p, NA, NB, q, k_out, _F(1.0))
            q += k_out
        p += k_out


# ------------------------------------------------------------------------------ first layer
@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_extents(P, k_in, k_out, lo0, hi0, e0, TMIN, TMAX, TMAG, TERR):
    """Per unit j and lane: [TMIN, TMAX] = range of w_j.x over the input box [lo0, hi0];
    TMAG = sum_k |w_jk| (M_k + e_k), TERR = sum_k |w_jk| e_k with M_k = max(|lo0_k|, |hi0_k|)
    (the quantities of :func:`._kernels._extents`)."""
    L = P.shape[1]
    for j in range(k_out):
        for l in range(L):
            TMIN[j, l] = 0.0
            TMAX[j, l] = 0.0
            TMAG[j, l] = 0.0
            TERR[j, l] = 0.0
    for k in range(k_in):
        a = lo0[k]
        c = hi0[k]
        e = e0[k]
        mk = max(abs(a), abs(c)) + e
        for j in range(k_out):
            q = j * k_in + k
            for l in range(L):
                w = float(P[q, l])
                wa = w * a
                wc = w * c
                TMIN[j, l] += min(wa, wc)
                TMAX[j, l] += max(wa, wc)
                TMAG[j, l] += abs(w) * mk
                TERR[j, l] += abs(w) * e


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_biases(P, pb, k_out, st, ga, TMIN, TMAX):
    """Data sampler: bias j of each lane from uniform number j, through a point of the box
    (:func:`._kernels._offset_bias`)."""
    for j in range(k_out):
        for l in range(P.shape[1]):
            P[pb + j, l] = _offset_bias(TMIN[j, l], TMAX[j, l], _rng.uniform(st[l], ga[l], j))


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_bounds(P, pb, k_out, g, TMIN, TMAX, TMAG, TERR, BLO, BHI, BERR):
    """Interval boxes [BLO, BHI] and rounding bounds BERR of the first hidden layer's units
    (mode _INTERVAL of :func:`._kernels._layer_bounds`; ``g`` = gamma_{k_in+1})."""
    for j in range(k_out):
        for l in range(P.shape[1]):
            b = float(P[pb + j, l])
            mag = TMAG[j, l] + abs(b)
            slack = _SLACK_BOX * mag
            BLO[j, l] = max(b + TMIN[j, l] - slack, 0.0)
            BHI[j, l] = max(b + TMAX[j, l] + slack, 0.0)
            BERR[j, l] = (g * mag + TERR[j, l]) * _SLACK_E


@njit(cache=True, _nrt=False)
def _lane_fused_boxes(P, m, k_out, lo0, hi0, e0, BHI, BERR):
    """:func:`._kernels.fused_box` of every first-hidden-layer unit (m <= 2 inputs with
    box [lo0, hi0] and bounds e0) and lane, on BHI/BERR: for the per-network pass, whose
    fused first two layers sum some units as affine functions."""
    r1 = min(1, m - 1)
    pb = k_out * m
    xmax = max(abs(lo0[0]), abs(hi0[0])) + e0[0]
    ymax = max(abs(lo0[r1]), abs(hi0[r1])) + e0[r1]
    for j in range(k_out):
        for l in range(P.shape[1]):
            a = float(P[j * m, l])
            s = float(P[j * m + r1, l]) if m > 1 else 0.0
            BHI[j, l], BERR[j, l] = fused_box(a, s, float(P[pb + j, l]), xmax, ymax, e0[0],
                                              e0[r1], BHI[j, l], BERR[j, l])


# ------------------------------------------------------------------------------ forward
@njit(cache=True, _nrt=False)
def _lane_zero(A):
    """A[:, :] = 0 (float32, 2-D)."""
    for i in range(A.shape[0]):
        for l in range(A.shape[1]):
            A[i, l] = _F(0.0)


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _add_unit(o, v, c, a, s, x, y, zero):
    """o + v ReLU(c + a x + s y) (one hidden unit's term of the output at one point)."""
    z = c + a * x + s * y
    return o + v * (z if z > zero else zero)


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_hidden_2(P, k_in, k_hid, XP, OUT):
    """One hidden layer, k_in <= 2 inputs: OUT[i] = sum_j v_j ReLU(b_j + w_j.x_i) (a missing
    second input is an exact zero row of XP), summed in the order j = 0, 1, ...

    Units go four at a time over two points per pass: the 16 parameter vectors of a lane
    chunk are loaded once for two points (one unit and one point per pass was bound by the
    loads: 1.5x slower at n = 64 and 256)."""
    n = OUT.shape[0]
    L = OUT.shape[1]
    pb = k_hid * k_in
    pv = pb + k_hid
    r1 = min(1, k_in - 1)
    zero = _F(0.0)
    j = 0
    while j < k_hid:
        first = j == 0
        g = 4 if j + 4 <= k_hid else 1
        q0 = j * k_in
        q1 = q0 + k_in if g == 4 else q0
        q2 = q1 + k_in if g == 4 else q0
        q3 = q2 + k_in if g == 4 else q0
        i = 0
        while g == 4 and i + 2 <= n:
            x0 = XP[0, i]
            y0 = XP[1, i]
            x1 = XP[0, i + 1]
            y1 = XP[1, i + 1]
            for l in range(L):
                a0, a1, a2, a3 = P[q0, l], P[q1, l], P[q2, l], P[q3, l]
                s0, s1, s2, s3 = P[q0 + r1, l], P[q1 + r1, l], P[q2 + r1, l], P[q3 + r1, l]
                c0, c1, c2, c3 = P[pb + j, l], P[pb + j + 1, l], P[pb + j + 2, l], P[pb + j + 3, l]
                v0, v1, v2, v3 = P[pv + j, l], P[pv + j + 1, l], P[pv + j + 2, l], P[pv + j + 3, l]
                o = zero if first else OUT[i, l]
                o = _add_unit(o, v0, c0, a0, s0, x0, y0, zero)
                o = _add_unit(o, v1, c1, a1, s1, x0, y0, zero)
                o = _add_unit(o, v2, c2, a2, s2, x0, y0, zero)
                OUT[i, l] = _add_unit(o, v3, c3, a3, s3, x0, y0, zero)
                o = zero if first else OUT[i + 1, l]
                o = _add_unit(o, v0, c0, a0, s0, x1, y1, zero)
                o = _add_unit(o, v1, c1, a1, s1, x1, y1, zero)
                o = _add_unit(o, v2, c2, a2, s2, x1, y1, zero)
                OUT[i + 1, l] = _add_unit(o, v3, c3, a3, s3, x1, y1, zero)
            i += 2
        while i < n:   # the last point of a group of four; every point of a single unit
            x0 = XP[0, i]
            y0 = XP[1, i]
            for l in range(L):
                o = zero if first else OUT[i, l]
                for u in range(g):
                    q = q0 + u * k_in
                    o = _add_unit(o, P[pv + j + u, l], P[pb + j + u, l], P[q, l], P[q + r1, l],
                                  x0, y0, zero)
                OUT[i, l] = o
            i += 1
        j += g


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_affine(P, pw, k_in, X, Z, bias_row):
    """Z[i] = b + sum_k w_k X[k, i] with w = P[pw:pw+k_in] and b = P[bias_row] (b = 0 when
    ``bias_row`` < 0)."""
    n = Z.shape[0]
    L = Z.shape[1]
    for i in range(n):
        for l in range(L):
            Z[i, l] = P[bias_row, l] if bias_row >= 0 else _F(0.0)
    for k in range(k_in):
        for i in range(n):
            x = X[k, i]
            for l in range(L):
                Z[i, l] += P[pw + k, l] * x


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_hidden_general(P, k_in, k_hid, X, Z, OUT):
    """One hidden layer, any number of inputs (through Z, one unit at a time)."""
    n = OUT.shape[0]
    L = OUT.shape[1]
    pb = k_hid * k_in
    pv = pb + k_hid
    zero = _F(0.0)
    _lane_zero(OUT)
    for j in range(k_hid):
        _lane_affine(P, j * k_in, k_in, X, Z, pb + j)
        for i in range(n):
            for l in range(L):
                z = Z[i, l]
                OUT[i, l] += P[pv + j, l] * (z if z > zero else zero)


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_out_extents(P, pw, k_hid, BLO, BHI, BERR, OMAG, OERR):
    """OMAG = sum_j |v_j| (M_j + e_j), OERR = sum_j |v_j| e_j for the output unit of a
    one-hidden-layer network (M_j = max(|BLO_j|, |BHI_j|))."""
    L = P.shape[1]
    for l in range(L):
        OMAG[l] = 0.0
        OERR[l] = 0.0
    for j in range(k_hid):
        for l in range(L):
            v = abs(float(P[pw + j, l]))
            e = BERR[j, l]
            OMAG[l] += v * (max(abs(BLO[j, l]), abs(BHI[j, l])) + e)
            OERR[l] += v * e


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _min8(a0, a1, a2, a3, a4, a5, a6, a7):
    return min(min(min(a0, a1), min(a2, a3)), min(min(a4, a5), min(a6, a7)))


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _max8(a0, a1, a2, a3, a4, a5, a6, a7):
    return max(max(max(a0, a1), max(a2, a3)), max(max(a4, a5), max(a6, a7)))


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_range(OUT, OMIN, OMAX):
    """Per lane min and max of OUT over the points, eight points per pass (one point per
    pass made every pass wait for the previous one's store of OMIN/OMAX: 2x slower)."""
    n = OUT.shape[0]
    L = OUT.shape[1]
    for l in range(L):
        OMIN[l] = OUT[0, l]
        OMAX[l] = OUT[0, l]
    i = 0
    while i + 8 <= n:
        for l in range(L):
            a0, a1, a2, a3 = OUT[i, l], OUT[i + 1, l], OUT[i + 2, l], OUT[i + 3, l]
            a4, a5, a6, a7 = OUT[i + 4, l], OUT[i + 5, l], OUT[i + 6, l], OUT[i + 7, l]
            OMIN[l] = min(OMIN[l], _min8(a0, a1, a2, a3, a4, a5, a6, a7))
            OMAX[l] = max(OMAX[l], _max8(a0, a1, a2, a3, a4, a5, a6, a7))
        i += 8
    while i < n:
        for l in range(L):
            OMIN[l] = min(OMIN[l], OUT[i, l])
            OMAX[l] = max(OMAX[l], OUT[i, l])
        i += 1


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_output_bias(P, pc, ku, st, ga, OMIN, OMAX):
    """Data sampler: the output bias from the range of the output (uniform number ``ku``)."""
    for l in range(P.shape[1]):
        P[pc, l] = _offset_bias(float(OMIN[l]), float(OMAX[l]), _rng.uniform(st[l], ga[l], ku))


@njit(cache=True, _nrt=False, inline="always")
def _bit(o, zero, shift):
    return np.int32(o > zero) << shift


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_finish(P, pc, OUT, MINABS, KW):
    """With the output bias b: MINABS = min_i |OUT[i] + b| and KW = the bit-packed pattern (bit
    i of word i // 64 is OUT[i] + b > 0). OUT itself is left without the bias.

    Eight points per pass, their bits gathered in 32-bit lanes before one 64-bit OR (one point
    per pass waited on the previous pass's stores of MINABS and KW: 2.3x slower at n = 256)."""
    L = OUT.shape[1]
    n = OUT.shape[0]
    zero = _F(0.0)
    for l in range(L):
        MINABS[l] = np.inf
    for wd in range(KW.shape[0]):
        for l in range(L):
            KW[wd, l] = 0
    i = 0
    while i + 8 <= n:
        wd = i >> 6
        sh = _U(i & 63)
        for l in range(L):
            b = P[pc, l]
            o0, o1, o2, o3 = OUT[i, l] + b, OUT[i + 1, l] + b, OUT[i + 2, l] + b, OUT[i + 3, l] + b
            o4, o5, o6, o7 = (OUT[i + 4, l] + b, OUT[i + 5, l] + b, OUT[i + 6, l] + b,
                              OUT[i + 7, l] + b)
            MINABS[l] = min(MINABS[l], _min8(abs(o0), abs(o1), abs(o2), abs(o3), abs(o4),
                                             abs(o5), abs(o6), abs(o7)))
            bits = (_bit(o0, zero, 0) | _bit(o1, zero, 1) | _bit(o2, zero, 2) | _bit(o3, zero, 3)
                    | _bit(o4, zero, 4) | _bit(o5, zero, 5) | _bit(o6, zero, 6)
                    | _bit(o7, zero, 7))
            KW[wd, l] |= _U(bits) << sh
        i += 8
    while i < n:
        wd = i >> 6
        sh = _U(i & 63)
        for l in range(L):
            o = OUT[i, l] + P[pc, l]
            MINABS[l] = min(MINABS[l], abs(o))
            KW[wd, l] |= _U(o > zero) << sh
        i += 1


@njit(cache=True, _nrt=False, **_NOALIAS)
def _lane_canonical(KW, FLIP, masks):
    """Complement the patterns whose bit 0 is set (canonical form: bit 0 clear)."""
    L = KW.shape[1]
    for l in range(L):
        FLIP[l] = _U(0) - (KW[0, l] & _U(1))
    for wd in range(KW.shape[0]):
        m = masks[wd]
        for l in range(L):
            KW[wd, l] ^= FLIP[l] & m


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _relu_unit(c, a, s, x, y, zero):
    """ReLU(c + a x + s y), summed in that order."""
    z = c + a * x + s * y
    return z if z > zero else zero


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_layer1(P, k_in, k_out, XP, X, Z, H):
    """First hidden layer of a deeper network: H[j, i] = ReLU(b_j + w_j.x_i).

    With k_in <= 2 inputs, four units over two points per pass (the 12 parameter vectors of
    a lane chunk loaded once for eight values; one unit and one point per pass was bound by
    its loads: measured 82 -> 45 ns per network at n = 64, 16 units)."""
    n = Z.shape[0]
    L = Z.shape[1]
    pb = k_out * k_in
    zero = _F(0.0)
    r1 = min(1, k_in - 1)
    j = 0
    while k_in <= 2 and j + 4 <= k_out:
        q0 = j * k_in
        q1 = q0 + k_in
        q2 = q1 + k_in
        q3 = q2 + k_in
        i = 0
        while i + 2 <= n:
            x0, y0, x1, y1 = XP[0, i], XP[1, i], XP[0, i + 1], XP[1, i + 1]
            for l in range(L):
                c0, c1, c2, c3 = P[pb + j, l], P[pb + j + 1, l], P[pb + j + 2, l], P[pb + j + 3, l]
                a0, a1, a2, a3 = P[q0, l], P[q1, l], P[q2, l], P[q3, l]
                s0, s1, s2, s3 = P[q0 + r1, l], P[q1 + r1, l], P[q2 + r1, l], P[q3 + r1, l]
                H[j, i, l] = _relu_unit(c0, a0, s0, x0, y0, zero)
                H[j + 1, i, l] = _relu_unit(c1, a1, s1, x0, y0, zero)
                H[j + 2, i, l] = _relu_unit(c2, a2, s2, x0, y0, zero)
                H[j + 3, i, l] = _relu_unit(c3, a3, s3, x0, y0, zero)
                H[j, i + 1, l] = _relu_unit(c0, a0, s0, x1, y1, zero)
                H[j + 1, i + 1, l] = _relu_unit(c1, a1, s1, x1, y1, zero)
                H[j + 2, i + 1, l] = _relu_unit(c2, a2, s2, x1, y1, zero)
                H[j + 3, i + 1, l] = _relu_unit(c3, a3, s3, x1, y1, zero)
            i += 2
        if i < n:   # the last point of an odd count
            for u in range(j, j + 4):
                q = u * k_in
                for l in range(L):
                    H[u, i, l] = _relu_unit(P[pb + u, l], P[q, l], P[q + r1, l], XP[0, i],
                                            XP[1, i], zero)
        j += 4
    while j < k_out:   # the last few units; every unit when k_in > 2
        q0 = j * k_in
        if k_in <= 2:
            for i in range(n):
                x0 = XP[0, i]
                x1 = XP[1, i]
                for l in range(L):
                    H[j, i, l] = _relu_unit(P[pb + j, l], P[q0, l], P[q0 + r1, l], x0, x1, zero)
        else:
            _lane_affine(P, q0, k_in, X, Z, pb + j)
            for i in range(n):
                for l in range(L):
                    z = Z[i, l]
                    H[j, i, l] = z if z > zero else zero
        j += 1


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _mag_err4(P, q, k, l, MK, BERR, t, r):
    """(t + sum |w_i| MK_i, r + sum |w_i| BERR_i) over inputs i = k .. k + 3 of the unit
    with weights at P[q:], added in input order."""
    w = abs(float(P[q + k, l]))
    t += w * MK[k, l]
    r += w * BERR[k, l]
    w = abs(float(P[q + k + 1, l]))
    t += w * MK[k + 1, l]
    r += w * BERR[k + 1, l]
    w = abs(float(P[q + k + 2, l]))
    t += w * MK[k + 2, l]
    r += w * BERR[k + 2, l]
    w = abs(float(P[q + k + 3, l]))
    t += w * MK[k + 3, l]
    r += w * BERR[k + 3, l]
    return t, r


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_box_extents(P, p, k_in, k_out, BLO, BHI, BERR, TMAG, TERR, MK):
    """TMAG = sum_k |w_jk| (M_k + e_k), TERR = sum_k |w_jk| e_k over a layer's inputs with
    boxes [BLO, BHI] and bounds BERR (M_k = max(|BLO_k|, |BHI_k|)), each summed in input
    order; MK (inputs, lanes) is scratch.

    M_k + e_k is computed once per input; then two units and four inputs per pass, the four
    running sums kept in registers across the four inputs (one unit and one input per pass
    loaded and stored both sums for every product: 66 -> 42 ns per network for a 16 x 16
    layer). Compiled ``noalias`` (the arrays never overlap)."""
    L = P.shape[1]
    for k in range(k_in):
        for l in range(L):
            MK[k, l] = max(abs(BLO[k, l]), abs(BHI[k, l])) + BERR[k, l]
    for j in range(k_out):
        for l in range(L):
            TMAG[j, l] = 0.0
            TERR[j, l] = 0.0
    kq = k_in - k_in % 4
    j = 0
    while j + 2 <= k_out:
        q0 = p + j * k_in
        q1 = q0 + k_in
        for k in range(0, kq, 4):
            for l in range(L):
                t0, r0 = _mag_err4(P, q0, k, l, MK, BERR, TMAG[j, l], TERR[j, l])
                t1, r1 = _mag_err4(P, q1, k, l, MK, BERR, TMAG[j + 1, l], TERR[j + 1, l])
                TMAG[j, l] = t0
                TERR[j, l] = r0
                TMAG[j + 1, l] = t1
                TERR[j + 1, l] = r1
        j += 2
    for u in range(k_out):   # what the passes left: inputs past the last four, an odd unit
        for k in range(kq if u < j else 0, k_in):
            q = p + u * k_in + k
            for l in range(L):
                w = abs(float(P[q, l]))
                TMAG[u, l] += w * MK[k, l]
                TERR[u, l] += w * BERR[k, l]


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_dot(P, q, k_in, H, Z):
    """Z[i] = sum_k w_k H[k, i] with w = P[q:q+k_in], as the FMA chain of
    :func:`._simd.lane_dot4` (w_0 h_0, then ``+=`` products, which FMA contraction
    fuses): one unit, for the units of a layer beyond a multiple of four."""
    n = Z.shape[0]
    L = Z.shape[1]
    for i in range(n):
        for l in range(L):
            Z[i, l] = P[q, l] * H[0, i, l]
    for k in range(1, k_in):
        for i in range(n):
            for l in range(L):
                Z[i, l] += P[q + k, l] * H[k, i, l]


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_unit_bounds(P, pb, j, ku, sampler, st, ga, g, OMIN, OMAX, TMAG, TERR, BLO, BHI, BERR):
    """A later layer's unit j from the range [OMIN, OMAX] of its computed w.x: the data
    sampler's bias (uniform number ``ku + j``), then its bound and box (mode _RANGES of
    :func:`._kernels._layer_bounds`)."""
    for l in range(P.shape[1]):
        zmin = float(OMIN[l])
        zmax = float(OMAX[l])
        if sampler == SAMPLER_DATA:
            P[pb + j, l] = _offset_bias(zmin, zmax, _rng.uniform(st[l], ga[l], ku + j))
        b = float(P[pb + j, l])
        e = (g * (TMAG[j, l] + abs(b)) + TERR[j, l]) * _SLACK_E
        zlo = zmin + b
        zhi = zmax + b
        BLO[j, l] = max(zlo - 1e-6 * abs(zlo) - e, 0.0)
        BHI[j, l] = max(zhi + 1e-6 * abs(zhi), 0.0) + e
        BERR[j, l] = e


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_relu_into(P, pb, j, Z, H, OUT, pv):
    """h = ReLU(Z + b_j) into H[j] or, when ``pv`` >= 0 (last hidden layer), OUT += v_j h."""
    zero = _F(0.0)
    if pv >= 0:
        for i in range(Z.shape[0]):
            for l in range(Z.shape[1]):
                z = Z[i, l] + P[pb + j, l]
                OUT[i, l] += P[pv + j, l] * (z if z > zero else zero)
    else:
        for i in range(Z.shape[0]):
            for l in range(Z.shape[1]):
                z = Z[i, l] + P[pb + j, l]
                H[j, i, l] = z if z > zero else zero


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _add_relu(o, v, z, b, zero):
    """o + v ReLU(z + b)."""
    h = z + b
    return o + v * (h if h > zero else zero)


@njit(cache=True, _nrt=False, fastmath=_FM, inline="always")
def _add_relu4(o, Z0, Z1, Z2, Z3, i, l, v0, v1, v2, v3, b0, b1, b2, b3, zero):
    """o + sum_u v_u ReLU(Z_u[i, l] + b_u), added in the order u = 0, 1, 2, 3."""
    o = _add_relu(o, v0, Z0[i, l], b0, zero)
    o = _add_relu(o, v1, Z1[i, l], b1, zero)
    o = _add_relu(o, v2, Z2[i, l], b2, zero)
    return _add_relu(o, v3, Z3[i, l], b3, zero)


@njit(cache=True, _nrt=False, fastmath=_FM, **_NOALIAS)
def _lane_relu4_out(P, pb, pv, j, Z0, Z1, Z2, Z3, OUT):
    """Last hidden layer, units j .. j + 3: OUT += v_u ReLU(Z_u + b_u) in the order u = j, j+1,
    ... (one pass over OUT instead of four; same bits as four :func:`_lane_relu_into`). Four
    points per pass, so that the eight parameter vectors of a lane chunk are loaded once for
    four points (measured 107 -> 70 ns per network at n = 64, 16 units)."""
    zero = _F(0.0)
    n = OUT.shape[0]
    i = 0
    while i + 4 <= n:
        for l in range(OUT.shape[1]):
            v0, v1, v2, v3 = P[pv + j, l], P[pv + j + 1, l], P[pv + j + 2, l], P[pv + j + 3, l]
            b0, b1, b2, b3 = P[pb + j, l], P[pb + j + 1, l], P[pb + j + 2, l], P[pb + j + 3, l]
            o0 = _add_relu4(OUT[i, l], Z0, Z1, Z2, Z3, i, l, v0, v1, v2, v3, b0, b1, b2, b3,
                            zero)
            o1 = _add_relu4(OUT[i + 1, l], Z0, Z1, Z2, Z3, i + 1, l, v0, v1, v2, v3, b0, b1,
                            b2, b3, zero)
            o2 = _add_relu4(OUT[i + 2, l], Z0, Z1, Z2, Z3, i + 2, l, v0, v1, v2, v3, b0, b1,
                            b2, b3, zero)
            o3 = _add_relu4(OUT[i + 3, l], Z0, Z1, Z2, Z3, i + 3, l, v0, v1, v2, v3, b0, b1,
                            b2, b3, zero)
            OUT[i, l] = o0
            OUT[i + 1, l] = o1
            OUT[i + 2, l] = o2
            OUT[i + 3, l] = o3
        i += 4
    while i < n:
        for l in range(OUT.shape[1]):
            OUT[i, l] = _add_relu4(OUT[i, l], Z0, Z1, Z2, Z3, i, l, P[pv + j, l],
                                   P[pv + j + 1, l], P[pv + j + 2, l], P[pv + j + 3, l],
                                   P[pb + j, l], P[pb + j + 1, l], P[pb + j + 2, l],
                                   P[pb + j + 3, l], zero)
        i += 1


@njit(cache=True, _nrt=False)
def _lane_deep(X32, widths, sampler, st, ga, P, XP, Z, OUT, OMIN, OMAX, TMAG, TERR, BLO, BHI,
               BERR, BLO2, BHI2, BERR2, H, MK, u):
    """Hidden layers 1, 2, ... of a network with two or more hidden layers, in lanes: on
    return OUT holds the output's weighted sum (no bias) and (BLO, BHI, BERR) the last hidden
    layer's boxes and bounds. Random numbers and bounds as in :func:`._kernels._forward`
    (the data sampler's uniforms continue after the first layer's). MK (lanes,) is scratch."""
    n_layers = widths.shape[0] - 1
    m = widths[0]
    k1 = widths[1]
    _lane_layer1(P, m, k1, XP, X32, Z[0], H[0])
    _lane_zero(OUT)
    p = k1 * (m + 1)
    ku = k1
    src = 0
    for layer in range(1, n_layers - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        pb = p + k_out * k_in
        last = layer == n_layers - 2
        pv = pb + k_out if last else -1
        _lane_box_extents(P, p, k_in, k_out, BLO, BHI, BERR, TMAG, TERR, MK)
        g = _gamma(k_in + 1, u)
        j = 0
        while j < k_out:   # four units at a time (the last few one by one)
            four = j + 4 <= k_out
            if four:
                lane_dot4(P, p + j * k_in, k_in, H[src], Z[0], Z[1], Z[2], Z[3])
            else:
                _lane_dot(P, p + j * k_in, k_in, H[src], Z[0])
            for u in range(4 if four else 1):
                _lane_range(Z[u], OMIN, OMAX)
                _lane_unit_bounds(P, pb, j + u, ku, sampler, st, ga, g, OMIN, OMAX, TMAG, TERR,
                                  BLO2, BHI2, BERR2)
                if not (last and four):
                    _lane_relu_into(P, pb, j + u, Z[u], H[1 - src], OUT, pv)
            if last and four:
                _lane_relu4_out(P, pb, pv, j, Z[0], Z[1], Z[2], Z[3], OUT)
            j += 4 if four else 1
        if sampler == SAMPLER_DATA:
            ku += k_out
        for j in range(k_out):   # the new boxes become the inputs' boxes
            for l in range(P.shape[1]):
                BLO[j, l] = BLO2[j, l]
                BHI[j, l] = BHI2[j, l]
                BERR[j, l] = BERR2[j, l]
        src = 1 - src
        p += k_out * (k_in + 1)
    return ku


# ------------------------------------------------------------------------------ block
@njit(cache=True, _nrt=False)
def _per_network(lo0, hi0, e32, e64, widths, sampler, st, ga, NA, NB, P, PT, TMAG, TERR, nl,
                 ws, keys, status, r0):
    """Finish lanes 0 .. nl - 1 one network at a time (:func:`._kernels.finish32`),
    given the second hidden layer's bound sums (TMAG, TERR; :func:`_lane_box_extents` of the
    first layer's boxes, the only use the pass had for those boxes).

    The parameters are first transposed into PT (network, parameter), so that each network
    copies a contiguous row: gathering a column of P inside the loop missed the cache on
    nearly every parameter (the forward pass in between evicts P)."""
    tmp = ws[6]
    params = ws[0][1]
    transpose(P, PT)
    for l in range(nl):
        for i in range(params.shape[0]):
            params[i] = PT[l, i]
        for j in range(widths[2]):
            tmp[2, j] = TMAG[j, l]
            tmp[3, j] = TERR[j, l]
        r = r0 + l
        ok, e_out = finish32(lo0, hi0, e32, widths, sampler, st[l], ga[l], ws, keys[r])
        repaired = not ok and repair32(widths, ws, e_out, e64, keys[r])
        ws[15][0] = repaired   # for network_record
        if ok:
            status[r] = 0
        elif repaired:
            status[r] = 1
        else:
            status[r] = _fallback64(lo0, hi0, e64, widths, sampler, st, ga, NA, NB, l, ws,
                                    keys[r])


@njit(cache=True, _nrt=False)
def _fallback64(lo0, hi0, e64, widths, sampler, st, ga, NA, NB, l, ws, key):
    """Network of lane ``l`` in float64 (:func:`._kernels.network64`); its status."""
    nbuf = ws[5]
    for i in range(nbuf.shape[0] // 2):
        nbuf[2 * i] = NA[i, l]
        nbuf[2 * i + 1] = NB[i, l]
    return network64(lo0, hi0, e64, widths, sampler, st[l], ga[l], ws, key)


@njit(cache=True, _nrt=False)
def _block(X32, lo0, hi0, e32, e64, widths, sampler, seed, t0, nl, lw, ws, keys, status, r0):
    """Networks t0 .. t0 + nl - 1 (nl <= the workspace's lanes) into ``keys``/``status`` rows
    r0 .. r0 + nl - 1 (status 0 certified in float32, 1 certified in float64, 2 rejected: row
    empty)."""
    (st, ga, NA, NB, P, TMIN, TMAX, TMAG, TERR, BLO, BHI, BERR, OUT, Z, OMIN, OMAX, MINABS,
     OMAG, OERR, KW, FLIP, XP, masks, H, BLO2, BHI2, BERR2, PT) = lw
    n_layers = widths.shape[0] - 1
    m = widths[0]
    k1 = widths[1]
    u = 2.0 ** -24
    _lane_streams(seed, t0, st, ga)
    total = 0
    for layer in range(n_layers):
        total += widths[layer + 1] * (widths[layer] + (sampler == SAMPLER_GAUSSIAN))
    _lane_normals(st, ga, (total + 1) // 2, NA, NB)
    _lane_params(widths, sampler, NA, NB, P)
    pc = P.shape[0] - 1   # the output bias
    pb = k1 * m           # the first hidden layer's biases
    if n_layers == 1:     # single neuron
        _lane_affine(P, 0, m, X32, OUT, -1)
        _lane_extents(P, m, 1, lo0, hi0, e32, TMIN, TMAX, TMAG, TERR)
        for l in range(P.shape[1]):
            OMAG[l] = TMAG[0, l]
            OERR[l] = TERR[0, l]
    else:
        _lane_extents(P, m, k1, lo0, hi0, e32, TMIN, TMAX, TMAG, TERR)
        if sampler == SAMPLER_DATA:
            _lane_biases(P, pb, k1, st, ga, TMIN, TMAX)
        _lane_bounds(P, pb, k1, _gamma(m + 1, u), TMIN, TMAX, TMAG, TERR, BLO, BHI, BERR)
    k_last = widths[n_layers - 1]
    ku = k1 if n_layers == 2 else 0
    if n_layers == 2:
        if m <= 2:
            _lane_hidden_2(P, m, k1, XP, OUT)
        else:
            _lane_hidden_general(P, m, k1, X32, Z[0], OUT)
    elif n_layers > 2 and H.shape[2] == OUT.shape[0]:
        ku = _lane_deep(X32, widths, sampler, st, ga, P, XP, Z, OUT, OMIN, OMAX, TMAG, TERR,
                        BLO, BHI, BERR, BLO2, BHI2, BERR2, H, TMIN, u)   # TMIN: free now
    elif n_layers > 2:   # deeper networks on many points: network by network, lane-drawn weights
        # (the second layer's bound sums here: 16 x 16 weights cost about 0.13 us per network
        # in the per-network pass, about 0.04 us in lanes; TMIN is free now)
        if m <= 2:   # fused first two layers (._kernels._forward)
            _lane_fused_boxes(P, m, k1, lo0, hi0, e32, BHI, BERR)
        _lane_box_extents(P, k1 * (m + 1), k1, widths[2], BLO, BHI, BERR, TMAG, TERR, TMIN)
        _per_network(lo0, hi0, e32, e64, widths, sampler, st, ga, NA, NB, P, PT, TMAG, TERR, nl,
                     ws, keys, status, r0)
        return
    if n_layers >= 2:
        _lane_out_extents(P, pc - k_last, k_last, BLO, BHI, BERR, OMAG, OERR)
    if sampler == SAMPLER_DATA:
        _lane_range(OUT, OMIN, OMAX)
        _lane_output_bias(P, pc, ku, st, ga, OMIN, OMAX)
    _lane_finish(P, pc, OUT, MINABS, KW)
    _lane_canonical(KW, FLIP, masks)
    g = _gamma(k_last + 1, u)
    for l in range(nl):
        e_out = (g * (abs(float(P[pc, l])) + OMAG[l]) + OERR[l]) * _SLACK_E
        r = r0 + l
        if float(MINABS[l]) > e_out:
            status[r] = 0
            for wd in range(KW.shape[0]):
                keys[r, wd] = KW[wd, l]
        else:
            status[r] = _fallback64(lo0, hi0, e64, widths, sampler, st, ga, NA, NB, l, ws,
                                    keys[r])


@njit(cache=True, nogil=True)
def _generate_range(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, start, stop, keys,
                    status, order):
    # the work arrays are made here, not passed in: with them passed from Python the lane
    # pass ran about 12% slower (n = 64, [2, 16, 16, 1]: 1.0 against 0.89 us per network)
    lw = lane_workspace(X32, widths)
    ws = workspace(X32, X64, widths, order)
    lanes = lw[0].shape[0]
    r = start
    while r < stop:
        nl = min(lanes, stop - r)
        _block(X32, lo0, hi0, e32, e64, widths, sampler, seed, t0 + r, nl, lw, ws, keys,
               status, r)
        r += nl


@njit(cache=True, parallel=True, nogil=True)
def _generate_parallel(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, count, keys,
                       status, threads, order):
    per = (count + threads - 1) // threads
    for c in prange(threads):
        _generate_range(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, c * per,
                        min(count, (c + 1) * per), keys, status, order)


def generate(data, widths, sampler, seed, t0, count, keys, status, threads=1, order=None):
    """Canonical patterns of networks ``t0 .. t0 + count - 1`` into ``keys[:count]``.

    ``data`` is ``(X32, X64, lo0, hi0, e32, e64)`` (points as (m, n) arrays, their bounding box,
    input error bounds). ``status[t]``: 0 certified in float32, 1 certified in float64,
    2 rejected (row empty). The result does not depend on ``threads``. ``order``: the points'
    :func:`._kernels.tile_order`, computed here when not given (a run of many batches
    computes it once: about 45 us at n = 256).
    """
    seed = np.uint64(seed)  # one compiled signature for every seed in [0, 2^64)
    t0 = np.int64(t0)
    if order is None:
        order = tile_order(data[1])
    if threads <= 1 or count < 2 * threads * LANES:
        _generate_range(*data, widths, sampler, seed, t0, 0, count, keys, status, order)
    else:
        _generate_parallel(*data, widths, sampler, seed, t0, count, keys, status, threads,
                           order)


@njit(cache=True)
def _record(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t):
    lw = lane_workspace(X32, widths)
    ws = workspace(X32, X64, widths, tile_order(X64))
    keys = np.zeros((1, (X32.shape[1] + 63) // 64), np.uint64)
    status = np.zeros(1, np.int8)
    _block(X32, lo0, hi0, e32, e64, widths, sampler, seed, t, 1, lw, ws, keys, status, 0)
    if status[0] == 0 and (widths.shape[0] <= 3 or _deep_in_lanes(widths, X32.shape[1])):
        P, OUT = lw[4], lw[12]
        out = OUT[:, 0] + P[P.shape[0] - 1, 0]   # float32: the sums _lane_finish compared
        return status[0], P[:, 0].astype(np.float64), out.astype(np.float64), keys[0]
    pos = ws[9]   # the per-network pass holds the points in tile order
    if status[0] == 0 or ws[15][0]:   # float32 pass (with points redone in float64)
        B, params = ws[0][0], ws[0][1]
        return status[0], params.astype(np.float64), B[3, 4][pos].astype(np.float64), keys[0]
    B, params = ws[1][0], ws[1][1]
    return status[0], params.copy(), B[3, 4][pos].copy(), keys[0]


def network_record(data, widths, sampler, seed, t):
    """Network ``t`` exactly as :func:`generate` draws and evaluates it.

    Returns ``(status, layers, outputs, key)``: ``layers`` is a list of ``(W, b)`` float64
    arrays (the values used by the pass that decided, float32 or float64), ``outputs`` the
    computed outputs, ``key`` the canonical pattern.
    """
    status, flat, outputs, key = _record(*data, widths, sampler, np.uint64(seed), np.int64(t))
    return status, unflatten(widths, flat), outputs, key
