"""Monte Carlo enumerator of realized labellings (vcbound.enumerate, ._lanes, ._kernels).

Independent expectations: exact one-neuron counts published in vcbound docs §One-neuron counts / OEIS (2x2 -> 14,
3x3 -> 58, {0,1}^3 -> 104, 4x4 -> 174 from OEIS A114146) or computed here by the planar formula
of vcbound docs §One-neuron counts written out in the test; each kernel pattern is recomputed by a plain-numpy
forward pass of the same network and packed with vcbound.patterns.pack_labels (independent of
the kernel's packing); the Box-Muller normals are tested against the standard normal law; resumed
and threaded runs against uninterrupted single-threaded runs.
"""

import itertools
import math
import signal
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbound.enumerate import (MAX_POINTS, LabellingEnumeration, enumerate_labellings,
                               _prepare_data)
from vcbound.errors import CheckpointError, VCBoundError, VCBoundTypeError
from vcbound.grid import make_grid
from vcbound.patterns import pack_labels


def grid(d, K):
    return make_grid(d, K=K)


def full_mask(n):
    words = (n + 63) // 64
    mask = np.full(words, np.iinfo(np.uint64).max, dtype=np.uint64)
    if n % 64:
        mask[-1] = (np.uint64(1) << np.uint64(n % 64)) - np.uint64(1)
    return mask


def as_set(patterns):
    return {tuple(int(w) for w in row) for row in patterns}


# --------------------------------------------------------------------------- exact counts
@pytest.mark.parametrize("d, K, expected", [
    (3, 2, 14),    # 2x2 grid, vcbound docs §One-neuron counts
    (3, 3, 58),    # 3x3 grid, vcbound docs §One-neuron counts
    (4, 2, 104),   # {0,1}^3 up to an affine map, vcbound docs §One-neuron counts / OEIS A000609
    (3, 4, 174),   # 4x4 grid, OEIS A114146
])
def test_data_sampler_finds_every_linear_dichotomy(d, K, expected):
    res = enumerate_labellings([d - 1, 1], grid(d, K), 20000, seed=3, return_patterns=True)
    assert res.distinct == expected
    assert len(as_set(res.patterns)) == expected
    assert res.exact_one_neuron == expected
    assert res.converged is True and not res.unconverged
    assert res.rejected == 0


def planar_count(points):
    """Linear dichotomies of a planar set by vcbound docs §One-neuron counts, written out independently:
    2 + 2 sum over lines L through >= 2 points of (|L cap X| - 1) (duplicates count once)."""
    pts = sorted(set(map(tuple, points)))
    if len(pts) == 1:
        return 2
    lines = {}
    for (x1, y1), (x2, y2) in itertools.combinations(pts, 2):
        a, b = y2 - y1, x1 - x2            # a x + b y = c through both points
        c = a * x1 + b * y1
        g = math.gcd(math.gcd(a, b), c)
        a, b, c = a // g, b // g, c // g
        if a < 0 or (a == 0 and b < 0):
            a, b, c = -a, -b, -c
        lines.setdefault((a, b, c), set()).update({(x1, y1), (x2, y2)})
    return 2 + 2 * sum(len(on) - 1 for on in lines.values())


def test_planar_count_helper_on_known_values():
    assert planar_count([(i, j) for i in range(3) for j in range(3)]) == 58
    assert planar_count([(i, 0) for i in range(5)]) == 10         # collinear: 2n
    assert planar_count([(0, 0), (1, 0), (0, 1), (1, 1)]) == 14
    assert planar_count([(0, 0), (1, 0), (0, 1)]) == 8            # general position n^2-n+2


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=9),
       st.sampled_from(["data", "gaussian"]), st.integers(0, 2**64 - 1))
def test_single_neuron_never_exceeds_exact_count(points, sampler, seed):
    res = enumerate_labellings([2, 1], np.array(points, dtype=float), 3000, seed=seed,
                               sampler=sampler, exact=False)
    assert 2 <= res.distinct <= planar_count(points)
    assert res.distinct % 2 == 0


def test_single_neuron_at_most_exact_in_3d():
    pts = np.random.default_rng(5).integers(0, 3, size=(12, 3)).astype(float)
    from vcbound.exact import count_linear_dichotomies
    res = enumerate_labellings([3, 1], pts, 20000, seed=2, exact=False)
    assert res.distinct <= count_linear_dichotomies(pts)


# --------------------------------------------------------------------------- invariants
def test_complement_closure_and_pattern_format():
    n = 9
    res = enumerate_labellings([2, 3, 1], grid(3, 3), 5000, seed=11, return_patterns=True)
    P = res.patterns
    assert P.dtype == np.uint64 and P.shape == (res.distinct, 1)
    assert len(as_set(P)) == len(P)                                  # rows distinct
    assert not (P & ~full_mask(n)).any()                             # unused high bits 0
    assert as_set(P ^ full_mask(n)) == as_set(P)                     # closed under complement


def test_multiword_patterns_and_complements():
    n = 100   # two words, 36 bits used in the second
    pts = np.random.default_rng(0).random((n, 2))
    res = enumerate_labellings([2, 4, 1], pts, 3000, seed=1, return_patterns=True, exact=False)
    P = res.patterns
    assert P.shape[1] == 2
    assert not (P[:, 1] >> np.uint64(36)).any()
    assert as_set(P ^ full_mask(n)) == as_set(P)


def test_saturation_curve():
    res = enumerate_labellings([2, 4, 1], grid(3, 4), 1000, seed=4, batch_size=300)
    sat = res.saturation.tolist()
    assert [s for s, _ in sat] == [300, 600, 900, 1000]
    counts = [c for _, c in sat]
    assert counts == sorted(counts) and counts[-1] == res.distinct
    assert res.new_last_batch == counts[-1] - counts[-2]


def test_unconverged_flag_with_too_few_samples():
    # every ReLU net with a hidden unit realizes the 174 linear dichotomies of the 4x4 grid
    # (vcbound docs §One-neuron counts, OEIS A114146); 5 networks give at most 10 labellings
    few = enumerate_labellings([2, 4, 1], grid(3, 4), 5, seed=0)
    assert few.exact_one_neuron == 174
    assert few.distinct <= 10
    assert few.unconverged and few.converged is False
    assert "unconverged" in few.status
    many = enumerate_labellings([2, 4, 1], grid(3, 4), 30000, seed=0)
    assert many.distinct >= 174
    assert not many.unconverged and many.converged is None
    single = enumerate_labellings([2, 1], grid(3, 4), 5, seed=0)
    assert single.converged is False and single.unconverged


def test_exact_check_skipped_when_expensive_or_disabled():
    res = enumerate_labellings([2, 1], grid(3, 3), 100, exact=False)
    assert res.exact_one_neuron is None and res.converged is None
    assert "not checked" in res.status
    res = enumerate_labellings([9, 1], np.eye(10, 9), 100, seed=0)   # C(10, 7) * 100 is cheap
    assert res.exact_one_neuron == 2 ** 10                            # 10 affinely independent
    big = enumerate_labellings([4, 1], np.random.default_rng(0).random((300, 4)), 10)
    assert big.exact_one_neuron is None                               # C(300, 2) * 300^2 > limit


def test_architecture_object_is_accepted():
    from vcbound.architecture import Architecture
    a = enumerate_labellings(Architecture([2, 3, 1]), grid(3, 3), 2000, seed=5,
                             return_patterns=True)
    b = enumerate_labellings([2, 3, 1], grid(3, 3), 2000, seed=5, return_patterns=True)
    assert np.array_equal(a.patterns, b.patterns)
    with pytest.raises(VCBoundError, match="ReLU"):
        enumerate_labellings(Architecture([2, 3, 1], "threshold"), grid(3, 3), 10)


# --------------------------------------------------------------------------- reproducibility
# [2, 3, 6, 1]: a four-unit block of the vector products (_engine._simd) and two single units
@pytest.mark.parametrize("widths", [[2, 1], [2, 4, 1], [2, 5, 3, 1], [2, 3, 6, 1]])
def test_same_seed_same_patterns_any_batch_size_and_threads(widths):
    g = grid(3, 5)
    ref = enumerate_labellings(widths, g, 3000, seed=42, batch_size=3000, return_patterns=True)
    for batch, threads in [(7, 1), (1000, 1), (333, 2)]:
        other = enumerate_labellings(widths, g, 3000, seed=42, batch_size=batch,
                                     threads=threads, return_patterns=True)
        assert np.array_equal(other.patterns, ref.patterns), (batch, threads)


def test_different_seeds_differ():
    g = grid(3, 6)
    a = enumerate_labellings([2, 4, 1], g, 2000, seed=1, return_patterns=True)
    b = enumerate_labellings([2, 4, 1], g, 2000, seed=2, return_patterns=True)
    assert as_set(a.patterns) != as_set(b.patterns)


def _record(points, widths, sampler, seed, t):
    from vcbound._engine import _kernels, _lanes
    data = _prepare_data(np.asarray(points, dtype=float))
    code = _kernels.SAMPLER_DATA if sampler == "data" else _kernels.SAMPLER_GAUSSIAN
    return _lanes.network_record(data, np.array(widths, dtype=np.int64), code, seed, t)


def test_network_streams_are_not_shifted_copies():
    # Seeding network t + 1 with a counter generator one step ahead of network t would repeat
    # t's random numbers shifted by one position; hashed seeds share none of them.
    pts = grid(3, 6).points
    for t in range(20):
        _, la, _, ka = _record(pts, [2, 8, 1], "gaussian", 7, t)
        _, lb, _, kb = _record(pts, [2, 8, 1], "gaussian", 7, t + 1)
        va = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in la])
        vb = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in lb])
        assert len(np.intersect1d(va, vb)) == 0
    keys = [_record(pts, [2, 8, 1], "data", 7, t)[3][0] for t in range(40)]
    assert len(set(int(k) for k in keys)) > 30          # consecutive networks differ


def numpy_labels(layers, points):
    """Plain float64 forward pass: ReLU hidden layers, linear output, label +1 iff > 0."""
    h = np.asarray(points, dtype=float).T
    for W, b in layers[:-1]:
        h = np.maximum(W @ h + b[:, None], 0.0)
    W, b = layers[-1]
    out = (W @ h + b[:, None])[0]
    return out, np.where(out > 0, 1, -1)


@pytest.mark.parametrize("widths, sampler, K", [
    ([2, 1], "data", 9), ([2, 6, 1], "data", 9), ([2, 6, 1], "gaussian", 9),
    ([2, 5, 4, 1], "data", 9), ([2, 7, 1], "gaussian", 9),
    # four-unit blocks plus a single unit, into OUT and (three hidden layers) into H
    ([2, 6, 9, 1], "data", 9), ([2, 4, 6, 5, 1], "data", 9), ([2, 4, 6, 5, 1], "gaussian", 9),
    # deep networks on many points take the per-network path after the lanes (_lanes docs)
    ([2, 8, 8, 1], "data", 17), ([2, 8, 8, 1], "gaussian", 17),
    # there, blocks of 16, 4 and 1 units of the chunk products (_engine._simd), a first layer
    # whose width is not a multiple of four, and the lists of a middle layer
    ([2, 21, 6, 1], "data", 17), ([2, 6, 18, 5, 1], "data", 17),
    ([2, 6, 18, 5, 1], "gaussian", 17)])
def test_kernel_patterns_match_numpy_forward_pass(widths, sampler, K):
    g = grid(3, K)   # 81 points (two words) or 289 (five words)
    n = K * K
    res = enumerate_labellings(widths, g, 200, seed=9, sampler=sampler, return_patterns=True,
                               batch_size=64)
    found = as_set(res.patterns)
    for t in range(0, 200, 13):
        status, layers, outputs, key = _record(g.points, widths, sampler, 9, t)
        assert status in (0, 1)
        out, labels = numpy_labels(layers, g.points)
        np.testing.assert_allclose(outputs, out, rtol=1e-4, atol=1e-4)
        packed = pack_labels(labels)[0]
        canonical = packed ^ full_mask(n) if packed[0] & np.uint64(1) else packed
        assert np.array_equal(canonical, key)
        assert tuple(int(w) for w in packed) in found       # the run saw network t too


# --------------------------------------------------------------------------- blocked lane loops
def _lane_arrays(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _lane_layer_inputs(seed, n_params, n):
    """(rng, lanes, parameters (n_params, lanes), points (2, n)) for a lane-kernel test."""
    from vcbound._engine import _lanes
    rng = np.random.default_rng(seed)
    L = _lanes.LANES
    return rng, L, _lane_arrays(rng, n_params, L), rng.random((2, n)).astype(np.float32)


@pytest.mark.parametrize("k_in, n, lanes", [(1, 1, 64), (5, 7, 64), (16, 16, 64), (6, 9, 64),
                                            (2, 5, 16), (3, 13, 128)])
def test_four_unit_products_equal_four_single_unit_products_bit_for_bit(k_in, n, lanes):
    # second method: the plain one-unit numba loop (the same FMA chain, written as numba
    # loops instead of vector IR, so the same bits), and numpy float64 to rounding
    from vcbound._engine import _lanes, _simd
    rng = np.random.default_rng(k_in * 100 + n)
    P = _lane_arrays(rng, 4 * k_in + 3, lanes)
    H = _lane_arrays(rng, k_in, n, lanes)
    Z4 = np.full((4, n, lanes), np.nan, np.float32)
    _simd.lane_dot4(P, 3, k_in, H, Z4[0], Z4[1], Z4[2], Z4[3])
    Z = np.zeros((n, lanes), np.float32)
    for u in range(4):
        _lanes._lane_dot(P, 3 + u * k_in, k_in, H, Z)
        assert np.array_equal(Z.view(np.uint32), Z4[u].view(np.uint32))
        ref = np.einsum("kl,kil->il", P[3 + u * k_in:3 + (u + 1) * k_in].astype(float), H)
        np.testing.assert_allclose(Z4[u], ref, rtol=1e-5, atol=1e-5)


def test_deep_lane_blocks_fill_whole_vectors():
    # lane_dot4 computes whole vectors of lanes only: a block of deep networks must hold a
    # whole number of them, or the last lanes' products would never be computed
    from vcbound._engine import _lanes, _simd
    assert _lanes.LANES % _simd.VECTOR == 0


#: Hand-derived case of an FMA chain s = w0 h0, then s = fma(w1, h1, s), each step rounded
#: once to float32. With w0 = h0 = 2^-15 and w1 = h1 = 1 + 2^-12: w0 h0 = 2^-30 exactly and
#: w1 h1 = 1 + 2^-11 + 2^-24 (exact in float64), which alone float32 rounds down (a tie, to
#: even) to 1 + 2^-11, while the fused sum 1 + 2^-11 + 2^-24 + 2^-30 lies above the tie and
#: rounds up to 1 + 2^-11 + 2^-23.
_FMA_SMALL, _FMA_X = 2.0 ** -15, 1 + 2.0 ** -12
_FMA_FUSED = np.float32(1 + 2.0 ** -11 + 2.0 ** -23)


def test_lane_products_are_a_chain_of_fused_multiply_adds():
    from vcbound._engine import _simd
    L = _simd.VECTOR
    small, x = _FMA_SMALL, _FMA_X
    P = np.tile(np.array([[small], [x]], np.float32), (4, L))     # 4 units, 2 inputs
    H = np.array([small, x], np.float32)[:, None, None] * np.ones((2, 1, L), np.float32)
    Z = np.zeros((4, 1, L), np.float32)
    _simd.lane_dot4(P, 0, 2, H, Z[0], Z[1], Z[2], Z[3])
    fused = np.float32(small * small + x * x)                     # both exact in float64
    unfused = np.float32(np.float32(x * x) + np.float32(small * small))
    assert fused == _FMA_FUSED and unfused != fused
    assert np.all(Z == fused)


# --------------------------------------------------------------- per-network chunk products
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("k_in, k_out, n", [(16, 16, 256), (5, 21, 37), (1, 3, 16), (7, 2, 5),
                                            (18, 17, 48)])
def test_chunk_products_skip_exactly_the_zero_inputs(dtype, k_in, k_out, n):
    # second methods: the same kernel over every input (no skipping) must give the same values
    # (skipping a zero term of an FMA chain is exact), the lists must be the inputs that
    # numpy finds positive somewhere on each chunk, and numpy float64 must agree to rounding
    from vcbound._engine import _simd
    V = _simd.VECTOR
    rng = np.random.default_rng(k_in * 100 + k_out + n)
    H = np.maximum(rng.standard_normal((k_in, n)), 0).astype(dtype)
    if n >= V:
        H[:, :V] = 0
        H[1 % k_in, :V] = 0.5 * (np.arange(V) == 3)   # one positive value on the first chunk
    W = rng.standard_normal(k_in * k_out + 5).astype(dtype)
    chunks = n // V
    IDX = np.full((chunks, k_in), -1, np.int32)
    CNT = np.zeros(chunks, np.int64)
    _simd.chunk_lists(H, k_in, IDX, CNT)
    for c in range(chunks):
        want = np.flatnonzero((H[:, c * V:(c + 1) * V] > 0).any(axis=1))
        assert np.array_equal(IDX[c, :CNT[c]], want)
    Z = np.full((k_out + 1, n), np.nan, dtype)
    _simd.chunk_products(W, 5, k_in, k_out, H, Z, IDX, CNT)
    ALL = np.tile(np.arange(k_in, dtype=np.int32), (chunks, 1))
    Zall = np.full((k_out + 1, n), np.nan, dtype)
    _simd.chunk_products(W, 5, k_in, k_out, H, Zall, ALL, np.full(chunks, k_in, np.int64))
    assert np.array_equal(Z[:k_out], Zall[:k_out])
    assert np.isnan(Z[k_out]).all()                # nothing written past the units
    ref = W[5:].astype(float).reshape(k_out, k_in) @ H.astype(float)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(Z[:k_out], ref, rtol=tol, atol=tol)


def test_chunk_products_are_a_chain_of_fused_multiply_adds():
    # the hand-derived case _FMA_SMALL, _FMA_X (comment there)
    from vcbound._engine import _simd
    V = _simd.VECTOR
    small, x = _FMA_SMALL, _FMA_X
    W = np.tile(np.array([small, x], np.float32), 16)               # 16 units, 2 inputs
    H = np.array([[small], [x]], np.float32) * np.ones((2, V + 1), np.float32)
    Z = np.zeros((16, V + 1), np.float32)    # one chunk and one point past it
    IDX = np.array([[0, 1]], np.int32)
    _simd.chunk_products(W, 0, 2, 16, H, Z, IDX, np.array([2]))
    assert np.all(Z == _FMA_FUSED)


def _first_layer_points(kind, tiled=True):
    """Points (m, n), in tile order if ``tiled``: grids whose chunks are 4 x 4 tiles (16 x 16)
    or not (17 x 17, 9 x 9 with points past the last chunk), random points, a line (m = 1)."""
    from vcbound._engine import _kernels
    rng = np.random.default_rng(5)
    X = {"grid16": lambda: make_grid(3, K=16).points.T,
         "grid17": lambda: make_grid(3, K=17).points.T,
         "grid9": lambda: make_grid(3, K=9).points.T,
         "random": lambda: rng.uniform(-1, 3, (2, 100)),
         "line": lambda: make_grid(2, K=40).points.T}[kind]()
    return np.ascontiguousarray(X[:, _kernels.tile_order(X)] if tiled else X)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind, k1, k2", [("grid16", 16, 16), ("grid17", 6, 18), ("grid9", 3, 5),
                                          ("random", 21, 5), ("line", 16, 16)])
def test_fused_first_layer_products_follow_their_order_and_bound(dtype, kind, k1, k2):
    # second method: the first layer's values l_k = fma(s_k, x_1, fma(a_k, x_0, c_k)) point by
    # point with scalar FMAs; units classified from those values at their chunk's box corners
    # (full: > 0 at the smallest corner; partial: > 0 only at the largest); then, per unit u
    # and point, the order first_products documents (partial chain, then the full units'
    # coefficient chains and the affine step) in scalar numba code. Bit for bit; on the
    # 16 x 16 grid the classes must also be those of the points themselves. And the rounding
    # bound of first_products against the exact sum (Fractions).
    from fractions import Fraction

    from numba import njit
    from vcbound._engine import _simd
    V = _simd.VECTOR
    X = _first_layer_points(kind).astype(dtype)
    m, n = X.shape
    if m == 1:
        X = np.vstack([X, np.zeros_like(X)])     # the workspace pads a missing coordinate
    chunks = n // V
    rng = np.random.default_rng(k1 * 100 + k2)
    groups = (k1 + V - 1) // V
    ASC = np.zeros((3 + k1, (k2 + V - 1) // V * V + V), dtype)
    ASC[0, :k1] = rng.standard_normal(k1)
    ASC[1, :k1] = rng.standard_normal(k1) if m == 2 else 0
    # biases through points of the data's range, so units cross the chunks
    ASC[2, :k1] = -(ASC[0, :k1] * rng.uniform(X[0].min(), X[0].max(), k1)
                    + ASC[1, :k1] * rng.uniform(X[1].min(), X[1].max(), k1))
    W = rng.standard_normal(k1 * k2 + 3).astype(dtype)
    fma = _simd._fma_scalar

    @njit
    def value(ASC, k, x0, x1):
        return fma(ASC[1, k], x1, fma(ASC[0, k], x0, ASC[2, k]))

    @njit
    def reference(W, q, k1, k2, X, ASC, CB, FULL, PART):
        Z = np.zeros((k2, X.shape[1]), X.dtype)
        zero = X.dtype.type(0)
        for c in range(CB.shape[0]):
            for k in range(k1):
                a_up, s_up = ASC[0, k] >= 0, ASC[1, k] >= 0
                big = value(ASC, k, CB[c, 1] if a_up else CB[c, 0], CB[c, 3] if s_up else CB[c, 2])
                small = value(ASC, k, CB[c, 0] if a_up else CB[c, 1],
                              CB[c, 2] if s_up else CB[c, 3])
                FULL[c, k] = small > 0
                PART[c, k] = big > 0 and not small > 0
            for u in range(k2):
                A = S = C = zero
                for k in range(k1):
                    if FULL[c, k]:
                        w = W[q + u * k1 + k]
                        A = fma(w, ASC[0, k], A)
                        S = fma(w, ASC[1, k], S)
                        C = fma(w, ASC[2, k], C)
                for i in range(c * 16, c * 16 + 16):
                    acc = zero
                    for k in range(k1):
                        if PART[c, k]:
                            h = value(ASC, k, X[0, i], X[1, i])
                            acc = fma(W[q + u * k1 + k], h if h > 0 else zero, acc)
                    Z[u, i] = acc + fma(S, X[1, i], fma(A, X[0, i], C))
        return Z

    CB = np.array([[X[r, c * V:(c + 1) * V].min() if e == 0 else X[r, c * V:(c + 1) * V].max()
                    for r in range(2) for e in range(2)] for c in range(chunks)], dtype)
    FULL = np.zeros((chunks, k1), np.bool_)
    PART = np.zeros((chunks, k1), np.bool_)
    want = reference(W, 3, k1, k2, X, ASC, CB, FULL, PART)
    MASK = np.zeros((chunks, 2 * groups), np.int64)
    _simd.first_masks(ASC, CB, MASK, groups)
    bits = [[[k for k in range(k1) if MASK[c, half * groups + k // V] >> (k % V) & 1]
             for half in range(2)] for c in range(chunks)]
    for c in range(chunks):
        assert bits[c] == [np.flatnonzero(PART[c]).tolist(), np.flatnonzero(FULL[c]).tolist()]
    lvals = np.array([[value(ASC, k, X[0, i], X[1, i]) for i in range(n)] for k in range(k1)])
    if kind == "grid16":
        for c in range(chunks):
            on = lvals[:, c * V:(c + 1) * V] > 0
            assert FULL[c].tolist() == on.all(axis=1).tolist()
            assert PART[c].tolist() == (on.any(axis=1) & ~on.all(axis=1)).tolist()
    got = np.full((k2 + 1, n), np.nan, dtype)
    _simd.first_products(W, 3, k1, k2, X, ASC, got, MASK)
    assert np.array_equal(ASC[3:3 + k1, :k2], W[3:].reshape(k2, k1).T)   # weight_columns
    assert np.isnan(got[k2]).all()
    whole = chunks * V
    assert np.array_equal(got[:k2, :whole].view(np.uint8), want[:, :whole].view(np.uint8))
    # the bound: |Z - sum_partial w h - sum_full w l(x)| <= gamma_{k1+3} sum_k |w| L_k
    u = float(np.finfo(dtype).eps) / 2
    gam = (k1 + 3) * u / (1 - (k1 + 3) * u)
    F = np.vectorize(Fraction, otypes=[object])
    Wf = F(W[3:].astype(float)).reshape(k2, k1)
    a, s_, c_ = (F(ASC[r, :k1].astype(float)) for r in range(3))
    worst = 0.0
    for c in range(chunks):
        for i in range(c * V, c * V + V, 5):
            x0, x1 = Fraction(float(X[0, i])), Fraction(float(X[1, i]))
            exact_l = a * x0 + s_ * x1 + c_
            h = np.array([Fraction(max(float(v), 0.0)) for v in lvals[:, i]], dtype=object)
            term = np.where(FULL[c], exact_l, np.where(PART[c], h, Fraction(0)))
            L = np.maximum(np.abs(lvals[:, i]), np.abs(ASC[0, :k1]) * abs(float(x0))
                           + np.abs(ASC[1, :k1]) * abs(float(x1)) + np.abs(ASC[2, :k1]))
            for j in range(k2):
                err = abs(float(Fraction(float(got[j, i])) - (Wf[j] * term).sum()))
                bound = gam * float(np.abs(W[3:].reshape(k2, k1)[j]).astype(float) @ L)
                assert err <= bound * (1 + 1e-9), (c, i, j, err, bound)
                worst = max(worst, err / bound if bound else 0.0)
    assert worst > 0   # the bound is exercised, not vacuous


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["grid16", "grid17", "grid9", "random", "line"])
def test_pack_puts_the_bits_back_in_the_points_order(dtype, kind):
    # second method: pack_labels (numpy) of the outputs read back through pos, complemented
    # when point 0's bit is set; both signs of point 0 are tried, and outputs of +-0
    # never occur (a certified output has |output| > its error bound)
    from vcbound._engine import _kernels
    X = _first_layer_points(kind, tiled=False)
    n = X.shape[1]
    ws = _kernels.workspace(X.astype(np.float32), X, np.array([X.shape[0], 4, 1]),
                            _kernels.tile_order(X))
    pos, ZW, RUNS, RMASK = ws[9], ws[11], ws[12], ws[13]
    B = ws[0][0] if dtype == np.float32 else ws[1][0]
    rng = np.random.default_rng(n)
    for trial in range(6):
        out = rng.standard_normal(n).astype(dtype)
        out[pos[0]] = (-1) ** trial                 # point 0 negative, then positive
        B[3, 4] = out
        key = np.zeros((n + 63) // 64, np.uint64)
        _kernels._pack(B, key, pos, ZW, RUNS, RMASK)
        labels = out[pos] > 0
        want = pack_labels(labels ^ labels[0])[0]
        assert key.tolist() == want.tolist()
    if kind == "grid16":
        assert len(RUNS) == 32     # half rows of the 16 x 16 grid (pack_runs docstring)


def test_tile_order_makes_chunks_of_the_grid_compact_tiles():
    # independent expectation: on the 16 x 16 grid every 16 consecutive points of the order
    # are a 4 x 4 tile (4 values of each coordinate, aligned to multiples of 4); on any set the
    # order is a permutation, and equal points keep their order
    from vcbound._engine import _kernels
    K = 16
    X = make_grid(3, K=K).points.T.copy()
    order = _kernels.tile_order(X)
    assert sorted(order.tolist()) == list(range(K * K))
    ranks = np.rint(X * K).astype(int) - 1
    for c in range(K * K // 16):
        tile = ranks[:, order[16 * c:16 * (c + 1)]]
        for j in range(2):
            assert sorted(set(tile[j].tolist())) == list(range(tile[j].min(), tile[j].min() + 4))
            assert tile[j].min() % 4 == 0
    Y = np.array([[0.5, 0.5, 0.1, 0.5], [2.0, 2.0, 3.0, 2.0]])
    order = _kernels.tile_order(Y)
    assert order.tolist() == [2, 0, 1, 3]


@pytest.mark.parametrize("k_in, k_out", [(16, 16), (5, 7), (3, 3), (8, 9), (1, 4), (6, 1)])
def test_blocked_box_extents_equal_the_one_product_loop_bit_for_bit(k_in, k_out):
    # second method: one unit and one input per pass (the loop the blocked kernel replaced,
    # same flags, same order of each sum), and numpy float64 to rounding
    from numba import njit
    from vcbound._engine import _lanes
    from vcbound._engine._kernels import _FM

    @njit(fastmath=_FM)
    def plain(P, p, k_in, k_out, BLO, BHI, BERR, TMAG, TERR):
        for j in range(k_out):
            for l in range(P.shape[1]):
                TMAG[j, l] = 0.0
                TERR[j, l] = 0.0
        for k in range(k_in):
            for j in range(k_out):
                for l in range(P.shape[1]):
                    w = abs(float(P[p + j * k_in + k, l]))
                    TMAG[j, l] += w * (max(abs(BLO[k, l]), abs(BHI[k, l])) + BERR[k, l])
                    TERR[j, l] += w * BERR[k, l]

    rng = np.random.default_rng(k_in * 31 + k_out)
    L = _lanes.LANES
    P = _lane_arrays(rng, k_in * k_out + 3, L)
    BLO = -rng.random((k_in, L))
    BHI = rng.random((k_in, L))
    BERR = rng.random((k_in, L)) * 1e-6
    got = [np.full((k_out, L), np.nan) for _ in range(2)]
    _lanes._lane_box_extents(P, 3, k_in, k_out, BLO, BHI, BERR, *got, np.zeros((k_in, L)))
    want = [np.zeros((k_out, L)) for _ in range(2)]
    plain(P, 3, k_in, k_out, BLO, BHI, BERR, *want)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))
    W = np.abs(P[3:3 + k_in * k_out].astype(float)).reshape(k_out, k_in, L)
    mk = np.maximum(np.abs(BLO), np.abs(BHI)) + BERR
    np.testing.assert_allclose(got[0], np.einsum("jkl,kl->jl", W, mk), rtol=1e-13)
    np.testing.assert_allclose(got[1], np.einsum("jkl,kl->jl", W, BERR), rtol=1e-13)


@pytest.mark.parametrize("k_in, k_out", [(16, 16), (2, 16), (5, 3), (1, 1)])
@pytest.mark.parametrize("interval", [True, False])
def test_per_network_extents_equal_the_inputs_outer_loop_bit_for_bit(k_in, k_out, interval):
    # second method: the loop with the inputs outer (each sum over the inputs in the same
    # order, same flags), and numpy float64 to rounding
    from numba import njit
    from vcbound._engine import _kernels
    from vcbound._engine._kernels import _FM

    @njit(fastmath=_FM)
    def call(params, k_in, k_out, lo, hi, err, tmp, interval):
        _kernels._extents(params, 2, k_in, k_out, lo, hi, err, 1, tmp, interval)

    @njit(fastmath=_FM)
    def plain(params, k_in, k_out, lo, hi, err, tmp, interval):
        tmp[:] = 0.0
        for k in range(k_in):
            a, c, e = lo[1, k], hi[1, k], err[1, k]
            m = max(abs(a), abs(c)) + e
            for j in range(k_out):
                w = float(params[2 + j * k_in + k])
                if interval:
                    tmp[0, j] += min(w * a, w * c)
                    tmp[1, j] += max(w * a, w * c)
                tmp[2, j] += abs(w) * m
                tmp[3, j] += abs(w) * e

    rng = np.random.default_rng(k_in + 17 * k_out)
    params = rng.standard_normal(k_in * k_out + 2).astype(np.float32)
    lo = -rng.random((2, k_in))
    hi = rng.random((2, k_in))
    err = rng.random((2, k_in)) * 1e-6
    got, want = np.zeros((4, k_out)), np.zeros((4, k_out))
    call(params, k_in, k_out, lo, hi, err, got, interval)
    plain(params, k_in, k_out, lo, hi, err, want, interval)
    assert np.array_equal(got, want)
    W = params[2:].astype(float).reshape(k_out, k_in)
    np.testing.assert_allclose(got[2], np.abs(W) @ (np.maximum(-lo[1], hi[1]) + err[1]),
                               rtol=1e-13)
    if interval:
        np.testing.assert_allclose(got[0], np.minimum(W * lo[1], W * hi[1]).sum(1), rtol=1e-12)


@pytest.mark.parametrize("k_in, k_out", [(16, 16), (6, 18), (5, 3)])
def test_lane_bound_sums_equal_the_per_network_ones_bit_for_bit(k_in, k_out):
    # the per-network pass takes the second layer's sums from the lanes (_block) instead of
    # computing them (_extents): second method, _extents network by network on each lane's
    # weights and boxes, must give the same bits (else certificates would move)
    from numba import njit
    from vcbound._engine import _kernels, _lanes
    from vcbound._engine._kernels import _FM

    @njit(fastmath=_FM)
    def call(params, k_in, k_out, lo, hi, err, tmp):
        _kernels._extents(params, 3, k_in, k_out, lo, hi, err, 1, tmp, False)

    rng = np.random.default_rng(k_in * 7 + k_out)
    L = _lanes.LANES
    P = _lane_arrays(rng, k_in * k_out + 3, L)
    BLO = np.maximum(-rng.random((k_in, L)) + 0.5, 0.0)   # ReLU boxes: lo >= 0
    BHI = BLO + rng.random((k_in, L))
    BERR = rng.random((k_in, L)) * 1e-6
    TMAG, TERR = np.full((k_out, L), np.nan), np.full((k_out, L), np.nan)
    _lanes._lane_box_extents(P, 3, k_in, k_out, BLO, BHI, BERR, TMAG, TERR, np.zeros((k_in, L)))
    for l in range(0, L, 7):
        lo, hi, err = (np.stack([np.zeros(k_in), A[:, l]]) for A in (BLO, BHI, BERR))
        tmp = np.zeros((4, k_out))
        call(P[:, l].copy(), k_in, k_out, lo, hi, err, tmp)
        assert np.array_equal(tmp[2], TMAG[:, l]) and np.array_equal(tmp[3], TERR[:, l])


@pytest.mark.parametrize("k_out, n", [(16, 64), (4, 1), (6, 9), (3, 7)])
def test_blocked_first_layer_and_relu_out_match_numpy_and_single_units(k_out, n):
    from vcbound._engine import _lanes
    rng, L, P, XP = _lane_layer_inputs(k_out + 7 * n, 3 * k_out + 8, n)
    H = np.full((k_out, n, L), np.nan, np.float32)
    _lanes._lane_layer1(P, 2, k_out, XP, XP, np.zeros((n, L), np.float32), H)
    W = P[:2 * k_out].astype(float).reshape(k_out, 2, L)
    b = P[2 * k_out:3 * k_out].astype(float)
    want = np.maximum(np.einsum("jkl,ki->jil", W, XP.astype(float)) + b[:, None, :], 0)
    np.testing.assert_allclose(H, want, rtol=1e-5, atol=1e-5)
    # four units' ReLU into OUT in one pass: the bits of four one-unit passes
    Z = _lane_arrays(rng, 4, n, L)
    OUT4 = _lane_arrays(rng, n, L)
    OUT1 = OUT4.copy()
    _lanes._lane_relu4_out(P, 0, 4, 1, Z[0], Z[1], Z[2], Z[3], OUT4)
    for u in range(4):
        _lanes._lane_relu_into(P, 0, 1 + u, Z[u], H, OUT1, 4)
    assert np.array_equal(OUT4.view(np.uint32), OUT1.view(np.uint32))


def test_normals_in_groups_of_eight_equal_single_pairs():
    # pairs 8..12 come from the eight-pair pass when 16 are drawn, one by one when 13 are
    from vcbound._engine import _lanes
    L = _lanes.LANES
    st = np.arange(L, dtype=np.uint64) * np.uint64(977) + np.uint64(5)
    golden = np.uint64(0x9E3779B97F4A7C15)
    ga = (np.arange(L, dtype=np.uint64) * np.uint64(2) + np.uint64(1)) * golden
    out = {}
    for npairs in (13, 16):
        NA, NB = np.zeros((npairs, L), np.float32), np.zeros((npairs, L), np.float32)
        _lanes._lane_normals(st, ga, npairs, NA, NB)
        out[npairs] = NA[:13], NB[:13]
    assert all(np.array_equal(a.view(np.uint32), b.view(np.uint32))
               for a, b in zip(out[13], out[16]))


@pytest.mark.parametrize("n", [1, 7, 8, 9, 64, 67, 200])
def test_lane_reductions_match_numpy(n):
    # eight points per pass plus the remainder: min, max, min |out + b| are exact in float32
    from vcbound._engine import _lanes
    rng = np.random.default_rng(n)
    L = _lanes.LANES
    OUT = _lane_arrays(rng, n, L)
    P = _lane_arrays(rng, 3, L)
    OMIN, OMAX, MINABS = (np.zeros(L, np.float32) for _ in range(3))
    _lanes._lane_range(OUT, OMIN, OMAX)
    assert np.array_equal(OMIN, OUT.min(axis=0)) and np.array_equal(OMAX, OUT.max(axis=0))
    KW = np.zeros(((n + 63) // 64, L), np.uint64)
    _lanes._lane_finish(P, 2, OUT, MINABS, KW)
    o = OUT + P[2]                                           # float32 sums, as the kernel's
    assert np.array_equal(MINABS, np.abs(o).min(axis=0))
    for l in range(L):
        assert np.array_equal(KW[:, l], pack_labels(np.where(o[:, l] > 0, 1, -1))[0])


@pytest.mark.parametrize("k_hid, n", [(1, 5), (4, 2), (6, 9), (9, 16)])
def test_one_hidden_layer_lane_pass_matches_numpy(k_hid, n):
    from vcbound._engine import _lanes
    _, L, P, XP = _lane_layer_inputs(k_hid + 10 * n, 4 * k_hid + 1, n)
    OUT = np.full((n, L), np.nan, np.float32)
    _lanes._lane_hidden_2(P, 2, k_hid, XP, OUT)
    W = P[:2 * k_hid].astype(float).reshape(k_hid, 2, L)
    b = P[2 * k_hid:3 * k_hid].astype(float)
    v = P[3 * k_hid:4 * k_hid].astype(float)
    h = np.maximum(np.einsum("jkl,ki->jil", W, XP.astype(float)) + b[:, None, :], 0)
    np.testing.assert_allclose(OUT, np.einsum("jl,jil->il", v, h), rtol=1e-4, atol=1e-4)


def test_normals_follow_the_standard_normal_law():
    from scipy import stats

    from vcbound._engine import _lanes
    st = np.zeros(_lanes.LANES, np.uint64)
    ga = np.zeros(_lanes.LANES, np.uint64)
    _lanes._lane_streams(np.uint64(123), np.int64(0), st, ga)
    pairs = 12_500
    NA = np.zeros((pairs, _lanes.LANES), np.float32)
    NB = np.zeros((pairs, _lanes.LANES), np.float32)
    _lanes._lane_normals(st, ga, pairs, NA, NB)
    a, b = NA.astype(float).ravel(), NB.astype(float).ravel()
    x = np.concatenate([a, b])
    count = len(x)                                           # 400,000 deviates
    assert stats.kstest(x, "norm").pvalue > 1e-3
    assert abs(x.mean()) < 5 / math.sqrt(count)
    assert abs(x.var() - 1) < 5 * math.sqrt(2 / count)
    for cut in (2.5, 3.5):     # tails: expected count 2 (1 - Phi(cut)) per deviate
        expected = count * 2 * stats.norm.sf(cut)
        assert abs((np.abs(x) > cut).sum() - expected) < 5 * math.sqrt(expected)
    # the two deviates of a pair, and the lanes, are uncorrelated
    assert abs(np.corrcoef(a, b)[0, 1]) < 5 / math.sqrt(count / 2)
    assert abs(np.corrcoef(NA[:, 0], NA[:, 1])[0, 1]) < 5 / math.sqrt(pairs)


# --------------------------------------------------------------------------- checkpoints
def test_resume_equals_uninterrupted(tmp_path):
    g = grid(3, 5)
    path = tmp_path / "run.npz"
    first = enumerate_labellings([2, 4, 1], g, 1500, seed=8, checkpoint=path, batch_size=500)
    assert first.samples == 1500 and path.exists()
    resumed = enumerate_labellings([2, 4, 1], g, 4000, seed=8, checkpoint=path, batch_size=500,
                                   return_patterns=True)
    assert resumed.resumed_from == 1500 and resumed.samples == 4000
    whole = enumerate_labellings([2, 4, 1], g, 4000, seed=8, batch_size=500,
                                 return_patterns=True)
    assert np.array_equal(resumed.patterns, whole.patterns)
    assert resumed.saturation.tolist() == whole.saturation.tolist()
    again = enumerate_labellings([2, 4, 1], g, 4000, seed=8, checkpoint=path)  # nothing to do
    assert again.samples == 4000 and again.distinct == whole.distinct


def test_ctrl_c_stops_cleanly_and_resumes(tmp_path, monkeypatch):
    import vcbound.enumerate as E

    g = grid(3, 5)
    path = tmp_path / "run.npz"
    real = E._generate_batch
    calls = []

    def interrupting(*args):
        real(*args)
        calls.append(1)
        if len(calls) == 2:                      # Ctrl-C pressed (twice) during batch 2
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(E, "_generate_batch", interrupting)
    part = enumerate_labellings([2, 4, 1], g, 5000, seed=6, checkpoint=path, batch_size=400)
    assert part.interrupted and part.samples == 800
    assert part.saturation[-1].tolist() == [800, part.distinct]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
    monkeypatch.setattr(E, "_generate_batch", real)
    rest = enumerate_labellings([2, 4, 1], g, 5000, seed=6, checkpoint=path, batch_size=400,
                                return_patterns=True)
    whole = enumerate_labellings([2, 4, 1], g, 5000, seed=6, batch_size=400,
                                 return_patterns=True)
    assert not rest.interrupted
    assert np.array_equal(rest.patterns, whole.patterns)


@pytest.mark.parametrize("change, match", [
    (dict(seed=9), "seed"), (dict(sampler="gaussian"), "sampler"),
    (dict(widths=[2, 3, 1]), "widths"), (dict(points=grid(3, 4)), "points"),
])
def test_checkpoint_of_another_run_is_refused(tmp_path, change, match):
    path = tmp_path / "run.npz"
    enumerate_labellings([2, 4, 1], grid(3, 5), 300, seed=8, checkpoint=path)
    args = dict(widths=[2, 4, 1], points=grid(3, 5), seed=8, sampler="data")
    args.update(change)
    with pytest.raises(CheckpointError, match=match):
        enumerate_labellings(args.pop("widths"), args.pop("points"), 600, checkpoint=path,
                             **args)


def test_checkpoint_with_more_samples_than_asked(tmp_path):
    path = tmp_path / "run.npz"
    enumerate_labellings([2, 1], grid(3, 3), 500, checkpoint=path)
    with pytest.raises(CheckpointError, match="already holds 500"):
        enumerate_labellings([2, 1], grid(3, 3), 100, checkpoint=path)


def test_corrupt_checkpoints_are_refused(tmp_path):
    g = grid(3, 3)
    bad = tmp_path / "garbage.npz"
    bad.write_bytes(b"this is not a zip file")
    with pytest.raises(CheckpointError, match="corrupt"):
        enumerate_labellings([2, 1], g, 10, checkpoint=bad)
    good = tmp_path / "good.npz"
    enumerate_labellings([2, 1], g, 300, checkpoint=good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:200])
    with pytest.raises(CheckpointError, match="corrupt"):
        enumerate_labellings([2, 1], g, 10, checkpoint=truncated)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(CheckpointError, match="not a"):
        enumerate_labellings([2, 1], g, 10, checkpoint=other)
    # a pickled object array is never loaded (allow_pickle=False)
    with np.load(good) as data:
        arrays = dict(data)
    arrays["keys"] = np.array([object()], dtype=object)
    evil = tmp_path / "evil.npz"
    np.savez(evil, **arrays)
    with pytest.raises(CheckpointError, match="corrupt"):
        enumerate_labellings([2, 1], g, 1000, checkpoint=evil)
    # tampered contents: a pattern with bit 0 set is not canonical
    with np.load(good) as data:
        arrays = dict(data)
    arrays["keys"] = arrays["keys"] | np.uint64(1)
    tampered = tmp_path / "tampered.npz"
    np.savez(tampered, **arrays)
    with pytest.raises(CheckpointError, match="canonical"):
        enumerate_labellings([2, 1], g, 1000, checkpoint=tampered)


def test_checkpoint_write_is_atomic(tmp_path, monkeypatch):
    from vcbound._engine import _checkpoint
    path = tmp_path / "run.npz"
    enumerate_labellings([2, 1], grid(3, 3), 300, checkpoint=path)
    before = path.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_checkpoint.os, "replace", failing_replace)
    with pytest.raises(CheckpointError, match="No space left"):
        enumerate_labellings([2, 1], grid(3, 3), 600, checkpoint=path)
    assert path.read_bytes() == before                        # old checkpoint intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz"]   # no temporary left


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, exc, match", [
    (lambda: enumerate_labellings([3, 4, 1], grid(3, 4), 10), VCBoundError, "d - 1 = 2"),
    (lambda: enumerate_labellings([2, 4, 2], grid(3, 4), 10), VCBoundError, "end in 1"),
    (lambda: enumerate_labellings([2], grid(3, 4), 10), VCBoundError, "between 2"),
    (lambda: enumerate_labellings([2, 0, 1], grid(3, 4), 10), VCBoundError, "widths\\[1\\]"),
    (lambda: enumerate_labellings("2,4,1", grid(3, 4), 10), VCBoundTypeError, "widths"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 0), VCBoundError, "samples"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), -5), VCBoundError, "samples"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 2.5), VCBoundError, "samples"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 10, sampler="uniform"), VCBoundError,
     "sampler"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 10, seed=-1), VCBoundError, "seed"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 10, seed=2**64), VCBoundError, "seed"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 10, threads=0), VCBoundError,
     "threads"),
    (lambda: enumerate_labellings([2, 4, 1], grid(3, 4), 10, batch_size=0), VCBoundError,
     "batch_size"),
    (lambda: enumerate_labellings([2, 1], np.zeros((MAX_POINTS + 1, 2)), 10), VCBoundError,
     "more than"),
    (lambda: enumerate_labellings([2, 1], np.zeros((0, 2)), 10), VCBoundError, "shape"),
    (lambda: enumerate_labellings([2, 1], [[0.0, float("nan")]], 10), VCBoundError, "finite"),
    (lambda: enumerate_labellings([1, 1], [[1, 2], [3]], 10), VCBoundTypeError, "points"),
    (lambda: enumerate_labellings([2, 1], grid(3, 3), 10, exact="maybe"), VCBoundError,
     "exact"),
    (lambda: make_grid(3, K=0), VCBoundError, "K"),
    (lambda: make_grid(1, K=3), VCBoundError, "d"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_import_does_not_compile_or_load_numba():
    code = ("import sys, vcbound.enumerate, vcbound.cli.enumerate; "
            "print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_result_rendering():
    res = enumerate_labellings([2, 1], grid(3, 2), 2000, seed=1)
    assert isinstance(res, LabellingEnumeration)
    text = str(res)
    assert "distinct labellings" in text and "14" in text
    d = res.to_dict()
    assert d["distinct"] == 14 and d["exact_one_neuron"] == 14 and d["converged"] is True
    assert d["saturation"][-1] == [2000, 14]
    assert res.rate > 0


@pytest.mark.parametrize("widths", [[2, 16, 1], [2, 1], [2, 6, 5, 1]])
@pytest.mark.parametrize("sampler", ["data", "gaussian"])
def test_certified_outputs_satisfy_the_documented_rounding_bound(widths, sampler):
    # A network certified in float32 (status 0) must have min |output| > e_out, e_out being
    # the bound of the _kernels docstring recomputed here in numpy from the recorded weights
    # (first layer by interval arithmetic over the bounding box, later layers from the ranges
    # of the float64 values widened by twice the bound), and its float32 outputs must lie
    # within e_out of a float64 pass with the same weights.
    g = grid(3, 8)
    X32, X64, lo0, hi0, e32, e64 = _prepare_data(np.asarray(g.points, dtype=float))
    u = 2.0 ** -24
    gam = lambda j: j * u / (1 - j * u)   # noqa: E731  Higham eq. (3.5)
    checked = 0
    for t in range(200):
        status, layers, outputs, _ = _record(g.points, widths, sampler, 3, t)
        if status != 0:
            continue
        lo, hi, err = lo0, hi0, e32
        h = X64.copy()
        for index, (W, b) in enumerate(layers):
            M = np.maximum(np.abs(lo), np.abs(hi))
            mag = np.abs(W) @ (M + err) + np.abs(b)
            e = (gam(W.shape[1] + 1) * mag + np.abs(W) @ err) * (1 + 1e-6)
            z = W @ h + b[:, None]
            if index == len(layers) - 1:
                break
            if index == 0:
                hi_n = np.maximum(b + np.maximum(W * lo, W * hi).sum(axis=1) + 1e-9 * mag, 0)
                lo_n = np.maximum(b + np.minimum(W * lo, W * hi).sum(axis=1) - 1e-9 * mag, 0)
            else:
                zl, zh = z.min(axis=1), z.max(axis=1)
                lo_n = np.maximum(zl - 1e-6 * np.abs(zl) - 2 * e, 0)
                hi_n = np.maximum(zh + 1e-6 * np.abs(zh), 0) + 2 * e
            lo, hi, err, h = lo_n, hi_n, e, np.maximum(z, 0)
        e_out = e[0]
        assert np.abs(outputs).min() > 0.999 * e_out
        assert np.abs(outputs - z[0]).max() <= e_out
        checked += 1
    assert checked > 150


def test_table_growth_keeps_every_key_and_a_bounded_capacity():
    # the hash set grows ahead for the remaining networks at the last batch's rate, at most 8x
    # what is needed (rounded up to a power of two), and never below load factor 1/2; its keys
    # are exactly those inserted (a second method: Python's set of rows)
    from vcbound._engine import _kernels
    from vcbound.enumerate import _State
    rng = np.random.default_rng(3)
    state = _State(130, _kernels)                  # 3 words per key
    seen = set()
    for batch in range(12):
        keys = rng.integers(0, 2 ** 62, (1000, 3), dtype=np.uint64) & ~np.uint64(1)
        keys[::3] = keys[0]                         # repeats within the batch
        before = state.size
        state.add(keys, len(keys), remaining=10 ** 6)
        seen |= {tuple(r) for r in keys.tolist()}
        assert state.size == len(seen)
        need = 2 * (before + len(keys))
        cap = state.table.shape[0]
        assert cap >= 2 * state.size and cap <= max(1024, 2 ** math.ceil(math.log2(8 * need)))
    assert {tuple(r) for r in state.keys().tolist()} == seen
    # by hand: 667 new keys per batch; batch 1 (no rate yet) needs 2 (0 + 1000) -> 2048 slots;
    # batch 2 needs 2 (667 + 1000) = 3334 and projects 10^6 networks at rate 0.667, limited to
    # 8 x 3334 = 26672 -> 32768 slots, enough for batches 3 .. 12 (2 (7337 + 1000) = 16674)
    assert state.table.shape[0] == 32768


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows, lanes", [(337, 64), (16, 16), (5, 32), (33, 48)])
def test_transpose_of_lane_parameters(dtype, rows, lanes):
    # second method: numpy's transpose; NaN-free random values (each element distinct)
    from vcbound._engine import _simd
    P = np.random.default_rng(rows).standard_normal((rows, lanes)).astype(dtype)
    PT = np.full((lanes, rows + 3), np.nan, dtype)
    _simd.transpose(P, PT)
    assert np.array_equal(PT[:, :rows], P.T)
    assert np.isnan(PT[:, rows:]).all()          # nothing written past the rows


def test_points_redone_in_float64_carry_the_exact_signs():
    # networks whose float32 pass left outputs uncertified: the per-network pass redoes those
    # points in float64 with the same float32 parameters (repair32), or, if that fails too,
    # the whole network in float64. Second method: exact rational arithmetic (fractions) of
    # the recorded network on the exact points; the key must be its canonical sign pattern
    from fractions import Fraction
    from vcbound._engine import _kernels, _lanes
    g = grid(3, 17)
    widths = np.array([2, 8, 8, 1])
    data = _prepare_data(g.points)
    N = 3000
    keys = np.zeros((N, 5), np.uint64)
    status = np.zeros(N, np.int8)
    _lanes.generate(data, widths, _kernels.SAMPLER_DATA, 5, 0, N, keys, status)
    redone = np.flatnonzero(status == 1)[:3]
    assert len(redone) > 0
    pts = [[Fraction(float(x)) for x in p] for p in g.points]
    kept_float32 = 0
    for t in redone:
        st, layers, outputs, key = _record(g.points, widths, "data", 5, int(t))
        assert st == 1 and np.array_equal(key, keys[t])
        params = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in layers])
        kept_float32 += bool((params.astype(np.float32) == params).all())
        exact = []
        for p in pts:
            h = p
            for i, (W, b) in enumerate(layers):
                z = [Fraction(float(bj)) + sum(Fraction(float(wjk)) * hk
                                               for wjk, hk in zip(row, h))
                     for row, bj in zip(W, b)]
                h = z if i == len(layers) - 1 else [max(v, Fraction(0)) for v in z]
            exact.append(h[0])
        assert all(v != 0 for v in exact)
        labels = np.array([v > 0 for v in exact])
        packed = pack_labels(labels ^ labels[0])[0]
        assert np.array_equal(packed, key)
        assert np.all((outputs > 0) == labels)        # the recorded outputs carry the signs
    assert kept_float32 > 0     # some were redone point by point, keeping float32 parameters
