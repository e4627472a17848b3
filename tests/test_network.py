"""The exact ReLU network type (vcbound.network).

Values are checked against hand computations on tiny networks; float evaluation against the exact
one; save/load by round trip of weights no double can hold.
"""

import json
from fractions import Fraction

import numpy as np
import pytest

from vcbound.errors import VCBoundError, VCBoundTypeError
from vcbound.network import ReLUNetwork, load_network


def abs_diff():
    """|x0 - x1| = relu(x0 - x1) + relu(x1 - x0): widths [2, 2, 1], 6 weights, 3 biases."""
    return ReLUNetwork(2, [[[(0, 1), (1, -1)], [(0, -1), (1, 1)]], [[(0, 1), (1, 1)]]],
                       [[0, 0], [0]])


def test_sizes_by_hand():
    net = abs_diff()
    assert net.widths == [2, 2, 1] and net.depth == 2
    assert net.nonzero_weights == 6 and net.weight_slots == 6 and net.parameters == 6 + 3
    z = ReLUNetwork(1, [[[(0, 0)], [(0, 5)]], [[(0, 1), (1, 0)]]], [[1, 0], [0]])
    assert z.weight_slots == 4 and z.nonzero_weights == 2 and z.parameters == 2 + 3


def test_exact_evaluation_reads_decimals_exactly():
    net = abs_diff()
    assert net.evaluate(["0.3", "0.1"]) == Fraction(1, 5)          # not 0.19999999999999998
    assert net.evaluate([Fraction(1, 3), 1]) == Fraction(2, 3)
    assert net.evaluate([0.1, 0.3]) == Fraction(1, 5)              # floats read as typed
    assert net.evaluate([[1, 1], [3, "-2"]]) == [0, 5]
    big = ReLUNetwork(1, [[[(0, 10**40)]], [[(0, Fraction(1, 10**40))]]], [[-1], [0]])
    assert big.evaluate(["1e-40"]) == 0 and big.evaluate([1]) == 1 - Fraction(1, 10**40)


def test_float_evaluation_matches_exact_and_refuses_when_it_cannot():
    net = abs_diff()
    pts = np.random.default_rng(0).uniform(-1, 1, size=(50, 2))
    exact = [float(v) for v in net.evaluate(pts.tolist())]
    assert np.allclose(net.evaluate(pts, exact=False), exact, rtol=0, atol=1e-15)
    out, err = net.float_forward(pts)
    assert (err >= 0).all() and (np.abs(out[:, 0] - exact) <= err[:, 0]).all()
    # a weight with 200 bits cannot be a double
    big = ReLUNetwork(1, [[[(0, 2**200 + 1)]], [[(0, 1)]]], [[0], [0]])
    assert not big.float_safe()
    with pytest.raises(VCBoundError, match="do not fit in doubles"):
        big.evaluate([1], exact=False)
    # weights fit, but the network amplifies rounding errors by 2^50: refused, not garbage
    amp = ReLUNetwork(1, [[[(0, 2**50)]], [[(0, 1)]]], [[-2**50 // 3], [0]])
    assert amp.float_safe()
    with pytest.raises(VCBoundError, match="lose precision"):
        amp.evaluate(["0.3333333"], exact=False)


def test_save_load_is_lossless(tmp_path):
    net = ReLUNetwork(3, [[[(0, Fraction(-7, 3)), (2, 2**100 + 1)], [(1, 0)]],
                          [[(0, "1/10"), (1, -1)]]], [[Fraction(1, 2**70), 3], [-5]],
                      names=["a", "b"])
    path = tmp_path / "n.json"
    net.save(path)
    data = json.loads(path.read_text())
    assert data["format"] == "vcbound.ReLUNetwork" and "pickle" not in path.read_text()
    back = load_network(path)
    assert back == net and back.names == ["a", "b"]
    assert back.layers[0][0][1][1] == 2**100 + 1 and back.biases[0][0] == Fraction(1, 2**70)
    assert back.weight_slots == 5 and back.nonzero_weights == 4     # 2 + 1 + 2 slots, one 0


def test_load_refuses_other_files(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"format": "something else"}')
    with pytest.raises(VCBoundError, match="not a vcbound network"):
        load_network(p)
    p.write_text("not json")
    with pytest.raises(VCBoundError, match="not JSON"):
        load_network(p)
    with pytest.raises(VCBoundError, match="Cannot read"):
        load_network(tmp_path / "missing.json")


def test_to_numpy_and_display():
    net = abs_diff()
    (W1, b1), (W2, b2) = net.to_numpy()
    assert W1.tolist() == [[1, -1], [-1, 1]] and W2.tolist() == [[1, 1]]
    assert net.to_numpy(dtype="object")[0][0].dtype == object
    assert "nonzero_weights=6" in repr(net) and "layer 2" in net.summary()
    assert "<table>" in net._repr_html_()


def test_bad_construction_arguments():
    with pytest.raises(VCBoundError, match="out of range"):
        ReLUNetwork(1, [[[(1, 1)]]], [[0]])
    with pytest.raises(VCBoundError, match="repeated"):
        ReLUNetwork(1, [[[(0, 1), (0, 2)]]], [[0]])
    with pytest.raises(VCBoundError, match="biases"):
        ReLUNetwork(1, [[[(0, 1)]]], [[0, 1]])
    with pytest.raises(VCBoundTypeError):
        ReLUNetwork(1, [[[(0, True)]]], [[0]])
    with pytest.raises(VCBoundError, match="coordinates"):
        abs_diff().evaluate([1, 2, 3])
