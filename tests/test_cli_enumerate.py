"""``python -m vcbound enumerate`` (vcbound/cli/enumerate.py).

Expected counts are the published one-neuron counts of vcbound docs §One-neuron counts (2x2 grid -> 14,
{0,1}^3 -> 104); resumed runs are compared with uninterrupted ones.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from vcbound.cli import main


def run(capsys, *argv):
    status = main(["enumerate", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_output_single_neuron_2x2(capsys):
    status, out, err = run(capsys, "--d", "3", "--K", "2", "--widths", "2,1", "--samples",
                           "2e4", "--seed", "5", "--format", "json", "--progress", "no")
    assert status == 0
    data = json.loads(out)
    assert data["n"] == 4 and data["d"] == 3 and data["K"] == 2
    assert data["samples"] == 20000
    assert data["distinct"] == 14 and data["exact_one_neuron"] == 14     # vcbound docs §One-neuron counts
    assert data["converged"] is True and data["unconverged"] is False
    assert all(len(pair) == 2 for pair in data["saturation"])
    assert data["saturation"][-1] == [20000, 14]


def test_text_output_and_eps(capsys):
    # eps = 0.25 -> K = floor(1/(2 * 1/4)) = 2; d = 4: the cube {0,1}^3 up to scaling -> 104
    status, out, _ = run(capsys, "--d", "4", "--eps", "0.25", "--widths", "3,1", "--samples",
                         "3e4", "--progress", "no")
    assert status == 0
    assert "K = 2, n = 8 points" in out
    assert "distinct labellings" in out and " 104" in out
    assert "complete" in out


def test_unconverged_reported(capsys):
    status, out, _ = run(capsys, "--d", "3", "--K", "4", "--widths", "2,4,1", "--samples", "3",
                         "--format", "json", "--progress", "no")
    data = json.loads(out)
    assert data["exact_one_neuron"] == 174                           # OEIS A114146, 4x4
    assert data["unconverged"] is True and data["converged"] is False


def test_checkpoint_resume_matches_single_run(capsys, tmp_path):
    ck = tmp_path / "run.npz"
    common = ["--d", "3", "--K", "5", "--widths", "2,4,1", "--seed", "3", "--batch-size", "500",
              "--progress", "no", "--format", "json"]
    run(capsys, *common, "--samples", "1500", "--checkpoint", str(ck))
    s1, out1, _ = run(capsys, *common, "--samples", "4000", "--checkpoint", str(ck),
                      "--save-patterns", str(tmp_path / "a.npy"))
    s2, out2, _ = run(capsys, *common, "--samples", "4000", "--save-patterns",
                      str(tmp_path / "b.npy"))
    assert s1 == s2 == 0
    a, b = json.loads(out1), json.loads(out2)
    assert a["distinct"] == b["distinct"] and a["saturation"] == b["saturation"]
    pa = np.load(tmp_path / "a.npy", allow_pickle=False)
    pb = np.load(tmp_path / "b.npy", allow_pickle=False)
    assert pa.dtype == np.uint64 and np.array_equal(pa, pb)


@pytest.mark.parametrize("argv, match", [
    (["--d", "3", "--K", "4", "--widths", "3,4,1", "--samples", "10"], "d - 1 = 2"),
    (["--d", "3", "--K", "0", "--widths", "2,1", "--samples", "10"], "'K'"),
    (["--d", "1", "--K", "3", "--widths", "2,1", "--samples", "10"], "'d'"),
    (["--d", "3", "--K", "3", "--widths", "2,1", "--samples", "0"], "'samples'"),
    (["--d", "3", "--K", "3", "--widths", "2,1", "--samples", "10", "--sampler", "he"],
     "'sampler'"),
    (["--d", "3", "--widths", "2,1", "--samples", "10"], "exactly one of --K and --eps"),
    (["--d", "3", "--K", "3", "--eps", "0.1", "--widths", "2,1", "--samples", "10"],
     "exactly one"),
    (["--d", "3", "--K", "3", "--widths", "2,x,1", "--samples", "10"], "widths"),
    (["--d", "3", "--K", "3", "--widths", "2,1", "--samples", "10", "--seed", "-1"], "'seed'"),
])
def test_bad_arguments_one_line_exit_2(capsys, argv, match):
    status, out, err = run(capsys, *argv, "--progress", "no")
    assert status == 2
    assert err.count("\n") == 1 and match in err and "Traceback" not in err


def test_bad_checkpoints(capsys, tmp_path):
    ck = tmp_path / "run.npz"
    base = ["--d", "3", "--K", "3", "--widths", "2,1", "--progress", "no"]
    assert run(capsys, *base, "--samples", "500", "--checkpoint", str(ck))[0] == 0
    status, _, err = run(capsys, *base, "--samples", "900", "--seed", "1", "--checkpoint",
                         str(ck))
    assert status == 2 and "another run" in err and "seed" in err
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"\x00" * 100)
    status, _, err = run(capsys, *base, "--samples", "900", "--checkpoint", str(corrupt))
    assert status == 2 and "corrupt" in err


def test_cli_as_a_process_twice():
    # the second call uses the cached compiled kernels (cache=True)
    cmd = [sys.executable, "-m", "vcbound", "enumerate", "--d", "3", "--K", "3", "--widths",
           "2,1", "--samples", "1000", "--format", "json"]
    for _ in range(2):
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["distinct"] <= 58 and out.stderr == ""
