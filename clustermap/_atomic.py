"""Write files so that a reader never sees a half-written one."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from clustermap.errors import ConfigError

__all__ = ["atomic_path", "check_folder", "check_writable"]

#: errno values that mean "this place cannot be written", not a bug.
_PLACE_ERRORS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EISDIR: "it is a folder",
}


def _where_it_fails(target: Path, exc: OSError) -> str:
    reason = _PLACE_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write {target}: {reason}"


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Raise :class:`ConfigError` when ``path`` cannot be written; create its folder if missing.

    Says which part is wrong: a parent that is a file, a folder that cannot
    be written to, or ``path`` itself being a folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "file.txt").write_text("x")
    1
    >>> check_writable(folder / "file.txt" / "out.csv")
    Traceback (most recent call last):
    ...
    clustermap.errors.ConfigError: cannot write .../out.csv: ...file.txt is a file, not a folder
    """
    target = Path(path)
    if target.is_dir():
        msg = f"cannot write {target}: it is a folder; give a file name"
        raise ConfigError(msg)
    for parent in (target.parent, *target.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                msg = f"cannot write {target}: {parent} is a file, not a folder"
                raise ConfigError(msg)
            # the nearest folder that exists is where the file, or its new folders, would go
            if not os.access(parent, os.W_OK | os.X_OK):
                msg = f"cannot write {target}: the folder {parent} is not writable"
                msg += " (permission denied)"
                raise ConfigError(msg)
            break
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(_where_it_fails(target, exc)) from None
    return target


def check_folder(path: str | os.PathLike[str]) -> Path:
    """Create the output folder ``path`` (and its parents); :class:`ConfigError` when it cannot be.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_folder(folder / "out" / "deeper").is_dir()
    True
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        msg = f"cannot write to the folder {folder}: it is a file"
        raise ConfigError(msg)
    check_writable(folder / "_")
    return folder


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    The folder is created when missing. If the body raises (or the process
    is interrupted by Ctrl-C, or by SIGTERM under the command line), the
    temporary file is removed and ``path`` is left as it was. A path that
    cannot be written (its parent is a file, the folder is read-only) is a
    :class:`~clustermap.errors.ConfigError` naming the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = check_writable(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name[:100]}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise ConfigError(_where_it_fails(target, exc)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes owner-only files; give the result the usual permissions
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in _PLACE_ERRORS:
            raise ConfigError(_where_it_fails(target, exc)) from exc
        raise
