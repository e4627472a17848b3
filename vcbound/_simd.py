"""Register-blocked lane products written as explicit LLVM vector code (internal).

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

__all__ = ["VECTOR", "lane_dot4"]

#: float32 lanes per vector (one AVX-512 register). The lane count of every workspace that
#: uses :func:`lane_dot4` is a multiple of it.
VECTOR = 16

_VT = ir.VectorType(ir.FloatType(), VECTOR)
_I64 = ir.IntType(64)


def _const(v):
    return ir.Constant(_I64, v)


def _fma(builder, a, b, c):
    """a b + c rounded once (``llvm.fma`` on vectors)."""
    fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_VT, [_VT] * 3),
                                        "llvm.fma.v16f32")
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
            vptr = _VT.as_pointer()
            add, mul = builder.add, builder.mul

            def address(data, row, off):   # element (row, off) of a (rows, lanes) array
                return builder.bitcast(builder.gep(data, [add(mul(row, lanes), off)]), vptr)

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
