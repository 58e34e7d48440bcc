"""What grimp sees of the file system while it builds the import graph.

grimp walks the packages itself (following every directory link) and
rewrites its cache files in place. Its walk goes through a replaceable
object (``FILE_SYSTEM`` in grimp's settings), its cache through a
replaceable class (``CACHE_CLASS``); infralint hands it these for the
duration of a build, so that grimp finds the files discovery would and
writes the way infralint does:

- only regular ``.py`` files are listed (a link loop, a FIFO or a link to
  ``/dev/zero`` named ``x.py`` would crash grimp's ``getmtime`` or block
  its read), and a linked file only when it resolves inside the project
  root; files over the size cap are left out too;
- directory links are not followed, as in discovery (a loop cannot make
  the walk endless);
- cache files are written (by grimp's cache class, through its Rust code)
  into a private directory, then each replaces the old one, so a
  concurrent run never reads a torn cache file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from typing import Any, Iterator, List, Optional, Tuple

import grimp  # noqa: F401  (configures grimp's settings, FILE_SYSTEM included)
from grimp.adaptors.caching import Cache
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
            # A name that is not UTF-8 cannot name a module: grimp's Rust
            # core panics on it (and discovery reports the file's IL001).
            dirs[:] = [name for name in dirs if _is_utf8(name)]
            files[:] = [
                name
                for name in files
                if _is_utf8(name) and (not name.endswith(".py") or self._readable(os.path.join(directory, name)))
            ]
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



class AtomicCache(Cache):
    """grimp's cache, whose files are written into a private directory and
    then moved into place one by one (``os.replace``): grimp itself
    truncates and rewrites them where they are."""

    def write(self, imports_by_module: Any) -> None:
        shared = self.cache_dir
        os.makedirs(shared, exist_ok=True)
        private = tempfile.mkdtemp(dir=shared, prefix=".infralint-staging-")
        self.cache_dir = private
        try:
            super().write(imports_by_module)
            for name in os.listdir(private):
                os.replace(os.path.join(private, name), os.path.join(shared, name))
        finally:
            self.cache_dir = shared
            shutil.rmtree(private, ignore_errors=True)


@contextlib.contextmanager
def confined_to(root: str, max_file_size: Optional[int] = None) -> Iterator[None]:
    """grimp uses a `ProjectFileSystem` for ``root`` and an `AtomicCache`
    inside the block."""
    previous = grimp_settings.FILE_SYSTEM, grimp_settings.CACHE_CLASS
    grimp_settings.configure(FILE_SYSTEM=ProjectFileSystem(root, max_file_size), CACHE_CLASS=AtomicCache)
    try:
        yield
    finally:
        grimp_settings.configure(FILE_SYSTEM=previous[0], CACHE_CLASS=previous[1])



def _is_utf8(name: str) -> bool:
    """Whether a file name decoded by Python holds no undecodable bytes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
