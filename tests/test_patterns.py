"""Pattern helpers (vcbound.patterns) against plain-Python brute force on small random sets."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from vcbound.errors import VCBoundError, VCBoundTypeError
from vcbound.patterns import (check_patterns, largest_shattered_subset, pack_labels,
                              restrict_growth, robust_accuracy_experiment, unpack_patterns)


def random_labels(seed, count, n):
    rng = np.random.default_rng(seed)
    return [tuple(int(v) for v in row) for row in rng.choice([-1, 1], size=(count, n))]


def plain_pack(labels):
    """Reference packing in plain Python: bit (i % 64) of word (i // 64) is 1 iff label +1."""
    n = len(labels)
    words = [0] * ((n + 63) // 64)
    for i, v in enumerate(labels):
        if v == 1:
            words[i // 64] |= 1 << (i % 64)
    return words


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 130])
def test_pack_matches_plain_python_and_round_trips(n):
    labels = random_labels(n, 7, n)
    packed = pack_labels(labels)
    assert packed.dtype == np.uint64 and packed.shape == (7, (n + 63) // 64)
    assert packed.tolist() == [plain_pack(row) for row in labels]
    assert [tuple(r) for r in unpack_patterns(packed, n).tolist()] == labels
    bools = np.array(labels) > 0
    assert np.array_equal(pack_labels(bools), packed)


def brute_restrictions(labels, subset):
    return len({tuple(row[i] for i in subset) for row in labels})


@pytest.mark.parametrize("seed", range(6))
def test_restrict_growth_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 80))
    labels = random_labels(seed, int(rng.integers(1, 40)), n)
    P = pack_labels(labels)
    for k in (0, 1, 2, 3, min(n, 6), n):
        subset = [int(i) for i in rng.choice(n, size=k, replace=False)]
        assert restrict_growth(P, subset, n) == brute_restrictions(labels, subset)
        assert restrict_growth(P, subset) == brute_restrictions(labels, subset)


def brute_largest_shattered(labels, n):
    best = ()
    for k in range(n + 1):
        for subset in itertools.combinations(range(n), k):
            if brute_restrictions(labels, subset) == 2 ** k:
                best = subset
                break
        else:
            break  # no shattered k-set, so none larger (shattering is hereditary)
    return len(best)


@pytest.mark.parametrize("seed", range(10))
def test_largest_shattered_matches_brute_force(seed):
    rng = np.random.default_rng(50 + seed)
    n = int(rng.integers(3, 9))
    labels = sorted(set(random_labels(seed, int(rng.integers(2, 2 ** n)), n)))
    res = largest_shattered_subset(pack_labels(labels), n)
    assert res.exact
    assert res.size == brute_largest_shattered(labels, n)
    assert brute_restrictions(labels, res.subset) == 2 ** res.size


def test_shattered_all_labellings_and_budget():
    n = 6
    labels = list(itertools.product([-1, 1], repeat=n))
    res = largest_shattered_subset(pack_labels(labels), n)
    assert res.exact and res.subset == tuple(range(n))
    capped = largest_shattered_subset(pack_labels(labels), n, max_size=3)
    assert capped.size == 3 and capped.exact
    greedy = largest_shattered_subset(pack_labels(labels), n, budget=4)
    assert not greedy.exact and greedy.size == n  # greedy reaches the full set here
    # greedy result is still genuinely shattered
    assert brute_restrictions(labels, greedy.subset) == 2 ** greedy.size


def brute_best_agreement(labels, phi):
    return max(sum(a == b for a, b in zip(row, phi)) for row in labels)


@pytest.mark.parametrize("seed", range(4))
def test_robust_experiment_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 100))
    labels = random_labels(seed, int(rng.integers(1, 30)), n)
    res = robust_accuracy_experiment(pack_labels(labels), n, alpha="0.1", trials=25, seed=seed)
    # replay the same phi stream as the function (documented: default_rng(seed), 0/1 draws)
    replay = np.random.default_rng(seed).integers(0, 2, size=(25, n), dtype=np.uint8)
    phis = [tuple(1 if v else -1 for v in row) for row in replay]
    expected = [brute_best_agreement(labels, phi) for phi in phis]
    assert res.best_agreements.tolist() == expected
    t = math.floor(Fraction(1, 10) * n)
    assert res.allowed_errors == t
    assert res.empirical_fraction == sum(e >= n - t for e in expected) / 25
    ball = sum(math.comb(n, i) for i in range(t + 1))
    assert res.union_count == len(set(labels)) * ball
    assert res.counting_bound == min(1, Fraction(len(set(labels)) * ball, 2 ** n))


def test_robust_experiment_exhaustive_fraction_below_bound():
    # n = 8, alpha = 1/4: allowed errors t = 2; the exact fraction of phi reached (enumerated
    # over all 256 phi) must not exceed the union bound P Phi_2(8) / 2^8.
    n = 8
    labels = sorted(set(random_labels(3, 5, n)))
    allphi = list(itertools.product([-1, 1], repeat=n))
    exact = sum(brute_best_agreement(labels, phi) >= n - 2 for phi in allphi) / len(allphi)
    res = robust_accuracy_experiment(pack_labels(labels), n, alpha=0.25, trials=4000, seed=0)
    assert res.counting_bound == min(1, Fraction(len(labels) * (1 + 8 + 28), 256))
    assert exact <= res.counting_bound
    assert abs(res.empirical_fraction - exact) < 5 * math.sqrt(exact * (1 - exact) / 4000) + 1e-9
    assert "counting bound" in str(res) and res.to_dict()["trials"] == 4000


def test_floor_rounding_of_alpha_n():
    # alpha n = 0.1 * 25 = 2.5 -> at most 2 errors, agreement >= 23 = ceil(22.5)
    P = pack_labels([[1] * 25])
    res = robust_accuracy_experiment(P, 25, alpha=0.1, trials=10, seed=0)
    assert res.allowed_errors == 2 and res.required_agreement == 23


@pytest.mark.parametrize("bad, n, exc, match", [
    (np.zeros((2, 1), dtype=np.int64), 5, VCBoundTypeError, "uint64"),
    ([[1]], 5, VCBoundTypeError, "numpy uint64 array"),
    (np.zeros((2, 2), dtype=np.uint64), 5, VCBoundError, r"shape \(count, 1\)"),
    (np.zeros(3, dtype=np.uint64), 5, VCBoundError, "shape"),
    (np.array([[1 << 5]], dtype=np.uint64), 5, VCBoundError, "beyond point"),
    (np.zeros((1, 1), dtype=np.uint64), 0, VCBoundError, "'n' must be at least 1"),
])
def test_bad_patterns(bad, n, exc, match):
    with pytest.raises(exc, match=match):
        check_patterns(bad, n)
    with pytest.raises(exc, match=match):
        unpack_patterns(bad, n)


def test_bad_arguments():
    P = pack_labels([[1, -1, 1]])
    with pytest.raises(VCBoundError, match="values in"):
        pack_labels([1, 0, -1])
    with pytest.raises(VCBoundError, match="shape"):
        pack_labels(np.zeros((2, 2, 2)))
    with pytest.raises(VCBoundError, match="'subset' must be in"):
        restrict_growth(P, [0, 3], 3)
    with pytest.raises(VCBoundError, match="repeat"):
        restrict_growth(P, [0, 0], 3)
    with pytest.raises(VCBoundError, match="'alpha' must be in"):
        robust_accuracy_experiment(P, 3, alpha=1)
    with pytest.raises(VCBoundError, match="'trials' must be at least 1"):
        robust_accuracy_experiment(P, 3, alpha=0.1, trials=0)
    with pytest.raises(VCBoundError, match="at least one pattern"):
        largest_shattered_subset(np.zeros((0, 1), dtype=np.uint64), 3)
