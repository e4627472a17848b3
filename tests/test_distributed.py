"""The distributed engine on Dask (vcbound._engine._distributed).

One module-scoped ``LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)``
serves the tests that need workers. Expected values come from elsewhere than the code under
test: ``run_shards`` against plain Python on the same inputs.
"""

import math
import operator
import subprocess
import sys
import time

import pytest

distributed = pytest.importorskip("distributed")

from vcbound._engine import _distributed as D  # noqa: E402
from vcbound.errors import VCBoundError, VCBoundTypeError  # noqa: E402


def _local(workers):
    # the scheduler's HTTP server (health routes, no dashboard) on a free port: no warning
    # about port 8787 when another cluster runs on this machine
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                    dashboard_address=None, processes=True,
                                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})


@pytest.fixture(scope="module")
def cluster():
    cluster = _local(2)
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def client(cluster):
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()


# --------------------------------------------------------------------------- no workers needed
@pytest.mark.parametrize("text, expected", [
    ("local:1", D.Scheduler("local", workers=1)),
    (" LOCAL:3 ", D.Scheduler("local", workers=3)),
    ("tcp://127.0.0.1:8786", D.Scheduler("tcp", address="tcp://127.0.0.1:8786")),
    ("tcp://node-7.cluster:9000/", D.Scheduler("tcp", address="tcp://node-7.cluster:9000")),
    ("tcp://[::1]:8786", D.Scheduler("tcp", address="tcp://[::1]:8786")),
])
def test_parse_scheduler(text, expected):
    assert D.parse_scheduler(text) == expected


@pytest.mark.parametrize("text", ["local:0", "local:x", "local:", "local:-1", "local:1.5",
                                  "tcp://127.0.0.1", "tcp://:8786", "tcp://host:0",
                                  "tcp://host:65536", "tls://host:8786", "127.0.0.1:8786",
                                  "", "local"])
def test_parse_scheduler_refuses(text):
    with pytest.raises(VCBoundError) as info:
        D.parse_scheduler(text)
    assert str(info.value) == (f"Argument '--scheduler' must be local:N with N >= 1 or "
                               f"tcp://HOST:PORT, not {text!r}.")


def test_parse_scheduler_limits_and_types():
    with pytest.raises(VCBoundError, match="1 <= N <= 256"):
        D.parse_scheduler("local:1000")
    with pytest.raises(VCBoundTypeError, match="'--scheduler' must be a text"):
        D.parse_scheduler(2)


def test_missing_dask_gives_the_one_line_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)     # `import distributed` fails
    with pytest.raises(VCBoundError) as info:
        D.require_distributed()
    assert str(info.value) == ('The distributed engine needs dask.distributed, which is not '
                               'installed: pip install "vcbound[distributed]".')
    with pytest.raises(VCBoundError, match=r"vcbound\[distributed\]"):
        with D.open_client("local:1"):
            pass


@pytest.mark.parametrize("value", ["tcp://127.0.0.1:8786", "local:2", 3, None, object()])
def test_check_client_refuses_what_is_not_a_client(value):
    with pytest.raises(VCBoundTypeError, match="Argument 'client' must be a "
                                               "dask.distributed.Client"):
        D.check_client(value)


def test_unreachable_scheduler_is_one_error_within_the_timeout():
    port = _unused_port()
    start = time.monotonic()
    with pytest.raises(VCBoundError) as info:
        with D.open_client(f"tcp://127.0.0.1:{port}", timeout=2):
            pass
    elapsed = time.monotonic() - start
    assert str(info.value) == (f"Cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
                               f"no answer within 2 s.")
    assert elapsed < 2 + 3


def _unused_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_import_vcbound_and_the_module_stay_dask_free():
    code = ("import sys, vcbound, vcbound._engine._distributed, vcbound.cli._common; "
            "print([m for m in ('dask', 'distributed') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- with workers
def test_check_client_and_workers(client):
    assert D.check_client(client) is client
    assert D.check_workers(client) == 2
    assert D.total_threads(client) == 2


def test_check_workers_refuses_another_vcbound(client, monkeypatch):
    import vcbound
    monkeypatch.setattr(vcbound, "__version__", "0.0.0-not-this")   # here only, not on workers
    with pytest.raises(VCBoundError, match="runs another vcbound"):
        D.check_workers(client)


def test_run_shards_hands_every_result_over(client):
    shards = list(range(20))
    got = {}
    run = D.run_shards(client, operator.mul, shards, args=(7,), on_result=got.__setitem__,
                       window=3)
    assert run == D.ShardRun(submitted=20, finished=20, stopped=False)
    assert got == {i: 7 * i for i in shards}


def test_run_shards_skips_and_stops_early(client):
    got = {}
    run = D.run_shards(client, operator.neg, list(range(10)), skip={0, 3, 4},
                       on_result=got.__setitem__)
    assert sorted(got) == [1, 2, 5, 6, 7, 8, 9] and got[9] == -9
    assert run.submitted == 7
    # early stops: on_result says so, or stop() does while tasks run. A task already running
    # finishes (a Python thread cannot be killed); the queued ones are cancelled, so the two
    # workers are free after about one 1 s task instead of five (ten tasks of 1 s on 2 workers)
    seen = []
    start = time.monotonic()
    run = D.run_shards(client, time.sleep, [0.01] * 2 + [1.0] * 10, window=12,
                       on_result=lambda i, v: seen.append(i) or len(seen) == 2)
    assert run.stopped and run.finished == 2 and sorted(seen) == [0, 1]
    assert client.submit(operator.add, 1, 2, pure=False).result(timeout=10) == 3
    assert time.monotonic() - start < 4
    polls = []
    start = time.monotonic()
    run = D.run_shards(client, time.sleep, [1.0] * 10, window=12, on_result=lambda i, v: None,
                       stop=lambda: polls.append(1) or len(polls) >= 3)
    assert run.stopped and run.finished == 0 and len(polls) == 3
    assert client.submit(operator.add, 1, 2, pure=False).result(timeout=10) == 3
    assert time.monotonic() - start < 4


def test_run_shards_runs_at_most_ahead_shards_past_the_oldest_unfinished(client):
    # shard 0 is slow; with ahead=3 only shards 1 and 2 may be submitted (and finish) before
    # it does, whatever the window
    order = []
    D.run_shards(client, time.sleep, [1.0] + [0.01] * 12, window=8, ahead=3,
                 on_result=lambda i, v: order.append(i))
    assert sorted(order) == list(range(13))
    assert order.index(0) <= 2


def test_run_shards_reraises_the_task_error(client):
    with pytest.raises(ValueError, match="math domain error"):
        D.run_shards(client, math.sqrt, [4.0, -1.0], retries=1, on_result=lambda i, v: None)


# =========================================================================== enumeration
# The reference for identity is the serial run of the same engine (same seed, batch_size);
# absolute numbers are published/hand counts: the 3 x 3 grid has 58 linear dichotomies
# (vcbound docs §One-neuron counts, OEIS A114146; tests/test_enumerate.py's planar_count).

import os  # noqa: E402
import signal  # noqa: E402

import numpy as np  # noqa: E402

import vcbound  # noqa: E402
import vcbound.enumerate as E  # noqa: E402
from vcbound._engine._checkpoint import read_checkpoint  # noqa: E402
from vcbound.enumerate import enumerate_labellings  # noqa: E402
from vcbound.errors import CheckpointError  # noqa: E402
from vcbound.grid import make_grid  # noqa: E402

#: (widths, grid (d, K), samples, batch_size): a single neuron whose count is known (58), and
#: a two-hidden-layer network on 289 points (five words per pattern) with float64 repairs
CONFIGS = {"neuron": ([2, 1], (3, 3), 20000, 500),
           "hidden": ([2, 8, 8, 1], (3, 17), 6000, 500)}


def _run(config, **kw):
    widths, (d, K), samples, batch = CONFIGS[config]
    return enumerate_labellings(widths, make_grid(d, K=K), samples, seed=3, batch_size=batch,
                                return_patterns=True, **kw)


@pytest.fixture(scope="module")
def serial():
    return {name: _run(name) for name in CONFIGS}


def _same(a, b):
    assert a.samples == b.samples and a.distinct == b.distinct
    assert np.array_equal(a.saturation, b.saturation)
    assert (a.fallback, a.rejected) == (b.fallback, b.rejected)
    assert np.array_equal(a.patterns, b.patterns)


def test_serial_references_are_sound(serial):
    assert serial["neuron"].distinct == 58 and serial["neuron"].converged is True
    assert serial["hidden"].fallback > 0       # the tallies compared below are not all zero
    assert len(serial["hidden"].saturation) == 12


@pytest.fixture(scope="module")
def clients(client):
    """Clients of 1, 2 and 3 workers (the module's cluster is the 2)."""
    made = []
    out = {2: client}
    for workers in (1, 3):
        cluster = _local(workers)
        out[workers] = distributed.Client(cluster, set_as_default=False)
        made.append((out[workers], cluster))
    yield out
    for c, cluster in made:
        c.close()
        cluster.close()


@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_identical_to_the_serial_run(clients, serial, config, workers):
    res = _run(config, client=clients[workers])
    _same(res, serial[config])
    assert res.workers == workers and res.shards >= workers
    assert res.engine == f"dask: {workers} worker threads, {res.shards} shard tasks"


@pytest.mark.parametrize("shard_size", [1, 500, 1700, 10**9])
def test_any_shard_size_gives_the_serial_result(client, serial, shard_size):
    # 1 -> one batch per shard; 1700 -> rounded up to 2000 (4 batches); 10^9: one shard
    res = _run("hidden", client=client, shard_size=shard_size)
    _same(res, serial["hidden"])
    batches = -(-6000 // 500)
    assert res.shards == -(-batches // -(-max(shard_size, 1) // 500))


def test_workers_import_the_same_vcbound(client):
    import vcbound.enumerate as local
    files = client.run(lambda: __import__("vcbound.enumerate").enumerate.__file__)
    versions = client.run(E._worker_fingerprint)
    assert set(files.values()) == {local.__file__}
    assert set(versions.values()) == {(vcbound.__version__, local.STREAM_VERSION)}


def test_a_worker_with_another_stream_version_is_refused(client, monkeypatch):
    monkeypatch.setattr(E, "STREAM_VERSION", E.STREAM_VERSION + 1000)   # here, not on workers
    with pytest.raises(VCBoundError, match="runs another vcbound"):
        _run("neuron", client=client)


@pytest.mark.parametrize("bad", ["tcp://127.0.0.1:8786", "local:2", 2, object()])
def test_client_must_be_a_dask_client(bad):
    with pytest.raises(VCBoundTypeError, match="Argument 'client' must be a "
                                               "dask.distributed.Client"):
        enumerate_labellings([2, 1], make_grid(3, K=3), 100, client=bad)


def test_progress_bar_counts_shards_and_networks(client, capsys):
    res = enumerate_labellings([2, 1], make_grid(3, K=3), 4000, seed=3, batch_size=500,
                               client=client, shard_size=1000, progress=True)
    err = capsys.readouterr().err
    assert res.distinct == 58 and "shards=4/4" in err and "4.00k/4.00k" in err


def test_shard_size_needs_a_client():
    with pytest.raises(VCBoundError, match="shard_size"):
        enumerate_labellings([2, 1], make_grid(3, K=3), 100, shard_size=10)


def test_a_closed_client_is_refused(cluster):
    c = distributed.Client(cluster.scheduler_address, set_as_default=False)
    c.close()
    with pytest.raises(VCBoundError, match="closed Dask client"):
        enumerate_labellings([2, 1], make_grid(3, K=3), 100, client=c)


# --------------------------------------------------------------------------- faults, resume
def _tokens(stream):
    """Per run token (keys are vcbound-enumerate-<token>-<index>), the shard indices run."""
    out = {}
    for task in stream.data:
        key = str(task["key"])
        if key.startswith("vcbound-enumerate-") and task.get("status", "OK") == "OK":
            token, index = key.split("-")[2:4]
            out.setdefault(token, set()).add(int(index))
    return out


def _stored(path):
    fmt, spec = E._FORMAT, E._SPEC
    data = read_checkpoint(path, fmt, spec, optional=E._EXTRA_SPEC)
    ranges = data.get("shard_ranges", np.zeros((0, 2), np.int64))
    return int(data["samples_done"]), [tuple(int(v) for v in r) for r in ranges]


def _break_off(monkeypatch, action, after=4, hold_first=True):
    """Make the coordinator keep back shard 0 (as if it were slow: the later ones finish beyond
    the merged prefix) and run ``action`` when the ``after``-th other result arrives."""
    real = E._receive
    seen = []

    def receive(state, t0, t1, value):
        if hold_first and t0 == 0:
            return
        seen.append(t0)
        if len(seen) == after:
            action()
        real(state, t0, t1, value)

    monkeypatch.setattr(E, "_receive", receive)
    return seen


def test_resume_after_the_coordinator_dies(client, serial, tmp_path, monkeypatch):
    """The coordinator crashes after 4 shards (not an error vcbound handles: nothing is saved
    on the way out, the checkpoint is the last periodic one); the resumed run runs exactly the
    shards the checkpoint does not hold and gives the serial result."""
    ck = tmp_path / "run.npz"

    def crash():
        raise RuntimeError("coordinator crashed")

    _break_off(monkeypatch, crash)
    with distributed.get_task_stream(client) as first:
        with pytest.raises(RuntimeError, match="coordinator crashed"):
            _run("hidden", client=client, shard_size=1000, checkpoint=ck,
                 checkpoint_every=1e-9)
    monkeypatch.undo()
    done, ranges = _stored(ck)
    assert done == 0 and len(ranges) == 3          # shard 0 held back; results 1-3 saved
    assert all(t1 - t0 == 1000 and t0 % 1000 == 0 for t0, t1 in ranges)
    with distributed.get_task_stream(client) as second:
        res = _run("hidden", client=client, shard_size=1000, checkpoint=ck)
    _same(res, serial["hidden"])
    before = set(_tokens(first))
    ran = {t: s for t, s in _tokens(second).items() if t not in before}
    assert len(ran) == 1
    (indices,) = ran.values()
    # the plan of the resumed run: 6 shards of 1000 networks; the 3 stored ones not run again
    stored_index = {t0 // 1000 for t0, _ in ranges}
    assert indices == set(range(6)) - stored_index and res.shards == 3


def test_closed_client_then_serial_resume(cluster, serial, tmp_path, monkeypatch):
    """A distributed checkpoint (shards beyond the prefix) resumed serially: the stored shards
    are merged, not drawn again (counted batches), and the result is the serial one."""
    ck = tmp_path / "run.npz"
    other = distributed.Client(cluster.scheduler_address, set_as_default=False)
    _break_off(monkeypatch, other.close)
    with pytest.raises(VCBoundError, match="client was closed"):
        _run("hidden", client=other, shard_size=1000, checkpoint=ck)
    monkeypatch.undo()
    done, ranges = _stored(ck)
    assert done == 0 and len(ranges) >= 3
    stored_batches = sum(t1 - t0 for t0, t1 in ranges) // 500
    real = E._generate_batch
    drawn = []
    monkeypatch.setattr(E, "_generate_batch", lambda *a: drawn.append(1) or real(*a))
    res = _run("hidden", checkpoint=ck)
    _same(res, serial["hidden"])
    assert len(drawn) == 12 - stored_batches
    assert res.engine == "serial" and _stored(ck) == (6000, [])


def test_serial_checkpoint_resumed_distributed(client, serial, tmp_path, monkeypatch):
    ck = tmp_path / "run.npz"
    real = E._generate_batch
    calls = []

    def interrupting(*args):
        real(*args)
        calls.append(1)
        if len(calls) == 3:                       # Ctrl-C during batch 3
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(E, "_generate_batch", interrupting)
    part = _run("hidden", checkpoint=ck)
    monkeypatch.undo()
    assert part.interrupted and part.samples == 1500
    res = _run("hidden", client=client, checkpoint=ck)
    _same(res, serial["hidden"])
    assert res.resumed_from == 1500


def test_ctrl_c_stops_a_distributed_run_and_it_resumes(client, serial, tmp_path, monkeypatch):
    ck = tmp_path / "run.npz"
    _break_off(monkeypatch, lambda: signal.raise_signal(signal.SIGINT), after=2,
               hold_first=False)
    part = _run("neuron", client=client, shard_size=2000, checkpoint=ck)
    monkeypatch.undo()
    assert part.interrupted and part.samples < 20000
    assert part.saturation[-1].tolist() == [part.samples, part.distinct]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    done, ranges = _stored(ck)
    assert done == part.samples and done % 2000 == 0
    res = _run("neuron", client=client, shard_size=2000, checkpoint=ck)
    _same(res, serial["neuron"])
    assert res.distinct == 58


def test_a_worker_killed_mid_task_changes_nothing(client, serial, tmp_path):
    """Fault injection: the first shard task to start kills its worker process after one
    batch (os._exit(1)); the nanny restarts the worker, the scheduler reruns the task."""
    marker = tmp_path / "killed"
    before = set(client.scheduler_info()["workers"])
    client.run(E._set_fault_exit, str(marker))
    try:
        res = _run("hidden", client=client, shard_size=1000)
    finally:
        client.run(E._set_fault_exit, None)
    assert marker.exists()                         # a worker did die
    _same(res, serial["hidden"])
    client.wait_for_workers(2, timeout=60)
    after = set(client.scheduler_info()["workers"])
    assert len(before - after) == 1                # one worker replaced by a new process


def test_tampered_shards_in_a_checkpoint_are_refused(client, tmp_path, monkeypatch):
    ck = tmp_path / "run.npz"
    _break_off(monkeypatch, lambda: signal.raise_signal(signal.SIGINT))
    _run("hidden", client=client, shard_size=1000, checkpoint=ck)
    monkeypatch.undo()
    with np.load(ck) as data:
        arrays = dict(data)
    assert "shard_keys" in arrays
    for name, change, match in [
            ("shard_keys", lambda a: a | np.uint64(1), "not canonical"),
            ("shard_batches", lambda a: a + 1, "do not agree|inconsistent"),
            ("shard_ranges", lambda a: a[:, ::-1].copy(), "inconsistent"),
            ("shard_nbatches", None, "incompletely")]:
        bad = dict(arrays)
        if change is None:
            del bad[name]
        else:
            bad[name] = change(bad[name])
        path = tmp_path / f"bad-{name}.npz"
        np.savez(path, **bad)
        with pytest.raises(CheckpointError, match=match):
            _run("hidden", checkpoint=path)
    # a file of the right arrays without the format tag is still refused
    foreign = dict(arrays)
    del foreign["format"]
    np.savez(tmp_path / "foreign.npz", **foreign)
    with pytest.raises(CheckpointError, match="not a"):
        _run("hidden", checkpoint=tmp_path / "foreign.npz")


# --------------------------------------------------------------------------- command line
ENUM = ["enumerate", "--d", "3", "--K", "3", "--widths", "2,1", "--samples", "20000",
        "--seed", "3", "--batch-size", "500", "--format", "json"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cli(argv, capsys):
    from vcbound.cli import main
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def _comparable(text):
    import json
    out = json.loads(text)
    for key in ("seconds", "rate", "engine"):
        out.pop(key)
    return out


def test_cli_on_a_running_scheduler_prints_the_serial_result(cluster, capsys):
    status, serial_out, _ = _cli(ENUM, capsys)
    assert status == 0
    status, out, err = _cli(ENUM + ["--scheduler", cluster.scheduler_address, "--shard-size",
                                    "1000"], capsys)
    assert status == 0, err
    assert _comparable(out) == _comparable(serial_out)
    import json
    assert json.loads(out)["distinct"] == 58
    assert json.loads(out)["engine"] == "dask: 2 worker threads, 20 shard tasks"


def test_cli_local_cluster_in_a_fresh_process():
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "vcbound", *ENUM, "--scheduler", "local:1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""                       # the embedded cluster is quiet
    import json
    out = json.loads(proc.stdout)
    assert out["distinct"] == 58 and out["engine"].startswith("dask: 1 worker threads")
    print(f"local:1 run in a fresh process: {time.monotonic() - start:.1f} s")


def test_cli_unreachable_scheduler_is_one_line_exit_2_within_seconds():
    port = _unused_port()
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "vcbound", *ENUM, "--scheduler",
                           f"tcp://127.0.0.1:{port}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    elapsed = time.monotonic() - start
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"vcbound enumerate: error: Cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
        "no answer within 5 s."]
    assert elapsed < 15, elapsed                   # 5 s timeout + interpreter and imports
    print(f"unreachable scheduler: exit 2 after {elapsed:.1f} s")


@pytest.mark.parametrize("extra, match", [
    (["--scheduler", "local:0"], "Argument '--scheduler' must be local:N with N >= 1 or "
                                 "tcp://HOST:PORT, not 'local:0'."),
    (["--scheduler", "tcp://host"], "not 'tcp://host'"),
    (["--shard-size", "100"], "--shard-size applies with --scheduler only"),
])
def test_cli_bad_scheduler_options(capsys, extra, match):
    status, out, err = _cli(ENUM + extra, capsys)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and match in err


def test_cli_without_dask_names_the_extra(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    status, out, err = _cli(ENUM + ["--scheduler", "local:2"], capsys)
    assert status == 2 and out == ""
    assert err.strip().splitlines() == [
        'vcbound enumerate: error: The distributed engine needs dask.distributed, which is not '
        'installed: pip install "vcbound[distributed]".']


def test_cli_killed_with_sigkill_resumes_without_redoing_shards(client, cluster, tmp_path):
    """The real thing: ``enumerate --scheduler tcp://...`` killed with SIGKILL mid-run (no
    handler runs; the checkpoint is the last periodic one), then resumed in-process on the same
    cluster: the shards it holds are not run again and the result is the serial one."""
    import json
    ck = tmp_path / "run.npz"
    argv = ["enumerate", "--d", "3", "--K", "8", "--widths", "2,16,1", "--samples", "1e7",
            "--seed", "5", "--batch-size", "65536", "--format", "json", "--exact", "no"]
    with distributed.get_task_stream(client) as first:   # tasks of the run to be killed
        proc = subprocess.Popen([sys.executable, "-m", "vcbound", *argv, "--scheduler",
                                 cluster.scheduler_address, "--shard-size", "262144",
                                 "--checkpoint", str(ck), "--checkpoint-every", "0.001"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        held = 0
        while proc.poll() is None and time.monotonic() < deadline:
            if ck.exists():
                try:
                    done, ranges = _stored(ck)
                except CheckpointError:       # pragma: no cover - replaced while read
                    continue
                held = done + sum(t1 - t0 for t0, t1 in ranges)
                if held >= 4 * 262144:
                    break
            time.sleep(0.02)
        proc.kill()
        proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be killed")
    assert proc.returncode == -signal.SIGKILL
    done, ranges = _stored(ck)
    shards = -(-10**7 // 262144)                          # 39 shards of 4 batches (the last 1)
    stored = {t0 // 262144 for t0, _ in ranges} | set(range(done // 262144))
    assert 4 <= len(stored) < shards
    with distributed.get_task_stream(client) as stream:
        from vcbound.cli import main
        import contextlib
        import io
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            status = main(argv + ["--scheduler", cluster.scheduler_address, "--shard-size",
                                  "262144", "--checkpoint", str(ck)])
    assert status == 0
    resumed = json.loads(buf.getvalue())
    reference = enumerate_labellings([2, 16, 1], make_grid(3, K=8), 10**7, seed=5,
                                     batch_size=65536, exact=False)
    assert resumed["distinct"] == reference.distinct
    assert resumed["saturation"] == reference.saturation.tolist()
    assert (resumed["fallback"], resumed["rejected"]) == (reference.fallback,
                                                           reference.rejected)
    # the killed run's own tasks may still finish after its death: count the resumed run's
    # only (a token not seen before the kill); its plan starts at the merged prefix
    before = set(_tokens(first))
    ran = [s for t, s in _tokens(stream).items() if t not in before]
    assert [len(s) for s in ran] == [shards - len(stored)]
    assert resumed["engine"].endswith(f"{shards - len(stored)} shard tasks")
