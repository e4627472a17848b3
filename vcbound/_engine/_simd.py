"""Register-blocked products written as explicit LLVM vector code (internal).

Three kernels: :func:`lane_dot4`, the products of many networks at once (one per lane, for
:mod:`._lanes`); :func:`chunk_products`, the products of one network over chunks of
points that skip the inputs which are zero on a chunk (for the per-network pass of
:mod:`._kernels`; see the section below); and :func:`first_products`, the same for the
second hidden layer with the first layer's activations computed inside the kernel and the
units positive on a whole chunk summed as one affine function (networks on at most two
coordinates; last section). Smaller helpers of the per-network pass: the
chunks' sign bits (:func:`positive_bits`) and ``pext`` for packing patterns, and a 16 x 16
register-blocked :func:`transpose` of the lane parameters.

:func:`lane_dot4` computes the hidden-to-hidden products of :mod:`._lanes` for four
units at once: Z_u[i, l] = sum_k w_uk H[k, i, l] for every point i and lane (network) l. For
each block of four points and each vector of 16 lanes, the loop over the inputs runs
*inside*, the 16 running sums (four units x four points) stay in registers from the first
input to the last and each is stored once; each weight vector loaded serves four points and
each input vector four units. LLVM's loop vectoriser only vectorises innermost loops and
numba has no vector type, so numba loops cannot be given this order (every attempt left the
sums in memory or went scalar, see :mod:`._lanes`): the kernel is emitted as LLVM IR on
``<16 x float>`` values (:func:`numba.extending.intrinsic`), inlined into its numba caller and
cached with it.

Order of each sum (stream version 4 of :mod:`vcbound.enumerate`): a chain of fused
multiply-adds, s = w_0 h_0 (rounded), then s = fma(w_k, h_k, s) for k = 1, 2, ... The
arithmetic is spelled out without fast-math flags, so LLVM can neither reassociate nor
contract it; :func:`._lanes._lane_dot` (one unit, the remainder of a layer whose width
is not a multiple of four) compiles to the same chain, and the tests compare the two bit for
bit. The rounding bound of :mod:`._kernels` holds for any order of the sum.

Measured (one thread, whole generator, n = 64 points, [2, 16, 16, 1]): about 0.98 -> 0.84 us
per network against the numba loop it replaced (four units by two points, the sums stored
after every four inputs, each pair of inputs added as s + (a h + b g), which is three
floating-point operations per two products instead of two).
"""

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from ._compile import njit

__all__ = ["VECTOR", "lane_dot4", "chunk_lists", "chunk_products", "tail_products",
           "first_masks", "first_products", "weight_columns", "positive_bits", "pext", "transpose"]

#: float32 lanes per vector (one AVX-512 register). The lane count of every workspace that
#: uses :func:`lane_dot4` is a multiple of it.
VECTOR = 16

_I64 = ir.IntType(64)


def _const(v):
    return ir.Constant(_I64, v)


def _vector(dtype):
    """LLVM vector of :data:`VECTOR` elements of a numba float type."""
    return ir.VectorType(ir.FloatType() if dtype.bitwidth == 32 else ir.DoubleType(), VECTOR)


_VT = _vector(types.float32)


def _at(builder, data, row, cols, off, vt):
    """Pointer to the vector ``vt`` starting at element (row, off) of a C-contiguous array
    (rows, cols) whose data pointer is ``data``."""
    return builder.bitcast(builder.gep(data, [builder.add(builder.mul(row, cols), off)]),
                           vt.as_pointer())


def _fma(builder, a, b, c):
    """a b + c rounded once (``llvm.fma`` on vectors of :data:`VECTOR` float32 or float64)."""
    vt = a.type
    name = "f32" if vt.element == ir.FloatType() else "f64"
    fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(vt, [vt] * 3),
                                        f"llvm.fma.v{VECTOR}{name}")
    return builder.call(fn, [a, b, c])


def _dot_block(points):
    """Intrinsic ``f(P, q, k_in, H, Z0, Z1, Z2, Z3, i0)``: for the points i0 .. i0 + points - 1
    and every lane, Z_u[i, :] = sum_k P[q + u k_in + k, :] H[k, i, :], u = 0 .. 3 (k_in >= 1).

    All arrays C-contiguous float32 with the lane index last; the lane count (last axis of
    P, H and Z_u) a multiple of :data:`VECTOR`."""

    @intrinsic
    def dot_block(typingctx, P, q, k_in, H, Z0, Z1, Z2, Z3, i0):
        sig = types.void(P, q, k_in, H, Z0, Z1, Z2, Z3, i0)

        def codegen(context, builder, signature, args):
            ty = signature.args
            pa = context.make_array(ty[0])(context, builder, args[0])
            ha = context.make_array(ty[3])(context, builder, args[3])
            za = [context.make_array(ty[4 + u])(context, builder, args[4 + u])
                  for u in range(4)]
            q, k_in, i0 = (context.cast(builder, args[a], ty[a], types.int64)
                           for a in (1, 2, 8))
            lanes = cgutils.unpack_tuple(builder, za[0].shape, 2)[1]
            n_h = cgutils.unpack_tuple(builder, ha.shape, 3)[1]
            add, mul = builder.add, builder.mul

            def address(data, row, off):   # element (row, off) of a (rows, lanes) array
                return _at(builder, data, row, lanes, off, _VT)

            rows = [add(q, mul(k_in, _const(u))) for u in range(4)]   # unit u's weights

            def terms(k, off):   # the four units' weights of input k, input k at the points
                w = [builder.load(address(pa.data, add(rows[u], k), off), align=4)
                     for u in range(4)]
                h = [builder.load(address(ha.data, add(mul(k, n_h), add(i0, _const(p))), off),
                                  align=4) for p in range(points)]
                return w, h

            acc = [[cgutils.alloca_once(builder, _VT) for _ in range(points)]
                   for _ in range(4)]   # promoted to registers by LLVM

            with cgutils.for_range(builder, builder.udiv(lanes, _const(VECTOR))) as vec:
                off = mul(vec.index, _const(VECTOR))
                w, h = terms(_const(0), off)
                for u in range(4):
                    for p in range(points):
                        builder.store(builder.fmul(w[u], h[p]), acc[u][p])
                with cgutils.for_range(builder, builder.sub(k_in, _const(1))) as kk:
                    w, h = terms(add(kk.index, _const(1)), off)
                    for u in range(4):
                        for p in range(points):
                            builder.store(_fma(builder, w[u], h[p], builder.load(acc[u][p])),
                                          acc[u][p])
                for u in range(4):
                    for p in range(points):
                        builder.store(builder.load(acc[u][p]),
                                      address(za[u].data, add(i0, _const(p)), off), align=4)
            return context.get_dummy_value()

        return sig, codegen

    return dot_block


_dot_4_points = _dot_block(4)
_dot_1_point = _dot_block(1)


@njit(cache=True, _nrt=False)
def lane_dot4(P, q, k_in, H, Z0, Z1, Z2, Z3):
    """Z_u[i, l] = sum_k P[q + u k_in + k, l] H[k, i, l] for the four units u = 0 .. 3 (weights
    of unit u at P[q + u k_in:]) as an FMA chain over k = 0, 1, ... (module docstring).

    k_in >= 1; every array C-contiguous float32 with the lane count, a multiple of
    :data:`VECTOR`, last; Z0 .. Z3 distinct from each other, H and P.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.arange(2 * 4 * 16, dtype=np.float32).reshape(8, 16) / 64   # 4 units, 2 inputs
    >>> H = np.ones((2, 1, 16), np.float32)                               # 1 point
    >>> Z = np.zeros((4, 1, 16), np.float32)
    >>> lane_dot4(P, 0, 2, H, Z[0], Z[1], Z[2], Z[3])
    >>> bool(Z[1, 0, 5] == P[2, 5] + P[3, 5])
    True
    """
    n = Z0.shape[0]
    i = 0
    while i + 4 <= n:
        _dot_4_points(P, q, k_in, H, Z0, Z1, Z2, Z3, i)
        i += 4
    while i < n:
        _dot_1_point(P, q, k_in, H, Z0, Z1, Z2, Z3, i)
        i += 1


# ------------------------------------------------------------------ one network, chunks of points
# The per-network pass (._kernels._forward) computes a later layer's products for one
# network: Z[u, i] = sum_k w_uk H[k, i]. The points are taken in chunks of VECTOR (one vector
# each); each chunk's sums run over the inputs k listed for that chunk only, the inputs with
# some H[k, i] > 0 on it (H holds ReLU outputs, >= 0). Skipping the others is exact: with the
# FMA chain, fma(w, 0, s) = s. On the grid, whose points ._kernels puts in Z order so
# that a chunk is a compact tile, many of the first layer's (input, chunk) pairs are zero: 41%
# for the data sampler on the 16 x 16 grid, [2, 16, 16, 1] (26% with the points in rows).
# Measured there, one network in a loop: the products 0.75 us, the lists 0.17 us, against
# 1.3 us for the numba loops they replaced (four units per pass over the points).


def _splat(builder, x, vt):
    v = builder.insert_element(ir.Constant(vt, ir.Undefined), x, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(v, ir.Constant(vt, ir.Undefined),
                                  ir.Constant(ir.VectorType(ir.IntType(32), VECTOR), [0] * VECTOR))


def _units(builder, q, k_in, units, vt):
    """(offsets q + u k_in of each unit u's weights, zeroed vector accumulators, one per unit,
    which LLVM promotes to registers), as IR."""
    rows = [builder.add(q, builder.mul(k_in, _const(u))) for u in range(units)]
    acc = [cgutils.alloca_once_value(builder, ir.Constant(vt, [0.0] * VECTOR))
           for _ in range(units)]
    return rows, acc


def _accumulate(builder, wa, rows, k, h, acc, vt):
    """acc[u] = fma(W[rows[u] + k], h, acc[u]) for every unit u (W's data ``wa``), as IR."""
    for u, row in enumerate(rows):
        w = _splat(builder, builder.load(builder.gep(wa.data, [builder.add(row, k)])), vt)
        builder.store(_fma(builder, w, h, builder.load(acc[u])), acc[u])


def _store_units(builder, za, z0, n_z, off, acc, vt):
    """Z[z0 + u, off:off + VECTOR] = acc[u] for every unit u (Z's data ``za``), as IR."""
    for u, a in enumerate(acc):
        builder.store(builder.load(a), _at(builder, za.data, builder.add(z0, _const(u)), n_z,
                                           off, vt), align=4)


def _chunk_dot(units):
    """Intrinsic ``f(W, q, k_in, H, Z, z0, IDX, cnt, c)``: for the points of chunk c (the
    points C c .. C c + C - 1, C = :data:`VECTOR`) and u = 0 .. units - 1,
    Z[z0 + u, points] = sum over k in IDX[c, :cnt] of W[q + u k_in + k] H[k, points], as the
    FMA chain s = 0, s = fma(w, h, s) in the listed order (0 when cnt = 0).

    W 1-D, H and Z 2-D C-contiguous arrays of one float type, IDX a 2-D integer array; the
    chunk must lie inside the rows of H and Z."""

    @intrinsic
    def chunk_dot(typingctx, W, q, k_in, H, Z, z0, IDX, cnt, c):
        if not all(isinstance(a, types.Array) and a.dtype == H.dtype for a in (W, Z)):
            return None
        sig = types.void(W, q, k_in, H, Z, z0, IDX, cnt, c)

        def codegen(context, builder, signature, args):
            ty = signature.args
            wa, ha, za, ia = (context.make_array(ty[a])(context, builder, args[a])
                              for a in (0, 3, 4, 6))
            q, k_in, z0, cnt, c = (context.cast(builder, args[a], ty[a], types.int64)
                                   for a in (1, 2, 5, 7, 8))
            vt = _vector(ty[3].dtype)
            n_h = cgutils.unpack_tuple(builder, ha.shape, 2)[1]
            n_z = cgutils.unpack_tuple(builder, za.shape, 2)[1]
            n_idx = cgutils.unpack_tuple(builder, ia.shape, 2)[1]
            add, mul = builder.add, builder.mul
            off = mul(c, _const(VECTOR))
            rows, acc = _units(builder, q, k_in, units, vt)
            with cgutils.for_range(builder, cnt) as t:
                k = context.cast(builder, builder.load(builder.gep(
                    ia.data, [add(mul(c, n_idx), t.index)])), ty[6].dtype, types.int64)
                h = builder.load(_at(builder, ha.data, k, n_h, off, vt), align=4)
                _accumulate(builder, wa, rows, k, h, acc, vt)
            _store_units(builder, za, z0, n_z, off, acc, vt)
            return context.get_dummy_value()

        return sig, codegen

    return chunk_dot


_dot_16_units = _chunk_dot(16)
_dot_4_units = _chunk_dot(4)
_dot_1_unit = _chunk_dot(1)


@intrinsic
def positive_bits(typingctx, H, k, c):
    """Bit i (i < :data:`VECTOR`) set iff H[k, C c + i] > 0, C = :data:`VECTOR` (one vector
    compare; H a C-contiguous 2-D float array whose row k holds that chunk)."""
    sig = types.int64(H, k, c)

    def codegen(context, builder, signature, args):
        ty = signature.args
        ha = context.make_array(ty[0])(context, builder, args[0])
        k, c = (context.cast(builder, args[a], ty[a], types.int64) for a in (1, 2))
        vt = _vector(ty[0].dtype)
        n_h = cgutils.unpack_tuple(builder, ha.shape, 2)[1]
        h = builder.load(_at(builder, ha.data, k, n_h, builder.mul(c, _const(VECTOR)), vt),
                         align=4)
        positive = builder.fcmp_ordered(">", h, ir.Constant(vt, [0.0] * VECTOR))
        return builder.zext(builder.bitcast(positive, ir.IntType(VECTOR)), _I64)

    return sig, codegen


def _host_has_bmi2():
    try:
        import llvmlite.binding as llvm
        return bool(llvm.get_host_cpu_features().get("bmi2", False))
    except Exception:  # pragma: no cover - llvmlite without the query
        return False


@intrinsic
def _pext_bmi2(typingctx, x, m):
    sig = types.uint64(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_I64, [_I64] * 2),
                                            "llvm.x86.bmi.pext.64")
        return builder.call(fn, args)

    return sig, codegen


@njit(cache=True, inline="always")
def _pext_loop(x, m):
    r = np.uint64(0)
    b = np.uint64(0)
    one = np.uint64(1)
    while m != 0:
        low = m & (~m + one)
        if x & low:
            r |= one << b
        b += one
        m ^= low
    return r


#: Parallel bit extract of the 64-bit words x and m: the bits of x at the set bits of m, in
#: increasing order, packed from bit 0 (one ``pext`` instruction where the CPU has BMI2).
pext = _pext_bmi2 if _host_has_bmi2() else _pext_loop


@njit(cache=True, _nrt=False)
def chunk_lists(H, k_in, IDX, CNT):
    """For every whole chunk c of :data:`VECTOR` points (columns of H (>= k_in, n)):
    IDX[c, :CNT[c]] = the inputs k < k_in, in increasing order, with H[k, i] > 0 for some point
    i of the chunk. IDX (>= n // VECTOR, >= k_in) and CNT (>= n // VECTOR) integer arrays.

    Examples
    --------
    >>> import numpy as np
    >>> H = np.zeros((3, 16), np.float32)
    >>> H[2, 7] = 0.5
    >>> IDX = np.zeros((1, 3), np.int32); CNT = np.zeros(1, np.int64)
    >>> chunk_lists(H, 3, IDX, CNT)
    >>> int(CNT[0]), int(IDX[0, 0])
    (1, 2)
    """
    for c in range(H.shape[1] // VECTOR):
        cnt = 0
        for k in range(k_in):
            IDX[c, cnt] = k      # kept only if counted (branch-free)
            cnt += positive_bits(H, k, c) != 0
        CNT[c] = cnt


@njit(cache=True, _nrt=False)
def chunk_products(W, q, k_in, k_out, H, Z, IDX, CNT):
    """Z[u, i] = sum_k W[q + u k_in + k] H[k, i] for the units u < k_out and every point i
    (columns of H (>= k_in, n) and Z (>= k_out, n), C-contiguous, one float type; unit u's
    weights at W[q + u k_in:]).

    Whole chunks of :data:`VECTOR` points sum the inputs listed by :func:`chunk_lists` (exact
    when H >= 0: the others are zero on the chunk) as an FMA chain in increasing k, 16, 4 or 1
    units per pass over a chunk's inputs; the points past the last whole chunk sum every input
    in the same order, as the same chain (:func:`tail_products`).

    Examples
    --------
    >>> import numpy as np
    >>> H = np.zeros((2, 17), np.float32); H[0] = 1.0; H[1, ::2] = 2.0
    >>> W = np.array([3.0, 0.5, -1.0, 1.0], np.float32)    # unit 0: (3, 0.5), unit 1: (-1, 1)
    >>> IDX = np.zeros((1, 2), np.int32); CNT = np.zeros(1, np.int64)
    >>> Z = np.zeros((2, 17), np.float32)
    >>> chunk_lists(H, 2, IDX, CNT)
    >>> chunk_products(W, 0, 2, 2, H, Z, IDX, CNT)
    >>> Z[:, :3].tolist(), Z[:, 16].tolist()
    ([[4.0, 3.0, 4.0], [1.0, -1.0, 1.0]], [4.0, 1.0])
    """
    n = H.shape[1]
    chunks = n // VECTOR
    for c in range(chunks):
        cnt = CNT[c]
        j = 0
        while j + 16 <= k_out:
            _dot_16_units(W, q + j * k_in, k_in, H, Z, j, IDX, cnt, c)
            j += 16
        while j + 4 <= k_out:
            _dot_4_units(W, q + j * k_in, k_in, H, Z, j, IDX, cnt, c)
            j += 4
        while j < k_out:
            _dot_1_unit(W, q + j * k_in, k_in, H, Z, j, IDX, cnt, c)
            j += 1
    tail_products(W, q, k_in, k_out, H, Z)


@intrinsic
def _fma_scalar(typingctx, a, b, c):
    """a b + c rounded once, on three floats of one type (``llvm.fma``)."""
    if not (isinstance(a, types.Float) and a == b == c):
        return None

    def codegen(context, builder, signature, args):
        ft = args[0].type
        name = "f32" if ft == ir.FloatType() else "f64"
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ft, [ft] * 3),
                                            f"llvm.fma.{name}")
        return builder.call(fn, args)

    return a(a, a, a), codegen


@njit(cache=True, _nrt=False)
def tail_products(W, q, k_in, k_out, H, Z):
    """The points of :func:`chunk_products` past the last whole chunk: the FMA chain of the
    chunks (s = w_0 h_0 rounded, then s = fma(w_k, h_k, s)) over every input."""
    n = H.shape[1]
    for u in range(k_out):
        p = q + u * k_in
        for i in range(n // VECTOR * VECTOR, n):
            s = W[p] * H[0, i]
            for k in range(1, k_in):
                s = _fma_scalar(W[p + k], H[k, i], s)
            Z[u, i] = s


# ------------------------------------------------------------------------- transposition
@intrinsic
def _transpose_block(typingctx, P, q, n_p, PT, i0, l0):
    """PT[l0 + c, i0 + r] = P(i0 + r, l0 + c) for r, c < :data:`VECTOR`, where P(i, l) is the
    element q + n_p i + l of the C-contiguous array P (any dimensions): sixteen vector loads,
    four stages of sixteen two-source shuffles (stage j exchanges the elements whose row and
    column differ in bit j of the index) and sixteen vector stores."""
    if not (isinstance(P, types.Array) and isinstance(PT, types.Array) and PT.ndim == 2
            and P.dtype == PT.dtype and P.layout == PT.layout == "C"):
        return None
    sig = types.void(P, q, n_p, PT, i0, l0)

    def codegen(context, builder, signature, args):
        ty = signature.args
        pa, pt = (context.make_array(ty[a])(context, builder, args[a]) for a in (0, 3))
        q, n_p, i0, l0 = (context.cast(builder, args[a], ty[a], types.int64)
                          for a in (1, 2, 4, 5))
        vt = _vector(ty[0].dtype)
        n_t = cgutils.unpack_tuple(builder, pt.shape, 2)[1]
        base = builder.gep(pa.data, [q])
        rows = [builder.load(_at(builder, base, builder.add(i0, _const(r)), n_p, l0, vt),
                             align=4) for r in range(VECTOR)]
        mask_type = ir.VectorType(ir.IntType(32), VECTOR)
        for j in range(4):
            bit = 1 << j
            keep = ir.Constant(mask_type, [c if not c & bit else VECTOR + (c ^ bit)
                                           for c in range(VECTOR)])
            take = ir.Constant(mask_type, [c ^ bit if not c & bit else VECTOR + c
                                           for c in range(VECTOR)])
            for a in range(VECTOR):
                if not a & bit:
                    b = a | bit
                    rows[a], rows[b] = (builder.shuffle_vector(rows[a], rows[b], keep),
                                        builder.shuffle_vector(rows[a], rows[b], take))
        for c in range(VECTOR):
            builder.store(rows[c], _at(builder, pt.data, builder.add(l0, _const(c)), n_t, i0, vt),
                          align=4)
        return context.get_dummy_value()

    return sig, codegen


@njit(cache=True, _nrt=False)
def transpose(P, PT):
    """PT[l, i] = P[i, l] for every row i of P (rows, lanes) and lane l, lanes a multiple of
    :data:`VECTOR` and PT (lanes, >= rows): 16 x 16 blocks transposed in registers (the
    element-by-element loop stored each element apart, about 0.09 us per network of
    [2, 16, 16, 1] in the per-network pass), the rows past the last whole block one by one.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.arange(37 * 32, dtype=np.float32).reshape(37, 32)
    >>> PT = np.zeros((32, 37), np.float32)
    >>> transpose(P, PT)
    >>> bool((PT == P.T).all())
    True
    """
    rows, lanes = P.shape
    whole = rows // VECTOR * VECTOR
    for i0 in range(0, whole, VECTOR):
        for l0 in range(0, lanes, VECTOR):
            _transpose_block(P, 0, lanes, PT, i0, l0)
    for i in range(whole, rows):
        for l in range(lanes):
            PT[l, i] = P[i, l]


# ------------------------------------------------------- the first two layers, fused by chunk
# With at most two inputs, the second hidden layer's products need not read stored first-layer
# activations: h_k = ReLU(fma(s_k, x_1, fma(a_k, x_0, c_k))) (unit k's weights a_k, s_k, bias
# c_k) costs two FMAs per listed unit and chunk, against a pass that computes and stores every
# unit on every point and a second pass that lists the nonzero ones. The list comes from the
# chunk's bounding box instead: each operation of that formula is correctly rounded and
# monotone in x_0 (direction sign a_k) and x_1 (sign s_k), so the computed value on any point
# of the box is at most its value at the corner x_0 = (a_k >= 0 ? max : min), x_1 = (s_k >= 0 ?
# max : min). A unit whose corner value is <= 0 is zero on the whole chunk; the others are
# listed. On a grid each 4 x 4 chunk's box corners are points of it, so the list is exactly
# that of :func:`chunk_lists`; elsewhere it may also list units that are zero on the chunk,
# whose terms fma(w, 0, s) = s change nothing. Measured (whole generator, n = 256,
# [2, 16, 16, 1], six alternating runs): 2.57-2.77 -> 2.32-2.44 us per network (medians 2.61
# and 2.37), the same patterns bit for bit.
#
# The same monotonicity at the opposite corner tells which listed units are > 0 on the whole
# box ("full"; on the 16 x 16 grid about 40% of the (unit, chunk) pairs, as many as are zero,
# against 20% "partial"). On a chunk a full unit is the affine function l_k, so the full units'
# terms sum to one affine function per second-layer unit u, A_u x_0 + S_u x_1 + C_u, whose
# coefficients (vectors over u from the weights' columns) cost three FMAs per full unit instead
# of one per u (:func:`_first_dot`). Measured (whole generator, n = 256, [2, 16, 16, 1], five
# alternating runs): 2.09-2.18 -> 2.00-2.09 us per network; the products alone 1.05 -> 0.86 us
# (perf), the rest of the gain lost to the transposed weights, the second mask and the larger
# rounding bound (2.5x more networks redo points in float64). Variants that started the chains
# from the affine part, or from C_u (no extra addition, but the partial units then wait for the
# coefficient chains), measured 2.07-2.15 and 2.04-2.15 in the same runs; with the coefficients
# splatted from registers (about three shuffles each), shuffles took 44% of the kernel (perf).
#
# ASC (3 + k_in, 16 g + 16) holds a_k, s_k, c_k in rows 0, 1, 2 (zero past the layer's width:
# never listed) and the second layer's weight columns in rows 3 + k (:func:`weight_columns`),
# CB (chunks, 4) each chunk's box (min x_0, max x_0, min x_1, max x_1), MASK (chunks, 2 g) the
# partial and the full units of chunk c as bits of MASK[c, group] and MASK[c, g + group] (unit
# 16 group + bit).


def _first_unit(builder, asc, n_asc, k, x0, x1, vt):
    """ReLU(fma(s_k, x1, fma(a_k, x0, c_k))) on a vector of points, as IR."""
    a, s, c = (_splat(builder, builder.load(builder.gep(
        asc.data, [builder.add(builder.mul(_const(r), n_asc), k)])), vt) for r in range(3))
    z = _fma(builder, s, x1, _fma(builder, a, x0, c))
    zero = ir.Constant(vt, [0.0] * VECTOR)
    return builder.select(builder.fcmp_ordered(">", z, zero), z, zero)


@intrinsic
def _corner_masks(typingctx, ASC, g, CB, c):
    """(partial, full) bits u = 0 .. 15 for the units 16 g + u on chunk c (the formula of
    :func:`_first_unit`, all 16 units as one vector): full when the value is > 0 at the corner
    of the chunk's box where it is smallest (then at every point of the box), partial when it
    is > 0 only at the corner where it is largest."""
    if not (isinstance(ASC, types.Array) and isinstance(CB, types.Array)
            and ASC.dtype == CB.dtype):
        return None
    sig = types.UniTuple(types.int64, 2)(ASC, g, CB, c)

    def codegen(context, builder, signature, args):
        ty = signature.args
        asc = context.make_array(ty[0])(context, builder, args[0])
        cb = context.make_array(ty[2])(context, builder, args[2])
        g, c = (context.cast(builder, args[a], ty[a], types.int64) for a in (1, 3))
        vt = _vector(ty[0].dtype)
        n_asc = cgutils.unpack_tuple(builder, asc.shape, 2)[1]
        off = builder.mul(g, _const(VECTOR))
        a, s, cc = (builder.load(_at(builder, asc.data, _const(r), n_asc, off, vt), align=4)
                    for r in range(3))
        box = [_splat(builder, builder.load(builder.gep(
            cb.data, [builder.add(builder.mul(c, _const(4)), _const(e))])), vt)
            for e in range(4)]
        zero = ir.Constant(vt, [0.0] * VECTOR)
        up0 = builder.fcmp_ordered(">=", a, zero)
        up1 = builder.fcmp_ordered(">=", s, zero)
        words = []
        for hi0, lo0, hi1, lo1 in ((1, 0, 3, 2), (0, 1, 2, 3)):   # largest, smallest corner
            x0 = builder.select(up0, box[hi0], box[lo0])
            x1 = builder.select(up1, box[hi1], box[lo1])
            z = _fma(builder, s, x1, _fma(builder, a, x0, cc))
            bits = builder.bitcast(builder.fcmp_ordered(">", z, zero), ir.IntType(VECTOR))
            words.append(builder.zext(bits, _I64))
        listed, full = words
        return context.make_tuple(builder, signature.return_type,
                                  [builder.xor(listed, full), full])

    return sig, codegen


def _for_bits(context, builder, ma, mtype, index, body):
    """``body(k)`` for k = 16 g + b, b the set bits (increasing) of the mask word ``ma[index]``
    of group g = ``index[1]`` (``index`` = (flat word index, g)), as IR."""
    flat, grp = index
    m = cgutils.alloca_once(builder, _I64)
    cttz = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(_I64, [_I64, ir.IntType(1)]), "llvm.cttz.i64")
    word = builder.load(builder.gep(ma.data, [flat]))
    builder.store(context.cast(builder, word, mtype, types.int64), m)
    head = builder.append_basic_block("listed")
    unit = builder.append_basic_block("unit")
    done = builder.append_basic_block("done")
    builder.branch(head)
    builder.position_at_end(head)
    bits = builder.load(m)
    builder.cbranch(builder.icmp_unsigned("!=", bits, _const(0)), unit, done)
    builder.position_at_end(unit)
    builder.store(builder.and_(bits, builder.sub(bits, _const(1))), m)
    body(builder.add(builder.mul(grp, _const(VECTOR)),
                     builder.call(cttz, [bits, ir.Constant(ir.IntType(1), 1)])))
    builder.branch(head)
    builder.position_at_end(done)


def _first_dot(units):
    """Intrinsic ``f(W, q, k_in, X, ASC, Z, z0, MASK, groups, c)``: for the points of chunk c
    and u = 0 .. units - 1, Z[z0 + u, points] = sum over the first-layer units k listed in
    MASK[c, :] (:func:`first_masks`) of W[q + u k_in + k] h_k(points), h_k =
    :func:`_first_unit` on the points X[0], X[1], evaluated as

    1. the partial units: s_u = 0, then s_u = fma(W[q + u k_in + k], h_k, s_u) over the
       partial k (increasing k), as in :func:`_chunk_dot`;
    2. the full units (h_k = l_k(x) = a_k x_0 + s_k x_1 + c_k throughout the chunk) as one
       affine function per u: for the 16 units z0 .. z0 + 15 at once (vectors over u, from
       the weights' columns ASC[3 + k, z0:z0 + 16]), A = sum w_k a_k, S = sum w_k s_k,
       C = sum w_k c_k over the full k, each an FMA chain from 0 in increasing k; then
       s_u = s_u + fma(S_u, x_1, fma(A_u, x_0, C_u)).

    A full unit costs three vector FMAs per chunk instead of one per unit u (16 in a block
    of 16), and the affine step three operations per u. The rounding differs from the plain
    chain; :func:`first_products` bounds it."""

    @intrinsic
    def first_dot(typingctx, W, q, k_in, X, ASC, Z, z0, MASK, groups, c):
        if not all(isinstance(a, types.Array) and a.dtype == X.dtype for a in (W, ASC, Z)):
            return None
        sig = types.void(W, q, k_in, X, ASC, Z, z0, MASK, groups, c)

        def codegen(context, builder, signature, args):
            ty = signature.args
            wa, xa, asc, za, ma = (context.make_array(ty[a])(context, builder, args[a])
                                   for a in (0, 3, 4, 5, 7))
            q, k_in, z0, groups, c = (context.cast(builder, args[a], ty[a], types.int64)
                                      for a in (1, 2, 6, 8, 9))
            vt = _vector(ty[3].dtype)
            n_x = cgutils.unpack_tuple(builder, xa.shape, 2)[1]
            n_z = cgutils.unpack_tuple(builder, za.shape, 2)[1]
            n_asc = cgutils.unpack_tuple(builder, asc.shape, 2)[1]
            n_m = cgutils.unpack_tuple(builder, ma.shape, 2)[1]
            add, mul = builder.add, builder.mul
            off = mul(c, _const(VECTOR))
            x0, x1 = (builder.load(_at(builder, xa.data, _const(r), n_x, off, vt), align=4)
                      for r in range(2))
            rows, acc = _units(builder, q, k_in, units, vt)
            coef = [cgutils.alloca_once_value(builder, ir.Constant(vt, [0.0] * VECTOR))
                    for _ in range(3)]
            mtype = ty[7].dtype

            def full(k):
                col = builder.load(_at(builder, asc.data, add(k, _const(3)), n_asc, z0, vt),
                                   align=4)
                for r in range(3):
                    x = _splat(builder, builder.load(builder.gep(
                        asc.data, [add(mul(_const(r), n_asc), k)])), vt)
                    builder.store(_fma(builder, col, x, builder.load(coef[r])), coef[r])

            def partial(k):
                h = _first_unit(builder, asc, n_asc, k, x0, x1, vt)
                _accumulate(builder, wa, rows, k, h, acc, vt)

            with cgutils.for_range(builder, groups) as grp:
                _for_bits(context, builder, ma, mtype,
                          (add(mul(c, n_m), add(groups, grp.index)), grp.index), full)
            with cgutils.for_range(builder, groups) as grp:
                _for_bits(context, builder, ma, mtype, (add(mul(c, n_m), grp.index), grp.index),
                          partial)
            # each unit's A_u, S_u, C_u in all elements: broadcast loads from memory (load
            # ports), not shuffles of a register (about three shuffle uops each); the empty asm
            # that "uses" the buffer keeps LLVM from forwarding the stores to the loads as
            # shuffles or merging neighbouring loads
            buf = cgutils.alloca_once(builder, ir.ArrayType(vt.element, 3 * VECTOR))
            base = builder.bitcast(buf, vt.element.as_pointer())
            for r in range(3):
                builder.store(builder.load(coef[r]), builder.bitcast(
                    builder.gep(base, [_const(r * VECTOR)]), vt.as_pointer()), align=4)
            barrier = ir.InlineAsm(ir.FunctionType(ir.VoidType(), [base.type]), "",
                                   "r,~{memory}", side_effect=True)

            def coefficient(r, u):
                return _splat(builder, builder.load(builder.gep(base, [_const(r * VECTOR + u)])),
                              vt)

            for u in range(units):
                builder.call(barrier, [base])
                affine = _fma(builder, coefficient(1, u), x1, _fma(
                    builder, coefficient(0, u), x0, coefficient(2, u)))
                builder.store(builder.fadd(builder.load(acc[u]), affine), acc[u])
            _store_units(builder, za, z0, n_z, off, acc, vt)
            return context.get_dummy_value()

        return sig, codegen

    return first_dot


_first_16_units = _first_dot(16)
_first_4_units = _first_dot(4)
_first_1_unit = _first_dot(1)


@njit(cache=True, _nrt=False)
def first_masks(ASC, CB, MASK, groups):
    """MASK[c, g], MASK[c, groups + g] = the partial and full units of group g (units 16 g ..
    16 g + 15, as bits) on chunk c (:func:`_corner_masks`), for every whole chunk c and
    g < groups. MASK (>= chunks, >= 2 groups) int64."""
    for c in range(CB.shape[0]):
        for g in range(groups):
            MASK[c, g], MASK[c, groups + g] = _corner_masks(ASC, g, CB, c)


@njit(cache=True, _nrt=False)
def weight_columns(W, q, k_in, k_out, ASC):
    """ASC[3 + k, j] = W[q + j k_in + k] for k < k_in, j < k_out: the columns of a layer's
    weight matrix (unit j's weights at W[q + j k_in:]), 16 x 16 blocks transposed in
    registers (:func:`_transpose_block`), the rest element by element."""
    VT = ASC[3:]
    rows = k_out // VECTOR * VECTOR
    cols = k_in // VECTOR * VECTOR
    for i0 in range(0, rows, VECTOR):
        for l0 in range(0, cols, VECTOR):
            _transpose_block(W, q, k_in, VT, i0, l0)
    for j in range(k_out):
        for k in range(cols if j < rows else 0, k_in):
            VT[k, j] = W[q + j * k_in + k]


@njit(cache=True, _nrt=False)
def first_products(W, q, k_in, k_out, X, ASC, Z, MASK):
    """Z[u, points of each whole chunk] = sum_k W[q + u k_in + k] h_k for the units u < k_out,
    with the first layer's activations h_k (k < k_in, that layer's width) computed on the chunk
    from ASC and the points X (rows 0, 1), over the units MASK lists (:func:`first_masks`):
    those zero on a chunk are skipped, those positive throughout it are summed as one affine
    function per u (:func:`_first_dot`, which gives the order of the sums). The points past the
    last whole chunk are left to :func:`tail_products`.

    ASC (3 + k_in, >= 16 ceil(k_out / 16) + 16): rows 0, 1, 2 the first layer's a_k, s_k,
    c_k (zero past its width); rows 3 + k get the weights' columns (:func:`weight_columns`).

    Rounding: every elementary term of Z -- w_uk h_k for a partial unit, w_uk a_k x_0,
    w_uk s_k x_1 and w_uk c_k for a full one -- passes through at most k_in + 3 roundings
    (|partial| + 1 for the former; at most |full| in the coefficient chains, two in the affine
    step and one adding it for the latter), so (Higham, eq. (3.5)) |Z - exact sum| <=
    gamma_{k_in+3} sum_k |w_uk| L_k with L_k >= |h_k| and >= |a_k| |x_0| + |s_k| |x_1| + |c_k|;
    the exact sum uses l_k(x) for the full units, which differs from ReLU(l_k(x)) by at most
    the first layer's rounding bound (the computed l_k is > 0). :mod:`._kernels` uses
    this bound (``FUSED_ROUNDINGS``, ``fused_box``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.zeros((2, 16), np.float32); X[0] = np.arange(16) / 16   # x_1 = 0
    >>> ASC = np.zeros((5, 32), np.float32)
    >>> ASC[0, :2] = 1.0, -1.0; ASC[2, :2] = -0.5, 1.5    # h_0 = ReLU(x_0 - 1/2),
    >>>                                                   # h_1 = 3/2 - x_0 (full)
    >>> CB = np.array([[0.0, 15 / 16, 0.0, 0.0]], np.float32)
    >>> MASK = np.zeros((1, 2), np.int64)
    >>> first_masks(ASC, CB, MASK, 1)
    >>> MASK.tolist()                       # partial: unit 0; full: unit 1
    [[1, 2]]
    >>> W = np.array([2.0, 1.0], np.float32); Z = np.zeros((1, 16), np.float32)
    >>> first_products(W, 0, 2, 1, X, ASC, Z, MASK)
    >>> Z[0, [0, 4, 8, 15]].tolist()       # 2 h_0 + h_1
    [1.5, 1.25, 1.0, 1.4375]
    """
    weight_columns(W, q, k_in, k_out, ASC)
    groups = (k_in + VECTOR - 1) // VECTOR
    for c in range(X.shape[1] // VECTOR):
        j = 0
        while j + 16 <= k_out:
            _first_16_units(W, q + j * k_in, k_in, X, ASC, Z, j, MASK, groups, c)
            j += 16
        while j + 4 <= k_out:
            _first_4_units(W, q + j * k_in, k_in, X, ASC, Z, j, MASK, groups, c)
            j += 4
        while j < k_out:
            _first_1_unit(W, q + j * k_in, k_in, X, ASC, Z, j, MASK, groups, c)
            j += 1
