"""Explicit robust ReLU networks for the sets of Theorem 4.3: the upper side of the size bracket.

The paper proves a lower bound N_d on the size of a ReLU network that robustly classifies the sets
A_phi, B_phi of its Theorem 4.3 for *every* labelling phi; it gives no network. This module builds
one, with exact rational weights, for any labelling, and proves it correct exactly
(:func:`verify_robust`). Its nonzero-weight count :func:`upper_bound` does not depend on phi, so
every size vcbound prints comes as a certified bracket

    N_d  <=  (smallest size that works for every phi)  <=  N_upper.

Setting (the proof sketch of Theorem 4.3, Section 4.3 of the paper). K = floor(1/(2 eps)); the
grid values per axis are g_i = i/K with i = 1..K (``points='paper'``, the paper's grid) or
i = 0..K (``points='sharp'``, the denser 2eps-separated grid, derived here: consecutive values
are 1/K >= 2 eps apart). m = d - 1 grid coordinates, K' values per axis, n = K'^m columns. A
labelling phi assigns +-1 to each column; S_phi lifts column i to the point
(g_{i_1}, ..., g_{i_m}, 1/2 + eps0 phi(i)), and A_phi / B_phi are the lifted points above / below
x_d = 1/2, i.e. the label of a lifted point is phi of its column. Robust radius r = c eps with
0 <= c < 1, l_inf (hence also l_2, whose balls lie inside the l_inf balls of the same radius).

**Zero robust error** (Definition 3.1 of the paper, on the uniform distribution over the finite
set S_phi): for every lifted point p with label y and every x' with ||x' - p||_inf <= r,
sgn f(x') = y. The ball around p is the box prod_k [g_{i_k} - r, g_{i_k} + r] times
[1/2 + eps0 phi(i) - r, 1/2 + eps0 phi(i) + r] in x_d. The networks below never read x_d, so the
x_d side of the box (which for c eps > eps0 crosses the hyperplane x_d = 1/2 and overlaps the
x_d range of the other class) is irrelevant: the label is decided by the column alone, and the
boxes of different columns are disjoint because 1/K - 2r >= 2 eps (1 - c) > 0. Any eps0 in
(0, eps) works; :func:`robust_network` records eps0 = c eps / 2 (eps / 2 when c = 0) only for
the spot checks. Every network outputs exactly +-1 on every ball (never 0).

Constructions (derived here; the quantiser and the spline are elementary, the bit extraction
follows Bartlett, Maiorov, Meir, *Almost linear VC dimension bounds for piecewise polynomial
networks*, Neural Computation 10(8), 1998, and Vardi, Yehudai, Shamir, *On the optimal
memorization power of ReLU neural networks*, ICLR 2022):

1. **Quantiser** (layers 1-2). Between consecutive grid values g < g' of one axis a ramp
   relu(s (t - a)) - relu(s (t - a) - 1), a = g + r, s = 1/(g' - g - 2r); the ramps of axis k sum
   to the column index i_k - i_min on all of [g_{i_k} - r, g_{i_k} + r]. Layer 2 is one unit
   T = relu(sum_k K'^(m-k) (index_k)), exactly the column's row number t in 0..n-1 (row order of
   :class:`vcbound.grid.Grid`: lexicographic, last index fastest). 2 m (K' - 1) ramp units,
   4 m (K' - 1) nonzero weights.
2. ``method='spline'``: the labels y_0..y_{n-1} as the piecewise-linear function of t through the
   points (t, y_t): h(t) = y_0 + (y_1 - y_0) relu(t) + sum_{j=1}^{n-2} (y_{j+1} - 2 y_j + y_{j-1})
   relu(t - j). Layers: quantiser, T, n - 1 knot units, output: depth 4 (3 hidden layers -- the
   single-unit layer T keeps the knots at one weight each; without it every knot would read all
   ramps and the count would be O(n m K)). 4 m (K' - 1) + 2 (n - 1) weight slots.
3. ``method='bits'``: blocks of B labels stored as B-bit integers W_q (bit j of block q, most
   significant first, is (y_{qB+j} + 1)/2). Integer steps [t >= k B] = relu(t - kB + 1) -
   relu(t - kB) select W = W_{q(t)} and the offset o = t - B q(t); then B rounds of
   bit = [X >= 2^(B-1)] (again a difference of two ReLUs, exact on integers), X <- 2 X - 2^B bit,
   each adding ``relu(bit - |o - j|) = bit AND [o = j]`` to an accumulator; the output is
   2 acc - 1. All weights are integers (up to B bits), all values on the grid are integers, so
   the network is exact; with B ~ sqrt(n/3) it has about 2 sqrt(108 n) + 4 m (K' - 1) weights:
   the exponent of n is 1/2, the same as the union-route lower bound of :mod:`vcbound.routes`
   (up to log factors), where the paper leaves (d-1)/6 .. (d-1) open. Exact counts in
   :func:`bits_count`; B is chosen to minimise it (:func:`best_block_length`).

References
----------
Li, Jin, Zhong, Hopcroft, Wang, NeurIPS 2022: Definition 3.1, Theorem 4.3 and its proof sketch
(Section 4.3), Theorem 2.2 (:func:`memorize`). Bartlett, Maiorov, Meir (1998); Vardi, Yehudai,
Shamir (ICLR 2022).
"""

import functools
import math
import time
from fractions import Fraction

from ._result import Result
from ._validation import check_choice, check_eps, check_integer, check_real, fmt_value
from .errors import VCBoundError, VCBoundTypeError
from .network import ReLUNetwork

__all__ = ["robust_network", "upper_bound", "upper_bound_details", "verify_robust", "bracket",
           "memorize", "make_labels", "RobustConstruction", "Verification", "UpperBound",
           "spline_count", "bits_count", "best_block_length", "quantiser_count",
           "MAX_BUILD_POINTS", "FULL_CHECK_LIMIT"]

#: Largest number of columns n for which :func:`robust_network` builds a network.
MAX_BUILD_POINTS = 2**22
#: :func:`verify_robust` checks every column when n is at most this (else a seeded sample).
FULL_CHECK_LIMIT = 10**5
_METHODS = ("bits", "spline")
_POINTS = ("paper", "sharp")


# ---------------------------------------------------------------------------------------------
# parameters
# ---------------------------------------------------------------------------------------------
def _check_c(c):
    return check_real("c", c, 0, 1, high_open=True)


def _grid_shape(d, eps, points):
    """(K, K', offset, m, n): K = floor(1/(2 eps)), K' values per axis starting at index
    ``offset`` (1 paper, 0 sharp), m = d - 1, n = K'^m."""
    K = math.floor(1 / (2 * eps))
    offset = 1 if points == "paper" else 0
    Kp = K if points == "paper" else K + 1
    m = d - 1
    return K, Kp, offset, m, Kp ** m


def _check_common(d, eps, c, method, points):
    d = check_integer("d", d, 2)
    eps = check_eps(eps)
    c = _check_c(c)
    method = check_choice("method", method, _METHODS)
    points = check_choice("points", points, _POINTS)
    return d, eps, c, method, points


# ---------------------------------------------------------------------------------------------
# exact counts (formulas; tests compare them with the built networks)
# ---------------------------------------------------------------------------------------------
def quantiser_count(m, Kp):
    """Nonzero weights of the quantiser and the index unit T: 4 m (K' - 1) (derived here).

    Each of the m axes has K' - 1 ramps of two units; each unit has one weight from its input
    and one into T.

    >>> quantiser_count(2, 5)
    32
    """
    return 4 * m * (Kp - 1)


def spline_count(m, Kp):
    """Weight slots of the spline construction: 4 m (K' - 1) + 2 (n - 1), n = K'^m (derived
    here); 0 when n = 1 (a constant network).

    >>> spline_count(1, 5)      # d = 2, eps = 1/10, paper grid: 16 + 8
    24
    """
    n = Kp ** m
    if n == 1:
        return 0
    return quantiser_count(m, Kp) + 2 * (n - 1)


def _bits_tail(n, B):
    """Weight slots after T of the bit-extraction part (derived here, see the module docstring):
    B = 1: 4 (n - 1) + 1; B >= 2: 6 ceil(n/B) + 18 B - 19."""
    if B == 1:
        return 4 * (n - 1) + 1
    nb = -(-n // B)
    return 6 * nb + 18 * B - 19


def bits_count(m, Kp, B):
    """Weight slots of the bit-extraction construction with block length ``B`` (derived here):
    4 m (K' - 1) + 6 ceil(n/B) + 18 B - 19 for 2 <= B <= n, 4 m (K' - 1) + 4 (n - 1) + 1 for
    B = 1; 0 when n = 1.

    >>> bits_count(2, 5, 3)     # n = 25: 32 + 6*9 + 54 - 19
    121
    """
    n = Kp ** m
    if n == 1:
        return 0
    B = check_integer("B", B, 1, n)
    return quantiser_count(m, Kp) + _bits_tail(n, B)


#: At most this many block lengths are tried around sqrt(n/3) (see best_block_length).
MAX_B_CANDIDATES = 2_000


def best_block_length(n):
    """The block length B minimising :func:`bits_count` for n columns, and whether it is the
    proved minimiser.

    f(B) = 6 ceil(n/B) + 18 B lies between g(B) = 6 n/B + 18 B (convex, least at sqrt(n/3)) and
    g(B) + 6, so only B with g(B) <= f(B_0) can beat a candidate B_0; those form an interval
    found with exact integer square roots. It is scanned completely when it holds at most
    :data:`MAX_B_CANDIDATES` integers (all n below about 10^13), otherwise the candidates nearest
    sqrt(n/3) are scanned and the result is the best of those -- still an exact count of a
    network that exists, only perhaps not the smallest such (``proved_minimal`` False).

    Returns
    -------
    (int, bool)
        ``(B, proved_minimal)``.

    Examples
    --------
    >>> best_block_length(25)
    (3, True)
    >>> best_block_length(5**9)
    (793, True)
    """
    n = check_integer("n", n, 2)
    B0 = max(2, min(n, math.isqrt(n // 3)))
    cands = {1, 2, n, B0, min(n, B0 + 1)}
    best = min(cands, key=lambda b: (_bits_tail(n, b), b))
    F0 = _bits_tail(n, best) + 19           # compare 6 ceil(n/B) + 18 B
    # 18 B^2 - F0 B + 6 n <= 0
    disc = F0 * F0 - 432 * n
    if disc >= 0:
        root = math.isqrt(disc)
        lo = max(2, (F0 - root - 1) // 36)
        hi = min(n, (F0 + root + 1) // 36 + 1)
        proved = hi - lo + 1 <= MAX_B_CANDIDATES
        if not proved:
            centre = math.isqrt(n // 3)
            lo = max(lo, centre - MAX_B_CANDIDATES // 2)
            hi = min(hi, lo + MAX_B_CANDIDATES)
        best_count = _bits_tail(n, best)
        for b in range(lo, hi + 1):
            count = _bits_tail(n, b)
            if (count, b) < (best_count, best):
                best, best_count = b, count
    else:
        proved = True
    return best, proved


class UpperBound(Result):
    """The size of the explicit robust construction for (d, eps, c, method, points), without
    building it (:func:`upper_bound_details`).

    Attributes
    ----------
    nonzero_weights : int or BigNumber
        Weight slots of the construction: for every labelling phi the network has at most this
        many nonzero weights, and some phi uses all of them. Exact int; for astronomically large
        n a BigNumber rounded up.
    method, points : str
    B : int or None
        Block length (bits method).
    B_proved_minimal : bool or None
    K, Kp, n, depth : int
    """

    _meanings = {
        "B_proved_minimal": "whether this block length is proved to minimise the weight count",
        "log10_nonzero_weights": "log10 of N_upper, rounded up",
    }

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def title(self):
        return (f"Explicit robust network for d = {self.d}, eps = {self.eps}, c = {self.c}: "
                f"method {self.method}, {self.points} grid")

    def rows(self):
        from ._numbers import BigNumber

        value = self.nonzero_weights
        big = value if isinstance(value, BigNumber) else BigNumber(exact=value, bound="upper")
        rows = [("d", "d", self.d), ("eps", "eps", self.eps), ("c", "c", self.c),
                ("K", "K = floor(1/(2 eps))", self.K), ("values_per_axis", "values per axis",
                                                        self.Kp),
                ("n", "columns n", BigNumber(exact=self.n) if self.n is not None else "huge"),
                ("method", "method", self.method), ("points", "grid", self.points),
                ("B", "block length B", self.B if self.B is not None else "n/a"),
                ("B_proved_minimal", "B minimises the count", self.B_proved_minimal
                 if self.B is not None else "n/a"),
                ("depth", "depth (affine layers)", self.depth),
                ("nonzero_weights", "N_upper (nonzero weights)", big),
                ("log10_nonzero_weights", "log10 N_upper (rounded up)",
                 _log10_up(big) if value != 0 else "n/a")]
        return rows


#: Above this bit length of n, counts are computed in the log domain (rounded up).
_EXACT_N_BITS = 4096


def upper_bound_details(d, eps, *, c="1/2", method="bits", points="paper"):
    """:func:`upper_bound` with the block length, depth and grid sizes (an :class:`UpperBound`).

    Examples
    --------
    >>> r = upper_bound_details(10, "0.1")
    >>> r.method, r.K, r.B, r.nonzero_weights
    ('bits', 5, 793, 29177)
    """
    d, eps, c, method, points = _check_common(d, eps, c, method, points)
    K, Kp, offset, m, n_log_bits = _shape_light(d, eps, points)
    fields = dict(d=d, eps=eps, c=c, method=method, points=points, K=K, Kp=Kp)
    if Kp == 1:
        return UpperBound(nonzero_weights=0, n=1, B=None, B_proved_minimal=None, depth=1,
                          **fields)
    if n_log_bits > _EXACT_N_BITS:
        return _upper_bound_log(m, Kp, fields)
    n = Kp ** m
    if method == "spline":
        return UpperBound(nonzero_weights=spline_count(m, Kp), n=n, B=None,
                          B_proved_minimal=None, depth=4, **fields)
    B, proved = best_block_length(n)
    depth = 4 if B == 1 else 5 + B + 1
    return UpperBound(nonzero_weights=bits_count(m, Kp, B), n=n, B=B, B_proved_minimal=proved,
                      depth=depth, **fields)


def _shape_light(d, eps, points):
    K = math.floor(1 / (2 * eps))
    Kp = K if points == "paper" else K + 1
    m = d - 1
    return K, Kp, (1 if points == "paper" else 0), m, m * max(1, Kp.bit_length())


def _upper_bound_log(m, Kp, fields):
    """Counts for astronomically large n as BigNumbers holding rigorous upper bounds of log2."""
    import mpmath

    from ._numbers import BigNumber, round_up

    with mpmath.workprec(160):
        log2n = m * mpmath.log(Kp, 2)
        q = mpmath.mpf(quantiser_count(m, Kp))
        if fields["method"] == "spline":
            # 4m(K'-1) + 2(n - 1) < 2 n (1 + q / (2n)); log2 <= 1 + log2 n + q/(2n ln 2)
            val = 1 + log2n + q / mpmath.power(2, log2n)
            return UpperBound(nonzero_weights=BigNumber(log2=round_up(val), bound="upper"), n=None, B=None,
                              B_proved_minimal=None, depth=4, **fields)
        # with B = ceil(sqrt(n/3)): 6 ceil(n/B) + 18 B - 19 <= 6 n/B + 18 B + 5
        # <= 2 sqrt(108 n) + 23, so the count is < 2 sqrt(108 n) (1 + (q + 23)/(2 sqrt(108 n)));
        # log2 <= log2(2 sqrt(108 n)) + x / ln 2 with x = (q + 23)/(2 sqrt(108 n))
        half = log2n / 2 + mpmath.log(2 * mpmath.sqrt(108), 2)
        val = half + (q + 23) / (mpmath.power(2, half) * mpmath.log(2))
        B_log2 = (log2n - mpmath.log(3, 2)) / 2
    return UpperBound(nonzero_weights=BigNumber(log2=round_up(val), bound="upper"), n=None,
                      B=f"ceil(sqrt(n/3)) ~ 2^{mpmath.nstr(B_log2, 8)}", B_proved_minimal=False,
                      depth="B + 6", **fields)


def upper_bound(d, eps, *, c="1/2", method="bits", points="paper"):
    """N_upper: the nonzero-weight count of the explicit robust network for the sets of
    Theorem 4.3 (derived here; see the module docstring).

    For every labelling phi, :func:`robust_network` returns a network with at most this many
    nonzero weights and zero robust error at radius c eps (l_inf, hence l_2); its architecture
    and weight slots do not depend on phi, and some phi uses all slots (e.g. alternating labels
    for the spline), so this is the construction's size for the worst labelling. Together with
    :func:`vcbound.solver.solve`, N_d <= (minimal size for all phi) <= N_upper. The count does
    not depend on c (only the weights do).

    Parameters
    ----------
    d : int
        Input dimension, at least 2.
    eps : real in (0, 1/2]
        Taken exactly as typed (0.1 is 1/10, so K = 5).
    c : real in [0, 1), default 1/2
        Robust radius r = c eps.
    method : {'bits', 'spline'}, default 'bits'
    points : {'paper', 'sharp'}, default 'paper'
        Grid indices 1..K (the paper's) or 0..K (denser).

    Returns
    -------
    int or BigNumber
        Exact int; a BigNumber (log2 rounded up) when n has more than 4096 bits.

    Raises
    ------
    VCBoundError
        d < 2, eps outside (0, 1/2], c outside [0, 1), unknown method or points.

    Examples
    --------
    >>> upper_bound(2, "1/4", method="spline")      # K = 2, n = 2: ramps 4 + knots 2
    6
    >>> upper_bound(3, "0.1", method="spline"), upper_bound(3, "0.1", method="bits")
    (80, 121)
    >>> upper_bound(30, "0.1") < upper_bound(30, "0.1", method="spline")
    True
    """
    return upper_bound_details(d, eps, c=c, method=method, points=points).nonzero_weights


def _log10_up(big):
    from ._numbers import Real, round_up

    return Real(round_up(big.log10), "upper")


# ---------------------------------------------------------------------------------------------
# the bracket N_d <= minimal size <= N_upper (used by vcbound.solver)
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _best_upper(d, K, points):
    """(count, method text) of the smaller explicit construction for (d, K, points)."""
    eps = Fraction(1, 2 * K)           # every eps with this K gives the same grid and counts
    spline = upper_bound_details(d, eps, method="spline", points=points)
    bits = upper_bound_details(d, eps, method="bits", points=points)
    if _as_big(spline.nonzero_weights) <= _as_big(bits.nonzero_weights):
        return spline.nonzero_weights, "spline"
    B = bits.B
    if isinstance(B, int) and B.bit_length() > 48:
        B = f"~2^{B.bit_length() - 1}"
    return bits.nonzero_weights, f"bits (block length B = {B})"


def _as_big(x):
    from ._numbers import BigNumber

    return x if isinstance(x, BigNumber) else BigNumber(exact=x, bound="upper")


def bracket(d, eps, N_d=None, *, points="paper"):
    """N_upper for the grid of (d, eps) and, given the certified N_d, the bracket's ratio.

    N_upper is the smaller of the spline and bits counts (:func:`upper_bound`): for every
    labelling phi and every robust radius c eps with 0 <= c < 1, an explicit network with at
    most N_upper nonzero weights has zero robust error on S_phi; with the lower bound N_d of
    :func:`vcbound.solver.solve` (which needs only robust error < alpha),
    N_d <= minimal size <= N_upper.

    Returns
    -------
    dict
        ``N_upper`` (BigNumber, upper bound), ``N_upper_method``, ``log10_N_upper`` (rounded
        up), ``bracket_ratio`` = N_upper / N_d and ``log10_bracket_ratio`` (upper bounds; None
        when N_d = 0).

    Examples
    --------
    >>> b = bracket(10, "0.1")
    >>> int(b["N_upper"]), b["N_upper_method"]
    (29177, 'bits (block length B = 793)')
    """
    import mpmath

    from ._numbers import BigNumber, Real, round_up

    d = check_integer("d", d, 2)
    eps = check_eps(eps)
    points = check_choice("points", points, _POINTS)
    K = math.floor(1 / (2 * eps))
    count, method = _best_upper(d, K, points)
    N_up = _as_big(count)
    out = {"N_upper": N_up, "N_upper_method": method,
           "log10_N_upper": _log10_up(N_up) if N_up > 0 else None,
           "bracket_ratio": None, "log10_bracket_ratio": None}
    if N_d is not None and N_d > 0:
        with mpmath.workprec(128):
            if N_up.is_exact() and N_d.is_exact():
                ratio = Fraction(int(N_up), int(N_d))
                out["bracket_ratio"] = Real(round_up(mpmath.mpf(ratio.numerator)
                                                     / ratio.denominator), "upper")
                out["log10_bracket_ratio"] = Real(round_up(mpmath.log10(ratio.numerator)
                                                           - mpmath.log10(ratio.denominator)),
                                                  "upper")
            else:
                lg = round_up(N_up.log10 - N_d.log10)
                out["bracket_ratio"] = Real(round_up(mpmath.power(10, lg)), "upper")
                out["log10_bracket_ratio"] = Real(lg, "upper")
    return out


_KIND_TO_POINTS = {"paper grid": "paper", "sharp grid": "sharp"}


def _applicable(result):
    """The grid (``'paper'``/``'sharp'``) of a :class:`vcbound.solver.SizeResult` when the
    explicit networks apply to its sets, else None: they are built for Theorem 4.3's lifted
    grids (l_inf, and l_2 whose balls lie inside the l_inf ones), not for Theorem 3.4's setting
    or the l_2 lattices/coverings."""
    if getattr(result, "theorem", "4.3") != "4.3":
        return None
    pset = getattr(result, "point_set", None)
    if pset is None:
        return getattr(result, "points", "paper")
    return _KIND_TO_POINTS.get(getattr(pset, "kind", None))


def table_upper(ds, epss, results, alpha, route_name):
    """``(d, eps) -> (N_upper, fitted beta of N_upper)`` for :func:`vcbound.solver.bound_table`,
    or None when the table's sets are not grids of Theorem 4.3 (the beta is
    :func:`vcbound.solver.fit_exponent` over the eps values at fixed d)."""
    from .solver import fit_exponent

    first = results[(ds[0], epss[0], alpha, route_name)]
    points = _applicable(first)
    if points is None:
        return None
    out = {}
    for d in ds:
        vals = {e: bracket(d, e, points=points)["N_upper"] for e in epss}
        pts = {math.floor(1 / (2 * e)): v.log2 for e, v in vals.items() if v > 1}
        exp = fit_exponent(sorted(pts.items()))
        for e, v in vals.items():
            out[(d, e)] = (v, None if exp is None else round(exp, 4))
    return out


def bracket_rows(result):
    """Rows ``(key, label, value, meaning)`` of the bracket for a :class:`SizeResult`."""
    points = _applicable(result)
    if points is None:
        why = ("no explicit construction for this setting (the networks of "
               "vcbound.constructions are built for the grids of Theorem 4.3)")
        b = {"N_upper": None, "N_upper_method": why, "log10_N_upper": None,
             "bracket_ratio": None, "log10_bracket_ratio": None}
    else:
        b = bracket(result.d, result.eps, result.N_d if result.M >= 0 else None, points=points)
    return [
        ("N_upper", "N_upper (explicit network)", b["N_upper"],
         "nonzero weights that suffice: an explicit network, exactly verified, has zero robust "
         "error for every labelling and every radius c eps, 0 <= c < 1 (rounded up)"),
        ("N_upper_method", "N_upper from", b["N_upper_method"],
         "construction (vcbound.constructions)"),
        ("log10_N_upper", "log10 N_upper", b["log10_N_upper"], "rounded up"),
        ("bracket_ratio", "N_upper / N_d", b["bracket_ratio"],
         "width of the bracket N_d <= minimal size <= N_upper (rounded up; None: N_d = 0)"),
        ("log10_bracket_ratio", "log10(N_upper / N_d)", b["log10_bracket_ratio"],
         "rounded up"),
    ]


# ---------------------------------------------------------------------------------------------
# labels
# ---------------------------------------------------------------------------------------------
def make_labels(d, eps, kind="random", *, seed=0, points="paper"):
    """A labelling phi of the grid columns as an int8 array of +-1 (row order of
    :class:`vcbound.grid.Grid`).

    Parameters
    ----------
    kind : {'random', 'checkerboard', 'alternating', 'plus', 'minus'}
        Uniform random signs (seeded), (-1)^(i_1 + ... + i_m), alternating in row order, or
        constant.

    Examples
    --------
    >>> make_labels(3, "1/4", "checkerboard").tolist()
    [1, -1, -1, 1]
    """
    import numpy as np

    d = check_integer("d", d, 2)
    eps = check_eps(eps)
    points = check_choice("points", points, _POINTS)
    kind = check_choice("kind", kind, ("random", "checkerboard", "alternating", "plus", "minus"))
    _K, Kp, offset, m, n = _grid_shape(d, eps, points)
    _check_buildable(n)
    if kind == "random":
        rng = np.random.default_rng(check_integer("seed", seed, 0))
        return (2 * rng.integers(0, 2, size=n) - 1).astype(np.int8)
    if kind == "plus":
        return np.ones(n, dtype=np.int8)
    if kind == "minus":
        return -np.ones(n, dtype=np.int8)
    if kind == "alternating":
        return (1 - 2 * (np.arange(n) % 2)).astype(np.int8)
    idx = np.indices((Kp,) * m).reshape(m, n).sum(axis=0) + m * offset
    return (1 - 2 * (idx % 2)).astype(np.int8)


def _check_buildable(n):
    if n > MAX_BUILD_POINTS:
        raise VCBoundError(f"The grid has n = {n if n < 10**30 else '>1e30'} columns, more than "
                           f"the {MAX_BUILD_POINTS} (2^22) for which vcbound builds networks; "
                           f"upper_bound() gives the size without building.")


def _check_labels(labels, m, Kp, n):
    import numpy as np

    if isinstance(labels, (str, bytes)) or labels is None:
        raise VCBoundTypeError(f"Argument 'labels' must be an array of +-1 values, not "
                               f"{fmt_value(labels)}.")
    try:
        arr = np.asarray(labels)
    except Exception:  # noqa: BLE001 - ragged input
        raise VCBoundError("Argument 'labels' must be an array of +-1 values.") from None
    if arr.shape == (Kp,) * m and m > 1:
        arr = arr.reshape(n)
    if arr.shape != (n,):
        raise VCBoundError(f"Argument 'labels' must have shape ({n},) (one label per column) or "
                           f"{(Kp,) * m}, not {arr.shape}.")
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise VCBoundError(f"Argument 'labels' must hold the numbers -1 and +1, not values of "
                           f"type {arr.dtype}.")
    bad = ~np.isin(arr, (-1, 1))
    if bad.any():
        raise VCBoundError(f"Argument 'labels' must take values in {{-1, +1}}; got "
                           f"{fmt_value(arr[bad][0].item())} at position "
                           f"{int(np.flatnonzero(bad)[0])}.")
    return arr.astype(np.int8)


# ---------------------------------------------------------------------------------------------
# the construction record
# ---------------------------------------------------------------------------------------------
class RobustConstruction(Result):
    """What a robust network was built for: grid, labelling, radius, method.

    Attributes
    ----------
    d, K, Kp, offset, m, n : int
        Kp grid values per axis with indices offset..offset+Kp-1, m = d - 1 axes, n = Kp^m.
    eps, c, r, eps0 : Fraction
        r = c eps the robust radius; eps0 the lift height used by spot checks.
    labels : numpy.ndarray
        int8 +-1, one per column (row order of :class:`vcbound.grid.Grid`).
    method, points : str
    B : int or None
    """

    _meanings = {
        "radius": "radius of the balls around the points within which the network is correct",
    }

    def __init__(self, **fields):
        self.__dict__.update(fields)

    @property
    def grid_values(self):
        """The grid values g_i = i/K of one axis, as Fractions."""
        return [Fraction(self.offset + i, self.K) for i in range(self.Kp)]

    def column(self, t):
        """Index tuple (in 0..Kp-1 per axis) of row number t."""
        out = []
        for _ in range(self.m):
            t, rem = divmod(t, self.Kp)
            out.append(rem)
        return tuple(reversed(out))

    def title(self):
        return f"Robust construction ({self.method}, {self.points} grid)"

    def rows(self):
        return [("d", "d", self.d), ("eps", "eps", self.eps), ("c", "c", self.c),
                ("radius", "robust radius r = c eps", self.r), ("K", "K", self.K),
                ("values_per_axis", "values per axis", self.Kp), ("n", "columns n", self.n),
                ("method", "method", self.method), ("points", "grid", self.points),
                ("B", "block length B", self.B if self.B is not None else "n/a")]


# ---------------------------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------------------------
def _quantiser_layers(con):
    """Layers 1 (ramps) and 2 (T) of the quantiser (see the module docstring)."""
    g = con.grid_values
    r = con.r
    ramps, ramp_bias, t_edges = [], [], []
    for k in range(con.m):
        place = con.Kp ** (con.m - 1 - k)
        for i in range(con.Kp - 1):
            s = 1 / (g[i + 1] - g[i] - 2 * r)
            a = g[i] + r
            for extra, sign in ((0, 1), (-1, -1)):
                t_edges.append((len(ramps), sign * place))
                ramps.append([(k, s)])
                ramp_bias.append(-s * a + extra)
    return [ramps, [t_edges]], [ramp_bias, [0]], ["quantiser ramps", "index T"]


def _spline_tail(y):
    """Layers after T for the spline: knots relu(t - j), j = 0..n-2, and the output."""
    n = len(y)
    knots = [[(0, 1)] for _ in range(n - 1)]
    knot_bias = [-j for j in range(n - 1)]
    out = [(0, y[1] - y[0])] + [(j, y[j + 1] - 2 * y[j] + y[j - 1]) for j in range(1, n - 1)]
    return [knots, [out]], [knot_bias, [y[0]]], ["spline knots", "output"]


class _Layers:
    """Helper to assemble named units layer by layer (for the bit-extraction tail)."""

    def __init__(self, inputs):
        self.prev = {name: i for i, name in enumerate(inputs)}
        self.layers, self.biases, self.names = [], [], []
        self._cur = None

    def start(self, name):
        self._cur = ({}, [], [], name)

    def unit(self, name, edges, bias):
        index, rows, bias_list, _ = self._cur
        index[name] = len(rows)
        rows.append([(self.prev[src], w) for src, w in edges])
        bias_list.append(bias)

    def finish(self):
        index, rows, bias_list, name = self._cur
        self.layers.append(rows)
        self.biases.append(bias_list)
        self.names.append(name)
        self.prev = index


def _bits_tail_layers(y, B):
    """Layers after T for the bit-extraction construction (module docstring, item 3)."""
    n = len(y)
    bits = [(v + 1) // 2 for v in y]
    nb = -(-n // B)
    words = []
    for q in range(nb):
        w = 0
        for j in range(B):
            t = q * B + j
            w = 2 * w + (bits[t] if t < n else 0)
        words.append(w)
    L = _Layers(["T"])
    # layer 3: steps [t >= kB] = U_k - V_k, and T passed on
    L.start("block steps")
    if B > 1:
        L.unit("PT", [("T", 1)], 0)
    for k in range(1, nb):
        L.unit(f"U{k}", [("T", 1)], -k * B + 1)
        L.unit(f"V{k}", [("T", 1)], -k * B)
    L.finish()
    # layer 4: W = W_{q(t)}, O = t - B q(t)
    L.start("block word and offset")
    w_edges = []
    for k in range(1, nb):
        diff = words[k] - words[k - 1]
        w_edges += [(f"U{k}", diff), (f"V{k}", -diff)]
    L.unit("W", w_edges, words[0])
    if B > 1:
        o_edges = [("PT", 1)]
        for k in range(1, nb):
            o_edges += [(f"U{k}", -B), (f"V{k}", B)]
        L.unit("O", o_edges, 0)
    L.finish()
    if B == 1:                               # the word is the bit itself
        L.start("output")
        L.unit("out", [("W", 2)], -1)
        L.finish()
        return L.layers, L.biases, L.names
    half, full = 2 ** (B - 1), 2 ** B

    def x_edges(j):                          # X_j as a combination of the previous layer
        if j == 0:
            return [("W", 1)]
        return [(f"PW{j - 1}", 2), (f"S1_{j - 1}", -full), (f"S0_{j - 1}", full)]

    def e_names(j):
        return ([f"Ep{j}"] if j <= B - 2 else []) + ([f"Em{j}"] if j >= 1 else [])

    def term_edges(j):
        return [(f"S1_{j}", 1), (f"S0_{j}", -1)] + [(e, -1) for e in e_names(j)]

    def acc_unit(j):                         # accumulator at the layer of round j (j >= 2)
        if j == 2:
            L.unit("A2", [("term0", 1)], 0)
        else:
            L.unit(f"A{j}", [(f"A{j - 1}", 1), (f"term{j - 2}", 1)], 0)

    for j in range(B):
        L.start(f"bit round {j}")
        xe = x_edges(j)
        L.unit(f"S1_{j}", xe, -half + 1)
        L.unit(f"S0_{j}", xe, -half)
        if j <= B - 2:
            L.unit(f"PW{j}", xe, 0)
        o_src = "O" if j == 0 else f"PO{j - 1}"
        if j <= B - 2:
            L.unit(f"Ep{j}", [(o_src, 1)], -j)
            L.unit(f"PO{j}", [(o_src, 1)], 0)
        if j >= 1:
            L.unit(f"Em{j}", [(o_src, -1)], j)
            L.unit(f"term{j - 1}", term_edges(j - 1), 0)
        if j >= 2:
            acc_unit(j)
        L.finish()
    L.start("last bit and accumulator")
    L.unit(f"term{B - 1}", term_edges(B - 1), 0)
    acc_unit(B)
    L.finish()
    L.start("output")
    L.unit("out", [(f"term{B - 1}", 2), (f"A{B}", 2)], -1)
    L.finish()
    return L.layers, L.biases, L.names


def robust_network(d, eps, labels, *, c="1/2", method="bits", points="paper", B=None):
    """An exact ReLU network with zero robust error on S_phi for the labelling ``labels``
    (derived here; see the module docstring for the construction and the proof).

    Parameters
    ----------
    d : int
        Input dimension, at least 2.
    eps : real in (0, 1/2]
        Taken exactly as typed.
    labels : array_like of +-1
        phi: one label per column, shape (n,) in the row order of :class:`vcbound.grid.Grid`
        (lexicographic, last index fastest), or shape (K',) * (d-1).
    c : real in [0, 1), default 1/2
        Robust radius r = c eps.
    method : {'bits', 'spline'}, default 'bits'
    points : {'paper', 'sharp'}, default 'paper'
    B : int, optional
        Block length of the bits method (default: :func:`best_block_length`).

    Returns
    -------
    ReLUNetwork
        With ``.construction`` (a :class:`RobustConstruction`); ``network.verify()`` proves it.

    Raises
    ------
    VCBoundError
        Bad d, eps, c, method, points or B; labels of the wrong shape or values; more than
        :data:`MAX_BUILD_POINTS` columns.

    Examples
    --------
    >>> net = robust_network(3, "1/4", [1, -1, -1, 1], method="spline")
    >>> net.widths, net.nonzero_weights
    ([3, 4, 1, 3, 1], 14)
    >>> net.evaluate(["0.5", "1.1", "0.5"])        # column (1, 2) of the K = 2 grid, in its ball
    -1
    >>> net.verify().proved
    True
    """
    d, eps, c, method, points = _check_common(d, eps, c, method, points)
    K, Kp, offset, m, n = _grid_shape(d, eps, points)
    _check_buildable(n)
    y = [int(v) for v in _check_labels(labels, m, Kp, n)]
    if method == "bits" and n > 1:
        B = best_block_length(n)[0] if B is None else check_integer("B", B, 1, n)
    else:
        B = None
    r = c * eps
    con = RobustConstruction(d=d, eps=eps, c=c, r=r, eps0=(c * eps / 2 if c else eps / 2), K=K,
                             Kp=Kp, offset=offset, m=m, n=n, method=method, points=points, B=B,
                             labels=_check_labels(labels, m, Kp, n))
    if n == 1:                               # a single column: the constant y_0
        return ReLUNetwork(d, [[[]]], [[y[0]]], names=["output (constant)"], construction=con)
    layers, biases, names = _quantiser_layers(con)
    if method == "spline":
        tail = _spline_tail(y)
    else:
        tail = _bits_tail_layers(y, B)
    return ReLUNetwork(d, layers + tail[0], biases + tail[1], names=names + tail[2],
                       construction=con)


# ---------------------------------------------------------------------------------------------
# exact verification
# ---------------------------------------------------------------------------------------------
class Verification(Result):
    """Outcome of :func:`verify_robust`.

    Attributes
    ----------
    proved : bool
        True when zero robust error is proved for every column (``scope == 'all columns'``).
    correct : bool
        No counterexample was found (the quantiser proof passed and every checked column is
        right).
    scope : str
        ``'all columns'`` or ``'quantiser + sampled columns'``.
    columns_checked : int
    failures : list of str
        The first counterexamples found (empty when correct).
    seconds : float
        Time of the exact proof (quantiser + columns).
    spot_check : dict
        The separate float (or exact, for networks a double cannot hold) evaluation of random
        points inside the balls: points, errors, arithmetic. A sanity check, not the proof.
    """

    _meanings = {
        "proved": "whether robust correctness is proved (exact arithmetic), not only tested",
        "correct": "whether no counterexample was found",
        "scope": "which labellings (columns) the check covered",
        "columns_checked": "labellings checked exactly",
        "method_h": "how the index part of the network was evaluated",
        "spot_check": "a float64 sampling test inside the balls (a sanity check, not a proof)",
    }

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def title(self):
        return "Exact robustness verification"

    @property
    def verified(self):
        """'proved for all columns', 'proved for the quantiser + sampled (k of n columns)' or
        'FAILED'."""
        if not self.correct:
            return "FAILED"
        if self.proved:
            return "proved for all columns"
        return f"proved for the quantiser + sampled ({self.columns_checked} of {self.n} columns)"

    def rows(self):
        rows = [("verified", "verified", self.verified), ("proved", "proved", self.proved),
                ("correct", "no counterexample", self.correct), ("scope", "scope", self.scope),
                ("columns_checked", "columns checked exactly", self.columns_checked),
                ("n", "columns", self.n), ("method_h", "index part evaluated by", self.h_method),
                ("seconds", "proof time (s)", round(self.seconds, 4)),
                ("spot_check", "float spot check (sanity, not proof)",
                 _spot_text(self.spot_check))]
        rows += [(f"failure_{i + 1}", "failure", f) for i, f in enumerate(self.failures)]
        return rows

    def to_dict(self):
        out = {k: v for k, v in super().to_dict().items() if not k.startswith("failure_")}
        out["failures"] = list(self.failures)
        out["spot_check"] = dict(self.spot_check)
        return out


def _spot_text(spot):
    if not spot:
        return "not run"
    return (f"{spot['points']} random points in {spot['balls']} balls: {spot['errors']} wrong "
            f"signs ({spot['float_certified']} decided in float64 with a rounding bound, "
            f"{spot['exact']} exactly, {spot['skipped']} skipped)")


def _relu_pl_value(units, x):
    """sum_u w_u relu(a_u x + b_u) + const for one coordinate's units, exactly."""
    total = 0
    for a, b, w in units:
        z = a * x + b
        if z > 0:
            total += w * z
    return total


def verify_robust(network, construction, *, full_limit=FULL_CHECK_LIMIT, samples=10_000,
                  seed=0, spot_points=2_000):
    """Prove (exactly) that ``network`` has zero robust error on S_phi for ``construction``.

    The proof (derived here) reads the network, not the recipe that built it:

    1. Structure. Layer 2 has a single unit T; every unit of layer 1 reads at most one of the
       grid coordinates x_1..x_m and none reads x_d with a nonzero weight, so the output is a
       function h(T) of T alone, and T(x) = relu(b_T + sum_k Q_k(x_k)) with Q_k(t) =
       sum_u w_{T,u} relu(a_u t + b_u) over the units u reading x_k. In particular the output
       does not depend on x_d: the x_d side of every robust box is irrelevant.
    2. Quantiser (the 1-D interval argument). For each axis k and grid value g, Q_k is piecewise
       linear with kinks at -b_u/a_u, so it is constant on [g - r, g + r] iff it takes one value
       at both ends and at every kink inside; checked in exact rationals. Then T is constant on
       every robust box, with value t(column) = relu(b_T + sum_k Q_k(g_{i_k})).
    3. Index part. h(t(column)) is evaluated exactly for every column (n <= ``full_limit``),
       otherwise for a seeded random sample of ``samples`` columns, and must have the sign of
       phi(column) and be nonzero. h is a ReLU network of one input; it is evaluated by exact
       piecewise-linear propagation (its graph over [min t, max t], exact) while that stays
       small, else by exact integer/rational forward passes at the points.

    Separately, ``spot_points`` random points of random balls (x_d perturbed too) are evaluated
    in float64 when the weights fit doubles (exactly otherwise, on fewer points): a sanity check
    of the whole pipeline, reported apart from the proof.

    Parameters
    ----------
    network : ReLUNetwork
    construction : RobustConstruction
        From ``network.construction`` or another network's (to check one network against
        another labelling).
    full_limit, samples, seed, spot_points : int

    Returns
    -------
    Verification

    Raises
    ------
    VCBoundError
        The network does not have the quantiser shape of step 1 (nothing is claimed then), or
        its input dimension differs from the construction's d.

    Examples
    --------
    >>> net = robust_network(3, "0.1", make_labels(3, "0.1", seed=1), method="bits")
    >>> v = verify_robust(net, net.construction)
    >>> v.verified
    'proved for all columns'
    """
    import numpy as np

    from .network import ReLUNetwork as _Net

    if not isinstance(network, _Net):
        raise VCBoundTypeError(f"Argument 'network' must be a ReLUNetwork, not "
                               f"{fmt_value(network)}.")
    if not isinstance(construction, RobustConstruction):
        raise VCBoundTypeError(f"Argument 'construction' must be a RobustConstruction (see "
                               f"robust_network), not {fmt_value(construction)}.")
    con = construction
    if network.input_dim != con.d:
        raise VCBoundError(f"The network has {network.input_dim} inputs but the construction "
                           f"has d = {con.d}.")
    full_limit = check_integer("full_limit", full_limit, 0)
    samples = check_integer("samples", samples, 1)
    start = time.perf_counter()
    failures = []
    labels = np.asarray(con.labels, dtype=np.int64)
    if network.weight_slots == 0 and network.depth == 1:      # a constant
        value = network.biases[0][0]
        bad = np.flatnonzero(np.sign(float(value)) != labels) if value != 0 else np.arange(con.n)
        failures = [f"column {con.column(int(t))}: constant output {value} has the wrong sign"
                    for t in bad[:5]]
        return _finish(con, network, True, failures, con.n, "constant", start, spot_points, seed)
    per_axis = _check_structure(network, con.d)
    # step 2: quantiser constancy per axis and grid value
    r = con.r
    g = con.grid_values
    values = []
    for k in range(con.m):
        units = per_axis[k]
        kinks = sorted({-b / a for a, b, _w in units if a != 0})
        vals_k = []
        for i, gi in enumerate(g):
            lo, hi = gi - r, gi + r
            pts = [lo, hi] + [x for x in kinks if lo < x < hi]
            v0 = _relu_pl_value(units, lo)
            for x in pts[1:]:
                v = _relu_pl_value(units, x)
                if v != v0:
                    failures.append(f"axis {k + 1}: the quantiser is not constant on "
                                    f"[{lo}, {hi}] (value {v0} at {lo}, {v} at {x})")
                    break
            vals_k.append(v0)
        values.append(vals_k)
    if failures:
        return _finish(con, network, False, failures[:5], 0, "n/a", start, spot_points, seed)
    # step 3: T per column, then h
    bT = network.biases[1][0]
    if con.n <= full_limit:
        cols = np.arange(con.n, dtype=np.int64)
        proved = True
    else:
        rng = np.random.default_rng(seed)
        cols = np.unique(rng.integers(0, con.n, size=samples, dtype=np.int64))
        proved = False
    T = _column_T(values, bT, cols, con)
    h = network.sub_network(2)
    outs, h_method = _eval_scalar(h, T)
    ys = labels[cols]
    for t_col, out, y in zip(cols.tolist(), outs, ys.tolist()):
        if out == 0 or (out > 0) != (y > 0):
            failures.append(f"column {con.column(t_col)} (row {t_col}): output {out} on its "
                            f"whole ball, label {y}")
            if len(failures) >= 5:
                break
    return _finish(con, network, proved, failures, len(cols), h_method, start, spot_points,
                   seed)


def _check_structure(network, d):
    if network.depth < 3 or len(network.layers[1]) != 1:
        raise VCBoundError("verify_robust proves networks of the quantiser shape only: depth >= "
                           "3 and a single unit in layer 2; this network is "
                           f"{network.widths}.")
    m = d - 1
    per_axis = [[] for _ in range(m)]
    w_T = dict(network.layers[1][0])
    for u, (row, b) in enumerate(zip(network.layers[0], network.biases[0])):
        nz = [(s, w) for s, w in row if w != 0]
        if any(s == d - 1 for s, _w in nz) or len(nz) > 1:
            raise VCBoundError(f"verify_robust: unit {u} of layer 1 reads x_d or more than one "
                               f"coordinate, so the per-axis argument does not apply.")
        wt = w_T.get(u, 0)
        if wt == 0:
            continue
        if not nz:                                   # a constant unit feeding T
            per_axis[0].append((Fraction(0), Fraction(max(b, 0)), wt))
            continue
        s, a = nz[0]
        per_axis[s].append((Fraction(a), Fraction(b), wt))
    return per_axis


def _column_T(values, bT, cols, con):
    """T = relu(b_T + sum_k values[k][i_k]) for the given row numbers (exact)."""
    import numpy as np

    integral = all(Fraction(v).denominator == 1 for vk in values for v in vk) and \
        Fraction(bT).denominator == 1
    rem = cols.copy()
    if integral and max(abs(int(v)) for vk in values for v in vk) * con.m < 2**62:
        total = np.full(len(cols), int(bT), dtype=np.int64)
        for k in reversed(range(con.m)):
            rem, idx = np.divmod(rem, con.Kp)
            total += np.array([int(v) for v in values[k]], dtype=np.int64)[idx]
        return [max(int(v), 0) for v in total.tolist()]
    total = [Fraction(bT)] * len(cols)
    for k in reversed(range(con.m)):
        rem, idx = np.divmod(rem, con.Kp)
        vk = values[k]
        total = [t + vk[i] for t, i in zip(total, idx.tolist())]
    return [max(t, 0) for t in total]


class _TooManyPieces(Exception):
    pass


def _eval_scalar(h, ts, max_pieces=None):
    """Exact outputs of the one-input network ``h`` at the points ``ts``, and the method used.

    Shallow index parts (at most 3 affine layers, like the spline's knots + output) are
    evaluated through their exact graph, with a budget of 8 breakpoints per weight slot and
    point; deeper ones (bit extraction folds the graph between integers up to 2^B times) point
    by point."""
    if not ts:
        return [], "none"
    if max_pieces is None:
        max_pieces = 8 * (h.weight_slots + len(ts)) + 64
    if h.depth > 3:
        return _eval_points(h, ts), "exact forward passes"
    try:
        return _eval_pl(h, ts, max_pieces), "exact piecewise-linear graph"
    except _TooManyPieces:
        return _eval_points(h, ts), "exact forward passes"


def _eval_pl(h, ts, max_pieces):
    """Propagate the exact graph of every unit over [min ts, max ts] (breakpoints, values)."""
    lo, hi = Fraction(min(ts)), Fraction(max(ts))
    if lo == hi:
        raise _TooManyPieces
    # a unit = (xs, ys): breakpoints and values, linear in between
    prev = [([lo, hi], [lo, hi])]
    total = 0
    last = h.depth - 1
    for li, (layer, bias) in enumerate(zip(h.layers, h.biases)):
        slopes = [_slope_form(xs, ys) for xs, ys in prev]
        cur = []
        for row, b in zip(layer, bias):
            y0, s0, events = Fraction(b), Fraction(0), {}
            for src, w in row:
                if w == 0:
                    continue
                sy, ss, sev = slopes[src]
                y0 += w * sy
                s0 += w * ss
                for x, ds in sev:
                    events[x] = events.get(x, 0) + w * ds
            xs, ys = _from_slope_form(lo, hi, y0, s0, events)
            if li != last:
                xs, ys = _relu_graph(xs, ys)
            total += len(xs)
            if total > max_pieces:
                raise _TooManyPieces
            cur.append((xs, ys))
        prev = cur
    xs, ys = prev[0]
    return _graph_at(xs, ys, ts)


def _slope_form(xs, ys):
    slopes = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
    events = [(xs[i], slopes[i] - slopes[i - 1]) for i in range(1, len(slopes))
              if slopes[i] != slopes[i - 1]]
    return ys[0], slopes[0], events


def _from_slope_form(lo, hi, y0, s0, events):
    xs, ys = [lo], [y0]
    y, s, x_prev = y0, s0, lo
    for x in sorted(k for k, v in events.items() if v != 0):
        y = y + s * (x - x_prev)
        xs.append(x)
        ys.append(y)
        s += events[x]
        x_prev = x
    xs.append(hi)
    ys.append(y + s * (hi - x_prev))
    return xs, ys


def _relu_graph(xs, ys):
    oxs, oys = [xs[0]], [max(ys[0], 0)]
    for i in range(1, len(xs)):
        y_prev, y = ys[i - 1], ys[i]
        if (y_prev < 0 < y) or (y < 0 < y_prev):
            x0 = xs[i - 1] + (xs[i] - xs[i - 1]) * (-y_prev) / (y - y_prev)
            oxs.append(x0)
            oys.append(0)
        oxs.append(xs[i])
        oys.append(max(y, 0))
    return oxs, oys


def _graph_at(xs, ys, ts):
    import bisect

    out = []
    for t in ts:
        i = bisect.bisect_right(xs, t) - 1
        if i >= len(xs) - 1:
            i = len(xs) - 2
        x0, x1 = xs[i], xs[i + 1]
        v = ys[i] + (ys[i + 1] - ys[i]) * (t - x0) / (x1 - x0)
        if isinstance(v, Fraction) and v.denominator == 1:
            v = v.numerator
        out.append(v)
    return out


def _eval_points(h, ts, chunk=8192):
    """Exact batched forward passes of the one-input network ``h`` at the points ``ts``.

    Values are integers scaled by a common denominator per layer. A unit whose scaled weights
    fit int64 is computed in wrapping int64 arithmetic: the wrapped sum equals the true sum
    modulo 2^64, so it *is* the true sum whenever that lies in [-2^62, 2^62], which a float64
    shadow of the same sum with a rounding bound certifies (intermediate overflow does not
    matter). Otherwise, or when the shadow cannot certify it, the unit is computed with Python
    integers (numpy object arrays)."""
    import numpy as np

    out = []
    den0 = math.lcm(*[Fraction(t).denominator for t in ts])
    limit64 = float(2**62)
    u = 2.0**-52
    last = h.depth - 1
    layers = []
    for layer, bias in zip(h.layers, h.biases):
        L = math.lcm(*[Fraction(w).denominator for row in layer for _s, w in row],
                     *[Fraction(b).denominator for b in bias])
        rows = []
        for row, b in zip(layer, bias):
            wi = [(s, int(w * L)) for s, w in row if w != 0]
            small = all(abs(w) < 2**62 for _s, w in wi)
            rows.append((wi, Fraction(b) * L, small))
        layers.append((L, rows))
    with np.errstate(over="ignore"):
        for start in range(0, len(ts), chunk):
            part = ts[start:start + chunk]
            ints = [int(Fraction(t) * den0) for t in part]
            A = [_int_array(ints)]
            den = den0
            for li, (L, rows) in enumerate(layers):
                new = []
                for wi, bL, small in rows:
                    bi = int(bL * den)
                    acc = None
                    if small and abs(bi) < 2**62 and all(A[s].dtype == np.int64 for s, _w in wi):
                        acc = np.full(len(part), bi, dtype=np.int64)
                        shadow = np.full(len(part), float(bi))
                        mag = np.full(len(part), abs(float(bi)))
                        for s, w in wi:
                            acc += w * A[s]
                            af = A[s].astype(np.float64)
                            shadow += float(w) * af
                            mag += abs(float(w)) * np.abs(af)
                        bound = np.abs(shadow) + (len(wi) + 3) * u * mag * 2 + 1
                        if not (bound < limit64).all():
                            acc = None
                    if acc is None:
                        acc = np.full(len(part), bi, dtype=object)
                        for s, w in wi:
                            acc = acc + w * A[s].astype(object)
                        acc = _int_array(acc.tolist())
                    if li != last:
                        acc = np.maximum(acc, 0) if acc.dtype == np.int64 else \
                            np.where(acc > 0, acc, 0)
                    new.append(acc)
                A, den = new, den * L
            for v in A[0].tolist():
                q = Fraction(int(v), den)
                out.append(q.numerator if q.denominator == 1 else q)
    return out


def _int_array(values):
    """int64 array when every value fits, else an object array of Python ints."""
    import numpy as np

    if all(-2**62 < v < 2**62 for v in values):
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)


def _finish(con, network, proved, failures, checked, h_method, start, spot_points, seed):
    seconds = time.perf_counter() - start
    correct = not failures
    spot = _spot_check(network, con, spot_points, seed) if spot_points else {}
    scope = "all columns" if proved else "quantiser + sampled columns"
    return Verification(proved=bool(proved and correct), correct=correct, scope=scope,
                        columns_checked=checked, n=con.n, failures=list(failures),
                        seconds=seconds, h_method=h_method, spot_check=spot)


def _spot_check(network, con, points, seed, exact_limit=200):
    """Random points of random robust balls (x_d perturbed too). Evaluated in float64 with a
    rounding-error bound (:meth:`ReLUNetwork.float_forward`) when the weights fit doubles; points
    whose float sign the bound does not settle (all of them for bit extraction, which amplifies
    rounding by 2^B), or every point when the weights do not fit doubles, are evaluated exactly,
    at most ``exact_limit`` of them (the others are counted as skipped)."""
    import numpy as np

    rng = np.random.default_rng(seed + 1)
    rows = rng.integers(0, con.n, size=points)
    r = float(con.r)
    g = np.array([float(v) for v in con.grid_values])
    labels = np.asarray(con.labels, dtype=np.int64)
    X = np.empty((points, con.d))
    rem = rows.copy()
    for k in reversed(range(con.m)):
        rem, idx = np.divmod(rem, con.Kp)
        X[:, k] = np.clip(g[idx] + rng.uniform(-r, r, size=points), g[idx] - r, g[idx] + r)
    X[:, -1] = 0.5 + float(con.eps0) * labels[rows] + rng.uniform(-r, r, size=points)
    want = labels[rows]
    errors = 0
    float_ok = np.zeros(points, dtype=bool)
    if network.float_safe():
        out, err = network.float_forward(X)
        out, err = out[:, 0], err[:, 0]
        float_ok = np.abs(out) > err
        errors += int(np.sum(float_ok & (np.sign(out) != want)))
    todo = np.flatnonzero(~float_ok)
    exact_idx = todo[:exact_limit]
    if len(exact_idx):
        Xq = []
        for i in exact_idx.tolist():
            row = [Fraction(float(v)) for v in X[i]]
            col = con.column(int(rows[i]))
            for k in range(con.m):      # keep the double point inside the ball exactly
                gk = con.grid_values[col[k]]
                row[k] = min(max(row[k], gk - con.r), gk + con.r)
            Xq.append(row)
        outs = network.evaluate(Xq)
        outs = outs if isinstance(outs, list) else [outs]
        errors += sum(1 for v, i in zip(outs, exact_idx.tolist()) if v == 0 or
                      (v > 0) != (want[i] > 0))
    return {"points": int(points), "balls": int(len(np.unique(rows))), "errors": errors,
            "float_certified": int(float_ok.sum()), "exact": int(len(exact_idx)),
            "skipped": int(len(todo) - len(exact_idx)),
            "arithmetic": "float64 with rounding bound, exact where the bound does not decide"}


# ---------------------------------------------------------------------------------------------
# Theorem 2.2 made explicit: robust memorisation of finite data
# ---------------------------------------------------------------------------------------------
def memorize(points, labels, eps, radius):
    """A ReLU network with zero robust training error on finite 2eps-separated l_inf data
    (Theorem 2.2 of the paper made explicit; construction derived here).

    With rho = 2 eps - r and tau = (1 - r/rho)/2, the network computes

        f(x) = s (sum_{j in minority} relu(1 - ||x - x_j||_inf / rho) - tau),

    s = +1 when the minority class is +1, else -1. On the ball of radius r around a minority
    point the own bump is >= 1 - r/rho = 2 tau, so s f >= tau > 0; around a majority point every
    minority point is at distance >= 2 eps - r = rho (separation), so every bump is 0 and
    s f = -tau < 0. Needs r < eps (then tau > 0). ``||x - x_j||_inf`` is computed by a max-tree:
    ``|u| = relu(u) + relu(-u)`` and ``max(a, b) = b + relu(a - b)``, each max as the two units
    relu(a - b), relu(b) (exact for a, b >= 0); O(d) weights per minority point, O(N d) in all.

    Parameters
    ----------
    points : array_like, shape (N, d)
        Exact rationals (ints, Fractions, decimal strings) or floats (read as typed).
    labels : array_like of +-1, shape (N,)
    eps : real > 0
        The two classes must be 2eps-separated in l_inf (Definition 1.1).
    radius : real in [0, eps)
        Robust radius r.

    Returns
    -------
    ReLUNetwork

    Raises
    ------
    VCBoundError
        Shapes or labels wrong, radius outside [0, eps), or data not 2eps-separated (naming the
        closest pair of opposite labels).

    Examples
    --------
    >>> net = memorize([[0, 0], [1, 0], [0, 1]], [1, -1, -1], "0.25", "0.1")
    >>> net.evaluate(["0.1", "-0.1"]) > 0, net.evaluate(["0.9", "0.05"]) < 0
    (True, True)
    """
    import numpy as np

    from ._validation import to_rational

    eps = check_real("eps", eps, 0, low_open=True)
    r = check_real("radius", radius, 0, eps, high_open=True)
    if isinstance(points, (str, bytes)):
        raise VCBoundTypeError("Argument 'points' must be an (N, d) array of numbers.")
    pts = [[to_rational("points", v) for v in (p.tolist() if hasattr(p, "tolist") else p)]
           for p in (points.tolist() if hasattr(points, "tolist") else points)]
    if not pts or any(len(p) != len(pts[0]) for p in pts) or not pts[0]:
        raise VCBoundError("Argument 'points' must be a non-empty (N, d) array of numbers.")
    N, d = len(pts), len(pts[0])
    y = np.asarray(labels)
    if y.shape != (N,):
        raise VCBoundError(f"Argument 'labels' must have shape ({N},), not {y.shape}.")
    if y.dtype == bool or not np.isin(y, (-1, 1)).all():
        raise VCBoundError("Argument 'labels' must take values in {-1, +1}.")
    y = [int(v) for v in y.tolist()]
    plus = [i for i in range(N) if y[i] == 1]
    minus = [i for i in range(N) if y[i] == -1]
    # separation, exactly
    best = None
    for i in plus:
        for j in minus:
            dist = max(abs(a - b) for a, b in zip(pts[i], pts[j]))
            if best is None or dist < best[0]:
                best = (dist, i, j)
    if best is not None and best[0] < 2 * eps:
        dist, i, j = best
        raise VCBoundError(
            f"The data is not 2eps-separated in l_inf (2 eps = {2 * eps}): points {i} (label +1) "
            f"and {j} (label -1) are at distance {dist}; robust memorisation at any radius needs "
            f"separated classes (Theorem 2.2).")
    minority, sign = (plus, 1) if len(plus) <= len(minus) else (minus, -1)
    rho = 2 * eps - r
    tau = (1 - r / rho) / 2
    if not minority:
        return ReLUNetwork(d, [[[]]], [[-sign]], names=["output (constant)"])
    L = _Layers([f"x{k}" for k in range(d)])
    L.start("|x - x_j| parts")
    level = {}
    for j in minority:
        names = []
        for k in range(d):
            L.unit(f"p{j}_{k}", [(f"x{k}", 1)], -pts[j][k])
            L.unit(f"q{j}_{k}", [(f"x{k}", -1)], pts[j][k])
            names.append([f"p{j}_{k}", f"q{j}_{k}"])
        level[j] = names            # each value = sum of the named units
    L.finish()
    depth_level = 0
    while any(len(v) > 1 for v in level.values()):
        depth_level += 1
        L.start(f"max-tree level {depth_level}")
        new = {}
        for j, vals in level.items():
            out = []
            for i in range(0, len(vals) - 1, 2):
                a, b = vals[i], vals[i + 1]
                tag = f"m{depth_level}_{j}_{i}"
                L.unit(f"{tag}d", [(u, 1) for u in a] + [(u, -1) for u in b], 0)
                L.unit(f"{tag}b", [(u, 1) for u in b], 0)
                out.append([f"{tag}d", f"{tag}b"])
            if len(vals) % 2:
                tag = f"m{depth_level}_{j}_pass"
                L.unit(tag, [(u, 1) for u in vals[-1]], 0)
                out.append([tag])
            new[j] = out
        level = new
        L.finish()
    L.start("bumps")
    for j in minority:
        L.unit(f"bump{j}", [(u, -1 / rho) for u in level[j][0]], 1)
    L.finish()
    L.start("output")
    L.unit("out", [(f"bump{j}", sign) for j in minority], -sign * tau)
    L.finish()
    return ReLUNetwork(d, L.layers, L.biases, names=L.names)


def memorize_count(N_minority, d):
    """Nonzero weights of :func:`memorize` for ``N_minority`` points of the smaller class in
    dimension d, assuming no coordinate difference vanishes (derived here).

    Per point: 2 d (the |u| parts), then each max of two values costs the weights of
    relu(a - b) and relu(b), each pass-through its inputs' count, the bump reads the last value
    and the output one weight; computed by running the tree.

    >>> memorize_count(1, 1), memorize_count(1, 2)
    (5, 13)
    """
    sizes = [2] * d           # units per value
    total = 2 * d
    while len(sizes) > 1:
        new = []
        for i in range(0, len(sizes) - 1, 2):
            total += (sizes[i] + sizes[i + 1]) + sizes[i + 1]
            new.append(2)
        if len(sizes) % 2:
            total += sizes[-1]
            new.append(1)
        sizes = new
    total += sizes[0] + 1
    return N_minority * total
