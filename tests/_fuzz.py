"""Shared pieces of the fuzz suites (tests/test_fuzz_*.py): hostile values, a time bound, and a
tally of the inputs tried.

The time bound: each example runs under a SIGALRM timer (main thread only). When it fires, the
example passes only if the command had already said something on stderr (the heartbeat of
vcbound._guard, sped up for the suite); a silent run that long is a failure ("hang without a
word").
"""

import io
import json
import os
import signal
import string
import time
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Seconds an example may run silently before it counts as a hang.
TIME_BOUND = float(os.environ.get("VCBOUND_FUZZ_BOUND", "6"))
#: Examples per command (default profile) and the factor of the deeper ``-m slow`` profile.
EXAMPLES = int(os.environ.get("VCBOUND_FUZZ_EXAMPLES", "20"))
DEEP = 10

TALLY = {"inputs": 0}


def fuzz_settings(n=EXAMPLES):
    return settings(max_examples=n, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))


class TimeBound(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


@contextmanager
def time_bound(seconds=TIME_BOUND):
    def fire(signum, frame):
        raise TimeBound()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def record(kind):
    TALLY["inputs"] += 1
    TALLY[kind] = TALLY.get(kind, 0) + 1
    path = os.environ.get("VCBOUND_FUZZ_TALLY")
    if path:
        with open(path, "w") as fh:
            json.dump(TALLY, fh)


def run_main(argv, monkeypatch=None):
    """``(status, stdout, stderr, timed_out)`` of ``vcbound.cli.main(argv)`` in this process,
    under :func:`time_bound`, with the heartbeat after 0.5 s and then every second."""
    from vcbound.cli import main
    try:
        from vcbound import _guard
    except ImportError:   # the code before issue 20 (the census in benchmarks/ runs on it)
        import types
        _guard = types.SimpleNamespace(NOTICE_AFTER=0, HEARTBEAT_EVERY=0)

    saved = _guard.NOTICE_AFTER, _guard.HEARTBEAT_EVERY
    _guard.NOTICE_AFTER, _guard.HEARTBEAT_EVERY = 0.5, 1.0
    out, err = io.StringIO(), io.StringIO()
    timed_out = False
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                with time_bound():
                    status = main(argv)
            except SystemExit as exc:
                status = exc.code
            except TimeBound:
                status, timed_out = None, True
    finally:
        _guard.NOTICE_AFTER, _guard.HEARTBEAT_EVERY = saved
    time.sleep(0)  # let a heartbeat line that raced the end land in err before we read it
    return status, out.getvalue(), err.getvalue(), timed_out


def check_cli_outcome(argv, status, out, err, timed_out):
    """The contract of issue 20 for one command-line run."""
    assert "Traceback" not in err, (argv, err[-2000:])
    if timed_out:
        assert "still working" in err, f"silent for {TIME_BOUND} s: {argv!r}"
        return
    assert status in (0, 2), (argv, status, err[-2000:])
    if status == 2:
        lines = [ln for ln in err.splitlines() if "still working" not in ln]
        assert len(lines) == 1, (argv, err[-2000:])
        assert len(lines[0]) <= 1000, (argv, len(lines[0]))


# ------------------------------------------------------------------ strategies
_WEIRD_TEXT = ["", " ", "nan", "NaN", "inf", "-inf", "+inf", "1e999999", "1e-999999",
               "1e-999999999", "1e100", "-0", "0", "0.0", "1/0", "0/0", "1//2", "1/3/5", "--",
               "１２", "٣", "Ⅷ", "0x10", "1_000", " 3 ", "\t2\n", "3.", ".5", "e5", "1e", "++1",
               "1,2", ",", "a" * 5000, "9" * 5000, "0." + "0" * 3000 + "1", "1" + "0" * 400,
               "-" + "9" * 30, "2:3", "😀", "\u202e3", "None", "True", "[]", "{}", "$HOME",
               "1e4300", "-1e-300", "5e-324", "1.7976931348623157e308", "4.9e-324"]

number_text = st.one_of(
    st.integers(-10, 40).map(str),
    st.integers(-10**40, 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.fractions(max_denominator=1000).map(str),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-9, 9), st.integers(-400, 400)),
    st.sampled_from(_WEIRD_TEXT),
    st.text(alphabet=string.digits + ".e-+/:, ", max_size=12),
    st.text(max_size=20),
)

small_int_text = st.integers(-3, 12).map(str)


def list_text(items, max_size=5):
    return st.lists(items, min_size=0, max_size=max_size).map(",".join)


#: Python values for the API fuzz: every type and size a caller might pass.
any_value = st.one_of(
    st.none(), st.booleans(),
    st.integers(-10, 12), st.integers(-10**30, 10**30), st.sampled_from([10**400, -10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.fractions(max_denominator=10**6),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from([np.float32(0.1), np.float16(0.25), np.int64(3), np.uint8(2), np.bool_(True),
                     np.float64("nan"), np.array(3), np.array([1, 2]), np.array([[1.0]]),
                     np.array([[None]], dtype=object), np.array([["a"]]), np.zeros((0, 2)),
                     np.zeros((2, 2, 2)), Decimal("1e-100001"), Fraction(1, 3), 1j, b"12",
                     object(), {}, set(), [], [[]], [[1, 2], [3]], "0.1", "1/4", "", "nan",
                     "a" * 3000, "9" * 5000]),
    st.text(max_size=10),
    st.lists(st.integers(-3, 20), max_size=5),
)
