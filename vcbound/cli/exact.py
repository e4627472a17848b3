"""``python -m vcbound exact``: exact number of linear dichotomies (one neuron).

On the grid S~ of the proof of Theorem 4.3 (``--d`` with ``--K`` or ``--eps``; ``--d`` and
``--K`` also take ranges such as ``2:12``, giving one row per grid), or on any point set saved
with ``numpy.save`` (``--points FILE.npy``, an array of shape (n, m)). As everywhere in vcbound,
d is the paper's input dimension: S~ is a (d-1)-dimensional grid, so ``--d 4`` counts K x K x K
grids. See vcbound docs §One-neuron counts.

Long runs of the orbit method (``--checkpoint``, ``--progress``, ``--scheduler``, ``--shards``)
cut the recursion into shards after a serial top; the count is the same whatever the shards,
the workers or the interruptions (vcbound docs §Exact counts on grids). Ctrl-C stops after the
shard(s) in progress, saves the checkpoint and exits with status 130 (a second Ctrl-C stops at
once, abandoning the shard(s) in progress); the same command resumes.
"""

NAME = "exact"
HELP = "exact number of labellings one neuron sgn(w.x + b) realizes on the grid or on a point set"

_EPILOG = """examples:
  python -m vcbound exact --d 3 --K 4
  python -m vcbound exact --d 4 --eps 0.125 --format json
  python -m vcbound exact --points cube.npy --method flats
  python -m vcbound exact --d 4 --K 2:12 --format csv           # K x K x K grids
  python -m vcbound exact --d 5 --K 2:4 --check incremental     # confirmed by a second method
  python -m vcbound exact --d 9 --K 2 --checkpoint run.npz --progress   # {0,1}^8, resumable
  python -m vcbound exact --d 9 --K 2 --checkpoint run.npz --scheduler local:2  # same file

long runs (orbit method): --checkpoint FILE records the finished shards (a killed or Ctrl-C'd
run resumes with the same command, also with or without --scheduler); a checkpoint or a
scheduler lifts the 10-minute refusal (a year of estimated time at most). The count never
depends on --shards, the workers or the interruptions."""


def add_arguments(parser):
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--d", metavar="D",
                        help="input dimension of the grid S~ (>= 2; a range a:b or list a,b)")
    parser.add_argument("--K", metavar="K", help="grid values per axis (K >= 1; a range or list)")
    parser.add_argument("--eps", metavar="EPS",
                        help="robustness radius in (0, 1/2]; K = floor(1/(2 eps)), exact")
    parser.add_argument("--points", metavar="FILE.npy",
                        help="count on the points of this .npy array of shape (n, m) instead")
    parser.add_argument("--method", default="auto",
                        help="auto (default), planar, orbits, incremental, flats or lp")
    parser.add_argument("--symmetry", default="auto", choices=("auto", "none"),
                        help="group of the orbit method: auto (the box group of a grid, checked;"
                             " trivial for other point sets) or none")
    parser.add_argument("--check", metavar="METHOD",
                        help="also count with this second method and stop with an error if the "
                             "two counts differ")
    parser.add_argument("--format", default="text", choices=("text", "json", "csv"),
                        help="output format (default: text)")
    from ._common import add_progress_argument, add_scheduler_argument

    parser.add_argument("--checkpoint", metavar="FILE",
                        help=".npz checkpoint of the finished shards (orbit method, one grid): "
                             "resumed from if it exists, written every 30 s, on Ctrl-C and at "
                             "the end")
    parser.add_argument("--shards", metavar="S",
                        help="cut the orbit recursion into S shards after a serial top of "
                             "about 64 nodes per shard (default: shard only runs that hold "
                             "more than 2^21 nodes, into 256 shards); a checkpoint belongs to "
                             "one choice")
    add_scheduler_argument(parser, "the shards of the orbit method")
    add_progress_argument(parser, "when stderr is a terminal; the top's level and nodes, then a bar over the shards")


def _load_points(path):
    import zipfile

    import numpy as np

    from ..errors import VCBoundError

    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
        if magic != b"\x93NUMPY" and not magic.startswith(b"PK"):
            raise VCBoundError(f"--points: {path!r} is not a .npy file (no NumPy header); save "
                               "the array with numpy.save.")
        arr = np.load(path, allow_pickle=False)
    except VCBoundError:
        raise
    except FileNotFoundError:
        raise VCBoundError(f"--points: no such file: {path!r}.") from None
    except IsADirectoryError:
        raise VCBoundError(f"--points: {path!r} is a directory, not a .npy file.") from None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        reason = " ".join(str(exc).split())
        raise VCBoundError(f"--points: cannot read {path!r} as a .npy array "
                           f"(saved with numpy.save, no pickled objects): {reason}") from None
    if not isinstance(arr, np.ndarray):
        arr.close()
        raise VCBoundError(f"--points: {path!r} is an .npz archive; give a single .npy array of "
                           "shape (n, m).")
    return arr


_COLUMNS = ("d", "K", "n", "m", "rank", "count", "method", "group_order", "nodes", "shards",
            "resumed", "seconds", "check_method", "check_seconds")


def _count_row(points, d, K, method, symmetry, check, run):
    from ..errors import VCBoundError
    from ..exact import exact_count

    res = exact_count(points, method=method, symmetry=symmetry, **run)
    row = {"d": d, "K": K, "n": res.n, "m": res.m, "rank": res.rank, "count": res.count,
           "method": res.method, "group_order": res.group_order, "nodes": res.nodes,
           "shards": res.shards, "resumed": res.resumed,
           "seconds": round(res.seconds, 6), "check_method": None, "check_seconds": None}
    if check is not None:
        other = exact_count(points, method=check, symmetry=symmetry)
        if other.count != res.count:
            raise VCBoundError(f"--check: method {other.method!r} counts {other.count}, "
                               f"method {res.method!r} {res.count} (please report this).")
        row["check_method"] = other.method
        row["check_seconds"] = round(other.seconds, 6)
    return row


def run(args):
    import csv
    import json
    import sys

    from .._numbers import json_safe
    from .._validation import check_choice
    from ..errors import VCBoundError
    from ..exact import METHODS
    from ..grid import make_grid
    from ._common import parse_int_range, parse_number

    method = check_choice("method", args.method, METHODS)
    check = None if args.check is None else check_choice("check", args.check, METHODS)
    run, scheduler = _run_options(args)
    rows = []
    if args.points is not None:
        if any(v is not None for v in (args.d, args.K, args.eps)):
            raise VCBoundError("Give either --points or a grid (--d with --K or --eps), not both.")
        points = _load_points(args.points)
        with _client(scheduler) as client:
            rows.append(_count_row(points, None, None, method, args.symmetry, check,
                                   dict(run, client=client)))
        several = False
    else:
        if args.d is None:
            raise VCBoundError("Give --d with --K or --eps (the grid S~), or --points FILE.npy.")
        ds = parse_int_range("d", args.d)
        Ks = [None] if args.K is None else parse_int_range("K", args.K)
        eps = None if args.eps is None else parse_number("eps", args.eps)
        grids = [make_grid(d, K=K, eps=eps) for d in ds for K in Ks]   # validate all first
        several = len(grids) > 1
        if several and run["checkpoint"] is not None:
            raise VCBoundError("--checkpoint records the shards of one count: give one grid "
                               f"(one --d and one --K), not {len(grids)}.")
        with _client(scheduler) as client:
            for grid in grids:
                rows.append(_count_row(grid, grid.d, grid.K, method, args.symmetry, check,
                                       dict(run, client=client)))
    if args.format == "json":
        out = rows if several else rows[0]
        print(json.dumps(json_safe(out), indent=1))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in _COLUMNS])
    elif several:
        print("Linear dichotomies on the grids S~ (one neuron, exact)")
        print(f"  {'d':>3} {'K':>4} {'n':>7} {'count':>22}  method   seconds")
        for row in rows:
            extra = f"  = {row['check_method']}" if row["check_method"] else ""
            print(f"  {row['d']:>3} {row['K']:>4} {row['n']:>7} {row['count']:>22}  "
                  f"{row['method']:<8} {row['seconds']:.3f}{extra}")
    else:
        row = rows[0]
        where = (f"grid S~ with d = {row['d']}, K = {row['K']}" if row["d"] is not None
                 else f"{row['n']} distinct points in R^{row['m']} from {args.points}")
        print(f"Linear dichotomies on the {where}")
        for key in ("count", "n", "rank", "method", "group_order", "nodes", "shards", "resumed",
                    "check_method"):
            if row[key] is not None:
                print(f"  {key:<13}{row[key]}")
        print(f"  {'seconds':<13}{row['seconds']:.3f}")
    return 0


def _run_options(args):
    """exact_count's long-run options from the command line (the scheduler opened later)."""
    import sys

    from ..errors import VCBoundError
    from ._common import progress_choice, scheduler_choice

    shards = None
    if args.shards is not None:
        text = args.shards.strip()
        if not text.isdigit() or len(text) > 10 or int(text) < 1:
            raise VCBoundError(f"--shards must be a whole number of shards >= 1, not "
                               f"{args.shards[:40]!r}.")
        shards = int(text)
    progress = progress_choice(args)
    progress = sys.stderr.isatty() if progress is None else progress
    return ({"shards": shards, "checkpoint": args.checkpoint, "progress": progress},
            scheduler_choice(args))


def _client(scheduler):
    """A context giving the Dask client of ``--scheduler`` (None without one)."""
    import contextlib

    if scheduler is None:
        return contextlib.nullcontext(None)
    from .._engine._distributed import open_client

    return open_client(scheduler)
