"""``python -m vcbound bounds``: every capacity bound for one network architecture.

Prints the counts W, L, U, Lbar, R of the architecture and every VC-dimension upper bound that
applies to it (BHLM Theorems 7 and 10, Baum-Haussler, halfspaces, symbolic Goldberg-Jerrum /
Karpinski-Macintyre), and with ``--m`` the growth-function bounds at m points (vcbound docs §Capacity bounds).
"""

NAME = "bounds"
HELP = "VC-dimension and growth-function upper bounds for a network architecture"

_EPILOG = """examples:
  python -m vcbound bounds --widths 2,10,10,1
  python -m vcbound bounds --widths 2,10,10,1 --activation threshold --m 1000
  python -m vcbound bounds --widths 3,5,1 --activation piecewise --pieces 3 --degree 2
  python -m vcbound bounds --widths 2,10,10,1 --format json"""


def add_arguments(parser):
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--widths", required=True, metavar="D0,K1,...,1",
                        help="layer widths, input dimension first, ending in the single output "
                             "unit 1 (e.g. 2,10,10,1)")
    parser.add_argument("--activation", default="relu", metavar="NAME",
                        help="activation of the hidden units: relu (default), threshold, sigmoid "
                             "or piecewise (general piecewise polynomial; needs --pieces and "
                             "--degree)")
    parser.add_argument("--pieces", metavar="P",
                        help="for --activation piecewise: number of polynomial pieces (>= 2)")
    parser.add_argument("--degree", metavar="D",
                        help="for --activation piecewise: maximal degree of the pieces (>= 0)")
    parser.add_argument("--m", metavar="M",
                        help="also bound log2 of the growth function (number of labellings) at "
                             "M points")
    parser.add_argument("--format", default="text", choices=("text", "json", "latex"),
                        help="output format (default: text)")


def run(args):
    import json

    from .._validation import check_integer
    from ..architecture import Architecture
    from ..capacity import all_bounds
    from ._common import parse_int_list, parse_number

    widths = parse_int_list("widths", args.widths)
    pieces = None if args.pieces is None else parse_number("pieces", args.pieces)
    degree = None if args.degree is None else parse_number("degree", args.degree)
    m = None if args.m is None else check_integer("m", parse_number("m", args.m), minimum=1)
    arch = Architecture(widths, args.activation, pieces=pieces, degree=degree)
    report = all_bounds(arch, m=m)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=1))
    elif args.format == "latex":
        print(report.latex())
    else:
        print(report.text())
    return 0
