"""Benchmark of the Monte Carlo labelling enumerator (measured, not a test).

Reports, in one run on this machine:

1. networks/s of the numba kernel (``vcbound.enumerate_labellings``: sampling, certified
   float32 forward pass, packing and hash-set insertion) and of the plain-numpy baseline
   (``benchmarks/numpy_baseline.py``: batched float32 matmuls, np.random, sort + diff) on the
   grids with n = 16, 64, 256 points (d = 3, K = 4, 8, 16) for widths [2, 4, 1], [2, 16, 1],
   [2, 16, 16, 1], and their ratio;
2. the float32 matmul peak of the machine (a 2048 x 2048 numpy matmul) on one BLAS thread (the
   kernel runs on one thread) and on all, and the fraction of the one-thread peak the kernel
   reaches (flops of the forward pass only: 2 k_in k_out n per layer);
3. threads = 2 against threads = 1;
4. distinct labellings found by the gaussian and the data samplers at equal samples, against
   the exact one-neuron count (vcbound.exact) on small grids;
5. the warm start of ``python -m vcbound enumerate`` (second of two runs, compiled kernels
   cached on disk).

Timings are the best of ``--repeat`` runs (wall clock). Other processes on the machine slow
everything down (its 2 cores share their floating-point units), so compare figures from one run.

    python benchmarks/bench_enumerate.py [--quick] [--json benchmarks/results/bench.json]
"""

import argparse
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _machine import cpu_name, write_json  # noqa: E402
from numpy_baseline import enumerate_numpy  # noqa: E402

from vcbound.enumerate import enumerate_labellings  # noqa: E402
from vcbound.exact import count_linear_dichotomies  # noqa: E402
from vcbound.grid import make_grid  # noqa: E402

CONFIGS = [(K, widths) for K in (4, 8, 16) for widths in ([2, 4, 1], [2, 16, 1], [2, 16, 16, 1])]


def best_of(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def matmul_peak(repeat):
    a = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    a @ a
    seconds = best_of(repeat, lambda: a @ a)
    return 2 * 2048**3 / seconds


def matmul_peak_one_thread(repeat):
    """The same, in a child process whose BLAS uses one thread (set before numpy loads)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench_enumerate as b; "
            f"print(b.matmul_peak({repeat}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def flops(widths, n):
    return sum(2 * k_in * k_out * n for k_in, k_out in zip(widths[:-1], widths[1:]))


def numba_rate(widths, grid, samples, repeat, sampler="data", threads=1):
    enumerate_labellings(widths, grid, 1000, sampler=sampler, threads=threads, exact=False)
    seconds = best_of(repeat, lambda: enumerate_labellings(
        widths, grid, samples, sampler=sampler, threads=threads, batch_size=65536, exact=False))
    return samples / seconds


def numpy_rate(widths, grid, samples, repeat, sampler="data"):
    enumerate_numpy(widths, grid.points, 1000, sampler=sampler)
    seconds = best_of(repeat, lambda: enumerate_numpy(widths, grid.points, samples,
                                                      sampler=sampler))
    return samples / seconds


def warm_start(argv, runs=2):
    cmd = [sys.executable, "-m", "vcbound", "enumerate", *argv]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--json", default=str(HERE / "results" / "bench_enumerate.json"))
    args = parser.parse_args()
    repeat = args.repeat or (2 if args.quick else 3)
    scale = 0.25 if args.quick else 1.0
    out = {"machine": cpu_name(), "cpus": os.cpu_count(),
           "numpy": np.__version__}
    import numba
    from llvmlite import binding

    from vcbound._engine._compile import WIDE_VECTORS
    out["numba"] = numba.__version__
    out["llvm_cpu"] = binding.get_host_cpu_name()
    out["wide_vectors"] = WIDE_VECTORS
    print(f"CPU: {out['machine']} ({out['cpus']} logical CPUs); LLVM host CPU: "
          f"{out['llvm_cpu']}; kernels compiled with 512-bit vectors preferred: "
          f"{'yes' if WIDE_VECTORS else 'no (no AVX-512)'} (vcbound._engine._compile)")

    peak_all = matmul_peak(repeat)
    peak = matmul_peak_one_thread(repeat)
    out["matmul_float32_peak_gflops"] = peak / 1e9
    out["matmul_float32_peak_gflops_all_threads"] = peak_all / 1e9
    print(f"float32 matmul peak (2048^2 numpy matmul): one thread {peak / 1e9:.1f} GFLOP/s, "
          f"all threads {peak_all / 1e9:.1f} GFLOP/s; % of peak below: of the one-thread "
          f"peak\n")

    print("| n | widths | numba net/s | numpy net/s | ratio | numba GFLOP/s | % of peak |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for K, widths in CONFIGS:
        grid = make_grid(3, K=K)
        n = grid.n
        work = flops(widths, n)
        ns = max(20000, int(scale * 4e8 / work))
        ps = max(4096, int(scale * 5e7 / work))
        r_numba = numba_rate(widths, grid, ns, repeat)
        r_numpy = numpy_rate(widths, grid, ps, repeat)
        gflops = r_numba * work / 1e9
        rows.append({"n": n, "widths": widths, "numba_per_s": r_numba, "numpy_per_s": r_numpy,
                     "ratio": r_numba / r_numpy, "numba_gflops": gflops,
                     "fraction_of_peak": gflops * 1e9 / peak, "numba_samples": ns,
                     "numpy_samples": ps})
        print(f"| {n} | {widths} | {r_numba:,.0f} | {r_numpy:,.0f} | {r_numba / r_numpy:.1f}x | "
              f"{gflops:.2f} | {100 * gflops * 1e9 / peak:.1f}% |", flush=True)
    out["configs"] = rows

    grid = make_grid(3, K=8)
    g_numba = numba_rate([2, 16, 1], grid, int(scale * 2e6), repeat, sampler="gaussian")
    g_numpy = numpy_rate([2, 16, 1], grid, int(scale * 2e5), repeat, sampler="gaussian")
    print(f"\ngaussian sampler, n = 64, [2, 16, 1]: numba {g_numba:,.0f} net/s, numpy "
          f"{g_numpy:,.0f} net/s, ratio {g_numba / g_numpy:.1f}x")
    out["gaussian_n64_2_16_1"] = {"numba_per_s": g_numba, "numpy_per_s": g_numpy}

    t1 = numba_rate([2, 16, 1], grid, int(scale * 2e6), repeat, threads=1)
    t2 = numba_rate([2, 16, 1], grid, int(scale * 2e6), repeat, threads=2)
    print(f"threads, n = 64, [2, 16, 1]: 1 thread {t1:,.0f} net/s, 2 threads {t2:,.0f} net/s "
          f"({100 * (t2 / t1 - 1):+.0f}%)")
    out["threads"] = {"1": t1, "2": t2}

    print("\nsamplers against the exact one-neuron count (widths [m, 1], seed 0):")
    print("| grid | n | exact | samples | gaussian | data |")
    print("|---|---|---|---|---|---|")
    sampler_rows = []
    for d, K in [(3, 2), (3, 3), (3, 4), (3, 8), (3, 16), (4, 2), (4, 3), (4, 4), (5, 2)]:
        grid = make_grid(d, K=K)
        exact = count_linear_dichotomies(grid)
        for samples in (10**4, 10**5):
            found = {s: enumerate_labellings([d - 1, 1], grid, samples, sampler=s,
                                             exact=False).distinct
                     for s in ("gaussian", "data")}
            sampler_rows.append({"d": d, "K": K, "n": grid.n, "exact": exact,
                                 "samples": samples, **found})
            print(f"| d={d}, K={K} | {grid.n} | {exact} | {samples:.0e} | "
                  f"{found['gaussian']} ({100 * found['gaussian'] / exact:.0f}%) | "
                  f"{found['data']} ({100 * found['data'] / exact:.0f}%) |", flush=True)
    out["samplers"] = sampler_rows

    small = warm_start(["--d", "3", "--K", "4", "--widths", "2,4,1", "--samples", "1e3"])
    big = warm_start(["--d", "3", "--K", "4", "--widths", "2,4,1", "--samples", "1e6"])
    print(f"\nwarm start of python -m vcbound enumerate --d 3 --K 4 --widths 2,4,1: "
          f"--samples 1e3: {small[-1]:.2f} s (first run {small[0]:.2f} s); "
          f"--samples 1e6: {big[-1]:.2f} s")
    out["warm_start_s"] = {"samples_1e3": small, "samples_1e6": big}

    write_json(args.json, out)


if __name__ == "__main__":
    main()
