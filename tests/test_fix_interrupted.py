"""A `--fix` run interrupted by a real signal, in a real process: a group
of files (a module rename and its importers) is all or nothing, and no
temporary file is left behind (issue 17, items 2 and 8). The process is
stopped at a chosen point through INFRALINT_TEST_PAUSE, so the timing of
the kill is deterministic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest

from infralint.writes import PAUSE_VARIABLE
from tests.helpers import write_files

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

SHOP = {
    "pyproject.toml": "[tool.infralint]\n",
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/ports.py": "class Orders:\n    pass\n",
    "shop/infrastructure/__init__.py": "from .orders import SqliteOrderRepository\n",
    "shop/infrastructure/orders.py": "from shop.domain.ports import Orders\n\n\nclass SqliteOrderRepository(Orders):\n    pass\n",
    "shop/main.py": "import shop.infrastructure.orders\n\nREPO = shop.infrastructure.orders.SqliteOrderRepository()\n",
    "tests/test_orders.py": "from shop.infrastructure import orders\n\n\ndef test_it():\n    assert orders.SqliteOrderRepository\n",
}
RENAME = ("--fix", "--unsafe-fixes", "--select", "IL201", "--no-cache")
RENAMED = "shop/infrastructure/sqlite_order_repository.py"


def _tree(root: Path) -> Dict[str, bytes]:
    files = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            if "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _leftovers(root: Path) -> List[str]:
    """infralint's temporary files, backups and journals."""
    return sorted(name for name in _tree(root) if name.endswith((".infralint", ".infralint-orig", ".journal", ".tmp")))


def _infralint(root: Path, *args: str, pause: str = "") -> "subprocess.Popen[str]":
    env = {key: value for key, value in os.environ.items() if key != PAUSE_VARIABLE}
    if pause:
        env[PAUSE_VARIABLE] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "infralint", "check", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stopped_at(root: Path, point: str, *args: str) -> "subprocess.Popen[str]":
    """A run paused at ``point`` of its writes (see writes.PAUSE_VARIABLE)."""
    marker = root.parent / f"paused-{point}"
    process = _infralint(root, *args, pause=f"{point}:{marker}")
    deadline = time.monotonic() + 120  # a bound, not a measurement
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"the run did not reach {point}: {out}{err}")
        time.sleep(0.02)
    return process


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_files(root, SHOP)
    return root


def _assert_renamed(root: Path) -> None:
    after = _tree(root)
    assert "shop/infrastructure/orders.py" not in after
    assert RENAMED in after
    assert b"sqlite_order_repository" in after["shop/main.py"]
    assert b"sqlite_order_repository" in after["tests/test_orders.py"]
    assert b"sqlite_order_repository" in after["shop/infrastructure/__init__.py"]


def test_sigkill_in_the_middle_of_a_group_is_rolled_back_by_the_next_run(shop: Path) -> None:
    before = _tree(shop)
    process = _stopped_at(shop, "replaced", *RENAME)
    process.kill()
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    # Killed outright: one file replaced, the journal and backups say how
    # to undo it.
    half = _tree(shop)
    assert half != before and _leftovers(shop)
    assert any(name.startswith(".infralint-fix-") for name in half)

    after_recovery = _infralint(shop, "--no-cache", "--select", "IL201")
    out, err = after_recovery.communicate()
    assert "rolled back the fix of 4 files" in err, err
    assert "Traceback" not in err
    assert _tree(shop) == before  # every byte as it was, nothing left over

    again = _infralint(shop, *RENAME)
    out, err = again.communicate()
    assert again.returncode == 0, out + err
    _assert_renamed(shop)
    assert _leftovers(shop) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_sigint_in_the_middle_of_a_group_lets_it_finish(shop: Path, signum: int) -> None:
    process = _stopped_at(shop, "replaced", *RENAME)
    process.send_signal(signum)
    out, err = process.communicate()
    assert "Traceback" not in err
    assert process.returncode != 0  # stopped, though the group was finished
    _assert_renamed(shop)
    assert _leftovers(shop) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_staging_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    root = tmp_path / "project"
    write_files(root, {"pyproject.toml": "[tool.infralint]\n", "app.py": "try:\n    pass\nexcept:\n    raise\n"})
    before = _tree(root)
    process = _stopped_at(root, "staged", "--fix", "--no-cache")
    assert any(name.endswith(".infralint") for name in _tree(root))  # the staged file exists now
    process.send_signal(signum)
    out, err = process.communicate()
    assert process.returncode != 0
    assert "Traceback" not in err
    assert _tree(root) == before
    if signum == signal.SIGTERM:
        assert process.returncode == -signal.SIGTERM  # still ends as SIGTERM says


def test_sigkill_while_staging_a_group_leaves_nothing_after_the_next_run(shop: Path) -> None:
    before = _tree(shop)
    process = _stopped_at(shop, "staged", *RENAME)
    process.kill()
    process.communicate()
    assert _leftovers(shop)
    recovery = _infralint(shop, "--no-cache", "--select", "IL201")
    recovery.communicate()
    assert _tree(shop) == before


# 6. Lost edits ---------------------------------------------------------------
BARE_EXCEPT = "try:\n    pass\nexcept:\n    raise\n"
EDITED = "# saved in an editor while infralint was fixing\ntry:\n    pass\nexcept:\n    raise\n"


def test_an_edit_saved_before_the_write_is_never_overwritten(tmp_path: Path) -> None:
    """The file changes after its fix is staged, before it replaces the
    file: the check just before the replace catches it."""
    root = tmp_path / "project"
    write_files(root, {"pyproject.toml": "[tool.infralint]\n", "app.py": BARE_EXCEPT, "other.py": BARE_EXCEPT})
    process = _stopped_at(root, "staged", "--fix", "--no-cache")
    (root / "app.py").write_text(EDITED, encoding="utf-8")  # the user's save
    (tmp_path / "paused-staged").unlink()  # go on
    out, err = process.communicate()
    assert process.returncode == 2, out + err
    assert "app.py: not written: it changed while infralint was writing the fixes (run --fix again)" in err
    assert (root / "app.py").read_text(encoding="utf-8") == EDITED
    assert "except BaseException:" in (root / "other.py").read_text(encoding="utf-8")  # the others are fixed
    assert _leftovers(root) == []


def test_an_edit_saved_while_fixing_is_never_overwritten(tmp_path: Path, monkeypatch) -> None:
    """The file changes after infralint read it to fix it, before writing."""
    from infralint import fix_run
    from infralint.cli import main
    from tests.helpers import cli_runner

    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "app.py": BARE_EXCEPT})
    real_fix_file = fix_run.fix_file

    def fix_then_user_saves(engine, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = real_fix_file(engine, path, *args, **kwargs)
        path.write_text(EDITED, encoding="utf-8")
        return outcome

    monkeypatch.setattr(fix_run, "fix_file", fix_then_user_saves)
    result = cli_runner().invoke(main, ["check", "--fix", "--no-cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "app.py: not written: it changed since infralint read it (run --fix again)" in result.stderr
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == EDITED
    assert _leftovers(tmp_path) == []


def test_sigkill_while_writing_one_file_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_files(root, {"pyproject.toml": "[tool.infralint]\n", "app.py": BARE_EXCEPT})
    process = _stopped_at(root, "staged", "--fix", "--no-cache")
    process.kill()
    process.communicate()
    left = _leftovers(root)
    assert any(name.startswith(".app.py.") for name in left) and any(name.startswith(".infralint-run-") for name in left)
    assert (root / "app.py").read_text(encoding="utf-8") == BARE_EXCEPT  # whole: never replaced
    recovery = _infralint(root, "--no-cache")
    recovery.communicate()
    assert _leftovers(root) == []
    assert (root / "app.py").read_text(encoding="utf-8") == BARE_EXCEPT
