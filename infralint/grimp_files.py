"""What grimp sees of the file system while it builds the import graph.

grimp walks the packages itself (following every directory link) and
writes its cache with a plain ``open(..., "w")``. Its walk and its writes
go through one replaceable object, `grimp.adaptors.filesystem.FileSystem`;
infralint hands it this one for the duration of a build, so that grimp
finds the files discovery would and writes the way infralint does:

- only regular ``.py`` files are listed (a link loop, a FIFO or a link to
  ``/dev/zero`` named ``x.py`` would crash grimp's ``getmtime`` or block
  its read), and a linked file only when it resolves inside the project
  root; files over the size cap are left out too;
- directory links are not followed, as in discovery (a loop cannot make
  the walk endless);
- cache files are written to a temporary file that replaces the old one,
  so a concurrent run never reads a torn cache file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from typing import Iterator, List, Optional, Tuple

import grimp  # noqa: F401  (configures grimp's settings, FILE_SYSTEM included)
from grimp.adaptors.filesystem import FileSystem
from grimp.application.config import settings as grimp_settings


class ProjectFileSystem(FileSystem):
    """grimp's file system, confined to ``root`` (see the module's doc)."""

    def __init__(self, root: str, max_file_size: Optional[int] = None) -> None:
        self.root = os.path.realpath(root)
        self.max_file_size = max_file_size

    def walk(self, directory_name: str) -> Iterator[Tuple[str, List[str], List[str]]]:
        # os.walk without followlinks lists a linked directory among the
        # directories but does not enter it; grimp must not see it at all.
        for directory, dirs, files in os.walk(directory_name):
            dirs[:] = [name for name in dirs if not os.path.islink(os.path.join(directory, name))]
            files[:] = [name for name in files if not name.endswith(".py") or self._readable(os.path.join(directory, name))]
            yield directory, dirs, files

    def _readable(self, path: str) -> bool:
        try:
            status = os.stat(path)
        except OSError:  # a loop, a dangling link, gone
            return False
        if not stat.S_ISREG(status.st_mode):
            return False
        if self.max_file_size is not None and status.st_size > self.max_file_size:
            return False
        if os.path.islink(path):
            real = os.path.realpath(path)
            return os.path.commonpath([real, self.root]) == self.root
        return True

    def write(self, file_name: str, contents: str) -> None:
        directory = os.path.dirname(file_name)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(file_name)}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                print(contents, file=stream)  # as grimp writes it: with a newline
            os.replace(temporary, file_name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


@contextlib.contextmanager
def confined_to(root: str, max_file_size: Optional[int] = None) -> Iterator[None]:
    """grimp uses a `ProjectFileSystem` for ``root`` inside the block."""
    previous = grimp_settings.FILE_SYSTEM
    grimp_settings.configure(FILE_SYSTEM=ProjectFileSystem(root, max_file_size))
    try:
        yield
    finally:
        grimp_settings.configure(FILE_SYSTEM=previous)
