"""Command-line tests of ``vcbound solve`` and ``vcbound table``.

Expected values are derived by hand in the comments (K, n, D_min at small n) or cross-checked with
the library function the command is documented to print.
"""

import csv
import io
import json
import subprocess
import sys

import pytest

from vcbound.cli import main
from vcbound.solver import solve


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_solve_text(capsys):
    status, out, err = run(capsys, "solve", "--d", "10", "--eps", "0.1", "--alpha", "0.1")
    assert status == 0 and err == ""
    assert "K = floor(1/(2 eps))            5" in out          # 0.1 is exactly 1/10
    assert "n = K^(d-1)                     1953125" in out    # 5^9
    assert "route union (certified)" in out


def test_solve_json_keys_and_values(capsys):
    status, out, _ = run(capsys, "solve", "--d", "4", "--eps", "0.25", "--alpha", "0.1",
                         "--route", "dense", "--format", "json")
    data = json.loads(out)
    assert status == 0
    for key in ("K", "n", "V", "log2_G", "D_min", "N_d", "route", "certified"):
        assert key in data
    # K = 2, n = 8, V = 4, c = ceil(7.2) = 8: G = 2^4 C(8,4)/C(8,4) = 16 = 2^V, so D_min = 4
    assert (data["K"], data["n"]["value"], data["V"]["value"], data["D_min"]["value"]) == (2, 8, 4, 4)
    assert data["route"] == "dense" and data["certified"] is True


def test_solve_json_huge_numbers(capsys):
    status, out, _ = run(capsys, "solve", "--d", "3000", "--eps", "0.1", "--alpha", "0.1",
                         "--format", "json")
    data = json.loads(out)
    # n = 5^2999 has 2999 log10 5 = 2096.2 digits: beyond a float, given as {"log10": ...}
    assert status == 0 and float(data["n"]["log10"]) == pytest.approx(2999 * 0.69897, rel=1e-6)
    assert "log10" in data["N_d"] or isinstance(data["N_d"], (int, str))


def test_solve_paper_route_is_illustrative(capsys):
    status, out, _ = run(capsys, "solve", "--d", "10", "--eps", "0.1", "--alpha", "0.1",
                         "--route", "paper", "--C", "2")
    assert status == 0 and "ILLUSTRATIVE" in out and "C = 2" in out


def test_solve_V_choices(capsys):
    # n = 16 (d = 3, K = 4): V = 5 is allowed (c = 15), and matches the library
    status, out, _ = run(capsys, "solve", "--d", "3", "--eps", "0.125", "--alpha", "0.1",
                         "--V", "5", "--format", "json")
    assert status == 0 and json.loads(out)["V"]["value"] == 5
    status, out, _ = run(capsys, "solve", "--d", "8", "--eps", "0.1", "--alpha", "0.1",
                         "--V", "best", "--format", "json")
    assert json.loads(out)["N_d"]["value"] == solve(8, 0.1, 0.1, V="best").N_d.exact


@pytest.mark.parametrize("argv, message", [
    (["--d", "10", "--eps", "0", "--alpha", "0.1"], "'eps' must be in (0, 1/2]"),
    (["--d", "10", "--eps", "0.6", "--alpha", "0.1"], "'eps' must be in (0, 1/2]"),
    (["--d", "10", "--eps", "0.1", "--alpha", "0.5"], "'alpha' must be in (0, 1/2)"),
    (["--d", "10", "--eps", "0.1", "--alpha", "-0.1"], "'alpha' must be in"),
    (["--d", "1", "--eps", "0.1", "--alpha", "0.1"], "'d' must be"),
    (["--d", "2.5", "--eps", "0.1", "--alpha", "0.1"], "'d' must be an integer"),
    (["--d", "x", "--eps", "0.1", "--alpha", "0.1"], "'d'"),
    (["--d", "10", "--eps", "0.1", "--alpha", "0.1", "--route", "magic"], "'route'"),
    (["--d", "10", "--eps", "0.1", "--alpha", "0.1", "--V", "0"], "'V'"),
    (["--d", "3", "--eps", "0.25", "--alpha", "0.1", "--V", "9"], "[1, c]"),
    (["--d", "10", "--eps", "0.1", "--alpha", "0.1", "--C", "-1"], "'C'"),
])
def test_solve_bad_input_exit_2(capsys, argv, message):
    status, out, err = run(capsys, "solve", *argv)
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_solve_subprocess_exit_status():
    ok = subprocess.run([sys.executable, "-m", "vcbound", "solve", "--d", "5", "--eps", "0.1",
                         "--alpha", "0.1", "--format", "json"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["K"] == 5
    bad = subprocess.run([sys.executable, "-m", "vcbound", "solve", "--d", "5", "--eps", "0.7",
                          "--alpha", "0.1"], capture_output=True, text=True)
    assert bad.returncode == 2 and "'eps' must be in (0, 1/2], not 0.7" in bad.stderr


# ------------------------------------------------------------------------------------------
# table
# ------------------------------------------------------------------------------------------
def test_table_csv_rows_and_values(capsys):
    status, out, _ = run(capsys, "table", "--d", "2:4", "--eps", "0.25,0.1", "--alpha", "0.1",
                         "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(rows) == 3 * 2
    # d = 3, eps = 0.1: K = 5, n = 25; D_min at V = 12: G = 2^12 C(23,12)/C(25,12) (c = 23)
    row = rows[3]
    assert (row["d"], row["eps"], row["K"], row["n"]) == ("3", "0.1", "5", "25")
    assert int(row["D_min"]) == solve(3, 0.1, 0.1).D_min.exact
    assert set(rows[0]) == {"d", "eps", "alpha", "K", "n", "log10 n", "D_min", "log10 D_min",
                            "N_d union", "log10 N_d union", "beta union", "N_upper", "log10 N_upper",
                            "beta N_upper",
                            "(d-1)/6"}


def test_table_several_routes_labels(capsys):
    status, out, _ = run(capsys, "table", "--d", "6,8", "--eps", "0.1,0.05", "--alpha", "0.1",
                         "--route", "union,dense,paper", "--format", "json")
    data = json.loads(out)
    assert status == 0 and len(data) == 4
    assert "N_d paper (ILLUSTRATIVE)" in data[0] and "N_d dense" in data[0]
    assert data[0]["(d-1)/6"] == pytest.approx(5 / 6, abs=1e-4)


def test_table_text_and_markdown_and_latex(capsys):
    for fmt in ("text", "markdown", "latex"):
        status, out, _ = run(capsys, "table", "--d", "5", "--eps", "0.1", "--alpha", "0.1",
                             "--format", fmt, "--route", "paper")
        assert status == 0 and "ILLUSTRATIVE" in out


def test_table_too_large_for_text(capsys, tmp_path):
    # 2001 values of d x 1 eps x 1 alpha = 2001 rows > 2,000: refused before any work
    status, out, err = run(capsys, "table", "--d", "2:2002", "--eps", "0.1", "--alpha", "0.1")
    assert status == 2 and out == ""
    assert "2,001 rows" in err and "--format csv" in err and "--output" in err


def test_table_output_file(capsys, tmp_path):
    target = tmp_path / "t.csv"
    status, out, _ = run(capsys, "table", "--d", "2:5", "--eps", "0.1", "--alpha", "0.1",
                         "--format", "csv", "--output", str(target))
    assert status == 0 and out == ""
    assert target.read_text().splitlines()[0].startswith("d,eps,alpha,K,n,log10 n,D_min")


def test_table_output_unwritable(capsys, tmp_path):
    status, _, err = run(capsys, "table", "--d", "2", "--eps", "0.1", "--alpha", "0.1",
                         "--output", str(tmp_path / "missing" / "t.txt"))
    assert status == 2 and "--output" in err


def test_table_progress_bar_on_request(capsys):
    status, out, err = run(capsys, "table", "--d", "2:4", "--eps", "0.1", "--alpha", "0.1",
                           "--format", "csv", "--progress")
    assert status == 0 and "vcbound table" in err and "3/3" in err
    status, out, err = run(capsys, "table", "--d", "2:4", "--eps", "0.1", "--alpha", "0.1",
                           "--format", "csv")
    assert err == ""                 # stderr is not a terminal under pytest


@pytest.mark.parametrize("argv, message", [
    (["--d", "5:2", "--eps", "0.1", "--alpha", "0.1"], "empty range"),
    (["--d", "2:5:0", "--eps", "0.1", "--alpha", "0.1"], "step"),
    (["--d", "2::5", "--eps", "0.1", "--alpha", "0.1"], "'d'"),
    (["--d", "1:5", "--eps", "0.1", "--alpha", "0.1"], "'d' must be"),
    (["--d", "2:5", "--eps", "0.1,,0.2", "--alpha", "0.1"], "'eps'"),
    (["--d", "2:5", "--eps", "0.1", "--alpha", "0.5"], "'alpha'"),
    (["--d", "2:5", "--eps", "0.1", "--alpha", "0.1", "--route", "union,foo"], "'route'"),
])
def test_table_bad_input_exit_2(capsys, argv, message):
    status, out, err = run(capsys, "table", *argv)
    assert status == 2 and out == "" and message in err


def test_table_bad_choice_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["table", "--d", "2", "--eps", "0.1", "--alpha", "0.1", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_explains_exponent(capsys):
    with pytest.raises(SystemExit):
        main(["table", "--help"])
    out = capsys.readouterr().out
    assert "least-squares slope of log N_d" in out and "(d-1)/6" in out
