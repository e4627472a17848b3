"""Common behaviour of vcbound's result objects (internal).

A result lists its quantities once, as rows ``(key, label, value)``; from those rows it renders as
plain text (``str``), as a JSON-safe dict (:meth:`Result.to_dict`), as JSON, and as LaTeX for
Jupyter (``_repr_latex_``). Subclasses implement :meth:`Result.rows` and may override
:meth:`Result.title`.
"""

import json
import sys

__all__ = ["Result", "latex_value", "text_value"]


def _is_instance(value, module, name):
    """``isinstance(value, module.name)`` without importing ``module``.

    A value cannot be an instance of a class whose module was never imported, so the renderers
    need not import sympy (about 0.2 s at start-up) or mpmath (about 35 ms, through
    ``vcbound._numbers``) for results that hold neither, such as the enumerator's.
    """
    mod = sys.modules.get(module)
    return mod is not None and isinstance(value, getattr(mod, name))


def text_value(value):
    """Plain-text rendering of one value."""
    if _is_instance(value, "vcbound._numbers", "BigNumber"):
        return value.human()
    if _is_instance(value, "mpmath", "mpf"):
        return sys.modules["mpmath"].nstr(value, 10)
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(text_value(v) for v in value) + "]"
    return str(value)


def latex_value(value):
    """LaTeX rendering of one value (sympy objects through :func:`sympy.latex`)."""
    if _is_instance(value, "sympy", "Basic"):
        return sys.modules["sympy"].latex(value)
    if _is_instance(value, "vcbound._numbers", "BigNumber"):
        text = value.human()
        if "e" in text:
            mant, exp = text.split("e")
            return rf"{mant} \times 10^{{{int(exp)}}}"
        return text
    if isinstance(value, str):
        return r"\text{" + value.replace("_", r"\_").replace("%", r"\%") + "}"
    return text_value(value).replace("_", r"\_")


class Result:
    """Base class: subclasses return their quantities from :meth:`rows`."""

    def rows(self):
        """List of ``(key, label, value)``; ``key`` is the JSON key, ``label`` the display name."""
        raise NotImplementedError

    def title(self):
        return type(self).__name__

    def to_dict(self):
        """JSON-safe dict of every quantity (huge numbers as exact strings or ``{"log10": ...}``)."""
        from ._numbers import json_safe

        return {key: json_safe(value) for key, _label, value in self.rows()}

    def to_json(self, **kwargs):
        """The result as a JSON string (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self):
        rows = [(label, text_value(value)) for _key, label, value in self.rows()]
        width = max((len(label) for label, _ in rows), default=0)
        lines = [self.title()] + [f"  {label.ljust(width)}  {val}" for label, val in rows]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):  # IPython plain-text display
        printer.text(str(self))

    def _repr_latex_(self):
        body = r" \\ ".join(
            rf"\text{{{label.replace('_', chr(92) + '_')}}} & {latex_value(value)}"
            for _key, label, value in self.rows())
        title = self.title().replace("_", r"\_")
        return (r"$\begin{array}{ll}\multicolumn{2}{l}{\textbf{" + title + r"}} \\ "
                + body + r"\end{array}$")
