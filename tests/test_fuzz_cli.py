"""Fuzz suite of the command line (issue 20): hypothesis draws the options of every sub-command
(numbers of every size and sign, NaN/inf, unicode, empty and very long strings, bad paths) and
checks the contract: exit status 0 or 2, exactly one line on stderr for status 2, never a
traceback, and either finished within tests/_fuzz.TIME_BOUND seconds or said so on stderr.

``vcbound.cli.main(argv)`` runs in-process (fast); a few subprocess cases check the real script.
The default profile tries tests/_fuzz.EXAMPLES inputs per command; ``-m slow`` ten times more.
Set VCBOUND_FUZZ_TALLY=FILE to record how many inputs were tried.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _fuzz import (DEEP, EXAMPLES, check_cli_outcome, fuzz_settings, list_text, number_text,
                   record, run_main, small_int_text)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# bad and good paths, made once (hypothesis does not re-run function-scoped fixtures)
_DIR = tempfile.mkdtemp(prefix="vcbound-fuzz-")
_REGULAR = os.path.join(_DIR, "regular")
open(_REGULAR, "w").close()
_NPY = os.path.join(_DIR, "points.npy")
np.save(_NPY, np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
_BAD_NPY = os.path.join(_DIR, "objects.npy")
np.save(_BAD_NPY, np.array([[None]], dtype=object), allow_pickle=True)
_NPZ = os.path.join(_DIR, "archive.npz")
np.savez(_NPZ, x=np.zeros(3))
_TEXT = os.path.join(_DIR, "text.txt")
with open(_TEXT, "w") as fh:
    fh.write("hello\n")
_BIG = os.path.join(_DIR, "big.npy")
np.save(_BIG, np.zeros((5, 70)))
_EMPTY = os.path.join(_DIR, "empty.npy")
open(_EMPTY, "wb").close()

bad_path = st.sampled_from([
    os.path.join(_DIR, "missing", "x.npz"), os.path.join(_REGULAR, "x.npz"), _NPY, _NPZ, _TEXT,
    _DIR, "", " ", "/dev/full", "/proc/version", os.path.join(_DIR, "a" * 300),
    os.path.join(_DIR, "ünïcødé😀.npz"), os.path.join(_DIR, "ok.npz"), _BAD_NPY, _EMPTY, _BIG,
    os.path.join(_DIR, "x.png"), os.path.join(_DIR, "x.txt"), "/", "-", "~/x.npz",
    "/sys/kernel/x.npz"])

value = st.one_of(number_text, small_int_text)


def _option(name, values, required=False):
    """``[]`` (left out: one time in three, one in ten for a required option), ``['--name', v]``
    or ``['--name=v']``."""
    given_ = st.one_of(values.map(lambda v: [name, v]), values.map(lambda v: [f"{name}={v}"]))
    if not required:
        return st.one_of(st.just([]), given_)
    return st.integers(0, 9).flatmap(lambda k: st.just([]) if k == 0 else given_)


def _argv(command, *options):
    return st.tuples(*options).map(lambda parts: [command] + [x for p in parts for x in p])


solve_argv = _argv(
    "solve",
    _option("--d", st.one_of(value, st.sampled_from(["10", "2", "1000000", "10000"])),
            required=True),
    _option("--eps", st.one_of(value, st.sampled_from(["0.1", "1e-6", "1/3", "0.5"])),
            required=True),
    _option("--alpha", st.one_of(value, st.sampled_from(["0.1", "0.3", "0.25", "1e-5000"])),
            required=True),
    _option("--route", st.one_of(st.sampled_from(["union", "dense", "paper", "PAPER", "x", ""]),
                                 st.text(max_size=8))),
    _option("--V", st.one_of(st.sampled_from(["half", "best"]), value)),
    _option("--C", value),
    _option("--regime", st.sampled_from(["auto", "exact", "log", "x"])),
    _option("--points", st.sampled_from(["paper", "sharp", "x", ""])),
    _option("--norm", st.sampled_from(["linf", "l2", "x"])),
    _option("--theorem", st.sampled_from(["4.3", "3.4", "x", "4.30"])),
    _option("--format", st.sampled_from(["text", "json", "csv"])))

bounds_argv = _argv(
    "bounds",
    _option("--widths", st.one_of(list_text(value), list_text(small_int_text),
                                  st.sampled_from(["2,10,10,1", "2,10000,1", "2,1e6,1", "2,1",
                                                   "3,5,1", ",", "1"])), required=True),
    _option("--activation", st.one_of(st.sampled_from(["relu", "threshold", "sigmoid",
                                                       "piecewise", "x"]), st.text(max_size=6))),
    _option("--pieces", value), _option("--degree", value), _option("--m", value),
    _option("--format", st.sampled_from(["text", "json", "latex"])))

table_argv = _argv(
    "table",
    _option("--d", st.one_of(value, st.sampled_from(["2:5", "2:1000000", "2:10:2", "5:2", "2:",
                                                     "2:3:0", "1e100:1e100"]),
                             list_text(small_int_text)), required=True),
    _option("--eps", st.one_of(list_text(value), st.sampled_from(["0.25,0.1", "0.1"])),
            required=True),
    _option("--alpha", st.one_of(list_text(value), st.sampled_from(["0.1"])), required=True),
    _option("--route", st.sampled_from(["union", "union,dense,paper", "x", ",", ""])),
    _option("--C", value),
    _option("--format", st.sampled_from(["text", "markdown", "csv", "json", "latex"])),
    _option("--output", bad_path), _option("--plot", bad_path))

exact_argv = _argv(
    "exact",
    _option("--d", st.one_of(value, st.sampled_from(["2", "3", "17", "70"]))),
    _option("--K", st.one_of(value, st.sampled_from(["1", "2", "100000"]))),
    _option("--eps", value), _option("--points", bad_path),
    _option("--method", st.sampled_from(["auto", "planar", "incremental", "flats", "lp", "x"])),
    _option("--format", st.sampled_from(["text", "json"])))

enumerate_argv = _argv(
    "enumerate",
    _option("--d", st.one_of(value, st.sampled_from(["3", "2", "70", "1e100"])), required=True),
    _option("--K", st.one_of(value, st.sampled_from(["2", "3", "1"]))),
    _option("--eps", value),
    _option("--widths", st.one_of(list_text(small_int_text),
                                  st.sampled_from(["2,1", "2,4,1", "1,1", "2,4096,4096,1",
                                                   "69,1"])), required=True),
    _option("--samples", st.one_of(value, st.sampled_from(["100", "1e30", "1e4"])), required=True),
    _option("--sampler", st.sampled_from(["data", "gaussian", "x", ""])),
    _option("--seed", value), _option("--checkpoint", bad_path),
    _option("--checkpoint-every", value), _option("--batch-size", value),
    _option("--threads", value), _option("--save-patterns", bad_path),
    _option("--format", st.sampled_from(["text", "json"])), _option("--plot", bad_path))

rule_out_argv = _argv(
    "rule-out",
    _option("--widths", st.one_of(list_text(small_int_text),
                                  st.sampled_from(["10,8,1", "2,10000,1", "2,1e6,1", "1"]))),
    _option("--params", value), _option("--depth", value), _option("--units", value),
    _option("--d", st.one_of(value, st.sampled_from(["10", "1000000"]))),
    _option("--eps", st.one_of(value, st.sampled_from(["0.1", "1e-6"]))),
    _option("--alpha", st.one_of(value, st.sampled_from(["0.1"]))),
    _option("--V", st.one_of(st.sampled_from(["half", "best"]), value)),
    _option("--format", st.sampled_from(["text", "json"])))

top_argv = st.one_of(
    st.lists(st.text(max_size=10), max_size=4),
    st.sampled_from([[], ["--version"], ["--help"], ["solve"], ["nosuch"], ["solve", "--help"],
                     ["--d", "3"]]))

COMMANDS = {"solve": solve_argv, "bounds": bounds_argv, "table": table_argv,
            "exact": exact_argv, "enumerate": enumerate_argv, "rule_out": rule_out_argv,
            "top": top_argv}


def _clean():
    for name in os.listdir(_DIR):   # outputs written by valid runs: keep the fixtures only
        path = os.path.join(_DIR, name)
        if path not in (_REGULAR, _NPY, _BAD_NPY, _NPZ, _TEXT, _BIG, _EMPTY):
            if os.path.isfile(path):
                os.unlink(path)


def _one(kind, argv):
    record(f"cli {kind}")
    status, out, err, timed_out = run_main(argv)
    check_cli_outcome(argv, status, out, err, timed_out)
    _clean()


def _make(kind, n):
    @fuzz_settings(n)
    @given(argv=COMMANDS[kind])
    def test(argv):
        _one(kind, argv)
    return test


for _kind in COMMANDS:
    globals()[f"test_fuzz_{_kind}"] = _make(_kind, EXAMPLES)
    globals()[f"test_fuzz_{_kind}_deep"] = pytest.mark.slow(_make(_kind, EXAMPLES * DEEP))


# ------------------------------------------------------------------ the real script
@pytest.mark.parametrize("argv", [
    ["solve", "--d", "1e100", "--eps", "0.1", "--alpha", "0.1"],
    ["table", "--d", "2:3", "--eps", "0.1", "--alpha", "0.1", "--output",
     os.path.join(_DIR, "missing", "t.csv")],
    ["exact", "--points", _TEXT],
    ["--version"],
])
def test_script_subprocess(argv):
    record("cli subprocess")
    proc = subprocess.run([sys.executable, "-m", "vcbound"] + argv, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2)
    if proc.returncode == 2:
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
