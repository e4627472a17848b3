"""Routes: how small ReLU networks are covered by a class with a capacity bound (vcbound docs §Routes).

The size solver (:mod:`vcbound.solver`) asks, for a size ``M``, whether *every* layered ReLU
network with at most ``M`` nonzero weights fails (robust error >= alpha on the worst labelling of
the paper's grid). A **route** answers with a certificate: it covers that class ``F_M`` by a class
whose capacity it can bound, and compares the bound with what the double counting of inequality
(1) demands. Two kinds exist:

* ``kind = 'vc'``: an *envelope* network (a fixed architecture that contains every member of
  ``F_M``) and a VC-dimension upper bound ``B(M)`` of the envelope; ``M`` is ruled out when
  ``B(M) < D_min`` (the VC-dimension lower bound of the Sauer–Shelah inversion, vcbound docs §Sauer-Shelah).
* ``kind = 'growth'``: an upper bound on ``log2 Pi_{F_M}(V)`` compared directly with ``log2 G``
  (inequality (1)); no VC step.

Routes shipped here: ``'union'`` (:class:`UnionRoute`, certified, the sharpest, the default;
the better of two counts of the supports, see :class:`DagUnionRoute`), ``'union-dag'``
(:class:`DagUnionRoute`, certified, covering networks on any DAG, i.e. with skip connections),
``'dense'`` (:func:`dense_route`: BHLM Theorem 7 on the dense envelope, certified) and ``'paper'``
(:func:`paper_route`: the dense envelope with ``VCdim <= C W^2``, **ILLUSTRATIVE**, it reproduces
the paper's exponent ``(d-1)/6``). A route is a small object, so you can plug in another capacity
bound without touching the solver — see :class:`VCRoute`.

Size convention. ``M`` counts **nonzero weights**; biases are free and not counted. A network with
at most ``M`` parameters (the paper's ``F_M``) has at most ``M`` nonzero weights, so ruling out the
larger class rules out the paper's as well. Each route says which class it covers
(:attr:`Route.covered_class`): ``'union-dag'`` covers ReLU networks on any DAG (skip
connections), the others layered ReLU networks; all with an identity output read by its sign.

Every capacity is an upper bound: evaluated in mpmath at 128 bits and rounded up
(:func:`vcbound._numbers.round_up`); the solver compares it with rigorous lower bounds.

References
----------
.. [Li22] Li, Jin, Zhong, Hopcroft, Wang. Why Robust Generalization in Deep Learning is Difficult:
   Perspective of Expressive Power. NeurIPS 2022, Theorem 4.3 and its proof sketch (section 4.3).
.. [BHLM] Bartlett, Harvey, Liaw, Mehrabian. Nearly-tight VC-dimension and pseudodimension bounds
   for piecewise linear neural networks. JMLR 20(63):1-17, 2019, Theorem 7.
"""

import math
from fractions import Fraction

import mpmath

from ._bigint import big, isqrt, small
from ._numbers import BigNumber, log2_int, log2_rational, round_up
from ._validation import check_choice, check_integer, check_real
from .errors import VCBoundTypeError

__all__ = [
    "Envelope",
    "DenseEnvelope",
    "Route",
    "VCRoute",
    "UnionRoute",
    "DagUnionRoute",
    "dag_edges",
    "dense_route",
    "paper_route",
    "get_route",
    "ROUTE_NAMES",
]

#: Working precision (bits) of the capacity evaluations.
PREC = 128

#: Names accepted by :func:`get_route` (and ``--route`` on the command line).
ROUTE_NAMES = ("union", "union-dag", "dense", "paper")

#: The classes of networks the shipped routes cover (used in every certified statement).
LAYERED = ("layered ReLU network (no skip connections; sparse layers allowed; identity output "
           "read by its sign)")
DAG = ("feed-forward ReLU network on any DAG (skip connections allowed: each unit reads any inputs "
       "and earlier units with its own weights, e.g. residual nets with their identity additions "
       "written into the weights of the units reading them; identity output read by its sign)")


def _h(x):
    """Short text of a possibly huge integer."""
    return BigNumber(exact=x).human()


def _log2(x):
    """log2 of a positive int, Fraction or mpf at :data:`PREC` bits (not rounded)."""
    if isinstance(x, int):
        return log2_int(x, PREC)
    if isinstance(x, Fraction):
        return log2_rational(x, PREC)
    with mpmath.workprec(PREC):
        return mpmath.log(x, 2)


def _log2_sum(*log2_terms):
    """``log2(sum 2^t)`` of floats, without overflow (steering helper)."""
    top = max(log2_terms)
    return top + math.log2(sum(2.0 ** (t - top) for t in log2_terms))


#: Above this ``x = log2 M`` the float approximations use leading-order asymptotics (the
#: neglected relative terms are below 2^-190, far under float precision).
_X_ASYMPTOTIC = 200.0
_LOG2E = math.log2(math.e)


# ---------------------------------------------------------------------------------------------
# envelopes
# ---------------------------------------------------------------------------------------------
class Envelope:
    """Counts of a network (or class of networks) at size ``M``: ``W``, ``L``, ``U``,
    ``sum_Wi``, ``R`` in the notation of BHLM Theorem 7 (vcbound docs §Capacity bounds), plus a description.

    Attributes
    ----------
    M, d : int
        The size (nonzero weights) and the input dimension it was built for.
    W : int
        Parameters (weights + biases).
    L : int
        Layers of computation units (output unit = layer ``L``).
    U : int
        Computation units.
    sum_Wi : int
        ``sum_i W_i = Lbar W`` with cumulative ``W_i`` (ReLU has degree 1).
    R : int
        ``sum_i k_i (1 + (i - 1) deg^(i-1)) = sum_i i k_i`` for ReLU.
    shape : str
        Human description, e.g. ``'[d, M x M, 1]'`` (built on first access when given as a
        callable, so that the solver's search does not format huge integers).
    """

    __slots__ = ("M", "d", "W", "L", "U", "sum_Wi", "R", "_shape")

    def __init__(self, M, d, W, L, U, sum_Wi, R, shape):
        self.M, self.d, self.W, self.L, self.U = M, d, W, L, U
        self.sum_Wi, self.R, self._shape = sum_Wi, R, shape

    @property
    def shape(self):
        if callable(self._shape):
            self._shape = self._shape()
        return self._shape

    def as_dict(self):
        """The counts as a plain dict (for reports)."""
        return {"shape": self.shape, "W": self.W, "L": self.L, "U": self.U,
                "sum_Wi": self.sum_Wi, "R": self.R}

    def __repr__(self):
        return (f"Envelope({self.shape}, W={self.W}, L={self.L}, U={self.U}, "
                f"sum_Wi={self.sum_Wi}, R={self.R})")


class DenseEnvelope:
    """The dense envelope ``[d, M x M, 1]``: ``M`` hidden ReLU layers of width ``M`` (vcbound docs §Routes).

    Reconstruction of the paper's "enveloping network" (its appendix is not available): a layered
    ReLU network with at most ``M`` nonzero weights has, after removing units with no nonzero
    incoming weight (they are constants and fold into the next biases), at most ``M`` hidden
    units, hence depth ``<= M`` and width ``<= M``; it embeds in the fully connected net with ``M``
    hidden layers of width ``M`` (identity padding ``relu(x) = x`` is exact after a ReLU). Closed
    forms (derived here from the layer widths; checked against
    :class:`vcbound.architecture.Architecture` in the tests):

    * ``W = (d + 1) M + (M - 1)(M^2 + M) + (M + 1) = M^3 + (d + 1) M + 1``,
    * ``L = M + 1``, ``U = M^2 + 1``,
    * cumulative ``W_i = (d + 1) M + (i - 1)(M^2 + M)`` for ``i = 1..M`` and ``W_{M+1} = W``, so
      ``sum_Wi = (d + 1) M^2 + (M^2 + M) M (M - 1) / 2 + W``,
    * ``R = sum_i i k_i = M * M (M + 1) / 2 + (M + 1)``.

    Every count is non-decreasing in ``M``.

    Examples
    --------
    >>> DenseEnvelope().sizes(2, 2)   # [2, 2, 2, 1]: W_i = 6, 12, 15
    Envelope([2, 2 x 2, 1], W=15, L=3, U=5, sum_Wi=33, R=9)

    References
    ----------
    vcbound docs §Routes (dense envelope); the paper, proof sketch of Theorem 4.3 ("enveloping network").
    """

    name = "dense envelope [d, M x M, 1]"

    def sizes(self, M, d):
        """The :class:`Envelope` counts at size ``M`` (``M >= 1``) and input dimension ``d``."""
        Mg = big(M)
        W = small(Mg ** 3 + (d + 1) * Mg + 1)
        sum_wi = small((d + 1) * Mg * Mg + (Mg * Mg + Mg) * (Mg * (Mg - 1) // 2) + W)
        R = small(Mg * (Mg * (Mg + 1) // 2) + Mg + 1)
        return Envelope(M, d, W, M + 1, small(Mg * Mg + 1), sum_wi, R,
                        lambda: f"[{d}, {_h(M)} x {_h(M)}, 1]")


# ---------------------------------------------------------------------------------------------
# routes
# ---------------------------------------------------------------------------------------------
class Route:
    """Base class of routes (see the module docstring).

    Subclasses set :attr:`name`, :attr:`kind` (``'vc'`` or ``'growth'``), :attr:`certified`,
    :attr:`source`, :attr:`statement` and implement :meth:`capacity` and :meth:`envelope`.
    :meth:`capacity` must be **non-decreasing in M** (the solver bisects on it).

    Attributes
    ----------
    name : str
    kind : {'vc', 'growth'}
        ``'vc'``: :meth:`capacity` bounds the VC dimension and is compared with ``D_min``;
        ``'growth'``: it bounds ``log2 Pi(V)`` and is compared with ``log2 G``.
    certified : bool
        ``False`` for routes resting on an assumed bound (labelled ILLUSTRATIVE everywhere).
    """

    name = "route"
    kind = "vc"
    certified = True
    source = ""
    statement = ""
    #: The networks covered at size ``M`` ("every <covered_class> with at most M nonzero weights").
    covered_class = "network embedded in the route's envelope (user route)"

    def capacity(self, M, d, V):
        """Upper bound (mpf/int/Fraction) at size ``M``, or ``None`` if the route has none there."""
        raise NotImplementedError

    def envelope(self, M, d):
        """The :class:`Envelope` whose counts enter :meth:`capacity` at size ``M``."""
        raise NotImplementedError

    def max_M(self, d, V):
        """Largest ``M`` at which :meth:`capacity` gives a bound (``None``: no limit)."""
        return None

    def approx_log2_capacity(self, x, d, log2_V):
        """Float approximation of ``log2(capacity)`` at real ``M = 2^x``, or ``None``.

        Only steers the solver's search (a float root-find places ``M`` within a few units,
        then the rigorous :meth:`capacity` decides); routes without it are searched with the
        rigorous capacity alone. Must return ``None`` where :meth:`capacity` has no bound.
        """
        return None

    @property
    def status(self):
        """``'certified'`` or ``'ILLUSTRATIVE'``."""
        return "certified" if self.certified else "ILLUSTRATIVE"

    @property
    def label(self):
        """The name, with ``' (ILLUSTRATIVE)'`` appended for uncertified routes."""
        return self.name if self.certified else f"{self.name} (ILLUSTRATIVE)"

    def target_log2(self, D_min, log2_G):
        """``log2`` of what :meth:`capacity` is compared with (``log2 D_min`` or
        ``log2(log2 G)``), or ``None`` when that target is not positive (nothing can be ruled
        out). Approximate: only used to steer the search."""
        if self.kind == "vc":
            return D_min.log2_mpf if D_min.exact is None or D_min.exact > 0 else None
        return _log2(log2_G) if log2_G > 0 else None

    def compare(self, cap, D_min, log2_G, target_log2=False):
        """Whether ``cap`` rules the size out, and an approximate gap for the search.

        Parameters
        ----------
        cap : int, Fraction, mpf or None
            :meth:`capacity` at some ``M`` (``None``: no bound there).
        D_min : vcbound._numbers.BigNumber
            Rigorous lower bound on the VC dimension any successful class must have (vcbound docs §Sauer-Shelah).
        log2_G : mpf
            Rigorous lower bound on ``log2 G`` (inequality (1), vcbound docs §Double counting).
        target_log2 : mpf or None, optional
            :meth:`target_log2`, when the caller has it already.

        Returns
        -------
        (bool, float or None)
            ``ruled_out`` is rigorous: ``cap < D_min`` (kind ``'vc'``) or ``cap < log2 G`` (kind
            ``'growth'``), with ``cap`` an upper and the right side a lower bound, so a ``True``
            is a proof that no member of the covered class realizes enough labellings. ``gap`` is
            ``log2(cap) - log2(target)`` as a float (approximate; only used to steer the search).
        """
        if target_log2 is False:
            target_log2 = self.target_log2(D_min, log2_G)
        if cap is None or target_log2 is None:
            return False, None
        if self.kind == "vc":
            if D_min.exact is not None:
                ruled = cap < D_min.exact
            else:
                ruled = round_up(_log2(cap)) < D_min.log2_mpf
        else:
            ruled = cap < log2_G
        if cap <= 0:
            return bool(ruled), -1e300
        return bool(ruled), float(_log2(cap) - target_log2)

    def describe(self):
        """One paragraph: what the route bounds, with its source and status."""
        return f"{self.label}: {self.statement} [{self.source}; {self.status}]"

    def __repr__(self):
        return f"<route {self.label}>"


class VCRoute(Route):
    """A route made of an envelope and a VC-dimension upper bound of it (vcbound docs §Routes).

    ``M`` is ruled out when ``vc_bound(envelope.sizes(max(M, min_M), d)) < D_min``: every network
    with at most ``M`` nonzero weights embeds in the envelope, so its class has VC dimension at
    most the bound, while realizing ``>= G`` labellings of ``V`` points needs VC dimension
    ``>= D_min`` (Sauer–Shelah, vcbound docs §Sauer-Shelah).

    Parameters
    ----------
    name : str
        Short name shown in reports and tables.
    envelope : object with ``sizes(M, d) -> Envelope``
        E.g. :class:`DenseEnvelope`. Its counts must be non-decreasing in ``M``.
    vc_bound : callable ``(Envelope) -> int, Fraction or mpf``
        An upper bound on the VC dimension of the envelope, non-decreasing in every count.
        Floating values must already be rounded up.
    certified : bool, default False
        Whether ``vc_bound`` is a proven bound with explicit constants; if not, every output
        labels the route ILLUSTRATIVE.
    source : str
        Where the bound comes from (cited in every report).
    statement : str, optional
        The bound as a formula, for reports.
    min_M : int, default 1
        Evaluate the envelope at ``max(M, min_M)`` (a larger envelope contains the smaller one);
        used when the bound needs a minimum size (BHLM Theorem 7's VC bound needs ``U > 2``).
    approx : callable ``(x, d) -> float``, optional
        Float approximation of ``log2(vc_bound)`` at ``M = 2^x`` (already at ``max(M, min_M)``),
        only used to steer the search; without it the search uses the rigorous bound only.

    Examples
    --------
    Plug in the polynomial family of the paper's Theorem 4.5, ``VCdim <= c W^k`` with your own
    ``c`` and ``k`` (here ``c = 2``, ``k = 3``), without touching the solver:

    >>> from vcbound.capacity import polynomial_vc_bound
    >>> from vcbound.solver import solve
    >>> cubic = VCRoute("cubic", DenseEnvelope(),
    ...                 lambda env: polynomial_vc_bound(env.W, c=2, k=3).value,
    ...                 source="the paper, Theorem 4.5, with c = 2, k = 3 assumed")
    >>> cubic.label
    'cubic (ILLUSTRATIVE)'
    >>> r = solve(20, 0.1, 0.1, route=cubic)
    >>> r.route, r.certified
    ('cubic', False)

    With ``W ~ M^3`` and ``VCdim <= 2 W^3 ~ 2 M^9`` this route gives ``N_d ~ n^(1/9)``, fewer
    weights than the paper's ``C W^2`` route:

    >>> int(r.N_d.exact) <= int(solve(20, 0.1, 0.1, route="paper").N_d.exact)
    True

    References
    ----------
    vcbound docs §Routes; the paper, Theorem 4.5 (``VCdim <= poly(W)``).
    """

    kind = "vc"

    def __init__(self, name, envelope, vc_bound, certified=False, source="", statement="",
                 min_M=1, approx=None):
        if not isinstance(name, str) or not name.strip():
            raise VCBoundTypeError(f"Argument 'name' must be a non-empty string, not {name!r}.")
        if not callable(getattr(envelope, "sizes", None)):
            raise VCBoundTypeError("Argument 'envelope' must have a method sizes(M, d) returning "
                                   f"an Envelope, not {envelope!r}.")
        if not callable(vc_bound):
            raise VCBoundTypeError(f"Argument 'vc_bound' must be callable, not {vc_bound!r}.")
        self.name = name.strip()
        self.envelope_model = envelope
        self.vc_bound = vc_bound
        self.certified = bool(certified)
        self.source = source
        self.statement = statement or f"VCdim(envelope) <= {name}(W, L, U, sum W_i, R)"
        self.min_M = check_integer("min_M", min_M, minimum=1)
        self.approx = approx

    def approx_log2_capacity(self, x, d, log2_V=None):
        if self.approx is None:
            return None
        return self.approx(max(x, math.log2(self.min_M)), d)

    def envelope(self, M, d):
        return self.envelope_model.sizes(max(M, self.min_M), d)

    def capacity(self, M, d, V=None):
        """VC upper bound of the envelope at ``max(M, min_M)`` (``V`` is not used)."""
        return self.vc_bound(self.envelope(M, d))


def _bhlm_vc(env):
    from .capacity import bhlm_vc_upper

    return bhlm_vc_upper(env.L, env.W, env.sum_Wi, env.R, p=1)


def _dense_counts_log2(x, d):
    """Floats ``(log2 W, log2 sum_Wi, log2 R)`` of :class:`DenseEnvelope` at ``M = 2^x``."""
    if x <= _X_ASYMPTOTIC:
        M = 2.0 ** x
        W = M ** 3 + (d + 1) * M + 1
        sum_wi = (d + 1) * M * M + (M * M + M) * M * (M - 1) / 2 + W
        R = M * M * (M + 1) / 2 + M + 1
        return math.log2(W), math.log2(sum_wi), math.log2(R)
    return 3 * x, 4 * x - 1, 3 * x - 1


def _bhlm_vc_approx(x, d):
    """Float ``log2`` of BHLM Theorem 7's VC bound on the dense envelope (steering only)."""
    _, lsum, lR = _dense_counts_log2(x, d)
    l2eR = 1 + _LOG2E + lR                       # log2(2 e R)
    inner = 1 + l2eR + math.log2(l2eR)          # log2(4 e R log2(2 e R))
    return lsum + math.log2(inner)              # the "+ L" term is below float precision


def dense_route():
    """BHLM Theorem 7's VC bound on the dense envelope ``[d, M x M, 1]`` (certified; vcbound docs §Routes).

    ``VCdim <= L + sum_Wi log2(4 e R log2(2 e R))`` (BHLM Theorem 7, ReLU: ``p = 1``,
    ``deg = 1``; needs ``U > 2``) with the :class:`DenseEnvelope` counts. For ``M = 1`` the
    envelope ``[d, 1, 1]`` has only ``U = 2`` units, so the route uses ``[d, 2, 2, 1]``, which
    contains it. With ``sum_Wi ~ M^4 / 2`` and ``R ~ M^3 / 2`` the bound grows like
    ``(3/2) M^4 log2 M`` (derived here; 1.6-1.9 M^4 log2 M at M = 10^3..10^12 from the
    lower-order logarithms), so ``N_d`` grows roughly like ``(n / log n)^(1/4)``, i.e. exponent
    about ``(d - 1)/4`` in ``1/(2 eps)``.

    Examples
    --------
    >>> r = dense_route()
    >>> r.name, r.kind, r.certified
    ('dense', 'vc', True)
    >>> r.envelope(1, 5).shape
    '[5, 2 x 2, 1]'
    """
    route = VCRoute("dense", DenseEnvelope(), _bhlm_vc, certified=True,
                    source="BHLM Theorem 7 on the dense envelope; vcbound docs §Routes",
                    statement="VCdim <= L + sum W_i log2(4 e R log2(2 e R)) on [d, M x M, 1]",
                    min_M=2, approx=_bhlm_vc_approx)
    route.covered_class = LAYERED
    return route


class _PaperBound:
    """``C W^2`` as an exact Fraction (picklable callable)."""

    def __init__(self, C):
        self.C = C

    def __call__(self, env):
        return self.C * env.W * env.W

    def approx(self, x, d):
        """Float ``log2(C W^2)`` at ``M = 2^x`` (steering only)."""
        return math.log2(self.C) + 2 * _dense_counts_log2(x, d)[0]


def paper_route(C=1):
    """The paper-style route: dense envelope with ``VCdim <= C W^2`` — ILLUSTRATIVE (vcbound docs §Routes).

    Goldberg–Jerrum-type bounds give ``VCdim = O(W^2)`` for piecewise-polynomial networks, but no
    source gives the constant, so ``C`` is yours (default 1) and the route is **not certified**.
    With ``W = M^3 + (d+1) M + 1 ~ M^3`` and ``D_min ~ t n`` it gives ``M ~ (t n / C)^(1/6)``
    (derived here), reproducing the exponent ``(d - 1)/6`` of the paper's Theorem 4.3.

    Parameters
    ----------
    C : positive real, default 1
        The constant in ``VCdim <= C W^2``, taken exactly (``0.5 -> 1/2``).

    Examples
    --------
    >>> paper_route().label
    'paper (ILLUSTRATIVE)'
    >>> paper_route(2).capacity(1, 2, None)   # W = 1 + 3 + 1 = 5, 2 * 25
    Fraction(50, 1)
    """
    C = check_real("C", C, 0, low_open=True)
    bound = _PaperBound(C)
    route = VCRoute("paper", DenseEnvelope(), bound, certified=False, approx=bound.approx,
                    source=f"dense envelope with VCdim <= C W^2, C = {C} assumed (no source gives "
                           "C); vcbound docs §Routes",
                    statement=f"VCdim <= C W^2 with C = {C} on [d, M x M, 1]")
    route.covered_class = LAYERED
    return route


class UnionRoute(Route):
    """Union over (architecture, support) pairs, compared with ``log2 G`` directly (vcbound docs §Routes).

    **(derived here)** Let ``F_M`` be the sign classifiers of layered ReLU networks on ``R^d`` with
    at most ``M`` nonzero weights (biases free), and ``V`` the size of the set of inequality (1).

    1. *Normal form.* A hidden unit with no nonzero incoming weight outputs a constant; fold its
       contribution into the biases of the next layer and delete it (units with no path to the
       output are deleted too). Every remaining hidden unit has ``>= 1`` of the ``<= M``
       nonzero weights coming in, so there are ``<= M`` hidden units: depth ``h <= M`` hidden
       layers, ``L = h + 1 <= M + 1`` layers of units, ``U <= M + 1`` units, and
       ``P <= M + (M + 1) = 2M + 1`` parameters (the weights plus one bias per unit).
    2. *Pairs.* A member is fixed, up to its parameter values, by an architecture (``h <= M``
       hidden layers of widths in ``[1, M]``: ``sum_{h=0}^{M} M^h <= (M + 1) M^(M+1)`` choices)
       and a support (a set of ``<= M`` edges among the ``<= d M + (M - 1) M^2 + M <= E :=
       d M + M^3 + M`` possible ones: ``<= Phi_M(E)`` choices). Hence
       ``#pairs <= (M + 1) M^(M+1) Phi_M(E)``, and ``Pi_{F_M}(V) <= sum_pairs Pi_pair(V)``.
    3. *One pair.* BHLM Theorem 7 for the pair's (sparse) network with ``m = V``, aggregated by
       Jensen as in BHLM's proof (see :func:`vcbound.capacity.bhlm_log2_growth_upper`):
       ``log2 Pi_pair(V) <= L + S log2(2 e V R / S)`` with ``S = sum_i W_i`` and
       ``R = sum_i i k_i``, valid for ``V >= S``. Since every cumulative ``W_i <= P``,
       ``S <= L P``; ``R <= L U``.
    4. *Monotone replacement.* ``S log2(2 e V R / S)`` increases in ``R`` and, for ``S < 2 V R``,
       in ``S`` (its derivative in ``S`` is ``log2(2 V R / S)``). With ``S <= V`` and ``R >= 1``
       this holds, so we may replace ``L, S, R`` by ``L+ = M + 1``, ``S+ = (M + 1)(2M + 1)``,
       ``R+ = (M + 1)^2`` whenever ``V >= S+``:

       ``log2 Pi_{F_M}(V) <= log2(M + 1) + (M + 1) log2 M + log2 Phi_M(E)
       + (M + 1) + S+ log2(2 e V R+ / S+)``.

    5. *When V < S+.* Theorem 7(a) is not available at ``m = V``. Since the growth function is
       non-decreasing in ``m``, the best one could do is evaluate it at ``m = S+``, giving
       ``log2 Pi(V) <= ... + S+ log2(2 e R+) > S+ > V``; but ``G <= 2^V`` always
       (``C(c, V) <= C(n, V)``), so no such bound can beat ``log2 G``. The route therefore proves
       **nothing** for these ``M`` (``capacity`` returns ``None``), and restricting to
       ``V >= S+`` loses nothing.

    6. *The better count.* Layered networks are DAGs, so the count of supports of
       :class:`DagUnionRoute` (one fixed unit order, ``Phi_M((M + 1)(2d + M)/2)`` supports)
       covers them too. This route uses, at every ``M``, the smaller of the two pair counts
       (:meth:`log2_pairs`); the minimum of two non-decreasing bounds is non-decreasing, and it is
       never above the DAG route's bound, so ``N_d(union) >= N_d(union-dag)`` at equal ``V``.
       The DAG count is the smaller one for every ``M >= 1`` tried (it saves about
       ``2 M log2 M`` bits out of about ``2 M^2 log2(e V)``), so it moves ``N_d`` by a few
       units at most; :meth:`pairs_source` says which count was used.

    The bound is non-decreasing in ``M`` (derived here): the pair count, ``L+`` and ``S+`` grow;
    ``R+/S+ = (M + 1)/(2M + 1)`` shrinks, but the loss ``S+ log2(...)`` changes by at least
    ``(4M + 5) log2(e V) - 1.5 > 0`` per step. The solver's tests check it numerically too.
    Consistent with the paper's Theorem 3.4 technique; the exponent of ``N_d`` in
    ``1/(2 eps)`` is about ``(d - 1)/2`` (up to a logarithmic factor).

    Examples
    --------
    >>> r = UnionRoute()
    >>> r.capacity(1, 2, 5) is None    # S+ = 2 * 3 = 6 > V = 5: no bound
    True
    >>> x = r.capacity(1, 2, 6)   # layered: E = 4, log2 2 + 2 log2 1 + log2(1 + 4) = log2 10;
    >>> # DAG: Phi_1(2 * 5 / 2 = 5) = 6 < 10; + 2 + 6 log2(2e 6 4/6)
    >>> print(mpmath.nstr(x, 10))
    31.24113275
    >>> r.pairs_source(1, 2)
    'DAG'
    """

    name = "union"
    kind = "growth"
    certified = True
    covered_class = LAYERED
    source = "union over supports with BHLM Theorem 7(a) (derived here); vcbound docs §Routes"
    statement = ("log2 Pi(V) <= min{log2[(M+1) M^(M+1) Phi_M(dM + M^3 + M)], "
                 "log2 Phi_M((M+1)(2d+M)/2)} + (M+1) + S log2(2 e V R / S), "
                 "S = (M+1)(2M+1), R = (M+1)^2, V >= S")

    def envelope(self, M, d):
        """Counts ``P = 2M + 1``, ``L = U = M + 1``, ``S = L P``, ``R = U L`` of the pair class."""
        L = M + 1
        Lg = big(L)
        return Envelope(M, d, 2 * M + 1, L, L, small(Lg * (2 * M + 1)), small(Lg * Lg),
                        lambda: f"union over the supports, counted by the smaller of "
                                f"(M+1) M^(M+1) Phi_M(E = {_h(self.edges(M, d))}) (layered) and "
                                f"Phi_M(E = {_h(dag_edges(M, d))}) (DAG; here: "
                                f"{self.pairs_source(M, d)}), M = {_h(M)}")

    def max_M(self, d, V):
        """Largest ``M`` with ``(M + 1)(2M + 1) <= V`` (0 if none); beyond it no bound (point 5).

        >>> UnionRoute().max_M(2, 15), UnionRoute().max_M(2, 14)   # (2+1)(4+1) = 15
        (2, 1)
        """
        M = max(0, (isqrt(8 * V + 1) - 3) // 4)
        while big(M + 2) * (2 * M + 3) <= V:
            M += 1
        while M > 0 and big(M + 1) * (2 * M + 1) > V:
            M -= 1
        return M

    def approx_log2_capacity(self, x, d, log2_V):
        """Float ``log2`` of :meth:`capacity` at real ``M = 2^x`` (steering only; the
        ``Phi_M(E)`` terms through ``(e E/M)^M``); ``None`` where ``V < (M + 1)(2M + 1)``."""
        if x <= _X_ASYMPTOTIC:
            M = 2.0 ** x
            S = (M + 1) * (2 * M + 1)
            if math.log2(S) > log2_V:
                return None
            pairs = self._approx_log2_pairs(M, x, d)
            cap = pairs + M + 1 + S * (1 + _LOG2E + log2_V + 2 * math.log2(M + 1) - math.log2(S))
            return math.log2(cap)
        lS = 2 * x + 1
        if lS > log2_V:
            return None
        return _log2_sum(lS + math.log2(_LOG2E + log2_V),       # S log2(2 e V R / S)
                         *self._approx_log2_log2_pairs_big(x), x + 1)

    def _approx_log2_pairs(self, M, x, d):
        """Float log2 of the pair count at real ``M = 2^x`` (the smaller of the two counts)."""
        layered = math.log2(M + 1) + (M + 1) * x + M * (_LOG2E + math.log2(self.edges(M, d)) - x)
        return min(layered, _approx_log2_dag_pairs(M, x, d))

    def _approx_log2_log2_pairs_big(self, x):
        """log2 of the terms of the pair count for huge ``M = 2^x`` (DAG: ``M log2(e M / 2)``)."""
        return (x + math.log2(_LOG2E + x - 1),)

    def edges(self, M, d):
        """``E = d M + M^3 + M``, the number of candidate edges of the layered count."""
        Mg = big(M)
        return small(d * Mg + Mg ** 3 + Mg)

    def pairs_source(self, M, d):
        """Which count of :meth:`log2_pairs` is used at ``M``: ``'layered'`` or ``'DAG'``."""
        return "DAG" if self.log2_pairs(M, d) == self.log2_pairs_dag(M, d) else "layered"

    def log2_pairs(self, M, d):
        """Upper bound on ``log2`` of the number of supports: the smaller of
        :meth:`log2_pairs_layered` and :meth:`log2_pairs_dag` (point 6). The layered count is
        skipped when a lower bound of it, ``log2(M + 1) + (M + 1) log2 M + M log2(E / M)``
        (``Phi_M(E) >= C(E, M) >= (E/M)^M``), already exceeds the DAG count by a bit."""
        dag = self.log2_pairs_dag(M, d)
        if M >= 2:
            E = self.edges(M, d)
            with mpmath.workprec(64):
                lm = _log2(M)
                lo = _log2(M + 1) + (M + 1) * lm + M * (_log2(E) - lm)
            if lo > dag + 1:
                return dag
        return min(self.log2_pairs_layered(M, d), dag)

    def log2_pairs_dag(self, M, d):
        """``log2 Phi_M(E_dag)``, ``E_dag = (M + 1)(2d + M)/2`` (rounded up; see
        :class:`DagUnionRoute`)."""
        return _log2_phi_up(M, dag_edges(M, d))

    def log2_pairs_layered(self, M, d):
        """Upper bound on ``log2 #pairs = log2[(M + 1) M^(M+1) Phi_M(E)]`` (rounded up).

        ``Phi_M(E)`` exactly while ``E <= 20000``, else its bound ``(e E / M)^M``
        (vcbound docs §Sauer-Shelah;
        ``M <= E/2`` here, and ``E`` is ~``M^3``, so it exceeds the exact value only by a factor
        ~``sqrt(2 pi M)``, negligible next to the rest of the bound, and is four times cheaper
        than the tight form). Both choices are non-decreasing in ``M`` and the closed form is the
        larger, so the switch keeps the bound monotone.
        """
        E = self.edges(M, d)
        with mpmath.workprec(PREC):
            return round_up(_log2(M + 1) + (M + 1) * _log2(M) + _log2_phi_up(M, E))

    def capacity(self, M, d, V):
        """Upper bound on ``log2 Pi_{F_M}(V)``, or ``None`` when ``V < (M + 1)(2M + 1)``."""
        from .capacity import bhlm_log2_growth_upper

        env = self.envelope(M, d)
        if V < env.sum_Wi:
            return None
        with mpmath.workprec(PREC):
            return round_up(self.log2_pairs(M, d)
                            + bhlm_log2_growth_upper(V, env.L, env.sum_Wi, env.R, p=1))


def dag_edges(M, d):
    """``(M + 1)(2d + M)/2 = sum_{j=1}^{M+1} (d + j - 1)``: candidate edges on ``M + 1`` units in
    a fixed order, unit ``j`` reading the ``d`` inputs and units ``1..j-1`` (derived here).

    >>> dag_edges(1, 2)        # unit 1 reads 2 inputs, unit 2 reads 2 inputs and unit 1
    5
    """
    return small(big(M + 1) * (2 * d + M) // 2)


def _log2_phi_up(M, E):
    """Upper bound on ``log2 Phi_M(E)``: exact while ``E <= 20000``, else ``(e E / M)^M``
    (vcbound docs §Sauer-Shelah; both non-decreasing in ``M`` and ``E``, the closed form the
    larger)."""
    from .sauer import EXACT_MAX_M, log2_sauer

    with mpmath.workprec(PREC):
        return round_up(log2_sauer(M, E, "exact" if E <= EXACT_MAX_M else "em"))


def _approx_log2_dag_pairs(M, x, d):
    """Float ``log2 Phi_M(E_dag)`` through ``M log2(e E / M)`` at real ``M = 2^x``."""
    E = (M + 1) * (2 * d + M) / 2
    return M * (_LOG2E + math.log2(E) - x)


class DagUnionRoute(UnionRoute):
    """Union over supports for ReLU networks on **any DAG** (skip connections), compared with
    ``log2 G`` directly (vcbound docs §Skip connections).

    **(derived here)** Let ``F_M^dag`` be the sign classifiers of feed-forward ReLU networks on
    ``R^d`` whose units form a DAG (each unit ``relu(sum_j w_j u_j + b)`` of the inputs and of
    earlier units; the output unit is the identity) with at most ``M`` nonzero weights (biases
    free).

    1. *Normal form.* A unit with no nonzero incoming weight outputs a constant: fold it into the
       biases of the units reading it and delete it; delete the units with no path to the output.
       Every remaining hidden unit has ``>= 1`` of the ``<= M`` nonzero weights, so there are at
       most ``M`` hidden units and ``U <= M + 1`` units; ``P <= M + U <= 2M + 1`` parameters.
       The output is then the only sink.
    2. *One order.* Number the units along a topological order with the output last, and place
       them in the *last* ``U`` of ``M + 1`` fixed slots (the first slots stay unused). Unit ``j``
       of the slots may read the ``d`` inputs and units ``1..j-1``: the candidate edges number
       ``sum_{j=1}^{M+1} (d + j - 1) = (M + 1) d + M (M + 1)/2 = (M + 1)(2d + M)/2``
       (:func:`dag_edges`). A member is fixed, up to parameter values, by its support, a set of
       ``<= M`` candidate edges: ``<= Phi_M((M + 1)(2d + M)/2)`` choices, with no factor for
       architectures (the order is fixed). A cruder count, ``(d + M)(M + 1)`` candidate edges,
       is also valid but about twice as large for ``M >> d``; the count here is exact.
    3. *One support.* BHLM Theorem 7 holds for feed-forward networks on a DAG, the layer of a unit
       being the length of the longest path from the input to it (BHLM, section 2: units in
       layer ``i`` read inputs and units of layers ``< i``). The output is the only sink, so it
       is alone in the last layer ``L <= U <= M + 1``; every cumulative ``W_i <= P``, so
       ``S = sum_i W_i <= L P``, and ``R = sum_i i k_i <= L U``. As in :class:`UnionRoute`
       (points 3–5), for ``V >= S+ = (M + 1)(2M + 1)``:

       ``log2 Pi(V) <= log2 Phi_M((M + 1)(2d + M)/2) + (M + 1) + S+ log2(2 e V R+ / S+)``,
       ``R+ = (M + 1)^2``, and nothing for ``V < S+``.

    Non-decreasing in ``M`` like :class:`UnionRoute` (the support count grows with ``M``).
    Layered networks are DAGs, so a size this route rules out is ruled out for layered networks
    too; ``'union'`` uses the smaller of its count and this one.

    Networks with linear (identity) skip additions, as in residual blocks ``x + f(x)``, are
    covered once each addition is written into the weights of the ReLU units that read its
    result; the count ``M`` is then of those effective weights (it can exceed the nominal one).

    Examples
    --------
    >>> r = DagUnionRoute()
    >>> x = r.capacity(1, 2, 6)   # Phi_1(5) = 6: log2 6 + 2 + 6 log2(2e 6 4/6)
    >>> print(mpmath.nstr(x, 10))
    31.24113275
    """

    name = "union-dag"
    covered_class = DAG
    source = ("union over supports on M + 1 units in a fixed order with BHLM Theorem 7(a) "
              "(derived here); vcbound docs §Skip connections")
    statement = ("log2 Pi(V) <= log2 Phi_M((M+1)(2d+M)/2) + (M+1) + S log2(2 e V R / S), "
                 "S = (M+1)(2M+1), R = (M+1)^2, V >= S (networks on any DAG)")

    def envelope(self, M, d):
        L = M + 1
        return Envelope(M, d, 2 * M + 1, L, L, L * (2 * M + 1), L * L,
                        lambda: f"union over <= Phi_M(E = {_h(dag_edges(M, d))}) supports on "
                                f"M + 1 units in a fixed order (any DAG), M = {_h(M)}")

    def log2_pairs(self, M, d):
        return self.log2_pairs_dag(M, d)

    def pairs_source(self, M, d):
        return "DAG"

    def _approx_log2_pairs(self, M, x, d):
        return _approx_log2_dag_pairs(M, x, d)


def get_route(route, C=1):
    """A :class:`Route` from a name (``'union'``, ``'union-dag'``, ``'dense'``, ``'paper'``) or a
    Route instance.

    Parameters
    ----------
    route : str or Route
    C : positive real, default 1
        Constant of the ``'paper'`` route (ignored otherwise).

    Raises
    ------
    VCBoundError
        Unknown route name.

    Examples
    --------
    >>> get_route('Dense').name
    'dense'
    >>> get_route('fast')  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    vcbound.errors.VCBoundError: Argument 'route' must be one of 'union', 'union-dag', 'dense',
    'paper', not 'fast'.
    """
    if isinstance(route, Route):
        return route
    if not isinstance(route, str):
        raise VCBoundTypeError(f"Argument 'route' must be a route name or a Route, not {route!r}.")
    name = check_choice("route", route.strip(), ROUTE_NAMES)
    if name == "union":
        return UnionRoute()
    if name == "union-dag":
        return DagUnionRoute()
    if name == "dense":
        return dense_route()
    return paper_route(C)
