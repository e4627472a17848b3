"""Regenerate the figure shown in the README: ``python notebooks/make_figures.py``.

Writes ``notebooks/figures/nd_against_d.png``: the necessary network size N_d of Theorem 4.3
against the input dimension d, for three radii eps and the three routes of vcbound.solver (union
and dense certified, paper ILLUSTRATIVE), drawn by :func:`vcbound.plotting.plot_sizes`. Runs in
a few seconds; needs matplotlib (``pip install "vcbound[plot]"``).
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

from vcbound.plotting import plot_sizes  # noqa: E402
from vcbound.solver import bound_table  # noqa: E402

FIGURES = pathlib.Path(__file__).resolve().parent / "figures"


def main(out_dir=FIGURES):
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = bound_table(range(2, 31), [0.25, 0.1, 0.05], 0.1, routes="union,dense,paper")
    ax = plot_sizes(table)
    path = out_dir / "nd_against_d.png"
    # no creation-time or version metadata: the file only changes when the figure does
    ax.figure.savefig(path, dpi=100, metadata={"Software": None})
    print("wrote", path)
    return path


if __name__ == "__main__":
    main(*sys.argv[1:])
