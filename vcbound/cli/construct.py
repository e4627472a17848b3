"""``python -m vcbound construct``: build (and optionally verify) an explicit robust network for the
sets of Theorem 4.3; see :mod:`vcbound.constructions`.
"""

NAME = "construct"
HELP = "explicit robust ReLU network for the sets of Theorem 4.3, exactly verified (N_upper)"

_EPILOG = """methods (vcbound.constructions):
  bits    quantiser + bit extraction: about 2 sqrt(108 n) + 4 (d-1)(K'-1) weights (default)
  spline  quantiser + piecewise-linear interpolation of the labels: 4 (d-1)(K'-1) + 2 (n - 1)

--labels random (seeded by --seed), checkerboard, or FILE.npy holding n values +-1 (or an array
of shape (K',) * (d-1)). The network never reads x_d; --verify proves zero robust error at radius
c eps exactly (the quantiser per axis by an interval argument, the index part on every column
when n <= 10^5, a seeded sample beyond) and runs a separate float spot check.

examples:
  python -m vcbound construct --d 3 --eps 0.1 --verify
  python -m vcbound construct --d 6 --eps 0.1 --method spline --labels checkerboard --verify
  python -m vcbound construct --d 4 --eps 0.1 --save net.json --format json"""


def add_arguments(parser):
    import argparse

    from ._common import add_instance_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    add_instance_arguments(parser)
    parser.add_argument("--c", default="1/2", metavar="C",
                        help="robust radius c eps with 0 <= c < 1 (default 1/2)")
    parser.add_argument("--method", default="bits", choices=("bits", "spline"),
                        help="construction (default: bits)")
    parser.add_argument("--points", default="paper", choices=("paper", "sharp"),
                        help="grid indices 1..K (paper, default) or 0..K (sharp)")
    parser.add_argument("--labels", default="random", metavar="LABELS",
                        help="random (default), checkerboard, or FILE.npy")
    parser.add_argument("--seed", default="0", metavar="S", help="seed of --labels random")
    parser.add_argument("--B", default=None, metavar="B",
                        help="block length of the bits method (default: the one minimising the "
                             "count)")
    parser.add_argument("--verify", action="store_true", help="prove the network exactly")
    parser.add_argument("--save", metavar="FILE", help="write the network as exact JSON")
    parser.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")


def _labels(args, d, eps):
    from ..constructions import make_labels
    from ..errors import VCBoundError
    from ._common import parse_number

    spec = args.labels
    if spec in ("random", "checkerboard"):
        return make_labels(d, eps, spec, seed=parse_number("seed", args.seed),
                           points=args.points)
    if not spec.endswith(".npy"):
        raise VCBoundError(f"Argument '--labels' must be random, checkerboard or a FILE.npy, "
                           f"not {spec!r}.")
    import numpy as np

    try:
        return np.load(spec, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise VCBoundError(f"Cannot read --labels {spec!r}: {exc}.") from None


def run(args):
    import json
    import time

    from .._numbers import json_safe
    from ..constructions import robust_network, upper_bound
    from ._common import parse_number

    d = parse_number("d", args.d)
    start = time.perf_counter()
    labels = _labels(args, d, args.eps)
    B = None if args.B is None else parse_number("B", args.B)
    net = robust_network(d, args.eps, labels, c=args.c, method=args.method, points=args.points,
                         B=B)
    built = time.perf_counter() - start
    con = net.construction
    out = {"d": con.d, "eps": str(con.eps), "c": str(con.c), "K": con.K, "n": con.n,
           "method": con.method, "points": con.points, "B": con.B,
           "nonzero_weights": net.nonzero_weights, "weight_slots": net.weight_slots,
           "parameters": net.parameters, "depth": net.depth, "widths": net.widths,
           "max_weight_bits": net.max_weight_bits,
           "upper_bound": upper_bound(con.d, con.eps, c=con.c, method=con.method,
                                      points=con.points),
           "build_seconds": round(built, 4), "verified": None}
    if args.verify:
        v = net.verify()
        out["verified"] = v.verified
        out["proved"] = v.proved
        out["verify_seconds"] = round(v.seconds, 4)
        out["columns_checked"] = v.columns_checked
        out["failures"] = v.failures
        out["spot_check"] = v.spot_check
    if args.save:
        net.save(args.save)
        out["saved"] = args.save
    if args.format == "json":
        print(json.dumps(json_safe(out), indent=1))
    else:
        print(net.summary())
        for key in ("d", "eps", "c", "K", "n", "method", "points", "B", "nonzero_weights",
                    "weight_slots", "parameters", "depth", "upper_bound", "build_seconds",
                    "verified", "verify_seconds", "columns_checked", "spot_check", "saved"):
            if key in out and out[key] is not None:
                print(f"  {key:16} {out[key]}")
        for f in out.get("failures") or []:
            print(f"  failure          {f}")
    return 1 if out["verified"] == "FAILED" else 0
