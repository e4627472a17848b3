"""Census of the fuzz suites' failure classes (issue 20): draws inputs from the strategies of
tests/test_fuzz_cli.py and tests/test_fuzz_api.py without stopping at the first failure, and
groups the failures into classes (exception type and the innermost vcbound frame; a silent
run past the time bound; status 2 with more than one line on stderr; another exit status).

Run it from the root of a vcbound tree (the code under test is the ``vcbound/`` of the current
directory, so the same script measures the code before and after a change)::

    python benchmarks/fuzz_census.py --per-command 200

It prints the number of inputs tried, then one line per failure class with its count and the
first input that showed it.
"""

import argparse
import collections
import os
import sys
import traceback
import warnings


def _classify_exception(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [f for f in frames if "vcbound" in f.filename.replace("\\", "/").split("/tests/")[0]
             and "/tests/" not in f.filename]
    where = (f"{os.path.basename(inner[-1].filename)}:{inner[-1].name}" if inner
             else os.path.basename(frames[-1].filename) if frames else "?")
    return f"{type(exc).__name__} in {where}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-command", type=int, default=100)
    ap.add_argument("--only", default="", help="comma list of command/API names")
    args = ap.parse_args()
    sys.path.insert(0, os.getcwd())
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
    warnings.simplefilter("ignore")
    import _fuzz
    import test_fuzz_api
    import test_fuzz_cli
    from hypothesis import strategies as st

    import vcbound
    from vcbound.errors import VCBoundError

    vcbound.enumerate_labellings([2, 1], vcbound.make_grid(3, K=2), 10)   # load the kernels
    classes = collections.OrderedDict()
    tried = 0
    only = set(filter(None, args.only.split(",")))

    def note(cls, example):
        if cls not in classes:
            classes[cls] = [0, example]
        classes[cls][0] += 1

    def draw(strategy, n):
        out = []
        for _ in range(n):   # .example() is for exploration, which this is
            out.append(strategy.example())
        return out

    for kind, strategy in test_fuzz_cli.COMMANDS.items():
        if only and kind not in only:
            continue
        for argv in draw(strategy, args.per_command):
            tried += 1
            try:
                status, out, err, timed_out = _fuzz.run_main(argv)
            except Exception as exc:  # noqa: BLE001 - a traceback the user would see
                note(f"cli {kind}: traceback {_classify_exception(exc)}", argv)
                continue
            finally:
                test_fuzz_cli._clean()
            if "Traceback" in err:
                last = err.strip().splitlines()[-1][:80]
                note(f"cli {kind}: traceback printed: {last}", argv)
            elif timed_out and "still working" not in err:
                note(f"cli {kind}: silent past {_fuzz.TIME_BOUND} s", argv)
            elif not timed_out and status not in (0, 2):
                note(f"cli {kind}: exit status {status}", argv)
            elif status == 2 and len([ln for ln in err.strip().splitlines()
                                      if "still working" not in ln]) != 1:
                note(f"cli {kind}: several error lines on stderr", argv)
    for name, (fn, strategies) in test_fuzz_api.CALLS.items():
        if only and name not in only:
            continue
        for values in draw(st.tuples(*strategies), args.per_command):
            tried += 1
            try:
                with _fuzz.time_bound():
                    fn(*values)
            except _fuzz.TimeBound:
                note(f"api {name}: slower than {_fuzz.TIME_BOUND} s", values)
            except VCBoundError:
                pass
            except Exception as exc:  # noqa: BLE001
                note(f"api {name}: {_classify_exception(exc)}", values)
    print(f"inputs tried: {tried}")
    print(f"failure classes: {len(classes)}")
    for cls, (count, example) in classes.items():
        text = repr(example)
        print(f"{count:5d}  {cls}   e.g. {text[:160]}")


if __name__ == "__main__":
    main()
