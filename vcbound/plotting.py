"""Figures for vcbound: the construction, saturation curves, sizes against d (optional extra).

matplotlib is an optional dependency (``pip install "vcbound[plot]"``). It is imported inside the
functions, never at ``import vcbound``; without it every function raises a
:class:`~vcbound.errors.VCBoundError` saying how to install it. Every function draws into the
``ax=`` it is given (or a new figure), returns the :class:`matplotlib.axes.Axes`, and never calls
``plt.show()`` — in Jupyter the figure shows itself, on the command line the caller saves it
(``ax.figure.savefig(...)``).

Functions
---------
:func:`plot_construction`
    S_phi, A_phi, B_phi, the grid S~, the separating hyperplane x_d = 1/2 and the robust balls of
    the proof of Theorem 4.3 (d = 2: the paper's Figure 1; d = 3: a heat map of phi over the 2-D
    grid or a 3-D scatter).
:func:`plot_separation`
    The paper's exponential separation: the robust-training size of Theorem 2.2 (polynomial in d)
    against the robust-generalization size of Theorem 4.3 (exponential in d), with the paper's
    unnamed constants bound explicitly (illustrative).
:func:`plot_sizes`
    N_d against d (log scale) from a :func:`vcbound.solver.bound_table`, one curve per eps and
    route, with the fitted growth exponent of each curve in the legend.
:func:`plot_saturation`
    The saturation curve of the Monte Carlo enumerator (distinct labellings against networks
    sampled) with the exact one-neuron count, the best certified upper bound (Sauer–Shelah on a
    VC bound, BHLM or Cover growth bounds) and 2^n as reference lines.

References
----------
Li, Jin, Zhong, Hopcroft, Wang, *Why Robust Generalization in Deep Learning is Difficult:
Perspective of Expressive Power*, NeurIPS 2022 (Figure 1, Theorem 4.3); vcbound docs §Construction.
"""

from fractions import Fraction

from ._validation import check_choice, check_instance, check_real, fmt_value
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["plot_construction", "plot_separation", "plot_certified_separation", "plot_sizes",
           "plot_saturation",
           "require_matplotlib"]

#: Colours of the two classes (the paper's Figure 1: A blue, B red).
COLOR_A = "tab:blue"
COLOR_B = "tab:red"


def require_matplotlib(backend=None):
    """Import and return matplotlib.pyplot, or raise a VCBoundError saying how to install it.

    Parameters
    ----------
    backend : str, optional
        Select this backend first (the command line uses ``'Agg'``: files only, no display).

    Returns
    -------
    module
        ``matplotlib.pyplot``.

    Raises
    ------
    VCBoundError
        matplotlib is not installed (it is the optional extra ``vcbound[plot]``).
    """
    try:
        import matplotlib
        if backend is not None:
            matplotlib.use(backend)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise VCBoundError("Plotting needs matplotlib, which is an optional extra of vcbound: "
                           "pip install \"vcbound[plot]\" (or pip install matplotlib).") from exc
    return plt


_pyplot = require_matplotlib


def _axes(ax, projection=None, figsize=(6.4, 4.2)):
    """The Axes to draw into: ``ax`` itself, or a new figure's single Axes."""
    plt = _pyplot()
    if ax is None:
        fig = plt.figure(figsize=figsize, layout="constrained")
        return fig.add_subplot(projection=projection)
    from matplotlib.axes import Axes
    if not isinstance(ax, Axes):
        raise VCBoundTypeError(f"Argument 'ax' must be a matplotlib Axes, not {fmt_value(ax)}.")
    if projection == "3d" and getattr(ax, "name", None) != "3d":
        raise VCBoundError("Argument 'ax' must be a 3-D Axes (fig.add_subplot(projection='3d')) "
                           "for kind='scatter3d'.")
    return ax


# --------------------------------------------------------------------------------------------
# the construction of Theorem 4.3
# --------------------------------------------------------------------------------------------
def _check_result(name, value, cls, maker):
    """``value`` if it is a ``cls`` (the result of ``maker``), else a VCBoundTypeError."""
    return check_instance(name, value, cls, f"a {cls.__name__} (see {maker})")


def _separation_caption(con, norm):
    """'2eps-separated in l_inf (min distance 1/5 >= 2eps = 1/5); separable by x_2 = 1/2'."""
    sep = con.separation(norm)
    w, b = con.separating_hyperplane()  # raises if x_d = 1/2 fails to separate
    d = con.grid.d
    norm_txt = r"\ell_\infty" if norm == "inf" else r"\ell_2"
    if sep.min_distance is None:
        dist = "one class empty"
    else:
        md = sep.min_distance
        md_txt = str(md) if isinstance(md, Fraction) else f"{md:.4g}"
        rel = r"\geq" if sep.separated else "<"
        dist = rf"min distance ${md_txt} {rel} 2\epsilon = {sep.required}$"
    verdict = "" if sep.separated else "NOT "
    return (rf"{verdict}$2\epsilon$-separated in ${norm_txt}$ ({dist}); "
            rf"linearly separable by $x_{d} = {-b}$")


def plot_construction(con, c=Fraction(1, 2), norm="inf", kind="auto", ax=None):
    """Draw S_phi, A_phi, B_phi, the grid S~ and the hyperplane x_d = 1/2 (Theorem 4.3's proof).

    The construction of the proof sketch of Theorem 4.3 (vcbound docs §Construction): grid points
    (i_1/K, ..., i_{d-1}/K, 1/2), each lifted to height 1/2 + eps0 phi(i); A_phi (label +1, blue)
    above the hyperplane x_d = 1/2, B_phi (label -1, red) below. For d = 2 this is the paper's
    Figure 1, with the robust ball of radius ``c * eps`` (the robust radius of Theorem 4.3) drawn
    around every lifted point: a square for l_inf, a circle for l_2. Every ball crosses the
    hyperplane (it contains its grid point because eps0 < c eps), so the linear separator x_d = 1/2
    is right on S_phi but not robust anywhere: a robust classifier must follow phi along the grid,
    which is what the counting argument exploits. The title states the separation check computed
    by :meth:`~vcbound.grid.Construction.separation` and
    :meth:`~vcbound.grid.Construction.separating_hyperplane`.

    Parameters
    ----------
    con : vcbound.grid.Construction
        From :func:`vcbound.grid.construction` (d = 2 or 3). Choose a visible ``eps0`` (e.g.
        eps/4) when you want the lift to show; the default eps/16 is hard to see.
    c : number, default 1/2
        Robust radius as a fraction of eps, in (0, 1] (the radius c eps of Theorem 4.3); d = 2.
    norm : {'inf', '2'}
        Norm of the robust balls and of the separation check.
    kind : {'auto', 'points', 'heatmap', 'scatter3d'}
        'points' (d = 2, the default there): Figure 1. 'heatmap' (d = 3, the default there): phi
        as coloured cells over the K x K grid, i.e. A_phi and B_phi seen from above. 'scatter3d'
        (d = 3): the lifted points in 3-D with the plane x_3 = 1/2.
    ax : matplotlib Axes, optional
        Draw into this Axes (3-D Axes for 'scatter3d'); default: a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    VCBoundError
        Not a Construction, d > 3, a ``kind`` that does not fit d, ``c`` outside (0, 1], unknown
        norm, or matplotlib missing.

    Examples
    --------
    >>> from vcbound.grid import make_grid, construction
    >>> con = construction(make_grid(2, eps=0.1), [1, -1, -1, 1, -1], eps0=Fraction(1, 40))
    >>> ax = plot_construction(con)
    >>> [len(coll.get_offsets()) for coll in ax.collections]   # S~, A_phi, B_phi
    [5, 2, 3]
    >>> len(ax.patches)                                          # one robust ball per point
    5

    References
    ----------
    Li et al., NeurIPS 2022, Figure 1 and proof sketch of Theorem 4.3; vcbound docs §Construction.
    """
    from .grid import Construction
    con = _check_result("con", con, Construction, "vcbound.grid.construction")
    c = check_real("c", c, 0, 1, low_open=True)
    norm = check_choice("norm", str(norm), ("inf", "2"))
    kind = check_choice("kind", kind, ("auto", "points", "heatmap", "scatter3d"))
    d = con.grid.d
    if d not in (2, 3):
        raise VCBoundError(f"plot_construction draws d = 2 or d = 3, not d = {d}.")
    if kind == "auto":
        kind = "points" if d == 2 else "heatmap"
    if (kind == "points") != (d == 2):
        allowed = "'points'" if d == 2 else "'heatmap' or 'scatter3d'"
        raise VCBoundError(f"Argument 'kind' must be {allowed} for d = {d}, not {kind!r}.")
    caption = _separation_caption(con, norm)
    if kind == "points":
        return _construction_2d(con, c, norm, caption, ax)
    if kind == "heatmap":
        return _construction_heatmap(con, caption, ax)
    return _construction_3d(con, caption, ax)


def _construction_2d(con, c, norm, caption, ax):
    from matplotlib.patches import Circle, Rectangle
    ax = _axes(ax, figsize=(9.0, 3.0))
    grid = con.grid
    eps = grid.eps_effective
    radius = float(c * eps)
    x = grid.points[:, 0]
    up = con.phi == 1
    heights = 0.5 + float(con.eps0) * con.phi
    ax.scatter(x, [0.5] * grid.n, marker="x", s=30, color="0.35", zorder=3,
               label=r"grid $\tilde S$ (height 1/2)")
    ax.scatter(x[up], heights[up], s=45, color=COLOR_A, zorder=4,
               label=r"$A_\phi$ ($\phi = +1$, height $1/2 + \epsilon_0$)")
    ax.scatter(x[~up], heights[~up], s=45, color=COLOR_B, zorder=4,
               label=r"$B_\phi$ ($\phi = -1$, height $1/2 - \epsilon_0$)")
    ball = "square" if norm == "inf" else "disc"
    for xi, yi, lab in zip(x, heights, con.phi):
        color = COLOR_A if lab == 1 else COLOR_B
        if norm == "inf":
            patch = Rectangle((xi - radius, yi - radius), 2 * radius, 2 * radius)
        else:
            patch = Circle((xi, yi), radius)
        patch.set(facecolor=color, alpha=0.12, edgecolor=color, linewidth=0.8)
        ax.add_patch(patch)
    ax.plot([], [], marker="s" if norm == "inf" else "o", markersize=10, linestyle="none",
            color="0.6", alpha=0.4,
            label=rf"robust {ball}, radius $c\epsilon = {c * eps}$")
    ax.axhline(0.5, color="black", linestyle="--", linewidth=1.2,
               label=r"separating hyperplane $x_2 = 1/2$")
    ax.set_xlim(0, 1 + 1 / grid.K / 2)
    span = 2 * (radius + float(con.eps0))
    ax.set_ylim(0.5 - span, 0.5 + span)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$x_1 = i/K$")
    ax.set_ylabel(r"$x_2$")
    ax.set_title(rf"Construction of Theorem 4.3, d = 2, $\epsilon = {eps}$, K = {grid.K}, "
                 rf"$\epsilon_0 = {con.eps0}$" + "\n" + caption, fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    return ax


def _construction_heatmap(con, caption, ax):
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch
    ax = _axes(ax, figsize=(5.6, 4.8))
    grid = con.grid
    K = grid.K
    cells = con.phi.reshape(K, K).T  # rows: i_2, columns: i_1 (int_points is lexicographic)
    edges = [(i + 0.5) / K for i in range(K + 1)]
    ax.pcolormesh(edges, edges, cells, cmap=ListedColormap([COLOR_B, COLOR_A]), vmin=-1, vmax=1,
                  edgecolors="white", linewidth=0.5)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$x_1 = i_1/K$")
    ax.set_ylabel(r"$x_2 = i_2/K$")
    ax.legend(handles=[Patch(color=COLOR_A, label=r"$A_\phi$: $\phi = +1$ (lifted above $x_3 = 1/2$)"),
                       Patch(color=COLOR_B, label=r"$B_\phi$: $\phi = -1$ (lifted below)")],
              fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.14), ncols=1)
    ax.set_title(rf"$\phi$ on the grid $\tilde S$, d = 3, K = {K}, n = {grid.n}, "
                 rf"$\epsilon_0 = {con.eps0}$" + "\n" + caption, fontsize=8)
    return ax


def _construction_3d(con, caption, ax):
    import numpy as np
    ax = _axes(ax, projection="3d", figsize=(6.4, 5.4))
    grid = con.grid
    pts = grid.points
    heights = 0.5 + float(con.eps0) * con.phi
    up = con.phi == 1
    ax.scatter(pts[up, 0], pts[up, 1], heights[up], color=COLOR_A, s=25, depthshade=False,
               label=r"$A_\phi$ ($\phi = +1$)")
    ax.scatter(pts[~up, 0], pts[~up, 1], heights[~up], color=COLOR_B, s=25, depthshade=False,
               label=r"$B_\phi$ ($\phi = -1$)")
    lo, hi = 1 / grid.K / 2, 1 + 1 / grid.K / 2
    xx, yy = np.meshgrid([lo, hi], [lo, hi])
    ax.plot_surface(xx, yy, np.full_like(xx, 0.5), color="0.5", alpha=0.25)
    ax.plot([], [], color="0.5", alpha=0.5, linewidth=6, label=r"hyperplane $x_3 = 1/2$")
    ax.set_xlabel(r"$x_1$")
    ax.set_ylabel(r"$x_2$")
    ax.set_zlabel(r"$x_3$")
    ax.set_zlim(0.5 - 4 * float(con.eps0), 0.5 + 4 * float(con.eps0))
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(rf"$S_\phi$, d = 3, K = {grid.K}, $\epsilon_0 = {con.eps0}$" + "\n" + caption,
                 fontsize=8)
    return ax


# --------------------------------------------------------------------------------------------
# robust training (Theorem 2.2) against robust generalization (Theorem 4.3)
# --------------------------------------------------------------------------------------------
#: Default bindings of the paper's unnamed constants for :func:`plot_separation` (illustrative).
SEPARATION_CONSTANTS = {"C_2_2": 1, "q_2_2": 1, "c_4_3": 1}


def _d_values(d, minimum=2):
    from ._validation import check_integer
    try:
        values = [check_integer("d", v, minimum) for v in d]
    except TypeError:
        raise VCBoundTypeError(f"Argument 'd' must be a sequence of integers, not "
                               f"{fmt_value(d)}.") from None
    if len(values) < 2:
        raise VCBoundError(f"Argument 'd' must hold at least two dimensions to draw a curve, not "
                           f"{fmt_value(d)}.")
    return sorted(set(values))


def _bindings_text(bindings):
    return ", ".join(f"{k} = {v}" for k, v in bindings.items())


def plot_separation(d=range(2, 121), N=1000, eps=0.1, delta=None, constants=None, ax=None):
    """Robust-training size (Theorem 2.2) against robust-generalization size (Theorem 4.3).

    The paper's exponential separation (its Section 1.1 and Table 1): a ReLU network with
    O(N d log(d/delta) + N polylog(N/delta)) parameters fits N 2eps-separated points robustly
    (Theorem 2.2, an upper bound, polynomial in d), while low robust *test* error needs
    Omega((2 eps)^(-(d-1)/6)) parameters (Theorem 4.3, a lower bound, exponential in d). Both are
    drawn against d on a log scale from :func:`vcbound.paper.paper_bound` with the paper's unnamed
    constants **bound by you** (default: all 1, with polylog(x) = log(x)^1): the curves show the
    shapes, not certified numbers, and every label says so. Where the exponential curve overtakes
    the polynomial one depends entirely on those constants. For certified sizes see
    :mod:`vcbound.solver`.

    Parameters
    ----------
    d : sequence of int, default 2..120
        Input dimensions (at least two, each >= 2).
    N : int, default 1000
        Number of training points of Theorem 2.2.
    eps : number, default 0.1
        Separation parameter in (0, 1/2) (the classes are 2 eps-separated), exact rational typed.
    delta : number, optional
        Robust radius of Theorem 2.2, which needs delta < eps/2; default eps/4.
    constants : dict, optional
        Bindings of the unknown constants ``C_2_2``, ``q_2_2`` (Theorem 2.2) and ``c_4_3``
        (Theorem 4.3); missing ones default to :data:`SEPARATION_CONSTANTS`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Two lines (training, generalization) with legend labels that state the constants.

    Raises
    ------
    VCBoundError
        Bad ``d``, ``N``, ``eps``, ``delta >= eps/2``, an unknown constant name, or matplotlib
        missing.

    Examples
    --------
    >>> ax = plot_separation(d=range(2, 41), N=100)
    >>> [len(line.get_xdata()) for line in ax.get_lines()[:2]]
    [39, 39]
    >>> "illustrative" in ax.get_title()
    True

    References
    ----------
    Li et al., NeurIPS 2022, Theorems 2.2 and 4.3, Table 1, Section 1.1; vcbound docs §Table 1.
    """
    from ._validation import check_integer
    from .paper import paper_bound
    ds = _d_values(d)
    N = check_integer("N", N, 1)
    eps = check_real("eps", eps, 0, Fraction(1, 2), low_open=True, high_open=True)
    delta = eps / 4 if delta is None else check_real("delta", delta, 0, low_open=True)
    if not delta < eps / 2:
        raise VCBoundError(f"Argument 'delta' must be below eps/2 = {eps / 2} (Theorem 2.2 needs "
                           f"a robust radius delta < eps/2), not {delta}.")
    train, gen = paper_bound("2.2"), paper_bound("4.3")
    known = set(train.constants) | set(gen.constants)
    constants = dict(constants or {})
    unknown = sorted(set(constants) - known)
    if unknown:
        raise VCBoundError(f"Argument 'constants' has unknown names {unknown}; the curves use "
                           f"{sorted(known)}.")
    binds = {**SEPARATION_CONSTANTS, **constants}
    tb = {k: binds[k] for k in train.constants}
    gb = {k: binds[k] for k in gen.constants}
    y_train = [float(train.evaluate(N=N, d=x, delta=delta, **tb).value) for x in ds]
    y_gen = [float(gen.evaluate(d=x, eps=eps, **gb).value) for x in ds]
    ax = _axes(ax)
    ax.plot(ds, y_train, color="tab:green", linewidth=2,
            label=f"robust training, Thm 2.2 upper bound ({_bindings_text(tb)}; illustrative)")
    ax.plot(ds, y_gen, color="tab:purple", linewidth=2,
            label=f"robust generalization, Thm 4.3 lower bound ({_bindings_text(gb)}; "
                  "illustrative)")
    cross = next((x for x, a, b in zip(ds, y_train, y_gen) if b > a), None)
    if cross is not None and cross != ds[0]:
        ax.axvline(cross, color="0.5", linestyle=":", linewidth=1,
                   label=f"generalization size exceeds training size from d = {cross}")
    ax.set_yscale("log")
    ax.set_xlabel("input dimension d")
    ax.set_ylabel("network size (parameters)")
    ax.set_title(rf"Exponential separation, N = {N}, $\epsilon = {eps}$, $\delta = {delta}$ "
                 "(illustrative: the paper's constants are unnamed, bound here as stated)",
                 fontsize=9, wrap=True)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, which="major", alpha=0.3)
    return ax


# --------------------------------------------------------------------------------------------
# N_d against d (vcbound.solver)
# --------------------------------------------------------------------------------------------
_ROUTE_STYLES = {"union": ("-", "o"), "union-dag": ((0, (5, 1)), "v"), "dense": ("--", "s"),
                 "paper": (":", "^")}
_EPS_COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
               "tab:pink", "tab:olive", "tab:cyan", "tab:gray"]


def _power_of_ten_axis(ax, axis="y"):
    """Label a linear axis holding log10 values as powers of ten (works beyond float range)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True, nbins=8))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$"))


def size_curve_exponent(points):
    """Fitted gamma in N_d ~ const * K^(gamma (d - 1)) = const * n^gamma for one curve.

    Least-squares slope of log N_d against log n, n = K^(d-1), via
    :func:`vcbound.solver.fit_exponent` (points with n >= 2 and N_d >= 2). The paper's Theorem 4.3
    has N_d = Omega((2 eps)^(-(d-1)/6)), i.e. gamma = 1/6 when 1/(2 eps) = K.

    Parameters
    ----------
    points : iterable of (n, log2 N_d)

    Returns
    -------
    float or None
        ``None`` when fewer than two distinct n qualify.

    Examples
    --------
    >>> size_curve_exponent([(5**2, 2.0), (5**8, 8.0)])   # N_d = n^(1 / log2 5)
    0.4307
    """
    from .solver import fit_exponent
    return fit_exponent(points)


def plot_sizes(table, paper_reference=True, ax=None, upper=True):
    """N_d against d on a log scale, one curve per (eps, alpha, route) of a bound table.

    Each curve is the certified (or, for the ``'paper'`` route, ILLUSTRATIVE) necessary size N_d
    of :func:`vcbound.solver.solve` (vcbound docs §Solver, §Routes) as d grows at fixed eps. Its legend entry
    carries the fitted exponent gamma of N_d ~ K^(gamma (d - 1)) (:func:`size_curve_exponent`);
    the paper's Theorem 4.3 order (2 eps)^(-(d-1)/6) has gamma = 1/6. Colours tell the eps values
    apart and line styles the routes (with a single eps, colours tell the routes apart too, so
    user routes without a style of their own stay distinguishable). The y axis holds log10 N_d
    labelled as powers of ten, so astronomically large N_d (beyond double range) still plot.
    Points with N_d = 0 (nothing ruled out) are left out.

    Parameters
    ----------
    table : vcbound.solver.BoundTable
        From :func:`vcbound.solver.bound_table` (at least two d values).
    paper_reference : bool, default True
        Also draw the paper's order c (2 eps)^(-(d-1)/6) with c = 1 for each eps, thin and grey,
        labelled ILLUSTRATIVE (the constant is unnamed in the paper). For a Theorem 3.4 table
        (``bound_table(..., theorem='3.4')``) the order is
        c (2 eps)^(-d/2) (d ln(1/(2 eps)))^(-1/2), the paper's Theorem 3.4.
    ax : matplotlib Axes, optional
    upper : bool, default True
        Also draw N_upper, the size of the explicit robust network of
        :mod:`vcbound.constructions` (certified: exactly verified, for every labelling), and
        shade the band between it and the first certified route's N_d: the minimal size lies in
        the band.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    VCBoundError
        Not a BoundTable, a single d value, or matplotlib missing.

    Examples
    --------
    >>> from vcbound.solver import bound_table
    >>> t = bound_table(range(4, 9), [0.1, 0.05], 0.1, routes="union,paper")
    >>> ax = plot_sizes(t, paper_reference=False, upper=False)
    >>> len(ax.get_lines())                      # 2 eps x 2 routes
    4
    >>> len(plot_sizes(t, paper_reference=False).get_lines())   # + N_upper per eps
    6
    >>> any("ILLUSTRATIVE" in line.get_label() for line in ax.get_lines())
    True

    References
    ----------
    Li et al., NeurIPS 2022, Theorem 4.3; vcbound docs §Solver, §Routes.
    """
    from .solver import BoundTable
    _check_result("table", table, BoundTable, "vcbound.solver.bound_table")
    keys = list(table.results)
    ds = sorted({k[0] for k in keys})
    if len(ds) < 2:
        raise VCBoundError(f"plot_sizes needs a table with at least two values of d, not {ds}.")
    epss = sorted({k[1] for k in keys}, reverse=True)
    alphas = sorted({k[2] for k in keys})
    ax = _axes(ax, figsize=(10.0, 5.0))
    for ri, route in enumerate(table.routes):
        style, marker = _ROUTE_STYLES.get(route.name, ("-.", "D"))
        for ei, eps in enumerate(epss):
            for alpha in alphas:
                res = [table.results[(d, eps, alpha, route.name)] for d in ds]
                pts = [(r.d, r.n, r.N_d) for r in res if r.M >= 0]
                if not pts:
                    continue
                exponent = size_curve_exponent([(n, N.log2) for _, n, N in pts])
                fit = "no fit" if exponent is None else rf"$\gamma$ = {exponent:.3f}"
                who = f", alpha = {alpha}" if len(alphas) > 1 else ""
                ax.plot([d for d, _, _ in pts], [float(N.log10) for _, _, N in pts],
                        linestyle=style, marker=marker, markersize=3.5,
                        color=_EPS_COLORS[(ri if len(epss) == 1 else ei) % len(_EPS_COLORS)],
                        label=rf"{route.label}, $\epsilon$ = {eps}{who}: {fit}")
    thm34 = getattr(table, "theorem", "4.3") == "3.4"
    if upper and not thm34:   # the explicit networks are for the sets of Theorem 4.3
        _draw_upper_band(ax, table, ds, epss, alphas)
    if paper_reference:
        import math
        for ei, eps in enumerate(epss):
            if thm34 and 2 * eps < 1:
                # log10 of (2 eps)^(-d/2) (d ln(1/(2 eps)))^(-1/2)
                ys = [-d / 2 * math.log10(2 * eps) - 0.5 * math.log10(d * math.log(1 / (2 * eps)))
                      for d in ds]
                label = (rf"$(2\epsilon)^{{-d/2}}(d\,\ln(1/(2\epsilon)))^{{-1/2}}$, "
                         rf"$\epsilon$ = {eps} (paper's Theorem 3.4 order, constant 1, "
                         "ILLUSTRATIVE)")
            elif thm34:
                continue
            else:
                # log10 of (2 eps)^(-(d-1)/6) = -(d-1)/6 * log10(2 eps)
                ys = [-(d - 1) / 6 * math.log10(2 * eps) for d in ds]
                label = (rf"$(2\epsilon)^{{-(d-1)/6}}$, $\epsilon$ = {eps} (paper's order, "
                         "constant 1, ILLUSTRATIVE)")
            ax.plot(ds, ys, color="0.4" if len(epss) == 1 else _EPS_COLORS[ei % len(_EPS_COLORS)],
                    linewidth=1.0, alpha=0.8,
                    linestyle=(0, (1, 3)),
                    label=label)
    _power_of_ten_axis(ax)
    ax.set_xlabel("input dimension d")
    ax.set_ylabel(r"$N_d$ (nonzero weights necessary, log scale)")
    alpha_txt = ", ".join(str(a) for a in alphas)
    if thm34:
        ax.set_title(r"Necessary network size $N_d$ (Theorem 3.4 made explicit: zero error, "
                     r"$\alpha$ = 0, V = n)" + "\n"
                     r"$\gamma$: fitted exponent of $n$ (points of $[0,1]^d$) in $N_d \approx$ "
                     r"const $n^{\gamma}$ (over d); the paper's order has $\gamma \approx 1/2$",
                     fontsize=9)
    else:
        ax.set_title(rf"Necessary network size $N_d$ (Theorem 4.3 made explicit), $\alpha$ = "
                     rf"{alpha_txt}, V = {table.V}" + "\n"
                     r"$\gamma$: fitted exponent of $n = K^{d-1}$ in $N_d \approx$ const $n^{\gamma}$ "
                     r"(over d; the table's $\beta \approx \gamma(d-1)$), "
                     r"$K = \lfloor 1/(2\epsilon) \rfloor$; paper: $\gamma = 1/6$",
                     fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    ax.grid(True, alpha=0.3)
    return ax


def plot_certified_separation(d=range(2, 61), N=50_000, eps="0.1", alpha="0.1", ax=None):
    """The paper's separation with no constant set to 1: robust training against robust
    generalization, both certified.

    - Robust *training* (Theorem 2.2 made explicit, :func:`vcbound.constructions.memorize`):
      N training points drawn from S_phi are fitted with zero robust training error by an
      explicit network of ``memorize_count(floor(N/2), d)`` nonzero weights (the memoriser
      builds bumps around the smaller class, at most floor(N/2) points; an upper bound on the
      size needed).
    - Robust *generalization* (Theorem 4.3 made explicit, :func:`vcbound.solver.solve`): at
      least N_d nonzero weights are needed for robust error < alpha on the worst labelling (a
      lower bound).
    - The explicit network for all of S_phi (N_upper, :func:`vcbound.constructions.bracket`), the
      top of the bracket.

    Where N_d rises above the training curve, robust generalization provably needs more weights
    than robust training; the first such d is marked.

    Parameters
    ----------
    d : sequence of int, default 2..60
    N : int, default 50,000 (CIFAR-sized)
    eps, alpha : real
        Taken exactly as typed.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_certified_separation(d=range(2, 31), N=1000)
    >>> len(ax.get_lines()) >= 3 and "certified" in ax.get_title()
    True

    References
    ----------
    Li et al., NeurIPS 2022, Theorems 2.2 and 4.3, Section 1.1.
    """
    from ._validation import check_alpha, check_eps, check_integer
    from .constructions import bracket, memorize_count
    from .solver import solve

    ds = _d_values(d)
    N = check_integer("N", N, 2)
    eps = check_eps(eps)
    alpha = check_alpha(alpha)
    train = [memorize_count(N // 2, dd) for dd in ds]
    res = [solve(dd, eps, alpha) for dd in ds]
    lower = [(dd, float(r.N_d.log10)) for dd, r in zip(ds, res) if r.M >= 0]
    ups = [(dd, float(bracket(dd, eps)["N_upper"].log10)) for dd in ds]
    ax = _axes(ax, figsize=(9.0, 5.0))
    import math
    ax.plot(ds, [math.log10(t) for t in train], color=_EPS_COLORS[0], marker="o", markersize=3,
            label=f"robust training of N = {N:,} points: explicit memoriser (Thm 2.2), "
                  "upper bound")
    ax.plot([p[0] for p in lower], [p[1] for p in lower], color=_EPS_COLORS[1], marker="s",
            markersize=3, label=rf"robust generalization: $N_d$ (Thm 4.3, union route), "
                                rf"lower bound, $\alpha$ = {alpha}")
    ax.plot([p[0] for p in ups], [p[1] for p in ups], color=_EPS_COLORS[1], linestyle="--",
            label=r"robust generalization: explicit network $N_{upper}$, upper bound")
    cross = next((dd for dd, r, t in zip(ds, res, train) if r.M >= 0 and r.N_d > t), None)
    if cross is not None:
        ax.axvline(cross, color="0.5", linewidth=0.8, linestyle=":",
                   label=f"d = {cross}: N_d exceeds the memoriser's size "
                         "(robust training provably cheaper)")
    _power_of_ten_axis(ax)
    ax.set_xlabel("input dimension d")
    ax.set_ylabel("nonzero weights (log scale)")
    ax.set_title(rf"Robust training vs robust generalization, $\epsilon$ = {eps}: certified on "
                 "both sides (no constant set to 1)", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, alpha=0.3)
    return ax


def _draw_upper_band(ax, table, ds, epss, alphas):
    """N_upper per eps (dashed) and the band N_d <= minimal size <= N_upper (shaded)."""
    from .constructions import bracket

    lower_route = next((r for r in table.routes if r.certified), None)
    for ei, eps in enumerate(epss):
        color = _EPS_COLORS[ei % len(_EPS_COLORS)]
        ups = [bracket(d, eps)["N_upper"] for d in ds]
        pts = [(d, float(u.log10)) for d, u in zip(ds, ups) if u > 0]
        if not pts:
            continue
        ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle=(0, (5, 2)), color=color,
                marker="v", markersize=3,
                label=rf"$N_{{upper}}$, $\epsilon$ = {eps}: explicit robust network (certified)")
        if lower_route is None:
            continue
        alpha = alphas[0]
        band = []
        for d, u in zip(ds, ups):
            r = table.results[(d, eps, alpha, lower_route.name)]
            if r.M >= 0 and u > 0:
                band.append((d, float(r.N_d.log10), float(u.log10)))
        if band:
            ax.fill_between([b[0] for b in band], [b[1] for b in band], [b[2] for b in band],
                            color=color, alpha=0.12, linewidth=0,
                            label=rf"minimal size lies here ($\epsilon$ = {eps}, "
                                  rf"$\alpha$ = {alpha})")


# --------------------------------------------------------------------------------------------
# saturation curve of the enumerator (vcbound.enumerate)
# --------------------------------------------------------------------------------------------
def plot_saturation(result, references=True, label=None, ax=None):
    """Distinct labellings found against networks sampled, with reference lines (log-log).

    The curve is ``result.saturation`` of :func:`vcbound.enumerate.enumerate_labellings`: after
    each batch, the number of distinct labellings of the n points realized by the sampled
    networks — a certified lower bound on the number the architecture realizes, hence on its
    growth function Pi(n). A curve that flattens suggests (does not prove) saturation. Reference
    lines (``references=True``):

    * the exact one-neuron count (vcbound docs §One-neuron counts), when the result carries it: every ReLU network
      with a hidden unit realizes every linear dichotomy, so the true count is at least this line
      (for a single neuron it *is* the true count);
    * the best certified upper bound on Pi(n) of :func:`vcbound.capacity.growth_upper_bound` (Sauer–Shelah on a
      VC bound, BHLM or Cover; vcbound docs §Sauer-Shelah, §Capacity bounds), when below 2^n;
    * 2^n, all labellings.

    Lines above 2^1000 (beyond double range) are left out and said so in the title.

    Parameters
    ----------
    result : vcbound.enumerate.LabellingEnumeration
    references : bool, default True
        Draw the reference lines, title and scales; turn off when adding a second curve to the
        Axes of a first call (which then keeps its title).
    label : str, optional
        Legend label of the curve (default: the sampler's name).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    VCBoundError
        Not a LabellingEnumeration, an empty saturation curve, or matplotlib missing.

    Examples
    --------
    >>> from vcbound.grid import make_grid
    >>> from vcbound.enumerate import enumerate_labellings
    >>> res = enumerate_labellings([2, 1], make_grid(3, K=3), 5000, seed=1)
    >>> ax = plot_saturation(res)
    >>> sorted(round(line.get_ydata()[0]) for line in ax.get_lines()[1:])  # exact, Cover, 2^9
    [58, 74, 512]

    References
    ----------
    vcbound docs §Sauer-Shelah, §Capacity bounds, §One-neuron counts.
    """
    from .enumerate import LabellingEnumeration
    _check_result("result", result, LabellingEnumeration,
                  "vcbound.enumerate.enumerate_labellings")
    sat = result.saturation
    if len(sat) == 0:
        raise VCBoundError("The enumeration has an empty saturation curve (no batch finished).")
    if label is not None and not isinstance(label, str):
        raise VCBoundTypeError(f"Argument 'label' must be a string, not {fmt_value(label)}.")
    ax = _axes(ax)
    n = result.n
    ax.plot(sat[:, 0], sat[:, 1], marker=".", markersize=4, linewidth=1.5,
            label=label or f"{result.sampler} sampler, seed {result.seed}")
    left_out = []
    if references:
        exact = result.exact_one_neuron
        if exact is not None:
            single = len(result.widths) == 2
            ax.axhline(exact, color="tab:green", linestyle="--", linewidth=1.2,
                       label=f"exact one-neuron count {exact}"
                             + (" (the true count)" if single else " (the true count is above)"))
        from .capacity import growth_upper_bound
        log2_up, source = growth_upper_bound(result.widths, n)
        if log2_up < n:
            if log2_up < 1000:
                up = 2.0 ** log2_up
                ax.axhline(up, color="tab:red", linestyle="-.", linewidth=1.2,
                           label=f"upper bound {_short_number(up)} ({source})")
            else:
                left_out.append(f"upper bound 2^{log2_up:.0f}")
        if n < 1000:
            also = "" if log2_up < n else " (no certified bound below it)"
            ax.axhline(2.0 ** n, color="black", linestyle=":", linewidth=1.2,
                       label=f"all labellings 2^n = {_short_number(2 ** n)}{also}")
        else:
            left_out.append(f"2^n = 2^{n}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * (high / low) ** 0.35)  # headroom above 2^n for the legend
    ax.set_xlabel("networks sampled")
    ax.set_ylabel("distinct labellings found")
    if not references:  # a curve added to an existing plot: keep its title and scales
        ax.legend(fontsize=7, loc="best")
        return ax
    title = (f"Labellings of widths {list(result.widths)} on n = {n} points: "
             f"{result.distinct} found ({'un' if result.unconverged else ''}"
             f"{'converged' if result.unconverged or result.converged else 'not known if complete'})")
    if left_out:
        title += "\nnot drawn (beyond double range): " + ", ".join(left_out)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, which="major", alpha=0.3)
    return ax


def _short_number(x):
    """'512', '3.4e+07': exact digits for small integers, 2 significant digits beyond 10^6."""
    return f"{int(round(x))}" if x < 1e6 else f"{x:.2g}"
