"""Directory listings shared by the walks of one run (infralint.listings)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infralint.listings import DirectoryListings, directory_prefix
from tests.helpers import write_files


def _os_walk_python_files(top: Path) -> set:
    return {
        os.path.join(parent, name) for parent, _, names in os.walk(top) for name in names if name.endswith(".py")
    }


def test_python_files_are_those_os_walk_finds(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "",
            "pkg/notes.txt": "",
            "pkg/sub/b.py": "",
            "pkg/locale/en/LC_MESSAGES/django.po": "",
            "pkg/.hidden/c.py": "",
            "elsewhere/d.py": "",
        },
    )
    if hasattr(os, "symlink"):
        try:  # a link to a directory is not followed, one to a file is listed
            (tmp_path / "pkg/linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
            (tmp_path / "pkg/e.py").symlink_to(tmp_path / "elsewhere/d.py")
        except OSError:
            pass
    listings = DirectoryListings()
    found = {os.path.normpath(path) for path in listings.python_files(directory_prefix(tmp_path / "pkg"))}
    assert found == _os_walk_python_files(tmp_path / "pkg")
    assert str(tmp_path / "pkg/sub/b.py") in found and str(tmp_path / "elsewhere/d.py") not in found


def test_each_directory_is_listed_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"pkg/a.py": "", "pkg/sub/b.py": ""})
    listed = []
    real_scandir = os.scandir

    def counting(path):  # type: ignore[no-untyped-def]
        listed.append(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    listings = DirectoryListings()
    first = sorted(listings.python_files(directory_prefix(tmp_path / "pkg")))
    assert sorted(listings.python_files(directory_prefix(tmp_path / "pkg"))) == first
    assert len(listed) == 2  # pkg/ and pkg/sub/, once each
    # An unreadable or vanished directory is skipped, as os.walk skips it.
    assert list(listings.python_files(directory_prefix(tmp_path / "missing"))) == []
