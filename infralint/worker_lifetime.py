"""Worker processes die with the process that started them.

A pool's workers wait for work on a pipe; when the main process is killed
(SIGKILL, the OOM killer, a CI timeout) nothing tells them, and they stay
forever. Each worker asks the kernel to kill it when its parent dies
(Linux's PR_SET_PDEATHSIG); elsewhere a daemon thread watches the parent's
pid and ends the worker when it changes (the worker was re-parented).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 1.0  # seconds between two looks at the parent, where there is no prctl


def die_with_parent(parent_pid: int) -> None:
    """Called first thing in a worker started by ``parent_pid``."""
    if sys.platform.startswith("linux") and _set_parent_death_signal():
        # The parent may have died before the call: then no signal comes.
        if os.getppid() != parent_pid:
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="infralint-parent-watch", daemon=True).start()


def _set_parent_death_signal() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):  # no libc prctl here: watch instead
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
