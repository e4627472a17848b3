"""``python -m vcbound solve``: the minimal network size N_d for one (d, eps, alpha).

Runs the chain of the proof of Theorem 4.3 with explicit numbers (grid, inequality (1),
Sauer–Shelah inversion, a route's capacity bound, search over the size M) and prints every
intermediate; see :func:`vcbound.solver.solve` and vcbound docs §Solver–§Routes.
"""

NAME = "solve"
HELP = "minimal network size N_d (Theorem 4.3 made explicit) for one d, eps, alpha"

_EPILOG = """routes:
  union      union over supports + BHLM Theorem 7(a), compared with log2 G directly;
             certified, the sharpest (default); covers layered networks (supports counted by
             the smaller of the layered and the DAG count)
  union-dag  the same for feed-forward networks on any DAG (skip connections); certified
  dense      BHLM Theorem 7 VC bound on the dense envelope [d, M x M, 1]; certified
  paper      dense envelope with VCdim <= C W^2 (C from --C, default 1); ILLUSTRATIVE: no
             source gives C; reproduces the paper's exponent (d-1)/6

M counts nonzero weights (biases free); N_d = M + 1 nonzero weights (hence parameters) are
necessary for robust error < alpha on the worst labelling. eps and alpha are exact decimals
(0.1 means 1/10, so K = floor(1/(2 eps)) = 5).

examples:
  python -m vcbound solve --d 10 --eps 0.1 --alpha 0.1
  python -m vcbound solve --d 10 --eps 0.1 --alpha 0.1 --route paper --V best
  python -m vcbound solve --d 10000 --eps 1e-6 --alpha 0.1 --format json
  python -m vcbound solve --d 100 --eps 0.1 --alpha 0.1 --points sharp --norm l2
  python -m vcbound solve --d 10 --eps 0.1 --theorem 3.4
  python -m vcbound solve --d 10 --eps 0.1 --alpha 0.4 --V best
  python -m vcbound solve --d 100 --eps 0.1 --alpha 0.1 --params 11e6"""


def add_arguments(parser):
    import argparse

    from ._common import add_instance_arguments, add_set_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    add_instance_arguments(parser)
    parser.add_argument("--alpha", default=None, metavar="ALPHA",
                        help="tolerated robust error alpha in (0, 1/2), e.g. 0.1 (beyond "
                             "about 0.35 use --V best); required except with --theorem 3.4")
    parser.add_argument("--route", default="union", metavar="ROUTE",
                        help="union (default), union-dag, dense or paper (see below)")
    parser.add_argument("--V", default="half", metavar="V",
                        help="subset size of inequality (1): half (floor(n/2), the paper's; "
                             "default), best (the V giving the largest N_d) or an integer")
    parser.add_argument("--C", default="1", metavar="C",
                        help="constant of the paper route's VCdim <= C W^2 (default 1)")
    parser.add_argument("--regime", default="auto", choices=("auto", "exact", "log"),
                        help="exact integers (n <= 200000), rigorous logarithms, or auto "
                             "(exact while n <= 20000; default)")
    parser.add_argument("--params", default=None, metavar="P",
                        help="also answer: is every network of the route's class with at most P "
                             "nonzero weights ruled out? (margin at P); for one architecture "
                             "see 'vcbound rule-out'")
    add_set_arguments(parser)
    parser.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")


def parse_V(text):
    """``'half'``/``'best'`` or an integer typed on the command line."""
    from ._common import parse_number

    text = str(text).strip()
    if text.lower() in ("half", "best"):
        return text.lower()
    return parse_number("V", text)


def run(args):
    from ..solver import solve
    from ._common import parse_number

    result = solve(parse_number("d", args.d), args.eps, args.alpha, route=args.route,
                   V=parse_V(args.V), C=args.C, regime=args.regime, points=args.points,
                   norm=args.norm, theorem=args.theorem,
                   params=None if args.params is None else parse_number("params", args.params))
    if args.format == "json":
        print(result.to_json(indent=1))
    else:
        print(result)
    return 0
