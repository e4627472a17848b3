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

__all__ = ["write_checkpoint", "read_checkpoint", "CheckpointLock", "remove_stale_temporaries"]

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
    remove_stale_temporaries(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(path), suffix=".npz", dir=directory)
    except OSError as exc:
        raise CheckpointError(f"Cannot write checkpoint {path!r}: {exc.strerror or exc}.") from None
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


def _tmp_prefix(path):
    """Temporary files of ``path`` are ``.tmp-<name>.<pid>.<random>.npz`` in its folder: the
    pid tells a later run whether the writer is still alive."""
    return f".tmp-{os.path.basename(path)}.{os.getpid()}."


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temporaries(path):
    """Remove the temporary files a killed writer of checkpoint ``path`` left (kill -9 during
    a write): those named for ``path`` whose process no longer runs. Returns how many.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> stale = os.path.join(folder, ".tmp-run.npz.999999999.abc.npz")
    >>> open(stale, "wb").close()
    >>> remove_stale_temporaries(os.path.join(folder, "run.npz")), os.listdir(folder)
    (1, [])
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    prefix = f".tmp-{os.path.basename(path)}."
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".npz")):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            try:
                os.unlink(os.path.join(folder, name))
                removed += 1
            except OSError:
                pass
    return removed


class CheckpointLock:
    """Exclusive use of a checkpoint path by one run at a time (POSIX ``flock`` on
    ``.<name>.lock`` next to it, removed at the end). A second run on the same path, whatever
    its seed, is refused with :class:`~vcbound.errors.CheckpointError` instead of racing the
    first for the last write. Where ``fcntl`` is missing (Windows) this is a no-op.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
    >>> with CheckpointLock(path):
    ...     try:
    ...         CheckpointLock(path).__enter__()
    ...     except CheckpointError as exc:
    ...         print("refused")
    refused
    """

    def __init__(self, path):
        path = os.fspath(path)
        self.path = path
        self.lock_path = os.path.join(os.path.dirname(os.path.abspath(path)),
                                      f".{os.path.basename(path)}.lock")
        self._fd = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        for _attempt in range(10):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise CheckpointError(f"Cannot use checkpoint {self.path!r}: cannot create "
                                      f"{self.lock_path!r}: {exc.strerror or exc}.") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                other = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                raise CheckpointError(
                    f"Checkpoint {self.path!r} is in use by another run"
                    + (f" (process {other})" if other.isdigit() else "")
                    + "; wait for it to finish or use another --checkpoint file.") from None
            try:   # the file may have been removed by the previous holder after our open
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
                self._fd = fd
                return self
            os.close(fd)
        raise CheckpointError(f"Cannot lock checkpoint {self.path!r}.")  # pragma: no cover

    def __exit__(self, *exc):
        if self._fd is not None:
            try:
                os.unlink(self.lock_path)
            except OSError:
                pass
            os.close(self._fd)
            self._fd = None
        return False


def read_checkpoint(path, fmt, spec, optional=None):
    """Read a checkpoint written by :func:`write_checkpoint` and check its structure.

    Parameters
    ----------
    path : str or os.PathLike
    fmt : str
        Expected format tag (a file without it, or with another, is refused whatever arrays
        it holds).
    spec : dict of str -> (str, int)
        For each required array: the allowed dtype kinds (e.g. ``"iu"``) and its number of
        dimensions.
    optional : dict of str -> (str, int), optional
        Arrays that may be missing (later additions to a format, which older readers ignore);
        checked like ``spec`` when present.

    Returns
    -------
    dict of str -> numpy.ndarray
        Every array of the file (unchecked extra arrays included).

    Raises
    ------
    CheckpointError
        Unreadable, corrupt or truncated file, not a checkpoint of format ``fmt``, a missing
        required array, or an array (required or optional) of the wrong kind or dimension.

    Examples
    --------
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
    >>> write_checkpoint(path, "demo-v1", {"x": np.arange(3)})
    >>> sorted(read_checkpoint(path, "demo-v1", {"x": ("i", 1)}, optional={"y": ("u", 2)}))
    ['format', 'x']
    >>> write_checkpoint(path, "demo-v1", {"x": np.arange(3), "y": np.zeros(2)})
    >>> read_checkpoint(path, "demo-v1", {"x": ("i", 1)}, optional={"y": ("u", 2)})
    Traceback (most recent call last):
    ...
    vcbound.errors.CheckpointError: Checkpoint '...run.npz' is corrupt: array 'y' has dtype float64 and 1 dimension(s), expected kind 'u' and 2 dimension(s).
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
    except FileNotFoundError:
        raise CheckpointError(f"Checkpoint {path!r} does not exist.") from None
    except IsADirectoryError:
        raise CheckpointError(f"Checkpoint {path!r} is a folder, not a .npz file.") from None
    except OSError as exc:
        raise CheckpointError(f"Cannot read checkpoint {path!r}: {exc.strerror or exc}.") from None
    if magic == b"\x93NUMPY":
        raise CheckpointError(f"Checkpoint {path!r} is a single .npy array, not a .npz "
                              "checkpoint written by vcbound; give another file name.")
    if not magic.startswith(b"PK\x03\x04") and not magic.startswith(b"PK\x05\x06"):
        raise CheckpointError(f"Checkpoint {path!r} is not a .npz checkpoint (no zip header); "
                              "give another file name or remove it.")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise CheckpointError(f"Checkpoint {path!r} does not exist.") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        reason = " ".join(str(exc).split())
        if "pickle" in reason:
            reason = "it holds object arrays, which vcbound never writes nor loads"
        raise CheckpointError(f"Checkpoint {path!r} is corrupt or not a .npz checkpoint "
                              f"({reason[:200]}).") from None
    tag = arrays.get(_FORMAT_KEY)
    if tag is None or tag.dtype.kind != "U" or tag.ndim != 0 or str(tag) != fmt:
        found = "none" if tag is None else repr(str(tag)) if tag.dtype.kind == "U" else "invalid"
        raise CheckpointError(f"Checkpoint {path!r} is not a {fmt!r} checkpoint "
                              f"(format tag: {found}).")
    checks = [(name, want, True) for name, want in spec.items()]
    checks += [(name, want, False) for name, want in (optional or {}).items()]
    for name, (kinds, ndim), required in checks:
        arr = arrays.get(name)
        if arr is None:
            if not required:
                continue
            raise CheckpointError(f"Checkpoint {path!r} is corrupt: array {name!r} is missing.")
        if arr.dtype.kind not in kinds or arr.ndim != ndim:
            raise CheckpointError(f"Checkpoint {path!r} is corrupt: array {name!r} has dtype "
                                  f"{arr.dtype} and {arr.ndim} dimension(s), expected kind "
                                  f"{kinds!r} and {ndim} dimension(s).")
    return arrays
