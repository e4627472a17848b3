"""Package-level contracts: light import, lazy exports, CLI error handling, README/CI agreement."""

import gc
import importlib
import pathlib
import subprocess
import sys

import pytest

import vcbound

ROOT = pathlib.Path(__file__).resolve().parents[1]


HEAVY = ('numba', 'matplotlib', 'sympy', 'scipy', 'dask', 'distributed')


def test_import_is_light():
    # `import vcbound` must not import numba (nor compile anything), matplotlib, sympy or dask.
    code = ("import sys, vcbound; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_serial_enumeration_and_its_cli_do_not_import_dask():
    # dask is imported only when a client or --scheduler is asked for
    code = ("import sys, io, contextlib, vcbound; from vcbound.cli import main; "
            "vcbound.enumerate_labellings([2, 1], vcbound.make_grid(3, K=2), 100); "
            "buf = io.StringIO(); ctx = contextlib.redirect_stdout(buf); ctx.__enter__(); "
            "main(['enumerate', '--d', '3', '--K', '2', '--widths', '2,1', '--samples', '100']);"
            " ctx.__exit__(None, None, None); "
            "print([m for m in ('dask', 'distributed') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_lazy_export_resolves_to_its_module():
    for name, module in vcbound._LAZY.items():
        mod = importlib.import_module(f"vcbound.{module}")
        assert name in mod.__all__, (name, module)
        assert getattr(vcbound, name) is getattr(mod, name)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        vcbound.nope  # noqa: B018


def test_errors_are_value_and_type_errors():
    assert issubclass(vcbound.VCBoundError, ValueError)
    assert issubclass(vcbound.VCBoundTypeError, TypeError)
    for exc in (vcbound.NoBoundError, vcbound.CheckpointError, vcbound.TableTooLargeError):
        assert issubclass(exc, vcbound.VCBoundError)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = 'pip install -e ".[test]" && python -m pytest'
    assert test_cmd in readme
    assert test_cmd in ci


def test_cli_usage_error_is_one_line_exit_2():
    out = subprocess.run([sys.executable, "-m", "vcbound", "no-such-command"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_script_tunes_the_collector_and_keeps_the_exit_status():
    # The script defers full collections and freezes the heap before exit (see
    # vcbound.cli.script); an atexit hook, run after the script's sys.exit, sees both.
    hook = ("import atexit, gc, sys; atexit.register(lambda: print(gc.get_threshold()[2], "
            "gc.get_freeze_count() > 0)); sys.argv = ['vcbound', *sys.argv[1:]]; "
            "from vcbound.cli import script; script()")
    ok = subprocess.run([sys.executable, "-c", hook, "bounds", "--widths", "2,3,1"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1] == f"{1 << 30} True"
    bad = subprocess.run([sys.executable, "-c", hook, "bounds", "--widths", "2,0,1"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stdout.splitlines()[-1] == f"{1 << 30} True"
    assert "Traceback" not in bad.stderr


def test_main_from_python_leaves_the_collector_alone():
    from vcbound.cli import main

    before = gc.get_threshold(), gc.get_freeze_count()
    assert main(["bounds", "--widths", "2,3,1"]) == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_enumerate_cli_does_not_import_sympy_or_mpmath():
    # Rendering a result must not pull in the symbolic engines (start-up cost of the CLI).
    code = ("import sys, io, contextlib; from vcbound.cli import main; "
            "buf = io.StringIO(); ctx = contextlib.redirect_stdout(buf); ctx.__enter__(); "
            "status = main(['enumerate', '--d', '3', '--K', '2', '--widths', '2,1', "
            "'--samples', '100']); ctx.__exit__(None, None, None); "
            "print(status, 'distinct' in buf.getvalue(), "
            "[m for m in ('sympy', 'mpmath') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 True []"
