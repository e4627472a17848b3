"""Numbers, rounding and exports (issue 16 points 2-4; issue 20's 4300-digit cases).

Expected values are derived independently: exact integers by hand (5^(d-1)), directed roundings
from the certified value with integer arithmetic, JSON types compared between two inputs.
"""

import csv
import io
import json
import math
import re
from fractions import Fraction

import mpmath
import pytest

import vcbound
from vcbound._numbers import BigNumber, float_down, float_up, format_significant
from vcbound.cli import main
from vcbound.errors import NotExactError


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------------------------------------
# directed rounding
# ---------------------------------------------------------------------------------------------
def _floor_2sig(log2):
    """2 significant digits of 2^log2, rounded down, with integer arithmetic on the exact power
    (log2 is the certified bound, rounded down already)."""
    with mpmath.workprec(200):
        x = mpmath.power(2, log2)
        e = int(mpmath.floor(mpmath.log10(x)))
        m = int(mpmath.floor(x / mpmath.mpf(10) ** (e - 1)))
    return f"{m // 10}.{m % 10}e{e}"


@pytest.mark.parametrize("d, shown", [(100, "1.1e33"), (60, "1.5e19")])
def test_lower_bounds_print_rounded_down(capsys, d, shown):
    # issue 16 point 2: certified 1.1586e33 and 1.5728e19 were printed as 1.2e33 and 1.6e19
    r = vcbound.solve(d, "0.1", "0.1")
    assert _floor_2sig(r.N_d.log2_mpf) == shown
    assert str(r.N_d) == shown and f"N_d = {shown}" in r.statement()
    status, out, _ = run(capsys, "solve", "--d", str(d), "--eps", "0.1", "--alpha", "0.1")
    assert re.search(rf"N_d = M \+ 1\s+{re.escape(shown)}\n", out)
    assert shown in r._repr_html_() and shown.replace("e", r" \times 10^{") in r._repr_latex_()
    status, out, _ = run(capsys, "table", "--d", str(d), "--eps", "0.1", "--alpha", "0.1",
                         "--format", "latex")
    assert shown.replace("e", r" \times 10^{") in out


def test_format_significant_directions():
    x = 11586 * 10**29
    assert format_significant(x, 2, "lower") == "1.1e33"
    assert format_significant(x, 2, "upper") == "1.2e33"
    assert format_significant(x, 2, None) == "1.2e33"
    assert format_significant(10**33, 2, "upper") == "1.0e33"      # exact: no spurious bump
    assert format_significant(99 * 10**31 + 1, 2, "upper") == "1.0e33"   # 9.9e32 + 1
    assert BigNumber(exact=x, bound="upper").human() == "1.2e33"
    lower = BigNumber(log2=mpmath.log(x, 2), bound="lower")
    assert lower.human() == "1.1e33" and lower.describe() == ">= 1.1e33"
    third = Fraction(1, 3)
    assert float_down(third) <= third <= float_up(third)
    assert float_down(third) < float_up(third)


# ---------------------------------------------------------------------------------------------
# the number type
# ---------------------------------------------------------------------------------------------
def test_bignumber_is_number_like_where_exact():
    r = vcbound.solve(10, "0.1", "0.1")
    N = r.N_d
    # 134: the union route with the DAG support count (tests/test_lower_bounds.py derives it)
    assert int(N) == 134 and float(N) == 134.0 and f"{N:,}" == "134" and N == 134
    assert N < 135 and N > 133.5 and hash(N) == hash(134)
    big = BigNumber(exact=1234567890123456789)
    assert f"{big:,}" == "1,234,567,890,123,456,789" and int(big) == 1234567890123456789
    assert f"{BigNumber(exact=12345, bound='lower'):.2e}" == "1.23e+04"
    assert f"{BigNumber(exact=12355, bound='upper'):.2e}" == "1.24e+04"
    assert isinstance(r.log10_N_d, float) and isinstance(N.log2, float)
    assert r.log10_N_d == pytest.approx(math.log10(134), abs=1e-15)
    assert r.log10_N_d <= math.log10(134) + 1e-15


def test_bignumber_log_only_says_what_it_is():
    N = vcbound.solve(100, "0.1", "0.1").N_d
    assert not N.is_exact() and N.bound == "lower"
    with pytest.raises(NotExactError, match="lower bound on its logarithm"):
        int(N)
    assert repr(N).startswith("BigNumber(>= 1.1e33")
    assert float(N) <= 2 ** float(N.log2_mpf) * (1 + 1e-15)
    assert isinstance(N.log10, float) and 33.06 < N.log10 < 33.07


def test_huge_exact_integers_never_hit_the_str_limit(capsys):
    # issue 20: these three raised "Exceeds the limit (4300 digits) for integer string conversion"
    status, out, _ = run(capsys, "bounds", "--widths", "2,10000,1", "--format", "json")
    assert status == 0 and json.loads(out)["W"] == 40001
    report = vcbound.all_bounds(vcbound.Architecture([2, 10000, 1]))
    for text in (str(report), repr(report), report.text(), report.to_json(),
                 report._repr_html_(), report._repr_latex_()):
        assert text
    r = vcbound.solve(1000, "1e-6", "0.1", route="paper")
    data = json.loads(r.to_json())
    # n = 500000^999 has 999 log10(5e5) + 1 = 5694 digits: too many for "value"
    assert data["n"]["value"] is None and data["n"]["bound"] == "exact"
    assert data["n"]["log10"] == pytest.approx(999 * math.log10(5e5), rel=1e-15)
    assert data["n"]["text"] == "1.9e5693"
    assert str(r) and r._repr_html_()
    assert len(BigNumber(exact=r.n).digits()) == 5694
    status, out, _ = run(capsys, "solve", "--d", "1000", "--eps", "1e-6", "--alpha", "0.1",
                         "--route", "paper")
    assert status == 0 and "1.9e5693" in out


# ---------------------------------------------------------------------------------------------
# JSON schema
# ---------------------------------------------------------------------------------------------
def _types(obj):
    if isinstance(obj, dict):
        return {k: _types(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return "list"
    return type(obj).__name__


def test_json_same_keys_and_types_for_small_and_large_d(capsys):
    outs = []
    for d in (5, 100):
        status, out, _ = run(capsys, "solve", "--d", str(d), "--eps", "0.1", "--alpha", "0.1",
                             "--format", "json")
        outs.append(json.loads(out))
    small, large = outs
    assert small["regime"] == "exact" and large["regime"] == "log"
    assert set(small) == set(large)
    ts, tl = _types(small), _types(large)
    # the exact integer "value" of a big number is int where exact, null where only a log bound
    # is known: the one documented difference (N_d at d = 100, G in the log regime)
    for key in ts:
        a, b = ts[key], tl[key]
        if isinstance(a, dict):
            assert set(a) == set(b) == {"value", "log10", "bound", "text"}, key
            for f in ("log10", "bound", "text"):
                assert a[f] == b[f], (key, f)
            assert {a["value"], b["value"]} <= {"int", "NoneType"}, key
        else:
            assert a == b, (key, a, b)
    assert small["N_d"]["value"] == 3 and small["N_d"]["bound"] == "lower"
    assert large["N_d"]["value"] is None and large["N_d"]["text"] == "1.1e33"


# ---------------------------------------------------------------------------------------------
# tables: text blocks, --output, caption, CSV, LaTeX, pandas
# ---------------------------------------------------------------------------------------------
TABLE = ["table", "--d", "2:6", "--eps", "0.25,0.1", "--alpha", "0.1", "--route",
         "union,dense,paper", "--progress", "no"]


@pytest.mark.parametrize("columns", [80, 120])
def test_wrapped_text_blocks_repeat_the_key_columns(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    status, out, _ = run(capsys, *TABLE)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("N_d = nonzero weights") and "certified lower bound" in out
    blocks = [b for b in out.split("\n\n")[1:] if b.strip()]
    assert len(blocks) >= 2                       # too wide for one block at 80 and 120
    keys = []
    for b in blocks:
        rows = b.splitlines()
        assert rows[0].split()[:3] == ["d", "eps", "alpha"]
        keys.append([tuple(r.split()[:3]) for r in rows[2:]])
        assert all(len(r) <= columns for r in rows)
    # every block lists the same (d, eps, alpha) rows in the same order: 5 d x 2 eps
    assert all(k == keys[0] for k in keys) and len(set(keys[0])) == 10


def test_output_file_never_wraps(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "t.txt"
    status, out, _ = run(capsys, *TABLE, "--output", str(path))
    text = path.read_text()
    blocks = [b for b in text.split("\n\n")[1:] if b.strip()]
    assert status == 0 and len(blocks) == 1
    assert "beta paper (ILLUSTRATIVE)" in blocks[0].splitlines()[0]


def test_csv_round_trip_gives_the_exact_integers(capsys):
    status, out, _ = run(capsys, "table", "--d", "2:40:6", "--eps", "0.1", "--alpha", "0.1",
                         "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(rows) == 7
    for row in rows:
        d = int(row["d"])
        assert int(row["n"]) == 5 ** (d - 1)          # exact, all digits (5^38 has 27)
        assert float(row["log10 n"]) == pytest.approx((d - 1) * math.log10(5), rel=1e-15)
        r = vcbound.solve(d, "0.1", "0.1")
        assert int(row["D_min"]) == r.D_min.exact
        if r.N_d.is_exact():
            assert int(row["N_d union"]) == r.N_d.exact
        else:
            assert row["N_d union"] == ""
            assert float(row["log10 N_d union"]) <= float(r.N_d.log10_mpf)
    import pandas as pd

    frame = pd.read_csv(io.StringIO(out), dtype={"n": str})
    assert [int(v) for v in frame["n"]] == [5 ** (d - 1) for d in range(2, 41, 6)]
    assert frame["log10 n"].dtype == "float64" and not frame["log10 n"].isin([math.inf]).any()


def test_latex_table_booktabs_and_symbols(capsys):
    status, out, _ = run(capsys, "table", "--d", "4,6", "--eps", "0.25,0.1", "--alpha", "0.1",
                         "--route", "union,paper", "--format", "latex")
    assert status == 0
    for piece in (r"\toprule", r"\midrule", r"\bottomrule", r"$\varepsilon$", r"$\alpha$",
                  r"$N_d$ union", r"$D_{\min}$", r"$\beta$ paper (illustrative)"):
        assert piece in out, piece
    assert "tabular}{" in out and r"\hline" not in out and r"\text{" not in out
    assert "N\\_d union" not in out
    status, out, _ = run(capsys, "bounds", "--widths", "2,10,10,1", "--format", "latex")
    assert r"\text{3659.67}" not in out and "$3659.67$" in out and r"\toprule" in out


def test_table_to_pandas_numeric_dtypes():
    t = vcbound.bound_table(range(2, 52), ["0.25", "0.1", "0.05", "0.02", "0.01"],
                            ["0.1", "0.05"], routes="union,paper")
    assert len(t.results) == 1000
    wide = t.to_pandas()
    for col in wide.columns:
        assert wide[col].dtype.kind in "if", (col, wide[col].dtype)
    assert wide["d"].dtype == "int64" and wide["K"].dtype == "int64"
    long = t.to_pandas("long")
    assert len(long) == 1000
    numeric = set(long.columns) - {"route", "certified", "N_d_exact"}
    for col in numeric:
        assert long[col].dtype.kind in "if", (col, long[col].dtype)
    assert long["route"].map(type).eq(str).all()
    assert (long["log10_n"] > 0).all() and long["log10_n"].max() < 100
    row = long[(long.d == 10) & (long.eps == 0.1) & (long.alpha == 0.1) & (long.route == "union")]
    assert row["N_d"].item() == 134.0 and row["n"].item() == 5.0 ** 9


def test_result_to_pandas():
    f = vcbound.solve(10, "0.1", "0.1").to_pandas()
    assert list(f.columns) == ["key", "quantity", "value", "number", "log10", "bound", "meaning"]
    assert f["number"].dtype == "float64" and f["log10"].dtype == "float64"
    nd = f[f.key == "N_d"].iloc[0]
    assert nd["number"] == 134.0 and nd["bound"] == "lower"


def test_output_docs_examples_run():
    """docs/output.rst's Python examples are doctests: they show what vcbound prints."""
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "output.rst"
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 15
