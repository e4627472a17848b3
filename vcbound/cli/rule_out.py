"""``python -m vcbound rule-out``: is one architecture ruled out for (d, eps, alpha)?

See :func:`vcbound.fixed_architecture.rule_out` and vcbound docs §Fixed architectures.
"""

NAME = "rule-out"
HELP = "is a fixed architecture (widths, or distinct parameters + depth) ruled out?"

_EPILOG = """The architecture is given by its widths (every parameter distinct) or, for weight-shared
networks such as CNNs, by its number of DISTINCT parameters and its depth (layers of units,
output included), optionally with its units (a total, or units per layer ending in 1). The
answer is 'ruled out' (a proof: the double counting needs more labellings than BHLM Theorem 7
allows), 'not ruled out' (nothing proved either way) or 'not covered' (BHLM does not apply),
with the margin log2 G - capacity in bits.

examples:
  python -m vcbound rule-out --widths 10,8,1 --eps 0.1 --alpha 0.1
  python -m vcbound rule-out --params 11e6 --depth 50 --d 100 --eps 0.1 --alpha 0.1
  python -m vcbound rule-out --params 5000 --depth 4 --units 64,32,16,1 --d 20 --eps 0.05 --alpha 0.2"""


def add_arguments(parser):
    import argparse

    from ._common import add_set_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--widths", metavar="D,K1,...,1",
                      help="layer widths, input dimension first, ending in 1")
    what.add_argument("--params", metavar="P", help="number of distinct parameters")
    parser.add_argument("--depth", metavar="L",
                        help="layers of units, output included (with --params)")
    parser.add_argument("--units", metavar="U",
                        help="total units, or units per layer k1,...,1 (with --params)")
    parser.add_argument("--d", metavar="D", help="input dimension (default: the first width)")
    parser.add_argument("--eps", required=True, metavar="EPS", help="radius eps in (0, 1/2]")
    parser.add_argument("--alpha", default=None, metavar="ALPHA",
                        help="tolerated robust error in (0, 1/2); not with --theorem 3.4")
    parser.add_argument("--V", default="best", metavar="V",
                        help="subset size of inequality (1): best (default), half or an integer")
    add_set_arguments(parser)
    parser.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")


def run(args):
    from ..errors import VCBoundError
    from ..fixed_architecture import rule_out
    from ._common import parse_int_list, parse_number
    from .solve import parse_V

    d = None if args.d is None else parse_number("d", args.d)
    if args.widths is not None:
        if args.depth is not None or args.units is not None:
            raise VCBoundError("--depth and --units go with --params, not with --widths.")
        result = rule_out(parse_int_list("widths", args.widths), d, args.eps, args.alpha,
                          V=parse_V(args.V), points=args.points, norm=args.norm,
                          theorem=args.theorem)
    else:
        if args.depth is None:
            raise VCBoundError("--params needs --depth (layers of units, output included).")
        units = None
        if args.units is not None:
            units = (parse_int_list("units", args.units) if "," in args.units
                     else parse_number("units", args.units))
        result = rule_out(None, d, args.eps, args.alpha, params=parse_number("params", args.params),
                          depth=parse_number("depth", args.depth), units=units,
                          V=parse_V(args.V), points=args.points, norm=args.norm,
                          theorem=args.theorem)
    print(result.to_json(indent=1) if args.format == "json" else result)
    return 0
