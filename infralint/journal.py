"""The journal of a group of fixed files being written (a module rename
and its importers): what an interrupted group left, so that the next run
can put every file back as it was.

A group writes its journal, ``.infralint-fix-<token>.journal`` at the
project root, before it creates anything, and updates it as it goes
(each update replaces the file atomically):

- ``staging``: the temporary files and backups named in it may exist;
  the user's files are untouched. Recovery removes them.
- ``replacing``: files are being replaced and renamed. Each original is
  kept as a backup (a hard link to its inode, or a copy). Recovery rolls
  the group back: renames undone, originals moved back (same inode, so
  owner, mode and hard links are the original's). A file whose content is
  neither the original nor the fix (edited since) is left alone, named in
  a warning.
- ``done``: every file is written; recovery removes the leftover backups.

A whole ``--fix`` run also leaves a journal while it writes,
``.infralint-run-<token>.journal``: the files it may write. Every
temporary file and backup of the run is named ``.NAME.<token>....`` next
to its file, so that after a run killed outright the next run removes what
it left next to a single file too (a group's journal is undone first).

A journal names the process that wrote it: one whose process is still
running belongs to a run in progress and is left alone.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

from infralint.records import Record

JOURNAL_GLOB = ".infralint-fix-*.journal"
RUN_JOURNAL_GLOB = ".infralint-run-*.journal"
T = TypeVar("T")
FORMAT = 1


def digest(data: bytes) -> str:
    import hashlib  # not on a plain check's start-up path

    return hashlib.blake2b(data, digest_size=16).hexdigest()


class JournalEntry(Record):
    """One file of the group: where it is, what stands in for it while the
    group is written, and the digests that tell its state."""

    __slots__ = ("path", "temporary", "backup", "original", "new", "rename_to")

    def __init__(
        self, path: str, temporary: str, backup: str, original: str, new: str, rename_to: Optional[str] = None
    ) -> None:
        self.path = path
        self.temporary = temporary
        self.backup = backup
        self.original = original  # digest of the bytes it held
        self.new = new  # digest of the bytes it gets
        self.rename_to = rename_to

    def as_dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class Journal:
    def __init__(self, file: Path, entries: Sequence[JournalEntry]) -> None:
        self.file = file
        self.entries = list(entries)

    def record(self, state: str) -> None:
        """Write the journal in ``state`` (atomically, synced)."""
        data = {"format": FORMAT, "pid": os.getpid(), "state": state, "entries": [e.as_dict() for e in self.entries]}
        _write_json(self.file, data)

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.file)


class RunJournal:
    """The files a ``--fix`` run may write, kept at the root while it
    writes them (see the module's doc); ``token`` starts the names of its
    temporary files."""

    def __init__(self, root: Path, paths: Sequence[Path]) -> None:
        import secrets

        self.token = secrets.token_hex(4)
        self.file = root / f".infralint-run-{self.token}.journal"
        self.paths = [os.path.realpath(path) for path in paths]  # where the temporary files go

    def __enter__(self) -> "RunJournal":
        data = {"format": FORMAT, "pid": os.getpid(), "token": self.token, "paths": self.paths}
        with contextlib.suppress(OSError):  # then only the sweep after a SIGKILL is lost
            _write_json(self.file, data)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.file)


def _write_json(file: Path, data: Dict[str, Any]) -> None:
    """``data`` in ``file``, atomically and synced."""
    import json

    temporary = file.with_name(file.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, file)


def recover(root: Path) -> List[str]:
    """Undo the groups that interrupted runs left at ``root``, then remove
    what else they left; one warning line per group recovered or file left
    alone."""
    try:
        journals = sorted(root.glob(JOURNAL_GLOB))
        run_journals = sorted(root.glob(RUN_JOURNAL_GLOB))
    except OSError:
        return []
    if not journals and not run_journals:  # the usual case: json is not even imported
        return []
    messages: List[str] = []
    for file in journals:
        messages.extend(_recover_group(file))
    for file in run_journals:
        messages.extend(_sweep_run(file))
    return messages


def _load(file: Path, parse: Callable[[Dict[str, Any]], T]) -> Tuple[Optional[T], List[str]]:
    """``parse`` of the journal's data, None when it is unreadable (with a
    message) or its process still runs."""
    import json

    unreadable = f"{file}: ignoring an unreadable fix journal; remove it"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        pid = data["pid"]
        parsed = parse(data)
    except (OSError, ValueError, TypeError, KeyError):
        return None, [unreadable]
    if pid != os.getpid() and _running(pid):
        return None, []  # a run in progress
    return parsed, []


def _sweep_run(file: Path) -> List[str]:
    parsed, messages = _load(file, lambda data: (str(data["token"]), [Path(path) for path in data["paths"]]))
    if parsed is None:
        return messages
    token, paths = parsed
    for path in paths:
        for suffix in (".infralint", ".infralint-orig"):
            for leftover in path.parent.glob(f".{_glob_escaped(path.name)}.{token}*{suffix}"):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
    with contextlib.suppress(OSError):
        os.unlink(file)
    return messages


def _glob_escaped(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _recover_group(file: Path) -> List[str]:
    parsed, messages = _load(file, lambda data: (data["state"], [JournalEntry(**entry) for entry in data["entries"]]))
    if parsed is None:
        return messages
    state, entries = parsed
    if state == "replacing":
        messages.extend(roll_back(entries))
        names = ", ".join(Path(entry.path).name for entry in entries)
        messages.append(f"rolled back the fix of {len(entries)} files that a run stopped before finishing ({names})")
    for entry in entries:
        for leftover in (entry.temporary, entry.backup):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
    with contextlib.suppress(OSError):
        os.unlink(file)
    return messages


def roll_back(entries: Sequence[JournalEntry]) -> List[str]:
    """Put every file of an interrupted group back; warnings for files left
    as they are."""
    warnings: List[str] = []
    for entry in reversed(entries):
        path = entry.path
        if entry.rename_to is not None and not os.path.lexists(path) and os.path.lexists(entry.rename_to):
            if _digest_of(entry.rename_to) in (entry.new, entry.original):
                os.rename(entry.rename_to, path)
        current = _digest_of(path)
        if current == entry.original:
            continue
        if current == entry.new and os.path.exists(entry.backup):
            os.replace(entry.backup, path)
            continue
        warnings.append(f"{path}: left as it is: it changed after infralint began fixing it")
    return warnings


def _digest_of(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as stream:
            return digest(stream.read())
    except OSError:
        return None


def _running(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":  # os.kill would end it: never take a journal over there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, someone else's
        return True
    return True
