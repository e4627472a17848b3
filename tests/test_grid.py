"""The grid S~ and the construction S_phi, A_phi, B_phi of the proof of Theorem 4.3 (vcbound docs §Construction).

Separation is checked against independent brute force written here (plain Python Fractions over
all pairs), and against the hand argument of vcbound docs §Construction: the l_inf minimum distance between classes is
max(1/K, 2 eps0) whenever two grid neighbours carry different labels.
"""

import itertools
from fractions import Fraction

import numpy as np
import pytest

from vcbound.errors import VCBoundError, VCBoundTypeError
from vcbound.grid import MAX_POINTS, Grid, construction, make_grid


def test_eps_is_read_as_typed():
    # floor(1/(2 * 1/10)) = 5 exactly; the float 0.1 would give 4 (vcbound docs §Construction pitfall)
    g = make_grid(3, eps=0.1)
    assert g.K == 5 and g.eps == Fraction(1, 10) and g.n == 25
    assert make_grid(3, eps="1/7").K == 3       # floor(7/2)
    assert make_grid(2, eps=0.5).K == 1         # one-point grid, allowed


@pytest.mark.parametrize("d, K", [(2, 1), (2, 5), (3, 3), (4, 2), (5, 3), (7, 1)])
def test_points_are_the_lexicographic_grid(d, K):
    g = make_grid(d, K=K)
    expected = list(itertools.product(range(1, K + 1), repeat=d - 1))
    assert g.n == K ** (d - 1) == len(expected)
    assert [tuple(r) for r in g.int_points.tolist()] == expected
    assert g.int_points.dtype == np.int64 and g.points.dtype == np.float64
    assert np.array_equal(g.points, g.int_points / K)
    lifted = g.lifted_points()
    assert lifted.shape == (g.n, d) and np.all(lifted[:, -1] == 0.5)
    exact = g.lifted_points(exact=True)
    assert exact[0, -1] == Fraction(1, 2)
    assert [tuple(r[:-1]) for r in exact.tolist()] == [
        tuple(Fraction(i, K) for i in t) for t in expected]
    assert g.index(g.n - 1) == expected[-1]


@pytest.mark.parametrize("kwargs, match", [
    (dict(d=3), "exactly one"),
    (dict(d=3, K=2, eps=0.1), "exactly one"),
    (dict(d=1, K=2), "'d' must be at least 2"),
    (dict(d=3, K=0), "'K' must be at least 1"),
    (dict(d=3, K=2.5), "'K' must be an integer"),
    (dict(d=3, eps=0.7), "'eps' must be in"),
    (dict(d=3, eps=0), "'eps' must be in"),
    (dict(d=24, K=2), "2\\^22"),
    (dict(d=3, K=2**11 + 1), "2\\^22"),
])
def test_bad_grid_arguments(kwargs, match):
    with pytest.raises(VCBoundError, match=match):
        make_grid(**kwargs)


def test_largest_allowed_grid_is_accepted():
    assert make_grid(2, K=MAX_POINTS).n == MAX_POINTS


def brute_min_distance(points_a, points_b, norm):
    """Plain-Python exact minimum distance (squared for l_2) over all pairs."""
    best = None
    for a in points_a:
        for b in points_b:
            diffs = [abs(x - y) for x, y in zip(a, b)]
            dist = max(diffs) if norm == "inf" else sum(t * t for t in diffs)
            best = dist if best is None or dist < best else best
    return best


@pytest.mark.parametrize("d, K", [(2, 4), (2, 7), (3, 3), (3, 5), (4, 2), (4, 3)])
@pytest.mark.parametrize("seed", range(3))
def test_construction_is_separated_and_separable(d, K, seed):
    g = make_grid(d, K=K)
    rng = np.random.default_rng(seed)
    phi = rng.choice([-1, 1], size=g.n)
    con = construction(g, phi)
    eps = Fraction(1, 2 * K)
    assert 0 < con.eps0 < eps
    pts = [tuple(Fraction(int(i), K) for i in row) for row in g.int_points]
    lifted = [p + (Fraction(1, 2) + con.eps0 * int(s),) for p, s in zip(pts, phi)]
    assert con.S_phi.tolist() == [list(p) for p in lifted]
    A = [p for p, s in zip(lifted, phi) if s == 1]
    B = [p for p, s in zip(lifted, phi) if s == -1]
    assert con.A_phi.tolist() == [list(p) for p in A]
    assert con.B_phi.tolist() == [list(p) for p in B]
    for norm in ("inf", "2"):
        check = con.separation(norm)
        if not A or not B:
            assert check.min_distance is None and check.separated
            continue
        brute = brute_min_distance(A, B, norm)
        if norm == "inf":
            assert check.min_distance == brute
        else:
            assert check.min_distance_sq == brute
        assert check.separated
        assert check.required == 2 * eps
    w, b = con.separating_hyperplane()
    assert w == tuple([0] * (d - 1) + [1]) and b == Fraction(-1, 2)
    for p, s in zip(lifted, phi):
        value = sum(wi * xi for wi, xi in zip(w, p)) + b
        assert (value > 0) == (s == 1) and value != 0


def test_linf_distance_by_hand():
    # d = 2, K = 4: phi alternates, neighbours at distance 1/4 differ: min = max(1/4, 2 eps0)
    g = make_grid(2, K=4)
    con = construction(g, [1, -1, 1, -1], eps0=Fraction(1, 100))
    assert con.separation("inf").min_distance == Fraction(1, 4)
    # l_2: sqrt((1/4)^2 + (2/100)^2)
    assert con.separation("2").min_distance_sq == Fraction(1, 16) + Fraction(4, 10000)
    # eps given: the grid K = floor(1/(2 eps)) = 4 for eps = 0.12, so 2 eps = 0.24 <= 1/4
    con = construction(make_grid(2, eps=0.12), [1, -1, 1, -1])
    assert con.separation("inf").required == Fraction(24, 100)
    assert con.separation("inf").separated


def test_callable_phi_and_constant_phi():
    g = make_grid(3, K=3)
    con = construction(g, lambda idx: 1 if idx[0] <= idx[1] else -1)
    expected = [1 if i <= j else -1 for i, j in itertools.product(range(1, 4), repeat=2)]
    assert con.phi.tolist() == expected
    con = construction(g, np.ones(9, dtype=int))
    assert len(con.B_phi) == 0 and con.separation().separated


def test_eps0_defaults_and_conditions():
    g = make_grid(3, eps=0.1)
    assert construction(g, [1] * 25).eps0 == Fraction(1, 160)            # eps / 16
    assert construction(g, [1] * 25, c=0.5).eps0 == Fraction(1, 40)      # c eps / 2
    assert construction(g, [1] * 25, eps0="0.05").eps0 == Fraction(1, 20)
    with pytest.raises(VCBoundError, match="'eps0' must be in"):
        construction(g, [1] * 25, eps0=0.1)          # not below eps
    with pytest.raises(VCBoundError, match="'eps0' must be in"):
        construction(g, [1] * 25, eps0=0)
    with pytest.raises(VCBoundError, match="below c eps"):
        construction(g, [1] * 25, eps0=0.05, c=0.25)
    with pytest.raises(VCBoundError, match="'c' must be in"):
        construction(g, [1] * 25, c=1.5)


@pytest.mark.parametrize("phi, match", [
    ([1, -1, 1], "length n = 4"),
    ([1, -1, 1, 0], "values in"),
    ([1, -1, 1, 2], "values in"),
    ([True, False, True, True], "values in"),
    ([[1, -1], [1, 1]], "1-D array"),
    (lambda idx: 0, "values in"),
])
def test_bad_phi(phi, match):
    with pytest.raises(VCBoundError, match=match):
        construction(make_grid(3, K=2), phi)


def test_bad_grid_type_and_norm():
    with pytest.raises(VCBoundTypeError, match="'grid' must be a Grid"):
        construction(np.zeros((4, 2)), [1, 1, 1, 1])
    con = construction(make_grid(3, K=2), [1, -1, 1, -1])
    with pytest.raises(VCBoundError, match="'norm' must be one of"):
        con.separation("1")
    assert isinstance(con.grid, Grid)
