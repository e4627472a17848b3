"""Exact one-neuron dichotomy counts (vcbound.exact).

Expected values come from published tables (vcbound docs §One-neuron counts; OEIS A000609 for cubes, OEIS A114146
and Alekseyev's closed formula for K x K grids), from closed formulas for general-position and
collinear sets, or from a second, independent method (LP brute force one labelling at a time;
Zaslavsky's sum over flats against deletion–restriction).
"""

import itertools
import re
import math
from fractions import Fraction

import numpy as np
import pytest

from vcbound.errors import VCBoundError, VCBoundTypeError
from vcbound.exact import count_linear_dichotomies, exact_count, integer_points
from vcbound.grid import make_grid


def cube(k):
    return list(itertools.product([0, 1], repeat=k))


# OEIS A000609, number of threshold functions of k variables = linear dichotomies of {0,1}^k:
# 2, 4, 14, 104, 1882, 94572, 15028134, ... (offset 0). vcbound docs §One-neuron counts quotes 104 and 1882.
A000609 = {1: 4, 2: 14, 3: 104, 4: 1882, 5: 94572, 6: 15028134, 7: 8378070864}

# OEIS A114146, "number of threshold functions on n X n grid" (= linear dichotomies), offset 0:
# 1, 2, 14, 58, 174, 402, 838, 1498, 2566, 4082, 6214, 8986, 12790, 17490, 23646, 31114, 40150.
# vcbound docs §One-neuron counts quotes 14 (2x2) and 58 (3x3).
A114146 = [1, 2, 14, 58, 174, 402, 838, 1498, 2566, 4082, 6214, 8986, 12790, 17490, 23646,
           31114, 40150]


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_cube_matches_oeis_a000609(k):
    assert count_linear_dichotomies(cube(k)) == A000609[k]


def test_six_cube_matches_oeis_a000609():
    # default method: deletion-restriction merged up to the hyperoctahedral group B_6
    res = exact_count(cube(6))
    assert res.count == A000609[6] and res.method == "orbits" and res.group_order == 2**6 * 720


@pytest.mark.slow
def test_six_cube_incremental_matches_oeis_a000609():
    assert count_linear_dichotomies(cube(6), method="incremental") == A000609[6]


def test_seven_cube_matches_oeis_a000609():
    # 8378070864 (Muroga, Toda, Kondo 1962; OEIS A000609); about 5 s on the 2-vCPU machine
    res = exact_count(cube(7))
    assert res.count == A000609[7] and res.group_order == 2**7 * 5040


@pytest.mark.parametrize("k", [3, 4, 5])
def test_orbits_without_symmetry_match_oeis(k):
    res = exact_count(cube(k), method="orbits", symmetry="none")
    assert res.count == A000609[k] and res.group_order == 1


@pytest.mark.parametrize("k", [2, 3, 4])
def test_cube_flats_method_matches_oeis(k):
    assert count_linear_dichotomies(cube(k), method="flats") == A000609[k]


@pytest.mark.parametrize("K", range(1, 17))
def test_square_grid_matches_oeis_a114146(K):
    # S~ for d = 3 is the K x K grid (an affine image of {1..K}^2)
    assert count_linear_dichotomies(make_grid(3, K=K)) == A114146[K]


def alekseyev_square(K):
    """2 * A114043(K): a(n+1) = 2 (n^2 + n + V(n, n)) + 1 with
    V(n, n) = sum_{1<=i,j<=n, gcd(i,j)=1} (n+1-i)(n+1-j) (Alekseyev, arXiv:math/0602511,
    quoted in OEIS A114043); the ordered count is twice the number of cuts a(K)."""
    n = K - 1
    V = sum((n + 1 - i) * (n + 1 - j) for i in range(1, n + 1) for j in range(1, n + 1)
            if math.gcd(i, j) == 1)
    return 2 * (2 * (n * n + n + V) + 1)


@pytest.mark.parametrize("K", [2, 3, 17, 25, 40])
def test_square_grid_matches_alekseyev_formula(K):
    assert count_linear_dichotomies(make_grid(3, K=K)) == alekseyev_square(K)


@pytest.mark.parametrize("d, expected", [(2, 4), (3, 14), (4, 104), (5, 1882), (6, 94572)])
def test_grid_with_K2_is_the_cube(d, expected):
    # vcbound docs §One-neuron counts: counts are affine invariant, so S~ with K = 2 is {0,1}^(d-1)
    assert count_linear_dichotomies(make_grid(d, K=2)) == expected


@pytest.mark.parametrize("n", range(1, 12))
def test_general_position_plane(n):
    # points on the parabola (t, t^2): no three collinear; count n^2 - n + 2 (vcbound docs §One-neuron counts)
    pts = [(t, t * t) for t in range(n)]
    assert count_linear_dichotomies(pts) == n * n - n + 2
    assert count_linear_dichotomies(pts, method="incremental") == n * n - n + 2


@pytest.mark.parametrize("n", [1, 2, 5, 30])
@pytest.mark.parametrize("m", [1, 2, 4])
def test_collinear_points(n, m):
    # n distinct collinear points: 2n (vcbound docs §One-neuron counts), in any ambient dimension
    direction = np.arange(1, m + 1)
    pts = np.array([t * direction + 7 for t in range(n)])
    assert count_linear_dichotomies(pts) == 2 * n


def test_general_position_in_space_is_cover():
    # n points in general position in R^m: C(n, m) = 2 sum_{k<=m} C(n-1, k) (Cover 1965);
    # the moment curve (t, t^2, t^3) is in general position.
    for n in range(1, 10):
        pts = [(t, t * t, t ** 3) for t in range(n)]
        cover = 2 * sum(math.comb(n - 1, k) for k in range(4))
        assert count_linear_dichotomies(pts) == cover
        assert count_linear_dichotomies(pts, method="flats") == cover


def test_lp_brute_force_on_published_values():
    assert count_linear_dichotomies(cube(3), method="lp") == 104
    assert count_linear_dichotomies(make_grid(3, K=3), method="lp") == 58


SMALL_SETS = [
    # integer coordinates in a small box: many collinearities and coplanarities
    np.random.default_rng(seed).integers(0, 3, size=(n, m))
    for seed, (n, m) in enumerate([(6, 2), (7, 2), (8, 2), (6, 3), (7, 3), (8, 3), (8, 3),
                                   (7, 4), (8, 4), (9, 3)])
]


@pytest.mark.parametrize("pts", SMALL_SETS)
def test_methods_agree_with_lp_brute_force(pts):
    lp = count_linear_dichotomies(pts, method="lp")
    assert count_linear_dichotomies(pts, method="incremental") == lp
    assert count_linear_dichotomies(pts, method="flats") == lp
    assert count_linear_dichotomies(pts, method="orbits", symmetry="none") == lp
    assert count_linear_dichotomies(pts) == lp


# every grid and point set of the tests above: the orbit-weighted sum equals the plain sums
ORBIT_SETS = ([np.array(cube(k)) for k in range(1, 6)]
              + [make_grid(d, K=K).int_points for d, K in [(3, 2), (3, 5), (3, 9), (4, 3),
                                                         (4, 4), (4, 5), (5, 3), (6, 2)]]
              + [np.array(list(itertools.product([0, 1, 2], [0, 1], [0, 1]))),
                 np.array(list(itertools.product(range(4), range(3), range(3)))),
                 np.array([(t, t * t, t ** 3) for t in range(9)])]
              + SMALL_SETS)


@pytest.mark.parametrize("pts", ORBIT_SETS, ids=lambda p: f"{len(p)}x{np.shape(p)[1]}")
def test_orbit_sums_equal_plain_sums(pts):
    plain = count_linear_dichotomies(pts, method="incremental")
    assert count_linear_dichotomies(pts, method="orbits", symmetry="none") == plain
    assert count_linear_dichotomies(pts, method="orbits", symmetry="auto") == plain


@pytest.mark.parametrize("pts", ORBIT_SETS, ids=lambda p: f"{len(p)}x{np.shape(p)[1]}")
def test_compiled_incremental_equals_the_numpy_implementation(pts):
    # two implementations of deletion-restriction: the compiled kernels (int64, rank <= 5) and
    # the numpy code with exact projections; neither shares code with 'orbits'
    from vcbound.exact import _lifted_configuration, _regions_incremental

    V, _ = _lifted_configuration(integer_points(pts))
    assert _regions_incremental(V) == _regions_incremental(V, compiled=False)


def test_compiled_incremental_falls_back_beyond_int64_bounds():
    # points whose quotients leave 2^31: the kernels refuse them and the numpy code with Python
    # integers counts them; 12 points in general position in R^3 (moment curve with large t):
    # Cover's count 2 sum_{i<4} C(11, i) = 2 (1 + 11 + 55 + 165) = 464
    from vcbound._engine._incremental import regions
    from vcbound.exact import _lifted_configuration

    pts = [(t, t * t, t ** 3) for t in (1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049, 1051,
                                        1061, 1063, 2003)]
    V, _ = _lifted_configuration(integer_points(pts))
    assert regions(V) is None
    assert count_linear_dichotomies(pts, method="incremental") == 464


def test_box_groups_have_the_expected_orders():
    # hyperoctahedral B_m (2^m m!) for cubes; reflections x permutations of equal axes otherwise
    assert exact_count(cube(4)).group_order == 2**4 * 24
    assert exact_count(make_grid(4, K=5)).group_order == 2**3 * 6
    box = list(itertools.product(range(4), range(3), range(3)))
    assert exact_count(box).group_order == 2**3 * 2
    # not a box (a point removed): trivial group, same count as the plain sum
    holed = cube(4)[1:]
    res = exact_count(holed)
    assert res.group_order == 1
    assert res.count == count_linear_dichotomies(holed, method="incremental")
    # unevenly spaced axis {0, 1, 3}: its reflection is not affine, so only the others count
    uneven = list(itertools.product([0, 1, 3], [0, 1], [0, 1]))
    res = exact_count(uneven)
    assert res.group_order == 2 * 2 * 2
    assert res.count == count_linear_dichotomies(uneven, method="lp")


def test_user_given_symmetry():
    pts = cube(4)
    index = {p: i for i, p in enumerate(pts)}
    swap = [index[(p[1], p[0], p[2], p[3])] for p in pts]          # swap two coordinates
    cycle = [index[(p[1], p[2], p[3], p[0])] for p in pts]         # cycle all four
    flip = [index[(1 - p[0], p[1], p[2], p[3])] for p in pts]      # reflect one axis
    res = exact_count(pts, method="orbits", symmetry=[swap, cycle, flip])
    assert res.count == A000609[4] and res.group_order == 384
    bad = list(range(16))
    bad[0], bad[1] = 1, 0            # swaps two vertices only: not affine
    with pytest.raises(VCBoundError, match="not induced by an affine map"):
        exact_count(pts, method="orbits", symmetry=[bad])
    with pytest.raises(VCBoundError, match="not a permutation"):
        exact_count(pts, method="orbits", symmetry=[[0] * 16])
    with pytest.raises(VCBoundError, match="'symmetry' must be"):
        exact_count(pts, method="orbits", symmetry=[[0, 1]])
    with pytest.raises(VCBoundError, match="'symmetry' must be one of"):
        exact_count(pts, symmetry="full")


# 3-D grids K x K x K: no published table (OEIS A114043's comment asks for one); 2702 and 35516
# are cross-checked in the project's specification, the rest by the flats method here.
CUBIC_GRIDS = {2: 104, 3: 2702, 4: 35516}


@pytest.mark.parametrize("K", [2, 3, 4])
def test_cubic_grids(K):
    assert count_linear_dichotomies(make_grid(4, K=K)) == CUBIC_GRIDS[K]


@pytest.mark.slow
def test_cubic_grid_5_by_flats():
    g = make_grid(4, K=5)
    assert count_linear_dichotomies(g) == count_linear_dichotomies(g, method="flats")


def test_box_2x2x3_against_lp():
    pts = list(itertools.product([0, 1, 2], [0, 1], [0, 1]))
    assert count_linear_dichotomies(pts) == count_linear_dichotomies(pts, method="lp")


@pytest.mark.parametrize("K", [3, 4])
def test_3d_grid_two_methods(K):
    g = make_grid(4, K=K)
    assert count_linear_dichotomies(g) == count_linear_dichotomies(g, method="flats")


@pytest.mark.parametrize("K", [3, 4, pytest.param(5, marks=pytest.mark.slow)])
def test_4d_grid_two_methods(K):
    # the rows of the docs' 4-D table: orbits up to the box group against the compiled plain
    # deletion-restriction (independent code; K = 5 takes about two minutes)
    g = make_grid(5, K=K)
    assert exact_count(g).count == exact_count(g, method="incremental").count


@pytest.mark.slow
def test_5cube_flats_matches_incremental():
    assert count_linear_dichotomies(cube(5), method="flats") == A000609[5]


@pytest.mark.parametrize("seed", range(8))
def test_count_is_even_and_affine_invariant(seed):
    rng = np.random.default_rng(100 + seed)
    m = int(rng.integers(2, 4))
    pts = rng.integers(-2, 3, size=(int(rng.integers(5, 12)), m))
    base = count_linear_dichotomies(pts)
    assert base % 2 == 0  # complement closure
    # an invertible rational affine map
    while True:
        A = rng.integers(-3, 4, size=(m, m))
        if round(np.linalg.det(A)) != 0:
            break
    shift = rng.integers(-5, 6, size=m)
    moved = [[Fraction(int(v), 7) for v in row] for row in pts @ A.T + shift]
    assert count_linear_dichotomies(moved) == base
    assert count_linear_dichotomies(pts * 1000 - 17) == base


def test_grid_coordinates_floats_fractions_and_lift_agree():
    g = make_grid(4, K=3)
    expected = count_linear_dichotomies(g)
    assert count_linear_dichotomies(g.points) == expected           # floats i/K
    assert count_linear_dichotomies(g.lifted_points()) == expected  # constant last coordinate
    assert count_linear_dichotomies(g.lifted_points(exact=True)) == expected
    assert count_linear_dichotomies(g.int_points) == expected


def test_float_thirds_are_read_exactly():
    # (1/3, 1/3), (2/3, 2/3), (1, 1) are collinear; read exactly, 3 collinear points give 6
    pts = np.array([[1, 1], [2, 2], [3, 3]]) / 3.0
    assert count_linear_dichotomies(pts) == 6


def test_duplicates_count_once():
    assert count_linear_dichotomies([[0, 0], [1, 0], [0, 0], [1, 0]]) == 4
    assert exact_count([[0, 0], [1, 0], [0, 0]]).n == 2


def test_large_coordinates_use_exact_integers():
    big = 10**30
    pts = [[0, 0], [big, 1], [2 * big, 2], [0, 1]]   # first three collinear
    # planar formula by hand: lines {0,1,2}, {0,3}, {1,3}, {2,3}: 2 + 2 (2 + 1 + 1 + 1) = 12
    assert count_linear_dichotomies(pts) == 12
    assert count_linear_dichotomies(pts, method="flats") == 12


def test_exact_count_result():
    res = exact_count(make_grid(4, K=2))
    assert res.count == 104 and res.n == 8 and res.m == 3 and res.rank == 4
    assert res.method == "orbits" and res.group_order == 48 and res.nodes > 0
    assert res.to_dict()["count"] == 104
    assert "104" in str(res)


def test_integer_points_reduces_affinely():
    assert integer_points([[0.5, 2], [1.5, 4]]).tolist() == [[0, 0], [1, 1]]


@pytest.mark.parametrize("bad, exc, match", [
    ([], VCBoundError, "2-D"),
    (np.zeros((0, 2)), VCBoundError, "at least one point"),
    (np.zeros((3, 0)), VCBoundError, "at least one coordinate"),
    ([1, 2, 3], VCBoundError, r"shape \(n, 1\)"),
    (np.zeros((2, 2, 2)), VCBoundError, "2-D"),
    ([[0, 0], [1, float("nan")]], VCBoundError, "finite"),
    ([[0, 0], [1, float("inf")]], VCBoundError, "finite"),
    ([[0, "a"]], VCBoundTypeError, "real"),
    ([[True, False]], VCBoundTypeError, "real"),
    ([[0, 1], [2]], VCBoundError, "rectangular|2-D"),
    ("points", VCBoundTypeError, "shape"),
])
def test_bad_points(bad, exc, match):
    with pytest.raises(exc, match=match):
        count_linear_dichotomies(bad)


def test_bad_method():
    with pytest.raises(VCBoundError, match="'method' must be one of"):
        count_linear_dichotomies(cube(2), method="magic")
    with pytest.raises(VCBoundError, match="at most a plane"):
        count_linear_dichotomies(cube(3), method="planar")
    with pytest.raises(VCBoundError, match="at most 16"):
        count_linear_dichotomies(cube(5), method="lp")
    with pytest.raises(VCBoundError, match="floating-point LPs"):
        count_linear_dichotomies([[0, 0], [10**9, 1], [1, 2]], method="lp")


# ------------------------------------------------------------------------------------------
# command line: python -m vcbound exact


def run_cli(capsys, *argv):
    from vcbound.cli import main
    status = main(["exact", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_grid_json(capsys):
    import json
    status, out, _ = run_cli(capsys, "--d", "3", "--K", "4", "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert data["count"] == A114146[4] and data["n"] == 16 and data["d"] == 3 and data["K"] == 4
    assert data["method"] == "planar" and data["seconds"] >= 0
    # eps = 0.25 -> K = floor(1/(2 * 1/4)) = 2: the cube {0,1}^3 for d = 4
    status, out, _ = run_cli(capsys, "--d", "4", "--eps", "0.25", "--format", "json")
    assert json.loads(out)["count"] == A000609[3]


def test_cli_text_and_points_file(capsys, tmp_path):
    path = tmp_path / "cube.npy"
    np.save(path, np.array(cube(4)))
    status, out, _ = run_cli(capsys, "--points", str(path), "--method", "flats")
    assert status == 0 and "1882" in out and "flats" in out


@pytest.mark.parametrize("content, match", [
    (None, "no such file"),
    (b"garbage bytes", "not a .npy file"),
    ("truncated", "cannot read"),
    ("object", "cannot read"),
    ("npz", "npz archive"),
    ("flat", r"shape \(4,\)"),
])
def test_cli_bad_points_file(capsys, tmp_path, content, match):
    path = tmp_path / "points.npy"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "truncated":
        np.save(path, np.zeros((50, 3)))
        path.write_bytes(path.read_bytes()[:100])
    elif content == "object":
        np.save(path, np.array([[1, "a"]], dtype=object), allow_pickle=True)
    elif content == "npz":
        np.savez(tmp_path / "p.npz", a=np.zeros((2, 2)))
        path = tmp_path / "p.npz"
    elif content == "flat":
        np.save(path, np.arange(4))
    status, out, err = run_cli(capsys, "--points", str(path))
    assert status == 2 and out == ""
    assert re.search(match, err) and err.count("\n") == 1


@pytest.mark.parametrize("argv, match", [
    (["--d", "3"], "exactly one of 'K' and 'eps'"),
    (["--K", "3"], "Give --d"),
    (["--d", "3", "--K", "2", "--method", "x"], "'method' must be one of"),
    (["--d", "1", "--K", "2"], "'d' must be at least 2"),
    (["--d", "3", "--K", "2", "--points", "x.npy"], "either --points or a grid"),
])
def test_cli_bad_arguments(capsys, argv, match):
    status, _, err = run_cli(capsys, *argv)
    assert status == 2 and re.search(match, err)


def test_cli_grid_ranges_csv(capsys):
    # --d 4 is the paper's d: S~ is the 3-D grid K x K x K; values from the cubic-grid table
    import csv
    import io
    status, out, _ = run_cli(capsys, "--d", "4", "--K", "2:4", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [(int(r["K"]), int(r["n"]), int(r["count"])) for r in rows] == [
        (2, 8, 104), (3, 27, 2702), (4, 64, 35516)]
    assert all(r["method"] == "orbits" and r["group_order"] == "48" for r in rows)


def test_cli_check_with_second_method(capsys):
    status, out, _ = run_cli(capsys, "--d", "3:5", "--K", "2", "--check", "incremental")
    assert status == 0
    assert all(str(A000609[k]) in out for k in (2, 3, 4)) and "= incremental" in out
    status, out, _ = run_cli(capsys, "--d", "5", "--K", "2", "--symmetry", "none",
                             "--format", "json")
    import json
    data = json.loads(out)
    assert data["count"] == A000609[4] and data["group_order"] == 1


def test_cli_check_mismatch_is_an_error(capsys, monkeypatch):
    import vcbound.exact as ex
    real = ex._regions_incremental
    monkeypatch.setattr(ex, "_regions_incremental", lambda V: real(V) + 2)
    status, _, err = run_cli(capsys, "--d", "4", "--K", "2", "--check", "incremental")
    assert status == 2 and "--check" in err and "orbits' 104" in err


def test_orbits_fall_back_to_python_integers_on_large_coordinates():
    # reduced coordinates up to 10^6 exceed the orbit kernel's int64 bound (2^16 per entry):
    # the count comes from exact Python integers instead, checked against the LP brute force
    pts = [[0, 0, 0], [10**6, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1], [2, 3, 5], [7, 1, 2]]
    res = exact_count(pts)
    assert res.method == "orbits" and res.nodes is None
    assert res.count == count_linear_dichotomies(pts, method="lp")
