"""Helpers shared by the sub-commands: parsing of lists/ranges and writing output (internal)."""

from fractions import Fraction

from .._validation import check_integer, to_rational
from ..errors import VCBoundError

__all__ = ["parse_int_range", "parse_rational_list", "parse_int_list", "parse_number",
           "check_plot_path", "write_plot", "add_progress_argument", "progress_choice",
           "add_set_arguments", "add_scheduler_argument", "scheduler_choice"]

#: Refuse to expand a range into more values than this (a typo like 2:10000000 would hang).
MAX_RANGE_VALUES = 1_000_000


def parse_int_list(name, text):
    """``'2,10,10,1'`` -> ``[2, 10, 10, 1]``.

    >>> parse_int_list('widths', '2, 10,1')
    [2, 10, 1]
    """
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or any(p == "" for p in parts):
        raise VCBoundError(f"Argument {name!r} must be a comma-separated list of integers, "
                           f"not {text!r}.")
    return [check_integer(name, parse_number(name, p)) for p in parts]


def parse_number(name, text):
    """A number typed on the command line: an int when integral (``'1e6'`` -> 1000000), else an
    exact Fraction of the decimal typed.

    >>> parse_number('samples', '1e6')
    1000000
    >>> parse_number('eps', '0.1')
    Fraction(1, 10)
    """
    q = to_rational(name, text)
    return int(q) if q.denominator == 1 else q


def parse_int_range(name, text):
    """Integers from ``'a:b'`` (inclusive), ``'a:b:step'`` or a comma list (items may be ranges).

    >>> parse_int_range('d', '2:5')
    [2, 3, 4, 5]
    >>> parse_int_range('d', '2:10:4,20')
    [2, 6, 10, 20]
    """
    out = []
    for part in str(text).split(","):
        part = part.strip()
        if ":" in part:
            pieces = part.split(":")
            if len(pieces) not in (2, 3) or any(p.strip() == "" for p in pieces):
                raise VCBoundError(f"Argument {name!r} must be a range 'a:b' or 'a:b:step' or a "
                                   f"comma list, not {text!r}.")
            a, b = (check_integer(name, parse_number(name, p)) for p in pieces[:2])
            step = check_integer(name, parse_number(name, pieces[2])) if len(pieces) == 3 else 1
            if step <= 0:
                raise VCBoundError(f"Argument {name!r} has range step {step} in {text!r}; the "
                                   "step must be a positive integer.")
            if b < a:
                raise VCBoundError(f"Argument {name!r} has an empty range {part!r} in {text!r} "
                                   "(the end is below the start).")
            if (b - a) // step + 1 + len(out) > MAX_RANGE_VALUES:
                raise VCBoundError(f"Argument {name!r} expands to more than "
                                   f"{MAX_RANGE_VALUES} values: {text!r}.")
            out.extend(range(a, b + 1, step))
        elif part:
            out.append(check_integer(name, parse_number(name, part)))
        else:
            raise VCBoundError(f"Argument {name!r} must be a range 'a:b' or 'a:b:step' or a comma "
                               f"list, not {text!r}.")
    return out


def parse_rational_list(name, text):
    """Exact rationals from a comma list: ``'0.25,0.1'`` -> ``[1/4, 1/10]``.

    >>> parse_rational_list('eps', '0.25,1/10')
    [Fraction(1, 4), Fraction(1, 10)]
    """
    parts = [p.strip() for p in str(text).split(",")]
    if any(p == "" for p in parts):
        raise VCBoundError(f"Argument {name!r} must be a comma-separated list of numbers, "
                           f"not {text!r}.")
    return [Fraction(to_rational(name, p)) for p in parts]


#: File types ``--plot FILE`` accepts (by extension).
PLOT_FORMATS = ("png", "pdf", "svg")


def check_plot_path(path):
    """Check a ``--plot FILE`` argument before any work: known extension, existing folder, and
    matplotlib installed (selecting its file-only Agg backend). Returns the path.

    >>> check_plot_path('sizes.txt')
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'plot' must be a file name ending in .png, .pdf or .svg, not 'sizes.txt'.
    """
    import os

    ext = os.path.splitext(str(path))[1].lower().lstrip(".")
    if ext not in PLOT_FORMATS:
        raise VCBoundError(f"Argument 'plot' must be a file name ending in .png, .pdf or .svg, "
                           f"not {str(path)!r}.")
    from .._guard import check_output_path

    check_output_path("--plot", path, "picture file")
    from ..plotting import require_matplotlib

    require_matplotlib("Agg")
    return str(path)


def write_plot(ax, path):
    """Save the figure of ``ax`` to ``path`` (checked by :func:`check_plot_path`) and close it."""
    import os

    import matplotlib.pyplot as plt

    import sys

    from .._guard import write_atomically

    fig = ax.figure
    fmt = os.path.splitext(str(path))[1].lower().lstrip(".")
    try:
        write_atomically("--plot", path, lambda fh: fig.savefig(fh, dpi=120, format=fmt))
    finally:
        plt.close(fig)
    print(f"vcbound: plot written to {os.path.abspath(str(path))}", file=sys.stderr)


def add_progress_argument(parser, auto_help="when stderr is a terminal"):
    """The one progress flag of every sub-command: ``--progress {auto,yes,no}`` (``--progress``
    alone means yes)."""
    import argparse

    parser.add_argument("--progress", default="auto", nargs="?", const="yes",
                        choices=("auto", "yes", "no"),
                        help=f"progress bar on stderr: auto (default: {auto_help}), yes or no")
    parser.add_argument("--no-progress", dest="progress", action="store_const", const="no",
                        help=argparse.SUPPRESS)      # old spelling of --progress no


def progress_choice(args):
    """``--progress`` as None (auto), True or False."""
    return {"auto": None, "yes": True, "no": False}[args.progress]


def add_scheduler_argument(parser, what="the work"):
    """``--scheduler local:N|tcp://HOST:PORT``: run ``what`` on Dask (shared by ``enumerate``
    and ``exact``). Checked by :func:`scheduler_choice`, not by argparse, so a bad value is the
    library's one-line error naming the option."""
    parser.add_argument("--scheduler", metavar="local:N|tcp://HOST:PORT",
                        help=f"run {what} on Dask: local:N starts N worker processes on this "
                             "machine, tcp://HOST:PORT uses a running Dask scheduler (needs "
                             "pip install \"vcbound[distributed]\"; same result as without)")


def scheduler_choice(args):
    """``--scheduler`` as None (not given) or a parsed ``vcbound._engine._distributed.Scheduler``
    (dask not imported yet).

    >>> import argparse
    >>> scheduler_choice(argparse.Namespace(scheduler="local:2"))
    Scheduler(kind='local', workers=2, address='')
    """
    if getattr(args, "scheduler", None) is None:
        return None
    from .._engine._distributed import parse_scheduler

    return parse_scheduler(args.scheduler)


def add_instance_arguments(parser):
    """``--d`` and ``--eps`` of one instance (shared by ``solve`` and ``construct``)."""
    parser.add_argument("--d", required=True, metavar="D", help="input dimension d >= 2")
    parser.add_argument("--eps", required=True, metavar="EPS",
                        help="radius eps in (0, 1/2], e.g. 0.1 or 1/10")


def add_set_arguments(parser):
    """``--points``, ``--norm`` and ``--theorem`` (shared by ``solve``, ``table``, ``rule-out``).

    Values are checked by the library (one-line error, exit 2), not by argparse choices, so the
    message names the argument, the value and what was expected.
    """
    parser.add_argument("--points", default="paper", metavar="SET",
                        help="separated set labelled: paper (the paper's grid K^(d-1); default) "
                             "or sharp (the best certified set for the norm: l_inf grid "
                             "(K+1)^(d-1), the maximum; l_2 also the checkerboard lattice and "
                             "the covering bound)")
    parser.add_argument("--norm", default="linf", metavar="NORM",
                        help="norm of the separation and the robust balls: linf (default) or l2")
    parser.add_argument("--theorem", default="4.3", metavar="THM",
                        help="4.3 (robust error on linearly separable data; default) or 3.4 "
                             "(zero standard error on every pair of 2eps-separated sets of "
                             "[0, 1]^d: alpha = 0, the set is shattered)")
