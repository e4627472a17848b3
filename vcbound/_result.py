"""Common behaviour of vcbound's result objects (internal).

A result lists its quantities once, as rows ``(key, label, value)`` or ``(key, label, value,
meaning)``; from those rows it renders as plain text (``str``), as a one-line ``repr`` with its
headline number, as a JSON-safe dict (:meth:`Result.to_dict`) and JSON, as an HTML table for
Jupyter (``_repr_html_``: quantity, value, meaning, with the certified / ILLUSTRATIVE status on
top), as MathJax-3-valid LaTeX (``_repr_latex_``: math mode only, an ``array``, no ``^`` or ``_``
inside ``\\text``) and as a pandas DataFrame (:meth:`Result.to_pandas`). Subclasses implement
:meth:`Result.rows` and may override :meth:`Result.title`, :meth:`Result.headline` and
:meth:`Result.status`; rows added later by any module render everywhere automatically.
"""

import html
import json
import re
import sys

__all__ = ["Result", "MEANINGS", "PREFIX_MEANINGS", "latex_value", "latex_text", "text_value",
           "html_table", "sympy_text"]


def _is_instance(value, module, name):
    """``isinstance(value, module.name)`` without importing ``module``.

    A value cannot be an instance of a class whose module was never imported, so the renderers
    need not import sympy (about 0.2 s at start-up) or mpmath (about 35 ms, through
    ``vcbound._numbers``) for results that hold neither, such as the enumerator's.
    """
    mod = sys.modules.get(module)
    return mod is not None and isinstance(value, getattr(mod, name))


def text_value(value):
    """Plain-text rendering of one value (BigNumbers in their directed short form)."""
    if _is_instance(value, "vcbound._numbers", "BigNumber") or _is_instance(
            value, "vcbound._numbers", "Real"):
        return value.human()
    if _is_instance(value, "sympy", "Basic"):
        return sympy_text(value)
    if _is_instance(value, "mpmath", "mpf"):
        return sys.modules["mpmath"].nstr(value, 10)
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(text_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}={text_value(v)}" for k, v in value.items())
    return str(value)


def sympy_text(expr):
    """``str(expr)`` of a sympy expression, with integers of more than 4000 digits (which
    Python refuses to convert) in the short form ``'1.2e5693'`` (rounded to nearest)."""
    import sympy
    from sympy.printing.str import StrPrinter

    class _Printer(StrPrinter):
        def _print_Integer(self, e):
            if abs(e.p) < 10**4000:
                return str(e.p)
            from ._numbers import BigNumber

            return ("-" if e.p < 0 else "") + BigNumber(exact=abs(int(e.p))).human()

    return _Printer().doprint(sympy.sympify(expr))


#: Characters that are not plain text inside MathJax's ``\text{}`` (with or without the
#: textmacros package), and their math-mode replacements.
_TEX_SPECIAL = {"_": r"\_", "^": r"\hat{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                "#": r"\#", "$": r"\$", "~": r"\sim", "\\": r"\backslash"}


def latex_text(text):
    r"""Math-mode LaTeX showing ``text``: plain runs in ``\text{}``; ``x_sub`` and ``x^(sup)``
    after a letter or digit as real sub/superscripts; the other special characters
    ``_ ^ { } % & # $ ~ \`` as math symbols outside ``\text`` (MathJax 3 refuses ``^`` and ``_``
    in text mode; the output is valid with or without its textmacros package).

    >>> print(latex_text('n = K^(d-1)'))
    \text{n = K}^{\text{(d-1)}}
    >>> print(latex_text('D_min: 50%'))
    \text{D}_{\text{min}}\text{: 50}\%
    """
    text = str(text)
    out, run, i = [], [], 0

    def flush():
        if run:
            out.append(r"\text{" + "".join(run) + "}")
            run.clear()

    while i < len(text):
        ch = text[i]
        if ch in "_^" and i > 0 and text[i - 1].isalnum():
            m = _SCRIPT.match(text, i + 1)
            if m:
                flush()
                out.append(ch + "{" + latex_text(m.group(0)) + "}")
                i = m.end()
                continue
        rep = _TEX_SPECIAL.get(ch)
        if rep is None:
            run.append(ch)
        else:
            flush()
            out.append(rep)
        i += 1
    flush()
    return "".join(out) or r"\text{}"


_SCRIPT = re.compile(r"\([^()]*\)|[A-Za-z0-9]+(?:[_^][A-Za-z0-9]+)*")


def latex_value(value):
    """Math-mode LaTeX of one value (sympy objects through :func:`sympy.latex`, BigNumbers as
    ``m \\times 10^{e}`` rounded in their direction, text through :func:`latex_text`)."""
    if _is_instance(value, "sympy", "Basic"):
        return sys.modules["sympy"].latex(value)
    if isinstance(value, str) and getattr(value, "is_latex", False):
        return str(value)
    if _is_instance(value, "vcbound._numbers", "BigNumber"):
        text = value.human()
        if text.startswith("10^("):
            return "10^{" + _latex_number(text[4:-1]) + "}"
        return _latex_number(text)
    if isinstance(value, bool):
        return latex_text("yes" if value else "no")
    if isinstance(value, (int, float)) or _is_instance(value, "mpmath", "mpf"):
        return _latex_number(text_value(value))
    if _is_instance(value, "fractions", "Fraction"):
        return _latex_number(str(value))
    return latex_text(text_value(value))


def _latex_number(text):
    """``'1.1e33'`` -> ``'1.1 \\times 10^{33}'``; other number texts unchanged (or as text)."""
    if "e" in text and text.replace(".", "").replace("e", "").replace("-", "").replace(
            "+", "").isdigit():
        mant, exp = text.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    if text.replace(".", "").replace("-", "").replace("/", "").isdigit():
        return text
    return latex_text(text)


def html_table(header, rows, caption=None, status=None):
    """An HTML ``<table>`` (escaped) with an optional caption and status line."""
    esc = html.escape
    parts = ['<table class="vcbound">']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header)
                 + "</tr></thead><tbody>")
    if status:
        cert = status.startswith("certified")
        color = "#1a7f37" if cert else "#b3261e"
        parts.append(f'<tr><td colspan="{len(header)}" style="color:{color};font-weight:bold">'
                     f"{esc(status)}</td></tr>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


#: Default "meaning" of a row by its JSON key, for rows that give none (one glossary for every
#: result type, in the paper's and BHLM's notation; see the vcbound docs §Notation and conventions).
MEANINGS = {
    "d": "input dimension (the paper's d)",
    "eps": "separation radius: classes are 2 eps apart (exact rational)",
    "alpha": "tolerated robust error fraction",
    "K": "grid values per axis, K = floor(1/(2 eps))",
    "n": "number of points",
    "m": "dimension of the point set",
    "c": "points that must be right, ceil((1 - alpha) n)",
    "V": "size of the subset the growth function is bounded on",
    "V_rule": "how V was chosen",
    "G": "lower bound on the labellings realized on some V points (inequality (1))",
    "log2_G": "log2 of G, rounded down",
    "D_min": "certified lower bound on the VC dimension (Sauer-Shelah inverted)",
    "D_min_form": "form of the Sauer-Shelah sum used for D_min",
    "inequality_one": "which links of the paper's inequality (1) hold here",
    "route": "how the class of networks of size <= M is covered",
    "route_bound": "the capacity bound compared with log2 G",
    "route_source": "where the bound comes from",
    "envelope_at_M_plus_1": "the covering class at the first size not ruled out",
    "N_d_human": "N_d, rounded down",
    "regime": "exact integers or rigorous one-sided logarithms",
    "statement": "what is proved, in words",
    "status": "certified (a proof) or ILLUSTRATIVE (assumes an unproved constant)",
    "evaluations": "number of evaluations the search made",
    "theorem": "the paper's theorem the bound makes explicit",
    "points": "the point set used",
    "point_set": "the 2eps-separated set used and its size",
    "norm": "norm of the separation and of the robust balls",
    "widths": "units per layer, input first, output last",
    "activation": "activation of the hidden units",
    "W": "number of parameters, weights and biases (BHLM's W)",
    "L": "number of layers of units (BHLM's L)",
    "U": "number of computation units (BHLM's U)",
    "p": "breakpoints of the piecewise activation (ReLU: 1)",
    "deg": "degree of the activation's pieces (ReLU: 1)",
    "W_i": "parameters feeding layers 1..i (BHLM Theorem 7)",
    "sum_W_i": "sum of the W_i, equal to Lbar W",
    "Lbar": "effective depth, (1/W) sum W_i (BHLM Theorem 7)",
    "R": "BHLM's R, sum k_i (1 + (i-1) deg^(i-1))",
    "vc_bhlm_thm7": "VC-dimension upper bound, BHLM Theorem 7 (certified)",
    "vc_bhlm_thm10": "VC-dimension upper bound, BHLM Theorem 10 (certified)",
    "vc_goldberg_jerrum": "Goldberg-Jerrum O(W^2) with its unknown constant",
    "bound": "the bound used",
    "method": "the algorithm or construction used",
    "seed": "random seed (results are reproducible from it)",
    "seconds": "wall time in seconds",
    "depth": "number of affine layers",
    "nonzero_weights": "nonzero weights of the explicit network: certified upper bound",
    "B": "block length of the bit-extraction memoriser",
    "ruled_out": "whether the architecture is proved unable to reach robust error <= alpha",
    "covered": "whether BHLM Theorem 7 applies to the architecture",
    "count": "exact number of linear dichotomies (one neuron)",
    "distinct": "distinct labellings found: a certified lower bound on the growth function",
    "samples": "networks sampled",
    "verified": "whether the network is proved robustly correct",
    "rank": "affine rank of the points plus one (dimension the arrangement lives in)",
    "sampler": "how networks are drawn (data: hyperplanes through the points' box)",
    "architecture": "the architecture examined: widths and activation",
    "values_per_axis": "grid values per axis of the construction's grid",
    "group_order": "order of the symmetry group the orbit method merged nodes by",
    "nodes": "nodes of the orbit recursion after merging (its work)",
    "shards": "pieces the recursion was cut into after its top (0: not sharded)",
    "resumed": "shards whose sums came from the checkpoint instead of being recomputed",
    "peak": "most orbit nodes held at once (the run's memory)",
}

#: Meanings of rows whose keys are numbered or built from data (``note_1``, ``row_0``, ...).
PREFIX_MEANINGS = (
    ("note", "a remark on how the numbers above were obtained"),
    ("row_", "one instance of the table: its parameters and bounds"),
    ("candidate_", "size of this candidate separated set (the largest is used)"),
)


class Result:
    """Base class: subclasses return their quantities from :meth:`rows`."""

    def rows(self):
        """List of ``(key, label, value)`` or ``(key, label, value, meaning)``; ``key`` is the
        JSON key, ``label`` the display name, ``meaning`` a short explanation (optional)."""
        raise NotImplementedError

    #: Meanings of this type's own rows by JSON key, for keys whose sense is particular to
    #: the type (``value``, ``source``, ...); looked up before the shared :data:`MEANINGS`.
    _meanings = {}

    def _meaning(self, key):
        """The meaning of row ``key``: the type's own, the glossary's, or by its prefix."""
        for cls in type(self).__mro__:
            own = cls.__dict__.get("_meanings")
            if own and key in own:
                return own[key]
        if key in MEANINGS:
            return MEANINGS[key]
        for prefix, meaning in PREFIX_MEANINGS:
            if key.startswith(prefix):
                return meaning
        return ""

    def _rows4(self):
        """Rows as 4-tuples; a row without a meaning takes its type's or the glossary's."""
        return [tuple(r) if len(r) == 4 and r[3] else (*r[:3], self._meaning(r[0]))
                for r in self.rows()]

    def title(self):
        return type(self).__name__

    #: Key of the row holding the headline number (see :meth:`headline`).
    _headline = None

    def display_status(self):
        """``'certified'``, ``'ILLUSTRATIVE'`` (or another status word) or None when the result
        is not a bound; from a ``certified`` or ``status`` attribute when the result has one."""
        cert = getattr(self, "certified", None)
        if isinstance(cert, bool):
            return "certified" if cert else "ILLUSTRATIVE"
        status = getattr(self, "status", None)
        if isinstance(status, str):
            return "ILLUSTRATIVE" if status == "illustrative" else status
        return None

    def headline(self):
        """``(label, value)`` of the result's main number: the row keyed :attr:`_headline`, else
        the first numeric row."""
        rows = self._rows4()
        for key, label, value, _m in rows:
            if self._headline is not None and key == self._headline:
                return label, value
        for _key, label, value, _m in rows:
            if not isinstance(value, (str, bool, list, tuple, dict)) and value is not None:
                return label, value
        return (rows[0][1], rows[0][2]) if rows else ("", "")

    def summary(self):
        """One line: the headline quantity and value (and the status, when it is a bound)."""
        label, value = self.headline()
        status = self.display_status()
        return f"{label} = {text_value(value)}" + (f" ({status})" if status else "")

    def to_dict(self):
        """JSON-safe dict of every quantity (big numbers as ``{"value", "log10", "bound"}``)."""
        from ._numbers import json_safe

        return {key: json_safe(value) for key, _label, value, _m in self._rows4()}

    def to_json(self, **kwargs):
        """The result as a JSON string (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), **kwargs)

    def to_pandas(self):
        """The rows as a pandas DataFrame: columns ``key, quantity, value, meaning`` (value as
        text), plus ``number`` (float, NaN where not numeric) and ``log10`` (float, for big
        numbers: rounded in their direction) and ``bound``. Imports pandas on first use."""
        from ._frames import result_frame

        return result_frame(self)

    def __str__(self):
        rows = [(label, text_value(value)) for _key, label, value, _m in self._rows4()]
        width = max((len(label) for label, _ in rows), default=0)
        lines = [self.title()] + [f"  {label.ljust(width)}  {val}" for label, val in rows]
        return "\n".join(lines)

    def __repr__(self):
        return f"<{type(self).__name__}: {self.summary()}>"

    def _repr_pretty_(self, printer, cycle):  # IPython plain-text display
        printer.text(str(self))

    def _repr_html_(self):
        rows = [(label, text_value(value), meaning)
                for _key, label, value, meaning in self._rows4()]
        return html_table(("quantity", "value", "meaning"), rows, self.title(), self.display_status())

    def _repr_latex_(self):
        # MathJax 3 has no \multicolumn: the title and status head an outer one-column array
        head = [latex_text(self.title())]
        status = self.display_status()
        if status:
            head.append(latex_text(status))
        body = r" \\ ".join(rf"{latex_text(label)} & {latex_value(value)}"
                             for _key, label, value, _m in self._rows4())
        return (r"$\begin{array}{l}" + r" \\ ".join(head) + r" \\ \begin{array}{ll}" + body
                + r"\end{array}\end{array}$")
