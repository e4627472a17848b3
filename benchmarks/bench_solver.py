"""Benchmark of vcbound.solver: single solves, a 1,000-cell table, and d = 10^4, each against a
plain baseline in the same run.

Baselines:

* search: the interpolating search steered by a float root-find (``search='fast'``) against plain
  doubling + integer bisection on the rigorous capacity (``search='plain'``), same inputs, same
  answers (checked);
* number regime: the exact-integer path (exact G, exact Sauer sums) against the rigorous
  log-domain path on the cells where both apply (n <= 20000), same N_d (checked).

Caches are cleared before every timed run. Run:  python benchmarks/bench_solver.py  (~1 min)
"""

import argparse

from bench_exact import best_time   # same folder: the shared "best of n runs" timer

from vcbound import solver
from vcbound.routes import UnionRoute
from vcbound.solver import bound_table, solve

TABLE = dict(d=range(2, 202), eps=["0.25", "0.1", "0.05", "0.01", "0.001"], alpha="0.1")


def timed(fn, repeat=1):
    """Best time of ``repeat`` runs, each from cold caches."""
    return best_time(lambda: (solver.clear_caches(), fn())[1], repeat)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--new-only", action="store_true",
                        help="only section 5 (issue 19's new options), one run each")
    args = parser.parse_args(argv)
    rep = args.repeat
    solve(5, "0.1", "0.1")          # warm-up: the first call imports sauer, capacity, ...
    import mpmath
    # gmpy2 (a dependency) makes mpmath's big-number arithmetic GMP-backed; results are the same.
    # Compare with the pure-Python backend: MPMATH_NOGMPY=1 python benchmarks/bench_solver.py
    print("mpmath backend:", mpmath.libmp.BACKEND)

    print("1. single solve (d = 10, eps = 0.1, alpha = 0.1), best of", rep)
    print(f"   {'route':<8}{'N_d':>10}{'fast ms':>10}{'evals':>7}{'plain ms':>10}{'evals':>7}"
          f"{'plain/fast':>12}")
    for route in ("union", "dense", "paper"):
        tf, rf = timed(lambda: solve(10, "0.1", "0.1", route=route), rep)
        tp, rp = timed(lambda: solve(10, "0.1", "0.1", route=route, search="plain"), rep)
        assert rf.N_d == rp.N_d
        print(f"   {route:<8}{rf.N_d.human():>10}{tf * 1e3:>10.2f}{rf.evaluations:>7}"
              f"{tp * 1e3:>10.2f}{rp.evaluations:>7}{tp / tf:>11.1f}x")

    cells = len(TABLE["d"]) * len(TABLE["eps"])
    print(f"\n2. table d = 2:201 x eps = {','.join(TABLE['eps'])} x alpha = 0.1 "
          f"({cells} cells), best of {rep}")
    t_all, tab = timed(lambda: bound_table(**TABLE), rep)

    def dmin_pass():
        solver._d_min.cache_clear()
        return [r.D_min for r in tab.results.values()]

    t_dmin, _ = best_time(dmin_pass, rep)
    print(f"   union, whole table (every row has its D_min)     {t_all:7.2f} s")
    print(f"   of which D_min (vcbound.sauer.d_min, 1000 calls)  {t_dmin:7.2f} s  -> solver's own "
          f"work {t_all - t_dmin:.2f} s")
    t3, _ = timed(lambda: bound_table(d=range(2, 69), eps=TABLE["eps"], alpha="0.1",
                                          routes="union,dense,paper"), 1)
    print(f"   union,dense,paper over d = 2:68 ({67 * 5 * 3} cells, D_min shared)    "
          f"{t3:7.2f} s")
    small = dict(d=range(2, 42), eps=TABLE["eps"], alpha="0.1", routes="union,dense,paper")
    tf, tabf = timed(lambda: bound_table(**small), 1)
    tp, tabp = timed(lambda: bound_table(search="plain", **small), 1)
    same = sum(1 for k, r in tabf.results.items()
               if r.M == tabp.results[k].M or r.M >= 2 ** 40)
    print(f"   search baseline, d = 2:41, 3 routes ({len(tabf.results)} cells): fast {tf:.2f} s, "
          f"plain {tp:.2f} s, plain/fast {tp / tf:.1f}x; identical M in {same}/"
          f"{len(tabf.results)} cells (the rest beyond 2^40, equal to 2^-40)")
    exact_cells = [(d, e) for d in range(2, 30) for e in ("0.25", "0.1", "0.05", "0.01")
                   if solver.grid_size(d, e)[1] <= 20000]

    def run(regime):
        return [solve(d, e, "0.1", route=r, regime=regime).N_d for d, e in exact_cells
                for r in ("union", "dense", "paper")]

    te, ne = timed(lambda: run("exact"), 1)
    tl, nl = timed(lambda: run("log"), 1)
    print(f"   regime baseline, {len(ne)} cells with n <= 20000: exact {te:.2f} s, log {tl:.2f} s, "
          f"exact/log {te / tl:.2f}x; same N_d in {sum(a == b for a, b in zip(ne, nl))}/{len(ne)}")

    print("\n3. d = 10^4")
    for eps in ("0.25", "0.1", "1e-6"):
        for route in ("union", "dense", "paper"):
            t, r = timed(lambda: (lambda res: (res.D_min, res)[1])(
                solve(10**4, eps, "0.1", route=route)), rep)
            print(f"   eps = {eps:<6} {route:<6} N_d = {r.N_d.human():<10} log10 N_d = "
                  f"{float(r.log10_N_d):<12.4f} {t:6.3f} s (D_min included), "
                  f"{r.evaluations} capacity evaluations")
    t, r = timed(lambda: solve(10**4, "0.1", "0.1", route="union", search="plain"), 1)
    tf, rf = timed(lambda: solve(10**4, "0.1", "0.1", route="union"), 1)
    print(f"   search baseline at eps = 0.1, union: plain {t:.3f} s ({r.evaluations} evals), "
          f"fast {tf:.3f} s ({rf.evaluations} evals), plain/fast {t / tf:.1f}x")

    print("\n4. fitted exponents of N_d in 1/(2 eps), eps = 1/(2K), K = 100..10000, alpha = 0.1")
    print(f"   {'d':>3}{'union':>10}{'dense':>10}{'paper':>10}   (per (d-1); paper's 1/6 = 0.1667)")
    for d in (3, 5, 7, 10):
        row = []
        for route in ("union", "dense", "paper"):
            pts = [(K, solve(d, f"1/{2 * K}", "0.1", route=route).N_d.log2)
                   for K in (100, 300, 1000, 3000, 10000)]
            row.append(solver.fit_exponent(pts) / (d - 1))
        print(f"   {d:>3}" + "".join(f"{x:>10.4f}" for x in row))

    new_options(rep)


class _LayeredOnlyUnion(UnionRoute):
    """The union route before the DAG support count (layered pair count only), for comparison."""

    name = "union-layered"

    def log2_pairs(self, M, d):
        return self.log2_pairs_layered(M, d)

    def _approx_log2_pairs(self, M, x, d):
        import math
        return math.log2(M + 1) + (M + 1) * x + M * (1.4426950408889634
                                                     + math.log2(self.edges(M, d)) - x)


def new_options(rep=1):
    """Issue 19: 1,000-cell tables for each new option, against the default table in the same
    run (goal: each under 2 s), and how much the DAG support count moves the union route."""
    from vcbound.fixed_architecture import rule_out

    print(f"\n5. new options (issue 19): 1,000-cell tables d = 2:201 x eps = "
          f"{','.join(TABLE['eps'])}, best of {rep}")
    base, _ = timed(lambda: bound_table(**TABLE), rep)
    print(f"   {'option':<44}{'s':>7}{'vs default':>12}")
    print(f"   {'default (union, paper grid, alpha = 0.1)':<44}{base:>7.2f}{1:>11.2f}x")
    cases = [
        ("route union-dag", dict(TABLE, routes="union-dag")),
        ("points sharp, norm linf", dict(TABLE, points="sharp")),
        ("points sharp, norm l2", dict(TABLE, points="sharp", norm="l2")),
        ("points paper, norm l2", dict(TABLE, norm="l2")),
        ("theorem 3.4 (alpha = 0)", dict(TABLE, alpha=None, theorem="3.4")),
        ("alpha = 0.3, V = half", dict(TABLE, alpha="0.3")),
        ("alpha = 0.3, V = best", dict(TABLE, alpha="0.3", V="best")),
        ("alpha = 0.45, V = best", dict(TABLE, alpha="0.45", V="best")),
    ]
    for name, kw in cases:
        t, tab = timed(lambda: bound_table(**kw), rep)
        print(f"   {name:<44}{t:>7.2f}{t / base:>11.2f}x")
    t, _ = timed(lambda: [rule_out([d, 64, 64, 1], d, e, "0.1") for d in range(2, 202)
                          for e in TABLE["eps"]], 1)
    print(f"   {'rule_out [d, 64, 64, 1], same 1,000 cells':<44}{t:>7.2f}{t / base:>11.2f}x")
    t, _ = timed(lambda: [solve(d, e, "0.1", params=10**6) for d in range(2, 202)
                          for e in TABLE["eps"]], 1)
    print(f"   {'solve(params=10^6), same 1,000 cells':<44}{t:>7.2f}{t / base:>11.2f}x")

    print("\n   DAG support count vs the layered count alone (union route, V = half, alpha = 0.1)")
    old, new = _LayeredOnlyUnion(), bound_table(**TABLE)
    moved, rel, cells = 0, 0.0, 0
    for (d, e, a, _r), r in new.results.items():
        o = solve(d, e, a, route=old)
        cells += 1
        if r.M != o.M and r.M < 2 ** 40:
            moved += 1
            rel = max(rel, float(r.N_d.log2 - o.N_d.log2))
        # M >= 2^40 is resolved to relative 2^-40 only: there the two may differ by that much
        assert r.M >= o.M or (o.M >= 2 ** 40 and o.M - r.M <= o.M >> 39)
    print(f"   N_d changed in {moved}/{cells} cells with M < 2^40 (never down; above 2^40 equal "
          f"to the resolution 2^-40); largest change x{2 ** rel:.4f}")
    for d, e in ((10, "0.1"), (20, "0.1"), (40, "0.05"), (100, "0.1")):
        o, n = solve(d, e, "0.1", route=old).N_d, solve(d, e, "0.1").N_d
        print(f"   d = {d:<4} eps = {e:<5} layered only {o.human():>10}   with DAG count "
              f"{n.human():>10}")


if __name__ == "__main__":
    import sys

    if "--new-only" in sys.argv:
        solve(5, "0.1", "0.1")
        new_options(1)
    else:
        main()
