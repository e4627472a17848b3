"""Per-network core of the Monte Carlo enumerator (internal; see :mod:`vcbound.enumerate`).

Importing this module imports numba; nothing is compiled until a kernel is first called, and the
compiled code is cached on disk (``cache=True``), so later processes load it instead of compiling.
The hot loop evaluates 64 networks at once, one per SIMD lane (:mod:`._lanes`); this
module holds the per-network forward pass it falls back on (float64 passes; deeper networks on
large point sets), the rounding certificate, the pattern packing and the hash set. Random numbers:
:mod:`._rng` (network ``t`` draws only from the stream of ``(seed, t)``).

Networks
--------
Widths ``[m, k_1, ..., k_L, 1]``: ReLU hidden units and a linear output unit; the pattern bit of a
point is 1 iff the output is > 0. Parameters are stored layer by layer, each layer as its weight
matrix ``W`` (k_out, k_in) row by row followed by its bias vector ``b`` (k_out). Layer inputs are
stored points-innermost (arrays ``(k, n)``), so the loops over points vectorise. The per-network
pass holds the points in Z order (:func:`tile_order`), so that chunks of consecutive points are
compact tiles of the data, on which many ReLU units are zero throughout (their products are
skipped, :func:`._simd.chunk_products`; with at most two coordinates the first layer is
not stored but computed inside the second layer's products, on the units its chunk's box does
not rule out, :func:`._simd.first_products`); :func:`_pack` puts the bits back in the
points' order.

Rounding certificate (derived here, from Higham's bound)
--------------------------------------------------------
The forward pass runs in float32. Alongside it we propagate, per unit, a bound ``e`` on
``|computed - exact|`` over all points, where "exact" is the real-arithmetic output of the same
network (with the float32 weights actually used) on the exact points (the float64 inputs are
taken as correctly rounded reals, e.g. i/K). For a unit whose inputs have exact values in a box
with |x_k| <= M_k and computed values off by at most ``e_k`` (so computed |x_k| <= M_k + e_k),
the dot-product bound (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
eq. (3.5); valid for any summation order and with FMA contraction) gives

    e_unit <= gamma_{k_in+1} (sum_k |w_k| (M_k + e_k) + |b|) + sum_k |w_k| e_k,
    gamma_j = j u / (1 - j u),

and ReLU does not increase errors (it is exact and 1-Lipschitz). The boxes come from interval
arithmetic (first layer) or from the computed ranges widened by ``e`` (later layers). Where the
first two layers are fused, the second sums the first-layer units that are positive on a whole
chunk of points as one affine function of the points (:func:`._simd.first_products`): its
terms pass through up to three more roundings (``FUSED_ROUNDINGS``) and are bounded through
|a||x_0| + |s||x_1| + |c| and the points' own errors (:func:`fused_box`). A pattern
is kept only when every output satisfies ``|output| > e_out`` (then every computed sign is the
exact sign, and no output is 0); otherwise the network is recomputed in float64 (u = 2^-53)
and dropped (counted as rejected) if still ambiguous. The per-network pass first redoes only
the uncertified points in float64, with the same parameters and a bound per point
(:func:`repair32`), and recomputes the network only if that fails. Every stored pattern is
thus realized exactly by a concrete network, so the count is a certified lower bound.
"""

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from . import _rng
from ._compile import NOALIAS as _NOALIAS, njit
from ._simd import (VECTOR, chunk_lists, chunk_products, first_masks, first_products, pext,
                    positive_bits, tail_products)

__all__ = ["SAMPLER_GAUSSIAN", "SAMPLER_DATA", "DATA_MARGIN", "EMPTY_WORD", "FUSED_ROUNDINGS",
           "fused_box", "workspace", "network64", "finish32", "repair32", "normal_scale",
           "unflatten", "new_table", "insert", "insert_new", "table_keys"]

SAMPLER_GAUSSIAN = 0
SAMPLER_DATA = 1

#: Margin of the data sampler: a unit's offset is drawn uniformly over the range of its inputs
#: along the unit's direction, widened by this fraction of the range on each side (so units that
#: are constant on the data, and the two constant labellings, are drawn too). Smaller margins
#: find more labellings per network (see vcbound.enumerate); 0 would never draw constants.
DATA_MARGIN = 0.01

#: fastmath flags of the arithmetic loops: no NaN/inf/signed zeros (all values are finite) and
#: FMA contraction (covered by the rounding bound). No reassociation: results stay reproducible.
_FM = {"nnan", "ninf", "nsz", "contract"}

# ---------------------------------------------------------------------------------- SplitMix64
_U = np.uint64
_ONE = _U(1)

#: Word 0 of an empty hash-table slot. Stored keys are canonical (bit 0 clear), so no key has it.
EMPTY_WORD = _U(0xFFFFFFFFFFFFFFFF)


# ---------------------------------------------------------------------------------- drawing
@njit(cache=True, inline="always")
def _offset_bias(tmin, tmax, v):
    """Data sampler: the bias putting the hyperplane at offset t, uniform (``v`` in [0, 1)) over
    [tmin, tmax] widened by DATA_MARGIN (tmax - tmin) on each side (by DATA_MARGIN when the
    range is a single value); bias = -t."""
    width = tmax - tmin
    if width <= 0.0:
        width = 1.0
    return -(tmin - DATA_MARGIN * width + v * (1.0 + 2.0 * DATA_MARGIN) * width)


@njit(cache=True, inline="always")
def _extents(params, pw, k_in, k_out, lo, hi, err, box, tmp, interval=True):
    """For each unit j with weights w = params[pw + j k_in : ...] and the input box [lo, hi]
    (row ``box``): tmp[0, j], tmp[1, j] = the range [tmin, tmax] of w.x over the box (only when
    ``interval``, which later layers and the output do not use: otherwise left at 0);
    tmp[2, j] = sum_k |w_k| (M_k + e_k) and tmp[3, j] = sum_k |w_k| e_k, with
    M_k = max(|lo_k|, |hi_k|), e_k = err[box, k]."""
    # units outer (four at a time), inputs inner: each unit's weights are read in order, the
    # sums stay in registers and the four units' chains of dependent additions interleave
    # (inputs outer compiled to a gather of the weights, and one unit at a time waited on each
    # addition); each sum still runs over the inputs in order
    j = 0
    while j < k_out:
        g = min(4, k_out - j)
        q0 = pw + j * k_in
        q1 = q0 + k_in if g > 1 else q0
        q2 = q1 + k_in if g > 2 else q1
        q3 = q2 + k_in if g > 3 else q2
        # views from each unit's first weight: indexed by k >= 0, so no negative-index test
        p0, p1, p2, p3 = params[q0:], params[q1:], params[q2:], params[q3:]
        m0 = m1 = m2 = m3 = 0.0
        x0 = x1 = x2 = x3 = 0.0
        r0 = r1 = r2 = r3 = 0.0
        s0 = s1 = s2 = s3 = 0.0
        for k in range(k_in):
            a = lo[box, k]
            c = hi[box, k]
            e = err[box, k]
            mk = max(abs(a), abs(c)) + e
            w0 = float(p0[k])
            w1 = float(p1[k])
            w2 = float(p2[k])
            w3 = float(p3[k])
            if interval:
                m0 += min(w0 * a, w0 * c)
                m1 += min(w1 * a, w1 * c)
                m2 += min(w2 * a, w2 * c)
                m3 += min(w3 * a, w3 * c)
                x0 += max(w0 * a, w0 * c)
                x1 += max(w1 * a, w1 * c)
                x2 += max(w2 * a, w2 * c)
                x3 += max(w3 * a, w3 * c)
            r0 += abs(w0) * mk
            r1 += abs(w1) * mk
            r2 += abs(w2) * mk
            r3 += abs(w3) * mk
            s0 += abs(w0) * e
            s1 += abs(w1) * e
            s2 += abs(w2) * e
            s3 += abs(w3) * e
        # units past the last (g < 4) repeat the last unit's sums and are not stored
        _put_extents(tmp, j, m0, x0, r0, s0)
        if g > 1:
            _put_extents(tmp, j + 1, m1, x1, r1, s1)
        if g > 2:
            _put_extents(tmp, j + 2, m2, x2, r2, s2)
        if g > 3:
            _put_extents(tmp, j + 3, m3, x3, r3, s3)
        j += g


@njit(cache=True, inline="always")
def _put_extents(tmp, j, tmin, tmax, mag, err):
    tmp[0, j] = tmin
    tmp[1, j] = tmax
    tmp[2, j] = mag
    tmp[3, j] = err


@njit(cache=True, inline="always")
def _draw_biases(params, pb, k_out, tmp, state, gamma, ku):
    """Data sampler, first hidden layer: biases ``params[pb:pb+k_out]`` from the extents
    [tmp[0, j], tmp[1, j]] of w_j.x over the data's bounding box (:func:`_extents`) through
    :func:`_offset_bias`: the hyperplane passes through a point of the box. Returns the uniform
    counter ``ku``."""
    for j in range(k_out):
        params[pb + j] = _offset_bias(tmp[0, j], tmp[1, j],
                                      _rng.uniform(state, gamma, ku + j))
    return ku + k_out


@njit(cache=True, inline="always")
def normal_scale(k_in, sampler):
    """Scale of a layer's normal weights: sqrt(2 / k_in) (He) for the gaussian sampler, 1 for
    the data sampler (only the direction matters there), as a float32."""
    return np.float32(math.sqrt(2.0 / k_in)) if sampler == SAMPLER_GAUSSIAN else np.float32(1.0)


@njit(cache=True, _nrt=False, inline="always")
def _place_normals(params, widths, sampler, nbuf):
    """Place a network's normal deviates ``nbuf`` (float32, normals number 0, 1, ..., drawn by
    :mod:`._lanes`) layer by layer: the weights -- N(0, 2/k_in) (He scaling) for the gaussian
    sampler, N(0, 1) directions for the data sampler -- and, for the gaussian sampler only, the
    N(0, 1) biases. Each weight is the float32 product normal x scale, as in the lanes."""
    p = 0
    q = 0
    for layer in range(widths.shape[0] - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        scale = normal_scale(k_in, sampler)
        for i in range(k_out * k_in):
            params[p + i] = nbuf[q + i] * scale
        p += k_out * k_in
        q += k_out * k_in
        if sampler == SAMPLER_GAUSSIAN:
            for i in range(k_out):
                params[p + i] = nbuf[q + i]
            q += k_out
        p += k_out


# ---------------------------------------------------------------------------------- bounds
@njit(cache=True, inline="always")
def _gamma(j, u):
    """gamma_j = j u / (1 - j u) (Higham, eq. (3.5))."""
    return j * u / (1.0 - j * u)


_OUTPUT, _INTERVAL, _RANGES = 0, 1, 2

#: Extra roundings of the second hidden layer's sums when the first two layers are fused
#: (:func:`._simd.first_products`: at most k_in + 3 per term, then the bias):
#: gamma_{k_in+4} instead of gamma_{k_in+1}.
FUSED_ROUNDINGS = 3


@njit(cache=True, inline="always")
def fused_box(a, s, c, xmax, ymax, ex, ey, hi, err):
    """Box end and rounding bound of a first-layer unit l(x) = a x_0 + s x_1 + c as the fused
    second layer needs them (:func:`._simd.first_products`); returns (hi', err').

    That layer sums the units that are > 0 (computed) throughout a chunk as l(x~) on the float
    points x~, whose terms |w| (|a| |x~_0| + |s| |x~_1| + |c|) enter its rounding bound in place
    of |w| |h|: hi' = max(hi, |a| xmax + |s| ymax + |c|) bounds both (|x~_0| <= xmax,
    |x~_1| <= ymax). And l(x~) differs from the exact ReLU(l(x)) at the exact point x by at
    most err' = err + |a| ex + |s| ey (|x~_i - x_i| <= e_i; where l(x) < 0, the computed
    l(x~) > 0 is within ``err`` of l(x)), which also bounds |h - ReLU(l(x))| as before."""
    return (max(hi, abs(a) * xmax + abs(s) * ymax + abs(c)),
            err + abs(a) * ex + abs(s) * ey)


@njit(cache=True, inline="always")
def _fused_boxes(params, p, k_in, k_out, lo0, hi0, e0, hi, err):
    """:func:`fused_box` of every unit of the first hidden layer (parameters at ``params[p:]``,
    k_in <= 2 inputs with box [lo0, hi0] and bounds e0), on its row 1 of hi/err."""
    r1 = min(1, k_in - 1)
    pb = p + k_out * k_in
    xmax = max(abs(lo0[0]), abs(hi0[0])) + e0[0]
    ymax = max(abs(lo0[r1]), abs(hi0[r1])) + e0[r1]
    for j in range(k_out):
        a = float(params[p + j * k_in])
        s = float(params[p + j * k_in + r1]) if k_in > 1 else 0.0
        hi[1, j], err[1, j] = fused_box(a, s, float(params[pb + j]), xmax, ymax, e0[0],
                                        e0[r1], hi[1, j], err[1, j])


@njit(cache=True, inline="always")
def _layer_bounds(params, pb, k_out, mode, lo, hi, err, box, g, tmp):
    """Rounding bounds and boxes of a layer's units into row ``1 - box`` of lo/hi/err, from the
    extents ``tmp`` of :func:`_extents` and the biases ``params[pb:]``; returns the bound of the
    last unit. ``g`` = gamma_{k_in+1}.

    The computed pre-activation of unit j differs from the exact one by at most
        e_j = gamma_{k_in+1} (|b_j| + sum_k |w_jk| (M_k + e_k)) + sum_k |w_jk| e_k
    (module docstring; M_k + e_k bounds the computed inputs), and so does its ReLU. Boxes (which
    must contain every point's exact values): ``mode`` _INTERVAL: b_j + [tmin_j, tmax_j] by
    interval arithmetic over the input box, clipped at 0; _RANGES: row ``1 - box`` holds on
    entry the computed range [zmin, zmax] of w_j.x over the points, and the box is
    [max(0, zmin + b - e_j), max(0, zmax + b) + e_j] (plus relative slack for the rounding of
    z + b); _OUTPUT: no box. The float64 evaluation of these sums is covered by the slack terms.
    """
    e = 0.0
    for j in range(k_out):
        b = float(params[pb + j])
        mag = tmp[2, j] + abs(b)
        e = (g * mag + tmp[3, j]) * (1.0 + 1e-6)
        if mode == _INTERVAL:
            slack = 1e-9 * mag
            lo[1 - box, j] = max(b + tmp[0, j] - slack, 0.0)
            hi[1 - box, j] = max(b + tmp[1, j] + slack, 0.0)
        elif mode == _RANGES:
            zlo = lo[1 - box, j] + b
            zhi = hi[1 - box, j] + b
            lo[1 - box, j] = max(zlo - 1e-6 * abs(zlo) - e, 0.0)
            hi[1 - box, j] = max(zhi + 1e-6 * abs(zhi), 0.0) + e
        err[1 - box, j] = e
    return e


# ---------------------------------------------------------------------------------- forward
@njit(cache=True, inline="always")
def _affine_into(B, al, params, pw, b, k_in, dl, dr):
    """B[dl, dr, i] = b + sum_k w_k B[al, k, i] with w = params[pw:pw+k_in]: one fused loop for
    k_in <= 3 (missing terms padded with exact zeros), passes over the points otherwise."""
    zero = b - b
    n = B.shape[2]
    if k_in <= 3:
        r1 = min(1, k_in - 1)
        r2 = min(2, k_in - 1)
        w0 = params[pw]
        w1 = params[pw + 1] if k_in > 1 else zero
        w2 = params[pw + 2] if k_in > 2 else zero
        for i in range(n):
            B[dl, dr, i] = b + w0 * B[al, 0, i] + w1 * B[al, r1, i] + w2 * B[al, r2, i]
    else:
        for i in range(n):
            B[dl, dr, i] = b
        for k in range(k_in):
            w = params[pw + k]
            for i in range(n):
                B[dl, dr, i] += w * B[al, k, i]


def _float_intrinsic(name):
    """An intrinsic ``f(a, b)`` calling ``llvm.<name>`` on two floats of one type."""
    @intrinsic
    def call(typingctx, a, b):
        if not (isinstance(a, types.Float) and a == b):
            return None

        def codegen(context, builder, signature, args):
            ty = context.get_value_type(signature.args[0])
            suffix = "f32" if signature.args[0].bitwidth == 32 else "f64"
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty, ty]),
                                                f"llvm.{name}.{suffix}")
            return builder.call(fn, args)
        return a(a, b), codegen
    return call


#: min and max of two (non-NaN) floats as LLVM's minnum/maxnum: unlike numba's min/max, which
#: handle NaNs with branches, these let LLVM vectorise a reduction over the points.
_fmin = _float_intrinsic("minnum")
_fmax = _float_intrinsic("maxnum")


@njit(cache=True, inline="always")
def _row_range(B, dl, dr):
    """(min, max) of the computed values B[dl, dr, :], as float64 (a vectorised reduction: 2x
    faster than the integer-key reduction it replaced, which numba widened to 64 bits)."""
    mn = B[dl, dr, 0]
    mx = mn
    for i in range(B.shape[2]):
        mn = _fmin(mn, B[dl, dr, i])
        mx = _fmax(mx, B[dl, dr, i])
    return float(mn), float(mx)


# Layout of the work buffer B (4, max(5, max width), n) of the compute dtype: B[0] the points
# (row k = coordinate k), B[1] and B[2] the hidden activations (ping-pong), B[3, 0..3] scratch
# rows for w.x of four units and B[3, 4] the network output.
# Everything is addressed by indices: no array views are created per network.
_OUT = 4


@njit(cache=True, inline="always")
def _relu(h, zero):
    return h if h > zero else zero


@njit(cache=True, inline="always")
def _unit3(c, a, s, t, x0, x1, x2, three, zero):
    """ReLU(c + a x0 + s x1 [+ t x2]): the third term only when ``three`` (loop invariant, so
    the compiler hoists the test; with two inputs the padded zero term is skipped, not
    computed -- the result is the same)."""
    z = c + a * x0 + s * x1
    if three:
        z += t * x2
    return _relu(z, zero)


@njit(cache=True, inline="always")
def _hidden_layer(B, params, p, k_in, k_out, al, dl, pv, first, sampler, state, gamma, ku, lo,
                  hi, box, IDX, CNT, fuse, ASC, CB, MASK):
    """ReLU layer with parameters at ``params[p:]`` applied to ``B[al]`` (k_in, n); returns the
    uniform counter ``ku``.

    Activations go to ``B[dl]`` (k_out, n), except in the last hidden layer (``pv >= 0``),
    where only ``B[3, 1] += v_j h_j`` with the output weights ``v = params[pv:]`` is kept.

    The first hidden layer (``first``) has its biases in place. In later layers each unit first
    computes z = w.x over the points, records its range [zmin, zmax] in row ``1 - box`` of
    lo/hi (for :func:`_layer_bounds`), then (data sampler) draws its bias from that range with
    :func:`_offset_bias` -- the hyperplane passes through a random point of the data's extent
    along w -- and applies h = ReLU(z + b).

    The first layer with k_in <= 3 (missing inputs padded with exact zero weights) runs four
    units per pass over the points, the units past the last four (and every unit when
    k_in > 3) one pass per input. Later layers compute the products of all units first
    (:func:`._simd.chunk_products`, into ``B[dl]``) over the inputs that
    :func:`._simd.chunk_lists` listed (in ``IDX``/``CNT``) as nonzero on each chunk of
    points; a layer whose activations are kept lists them in turn for the next layer.

    ``fuse`` (networks with two or more hidden layers and at most two inputs): 1 in the first
    hidden layer, which then only puts its parameters in ``ASC``, lists its units per chunk
    from the chunks' boxes ``CB`` (into ``MASK``) and computes the points past the last whole
    chunk; 2 in the second, whose products compute those activations on each chunk
    (:func:`._simd.first_products`, which sums the units positive on a whole chunk as
    one affine function; its rounding bound: :func:`fused_box`, ``FUSED_ROUNDINGS``).
    """
    n = B.shape[2]
    pb = p + k_out * k_in
    zero = params[pb] - params[pb]
    acc = pv >= 0
    r1 = min(1, k_in - 1)
    r2 = min(2, k_in - 1)
    j = 0
    three = k_in == 3
    if fuse == 1:
        for u_ in range(k_out):
            ASC[0, u_] = params[p + u_ * k_in]
            ASC[1, u_] = params[p + u_ * k_in + r1] if k_in > 1 else zero
            ASC[2, u_] = params[pb + u_]
        first_masks(ASC, CB, MASK, (k_out + VECTOR - 1) // VECTOR)
        for i in range(n // VECTOR * VECTOR, n):   # the points past the last whole chunk
            x0, x1 = B[al, 0, i], B[al, r1, i]
            for u_ in range(k_out):
                B[dl, u_, i] = _unit3(ASC[2, u_], ASC[0, u_], ASC[1, u_], zero, x0, x1, x1,
                                      False, zero)
        j = k_out
    elif first and k_in <= 3:
        while j + 4 <= k_out:
            q0 = p + j * k_in
            q1 = q0 + k_in
            q2 = q1 + k_in
            q3 = q2 + k_in
            a0, a1, a2, a3 = params[q0], params[q1], params[q2], params[q3]
            s0 = params[q0 + 1] if k_in > 1 else zero
            s1 = params[q1 + 1] if k_in > 1 else zero
            s2 = params[q2 + 1] if k_in > 1 else zero
            s3 = params[q3 + 1] if k_in > 1 else zero
            t0 = params[q0 + 2] if k_in > 2 else zero
            t1 = params[q1 + 2] if k_in > 2 else zero
            t2 = params[q2 + 2] if k_in > 2 else zero
            t3 = params[q3 + 2] if k_in > 2 else zero
            c0, c1 = params[pb + j], params[pb + j + 1]
            c2, c3 = params[pb + j + 2], params[pb + j + 3]
            if acc:
                v0, v1 = params[pv + j], params[pv + j + 1]
                v2, v3 = params[pv + j + 2], params[pv + j + 3]
                for i in range(n):
                    x0, x1, x2 = B[al, 0, i], B[al, r1, i], B[al, r2, i]
                    h0 = _unit3(c0, a0, s0, t0, x0, x1, x2, three, zero)
                    h1 = _unit3(c1, a1, s1, t1, x0, x1, x2, three, zero)
                    h2 = _unit3(c2, a2, s2, t2, x0, x1, x2, three, zero)
                    h3 = _unit3(c3, a3, s3, t3, x0, x1, x2, three, zero)
                    B[3, _OUT, i] += v0 * h0 + v1 * h1 + v2 * h2 + v3 * h3
            else:
                for i in range(n):
                    x0, x1, x2 = B[al, 0, i], B[al, r1, i], B[al, r2, i]
                    B[dl, j, i] = _unit3(c0, a0, s0, t0, x0, x1, x2, three, zero)
                    B[dl, j + 1, i] = _unit3(c1, a1, s1, t1, x0, x1, x2, three, zero)
                    B[dl, j + 2, i] = _unit3(c2, a2, s2, t2, x0, x1, x2, three, zero)
                    B[dl, j + 3, i] = _unit3(c3, a3, s3, t3, x0, x1, x2, three, zero)
            j += 4
    if first:
        while j < k_out:   # units past the last four (or k_in > 3): z into B[3, 0] first
            _affine_into(B, al, params, p + j * k_in, params[pb + j], k_in, 3, 0)
            v = params[pv + j] if acc else zero
            for i in range(n):
                h = _relu(B[3, 0, i], zero)
                if acc:
                    B[3, _OUT, i] += v * h
                else:
                    B[dl, j, i] = h
            j += 1
    else:
        # z = w.x of every unit into B[dl] (free: B[dl] is the layer's own output), then each
        # unit's range, bias and ReLU
        if fuse == 2:
            first_products(params, p, k_in, k_out, B[0], ASC, B[dl], MASK)
            tail_products(params, p, k_in, k_out, B[al], B[dl])
        else:
            chunk_products(params, p, k_in, k_out, B[al], B[dl], IDX, CNT)
        for u_ in range(k_out):
            zmin, zmax = _row_range(B, dl, u_)
            lo[1 - box, u_] = zmin
            hi[1 - box, u_] = zmax
        if sampler == SAMPLER_DATA:   # a loop of its own: the units' draws overlap
            for u_ in range(k_out):
                params[pb + u_] = _offset_bias(lo[1 - box, u_], hi[1 - box, u_],
                                               _rng.uniform(state, gamma, ku + u_))
        while acc and j + 4 <= k_out:
            # four units' terms in one pass over the output, added in unit order (the sums of
            # four one-unit passes; the output is loaded and stored once, not four times)
            b0, b1 = params[pb + j], params[pb + j + 1]
            b2, b3 = params[pb + j + 2], params[pb + j + 3]
            v0, v1 = params[pv + j], params[pv + j + 1]
            v2, v3 = params[pv + j + 2], params[pv + j + 3]
            for i in range(n):
                o = B[3, _OUT, i] + v0 * _relu(B[dl, j, i] + b0, zero)
                o = o + v1 * _relu(B[dl, j + 1, i] + b1, zero)
                o = o + v2 * _relu(B[dl, j + 2, i] + b2, zero)
                B[3, _OUT, i] = o + v3 * _relu(B[dl, j + 3, i] + b3, zero)
            j += 4
        while j < k_out:
            b = params[pb + j]
            if acc:
                v = params[pv + j]
                for i in range(n):
                    B[3, _OUT, i] += v * _relu(B[dl, j, i] + b, zero)
            else:
                for i in range(n):
                    B[dl, j, i] = _relu(B[dl, j, i] + b, zero)
            j += 1
    if not acc and fuse != 1:   # the next layer's lists of nonzero inputs
        chunk_lists(B[dl], k_out, IDX, CNT)
    if sampler == SAMPLER_DATA and not first:
        ku += k_out
    return ku


@njit(cache=True, inline="always")
def _output_unit(B, params, p, k_in):
    """Add the output bias to ``B[3, 4]`` (which holds w.x) and return min |output|."""
    b = params[p + k_in]
    n = B.shape[2]
    for i in range(n):
        B[3, _OUT, i] += b
    m = abs(B[3, _OUT, 0])
    for i in range(n):
        m = _fmin(m, abs(B[3, _OUT, i]))
    return float(m)


@njit(cache=True, fastmath=_FM, _nrt=False, **_NOALIAS)
def _forward(B, params, lo0, hi0, e0, widths, sampler, state, gamma, lo, hi, err, nbuf, tmp, u,
             predrawn, IDX, CNT, CB, ASC, MASK):
    """Draw a network from ``(state, gamma)`` and evaluate it on the points held in ``B[0]``.

    The compute dtype is that of ``B``/``params`` (see :func:`_scratch` for the buffers).
    ``lo0``/``hi0``: bounding box of the points; ``e0``: bound on each input coordinate's
    representation error; ``u``: unit roundoff of the compute dtype. Leaves the outputs in
    ``B[3, 4]`` and the parameters in ``params``; returns ``(certified, min |output|, error
    bound)``.

    Random numbers: the network's normals, given in ``nbuf`` (float32, drawn by the lane
    kernel), placed layer by layer (:func:`_place_normals`), the weights then (gaussian) the
    biases; data-sampler biases from uniforms number 0, 1, ... unit by unit, layer by layer,
    the output bias last (from the range of the output's weighted sum over the points).
    ``tmp`` (4, max width) is scratch for :func:`_extents`, ``IDX``/``CNT`` for the lists of
    :func:`_hidden_layer` and ``CB``/``ASC``/``MASK`` for its fused first two layers (networks
    with two or more hidden layers on at most two inputs).

    ``predrawn`` (two or more hidden layers): the lane kernel (:mod:`._lanes`) has also placed
    the weights and drawn the first hidden layer's biases into ``params`` (float32) and put
    the second hidden layer's sums of :func:`_extents` in rows 2 and 3 of ``tmp`` (the same
    sums in the same order over that layer's inputs' boxes: the same values); the pass starts
    from there (the first layer's boxes and bounds, used only by those sums, are not needed).
    """
    n_layers = widths.shape[0] - 1
    for k in range(widths[0]):
        lo[0, k] = lo0[k]
        hi[0, k] = hi0[k]
        err[0, k] = e0[k]
    k_last = widths[n_layers - 1]
    p_out = params.shape[0] - k_last - 1
    ku = 0
    p = 0
    al = 0
    for k in range(B.shape[2]):
        B[3, _OUT, k] = 0
    if not predrawn:
        _place_normals(params, widths, sampler, nbuf)
    fused = widths[0] <= 2 and n_layers >= 3
    for layer in range(n_layers - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        box = layer % 2
        dl = 1 + layer % 2
        pb = p + k_out * k_in
        first = layer == 0
        if first and not predrawn:
            _extents(params, p, k_in, k_out, lo, hi, err, box, tmp)
            if sampler == SAMPLER_DATA:
                ku = _draw_biases(params, pb, k_out, tmp, state, gamma, ku)
        elif first and sampler == SAMPLER_DATA:
            ku = k_out
        pv = p_out if layer == n_layers - 2 else -1
        fuse = layer + 1 if fused and layer < 2 else 0
        ku = _hidden_layer(B, params, p, k_in, k_out, al, dl, pv, first, sampler, state, gamma,
                           ku, lo, hi, box, IDX, CNT, fuse, ASC, CB, MASK)
        if not (first or (predrawn and layer == 1)):
            _extents(params, p, k_in, k_out, lo, hi, err, box, tmp, False)
        if not (first and predrawn):
            extra = FUSED_ROUNDINGS if fuse == 2 else 0
            _layer_bounds(params, pb, k_out, _INTERVAL if first else _RANGES, lo, hi, err, box,
                          _gamma(k_in + 1 + extra, u), tmp)
        if fuse == 1 and not predrawn:
            _fused_boxes(params, p, k_in, k_out, lo0, hi0, e0, hi, err)
        p += k_out * (k_in + 1)
        al = dl
    box = (n_layers - 1) % 2
    if n_layers == 1:  # single neuron: out = w.x
        _affine_into(B, 0, params, p_out, params[p_out] - params[p_out], k_last, 3, _OUT)
    if sampler == SAMPLER_DATA:
        tmin, tmax = _row_range(B, 3, _OUT)
        params[p_out + k_last] = _offset_bias(tmin, tmax, _rng.uniform(state, gamma, ku))
    _extents(params, p_out, k_last, 1, lo, hi, err, box, tmp, False)
    e_out = _layer_bounds(params, p_out + k_last, 1, _OUTPUT, lo, hi, err, box,
                          _gamma(k_last + 1, u), tmp)
    min_abs = _output_unit(B, params, p_out, k_last)
    return min_abs > e_out, min_abs, e_out


@njit(cache=True, _nrt=False)
def _pack(B, key, pos, ZW, RUNS, RMASK):
    """Canonical bit-packed pattern of the outputs ``B[3, 4] > 0``, complemented when bit 0
    would be set; bit i is the output of point i, held at ``B[3, 4, pos[i]]``
    (:func:`tile_order`).

    The bits are first packed in the order held, ``ZW`` (words), one vector compare per chunk,
    then moved to the points' order by the runs of :func:`pack_runs`: run r takes the bits of
    ``ZW[RUNS[r, 0]]`` at the mask ``RMASK[r]`` (one ``pext``) to bit ``RUNS[r, 2]`` of word
    ``RUNS[r, 1]`` (a gather of every bit through ``pos`` took about 0.15 us at n = 256)."""
    n = B.shape[2]
    for wd in range(ZW.shape[0]):
        ZW[wd] = 0
        key[wd] = 0
    chunks = n // VECTOR
    for c in range(chunks):
        ZW[c * VECTOR // 64] |= _U(positive_bits(B[3], _OUT, c)) << _U(c * VECTOR % 64)
    for i in range(chunks * VECTOR, n):
        ZW[i // 64] |= _U(B[3, _OUT, i] > 0) << _U(i % 64)
    for r in range(RUNS.shape[0]):
        key[RUNS[r, 1]] |= pext(ZW[RUNS[r, 0]], RMASK[r]) << _U(RUNS[r, 2])
    if (ZW[pos[0] // 64] >> _U(pos[0] % 64)) & _ONE:
        for wd in range(key.shape[0]):
            used = min(64, n - wd * 64)
            key[wd] ^= EMPTY_WORD if used == 64 else (_ONE << _U(used)) - _ONE


@njit(cache=True)
def pack_runs(pos):
    """The runs of :func:`_pack` for points held at ``pos`` (point i at position pos[i]): the
    longest stretches of points i, i + 1, ... in one word of the result whose positions
    increase within one word of the held order. ``(RUNS (runs, 3) int64: source word,
    target word, target bit; RMASK (runs,) uint64: the positions' bits)``. On a K x K grid in
    :func:`tile_order` with K a power of two, a run is half a row or a row (32 runs for the
    16 x 16 grid); in the worst case each point is a run.

    Examples
    --------
    >>> import numpy as np
    >>> RUNS, RMASK = pack_runs(np.array([0, 1, 4, 5, 2, 3, 6, 7]))   # the 2 x 4 grid
    >>> RUNS.tolist(), [bin(int(m)) for m in RMASK]                  # of tile_order: 2 rows
    ([[0, 0, 0], [0, 0, 4]], ['0b110011', '0b11001100'])
    >>> RUNS, RMASK = pack_runs(np.array([0, 2, 1, 3]))
    >>> RUNS.tolist(), [bin(int(m)) for m in RMASK]
    ([[0, 0, 0], [0, 0, 2]], ['0b101', '0b1010'])
    """
    n = pos.shape[0]
    RUNS = np.zeros((n, 3), np.int64)
    RMASK = np.zeros(n, np.uint64)
    runs = 0
    i = 0
    while i < n:
        src = pos[i] // 64
        mask = _ONE << _U(pos[i] % 64)
        length = 1
        while (i + length < n and (i + length) % 64 != 0 and pos[i + length] // 64 == src
               and pos[i + length] > pos[i + length - 1]):
            mask |= _ONE << _U(pos[i + length] % 64)
            length += 1
        RUNS[runs, 0] = src
        RUNS[runs, 1] = i // 64
        RUNS[runs, 2] = i % 64
        RMASK[runs] = mask
        runs += 1
        i += length
    return RUNS[:runs].copy(), RMASK[:runs].copy()


@njit(cache=True)
def zeros64(shape, dtype):
    """``np.zeros(shape, dtype)`` starting on a 64-byte boundary (a view into a slightly larger
    buffer). numba's arrays start on 32-byte boundaries only, so half the time every 64-byte
    vector load of a work array straddled two cache lines: the same code then ran up to about
    20% slower (n = 64, [2, 16, 16, 1]: 1.17 against 0.96 M networks/s, depending on the run).

    Examples
    --------
    >>> import numpy as np
    >>> a = zeros64((3, 5), np.float32)
    >>> a.shape, a.dtype == np.float32, a.ctypes.data % 64, bool((a == 0).all())
    ((3, 5), True, 0, True)
    """
    size = 1
    for extent in shape:
        size *= extent
    buf = np.zeros(size + 64, dtype)
    off = (64 - buf.ctypes.data % 64) % 64 // buf.itemsize
    return buf[off:off + size].reshape(shape)


@njit(cache=True)
def _sizes(widths):
    maxw = 5
    n_params = 0
    for layer in range(widths.shape[0] - 1):
        maxw = max(maxw, widths[layer], widths[layer + 1])
        n_params += (widths[layer] + 1) * widths[layer + 1]
    return maxw, n_params


@njit(cache=True)
def tile_order(X):
    """Order of the points (columns of ``X`` (m, n)) along a Z-order (Morton) curve of their
    coordinate ranks: the rank of a coordinate is the number of distinct smaller values of it,
    and the ranks' bits are interleaved, coordinate 0 highest, over the first min(m, 4)
    coordinates (16 bits each; n <= 2^16); ties keep the points' order (stable sort).

    On a K x K grid with K a power of two, each run of 4^j consecutive points in this order is a
    2^j x 2^j tile: a chunk of 16 points is a 4 x 4 tile, on which a ReLU unit is more often
    zero throughout than on a row of 16 (measured on the 16 x 16 grid, the first layer of 300
    data-sampler networks [2, 16, 16, 1]: 41% against 26% of the (unit, chunk) pairs).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0, 0, 0, 1, 1, 1, 1], [0, 1, 2, 3, 0, 1, 2, 3]], float)   # 2 x 4
    >>> tile_order(X).tolist()      # the 2 x 2 tile of ranks 0, 1 first
    [0, 1, 4, 5, 2, 3, 6, 7]
    """
    m, n = X.shape
    dims = min(m, 4)
    key = np.zeros(n, np.uint64)
    for j in range(dims):
        idx = np.argsort(X[j], kind="mergesort")
        rank = 0
        for t in range(n):
            if t > 0 and X[j, idx[t]] != X[j, idx[t - 1]]:
                rank += 1
            for b in range(16):
                bit = _U((rank >> b) & 1)
                key[idx[t]] |= bit << _U(b * dims + dims - 1 - j)
    return np.argsort(key, kind="mergesort")


@njit(cache=True)
def _scratch(X, widths, order):
    """Work arrays of :func:`_forward` in the dtype of ``X`` (m, n): ``(B, params, CB, ASC)``
    with ``B[0]`` holding the points in the order ``order``, ``CB`` (chunks, 4) each whole
    chunk's box of coordinates 0 and 1 (min, max, min, max) and ``ASC`` (3 + max width, max
    width rounded up to a multiple of 16, plus 16) for :func:`_hidden_layer` (see
    :func:`._simd.first_products`)."""
    maxw, n_params = _sizes(widths)
    n = X.shape[1]
    B = zeros64((4, maxw, n), X.dtype)
    for k in range(X.shape[0]):
        for i in range(n):
            B[0, k, i] = X[k, order[i]]
    CB = zeros64((n // VECTOR, 4), X.dtype)
    for c in range(n // VECTOR):
        for r in range(2):
            chunk = B[0, r, c * VECTOR:(c + 1) * VECTOR]
            CB[c, 2 * r] = chunk.min()
            CB[c, 2 * r + 1] = chunk.max()
    ASC = zeros64((3 + maxw, (maxw + VECTOR - 1) // VECTOR * VECTOR + VECTOR), X.dtype)
    return B, zeros64((n_params,), X.dtype), CB, ASC


@njit(cache=True)
def workspace(X32, X64, widths, order):
    """All per-network work arrays of one thread: float32 and float64 buffers (:func:`_scratch`, the
    points in the order ``order``, :func:`tile_order`), boxes and error bounds lo/hi/err (2, max
    width), the network's float32 normals ``nbuf``, the extents (4, max width), the lists of
    nonzero inputs per chunk of points IDX (chunks, max width) and CNT (chunks,) of
    :func:`_hidden_layer`, ``pos`` (n,): point i is held at position pos[i], and the fused first
    layer's lists MASK (chunks, twice max width / 16 rounded up), and for :func:`_pack` the pattern
    words in the order held, ZW, and :func:`pack_runs`, and the scratch of :func:`repair32` (2,
    2, max width) and a flag set when it certified the last network."""
    maxw, n_params = _sizes(widths)
    pos = np.empty_like(order)
    pos[order] = np.arange(order.shape[0])
    chunks = X64.shape[1] // VECTOR
    RUNS, RMASK = pack_runs(pos)
    return (_scratch(X32, widths, order), _scratch(X64, widths, order),
            np.zeros((2, maxw)), np.zeros((2, maxw)), np.zeros((2, maxw)),
            np.zeros(n_params + 2, np.float32), np.zeros((4, maxw)),
            np.zeros((chunks, maxw), np.int32), np.zeros(chunks, np.int64), pos,
            np.zeros((chunks, 2 * ((maxw + VECTOR - 1) // VECTOR)), np.int64),
            np.zeros((X64.shape[1] + 63) // 64, np.uint64), RUNS, RMASK,
            np.zeros((2, 2, maxw)), np.zeros(1, np.int64))


@njit(cache=True, _nrt=False, inline="always")
def _evaluate(scratch, lo0, hi0, e0, widths, sampler, state, gamma, ws, key, u, predrawn):
    """One :func:`_forward` pass in the dtype of ``scratch`` (``ws[0]`` float32 or ``ws[1]``
    float64); packs ``key`` when certified. Returns (certified, the outputs' error bound)."""
    _, _, lo, hi, err, nbuf, tmp, IDX, CNT, pos, MASK, ZW, RUNS, RMASK, _, _ = ws
    B, params, CB, ASC = scratch
    ok, _, e_out = _forward(B, params, lo0, hi0, e0, widths, sampler, state, gamma, lo, hi,
                            err, nbuf, tmp, u, predrawn, IDX, CNT, CB, ASC, MASK)
    if ok:
        _pack(B, key, pos, ZW, RUNS, RMASK)
    return ok, e_out


@njit(cache=True, _nrt=False)
def repair32(widths, ws, e_out, e64, key):
    """After a float32 pass that left some outputs uncertified (|output| <= ``e_out``): those points
    again, one by one, in float64 with the same (float32) parameters, each with an a posteriori
    rounding bound; when every one is certified, their outputs are replaced by the float64
    values (as float32, sign kept), ``key`` is packed and True returned (else False, nothing
    changed but the outputs already replaced).

    The bound, unit by unit over the layers (Higham, eq. (3.5), any order of the sum, FMA or
    not): |computed - exact| <= gamma_{k_in+1} (|b| + sum_k |w_k| |h_k|) + sum_k |w_k| e_k with
    the computed inputs h_k and their bounds e_k (for the points: ``e64``, the bound on each
    float64 coordinate's distance to the exact point), ReLU exact and 1-Lipschitz; the float64
    evaluation of the bound itself is covered by a relative slack of 1e-6. A network is thus
    redone in full (:func:`network64`) only when some output stays ambiguous in float64: about
    1.5% of the data sampler's networks on the 16 x 16 grid, [2, 16, 16, 1], failed the float32
    pass, and a full float64 pass cost about twice the float32 one, against a few points here."""
    B, params = ws[0][0], ws[0][1]
    X64 = ws[1][0][0]                     # the points in float64, in the same (tile) order
    HE = ws[14]                           # (2 values/bounds, 2 ping-pong rows, max width)
    n_layers = widths.shape[0] - 1
    u = 2.0 ** -53
    for z in range(B.shape[2]):
        if abs(B[3, _OUT, z]) > e_out:
            continue
        for k in range(widths[0]):
            HE[0, 0, k] = X64[k, z]
            HE[1, 0, k] = e64[k]
        p = 0
        src = 0
        out = e = 0.0
        for layer in range(n_layers):
            k_in = widths[layer]
            k_out = widths[layer + 1]
            g = _gamma(k_in + 1, u)
            pb = p + k_out * k_in
            for j in range(k_out):
                s = float(params[pb + j])
                mag = abs(s)
                prop = 0.0
                for k in range(k_in):
                    w = float(params[p + j * k_in + k])
                    t = w * HE[0, src, k]
                    s += t
                    mag += abs(t)
                    prop += abs(w) * HE[1, src, k]
                e = (g * mag + prop) * (1.0 + 1e-6)
                if layer + 1 < n_layers:
                    HE[0, 1 - src, j] = s if s > 0.0 else 0.0
                    HE[1, 1 - src, j] = e
                else:
                    out = s
            p = pb + k_out
            src = 1 - src
        if not abs(out) > e:
            return False
        v = np.float32(out)
        if v == 0:   # below float32's range: keep the sign
            v = np.float32(1e-45) if out > 0 else np.float32(-1e-45)
        B[3, _OUT, z] = v
    _pack(B, key, ws[9], ws[11], ws[12], ws[13])
    return True


@njit(cache=True, _nrt=False)
def network64(lo0, hi0, e64, widths, sampler, state, gamma, ws, key):
    """The network with stream ``(state, gamma)`` and normals in ``ws``'s ``nbuf``, evaluated
    in float64 (u = 2^-53) from its normals on; packs ``key``. Returns the status: 1 certified
    in float64, 2 rejected (``key`` marked empty)."""
    if _evaluate(ws[1], lo0, hi0, e64, widths, sampler, state, gamma, ws, key, 2.0 ** -53,
                 False)[0]:
        return 1
    key[0] = EMPTY_WORD
    return 2


@njit(cache=True, _nrt=False)
def finish32(lo0, hi0, e32, widths, sampler, state, gamma, ws, key):
    """Float32 pass of a network (two or more hidden layers) whose normals and first-layer
    biases are already in the float32 ``params`` of ``ws`` and whose second hidden layer's
    bound sums are in rows 2 and 3 of ``ws``'s ``tmp`` (``predrawn`` of :func:`_forward`);
    packs ``key`` when certified. Returns (certified, the outputs' error bound)."""
    return _evaluate(ws[0], lo0, hi0, e32, widths, sampler, state, gamma, ws, key, 2.0 ** -24,
                     True)


def unflatten(widths, flat):
    """Split a flat parameter vector into ``[(W_1, b_1), ...]`` (layout in the module doc)."""
    layers = []
    p = 0
    for k_in, k_out in zip(widths[:-1], widths[1:]):
        W = flat[p:p + k_in * k_out].reshape(k_out, k_in)
        p += k_in * k_out
        layers.append((W, flat[p:p + k_out]))
        p += k_out
    return layers


# ---------------------------------------------------------------------------------- hash set
def new_table(capacity, n_words):
    """An empty open-addressing table of ``capacity`` (a power of two) rows of ``n_words``."""
    table = np.zeros((capacity, n_words), np.uint64)
    table[:, 0] = EMPTY_WORD
    return table


@intrinsic
def _prefetch(typingctx, arr, row):
    """Hint the CPU to fetch row ``row`` of the C-contiguous 2-D array ``arr`` into cache
    (``llvm.prefetch``: read, high locality; no effect on results, no fault on any address)."""
    if not (isinstance(arr, types.Array) and arr.ndim == 2 and isinstance(row, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        index = [context.cast(builder, args[1], signature.args[1], types.intp),
                 context.get_constant(types.intp, 0)]
        ptr = cgutils.get_item_pointer2(context, builder, ary.data,
                                        cgutils.unpack_tuple(builder, ary.shape),
                                        cgutils.unpack_tuple(builder, ary.strides),
                                        aryty.layout, index)
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [cgutils.voidptr_t, i32, i32, i32]),
            "llvm.prefetch.p0")
        builder.call(fn, [builder.bitcast(ptr, cgutils.voidptr_t), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()
    return types.void(arr, row), codegen


@njit(cache=True, inline="always")
def _key_hash(keys, r):
    h = _U(0x243F6A8885A308D3)
    for wd in range(keys.shape[1]):
        h = _rng.mix64(h ^ keys[r, wd])
    return h


#: Keys hashed (and their first slot prefetched) ahead of the one being inserted: a large
#: table misses the cache on nearly every insert, and the misses of 16 keys then overlap.
_AHEAD = 16


@njit(cache=True, inline="always")
def _insert(table, keys, count, size, new):
    """Insert rows ``keys[:count]`` (skipping empty rows) into ``table`` holding ``size`` keys
    (linear probing); returns the new size. ``new`` is empty, or gets ``new[r] = True`` for
    each row r that was not in the table before (the first of equal rows only)."""
    mark = new.shape[0] > 0
    mask = _U(table.shape[0] - 1)
    n_words = keys.shape[1]
    ring = np.empty(_AHEAD, np.uint64)   # hashes of keys r .. r + _AHEAD - 1
    for r in range(min(_AHEAD, count)):
        ring[r] = _key_hash(keys, r)
        _prefetch(table, np.int64(ring[r] & mask))
    for r in range(count):
        h = ring[r % _AHEAD]
        ahead = r + _AHEAD
        if ahead < count:
            ring[ahead % _AHEAD] = _key_hash(keys, ahead)
            _prefetch(table, np.int64(ring[ahead % _AHEAD] & mask))
        if keys[r, 0] == EMPTY_WORD:
            continue
        slot = np.int64(h & mask)
        while True:
            if table[slot, 0] == EMPTY_WORD:
                for wd in range(n_words):
                    table[slot, wd] = keys[r, wd]
                size += 1
                if mark:
                    new[r] = True
                break
            same = True
            for wd in range(n_words):
                if table[slot, wd] != keys[r, wd]:
                    same = False
                    break
            if same:
                break
            slot = np.int64((_U(slot) + _ONE) & mask)
    return size


@njit(cache=True, nogil=True)
def insert(table, keys, count, size):
    """Insert rows ``keys[:count]`` (skipping empty rows) into ``table`` holding ``size`` keys
    (linear probing); returns the new size. The caller keeps the load factor below 1/2."""
    return _insert(table, keys, count, size, np.empty(0, np.bool_))


@njit(cache=True, nogil=True)
def insert_new(table, keys, count, size, new):
    """:func:`insert`, also setting ``new[r] = True`` for each row r of ``keys[:count]`` that
    was not in the table before (of equal rows, the first only), e.g. to send only a batch's
    new keys to the coordinator of a distributed run (``new`` must be False on entry)."""
    return _insert(table, keys, count, size, new)


@njit(cache=True)
def table_keys(table):
    """The stored keys, in table order, as a (count, n_words) array."""
    size = 0
    for slot in range(table.shape[0]):
        size += table[slot, 0] != EMPTY_WORD
    out = np.empty((size, table.shape[1]), np.uint64)
    r = 0
    for slot in range(table.shape[0]):
        if table[slot, 0] != EMPTY_WORD:
            out[r] = table[slot]
            r += 1
    return out
