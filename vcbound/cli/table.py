"""``python -m vcbound table``: N_d over ranges of d, eps, alpha, for one or several routes.

One row per (d, eps, alpha); columns K, n, D_min, then N_d and the fitted exponent per route. The
table is built by :func:`vcbound.solver.bound_table` (call it from a notebook to get the rows
back); this module only parses and formats.
"""

NAME = "table"
HELP = "table of N_d over ranges of d, eps and alpha, for one or several routes"

_EPILOG = """columns:
  K = floor(1/(2 eps)), n = K^(d-1) grid points, D_min = VC-dimension lower bound (at V of the
  rule; for V=best the V maximising D_min), N_d <route> = nonzero weights necessary (M + 1;
  a certified lower bound, shown rounded down), beta <route> = fitted exponent of K in
  N_d ~ K^beta: the least-squares slope of log N_d against log K over the eps values of the
  table, at fixed (d, alpha, route), using rows with K >= 2 and N_d >= 2 (so it repeats on
  every eps row; for the usual eps = 1/(2K) inputs, log K = log(1/(2 eps))). Compare it with
  the paper's (d-1)/6 (last column). It needs at least two eps values with different K. (The
  --plot legend's gamma is another fit: the exponent of n = K^(d-1) over d, beta ~ gamma (d-1).)
  Routes that are not proofs carry "(ILLUSTRATIVE)" in their column names.

Text output wraps into blocks that each repeat d, eps and alpha; --output FILE never wraps.
CSV has full precision: exact integers with all their digits, a "log10 <column>" beside every
big-number column (empty value: known only through that logarithm, a lower bound for N_d).

Text, markdown and LaTeX output is limited to %(limit)s rows; use --format csv or json, or
--output FILE, for larger tables.

examples:
  python -m vcbound table --d 2:20 --eps 0.25,0.1,0.05 --alpha 0.1
  python -m vcbound table --d 2:20:2 --eps 0.1,0.05,0.01 --alpha 0.1 --route union,dense,paper
  python -m vcbound table --d 2:200 --eps 0.1,0.05 --alpha 0.05,0.1 --format csv --output t.csv
  python -m vcbound table --d 2:30 --eps 0.25,0.1,0.05 --alpha 0.1 --route union,dense,paper --plot sizes.png
  python -m vcbound table --d 2:40 --eps 0.1,0.05 --alpha 0.1 --points sharp --norm l2
  python -m vcbound table --d 2:12 --eps 0.25,0.1,0.05 --theorem 3.4 --route union,union-dag"""

#: Refuse tables with more cells than this in any format (they would take very long).
MAX_CELLS = 1_000_000
#: Text, markdown and LaTeX tables with more rows than this are refused (use csv/json/--output).
TEXT_ROW_LIMIT = 2_000


def add_arguments(parser):
    import argparse

    from ._common import add_set_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG % {"limit": f"{TEXT_ROW_LIMIT:,}"}
    parser.add_argument("--d", required=True, metavar="RANGE",
                        help="input dimensions: a:b, a:b:step or a comma list (e.g. 2:20)")
    parser.add_argument("--eps", required=True, metavar="LIST",
                        help="radii in (0, 1/2], comma list (e.g. 0.25,0.1,0.05)")
    parser.add_argument("--alpha", default=None, metavar="LIST",
                        help="tolerated robust errors in (0, 1/2), comma list (e.g. 0.1; "
                             "beyond about 0.35 use --V best); not with --theorem 3.4")
    parser.add_argument("--route", default="union", metavar="ROUTES",
                        help="comma list of routes: union (default), union-dag, dense, paper "
                             "(ILLUSTRATIVE); see 'vcbound solve --help'")
    parser.add_argument("--V", default="half", choices=("half", "best"),
                        help="subset size rule of inequality (1) (default: half)")
    parser.add_argument("--C", default="1", metavar="C",
                        help="constant of the paper route's VCdim <= C W^2 (default 1)")
    parser.add_argument("--regime", default="auto", choices=("auto", "exact", "log"),
                        help="number regime (default: auto)")
    add_set_arguments(parser)
    parser.add_argument("--format", default="text",
                        choices=("text", "markdown", "csv", "json", "latex"),
                        help="output format (default: text)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the table to FILE instead of standard output")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="also draw N_d against d (one curve per eps and route, fitted "
                             "exponents in the legend) into FILE.png (.pdf, .svg); needs "
                             "matplotlib: pip install \"vcbound[plot]\"")
    from ._common import add_progress_argument

    add_progress_argument(parser, "on a terminal, for tables of 50 cells or more")


def run(args):
    from ..errors import TableTooLargeError
    from ..solver import bound_table
    from ._common import parse_int_range, parse_rational_list, progress_choice

    ds = parse_int_range("d", args.d)
    eps = parse_rational_list("eps", args.eps)
    alphas = [None] if args.alpha is None else parse_rational_list("alpha", args.alpha)
    routes = [r.strip() for r in args.route.split(",")]
    rows = len(ds) * len(eps) * len(alphas)
    if rows * len(routes) > MAX_CELLS:
        raise TableTooLargeError(
            f"The table has {rows:,} rows x {len(routes)} routes = {rows * len(routes):,} cells, "
            f"more than the {MAX_CELLS:,} this command computes; narrow the ranges.")
    if rows > TEXT_ROW_LIMIT and args.format in ("text", "markdown", "latex") and not args.output:
        raise TableTooLargeError(
            f"The table has {rows:,} rows, more than the {TEXT_ROW_LIMIT:,} that --format "
            f"{args.format} prints; use --format csv or --format json, or --output FILE.")
    if args.plot:
        from ..errors import VCBoundError
        from ._common import check_plot_path

        check_plot_path(args.plot)
        if len(set(ds)) < 2:
            raise VCBoundError(f"--plot draws N_d against d and needs at least two values of "
                               f"--d, not {args.d!r}.")
    if args.output:
        from .._guard import check_output_path

        check_output_path("--output", args.output)
    table = bound_table(ds, eps, alphas, routes=routes, V=args.V, C=args.C,
                        regime=args.regime, progress=progress_choice(args), points=args.points,
                        norm=args.norm, theorem=args.theorem)
    # a file never wraps; the terminal wraps into blocks that repeat d, eps, alpha
    text = table.render(args.format, width=None if args.output else "terminal")
    if args.output:
        from .._guard import write_atomically

        write_atomically("--output", args.output, lambda fh: fh.write((text + "\n").encode()))
    else:
        print(text)
    if args.plot:
        from ..plotting import plot_sizes
        from ._common import write_plot

        write_plot(plot_sizes(table), args.plot)
    return 0
