"""``python -m vcbound exact``: exact number of linear dichotomies (one neuron).

On the grid S~ of the proof of Theorem 4.3 (``--d`` with ``--K`` or ``--eps``; ``--d`` and
``--K`` also take ranges such as ``2:12``, giving one row per grid), or on any point set saved
with ``numpy.save`` (``--points FILE.npy``, an array of shape (n, m)). As everywhere in vcbound,
d is the paper's input dimension: S~ is a (d-1)-dimensional grid, so ``--d 4`` counts K x K x K
grids. See vcbound docs §One-neuron counts.
"""

NAME = "exact"
HELP = "exact number of labellings one neuron sgn(w.x + b) realizes on the grid or on a point set"

_EPILOG = """examples:
  python -m vcbound exact --d 3 --K 4
  python -m vcbound exact --d 4 --eps 0.125 --format json
  python -m vcbound exact --points cube.npy --method flats
  python -m vcbound exact --d 4 --K 2:12 --format csv           # K x K x K grids
  python -m vcbound exact --d 5 --K 2:4 --check incremental     # confirmed by a second method"""


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


_COLUMNS = ("d", "K", "n", "m", "rank", "count", "method", "group_order", "nodes", "seconds",
            "check_method", "check_seconds")


def _count_row(points, d, K, method, symmetry, check):
    from ..errors import VCBoundError
    from ..exact import exact_count

    res = exact_count(points, method=method, symmetry=symmetry)
    row = {"d": d, "K": K, "n": res.n, "m": res.m, "rank": res.rank, "count": res.count,
           "method": res.method, "group_order": res.group_order, "nodes": res.nodes,
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
    rows = []
    if args.points is not None:
        if any(v is not None for v in (args.d, args.K, args.eps)):
            raise VCBoundError("Give either --points or a grid (--d with --K or --eps), not both.")
        points = _load_points(args.points)
        rows.append(_count_row(points, None, None, method, args.symmetry, check))
        several = False
    else:
        if args.d is None:
            raise VCBoundError("Give --d with --K or --eps (the grid S~), or --points FILE.npy.")
        ds = parse_int_range("d", args.d)
        Ks = [None] if args.K is None else parse_int_range("K", args.K)
        eps = None if args.eps is None else parse_number("eps", args.eps)
        grids = [make_grid(d, K=K, eps=eps) for d in ds for K in Ks]   # validate all first
        several = len(grids) > 1
        for grid in grids:
            rows.append(_count_row(grid, grid.d, grid.K, method, args.symmetry, check))
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
        for key in ("count", "n", "rank", "method", "group_order", "nodes", "check_method"):
            if row[key] is not None:
                print(f"  {key:<13}{row[key]}")
        print(f"  {'seconds':<13}{row['seconds']:.3f}")
    return 0
