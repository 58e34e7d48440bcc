"""Directory listings shared by the walks of one run.

Discovery lists every directory it walks, and the project's layer scan
(does the tree look layered?) lists the same ones again: on Django's tree
that is 2,450 directories, most of them ``locale/`` trees, each listing a
system call or three. A run passes one ``DirectoryListings`` to both, so
each directory is listed once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterator, List


def directory_prefix(path: Path) -> str:
    """The absolute path with "/" separators and one trailing "/": how
    directories are named here."""
    text = str(path) if os.sep == "/" else str(path).replace(os.sep, "/")
    return text if text.endswith("/") else text + "/"


def entry_is_dir(entry: os.DirEntry, follow_symlinks: bool = True) -> bool:
    """``entry.is_dir`` that says no where it would raise: a symbolic
    link loop ("too many levels of symbolic links") is no directory."""
    try:
        return entry.is_dir(follow_symlinks=follow_symlinks)
    except OSError:
        return False


def entry_is_file(entry: os.DirEntry) -> bool:
    """``entry.is_file``, False for a link loop (see `entry_is_dir`)."""
    try:
        return entry.is_file()
    except OSError:
        return False


class DirectoryListings:
    """``os.scandir`` entries by directory, kept for the run (not longer:
    a long-lived editor session sees directories change)."""

    def __init__(self) -> None:
        self._entries: Dict[str, List[os.DirEntry]] = {}
        # Directories that exist but could not be listed, with the reason:
        # their files go unlinted, which a run must say rather than pass.
        self.unreadable: Dict[str, str] = {}

    def entries(self, directory: str) -> List[os.DirEntry]:
        """The entries of ``directory``, an absolute path with "/"
        separators and a trailing "/"; raises OSError as scandir does."""
        entries = self._entries.get(directory)
        if entries is None:
            try:
                with os.scandir(directory) as scanned:
                    entries = self._entries[directory] = list(scanned)
            except (FileNotFoundError, NotADirectoryError):
                raise  # vanished since its parent was listed: nothing to say
            except OSError as error:
                self.unreadable[directory] = error.strerror or type(error).__name__
                raise
        return entries

    def python_files(self, directory: str) -> Iterator[str]:
        """Every ``.py`` file below ``directory`` (named as for `entries`),
        as ``os.walk`` finds them: symbolic links to directories are not
        followed, unreadable directories are skipped."""
        stack = [directory]
        while stack:
            current = stack.pop()
            try:
                entries = self.entries(current)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(f"{current}{entry.name}/")
                elif entry.name.endswith(".py"):
                    yield current + entry.name
