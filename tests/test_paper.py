"""The paper's Table 1 as symbolic bounds: refusal without constants, values once bound."""

import math

import pytest

from vcbound.errors import NoBoundError, VCBoundError
from vcbound.paper import PaperBound, paper_bound, table1

# Table 1 of the paper (and Theorem 4.5, which the table does not list): theorem -> (quantity,
# direction, Table 1 entry), read off the paper's text.
TABLE_1 = {
    "2.2": ("robust training size", "upper", "O(Nd)"),
    "2.3": ("robust training size", "lower", "Omega(sqrt(Nd))"),
    "3.3": ("robust generalization size", "upper", "exp(O(d))"),
    "3.4": ("robust generalization size", "lower", "exp(Omega(d))"),
    "4.3": ("robust generalization size", "lower", "exp(Omega(d))"),
    "4.5": ("robust generalization size", "lower", None),
    "5.5": ("robust generalization size", "upper", "exp(O(k))"),
    "5.8": ("robust generalization size", "lower", "exp(Omega(k))"),
}

# a full set of variable values for every entry
VARS = {"N": 100, "d": 10, "k": 2, "eps": "0.1", "c": "0.5", "delta": "0.01"}


def test_table_lists_every_theorem_with_its_role():
    t = table1()
    assert {e.theorem for e in t} == set(TABLE_1)
    for e in t:
        assert isinstance(e, PaperBound)
        assert (e.quantity, e.direction, e.table_cell) == TABLE_1[e.theorem]
        assert e.constants, f"{e.label} has no unknown constant"
        assert e.conditions


@pytest.mark.parametrize("entry", list(table1()), ids=lambda e: e.label)
def test_refuses_numbers_with_unbound_constants(entry):
    variables = {n: VARS[n] for n in entry.variables}
    with pytest.raises(NoBoundError, match="unknown constant"):
        entry.evaluate(**variables)
    # binding all constants but one still refuses
    names = list(entry.constants)
    partial = {**variables, **{n: 1 for n in names[:-1]}}
    with pytest.raises(NoBoundError, match=names[-1]):
        entry.evaluate(**partial)
    # all bound: an illustrative number
    value = entry.evaluate(**variables, **{n: 1 for n in names})
    assert "illustrative" in str(value) and value.value > 0


def test_values_once_bound_by_hand():
    # Thm 4.3: c (2 eps)^(-(d-1)/6) at d = 11, eps = 1/10, c = 1: 0.2^(-10/6) = 14.6201
    v = paper_bound("4.3").evaluate(d=11, eps=0.1, c_4_3=1)
    assert math.isclose(float(v.value), 0.2 ** (-10 / 6), rel_tol=1e-12)
    # Thm 2.3: c sqrt(N d) at N = 100, d = 10, c = 3: 3 sqrt(1000) = 94.868
    v = paper_bound("2.3").evaluate(N=100, d=10, c_2_3=3)
    assert math.isclose(float(v.value), 3 * math.sqrt(1000), rel_tol=1e-12)
    # Thm 3.3: C X log(X)^q with X = ((1 - c) eps)^-d; d = 3, eps = 0.1, c = 0.5: X = 8000
    v = paper_bound("3.3").evaluate(d=3, eps=0.1, c=0.5, C_3_3=1, q_3_3=1)
    assert math.isclose(float(v.value), 8000 * math.log(8000), rel_tol=1e-12)
    # Thm 5.8: c (2 eps sqrt(d/k))^(-k/2), d = 8, k = 2, eps = 1/10: (0.2*2)^(-1) = 2.5
    v = paper_bound("5.8").evaluate(d=8, k=2, eps=0.1, c_5_8=1)
    assert math.isclose(float(v.value), 2.5, rel_tol=1e-12)
    # Thm 4.5 via c W^k (derived here): (t K^(d-1) / c)^(1/k), K = floor(1/(2 eps)) = 5 exactly
    # for eps = 0.1 typed as a decimal; d = 3, t = 1/20, c = 1, k = 2: sqrt(25/20) = 1.1180
    e = paper_bound("4.5", "via c W^k")
    assert e.derived and any("derived here" in n for n in e.notes)
    v = e.evaluate(d=3, eps=0.1, t=0.05, c_poly=1, k_poly=2)
    assert math.isclose(float(v.value), math.sqrt(25 / 20), rel_tol=1e-12)


def test_bad_bindings():
    e = paper_bound("4.3")
    with pytest.raises(VCBoundError, match="'zeta'"):
        e.evaluate(d=3, eps=0.1, c_4_3=1, zeta=2)
    with pytest.raises(VCBoundError, match="needs a value for d"):
        e.evaluate(eps=0.1, c_4_3=1)
    with pytest.raises(VCBoundError, match="'eps'"):
        e.evaluate(d=3, eps=0.7, c_4_3=1)
    with pytest.raises(VCBoundError, match="'d'"):
        e.evaluate(d=2.5, eps=0.1, c_4_3=1)
    with pytest.raises(VCBoundError, match="'k'"):
        paper_bound("5.8").evaluate(d=2, k=3, eps=0.1, c_5_8=1)
    with pytest.raises(VCBoundError, match="'theorem'"):
        paper_bound("9.9")
    with pytest.raises(VCBoundError, match="'variant'"):
        paper_bound("4.5", "nope")


def test_rendering():
    t = table1()
    for fmt in ("text", "markdown", "csv", "json"):
        out = t.render(fmt)
        assert "Theorem 4.3" in out and "c_4_3" in out
    latex = t.render("latex")
    assert r"\begin{tabular}" in latex and r"\toprule" in latex and r"c_{4.3}" in latex and r"\varepsilon" in latex
    assert t._repr_latex_().startswith("$") and r"\ge" in t._repr_latex_()
    e = paper_bound("4.3")
    assert e._repr_latex_().startswith("$") and r"c_{4.3}" in e._repr_latex_()
    assert "c_4_3" in str(e) and e.to_dict()["theorem"] == "Theorem 4.3"
