"""Explicit robust networks for the sets of Theorem 4.3 (vcbound.constructions).

What is checked, independently of the construction code:

- weight counts derived by hand (in the comments) for d = 2, 3 and small K;
- exact outputs at every grid point and at rational points inside and on the edge of every robust
  ball (c up to 999/1000), with x_d perturbed as well, through the generic exact evaluator
  (ReLUNetwork.evaluate), not through the verifier;
- the verifier rejects networks with one weight changed;
- upper_bound equals the weight slots for 20 random labellings, and is >= N_d of the solver.
"""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbound.constructions import (best_block_length, bits_count, make_labels, memorize,
                                   memorize_count, robust_network, spline_count, upper_bound,
                                   verify_robust)
from vcbound.errors import VCBoundError
from vcbound.network import ReLUNetwork


# ------------------------------------------------------------------------------ hand counts
def test_spline_counts_by_hand():
    # d = 2, eps = 1/4: K = 2, one axis with values 1/2, 1: one ramp = 2 units, each with a
    # weight from x_1 and one into T (4); knot relu(T) (1) and its output weight (1): 6.
    net = robust_network(2, "1/4", [1, -1], method="spline")
    assert net.widths == [2, 2, 1, 1, 1] and net.weight_slots == 6 == net.nonzero_weights
    assert upper_bound(2, "1/4", method="spline") == 6
    # d = 3, eps = 1/4: two axes x one ramp x 4 = 8; n = 4: knots j = 0, 1, 2 (3) + output (3)
    assert upper_bound(3, "1/4", method="spline") == 14
    # d = 3, eps = 1/6: K = 3, two axes x two ramps x 4 = 16; n = 9: 8 knots + 8 outputs = 16
    assert upper_bound(3, "1/6", method="spline") == 32
    # sharp grid, d = 2, eps = 1/4: values 0, 1/2, 1 -> 2 ramps (8); n = 3: 2 + 2 -> 12
    assert upper_bound(2, "1/4", method="spline", points="sharp") == 12


def test_bits_counts_by_hand():
    # d = 2, eps = 1/4, n = 2, B = 1: quantiser 4; steps relu(T), relu(T - 1) (2); word unit
    # reading both (2); output 2 W - 1 (1): 9.
    assert upper_bound(2, "1/4", method="bits") == 9
    net = robust_network(2, "1/4", [-1, 1], method="bits")
    assert net.construction.B == 1 and net.weight_slots == 9
    # d = 3, eps = 1/10, n = 25 with B = 3 (9 blocks): quantiser 2 x 4 ramps x 4 = 32;
    # layer 3: relu(T) + 2 x 8 steps = 17; word 16 + offset 17 = 33; rounds:
    # round 0: S1, S0 from W (2), PW0 (1), E+0 and PO0 from O (2)            ->  5
    # round 1: S1, S0, PW1 (3 each), E+1, PO1, E-1 (1 each), term0 (S1,S0,E+0) -> 15
    # round 2: S1, S0 (3 each), E-2 (1), term1 (4), A2 = relu(term0) (1)      -> 12
    # last:    term2 (S1,S0,E-2: 3), A3 = relu(A2 + term1) (2)                ->  5
    # output 2 term2 + 2 A3 - 1                                               ->  2
    net = robust_network(3, "0.1", make_labels(3, "0.1", seed=2), method="bits", B=3)
    assert net.weight_slots == 32 + 17 + 33 + 5 + 15 + 12 + 5 + 2 == 121
    assert bits_count(2, 5, 3) == 121


@pytest.mark.parametrize("m, Kp", [(1, 2), (1, 7), (2, 3), (2, 5), (3, 3), (4, 2)])
def test_count_formulas_equal_built_networks(m, Kp):
    n = Kp ** m
    d = m + 1
    eps = Fraction(1, 2 * Kp)             # paper grid with K = Kp
    labels = make_labels(d, eps, seed=n)
    assert robust_network(d, eps, labels, method="spline").weight_slots == spline_count(m, Kp)
    for B in sorted({1, 2, 3, 4, max(1, n // 3), n}):
        if B <= n:
            net = robust_network(d, eps, labels, method="bits", B=B)
            assert net.weight_slots == bits_count(m, Kp, B), B


def test_best_block_length_is_the_minimum():
    for n in list(range(2, 60)) + [125, 1000, 3125, 78125]:
        B, proved = best_block_length(n)
        assert proved
        counts = [bits_count(1, n, b) for b in range(1, n + 1)]     # m = 1, K' = n
        assert bits_count(1, n, B) == min(counts)


# ------------------------------------------------------------------------------ exactness
def _ball_points(con, col, rng, count):
    """Rational points of the robust box of a column: corners, edge midpoints and random
    interior points, with x_d perturbed too."""
    g = [con.grid_values[i] for i in col]
    r = con.r
    xd = Fraction(1, 2) + con.eps0 * int(con.labels[_row(con, col)])
    pts = []
    for signs in itertools.product((-1, 1), repeat=con.m):
        pts.append([gi + s * r for gi, s in zip(g, signs)] + [xd - r])
    pts.append(g + [xd + r])
    pts.append(g + [xd])                          # the lifted point itself
    for _ in range(count):
        pts.append([gi + r * Fraction(int(rng.integers(-1000, 1001)), 1000) for gi in g]
                   + [xd + r * Fraction(int(rng.integers(-1000, 1001)), 1000)])
    return pts


def _row(con, col):
    t = 0
    for i in col:
        t = t * con.Kp + i
    return t


@pytest.mark.parametrize("method", ["spline", "bits"])
@pytest.mark.parametrize("d, eps, points, c", [(2, "0.1", "paper", "1/2"),
                                               (3, "1/6", "paper", "999/1000"),
                                               (3, "1/4", "sharp", "0"),
                                               (4, "1/6", "sharp", "9/10")])
def test_exact_on_every_ball(method, d, eps, points, c):
    rng = np.random.default_rng(7)
    for seed in range(2):
        labels = make_labels(d, eps, seed=seed, points=points)
        net = robust_network(d, eps, labels, c=c, method=method, points=points)
        con = net.construction
        for col in itertools.product(range(con.Kp), repeat=con.m):
            want = int(labels[_row(con, col)])
            for p in _ball_points(con, col, rng, 3):
                assert net.evaluate(p) == want, (col, p)


def test_radius_close_to_eps_and_zero():
    # c -> 1: the ramps get steep (slope 1/(1/K - 2 r)) but stay exact
    for c in ("0", "99/100", "9999/10000"):
        labels = make_labels(3, "0.1", seed=5)
        net = robust_network(3, "0.1", labels, c=c, method="spline")
        assert net.verify().proved
        con = net.construction
        g0 = con.grid_values[0]
        # just outside the ball of column (0, 0) towards column (1, 0), still fine for c < 1
        assert net.evaluate([g0 + con.r, g0 - con.r, "0.5"]) == int(labels[0])


# ------------------------------------------------------------------------------ verification
def test_verification_proves_and_labels_independent_size():
    d, eps = 4, "1/6"
    for method in ("spline", "bits"):
        ub = upper_bound(d, eps, method=method)
        for seed in range(20):
            net = robust_network(d, eps, make_labels(d, eps, seed=seed), method=method)
            assert net.weight_slots == ub and net.nonzero_weights <= ub
        v = net.verify()
        assert v.proved and v.verified == "proved for all columns" and v.spot_check["errors"] == 0
    # some labelling uses every slot of the spline (alternating labels: all second
    # differences are +-4, the first slope -2)
    alt = robust_network(d, eps, make_labels(d, eps, "alternating"), method="spline")
    assert alt.nonzero_weights == upper_bound(d, eps, method="spline")


def _perturbed(net, layer, unit, edge, delta):
    layers = [[list(row) for row in lay] for lay in net.layers]
    s, w = layers[layer][unit][edge]
    layers[layer][unit][edge] = (s, w + delta)
    return ReLUNetwork(net.input_dim, layers, net.biases)


@pytest.mark.parametrize("method", ["spline", "bits"])
def test_broken_network_fails(method):
    labels = make_labels(3, "0.1", seed=3)
    net = robust_network(3, "0.1", labels, method=method)
    con = net.construction
    # a quantiser slope: the sum of ramps is no longer constant on some ball
    bad = _perturbed(net, 0, 3, 0, Fraction(1, 7))
    v = verify_robust(bad, con)
    assert not v.correct and not v.proved and "quantiser" in v.failures[0]
    # the last layer's first weight: some column gets the wrong sign (or zero)
    last = net.depth - 1
    bad = _perturbed(net, last, 0, 0, -3 if method == "spline" else -2)
    v = verify_robust(bad, con)
    assert not v.correct and v.failures
    # a different labelling against the same network fails too
    other = robust_network(3, "0.1", -labels, method=method).construction
    assert not verify_robust(net, other).correct


def test_sampled_verification_is_reported_as_such():
    net = robust_network(4, "0.1", make_labels(4, "0.1", seed=1), method="bits")
    v = verify_robust(net, net.construction, full_limit=50, samples=40)
    assert v.correct and not v.proved
    assert v.verified.startswith("proved for the quantiser + sampled")


# ------------------------------------------------------------------------------ bracket
def test_upper_is_above_lower_on_a_table():
    from vcbound.solver import bound_table

    table = bound_table(range(2, 31), ["1/4", "1/10", "1/20"], "0.1")
    for (d, eps, alpha, _route), res in table.results.items():
        for method in ("bits", "spline"):
            assert res.N_d <= upper_bound(d, eps, method=method), (d, eps)


@settings(max_examples=15, deadline=None)
@given(d=st.integers(2, 60), K=st.integers(1, 40), alpha=st.sampled_from(["0.05", "0.1", "0.2"]))
def test_upper_above_lower_hypothesis(d, K, alpha):
    from vcbound.solver import solve

    eps = Fraction(1, 2 * K)
    assert solve(d, eps, alpha).N_d <= upper_bound(d, eps)


def test_huge_dimension_by_formula():
    from vcbound._numbers import BigNumber

    small = upper_bound(200, "0.1")
    assert isinstance(small, int)
    # n = 5^199: bits ~ 2 sqrt(108 n) = 2^(log2(n)/2 + 4.38)
    import math
    assert abs(math.log2(small) - (199 * math.log2(5) / 2 + math.log2(2 * math.sqrt(108)))) < 0.01
    huge = upper_bound(100_000, "1e-3")
    assert isinstance(huge, BigNumber) and not huge.is_exact()
    assert float(huge.log2) > 99_999 * math.log2(500) / 2


# ------------------------------------------------------------------------------ memorize
def test_memorize_robust_on_separated_data():
    rng = np.random.default_rng(0)
    pts = [[Fraction(int(v), 4) for v in row] for row in rng.integers(0, 9, size=(12, 3))]
    pts = [list(p) for p in {tuple(p) for p in pts}]
    labels = [1 if sum(p) > 3 else -1 for p in pts]
    eps = Fraction(1, 8)             # distinct points on the 1/4 grid are >= 1/4 = 2 eps apart
    net = memorize(pts, labels, eps, Fraction(1, 10))
    minority = min(labels.count(1), labels.count(-1))
    assert net.nonzero_weights == memorize_count(minority, 3)
    r = Fraction(1, 10)
    for p, y in zip(pts, labels):
        for signs in itertools.product((-1, 0, 1), repeat=3):
            q = [v + s * r for v, s in zip(p, signs)]
            out = net.evaluate(q)
            assert out != 0 and (out > 0) == (y > 0)


def test_memorize_refuses_non_separated_data():
    with pytest.raises(VCBoundError, match=r"points 0 \(label \+1\) and 2 \(label -1\)"):
        memorize([[0, 0], [1, 1], ["0.1", 0]], [1, -1, -1], "0.1", "0.01")
    with pytest.raises(VCBoundError, match="radius"):
        memorize([[0, 0]], [1], "0.1", "0.1")


# ------------------------------------------------------------------------------ bad input
def test_bad_arguments():
    lab = make_labels(3, "0.1")
    with pytest.raises(VCBoundError, match=r"Argument 'c' must be in \[0, 1\)"):
        robust_network(3, "0.1", lab, c=1)
    with pytest.raises(VCBoundError, match="'c'"):
        upper_bound(3, "0.1", c="-0.1")
    with pytest.raises(VCBoundError, match="'eps'"):
        upper_bound(3, "0.7")
    with pytest.raises(VCBoundError, match="shape"):
        robust_network(3, "0.1", lab[:-1])
    with pytest.raises(VCBoundError, match=r"\{-1, \+1\}"):
        robust_network(3, "0.1", np.zeros(25, dtype=int))
    with pytest.raises(VCBoundError, match="type bool"):
        robust_network(3, "0.1", np.ones(25, dtype=bool))
    with pytest.raises(VCBoundError, match="'method'"):
        robust_network(3, "0.1", lab, method="magic")
    with pytest.raises(VCBoundError, match="'points'"):
        upper_bound(3, "0.1", points="dense")
    # the bits network refuses float evaluation (rounding is amplified by 2^B)
    net = robust_network(4, "0.1", make_labels(4, "0.1"), method="bits")
    with pytest.raises(VCBoundError, match="lose precision"):
        net.evaluate(["0.2", "0.2", "0.2", "0.5"], exact=False)
    # the spline network evaluates in floats fine
    sp = robust_network(4, "0.1", make_labels(4, "0.1"), method="spline")
    assert sp.evaluate([0.2, 0.2, 0.2, 0.5], exact=False) == float(make_labels(4, "0.1")[0])


# ------------------------------------------------------------------------------ CLI and solver
def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "vcbound", *args], capture_output=True,
                          text=True, timeout=300)


def test_cli_construct_json_and_errors(tmp_path):
    import json

    from vcbound.network import load_network

    path = tmp_path / "net.json"
    res = _cli("construct", "--d", "3", "--eps", "0.1", "--method", "spline", "--labels",
               "checkerboard", "--verify", "--save", str(path), "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    # checkerboard on the 5 x 5 grid in row order alternates along the last axis and repeats
    # the sign at row ends: spline slots 16 + 2 * 24 = 80 (test_spline_counts_by_hand)
    assert out["weight_slots"] == 80 == out["upper_bound"]
    assert out["depth"] == 4 and out["verified"] == "proved for all columns"
    assert {"nonzero_weights", "parameters", "depth", "verified"} <= set(out)
    assert load_network(path).weight_slots == 80
    np_file = tmp_path / "l.npy"
    np.save(np_file, np.array([1, -1, 1]))
    for args, msg in [(("--c", "1"), "'c'"), (("--eps", "0.7"), "'eps'"),
                      (("--labels", str(np_file)), "shape")]:
        base = {"--d": "3", "--eps": "0.1"}
        argv = ["construct"]
        for k, v in base.items():
            if k not in args:
                argv += [k, v]
        res = _cli(*argv, *args)
        assert res.returncode == 2 and msg in res.stderr and "Traceback" not in res.stderr


def test_solve_reports_the_bracket():
    from vcbound.solver import bound_table, solve

    r = solve(10, "0.1", "0.1")
    d = r.to_dict()
    # d = 10, eps = 1/10: n = 5^9, bits beats spline (2 n ~ 3.9e6): B = 793 (doctest of
    # best_block_length), count 4*9*4 + 6 ceil(n/793) + 18*793 - 19
    n = 5**9
    assert d["N_upper"]["value"] == 144 + 6 * (-(-n // 793)) + 18 * 793 - 19
    assert d["N_upper_method"].startswith("bits")
    assert abs(d["bracket_ratio"] - d["N_upper"]["value"] / d["N_d"]["value"]) < 1e-6
    t = bound_table([4, 6, 8], ["0.1", "0.05"], "0.1")
    assert "N_upper" in t.columns and "beta N_upper" in t.columns
    assert t.columns[-1] == "(d-1)/6"
