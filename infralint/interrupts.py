"""SIGINT and SIGTERM while fixed files are written.

Two scopes (signal handlers can only be set in the main thread; elsewhere
both are no-ops):

- `terminated_as_exception` around all the writes of a run: SIGTERM raises
  `Terminated`, so that ``finally`` blocks remove the temporary files, as
  Ctrl-C's KeyboardInterrupt does; when it leaves the scope, the process
  ends by SIGTERM as it would have.
- `signals_deferred` around the few renames that commit a group of files:
  a SIGINT or SIGTERM arriving then is held until the group is complete,
  then delivered. A group is never left half written by a signal that can
  be handled (SIGKILL is left to the journal, `infralint.journal`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Any, Iterator, List, Optional

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM arrived (see `terminated_as_exception`)."""


def interruption_behind(error: BaseException) -> Optional[BaseException]:
    """The Ctrl-C or SIGTERM a Rust extension's panic stands for, if any.

    grimp's Rust core calls back into Python while it scans imports; an
    interruption raised there (KeyboardInterrupt, `Terminated`) comes back
    as a PanicException whose message alone names it (pyo3 keeps no
    cause), and must still stop the run rather than pass for a failure of
    the extension."""
    if type(error).__name__ != "PanicException":
        return None
    message = str(error)
    if "PyErr { type: <class 'KeyboardInterrupt'>" in message:
        return KeyboardInterrupt()
    if f"PyErr {{ type: <class '{__name__}.Terminated'>" in message:
        return Terminated()
    return None


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminated_as_exception() -> Iterator[None]:
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise  # where SIGTERM cannot end the process
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


class _Deferred:
    def __init__(self) -> None:
        self.received: List[int] = []

    def __call__(self, signum: int, frame: Any) -> None:
        self.received.append(signum)


_active: List[_Deferred] = []


def signal_pending() -> bool:
    """Whether a signal is being held by `signals_deferred`."""
    return any(deferred.received for deferred in _active)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    if not _in_main_thread():
        yield
        return
    deferred = _Deferred()
    previous = {number: signal.signal(number, deferred) for number in _SIGNALS}
    _active.append(deferred)
    try:
        yield
    finally:
        _active.remove(deferred)
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(deferred.received):
            signal.raise_signal(number)
