"""``python -m vcbound bounds``: output formats, and one-line errors with exit status 2."""

import json
import subprocess
import sys
from math import e, log2

import pytest

from vcbound.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "vcbound", "bounds", *args],
                          capture_output=True, text=True, timeout=120)


def test_json_subprocess_test_vector():
    proc = run_cli("--widths", "2,10,10,1", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    # vcbound docs §Capacity bounds test vector: W = 151, L = 3, U = 21, R = 33, Theorem 7 bound 3659.67
    assert (data["W"], data["L"], data["U"], data["R"]) == (151, 3, 21, 33)
    assert round(data["vc_upper_bound"]["bhlm_thm7"], 2) == 3659.67
    assert isinstance(data["vc_upper_bound"]["goldberg_jerrum"], str)
    assert "log2_growth_upper_bound" not in data


def test_json_with_m(capsys):
    # threshold [3, 5, 1], m = 100 (>= W = 26): Baum-Haussler 26 log2(6 e 100 / 26) = 155.248,
    # BHLM 7(a) with W_i = [20, 6], k = [5, 1], p = 1, degree 0 (factors 1):
    # 2 + 20 log2(2e*100*5/20) + 6 log2(2e*100*1/6)
    assert main(["bounds", "--widths", "3,5,1", "--activation", "threshold", "--m", "100",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    growth = data["log2_growth_upper_bound"]
    assert abs(growth["baum_haussler"] - 26 * log2(6 * e * 100 / 26)) < 1e-9
    hand = 2 + 20 * log2(2 * e * 100 * 5 / 20) + 6 * log2(2 * e * 100 / 6)
    assert abs(growth["bhlm_thm7"] - hand) < 1e-9
    assert abs(data["vc_upper_bound"]["baum_haussler"] - 52 * log2(6 * e)) < 1e-9


def test_default_text_reads_well(capsys):
    assert main(["bounds", "--widths", "2,10,10,1"]) == 0
    out = capsys.readouterr().out
    for needle in ("W    = 151", "L    = 3", "U    = 21", "R    = 33", "321/151",
                   "BHLM Theorem 7", "3659.67", "3659", "VC dimension", "symbolic"):
        assert needle in out, needle


def test_latex_and_sigmoid(capsys):
    assert main(["bounds", "--widths", "2,3,1", "--activation", "sigmoid", "--format",
                 "latex"]) == 0
    out = capsys.readouterr().out
    assert r"\begin{tabular}" in out and "C_{KM}" in out
    assert main(["bounds", "--widths", "2,3,1", "--activation", "sigmoid"]) == 0
    assert "not applicable" in capsys.readouterr().out


def test_piecewise(capsys):
    # [3, 5, 1], 3 pieces, degree 2: W_i = [20, 26], R = 5 + 1*(1 + 2) = 8, p = 2:
    # 2 + 46 log2(4e*2*8 log2(2e*2*8)) = 467.9965 -> printed rounded up as 468.00
    assert main(["bounds", "--widths", "3,5,1", "--activation", "piecewise", "--pieces", "3",
                 "--degree", "2"]) == 0
    assert "468.00" in capsys.readouterr().out


BAD = [
    (["--widths", "2,10,3"], "end in 1"),
    (["--widths", ""], "'widths'"),
    (["--widths", "2,x,1"], "'widths'"),
    (["--widths", "2,0,1"], "'widths[1]'"),
    (["--widths", "5"], "at least 2 entries"),
    (["--widths", "2,2.5,1"], "integer"),
    (["--widths", "2,nan,1"], "'widths'"),
    (["--widths", "2,10,1", "--activation", "tanh"], "'activation'"),
    (["--widths", "2,10,1", "--activation", "piecewise"], "pieces"),
    (["--widths", "2,10,1", "--m", "0"], "'m'"),
    (["--widths", "2,10,1", "--m", "1.5"], "'m'"),
    (["--widths", "2,10,1", "--format", "yaml"], "format"),
    ([], "widths"),
]


def _status(argv):
    """main()'s return value, or the SystemExit code of argparse usage errors."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize("args, match", BAD)
def test_bad_arguments_main(args, match, capsys):
    assert _status(["bounds", *args]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert match in err and captured.out == ""


@pytest.mark.parametrize("args, match", BAD[:1] + BAD[7:8] + BAD[-2:])
def test_bad_arguments_subprocess(args, match):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert match in proc.stderr and proc.stdout == ""
