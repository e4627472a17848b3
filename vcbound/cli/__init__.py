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
import os
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
    from .. import __version__

    parser = _Parser(prog="vcbound", description="VC-dimension and growth-function bounds for the "
                     "robust-generalization argument of Li et al. (NeurIPS 2022).")
    parser.add_argument("--version", action="version", version=f"vcbound {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="command", parser_class=_Parser)
    sub.required = True
    for mod in _commands():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def _one_line(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _os_error_text(exc):
    """``'/dev/full': No space left on device`` (the path, then the problem)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename if exc.filename is not None else None
    if name is None:
        return f"cannot write to standard output: {reason}"
    return f"{os.fsdecode(name)!r}: {reason}"


class _Terminated(BaseException):
    """Raised in the main thread on SIGTERM while a command runs, so that its ``finally``
    blocks run as after Ctrl-C: checkpoints keep the finished work, temporary folders (the
    orbit engine's spill to disk, gigabytes on {0,1}^8) are removed."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def main(argv=None):
    """Entry point; returns the exit status.

    Errors of vcbound's own types, a file or disk error (``OSError``: a missing folder, a full
    disk, standard output closed) and running out of memory each become one line on stderr and
    exit status 2; Ctrl-C exits with status 130, SIGTERM (``kill``) with 143 after the same
    clean-up. A command still running after vcbound._guard.NOTICE_AFTER seconds says so on
    stderr (with its progress where known).
    """
    import signal
    import threading

    from .._guard import Heartbeat

    parser = build_parser()
    args = parser.parse_args(argv)
    where = f"vcbound {args.command}"
    old_term = None
    if threading.current_thread() is threading.main_thread():
        try:
            old_term = signal.signal(signal.SIGTERM, _on_sigterm)
        except (ValueError, OSError):  # pragma: no cover - exotic embeddings
            old_term = None
    try:
        with Heartbeat(args.command):
            status = int(args._run(args) or 0)
            sys.stdout.flush()
        return status
    except _Terminated:
        print(f"{where}: terminated", file=sys.stderr)
        return 143
    except VCBoundError as exc:
        print(f"{where}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{where}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.filename is None:
            _silence_stdout()
        print(f"{where}: error: {_one_line(_os_error_text(exc))}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"{where}: error: out of memory (the request needs more memory than this machine "
              "has; use smaller sizes)", file=sys.stderr)
        return 2
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _silence_stdout():
    """After a failed write to standard output (full disk, closed pipe), drop what is still
    buffered so that the interpreter's final flush does not fail again with a traceback."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


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
