"""Writing fixed files: atomically one by one, or as one group that a
rename ties together.

A file is replaced by a temporary file written next to it (synced, with
the file's owner, group and mode), so a reader never sees half of it.
Like ruff and black, replacing makes a new inode: another hard link to
the file keeps the old content.

A group (several files, or a rename) is a journal (`infralint.journal`):
every new content is staged and every original kept as a backup before
the first file is replaced; then the files are replaced and renamed with
SIGINT and SIGTERM held (`infralint.interrupts`), so that a signal that can
be handled lets the group finish. A failure puts every file back from its
backup; a run killed outright leaves the journal, and the next run rolls
the group back. Temporary files and backups are removed on every exit
path a process can take.

A file is written only if it still holds the bytes it was read with
(``FileWrite.original``), checked when its new content is staged and,
by its size, timestamp and inode, again just before it is replaced: an
edit saved while infralint worked is never overwritten (the group is not
written, and the error says why).

Given the project root, nothing is written outside it: each file's real
path (links resolved, just before writing) must be inside the root, or
the group is not written. A link inside the root is written through (the
file it leads to is replaced, the link stays)."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Optional, Sequence

from infralint.errors import InfralintError
from infralint.interrupts import signal_pending, signals_deferred
from infralint.journal import Journal, JournalEntry, digest, roll_back

TEMPORARY_SUFFIX = ".infralint"
BACKUP_SUFFIX = ".infralint-orig"
# Tests: "staged:FILE" or "replaced:FILE" makes a write, after it has staged
# its first file or (a group) replaced its first file, create FILE and wait
# there (until FILE is removed or a signal comes, at most a minute), for a
# test to kill the process or change a file at that point.
PAUSE_VARIABLE = "INFRALINT_TEST_PAUSE"


class FixWriteError(InfralintError):
    """A fixed file could not be written (read-only, vanished...)."""


@dataclass(frozen=True)
class FileWrite:
    """New bytes for ``path``; ``rename_to`` moves the file afterwards;
    ``original``: the bytes it was read with, which it must still hold."""

    path: Path
    data: bytes
    original: Optional[bytes] = None
    rename_to: Optional[Path] = None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` keeping its owner and mode; a reader
    never sees a half-written file."""
    write_together([FileWrite(path, data)])


@dataclass
class _Staged:
    write: FileWrite
    entry: JournalEntry
    stat: os.stat_result  # of the file when its new content was staged


def write_together(writes: Sequence[FileWrite], root: Optional[Path] = None, token: str = "") -> None:
    """Write every file of ``writes``, then do their renames, all or
    nothing (see the module's doc); FixWriteError names the file that
    failed. With ``root``, a file whose real path is outside it fails the
    group before anything is written; the journal of a group goes there
    (else next to its first file). ``token`` starts the names of the
    temporary files (a `RunJournal`'s)."""
    writes = [_resolved(write, root) for write in writes]
    if not writes:
        return
    for write in writes:
        _check_writable(write)
    entries = [_entry(write, token) for write in writes]
    journal = None
    if len(writes) > 1 or writes[0].rename_to is not None:
        journal_dir = root or writes[0].path.parent
        journal = Journal(Path(journal_dir) / f".infralint-fix-{secrets.token_hex(6)}.journal", entries)
    staged: List[_Staged] = []
    try:
        if journal is not None:
            _journal_step(journal, "staging", writes[0].path)
        for write, entry in zip(writes, entries):
            staged.append(_Staged(write, entry, _stage(write, entry)))
            _pause_for_tests("staged")
            if journal is not None:
                _back_up(write, entry)
        with signals_deferred():
            _commit(staged, journal)
    finally:
        for entry in entries:
            _discard(entry.temporary)
            _discard(entry.backup)
        if journal is not None:
            journal.remove()


def _entry(write: FileWrite, token: str) -> JournalEntry:
    path = write.path
    stem = str(path.with_name(f".{path.name}.{token}{secrets.token_hex(4)}"))
    return JournalEntry(
        str(path),
        stem + TEMPORARY_SUFFIX,
        stem + BACKUP_SUFFIX,
        digest(write.original) if write.original is not None else "",
        digest(write.data),
        str(write.rename_to) if write.rename_to is not None else None,
    )


def _commit(staged: Sequence[_Staged], journal: Optional[Journal]) -> None:
    """Replace every file, then rename; on failure put everything back."""
    entries = [item.entry for item in staged]
    try:
        if journal is not None:
            _journal_step(journal, "replacing", staged[0].write.path)
        for number, item in enumerate(staged):
            _check_unchanged(item)
            _replace(item.entry.temporary, item.write.path)
            _pause_for_tests("replaced")
        for item in staged:
            if item.write.rename_to is not None:
                _rename(item.write.path, item.write.rename_to)
    except FixWriteError as error:
        left = roll_back(entries)
        if left:
            raise FixWriteError("; ".join([str(error), *left])) from error
        raise
    if journal is not None:
        with contextlib.suppress(OSError):  # then recovery finds nothing to undo
            journal.record("done")


def _journal_step(journal: Journal, state: str, path: Path) -> None:
    try:
        journal.record(state)
    except OSError as error:
        raise FixWriteError(f"{path}: cannot write the fixes: cannot write the journal {journal.file}: {error.strerror or error}") from error


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


def _stage(write: FileWrite, entry: JournalEntry) -> os.stat_result:
    """The new content in ``entry.temporary``, with the file's owner,
    group and mode; the file's stat, once it is known to be unchanged."""
    path = write.path
    try:
        status = os.stat(path)
        if write.original is not None and _read(path) != write.original:
            raise FixWriteError(f"{path}: not written: it changed since infralint read it (run --fix again)")
        handle = os.open(entry.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as error:
        raise _error(path, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(write.data)
            stream.flush()
            os.fsync(stream.fileno())
            _keep_owner(stream.fileno(), status, path)
        os.chmod(entry.temporary, stat.S_IMODE(status.st_mode))  # after chown, which clears set-id bits
    except OSError as error:
        raise _error(path, error) from error
    return status


def _keep_owner(handle: int, status: os.stat_result, path: Path) -> None:
    fchown = getattr(os, "fchown", None)
    if fchown is None:  # Windows: no owner to keep
        return
    staged = os.fstat(handle)
    if (staged.st_uid, staged.st_gid) == (status.st_uid, status.st_gid):
        return
    try:
        fchown(handle, status.st_uid, status.st_gid)
    except OSError as error:
        raise FixWriteError(
            f"{path}: not written: replacing it would change its owner or group ({error.strerror or error})"
        ) from error


def _back_up(write: FileWrite, entry: JournalEntry) -> None:
    """Keep the original under ``entry.backup``: a hard link to its inode
    (owner, mode and other links come back with it), else a copy."""
    try:
        os.link(write.path, entry.backup)
        return
    except OSError:
        pass  # no hard links on this file system
    try:
        data = write.original if write.original is not None else _read(write.path)
        handle = os.open(entry.backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(entry.backup, stat.S_IMODE(os.stat(write.path).st_mode))
    except OSError as error:
        raise _error(write.path, error) from error


def _check_unchanged(item: _Staged) -> None:
    """The file is still the one staged against (an edit saved since
    changes its timestamp, or its inode when an editor replaces it)."""
    path = item.write.path
    try:
        now = os.stat(path)
    except OSError as error:
        raise _error(path, error) from error
    before = item.stat
    if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_dev, before.st_size, before.st_mtime_ns):
        raise FixWriteError(f"{path}: not written: it changed while infralint was writing the fixes (run --fix again)")


def _read(path: Path) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


_paused: List[str] = []


def _pause_for_tests(point: str) -> None:
    hook = os.environ.get(PAUSE_VARIABLE, "")  # infralint: ignore[IL203] a test hook, not configuration
    where, _, marker = hook.partition(":")
    if where != point or _paused:  # once per run
        return
    _paused.append(point)
    Path(marker).touch()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and os.path.exists(marker) and not signal_pending():
        time.sleep(0.01)


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


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def _error(path: Path, error: OSError) -> FixWriteError:
    return FixWriteError(f"{path}: cannot write the fixes: {error.strerror or error}")
