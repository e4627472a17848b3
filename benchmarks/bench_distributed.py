"""Benchmark of the distributed enumeration engine on Dask (measured, not a test).

Reports, in one run on this machine, for one configuration (default d = 3, K = 8, widths
[2, 16, 1], batches of 65,536 networks):

1. networks/s of the serial in-process run (the baseline), of ``--scheduler local:1`` and of
   ``local:2`` (embedded LocalClusters of one-thread worker processes, kernels already loaded
   on the workers by a warm-up run), and the speed-ups over the serial run; the distinct counts
   of the three runs must agree (they are the same computation);
2. the start-up of a local cluster and the first call on its fresh workers (import of vcbound
   and loading of the cached numba kernels per worker);
3. the scheduling overhead per shard: the same networks cut into many one-batch shards and into
   a few large ones, (T_many - T_few) / (extra shards), on local:1 and local:2.

Timings are the best of ``--repeat`` runs (wall clock). The machine's load average is printed
with every figure: other processes on a shared 2-vCPU machine slow the workers down, most of
all at two workers, so compare figures from one run.

    python benchmarks/bench_distributed.py [--quick] [--samples N] [--json FILE]
"""

import argparse
import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # this checkout's vcbound, also on the workers

from vcbound._engine._distributed import open_client  # noqa: E402
from vcbound.enumerate import enumerate_labellings  # noqa: E402
from vcbound.grid import make_grid  # noqa: E402

from _machine import cpu_name, load, write_json  # noqa: E402  (benchmarks/ is on sys.path)


def best_of(repeat, fn):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer networks and repeats")
    parser.add_argument("--samples", type=float, default=None,
                        help="networks of the throughput runs (default 6e7, --quick 1e7)")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--json", default=str(HERE / "results" / "bench_distributed.json"))
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 2)
    samples = int(args.samples or (1e7 if args.quick else 6e7))
    widths, grid, batch = [2, 16, 1], make_grid(3, K=8), 65536
    out = {"cpu": cpu_name(), "cpus": os.cpu_count(), "widths": widths, "d": 3, "K": 8,
           "samples": samples, "batch_size": batch}
    print(f"CPU: {out['cpu']} ({out['cpus']} logical CPUs); {load()}")
    print(f"configuration: d = 3, K = 8 (n = {grid.n}), widths {widths}, {samples:,} networks "
          f"in batches of {batch:,}, seed 0; best of {repeat}\n")

    def run(client=None, n=samples, batch_size=batch, **kw):
        return enumerate_labellings(widths, grid, n, batch_size=batch_size, exact=False,
                                    client=client, **kw)

    run(n=1000)                                   # kernels loaded in this process
    t_serial, ref = best_of(repeat, run)
    rows = [("serial (in-process)", t_serial, ref.distinct, 0, load())]
    print(f"serial: {t_serial:.2f} s, {samples / t_serial:,.0f} net/s, distinct "
          f"{ref.distinct:,}; {load()}", flush=True)

    overhead = {}
    startup = {}
    for workers in (1, 2):
        start = time.perf_counter()
        with open_client(f"local:{workers}") as client:
            started = time.perf_counter() - start
            first_start = time.perf_counter()
            run(client, n=workers * batch, shard_size=batch)   # one shard per worker
            first = time.perf_counter() - first_start
            startup[workers] = {"cluster_start_s": started, "first_call_s": first}
            print(f"local:{workers}: cluster started in {started:.2f} s, first call on its "
                  f"fresh workers {first:.2f} s", flush=True)
            seconds, res = best_of(repeat, lambda: run(client))
            if res.distinct != ref.distinct:  # pragma: no cover - would be a bug
                raise SystemExit(f"local:{workers} found {res.distinct}, serial "
                                 f"{ref.distinct}")
            rows.append((f"local:{workers}", seconds, res.distinct, res.shards, load()))
            print(f"local:{workers}: {seconds:.2f} s, {samples / seconds:,.0f} net/s, "
                  f"{res.shards} shards, speed-up over serial {t_serial / seconds:.2f}x; "
                  f"{load()}", flush=True)
            # scheduling overhead: the same networks in one-batch shards and in 2 per worker
            small, total = 1024, 1024 * 256
            t_few, few = best_of(repeat, lambda: run(client, n=total, batch_size=small,
                                                     shard_size=total // (2 * workers)))
            t_many, many = best_of(repeat, lambda: run(client, n=total, batch_size=small,
                                                       shard_size=small))
            if few.distinct != many.distinct:  # pragma: no cover
                raise SystemExit("shard sizes changed the result")
            extra = many.shards - few.shards
            per = (t_many - t_few) / extra
            overhead[workers] = {"few_shards": few.shards, "few_s": t_few,
                                 "many_shards": many.shards, "many_s": t_many,
                                 "per_shard_ms": 1e3 * per, "load": load()}
            print(f"local:{workers}: {total:,} networks in batches of {small}: {few.shards} "
                  f"shards {t_few:.3f} s, {many.shards} shards {t_many:.3f} s: "
                  f"{1e3 * per:.2f} ms per extra shard (wall clock, {workers} worker(s)); "
                  f"{load()}\n", flush=True)

    print("| engine | seconds | net/s | speed-up | shards | distinct | load (1, 5, 15 min) |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, distinct, shards, ld in rows:
        print(f"| {name} | {seconds:.2f} | {samples / seconds:,.0f} | "
              f"{t_serial / seconds:.2f}x | {shards or '-'} | {distinct:,} | "
              f"{ld.removeprefix('load ')} |")
    out["runs"] = [{"engine": name, "seconds": seconds, "per_s": samples / seconds,
                    "speedup": t_serial / seconds, "shards": shards, "distinct": distinct,
                    "load": ld} for name, seconds, distinct, shards, ld in rows]
    out["startup"] = startup
    out["overhead"] = overhead
    write_json(args.json, out)


if __name__ == "__main__":
    main()
