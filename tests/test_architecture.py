"""Architecture: counts W, L, U, W_i (both conventions), Lbar, R, p, deg; validation; immutability.

Every expected count below is derived by hand in the comment next to it (notation of vcbound docs §Capacity bounds).
"""

import math
import pickle
from fractions import Fraction

import pytest

from vcbound.architecture import SYMBOLS, Architecture
from vcbound.errors import VCBoundError, VCBoundTypeError


def test_relu_test_vector_counts():
    # vcbound docs §Capacity bounds test vector, ReLU [2, 10, 10, 1]:
    #   parameters into layer 1: (2 + 1) * 10 = 30; layer 2: (10 + 1) * 10 = 110;
    #   layer 3: (10 + 1) * 1 = 11  -> W = 151; cumulative W_i = [30, 140, 151], sum = 321.
    #   L = 3, U = 10 + 10 + 1 = 21.
    #   R = sum k_i (1 + (i-1) 1^(i-1)) = 10*1 + 10*2 + 1*3 = 33.
    a = Architecture([2, 10, 10, 1])
    assert (a.W, a.L, a.U) == (151, 3, 21)
    assert a.W_per_layer == [30, 110, 11]
    assert a.W_cumulative == [30, 140, 151]
    assert a.W_i == [30, 140, 151] and a.W_i_convention == "cumulative"
    assert a.sum_W_i == 321
    assert a.Lbar == Fraction(321, 151)
    assert a.R == 33
    assert (a.p, a.deg, a.pieces) == (1, 1, 2)
    assert a.k == [10, 10, 1] and a.d0 == 2


def test_second_vector_by_hand():
    # ReLU [3, 5, 1]: layer 1 (3+1)*5 = 20, layer 2 (5+1)*1 = 6 -> W = 26; cumulative [20, 26];
    # L = 2, U = 6; R = 5*1 + 1*(1 + 1*1) = 7; Lbar = 46/26 = 23/13.
    a = Architecture([3, 5, 1])
    assert (a.W, a.L, a.U, a.R) == (26, 2, 6, 7)
    assert a.W_i == [20, 26] and a.Lbar == Fraction(23, 13)


def test_threshold_uses_per_layer_convention():
    # degree 0: W_i = parameters into layer i only, so sum W_i = W and Lbar = 1;
    # R = sum k_i (1 + (i-1) * 0^(i-1)) = U (the i = 1 term is 1 + 0 * 0^0 = 1).
    a = Architecture([2, 10, 10, 1], "threshold")
    assert a.W_i == [30, 110, 11] and a.W_i_convention == "per-layer"
    assert a.Lbar == 1 and a.R == a.U == 21
    assert (a.p, a.deg) == (1, 0)


def test_piecewise_degree_two():
    # [3, 4, 4, 1], 3 pieces (p = 2), degree 2: layer factors 1 + (i-1) 2^(i-1) = 1, 3, 9
    # R = 4*1 + 4*3 + 1*9 = 25; W per layer 16, 20, 5 -> cumulative 16, 36, 41.
    a = Architecture([3, 4, 4, 1], "piecewise", pieces=3, degree=2)
    assert a.layer_factors() == [1, 3, 9]
    assert a.R == 25 and a.p == 2
    assert a.W_cumulative == [16, 36, 41] and a.W == 41
    assert a.W_i == a.W_cumulative


def test_sigmoid_has_no_bhlm_quantities():
    a = Architecture([2, 3, 1], "sigmoid")
    assert (a.W, a.L, a.U) == (13, 2, 4)  # (2+1)*3 + (3+1)*1 = 13
    assert a.W_i is None and a.Lbar is None and a.R is None and a.p is None and a.deg is None
    assert not a.is_piecewise_polynomial


def test_value_semantics_and_immutability():
    a = Architecture([2, 10, 1])
    b = Architecture((2, 10, 1), "RELU")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Architecture([2, 10, 1], "threshold")
    with pytest.raises(AttributeError):
        a.widths = (1, 1)
    assert pickle.loads(pickle.dumps(a)) == a
    p = Architecture([2, 3, 1], "piecewise", pieces=4, degree=3)
    assert pickle.loads(pickle.dumps(p)) == p
    assert eval(repr(p)) == p


def test_symbols_and_rendering():
    a = Architecture([2, 10, 10, 1])
    vals = a.symbol_values()
    assert vals[SYMBOLS.W] == 151 and vals[SYMBOLS.R] == 33
    text = str(a)
    assert "151" in text and "cumulative" in text
    assert a._repr_latex_().startswith("$") and r"\bar L" in a._repr_latex_()
    assert a.to_dict()["W"] == 151


@pytest.mark.parametrize("widths, match", [
    ([], "non-empty"),
    ([3], "at least 2 entries"),
    ([2, 0, 1], "widths"),
    ([2, -3, 1], "widths"),
    ([2, 10, 3], "end in 1"),
    ([2, 2.5, 1], "integer"),
    ([2, float("nan"), 1], "finite"),
    ([2, float("inf"), 1], "finite"),
])
def test_bad_widths(widths, match):
    with pytest.raises(VCBoundError, match=match) as info:
        Architecture(widths)
    assert "'widths" in str(info.value)


@pytest.mark.parametrize("widths", ["2,10,1", 5, None, [2, "10", 1], [2, True, 1]])
def test_widths_wrong_type(widths):
    with pytest.raises(VCBoundTypeError):
        Architecture(widths)


def test_bad_activation_and_pieces():
    with pytest.raises(VCBoundError, match="'activation'.*'tanh'"):
        Architecture([2, 3, 1], "tanh")
    with pytest.raises(VCBoundError, match="needs pieces and degree"):
        Architecture([2, 3, 1], "piecewise")
    with pytest.raises(VCBoundError, match="needs degree"):
        Architecture([2, 3, 1], "piecewise", pieces=3)
    with pytest.raises(VCBoundError, match="'pieces'"):
        Architecture([2, 3, 1], "piecewise", pieces=1, degree=1)
    with pytest.raises(VCBoundError, match="'degree'"):
        Architecture([2, 3, 1], "piecewise", pieces=2, degree=-1)
    with pytest.raises(VCBoundError, match="contradicts"):
        Architecture([2, 3, 1], "relu", pieces=3)
    with pytest.raises(VCBoundError, match="contradicts"):
        Architecture([2, 3, 1], "sigmoid", degree=1)
    # consistent redundant values are accepted
    assert Architecture([2, 3, 1], "relu", pieces=2, degree=1) == Architecture([2, 3, 1])


def test_lbar_between_one_and_L():
    # Lbar = (1/W) sum W_i with W_i <= W, and W_L = W (cumulative), so 1 <= Lbar <= L
    for widths in ([2, 1], [5, 7, 3, 1], [1, 1, 1, 1, 1]):
        a = Architecture(widths)
        assert 1 <= a.Lbar <= a.L
        assert math.isclose(float(a.Lbar) * a.W, a.sum_W_i)
