"""Write the teaching notebooks of vcbound (``python notebooks/build_notebooks.py``).

The notebooks are generated from the cell lists below so that they stay small, reviewable in a
diff and free of outputs (execution_count null, outputs []): run them in Jupyter to see the
results. ``tests/test_notebooks.py`` executes every notebook and checks that none carries outputs.

Every number a reader sees is computed by a cell; the markdown refers to those outputs and never
types a number the package computes.
"""

import copy
import pathlib
import textwrap

import nbformat

HERE = pathlib.Path(__file__).resolve().parent


def md(text):
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(text):
    return nbformat.v4.new_code_cell(textwrap.dedent(text).strip())


def build(name):
    """The notebook ``name`` as an nbformat object, without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = copy.deepcopy(NOTEBOOKS[name])  # SETUP is shared: never mutate the originals
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name.split('_')[0]}-{i:02d}"  # stable ids: no churn in diffs
    nbformat.validate(nb)
    return nb


SETUP = code("""
    %matplotlib inline
    import math
    from fractions import Fraction
    import numpy as np
    import matplotlib.pyplot as plt
""")

# ----------------------------------------------------------------------------------------------
NB01 = [
    md(r"""
    # 1. The construction: linearly separable, well separated, and still hard

    Theorem 4.3 of Li et al. (NeurIPS 2022) says that ReLU networks need a size exponential in
    the dimension $d$ to reach a small *robust* test error, even when the two classes are
    linearly separable and $2\epsilon$-separated. This notebook builds the data behind that
    claim and looks at it:

    * the grid $\tilde S$ of $n = K^{d-1}$ points with $K = \lfloor 1/(2\epsilon) \rfloor$,
    * for a labelling $\phi$ of the grid, the lifted set $S_\phi$ and its two classes
      $A_\phi$ (label $+1$) and $B_\phi$ (label $-1$),
    * the checks that $A_\phi, B_\phi$ are $2\epsilon$-separated and linearly separable,
    * why the separating hyperplane is useless for *robust* classification, and what a robust
      classifier has to do instead.
    """),
    SETUP,
    code("""
    from vcbound.grid import make_grid, construction
    from vcbound.plotting import plot_construction
    """),
    md(r"""
    ## The grid $\tilde S$

    `make_grid(d, eps=...)` takes $\epsilon$ as the exact decimal you type. That matters:
    the double `0.1` is slightly *above* 1/10, so an exact evaluation of
    $\lfloor 1/(2 \cdot 0.1) \rfloor$ on the double gives one grid value fewer per axis than the
    $\epsilon = 1/10$ you meant. The next cell shows both numbers.
    """),
    code("""
    eps = Fraction(1, 10)
    grid = make_grid(2, eps=0.1)
    print("K from the decimal 0.1     :", grid.K, "  n =", grid.n)
    print("K from the double 0.1, exact:", math.floor(1 / (2 * Fraction(0.1))))
    print("grid points i/K             :", grid.points[:, 0])
    """),
    md(r"""
    ## A labelling $\phi$ and the sets $S_\phi$, $A_\phi$, $B_\phi$

    Pick any labelling $\phi$ of the $K$ grid points. Each grid point $(i/K, 1/2)$ is lifted to
    height $1/2 + \epsilon_0 \phi(i)$: up for $+1$ (the set $A_\phi$), down for $-1$ ($B_\phi$).
    The paper only says "$\epsilon_0$ arbitrarily small"; we take $\epsilon_0 = \epsilon/4$ so
    that the lift is visible, below the robust radius $c\epsilon$ with $c = 1/2$.
    """),
    code("""
    rng = np.random.default_rng(1)
    phi = rng.choice([-1, 1], size=grid.n)
    c = Fraction(1, 2)
    con = construction(grid, phi, eps0=eps / 4, c=c)
    print("phi =", phi)
    print(con)
    print("A_phi =", [tuple(map(str, p)) for p in con.A_phi])
    print("B_phi =", [tuple(map(str, p)) for p in con.B_phi])
    """),
    md(r"""
    The coordinates are exact fractions. The two properties the theorem assumes are checked by
    brute force over all pairs (exactly, no floating point):
    """),
    code("""
    print(con.separation("inf"))
    print()
    print(con.separation("2"))
    w, b = con.separating_hyperplane()
    print()
    print("separating hyperplane: w =", [str(v) for v in w], " b =", b,
          " i.e. x_2 = 1/2 classifies every point of S_phi correctly")
    """),
    md(r"""
    Points of different classes sit in different grid columns, so they are at least $1/K$ apart
    in the first coordinate, and $1/K \ge 2\epsilon$ by the choice of $K$: the minimum
    distances printed above are at least the required $2\epsilon$, in both norms.

    ## The paper's Figure 1

    Blue points are $A_\phi$, red points $B_\phi$, crosses the grid $\tilde S$, the dashed line
    the hyperplane $x_2 = 1/2$. The shaded squares are the $\ell_\infty$ balls of radius
    $c\epsilon$ a robust classifier must label constantly (the robust test error of
    Definition 3.1 counts a point as wrong if *any* point of its ball is misclassified).
    """),
    code("""
    plot_construction(con, c=c);
    """),
    md(r"""
    ## Why linear separability does not help

    Every ball in the figure crosses the dashed line: since $\epsilon_0 < c\epsilon$, the ball
    around a lifted point contains its grid point and points on the other side of $x_2 = 1/2$.
    So the separating hyperplane, perfect on $S_\phi$, has robust accuracy zero. The next cell
    counts it: for the classifier $\mathrm{sgn}(x_2 - 1/2)$ the worst point of the
    $\ell_\infty$ ball around $(x, 1/2 + \epsilon_0\phi)$ is at height
    $1/2 + \epsilon_0\phi - c\epsilon\,\phi$.
    """),
    code("""
    eps0, radius = con.eps0, c * grid.eps_effective
    worst_heights = [Fraction(1, 2) + (eps0 - radius) * int(p) for p in phi]
    robust_correct = sum((h - Fraction(1, 2)) * int(p) > 0 for h, p in zip(worst_heights, phi))
    plain_correct = sum((Fraction(1, 2) + eps0 * int(p) - Fraction(1, 2)) * int(p) > 0 for p in phi)
    print(f"hyperplane x_2 = 1/2: {plain_correct}/{grid.n} correct, "
          f"{robust_correct}/{grid.n} robustly correct at radius c*eps = {radius}")
    """),
    md(r"""
    Conversely, a classifier that is robustly correct at $(x, 1/2 + \epsilon_0\phi(x))$ is
    correct at the grid point $(x, 1/2)$ inside the ball, with label $\phi(x)$. So robust
    accuracy on $S_\phi$ forces plain accuracy on the *fixed* grid $\tilde S$ with labels
    $\phi$ — and $\phi$ is arbitrary. A model class that is robustly accurate for every
    $\phi$ must realise (almost) every one of the $2^n$ labellings of $\tilde S$. That is a
    statement about the *growth function* of the class, and it is what notebooks 2 and 3
    turn into numbers.

    How far is a linear classifier from that? One neuron $\mathrm{sgn}(w\cdot x + b)$ realises
    only the *linear dichotomies* of $\tilde S$; `count_linear_dichotomies` counts them exactly.
    Compare with $2^n$ for grids of dimension $d - 1 = 2$ and $3$:
    """),
    code("""
    from vcbound.exact import count_linear_dichotomies

    print(f"{'d':>2} {'K':>2} {'n':>3} {'one neuron':>11} {'2^n':>22} {'fraction':>10}")
    for d, Ks in [(3, range(2, 6)), (4, range(2, 4))]:
        for K in Ks:
            g = make_grid(d, K=K)
            count = count_linear_dichotomies(g)
            print(f"{d:>2} {K:>2} {g.n:>3} {count:>11} {2**g.n:>22} {count / 2**g.n:>10.2e}")
    """),
    md(r"""
    The fraction of labellings a single neuron can follow collapses as the grid grows; the
    labellings $\phi$ that matter are the ones no hyperplane realises.

    ## Dimension 3

    For $d = 3$ the grid is two-dimensional. Seen from above, $\phi$ is a coloured board (blue:
    lifted above the plane $x_3 = 1/2$, red: below); the 3-D view shows the same points on
    either side of the separating plane.
    """),
    code("""
    grid3 = make_grid(3, eps=0.05)
    phi3 = np.random.default_rng(2).choice([-1, 1], size=grid3.n)
    con3 = construction(grid3, phi3, eps0=grid3.eps_effective / 4)
    fig = plt.figure(figsize=(11, 4.8), layout="constrained")
    plot_construction(con3, kind="heatmap", ax=fig.add_subplot(1, 2, 1))
    plot_construction(con3, kind="scatter3d", ax=fig.add_subplot(1, 2, 2, projection="3d"));
    """),
    md(r"""
    **What to take away.** The data are as benign as data get — two classes on either side of a
    hyperplane, far apart compared with the attack radius — yet robust accuracy for *every*
    labelling $\phi$ means realising almost all $2^{K^{d-1}}$ labellings of a fixed grid. The
    number of grid points, and with it the capacity needed, grows exponentially in $d$.
    """),
]


NOTEBOOKS = {
    "01_construction.ipynb": NB01,
}


def main():
    for name in NOTEBOOKS:
        nbformat.write(build(name), HERE / name)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
