"""Writing fixed files: atomically one by one, or as one group that a
rename ties together (all new contents first, then the renames; a failure
puts back what was already replaced).

Given the project root, nothing is written outside it: each file's real
path (links resolved, just before writing) must be inside the root, or
the group is not written. A link inside the root is written through (the
file it leads to is replaced, the link stays)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from infralint.errors import InfralintError


class FixWriteError(InfralintError):
    """A fixed file could not be written (read-only, vanished...)."""


@dataclass(frozen=True)
class FileWrite:
    """New bytes for ``path``; ``rename_to`` moves the file afterwards;
    ``original`` is what to put back if the group fails."""

    path: Path
    data: bytes
    original: Optional[bytes] = None
    rename_to: Optional[Path] = None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` keeping its mode; a reader never sees
    a half-written file."""
    write_together([FileWrite(path, data)])


def write_together(writes: Sequence[FileWrite], root: Optional[Path] = None) -> None:
    """Write every file of ``writes``, then do their renames; if anything
    fails, the files already replaced get their original bytes back and
    FixWriteError names the file that failed. With ``root``, a file whose
    real path is outside it fails the group before anything is written."""
    writes = [_resolved(write, root) for write in writes]
    staged: List[Tuple[FileWrite, str]] = []
    try:
        for write in writes:
            _check_writable(write)
            staged.append((write, _stage(write)))
    except FixWriteError:
        for _, temporary in staged:
            _discard(temporary)
        raise
    replaced: List[FileWrite] = []
    renamed: List[FileWrite] = []
    try:
        for write, temporary in staged:
            _replace(temporary, write.path)
            replaced.append(write)
        for write in writes:
            if write.rename_to is not None:
                _rename(write.path, write.rename_to)
                renamed.append(write)
    except FixWriteError:
        for _, temporary in staged:
            _discard(temporary)
        _restore(replaced, renamed)
        raise


def _resolved(write: FileWrite, root: Optional[Path]) -> FileWrite:
    """``write`` aimed at the file's real path; FixWriteError when that, or
    where it is renamed to, is outside ``root``."""
    path = Path(os.path.realpath(write.path))
    rename_to = write.rename_to
    if rename_to is not None:
        rename_to = Path(os.path.realpath(rename_to.parent)) / rename_to.name
    if root is not None:
        real_root = os.path.realpath(root)
        for target in (path, rename_to):
            if target is not None and not _inside(str(target), real_root):
                raise FixWriteError(f"{write.path}: not written: {target} is outside the project root {root}")
    return replace(write, path=path, rename_to=rename_to)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def _check_writable(write: FileWrite) -> None:
    path = write.path
    if not os.access(path, os.W_OK):
        reason = "no such file" if not path.exists() else "the file is read-only"
        raise FixWriteError(f"{path}: cannot write the fixes: {reason}")
    if write.rename_to is not None and os.path.lexists(write.rename_to):
        raise FixWriteError(f"{path}: cannot rename it to {write.rename_to.name}: that file exists")


def _stage(write: FileWrite) -> str:
    """A temporary file next to ``write.path`` with the new bytes and the
    file's mode."""
    path = write.path
    try:
        mode = path.stat().st_mode
        handle, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=".infralint")
    except OSError as error:
        raise _error(path, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(write.data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
    except OSError as error:
        _discard(temporary)
        raise _error(path, error) from error
    return temporary


def _replace(temporary: str, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except OSError as error:
        raise _error(path, error) from error


def _rename(path: Path, target: Path) -> None:
    if os.path.lexists(target):  # os.rename would overwrite it on POSIX
        raise FixWriteError(f"{path}: cannot rename it to {target.name}: that file exists")
    try:
        os.rename(path, target)
    except OSError as error:
        raise FixWriteError(f"{path}: cannot rename it to {target.name}: {error.strerror or error}") from error


def _restore(replaced: Sequence[FileWrite], renamed: Sequence[FileWrite]) -> None:
    """Best effort: undo the renames, put the original bytes back."""
    for write in reversed(renamed):
        try:
            os.rename(write.rename_to, write.path)  # type: ignore[arg-type]
        except OSError:
            pass
    for write in replaced:
        if write.original is None:
            continue
        try:
            write_atomically(write.path, write.original)
        except FixWriteError:
            pass


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def _error(path: Path, error: OSError) -> FixWriteError:
    return FixWriteError(f"{path}: cannot write the fixes: {error.strerror or error}")
