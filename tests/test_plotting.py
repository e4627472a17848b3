"""Plotting helpers: each figure carries the artists its data demands, bad input fails early.

Expected values are worked out by hand in the comments (or computed independently of the plotting
code), never read back from the plotting code itself.
"""

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from vcbound import plotting  # noqa: E402
from vcbound.errors import VCBoundError, VCBoundTypeError  # noqa: E402
from vcbound.grid import construction, make_grid  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _offsets(collection):
    return np.asarray(collection.get_offsets(), dtype=float)


# --------------------------------------------------------------------------------------------
# import hygiene
# --------------------------------------------------------------------------------------------
def test_import_vcbound_does_not_import_matplotlib():
    code = ("import sys, vcbound, vcbound.plotting, vcbound.grid; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_matplotlib_gives_a_vcbound_error(monkeypatch):
    # a None entry in sys.modules makes `import matplotlib.pyplot` raise ImportError
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    con = construction(make_grid(2, K=3), [1, -1, 1])
    with pytest.raises(VCBoundError, match=r"vcbound\[plot\]"):
        plotting.plot_construction(con)


# --------------------------------------------------------------------------------------------
# the construction (Figure 1 of the paper)
# --------------------------------------------------------------------------------------------
PHI5 = [1, -1, -1, 1, -1]  # d = 2, eps = 1/10 -> K = 5 points at x = 1/5 .. 5/5


def test_construction_2d_points_heights_and_balls():
    con = construction(make_grid(2, eps=0.1), PHI5, eps0=Fraction(1, 40))
    ax = plotting.plot_construction(con, c=Fraction(1, 2))
    grid_pts, a_pts, b_pts = (_offsets(c) for c in ax.collections)
    # by hand: grid at x = 0.2, 0.4, ..., 1.0, all at height 1/2
    np.testing.assert_allclose(grid_pts, [[0.2 * i, 0.5] for i in range(1, 6)])
    # phi = +1 at i = 1, 4 -> A at height 1/2 + 1/40 = 0.525; B at i = 2, 3, 5, height 0.475
    np.testing.assert_allclose(a_pts, [[0.2, 0.525], [0.8, 0.525]])
    np.testing.assert_allclose(b_pts, [[0.4, 0.475], [0.6, 0.475], [1.0, 0.475]])
    # one l_inf ball (square) per point, side 2 c eps = 2 * 1/2 * 1/10 = 0.1, centred on the point
    assert len(ax.patches) == 5
    for i, patch in enumerate(ax.patches, start=1):
        assert patch.get_width() == pytest.approx(0.1)
        assert patch.get_height() == pytest.approx(0.1)
        assert patch.get_x() + 0.05 == pytest.approx(0.2 * i)
        assert patch.get_y() + 0.05 == pytest.approx(0.5 + PHI5[i - 1] / 40)
    # the hyperplane x_2 = 1/2 is a horizontal line at 0.5
    hyper = [ln for ln in ax.lines if "hyperplane" in ln.get_label()]
    assert len(hyper) == 1 and list(hyper[0].get_ydata()) == [0.5, 0.5]
    # the title reports the separation check: min l_inf distance between classes is 1/K = 1/5
    assert "1/5" in ax.get_title() and "NOT" not in ax.get_title()


def test_construction_2d_l2_balls_are_circles():
    con = construction(make_grid(2, K=4), [1, 1, -1, 1], eps0=Fraction(1, 32))
    ax = plotting.plot_construction(con, c=1, norm="2")
    assert len(ax.patches) == 4
    # grid eps = 1/(2K) = 1/8, c = 1 -> radius 1/8
    assert all(p.get_radius() == pytest.approx(1 / 8) for p in ax.patches)
    # closest pair of different classes: (2/4, 1/2 + 1/32) and (3/4, 1/2 - 1/32):
    # sqrt((1/4)^2 + (1/16)^2) = sqrt(17)/16 = 0.2577
    assert "0.2577" in ax.get_title()


def test_construction_heatmap_places_phi_on_its_cell():
    grid = make_grid(3, K=4)
    con = construction(grid, lambda i: 1 if i[0] > i[1] else -1)
    ax = plotting.plot_construction(con)
    mesh = ax.collections[0]
    cells = np.asarray(mesh.get_array()).reshape(4, 4)
    # row = i_2 - 1, column = i_1 - 1 (x_1 horizontal, x_2 vertical)
    for i1 in range(1, 5):
        for i2 in range(1, 5):
            assert cells[i2 - 1, i1 - 1] == (1 if i1 > i2 else -1)


def test_construction_scatter3d_draws_every_point():
    grid = make_grid(3, K=3)
    phi = [1, -1, 1, 1, 1, -1, -1, -1, 1]
    con = construction(grid, phi, eps0=Fraction(1, 60))
    ax = plotting.plot_construction(con, kind="scatter3d")
    sizes = [len(c._offsets3d[0]) for c in ax.collections if hasattr(c, "_offsets3d")]
    assert sizes == [5, 4]  # five +1 labels, four -1 labels: n = 9 = K^2
    z = np.concatenate([np.asarray(c._offsets3d[2]) for c in ax.collections
                        if hasattr(c, "_offsets3d")])
    np.testing.assert_allclose(sorted(z), [0.5 - 1 / 60] * 4 + [0.5 + 1 / 60] * 5)


def test_construction_into_given_axes():
    fig, ax = plt.subplots()
    con = construction(make_grid(2, K=3), [1, -1, 1])
    assert plotting.plot_construction(con, ax=ax) is ax


@pytest.mark.parametrize("kwargs, match", [
    ({"c": 0}, "'c'"), ({"c": 1.5}, "'c'"), ({"norm": "1"}, "'norm'"),
    ({"kind": "heatmap"}, "'kind'"), ({"kind": "pie"}, "'kind'"),
])
def test_construction_bad_arguments(kwargs, match):
    con = construction(make_grid(2, K=3), [1, -1, 1])
    with pytest.raises(VCBoundError, match=match):
        plotting.plot_construction(con, **kwargs)


def test_construction_refuses_d4_and_non_constructions():
    con = construction(make_grid(4, K=2), [1, -1] * 4)
    with pytest.raises(VCBoundError, match="d = 4"):
        plotting.plot_construction(con)
    with pytest.raises(VCBoundTypeError, match="'con'"):
        plotting.plot_construction(make_grid(2, K=3))
    con2 = construction(make_grid(2, K=3), [1, -1, 1])
    with pytest.raises(VCBoundTypeError, match="'ax'"):
        plotting.plot_construction(con2, ax="axes")
    fig, ax2d = plt.subplots()
    con3 = construction(make_grid(3, K=2), [1, -1, 1, 1])
    with pytest.raises(VCBoundError, match="3-D"):
        plotting.plot_construction(con3, kind="scatter3d", ax=ax2d)


# --------------------------------------------------------------------------------------------
# exponential separation: Theorem 2.2 against Theorem 4.3
# --------------------------------------------------------------------------------------------
def test_separation_curves_match_the_formulas_with_constants_one():
    ds = list(range(2, 80))
    N, delta = 500, Fraction(1, 40)
    ax = plotting.plot_separation(d=ds, N=N, eps=0.1, delta=delta)
    train, gen = ax.get_lines()[:2]
    # Theorem 2.2 with C = 1 and polylog(x) = ln(x)^1: N d ln(d/delta) + N ln(N/delta)
    expect_train = [N * d * np.log(d * 40) + N * np.log(N * 40) for d in ds]
    # Theorem 4.3 with c = 1 at eps = 1/10: (2 eps)^(-(d-1)/6) = 5^((d-1)/6)
    expect_gen = [5.0 ** ((d - 1) / 6) for d in ds]
    np.testing.assert_allclose(train.get_ydata(), expect_train, rtol=1e-12)
    np.testing.assert_allclose(gen.get_ydata(), expect_gen, rtol=1e-12)
    assert ax.get_yscale() == "log"
    # the marked crossing is the first d where 5^((d-1)/6) exceeds the training size
    first = next(d for d, a, b in zip(ds, expect_train, expect_gen) if b > a)
    marker = ax.get_lines()[2]
    assert list(marker.get_xdata()) == [first, first]
    # every curve says its constants are illustrative, and which values were bound
    labels = [ln.get_label() for ln in ax.get_lines()[:2]]
    assert "C_2_2 = 1" in labels[0] and "q_2_2 = 1" in labels[0] and "c_4_3 = 1" in labels[1]
    assert all("illustrative" in lab for lab in labels)
    assert "illustrative" in ax.get_title()


def test_separation_rebinding_a_constant_scales_the_curve():
    ds = [2, 3, 4]
    ax = plotting.plot_separation(d=ds, eps=0.25, constants={"c_4_3": 3})
    gen = ax.get_lines()[1]
    # eps = 1/4: (2 eps)^(-(d-1)/6) = 2^((d-1)/6), times c = 3
    np.testing.assert_allclose(gen.get_ydata(), [3 * 2 ** ((d - 1) / 6) for d in ds])
    assert "c_4_3 = 3" in gen.get_label()


@pytest.mark.parametrize("kwargs, match", [
    ({"delta": 0.05}, "'delta'"),          # eps/2 = 1/20 is not allowed: delta < eps/2
    ({"eps": 0.5}, "'eps'"), ({"N": 0}, "'N'"), ({"d": [5]}, "at least two"),
    ({"d": [1, 2]}, "'d'"), ({"constants": {"C_9": 1}}, "unknown names"),
])
def test_separation_bad_arguments(kwargs, match):
    with pytest.raises(VCBoundError, match=match):
        plotting.plot_separation(**kwargs)


# --------------------------------------------------------------------------------------------
# N_d against d
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def size_table():
    from vcbound.solver import bound_table
    return bound_table(range(3, 13), [0.1, 0.05], 0.1, routes="union,paper")


def test_sizes_draw_the_solver_values_on_a_log10_axis(size_table):
    ax = plotting.plot_sizes(size_table)
    curves = [ln for ln in ax.get_lines() if "order" not in ln.get_label()
              and "N_{upper}" not in ln.get_label()]
    assert len(curves) == 4  # 2 routes x 2 eps
    # N_upper per eps, drawn from vcbound.constructions.bracket
    from vcbound.constructions import bracket
    ups = [ln for ln in ax.get_lines() if "N_{upper}" in ln.get_label()]
    assert len(ups) == 2
    for line in ups:
        eps = Fraction(1, 10) if "= 1/10" in line.get_label() else Fraction(1, 20)
        for d, y in zip(line.get_xdata(), line.get_ydata()):
            assert y == pytest.approx(float(bracket(int(d), eps)["N_upper"].log10))
    for line in curves:
        route = "paper" if line.get_label().startswith("paper") else "union"
        eps = Fraction(1, 10) if "= 1/10" in line.get_label() else Fraction(1, 20)
        for d, y in zip(line.get_xdata(), line.get_ydata()):
            N_d = size_table.results[(d, eps, Fraction(1, 10), route)].N_d
            assert y == pytest.approx(np.log10(float(N_d.exact)))
    # the paper route is not a proof: its label says so
    assert all("ILLUSTRATIVE" in ln.get_label() for ln in curves
               if ln.get_label().startswith("paper"))
    # tick labels are powers of ten: log10 values 0, 1, 2 ... print as 10^k
    assert ax.yaxis.get_major_formatter()(3, 0) == "$10^{3}$"


def test_sizes_legend_exponent_is_the_least_squares_slope(size_table):
    ax = plotting.plot_sizes(size_table, paper_reference=False)
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("union")
                and "1/20" in ln.get_label())
    # independent fit: slope of ln N_d on (d - 1) ln K over the points with N_d >= 2, K = 10
    rows = [size_table.results[(d, Fraction(1, 20), Fraction(1, 10), "union")]
            for d in range(3, 13)]
    xs = [(r.d - 1) * np.log(10) for r in rows if r.N_d.exact >= 2]
    ys = [np.log(r.N_d.exact) for r in rows if r.N_d.exact >= 2]
    gamma = np.polyfit(xs, ys, 1)[0]
    assert f"{gamma:.3f}" in line.get_label()


def test_sizes_paper_reference_is_the_sixth_power_law(size_table):
    ax = plotting.plot_sizes(size_table)
    ref = next(ln for ln in ax.get_lines() if "order" in ln.get_label() and "1/10" in
               ln.get_label())
    # (2 eps)^(-(d-1)/6) at eps = 1/10: log10 = (d - 1)/6 * log10(5)
    np.testing.assert_allclose(ref.get_ydata(), [(d - 1) / 6 * np.log10(5) for d in range(3, 13)])
    assert "ILLUSTRATIVE" in ref.get_label()


def test_sizes_bad_input():
    from vcbound.solver import bound_table
    with pytest.raises(VCBoundTypeError, match="BoundTable"):
        plotting.plot_sizes([1, 2])
    with pytest.raises(VCBoundError, match="two values of d"):
        plotting.plot_sizes(bound_table(5, [0.1, 0.05], 0.1))


# --------------------------------------------------------------------------------------------
# saturation curve of the enumerator
# --------------------------------------------------------------------------------------------
def test_saturation_curve_and_reference_lines():
    from vcbound.enumerate import enumerate_labellings
    res = enumerate_labellings([2, 1], make_grid(3, K=3), 4000, seed=3, batch_size=500)
    ax = plotting.plot_saturation(res)
    curve, *refs = ax.get_lines()
    np.testing.assert_array_equal(curve.get_xdata(), res.saturation[:, 0])
    np.testing.assert_array_equal(curve.get_ydata(), res.saturation[:, 1])
    assert list(curve.get_xdata()) == list(range(500, 4001, 500))  # one point per batch
    # by hand (vcbound docs §One-neuron counts): 3x3 grid -> 58 linear dichotomies; Cover 74; 2^9 = 512
    assert sorted(r.get_ydata()[0] for r in refs) == pytest.approx([58, 74, 512])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "(converged)" in ax.get_title()


def test_saturation_second_curve_without_references():
    from vcbound.enumerate import enumerate_labellings
    grid = make_grid(3, K=3)
    a = enumerate_labellings([2, 2, 1], grid, 2000, seed=1)
    b = enumerate_labellings([2, 2, 1], grid, 2000, seed=1, sampler="gaussian")
    ax = plotting.plot_saturation(a)
    before = len(ax.get_lines())
    plotting.plot_saturation(b, references=False, label="gaussian", ax=ax)
    assert len(ax.get_lines()) == before + 1
    assert ax.get_lines()[-1].get_label() == "gaussian"


def test_saturation_bad_input():
    from vcbound.enumerate import enumerate_labellings
    with pytest.raises(VCBoundTypeError, match="LabellingEnumeration"):
        plotting.plot_saturation({"saturation": [[1, 2]]})
    res = enumerate_labellings([2, 1], make_grid(3, K=2), 300, seed=1)
    with pytest.raises(VCBoundTypeError, match="'label'"):
        plotting.plot_saturation(res, label=3)


def test_saturation_second_curve_keeps_the_first_title():
    from vcbound.enumerate import enumerate_labellings
    grid = make_grid(3, K=3)
    a = enumerate_labellings([2, 1], grid, 3000, seed=1)
    b = enumerate_labellings([2, 1], grid, 300, seed=1, sampler="gaussian")
    ax = plotting.plot_saturation(a)
    title = ax.get_title()
    plotting.plot_saturation(b, references=False, ax=ax)
    assert ax.get_title() == title and f"{a.distinct} found" in title


# --------------------------------------------------------------------------------------------
# --plot on the command line
# --------------------------------------------------------------------------------------------
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_cli_table_plot_writes_a_png(tmp_path, capsys):
    from vcbound.cli import main
    out = tmp_path / "sizes.png"
    status = main(["table", "--d", "3:8", "--eps", "0.25,0.1", "--alpha", "0.1",
                   "--route", "union,paper", "--plot", str(out)])
    assert status == 0
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert "N_d union" in capsys.readouterr().out  # the table is still printed
    assert plt.get_fignums() == []                   # the CLI closes its figure


@pytest.mark.parametrize("argv, match", [
    (["--d", "5", "--plot", "x.png"], "at least two values of --d"),
    (["--d", "5:6", "--plot", "x.txt"], r"\.png, \.pdf or \.svg"),
    (["--d", "5:6", "--plot", "no/such/folder/x.png"], "does not exist"),
])
def test_cli_table_plot_bad_arguments(argv, match, capsys, monkeypatch, tmp_path):
    from vcbound.cli import main
    monkeypatch.chdir(tmp_path)
    status = main(["table", "--eps", "0.1", "--alpha", "0.1"] + argv)
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert __import__("re").search(match, err)
    assert not (tmp_path / "x.png").exists()


def test_cli_enumerate_plot_writes_a_png(tmp_path, capsys):
    from vcbound.cli import main
    out = tmp_path / "saturation.png"
    status = main(["enumerate", "--d", "3", "--K", "3", "--widths", "2,1", "--samples", "3000",
                   "--plot", str(out)])
    assert status == 0
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert "distinct labellings" in capsys.readouterr().out
    assert plt.get_fignums() == []


def test_cli_enumerate_plot_is_checked_before_sampling(tmp_path, capsys):
    from vcbound.cli import main
    # an impossible sample count would take forever: the bad --plot must fail first
    status = main(["enumerate", "--d", "3", "--K", "3", "--widths", "2,1", "--samples", "1e15",
                   "--plot", str(tmp_path / "s.gif")])
    assert status == 2 and "'plot'" in capsys.readouterr().err
