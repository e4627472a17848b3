"""Benchmark of vcbound.exact: exact one-neuron dichotomy counts against a plain baseline.

Times ``count_linear_dichotomies`` (deletion–restriction 'incremental', and Zaslavsky 'flats')
on the 4x4x4 grid (S~ for d = 4, K = 4) and the 5-cube, and the plain baseline — one LP per
labelling (scipy linprog, method 'lp') — in the same run on the sets where it finishes. For the
large sets the LP baseline cannot finish (2^(n-1) programs), so its time is extrapolated from the
measured time per LP on the largest set it ran on, and marked as such.

Run:  python benchmarks/bench_exact.py            (about a minute; --quick skips the 16-point LP)

``--symmetry`` instead times the default method 'orbits' (deletion-restriction merged up to the
box group) against itself with the trivial group and against 'incremental' (the previous
default), in the same run, warm (numba compiled and loaded before timing):

      python benchmarks/bench_exact.py --symmetry             # up to {0,1}^6 (about 2 minutes)
      python benchmarks/bench_exact.py --symmetry --cube 7    # adds {0,1}^7 (orbits only)
"""

import argparse
import itertools
import time

from vcbound.exact import count_linear_dichotomies
from vcbound.grid import make_grid


def best_time(fn, repeat):
    best, value = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, value


def bench_symmetry(args):
    import platform

    from vcbound.exact import exact_count

    cube = lambda k: list(itertools.product([0, 1], repeat=k))  # noqa: E731
    exact_count(cube(4))                                           # compile / load the kernels
    exact_count(cube(4), symmetry="none")
    sets = [(f"cube {{0,1}}^{k}", cube(k), k <= 6, k <= 6) for k in range(4, args.cube + 1)]
    sets += [(f"grid {K}x{K}x{K}", make_grid(4, K=K), K <= 6, True) for K in (4, 6, 8)]
    sets += [(f"grid {K}^4", make_grid(5, K=K), False, K <= 3) for K in (3, 4)]
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"CPU: {cpu}; best of {args.repeat} (1 for runs over 5 s)")
    header = (f"{'set':<16}{'n':>5}{'count':>16}{'|G|':>8}{'nodes':>8}{'orbits s':>10}"
              f"{'no-sym s':>10}{'incr s':>10}{'no-sym/orb':>11}{'incr/orb':>10}")
    print(header)
    print("-" * len(header))
    for name, pts, run_inc, run_nosym in sets:
        t_orb, res = best_time(lambda: exact_count(pts), args.repeat)
        cells = []
        ratios = []
        for run, kw in ((run_nosym, {"symmetry": "none"}), (run_inc, {"method": "incremental"})):
            if run:
                reps = 1 if t_orb > 5 or kw.get("method") else args.repeat
                t, other = best_time(lambda: exact_count(pts, **kw), reps)
                assert other.count == res.count, (name, res.count, other.count)
                cells.append(f"{t:.3f}")
                ratios.append(f"{t / t_orb:.1f}x")
            else:
                cells.append("-")
                ratios.append("-")
        print(f"{name:<16}{res.n:>5}{res.count:>16}{res.group_order:>8}{res.nodes:>8}"
              f"{t_orb:>10.3f}{cells[0]:>10}{cells[1]:>10}{ratios[0]:>11}{ratios[1]:>10}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--quick", action="store_true", help="skip the 16-point LP baseline")
    parser.add_argument("--symmetry", action="store_true",
                        help="time 'orbits' with and without symmetry against 'incremental'")
    parser.add_argument("--cube", type=int, default=6, help="largest cube for --symmetry")
    args = parser.parse_args(argv)
    if args.symmetry:
        return bench_symmetry(args)

    cube = lambda k: list(itertools.product([0, 1], repeat=k))  # noqa: E731
    sets = [("cube {0,1}^3", cube(3), True),
            ("box 2x2x3", list(itertools.product([0, 1, 2], [0, 1], [0, 1])), True),
            ("grid 4x4 (d=3, K=4)", make_grid(3, K=4).int_points, not args.quick),
            ("cube {0,1}^4", cube(4), not args.quick),
            ("grid 4x4x4 (d=4, K=4)", make_grid(4, K=4).int_points, False),
            ("cube {0,1}^5", cube(5), False)]
    header = (f"{'set':<24}{'n':>4}{'count':>9}{'incremental s':>15}{'flats s':>10}"
              f"{'LP s':>12}{'LP/incr':>12}")
    print(header)
    print("-" * len(header))
    per_lp = None
    for name, pts, run_lp in sets:
        n = len(pts)
        t_inc, count = best_time(lambda: count_linear_dichotomies(pts, "incremental"),
                                 args.repeat)
        t_fl, count_fl = best_time(lambda: count_linear_dichotomies(pts, "flats"), 1)
        assert count_fl == count, (name, count, count_fl)
        if run_lp:
            t_lp, count_lp = best_time(lambda: count_linear_dichotomies(pts, "lp"), 1)
            assert count_lp == count, (name, count, count_lp)
            per_lp = t_lp / 2 ** (n - 1)
            lp_text, ratio = f"{t_lp:.2f}", f"{t_lp / t_inc:.0f}x"
        else:
            est = per_lp * 2 ** (n - 1)
            lp_text, ratio = f"~{est:.1e}*", f"~{est / t_inc:.1e}x*"
        print(f"{name:<24}{n:>4}{count:>9}{t_inc:>15.4f}{t_fl:>10.3f}{lp_text:>12}{ratio:>12}")
    print(f"\n* extrapolated: {per_lp * 1e3:.2f} ms per LP (measured above) x 2^(n-1) labellings; "
          "the LP baseline cannot finish on these sets.")


if __name__ == "__main__":
    main()
