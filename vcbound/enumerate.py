"""Monte Carlo enumeration of the labellings that small ReLU networks realize on a point set.

The growth function Pi_F(n) of a class F is the largest number of labellings F realizes on n
points (vcbound docs §Sauer-Shelah). On a fixed set, such as the grid S~ of the proof of
Theorem 4.3 (vcbound docs §Construction), sampling many networks and counting the distinct sign
patterns they produce gives a
**certified lower bound** on the number of labellings realized on that set, hence on Pi_F(n):
every pattern counted is realized by a concrete network (its float rounding is checked, see
:mod:`._engine._kernels`). It says nothing about patterns not yet seen, so the result carries a
saturation curve (distinct count after each batch) and two invariant checks:

* realized sets are closed under complement (negate the output layer, vcbound docs §One-neuron counts; a counted
  pattern has no output equal to 0, so the negated network realizes exactly its complement),
  so each sampled network contributes its pattern *and* that pattern's complement: counts are
  always even, and the result says so;
* a ReLU network with at least one hidden unit and an output bias realizes every linear
  dichotomy, so its count is at least the exact one-neuron count of :mod:`vcbound.exact`
  (vcbound docs §One-neuron counts). A Monte Carlo count below that number is flagged *unconverged*. For a single
  neuron ``[m, 1]`` the exact count is the true value, so the run is complete exactly when it
  is reached. The exact count is computed only when that is cheap (``exact='auto'``).

Architectures are given by their widths ``[m, k_1, ..., k_L, 1]`` (m inputs, ReLU hidden layers,
one linear output whose sign is the label; a single neuron is ``[m, 1]``). Bit i of a pattern is
1 iff point i gets label +1 (output > 0), in the pattern format of :mod:`vcbound.patterns`.

Samplers (how networks are drawn):

``'gaussian'``
    He initialisation: every weight N(0, 2 / fan_in), every bias N(0, 1) (He sets biases to 0,
    which would make every first-layer hyperplane pass through the origin).
``'data'`` (data aware, the default)
    Each unit gets a random direction w ~ N(0, I) and a hyperplane through a random point of the
    data as seen by that unit: its offset t along w is uniform over the range of w.x over the
    unit's inputs, widened by 1% on each side (so that constant units and the two constant
    labellings are drawn too), and b = -t. For the first hidden layer the range is taken over
    the bounding box of the points (on the grid, whose box corners are grid points, that is the
    range over the points themselves); for later layers and the output unit (including a single
    neuron) it is the range over the points of the computed w.x. The margin was chosen by
    measurement: 0%, 1%, 5%, 10%, 25% find 40.4k, 39.4k, 36.0k, 32.3k, 24.7k labellings of the
    8x8 grid with 65536 networks [2, 16, 1].

Plain Gaussian sampling puts most hyperplanes far from an off-centre grid and misses most
dichotomies; the data sampler finds them (``benchmarks/bench_enumerate.py`` measures both
against the exact counts).

Reproducibility: network number t (0, 1, 2, ...) is drawn from its own random stream, derived
by hashing (seed, t); the same seed gives exactly the same patterns whatever the batch size,
the number of threads, or where a run was interrupted and resumed.
"""

import contextlib
import math
import os
import signal
import sys
import threading
import time
from typing import NamedTuple

import numpy as np

from ._engine._checkpoint import CheckpointLock, read_checkpoint, write_checkpoint
from ._result import Result
from ._guard import Work, check_enumerate, check_memory, check_output_path
from ._validation import check_choice, check_integer, check_real, fmt_value
from .errors import CheckpointError, LimitError, VCBoundError, VCBoundTypeError

__all__ = ["enumerate_labellings", "LabellingEnumeration", "SAMPLERS", "MAX_POINTS",
           "MAX_WIDTH"]

#: Network samplers, see the module docstring.
SAMPLERS = ("data", "gaussian")

#: Largest point set accepted (patterns take ceil(n / 64) words each).
MAX_POINTS = 2**16

#: Largest layer width and number of layers accepted.
MAX_WIDTH = 4096
MAX_LAYERS = 64

#: Bump whenever the network drawn for a given (seed, t) changes; stored in checkpoints.
#: 3: normals evaluated with FMA contraction (last-bit changes of the weights).
#: 4: hidden-to-hidden products of the lane pass summed as one FMA chain (vcbound._engine._simd)
#: instead of pairs of products; the data sampler's later biases, taken from the computed
#: ranges, change in their last bits.
#: 5: the same FMA chain in the per-network pass (deeper networks on many points, float64
#: passes), over the inputs that are nonzero on each chunk of points (vcbound._engine._simd).
#: 6: in the per-network float32 pass, the data sampler's later biases are drawn in a loop of
#: their own from the ranges stored as float64, so the range's width is tmax - tmin in float64
#: as vcbound._engine._kernels._offset_bias states (the compiler had computed it in float32 from the
#: float32 ranges: such biases change in their last bits; keys of 18 config/sampler pairs were
#: unchanged, the status of 1 network in 49,152 changed).
#: 7: a network whose float32 per-network pass leaves outputs uncertified keeps its float32
#: parameters when those points, redone in float64, are certified (_engine._kernels.repair32);
#: before, it was drawn again in float64 (biases from float64 ranges).
#: 8: the per-network pass sums the first-layer units that are positive on a whole chunk of
#: points as one affine function (_engine._simd.first_products); the data sampler's second-layer
#: biases, taken from the computed ranges, change in their last bits (keys of 18 config/sampler
#: pairs unchanged; float64 repairs of [2, 16, 16, 1] on the 16 x 16 grid 1.3% -> 3.4%).
STREAM_VERSION = 8
_FORMAT = f"vcbound-enumerate-v{STREAM_VERSION}"

#: The exact one-neuron count is computed automatically when this cost estimate (see
#: :func:`_exact_is_cheap`) stays below it: about a second with vcbound.exact on this machine.
_EXACT_COST_LIMIT = 2.5e7
_EXACT_PLANAR_LIMIT = 1024

#: Largest batch buffer (networks x words) held at once, in 64-bit words (64 MiB).
_BATCH_WORDS = 2**23

_U64 = np.uint64


# ------------------------------------------------------------------------------ validation
def _check_widths(architecture):
    """Widths of an architecture given as a list or a vcbound.architecture.Architecture."""
    widths = getattr(architecture, "widths", architecture)
    activation = getattr(architecture, "activation", "relu")
    if activation != "relu":
        raise VCBoundError(f"The enumerator samples ReLU networks; architecture {architecture!r} "
                           f"has activation {activation!r}.")
    if (isinstance(widths, (str, bytes, dict, set)) or not hasattr(widths, "__iter__")
            or getattr(widths, "ndim", 1) == 0):
        raise VCBoundTypeError(f"Argument 'widths' must be a list of layer widths such as "
                               f"[2, 16, 1], not {fmt_value(widths)}.")
    widths = list(widths)
    if not 2 <= len(widths) <= MAX_LAYERS + 1:
        raise VCBoundError(f"Argument 'widths' must list between 2 and {MAX_LAYERS + 1} widths "
                           f"(input dimension first, single output last, e.g. [2, 16, 1]), not "
                           f"{fmt_value(widths)}.")
    out = [check_integer(f"widths[{i}]", w, 1, MAX_WIDTH) for i, w in enumerate(widths)]
    if out[-1] != 1:
        raise VCBoundError(f"Argument 'widths' must end in 1 (a single output unit), not "
                           f"{fmt_value(widths)}.")
    return tuple(out)


def _check_points(points):
    """(float64 (n, m) array, description) from a Grid or an array of shape (n, m)."""
    grid = None
    if hasattr(points, "points") and hasattr(points, "K") and hasattr(points, "d"):
        grid = points
        points = grid.points
    try:
        scalar = np.ndim(points) == 0
    except (TypeError, ValueError, OverflowError):   # ragged nested lists: np.array says so
        scalar = False
    if points is None or isinstance(points, (str, bytes, dict, set)) or scalar:
        raise VCBoundTypeError(f"Argument 'points' must be a Grid or a float array of shape "
                               f"(n, m), not {fmt_value(points)}.")
    try:
        arr = np.array(points, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise VCBoundTypeError(f"Argument 'points' must be a Grid or a float array of shape "
                               f"(n, m), not {fmt_value(points)}.") from None
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise VCBoundError(f"Argument 'points' must have shape (n, m) with n, m >= 1, not "
                           f"{arr.shape}.")
    if arr.shape[0] > MAX_POINTS:
        raise VCBoundError(f"Argument 'points' has {arr.shape[0]} points, more than the "
                           f"{MAX_POINTS} the enumerator supports.")
    if not np.isfinite(arr).all():
        raise VCBoundError("Argument 'points' must contain finite numbers (found nan or inf).")
    where = f"the grid of d = {grid.d}, K = {grid.K}" if grid is not None else "the points"
    return np.ascontiguousarray(arr), where


def _exact_is_cheap(n, m):
    """Whether vcbound.exact counts n points in R^m in about a second: the planar formula is
    O(n^2) (m <= 2); the incremental method solves about C(n, m - 2) planar problems."""
    if m <= 2:
        return n <= _EXACT_PLANAR_LIMIT
    return math.comb(n, m - 2) * n * n <= _EXACT_COST_LIMIT


def _sorted_rows(keys):
    """Rows sorted lexicographically, word 0 first."""
    if len(keys) == 0:
        return keys.reshape(0, keys.shape[1])
    if keys.shape[1] == 1:
        return np.sort(keys, axis=0)
    return keys[np.lexsort(keys.T[::-1])]


def _used_masks(n):
    """Per word, the mask of the bits that belong to points."""
    words = (n + 63) // 64
    masks = np.full(words, np.iinfo(np.uint64).max, dtype=np.uint64)
    if n % 64:
        masks[-1] = (_U64(1) << _U64(n % 64)) - _U64(1)
    return masks


# ------------------------------------------------------------------------------ result
class LabellingEnumeration(Result):
    """Outcome of :func:`enumerate_labellings`.

    Attributes
    ----------
    widths : tuple of int
        The architecture [m, k_1, ..., 1].
    n, m : int
        Number of points and their dimension.
    sampler : str
    seed : int
    samples : int
        Networks sampled (each also contributes its complement pattern, see ``distinct``).
    distinct : int
        Distinct labellings found, including the complement of each: a certified lower bound
        on the number of labellings the architecture realizes on the points (and on its growth
        function at n).
    saturation : numpy.ndarray
        int64 (batches, 2): [networks sampled, distinct labellings] after each batch.
    exact_one_neuron : int or None
        Exact number of linear dichotomies of the points (vcbound docs §One-neuron counts), None if not computed.
    converged : bool or None
        True: single neuron and the exact count is reached (complete). False: the count is below
        the exact one-neuron count (unconverged). None: not known.
    unconverged : bool
        The count is below the exact one-neuron count, so sampling certainly missed labellings.
    status : str
        One-line explanation of ``converged``.
    interrupted : bool
        The run stopped early on Ctrl-C (the counts cover ``samples`` networks).
    fallback : int
        Networks whose float32 pass was too close to a tie and were recomputed in float64
        (in full, or only at the uncertain points; see vcbound._engine._kernels.repair32).
    rejected : int
        Networks whose sign pattern could not be certified even in float64 (not counted).
    seconds : float
        Compute time of this call (excluding time spent before a resume).
    patterns : numpy.ndarray or None
        All distinct labellings (uint64, (distinct, ceil(n/64)), rows sorted) when requested.
    checkpoint : str or None
    resumed_from : int
        Networks already sampled in the checkpoint this run resumed from (0 if none).
    shards : int
        Shard tasks this call submitted to the Dask cluster (0 for a serial run; finished
        shards of a checkpoint are not run again).
    workers : int
        Worker threads of the Dask cluster (0 for a serial run).
    """

    _meanings = {
        "exact_one_neuron": ("exact count of linear dichotomies, realized by every net with a "
                             "hidden unit"),
        "converged": ("whether the count is proved complete (yes for a single neuron at its "
                      "exact count)"),
        "unconverged": "whether the count is below the exact one-neuron count (sample more)",
        "new_last_batch": "labellings first seen in the last batch (0 suggests saturation)",
        "interrupted": "whether the run stopped early (Ctrl-C)",
        "fallback": "networks whose float32 pass was redone in float64 to certify their signs",
        "rejected": "networks with an output too close to 0 to certify (not counted)",
        "saturation": "distinct labellings after so many networks (the saturation curve)",
        "engine": ("where the networks were drawn: in this process, or as shard tasks on a "
                   "Dask cluster (the same result)"),
    }

    _headline = "distinct"

    def display_status(self):
        """The distinct count is a certified lower bound (every counted labelling was realized
        by a network whose sign pattern was certified)."""
        return "certified lower bound"

    def __init__(self, **fields):
        self.__dict__.update(fields)

    @property
    def engine(self):
        """``'serial'``, or the Dask cluster's worker threads and the shard tasks of this call
        (vcbound docs §Running on several machines)."""
        if not getattr(self, "workers", 0):
            return "serial"
        return f"dask: {self.workers} worker threads, {self.shards} shard tasks"

    @property
    def rate(self):
        """Networks per second of this call."""
        new = self.samples - self.resumed_from
        return new / self.seconds if self.seconds > 0 else float("nan")

    def title(self):
        return (f"Monte Carlo labellings of widths {list(self.widths)} on {self.n} points "
                f"({self.sampler} sampler)")

    def _saturation_summary(self, points=8):
        sat = self.saturation
        if len(sat) <= points:
            rows = sat
        else:
            idx = np.unique(np.linspace(0, len(sat) - 1, points).round().astype(int))
            rows = sat[idx]
        return ", ".join(f"{int(s)}: {int(c)}" for s, c in rows)

    def rows(self):
        exact = self.exact_one_neuron if self.exact_one_neuron is not None else "not checked"
        return [
            ("widths", "widths", list(self.widths)),
            ("n", "points n", self.n),
            ("m", "input dimension m", self.m),
            ("sampler", "sampler", self.sampler),
            ("seed", "seed", self.seed),
            ("samples", "networks sampled", self.samples),
            ("distinct", "distinct labellings (certified lower bound; complements included)",
             self.distinct),
            ("exact_one_neuron", "exact one-neuron count (vcbound docs §One-neuron counts)", exact),
            ("converged", "converged", self.converged),
            ("unconverged", "unconverged (below the one-neuron count)", self.unconverged),
            ("status", "status", self.status),
            ("new_last_batch", "new labellings in the last batch", self.new_last_batch),
            ("interrupted", "interrupted", self.interrupted),
            ("fallback", "float64 recomputations", self.fallback),
            ("rejected", "rejected (uncertifiable) networks", self.rejected),
            ("seconds", "seconds", round(self.seconds, 3)),
            ("engine", "engine", self.engine),
            ("saturation", "saturation (networks: distinct)", self._saturation_summary()),
        ]

    @property
    def new_last_batch(self):
        """Distinct labellings added by the last batch (0 suggests, but does not prove,
        saturation)."""
        if len(self.saturation) == 0:
            return 0
        if len(self.saturation) == 1:
            return int(self.saturation[0, 1])
        return int(self.saturation[-1, 1] - self.saturation[-2, 1])

    def to_dict(self):
        """JSON-safe dict; ``saturation`` is the full list of [networks, distinct] pairs."""
        out = super().to_dict()
        out["saturation"] = self.saturation.tolist()
        out["rate"] = self.rate if math.isfinite(self.rate) else None
        out["checkpoint"] = self.checkpoint
        return out


# ------------------------------------------------------------------------------ state
class _Shard(NamedTuple):
    """Networks ``t0 .. t1 - 1`` computed in batches of the run (a shard of a distributed run,
    finished but not merged yet): ``batches`` int64 (k, 4) rows [end, new keys, fallback,
    rejected] per batch, ``keys`` the canonical keys of each batch that are new relative to the
    earlier batches of the shard (sorted per batch), concatenated."""

    t0: int
    t1: int
    batches: np.ndarray
    keys: np.ndarray


class _State:
    """Hash set of canonical patterns (bit 0 clear; each stands for itself and its complement)
    plus the counters of a run. ``extra``: finished shards beyond ``done`` (t0 -> _Shard),
    merged when ``done`` reaches them."""

    def __init__(self, n, kernels):
        self.n = n
        self.words = (n + 63) // 64
        self.kernels = kernels
        self.table = kernels.new_table(1024, self.words)
        self.size = 0
        self.done = 0
        self.saturation = []
        self.fallback = 0
        self.rejected = 0
        self.last_new = self.last_count = 0
        self.extra = {}

    def reserve(self, incoming, remaining=0):
        """Keep the load factor of the table at most 1/2 after ``incoming`` more keys.

        When it must grow, it grows for the keys the ``remaining`` networks would add at the
        rate of the last batch (new keys per network), up to 8 times what is needed now:
        each growth copies every key (on the 16 x 16 grid, 200,000 networks [2, 16, 16, 1],
        doubling took about 80 ns per network). The capacity changes no result."""
        need = 2 * (self.size + incoming)
        cap = self.table.shape[0]
        if need <= cap:
            return
        rate = self.last_new / self.last_count if self.last_count else 0.0
        need = max(need, min(8 * need, 2 * (self.size + incoming + int(rate * remaining))))
        while cap < need:
            cap *= 2
        check_memory("The table of distinct labellings", cap * self.words * 8 * 2,
                     f"{cap:,} rows of {self.words} words (and the copy made while it grows)")
        old = self.kernels.table_keys(self.table)
        table = self.kernels.new_table(cap, self.words)
        self.kernels.insert(table, old, len(old), 0)
        self.table = table

    def resync(self):
        """Make the counters agree with the table after an interruption in mid-update (possible
        only when the Ctrl-C handler could not be installed): the table holds realized patterns
        only, and networks past ``done`` are simply drawn again on resumption."""
        self.size = len(self.kernels.table_keys(self.table))
        if not self.saturation or self.saturation[-1] != (self.done, self.distinct):
            self.saturation.append((self.done, self.distinct))

    def add(self, keys, count, remaining=0, new=None):
        """Insert ``keys[:count]``; ``remaining``: networks still to come (see reserve).
        ``new``: a False bool array of at least ``count`` entries, set True for each row
        that was not in the table (see _engine._kernels.insert_new)."""
        self.reserve(count, remaining)
        if new is None:
            size = self.kernels.insert(self.table, keys, count, self.size)
        else:
            size = self.kernels.insert_new(self.table, keys, count, self.size, new)
        self.last_new, self.last_count = size - self.size, count
        self.size = size

    def merge(self, shard, samples):
        """Insert the finished shard that starts at ``done``, batch by batch, as a serial run
        would have (the same saturation points and tallies), and drop it from ``extra``."""
        if shard.t0 != self.done:  # pragma: no cover - a bug of the callers
            raise AssertionError(f"internal error: shard at {shard.t0} merged at {self.done}")
        start = 0
        for end, fresh, fallback, rejected in shard.batches.tolist():
            self.add(shard.keys[start:start + fresh], fresh, samples - end)
            self.last_count = end - self.done       # the growth rate is per network
            self.fallback += fallback
            self.rejected += rejected
            self.done = end
            self.saturation.append((end, self.distinct))
            start += fresh
        self.extra.pop(shard.t0, None)

    def keys(self):
        return _sorted_rows(self.kernels.table_keys(self.table))

    @property
    def distinct(self):
        return 2 * self.size


_SPEC = {"points": ("f", 2), "widths": ("iu", 1), "sampler": ("U", 0), "seed": ("u", 0),
         "samples_done": ("iu", 0), "keys": ("u", 2), "saturation": ("iu", 2),
         "fallback": ("iu", 0), "rejected": ("iu", 0)}

#: Finished shards beyond ``samples_done`` (distributed runs; optional, so that checkpoints of
#: earlier versions and of serial runs load, and earlier versions ignore them): their ranges
#: [t0, t1), the number of batches of each, every batch's [end, new keys, fallback, rejected],
#: and the batches' new keys, concatenated.
_EXTRA_SPEC = {"shard_ranges": ("iu", 2), "shard_nbatches": ("iu", 1),
               "shard_batches": ("iu", 2), "shard_keys": ("u", 2)}


def _save(path, state, points, widths, sampler, seed):
    extra = [state.extra[t0] for t0 in sorted(state.extra) if t0 >= state.done]
    arrays = {
        "points": points, "widths": np.array(widths, dtype=np.int64),
        "sampler": np.array(sampler), "seed": np.array(seed, dtype=np.uint64),
        "samples_done": np.array(state.done, dtype=np.int64), "keys": state.keys(),
        "saturation": np.array(state.saturation, dtype=np.int64).reshape(-1, 2),
        "fallback": np.array(state.fallback, dtype=np.int64),
        "rejected": np.array(state.rejected, dtype=np.int64)}
    if extra:
        arrays.update(
            shard_ranges=np.array([(s.t0, s.t1) for s in extra], dtype=np.int64),
            shard_nbatches=np.array([len(s.batches) for s in extra], dtype=np.int64),
            shard_batches=np.concatenate([s.batches for s in extra]).astype(np.int64),
            shard_keys=np.concatenate([s.keys for s in extra]).astype(np.uint64))
    write_checkpoint(path, _FORMAT, arrays)


def _key_problems(keys, n, what):
    """What is wrong with stored canonical keys (wrong words, bit 0 set, stray high bits)."""
    words = (n + 63) // 64
    if keys.shape[1] != words:
        return [f"{what} have {keys.shape[1]} words, expected {words}"]
    problems = []
    if len(keys):
        if (keys[:, 0] & _U64(1)).any():
            problems.append(f"a stored {what[:-1]} is not canonical (bit 0 set)")
        if ((keys & ~_used_masks(n)) != 0).any():
            problems.append(f"a stored {what[:-1]} has bits beyond the last point")
    return problems


def _distinct_sorted(keys):
    return len(keys) < 2 or (np.array_equal(_sorted_rows(keys), keys)
                             and bool((np.diff(keys, axis=0) != 0).any(axis=1).all()))


def _load(path, state, points, widths, sampler, seed, samples):
    """Restore ``state`` from a checkpoint, after checking it belongs to this run."""
    data = read_checkpoint(path, _FORMAT, _SPEC, optional=_EXTRA_SPEC)
    mismatch = []
    if data["points"].shape != points.shape or not np.array_equal(data["points"], points):
        (n0, m0), (n1, m1) = data["points"].shape, points.shape
        same = ", other coordinates" if (n0, m0) == (n1, m1) else ""
        mismatch.append(f"points (checkpoint: {n0} points in R^{m0}, this run: {n1} in "
                        f"R^{m1}{same})")
    if tuple(int(w) for w in data["widths"]) != tuple(widths):
        mismatch.append(f"widths (checkpoint: {data['widths'].tolist()}, this run: "
                        f"{list(widths)})")
    if str(data["sampler"]) != sampler:
        mismatch.append(f"sampler (checkpoint: {str(data['sampler'])!r}, this run: {sampler!r})")
    if int(data["seed"]) != seed:
        mismatch.append(f"seed (checkpoint: {int(data['seed'])}, this run: {seed})")
    if mismatch:
        raise CheckpointError(f"Checkpoint {os.fspath(path)!r} belongs to another run: "
                              + "; ".join(mismatch) + ".")
    keys = np.ascontiguousarray(data["keys"], dtype=np.uint64)
    done = int(data["samples_done"])
    sat = np.asarray(data["saturation"], dtype=np.int64)
    problems = _key_problems(keys, points.shape[0], "patterns")
    if not problems and not _distinct_sorted(keys):
        problems.append("stored patterns are not sorted and distinct")
    if done < 0 or (len(sat) and (sat[-1, 0] != done or sat[-1, 1] != 2 * len(keys))):
        problems.append("the saturation curve does not match the stored counts")
    shards = _load_shards(data, points.shape[0], done, problems)
    if problems:
        raise CheckpointError(f"Checkpoint {os.fspath(path)!r} is corrupt: "
                              + "; ".join(problems) + ".")
    if done > samples:
        raise CheckpointError(f"Checkpoint {os.fspath(path)!r} already holds {done} sampled "
                              f"networks, more than samples = {samples}; ask for at least "
                              f"{done} samples to use it.")
    state.reserve(len(keys))
    if len(keys):
        state.add(keys, len(keys))
    state.done = done
    state.saturation = [tuple(int(v) for v in row) for row in sat]
    state.fallback = int(data["fallback"])
    state.rejected = int(data["rejected"])
    state.extra = {s.t0: s for s in shards}


def _load_shards(data, n, done, problems):
    """The finished shards beyond ``done`` stored by a distributed run (see _EXTRA_SPEC), their
    structure checked (problems appended to ``problems``)."""
    present = [name for name in _EXTRA_SPEC if name in data]
    if not present:
        return []
    if len(present) != len(_EXTRA_SPEC):
        problems.append("the finished shards are stored incompletely")
        return []
    ranges = np.asarray(data["shard_ranges"], dtype=np.int64)
    nb = np.asarray(data["shard_nbatches"], dtype=np.int64)
    batches = np.asarray(data["shard_batches"], dtype=np.int64)
    keys = np.ascontiguousarray(data["shard_keys"], dtype=np.uint64)
    if (ranges.shape[1:] != (2,) or batches.shape[1:] != (4,) or len(nb) != len(ranges)
            or (nb < 1).any() or int(nb.sum()) != len(batches) or (batches < 0).any()
            or int(batches[:, 1].sum()) != len(keys)):
        problems.append("the finished shards' arrays do not agree")
        return []
    problems.extend(_key_problems(keys, n, "shard keys"))
    if problems:
        return []
    shards, b, k, previous_end = [], 0, 0, done
    for (t0, t1), count in zip(ranges.tolist(), nb.tolist()):
        rows = batches[b:b + count]
        ends = rows[:, 0]
        sizes = np.diff(np.concatenate([[t0], ends]))
        fresh = int(rows[:, 1].sum())
        part = keys[k:k + fresh]
        ok = (previous_end <= t0 < t1 and ends[-1] == t1 and (sizes > 0).all()
              and (rows[:, 1] <= sizes).all() and (rows[:, 2] + rows[:, 3] <= sizes).all())
        start = 0
        for size in rows[:, 1].tolist():
            ok = ok and _distinct_sorted(part[start:start + size])
            start += size
        if not ok:
            problems.append(f"the finished shard [{t0}, {t1}) is inconsistent")
            return []
        shards.append(_Shard(t0, t1, rows.copy(), part.copy()))
        b, k, previous_end = b + count, k + fresh, t1
    return shards


def _keep_aligned(state, batch_size, samples):
    """Keep the stored shards whose batches are those this run draws (whole batches of
    ``batch_size`` counted from ``done``, the last one ending at ``samples``); others are
    dropped and drawn again (a resumed run with another batch size or a smaller ``samples``),
    so the saturation curve stays that of a serial run. Returns how many were dropped."""
    kept = {}
    for t0, shard in state.extra.items():
        ends = shard.batches[:, 0]
        want = np.minimum(t0 + batch_size * np.arange(1, len(ends) + 1), samples)
        if (t0 - state.done) % batch_size == 0 and shard.t1 <= samples and np.array_equal(
                ends, want):
            kept[t0] = shard
    dropped = len(state.extra) - len(kept)
    state.extra = kept
    return dropped


# ------------------------------------------------------------------------------ Ctrl-C
class _StopFlag:
    """While active, Ctrl-C (SIGINT, also Jupyter's interrupt) only sets ``stop``: the run ends
    after the current batch (a compiled batch cannot be interrupted anyway) and returns what it
    found, so no KeyboardInterrupt can strike while the state is being updated. Installed only
    in the main thread, the only one Python delivers signals to."""

    def __init__(self, message="stopping after the current batch"):
        self.stop = False
        self._old = None
        self._message = message

    def _handler(self, signum, frame):
        if not self.stop:
            print(f"vcbound: Ctrl-C: {self._message}", file=sys.stderr)
        self.stop = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self._old = signal.getsignal(signal.SIGINT)
                signal.signal(signal.SIGINT, self._handler)
            except (ValueError, TypeError):  # pragma: no cover - exotic embeddings
                self._old = None
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
        return False


# ------------------------------------------------------------------------------ main
def _prepare_data(points):
    """Points as (m, n) float32/float64 arrays, their bounding box and input error bounds.

    e64 = 2 u64 max|x| per coordinate bounds |x64 - x| when the float64 x64 is the correctly
    rounded value of the intended real x (e.g. i/K); e32 adds the float32 rounding exactly.
    """
    X64 = np.ascontiguousarray(points.T)
    X32 = X64.astype(np.float32)
    mag = np.abs(X64).max(axis=1)
    e64 = 2.0 * 2.0**-53 * mag
    e32 = np.abs(X32.astype(np.float64) - X64).max(axis=1) + e64
    return (X32, X64, X64.min(axis=1), X64.max(axis=1), e32, e64)


def _generate_batch(lanes, data, widths, sampler_code, seed, t0, count, keys, status, threads,
                    order=None):
    """One batch of networks into ``keys``/``status`` (a separate function for tests)."""
    lanes.generate(data, widths, sampler_code, seed, t0, count, keys, status, threads, order)


# ------------------------------------------------------------------------------ distributed
#: Default shards: about this many per worker thread (balance: a late shard holds up the
#: in-order merge for at most a few shard times), ...
_SHARDS_PER_WORKER = 8
#: ... each of at most this many networks and at most _SHARD_WORDS words of returned keys
#: (a shard returns up to one key per network: bounded memory on worker and coordinator).
_SHARD_NETWORKS = 2**21
_SHARD_WORDS = 2**22

#: Shards run at most this many per worker thread after the oldest unfinished one: bounds the
#: finished shards the coordinator holds until the in-order merge reaches them.
_SHARDS_AHEAD = 8

#: Test hook (fault injection): the path of a marker file, set on the workers with
#: ``client.run(_set_fault_exit, path)``. The first shard task that creates the file then ends
#: its worker process with ``os._exit(1)`` after its first batch, as a crash would.
_FAULT_EXIT = None


def _set_fault_exit(path):
    """Arm (a path) or disarm (None) the fault injection :data:`_FAULT_EXIT` in this process."""
    global _FAULT_EXIT
    _FAULT_EXIT = path


def _maybe_fail():
    if _FAULT_EXIT is None:
        return
    try:
        fd = os.open(_FAULT_EXIT, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.close(fd)
    os._exit(1)


def _worker_fingerprint():
    """What must agree between the coordinator and every worker of a distributed run: the
    package version and the stream version (the networks drawn for each (seed, t))."""
    from . import __version__
    return (__version__, STREAM_VERSION)


def _enumerate_shard(shard, points, widths, sampler_code, seed, batch_size, threads):
    """Task of a distributed run (runs on a worker): networks ``t0 .. t1 - 1`` of ``shard``
    in batches of ``batch_size`` from ``t0``, drawn exactly as the serial run draws them.

    Returns ``(batches, keys)`` as in :class:`_Shard`: per batch [end, new keys, fallback,
    rejected], and the batch's canonical keys not seen in the shard's earlier batches (sorted,
    distinct), concatenated. Merged in order by the coordinator, batch by batch, they give the
    serial run's table and saturation curve.
    """
    from ._engine import _kernels as kernels
    from ._engine import _lanes

    t0, t1 = (int(v) for v in shard)
    n = points.shape[0]
    words = (n + 63) // 64
    data = _prepare_data(points)
    order = kernels.tile_order(data[1])
    local = _State(n, kernels)
    keys = np.empty((min(batch_size, t1 - t0), words), dtype=np.uint64)
    status = np.empty(len(keys), dtype=np.int8)
    new = np.empty(len(keys), dtype=np.bool_)
    rows, parts = [], []
    t = t0
    while t < t1:
        count = min(batch_size, t1 - t)
        _generate_batch(_lanes, data, widths, sampler_code, seed, t, count, keys, status,
                        threads, order)
        tally = np.bincount(status[:count], minlength=3)
        new[:] = False
        local.add(keys, count, t1 - t - count, new=new)
        fresh = _sorted_rows(keys[:count][new[:count]])
        t += count
        rows.append((t, len(fresh), int(tally[1]), int(tally[2])))
        parts.append(fresh)
        if len(rows) == 1:
            _maybe_fail()
    return (np.array(rows, dtype=np.int64).reshape(-1, 4),
            np.concatenate(parts) if parts else np.empty((0, words), np.uint64))


def _shard_networks(shard_size, batch_size, remaining, threads, words):
    """Networks per shard: ``shard_size`` rounded up to whole batches, or the default (about
    _SHARDS_PER_WORKER shards per worker thread, bounded by _SHARD_NETWORKS networks and
    _SHARD_WORDS words of keys)."""
    if shard_size is not None:
        return -(-shard_size // batch_size) * batch_size
    batches = -(-remaining // batch_size)
    per = -(-batches // (_SHARDS_PER_WORKER * max(1, threads)))
    cap = max(1, min(_SHARD_NETWORKS, _SHARD_WORDS // words) // batch_size)
    return max(1, min(per, cap)) * batch_size


def _plan(state, samples, shard_networks):
    """Shards ``(t0, t1)`` from ``done`` to ``samples``: the stored ones (state.extra) where
    they are, new ones of ``shard_networks`` networks in between. Returns (shards, indices of
    the stored ones)."""
    shards, stored = [], []
    starts = sorted(state.extra)
    t, nxt = state.done, 0
    while t < samples:
        if t in state.extra:
            shards.append((t, state.extra[t].t1))
            stored.append(len(shards) - 1)
            t = state.extra[t].t1
            continue
        while nxt < len(starts) and starts[nxt] <= t:
            nxt += 1
        limit = starts[nxt] if nxt < len(starts) else samples
        shards.append((t, min(t + shard_networks, limit)))
        t = shards[-1][1]
    return shards, stored


def _run_distributed(client, state, job, samples, batch_size, shard_size, flag, bar, work,
                     save, every):
    """The distributed loop of :func:`enumerate_labellings`: shards on the Dask ``client``,
    merged in index order as they finish (early ones wait in ``state.extra``), a checkpoint
    (``save``) every ``every`` seconds. Returns (shard tasks submitted, worker threads,
    stopped early)."""
    from ._engine import _distributed as dist

    threads_total = dist.check_workers(client, _worker_fingerprint)
    words = state.words
    per = _shard_networks(shard_size, batch_size, samples - state.done, threads_total, words)
    shards, stored = _plan(state, samples, per)
    starts = [t0 for t0, _ in shards]
    progress = {"merged": 0, "finished": len(stored), "saved": time.perf_counter()}

    def merge_ready():
        while progress["merged"] < len(starts) and starts[progress["merged"]] in state.extra:
            state.merge(state.extra[starts[progress["merged"]]], samples)
            progress["merged"] += 1
        work.update(state.done)

    def on_result(index, value):
        t0, t1 = shards[index]
        _receive(state, t0, t1, value)
        merge_ready()
        progress["finished"] += 1
        if bar is not None:
            bar.update(t1 - t0)
            bar.set_postfix(shards=f"{progress['finished']}/{len(shards)}",
                            distinct=state.distinct, refresh=False)
        if save is not None and time.perf_counter() - progress["saved"] >= every \
                and state.done < samples:
            save()
            progress["saved"] = time.perf_counter()
        return False

    if bar is not None:
        bar.update(sum(shards[i][1] - shards[i][0] for i in stored))
    merge_ready()
    run = dist.run_shards(client, _enumerate_shard, shards, args=job, skip=stored,
                          on_result=on_result, stop=lambda: flag.stop,
                          ahead=_SHARDS_AHEAD * max(1, threads_total), name="vcbound-enumerate")
    return run.submitted, threads_total, run.stopped


def _receive(state, t0, t1, value):
    """Keep a finished shard's result in ``state.extra`` until it is merged (a separate
    function for tests)."""
    batches, keys = value
    state.extra[t0] = _Shard(t0, t1, np.asarray(batches, dtype=np.int64),
                             np.ascontiguousarray(keys, dtype=np.uint64))


def _run_serial(state, data, widths, sampler_code, seed, samples, batch_size, threads, flag,
                bar, work, save, every, kernels, lanes):
    """The serial loop of :func:`enumerate_labellings`: batch after batch in this process
    (finished shards of a distributed run's checkpoint merged where they start), a checkpoint
    (``save``) every ``every`` seconds. Returns whether Ctrl-C stopped it."""
    words = state.words
    keys = np.empty((batch_size, words), dtype=np.uint64)
    status = np.empty(batch_size, dtype=np.int8)
    order = kernels.tile_order(data[1])   # the points' order in the per-network pass
    last_save = time.perf_counter()
    while state.done < samples:
        stored = state.extra.get(state.done)
        if stored is not None:
            count = stored.t1 - stored.t0
            state.merge(stored, samples)
        else:
            count = min(batch_size, samples - state.done)
            _generate_batch(lanes, data, widths, sampler_code, seed, state.done, count, keys,
                            status, threads, order)
            tally = np.bincount(status[:count], minlength=3)
            state.add(keys, count, samples - state.done - count)
            state.fallback += int(tally[1])
            state.rejected += int(tally[2])
            state.done += count
            state.saturation.append((state.done, state.distinct))
        work.update(state.done)
        if bar is not None:
            bar.update(count)
            bar.set_postfix(distinct=state.distinct, refresh=False)
        now = time.perf_counter()
        if save is not None and now - last_save >= every and state.done < samples:
            save()
            last_save = time.perf_counter()
        if flag.stop:
            return True
    return False


def enumerate_labellings(widths, points, samples, *, seed=0, sampler="data", batch_size=None,
                         threads=1, checkpoint=None, checkpoint_every=60.0, progress=False,
                         return_patterns=False, exact="auto", client=None, shard_size=None):
    """Count the distinct labellings that randomly sampled ReLU networks realize on ``points``.

    Parameters
    ----------
    widths : list of int or vcbound.architecture.Architecture
        ``[m, k_1, ..., k_L, 1]``: m inputs (must equal the points' dimension; d - 1 for the
        grid S~ in R^d), ReLU hidden layers, one linear output. ``[m, 1]`` is a single neuron.
    points : vcbound.grid.Grid or array_like of shape (n, m)
        The point set (n <= :data:`MAX_POINTS`); a Grid is used through its (d-1)-dimensional
        points i/K (its last coordinate 1/2 is constant and changes no labelling).
    samples : int
        Number of networks to sample in total (including those of a resumed checkpoint).
    seed : int, optional
        In [0, 2^64). The same seed gives the same patterns, whatever ``batch_size``,
        ``threads`` or resumption.
    sampler : {'data', 'gaussian'}
        See the module docstring.
    batch_size : int, optional
        Networks per batch; the saturation curve has one point per batch. Default: about
        1/200 of ``samples``, between 256 and 65536.
    threads : int, optional
        Threads of the numba kernel (results do not depend on it).
    checkpoint : str or os.PathLike, optional
        ``.npz`` file: resumed from if it exists (it must belong to the same points, widths,
        sampler and seed), written every ``checkpoint_every`` seconds, on Ctrl-C and at the end.
        A distributed run also stores the shards that finished beyond the merged prefix, so
        none is run again; serial and distributed runs resume each other's checkpoints.
    checkpoint_every : float
        Seconds between checkpoint writes.
    progress : bool
        Show a tqdm progress bar (tqdm.auto: also in Jupyter).
    return_patterns : bool
        Keep all distinct patterns in the result (uint64 (distinct, ceil(n/64))).
    exact : {'auto', True, False}
        Compute the exact one-neuron count of the points (vcbound docs §One-neuron counts) for the convergence
        check: 'auto' only when cheap (planar sets up to 1024 points, higher dimensions by a
        cost estimate), True always, False never.
    client : dask.distributed.Client, optional
        Run on this Dask cluster (``pip install "vcbound[distributed]"``): the networks are
        cut into shards of whole batches, one task each, merged in order, so the result
        (``distinct``, ``saturation``, ``fallback``, ``rejected``, ``patterns``) is exactly
        that of the serial run with the same ``batch_size``, for any number of workers. Every
        worker must have the same vcbound (checked once per run). ``threads`` is then per task.
        See vcbound docs §Running on several machines.
    shard_size : int, optional
        Networks per shard of a distributed run, rounded up to whole batches. Default: about
        8 shards per worker thread, each of at most 2^21 networks (and 2^22 words of keys).

    Returns
    -------
    LabellingEnumeration

    Raises
    ------
    VCBoundError
        Bad widths (also: first width not the points' dimension), points (empty, non-finite,
        more than MAX_POINTS), samples <= 0, seed outside [0, 2^64), unknown sampler, bad
        batch_size/threads.
    CheckpointError
        The checkpoint is corrupt, belongs to another run (points, widths, sampler or seed), or
        holds more networks than ``samples``.
    VCBoundTypeError
        ``client`` is not a ``dask.distributed.Client`` (an address string: connect first,
        ``Client("tcp://HOST:PORT")``).

    References
    ----------
    vcbound docs §Construction (the grid), §Sauer-Shelah (growth function), §One-neuron counts (exact one-neuron counts and the two
    invariants used as checks).

    Examples
    --------
    >>> from vcbound.grid import make_grid
    >>> res = enumerate_labellings([2, 1], make_grid(3, K=3), 20000, seed=1)
    >>> res.distinct, res.exact_one_neuron, res.converged    # 3x3 grid: 58 (vcbound docs §One-neuron counts)
    (58, 58, True)

    The same run on two local worker processes gives the same result:

    >>> from dask.distributed import Client, LocalCluster     # doctest: +SKIP
    >>> with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \\
    ...         Client(cluster) as client:                    # doctest: +SKIP
    ...     same = enumerate_labellings([2, 1], make_grid(3, K=3), 20000, seed=1, client=client)
    >>> same.distinct, same.saturation.tolist() == res.saturation.tolist()   # doctest: +SKIP
    (58, True)
    """
    widths = _check_widths(widths)
    points, where = _check_points(points)
    n, m = points.shape
    if widths[0] != m:
        raise VCBoundError(f"The first width must be the input dimension m = {m} of {where}"
                           + (f" (d - 1 = {m})" if where.startswith("the grid") else "")
                           + f", not widths[0] = {widths[0]} in {list(widths)}.")
    samples = check_integer("samples", samples, 1)
    seed = check_integer("seed", seed, 0, 2**64 - 1)
    if not isinstance(sampler, str):
        raise VCBoundTypeError(f"Argument 'sampler' must be one of 'data', 'gaussian', not "
                               f"{fmt_value(sampler)}.")
    sampler = check_choice("sampler", sampler.strip(), SAMPLERS)
    words = (n + 63) // 64
    if batch_size is None:
        batch_size = min(65536, max(256, -(-samples // 200)))
    else:
        batch_size = check_integer("batch_size", batch_size, 1)
    # no larger than the run (the buffers below are written once each run: pages first
    # touched cost about 0.5 ms for a 2 MB buffer of which 20,000 rows were used)
    batch_size = max(1, min(batch_size, _BATCH_WORDS // words, samples))
    threads = check_integer("threads", threads, 1, 1024)
    if exact not in ("auto", True, False):
        raise VCBoundError(f"Argument 'exact' must be 'auto', True or False, not "
                           f"{fmt_value(exact)}.")
    if checkpoint_every is None or isinstance(checkpoint_every, (bytes, bool)):
        raise VCBoundTypeError(f"Argument 'checkpoint_every' must be a positive number of "
                               f"seconds, not {fmt_value(checkpoint_every)}.")
    every = float(check_real("checkpoint_every", checkpoint_every, 0, low_open=True))
    if checkpoint is not None:
        checkpoint = check_output_path("checkpoint", checkpoint, "checkpoint file")
    check_enumerate(widths, n, samples, batch_size, threads)
    if threads > 1:
        import numba
        if threads > numba.config.NUMBA_NUM_THREADS:
            raise VCBoundError(f"Argument 'threads' must be at most "
                               f"{numba.config.NUMBA_NUM_THREADS} (numba's thread count), not "
                               f"{threads}.")

    if client is not None:
        from ._engine._distributed import check_client
        check_client(client)
    if shard_size is not None:
        if client is None:
            raise VCBoundError("Argument 'shard_size' applies to distributed runs only (give a "
                               "client as well).")
        shard_size = check_integer("shard_size", shard_size, 1)

    from ._engine import _kernels as kernels
    from ._engine import _lanes, _rng, _simd
    from ._engine._cache import notice_if_cold

    notice_if_cold(kernels, _lanes, _simd, _rng)   # one stderr line before a cold compile

    sampler_code = kernels.SAMPLER_DATA if sampler == "data" else kernels.SAMPLER_GAUSSIAN
    widths_arr = np.array(widths, dtype=np.int64)
    data = _prepare_data(points)
    # one run at a time on a checkpoint path (a second one, whatever its seed, is refused)
    lock = CheckpointLock(checkpoint) if checkpoint is not None else contextlib.nullcontext()
    with lock:
        state = _State(n, kernels)
        if checkpoint is not None:
            if os.path.exists(checkpoint):
                _load(checkpoint, state, points, widths, sampler, seed, samples)
        _keep_aligned(state, batch_size, samples)
        resumed_from = state.done

        def save():
            if checkpoint is not None:
                _save(checkpoint, state, points, widths, sampler, seed)

        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=samples, initial=state.done, unit="net", unit_scale=True,
                       desc="labellings", dynamic_ncols=True)
        interrupted = False
        shards = workers = 0
        start = time.perf_counter()
        work = Work("networks", samples, state.done)
        message = ("stopping: the shards still running are cancelled" if client is not None
                   else "stopping after the current batch")
        try:
            with _StopFlag(message) as flag, work:
                if client is None:
                    interrupted = _run_serial(state, data, widths_arr, sampler_code, seed,
                                              samples, batch_size, threads, flag, bar, work,
                                              save if checkpoint is not None else None, every,
                                              kernels, _lanes)
                else:
                    job = (points, widths_arr, sampler_code, seed, batch_size, threads)
                    shards, workers, interrupted = _run_distributed(
                        client, state, job, samples, batch_size, shard_size, flag, bar, work,
                        save if checkpoint is not None else None, every)
        except KeyboardInterrupt:  # only when the handler could not be installed
            interrupted = True
            state.resync()
        except VCBoundError as exc:   # out of memory, a lost cluster: keep what was found
            if not isinstance(exc, CheckpointError):
                save()
            raise
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - start
        save()

    exact_count = None
    if exact is True or (exact == "auto" and _exact_is_cheap(n, m)):
        from .exact import count_linear_dichotomies
        exact_count = count_linear_dichotomies(points)
    distinct = state.distinct
    single = len(widths) == 2
    if exact_count is None:
        converged, status_text = None, "not checked (exact one-neuron count not computed)"
    elif single and distinct > exact_count:  # pragma: no cover - would be a kernel bug
        raise AssertionError(f"internal error: {distinct} labellings of a single neuron exceed "
                             f"the exact count {exact_count}")
    elif distinct < exact_count:
        converged = False
        status_text = (f"unconverged: {distinct} < {exact_count}, the exact one-neuron count"
                       + ("" if single else ", which every net with a hidden unit realizes"))
    elif single:
        converged, status_text = True, "complete: equals the exact one-neuron count"
    else:
        converged = None
        status_text = "passes the one-neuron check (convergence not proven)"
    patterns = None
    if return_patterns:
        canon = state.keys()
        patterns = _sorted_rows(np.concatenate([canon, canon ^ _used_masks(n)]))
    return LabellingEnumeration(
        widths=widths, n=n, m=m, sampler=sampler, seed=seed, samples=state.done,
        distinct=distinct, saturation=np.array(state.saturation, dtype=np.int64).reshape(-1, 2),
        exact_one_neuron=exact_count, converged=converged,
        unconverged=exact_count is not None and distinct < exact_count, status=status_text,
        interrupted=interrupted, fallback=state.fallback, rejected=state.rejected,
        seconds=seconds, patterns=patterns, checkpoint=checkpoint, resumed_from=resumed_from,
        shards=shards, workers=workers)
