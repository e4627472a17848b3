"""Rendering of tables as text, markdown, CSV, JSON and LaTeX (internal, shared by the CLI).

A table is a list of column names and a list of rows (sequences of values). Values are rendered
with :func:`vcbound._result.text_value` (text formats) or :func:`vcbound._numbers.json_safe` (JSON).
"""

import csv
import io
import json
import shutil

from ._numbers import json_safe
from ._result import latex_value, text_value

__all__ = ["render_table", "TABLE_FORMATS"]

TABLE_FORMATS = ("text", "markdown", "csv", "json", "latex")


def render_table(columns, rows, fmt="text", title=None):
    """Render ``rows`` under ``columns`` in one of :data:`TABLE_FORMATS`.

    Text output that is wider than the terminal is split into column blocks that each fit (the
    first column is repeated in every block), so long rows stay readable.

    >>> print(render_table(['a', 'b'], [[1, 2], [10, 20]], 'markdown'))
    | a | b |
    |---|---|
    | 1 | 2 |
    | 10 | 20 |
    """
    if fmt == "json":
        return json.dumps([{c: json_safe(v) for c, v in zip(columns, row)} for row in rows],
                          indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([text_value(v) for v in row])
        return buf.getvalue().rstrip("\n")
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(text_value(v) for v in row) + " |" for row in rows]
        return "\n".join(lines)
    if fmt == "latex":
        head = " & ".join(latex_value(c) for c in columns)
        body = "\n".join(" & ".join(f"${latex_value(v)}$" for v in row) + r" \\" for row in rows)
        return ("\\begin{tabular}{" + "r" * len(columns) + "}\n\\hline\n" + head
                + r" \\" + "\n\\hline\n" + body + "\n\\hline\n\\end{tabular}")
    if fmt != "text":
        raise ValueError(f"unknown table format {fmt!r}")
    cells = [[str(c) for c in columns]] + [[text_value(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    term = shutil.get_terminal_size((100, 24)).columns
    blocks, start = ([[0]] if len(columns) == 1 else []), 1
    while start < len(columns):
        used, end = widths[0] + 2, start
        while end < len(columns) and (end == start or used + widths[end] + 2 <= term):
            used += widths[end] + 2
            end += 1
        blocks.append([0] + list(range(start, end)))
        start = end
    out = [title] if title else []
    for bi, cols in enumerate(blocks):
        if bi:
            out.append("")
        for ri, row in enumerate(cells):
            out.append("  ".join(row[i].rjust(widths[i]) for i in cols).rstrip())
            if ri == 0:
                out.append("  ".join("-" * widths[i] for i in cols))
    return "\n".join(out)
