"""The fix walkthrough a new user would do on a copy of the example project:
``--diff``, ``--fix``, ``--fix --unsafe-fixes``; what remains is exactly the
seeded findings without a fix, a second run changes nothing, and the
example's own tests still pass."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Set, Tuple

from infralint.cli import main
from tests.helpers import cli_runner
from tests.test_self_and_example import SHOP
from tests.test_self_and_example import seeded as seeded_findings

FIXABLE = {"IL201", "IL302", "IL305"}


def _check(*args: str):
    return cli_runner().invoke(main, ["check", "--ignore", "IL501", *args, "."])


def _snapshot(root: Path) -> Dict[str, bytes]:
    """The project's files (the lint cache aside, as ruff's)."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and ".infralint_cache" not in p.parts)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def _found(result) -> Set[Tuple[str, int, str]]:
    return {(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)}


def test_fix_walkthrough_on_a_copy_of_the_example(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".infralint_cache"))
    monkeypatch.chdir(root)
    seeded = seeded_findings()
    assert FIXABLE <= {code for _, _, code in seeded}
    before = _snapshot(root)

    diff = _check("--diff", "--unsafe-fixes")
    assert diff.exit_code == 1
    assert _snapshot(root) == before
    assert "rename from src/shop/infrastructure/orders.py\n" in diff.stdout
    assert "-        except:\n+        except BaseException:\n" in diff.stdout
    if shutil.which("git"):
        patch = tmp_path / "fixes.patch"
        patch.write_text(diff.stdout)
        subprocess.run(["git", "apply", "--check", str(patch)], cwd=root, check=True, capture_output=True)

    safe = _check("--fix", "--format", "json")
    assert _found(safe) == {s for s in seeded if s[2] not in {"IL302", "IL305"}}

    unsafe = _check("--fix", "--unsafe-fixes", "--format", "json")
    remaining = json.loads(unsafe.stdout)
    assert {(f["path"], f["line"], f["code"]) for f in remaining} == {s for s in seeded if s[2] not in FIXABLE}
    assert all(f["fix"] is None for f in remaining)
    assert (root / "src/shop/infrastructure/sqlite_order_repository.py").exists()
    assert not (root / "src/shop/infrastructure/orders.py").exists()

    fixed = _snapshot(root)
    again = _check("--fix", "--unsafe-fixes")
    assert "Fixed 0 findings (8 remaining)." in again.stdout
    assert _snapshot(root) == fixed

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
