"""Exact ReLU networks: layered, sparse, with rational weights of any size.

A :class:`ReLUNetwork` is a layered feed-forward network in the notation of Section 1.3 of the
paper: ``h_1 = relu(W_1 x + b_1)``, ..., ``h_{L-1} = relu(W_{L-1} h_{L-2} + b_{L-1})`` and the
output ``y = W_L h_{L-1} + b_L`` (no activation on the last layer). Every weight and bias is an
exact rational (``int`` or :class:`fractions.Fraction`, of any size). Layers are stored sparsely:
each unit keeps the list of its incoming edges ``(source, weight)``.

Size conventions (the paper's, Section 1.3: "the number of non-zero connections between
layers"):

- :attr:`ReLUNetwork.nonzero_weights` -- edges whose weight is nonzero (the solver's size);
- :attr:`ReLUNetwork.weight_slots` -- stored edges, zero or not (the architecture's support; a
  construction whose support does not depend on the labelling has the same slots for every
  labelling, while some of its weights may vanish for a particular one);
- :attr:`ReLUNetwork.parameters` -- nonzero weights plus one bias per unit (hidden and output).

Exact evaluation (:meth:`ReLUNetwork.evaluate`) accepts ints, Fractions and decimal strings (read
exactly: ``'0.1'`` is 1/10). Float evaluation is offered only when every weight and bias is a
double or a ratio of two integers below 2^53 (so its double is correct to half an ulp); otherwise
it is refused, because the networks of :mod:`vcbound.constructions` store labels in the low bits
of weights with hundreds of bits, which a double would silently destroy.

Networks are saved losslessly as JSON (exact numerators/denominators as decimal strings; no
pickle) by :meth:`ReLUNetwork.save` and read back by :func:`load_network`.

Examples
--------
>>> from fractions import Fraction
>>> net = ReLUNetwork(2, [[[(0, 1), (1, -1)], [(0, -1), (1, 1)]], [[(0, 1), (1, 1)]]],
...                   [[0, 0], [0]])           # |x_0 - x_1|
>>> net.evaluate(["0.3", Fraction(1, 10)])
Fraction(1, 5)
>>> net.widths, net.depth, net.nonzero_weights, net.parameters
([2, 2, 1], 2, 6, 9)
"""

import json
import math
import numbers
from fractions import Fraction

from ._validation import check_integer, fmt_value, to_rational
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["ReLUNetwork", "load_network", "FORMAT_NAME"]

#: The ``format`` field of the JSON files written by :meth:`ReLUNetwork.save`.
FORMAT_NAME = "vcbound.ReLUNetwork"
_FORMAT_VERSION = 1
_DOUBLE_EXACT = 2**53
#: evaluate(x, exact=False) refuses when a rounding-error bound exceeds this times (1 + |value|).
FLOAT_TOLERANCE = 1e-9


def _rational(value, what):
    """An exact int/Fraction from an int, Fraction, integral float or 'p/q' / decimal string."""
    if isinstance(value, bool):
        raise VCBoundTypeError(f"{what} must be a rational number, not {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, numbers.Integral):
        return int(value)
    q = to_rational(what, value)
    return q.numerator if q.denominator == 1 else q


def _fits_double(q):
    """True when ``float(q)`` is within half an ulp of ``q``: ``q`` is a double, or numerator and
    denominator are both below 2^53 (one correctly rounded division)."""
    q = Fraction(q)
    num, den = abs(q.numerator), q.denominator
    if num < _DOUBLE_EXACT and den < _DOUBLE_EXACT:
        return True
    try:
        f = float(q)
    except OverflowError:
        return False
    return math.isfinite(f) and Fraction(f) == q


def _encode(q):
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _decode(text, what):
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise VCBoundError(f"{what} must be an exact number written as a string 'p' or 'p/q', "
                           f"not {fmt_value(text)}.")
    try:
        num, _, den = text.partition("/")
        q = Fraction(int(num), int(den)) if den else Fraction(int(num))
    except (ValueError, ZeroDivisionError):
        raise VCBoundError(f"{what} must be an exact number 'p' or 'p/q', not {text!r}.") from None
    return q.numerator if q.denominator == 1 else q


class ReLUNetwork:
    """A layered ReLU network with exact rational weights (see the module docstring).

    Parameters
    ----------
    input_dim : int
        Number of inputs (at least 1).
    layers : list of list of list of (int, rational)
        ``layers[l][u]`` is the list of incoming edges ``(source, weight)`` of unit ``u`` of layer
        ``l``; sources index the previous layer's units (the inputs for ``l = 0``). The last
        layer is the output (identity activation); the others apply ReLU. Zero weights are kept
        as slots (see :attr:`weight_slots`).
    biases : list of list of rational
        ``biases[l][u]``, one per unit.
    names : list of str, optional
        A short name per layer (``'quantiser ramps'``, ...), shown by :meth:`summary`.
    construction : object, optional
        What the network was built for (set by :mod:`vcbound.constructions`; used by
        :meth:`verify`).

    Raises
    ------
    VCBoundError
        Sources out of range, a source repeated within a unit, mismatched bias lists, or
        non-rational weights.

    Examples
    --------
    >>> net = ReLUNetwork(1, [[[(0, 2)]], [[(0, 1)]]], [[-1], [0]])    # relu(2 x - 1)
    >>> net.evaluate(["0.75"]), net.evaluate([0])
    (Fraction(1, 2), 0)
    """

    def __init__(self, input_dim, layers, biases, names=None, construction=None):
        self.input_dim = check_integer("input_dim", input_dim, 1)
        if not isinstance(layers, (list, tuple)) or not layers:
            raise VCBoundError("Argument 'layers' must be a non-empty list of layers.")
        if not isinstance(biases, (list, tuple)) or len(biases) != len(layers):
            raise VCBoundError(f"Argument 'biases' must have one list per layer ({len(layers)}).")
        prev = self.input_dim
        self.layers, self.biases = [], []
        for li, (units, bias) in enumerate(zip(layers, biases)):
            if len(units) != len(bias) or not units:
                raise VCBoundError(f"Layer {li} has {len(units)} units but {len(bias)} biases "
                                   f"(every layer needs at least one unit and one bias each).")
            rows = []
            for ui, edges in enumerate(units):
                seen = set()
                row = []
                for edge in edges:
                    src, w = edge
                    src = int(src)
                    if not 0 <= src < prev or src in seen:
                        raise VCBoundError(f"Layer {li}, unit {ui}: source {src} is out of range "
                                           f"0..{prev - 1} or repeated.")
                    seen.add(src)
                    row.append((src, _rational(w, f"Weight of layer {li}, unit {ui}")))
                rows.append(tuple(row))
            self.layers.append(rows)
            self.biases.append([_rational(b, f"Bias of layer {li}") for b in bias])
            prev = len(units)
        self.names = list(names) if names is not None else [""] * len(self.layers)
        if len(self.names) != len(self.layers):
            raise VCBoundError("Argument 'names' must give one name per layer.")
        self.construction = construction

    # ------------------------------------------------------------------ sizes
    @property
    def depth(self):
        """Number of affine layers L (hidden layers + the output layer; BHLM's L)."""
        return len(self.layers)

    @property
    def widths(self):
        """``[input_dim, k_1, ..., k_L]`` (units per layer, output last)."""
        return [self.input_dim] + [len(layer) for layer in self.layers]

    @property
    def nonzero_weights(self):
        """Edges with a nonzero weight: the size of the paper (Section 1.3) and of the solver."""
        return sum(1 for layer in self.layers for row in layer for _s, w in row if w != 0)

    @property
    def weight_slots(self):
        """Stored edges, zero or not (the support of the architecture)."""
        return sum(len(row) for layer in self.layers for row in layer)

    @property
    def units(self):
        """Number of non-input units (hidden and output), i.e. of biases."""
        return sum(len(layer) for layer in self.layers)

    @property
    def parameters(self):
        """Nonzero weights plus one bias per (hidden or output) unit."""
        return self.nonzero_weights + self.units

    @property
    def max_weight_bits(self):
        """Largest bit length of a numerator or denominator among weights and biases."""
        best = 0
        for layer, bias in zip(self.layers, self.biases):
            for row in layer:
                for _s, w in row:
                    q = Fraction(w)
                    best = max(best, abs(q.numerator).bit_length(), q.denominator.bit_length())
            for b in bias:
                q = Fraction(b)
                best = max(best, abs(q.numerator).bit_length(), q.denominator.bit_length())
        return best

    def float_safe(self):
        """True when every weight and bias is a double, or a ratio of integers below 2^53."""
        return all(_fits_double(w) for layer in self.layers for row in layer for _s, w in row) \
            and all(_fits_double(b) for bias in self.biases for b in bias)

    # ------------------------------------------------------------------ evaluation
    def _read_points(self, x):
        """A list of points (lists of exact rationals) and whether a single point was given."""
        if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
            x = x.tolist()
        if isinstance(x, (str, bytes)) or not isinstance(x, (list, tuple)):
            raise VCBoundTypeError(f"Argument 'x' must be a point (a list of {self.input_dim} "
                                   f"numbers) or a list of points, not {fmt_value(x)}.")
        single = not x or not isinstance(x[0], (list, tuple))
        pts = [x] if single else list(x)
        out = []
        for p in pts:
            if len(p) != self.input_dim:
                raise VCBoundError(f"Argument 'x' must have {self.input_dim} coordinates per "
                                   f"point, not {len(p)}.")
            out.append([_rational(v, "Argument 'x'") for v in p])
        return out, single

    def evaluate(self, x, exact=True):
        """The network's output at ``x``.

        Parameters
        ----------
        x : sequence of numbers, or sequence of points
            Ints, Fractions, decimal strings (read exactly) or floats (read as the decimal they
            print as, ``0.1 -> 1/10``); a numpy array works too.
        exact : bool, default True
            True: exact rational arithmetic. False: float64 (only when :meth:`float_safe`), a
            sanity check, never a proof.

        Returns
        -------
        Fraction/int (one output, one point), list (several outputs or points), or a numpy
        array for ``exact=False`` with several points.

        Raises
        ------
        VCBoundError
            Wrong number of coordinates; ``exact=False`` on a network with weights a double
            cannot hold.

        Examples
        --------
        >>> net = ReLUNetwork(1, [[[(0, 1)]], [[(0, -3)]]], [[0], [1]])
        >>> net.evaluate([[2], ["1/3"]])
        [-5, 0]
        """
        if not exact:
            return self._evaluate_float(x)
        pts, single = self._read_points(x)
        vals = [list(p) for p in pts]
        last = len(self.layers) - 1
        for li, (layer, bias) in enumerate(zip(self.layers, self.biases)):
            new = []
            for p in vals:
                row_out = []
                for row, b in zip(layer, bias):
                    z = b
                    for s, w in row:
                        v = p[s]
                        if v:
                            z += w * v
                    if li != last and z < 0:
                        z = 0
                    if isinstance(z, Fraction) and z.denominator == 1:
                        z = z.numerator
                    row_out.append(z)
                new.append(row_out)
            vals = new
        outs = [v[0] if len(v) == 1 else v for v in vals]
        return outs[0] if single else outs

    def _evaluate_float(self, x):
        import numpy as np

        self._require_float()
        pts, single = self._read_points(x)
        X = np.array([[float(v) for v in p] for p in pts], dtype=np.float64)
        out, err = self.float_forward(X)
        bad = err > FLOAT_TOLERANCE * (1 + np.abs(out))
        if bad.any():
            i = int(np.flatnonzero(bad.any(axis=1))[0])
            raise VCBoundError(
                f"A float evaluation would lose precision at point {i}: the rounding-error bound "
                f"is {float(err[bad][0]):.3g}, more than {FLOAT_TOLERANCE:g} (1 + |value|) (this "
                f"network amplifies rounding errors, e.g. by 2^B in bit extraction). Use "
                f"evaluate(x) (exact) instead.")
        if single:
            return float(out[0, 0]) if out.shape[1] == 1 else out[0]
        return out[:, 0] if out.shape[1] == 1 else out

    def _require_float(self):
        if not self.float_safe():
            raise VCBoundError(
                f"This network's weights do not fit in doubles (largest numerator or denominator "
                f"has {self.max_weight_bits} bits; a double holds 53): a float evaluation would "
                f"lose precision. Use evaluate(x) (exact) instead.")

    def float_forward(self, X):
        """float64 forward pass of an (N, input_dim) array, with a rounding-error bound.

        The bound is the standard forward error analysis of a dot product (Higham, *Accuracy and
        Stability of Numerical Algorithms*, 2nd ed., eq. (3.5)): a row with k terms computed in
        floats from values with errors e has error at most
        ``abs(W) e + gamma_{k+2} (abs(W) abs(a) + abs(b))``, ``gamma_j = j u / (1 - j u)``,
        ``u = 2^-53`` (the + 2 covers the rounding of the weights and of the bias to doubles);
        ReLU does not increase errors. The inputs X are taken as exact.
        The bound is itself computed in floats and then enlarged by 1%.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Outputs (N, k_L) and error bounds of the same shape.

        Raises
        ------
        VCBoundError
            Weights that do not fit doubles (:meth:`float_safe`).
        """
        import numpy as np

        self._require_float()
        X = np.asarray(X, dtype=np.float64)
        A, E = X, np.zeros_like(X)
        last = len(self.layers) - 1
        u = 2.0**-53
        for li, mats in enumerate(self._float_matrices()):
            k = mats[-1]
            gamma = (k + 2) * u / (1 - (k + 2) * u)
            Z = _sparse_apply(mats, A, signed=True)
            mag = _sparse_apply(mats, np.abs(A), signed=False)
            E = _sparse_apply(mats, E, signed=False, bias=False) + gamma * mag
            A = Z
            if li != last:
                np.maximum(A, 0.0, out=A)
        return A, E * 1.01

    def _float_forward(self, X):
        return self.float_forward(X)[0]

    def _float_matrices(self):
        """Per layer: (row index of each nonempty row, start of each such row in the edge
        arrays, sources, weights, |weights|, biases, edges per unit) as float64 numpy arrays."""
        import numpy as np

        if getattr(self, "_float_cache", None) is None:
            mats = []
            for layer, bias in zip(self.layers, self.biases):
                cols, vals, starts, nonempty = [], [], [], []
                for u, row in enumerate(layer):
                    if row:
                        nonempty.append(u)
                        starts.append(len(cols))
                    for s, w in row:
                        cols.append(s)
                        vals.append(float(w))
                vals = np.array(vals, dtype=np.float64)
                k = np.array([len(row) for row in layer], dtype=np.float64)
                mats.append((np.array(nonempty, dtype=np.int64), np.array(starts, dtype=np.int64),
                             np.array(cols, dtype=np.int64), vals, np.abs(vals),
                             np.array([float(b) for b in bias]), len(layer), k))
            self._float_cache = mats
        return self._float_cache

    def to_numpy(self, dtype="float64", max_entries=10**7):
        """Dense ``(W_l, b_l)`` pairs, one per layer (``W_l`` of shape (k_l, k_{l-1})).

        Parameters
        ----------
        dtype : {'float64', 'object'}
            ``'object'`` keeps the exact ints/Fractions; ``'float64'`` needs :meth:`float_safe`.
        max_entries : int
            Refuse when a dense matrix would have more entries (these networks are sparse).

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)

        Examples
        --------
        >>> net = ReLUNetwork(1, [[[(0, 2)]], [[(0, 1)]]], [[-1], [0]])
        >>> [W.tolist() for W, _ in net.to_numpy()]
        [[[2.0]], [[1.0]]]
        """
        import numpy as np

        if dtype not in ("float64", "object"):
            raise VCBoundError(f"Argument 'dtype' must be 'float64' or 'object', not {dtype!r}.")
        widths = self.widths
        biggest = max(a * b for a, b in zip(widths, widths[1:]))
        if biggest > max_entries:
            raise VCBoundError(f"A dense layer would have {biggest} entries, more than "
                               f"max_entries = {max_entries}; use the sparse layers instead.")
        if dtype == "float64":
            self._require_float()
        out = []
        for li, (layer, bias) in enumerate(zip(self.layers, self.biases)):
            W = np.zeros((widths[li + 1], widths[li]), dtype=dtype)
            for u, row in enumerate(layer):
                for s, w in row:
                    W[u, s] = float(w) if dtype == "float64" else w
            b = np.array([float(v) if dtype == "float64" else v for v in bias], dtype=dtype)
            out.append((W, b))
        return out

    def sub_network(self, start):
        """The layers ``start, start+1, ...`` as a network whose inputs are layer ``start - 1``'s
        units (``start >= 1``)."""
        start = check_integer("start", start, 1, self.depth - 1)
        return ReLUNetwork(len(self.layers[start - 1]), self.layers[start:], self.biases[start:],
                           names=self.names[start:])

    # ------------------------------------------------------------------ verification
    def verify(self, **kwargs):
        """Exact robustness proof for the construction this network was built for
        (:func:`vcbound.constructions.verify_robust`)."""
        if self.construction is None:
            raise VCBoundError("This network carries no construction to verify against; use "
                               "vcbound.constructions.verify_robust(network, construction).")
        from .constructions import verify_robust

        return verify_robust(self, self.construction, **kwargs)

    # ------------------------------------------------------------------ display
    def summary(self):
        """Multi-line text: widths, sizes and one line per layer."""
        lines = [f"ReLUNetwork: input {self.input_dim}, depth {self.depth}, "
                 f"{self.nonzero_weights} nonzero weights ({self.weight_slots} slots), "
                 f"{self.parameters} parameters, weights up to {self.max_weight_bits} bits"]
        for li, layer in enumerate(self.layers):
            kind = "output (linear)" if li == self.depth - 1 else "ReLU"
            nz = sum(1 for row in layer for _s, w in row if w != 0)
            name = f" {self.names[li]}" if self.names[li] else ""
            lines.append(f"  layer {li + 1}: {len(layer)} units {kind}, {nz} nonzero weights"
                         f"{name}")
        return "\n".join(lines)

    def __repr__(self):
        return (f"ReLUNetwork(widths={_short_list(self.widths)}, "
                f"nonzero_weights={self.nonzero_weights}, parameters={self.parameters})")

    __str__ = summary

    def _repr_html_(self):
        import html

        rows = "".join(
            f"<tr><td>{li + 1}</td><td>{len(layer)}</td><td>"
            f"{'output' if li == self.depth - 1 else 'ReLU'}</td><td>"
            f"{sum(1 for row in layer for _s, w in row if w != 0)}</td><td>"
            f"{html.escape(self.names[li])}</td></tr>"
            for li, layer in enumerate(self.layers))
        return (f"<b>ReLUNetwork</b>: input {self.input_dim}, depth {self.depth}, "
                f"{self.nonzero_weights} nonzero weights, {self.parameters} parameters"
                f"<table><tr><th>layer</th><th>units</th><th>activation</th>"
                f"<th>nonzero weights</th><th>role</th></tr>{rows}</table>")

    # ------------------------------------------------------------------ I/O
    def to_json_dict(self):
        """The network as a JSON-safe dict of exact numbers ('p' or 'p/q' strings)."""
        return {
            "format": FORMAT_NAME, "version": _FORMAT_VERSION, "input_dim": self.input_dim,
            "names": self.names,
            "layers": [{"edges": [[[s, _encode(w)] for s, w in row] for row in layer],
                        "biases": [_encode(b) for b in bias]}
                       for layer, bias in zip(self.layers, self.biases)],
        }

    def save(self, path):
        """Write the network to ``path`` as JSON (lossless; read back with
        :func:`load_network`)."""
        try:
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(self.to_json_dict(), fh)
        except OSError as exc:
            raise VCBoundError(f"Cannot write network file {str(path)!r}: {exc.strerror}.") \
                from None

    def __eq__(self, other):
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return (self.input_dim == other.input_dim and self.layers == other.layers
                and self.biases == other.biases)

    __hash__ = None


def _sparse_apply(mats, A, signed, bias=True):
    """``A @ W.T (+ b)`` for a sparse layer, numpy only, in batches of rows of ``A``."""
    import numpy as np

    nonempty, starts, cols, vals, absvals, b, units, _k = mats
    w = vals if signed else absvals
    out = np.zeros((A.shape[0], units))
    if bias:
        out += b if signed else np.abs(b)
    if len(cols):
        step = max(1, 2**22 // len(cols))
        for i in range(0, A.shape[0], step):
            contrib = A[i:i + step][:, cols] * w
            out[i:i + step, nonempty] += np.add.reduceat(contrib, starts, axis=1)
    return out


def _short_list(xs, limit=8):
    if len(xs) <= limit:
        return str(xs)
    return "[" + ", ".join(map(str, xs[:4])) + f", ... ({len(xs) - 6} more), " + \
        ", ".join(map(str, xs[-2:])) + "]"


def load_network(path):
    """Read a network written by :meth:`ReLUNetwork.save`.

    Raises
    ------
    VCBoundError
        Missing or unreadable file, or a file that is not a vcbound network.

    Examples
    --------
    >>> import tempfile, os
    >>> net = ReLUNetwork(1, [[[(0, "1/3")]], [[(0, 10**30)]]], [[0], [1]])
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> net.save(path)
    >>> load_network(path) == net
    True
    """
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise VCBoundError(f"Cannot read network file {str(path)!r}: {exc.strerror}.") from None
    except ValueError:
        raise VCBoundError(f"Network file {str(path)!r} is not JSON.") from None
    return network_from_dict(data, str(path))


def network_from_dict(data, where="the data"):
    """Inverse of :meth:`ReLUNetwork.to_json_dict`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise VCBoundError(f"{where} is not a vcbound network (no 'format': {FORMAT_NAME!r}).")
    if data.get("version") != _FORMAT_VERSION:
        raise VCBoundError(f"{where} has network format version {data.get('version')!r}; this "
                           f"vcbound reads version {_FORMAT_VERSION}.")
    try:
        layers = [[[(int(s), _decode(w, "A weight")) for s, w in row] for row in layer["edges"]]
                  for layer in data["layers"]]
        biases = [[_decode(b, "A bias") for b in layer["biases"]] for layer in data["layers"]]
        return ReLUNetwork(int(data["input_dim"]), layers, biases, names=data.get("names"))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, VCBoundError):
            raise
        raise VCBoundError(f"{where} is not a valid vcbound network ({exc}).") from None
