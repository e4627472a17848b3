"""Exception types raised by vcbound.

Every public function of vcbound checks its arguments before doing any work and raises one of
these exceptions with a message that names the argument, the value received and what was
expected, e.g. ``Argument 'eps' must be in (0, 1/2], not 0.7.``

All of them derive from :class:`VCBoundError`, which subclasses :class:`ValueError`, so existing
``except ValueError`` code keeps working; wrong *types* raise :class:`VCBoundTypeError`, which is
also a :class:`TypeError`.

Examples
--------
>>> from vcbound.errors import VCBoundError
>>> issubclass(VCBoundError, ValueError)
True
>>> from vcbound.errors import VCBoundTypeError
>>> issubclass(VCBoundTypeError, TypeError) and issubclass(VCBoundTypeError, VCBoundError)
True
"""

__all__ = [
    "VCBoundError",
    "VCBoundTypeError",
    "NoBoundError",
    "CheckpointError",
    "TableTooLargeError",
    "NotExactError",
    "LimitError",
]


class VCBoundError(ValueError):
    """Base class of every error vcbound raises on purpose (a :class:`ValueError`)."""


class VCBoundTypeError(VCBoundError, TypeError):
    """An argument has the wrong type (also a :class:`TypeError`)."""


class NoBoundError(VCBoundError):
    """The requested argument yields no bound at all (e.g. alpha >= 1/2 in inequality (1))."""


class CheckpointError(VCBoundError):
    """A checkpoint file is corrupt or belongs to another run (grid, architecture or seed)."""


class TableTooLargeError(VCBoundError):
    """A table has more rows than can sensibly be printed in the requested format."""


class NotExactError(VCBoundError):
    """A number known only through a one-sided bound on its logarithm was asked for its exact
    value (``int()`` of a :class:`~vcbound._numbers.BigNumber` in log form)."""


class LimitError(VCBoundError):
    """The request is beyond a documented limit of vcbound (its size, memory or time, checked
    before any work starts); the message names the limit and the reason."""
