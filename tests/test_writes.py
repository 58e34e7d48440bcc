"""Group writes: all new contents, then the renames; a failure anywhere
puts back what was already replaced and names the file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from infralint import writes
from infralint.writes import FileWrite, FixWriteError, write_atomically, write_together


def _files(tmp_path: Path) -> tuple:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_bytes(b"a = 1\n")
    b.write_bytes(b"b = 1\n")
    os.chmod(a, 0o640)
    return a, b


def test_writes_then_renames_keeping_the_mode(tmp_path: Path) -> None:
    a, b = _files(tmp_path)
    write_together([FileWrite(a, b"a = 2\n", b"a = 1\n", tmp_path / "a_client.py"), FileWrite(b, b"b = 2\n", b"b = 1\n")])
    assert not a.exists()
    assert (tmp_path / "a_client.py").read_bytes() == b"a = 2\n"
    assert stat.S_IMODE((tmp_path / "a_client.py").stat().st_mode) == 0o640
    assert b.read_bytes() == b"b = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_client.py", "b.py"]


def test_a_failed_replace_puts_back_the_files_already_written(tmp_path: Path, monkeypatch) -> None:
    a, b = _files(tmp_path)
    real_replace = os.replace

    def failing_replace(source: str, target: os.PathLike) -> None:
        if str(target).endswith("b.py"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(writes.os, "replace", failing_replace)
    with pytest.raises(FixWriteError, match=r"b\.py: cannot write the fixes: No space left on device"):
        write_together([FileWrite(a, b"a = 2\n", b"a = 1\n"), FileWrite(b, b"b = 2\n", b"b = 1\n")])
    monkeypatch.undo()
    assert a.read_bytes() == b"a = 1\n" and b.read_bytes() == b"b = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_a_failed_rename_undoes_everything(tmp_path: Path) -> None:
    a, b = _files(tmp_path)
    (tmp_path / "taken.py").write_bytes(b"")
    group = [
        FileWrite(b, b"b = 2\n", b"b = 1\n", tmp_path / "b_client.py"),
        FileWrite(a, b"a = 2\n", b"a = 1\n", tmp_path / "taken.py"),
    ]
    with pytest.raises(FixWriteError, match="cannot rename it to taken.py: that file exists"):
        write_together(group)
    os.remove(tmp_path / "taken.py")
    # The target appeared after the check: the rename step refuses too.
    real_lexists = os.path.lexists
    calls = []

    def late_target(path: os.PathLike) -> bool:
        calls.append(path)
        return str(path).endswith("a_client.py") and len(calls) > 2 or real_lexists(path)

    group = [
        FileWrite(b, b"b = 2\n", b"b = 1\n", tmp_path / "b_client.py"),
        FileWrite(a, b"a = 2\n", b"a = 1\n", tmp_path / "a_client.py"),
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writes.os.path, "lexists", late_target)
        with pytest.raises(FixWriteError):
            write_together(group)
    assert a.read_bytes() == b"a = 1\n" and b.read_bytes() == b"b = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_a_vanished_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FixWriteError, match=r"gone\.py: cannot write the fixes: no such file"):
        write_atomically(tmp_path / "gone.py", b"x = 1\n")
    assert list(tmp_path.iterdir()) == []


def test_recovery_leaves_a_live_runs_journal_and_reports_a_corrupt_one(tmp_path: Path) -> None:
    import json

    from infralint.journal import recover

    a, _ = _files(tmp_path)
    live = tmp_path / ".infralint-fix-live.journal"
    entry = {"path": str(a), "temporary": str(tmp_path / ".t"), "backup": str(tmp_path / ".b"), "original": "", "new": ""}
    live.write_text(json.dumps({"pid": os.getppid(), "state": "replacing", "entries": [entry]}), encoding="utf-8")
    corrupt = tmp_path / ".infralint-run-bad.journal"
    corrupt.write_text("{not json", encoding="utf-8")
    messages = recover(tmp_path)
    assert messages == [f"{corrupt}: ignoring an unreadable fix journal; remove it"]
    assert live.exists() and a.read_bytes() == b"a = 1\n"  # a run in progress is not touched


def test_a_file_whose_owner_cannot_be_kept_is_not_written(tmp_path: Path, monkeypatch) -> None:
    a, _ = _files(tmp_path)
    status = a.stat()

    def other_owner(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        found = real_stat(path, *args, **kwargs)
        if str(path) != str(a):
            return found
        fields = list(found)
        fields[stat.ST_UID] = status.st_uid + 1  # as if another user's
        return os.stat_result(fields)

    def refused(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    real_stat = os.stat
    monkeypatch.setattr(writes.os, "stat", other_owner)
    monkeypatch.setattr(writes.os, "fchown", refused)
    with pytest.raises(FixWriteError, match="would change its owner or group"):
        write_together([FileWrite(a, b"a = 2\n", b"a = 1\n")])
    monkeypatch.undo()
    assert a.read_bytes() == b"a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_rolling_back_leaves_a_file_edited_since_and_names_it(tmp_path: Path) -> None:
    from infralint.journal import JournalEntry, digest, roll_back

    a, b = _files(tmp_path)
    backup = tmp_path / ".a.py.orig"
    os.link(a, backup)
    os.replace(tmp_path / "b.py", a)  # a holds what the fix wrote...
    entry = JournalEntry(str(a), str(tmp_path / ".t"), str(backup), digest(b"a = 1\n"), digest(b"b = 1\n"))
    assert roll_back([entry]) == [] and a.read_bytes() == b"a = 1\n"  # ...and gets its original back
    a.write_bytes(b"edited\n")
    assert roll_back([entry]) == [f"{a}: left as it is: it changed after infralint began fixing it"]
    assert a.read_bytes() == b"edited\n"
