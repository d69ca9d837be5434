"""Reading inputs and writing outputs: bounded, never blocking, never damaging the user's files.

Every file the toolkit reads — a model, a study, a trace, an overlay — goes
through :func:`read_input`: only a regular file is opened (a FIFO, a device or
a directory is refused as ``not-a-file`` without being read), the open cannot
block, and at most the size limit is read. Every file a command writes goes
through :func:`write_output`, and every command first checks all of its
outputs at once with :func:`check_outputs`, before any simulation starts:

- a regular file is written to a temporary file beside it and renamed into
  place, so an interrupted run leaves the old file (or none), never a torn
  one; the file keeps its mode, and its owner where the process may set it;
- a symlink is followed: its target is written, the link stays a link;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe
  someone reads) is written into, never renamed over, so it is never replaced;
- an output onto an input, onto a directory, a disk or a socket, two outputs
  onto one file, or a folder that is not there, is refused.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_INPUT_BYTES",
    "InputError",
    "Output",
    "OutputClash",
    "OutputError",
    "check_output",
    "check_outputs",
    "csv_text",
    "is_stream",
    "read_input",
    "write_atomic",
    "write_output",
    "write_outputs",
]

MAX_INPUT_BYTES = 10 * 1024 * 1024

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


# --- inputs ---------------------------------------------------------------------------------


class InputError(OSError):
    """An input that is not read: ``code`` is ``not-a-file``, ``file-unreadable`` or ``file-too-large``.

    ``reason`` says why in a few words, never quoting the file's contents.
    """

    def __init__(self, path: str, code: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.code, self.reason = path, code, reason


def read_input(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or :class:`InputError`.

    The file is looked at before it is opened, so a FIFO is never opened (and
    no open waits for a writer); it is opened non-blocking and looked at again
    (it may have been swapped), and read in chunks up to the limit, so a file
    that lies about its size (``/proc``) cannot fill the memory either.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except OSError as exc:
        raise InputError(name, "file-unreadable", _reason(exc)) from None
    _require_regular(name, info.st_mode)
    if info.st_size > limit:
        raise _too_large(name, limit, info.st_size)
    try:
        handle = os.open(name, _READ_FLAGS)
    except OSError as exc:
        raise InputError(name, "file-unreadable", _reason(exc)) from None
    try:
        _require_regular(name, os.fstat(handle).st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise _too_large(name, limit)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(name, "file-unreadable", _reason(exc)) from None
    finally:
        os.close(handle)


def _require_regular(name: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise InputError(name, "not-a-file", f"is {_kind(mode)}; only regular files are read")


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _too_large(name: str, limit: int, size: int | None = None) -> InputError:
    mib = limit / 1048576
    told = f"the file is {size / 1048576:.1f} MiB; " if size is not None else ""
    return InputError(name, "file-too-large", f"{told}an input file is at most {mib:g} MiB")


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, BlockingIOError):
        return "reading it would block"
    return exc.strerror or type(exc).__name__


# --- outputs --------------------------------------------------------------------------------


class OutputError(OSError):
    """An output that cannot or must not be written (exit status 2)."""


class OutputClash(OutputError):
    """Two outputs of one command name the same file: a usage error."""


@dataclass(frozen=True)
class Output:
    """One output of a command: a file, or a folder with the named files in it (``--csv DIR``).

    ``option`` names it in messages (``--json``).
    """

    path: Path
    option: str = "the output"
    files: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Target:
    """Where an output's bytes really go."""

    shown: str                     # the path as the user gave it
    kind: str                      # new, file, stream (a device or FIFO), fd
    real: Path | None = None       # symlinks followed
    fd: int | None = None          # /dev/stdout, /dev/fd/N: the descriptor itself
    info: os.stat_result | None = None

    def identities(self) -> set[object]:
        """What two outputs (or an output and an input) share if they are one file."""
        found: set[object] = {("fd", self.fd)} if self.fd is not None else {("path", str(self.real))}
        if self.info is not None and stat.S_ISREG(self.info.st_mode):
            found.add(("inode", self.info.st_dev, self.info.st_ino))
        return found


_FD_PATH = re.compile(r"^/(?:dev/fd|proc/(?:self|thread-self|\d+)/fd)/(\d+)$")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def _descriptor(path: str) -> int | None:
    """The descriptor a path such as /dev/stdout or /proc/self/fd/3 stands for (this process's)."""
    if os.name != "posix":
        return None
    if path in _STANDARD:
        return _STANDARD[path]
    match = _FD_PATH.match(path)
    if match is None:
        return None
    owner = path.split("/")[2]
    return int(match.group(1)) if owner in ("fd", "self", "thread-self", str(os.getpid())) else None


def _resolve(path: str | os.PathLike[str]) -> _Target:
    """Follow symlinks one by one to the file written: a descriptor, a special file or a path."""
    shown = os.fspath(path)
    current = os.path.abspath(shown)
    for _ in range(40):
        folder, name = os.path.split(current)
        current = os.path.join(os.path.realpath(folder), name) if name else os.path.realpath(current)
        fd = _descriptor(current)
        if fd is not None:
            try:
                return _Target(shown, "fd", fd=fd, info=os.fstat(fd))
            except OSError:
                raise OutputError(f"{shown}: descriptor {fd} is not open") from None
        try:
            link = os.readlink(current)
        except OSError:
            break
        current = os.path.join(os.path.dirname(current), link)
    else:
        raise OutputError(f"{shown}: too many levels of symbolic links")
    real = Path(current)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return _Target(shown, "new", real)
    except OSError as exc:
        raise OutputError(f"{shown}: {exc.strerror or exc}") from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return _Target(shown, "file", real, info=info)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return _Target(shown, "stream", real, info=info)
    if stat.S_ISDIR(mode):
        raise OutputError(f"{shown}: is a directory")
    raise OutputError(f"{shown}: is {_kind(mode)}; refusing to write onto it")


def _check(target: _Target) -> None:
    """Refuse what cannot be written: no folder, a folder or file without write permission."""
    if target.kind == "fd":
        return
    assert target.real is not None
    if target.kind != "new" and not os.access(target.real, os.W_OK):
        raise OutputError(f"{target.shown}: permission denied (the file is read-only)")
    if target.kind == "stream":
        return
    folder = target.real.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such directory")
    # the one sure test (a read-only mount, /proc, a folder root may not write in): try it
    handle, probe = _temporary(folder, target.real.name)
    os.close(handle)
    os.unlink(probe)


def _check_folder(output: Output) -> bool:
    """A folder of outputs is a directory, or can be made where it is asked for: is it there?"""
    folder = Path(os.path.realpath(output.path))
    if folder.exists():
        if not folder.is_dir():
            raise OutputError(f"{output.path}: not a directory ({output.option} names a folder)")
        return True
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: not a directory, so {output.path} cannot be made")
    probe = parent / f".{folder.name}.{secrets.token_hex(4)}.tmp"
    try:
        os.mkdir(probe)
        os.rmdir(probe)
    except OSError as exc:
        raise OutputError(f"{parent}: cannot make {output.path} in this folder "
                          f"({(exc.strerror or str(exc)).lower()})") from None
    return False


def _input_keys(inputs: Iterable[str | os.PathLike[str]]) -> dict[object, str]:
    keys: dict[object, str] = {}
    for source in inputs:
        real = Path(os.path.realpath(source))
        keys[("path", str(real))] = os.fspath(source)
        try:
            info = os.stat(real)
        except OSError:
            continue
        keys[("inode", info.st_dev, info.st_ino)] = os.fspath(source)
    return keys


def check_outputs(outputs: Iterable[Output | None],
                  inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Check every output of a command at once, before any work is done.

    Refuses (:class:`OutputError`) an output onto one of the `inputs`, onto a
    directory, a disk or a socket, into a folder that is not there or not
    writable; and (:class:`OutputClash`) two outputs onto one file, a folder
    of outputs (``--csv DIR``) counting for the folder and each of its files.
    """
    protected = _input_keys(inputs)
    claimed: dict[object, str] = {}
    checks: list[tuple[Path, _Target, bool]] = []
    for output in outputs:
        if output is None:
            continue
        planned = False  # the files of a folder still to be made: new, checked with the folder
        if output.files is None:
            targets = [(output.path, _resolve(output.path))]
        else:
            planned = not _check_folder(output)
            folder = os.path.realpath(output.path)
            _claim(claimed, {("path", folder)}, output.option, output.path)
            targets = [(output.path / name, _Target(str(output.path / name), "new", Path(folder, name))
                        if planned else _resolve(output.path / name)) for name in output.files]
        for path, target in targets:
            _claim(claimed, target.identities(), output.option, path)
            checks.append((path, target, planned))
    for path, target, _ in checks:
        source = next((protected[k] for k in target.identities() if k in protected), None)
        if source is not None:
            raise OutputError(f"{path}: refusing to overwrite an input file ({source})")
    for _, target, planned in checks:
        if not planned:
            _check(target)


def _claim(claimed: dict[object, str], keys: set[object], option: str, path: Path) -> None:
    for key in keys:
        if key in claimed:
            first = claimed[key]
            said = f"{first} and {option} both write" if first != option else f"{option} writes twice to"
            raise OutputClash(f"{said} {path}: give each output its own file")
    claimed.update(dict.fromkeys(keys, option))


def write_outputs(outputs: Iterable[tuple[Output, str | bytes]],
                  protect: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Write several outputs of one command: all checked first, then the devices and FIFOs
    (which may refuse, /dev/full) before the files, so a failure leaves no file replaced
    while another output is missing. Returns the paths in the order given."""
    items = list(outputs)
    protected = list(protect)
    check_outputs([o for o, _ in items], protected)
    streams = [i for i, (o, _) in enumerate(items) if _resolve(o.path).kind in ("stream", "fd")]
    for i in [*streams, *(i for i in range(len(items)) if i not in streams)]:
        output, data = items[i]
        write_output(output.path, data, protect=protected)
    return [o.path for o, _ in items]


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a device, a FIFO or a descriptor (/dev/null, /dev/stdout), not a file."""
    return _resolve(path).kind in ("stream", "fd")


def check_output(path: str | os.PathLike[str], protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Check one output file (see :func:`check_outputs`); return its path."""
    check_outputs([Output(Path(path))], protect)
    return Path(path)


def write_output(path: str | os.PathLike[str], data: str | bytes,
                 protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Write `data` to `path`: atomically to a file, straight into a device or FIFO.

    ``protect`` lists the user's input files: writing over one is refused.
    Returns `path` as given.
    """
    check_output(path, protect)
    target = _resolve(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.kind == "fd":
        assert target.fd is not None
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        _write_all(target.fd, payload, target.shown)
    elif target.kind == "stream":
        _write_into(target, payload)
    else:
        _replace(target, payload)
    return Path(path)


write_atomic = write_output  # its former name


def _write_all(handle: int, payload: bytes, shown: str) -> None:
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(handle, view):]
    except OSError as exc:
        raise OutputError(f"{shown}: {exc.strerror or exc}") from None


def _write_into(target: _Target, payload: bytes) -> None:
    """A device or a FIFO: opened without creating or truncating; a FIFO only if read."""
    assert target.real is not None
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(target.real, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO and target.info is not None and stat.S_ISFIFO(target.info.st_mode):
            raise OutputError(f"{target.shown}: a FIFO that no process reads; start the reader "
                              "first") from None
        raise OutputError(f"{target.shown}: {exc.strerror or exc}") from None
    try:
        if stat.S_ISREG(os.fstat(handle).st_mode):  # swapped for a file since it was looked at
            raise OutputError(f"{target.shown}: changed while it was being written; try again")
        os.set_blocking(handle, True)
        _write_all(handle, payload, target.shown)
    finally:
        os.close(handle)


def _replace(target: _Target, payload: bytes) -> None:
    """Write beside the file, give it the old one's mode and owner, and rename it into place."""
    assert target.real is not None
    folder, name = target.real.parent, target.real.name
    handle, temporary = _temporary(folder, name)
    try:
        try:
            _write_all(handle, payload, target.shown)
            if target.info is not None:
                _keep_owner_and_mode(handle, target.info)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target.real)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new file beside the target, with the mode a new file gets here (0666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = str(folder / f".{name[:200]}.{secrets.token_hex(4)}.tmp")  # within NAME_MAX
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write a file in this folder "
                              f"({(exc.strerror or str(exc)).lower()})") from None
    raise OutputError(f"{folder}: cannot write a file in this folder")


def _keep_owner_and_mode(handle: int, info: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        for owner in ((info.st_uid, info.st_gid), (-1, info.st_gid)):
            try:
                os.fchown(handle, *owner)
                break
            except OSError:
                continue
    if hasattr(os, "fchmod"):  # after the owner: a change of owner may clear set-id bits
        os.fchmod(handle, stat.S_IMODE(info.st_mode))


# --- CSV ----------------------------------------------------------------------------------------


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, ``None`` as an empty cell: one dialect for every CSV we write."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()
