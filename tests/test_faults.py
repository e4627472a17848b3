"""Fault tests of issue 20: Ctrl-C in the middle of an enumeration with a checkpoint, kill -9
during checkpoint writes, two runs on one checkpoint path, a full disk and a read-only folder.

The full disk and the read-only folder are real file systems: a 16 kB tmpfs and a read-only
tmpfs, mounted inside a private mount namespace (``unshare -m``) that dies with the command, so
nothing is left mounted. Root ignores permission bits (chmod cannot make a folder read-only for
root), a read-only mount stops it. Those two tests skip where mounting is not permitted.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from vcbound._engine._checkpoint import read_checkpoint

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENUM = [sys.executable, "-m", "vcbound", "enumerate", "--d", "3", "--K", "8", "--widths",
        "2,16,1", "--seed", "7", "--batch-size", "2048", "--format", "json"]


def _spec():
    from vcbound.enumerate import _FORMAT, _SPEC
    return _FORMAT, _SPEC


def _run(args, **kw):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, **kw)


def _wait_for(path, proc, timeout=300):
    t0 = time.monotonic()
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() - t0 > timeout:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def reference():
    """``distinct`` of the uninterrupted run of 400,000 networks (seed 7)."""
    proc = _run(ENUM + ["--samples", "400000"])
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["distinct"]


def test_sigint_then_resume(tmp_path, reference):
    ck = str(tmp_path / "run.npz")
    args = ENUM + ["--samples", "400000", "--checkpoint", ck, "--checkpoint-every", "0.05"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert _wait_for(ck, proc), "no checkpoint written"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    fmt, spec = _spec()
    if proc.returncode == 0:   # finished before the signal landed: nothing to resume
        pytest.skip("the run finished before Ctrl-C")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    partial = json.loads(out)
    assert partial["interrupted"] is True and partial["samples"] < 400000
    data = read_checkpoint(ck, fmt, spec)                        # loads
    assert int(data["samples_done"]) == partial["samples"]
    resumed = _run(args)
    assert resumed.returncode == 0, resumed.stderr
    final = json.loads(resumed.stdout)
    assert final["samples"] == 400000
    assert final["distinct"] == reference                       # same as uninterrupted
    assert sorted(os.listdir(tmp_path)) == ["run.npz"]


def test_kill9_during_checkpoint_writes(tmp_path, reference):
    """Checkpoints written after every batch; kill -9 at several moments: the file is always
    absent or a complete checkpoint, never torn; the leftover temporaries of the killed writers
    are removed by the next run, which completes with the uninterrupted count."""
    ck = str(tmp_path / "run.npz")
    args = ENUM + ["--samples", "400000", "--checkpoint", ck, "--checkpoint-every", "0.001",
                   "--batch-size", "256"]
    fmt, spec = _spec()
    done = []
    for delay in (0.0, 0.13, 0.29, 0.47):
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if _wait_for(ck, proc) or proc.poll() is None:
            time.sleep(delay)
        proc.kill()
        proc.wait()
        if os.path.exists(ck):
            done.append(int(read_checkpoint(ck, fmt, spec)["samples_done"]))  # never corrupt
        if os.path.exists(ck + ".lock") or os.path.exists(str(tmp_path / ".run.npz.lock")):
            pass   # a killed run cannot remove its lock file; flock is released by the kernel
    assert done == sorted(done)
    final = _run(args)
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["distinct"] == reference
    leftovers = [n for n in os.listdir(tmp_path) if n.startswith(".tmp-")]
    assert leftovers == []


def test_two_runs_one_checkpoint(tmp_path):
    """A second run on a checkpoint path in use, with another seed, is refused with one line
    (exit 2); the first completes and its checkpoint holds its own seed."""
    ck = str(tmp_path / "run.npz")
    lock = str(tmp_path / ".run.npz.lock")
    first = subprocess.Popen(ENUM + ["--samples", "4000000", "--checkpoint", ck],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for(lock, first), "the first run never took the lock"
    second = _run([a if a != "7" else "8" for a in ENUM] + ["--samples", "600000",
                                                            "--checkpoint", ck])
    first_still_running = first.poll() is None
    out, err = first.communicate(timeout=600)
    if second.returncode == 0:
        pytest.fail("second run on a locked checkpoint was not refused")
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    # refused by the lock while the first runs; on an idle machine the first may already have
    # finished, and then the finished checkpoint's seed refuses it: one line either way
    expected = ("in use by another run",) if first_still_running else (
        "in use by another run", "belongs to another run: seed")
    assert len(lines) == 1 and any(e in lines[0] for e in expected), second.stderr
    assert first.returncode == 0, err
    fmt, spec = _spec()
    assert int(read_checkpoint(ck, fmt, spec)["seed"]) == 7
    assert not os.path.exists(lock)


def _private_mount(options, folder, command):
    """Run ``command`` (a shell string) with a tmpfs of ``options`` mounted on ``folder`` in a
    private mount namespace; None when that is not permitted here."""
    if shutil.which("unshare") is None:
        return None
    probe = subprocess.run(["unshare", "-m", "sh", "-c",
                            f"mount -t tmpfs -o {options} tmpfs {folder}"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    return subprocess.run(["unshare", "-m", "sh", "-c",
                           f"mount -t tmpfs -o {options} tmpfs {folder} && cd {ROOT} && "
                           f"{command}; status=$?; ls -A {folder}; exit $status"],
                          capture_output=True, text=True, timeout=600)


def test_full_disk_checkpoint(tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    cmd = " ".join(ENUM[:1] + ["-m", "vcbound", "enumerate", "--d", "3", "--K", "16",
                               "--widths", "2,16,1", "--samples", "100000", "--checkpoint",
                               f"{folder}/run.npz"])
    proc = _private_mount("size=16k", folder, cmd)
    if proc is None:
        pytest.skip("mounting a tmpfs is not permitted here")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0]
    assert f"{folder}/run.npz" in lines[0]
    assert proc.stdout.strip() == ""            # ls -A of the full folder: nothing left


def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    for option in ([f"--checkpoint", f"{folder}/run.npz"],
                   [f"--save-patterns", f"{folder}/p.npy"]):
        cmd = " ".join(ENUM[:1] + ["-m", "vcbound", "enumerate", "--d", "3", "--K", "4",
                                   "--widths", "2,1", "--samples", "100"] + option)
        proc = _private_mount("ro", folder, cmd)
        if proc is None:
            pytest.skip("mounting a tmpfs is not permitted here")
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Read-only file system" in lines[0], proc.stderr
        assert proc.stdout.strip() == ""
