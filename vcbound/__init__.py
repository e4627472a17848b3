"""vcbound: VC-dimension and growth-function bounds behind the robust-generalization argument of
Li, Jin, Zhong, Hopcroft and Wang, *Why Robust Generalization in Deep Learning is Difficult:
Perspective of Expressive Power* (NeurIPS 2022).

Importing vcbound is light: it does not import numba or compile anything. Public names are
loaded from their modules on first use.
"""

import importlib

from .errors import (CheckpointError, NoBoundError, TableTooLargeError, VCBoundError,
                     VCBoundTypeError)

__version__ = "0.1.0"

# public name -> module that defines it (imported lazily on first attribute access)
_LAZY = {}

__all__ = ["VCBoundError", "VCBoundTypeError", "NoBoundError", "CheckpointError",
           "TableTooLargeError", "__version__"] + sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vcbound' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
