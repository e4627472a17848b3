"""The one-line notice before a cold numba compile (issue 16 point 6: first use compiled for
about 80 s in silence). Checked without compiling anything: in a fresh ``NUMBA_CACHE_DIR`` no
kernel has a cache index, so the notice is due; importing the kernel modules compiles nothing."""

import subprocess
import sys

SCRIPT = r"""
import io
from vcbound._engine import _kernels, _lanes, _simd, _rng
from vcbound._engine._cache import cold_kernels, notice_if_cold
cold = cold_kernels(_kernels, _lanes, _simd, _rng)
out = io.StringIO()
first = notice_if_cold(_kernels, _lanes, _simd, _rng, stream=out)
second = notice_if_cold(_kernels, _lanes, _simd, _rng, stream=out)
print(len(cold), first, second)
print(out.getvalue(), end="")
"""


def test_cold_cache_prints_one_line(tmp_path):
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=300, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0, proc.stderr
    head, *lines = proc.stdout.splitlines()
    n_cold, first, second = head.split()
    assert int(n_cold) >= 20 and first == "True" and second == "False"   # once per process
    assert len(lines) == 1 and lines[0].startswith("vcbound: compiling the numba kernels once")
    assert "minutes" in lines[0] and "cache" in lines[0]
    assert not list(tmp_path.rglob("*.nbi"))          # nothing was compiled to find out


def test_warm_cache_prints_nothing():
    """After a run the kernels are indexed: a later process prints no notice (the few kernels of
    other paths, e.g. the threaded driver, do not count)."""
    import io

    import numpy as np

    from vcbound import enumerate_labellings
    from vcbound._engine import _kernels, _lanes, _rng, _simd
    from vcbound._engine._cache import notice_if_cold

    enumerate_labellings([2, 1], np.array([[0, 0], [0, 1.0], [1, 0], [1, 1]]), 300, seed=1)
    out = io.StringIO()
    import vcbound._engine._cache as cache

    cache._noticed = False
    cache._checked.clear()
    assert notice_if_cold(_kernels, _lanes, _simd, _rng, stream=out) is False
    assert out.getvalue() == ""


STALE = r"""
import sys
sys.path.insert(0, sys.argv[1])
import kern
from vcbound._engine._cache import cold_kernels
before = cold_kernels(kern)
if sys.argv[2] == "call":
    kern.twice(3)
print(before, cold_kernels(kern))
"""


def test_a_stale_cache_index_counts_as_cold(tmp_path):
    """numba recompiles a kernel whose source file changed after its index was written (an
    upgrade, an edit); such a kernel must count as cold, or the notice stays silent while the
    whole engine compiles again (seen after an edit: 70 s of '0.0%' heartbeats)."""
    import os

    src = tmp_path / "kern.py"
    src.write_text("from numba import njit\n\n\n@njit(cache=True)\ndef twice(x):\n"
                   "    return 2 * x\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}

    def run(mode):
        proc = subprocess.run([sys.executable, "-c", STALE, str(tmp_path), mode],
                              capture_output=True, text=True, env=env, timeout=300,
                              cwd=os.path.dirname(os.path.dirname(__file__)))
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert run("call") == ["['twice']", "[]"]       # no index, then compiled and indexed
    assert run("look") == ["[]", "[]"]              # a later process finds it fresh
    stat = src.stat()
    src.write_text(src.read_text() + "# edited\n")  # same code, another size and time
    os.utime(src, (stat.st_atime + 5, stat.st_mtime + 5))
    assert run("look") == ["['twice']", "['twice']"]   # stale: numba would compile again


def test_exact_count_says_so_before_a_cold_compile(tmp_path):
    """The exact counts compile kernels of their own on first use (orbits about 18 s,
    'incremental' about 6 s on 2 vCPUs): the same one line, with their own duration, and then
    the count (4 x 4 grid: 174, OEIS A114146)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "vcbound", "exact", "--d", "3", "--K", "4",
                           "--method", "incremental", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "compiling the numba kernels once" in proc.stderr and "5-20 seconds" in proc.stderr
    assert '"count": 174' in proc.stdout
