"""``python -m vcbound exact``: exact number of linear dichotomies (one neuron), vcbound docs §One-neuron counts.

On the grid S~ of the proof of Theorem 4.3 (``--d`` with ``--K`` or ``--eps``), or on any point
set saved with ``numpy.save`` (``--points FILE.npy``, an array of shape (n, m)).
"""

NAME = "exact"
HELP = "exact number of labellings one neuron sgn(w.x + b) realizes on the grid or on a point set"

_EPILOG = """examples:
  python -m vcbound exact --d 3 --K 4
  python -m vcbound exact --d 4 --eps 0.125 --format json
  python -m vcbound exact --points cube.npy --method flats"""


def add_arguments(parser):
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--d", metavar="D", help="input dimension of the grid S~ (>= 2)")
    parser.add_argument("--K", metavar="K", help="grid values per axis (K >= 1)")
    parser.add_argument("--eps", metavar="EPS",
                        help="robustness radius in (0, 1/2]; K = floor(1/(2 eps)), exact")
    parser.add_argument("--points", metavar="FILE.npy",
                        help="count on the points of this .npy array of shape (n, m) instead")
    parser.add_argument("--method", default="auto",
                        help="auto (default), planar, incremental, flats or lp")
    parser.add_argument("--format", default="text", choices=("text", "json"),
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


def run(args):
    import json

    from .._numbers import json_safe
    from .._validation import check_choice
    from ..errors import VCBoundError
    from ..exact import METHODS, exact_count
    from ..grid import make_grid
    from ._common import parse_number

    method = check_choice("method", args.method, METHODS)
    if args.points is not None:
        if any(v is not None for v in (args.d, args.K, args.eps)):
            raise VCBoundError("Give either --points or a grid (--d with --K or --eps), not both.")
        points = _load_points(args.points)
        d = K = None
    else:
        if args.d is None:
            raise VCBoundError("Give --d with --K or --eps (the grid S~), or --points FILE.npy.")
        d = parse_number("d", args.d)
        K = None if args.K is None else parse_number("K", args.K)
        eps = None if args.eps is None else parse_number("eps", args.eps)
        grid = make_grid(d, K=K, eps=eps)
        points, d, K = grid, grid.d, grid.K
    res = exact_count(points, method=method)
    out = {"count": res.count, "n": res.n, "d": d, "K": K, "m": res.m, "rank": res.rank,
           "method": res.method, "seconds": round(res.seconds, 6)}
    if args.format == "json":
        print(json.dumps(json_safe(out), indent=1))
    else:
        where = (f"grid S~ with d = {d}, K = {K}" if d is not None
                 else f"{res.n} distinct points in R^{res.m} from {args.points}")
        print(f"Linear dichotomies on the {where}")
        for key in ("count", "n", "rank", "method"):
            print(f"  {key:<8}{out[key]}")
        print(f"  {'seconds':<8}{res.seconds:.3f}")
    return 0
