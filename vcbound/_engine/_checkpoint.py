"""Checkpoint files of long computations: plain ``.npz`` arrays, written atomically (internal).

A checkpoint is a dict of numpy arrays saved with :func:`numpy.savez`. Loading uses
``allow_pickle=False``, so a checkpoint file can never run code: object arrays are refused.
Writing goes to a temporary file in the target's directory, which is flushed, fsync-ed and then
renamed over the target with :func:`os.replace` (atomic on POSIX and Windows), so a crash or a
Ctrl-C during the write leaves either the old checkpoint or the new one, never a torn file.

:func:`read_checkpoint` checks the file's format tag and each array's dtype kind and number of
dimensions against a specification and raises :class:`~vcbound.errors.CheckpointError` with a
clear message for anything unexpected (not a zip file, truncated, missing or mistyped arrays).
Checks of the meaning of the arrays (which run they belong to) are the caller's.
"""

import os
import tempfile
import zipfile

import numpy as np

from ..errors import CheckpointError

__all__ = ["write_checkpoint", "read_checkpoint"]

_FORMAT_KEY = "format"


def write_checkpoint(path, fmt, arrays):
    """Atomically write ``arrays`` (name -> array) and the format tag ``fmt`` to ``path``.

    Parameters
    ----------
    path : str or os.PathLike
    fmt : str
        Format tag stored in the array ``format`` and checked by :func:`read_checkpoint`.
    arrays : dict of str -> array_like
        Plain (non-object) arrays.

    Raises
    ------
    CheckpointError
        The directory is not writable or the disk is full (the old checkpoint is kept).

    Examples
    --------
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
    >>> write_checkpoint(path, "demo-v1", {"x": np.arange(3)})
    >>> read_checkpoint(path, "demo-v1", {"x": ("i", 1)})["x"].tolist()
    [0, 1, 2]
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    payload = {_FORMAT_KEY: np.array(fmt)}
    for name, value in arrays.items():
        arr = np.asarray(value)
        if arr.dtype.kind == "O":  # pragma: no cover - programming error
            raise TypeError(f"checkpoint array {name!r} must not be an object array")
        payload[name] = arr
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise CheckpointError(f"Cannot write checkpoint {path!r}: {exc.strerror or exc}.") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable (POSIX); best effort elsewhere
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def read_checkpoint(path, fmt, spec):
    """Read a checkpoint written by :func:`write_checkpoint` and check its structure.

    Parameters
    ----------
    path : str or os.PathLike
    fmt : str
        Expected format tag.
    spec : dict of str -> (str, int)
        For each required array: the allowed dtype kinds (e.g. ``"iu"``) and its number of
        dimensions.

    Returns
    -------
    dict of str -> numpy.ndarray

    Raises
    ------
    CheckpointError
        Unreadable, corrupt or truncated file, not a checkpoint of format ``fmt``, a missing
        array, or an array of the wrong kind or dimension.
    """
    path = os.fspath(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise CheckpointError(f"Checkpoint {path!r} does not exist.") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise CheckpointError(f"Checkpoint {path!r} is corrupt or not a .npz checkpoint "
                              f"({type(exc).__name__}: {exc}).") from None
    tag = arrays.get(_FORMAT_KEY)
    if tag is None or tag.dtype.kind != "U" or tag.ndim != 0 or str(tag) != fmt:
        found = "none" if tag is None else repr(str(tag)) if tag.dtype.kind == "U" else "invalid"
        raise CheckpointError(f"Checkpoint {path!r} is not a {fmt!r} checkpoint "
                              f"(format tag: {found}).")
    for name, (kinds, ndim) in spec.items():
        arr = arrays.get(name)
        if arr is None:
            raise CheckpointError(f"Checkpoint {path!r} is corrupt: array {name!r} is missing.")
        if arr.dtype.kind not in kinds or arr.ndim != ndim:
            raise CheckpointError(f"Checkpoint {path!r} is corrupt: array {name!r} has dtype "
                                  f"{arr.dtype} and {arr.ndim} dimension(s), expected kind "
                                  f"{kinds!r} and {ndim} dimension(s).")
    return arrays
