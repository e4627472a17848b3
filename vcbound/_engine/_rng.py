"""Random numbers of the Monte Carlo enumerator (internal; jitted, see :mod:`._kernels`).

Importing this module imports numba; nothing is compiled until a function is first called.

Streams
-------
Every network has its own random stream, derived by hashing ``(seed, t)`` where ``t`` is the
global index of the network (0, 1, 2, ...): SplitMix64 (Steele, Lea and Flood, *Fast splittable
pseudorandom number generators*, OOPSLA 2014) whose state *and* increment ("gamma") both come
from the hash, as in ``java.util.SplittableRandom.split()``. Hence the patterns of network ``t``
depend only on ``(seed, t)``: the same seed gives the same patterns for any batch size, thread
count or resume point. (Seeding network ``t`` with ``seed + t`` on a counter generator would make
the streams shifted copies of one stream instead.)

SplitMix64 is counter based: draw ``k`` of a stream is ``mix64(state + (k + 1) gamma)``, so draws
can be generated in any order and for many networks at once (one network per SIMD lane). Each
network uses two disjoint ranges of draw indices: normal pair ``i`` (normals ``2i`` and
``2i + 1``) comes from draw ``i``; uniform number ``j`` is draw ``2^32 + j``.

Normals
-------
Box--Muller (Box and Muller, Ann. Math. Statist. 29(2), 1958): with U uniform on (0, 1] and
Theta uniform on [0, 2 pi), ``sqrt(-2 ln U) (cos Theta, sin Theta)`` are two independent N(0, 1)
deviates. One 64-bit draw gives both, in float32 (they become float32 weights): its high 32 bits
``h`` give ``U = fl32(h) 2^-32 + 2^-33`` and its low 32 bits the angle (2 bits for the quadrant,
30 bits for the position within it, at cell centres). The radius is at most
``sqrt(2 ln 2^33) = 6.76``, so the law is the standard normal truncated beyond 6.76 (mass
1.4e-11), discretised as U and Theta are, with float32 rounding errors (about 1e-7 relative).

``ln`` and ``sin``/``cos`` are evaluated with polynomials (no table, no branch, no library
call), so the loop over lanes vectorises: ``ln m`` for ``m`` in [sqrt(1/2), sqrt(2)) by the
series ``2 atanh(s)``, ``s = (m - 1)/(m + 1)``, ``|s| <= 0.172``, to ``s^9`` (truncation below
3e-9 relative); ``sin``/``cos`` of ``|phi| <= pi/4`` by Taylor polynomials to ``phi^9`` and
``phi^10`` (truncation below 2e-9), evaluated as FMA chains (the caller compiles with
``fastmath={"contract"}``, nothing else). Only the lane kernel
(:func:`._lanes._lane_normals`) evaluates them, and hands each network's deviates to the
per-network code when that needs them, so every pass of a network uses the same bits (a copy
compiled with other flags would differ in the last bit). Callers use numba's
``error_model="numpy"`` (no ZeroDivisionError check: ``m + 1 >= 1.7`` is never zero), without
which the check's early exit stops LLVM from vectorising the loop.
"""

import math

import numpy as np
from numba.core import types
from numba.extending import intrinsic

from ._compile import njit

__all__ = ["UNIFORM_BASE", "mix64", "stream", "draw", "uniform", "normal_pair"]

_U = np.uint64
_GOLDEN = _U(0x9E3779B97F4A7C15)
_M1 = _U(0xBF58476D1CE4E5B9)
_M2 = _U(0x94D049BB133111EB)
_G1 = _U(0xFF51AFD7ED558CCD)
_G2 = _U(0xC4CEB9FE1A85EC53)
_ALT = _U(0xAAAAAAAAAAAAAAAA)
_ONE = _U(1)
_S1, _S11, _S27, _S30, _S31, _S32, _S33 = (_U(s) for s in (1, 11, 27, 30, 31, 32, 33))
_TWO_M53 = 2.0 ** -53

#: First draw index of the uniforms (normals use draws 0, 1, ... below it).
UNIFORM_BASE = 2 ** 32


@njit(cache=True, inline="always")
def mix64(z):
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
    return z ^ _ALT if (x * _U(0x0101010101010101)) >> _U(56) < _U(24) else z


@njit(cache=True, inline="always")
def stream(seed, t):
    """State and gamma of network ``t``: SplittableRandom.split() applied at position 2t of the
    parent stream with state mix64(seed) -- a hash of (seed, t)."""
    base = mix64(_U(seed)) + _U(2) * _U(t) * _GOLDEN
    return mix64(base + _GOLDEN), _mix_gamma(base + _U(2) * _GOLDEN)


@njit(cache=True, inline="always")
def draw(state, gamma, k):
    """Draw number ``k`` (0, 1, ...) of the stream. (The casts matter: a state passed as a
    Python int below 2^63 would otherwise be typed int64, and int64 + uint64 is float64.)"""
    return mix64(_U(state) + _U(k + 1) * _U(gamma))


@njit(cache=True, inline="always")
def uniform(state, gamma, j):
    """Uniform number ``j`` of the stream: a float64 in [0, 1) with 53 random bits."""
    return float(draw(state, gamma, UNIFORM_BASE + j) >> _S11) * _TWO_M53


def _bitcast(src, dst):
    """An intrinsic reinterpreting the bits of a ``src`` value as a ``dst`` value."""
    @intrinsic
    def cast(typingctx, x):
        if x != src:
            return None

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(dst))
        return dst(src), codegen
    return cast


_f32_bits = _bitcast(types.float32, types.uint32)
_bits_f32 = _bitcast(types.uint32, types.float32)

_F = np.float32
_MANTISSA = np.uint32(0x007FFFFF)
_EXP_ONE = np.uint32(0x3F800000)
_S23 = np.uint32(23)
_LOW32 = _U(0xFFFFFFFF)
_LOW30 = _U(0x3FFFFFFF)
_ONE_F, _HALF_F, _ZERO_F, _FOUR_F, _BIAS_F = _F(1), _F(0.5), _F(0), _F(4), _F(127)
_TWO_LN2 = _F(2.0 * math.log(2.0))
_SQRT2 = _F(math.sqrt(2.0))
_HALF_PI = _F(math.pi / 2.0)
_TWO_M32, _TWO_M33, _TWO_M30 = _F(2.0 ** -32), _F(2.0 ** -33), _F(2.0 ** -30)
_CENTRE = _F(2.0 ** -31 - 0.5)
# coefficients of atanh(s)/s, sin(phi)/phi and cos(phi) in powers of s^2 and phi^2 (float32)
_A3, _A5, _A7, _A9 = (_F(1.0 / k) for k in (3, 5, 7, 9))
_S3, _S5, _S7, _S9 = (_F((-1) ** k / math.factorial(2 * k + 1)) for k in range(1, 5))
_C2, _C4, _C6, _C8, _C10 = (_F((-1) ** k / math.factorial(2 * k)) for k in range(1, 6))


@njit(cache=True, inline="always")
def normal_pair(r):
    """Two N(0, 1) deviates (float32) from the 64-bit draw ``r`` (Box--Muller, module
    docstring); callers use ``error_model="numpy"``."""
    # radius^2 = -2 ln U, U = fl(h) 2^-32 + 2^-33 in (0, 1]; U = 2^e m, ln U = e ln 2 + ln m
    u = _F(r >> _S32) * _TWO_M32 + _TWO_M33
    bits = _f32_bits(u)
    e = _F(np.int32(bits >> _S23)) - _BIAS_F
    m = _bits_f32(np.uint32((bits & _MANTISSA) | _EXP_ONE))  # m in [1, 2)
    big = m > _SQRT2
    m = m * _HALF_F if big else m                             # m in [sqrt(1/2), sqrt(2))
    e = e + _ONE_F if big else e
    s = (m - _ONE_F) / (m + _ONE_F)
    z = s * s
    atanh = _ONE_F + z * (_A3 + z * (_A5 + z * (_A7 + z * _A9)))
    t = -e * _TWO_LN2 - _FOUR_F * s * atanh                  # -2 ln U
    radius = math.sqrt(t if t > _ZERO_F else _ZERO_F)
    # angle: quadrant q (2 bits), phi in (-pi/4, pi/4) (30 bits, cell centres)
    low = r & _LOW32
    q = np.int64(low >> _S30)
    phi = (_F(low & _LOW30) * _TWO_M30 + _CENTRE) * _HALF_PI
    z = phi * phi
    sn = phi * (_ONE_F + z * (_S3 + z * (_S5 + z * (_S7 + z * _S9))))
    cs = _ONE_F + z * (_C2 + z * (_C4 + z * (_C6 + z * (_C8 + z * _C10))))
    # rotate (cos phi, sin phi) by q quarter turns
    odd = (q & 1) == 1
    a = sn if odd else cs
    b = cs if odd else sn
    a = -a if ((q ^ (q >> 1)) & 1) == 1 else a
    b = -b if q >= 2 else b
    return radius * a, radius * b
