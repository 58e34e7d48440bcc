"""Killing the main process of a run ends its worker processes (they used
to wait on the pool's pipe forever). A real run in a subprocess, a real
SIGKILL, the workers looked up in /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Set

import pytest

from tests.helpers import write_files

# Linting slowly keeps the workers busy while the test looks for them.
SLOW_LINT = (
    "import time\nimport infralint.engine as engine\n"
    "original = engine.build_model\n"
    "def build_model(tree, package):\n    time.sleep(0.5)\n    return original(tree, package)\n"
    "engine.build_model = build_model\n"
    "import sys\nsys.argv = ['infralint', *sys.argv[1:]]\nfrom infralint.entry import main\nmain()\n"
)


def _children(pid: int) -> Set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _wait_for(condition, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _slow_run(root: Path, **popen: Any) -> "subprocess.Popen[str]":
    """`infralint check -j 2` on 80 files, each linted slowly."""
    write_files(root, {"pyproject.toml": "[tool.infralint]\n"})
    write_files(root, {f"app/module_{index}.py": f"VALUE = {index}\n" for index in range(80)})
    command = [sys.executable, "-c", SLOW_LINT, "check", "--no-cache", "-j", "2"]
    return subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, **popen)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_when_the_main_process_is_killed(tmp_path: Path) -> None:
    main = _slow_run(tmp_path, stderr=subprocess.DEVNULL)
    workers: Set[int] = set()
    try:
        assert _wait_for(lambda: len(_children(main.pid)) >= 2, 120), "the pool never started"
        workers = _children(main.pid)
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        # Bounded wait: the kernel signals them at once; this is no timing test.
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 60), "workers outlived the main process"
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_reaches_the_workers_too_and_the_run_still_ends_cleanly(tmp_path: Path) -> None:
    """A terminal's Ctrl-C goes to the whole process group. Workers that
    took it printed a traceback from the pool's queue, or left its lock
    held and the run hung; they ignore it now, and the parent stops."""
    main = _slow_run(tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers: Set[int] = set()
    try:
        assert _wait_for(lambda: len(_children(main.pid)) >= 2, 120), "the pool never started"
        workers = _children(main.pid)
        os.killpg(main.pid, signal.SIGINT)
        # A bound against a hang, not a timing assertion.
        _, stderr = main.communicate(timeout=120)
        assert main.returncode == 130
        assert stderr.strip() == "Aborted!"
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 60), "workers outlived the run"
    finally:
        if main.poll() is None:
            os.killpg(main.pid, signal.SIGKILL)
            main.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
