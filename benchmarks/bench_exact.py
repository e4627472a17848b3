"""Benchmark of vcbound.exact: exact one-neuron dichotomy counts against a plain baseline.

Times ``count_linear_dichotomies`` (deletion–restriction 'incremental', and Zaslavsky 'flats')
on the 4x4x4 grid (S~ for d = 4, K = 4) and the 5-cube, and the plain baseline — one LP per
labelling (scipy linprog, method 'lp') — in the same run on the sets where it finishes. For the
large sets the LP baseline cannot finish (2^(n-1) programs), so its time is extrapolated from the
measured time per LP on the largest set it ran on, and marked as such.

Run:  python benchmarks/bench_exact.py            (about a minute; --quick skips the 16-point LP)

``--symmetry`` instead times the default method 'orbits' (the sharded engine of
vcbound._engine._orbits/_shards, merged up to the box group) in the same run, warm (numba
compiled and loaded before timing), against

* the *previous* orbit engine, the one of commit 3076606 (before the sharded engine), loaded
  from this checkout's git history into a temporary module (skipped outside a git checkout,
  or with --no-baseline); it merged the explicit list of the whole group, so it is not run
  beyond {0,1}^7 (it did not finish {0,1}^8 within 5 GB);
  ``--baseline COMMIT`` takes another commit's engine instead (one with the sharded engine's
  OrbitEngine runs unsharded, one thread, on every set up to {0,1}^7), e.g. ``--baseline
  HEAD~1`` to measure a change against the commit before it;
* itself with the trivial group, and 'incremental' (the independent cross-check) where cheap.

This engine uses every CPU (``--threads 1`` for the one-thread figure).

      python benchmarks/bench_exact.py --symmetry             # up to {0,1}^7 (about 2 minutes)
      python benchmarks/bench_exact.py --symmetry --baseline HEAD~1 --threads 1
      python benchmarks/bench_exact.py --symmetry --cube 8    # adds {0,1}^8 (sharded, a
                                                              # checkpoint in a temporary folder)

The figures of the sharded runs (shards, nodes against the unsharded run: the merge loss) are
printed below the table.

``--incremental`` times the method 'incremental' as compiled (vcbound._engine._incremental,
rank 5 down) against its numpy implementation (``_regions_incremental(V, compiled=False)``,
the code it replaced) in the same run, warm, on 3-D and 4-D grids and cubes; the counts must
agree (about 3 minutes, most of it numpy; --quick skips the two slowest numpy runs).
``--incremental --grid D,K`` counts one grid S~ that way (compiled only, no time guard): the
second method of the long rows of the docs' tables, e.g. ``--grid 5,6`` for the 4-D grid K = 6.
"""

import argparse
import itertools
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # this checkout's vcbound

from vcbound.exact import count_linear_dichotomies  # noqa: E402
from vcbound.grid import make_grid  # noqa: E402

from _machine import cpu_name, load  # noqa: E402  (benchmarks/ is on sys.path)

#: The commit whose orbit engine is the baseline of --symmetry.
BASELINE_COMMIT = "3076606"


def best_time(fn, repeat):
    best, value = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, value


def _baseline_engine(commit=BASELINE_COMMIT):
    """The orbit engine of ``commit`` as a module (None when git or the commit is
    missing): its source is written into a temporary folder (numba caches beside it) and
    imported as vcbound._engine._orbits_baseline, so that its relative imports resolve."""
    import importlib.util
    try:
        src = subprocess.run(["git", "-C", str(HERE.parent), "show",
                              f"{commit}:vcbound/_engine/_orbits.py"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = pathlib.Path(tempfile.gettempdir()) / f"vcbound-bench-{commit}"
    folder.mkdir(exist_ok=True)
    path = folder / "_orbits_baseline.py"
    if not path.exists() or path.read_text() != src:
        path.write_text(src)
    spec = importlib.util.spec_from_file_location("vcbound._engine._orbits_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _baseline_count(engine, pts):
    """The baseline engine's count: with its OrbitEngine (commits since the sharded engine) the
    unsharded recursion on the prefix stabilisers of the box group, one thread; before that
    the box group listed in full, layer order, old orbit_count."""
    import numpy as np

    from vcbound._engine import _symmetry as sym
    from vcbound.exact import _lifted_configuration, integer_points

    X = integer_points(pts)
    V, _ = _lifted_configuration(X)
    vals = sym.box_axes(X)
    if hasattr(engine, "OrbitEngine"):
        order = sym.layer_order(X, vals)
        stab, _ = sym.box_stabilisers(X, vals, order)
        kwargs = {"threads": 1} if "threads" in engine.OrbitEngine.__init__.__code__.co_varnames \
            else {}
        eng = engine.OrbitEngine(V[order], stab, **kwargs)
        stats = {}
        total, _ = eng.run(eng.root(), stats=stats)
        return total, stats["nodes"]
    perms = sym.box_group(X, vals, cap=700_000)
    order = sym.layer_order(X, vals)
    inv = np.empty(len(order), dtype=np.int64)
    inv[order] = np.arange(len(order))
    stats = {}
    count = engine.orbit_count(V[order], inv[perms[:, order]], stats=stats)
    return count, stats["nodes"]


def bench_symmetry(args):
    from vcbound.exact import exact_count

    cube = lambda k: list(itertools.product([0, 1], repeat=k))  # noqa: E731
    exact_count(cube(4))                                           # compile / load the kernels
    exact_count(cube(4), symmetry="none")
    if args.threads is not None:
        os.environ["VCBOUND_EXACT_THREADS"] = str(args.threads)
    engine = None if args.no_baseline else _baseline_engine(args.baseline)
    if engine is not None:
        _baseline_count(engine, cube(4))
    # (name, points, run incremental, run trivial group, run the baseline)
    sets = [(f"cube {{0,1}}^{k}", cube(k), k <= 5, k <= 5, k <= 7)
            for k in range(4, args.cube + 1)]
    # the previous engine took minutes on the 12^3 grid and 31 minutes on the 5^4 grid
    # ... a baseline with the sharded engine's OrbitEngine runs on all of them
    fast = engine is not None and hasattr(engine, "OrbitEngine")
    sets += [(f"grid {K}x{K}x{K}", make_grid(4, K=K), K <= 6, True, K <= 8 or fast)
             for K in (4, 8, 12)]
    sets += [(f"grid {K}^4", make_grid(5, K=K), False, K <= 3, K <= 4 or fast)
             for K in (3, 4, 5)]
    print(f"CPU: {cpu_name()}; {load()}; best of {args.repeat} (1 for runs over 5 s)")
    from vcbound._engine._orbits import default_threads
    print(f"this engine: {default_threads()} thread(s); baseline: orbit engine of commit "
          f"{args.baseline}, one thread"
          + ("" if engine is not None else " (not available: skipped)"))
    header = (f"{'set':<16}{'n':>5}{'count':>16}{'|G|':>10}{'nodes':>9}{'orbits s':>10}"
              f"{'prev s':>9}{'prev/orb':>9}{'no-sym s':>10}{'incr s':>9}{'incr/orb':>9}")
    print(header)
    print("-" * len(header))
    sharded = []
    for name, pts, run_inc, run_nosym, run_base in sets:
        big = name == "cube {0,1}^8"
        if big:
            folder = tempfile.mkdtemp()
            t0 = time.perf_counter()
            res = exact_count(pts, checkpoint=os.path.join(folder, "cube8.npz"))
            t_orb = time.perf_counter() - t0
        else:
            t_orb, res = best_time(lambda: exact_count(pts), 1)
            if t_orb < 5 and args.repeat > 1:
                t_orb = min(t_orb, best_time(lambda: exact_count(pts), args.repeat - 1)[0])
        cells = {"prev": "-", "ratio_prev": "-", "nosym": "-", "incr": "-", "ratio_incr": "-"}
        if run_base and engine is not None and not big:
            t, (count, _) = best_time(lambda: _baseline_count(engine, pts), 1 if t_orb > 1
                                      else args.repeat)
            assert count == res.count, (name, res.count, count)
            cells["prev"], cells["ratio_prev"] = f"{t:.3f}", f"{t / t_orb:.1f}x"
        if run_nosym and not big:
            t, other = best_time(lambda: exact_count(pts, symmetry="none"), 1)
            assert other.count == res.count, (name, res.count, other.count)
            cells["nosym"] = f"{t:.3f}"
        if run_inc:
            t, other = best_time(lambda: exact_count(pts, method="incremental"), 1)
            assert other.count == res.count, (name, res.count, other.count)
            cells["incr"], cells["ratio_incr"] = f"{t:.3f}", f"{t / t_orb:.0f}x"
        print(f"{name:<16}{res.n:>5}{res.count:>16}{res.group_order:>10}{res.nodes:>9}"
              f"{t_orb:>10.3f}{cells['prev']:>9}{cells['ratio_prev']:>9}{cells['nosym']:>10}"
              f"{cells['incr']:>9}{cells['ratio_incr']:>9}", flush=True)
        if res.shards:
            sharded.append((name, res))
    if args.shards:
        # the merge loss: nodes of sharded runs against the unsharded run
        print("\nmerge loss (nodes of the sharded run / nodes of the unsharded run, same count):")
        for k in (6, 7):
            if k > args.cube:
                continue
            whole = exact_count(cube(k))
            line = [f"  {{0,1}}^{k}: unsharded {whole.nodes} nodes {whole.seconds:.2f} s"]
            for shards in (1, 4, 16, 64, 256):
                res = exact_count(cube(k), shards=shards)
                assert res.count == whole.count
                line.append(f"{shards} shards {res.nodes / whole.nodes:.2f}x "
                            f"{res.seconds:.2f} s")
            print("; ".join(line), flush=True)
    for name, res in sharded:
        print(f"\n{name}: {res.shards} shards, {res.nodes} nodes, {res.seconds:.0f} s, most "
              f"nodes pending in one shard {res.peak}")


def bench_incremental(args):
    """Compiled 'incremental' against the numpy implementation, same run (see the docstring)."""
    from vcbound.exact import _lifted_configuration, _regions_incremental, integer_points

    cube = lambda k: list(itertools.product([0, 1], repeat=k))  # noqa: E731
    sets = [("3-D grid K = 8", make_grid(4, K=8).int_points, True),
            ("4-D grid K = 3", make_grid(5, K=3).int_points, True),
            ("4-D grid K = 4", make_grid(5, K=4).int_points, not args.quick),
            ("{0,1}^5", cube(5), True),
            ("{0,1}^6", cube(6), not args.quick)]
    if args.grid:       # one grid, compiled only (the second method of the docs' long rows)
        d, K = (int(v) for v in args.grid.split(","))
        sets = [(f"{d - 1}-D grid K = {K}", make_grid(d, K=K).int_points, False)]
    print(f"CPU: {cpu_name()}; {load()}; best of {args.repeat} (1 for runs over 5 s)")
    _regions_incremental(_lifted_configuration(integer_points(cube(3)))[0])   # load kernels
    header = f"{'set':<18}{'n':>5}{'rank':>5}{'count':>14}{'compiled s':>12}{'numpy s':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for name, pts, with_numpy in sets:
        V, rank = _lifted_configuration(integer_points(pts))
        t_c, count = best_time(lambda: _regions_incremental(V), args.repeat)
        if with_numpy:
            t_n, other = best_time(lambda: _regions_incremental(V, compiled=False),
                                   1 if t_c > 0.5 else args.repeat)
            assert other == count, (name, count, other)
            numpy_text, ratio = f"{t_n:.3f}", f"{t_n / t_c:.0f}x"
        else:
            numpy_text, ratio = "-", "-"
        print(f"{name:<18}{len(pts):>5}{rank:>5}{count:>14}{t_c:>12.3f}{numpy_text:>10}"
              f"{ratio:>8}  ({load()})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--quick", action="store_true", help="skip the 16-point LP baseline")
    parser.add_argument("--symmetry", action="store_true",
                        help="time 'orbits' with and without symmetry against 'incremental'")
    parser.add_argument("--cube", type=int, default=7, help="largest cube for --symmetry (8: "
                        "{0,1}^8, sharded with a checkpoint, 15-30 minutes)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="--symmetry without the previous engine")
    parser.add_argument("--baseline", default=BASELINE_COMMIT, metavar="COMMIT",
                        help=f"--symmetry: the commit whose orbit engine is the baseline "
                             f"(default {BASELINE_COMMIT}, the engine before the sharded one; "
                             f"e.g. HEAD~1 for the previous commit)")
    parser.add_argument("--threads", type=int, default=None,
                        help="--symmetry: threads of this engine (default: every CPU)")
    parser.add_argument("--shards", action="store_true",
                        help="--symmetry: also the merge loss of sharded runs of {0,1}^6, ^7")
    parser.add_argument("--incremental", action="store_true",
                        help="time the compiled 'incremental' against its numpy code")
    parser.add_argument("--grid", metavar="D,K",
                        help="--incremental on this grid S~ only, compiled only, without the "
                             "10-minute guard (e.g. 5,6: the 4-D grid K = 6, about half an hour)")
    args = parser.parse_args(argv)
    if args.incremental:
        return bench_incremental(args)
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
