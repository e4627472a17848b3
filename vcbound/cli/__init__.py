"""Command line of vcbound: ``python -m vcbound <command> ...`` (or the ``vcbound`` script).

Each sub-command lives in its own module in this package (any module whose name does not start
with an underscore) and defines::

    NAME = "bounds"                 # the sub-command word
    HELP = "one-line description"
    def add_arguments(parser): ...  # argparse arguments; keep module imports light
    def run(args) -> int: ...       # do the work; heavy imports go inside run()

Errors of vcbound's own types become one line on stderr and exit status 2, never a traceback;
Ctrl-C exits with status 130.

``python -m vcbound`` and the ``vcbound`` script go through :func:`script`, which also tunes the
garbage collector for a short-lived process; :func:`main` (for calls from Python) does not.
"""

import argparse
import gc
import importlib
import pkgutil
import sys

from ..errors import VCBoundError

__all__ = ["main", "script", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse parser whose usage errors are one line on stderr with exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _commands():
    pkg = sys.modules[__name__]
    mods = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return sorted(mods, key=lambda m: m.NAME)


def build_parser():
    """The argparse parser with every sub-command registered."""
    parser = _Parser(prog="vcbound", description="VC-dimension and growth-function bounds for the "
                     "robust-generalization argument of Li et al. (NeurIPS 2022).")
    sub = parser.add_subparsers(dest="command", metavar="command", parser_class=_Parser)
    sub.required = True
    for mod in _commands():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv=None):
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except VCBoundError as exc:
        msg = " ".join(str(exc).split())
        print(f"vcbound {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"vcbound {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def script():
    """Entry point of ``python -m vcbound`` and of the ``vcbound`` script: :func:`main`, with the
    cyclic garbage collector tuned for a short-lived process; exits with main's status.

    A command that runs a numba kernel creates about a million long-lived objects while it starts
    (numba's import and its registries of overloads, loaded with the first cached kernel). With
    CPython's default thresholds the collector walks all of them in several full collections while
    they are created, and once more while the interpreter exits: about 0.3 s of a 1.05 s warm
    ``enumerate`` on the reference machine. So the script

    - defers full (oldest-generation) collections: the young generations are still collected, so
      cycles that die young are freed as usual. The enumerator leaves no cyclic garbage per batch
      (measured: the same 244 unreachable objects after 100 and after 3,000 batches), so a long
      run does not grow because of this;
    - freezes the heap (:func:`gc.freeze`) before the interpreter exits, so that exit does not walk
      it again; the operating system reclaims the memory.

    Output is flushed and files are closed as usual: only the collector's walks are skipped.
    """
    young0, young1, _full = gc.get_threshold()
    gc.set_threshold(young0, young1, 1 << 30)
    try:
        status = main()
    finally:
        gc.freeze()
    sys.exit(status)
