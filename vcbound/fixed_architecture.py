"""Is a fixed architecture ruled out? (vcbound docs §Fixed architectures)

:func:`vcbound.solve <vcbound.solver.solve>` rules out *every* network up to a size. Here the
question is about one architecture: could a network of this shape (any weights) reach robust
error at most ``alpha`` on every labelling of the paper's construction, for given ``d``, ``eps``,
``alpha``? The double counting (inequality (1) of the paper) says such a class realizes at least
``G`` labellings of some ``V`` points; the architecture's growth function at ``V`` is bounded by
BHLM Theorem 7, and when the bound is below ``log2 G`` the architecture is ruled out.

**(derived here)** BHLM's proof counts sign patterns of polynomials in the *parameters*, so its
``W`` is the number of **distinct** parameters: a weight-shared network (a CNN) is covered by
giving its number of distinct parameters ``P``, its depth ``L`` (layers of units, output
included) and its units. With ``L``, ``P`` and units ``k_1, ..., k_L`` (``k_L = 1``):
``S = sum_i W_i <= L P`` (every cumulative ``W_i <= P``) and ``R = sum_i i k_i``; with only the
total ``U`` of units, ``R <= L + (L - 1)(U - 1)`` (the output alone in layer ``L``, the others in
layers ``<= L - 1``); with neither, every unit is assumed to have a parameter of its own (no
sharing), so ``U <= P``. For a full architecture ``[d, k_1, ..., 1]`` its exact counts are used
(:class:`vcbound.Architecture <vcbound.architecture.Architecture>`).

The capacity at ``V`` is the smaller of two upper bounds on ``log2 Pi(V)``: BHLM Theorem 7(a) in
the aggregated form ``L + S log2(2 e p R V / S)`` (valid for ``V >= S``,
:func:`vcbound.capacity.bhlm_log2_growth_upper`), and Sauer–Shelah applied to Theorem 7(b)'s VC
bound (``U > 2``). The margin is ``log2 G - capacity`` (a lower bound minus an upper bound): a
positive margin is a proof.

References
----------
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. NeurIPS 2022, Theorem 4.3 and inequality (1).
.. [BHLM] Bartlett, Harvey, Liaw, Mehrabian. JMLR 20(63):1-17, 2019, Theorem 7.
"""

import math
from fractions import Fraction

import mpmath

from ._numbers import BigNumber
from ._result import Result
from ._validation import check_choice, check_eps, check_integer, fmt_value
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["rule_out", "RuleOutResult", "ArchitectureCounts"]

_PREC = 128


class ArchitectureCounts:
    """The counts BHLM Theorem 7 needs for one architecture: ``L``, ``P`` (distinct parameters),
    ``S = sum_i W_i`` (upper bound), ``R`` (upper bound), ``U``, ``p`` (breakpoints), whether it
    is covered and a description."""

    def __init__(self, L, P, S, R, U, p, covered, text, weights=None, why=""):
        self.L, self.P, self.S, self.R, self.U, self.p = L, P, S, R, U, p
        self.covered, self.text, self.weights, self.why = covered, text, weights, why

    def __repr__(self):
        return f"ArchitectureCounts({self.text})"


def _counts(architecture, params, depth, units, d):
    """:class:`ArchitectureCounts` from an Architecture / widths, or from ``params``, ``depth``,
    ``units`` (see the module docstring)."""
    from .architecture import Architecture

    if architecture is not None:
        if params is not None or depth is not None or units is not None:
            raise VCBoundError("Give either an architecture (widths) or 'params' with 'depth' "
                               "(and optionally 'units'), not both.")
        arch = architecture if isinstance(architecture, Architecture) else Architecture(
            architecture)
        if arch.d0 != d:
            raise VCBoundError(f"Argument 'architecture' has input dimension {arch.d0}, but "
                               f"d = {d}: the widths must start with d.")
        text = f"{list(arch.widths)} ({arch.activation})"
        if not arch.is_piecewise_polynomial:
            return ArchitectureCounts(arch.L, arch.W, None, None, arch.U, None, False, text,
                                      why=f"BHLM Theorem 7 needs a piecewise-polynomial "
                                          f"activation, not {arch.activation!r}; this "
                                          "architecture is not covered")
        return ArchitectureCounts(arch.L, arch.W, arch.sum_W_i, arch.R, arch.U, arch.p, True,
                                  text, weights=arch.W - arch.U)
    if params is None or depth is None:
        raise VCBoundError("Give an architecture (widths such as [10, 64, 64, 1]) or both "
                           "'params' (distinct parameters) and 'depth' (layers of units, output "
                           "included).")
    P = check_integer("params", params, minimum=1)
    L = check_integer("depth", depth, minimum=1)
    if L > P:
        raise VCBoundError(f"Argument 'depth' must be at most 'params' = {P} (every layer has at "
                           f"least one parameter), not {L}.")
    if units is None:
        U, R = P, L + (L - 1) * (P - 1)
        text = (f"{P} distinct parameters, depth {L} (units not given: at most {P}, assuming no "
                "parameter sharing)")
    elif isinstance(units, (list, tuple)):
        ks = [check_integer(f"units[{i}]", k, minimum=1) for i, k in enumerate(units)]
        if len(ks) != L or ks[-1] != 1:
            raise VCBoundError(f"Argument 'units' as a list must give the {L} layer widths "
                               f"k_1, ..., k_L ending in 1 (the output), not {fmt_value(units)}.")
        U, R = sum(ks), sum(i * k for i, k in enumerate(ks, 1))
        text = f"{P} distinct parameters, units per layer {ks}"
    else:
        U = check_integer("units", units, minimum=L)
        R = L + (L - 1) * (U - 1)
        text = f"{P} distinct parameters, depth {L}, {U} units"
    return ArchitectureCounts(L, P, L * P, R, U, 1, True, text + " (ReLU)")


def _log2_capacity(counts, V):
    """``(upper bound on log2 Pi(V), which bound)`` or ``(None, reason)``."""
    from .capacity import bhlm_log2_growth_upper, bhlm_vc_upper
    from .sauer import log2_sauer

    best, which = None, None
    if V >= counts.S:
        best = bhlm_log2_growth_upper(V, counts.L, counts.S, counts.R, p=counts.p)
        which = "BHLM Theorem 7(a): L + S log2(2 e p R V / S)"
    if counts.U > 2:
        vc = bhlm_vc_upper(counts.L, min(counts.P, counts.S), counts.S, max(counts.R, 3),
                           p=counts.p)
        D = int(mpmath.floor(vc))
        if D < V:
            sauer = log2_sauer(D, V)
            if best is None or sauer < best:
                best, which = sauer, (f"Sauer-Shelah on BHLM Theorem 7(b): VCdim <= {D}, "
                                      f"log2 Phi_D(V)")
    if best is None:
        return None, ("no bound below V: Theorem 7(a) needs V >= S and Theorem 7(b)'s VC bound is "
                      "not below V")
    return best, which


class RuleOutResult(Result):
    """Answer of :func:`rule_out`: ruled out / not ruled out / not covered, with the margin.

    Attributes
    ----------
    ruled_out : bool
    covered : bool
        False when BHLM Theorem 7 does not apply (e.g. sigmoid units).
    margin : mpmath.mpf or None
        ``log2 G - capacity`` (a lower bound minus an upper bound; positive: ruled out).
    log2_G, capacity : mpmath.mpf
    V, n : int
    bound : str
        Which capacity bound was used.
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def answer(self):
        if not self.covered:
            return "not covered"
        return "ruled out" if self.ruled_out else "not ruled out"

    def title(self):
        return (f"Is {self.counts.text} ruled out for d = {self.d}, eps = {self.eps_text}, "
                f"alpha = {self.alpha_text}? {self.answer}")

    def statement(self):
        from .solver import _Decimal

        pset = self.point_set
        if not self.covered:
            return (f"Not covered: {self.counts.why}. Nothing is claimed about it (neither ruled "
                    "out nor possible).")
        if self.theorem == "3.4":
            setting = (f"cannot classify with zero standard error every labelling of "
                       f"{pset.description()} in [0, 1]^{self.d} (the paper's Theorem 3.4 "
                       "setting)")
        else:
            setting = (f"has robust error > {_Decimal(self.alpha)} (robust radius c eps, any "
                       f"0 < c <= 1, {pset.norm_text}) on the worst labelling phi of "
                       f"{pset.description()}, d = {self.d}, lifted as in the paper's Theorem "
                       "4.3")
        margin = mpmath.nstr(self.margin, 6) if self.margin is not None else "n/a"
        if self.ruled_out:
            return (f"Ruled out: every network with {self.counts.text}, whatever its weights, "
                    f"{setting}. Proof: at V = {BigNumber(exact=self.V).human()} the double "
                    f"counting needs log2 G >= {mpmath.nstr(self.log2_G, 8)} bits of labellings, "
                    f"and {self.bound} allows at most {mpmath.nstr(self.capacity, 8)} "
                    f"(margin {margin} bits).")
        return (f"Not ruled out: for {self.counts.text}, the best bound found "
                f"({self.bound}) is not below log2 G (margin {margin} bits). This proves nothing "
                "either way: such networks may or may not succeed.")

    def rows(self):
        from .solver import _Decimal

        return [
            ("answer", "answer", self.answer, "ruled out / not ruled out / not covered"),
            ("architecture", "architecture", self.counts.text, ""),
            ("theorem", "theorem", self.theorem, ""),
            ("d", "d", self.d, "input dimension"),
            ("eps", "eps", _Decimal(self.eps), "separation radius (exact rational)"),
            ("alpha", "alpha", _Decimal(self.alpha), "tolerated robust error"),
            ("point_set", "separated set", self.point_set.description(), ""),
            ("n", "n", BigNumber(exact=self.n), "points of the separated set"),
            ("V", "V", BigNumber(exact=self.V) if self.V else None, "subset size"),
            ("L", "L (depth)", self.counts.L, "layers of units, output included"),
            ("P", "P (distinct parameters)", self.counts.P, "BHLM's W"),
            ("S", "sum W_i <=", self.counts.S, "upper bound used"),
            ("R", "R <=", self.counts.R, "upper bound used"),
            ("log2_G", "log2 G (lower bound)", self.log2_G, "rounded down"),
            ("capacity", "log2 Pi(V) <=", self.capacity, "rounded up"),
            ("bound", "bound used", self.bound, ""),
            ("margin", "margin = log2 G - capacity", self.margin,
             "positive: ruled out (a lower bound minus an upper bound)"),
            ("ruled_out", "ruled out", self.ruled_out, ""),
            ("covered", "covered by BHLM Theorem 7", self.covered, ""),
            ("statement", "statement", self.statement(), ""),
        ]


def rule_out(architecture=None, d=None, eps=None, alpha=None, *, params=None, depth=None,
             units=None, V="best", points="paper", norm="linf", theorem="4.3"):
    """Whether one architecture is ruled out for ``(d, eps, alpha)``, with the margin.

    Parameters
    ----------
    architecture : Architecture or sequence of int, optional
        Widths ``[d, k_1, ..., 1]`` (every parameter distinct), or an
        :class:`~vcbound.architecture.Architecture`. Otherwise give ``params`` and ``depth``.
    d : int
        Input dimension (default: the architecture's first width).
    eps, alpha : real
        As in :func:`vcbound.solve <vcbound.solver.solve>` (``alpha`` 0 or None for Theorem 3.4).
    params : int, optional
        Number of **distinct** parameters (weight sharing: count each shared value once).
    depth : int, optional
        Layers of units, output included; at most ``params``.
    units : int or list of int, optional
        Total units, or units per layer ``k_1, ..., k_L`` ending in 1. Without it every unit is
        assumed to carry a parameter of its own (``U <= params``).
    V : {'best', 'half'} or int, default 'best'
        Subset size of inequality (1); ``'best'`` maximises the margin (golden-section search,
        also comparing ``floor(n/2)``).
    points, norm, theorem : str
        As in :func:`vcbound.solve <vcbound.solver.solve>`.

    Returns
    -------
    RuleOutResult
        ``.answer`` (``'ruled out'``, ``'not ruled out'``, ``'not covered'``), ``.margin``,
        ``.statement()``.

    Raises
    ------
    VCBoundError
        Bad ``d``/``eps``/``alpha``, ``params <= 0``, ``depth > params``, widths not starting
        with ``d``, both or neither of an architecture and ``params``/``depth``.

    Examples
    --------
    >>> r = rule_out([10, 8, 1], 10, 0.1, 0.1)          # 97 parameters, 88 weights
    >>> r.answer, r.margin > 0
    ('ruled out', True)
    >>> rule_out(params=10**7, depth=50, d=10, eps=0.1, alpha=0.1).answer
    'not ruled out'
    >>> rule_out([10, 8, 1], 10, 0.1, 0.5)
    Traceback (most recent call last):
    ...
    vcbound.errors.NoBoundError: Argument 'alpha' must be in (0, 1/2), not 0.5: ...
    """
    from .solver import (_check_alpha_for, _check_d, _check_theorem, _log2_G, _point_set,
                         _regime_for, _int_lower)

    if d is None:
        if architecture is None:
            raise VCBoundError("Argument 'd' is required with 'params'/'depth'.")
        if isinstance(architecture, (str, bytes)) or not hasattr(architecture, "__iter__") and \
                not hasattr(architecture, "widths"):
            raise VCBoundTypeError(f"Argument 'architecture' must be widths such as [10, 64, 1] "
                                   f"or an Architecture, not {fmt_value(architecture)}.")
        widths = getattr(architecture, "widths", None) or list(architecture)
        d = widths[0]
    d = _check_d(d)
    if eps is None:
        raise VCBoundError("Argument 'eps' is required (the separation radius, in (0, 1/2]).")
    eps = check_eps(eps)
    theorem = _check_theorem(theorem)
    alpha = _check_alpha_for(alpha, theorem)
    counts = _counts(architecture, params, depth, units, d)
    pset = _point_set(d, eps, points, norm, theorem)
    n = pset.n
    c = n if theorem == "3.4" else math.ceil((1 - alpha) * n)
    reg = _regime_for(n, "auto")

    def log2_G(v):
        return _int_lower(v) if theorem == "3.4" else _log2_G(n, alpha, v, reg)[0]

    def score(v):
        v = int(v)
        cap = _log2_capacity(counts, v)[0]
        return mpmath.ninf if cap is None else log2_G(v) - cap

    if isinstance(V, str):
        V = check_choice("V", V.strip(), ("best", "half"))
    else:
        V = check_integer("V", V, minimum=1, maximum=c)
    from .solver import _Decimal

    common = dict(counts=counts, d=d, eps=eps, alpha=alpha, theorem=theorem, point_set=pset,
                  n=n, eps_text=str(_Decimal(eps)), alpha_text=str(_Decimal(alpha)))
    if not counts.covered:
        return RuleOutResult(ruled_out=False, covered=False, margin=None, log2_G=None,
                             capacity=None, V=None, bound="none (not covered)", **common)
    if theorem == "3.4":
        cands = [n] if V in ("best", "half") else [V]
    elif V == "half":
        cands = [max(1, n // 2)]
    elif V == "best":
        from .double_counting import best_V

        cands = sorted({max(1, n // 2), int(best_V(n, alpha, score=score).V)})
    else:
        cands = [V]
    V_best = max(cands, key=score)
    cap, which = _log2_capacity(counts, V_best)
    lg = log2_G(V_best)
    margin = None if cap is None else lg - cap
    return RuleOutResult(ruled_out=bool(cap is not None and cap < lg and lg > 1), covered=True,
                         margin=margin, log2_G=lg, capacity=cap, V=V_best, bound=which, **common)
