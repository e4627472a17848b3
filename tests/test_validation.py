"""Argument checks and CLI parsing helpers: every bad input gets a clear, typed error."""

import math
from fractions import Fraction

import pytest

from vcbound._validation import check_alpha, check_eps, check_integer, to_rational
from vcbound.cli._common import parse_int_range, parse_rational_list
from vcbound.errors import NoBoundError, VCBoundError, VCBoundTypeError


def test_decimal_is_taken_as_typed():
    # floor(1/(2*0.1)) must be 5: the float 0.1 is slightly above 1/10 (vcbound docs §Construction pitfall)
    eps = to_rational("eps", 0.1)
    assert eps == Fraction(1, 10)
    assert math.floor(1 / (2 * eps)) == 5
    assert to_rational("eps", "1e-6") == Fraction(1, 10**6)


@pytest.mark.parametrize("bad", [0, -0.1, 0.7, "0.5000001", float("nan"), float("inf")])
def test_eps_out_of_range(bad):
    with pytest.raises(VCBoundError, match="'eps'"):
        check_eps(bad)


def test_eps_message_style():
    with pytest.raises(VCBoundError) as info:
        check_eps(0.7)
    assert str(info.value) == "Argument 'eps' must be in (0, 1/2], not 0.7."
    assert check_eps("0.5") == Fraction(1, 2)


@pytest.mark.parametrize("bad", [0.5, "1/2", 0.7, 1])
def test_alpha_at_least_half_says_no_bound(bad):
    # a constant classifier is correct on half of every labelling: nothing can be ruled out
    with pytest.raises(NoBoundError, match="constant classifier"):
        check_alpha(bad)


@pytest.mark.parametrize("ok", [0.25, "0.3", "0.49", "499/1000"])
def test_alpha_between_quarter_and_half_accepted(ok):
    assert check_alpha(ok) == Fraction(str(ok))


@pytest.mark.parametrize("bad", [0, -0.01, float("nan")])
def test_alpha_nonpositive(bad):
    with pytest.raises(VCBoundError, match="'alpha'"):
        check_alpha(bad)


def test_integer_checks():
    assert check_integer("d", 3.0) == 3
    with pytest.raises(VCBoundError, match="integer"):
        check_integer("d", 2.5)
    with pytest.raises(VCBoundTypeError):
        check_integer("d", True)
    with pytest.raises(VCBoundTypeError):
        check_integer("d", "3")
    with pytest.raises(VCBoundError, match="at least 2"):
        check_integer("d", 1, minimum=2)
    with pytest.raises(VCBoundError, match="finite"):
        check_integer("d", float("inf"))


def test_ranges():
    assert parse_int_range("d", "2:4") == [2, 3, 4]
    assert parse_int_range("d", "1:9:4") == [1, 5, 9]
    assert parse_int_range("d", "3,5,7") == [3, 5, 7]
    for bad in ("2:", "a:b", "5:2", "1:5:0", "1:2:3:4", "1,,2", "2.5:4"):
        with pytest.raises(VCBoundError, match="'d'"):
            parse_int_range("d", bad)
    assert parse_rational_list("eps", "0.25,0.1") == [Fraction(1, 4), Fraction(1, 10)]
    with pytest.raises(VCBoundError):
        parse_rational_list("eps", "0.1,x")
