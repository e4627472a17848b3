"""Fully connected feed-forward architectures and the counts the capacity bounds need.

Notation (vcbound docs §Capacity bounds, following Bartlett, Harvey, Liaw and Mehrabian, JMLR 20(63), 2019, "BHLM"):
an architecture is given by its widths ``[d0, k_1, ..., k_{L-1}, k_L = 1]``, where ``d0`` is the
input dimension and ``k_i`` the number of units in layer ``i``. It has

* ``L`` layers of computation units (the output unit is layer ``L``),
* ``U = k_1 + ... + k_L`` computation units,
* ``W = sum_i (k_{i-1} + 1) k_i`` parameters (weights and biases; ``k_0 = d0``),
* non-output units with a piecewise-polynomial activation of ``p + 1`` pieces (``p`` breakpoints)
  and degree at most ``deg``, and an identity output unit (whose sign is the classification).

ReLU has ``p = 1``, ``deg = 1``; the threshold (step) function has ``p = 1``, ``deg = 0``. The
sigmoid is not piecewise polynomial, so BHLM's bounds do not apply to it (``p`` and ``deg`` are
``None``). ``deg`` is spelled out because the paper uses ``d`` for the input dimension.
"""

from fractions import Fraction
from types import SimpleNamespace

import sympy

from ._result import Result
from ._validation import check_choice, check_integer, fmt_value
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["Architecture", "ACTIVATIONS", "SYMBOLS"]

#: Activations understood by :class:`Architecture`.
ACTIVATIONS = ("relu", "threshold", "sigmoid", "piecewise")

#: sympy symbols of the architecture quantities, used in the formulas of :mod:`vcbound.capacity`.
SYMBOLS = SimpleNamespace(
    W=sympy.Symbol("W", positive=True, integer=True),
    L=sympy.Symbol("L", positive=True, integer=True),
    U=sympy.Symbol("U", positive=True, integer=True),
    Lbar=sympy.Symbol("Lbar", positive=True),  # prints as \bar{L} in LaTeX
    R=sympy.Symbol("R", positive=True, integer=True),
    p=sympy.Symbol("p", positive=True, integer=True),
    deg=sympy.Symbol("deg", nonnegative=True, integer=True),
    d0=sympy.Symbol("d_0", positive=True, integer=True),
    m=sympy.Symbol("m", positive=True, integer=True),
)

# activation -> (pieces, degree) fixed by the activation itself
_FIXED = {"relu": (2, 1), "threshold": (2, 0), "sigmoid": (None, None)}


def _check_widths(widths):
    if (isinstance(widths, (str, bytes, dict, set)) or not hasattr(widths, "__iter__")
            or getattr(widths, "ndim", 1) == 0):   # a 0-d numpy array is not a sequence
        raise VCBoundTypeError(f"Argument 'widths' must be a sequence of positive integers such as "
                               f"[2, 10, 10, 1], not {fmt_value(widths)}.")
    items = list(widths)
    if not items:
        raise VCBoundError("Argument 'widths' must be a non-empty sequence of positive integers "
                           "such as [2, 10, 10, 1], not [].")
    out = []
    for i, value in enumerate(items):
        try:
            out.append(check_integer(f"widths[{i}]", value, minimum=1))
        except VCBoundError as exc:
            raise type(exc)(f"{exc} Argument 'widths' must contain positive integers only, "
                            f"got {fmt_value(items)}.") from None
    if len(out) < 2:
        raise VCBoundError(f"Argument 'widths' must have at least 2 entries (an input and an "
                           f"output layer, e.g. [{out[0]}, 1]), not {fmt_value(items)}.")
    if out[-1] != 1:
        raise VCBoundError(f"Argument 'widths' must end in 1 (a single output unit), "
                           f"not {fmt_value(items)}.")
    return tuple(out)


class Architecture(Result):
    """An immutable fully connected architecture ``[d0, k_1, ..., k_L = 1]`` (vcbound docs §Capacity bounds).

    Parameters
    ----------
    widths : sequence of int
        Layer widths, input dimension first, ending in the single output unit (``1``); at least
        two entries.
    activation : {'relu', 'threshold', 'sigmoid', 'piecewise'}
        Activation of the non-output units (the output unit is the identity, read by its sign).
    pieces : int, optional
        For ``'piecewise'`` only: number of pieces of the activation, at least 2. In BHLM's
        Theorem 7 notation this is ``p + 1`` (``p`` breakpoints). Implied for the others
        (ReLU and threshold: 2 pieces).
    degree : int, optional
        For ``'piecewise'`` only: maximal degree of the pieces, at least 0 (ReLU: 1, threshold: 0).

    Attributes
    ----------
    widths : tuple of int
    activation, pieces, degree
        As given (``pieces``/``degree`` filled in for ReLU and threshold, ``None`` for sigmoid).

    Raises
    ------
    VCBoundError
        Empty widths, a non-positive or non-integral width, fewer than two entries, a last entry
        other than 1, an unknown activation, ``'piecewise'`` without ``pieces``/``degree`` or
        with fewer than 2 pieces, or ``pieces``/``degree`` contradicting a fixed activation.

    Examples
    --------
    >>> a = Architecture([2, 10, 10, 1])
    >>> a.W, a.L, a.U, a.R
    (151, 3, 21, 33)
    >>> a.W_cumulative, a.W_per_layer
    ([30, 140, 151], [30, 110, 11])
    >>> a.Lbar
    Fraction(321, 151)
    >>> Architecture([2, 10, 10, 1], "threshold").W_i   # degree 0: per-layer convention
    [30, 110, 11]
    >>> Architecture([2, 10, 1]) == Architecture((2, 10, 1), "relu")
    True
    >>> Architecture([2, 10, 3])
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'widths' must end in 1 (a single output unit), ...

    References
    ----------
    P. L. Bartlett, N. Harvey, C. Liaw, A. Mehrabian. Nearly-tight VC-dimension and pseudodimension
    bounds for piecewise linear neural networks. JMLR 20(63):1-17, 2019 (Theorem 7).
    """

    _headline = "W"

    __slots__ = ("widths", "activation", "pieces", "degree", "_frozen")

    def __init__(self, widths, activation="relu", pieces=None, degree=None):
        widths = _check_widths(widths)
        if not isinstance(activation, str):
            names = ", ".join(map(repr, ACTIVATIONS))
            raise VCBoundTypeError(f"Argument 'activation' must be one of {names}, "
                                   f"not {fmt_value(activation)}.")
        activation = check_choice("activation", activation.strip(), ACTIVATIONS)
        if activation == "piecewise":
            if pieces is None or degree is None:
                missing = " and ".join(n for n, v in (("pieces", pieces), ("degree", degree))
                                       if v is None)
                raise VCBoundError(f"Activation 'piecewise' needs {missing}: argument 'pieces' "
                                   "is the number of polynomial pieces (at least 2) and 'degree' "
                                   "their maximal degree (at least 0).")
            pieces = check_integer("pieces", pieces, minimum=2)
            degree = check_integer("degree", degree, minimum=0)
        else:
            fixed_pieces, fixed_degree = _FIXED[activation]
            for name, given, fixed in (("pieces", pieces, fixed_pieces),
                                       ("degree", degree, fixed_degree)):
                if given is not None and (fixed is None or check_integer(name, given) != fixed):
                    what = "has none" if fixed is None else f"has {name} = {fixed}"
                    raise VCBoundError(f"Argument {name!r} = {fmt_value(given)} contradicts "
                                       f"activation {activation!r}, which {what}; use activation "
                                       "'piecewise' for a general piecewise-polynomial activation.")
            pieces, degree = fixed_pieces, fixed_degree
        object.__setattr__(self, "widths", widths)
        object.__setattr__(self, "activation", activation)
        object.__setattr__(self, "pieces", pieces)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "_frozen", True)

    # -- immutability and value semantics ---------------------------------------------------
    def __setattr__(self, name, value):
        raise AttributeError("Architecture is immutable; build a new one instead.")

    def __delattr__(self, name):
        raise AttributeError("Architecture is immutable.")

    def _key(self):
        return (self.widths, self.activation, self.pieces, self.degree)

    def __eq__(self, other):
        if not isinstance(other, Architecture):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        extra = (f", pieces={self.pieces}, degree={self.degree}"
                 if self.activation == "piecewise" else "")
        return f"Architecture({list(self.widths)}, {self.activation!r}{extra})"

    def __reduce__(self):
        return (Architecture, (list(self.widths), self.activation,
                               self.pieces if self.activation == "piecewise" else None,
                               self.degree if self.activation == "piecewise" else None))

    # -- counts ----------------------------------------------------------------------------
    @property
    def d0(self):
        """Input dimension ``d0``."""
        return self.widths[0]

    @property
    def k(self):
        """Units per layer ``[k_1, ..., k_L]`` (``k_L = 1``)."""
        return list(self.widths[1:])

    @property
    def L(self):
        """Number of layers of computation units (the output unit is layer ``L``)."""
        return len(self.widths) - 1

    @property
    def U(self):
        """Number of computation units ``U = k_1 + ... + k_L`` (output unit included)."""
        return sum(self.widths[1:])

    @property
    def W_per_layer(self):
        """Parameters (weights + biases) into the units of layer ``i``: ``(k_{i-1} + 1) k_i``.

        This is BHLM Theorem 7's ``W_i`` when the degree is 0 (piecewise-constant activations).
        """
        w = self.widths
        return [(w[i - 1] + 1) * w[i] for i in range(1, len(w))]

    @property
    def W_cumulative(self):
        """Parameters into layers ``1..i`` together, ``i = 1..L`` (last entry ``W``).

        This is BHLM Theorem 7's ``W_i`` when the degree is at least 1 (e.g. ReLU).
        """
        out, total = [], 0
        for w_layer in self.W_per_layer:
            total += w_layer
            out.append(total)
        return out

    @property
    def W(self):
        """Number of parameters ``W`` (weights and biases)."""
        return sum(self.W_per_layer)

    @property
    def W_i_convention(self):
        """Which ``W_i`` BHLM Theorem 7 uses here: ``'per-layer'`` (degree 0), ``'cumulative'``
        (degree >= 1), or ``None`` (sigmoid: Theorem 7 does not apply)."""
        if self.degree is None:
            return None
        return "per-layer" if self.degree == 0 else "cumulative"

    @property
    def W_i(self):
        """BHLM Theorem 7's ``W_i``: :attr:`W_per_layer` if the degree is 0, else
        :attr:`W_cumulative`; ``None`` for the sigmoid (not piecewise polynomial)."""
        if self.degree is None:
            return None
        return self.W_per_layer if self.degree == 0 else self.W_cumulative

    @property
    def sum_W_i(self):
        """``sum_i W_i = Lbar W`` (BHLM Theorem 7), ``None`` for the sigmoid."""
        wi = self.W_i
        return None if wi is None else sum(wi)

    @property
    def Lbar(self):
        """BHLM's effective depth ``Lbar = (1/W) sum_i W_i`` as an exact Fraction (``None`` for the
        sigmoid); ``1 <= Lbar <= L``."""
        s = self.sum_W_i
        return None if s is None else Fraction(s, self.W)

    @property
    def p(self):
        """Number of breakpoints ``p = pieces - 1`` (BHLM Theorem 7's ``p``; ReLU: 1)."""
        return None if self.pieces is None else self.pieces - 1

    @property
    def deg(self):
        """Maximal degree of the activation's pieces (ReLU: 1, threshold: 0, sigmoid: None)."""
        return self.degree

    def layer_factors(self):
        """``[1 + (i - 1) deg^(i-1) for i = 1..L]`` (BHLM Theorem 7; ``0^0 = 1``, so the
        ``i = 1`` factor is 1). ``None`` for the sigmoid."""
        if self.degree is None:
            return None
        return [1 + (i - 1) * self.degree ** (i - 1) for i in range(1, self.L + 1)]

    @property
    def R(self):
        """``R = sum_i k_i (1 + (i - 1) deg^(i-1))`` (BHLM Theorem 7; ``R = U`` when deg = 0).
        ``None`` for the sigmoid."""
        factors = self.layer_factors()
        if factors is None:
            return None
        return sum(k * f for k, f in zip(self.k, factors))

    @property
    def is_piecewise_polynomial(self):
        """Whether BHLM's bounds apply (every activation except the sigmoid)."""
        return self.degree is not None

    def symbol_values(self):
        """``{symbol: value}`` for the symbols of :data:`SYMBOLS` that this architecture fixes."""
        out = {SYMBOLS.W: self.W, SYMBOLS.L: self.L, SYMBOLS.U: self.U, SYMBOLS.d0: self.d0}
        if self.degree is not None:
            out.update({SYMBOLS.Lbar: sympy.Rational(self.Lbar.numerator, self.Lbar.denominator),
                        SYMBOLS.R: self.R, SYMBOLS.p: self.p, SYMBOLS.deg: self.degree})
        return out

    # -- rendering (Result protocol) -------------------------------------------------------
    def title(self):
        return f"Architecture {list(self.widths)} ({self.describe_activation()})"

    def describe_activation(self):
        """Short human description of the activation."""
        if self.activation == "piecewise":
            return (f"piecewise polynomial, {self.pieces} pieces (p = {self.p} breakpoints), "
                    f"degree <= {self.degree}")
        if self.activation == "sigmoid":
            return "sigmoid: not piecewise polynomial"
        return f"{self.activation}: p = {self.p} breakpoint, degree {self.degree}"

    def rows(self):
        rows = [
            ("widths", "widths [d0, k_1, ..., k_L]", list(self.widths)),
            ("activation", "activation", self.activation),
            ("W", "W (parameters: weights + biases)", self.W),
            ("L", "L (layers of units, output = layer L)", self.L),
            ("U", "U (computation units)", self.U),
        ]
        if self.degree is not None:
            rows += [
                ("p", "p (breakpoints = pieces - 1)", self.p),
                ("deg", "deg (degree of the pieces)", self.degree),
                ("W_i", f"W_i ({self.W_i_convention}, BHLM Thm 7)", self.W_i),
                ("sum_W_i", "sum W_i = Lbar W", self.sum_W_i),
                ("Lbar", "Lbar (effective depth)", self.Lbar),
                ("R", "R = sum k_i (1 + (i-1) deg^(i-1))", self.R),
            ]
        return rows

    def _repr_latex_(self):
        parts = [rf"\text{{widths}} = [{', '.join(map(str, self.widths))}]",
                 rf"W = {self.W}", rf"L = {self.L}", rf"U = {self.U}"]
        if self.degree is not None:
            lb = self.Lbar
            parts += [rf"p = {self.p}", rf"\deg = {self.degree}",
                      rf"\bar L = \tfrac{{{lb.numerator}}}{{{lb.denominator}}}"
                      if lb.denominator != 1 else rf"\bar L = {lb.numerator}",
                      rf"R = {self.R}"]
        act = self.activation.replace("_", r"\_")
        return r"$\text{Architecture (" + act + r")}:\ " + r",\ ".join(parts) + "$"
