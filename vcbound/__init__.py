"""vcbound: VC-dimension and growth-function bounds behind the robust-generalization argument of
Li, Jin, Zhong, Hopcroft and Wang, *Why Robust Generalization in Deep Learning is Difficult:
Perspective of Expressive Power* (NeurIPS 2022).

Importing vcbound is light: it does not import numba or compile anything. Public names are
loaded from their modules on first use.
"""

import importlib

from .errors import (CheckpointError, LimitError, NoBoundError, NotExactError, TableTooLargeError,
                     VCBoundError, VCBoundTypeError)

__version__ = "0.1.0"

# public name -> module that defines it (imported lazily on first attribute access)
_LAZY = {
    # architecture
    'Architecture': 'architecture',
    # capacity
    'bhlm_vc_bound': 'capacity',
    'bhlm_growth_bound': 'capacity',
    'bhlm_thm10_bound': 'capacity',
    'baum_haussler_bound': 'capacity',
    'baum_haussler_growth_bound': 'capacity',
    'halfspace_vc_dimension': 'capacity',
    'cover_count': 'capacity',
    'cover_growth_bound': 'capacity',
    'goldberg_jerrum_bound': 'capacity',
    'karpinski_macintyre_bound': 'capacity',
    'polynomial_vc_bound': 'capacity',
    'all_bounds': 'capacity',
    'growth_upper_bound': 'capacity',
    # paper
    'table1': 'paper',
    'paper_bound': 'paper',
    # sauer
    'sauer_sum': 'sauer',
    'log2_sauer': 'sauer',
    'sauer_bound_expr': 'sauer',
    'd_min': 'sauer',
    # double_counting
    'C_alpha': 'double_counting',
    'growth_lower_bound': 'double_counting',
    'log2_growth_lower_bound': 'double_counting',
    'inequality_one': 'double_counting',
    'best_V': 'double_counting',
    'paper_t_check': 'double_counting',
    'sharp_t': 'double_counting',
    # solver
    'solve': 'solver',
    'bound_table': 'solver',
    'fit_exponent': 'solver',
    # routes
    'VCRoute': 'routes',
    'UnionRoute': 'routes',
    'DagUnionRoute': 'routes',
    'DenseEnvelope': 'routes',
    'Envelope': 'routes',
    'dense_route': 'routes',
    'paper_route': 'routes',
    'get_route': 'routes',
    # separated sets
    'separated_set': 'separated',
    # fixed architectures
    'rule_out': 'fixed_architecture',
    # grid
    'make_grid': 'grid',
    'construction': 'grid',
    # exact
    'count_linear_dichotomies': 'exact',
    'exact_count': 'exact',
    # enumerate
    'enumerate_labellings': 'enumerate',
    # patterns
    'pack_labels': 'patterns',
    'unpack_patterns': 'patterns',
    'restrict_growth': 'patterns',
    'largest_shattered_subset': 'patterns',
    'robust_accuracy_experiment': 'patterns',
    # network
    'ReLUNetwork': 'network',
    'load_network': 'network',
    # constructions
    'robust_network': 'constructions',
    'upper_bound': 'constructions',
    'upper_bound_details': 'constructions',
    'verify_robust': 'constructions',
    'memorize': 'constructions',
    'make_labels': 'constructions',
    # plotting
    'plot_construction': 'plotting',
    'plot_separation': 'plotting',
    'plot_certified_separation': 'plotting',
    'plot_sizes': 'plotting',
    'plot_saturation': 'plotting',
}

__all__ = ["VCBoundError", "VCBoundTypeError", "NoBoundError", "CheckpointError",
           "TableTooLargeError", "NotExactError", "LimitError", "__version__"] + sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vcbound' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
