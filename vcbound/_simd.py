"""Register-blocked products written as explicit LLVM vector code (internal).

Two kernels: :func:`lane_dot4`, the products of many networks at once (one per lane, for
:mod:`vcbound._lanes`), and :func:`chunk_products`, the products of one network over chunks of
points that skip the inputs which are zero on a chunk (for the per-network pass of
:mod:`vcbound._kernels`; see the section below).

:func:`lane_dot4` computes the hidden-to-hidden products of :mod:`vcbound._lanes` for four
units at once: Z_u[i, l] = sum_k w_uk H[k, i, l] for every point i and lane (network) l. For
each block of four points and each vector of 16 lanes, the loop over the inputs runs
*inside*, the 16 running sums (four units x four points) stay in registers from the first
input to the last and each is stored once; each weight vector loaded serves four points and
each input vector four units. LLVM's loop vectoriser only vectorises innermost loops and
numba has no vector type, so numba loops cannot be given this order (every attempt left the
sums in memory or went scalar, see :mod:`vcbound._lanes`): the kernel is emitted as LLVM IR on
``<16 x float>`` values (:func:`numba.extending.intrinsic`), inlined into its numba caller and
cached with it.

Order of each sum (stream version 4 of :mod:`vcbound.enumerate`): a chain of fused
multiply-adds, s = w_0 h_0 (rounded), then s = fma(w_k, h_k, s) for k = 1, 2, ... The
arithmetic is spelled out without fast-math flags, so LLVM can neither reassociate nor
contract it; :func:`vcbound._lanes._lane_dot` (one unit, the remainder of a layer whose width
is not a multiple of four) compiles to the same chain, and the tests compare the two bit for
bit. The rounding bound of :mod:`vcbound._kernels` holds for any order of the sum.

Measured (one thread, whole generator, n = 64 points, [2, 16, 16, 1]): about 0.98 -> 0.84 us
per network against the numba loop it replaced (four units by two points, the sums stored
after every four inputs, each pair of inputs added as s + (a h + b g), which is three
floating-point operations per two products instead of two).
"""

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["VECTOR", "lane_dot4", "chunk_lists", "chunk_products"]

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
# The per-network pass (vcbound._kernels._forward) computes a later layer's products for one
# network: Z[u, i] = sum_k w_uk H[k, i]. The points are taken in chunks of VECTOR (one vector
# each); each chunk's sums run over the inputs k listed for that chunk only, the inputs with
# some H[k, i] > 0 on it (H holds ReLU outputs, >= 0). Skipping the others is exact: with the
# FMA chain, fma(w, 0, s) = s. On the grid, whose points vcbound._kernels puts in Z order so
# that a chunk is a compact tile, many of the first layer's (input, chunk) pairs are zero: 41%
# for the data sampler on the 16 x 16 grid, [2, 16, 16, 1] (26% with the points in rows).
# Measured there, one network in a loop: the products 0.75 us, the lists 0.17 us, against
# 1.3 us for the numba loops they replaced (four units per pass over the points).


def _splat(builder, x, vt):
    v = builder.insert_element(ir.Constant(vt, ir.Undefined), x, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(v, ir.Constant(vt, ir.Undefined),
                                  ir.Constant(ir.VectorType(ir.IntType(32), VECTOR), [0] * VECTOR))


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
            rows = [add(q, mul(k_in, _const(u))) for u in range(units)]   # unit u's weights
            acc = [cgutils.alloca_once_value(builder, ir.Constant(vt, [0.0] * VECTOR))
                   for _ in range(units)]   # promoted to registers by LLVM
            with cgutils.for_range(builder, cnt) as t:
                k = context.cast(builder, builder.load(builder.gep(
                    ia.data, [add(mul(c, n_idx), t.index)])), ty[6].dtype, types.int64)
                h = builder.load(_at(builder, ha.data, k, n_h, off, vt), align=4)
                for u in range(units):
                    w = _splat(builder, builder.load(builder.gep(wa.data, [add(rows[u], k)])),
                               vt)
                    builder.store(_fma(builder, w, h, builder.load(acc[u])), acc[u])
            for u in range(units):
                builder.store(builder.load(acc[u]),
                              _at(builder, za.data, add(z0, _const(u)), n_z, off, vt), align=4)
            return context.get_dummy_value()

        return sig, codegen

    return chunk_dot


_dot_16_units = _chunk_dot(16)
_dot_4_units = _chunk_dot(4)
_dot_1_unit = _chunk_dot(1)


@intrinsic
def _any_positive(typingctx, H, k, c):
    """Whether some H[k, i] > 0 for the points i of chunk c (one vector compare)."""
    sig = types.boolean(H, k, c)

    def codegen(context, builder, signature, args):
        ty = signature.args
        ha = context.make_array(ty[0])(context, builder, args[0])
        k, c = (context.cast(builder, args[a], ty[a], types.int64) for a in (1, 2))
        vt = _vector(ty[0].dtype)
        n_h = cgutils.unpack_tuple(builder, ha.shape, 2)[1]
        h = builder.load(_at(builder, ha.data, k, n_h, builder.mul(c, _const(VECTOR)), vt),
                         align=4)
        positive = builder.fcmp_ordered(">", h, ir.Constant(vt, [0.0] * VECTOR))
        bits = builder.bitcast(positive, ir.IntType(VECTOR))
        return builder.icmp_unsigned("!=", bits, ir.Constant(ir.IntType(VECTOR), 0))

    return sig, codegen


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
            cnt += _any_positive(H, k, c)
        CNT[c] = cnt


@njit(cache=True, _nrt=False)
def chunk_products(W, q, k_in, k_out, H, Z, IDX, CNT):
    """Z[u, i] = sum_k W[q + u k_in + k] H[k, i] for the units u < k_out and every point i
    (columns of H (>= k_in, n) and Z (>= k_out, n), C-contiguous, one float type; unit u's
    weights at W[q + u k_in:]).

    Whole chunks of :data:`VECTOR` points sum the inputs listed by :func:`chunk_lists` (exact
    when H >= 0: the others are zero on the chunk) as an FMA chain in increasing k, 16, 4 or 1
    units per pass over a chunk's inputs; the points past the last whole chunk sum every input
    in the same order, each product and sum rounded separately.

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
    for u in range(k_out):
        p = q + u * k_in
        for i in range(chunks * VECTOR, n):
            s = W[p] * H[0, i]
            for k in range(1, k_in):
                s += W[p + k] * H[k, i]
            Z[u, i] = s
