"""The paper's Table 1 (and Theorem 4.5) as symbolic bounds with named unknown constants.

Li, Jin, Zhong, Hopcroft, Wang, *Why Robust Generalization in Deep Learning is Difficult:
Perspective of Expressive Power*, NeurIPS 2022, summarise their results in Table 1 as asymptotic
bounds on the network size (number of parameters) needed for robust *training* (memorising N
points robustly) and robust *generalization* (low robust test error). The paper gives only the
orders (O, Omega, O~); every hidden constant is a sympy symbol here (vcbound docs §Table 1):

* ``O(X)`` / ``Omega(X)`` become ``C X`` / ``c X`` with an unknown constant;
* ``O~(X)`` (polylog factors hidden) becomes ``C X log(X)^q`` with unknown ``C`` and ``q``;
* ``polylog(Y)`` becomes ``log(Y)^q``; ``k~ = O(k log d)`` becomes ``k~ = C k log d``;
* ``exp(Omega(d))`` becomes ``exp(c d)``.

A :class:`PaperBound` refuses to give a number until *every* symbol (variables and constants) is
bound, and then labels the number illustrative: the constants are yours, not the paper's.

Variables: ``N`` data points, ``d`` input dimension, ``k`` intrinsic (manifold) dimension, ``eps``
(the classes are 2 eps-separated), ``c`` in (0, 1) (robust radius ``c eps``), ``delta`` robust
radius of Theorem 2.2; ``n`` is the network size bounded.

Examples
--------
>>> t = paper_bound('4.3')
>>> t.expression
c_4_3*(2*eps)**(-(d - 1)/6)
>>> t.evaluate(d=11, eps=0.1)
Traceback (most recent call last):
...
vcbound.errors.NoBoundError: Theorem 4.3 gives no number until every unknown constant is bound...
>>> print(t.evaluate(d=11, eps=0.1, c_4_3=1).value_text())
14.6200886910643
"""

import mpmath
import sympy

from ._result import Result, latex_text
from ._tables import render_table
from ._validation import check_eps, check_integer, check_real, fmt_value
from .errors import NoBoundError, VCBoundError

__all__ = ["PaperBound", "PaperValue", "PaperTable", "table1", "paper_bound", "VARIABLES"]

_pos = {"positive": True}
#: The variables of the paper's statements, by keyword name.
VARIABLES = {
    "N": sympy.Symbol("N", positive=True, integer=True),
    "d": sympy.Symbol("d", positive=True, integer=True),
    "k": sympy.Symbol("k", positive=True, integer=True),
    "eps": sympy.Symbol("eps", **_pos),
    "c": sympy.Symbol("c", **_pos),
    "delta": sympy.Symbol("delta", **_pos),
}
_LATEX_NAMES = {VARIABLES["eps"]: r"\varepsilon"}
_DOMAINS = {  # keyword -> (description, checker)
    "N": ("a positive integer", lambda v: check_integer("N", v, minimum=1)),
    "d": ("a positive integer", lambda v: check_integer("d", v, minimum=1)),
    "k": ("a positive integer", lambda v: check_integer("k", v, minimum=1)),
    "eps": ("in (0, 1/2]", check_eps),
    "c": ("in (0, 1)", lambda v: check_real("c", v, 0, 1, low_open=True, high_open=True)),
    "delta": ("positive", lambda v: check_real("delta", v, 0, low_open=True)),
}


def _const(name, latex):
    sym = sympy.Symbol(name, positive=True)
    _LATEX_NAMES[sym] = latex
    return sym


def _soft(x, q):
    """``O~(x)`` with its hidden polylog factor made explicit: ``x log(x)^q``."""
    return x * sympy.log(x) ** q


class PaperBound(Result):
    """One of the paper's size bounds, with its hidden constants as named symbols.

    Attributes
    ----------
    theorem : str
        The paper's theorem number (``'4.3'``); ``variant`` distinguishes two forms of one theorem.
    quantity : {'robust training size', 'robust generalization size'}
        What is bounded: the number of parameters a ReLU network needs for zero robust *training*
        error on N points, or for low robust *test* error.
    direction : {'upper', 'lower'}
        ``'upper'``: some network of at most this size suffices; ``'lower'``: every network that
        succeeds has at least this size.
    setting : str
        Table 1's column (``'robust training'``, ``'general case'``, ``'linear separable'``,
        ``'k-dim manifold'``, or ``'VCdim <= poly(n) models'`` for Theorem 4.5).
    table_cell : str or None
        Table 1's entry (``None`` for Theorem 4.5, which Table 1 does not list).
    statement : str
        The order the theorem states.
    expression : sympy.Expr
        The bound with every hidden constant a symbol.
    constants : dict
        ``{keyword: symbol}`` of the unknown constants.
    conditions, notes : list of str
    """

    _meanings = {
        "quantity": "what the theorem bounds",
        "setting": "the data setting of the theorem",
        "table_cell": "how the paper's Table 1 states the bound",
        "expression": "the bound with its unknown constants named",
        "constants": "constants the paper leaves unspecified",
        "conditions": "the theorem's hypotheses",
    }

    _headline = "expression"

    def __init__(self, theorem, quantity, direction, setting, table_cell, statement, expression,
                 constants, conditions, notes=(), variant=None, derived=False):
        self.theorem = theorem
        self.variant = variant
        self.quantity = quantity
        self.direction = direction
        self.setting = setting
        self.table_cell = table_cell
        self.statement = statement
        self.expression = expression
        self.constants = dict(constants)
        self.conditions = list(conditions)
        self.notes = list(notes)
        self.derived = derived

    @property
    def label(self):
        """``'Theorem 4.3'`` (with the variant, if any)."""
        return f"Theorem {self.theorem}" + (f" ({self.variant})" if self.variant else "")

    @property
    def variables(self):
        """``{keyword: symbol}`` of the variables the expression uses."""
        free = self.expression.free_symbols
        return {name: sym for name, sym in VARIABLES.items() if sym in free}

    @property
    def relation(self):
        """``'n <='`` for upper bounds, ``'n >='`` for lower bounds."""
        return "n <=" if self.direction == "upper" else "n >="

    def latex_expression(self):
        """The expression in LaTeX, constants as ``C_{2.2}``-style subscripts."""
        return sympy.latex(self.expression, symbol_names=_LATEX_NAMES)

    def title(self):
        return f"{self.label}: {self.quantity}, {self.direction} bound ({self.setting})"

    def summary(self):
        return (f"{self.label}, {self.direction} bound: {self.relation} {self.expression} "
                f"(symbolic: constants {', '.join(self.constants) or 'none'} unknown)")

    def rows(self):
        rows = [("theorem", "theorem", self.label),
                ("quantity", "bounds", f"{self.quantity} ({self.direction} bound)"),
                ("setting", "setting", self.setting),
                ("table_cell", "Table 1 entry", self.table_cell or "(not in Table 1)"),
                ("statement", "paper's statement", self.statement),
                ("expression", "with constants", f"{self.relation} {self.expression}"),
                ("constants", "unknown constants", ", ".join(self.constants) or "none"),
                ("conditions", "conditions", "; ".join(self.conditions))]
        rows += [(f"note_{i}", "note", n) for i, n in enumerate(self.notes)]
        return rows

    def _repr_latex_(self):
        rel = r"\le" if self.direction == "upper" else r"\ge"
        return (rf"$\text{{{self.label} ({self.quantity}, {self.direction})}}:\quad "
                rf"n {rel} {self.latex_expression()}$")

    def evaluate(self, **bindings):
        """The bound's number once **every** variable and constant is bound (illustrative).

        Parameters
        ----------
        **bindings
            A value for each name in :attr:`variables` and :attr:`constants` (exact rationals of
            what you type: ``eps=0.1`` is 1/10).

        Returns
        -------
        PaperValue
            Labelled illustrative: the constants are your choice, the paper gives none.

        Raises
        ------
        NoBoundError
            An unknown constant is left unbound.
        VCBoundError
            A variable is unbound or out of range, or a name is unknown.
        """
        allowed = {**self.variables, **self.constants}
        unknown = sorted(set(bindings) - set(allowed))
        if unknown:
            raise VCBoundError(f"{self.label} has no symbol {', '.join(map(repr, unknown))}; "
                               f"it takes {', '.join(sorted(allowed))}.")
        missing_consts = [n for n in self.constants if n not in bindings]
        if missing_consts:
            raise NoBoundError(
                f"{self.label} gives no number until every unknown constant is bound: bind "
                f"{', '.join(missing_consts)} (the paper states only the order {self.statement}).")
        missing_vars = [n for n in self.variables if n not in bindings]
        if missing_vars:
            raise VCBoundError(f"{self.label} needs a value for {', '.join(missing_vars)}.")
        exact = {}
        for name, value in bindings.items():
            if name in _DOMAINS:
                exact[name] = _DOMAINS[name][1](value)
            else:
                exact[name] = check_real(name, value)
        if "k" in exact and "d" in exact and exact["k"] > exact["d"]:
            raise VCBoundError(f"Argument 'k' (intrinsic dimension) must be at most d = "
                               f"{exact['d']}, not {fmt_value(bindings['k'])}.")
        subs = {allowed[n]: sympy.Rational(int(v.numerator), int(v.denominator))
                if hasattr(v, "denominator") else sympy.Integer(v) for n, v in exact.items()}
        num = sympy.N(self.expression.subs(subs).doit(), 30)
        if not num.is_real or not num.is_finite:
            raise VCBoundError(f"{self.label} has no real value at {bindings}: {num}.")
        return PaperValue(self, {n: exact[n] for n in bindings}, mpmath.mpf(str(num)))


class PaperValue(Result):
    """A number from a :class:`PaperBound` with user-chosen constants: illustrative only."""

    _meanings = {
        "bindings": "the values put into the paper's bound (constants assumed, not proved)",
        "value": "the bound at those values (ILLUSTRATIVE: depends on the assumed constants)",
    }

    _headline = "value"

    def __init__(self, bound, bindings, value):
        self.bound = bound
        self.bindings = bindings
        self.value = value

    label = "illustrative: the constants were chosen by the user; the paper gives only the order"

    def value_text(self):
        return mpmath.nstr(self.value, 15)

    def title(self):
        return f"{self.bound.label}: {self.bound.relation} {self.value_text()} (illustrative)"

    def rows(self):
        return [("theorem", "theorem", self.bound.label),
                ("bindings", "with", ", ".join(f"{k} = {v}" for k, v in self.bindings.items())),
                ("value", f"{self.bound.relation}", self.value),
                ("status", "status", self.label)]


def _entries():
    V = VARIABLES
    N, d, k, eps, c, delta = (V[n] for n in ("N", "d", "k", "eps", "c", "delta"))
    C22, q22 = _const("C_2_2", "C_{2.2}"), _const("q_2_2", "q_{2.2}")
    c23 = _const("c_2_3", "c_{2.3}")
    C33, q33 = _const("C_3_3", "C_{3.3}"), _const("q_3_3", "q_{3.3}")
    c34 = _const("c_3_4", "c_{3.4}")
    c43 = _const("c_4_3", "c_{4.3}")
    c45 = _const("c_4_5", "c_{4.5}")
    t45, cp, kp = _const("t", "t"), _const("c_poly", "c_{\\mathrm{poly}}"), _const(
        "k_poly", "k_{\\mathrm{poly}}")
    C55, q55, C55k = (_const("C_5_5", "C_{5.5}"), _const("q_5_5", "q_{5.5}"),
                      _const("C_5_5k", "C_{5.5}'"))
    c58 = _const("c_5_8", "c_{5.8}")
    sep = "A, B 2eps-separated under l_p, p in {2, inf}"
    gen = "robust radius c eps with c in (0, 1)"
    ktilde = C55k * k * sympy.log(d)
    return [
        PaperBound("2.2", "robust training size", "upper", "robust training", "O(Nd)",
                   "O(N d log(d/delta) + N polylog(N/delta))",
                   C22 * (N * d * sympy.log(d / delta) + N * sympy.log(N / delta) ** q22),
                   {"C_2_2": C22, "q_2_2": q22},
                   ["N points in the unit l_p ball, the two classes 2eps-separated, "
                    "eps in (0, 1/2)", "robust radius delta < eps/2"],
                   ["polylog(N/delta) written as log(N/delta)^q_2_2"]),
        PaperBound("2.3", "robust training size", "lower", "robust training", "Omega(sqrt(Nd))",
                   "Omega(sqrt(N d))", c23 * sympy.sqrt(sympy.UnevaluatedExpr(N * d)),
                   {"c_2_3": c23},
                   ["zero robust training error on an arbitrary 2eps-separated set of N points "
                    "in R^d, p in {2, inf}"]),
        PaperBound("3.3", "robust generalization size", "upper", "general case", "exp(O(d))",
                   "O~(((1-c) eps)^(-d))", C33 * _soft(((1 - c) * eps) ** (-d), q33),
                   {"C_3_3": C33, "q_3_3": q33},
                   [sep + " in [0,1]^d", gen, "zero robust test error"],
                   ["O~(X) written as C X log(X)^q (hidden polylog factor)"]),
        PaperBound("3.4", "robust generalization size", "lower", "general case", "exp(Omega(d))",
                   "Omega((2 eps)^(-d/2) (d log(1/(2 eps)))^(-1/2))",
                   c34 * (2 * eps) ** (-d / 2) / sympy.sqrt(d * sympy.log(1 / (2 * eps))),
                   {"c_3_4": c34},
                   ["every " + sep + " in [0,1]^d must be classified with zero (standard) "
                    "test error"]),
        PaperBound("4.3", "robust generalization size", "lower", "linear separable",
                   "exp(Omega(d))", "Omega((2 eps)^(-(d-1)/6))",
                   c43 * (2 * eps) ** (-sympy.UnevaluatedExpr(d - 1) / 6), {"c_4_3": c43},
                   ["linearly separable " + sep + " in [0,1]^d", gen,
                    "robust test error >= C_1 mu_0 for networks of at most N_d parameters "
                    "(mu_0-balanced distributions)"],
                   ["vcbound.solver makes this explicit (vcbound docs §Solver)"]),
        PaperBound("4.5", "robust generalization size", "lower", "VCdim <= poly(n) models", None,
                   "exp(Omega(d))", sympy.exp(c45 * d), {"c_4_5": c45},
                   ["any model family with VCdim at most poly(number of parameters)",
                    "linearly separable " + sep, gen],
                   ["exp(Omega(d)) written as exp(c_4_5 d)"], variant="exp(Omega(d))"),
        PaperBound("4.5", "robust generalization size", "lower", "VCdim <= poly(n) models", None,
                   "exp(Omega(d)) via VCdim <= c_poly n^k_poly",
                   (t45 * sympy.floor(1 / (2 * eps)) ** sympy.UnevaluatedExpr(d - 1) / cp)
                   ** (1 / kp),
                   {"t": t45, "c_poly": cp, "k_poly": kp},
                   ["the model family satisfies VCdim <= c_poly n^k_poly",
                    "t as in vcbound docs §Sauer-Shelah: VCdim >= t K^(d-1) on the grid, K = floor(1/(2 eps)) "
                    "(the paper uses t = 0.05 at alpha = 0.1)"],
                   ["(derived here) from the proof of Theorem 4.3: VCdim >= t n with "
                    "n = K^(d-1), and VCdim <= c_poly n_params^k_poly, so "
                    "n_params >= (t n / c_poly)^(1/k_poly)"],
                   variant="via c W^k", derived=True),
        PaperBound("5.5", "robust generalization size", "upper", "k-dim manifold", "exp(O(k))",
                   "O~(((1-c) eps / sqrt(d))^(-k~)), k~ = O(k log d)",
                   C55 * _soft(((1 - c) * eps / sympy.sqrt(d)) ** (-ktilde), q55),
                   {"C_5_5": C55, "q_5_5": q55, "C_5_5k": C55k},
                   ["data on a k-dim compact poly-partitionable Riemannian manifold in [0,1]^d "
                    "with condition number tau > 0", "A, B 2eps-separated under l_inf", gen],
                   ["O~(X) written as C X log(X)^q; k~ = C_5_5k k log d"]),
        PaperBound("5.8", "robust generalization size", "lower", "k-dim manifold",
                   "exp(Omega(k))", "Omega((2 eps sqrt(d/k))^(-k/2))",
                   c58 * (2 * eps * sympy.sqrt(d / k)) ** (-k / 2), {"c_5_8": c58},
                   ["a complete compact k-dim Riemannian manifold in [0,1]^d with non-negative "
                    "Ricci curvature", "A, B 2eps-separated under l_inf", gen]),
    ]


_ENTRIES = None


def _all():
    global _ENTRIES
    if _ENTRIES is None:
        _ENTRIES = _entries()
    return _ENTRIES


def paper_bound(theorem, variant=None):
    """The :class:`PaperBound` of one theorem (``'2.2'``, ``'2.3'``, ``'3.3'``, ``'3.4'``,
    ``'4.3'``, ``'4.5'``, ``'5.5'``, ``'5.8'``).

    Parameters
    ----------
    theorem : str
        The theorem number.
    variant : str, optional
        For ``'4.5'``: ``'exp(Omega(d))'`` (default) or ``'via c W^k'``.

    Returns
    -------
    PaperBound

    Examples
    --------
    >>> paper_bound('2.3').expression
    c_2_3*sqrt(N*d)
    >>> paper_bound('4.5', 'via c W^k').derived
    True
    """
    key = str(theorem).strip()
    matches = [e for e in _all() if e.theorem == key]
    if not matches:
        known = ", ".join(sorted({e.theorem for e in _all()}))
        raise VCBoundError(f"Argument 'theorem' must be one of {known}, not {fmt_value(theorem)}.")
    if variant is None:
        return matches[0]
    for e in matches:
        if e.variant == variant:
            return e
    known = ", ".join(repr(e.variant) for e in matches)
    raise VCBoundError(f"Argument 'variant' must be one of {known} for Theorem {key}, "
                       f"not {fmt_value(variant)}.")


class PaperTable(Result):
    """The paper's Table 1 (plus Theorem 4.5) as a list of :class:`PaperBound`."""

    COLUMNS = ["theorem", "bounds", "setting", "Table 1", "paper's order", "with constants"]

    def __init__(self, entries):
        self.entries = list(entries)

    def _meaning(self, key):
        # one row per theorem, keyed by its number
        return "the theorem's bound as the paper states it (constants unknown)"

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, i):
        return self.entries[i]

    def title(self):
        return ("Table 1 of Li et al. (NeurIPS 2022): network size n for robust training / "
                "generalization (constants unknown)")

    def rows(self):
        return [(f"{e.theorem}{'_' + e.variant if e.variant else ''}", e.label,
                 f"{e.relation} {e.expression}") for e in self.entries]

    def render(self, fmt="text"):
        """The table via :func:`vcbound._tables.render_table` (text, markdown, csv, json, latex)."""
        if fmt == "latex":
            rows = [[e.label, f"{e.quantity}, {e.direction}", e.setting,
                     e.table_cell or "(not in Table 1)", e.statement,
                     _Latex(("n \\le " if e.direction == "upper" else "n \\ge ")
                            + e.latex_expression())] for e in self.entries]
            return render_table(self.COLUMNS, rows, "latex")
        rows = [[e.label, f"{e.quantity}, {e.direction}", e.setting,
                 e.table_cell or "(not in Table 1)", e.statement,
                 f"{e.relation} {e.expression}"] for e in self.entries]
        return render_table(self.COLUMNS, rows, fmt, title=self.title() if fmt == "text" else None)

    def __str__(self):
        return self.render("text")

    def summary(self):
        return f"{len(self.entries)} bounds of Table 1 / Theorem 4.5 (symbolic: constants unknown)"

    def _repr_html_(self):
        from ._result import html_table

        rows = [[e.label, f"{e.quantity}, {e.direction}", e.setting,
                 e.table_cell or "(not in Table 1)", e.statement,
                 f"{e.relation} {e.expression}"] for e in self.entries]
        return html_table(self.COLUMNS, rows, self.title())

    def _repr_latex_(self):
        lines = [latex_text(e.label) + " & " + latex_text(f"{e.quantity}, {e.direction}") + " & "
                 + ("n \\le " if e.direction == "upper" else "n \\ge ") + e.latex_expression()
                 for e in self.entries]
        return r"$\begin{array}{lll}" + r" \\ ".join(lines) + r"\end{array}$"


class _Latex(sympy.Symbol):
    """A pre-rendered LaTeX fragment that :func:`vcbound._result.latex_value` passes through."""

    def _latex(self, printer):
        return self.name


def table1():
    """The paper's Table 1 (Theorems 2.2, 2.3, 3.3, 3.4, 4.3, 5.5, 5.8) plus Theorem 4.5.

    Returns
    -------
    PaperTable
        Iterable of :class:`PaperBound`; ``render(fmt)`` for text/markdown/csv/json/latex.

    Examples
    --------
    >>> [e.label for e in table1()][:3]
    ['Theorem 2.2', 'Theorem 2.3', 'Theorem 3.3']
    >>> len(table1())
    9

    References
    ----------
    The paper, Table 1 and Theorems 2.2-5.8; vcbound docs §Table 1.
    """
    return PaperTable(_all())
