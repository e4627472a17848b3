"""Sharded exact counts: shards, checkpoints, Ctrl-C, Dask (vcbound.exact, vcbound._engine._shards).

Expected values are never the code's own output copied: published counts (OEIS A000609 for the
cubes), or a second, independent method run in the test ('incremental': numpy projections and
the planar formula, no levels, no symmetry, no shards). Sharded and unsharded runs of the orbit
engine are compared with that second method, not with each other only.
"""

import itertools
import os
import signal

import numpy as np
import pytest

from vcbound._engine import _shards
from vcbound.errors import CheckpointError, LimitError, VCBoundError, VCBoundTypeError
from vcbound.exact import count_linear_dichotomies, exact_count

from test_exact import A000609, ORBIT_SETS, cube


def _spec(points, symmetry="auto"):
    """The EngineSpec exact_count builds for ``points`` (internal API, to control the plan)."""
    from vcbound.exact import _lifted_configuration, _symmetry_group, integer_points

    X = integer_points(points)
    V, _ = _lifted_configuration(X)
    stab, order, _, group = _symmetry_group(points, X, symmetry)
    return _shards.EngineSpec(V[order], group, stabilisers=stab)


_PLAIN = {}


def plain(pts):
    """The count by the independent method, once per set."""
    key = np.asarray(pts).tobytes() + str(np.shape(pts)).encode()
    if key not in _PLAIN:
        _PLAIN[key] = count_linear_dichotomies(pts, method="incremental")
    return _PLAIN[key]


def _rank(pts):
    from vcbound.exact import _lifted_configuration, integer_points
    return _lifted_configuration(integer_points(pts))[1]


# orbit engine only (rank >= 4): the planar sets never reach it
SHARD_SETS = [p for p in ORBIT_SETS if _rank(p) >= 4]


@pytest.mark.parametrize("pts", SHARD_SETS, ids=lambda p: f"{len(p)}x{np.shape(p)[1]}")
@pytest.mark.parametrize("symmetry", ["auto", "none"])
def test_sharded_counts_equal_the_plain_sum(pts, symmetry):
    expected = plain(pts)
    spec = _spec(pts, symmetry)
    # one shard, a few shards, every frontier node its own shard; a shallow and a deeper top
    for target, shards in [(1, 1), (8, 3), (8, 10**6), (64, 7), (400, 10**6)]:
        plan = _shards.make_plan(spec, target, shards)
        if shards == 10**6:
            assert len(plan) == len(plan.frontier)
        stats = {}
        assert _shards.run_plan(plan, stats=stats) == expected, (target, shards)
        assert stats["shards"] == len(plan) and stats["computed"] == len(plan)


@pytest.mark.parametrize("shards", [1, 2, 5, 40])
def test_public_shards_argument(shards):
    pts = cube(5)
    res = exact_count(pts, shards=shards)
    assert res.count == A000609[5] and res.method == "orbits"
    # at most that many (none when the recursion never holds 64 nodes per shard)
    assert 0 <= res.shards <= shards and res.resumed == 0
    # the unsharded run (the default on a set this small) processes fewer nodes: merges
    # between shards are lost, never values
    assert exact_count(pts).shards == 0


def test_merge_loss_is_measured_not_hidden():
    pts = cube(6)
    whole = exact_count(pts)
    split = exact_count(pts, shards=16)
    assert whole.count == split.count == A000609[6]
    assert whole.shards == 0 and split.shards == 16
    assert split.nodes >= whole.nodes * 0.9


# ---------------------------------------------------------------------------- checkpoints
def _interrupt_after(monkeypatch, k):
    """Send ourselves SIGINT (Ctrl-C) during the k-th shard computed."""
    real = _shards.count_shard
    calls = []

    def shard(*args):
        calls.append(1)
        if len(calls) == k:
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args)

    monkeypatch.setattr(_shards, "count_shard", shard)
    return calls


def test_ctrl_c_saves_and_resume_skips_finished_shards(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cube5.npz"
    calls = _interrupt_after(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt, match="stopped after 3 of 8 shards; checkpoint saved"):
        exact_count(cube(5), shards=8, checkpoint=path)
    assert len(calls) == 3 and path.exists()
    assert "Ctrl-C: stopping after the shard(s) in progress" in capsys.readouterr().err
    monkeypatch.undo()
    calls = _interrupt_after(monkeypatch, 10**9)      # count the shards computed, no signal
    res = exact_count(cube(5), shards=8, checkpoint=path)
    assert res.count == A000609[5]
    assert res.resumed == 3 and len(calls) == 5 and res.shards == 8
    # a finished checkpoint: nothing left to compute
    calls.clear()
    again = exact_count(cube(5), shards=8, checkpoint=path)
    assert again.count == A000609[5] and again.resumed == 8 and calls == []
    assert again.nodes == res.nodes      # node counts of the shards are recorded as well


def test_second_ctrl_c_abandons_the_shard_in_progress(tmp_path, monkeypatch, capsys):
    # a shard can hold most of a run's work: Ctrl-C twice stops at once, keeping the shards
    # finished before it (the one in progress is computed again on resume)
    path = tmp_path / "cube5.npz"
    real = _shards.count_shard
    calls = []

    def shard(*args):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)      # raises here, inside the third shard
            raise AssertionError("the second Ctrl-C did not stop the shard")
        return real(*args)

    monkeypatch.setattr(_shards, "count_shard", shard)
    with pytest.raises(KeyboardInterrupt, match="second Ctrl-C"):
        exact_count(cube(5), shards=8, checkpoint=path)
    assert "Ctrl-C again stops now" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # handler restored
    monkeypatch.undo()
    res = exact_count(cube(5), shards=8, checkpoint=path)
    assert res.count == A000609[5] and res.resumed == 2


def test_checkpoint_of_another_configuration_is_refused(tmp_path):
    path = tmp_path / "run.npz"
    assert exact_count(cube(5), shards=4, checkpoint=path).shards == 4
    with pytest.raises(CheckpointError, match=r"another point set \(checkpoint: 32 points of "
                                              r"rank 6; this run: 16 points of rank 5\)"):
        exact_count(cube(4), shards=4, checkpoint=path)
    moved = np.array(cube(5))
    moved[0] = [0, 0, 0, 0, 5]                                   # same shape, other points
    with pytest.raises(CheckpointError, match="another point set.*other coordinates"):
        exact_count(moved, shards=4, checkpoint=path)
    with pytest.raises(CheckpointError, match="another symmetry group"):
        exact_count(cube(5), symmetry="none", shards=4, checkpoint=path)
    with pytest.raises(CheckpointError, match=r"another sharding \(checkpoint: frontier 256, 4 "
                                              r"shards; this run: frontier 128, 2 shards\)"):
        exact_count(cube(5), shards=2, checkpoint=path)
    # the file is untouched by the refusals and still resumes its own run
    assert exact_count(cube(5), shards=4, checkpoint=path).resumed == 4


def test_checkpoint_of_the_enumerator_and_corrupt_files_are_refused(tmp_path):
    from vcbound import enumerate_labellings, make_grid

    other = tmp_path / "enum.npz"
    enumerate_labellings([2, 1], make_grid(3, K=2), 100, checkpoint=other)
    with pytest.raises(CheckpointError, match="is not a 'vcbound-exact-shards-v1' checkpoint"):
        exact_count(cube(5), shards=2, checkpoint=other)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CheckpointError, match="not a .npz checkpoint"):
        exact_count(cube(5), shards=2, checkpoint=bad)


def test_checkpoint_in_use_is_refused(tmp_path):
    from vcbound._engine._checkpoint import CheckpointLock

    path = tmp_path / "run.npz"
    with CheckpointLock(path):
        with pytest.raises(CheckpointError, match="in use by another run"):
            exact_count(cube(5), shards=2, checkpoint=path)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"method": "flats", "checkpoint": "x.npz"}, VCBoundError,
     "'checkpoint' applies to method 'orbits'"),
    ({"method": "incremental", "shards": 2}, VCBoundError, "'shards' applies to method"),
    ({"shards": 0}, VCBoundError, "'shards' must be"),
    ({"shards": 2.5}, VCBoundError, "'shards' must be"),
    ({"client": "tcp://127.0.0.1:8786"}, VCBoundTypeError, "dask.distributed.Client"),
    ({"progress": "yes"}, VCBoundTypeError, "'progress' must be True or False"),
])
def test_bad_run_options(kwargs, exc, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(exc, match=match):
        exact_count(cube(4), **kwargs)


def test_progress_bar_over_shards(capsys):
    assert exact_count(cube(5), shards=4, progress=True).count == A000609[5]
    err = capsys.readouterr().err
    assert "exact count" in err and "4/4" in err
    assert "top of the recursion at level" in err     # the top, before the shards


def test_progress_of_an_unsharded_run(capsys):
    # {0,1}^5 never holds 2^21 pending nodes: the whole run is the top, and no empty bar over
    # zero shards is drawn (it used to show "0shard")
    res = exact_count(cube(5), progress=True)
    assert res.count == A000609[5]
    err = capsys.readouterr().err
    assert f"{res.nodes:,} nodes, done" in err
    assert "shard" not in err


def test_the_heartbeat_reads_the_top():
    # the command line's heartbeat describes the work current in this thread: during the top
    # it is the level reached, the nodes done and pending (no fraction: levels are unequal)
    from vcbound._engine import _shards
    from vcbound._guard import Work

    seen = []

    class Spy(_shards._TopProgress):
        def __call__(self, level, processed, pending):
            super().__call__(level, processed, pending)
            seen.append((Work._current.describe(), Work._current.fraction))

    real = _shards._TopProgress
    _shards._TopProgress = Spy
    try:
        assert exact_count(cube(4), progress=False).count == A000609[4]
    finally:
        _shards._TopProgress = real
    assert seen and all(frac is None for _, frac in seen)
    assert seen[0][0].startswith("top of the recursion at level 16 of 16, 1 node done")
    assert seen[-1][0].endswith(", 0 pending")


# ---------------------------------------------------------------------------- the guard
def test_a_checkpoint_lifts_the_ten_minute_refusal():
    import math

    from vcbound import make_grid
    from vcbound._guard import MAX_LONG_EXACT_SECONDS, check_exact, exact_seconds

    G = 2**9 * math.factorial(9)                    # B_9, the group of {0,1}^9
    seconds = exact_seconds(512, 10, "orbits", G)   # {0,1}^9: 512 points of rank 10
    assert 600 < seconds < MAX_LONG_EXACT_SECONDS
    with pytest.raises(LimitError, match="accept a long run with a checkpoint"):
        exact_count(make_grid(10, K=2))             # refused before any work
    assert check_exact(512, 10, "orbits", long_run=True, group_order=G) == seconds
    with pytest.raises(LimitError, match="more than the 365 days"):
        check_exact(4096, 13, "orbits", long_run=True, group_order=G)
    # without the group the same points are estimated as the plain recursion would take
    assert exact_seconds(512, 10, "orbits") > 1000 * seconds


def test_orbit_estimate_reproduces_its_documented_table():
    from vcbound._guard import ORBIT_MEASURED, exact_seconds

    for name, n, rank, G, measured, estimated in ORBIT_MEASURED:
        assert exact_seconds(n, rank, "orbits", G) == pytest.approx(estimated, rel=0.05), name
        # within a factor 3 of the measured time, either way
        assert measured / 3 < estimated < 3 * measured, name


# ---------------------------------------------------------------------------- command line
def run_cli(capsys, *argv):
    from vcbound.cli import main
    status = main(["exact", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_checkpoint_shards_and_resume(capsys, tmp_path):
    import json

    path = str(tmp_path / "run.npz")
    status, out, _ = run_cli(capsys, "--d", "6", "--K", "2", "--shards", "6", "--checkpoint",
                             path, "--format", "json", "--progress", "no")
    data = json.loads(out)
    assert status == 0 and data["count"] == A000609[5]
    assert data["shards"] == 6 and data["resumed"] == 0
    status, out, _ = run_cli(capsys, "--d", "6", "--K", "2", "--shards", "6", "--checkpoint",
                             path)
    assert status == 0 and "resumed      6" in out and str(A000609[5]) in out


@pytest.mark.parametrize("argv, match", [
    (["--d", "5", "--K", "2", "--shards", "x"], "--shards must be a whole number"),
    (["--d", "5", "--K", "2", "--shards", "0"], "--shards must be a whole number"),
    (["--d", "5", "--K", "2:3", "--checkpoint", "c.npz"], "give one grid"),
    (["--d", "5", "--K", "2", "--scheduler", "local:0"], "'--scheduler' must be local:N"),
    (["--d", "5", "--K", "2", "--method", "flats", "--checkpoint", "c.npz"],
     "applies to method 'orbits'"),
])
def test_cli_bad_long_run_options(capsys, tmp_path, monkeypatch, argv, match):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(capsys, *argv)
    assert status == 2 and out == "" and match in err and err.count("\n") == 1


def test_cli_ctrl_c_exits_130_with_the_checkpoint_saved(capsys, tmp_path, monkeypatch):
    path = str(tmp_path / "run.npz")
    _interrupt_after(monkeypatch, 2)
    status, out, err = run_cli(capsys, "--d", "6", "--K", "2", "--shards", "5", "--checkpoint",
                               path)
    assert status == 130 and out == "" and "interrupted" in err and os.path.exists(path)
    monkeypatch.undo()
    status, out, _ = run_cli(capsys, "--d", "6", "--K", "2", "--shards", "5", "--checkpoint",
                             path, "--format", "json")
    import json
    data = json.loads(out)
    assert data["count"] == A000609[5] and data["resumed"] == 2


# ---------------------------------------------------------------------------- published values
@pytest.mark.slow
def test_eight_cube_matches_muroga_tsuboi_baugh(tmp_path):
    # 17561539552946 (Muroga, Tsuboi, Baugh 1970; OEIS A000609), sharded with a checkpoint
    res = exact_count(cube(8), checkpoint=tmp_path / "cube8.npz")
    assert res.count == 17561539552946
    assert res.group_order == 2**8 * 40320


# ---------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1,
                                       dashboard_address=None, processes=True)
    client = distributed.Client(cluster, set_as_default=False)
    yield cluster, client
    client.close()
    cluster.close()


def _workers(cluster, client, n):
    import time

    cluster.scale(n)
    client.wait_for_workers(n, timeout=60)
    deadline = time.monotonic() + 60
    while len(client.scheduler_info()["workers"]) != n:   # scaling down takes a moment
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_dask_gives_the_serial_result_for_1_2_3_workers(dask_cluster):
    cluster, client = dask_cluster
    box = np.array(list(itertools.product(range(4), range(3), range(3))))
    serial = {name: exact_count(pts, shards=9) for name, pts in
              [("cube6", cube(6)), ("box", box)]}
    assert serial["cube6"].count == A000609[6]
    assert serial["box"].count == plain(box)
    for n in (1, 2, 3):
        _workers(cluster, client, n)
        for name, pts in [("cube6", cube(6)), ("box", box)]:
            res = exact_count(pts, shards=9, client=client)
            assert (res.count, res.nodes, res.shards) == (
                serial[name].count, serial[name].nodes, serial[name].shards), (n, name)


def test_dask_with_user_given_symmetry(dask_cluster):
    cluster, client = dask_cluster
    pts = cube(5)
    index = {p: i for i, p in enumerate(pts)}
    swap = [index[(p[1], p[0], *p[2:])] for p in pts]
    flip = [index[(1 - p[0], *p[1:])] for p in pts]
    serial = exact_count(pts, symmetry=[swap, flip], shards=6)
    res = exact_count(pts, symmetry=[swap, flip], shards=6, client=client)
    assert res.count == serial.count == A000609[5] and res.group_order == 8
    assert res.nodes == serial.nodes


def test_checkpoints_move_between_serial_and_dask(dask_cluster, tmp_path, monkeypatch):
    cluster, client = dask_cluster
    _workers(cluster, client, 2)
    path = tmp_path / "run.npz"
    _interrupt_after(monkeypatch, 2)                          # serial run stopped by Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        exact_count(cube(6), shards=10, checkpoint=path)
    monkeypatch.undo()
    res = exact_count(cube(6), shards=10, checkpoint=path, client=client)   # resumed on Dask
    assert res.count == A000609[6] and res.resumed == 2
    # a Dask run stopped after its first finished shard, resumed serially
    path2 = tmp_path / "run2.npz"
    real = _shards._save
    monkeypatch.setattr(_shards, "SAVE_EVERY", 0.0)

    sent = []

    def save(p, plan, done):
        real(p, plan, done)
        if done and not sent:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(_shards, "_save", save)
    with pytest.raises(KeyboardInterrupt, match="checkpoint saved"):
        exact_count(cube(6), shards=10, checkpoint=path2, client=client)
    monkeypatch.undo()
    res = exact_count(cube(6), shards=10, checkpoint=path2)
    assert res.count == A000609[6] and 1 <= res.resumed < 10


def test_pending_levels_spill_to_disk_and_are_removed(tmp_path, monkeypatch):
    import tempfile

    from vcbound._engine import _orbits

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(_orbits, "MAX_PENDING_BYTES", 20_000)      # a few hundred nodes
    res = exact_count(cube(6))
    assert res.count == A000609[6]
    spec = _spec(cube(6))
    engine = _orbits.OrbitEngine(spec.V, spec.stabilisers(), max_pending_bytes=20_000)
    stats = {}
    total, _ = engine.run(engine.root(), stats=stats)
    assert total == A000609[6] and stats["spilled"] > 0
    assert list(tmp_path.iterdir()) == []            # the temporary folders are gone


def test_sigterm_keeps_the_finished_shards_and_removes_the_spill(tmp_path, monkeypatch,
                                                                 capsys):
    # kill (SIGTERM) during a spilling shard of the command line: exit 143 after the same
    # clean-up as Ctrl-C (the spill folder of a killed {0,1}^8 run held 4.9 GB in /tmp)
    import tempfile

    from vcbound._engine import _orbits
    from vcbound.cli import main

    spill_dir = tmp_path / "tmp"
    spill_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_dir))
    monkeypatch.setattr(_orbits, "MAX_PENDING_BYTES", 20_000)
    monkeypatch.setattr(_shards, "_ENGINES", {})          # engines built with the small budget
    real_load, shards_done = _orbits._Spill.load, []
    real_shard = _shards.count_shard

    def shard(*args):
        value = real_shard(*args)
        shards_done.append(1)
        return value

    def load(self, pend):
        real_load(self, pend)
        if self.folder is not None and len(shards_done) >= 2:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(_shards, "count_shard", shard)
    monkeypatch.setattr(_orbits._Spill, "load", load)
    path = tmp_path / "run.npz"
    status = main(["exact", "--d", "7", "--K", "2", "--shards", "8", "--checkpoint", str(path),
                   "--progress", "no"])
    assert status == 143 and "vcbound exact: terminated" in capsys.readouterr().err
    assert list(spill_dir.iterdir()) == []                # the spill folder is gone
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    monkeypatch.undo()
    res = exact_count(cube(6), shards=8, checkpoint=path)
    assert res.count == A000609[6] and 2 <= res.resumed < 8


@pytest.mark.parametrize("pts", [cube(6)] + SHARD_SETS[:6],
                         ids=lambda p: f"{len(p)}x{np.shape(p)[1]}")
def test_threads_give_the_plain_count(pts, monkeypatch):
    """Levels cut into blocks of one node and canonical forms split among 1, 2 and 3 threads
    (thresholds lowered so that every path is taken): the count of the independent method."""
    from vcbound._engine import _orbits

    monkeypatch.setattr(_orbits, "PARALLEL_MIN", 2)
    monkeypatch.setattr(_orbits, "PARALLEL_WORK", 0)
    monkeypatch.setattr(_orbits, "PARALLEL_BLOCK", 3)
    monkeypatch.setattr(_orbits, "PARALLEL_CANON", 0)
    expected = A000609[6] if np.shape(pts) == (64, 6) else plain(pts)   # published, or 2nd method
    spec = _spec(pts)
    for threads in (1, 2, 3):
        engine = _orbits.OrbitEngine(spec.V, spec.stabilisers(), threads=threads, chunk=64)
        total, _ = engine.run(engine.root())
        assert total == expected, threads


def test_default_threads_from_the_environment(monkeypatch):
    from vcbound._engine import _orbits

    monkeypatch.setenv("VCBOUND_EXACT_THREADS", "3")
    assert _orbits.default_threads() == 3
    monkeypatch.delenv("VCBOUND_EXACT_THREADS")
    assert _orbits.default_threads() >= 1


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5"])
def test_bad_thread_variable_is_a_clear_error(value, monkeypatch, capsys):
    from vcbound.cli import main

    monkeypatch.setenv("VCBOUND_EXACT_THREADS", value)
    monkeypatch.setattr(_shards, "_ENGINES", {})
    with pytest.raises(VCBoundError, match="'VCBOUND_EXACT_THREADS' must be a positive integer"):
        exact_count(cube(4))
    assert main(["exact", "--d", "5", "--K", "2"]) == 2
    last = capsys.readouterr().err.splitlines()[-1]     # (a cold-compile notice may precede)
    assert last.startswith("vcbound exact: error: Environment variable") and repr(value) in last


def test_thread_variable_sets_the_threads(monkeypatch):
    from vcbound._engine import _orbits

    monkeypatch.setenv("VCBOUND_EXACT_THREADS", "3")
    assert _orbits.default_threads() == 3
    monkeypatch.setattr(_shards, "_ENGINES", {})
    assert exact_count(cube(5)).count == A000609[5]
