"""Dask as the distributed engine: schedulers, clients and sharded runs (internal).

Shared by the engines that spread their work over a Dask cluster (the Monte Carlo enumerator of
:mod:`vcbound.enumerate`; the exact counts). Nothing here imports dask at module import: only
:func:`require_distributed` does, when a client or a scheduler is asked for, so ``import
vcbound`` and every serial run stay dask-free. The extra is ``pip install "vcbound[distributed]"``.

The API is small:

:func:`parse_scheduler`
    ``'local:N'`` or ``'tcp://HOST:PORT'`` (the ``--scheduler`` option of the command line) to a
    :class:`Scheduler`, checked without importing dask.
:func:`open_client`
    Context manager: a ``distributed.Client`` for a :class:`Scheduler` (an embedded
    ``LocalCluster`` of N one-thread worker processes, or a running scheduler), closed with
    everything it opened; an address that does not answer is a one-line
    :class:`~vcbound.errors.VCBoundError` after ``timeout`` seconds.
:func:`check_client`
    The ``client=`` argument of a public function must be a ``distributed.Client``.
:func:`check_workers`
    Wait for a worker and check that every worker runs the same vcbound (version and a
    fingerprint of the engine, e.g. the enumerator's stream version) as the caller.
:func:`run_shards`
    One task per shard, results handed to the caller as they arrive, Dask's own retries,
    cancellation of what is outstanding on stop, Ctrl-C or error.

Fault handling is Dask's: an exception in a task is retried ``retries`` times
(``Client.submit(retries=...)``); a task whose worker dies (the process killed, out of memory)
is rescheduled by the scheduler on another worker (a nanny restarts the dead one), up to the
scheduler's ``distributed.scheduler.allowed-failures`` (3 by default), after which the task
fails with ``KilledWorker``, reported here as a :class:`~vcbound.errors.VCBoundError`. Tasks are
plain top-level functions of vcbound, pickled by reference, so every worker must have the same
vcbound installed (checked by :func:`check_workers`).
"""

import contextlib
import logging
import re
import sys
import time
import uuid
from typing import NamedTuple

from ..errors import VCBoundError, VCBoundTypeError

__all__ = ["HINT", "Scheduler", "ShardRun", "require_distributed", "parse_scheduler",
           "open_client", "check_client", "check_workers", "run_shards", "total_threads"]

#: The one-line hint when dask.distributed is missing.
HINT = ('The distributed engine needs dask.distributed, which is not installed: '
        'pip install "vcbound[distributed]".')

#: Largest N of ``local:N`` (each worker is a process).
MAX_LOCAL_WORKERS = 256

#: Arguments of a run larger than this (bytes) are scattered to the workers once instead of
#: being embedded in every task.
SCATTER_BYTES = 1 << 20

_TCP = re.compile(r"^tcp://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})/?$")


def require_distributed():
    """The ``distributed`` module, or :class:`~vcbound.errors.VCBoundError` with :data:`HINT`.

    Returns
    -------
    module
        ``distributed`` (dask.distributed).

    Raises
    ------
    VCBoundError
        dask.distributed is not installed (one line naming the extra).
    """
    try:
        import distributed
    except ImportError:
        raise VCBoundError(HINT) from None
    return distributed


class Scheduler(NamedTuple):
    """A parsed ``--scheduler``: ``kind`` is ``'local'`` (``workers`` processes of one thread
    each, embedded) or ``'tcp'`` (``address`` of a running scheduler)."""

    kind: str
    workers: int = 0
    address: str = ""

    def __str__(self):
        return f"local:{self.workers}" if self.kind == "local" else self.address


def parse_scheduler(text, name="--scheduler"):
    """``'local:N'`` or ``'tcp://HOST:PORT'`` as a :class:`Scheduler` (dask is not imported).

    Parameters
    ----------
    text : str or Scheduler
        ``local:N``: an embedded ``LocalCluster`` of N >= 1 worker processes of one thread each;
        ``tcp://HOST:PORT``: a running Dask scheduler (``dask scheduler`` prints its address).
    name : str
        Argument name in error messages.

    Returns
    -------
    Scheduler

    Raises
    ------
    VCBoundError
        Anything else (``local:0``, ``local:x``, a missing port, another protocol).

    Examples
    --------
    >>> parse_scheduler("local:2")
    Scheduler(kind='local', workers=2, address='')
    >>> str(parse_scheduler(" tcp://10.0.0.5:8786 "))
    'tcp://10.0.0.5:8786'
    >>> parse_scheduler("local:0")
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument '--scheduler' must be local:N with N >= 1 or tcp://HOST:PORT, not 'local:0'.
    """
    if isinstance(text, Scheduler):
        return text
    if not isinstance(text, str):
        raise VCBoundTypeError(f"Argument {name!r} must be a text local:N or tcp://HOST:PORT, "
                               f"not {_short(text)}.")
    spec = text.strip()
    bad = VCBoundError(f"Argument {name!r} must be local:N with N >= 1 or tcp://HOST:PORT, not "
                       f"{_short(text)}.")
    if spec.lower().startswith("local:"):
        count = spec[6:].strip()
        if not count.isdigit() or len(count) > 6:
            raise bad
        workers = int(count)
        if workers < 1:
            raise bad
        if workers > MAX_LOCAL_WORKERS:
            raise VCBoundError(f"Argument {name!r} must be local:N with 1 <= N <= "
                               f"{MAX_LOCAL_WORKERS} (each worker is a process on this "
                               f"machine), not {_short(text)}.")
        return Scheduler("local", workers=workers)
    match = _TCP.match(spec)
    if match is None or not 1 <= int(match["port"]) <= 65535:
        raise bad
    return Scheduler("tcp", address=f"tcp://{match['host']}:{int(match['port'])}")


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "...'"


@contextlib.contextmanager
def open_client(spec, timeout=5.0):
    """A ``distributed.Client`` for ``spec``, closed (with its cluster) on exit.

    Parameters
    ----------
    spec : str or Scheduler
        See :func:`parse_scheduler`. ``local:N`` starts ``LocalCluster(n_workers=N,
        threads_per_worker=1, dashboard_address=None)`` (worker processes started with
        ``spawn``: a script must guard its work with ``if __name__ == "__main__":``; the
        cluster logs errors only: a worker that dies is restarted and its task rerun without a
        warning on stderr).
    timeout : float
        Seconds to wait for a ``tcp://`` scheduler to answer.

    Yields
    ------
    distributed.Client
        Not made the default client (``set_as_default=False``).

    Raises
    ------
    VCBoundError
        dask.distributed missing (:data:`HINT`), the scheduler does not answer within
        ``timeout`` seconds, or the local cluster cannot start.

    Examples
    --------
    >>> with open_client("local:2") as client:           # doctest: +SKIP
    ...     sum(client.nthreads().values())
    2
    """
    spec = parse_scheduler(spec)
    distributed = require_distributed()
    with contextlib.ExitStack() as stack:
        if spec.kind == "local":
            try:
                cluster = distributed.LocalCluster(
                    n_workers=spec.workers, threads_per_worker=1, dashboard_address=None,
                    processes=True, silence_logs=logging.ERROR,
                    # no dashboard; its HTTP server (health routes) on a free local port, so a
                    # second cluster on this machine does not warn about port 8787
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            except Exception as exc:   # noqa: BLE001 - a cluster that cannot start
                raise VCBoundError(
                    f"Cannot start a local Dask cluster of {spec.workers} worker(s): "
                    f"{_reason(exc)} (a script that starts one must run its work under "
                    "if __name__ == '__main__':).") from None
            stack.callback(_quietly, cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
        else:
            try:
                client = distributed.Client(spec.address, timeout=timeout,
                                            set_as_default=False)
            except (OSError, TimeoutError):
                raise VCBoundError(f"Cannot reach the Dask scheduler at {spec.address}: no "
                                   f"answer within {timeout:g} s.") from None
            except Exception as exc:   # noqa: BLE001 - e.g. a non-Dask server on that port
                raise VCBoundError(f"Cannot use the Dask scheduler at {spec.address}: "
                                   f"{_reason(exc)}.") from None
        stack.callback(_quietly, client.close)
        yield client


def _quietly(close):
    try:
        close()
    except Exception:   # noqa: BLE001 - closing what may already be gone
        pass


def _reason(exc):
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def check_client(client, name="client"):
    """Return ``client`` if it is a ``distributed.Client`` that is running, else raise.

    dask is not imported to check this: an object can only be a Client if ``distributed`` is
    already loaded.

    Raises
    ------
    VCBoundTypeError
        Anything else, e.g. an address string (connect with ``Client(address)`` first).
    VCBoundError
        A closed client.

    Examples
    --------
    >>> check_client("tcp://127.0.0.1:8786")
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundTypeError: Argument 'client' must be a dask.distributed.Client (e.g. Client('tcp://HOST:PORT') or Client(LocalCluster())), not 'tcp://127.0.0.1:8786'.
    """
    mod = sys.modules.get("distributed")
    cls = getattr(mod, "Client", None)
    if cls is None or not isinstance(client, cls):
        raise VCBoundTypeError(f"Argument {name!r} must be a dask.distributed.Client (e.g. "
                               f"Client('tcp://HOST:PORT') or Client(LocalCluster())), not "
                               f"{_short(client)}.")
    if getattr(client, "status", "running") != "running":
        raise VCBoundError(f"Argument {name!r} is a closed Dask client (status "
                           f"{client.status!r}); pass a running one.")
    return client


def total_threads(client):
    """Worker threads of the cluster (its parallelism)."""
    return sum(client.nthreads().values())


def _fingerprint():
    from .. import __version__
    return (__version__,)


def check_workers(client, fingerprint=_fingerprint, timeout=30.0):
    """Wait for at least one worker and check that each runs the same vcbound as this process.

    Parameters
    ----------
    client : distributed.Client
    fingerprint : callable
        A top-level function of vcbound (pickled by reference) returning a tuple that must be
        equal on the workers and here, such as ``(vcbound.__version__, STREAM_VERSION)``.
    timeout : float
        Seconds to wait for the first worker.

    Returns
    -------
    int
        Worker threads (see :func:`total_threads`).

    Raises
    ------
    VCBoundError
        No worker within ``timeout``, a worker that cannot import vcbound, or one whose
        fingerprint differs (another vcbound version).
    """
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, OSError):
        raise VCBoundError(f"The Dask scheduler at {client.scheduler.address} has no workers "
                           f"(none joined within {timeout:g} s); start some with "
                           f"`dask worker {client.scheduler.address}`.") from None
    mine = fingerprint()
    try:
        theirs = client.run(fingerprint)
    except Exception as exc:   # noqa: BLE001 - a worker without vcbound, or a broken one
        raise VCBoundError(f"A Dask worker cannot run vcbound ({type(exc).__name__}: "
                           f"{_reason(exc)}); install the same vcbound on every worker.") from None
    for worker, value in sorted(theirs.items()):
        if tuple(value) != tuple(mine):
            raise VCBoundError(f"Dask worker {worker} runs another vcbound (its {value!r}, "
                               f"here {mine!r}); install the same version on every worker.")
    return total_threads(client)


class ShardRun(NamedTuple):
    """What :func:`run_shards` did: tasks ``submitted``, results ``finished`` (handed to
    ``on_result``), and whether it ``stopped`` early (``stop()`` or ``on_result`` said so)."""

    submitted: int
    finished: int
    stopped: bool


def _share(client, args):
    """Large arrays among ``args`` scattered to every worker once (futures), the rest as is."""
    out = []
    for value in args:
        if getattr(value, "nbytes", 0) > SCATTER_BYTES:
            value = client.scatter(value, broadcast=True, hash=False)
        out.append(value)
    return tuple(out)


def run_shards(client, fn, shards, *, args=(), skip=(), on_result, retries=3, progress=None,
               stop=None, window=None, ahead=None, name="vcbound-shard"):
    """Run ``fn(shards[i], *args)`` for every ``i`` not in ``skip`` as Dask tasks.

    Tasks are submitted in index order, at most ``window`` at a time (a new one as each
    finishes), under keys unique to this call. Results reach ``on_result`` in the calling
    thread in the order they finish (not in index order: the caller buffers if it merges in
    order). On return, exception or KeyboardInterrupt, every outstanding task is cancelled.

    Parameters
    ----------
    client : distributed.Client
    fn : callable
        A top-level (importable) function, pickled by reference.
    shards : sequence
        Shard descriptions (small, picklable), e.g. index ranges ``(t0, t1)``.
    args : tuple
        Further arguments of every task; arrays above :data:`SCATTER_BYTES` are scattered to
        the workers once.
    skip : iterable of int
        Indices not to run (finished in an earlier run).
    on_result : callable
        ``on_result(index, value)``; return True to stop early.
    retries : int
        Dask's retries of a task that raised.
    progress : object, optional
        Anything with ``update(n)`` (a tqdm bar): called with 1 per finished shard.
    stop : callable, optional
        Polled while waiting (at least every 0.1 s); True stops (e.g. after Ctrl-C).
    window : int, optional
        Tasks in flight at once; default 4 per worker thread, at least 8.
    ahead : int, optional
        Submit a shard only while it is fewer than ``ahead`` shards (of those run) after the
        oldest one not finished: bounds what a caller merging in index order must buffer
        behind a slow shard. Default: no bound.
    name : str
        Prefix of the task keys.

    Returns
    -------
    ShardRun

    Raises
    ------
    VCBoundError
        A task failed on its workers beyond the scheduler's allowed failures (KilledWorker),
        or was cancelled (the client or scheduler went away). Exceptions raised by ``fn`` are
        re-raised as they are (after ``retries``).

    Examples
    --------
    >>> import operator
    >>> with open_client("local:2") as client:                      # doctest: +SKIP
    ...     got = {}
    ...     run_shards(client, operator.mul, [1, 2, 3], args=(10,),
    ...                on_result=got.__setitem__)
    ...     sorted(got.items())
    ShardRun(submitted=3, finished=3, stopped=False)
    [(0, 10), (1, 20), (2, 30)]
    """
    distributed = require_distributed()
    skip = set(skip)
    todo = [i for i in range(len(shards)) if i not in skip]
    if window is None:
        window = max(8, 4 * total_threads(client))
    token = uuid.uuid4().hex[:12]
    done = distributed.as_completed(loop=client.loop)
    live = {}
    submitted = finished = 0
    stopped = False
    args = _share(client, args) if todo else ()
    try:
        while True:
            if client.status != "running":
                raise VCBoundError(f"The Dask client was closed or lost its scheduler during "
                                   f"the run (status {client.status!r}); {finished} of "
                                   f"{len(todo)} shards had finished.")
            oldest = min((pos for pos, _ in live.values()), default=submitted)
            while submitted < len(todo) and len(live) < window and (
                    ahead is None or submitted < oldest + ahead):
                index = todo[submitted]
                future = client.submit(fn, shards[index], *args, key=f"{name}-{token}-{index}",
                                       retries=retries, pure=False)
                live[future.key] = (submitted, future)
                done.add(future)
                submitted += 1
            if not live:
                break
            if stop is not None and stop():
                stopped = True
                break
            batch = done.next_batch(block=False)
            if not batch:
                _wait(done)
                continue
            for future in batch:
                index = todo[live.pop(future.key)[0]]
                value = _result(future, index, shards)
                future.release()
                finished += 1
                if progress is not None:
                    progress.update(1)
                if on_result(index, value):
                    stopped = True
                    break
            if stopped:
                break
    finally:
        if live:
            _quietly(lambda: client.cancel([f for _, f in live.values()], force=True))
    return ShardRun(submitted, finished, stopped)


def _wait(done):
    """Sleep until a future of ``done`` finishes, at most 0.1 s (as_completed's own wait)."""
    condition = getattr(done, "thread_condition", None)
    if condition is None:   # pragma: no cover - another distributed version
        time.sleep(0.01)
        return
    with condition:
        if not done.has_ready():
            condition.wait(timeout=0.1)


def _result(future, index, shards):
    """The value of a finished future; its failures as vcbound errors where they are Dask's."""
    status = future.status
    if status == "finished":
        return future.result()
    if status == "cancelled":
        raise VCBoundError(f"Shard {index} ({shards[index]!r}) was cancelled: the Dask client "
                           "was closed or lost its scheduler.")
    if status != "error":   # 'lost', 'cancelled' by the scheduler ...
        raise VCBoundError(f"Shard {index} ({shards[index]!r}) was lost ({status}): the Dask "
                           "client was closed or lost its scheduler.")
    try:
        exc = future.exception()
    except Exception as err:   # noqa: BLE001 - the client went away while asking
        raise VCBoundError(f"Shard {index} ({shards[index]!r}) failed and its error could not "
                           f"be fetched: {_reason(err)}.") from None
    if type(exc).__name__ == "KilledWorker":
        raise VCBoundError(f"Shard {index} ({shards[index]!r}) failed: every worker that ran it "
                           f"died ({_reason(exc)}); see the workers' logs.") from None
    return future.result()   # re-raises the task's own exception with its traceback
