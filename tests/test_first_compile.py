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
    assert notice_if_cold(_kernels, _lanes, _simd, _rng, stream=out) is False
    assert out.getvalue() == ""
