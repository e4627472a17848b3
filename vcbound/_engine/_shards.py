"""Sharded orbit counts: plans, serial and Dask runs, checkpoints (engine of :mod:`vcbound.exact`).

A run of the orbit recursion (:mod:`._orbits`) is split in two:

1. **The top.** The recursion runs serially from the root, level by level, until at least
   ``target`` nodes are pending (the *frontier*, merged per level up to symmetry). Its leaf sum
   is the top's part of the count.
2. **The shards.** The frontier, put in the order of :func:`._orbits.order_frontier` (flats
   that agree on their late points next to each other, so that subtrees that would have merged
   mostly stay in one shard), is cut into ``shards`` contiguous chunks of equal size. A shard's
   value is the count of its nodes' subtrees, run level by level with merging among the shard's
   own nodes. The total is the top's sum plus the shards' sums, exact Python integers: the same
   for every sharding, whatever order the shards finish in.

Only one shard's pending levels are held at once (per worker), which bounds the memory of runs
whose unsharded recursion would not fit. A shard loses the merges with nodes of other shards
(the *merge loss*): its nodes are processed more than once overall; the count never changes.

A plan is fixed by the configuration, the group and the sharding parameters (``target``,
``shards``), never by the number of workers, so a checkpoint written by a serial run resumes on
a Dask cluster and the other way round. The checkpoint (a ``.npz`` of plain arrays, written
atomically, see :mod:`._checkpoint`) records the run's identity — SHA-256 digests of the lifted
configuration in the order of the levels, of the prefix stabilisers, of the frontier, and the
sharding parameters — and the finished shards with their sums (as decimal strings) and node
counts; a resumed run skips them.
"""

import hashlib
import os
import sys
import time

import numpy as np

from .._guard import Work
from ..errors import CheckpointError, VCBoundError
from ._checkpoint import CheckpointLock, read_checkpoint, write_checkpoint
from ._orbits import Nodes, OrbitEngine, order_frontier

__all__ = ["EngineSpec", "Plan", "make_plan", "run_plan", "sharding", "FORMAT", "SAVE_EVERY"]

#: Format tag of exact-count checkpoints.
FORMAT = "vcbound-exact-shards-v1"

#: Bump when the top or the frontier of a plan would change for the same parameters (another
#: canonical form, merge rule or frontier order): stored in checkpoints.
PLAN_VERSION = 1

#: Seconds between checkpoint writes (also written when the run stops and at its end).
SAVE_EVERY = 30.0

_SPEC = {"n": ("iu", 0), "rank": ("iu", 0), "configuration": ("U", 0), "group": ("U", 0),
         "plan_version": ("iu", 0), "target": ("iu", 0), "shards": ("iu", 0),
         "frontier": ("U", 0), "frontier_nodes": ("iu", 0), "top": ("U", 0),
         "done": ("iu", 1), "sums": ("U", 1), "nodes": ("iu", 1)}


def _digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()


class EngineSpec:
    """What a worker needs to build the :class:`._orbits.OrbitEngine` of a run: the lifted
    configuration ``V`` in the order of the levels and the group, as ``('box', X, vals,
    order)`` (rebuilt by :func:`._symmetry.box_stabilisers`) or ``('stabilisers', dict)``.
    Small for boxes; its ``nbytes`` lets :func:`._distributed.run_shards` scatter it once when
    it is not."""

    def __init__(self, V, group, merge_from=3, stabilisers=None, threads=None):
        self.V = np.ascontiguousarray(V, dtype=np.int64)
        self.group = group
        self.merge_from = merge_from
        self.threads = threads        # of the engine (None: its default); never changes a count
        self._engine = None
        self._key = None
        self._stab = stabilisers      # already built by the caller (not pickled)

    def __getstate__(self):
        return {"V": self.V, "group": self.group, "merge_from": self.merge_from,
                "threads": self.threads, "_key": self._key}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._engine = None
        self._stab = None

    @property
    def nbytes(self):
        extra = 0
        if self.group[0] == "stabilisers":
            extra = sum(p.nbytes for p in self.group[1].values())
        return self.V.nbytes + extra

    def stabilisers(self):
        if self._stab is not None:
            return self._stab
        kind = self.group[0]
        if kind == "box":
            from ._symmetry import box_stabilisers
            _, X, vals, order = self.group
            return box_stabilisers(X, vals, order)[0]
        if kind == "stabilisers":
            return self.group[1]
        return {}

    def engine(self):
        """The engine (built once per process and spec)."""
        if self._engine is None:
            key = (self.key(), self.threads)
            cached = _ENGINES.get(key)
            if cached is None:
                cached = OrbitEngine(self.V, self.stabilisers(), merge_from=self.merge_from,
                                     threads=self.threads)
                _ENGINES.clear()          # one run at a time per worker: keep only the last
                _ENGINES[key] = cached
            self._engine = cached
            self._stab = None             # the engine holds them (transposed)
        return self._engine

    def key(self):
        """Digests of the configuration (its vectors as a set) and of the group (the order of
        the levels and the stabilisers the engine merges by, with ``merge_from``)."""
        if self._key is None:
            if self._stab is None:
                self._stab = self.stabilisers()
            parts = [self.V, np.array([self.merge_from])]
            for level in sorted(self._stab):
                parts += [np.array([level]), self._stab[level]]
            rows = self.V[np.lexsort(self.V.T[::-1])]
            self._key = (_digest(rows), _digest(*parts))
        return self._key


_ENGINES = {}


#: Frontier of the default plan: the top runs until this many nodes are pending (about
#: 60 bytes each, plus the merge's temporaries), so runs that never hold that many nodes are
#: not sharded at all (no merge loss).
DEFAULT_TARGET = 1 << 21

#: Shards of the default plan.
DEFAULT_SHARDS = 256

#: Frontier nodes per shard when the number of shards is given.
NODES_PER_SHARD = 64


def sharding(n, rank, shards=None):
    """(frontier target, shards) of a plan: fixed by the problem and ``shards`` only, never by
    the workers, so that a checkpoint moves between serial and Dask runs. Default:
    :data:`DEFAULT_TARGET` and :data:`DEFAULT_SHARDS`; with ``shards`` given, a frontier of
    :data:`NODES_PER_SHARD` nodes per shard."""
    if shards is None:
        return DEFAULT_TARGET, DEFAULT_SHARDS
    return NODES_PER_SHARD * int(shards), int(shards)


class Plan:
    """The top of a run and its shards (see the module docstring).

    Attributes
    ----------
    spec : EngineSpec
    top : int
        Leaf sum of the nodes processed before the frontier.
    top_nodes : int
    frontier : Nodes
        In shard order.
    bounds : ndarray
        Shard i is ``frontier[bounds[i]:bounds[i + 1]]``.
    target, shards : int
        The sharding parameters asked for (``shards`` is capped at the frontier's size).
    identity : dict
        What the checkpoint records and checks.
    seconds : float
        Time of the top.
    """

    def __init__(self, spec, top, top_nodes, frontier, bounds, target, shards, seconds):
        self.spec, self.top, self.top_nodes = spec, top, top_nodes
        self.frontier, self.bounds = frontier, bounds
        self.target, self.shards, self.seconds = target, shards, seconds
        config, group = spec.key()
        self.identity = {"n": len(spec.V), "rank": spec.V.shape[1], "configuration": config,
                         "group": group, "plan_version": PLAN_VERSION, "target": target,
                         "shards": shards,
                         "frontier": _digest(frontier.words, frontier.level, frontier.mult),
                         "frontier_nodes": len(frontier), "top": str(top)}

    def __len__(self):
        return len(self.bounds) - 1

    def shard(self, i):
        return self.frontier[int(self.bounds[i]):int(self.bounds[i + 1])]


class _TopProgress(Work):
    """Progress of the serial top, as a tqdm line and for the heartbeat (a :class:`Work`): the
    level reached, the nodes done and pending. Levels are very unequal work, so it has no total
    (no fraction, no time to go)."""

    def __init__(self, levels, bar):
        super().__init__("levels", None)
        self.levels, self.bar = levels, bar
        self.level, self.processed, self.pending = levels, 0, 1

    def describe(self):
        if not self.processed:
            return f"top of the recursion, starting at level {self.levels:,}"
        done = "1 node" if self.processed == 1 else f"{self.processed:,} nodes"
        return (f"top of the recursion at level {self.level:,} of {self.levels:,}, "
                f"{done} done, {self.pending:,} pending")

    def __call__(self, level, processed, pending):
        self.level, self.processed, self.pending = level, processed, pending
        if self.bar is not None:
            self.bar.set_description_str("exact count: " + self.describe(), refresh=False)
            self.bar.update(1)


def make_plan(spec, target, shards, progress=False):
    """Run the top of the recursion and cut the frontier into ``shards`` shards.

    ``target`` None means no top: the root is the only frontier node (one shard, the unsharded
    recursion). ``shards`` larger than the frontier gives every node its own shard. With
    ``progress``, a tqdm line shows the level the top has reached and its nodes; the heartbeat
    of the command line reads the same (:class:`vcbound._guard.Work`).
    """
    t0 = time.perf_counter()
    engine = spec.engine()
    if target is None:
        top, frontier, nodes = 0, engine.root(), 0
    else:
        stats = {}
        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=None, desc="exact count: top of the recursion",
                       bar_format="{desc} [{elapsed}]", dynamic_ncols=True)
        report = _TopProgress(len(spec.V), bar)
        try:
            with report:
                top, frontier = engine.run(engine.root(), target=target, stats=stats,
                                           on_level=report)
            if bar is not None:
                bar.set_description_str("exact count: " + (
                    report.describe() if frontier is not None else
                    f"{report.processed:,} nodes, done"), refresh=False)
        finally:
            if bar is not None:
                bar.close()
        nodes = stats["nodes"]
        if frontier is None:
            frontier = Nodes.concat([], engine.W, engine.r)
        else:
            frontier = frontier[order_frontier(frontier)]
    count = max(1, min(int(shards), len(frontier))) if len(frontier) else 0
    # equal numbers of nodes: the rank-first order keeps the few heavy nodes of low rank
    # together (cutting by estimated work instead, so that shards take about equal time,
    # spreads them and costs 4 to 10 times the nodes on {0,1}^7)
    bounds = np.linspace(0, len(frontier), count + 1).round().astype(np.int64)
    return Plan(spec, top, nodes, frontier, bounds, target, shards, time.perf_counter() - t0)


def count_shard(bounds, spec, frontier):
    """Task of one shard: (sum, nodes processed, most nodes pending) of the subtrees of
    ``frontier[start:stop]`` (a top-level function, pickled by reference for Dask)."""
    start, stop = bounds
    engine = spec.engine()
    stats = {}
    total, _ = engine.run(frontier[int(start):int(stop)], stats=stats)
    return int(total), int(stats.get("nodes", 0)), int(stats.get("peak", 0))


# ----------------------------------------------------------------------------- checkpoints
def _save(path, plan, done):
    idx = np.array(sorted(done), dtype=np.int64)
    arrays = {k: np.array(v) for k, v in plan.identity.items()}
    arrays["done"] = idx
    arrays["sums"] = np.array([str(done[i][0]) for i in idx], dtype=str).reshape(len(idx))
    arrays["nodes"] = np.array([done[i][1] for i in idx], dtype=np.int64)
    write_checkpoint(path, FORMAT, arrays)


def _load(path, plan):
    """Finished shards {index: (sum, nodes)} of a checkpoint of this plan."""
    data = read_checkpoint(path, FORMAT, _SPEC)
    ident = plan.identity
    path = os.fspath(path)
    n0, r0 = int(data["n"]), int(data["rank"])
    if str(data["configuration"]) != ident["configuration"]:
        same = ", other coordinates" if (n0, r0) == (ident["n"], ident["rank"]) else ""
        raise CheckpointError(f"Checkpoint {path!r} belongs to another point set (checkpoint: "
                              f"{n0} points of rank {r0}; this run: {ident['n']} points of "
                              f"rank {ident['rank']}{same}).")
    if str(data["group"]) != ident["group"]:
        raise CheckpointError(f"Checkpoint {path!r} was computed with another symmetry group "
                              "of these points (another 'symmetry' argument); run with the same "
                              "one or use another checkpoint file.")
    theirs = (int(data["target"]), int(data["shards"]))
    if theirs != (ident["target"], ident["shards"]):
        raise CheckpointError(f"Checkpoint {path!r} belongs to another sharding (checkpoint: "
                              f"frontier {theirs[0]}, {theirs[1]} shards; this run: frontier "
                              f"{ident['target']}, {ident['shards']} shards); use the same "
                              "shards or another checkpoint file.")
    if int(data["plan_version"]) != PLAN_VERSION or str(data["frontier"]) != ident["frontier"] \
            or str(data["top"]) != ident["top"]:
        raise CheckpointError(f"Checkpoint {path!r} was written by another version of vcbound's "
                              "exact engine (its frontier differs); start a new checkpoint file.")
    done = {}
    idx, sums, nodes = data["done"], data["sums"], data["nodes"]
    if not (len(idx) == len(sums) == len(nodes)) or (len(idx) and (
            idx.min() < 0 or idx.max() >= len(plan) or len(set(idx.tolist())) != len(idx))):
        raise CheckpointError(f"Checkpoint {path!r} is corrupt: its finished shards do not "
                              f"match its {len(plan)} shards.")
    for i, s, k in zip(idx.tolist(), sums.tolist(), nodes.tolist()):
        if not s.isdigit():
            raise CheckpointError(f"Checkpoint {path!r} is corrupt: shard {i} has the sum "
                                  f"{s[:40]!r}.")
        done[i] = (int(s), int(k))
    return done


# ----------------------------------------------------------------------------- runs
class _Stop:
    """The first Ctrl-C (SIGINT) while a sharded run is active only sets ``stop``: the run ends
    after the shard(s) in progress, saves its checkpoint and raises KeyboardInterrupt (the
    enumerator's flag, vcbound.enumerate._StopFlag, with this message). A shard can take long
    (the first shards of {0,1}^8 hold most of its work), so a second Ctrl-C raises
    KeyboardInterrupt at once: the finished shards are still saved, the shard(s) in progress
    are abandoned and computed again on resume (on Dask they are cancelled)."""

    def __init__(self):
        from ..enumerate import _StopFlag

        class Flag(_StopFlag):
            def _handler(self, signum, frame):
                if self.stop:
                    raise KeyboardInterrupt("second Ctrl-C: the shard(s) in progress are "
                                            "abandoned")
                print("vcbound: Ctrl-C: stopping after the shard(s) in progress (Ctrl-C "
                      "again stops now; they are then computed again on resume)",
                      file=sys.stderr)
                self.stop = True

        self.flag = Flag()

    def __enter__(self):
        return self.flag.__enter__()

    def __exit__(self, *exc):
        return self.flag.__exit__(*exc)


def run_plan(plan, checkpoint=None, progress=False, client=None, stats=None, stop_after=None):
    """Count every shard of ``plan`` not finished in ``checkpoint``, serially or on ``client``.

    Parameters
    ----------
    plan : Plan
    checkpoint : str, optional
        Resumed from when it exists (it must belong to this plan), written every
        :data:`SAVE_EVERY` seconds, when the run stops and at its end.
    progress : bool
        tqdm bar over the shards.
    client : distributed.Client, optional
        Run the shards as Dask tasks (:func:`._distributed.run_shards`).
    stats : dict, optional
        Receives ``nodes`` (top and shards), ``shards``, ``resumed`` (shards taken from the
        checkpoint), ``computed`` and ``peak`` (most nodes pending in one shard).
    stop_after : int, optional
        Stop (as Ctrl-C does) after this many shards computed in this run (for tests).

    Returns
    -------
    int
        The count.

    Raises
    ------
    CheckpointError
        The checkpoint belongs to another run, is corrupt, or is in use by another run.
    KeyboardInterrupt
        After Ctrl-C (or ``stop_after``), once the checkpoint is saved.
    """
    import contextlib

    lock = CheckpointLock(checkpoint) if checkpoint is not None else contextlib.nullcontext()
    with lock:
        done = {}
        if checkpoint is not None and os.path.exists(checkpoint):
            done = _load(checkpoint, plan)
        resumed = len(done)
        total_shards = len(plan)
        bar = None
        if progress and total_shards:
            from tqdm.auto import tqdm
            bar = tqdm(total=total_shards, initial=resumed, unit="shard", desc="exact count",
                       dynamic_ncols=True)
        computed = [0]
        peak = [0]
        last_save = [time.monotonic()]
        stopped = [False]
        work = Work("shards", total_shards, resumed)

        def record(i, value):
            total, nodes, pk = value
            done[i] = (total, nodes)
            peak[0] = max(peak[0], pk)
            computed[0] += 1
            work.update(len(done))
            if checkpoint is not None and time.monotonic() - last_save[0] >= SAVE_EVERY:
                _save(checkpoint, plan, done)
                last_save[0] = time.monotonic()
            if stop_after is not None and computed[0] >= stop_after:
                stopped[0] = True
            return stopped[0]

        try:
            with _Stop() as flag, work:
                try:
                    if client is not None:
                        from ._distributed import run_shards
                        shards = [(int(plan.bounds[i]), int(plan.bounds[i + 1]))
                                  for i in range(total_shards)]
                        run_shards(client, count_shard, shards,
                                   args=(plan.spec, plan.frontier), skip=done,
                                   on_result=record, progress=bar,
                                   stop=lambda: flag.stop, name="vcbound-exact")
                        stopped[0] = stopped[0] or flag.stop
                    else:
                        for i in range(total_shards):
                            if i in done:
                                continue
                            value = count_shard((plan.bounds[i], plan.bounds[i + 1]),
                                                plan.spec, plan.frontier)
                            if bar is not None:
                                bar.update(1)
                            if record(i, value) or flag.stop:
                                stopped[0] = True
                                break
                finally:   # also after an error: keep what was finished (Ctrl-C is held)
                    if checkpoint is not None and (computed[0] or not os.path.exists(
                            checkpoint)):
                        _save(checkpoint, plan, done)
        finally:
            if bar is not None:
                bar.close()
        if stats is not None:
            stats["nodes"] = plan.top_nodes + sum(v[1] for v in done.values())
            stats["shards"] = total_shards
            stats["resumed"] = resumed
            stats["computed"] = computed[0]
            stats["peak"] = peak[0]
        if stopped[0] and len(done) < total_shards:
            where = f"; checkpoint saved to {checkpoint}" if checkpoint is not None else ""
            raise KeyboardInterrupt(f"stopped after {len(done)} of {total_shards} shards"
                                    + where)
        if len(done) < total_shards:   # pragma: no cover - run_shards returned early
            raise VCBoundError(f"Only {len(done)} of {total_shards} shards finished.")
    return plan.top + sum(v[0] for v in done.values())
