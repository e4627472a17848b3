"""Size guard shared by every command and public entry point (internal).

One place for the limits vcbound promises and for the words it says while it works:

* **Refuse up front** what cannot finish or cannot fit: every check here estimates the work or
  the memory *before* anything is allocated and raises :class:`~vcbound.errors.LimitError`
  naming the limit and the reason (e.g. "needs about 13.4 GB of memory for its work arrays,
  this machine has 21.0 GB available").
* **Say something** about everything else that takes a while: :class:`Work` records the
  progress of a long loop (done / total); the command line's :class:`Heartbeat` prints a line
  on standard error after :data:`NOTICE_AFTER` seconds and every :data:`HEARTBEAT_EVERY`
  seconds after that, with the fraction done and the estimated time left when the running
  step reports them, so no command sits silent.

The limits (documented in the vcbound docs, page ``limits``):

=============================  ==================================================================
:data:`MAX_NUMBER_CHARS`       characters of a number typed as text (``'0.1'``, ``'1/3'``)
:data:`MAX_DECIMAL_EXPONENT`   size of a decimal exponent (``1e-100000`` is the smallest eps)
:data:`MAX_SAMPLES`            networks one enumeration samples (its counters are int64)
:data:`MAX_GRID_ENTRIES`       coordinates of a grid held in memory (n x (d - 1))
:data:`MAX_EXACT_SECONDS`      estimated time of an exact dichotomy count (10 minutes)
memory                         estimated peak of an enumeration's work arrays <= the memory
                               the operating system reports available
=============================  ==================================================================
"""

import math
import os
import sys
import threading
import time

from .errors import LimitError

__all__ = ["MAX_LOG2_N", "MAX_NUMBER_CHARS", "MAX_DECIMAL_EXPONENT", "MAX_SAMPLES",
           "MAX_GRID_ENTRIES", "MAX_EXACT_SECONDS", "NOTICE_AFTER", "HEARTBEAT_EVERY",
           "available_memory", "check_memory", "format_bytes", "format_seconds",
           "grid_points_log2", "check_grid", "check_solver_grid", "check_log2_n", "exact_cost",
           "exact_seconds", "orbit_speedup", "MAX_LONG_EXACT_SECONDS",
           "check_exact", "enumerate_memory", "check_enumerate", "Work", "Heartbeat",
           "check_output_path", "write_atomically"]

#: Longest number accepted as text: a longer one is a paste error (and would be echoed back).
MAX_NUMBER_CHARS = 10_000
#: Largest |exponent| of a decimal typed as text: Fraction(Decimal('1e-999999999')) alone would
#: build a billion-digit integer.
MAX_DECIMAL_EXPONENT = 100_000
#: Networks one enumeration may sample: its counters and saturation curve are int64.
MAX_SAMPLES = 2**62
#: Coordinates (points x dimensions) of a grid held in memory: 2^25 int64 plus as many float64,
#: 512 MiB.
MAX_GRID_ENTRIES = 2**25
#: Largest log2 n = (d - 1) log2 K of the grid the solver reasons about (n is held as an exact
#: integer of up to 2^26 bits, 20 million digits; d = 10^6 with eps = 10^-6 needs 1.9e7 bits).
MAX_LOG2_N = 2**26
#: Estimated seconds (see :func:`exact_seconds`) an exact count may take: 10 minutes.
MAX_EXACT_SECONDS = 600.0
#: The same for a run that can be stopped and resumed (a checkpoint or a Dask client): a year.
MAX_LONG_EXACT_SECONDS = 365.25 * 86400
#: Elementary steps per second of the exact counts (see :func:`exact_cost`), measured on the
#: reference machine (2 shared vCPUs, Intel Xeon, under load): planar 2,025 points 8.5 s and
#: 8,100 points 125 s; incremental (compiled kernels, 2 vCPUs shared with other work) 512
#: points of rank 4 0.52 s, 256 and 625 points of rank 5 3.3 s and 97 s (1.3e8 to 3.9e8 steps/s;
#: the numpy fallback, for coordinates beyond int64 bounds, takes about 35 times longer); flats 27 points of rank 4 0.26 s; lp 9 points 2.1 s, 16 points 135 s; orbits
#: (incremental steps, before :func:`orbit_speedup`; a 2-vCPU AMD EPYC, the engine's default
#: two threads) fitted to {0,1}^8, 2137 s (:data:`ORBIT_MEASURED`).
EXACT_STEPS_PER_SECOND = {"planar": 2.5e5, "incremental": 1.5e8, "flats": 2e5, "lp": 200.0,
                          "orbits": 9.5e8}

#: The orbit method measured (seconds, default plan and threads: 2 on a 2-vCPU AMD EPYC,
#: idle except {0,1}^8, which ran in 256 shards and shared the machine with another job for its
#: first 20 minutes) against :func:`exact_seconds`: (set, n, rank, group order, measured s,
#: estimated s). One thread takes about 1.5 times as long.
ORBIT_MEASURED = (
    ("3-D grid K = 10", 1000, 4, 48, 0.65, 0.53),
    ("3-D grid K = 12", 1728, 4, 48, 3.2, 2.7),
    ("4-D grid K = 4", 256, 5, 384, 0.59, 0.32),
    ("4-D grid K = 5", 625, 5, 384, 9.9, 11.5),
    ("{0,1}^6", 64, 7, 46080, 0.066, 0.025),
    ("{0,1}^7", 128, 8, 645120, 2.8, 5.1),
    ("{0,1}^8", 256, 9, 10321920, 2137.0, 2142.0),
)
#: Seconds of silence before the first heartbeat line, and between later ones.
NOTICE_AFTER = 10.0
HEARTBEAT_EVERY = 30.0


# ------------------------------------------------------------------------------ formatting
def format_bytes(nbytes):
    """``13.4 GB``-style size (powers of 1000).

    >>> format_bytes(13_351_000_000), format_bytes(512)
    ('13.4 GB', '512 bytes')
    """
    if nbytes < 1000:
        return f"{int(nbytes)} bytes"
    for unit in ("kB", "MB", "GB", "TB", "PB"):
        nbytes /= 1000.0
        if nbytes < 1000 or unit == "PB":
            return f"{nbytes:.1f} {unit}"


def format_seconds(seconds):
    """Human duration: ``'42 s'``, ``'3 min'``, ``'2.5 h'``, ``'12 days'``, ``'3.2e+09 years'``.

    >>> format_seconds(42), format_seconds(200), format_seconds(9000), format_seconds(1e17)
    ('42 s', '3 min', '2.5 h', '3.2e+09 years')
    """
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 100:
        return f"{seconds:.0f} s"
    if seconds < 6000:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    if seconds < 730 * 86400:
        return f"{seconds / 86400:.0f} days"
    years = seconds / (365.25 * 86400)
    return f"{years:.0f} years" if years < 1e6 else f"{years:.1e} years"


# ------------------------------------------------------------------------------ memory
def available_memory():
    """Bytes the operating system reports available (Linux ``MemAvailable``), else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(what, nbytes, detail=""):
    """Refuse when ``nbytes`` (an estimate of a peak) exceeds the available memory.

    >>> check_memory("this run", 10**30, "its table")
    Traceback (most recent call last):
    ...
    vcbound.errors.LimitError: this run needs about 1000000000000000.0 PB of memory for its ...
    """
    avail = available_memory()
    if avail is not None and nbytes > avail:
        raise LimitError(f"{what} needs about {format_bytes(nbytes)} of memory"
                         + (f" for {detail}" if detail else "")
                         + f", more than the {format_bytes(avail)} this machine has available; "
                         "use smaller widths or fewer points.")


# ------------------------------------------------------------------------------ grids
def grid_points_log2(d, K):
    """log2 of n = K^(d-1), computed without forming n (d may be 10^100)."""
    if K == 1:
        return 0.0
    if d - 1 > 2**1000:
        return math.inf
    return float(d - 1) * math.log2(K)


def check_grid(d, K, max_points):
    """Refuse the grid S~ of dimension d and K values per axis when it has more than
    ``max_points`` points or more than :data:`MAX_GRID_ENTRIES` coordinates, before computing
    K^(d-1) (which for d = 10^100 would never finish). Returns n."""
    if K > 1 and grid_points_log2(d, K) > math.log2(max_points) + 1:
        raise LimitError(f"The grid with d = {_short_int(d)} and K = {_short_int(K)} has "
                         f"K^(d-1) = about 2^{grid_points_log2(d, K):.4g} points, more than the "
                         f"{max_points} (2^{int(math.log2(max_points))}) vcbound builds.")
    n = K ** (d - 1)
    if n > max_points:
        raise LimitError(f"The grid with d = {d} and K = {K} has K^(d-1) = {n} points, more "
                         f"than the {max_points} (2^{int(math.log2(max_points))}) vcbound builds.")
    if n * (d - 1) > MAX_GRID_ENTRIES:
        raise LimitError(f"The grid with d = {_short_int(d)} and K = {K} has {n} points of "
                         f"d - 1 = {_short_int(d - 1)} coordinates, more than the "
                         f"{MAX_GRID_ENTRIES} (2^25) coordinates vcbound holds in memory.")
    return n


def check_solver_grid(d, K):
    """Refuse n = K^(d-1) beyond 2^MAX_LOG2_N before forming it (tiny eps with a large d)."""
    check_log2_n(grid_points_log2(d, K),
                 f"The grid with d = {d} and K = floor(1/(2 eps)) = {_short_int(K)}")


def check_log2_n(bits, what):
    """Refuse a point set of about 2^bits points beyond 2^MAX_LOG2_N (``what`` names it)."""
    if bits > MAX_LOG2_N:
        raise LimitError(f"{what} has about 2^{bits:.4g} points; the solver holds the number "
                         f"of points as an exact integer of at most "
                         f"2^{int(math.log2(MAX_LOG2_N))} bits. Use a larger eps or a smaller "
                         "dimension.")


def _short_int(v):
    if v.bit_length() <= 64:
        return str(v)
    return f"about 10^{v.bit_length() * math.log10(2):.0f}"


# ------------------------------------------------------------------------------ exact counts
def exact_cost(n, rank, method, group_order=1):
    """Estimated elementary steps of an exact count of n distinct points whose lifted vectors
    have rank ``rank`` (:mod:`vcbound.exact`):

    * rank <= 2 (points on a line): 0 (the count is 2n);
    * 'planar' (rank 3): n^2 / 2 pairs of points;
    * 'incremental': about C(n, rank - 3) planar problems of up to n^2 / 2 pairs each
      (deletion-restriction drops the dimension by one per level);
    * 'flats': about C(n, rank - 1) closures (the flats of rank < rank), each over n points;
    * 'lp': 2^(n-1) linear programs (the unit of :data:`EXACT_STEPS_PER_SECOND` is one LP);
    * 'orbits': the incremental steps divided by :func:`orbit_speedup` (the group of order
      ``group_order`` and the merging of equal flats), in the unit of
      ``EXACT_STEPS_PER_SECOND['orbits']``.
    """
    if rank <= 2:
        return 0.0
    if method == "lp":
        return 2.0 ** (n - 1)
    if method == "flats":
        return float(math.comb(n, min(rank - 1, n))) * n
    if rank <= 3:
        return n * n / 2.0
    cost = float(math.comb(n, min(rank - 3, n))) * n * n / 2.0
    if method == "orbits":
        cost /= orbit_speedup(rank, group_order)
    return cost


def orbit_speedup(rank, group_order):
    """How many times fewer steps than 'incremental' the orbit method takes, fitted to the
    measurements in :data:`ORBIT_MEASURED`: ``group_order ** (0.21 + 0.082 (rank - 5))`` for
    rank >= 5 (the larger the rank, the more levels merge up to the group: 384^0.21 = 3.5 for
    4-D grids, 10321920^0.54 = 5900 for {0,1}^8), 1 for rank 4 (one level of nodes below the
    root: the group barely helps). On the measured sets of more than a second the estimate is
    within a factor 2 of the measured time; the smallest ones (under a second) are
    underestimated by up to 3x."""
    if rank <= 4 or group_order <= 1:
        return 1.0
    return float(group_order) ** (0.21 + 0.082 * (rank - 5))


def exact_seconds(n, rank, method, group_order=1):
    """:func:`exact_cost` in seconds on the reference machine."""
    key = method if method in EXACT_STEPS_PER_SECOND else "incremental"
    return exact_cost(n, rank, method, group_order) / EXACT_STEPS_PER_SECOND[key]


def check_exact(n, rank, method, long_run=False, group_order=1):
    """Refuse an exact count whose estimated time exceeds :data:`MAX_EXACT_SECONDS`
    (LP: 2^(n-1) programs, limited separately by vcbound.exact.MAX_LP_POINTS). Returns the
    estimated seconds.

    ``long_run`` (a checkpoint or a Dask client was given): the caller accepts a long run that
    it can stop and resume, with progress per shard, so the limit is
    :data:`MAX_LONG_EXACT_SECONDS` of estimated single-core time instead; beyond that even a
    checkpointed run would not finish.
    """
    cost = exact_cost(n, rank, method, group_order)
    seconds = exact_seconds(n, rank, method, group_order)
    limit = MAX_LONG_EXACT_SECONDS if long_run and method == "orbits" else MAX_EXACT_SECONDS
    if method != "lp" and seconds > limit:
        hint = ("use fewer points or a lower dimension" if limit > MAX_EXACT_SECONDS else
                "use fewer points or a lower dimension, or accept a long run with a checkpoint "
                "(checkpoint=FILE, --checkpoint FILE) or a Dask cluster" if method == "orbits"
                else "use fewer points or a lower dimension")
        raise LimitError(f"The exact count of {n} points of affine rank {rank - 1} by method "
                         f"{method!r} needs about {cost:.2g} steps (about "
                         f"{format_seconds(seconds)}), more than the "
                         f"{format_seconds(limit)} vcbound allows; {hint}.")
    return seconds


# ------------------------------------------------------------------------------ enumeration
def enumerate_memory(widths, n, batch_size, threads):
    """Estimated peak bytes of an enumeration's work arrays, before its table of patterns.

    Mirrors the allocations of ``lane_workspace`` and ``workspace`` (one of each per thread,
    vcbound's numba engine) and the batch buffers of :func:`vcbound.enumerate_labellings`:
    per thread ``L`` lanes (64 for two or more hidden layers, else 128) hold every parameter
    about three times in float32 (P, the normal pairs NA/NB, and the transposed PT of deep
    networks), plus the per-network float32 and float64 scratch of 4 x (max width) x n values.
    """
    from ._engine import _lanes as lanes_mod
    maxw = max([5] + list(widths))
    n_params = sum((widths[i] + 1) * widths[i + 1] for i in range(len(widths) - 1))
    deep = len(widths) > 3
    L = lanes_mod.LANES if deep else lanes_mod.LANES_SHALLOW
    words = (n + 63) // 64
    npairs = (n_params + 2) // 2
    lane = L * 4 * (2 * npairs + n_params + (n_params if deep else 0) + 5 * n)
    lane += L * 8 * (10 * maxw + words)
    limit = getattr(lanes_mod, "_DEEP_LANE_BYTES", 0)
    if deep and maxw * n * L * 4 <= limit:
        lane += 2 * maxw * n * L * 4
    per_net = (4 + 8) * (4 * maxw * n + n_params) + 8 * 16 * maxw
    batch = batch_size * (words * 8 + 1)
    return threads * (lane + per_net) + batch


def check_enumerate(widths, n, samples, batch_size, threads):
    """Refuse an enumeration beyond :data:`MAX_SAMPLES` networks or whose work arrays
    (:func:`enumerate_memory`) would not fit in the available memory."""
    if samples > MAX_SAMPLES:
        raise LimitError(f"Argument 'samples' must be at most 2^62 = {MAX_SAMPLES:.3e} (the "
                         f"enumerator's counters are 64-bit integers), not {samples:.3e}.")
    need = enumerate_memory(widths, n, batch_size, threads)
    check_memory(f"Enumerating networks {list(widths)} on {n} points", need,
                 "its work arrays (every parameter held once per SIMD lane)")
    return need


# ------------------------------------------------------------------------------ progress
class Work:
    """Progress of the current long step, read by :class:`Heartbeat` (one per thread that
    reports; the command line runs one step at a time).

    >>> with Work("networks", 100) as w:
    ...     w.update(25)
    ...     w.fraction
    0.25
    """

    _current = None

    def __init__(self, unit, total, start_done=0):
        self.unit = unit
        self.total = total
        self.done = start_done
        self._start_done = start_done
        self.start = time.monotonic()

    def update(self, done):
        self.done = done

    @property
    def fraction(self):
        return self.done / self.total if self.total else None

    def eta(self):
        """Seconds left at the rate measured so far, None before any progress."""
        new = self.done - self._start_done
        if new <= 0 or not self.total:
            return None
        rate = new / (time.monotonic() - self.start)
        return (self.total - self.done) / rate if rate > 0 else None

    def describe(self):
        frac = self.fraction
        if frac is None:
            return f"{self.done} {self.unit} so far"
        eta = self.eta()
        text = f"{100 * frac:.1f}% of {self.total:,} {self.unit}"
        return text + (f", about {format_seconds(eta)} to go" if eta is not None else "")

    def __enter__(self):
        self._previous, Work._current = Work._current, self
        return self

    def __exit__(self, *exc):
        Work._current = self._previous
        return False


class Heartbeat:
    """While active, a daemon thread prints ``vcbound <command>: still working after 40 s:
    12.5% of 1,000,000 networks, about 4 min to go`` on ``stream`` after ``first`` seconds and
    every ``every`` seconds after that. Used by the command line around each command."""

    def __init__(self, command, stream=None, first=None, every=None):
        self.command = command
        self.stream = stream if stream is not None else sys.stderr
        self.first = NOTICE_AFTER if first is None else first
        self.every = HEARTBEAT_EVERY if every is None else every
        self._stop = threading.Event()
        self._thread = None

    def _run(self):
        start = time.monotonic()
        wait = self.first
        while not self._stop.wait(wait):
            work = Work._current
            what = f": {work.describe()}" if work is not None else ""
            try:
                print(f"vcbound {self.command}: still working after "
                      f"{format_seconds(time.monotonic() - start)}{what} (Ctrl-C stops)",
                      file=self.stream, flush=True)
            except (OSError, ValueError):
                return
            wait = self.every

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, name="vcbound-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        return False


# ------------------------------------------------------------------------------ files
def check_output_path(name, path, what="file"):
    """Check, before any work, that ``path`` can be created or replaced: a string path, an
    existing folder (not a regular file), not itself a folder, and a folder that accepts a new
    file (tried by creating and removing an empty temporary file, which also catches read-only
    mounts, where permission bits do not stop root). Returns the path as a str.

    Raises :class:`~vcbound.errors.VCBoundError` naming the path and the problem.
    """
    from .errors import VCBoundError, VCBoundTypeError

    if isinstance(path, bool) or not isinstance(path, (str, bytes, os.PathLike)):
        from ._validation import fmt_value
        raise VCBoundTypeError(f"Argument {name!r} must be a file name (str or os.PathLike), "
                               f"not {fmt_value(path)}.")
    path = os.fsdecode(os.fspath(path))
    who = name if name.startswith("--") else f"Argument {name!r}"
    if not path.strip() or "\0" in path:
        raise VCBoundError(f"{who} must be a file name, not {path[:60]!r}.")
    if os.path.isdir(path):
        raise VCBoundError(f"{who}: {path[:200]!r} is a folder, not a {what}.")
    folder = os.path.dirname(os.path.abspath(path))
    probe = folder
    while probe and not os.path.exists(probe):
        probe = os.path.dirname(probe) if os.path.dirname(probe) != probe else ""
    if probe and not os.path.isdir(probe):
        raise VCBoundError(f"{who}: cannot write {path[:200]!r}: {probe[:200]!r} is "
                           "a file, not a folder.")
    if not os.path.isdir(folder):
        raise VCBoundError(f"{who}: cannot write {path[:200]!r}: the folder "
                           f"{folder[:200]!r} does not exist.")
    import tempfile
    try:
        fd, tmp = tempfile.mkstemp(prefix=".vcbound-probe-", dir=folder)
    except OSError as exc:
        raise VCBoundError(f"{who}: cannot write {path[:200]!r}: "
                           f"{exc.strerror or exc}.") from None
    os.close(fd)
    os.unlink(tmp)
    return path


def write_atomically(name, path, write):
    """Call ``write(handle)`` on a temporary file next to ``path`` (binary mode), then rename
    it over ``path``: a full disk or an error leaves no partial file behind (the temporary is
    removed and any old ``path`` kept). The file is written under exactly the name given."""
    import tempfile

    from .errors import VCBoundError

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{os.path.basename(path)}.", dir=folder)
    except OSError as exc:
        raise VCBoundError(f"Cannot write {name} {path!r}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes 0600; a plain open() would not
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise VCBoundError(f"Cannot write {name} {path!r}: {exc.strerror or exc}.") from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass
