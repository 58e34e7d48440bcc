"""Large buffers are linted in a child process.

A lint costs about 3 s per MB of source: on the server's one worker
thread, a 5 MB buffer would hold every other file's lint and code action
for ~15 s, and a lint already running cannot be stopped. In a child
process it runs beside them (on another core where there is one), and a
change to the buffer kills it at once: a stale run is never finished.

The child is ``python -m infralint.lsp.isolated``: the request (path, text,
workspace folders, the editor's settings) is pickled on its stdin, the
`LintOutcome` pickled on its stdout. It imports the engine, not pygls.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

from infralint.lsp.linting import LintOutcome, lint_outcome
from infralint.lsp.settings import ClientSettings
from infralint.lsp.workspace import ProjectRegistry

# Buffers of at least this many characters are linted in a child process.
LARGE_BUFFER_CHARACTERS = 1_000_000


class ChildLint:
    """One lint in a child process; `result` waits for it (on a thread),
    `cancel` kills it."""

    def __init__(self, path: Path, text: str, folders: List[Path], client: ClientSettings) -> None:
        self._request = pickle.dumps((path, text, folders, client), protocol=pickle.HIGHEST_PROTOCOL)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "infralint.lsp.isolated"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.cancelled = False

    def result(self) -> Optional[LintOutcome]:
        """The outcome; None when cancelled."""
        output, errors = self._process.communicate(self._request)
        if self.cancelled:
            return None
        if self._process.returncode != 0:
            reason = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"status {self._process.returncode}"]
            return LintOutcome(problems=[f"infralint: the lint of a large buffer failed: {reason[0]} (please report this bug)"])
        outcome: LintOutcome = pickle.loads(output)
        return outcome

    def cancel(self) -> None:
        self.cancelled = True
        if self._process.poll() is None:
            self._process.kill()


def main() -> None:
    path, text, folders, client = pickle.loads(sys.stdin.buffer.read())
    outcome = lint_outcome(ProjectRegistry(client), path, text, folders)
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
