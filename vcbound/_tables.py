"""Rendering of tables as text, markdown, CSV, JSON and LaTeX (internal, shared by the CLI).

A table is a list of column names and a list of rows (sequences of values). Text formats show
values through :func:`vcbound._result.text_value` (big numbers in their short form, rounded down
for lower bounds and up for upper bounds); CSV keeps full precision (exact integers as all their
digits, floats as ``repr``, a ``log10 <column>`` beside every big-number column); JSON uses
:func:`vcbound._numbers.json_safe` (big numbers as ``{"value", "log10", "bound", "text"}``);
LaTeX is a booktabs ``tabular`` with math symbols, ready to paste into a paper. See the vcbound
docs §Output formats.
"""

import csv
import io
import json
import shutil
import textwrap

from ._result import _is_instance, latex_value, text_value

__all__ = ["render_table", "TABLE_FORMATS", "tex_header", "tex_text"]

TABLE_FORMATS = ("text", "markdown", "csv", "json", "latex")


def _is_big(v):
    return _is_instance(v, "vcbound._numbers", "BigNumber")


def render_table(columns, rows, fmt="text", title=None, *, key_columns=1, width="terminal",
                 caption=None):
    """Render ``rows`` under ``columns`` in one of :data:`TABLE_FORMATS`.

    Parameters
    ----------
    key_columns : int
        Text output wider than ``width`` is split into column blocks that each fit; the first
        ``key_columns`` columns (e.g. ``d, eps, alpha``) are repeated in every block, so every
        row of every block can be told apart.
    width : int, 'terminal' or None
        Line width for text output; ``'terminal'``: the terminal's (``COLUMNS``); None: never
        wrap (files).
    caption : str, optional
        One line saying what the table holds (text, markdown: first line; LaTeX: a comment).

    Examples
    --------
    >>> print(render_table(['a', 'b'], [[1, 2], [10, 20]], 'markdown'))
    | a | b |
    |---|---|
    | 1 | 2 |
    | 10 | 20 |
    """
    if fmt == "json":
        from ._numbers import json_safe

        return json.dumps([{c: json_safe(v) for c, v in zip(columns, row)} for row in rows],
                          indent=1)
    if fmt == "csv":
        return _csv(columns, rows)
    if fmt == "markdown":
        esc = lambda s: str(s).replace("|", r"\|")  # noqa: E731
        lines = [f"*{esc(caption)}*", ""] if caption else []
        lines += ["| " + " | ".join(esc(c) for c in columns) + " |",
                  "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(esc(text_value(v)) for v in row) + " |" for row in rows]
        return "\n".join(lines)
    if fmt == "latex":
        return _latex(columns, rows, caption)
    if fmt != "text":
        raise ValueError(f"unknown table format {fmt!r}")
    return _text(columns, rows, title, key_columns, width, caption)


def _text(columns, rows, title, key_columns, width, caption):
    cells = [[str(c) for c in columns]] + [[text_value(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    if width == "terminal":
        width = shutil.get_terminal_size((100, 24)).columns
    keys = list(range(min(max(1, key_columns), len(columns))))
    rest = list(range(len(keys), len(columns)))
    if width is None:
        blocks = [keys + rest]
    else:
        key_width = sum(widths[i] + 2 for i in keys)
        blocks, start = [], 0
        while start < len(rest):
            used, end = key_width, start
            while end < len(rest) and (end == start or used + widths[rest[end]] <= width):
                used += widths[rest[end]] + 2
                end += 1
            blocks.append(keys + rest[start:end])
            start = end
        blocks = blocks or [keys]
    out = [title] if title else []
    if caption:
        out += textwrap.wrap(caption, width) if width else [caption]
    for bi, cols in enumerate(blocks):
        if bi or out:
            out.append("")
        for ri, row in enumerate(cells):
            out.append("  ".join(row[i].rjust(widths[i]) for i in cols).rstrip())
            if ri == 0:
                out.append("  ".join("-" * widths[i] for i in cols))
    return "\n".join(out)


def _csv_value(v):
    """Full-precision CSV cell: exact digits for exact integers, ``repr`` for floats."""
    if v is None:
        return ""
    if _is_big(v):
        if v.exact is None:
            return ""
        from ._numbers import exact_digits

        return exact_digits(v.exact) if isinstance(v.exact, int) else str(v.exact)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        from ._numbers import exact_digits

        return exact_digits(v)
    if _is_instance(v, "vcbound._numbers", "Real"):
        return repr(float(v))
    if _is_instance(v, "mpmath", "mpf"):
        import mpmath

        return mpmath.nstr(v, 17)
    return str(v)


def _csv(columns, rows):
    """CSV: every big-number column ``c`` is followed by ``log10 c`` (a float rounded in the
    number's direction); a big number known only through its logarithm has an empty ``c``."""
    big = [any(_is_big(row[j]) for row in rows) for j in range(len(columns))]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = []
    for c, b in zip(columns, big):
        head += [c, f"log10 {c}"] if b else [c]
    writer.writerow(head)
    for row in rows:
        out = []
        for v, b in zip(row, big):
            out.append(_csv_value(v))
            if b:
                lg = v.log10 if _is_big(v) and not (v.exact is not None and v.exact <= 0) \
                    else None
                out.append("" if lg is None or abs(lg) == float("inf") else repr(lg))
        writer.writerow(out)
    return buf.getvalue().rstrip("\n")


# ---------------------------------------------------------------------------------------------
# LaTeX (a real LaTeX document, not MathJax): booktabs, math symbols
# ---------------------------------------------------------------------------------------------
_TEX_SYMBOLS = {"d": "d", "eps": r"\varepsilon", "alpha": r"\alpha", "K": "K", "n": "n",
                "c": "c", "V": "V", "D_min": r"D_{\min}", "N_d": "N_d", "beta": r"\beta",
                "gamma": r"\gamma", "M": "M", "(d-1)/6": "(d-1)/6", "W": "W", "L": "L",
                "U": "U", "G": "G"}

_TEX_ESCAPES = {"\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#",
                "$": r"\$", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}"}


def tex_text(s):
    """Escape text for LaTeX text mode (``N_d union`` -> ``N\\_d union``)."""
    return "".join(_TEX_ESCAPES.get(ch, ch) for ch in str(s))


def tex_header(name):
    """Column header: a known symbol in math mode, the rest as text
    (``'N_d union'`` -> ``'$N_d$ union'``, ``'eps'`` -> ``'$\\varepsilon$'``)."""
    name = str(name)
    if name in _TEX_SYMBOLS:
        return f"${_TEX_SYMBOLS[name]}$"
    head, _, tail = name.partition(" ")
    if head in _TEX_SYMBOLS and tail:
        return f"${_TEX_SYMBOLS[head]}$ " + tex_text(tail.replace("ILLUSTRATIVE", "illustrative"))
    return tex_text(name)


def _tex_cell(v):
    if v is None:
        return "--"
    if _is_instance(v, "sympy", "Basic") or (isinstance(v, str) and getattr(v, "is_latex", 0)):
        return f"${latex_value(v)}$"
    if isinstance(v, str):
        if _looks_numeric(v):
            return f"${v}$"
        return tex_text(v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"${latex_value(v)}$"


def _looks_numeric(s):
    t = s.strip()
    if not t:
        return False
    body = t.lstrip("-")
    return body.replace(".", "", 1).isdigit()


def _latex(columns, rows, caption):
    lines = [r"% requires \usepackage{booktabs}"]
    if caption:
        lines.append("% " + caption)
    lines += [r"\begin{tabular}{" + "r" * len(columns) + "}", r"\toprule",
              " & ".join(tex_header(c) for c in columns) + r" \\", r"\midrule"]
    lines += [" & ".join(_tex_cell(v) for v in row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines)
