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


@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                       dashboard_address=None, processes=True)
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


def test_run_shards_reraises_the_task_error(client):
    with pytest.raises(ValueError, match="math domain error"):
        D.run_shards(client, math.sqrt, [4.0, -1.0], retries=1, on_result=lambda i, v: None)
