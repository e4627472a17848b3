"""Issue 20: every case of the bad-input and fault catalogue, as a test.

Each test failed on the code before the reliability pass (a traceback, a hang, a raw numpy or
Python error, a value read wrongly, or a silently different file name); the expected messages
and values are derived by hand here.
"""

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from fractions import Fraction

import numpy as np
import pytest

import vcbound
from vcbound.cli import main
from vcbound.errors import CheckpointError, LimitError, VCBoundError, VCBoundTypeError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_cli(argv):
    """(status, stdout, stderr) of vcbound.cli.main(argv) in this process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:   # argparse usage errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def assert_one_line_error(argv, *needles):
    status, out, err = run_cli(argv)
    assert status == 2, (status, out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------------------ tracebacks on valid input
def test_solve_paper_route_d1000_eps1e6_prints():
    status, out, err = run_cli(["solve", "--d", "1000", "--eps", "1e-6", "--alpha", "0.1",
                                "--route", "paper"])
    assert status == 0 and "Traceback" not in err
    assert "N_d" in out


def test_bounds_wide_layer_json_prints():
    import json

    status, out, err = run_cli(["bounds", "--widths", "2,10000,1", "--format", "json"])
    assert status == 0, err
    json.loads(out)


def test_solve_tiny_alpha_no_overflow():
    # alpha = 10^-5000: C_alpha^2 = 2 (1 - 2 alpha) has a 5000-digit numerator; sympy's
    # perfect-power test used to overflow converting it to float
    status, out, err = run_cli(["solve", "--d", "10", "--eps", "0.1", "--alpha", "1e-5000"])
    assert status == 0, err
    assert "Traceback" not in err
    # the value is echoed in its short exact form, not as 5,000 zeros (each line stays short)
    assert "alpha = 1e-5000" in out
    assert max(len(line) for line in out.splitlines()) < 1000


# ------------------------------------------------------------------ hangs: refused up front
@pytest.mark.parametrize("argv, needle", [
    (["exact", "--d", "17", "--K", "2"], "10 min"),
    (["enumerate", "--d", "3", "--K", "2", "--widths", "2,1", "--samples", "1e30"], "2^62"),
    (["solve", "--d", "10", "--eps", "1e-999999999", "--alpha", "0.1"], "exponent"),
    (["enumerate", "--d", "1e100", "--K", "2", "--widths", "2,1", "--samples", "10"],
     "2^22"),
    (["exact", "--d", "3", "--K", "316"], "10 min"),
    (["solve", "--d", "1000000", "--eps", "1e-1000", "--alpha", "0.1"], "2^26 bits"),
])
def test_hopeless_requests_refused_up_front(argv, needle):
    assert_one_line_error(argv, needle)


def test_exact_points_on_a_line_counted_directly():
    # 100,000 points on a line: 2n linear dichotomies (threshold positions x orientations)
    status, out, err = run_cli(["exact", "--d", "2", "--K", "100000", "--format", "json"])
    assert status == 0, err
    import json
    assert json.loads(out)["count"] == 200000


def test_heartbeat_speaks_when_silent():
    from vcbound._guard import Heartbeat, Work
    import time

    err = io.StringIO()
    with Heartbeat("demo", stream=err, first=0.05, every=0.05):
        with Work("steps", 10) as w:
            w.update(5)
            time.sleep(0.3)
    lines = err.getvalue().splitlines()
    assert lines and all(line.startswith("vcbound demo: still working") for line in lines)
    assert "50.0% of 10 steps" in lines[0]


# ------------------------------------------------------------------ file system
@pytest.fixture
def paths(tmp_path):
    regular = tmp_path / "regular"
    regular.write_text("")
    npy = tmp_path / "a.npy"
    np.save(npy, np.zeros(3))
    text = tmp_path / "text.txt"
    text.write_text("hello\n")
    return tmp_path, regular, npy, text


ENUM = ["enumerate", "--d", "3", "--K", "2", "--widths", "2,1", "--samples", "10"]


def test_checkpoint_missing_folder(paths):
    tmp, *_ = paths
    target = tmp / "nodir" / "x.npz"
    assert_one_line_error(ENUM + ["--checkpoint", str(target)], str(tmp / "nodir"),
                          "does not exist")
    assert not (tmp / "nodir").exists()


def test_checkpoint_under_regular_file(paths):
    tmp, regular, *_ = paths
    assert_one_line_error(ENUM + ["--checkpoint", str(regular / "x.npz")], "is a file")


def test_save_patterns_missing_folder_checked_before_run(paths):
    tmp, *_ = paths
    assert_one_line_error(ENUM + ["--save-patterns", str(tmp / "nodir" / "p.npy")],
                          "does not exist")


def test_npy_given_as_checkpoint(paths):
    tmp, regular, npy, text = paths
    assert_one_line_error(ENUM + ["--checkpoint", str(npy)], ".npy array")
    assert np.load(npy).shape == (3,)        # left alone


def test_text_file_given_as_checkpoint(paths):
    tmp, regular, npy, text = paths
    line = assert_one_line_error(ENUM + ["--checkpoint", str(text)], "no zip header")
    assert "allow_pickle" not in line and "pickle" not in line
    assert text.read_text() == "hello\n"


def test_save_patterns_exact_name(tmp_path):
    target = tmp_path / "patterns"
    status, out, err = run_cli(ENUM + ["--save-patterns", str(target)])
    assert status == 0, err
    assert sorted(os.listdir(tmp_path)) == ["patterns"]
    pats = np.load(target)
    assert pats.dtype == np.uint64 and len(pats) > 0


def test_full_disk_stdout():
    proc = subprocess.run([sys.executable, "-m", "vcbound", "solve", "--d", "10", "--eps",
                           "0.1", "--alpha", "0.1"], cwd=ROOT, stdout=open("/dev/full", "w"),
                          stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "vcbound solve: error: cannot write to standard output: No space left on device"]


def test_table_output_full_disk_leaves_nothing(tmp_path, monkeypatch):
    """--output on a full disk: one line, and no partial file (written to a temporary, renamed
    only once complete). The full disk is simulated by a write that fails with ENOSPC."""
    import errno

    from vcbound import _guard

    real = _guard.write_atomically

    def full(name, path, write):
        def failing(fh):
            fh.write(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(name, path, failing)

    monkeypatch.setattr(_guard, "write_atomically", full)
    target = tmp_path / "t.csv"
    assert_one_line_error(["table", "--d", "2:3", "--eps", "0.1", "--alpha", "0.1", "--format",
                           "csv", "--output", str(target)], "No space left on device")
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------ numpy limits
def test_grid_more_than_64_dimensions():
    g = vcbound.make_grid(70, K=1)
    assert g.n == 1 and g.int_points.shape == (1, 69) and (g.int_points == 1).all()
    assert vcbound.make_grid(10**4, K=1).int_points.shape == (1, 9999)
    status, out, err = run_cli(["exact", "--d", "70", "--K", "1", "--format", "json"])
    assert status == 0 and '"count": 2' in out      # one point: the two constant labellings


def test_enumerate_70_dimensions():
    status, out, err = run_cli(["enumerate", "--d", "70", "--K", "1", "--widths", "69,1",
                                "--samples", "10", "--format", "json"])
    assert status == 0, err
    assert '"distinct": 2' in out


def test_grid_too_many_coordinates_refused():
    with pytest.raises(LimitError, match="2\\^25"):
        vcbound.make_grid(10**12, K=1)


def test_grid_points_in_order():
    g = vcbound.make_grid(4, K=3)
    expected = [(i, j, k) for i in range(1, 4) for j in range(1, 4) for k in range(1, 4)]
    assert [tuple(r) for r in g.int_points.tolist()] == expected


def test_enumerate_widest_network_refused_or_fits():
    """[2, 4096, 4096, 1] needs about 13 GB for its lanes (3 x 16.8M float32 parameters x 64
    lanes, by hand: 16,801,793 x 64 x 12 bytes = 12.9 GB): refused with the figure when the
    machine has less available, never a MemoryError."""
    from vcbound._guard import available_memory, enumerate_memory

    need = enumerate_memory((2, 4096, 4096, 1), 4, 256, 1)
    n_params = 3 * 4096 + 4097 * 4096 + 4097
    assert n_params * 64 * 12 <= need <= n_params * 64 * 12 * 1.05
    avail = available_memory()
    if avail is not None and need > avail:
        assert_one_line_error(["enumerate", "--d", "3", "--K", "2", "--widths", "2,4096,4096,1",
                               "--samples", "10"], "GB of memory")


# ------------------------------------------------------------------ API types
def test_numpy_float32_read_as_typed():
    assert vcbound.solve(10, np.float32(0.1), 0.1).K == 5
    assert vcbound.solve(10, np.float64(0.1), np.float32(0.1)).K == 5
    assert vcbound.make_grid(3, eps=np.float32(0.1)).K == 5
    assert vcbound.make_grid(3, eps=np.float16(0.25)).K == 2


def test_bound_table_routes_none():
    with pytest.raises(VCBoundTypeError, match="routes"):
        vcbound.bound_table(4, 0.25, 0.1, routes=None)
    with pytest.raises(VCBoundTypeError, match="routes"):
        vcbound.bound_table(4, 0.25, 0.1, routes=[3])


def test_d_min_G_zero():
    """G = 0 (or 1) labellings: every class qualifies, so D_min = 0 (an integer, not -inf)."""
    from vcbound.sauer import d_min

    for G in (0, 1, Fraction(1, 2)):
        value = d_min(10, G=G).value
        assert value == 0 and int(value) == 0
    with pytest.raises(VCBoundError, match="'G'"):
        d_min(10, G=-1)


def test_type_errors_are_vcbound_type_errors():
    from vcbound.exact import count_linear_dichotomies

    with pytest.raises(VCBoundTypeError):
        count_linear_dichotomies(None)
    with pytest.raises(VCBoundTypeError):
        count_linear_dichotomies(3)
    with pytest.raises(VCBoundTypeError):
        vcbound.enumerate_labellings([2, 1], None, 10)
    with pytest.raises(VCBoundTypeError):
        vcbound.enumerate_labellings([2, 1], 3.0, 10)


def test_object_arrays():
    from vcbound.exact import count_linear_dichotomies

    pts = np.array([[Fraction(1, 2)], [1], [Fraction(3, 2)]], dtype=object)
    assert count_linear_dichotomies(pts) == 6          # 3 collinear points: 2n
    with pytest.raises(VCBoundTypeError):
        count_linear_dichotomies(np.array([[None, 1]], dtype=object))
    with pytest.raises(VCBoundError):
        vcbound.enumerate_labellings([1, 1], np.array([[None], [1]], dtype=object), 10)
    with pytest.raises(VCBoundError):
        vcbound.enumerate_labellings([1, 1], np.array([["a"], [1]], dtype=object), 10)


@pytest.mark.parametrize("kwargs, exc", [
    ({"checkpoint": 123}, VCBoundTypeError),
    ({"checkpoint_every": "abc"}, VCBoundError),
    ({"checkpoint_every": None}, VCBoundTypeError),
    ({"checkpoint_every": -1}, VCBoundError),
    ({"checkpoint_every": float("nan")}, VCBoundError),
])
def test_enumerate_checkpoint_argument_types(kwargs, exc, tmp_path):
    with pytest.raises(exc):
        vcbound.enumerate_labellings([2, 1], vcbound.make_grid(3, K=2), 10, **kwargs)


# ------------------------------------------------------------------ smaller departures
def test_messages_echo_values_as_typed():
    line = assert_one_line_error(["solve", "--d", "2.5", "--eps", "0.1", "--alpha", "0.1"])
    assert line.endswith("not 2.5.")
    line = assert_one_line_error(["solve", "--d", "10", "--eps", "0.50000001", "--alpha", "0.1"])
    assert line.endswith("not 0.50000001.")


def test_messages_shorten_huge_values():
    line = assert_one_line_error(["solve", "--d", "10", "--eps", "1" * 5000, "--alpha", "0.1"])
    assert len(line) < 300
    line = assert_one_line_error(["solve", "--d", "10", "--eps", "7" * 20000, "--alpha", "0.1"])
    assert len(line) < 300
    line = assert_one_line_error(["solve", "--d", "1e300", "--eps", "0.1", "--alpha", "0.1"])
    assert len(line) < 300 and "1e300" in line
    with pytest.raises(VCBoundError) as info:
        vcbound.solve(10**5000, 0.1, 0.1)
    assert len(str(info.value)) < 300


def test_version_without_command():
    status, out, err = run_cli(["--version"])
    assert status == 0 and out.strip() == f"vcbound {vcbound.__version__}"


def test_lp_method_speaks():
    """exact --method lp reports its progress to the heartbeat (fraction of the 2^(n-1) LPs)."""
    from vcbound import _guard
    from vcbound.exact import exact_count

    seen = []
    real = _guard.Work.update

    def spy(self, done):
        seen.append((self.unit, done, self.total))
        real(self, done)

    _guard.Work.update = spy
    try:
        exact_count([[0, 0], [0, 1], [1, 0], [1, 1]], method="lp")
    finally:
        _guard.Work.update = real
    assert seen and seen[0][0] == "linear programs" and seen[0][2] == 8


def test_stale_temporaries_removed(tmp_path):
    from vcbound._engine._checkpoint import write_checkpoint

    path = tmp_path / "run.npz"
    stale = tmp_path / ".tmp-run.npz.999999999.abcd.npz"    # a dead writer's leftover
    stale.write_bytes(b"PK partial")
    other = tmp_path / ".tmp-other.npz.999999999.abcd.npz"   # another target's: kept
    other.write_bytes(b"x")
    write_checkpoint(path, "demo-v1", {"x": np.arange(3)})
    assert sorted(os.listdir(tmp_path)) == [other.name, "run.npz"]


def test_checkpoint_locked_against_second_run(tmp_path):
    from vcbound._engine._checkpoint import CheckpointLock

    path = tmp_path / "run.npz"
    with CheckpointLock(path):
        with pytest.raises(CheckpointError, match="in use by another run"):
            vcbound.enumerate_labellings([2, 1], vcbound.make_grid(3, K=2), 10, seed=5,
                                         checkpoint=path)
    assert not path.exists()
    assert os.listdir(tmp_path) == []           # the lock file is removed at the end


# ------------------------------------------------------------------ found by the fuzz census
def test_empty_table_ranges_and_zero_d_arrays():
    """Found by benchmarks/fuzz_census.py on the reworked code: an empty list of d reached an
    IndexError in the table, a 0-d numpy array as widths a raw TypeError."""
    with pytest.raises(VCBoundError, match="'d' must give at least one value"):
        vcbound.bound_table([], 0.1, 0.1)
    with pytest.raises(VCBoundTypeError, match="'widths'"):
        vcbound.Architecture(np.array(3))
    with pytest.raises(VCBoundTypeError, match="'widths'"):
        vcbound.enumerate_labellings(np.array(3), vcbound.make_grid(3, K=2), 10)
    with pytest.raises(VCBoundTypeError, match="integer"):
        vcbound.bound_table(np.array(3), 0.25, 0.1)      # d must be an int, not an array


def test_unhashable_point_entries():
    """Found by the fuzz census on the code before issue 20: a set among the coordinates of an
    object array reached a raw 'unhashable type' TypeError."""
    from decimal import Decimal

    with pytest.raises(VCBoundTypeError, match="real numbers"):
        vcbound.count_linear_dichotomies([[set(), Decimal("1174.466859"), 1.3e-151]], "lp")


def test_bounds_huge_width_json_does_not_hang():
    # bounds --widths 2,1e6,1 --format json spent 200 s in sympy: the formula's numbers were
    # substituted one by one, so Max(2 deg^U, U + 1) was compared with deg still symbolic (a
    # degree-10^6 root isolation). A 60 s alarm turns a regression into a failure, not a hang.
    import signal

    from vcbound import Architecture, all_bounds

    def _alarm(signum, frame):
        raise TimeoutError("all_bounds([2, 10**6, 1]).to_dict() took over 60 s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        out = all_bounds(Architecture([2, 10**6, 1])).to_dict()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    # Theorem 10's argument 16 e max{U + 1, 2 deg^U} (1 + p)^U with U = 10^6 + 1, deg = p = 1:
    # 16 * 1000002 * 3^1000001 = 10^(1.20412 + 6.0000009 + 1000001 * 0.47712125) = 8.6e477128
    assert "8.6e477128*E" in out["bounds"][1]["evaluated_expression"]
    assert out["W"] == 4 * 10**6 + 1


def test_evaluated_expression_equals_one_by_one_substitution():
    # the simultaneous replacement gives the same formula as sympy's subs on small architectures
    from vcbound import Architecture, all_bounds

    for arch in (Architecture([2, 10, 10, 1]), Architecture([3, 5, 1], "threshold"),
                 Architecture([3, 5, 1], "sigmoid"),
                 Architecture([3, 5, 1], "piecewise", pieces=3, degree=2)):
        report = all_bounds(arch, 1000)
        for b in list(report.vc) + list(report.growth):
            assert b.evaluated_expression == b.expression.subs(b.bindings), (arch, b.key)
