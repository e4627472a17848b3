"""Plain-numpy baseline of the Monte Carlo labelling enumeration (for benchmarks only).

The same enumeration as :func:`vcbound.enumerate.enumerate_labellings`, vectorised the numpy
way: a batch of B networks is drawn with ``numpy.random`` and evaluated with batched float32
matmuls (B, k_out, k_in) @ (B, k_in, n); sign patterns are packed with ``numpy.packbits``,
made canonical (complemented when bit 0 is set; each stands for itself and its complement) and
counted with sort + diff (never ``numpy.unique``, which is slow on uint64 arrays in numpy 2.x).
Samplers as in vcbound.enumerate: 'gaussian' (He weights, N(0, 1) biases) and 'data' (random
direction, offset uniform over the range of w.x over the inputs -- the bounding box for the
first layer -- widened by 1%). No rounding certificate: this is a speed baseline, not a
certified count.

Usage::

    python benchmarks/numpy_baseline.py --d 3 --K 8 --widths 2,16,1 --samples 1e5
"""

import argparse
import time

import numpy as np

MARGIN = 0.01


def _offsets(rng, tmin, tmax):
    width = np.where(tmax > tmin, tmax - tmin, 1.0)
    v = rng.random(tmin.shape, dtype=np.float32)
    return -(tmin - MARGIN * width + v * (1 + 2 * MARGIN) * width)


def patterns_batch(widths, X, lo, hi, batch, rng, sampler="data"):
    """Canonical patterns (batch, words) of ``batch`` random networks on X (m, n) float32."""
    n = X.shape[1]
    h = np.broadcast_to(X, (batch,) + X.shape)            # (B, m, n)
    layers = list(zip(widths[:-1], widths[1:]))
    for index, (k_in, k_out) in enumerate(layers):
        W = rng.standard_normal((batch, k_out, k_in), dtype=np.float32)
        if sampler == "gaussian":
            W *= np.float32(np.sqrt(2.0 / k_in))
        z = np.matmul(W, h)                                  # (B, k_out, n)
        if sampler == "gaussian":
            b = rng.standard_normal((batch, k_out, 1), dtype=np.float32)
        elif index == 0:                                     # bounding box of the data
            tmin = (np.minimum(W * lo, W * hi)).sum(axis=2, keepdims=True)
            tmax = (np.maximum(W * lo, W * hi)).sum(axis=2, keepdims=True)
            b = _offsets(rng, tmin, tmax)
        else:                                                # range of w.x over the points
            b = _offsets(rng, z.min(axis=2, keepdims=True), z.max(axis=2, keepdims=True))
        z += b
        h = np.maximum(z, 0, out=z) if index < len(layers) - 1 else z
    bits = h[:, 0, :] > 0                                    # (B, n)
    bits ^= bits[:, :1]                                      # canonical: bit 0 clear
    words = (n + 63) // 64
    padded = np.zeros((batch, words * 64), dtype=bool)
    padded[:, :n] = bits
    packed = np.packbits(padded, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").reshape(batch, words)


def distinct_rows(keys):
    """Distinct rows of a uint64 array by sort + diff."""
    if keys.shape[1] == 1:
        s = np.sort(keys[:, 0])
        keep = np.empty(len(s), dtype=bool)
        keep[:1] = True
        keep[1:] = s[1:] != s[:-1]
        return s[keep][:, None]
    order = np.lexsort(keys.T[::-1])
    s = keys[order]
    keep = np.empty(len(s), dtype=bool)
    keep[:1] = True
    keep[1:] = (s[1:] != s[:-1]).any(axis=1)
    return s[keep]


def enumerate_numpy(widths, points, samples, seed=0, sampler="data", batch=4096):
    """Number of distinct labellings (complements included) of ``samples`` random networks."""
    rng = np.random.default_rng(seed)
    X = np.ascontiguousarray(np.asarray(points, dtype=np.float32).T)
    lo = X.min(axis=1)[None, None, :]
    hi = X.max(axis=1)[None, None, :]
    found = np.zeros((0, (X.shape[1] + 63) // 64), dtype=np.uint64)
    done = 0
    while done < samples:
        count = min(batch, samples - done)
        keys = patterns_batch(widths, X, lo, hi, count, rng, sampler)
        found = distinct_rows(np.concatenate([found, keys]))
        done += count
    return 2 * len(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", type=int, default=3)
    parser.add_argument("--K", type=int, default=8)
    parser.add_argument("--widths", default="2,16,1")
    parser.add_argument("--samples", type=float, default=1e5)
    parser.add_argument("--sampler", default="data")
    args = parser.parse_args()
    from vcbound.grid import make_grid
    grid = make_grid(args.d, K=args.K)
    widths = [int(w) for w in args.widths.split(",")]
    start = time.perf_counter()
    distinct = enumerate_numpy(widths, grid.points, int(args.samples), sampler=args.sampler)
    seconds = time.perf_counter() - start
    print(f"{distinct} distinct labellings, {int(args.samples) / seconds:,.0f} networks/s")


if __name__ == "__main__":
    main()
