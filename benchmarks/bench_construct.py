"""Benchmark of vcbound.constructions: build + exact verification time against n, and the bracket
ratio N_upper / N_d against d for eps = 1/10.

Baseline (same run): the plain exact evaluation of the network at every lifted grid point with
ReLUNetwork.evaluate (pure-Python rationals, one point at a time). It checks only the n centres,
not the balls, so it proves less than verify_robust; it is the naive way to "check every column".

Run:  python benchmarks/bench_construct.py        (a few minutes; use nice on a shared machine)
"""

import argparse
import time
from fractions import Fraction

from vcbound.constructions import make_labels, robust_network, verify_robust
from vcbound.solver import solve

from _machine import cpu_name  # benchmarks/ is on sys.path when run as a script


CASES = [(3, "0.1"), (4, "0.1"), (5, "0.1"), (6, "0.1"), (4, "1/30"), (7, "0.1"), (8, "0.1")]


def plain_check(net, con, limit):
    """Exact evaluation of the centres of the first ``limit`` columns, one point at a time."""
    g = con.grid_values
    pts = []
    for t in range(min(con.n, limit)):
        col = con.column(t)
        pts.append([g[i] for i in col] + [Fraction(1, 2) + con.eps0 * int(con.labels[t])])
    start = time.perf_counter()
    outs = net.evaluate(pts)
    outs = outs if isinstance(outs, list) else [outs]
    seconds = time.perf_counter() - start
    ok = all((o > 0) == (con.labels[t] > 0) for t, o in enumerate(outs))
    return seconds, len(pts), ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-limit", type=int, default=3125,
                        help="columns the plain baseline evaluates (default 3125)")
    args = parser.parse_args(argv)
    print("CPU:", cpu_name())
    print(f"{'method':7} {'d':>2} {'eps':>5} {'n':>7} {'weights':>8} {'build s':>8} "
          f"{'verify s':>9} {'scope':>22} {'plain s (cols)':>16} {'plain/verify':>12}")
    for method in ("spline", "bits"):
        for d, eps in CASES:
            labels = make_labels(d, eps, seed=0)
            t0 = time.perf_counter()
            net = robust_network(d, eps, labels, method=method)
            built = time.perf_counter() - t0
            v = verify_robust(net, net.construction, spot_points=0)
            assert v.correct
            ps, cols, ok = plain_check(net, net.construction, args.baseline_limit)
            assert ok
            per_col_plain = ps / cols
            per_col_verify = v.seconds / v.columns_checked
            print(f"{method:7} {d:>2} {eps:>5} {net.construction.n:>7} {net.weight_slots:>8} "
                  f"{built:>8.3f} {v.seconds:>9.3f} {v.scope:>22} {ps:>9.3f} ({cols:>5}) "
                  f"{per_col_plain / per_col_verify:>11.1f}x")
    print("\nbracket for eps = 1/10, alpha = 1/10 (union route)")
    print(f"{'d':>3} {'N_d':>12} {'N_upper':>14} {'method':>28} {'log10 ratio':>12}")
    for d in (2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100):
        r = solve(d, "0.1", "0.1").to_dict()
        print(f"{d:>3} {r['N_d']['text']:>12} {r['N_upper']['text']:>14} "
              f"{r['N_upper_method']:>28} {str(r['log10_bracket_ratio']):>12}")


if __name__ == "__main__":
    main()
