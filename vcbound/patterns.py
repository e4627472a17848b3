"""Analyses of sets of realized labellings ("patterns") of the n points of a grid.

Pattern contract (shared with :mod:`vcbound.enumerate`): a pattern set is a 2-D ``numpy.uint64``
array of shape (count, n_words), n_words = ceil(n / 64); bit (i % 64) of word (i // 64) is 1 iff
point i gets label +1 (network output > 0); unused high bits are 0; rows are distinct. Point i is
row i of :attr:`vcbound.grid.Grid.int_points`.

Functions here: packing (:func:`pack_labels`, :func:`unpack_patterns`), the growth function on a
subset (:func:`restrict_growth`), an empirical VC lower bound (:func:`largest_shattered_subset`)
and the counting experiment of the proof of Theorem 4.3 (:func:`robust_accuracy_experiment`).
All plain numpy (vectorised over patterns); nothing here imports numba.
"""

import math
from fractions import Fraction

import numpy as np

from ._numbers import BigNumber
from ._result import Result
from ._validation import check_integer, check_real, fmt_value
from .errors import VCBoundError, VCBoundTypeError

__all__ = ["pack_labels", "unpack_patterns", "check_patterns", "restrict_growth",
           "largest_shattered_subset", "ShatteredSubset", "robust_accuracy_experiment",
           "RobustAccuracyExperiment", "n_words"]

#: Default number of subset evaluations of the exact search in :func:`largest_shattered_subset`.
DEFAULT_BUDGET = 20_000


def n_words(n):
    """Number of 64-bit words per pattern for n points: ceil(n / 64).

    >>> n_words(64), n_words(65)
    (1, 2)
    """
    n = check_integer("n", n, 1)
    return (n + 63) // 64


def pack_labels(labels):
    """Pack labellings into the pattern format (bit = 1 iff label +1).

    Parameters
    ----------
    labels : array_like, shape (n,) or (count, n)
        Values in {-1, +1}, or booleans (True = +1). A 1-D input is one labelling.

    Returns
    -------
    numpy.ndarray
        uint64 array (count, ceil(n / 64)); (1, ceil(n / 64)) for a 1-D input.

    Raises
    ------
    VCBoundError
        Values other than +-1 / booleans, empty or more than 2-D input.

    Examples
    --------
    >>> pack_labels([1, -1, 1, 1]).tolist()       # bits 0, 2, 3: 1 + 4 + 8
    [[13]]
    >>> pack_labels([[True] * 65]).tolist()
    [[18446744073709551615, 1]]
    """
    arr = np.asarray(labels)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise VCBoundError(f"Argument 'labels' must have shape (n,) or (count, n) with n >= 1, "
                           f"not {arr.shape}.")
    if arr.dtype.kind == "b":
        bits = arr
    else:
        if arr.dtype.kind not in "iuf" or not np.isin(arr, (-1, 1)).all():
            raise VCBoundError("Argument 'labels' must hold values in {-1, +1} (or booleans).")
        bits = arr > 0
    count, n = bits.shape
    words = n_words(n)
    padded = np.zeros((count, words * 64), dtype=bool)
    padded[:, :n] = bits
    raw = np.packbits(padded, axis=1, bitorder="little")
    return np.ascontiguousarray(raw).view("<u8").astype(np.uint64).reshape(count, words)


def check_patterns(patterns, n):
    """Validate a pattern set against the contract above and return it (internal helper).

    Raises
    ------
    VCBoundError
        Not a 2-D uint64 array, wrong number of words for ``n``, or non-zero unused high bits.
    """
    n = check_integer("n", n, 1)
    if not isinstance(patterns, np.ndarray):
        raise VCBoundTypeError(f"Argument 'patterns' must be a numpy uint64 array, not "
                               f"{fmt_value(patterns)}.")
    if patterns.dtype != np.uint64:
        raise VCBoundTypeError(f"Argument 'patterns' must have dtype uint64, not "
                               f"{patterns.dtype}.")
    words = n_words(n)
    if patterns.ndim != 2 or patterns.shape[1] != words:
        raise VCBoundError(f"Argument 'patterns' must have shape (count, {words}) for n = {n} "
                           f"points, not {patterns.shape}.")
    if n % 64 and len(patterns) and (patterns[:, -1] >> np.uint64(n % 64)).any():
        raise VCBoundError(f"Argument 'patterns' has bits set beyond point n - 1 = {n - 1} "
                           "(unused high bits must be 0).")
    return patterns


def _bits(patterns, n):
    """bool array (count, n): bit i of each pattern."""
    raw = np.ascontiguousarray(patterns.astype("<u8")).view(np.uint8)
    return np.unpackbits(raw, axis=1, bitorder="little")[:, :n].astype(bool)


def unpack_patterns(patterns, n):
    """Labels in {-1, +1} of each pattern: int8 array (count, n).

    Examples
    --------
    >>> unpack_patterns(pack_labels([1, -1, 1, 1]), 4).tolist()
    [[1, -1, 1, 1]]
    """
    patterns = check_patterns(patterns, n)
    return np.where(_bits(patterns, n), np.int8(1), np.int8(-1))


def _check_subset(subset, n):
    try:
        idx = [check_integer("subset", i, 0, n - 1) for i in subset]
    except TypeError:
        raise VCBoundTypeError(f"Argument 'subset' must be a sequence of point indices, not "
                               f"{fmt_value(subset)}.") from None
    if len(set(idx)) != len(idx):
        raise VCBoundError("Argument 'subset' must not repeat a point index.")
    return idx


def _distinct_restrictions(bits_cols):
    """Number of distinct rows of a bool matrix (count, k)."""
    count, k = bits_cols.shape
    if count == 0:
        return 0
    if k == 0:
        return 1
    if k <= 63:
        weights = np.left_shift(np.uint64(1), np.arange(k, dtype=np.uint64))
        codes = (bits_cols.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
        return int(np.unique(codes).size)
    return int(np.unique(np.packbits(bits_cols, axis=1), axis=0).shape[0])


def restrict_growth(patterns, subset, n=None):
    """Number of distinct restrictions of the patterns to the points in ``subset``.

    For realized patterns this is the number of labellings of the subset the class realizes, a
    lower bound of its growth function ``Pi(|subset|)`` (the maximum over ``|subset|``-point sets).

    Parameters
    ----------
    patterns : numpy.ndarray
        Pattern set (uint64, (count, n_words)).
    subset : sequence of int
        Distinct point indices.
    n : int, optional
        Number of points; defaults to 64 n_words (then only the word count is checked).

    Returns
    -------
    int

    Examples
    --------
    >>> P = pack_labels([[1, 1, -1], [1, -1, -1], [-1, 1, 1]])
    >>> restrict_growth(P, [0, 1]), restrict_growth(P, [0, 2]), restrict_growth(P, [])
    (3, 2, 1)
    """
    if n is None:
        if not isinstance(patterns, np.ndarray) or patterns.ndim != 2:
            raise VCBoundError("Argument 'patterns' must be a 2-D uint64 array (count, n_words).")
        n = 64 * max(1, patterns.shape[1])
    patterns = check_patterns(patterns, n)
    idx = _check_subset(subset, n)
    words = np.array([i // 64 for i in idx], dtype=np.int64)
    shifts = np.array([i % 64 for i in idx], dtype=np.uint64)
    cols = ((patterns[:, words] >> shifts) & np.uint64(1)).astype(bool)
    return _distinct_restrictions(cols)


class ShatteredSubset(Result):
    """Outcome of :func:`largest_shattered_subset`.

    Attributes
    ----------
    subset : tuple of int
        A shattered subset of largest size found.
    size : int
    exact : bool
        True when no shattered subset is larger (within ``max_size``): the level-wise search
        finished. False when the budget ran out and greedy extension took over.
    upper_bound : int
        min(n, max_size, floor(log2 #patterns), size of the first level the exact search found
        empty minus 1): no shattered subset is larger.
    evaluations : int
        Subsets tested.
    method : str
    """

    _meanings = {
        "size": ("size of the largest shattered subset found: a lower bound on the VC dimension "
                 "of the patterns"),
        "subset": "indices of the points of that subset",
        "exact": "whether the search proved no larger shattered subset exists",
        "upper_bound": "no subset larger than this is shattered",
    }

    _headline = "size"

    def __init__(self, subset, exact, upper_bound, evaluations, method):
        self.subset = tuple(subset)
        self.size = len(self.subset)
        self.exact = exact
        self.upper_bound = upper_bound
        self.evaluations = evaluations
        self.method = method

    def title(self):
        return "Largest shattered subset (empirical VC lower bound)"

    def rows(self):
        return [("size", "size", self.size), ("subset", "subset", list(self.subset)),
                ("exact", "exact (search complete)", self.exact),
                ("upper_bound", "no shattered set larger than", self.upper_bound),
                ("evaluations", "subsets tested", self.evaluations),
                ("method", "method", self.method)]


def largest_shattered_subset(patterns, n, max_size=None, budget=DEFAULT_BUDGET):
    """A largest subset of the n points that the patterns shatter (all 2^k labellings present).

    If the patterns are realized by a class F, the size is a lower bound of VCdim(F).

    Search: shattered sets are closed under taking subsets, so the exact search goes level by
    level (Apriori): a k-set is tested only if all its (k-1)-subsets are shattered, and only while
    2^k <= #patterns. It is exact when it completes. When it would test more than ``budget``
    subsets, it stops and extends one shattered set of the last complete level greedily (add the
    lowest-index point that keeps it shattered, until none does): a valid lower bound, not
    necessarily the largest (``exact`` False).

    Parameters
    ----------
    patterns : numpy.ndarray
        Pattern set (uint64, (count, n_words)); duplicate rows are ignored.
    n : int
        Number of points.
    max_size : int, optional
        Do not look for subsets larger than this.
    budget : int
        Maximum number of subsets the exact search tests.

    Returns
    -------
    ShatteredSubset

    Examples
    --------
    >>> import itertools
    >>> P = pack_labels([list(t) + [1] for t in itertools.product([-1, 1], repeat=2)])
    >>> res = largest_shattered_subset(P, 3)
    >>> res.subset, res.exact
    ((0, 1), True)
    """
    patterns = check_patterns(patterns, n)
    n = check_integer("n", n, 1)
    budget = check_integer("budget", budget, 0)
    if len(patterns) == 0:
        raise VCBoundError("Argument 'patterns' must contain at least one pattern.")
    patterns = np.unique(patterns, axis=0)
    count = len(patterns)
    cap = min(n, count.bit_length() - 1)  # 2^k <= count
    if max_size is not None:
        cap = min(cap, check_integer("max_size", max_size, 0))
    bits = _bits(patterns, n)

    def shattered(subset):
        return _distinct_restrictions(bits[:, list(subset)]) == 1 << len(subset)

    level = [()]
    evaluations = 0
    for k in range(1, cap + 1):
        prev = set(level)
        candidates = []
        for base in level:
            start = base[-1] + 1 if base else 0
            for j in range(start, n):
                cand = base + (j,)
                if all(cand[:i] + cand[i + 1:] in prev for i in range(k - 1)):
                    candidates.append(cand)
            if evaluations + len(candidates) > budget:
                return _greedy(level[0], n, cap, shattered, evaluations, k - 1)
        evaluations += len(candidates)
        found = [c for c in candidates if shattered(c)]
        if not found:
            return ShatteredSubset(level[0], True, k - 1, evaluations, "exact level-wise search")
        level = found
    return ShatteredSubset(level[0], True, cap, evaluations, "exact level-wise search")


def _greedy(start, n, cap, shattered, evaluations, complete_level):
    current = tuple(start)
    grown = True
    while grown and len(current) < cap:
        grown = False
        for j in range(n):
            if j in current:
                continue
            evaluations += 1
            cand = tuple(sorted(current + (j,)))
            if shattered(cand):
                current, grown = cand, True
                break
    return ShatteredSubset(current, False, cap, evaluations,
                           f"exact search complete up to size {complete_level}, then greedy")


def _popcount_rows(words):
    """Number of set bits in each row of a uint64 array."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=-1, dtype=np.int64)
    table = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)
    raw = np.ascontiguousarray(words).view(np.uint8).reshape(*words.shape[:-1], -1)
    return table[raw].sum(axis=-1)


class RobustAccuracyExperiment(Result):
    """Outcome of :func:`robust_accuracy_experiment`; see there for every quantity."""

    _meanings = {
        "patterns": "distinct realized patterns compared with the random labellings",
        "allowed_errors": "errors a pattern may make on the n points, floor(alpha n)",
        "required_agreement": "points a pattern must get right, n - floor(alpha n)",
        "trials": "random labellings phi drawn",
        "mean_best_agreement": "average over phi of the best agreement of any pattern",
        "distribution": "how many phi had each best agreement",
        "empirical_fraction": "fraction of the phi some pattern reaches within the allowed errors",
        "standard_error": "binomial standard error of that fraction",
        "union_count": ("patterns times Phi_t(n): labellings within t errors of some pattern, at "
                        "most"),
        "counting_bound": "the counting argument's upper bound on the fraction reached",
    }

    _headline = "empirical_fraction"

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def title(self):
        return "Best accuracy of realized patterns on random labellings phi"

    def rows(self):
        bound = self.counting_bound
        shown = float(bound) if float(bound) > 0 else BigNumber(exact=bound)
        return [("n", "points n", self.n),
                ("patterns", "distinct patterns", self.patterns),
                ("alpha", "alpha", self.alpha),
                ("allowed_errors", "allowed errors floor(alpha n)", self.allowed_errors),
                ("required_agreement", "required agreement n - floor(alpha n)",
                 self.required_agreement),
                ("trials", "trials", self.trials), ("seed", "seed", self.seed),
                ("mean_best_agreement", "mean best agreement", self.mean_best_agreement),
                ("distribution", "best agreement: trials",
                 {str(k): v for k, v in self.distribution.items()}),
                ("empirical_fraction", "fraction of phi reached", self.empirical_fraction),
                ("standard_error", "its standard error", self.standard_error),
                ("union_count", "#patterns x Phi_t(n)", BigNumber(exact=self.union_count)),
                ("counting_bound", "counting bound on the fraction", shown)]


def robust_accuracy_experiment(patterns, n, alpha, trials=1000, seed=None):
    """The experiment behind the proof of Theorem 4.3: how well can realized patterns fit random phi?

    For ``trials`` labellings phi drawn uniformly from {-1, +1}^n, compute the best agreement
    max over patterns h of #{i : h_i = phi_i} (= n minus the smallest Hamming distance, by XOR and
    popcount), its distribution, and the fraction of phi that some pattern labels correctly on at
    least (1 - alpha) n points; report it next to the counting bound.

    Counting bound (derived here, the counting step of the paper's proof of Theorem 4.3): a
    pattern h labels phi correctly on >= (1 - alpha) n points iff dist(h, phi) <= alpha n, and
    since distances are integers iff dist(h, phi) <= t := floor(alpha n) (floor of the exact
    rational alpha n; rounding alpha n up would be wrong for the "iff", rounding the agreement
    (1 - alpha) n down would count phi the condition excludes). So the phi reached by h form the
    Hamming ball of radius t, of size Phi_t(n) = sum_{i<=t} C(n, i), and by the union bound

        #{phi reached by some pattern} <= P Phi_t(n),   fraction <= min(1, P Phi_t(n) / 2^n),

    with P the number of distinct patterns. It holds for every alpha in [0, 1); the empirical
    fraction estimates the true fraction (``|union of the balls| / 2^n``), which it bounds. A class
    that achieves accuracy >= 1 - alpha on S~ for every phi needs fraction 1, hence
    P >= 2^n / Phi_t(n) labellings of S~ (compare inequality (1) of the paper, vcbound docs §Double counting).

    Parameters
    ----------
    patterns : numpy.ndarray
        Pattern set (uint64, (count, n_words)); duplicates are ignored.
    n : int
        Number of points.
    alpha : number
        Tolerated error fraction in [0, 1), read as the exact rational typed (0.1 = 1/10).
    trials : int
        Number of random phi (>= 1).
    seed : int, optional
        Seed of numpy's default_rng (None: fresh entropy). The phi are drawn as
        ``rng.integers(0, 2, size=(block, n), dtype=numpy.uint8)`` (1 means +1), block by block.

    Returns
    -------
    RobustAccuracyExperiment
        Fields n, patterns, alpha, allowed_errors (t), required_agreement (n - t), trials, seed,
        best_agreements (int array, one per trial), distribution ({agreement: trials}),
        mean_best_agreement, empirical_fraction, standard_error (binomial), union_count
        (P Phi_t(n), exact int), counting_bound (exact Fraction, capped at 1).

    Examples
    --------
    >>> P = pack_labels([[1, 1, 1, 1], [-1, -1, -1, -1]])
    >>> res = robust_accuracy_experiment(P, 4, alpha=0.25, trials=200, seed=1)
    >>> res.allowed_errors, res.union_count, res.counting_bound    # 2 * (1 + 4) / 16
    (1, 10, Fraction(5, 8))
    >>> 0.4 < res.empirical_fraction < 0.85                         # exact fraction 10/16
    True
    """
    patterns = check_patterns(patterns, n)
    n = check_integer("n", n, 1)
    alpha = check_real("alpha", alpha, 0, 1, high_open=True)
    trials = check_integer("trials", trials, 1)
    if seed is not None:
        seed = check_integer("seed", seed, 0)
    if len(patterns) == 0:
        raise VCBoundError("Argument 'patterns' must contain at least one pattern.")
    P = np.unique(patterns, axis=0)
    t = math.floor(alpha * n)
    rng = np.random.default_rng(seed)
    words = P.shape[1]
    best = np.empty(trials, dtype=np.int64)
    block = max(1, 2**22 // (len(P) * words))
    for start in range(0, trials, block):
        m = min(block, trials - start)
        phis = pack_labels(rng.integers(0, 2, size=(m, n), dtype=np.uint8).astype(bool))
        for k in range(m):
            best[start + k] = n - int(_popcount_rows(P ^ phis[k]).min())
    values, counts = np.unique(best, return_counts=True)
    reached = int((best >= n - t).sum())
    frac = reached / trials
    from .sauer import sauer_sum  # Phi_t(n): the Hamming ball of radius t has Phi_t(n) points
    union = len(P) * sauer_sum(t, n)
    return RobustAccuracyExperiment(
        n=n, patterns=len(P), alpha=alpha, allowed_errors=t, required_agreement=n - t,
        trials=trials, seed=seed, best_agreements=best,
        distribution={int(v): int(c) for v, c in zip(values, counts)},
        mean_best_agreement=float(best.mean()), empirical_fraction=frac,
        standard_error=math.sqrt(frac * (1 - frac) / trials), union_count=union,
        counting_bound=min(Fraction(1), Fraction(union, 2**n)))
