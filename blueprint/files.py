"""Writing outputs safely: never half a file, never over the user's input.

Outputs are written to a temporary file beside the target and renamed into
place, so an interrupted run leaves the old file (or none), not a torn one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["OutputError", "check_output", "write_atomic"]


class OutputError(OSError):
    """An output that cannot or must not be written."""


def check_output(path: str | os.PathLike[str], protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Refuse, before any work is done, an output that would replace an input or cannot be made."""
    target = Path(path)
    for source in protect:
        if target.exists() and Path(source).exists() and target.samefile(source):
            raise OutputError(f"{target}: refusing to overwrite an input file")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such directory")
    return target


def write_atomic(path: str | os.PathLike[str], data: str | bytes,
                 protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Write `data` to `path` through a temporary file and a rename.

    ``protect`` lists the user's input files: writing over one is refused.
    """
    target = check_output(path, protect)
    folder = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
