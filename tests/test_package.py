"""Package-level contracts: light import, lazy exports, CLI error handling, README/CI agreement."""

import importlib
import pathlib
import subprocess
import sys

import pytest

import vcbound

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_import_is_light():
    # `import vcbound` must not import numba (nor compile anything), matplotlib or sympy.
    code = ("import sys, vcbound; "
            "print(' '.join(m for m in ('numba', 'matplotlib', 'sympy', 'scipy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


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
