"""Whether numba's on-disk cache holds vcbound's kernels, and the one-line notice before a cold
compile (internal).

numba compiles a ``cache=True`` function on its first call and stores the machine code in its
cache (``__pycache__`` beside the source, or ``NUMBA_CACHE_DIR``); later processes load it in
about a second. The first call in a fresh installation therefore spends one to two minutes in
the compiler with no output. :func:`notice_if_cold` prints one line on stderr before that
happens, so a user does not take the silence for a hang.

A kernel counts as cached when numba's index file for it exists (``dispatcher._cache._cache_file._index_path``, numba's own locator, so ``NUMBA_CACHE_DIR`` is honoured); a stale index (source
changed) still counts as cached, which can only suppress the notice, never print a wrong one
about results.
"""

import os
import sys

__all__ = ["cold_kernels", "notice_if_cold", "COLD_SECONDS"]

#: Rough duration of a cold compile, as stated in the notice (measured on the 2-vCPU CI machine:
#: see the vcbound docs §Start-up).
COLD_SECONDS = "1-2 minutes"

_noticed = False


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


def cold_kernels(*modules):
    """Names of the cached (``cache=True``, not inlined) kernels of ``modules`` with no cache
    index on disk."""
    cold = []
    for disp in _eligible(modules):
        cache_file = getattr(disp._cache, "_cache_file", None)
        path = getattr(cache_file, "_index_path", None)
        if path is not None and not os.path.exists(path):
            cold.append(disp.py_func.__name__)
    return cold


def notice_if_cold(*modules, stream=None):
    """Print one line on stderr when most kernels of ``modules`` are not in numba's cache yet
    (a fresh installation or an emptied cache; once per process). Returns True when it printed.

    "Most": a run compiles only the kernels its path needs (one thread does not compile the
    threaded driver), so a few uncached kernels are normal and compile in seconds."""
    global _noticed
    if _noticed:
        return False
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
          f"{COLD_SECONDS}); later runs load them from the cache in about a second.",
          file=stream, flush=True)
    return True
