"""Jitted core of the Monte Carlo enumerator (internal; see :mod:`vcbound.enumerate`).

Importing this module imports numba; nothing is compiled until a kernel is first called, and the
compiled code is cached on disk (``cache=True``), so later processes load it instead of compiling.

Random numbers
--------------
Every network has its own random stream, derived by hashing ``(seed, t)`` where ``t`` is the
global index of the network (0, 1, 2, ...): SplitMix64 (Steele, Lea and Flood, *Fast splittable
pseudorandom number generators*, OOPSLA 2014) whose state *and* increment ("gamma") both come
from the hash, as in ``java.util.SplittableRandom.split()``. Hence the patterns of network ``t``
depend only on ``(seed, t)``: the same seed gives the same patterns for any batch size, thread
count or resume point. (Seeding network ``t`` with ``seed + t`` on a counter generator would make
the streams shifted copies of one stream instead.)

SplitMix64 is counter based: draw ``k`` of a stream is ``mix64(state + (k + 1) gamma)``, so draws
can be generated in any order, which lets the loops below vectorise. Each network uses three
disjoint ranges of draw indices: normal number ``i`` starts from draw ``i``; uniform number ``j``
is draw ``2^32 + j``; the rare extra draws of the ziggurat's slow path come, in order, from
``2^33 + c``. Normal deviates use the 256-layer ziggurat of Marsaglia and Tsang (J. Stat. Softw.
5(8), 2000) in the ZIGNOR form of Doornik (2005): 8 bits of a draw choose the layer and its top
53 bits the abscissa; the draws are generated in a vectorised loop, the rectangle test (accepting
98.5%) and, on failure, the wedge and the tail then run one normal at a time.

Networks
--------
Widths ``[m, k_1, ..., k_L, 1]``: ReLU hidden units and a linear output unit; the pattern bit of a
point is 1 iff the output is > 0. Parameters are stored layer by layer, each layer as its weight
matrix ``W`` (k_out, k_in) row by row followed by its bias vector ``b`` (k_out). Layer inputs are
stored points-innermost (arrays ``(k, n)``), so the loops over points vectorise.

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
arithmetic (first layer) or from the computed ranges widened by ``e`` (later layers). A pattern
is kept only when every output satisfies ``|output| > e_out`` (then every computed sign is the
exact sign, and no output is 0); otherwise the network is recomputed in float64 (u = 2^-53)
and dropped (counted as rejected) if still ambiguous. Every stored pattern is thus realized
exactly by a concrete network, so the count is a certified lower bound.

With one hidden layer the per-unit bounds are computed only when a cheaper bound fails:
:func:`_cheap_bound` (derived here) dominates ``e_out`` term by term using max-abs weights,
inputs and the widths, so ``|output| > E`` for every point implies the per-unit test passes too;
otherwise the per-unit bound decides, as before. The set of certified networks is unchanged.
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["SAMPLER_GAUSSIAN", "SAMPLER_DATA", "DATA_MARGIN", "EMPTY_WORD", "generate",
           "network_record", "unflatten", "new_table", "insert", "table_keys"]

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
_GOLDEN = _U(0x9E3779B97F4A7C15)
_M1 = _U(0xBF58476D1CE4E5B9)
_M2 = _U(0x94D049BB133111EB)
_G1 = _U(0xFF51AFD7ED558CCD)
_G2 = _U(0xC4CEB9FE1A85EC53)
_ALT = _U(0xAAAAAAAAAAAAAAAA)
_ONE = _U(1)
_S1, _S11, _S27, _S30, _S31, _S33 = _U(1), _U(11), _U(27), _U(30), _U(31), _U(33)
_LAYER_MASK = _U(255)
_TWO_M53 = 2.0 ** -53
_TWO_M52 = 2.0 ** -52
_UNIFORM_BASE = 2 ** 32
_SLOW_BASE = 2 ** 33

#: Word 0 of an empty hash-table slot. Stored keys are canonical (bit 0 clear), so no key has it.
EMPTY_WORD = _U(0xFFFFFFFFFFFFFFFF)


@njit(cache=True, inline="always")
def _mix64(z):
    """Stafford's variant 13 finalizer (the SplitMix64 output function)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def _mix_gamma(z):
    """SplittableRandom.mixGamma: an odd increment with at least 24 bit transitions."""
    z = (z ^ (z >> _S33)) * _G1
    z = (z ^ (z >> _S33)) * _G2
    z = (z ^ (z >> _S33)) | _ONE
    x = z ^ (z >> _S1)  # popcount(x), SWAR
    x = x - ((x >> _S1) & _U(0x5555555555555555))
    x = (x & _U(0x3333333333333333)) + ((x >> _U(2)) & _U(0x3333333333333333))
    x = (x + (x >> _U(4))) & _U(0x0F0F0F0F0F0F0F0F)
    if (x * _U(0x0101010101010101)) >> _U(56) < _U(24):
        z = z ^ _ALT
    return z


@njit(cache=True, inline="always")
def _stream(seed, t):
    """State and gamma of network ``t``: SplittableRandom.split() applied at position 2t of the
    parent stream with state mix64(seed) -- a hash of (seed, t)."""
    base = _mix64(_U(seed)) + _U(2) * _U(t) * _GOLDEN
    return _mix64(base + _GOLDEN), _mix_gamma(base + _U(2) * _GOLDEN)


@njit(cache=True, inline="always")
def _draw(state, gamma, k):
    """Draw number ``k`` (0, 1, ...) of the stream."""
    return _mix64(state + _U(k + 1) * gamma)


@njit(cache=True, inline="always")
def _uniform(state, gamma, k):
    """Uniform float64 in [0, 1) with 53 random bits, from draw ``k``."""
    return float(_draw(state, gamma, k) >> _S11) * _TWO_M53


def _ziggurat_tables():
    """Ziggurat tables for 256 layers of common area V (Marsaglia and Tsang 2000, R and V for
    256 layers), in Doornik's ZIGNOR form; the rectangle test accepts 98.5% of draws."""
    R, V, N = 3.6541528853610088, 0.00492867323399, 256
    x = np.zeros(N + 1)
    x[0] = V / math.exp(-0.5 * R * R)
    x[1] = R
    for i in range(2, N):
        x[i] = math.sqrt(-2.0 * math.log(V / x[i - 1] + math.exp(-0.5 * x[i - 1] ** 2)))
    return x, x[1:] / x[:-1], R


_ZIG_X, _ZIG_R, _ZIG_TAIL = _ziggurat_tables()


@njit(cache=True, _nrt=False)
def _normal_slow(r, state, gamma, kslow):
    """Finish the ziggurat for draw ``r`` whose rectangle test failed; extra draws come from
    ``2^33 + kslow, ...``. Returns ``(x, kslow)``."""
    while True:
        i = np.int64(r & _LAYER_MASK)
        u = float(r >> _S11) * _TWO_M52 - 1.0
        if abs(u) < _ZIG_R[i]:
            return u * _ZIG_X[i], kslow
        if i == 0:  # tail beyond R (Marsaglia 1964)
            while True:
                a = _uniform(state, gamma, _SLOW_BASE + kslow)
                b = _uniform(state, gamma, _SLOW_BASE + kslow + 1)
                kslow += 2
                xt = math.log(1.0 - a) / _ZIG_TAIL
                yt = math.log(1.0 - b)
                if -2.0 * yt >= xt * xt:
                    return (xt - _ZIG_TAIL if u < 0 else _ZIG_TAIL - xt), kslow
        x = u * _ZIG_X[i]
        f0 = math.exp(-0.5 * (_ZIG_X[i] * _ZIG_X[i] - x * x))
        f1 = math.exp(-0.5 * (_ZIG_X[i + 1] * _ZIG_X[i + 1] - x * x))
        v = _uniform(state, gamma, _SLOW_BASE + kslow)
        kslow += 1
        if f1 + v * (f0 - f1) < 1.0:
            return x, kslow
        r = _draw(state, gamma, _SLOW_BASE + kslow)
        kslow += 1


@njit(cache=True, _nrt=False, inline="always")
def _normals(state, gamma, k0, count, dst, p, scale, kslow, raw):
    """dst[p:p+count] = scale * (normals number k0 .. k0+count-1); returns the new ``kslow``.
    ``raw`` (uint64, >= count): scratch for the draws. The draws are generated first, in a
    loop that vectorises; the table look-ups then run as scalar loads (vector gathers from the
    ziggurat tables are slower on this machine), finishing each failed rectangle test at once,
    in increasing order of the normal's number."""
    for i in range(count):
        raw[i] = _draw(state, gamma, k0 + i)
    for i in range(count):
        r = raw[i]
        j = np.int64(r & _LAYER_MASK)
        u = float(r >> _S11) * _TWO_M52 - 1.0
        if abs(u) < _ZIG_R[j]:
            dst[p + i] = u * _ZIG_X[j] * scale
        else:
            x, kslow = _normal_slow(r, state, gamma, kslow)
            dst[p + i] = x * scale
    return kslow


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
def _extents(params, pw, k_in, k_out, lo, hi, err, box, tmp, cert=True):
    """For each unit j with weights w = params[pw + j k_in : ...] and the input box [lo, hi]
    (row ``box``): tmp[0, j], tmp[1, j] = the range [tmin, tmax] of w.x over the box;
    tmp[2, j] = sum_k |w_k| (M_k + e_k) and tmp[3, j] = sum_k |w_k| e_k, with
    M_k = max(|lo_k|, |hi_k|), e_k = err[box, k] (only when ``cert``; otherwise left at 0).
    Loops over units innermost (vectorised)."""
    for j in range(k_out):
        tmp[0, j] = 0.0
        tmp[1, j] = 0.0
        tmp[2, j] = 0.0
        tmp[3, j] = 0.0
    for k in range(k_in):
        a = lo[box, k]
        c = hi[box, k]
        e = err[box, k]
        m = max(abs(a), abs(c)) + e
        for j in range(k_out):
            w = float(params[pw + j * k_in + k])
            wa = w * a
            wc = w * c
            tmp[0, j] += min(wa, wc)
            tmp[1, j] += max(wa, wc)
            if cert:
                tmp[2, j] += abs(w) * m
                tmp[3, j] += abs(w) * e


@njit(cache=True, inline="always")
def _draw_biases(params, pb, k_out, tmp, state, gamma, ku):
    """Data sampler, first hidden layer: biases ``params[pb:pb+k_out]`` from the extents
    [tmp[0, j], tmp[1, j]] of w_j.x over the data's bounding box (:func:`_extents`) through
    :func:`_offset_bias`: the hyperplane passes through a point of the box. Returns the uniform
    counter ``ku``."""
    for j in range(k_out):
        params[pb + j] = _offset_bias(tmp[0, j], tmp[1, j],
                                      _uniform(state, gamma, _UNIFORM_BASE + ku + j))
    return ku + k_out


@njit(cache=True, _nrt=False, inline="always")
def _draw_normals(params, widths, sampler, state, gamma, nbuf, raw):
    """All normal deviates of a network in one vectorised call (normals number 0, 1, ...),
    placed layer by layer: the weights -- N(0, 2/k_in) (He scaling) for the gaussian sampler,
    N(0, 1) directions for the data sampler (only their direction matters there) -- and, for
    the gaussian sampler only, the N(0, 1) biases."""
    total = 0
    for layer in range(widths.shape[0] - 1):
        total += widths[layer + 1] * (widths[layer] + (sampler == SAMPLER_GAUSSIAN))
    _normals(state, gamma, 0, total, nbuf, 0, 1.0, 0, raw)
    p = 0
    q = 0
    for layer in range(widths.shape[0] - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        scale = math.sqrt(2.0 / k_in) if sampler == SAMPLER_GAUSSIAN else 1.0
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


@njit(cache=True, inline="always")
def _maxabs(params, p, count):
    """max |params[p:p+count]| as float64 (0 when count = 0)."""
    m = 0.0
    for i in range(count):
        m = max(m, abs(float(params[p + i])))
    return m


@njit(cache=True, inline="always")
def _cheap_bound(params, k_in, k_hid, lo0, hi0, e0, u):
    """One-hidden-layer networks: a bound ``E`` >= the bound ``e_out`` that
    :func:`_extents`/:func:`_layer_bounds` compute (derived here), from max-abs quantities only.

    With W = max |w_jk| (first layer), Bm = max |b_j|, V = max |v_j| (output weights),
    c = output bias, Mx = max_k (max(|lo0_k|, |hi0_k|) + e0_k), Ex = max_k e0_k,
    g1 = gamma_{k_in+1}, g2 = gamma_{k_hid+1} (Higham eq. (3.5)): every term of the per-unit
    bound is dominated term by term, since |w_jk| <= W, M_k + e_k <= Mx, e_k <= Ex, |b_j| <= Bm:

        mag_j = |b_j| + sum_k |w_jk| (M_k + e_k) <= MAG = k_in W Mx + Bm,
        e_j = (g1 mag_j + sum_k |w_jk| e_k)(1 + 1e-6) <= E1 = (g1 MAG + k_in W Ex)(1 + 1e-6),
        box of h_j (interval mode): [0, |b_j| + sum_k |w_jk| M_k + 1e-9 mag_j] so
        M'_j + e_j <= MAG (1 + 1e-9) + E1,
        e_out = (g2 (|c| + sum_j |v_j| (M'_j + e_j)) + sum_j |v_j| e_j)(1 + 1e-6)
              <= E = (g2 (|c| + k_hid V (MAG (1 + 1e-9) + E1)) + k_hid V E1)(1 + 1e-6).

    These are exact-arithmetic inequalities; both sides are evaluated in float64 with
    nonnegative terms only, so each computed value is within a relative (1 + 2^-53)^N of its
    exact value, N the number of operations (< 2 (k_in + 1) (k_hid + 1) + 50); the final factor
    (1 + 1e-8) covers both for N up to ~10^7, so the computed E >= the computed e_out.
    Hence |output| > E implies |output| > e_out: a network passing this test is one the
    per-unit test certifies too (and its bound E is itself a valid rounding bound).
    """
    mx = 0.0
    ex = 0.0
    for k in range(k_in):
        ex = max(ex, e0[k])
        mx = max(mx, max(abs(lo0[k]), abs(hi0[k])) + e0[k])
    p_b = k_hid * k_in
    p_v = p_b + k_hid
    w = _maxabs(params, 0, p_b)
    bm = _maxabs(params, p_b, k_hid)
    v = _maxabs(params, p_v, k_hid)
    c = abs(float(params[p_v + k_hid]))
    mag = k_in * w * mx + bm
    e1 = (_gamma(k_in + 1, u) * mag + k_in * w * ex) * (1.0 + 1e-6)
    e = (_gamma(k_hid + 1, u) * (c + k_hid * v * (mag * (1.0 + 1e-9) + e1)) + k_hid * v * e1)
    return e * (1.0 + 1e-6) * (1.0 + 1e-8)


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


@njit(cache=True, inline="always")
def _row_range(Bi, dl, dr, shift, mask, mm, mmf):
    """(min, max) of the computed values B[dl, dr, :], as float64. The map s -> s ^ ((s >> shift)
    & mask) of the float's bits (read as a signed integer) is increasing in the float's value
    and is its own inverse, so the reduction runs (vectorised) on integers."""
    s = Bi[dl, dr, 0]
    mn = s ^ ((s >> shift) & mask)
    mx = mn
    for i in range(Bi.shape[2]):
        s = Bi[dl, dr, i]
        key = s ^ ((s >> shift) & mask)
        mn = min(mn, key)
        mx = max(mx, key)
    mm[0] = mn ^ ((mn >> shift) & mask)
    mm[1] = mx ^ ((mx >> shift) & mask)
    return float(mmf[0]), float(mmf[1])


# Layout of the work buffer B (4, max(5, max width), n) of the compute dtype: B[0] the points
# (row k = coordinate k), B[1] and B[2] the hidden activations (ping-pong), B[3, 0..3] scratch
# rows for w.x of four units and B[3, 4] the network output. Bi is an integer view of B.
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
def _hidden_layer(B, Bi, params, p, k_in, k_out, al, dl, pv, first, sampler, state, gamma, ku,
                  shift, mask, lo, hi, box, mm, mmf):
    """ReLU layer with parameters at ``params[p:]`` applied to ``B[al]`` (k_in, n); returns the
    uniform counter ``ku``.

    Activations go to ``B[dl]`` (k_out, n), except in the last hidden layer (``pv >= 0``),
    where only ``B[3, 1] += v_j h_j`` with the output weights ``v = params[pv:]`` is kept.

    The first hidden layer (``first``) has its biases in place. In later layers each unit first
    computes z = w.x over the points, records its range [zmin, zmax] in row ``1 - box`` of
    lo/hi (for :func:`_layer_bounds`), then (data sampler) draws its bias from that range with
    :func:`_offset_bias` -- the hyperplane passes through a random point of the data's extent
    along w -- and applies h = ReLU(z + b).

    Loops run over the points (innermost, vectorised). In the first layer with k_in <= 3
    (missing inputs padded with exact zero weights) four units share one pass over the points;
    otherwise groups of four units share each pass over an input row.
    """
    n = B.shape[2]
    pb = p + k_out * k_in
    zero = params[pb] - params[pb]
    acc = pv >= 0
    r1 = min(1, k_in - 1)
    r2 = min(2, k_in - 1)
    j = 0
    three = k_in == 3
    if first and k_in <= 3:
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
    while j < k_out:
        # z rows B[3, 0..g-1] = w.x for g = 4 units at once (g = 1 for the last few units):
        # one pass over the points per input loads each input value once for four units
        g = 4 if j + 4 <= k_out else 1
        q0 = p + j * k_in
        q1 = q0 + k_in if g == 4 else q0
        q2 = q1 + k_in if g == 4 else q0
        q3 = q2 + k_in if g == 4 else q0
        for i in range(n):
            B[3, 0, i] = zero
            B[3, 1, i] = zero
            B[3, 2, i] = zero
            B[3, 3, i] = zero
        k = 0
        while k + 2 <= k_in:  # two inputs per pass: half the loads and stores of the sums
            w0, w1, w2, w3 = params[q0 + k], params[q1 + k], params[q2 + k], params[q3 + k]
            v0, v1 = params[q0 + k + 1], params[q1 + k + 1]
            v2, v3 = params[q2 + k + 1], params[q3 + k + 1]
            for i in range(n):
                x = B[al, k, i]
                y = B[al, k + 1, i]
                B[3, 0, i] += w0 * x + v0 * y
                B[3, 1, i] += w1 * x + v1 * y
                B[3, 2, i] += w2 * x + v2 * y
                B[3, 3, i] += w3 * x + v3 * y
            k += 2
        if k < k_in:
            w0, w1, w2, w3 = params[q0 + k], params[q1 + k], params[q2 + k], params[q3 + k]
            for i in range(n):
                x = B[al, k, i]
                B[3, 0, i] += w0 * x
                B[3, 1, i] += w1 * x
                B[3, 2, i] += w2 * x
                B[3, 3, i] += w3 * x
        for r in range(g):
            u_ = j + r
            if not first:
                zmin, zmax = _row_range(Bi, 3, r, shift, mask, mm, mmf)
                lo[1 - box, u_] = zmin
                hi[1 - box, u_] = zmax
                if sampler == SAMPLER_DATA:
                    params[pb + u_] = _offset_bias(
                        zmin, zmax, _uniform(state, gamma, _UNIFORM_BASE + ku + u_))
            b = params[pb + u_]
            if acc:
                v = params[pv + u_]
                for i in range(n):
                    B[3, _OUT, i] += v * _relu(B[3, r, i] + b, zero)
            else:
                for i in range(n):
                    B[dl, u_, i] = _relu(B[3, r, i] + b, zero)
        j += g
    if sampler == SAMPLER_DATA and not first:
        ku += k_out
    return ku


@njit(cache=True, inline="always")
def _output_unit(B, Bi, params, p, k_in, absmask, mm, mmf):
    """Add the output bias to ``B[3, 1]`` (which holds w.x) and return min |output| (an integer
    reduction over the bits with the sign cleared, which order like the absolute values)."""
    b = params[p + k_in]
    n = B.shape[2]
    for i in range(n):
        B[3, _OUT, i] += b
    m = Bi[3, _OUT, 0] & absmask
    for i in range(n):
        m = min(m, Bi[3, _OUT, i] & absmask)
    mm[0] = m
    return float(mmf[0])


@njit(cache=True, fastmath=_FM, _nrt=False)
def _forward(B, Bi, params, mm, mmf, lo0, hi0, e0, widths, sampler, state, gamma, shift,
             absmask, lo, hi, err, nbuf, raw, tmp, u):
    """Draw a network from ``(state, gamma)`` and evaluate it on the points held in ``B[0]``.

    The compute dtype is that of ``B``/``params`` (see :func:`_scratch` for the buffers);
    ``shift``/``absmask`` are 31/0x7FFFFFFF for float32, 63/0x7FFF...F for float64.
    ``lo0``/``hi0``: bounding box of the points; ``e0``: bound on each input coordinate's
    representation error. Leaves the outputs in ``B[3, 1]`` and the parameters in ``params``;
    returns ``(certified, min |output|, error bound)``.

    Random numbers: normals (:func:`_draw_normals`) layer by layer, the weights then (gaussian)
    the biases; data-sampler biases from uniforms number 0, 1, ... unit by unit, layer by layer,
    the output bias last (from the range of the output's weighted sum over the points).
    ``nbuf``: float64 scratch for the normals; ``tmp`` (4, max width) for :func:`_extents`.
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
    _draw_normals(params, widths, sampler, state, gamma, nbuf, raw)
    cheap = n_layers == 2  # one hidden layer: per-unit bounds only if _cheap_bound fails
    for layer in range(n_layers - 1):
        k_in = widths[layer]
        k_out = widths[layer + 1]
        box = layer % 2
        dl = 1 + layer % 2
        pb = p + k_out * k_in
        first = layer == 0
        g = _gamma(k_in + 1, u)
        if first and sampler == SAMPLER_DATA:
            _extents(params, p, k_in, k_out, lo, hi, err, box, tmp, not cheap)
            ku = _draw_biases(params, pb, k_out, tmp, state, gamma, ku)
        elif first and not cheap:
            _extents(params, p, k_in, k_out, lo, hi, err, box, tmp)
        pv = p_out if layer == n_layers - 2 else -1
        ku = _hidden_layer(B, Bi, params, p, k_in, k_out, al, dl, pv, first, sampler, state,
                           gamma, ku, shift, absmask, lo, hi, box, mm, mmf)
        if not first:
            _extents(params, p, k_in, k_out, lo, hi, err, box, tmp)
        if not cheap:
            _layer_bounds(params, pb, k_out, _INTERVAL if first else _RANGES, lo, hi, err, box,
                          g, tmp)
        p += k_out * (k_in + 1)
        al = dl
    box = (n_layers - 1) % 2
    if n_layers == 1:  # single neuron: out = w.x
        _affine_into(B, 0, params, p_out, params[p_out] - params[p_out], k_last, 3, _OUT)
    if sampler == SAMPLER_DATA:
        tmin, tmax = _row_range(Bi, 3, _OUT, shift, absmask, mm, mmf)
        params[p_out + k_last] = _offset_bias(tmin, tmax,
                                              _uniform(state, gamma, _UNIFORM_BASE + ku))
    if cheap:
        min_abs = _output_unit(B, Bi, params, p_out, k_last, absmask, mm, mmf)
        e_out = _cheap_bound(params, widths[0], k_last, lo0, hi0, e0, u)
        if min_abs > e_out:
            return True, min_abs, e_out
        # inconclusive: the per-unit bounds of the hidden layer (from its input box, row 0)
        _extents(params, 0, widths[0], k_last, lo, hi, err, 0, tmp)
        _layer_bounds(params, widths[0] * k_last, k_last, _INTERVAL, lo, hi, err, 0,
                      _gamma(widths[0] + 1, u), tmp)
    _extents(params, p_out, k_last, 1, lo, hi, err, box, tmp)
    e_out = _layer_bounds(params, p_out + k_last, 1, _OUTPUT, lo, hi, err, box,
                          _gamma(k_last + 1, u), tmp)
    if not cheap:
        min_abs = _output_unit(B, Bi, params, p_out, k_last, absmask, mm, mmf)
    return min_abs > e_out, min_abs, e_out


@njit(cache=True, _nrt=False)
def _pack(Bi, key):
    """Canonical bit-packed pattern of the outputs ``B[3, 1] > 0`` (for non-NaN floats x > 0
    iff its bits, read as a signed integer, are > 0), complemented when bit 0 would be set."""
    n = Bi.shape[2]
    flip = Bi[3, _OUT, 0] > 0
    for wd in range(key.shape[0]):
        start = wd * 64
        used = min(64, n - start)
        word = np.int64(0)
        for i in range(used):  # int64 shifts by the loop index: this form vectorises
            word |= np.int64(Bi[3, _OUT, start + i] > 0) << i
        bits = _U(word)
        if flip:
            bits ^= EMPTY_WORD if used == 64 else (_ONE << _U(used)) - _ONE
        key[wd] = bits


@njit(cache=True)
def _sizes(widths):
    maxw = 5
    n_params = 0
    for layer in range(widths.shape[0] - 1):
        maxw = max(maxw, widths[layer], widths[layer + 1])
        n_params += (widths[layer] + 1) * widths[layer + 1]
    return maxw, n_params


@njit(cache=True)
def _scratch(X, widths, itype):
    """Work arrays of :func:`_forward` in the dtype of ``X`` (m, n): ``(B, Bi, params, mm,
    mmf)`` with ``B[0]`` holding the points; ``itype`` is an integer array of the same item size
    (for the integer views ``Bi`` and ``mm``)."""
    maxw, n_params = _sizes(widths)
    B = np.zeros((4, maxw, X.shape[1]), X.dtype)
    B[0, :X.shape[0]] = X
    mm = np.zeros(2, itype.dtype)
    return B, B.view(itype.dtype), np.zeros(n_params, X.dtype), mm, mm.view(X.dtype)


@njit(cache=True)
def _workspace(X32, X64, widths):
    """All work arrays of one thread: float32 and float64 buffers (:func:`_scratch`), boxes and
    error bounds lo/hi/err (2, max width), the normals buffer and the extents (4, max width)."""
    maxw, n_params = _sizes(widths)
    return (_scratch(X32, widths, np.zeros(1, np.int32)),
            _scratch(X64, widths, np.zeros(1, np.int64)),
            np.zeros((2, maxw)), np.zeros((2, maxw)), np.zeros((2, maxw)), np.zeros(n_params),
            np.zeros(n_params, np.uint64), np.zeros((4, maxw)))


@njit(cache=True, _nrt=False)
def _network(lo0, hi0, e32, e64, widths, sampler, seed, t, ws, key):
    """Network ``t``: float32 pass, float64 pass if needed; packs ``key``. Returns the status:
    0 certified in float32, 1 certified in float64, 2 rejected (``key`` marked empty)."""
    s32, s64, lo, hi, err, nbuf, raw, tmp = ws
    state, gamma = _stream(seed, t)
    B, Bi, params, mm, mmf = s32
    ok, _, _ = _forward(B, Bi, params, mm, mmf, lo0, hi0, e32, widths, sampler, state, gamma,
                        np.int64(31), np.int64(0x7FFFFFFF), lo, hi, err, nbuf, raw, tmp,
                        2.0 ** -24)
    if ok:
        _pack(Bi, key)
        return 0
    B, Bi, params, mm, mmf = s64
    ok, _, _ = _forward(B, Bi, params, mm, mmf, lo0, hi0, e64, widths, sampler, state, gamma,
                        np.int64(63), np.int64(0x7FFFFFFFFFFFFFFF), lo, hi, err, nbuf, raw, tmp,
                        2.0 ** -53)
    if ok:
        _pack(Bi, key)
        return 1
    key[0] = EMPTY_WORD
    return 2


@njit(cache=True)
def _generate_range(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, start, stop, keys,
                    status):
    ws = _workspace(X32, X64, widths)
    for t in range(start, stop):
        status[t] = _network(lo0, hi0, e32, e64, widths, sampler, seed, t0 + t, ws, keys[t])


@njit(cache=True, parallel=True)
def _generate_parallel(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, count, keys,
                       status, threads):
    per = (count + threads - 1) // threads
    for c in prange(threads):
        _generate_range(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t0, c * per,
                        min(count, (c + 1) * per), keys, status)


def generate(data, widths, sampler, seed, t0, count, keys, status, threads=1):
    """Canonical patterns of networks ``t0 .. t0 + count - 1`` into ``keys[:count]``.

    ``data`` is ``(X32, X64, lo0, hi0, e32, e64)`` (points as (m, n) arrays, their bounding box,
    input error bounds). ``status[t]``: 0 certified in float32, 1 certified in float64,
    2 rejected (row empty). The result does not depend on ``threads``.
    """
    seed = np.uint64(seed)  # one compiled signature for every seed in [0, 2^64)
    t0 = np.int64(t0)
    if threads <= 1 or count < 2 * threads:
        _generate_range(*data, widths, sampler, seed, t0, 0, count, keys, status)
    else:
        _generate_parallel(*data, widths, sampler, seed, t0, count, keys, status, threads)


@njit(cache=True)
def _record(X32, X64, lo0, hi0, e32, e64, widths, sampler, seed, t):
    ws = _workspace(X32, X64, widths)
    key = np.zeros((X32.shape[1] + 63) // 64, np.uint64)
    status = _network(lo0, hi0, e32, e64, widths, sampler, seed, t, ws, key)
    B, _, params, _, _ = ws[0]
    if status == 0:
        return status, params.astype(np.float64), B[3, _OUT].astype(np.float64), key
    B, _, params, _, _ = ws[1]
    return status, params.copy(), B[3, _OUT].copy(), key


def network_record(data, widths, sampler, seed, t):
    """Network ``t`` exactly as :func:`generate` draws and evaluates it.

    Returns ``(status, layers, outputs, key)``: ``layers`` is a list of ``(W, b)`` float64
    arrays (the values used by the pass that decided, float32 or float64), ``outputs`` the
    computed outputs, ``key`` the canonical pattern.
    """
    status, flat, outputs, key = _record(*data, widths, sampler, np.uint64(seed), np.int64(t))
    return status, unflatten(widths, flat), outputs, key


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


@njit(cache=True, _nrt=False)
def insert(table, keys, count, size):
    """Insert rows ``keys[:count]`` (skipping empty rows) into ``table`` holding ``size`` keys
    (linear probing); returns the new size. The caller keeps the load factor below 1/2."""
    mask = _U(table.shape[0] - 1)
    n_words = keys.shape[1]
    for r in range(count):
        if keys[r, 0] == EMPTY_WORD:
            continue
        h = _U(0x243F6A8885A308D3)
        for wd in range(n_words):
            h = _mix64(h ^ keys[r, wd])
        slot = np.int64(h & mask)
        while True:
            if table[slot, 0] == EMPTY_WORD:
                for wd in range(n_words):
                    table[slot, wd] = keys[r, wd]
                size += 1
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
