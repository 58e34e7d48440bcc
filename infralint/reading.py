"""Reading a source file from disk: regular files only, up to a size cap.

A FIFO named on the command line would block ``read`` forever, a ``.py``
link to ``/dev/zero`` would read until memory runs out. The file is opened
without blocking (a FIFO opens at once), checked on its open descriptor
(so it cannot be swapped between the check and the read) and read up to
the cap: what is not a regular file, or is larger than ``max-file-size``,
raises OSError with a reason the run reports as the file's IL001.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Union

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)
# 10 MB: far above any hand-written module, far below what would exhaust memory.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class SourceTooLarge(OSError):
    """The file is over the configured ``max-file-size``."""


def read_source(path: Union[str, Path], max_size: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_size`` of
    them; OSError (SourceTooLarge over the cap) with a reason otherwise."""
    handle = os.open(path, _FLAGS)
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            kind = next((name for test, name in _KINDS if test(status.st_mode)), "a special file")
            raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(path))
        if status.st_size > max_size:
            raise _too_large(path, status.st_size, max_size)
        data = stream.read(max_size + 1)  # it may have grown since fstat
    if len(data) > max_size:
        raise _too_large(path, max(len(data), status.st_size), max_size)
    return data


def _too_large(path: Union[str, Path], size: int, max_size: int) -> SourceTooLarge:
    reason = f"file too large: {_megabytes(size)}, over max-file-size ({max_size} bytes)"
    return SourceTooLarge(errno.EFBIG, reason, str(path))


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f} MB" if megabytes >= 0.1 else f"{size} bytes"
