"""Whether numba's on-disk cache holds vcbound's kernels, and the one-line notice before a cold
compile (internal).

numba compiles a ``cache=True`` function on its first call and stores the machine code in its
cache (``__pycache__`` beside the source, or ``NUMBA_CACHE_DIR``); later processes load it in
about a second. The first call in a fresh installation therefore spends one to two minutes in
the compiler with no output. :func:`notice_if_cold` prints one line on stderr before that
happens, so a user does not take the silence for a hang.

A kernel counts as cached when numba's index file for it exists
(``dispatcher._cache._cache_file._index_path``, numba's own locator, so ``NUMBA_CACHE_DIR`` is
honoured) and is fresh: numba's own index reader finds overloads in it. An index written before
its source file changed (an upgrade, an edit) is stale, and numba compiles the kernel again, so
it counts as cold.
"""

import os
import sys

__all__ = ["cold_kernels", "notice_if_cold", "COLD_SECONDS"]

#: Rough duration of a cold compile, as stated in the notice (measured on the 2-vCPU CI machine:
#: see the vcbound docs §Start-up).
COLD_SECONDS = "1-2 minutes"

_noticed = False
_checked = set()


def _dispatchers(module):
    from numba.core.registry import CPUDispatcher

    for value in vars(module).values():
        if isinstance(value, CPUDispatcher) and getattr(value, "_cache", None) is not None:
            yield value


def _eligible(modules):
    """Cached kernels that get an index of their own: not ``inline="always"`` (compiled into
    their callers only)."""
    for module in modules:
        for disp in _dispatchers(module):
            if disp.targetoptions.get("inline") != "always":
                yield disp


def _indexed(cache_file):
    """Whether numba would load this kernel from its cache: an index exists *and* is fresh.

    numba stamps an index with its source file's modification time and size; after the file
    changes (an upgrade of vcbound, an edit) the index is stale and the kernel is compiled
    again. numba's own reader (``_load_index``) returns no overloads for a stale or foreign
    index, so it decides here as it will at the call; where it is missing, existence alone."""
    path = getattr(cache_file, "_index_path", None)
    if path is None:
        return True
    if not os.path.exists(path):
        return False
    load = getattr(cache_file, "_load_index", None)
    if load is None:      # pragma: no cover - other numba versions
        return True
    try:
        return bool(load())
    except Exception:     # noqa: BLE001 - an unreadable index: numba compiles again
        return False


def cold_kernels(*modules):
    """Names of the cached (``cache=True``, not inlined) kernels of ``modules`` that numba would
    compile on their first call: no cache index on disk, or a stale one (the source file
    changed since it was written)."""
    cold = []
    for disp in _eligible(modules):
        if not _indexed(getattr(disp._cache, "_cache_file", None)):
            cold.append(disp.py_func.__name__)
    return cold


def notice_if_cold(*modules, stream=None, about=None):
    """Print one line on stderr when most kernels of ``modules`` are not in numba's cache yet
    (a fresh installation or an emptied cache; once per process). Returns True when it printed.

    "Most": a run compiles only the kernels its path needs (one thread does not compile the
    threaded driver), so a few uncached kernels are normal and compile in seconds. ``about``:
    the duration the line states (default :data:`COLD_SECONDS`, the enumerator's)."""
    global _noticed
    names = frozenset(m.__name__ for m in modules)
    if _noticed or names in _checked:
        return False
    _checked.add(names)       # looked at once per process: callers may sit in a recursion
    try:
        cold = cold_kernels(*modules)
    except Exception:          # pragma: no cover - numba internals differ: no notice
        return False
    total = sum(1 for _ in _eligible(modules))
    if not cold or len(cold) * 2 <= total:
        return False
    _noticed = True
    stream = sys.stderr if stream is None else stream
    print(f"vcbound: compiling the numba kernels once ({len(cold)} functions, about "
          f"{about or COLD_SECONDS}); later runs load them from the cache in about a second.",
          file=stream, flush=True)
    return True
