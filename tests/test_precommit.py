"""End to end: the hooks of `.pre-commit-hooks.yaml` run by pre-commit.

`pre-commit try-repo` installs the hooks repository the way a user's
`.pre-commit-config.yaml` would (pip-installs it into pre-commit's cache), so
this checks the hook definitions, the packaging and the entry points
together. It needs `pre-commit` (the `test` extra) and a reachable package
index; it is skipped without pre-commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

REPO = Path(__file__).parents[1]
# Everything a pip install of the repository needs, nothing it does not.
IGNORED = shutil.ignore_patterns(".venv", ".git", "__pycache__", "_work", "tests", "*.egg-info", "build", "dist")
# try-repo uses a fresh store on every run, so each run pip-installs
# infralint and its dependencies (about 15 s each with a warm pip cache,
# more since the tree-sitter wheels came). The budget only stops a hung
# run: the whole file must finish within it; runs share what is left.
# Under load (nine processes on two cores) the file took 106 s once.
BUDGET_SECONDS = 400.0


def _pre_commit_command() -> Optional[List[str]]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        found = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
        return [found] if found else None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = _pre_commit_command()

pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")


def _git_env(home: Path) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_AUTHOR_NAME="infralint tests",
        GIT_AUTHOR_EMAIL="tests@infralint.invalid",
        GIT_COMMITTER_NAME="infralint tests",
        GIT_COMMITTER_EMAIL="tests@infralint.invalid",
        # No user or system git configuration (hooks, signing, templates).
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home),
    )
    return env


def _git(cwd: Path, env: Dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def _init_repo(path: Path, env: Dict[str, str]) -> None:
    _git(path, env, "init", "-q", "-b", "main")
    _git(path, env, "add", "-A")
    _git(path, env, "commit", "-q", "--no-verify", "-m", "initial")


class Session:
    def __init__(self, hooks_repo: Path, project: Path, env: Dict[str, str]) -> None:
        self.hooks_repo = hooks_repo
        self.project = project
        self.env = env
        self.deadline = time.monotonic() + BUDGET_SECONDS

    def try_repo(self, *args: str) -> "subprocess.CompletedProcess[str]":
        """Run every hook of the repository (``--files`` / ``--all-files`` in ``args``)."""
        assert PRE_COMMIT is not None
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"pre-commit tests exceeded their {BUDGET_SECONDS:.0f} s budget")
        try:
            return subprocess.run(
                [*PRE_COMMIT, "try-repo", str(self.hooks_repo), "--verbose", *args],
                cwd=self.project,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=remaining,
            )
        except subprocess.TimeoutExpired as error:
            pytest.fail(f"pre-commit try-repo timed out (budget {BUDGET_SECONDS:.0f} s): {error.output!r}")

    def git(self, *args: str) -> None:
        _git(self.project, self.env, *args)


@pytest.fixture(scope="session")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    base = tmp_path_factory.mktemp("pre-commit")
    env = _git_env(base / "home")

    # A committed copy of the repository: try-repo clones HEAD, and the
    # working tree under test may have uncommitted changes.
    hooks_repo = base / "infralint"
    hooks_repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, hooks_repo / name)
    shutil.copytree(REPO / "infralint", hooks_repo / "infralint", ignore=IGNORED)
    _init_repo(hooks_repo, env)

    project = base / "shop"
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n\n[tool.infralint]\nselect = ["IL"]\n',
        "src/shop/__init__.py": "",
        "src/shop/domain/__init__.py": "",
        "src/shop/domain/order.py": "class Order:\n    pass\n",
        "src/shop/infrastructure/__init__.py": "",
        "src/shop/infrastructure/db.py": "class Database:\n    pass\n",
    }
    for relative, text in files.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")
    _init_repo(project, env)
    yield Session(hooks_repo, project, env)


def _output(result: "subprocess.CompletedProcess[str]") -> str:
    return result.stdout + result.stderr


def _hook_results(result: "subprocess.CompletedProcess[str]") -> Dict[str, str]:
    """Each hook's status as pre-commit prints it: ``name.....Passed``."""
    statuses = {}
    for line in result.stdout.splitlines():
        name, dots, status = line.rpartition("...")
        if dots and status in ("Passed", "Failed", "Skipped"):
            statuses[name.rstrip(".")] = status
    return statuses


# One try-repo run per scenario runs all the hooks of the repository:
# each run pip-installs infralint afresh, so scenarios are few and broad.
HOOK_NAMES = ("infralint", "infralint (fix)", "infralint (import chains)", "infralint (branch name)")

VIOLATION = "from shop.infrastructure.db import Database\n\n\nclass Order:\n    db: Database\n"
# A bare `except:` that re-raises: IL302's safe fix makes it `except BaseException:`.
FIXABLE = "def close(db):\n    try:\n        db.close()\n    except:\n        raise\n"
# domain -> a helper package of no layer -> infrastructure: IL103, not IL101.
CHAIN = {
    "src/shop/helpers/__init__.py": "",
    "src/shop/helpers/clock.py": "from shop.infrastructure.db import Database\n",
    "src/shop/domain/pricing.py": "from shop.helpers import clock\n",
}


def test_hooks_block_a_staged_violation_and_a_bad_branch_name(session: Session) -> None:
    order = session.project / "src/shop/domain/order.py"
    cleanup = session.project / "src/shop/infrastructure/cleanup.py"
    original = order.read_text()
    order.write_text(VIOLATION)
    cleanup.write_text(FIXABLE)
    chain = {session.project / relative: text for relative, text in CHAIN.items()}
    for path, text in chain.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    session.git("checkout", "-q", "-B", "feature/UserRepo")
    session.git("add", "-A")
    try:
        result = session.try_repo("--files", "src/shop/domain/order.py", "src/shop/infrastructure/cleanup.py", *CHAIN)
        fixed = cleanup.read_text()
    finally:
        order.write_text(original)
        for path in [cleanup, *chain]:
            path.unlink()
        session.git("add", "-A")
        session.git("checkout", "-q", "main")
    output = _output(result)
    assert result.returncode != 0, output
    assert _hook_results(result) == dict.fromkeys(HOOK_NAMES, "Failed"), output
    assert "IL101" in output and "IL501" in output
    assert "IL103" in output and "shop.domain.pricing -> shop.helpers.clock -> shop.infrastructure.db" in output
    # The fix hook repaired what it could; IL101 has no fix, so it still fails.
    assert "except BaseException:" in fixed, fixed


def test_hooks_pass_on_clean_files_and_a_conforming_branch(session: Session) -> None:
    session.git("checkout", "-q", "-B", "feature/infrastructure-agent-user-repo")
    try:
        result = session.try_repo("--files", "src/shop/domain/order.py", "src/shop/infrastructure/db.py")
    finally:
        session.git("checkout", "-q", "main")
    assert result.returncode == 0, _output(result)
    assert _hook_results(result) == dict.fromkeys(HOOK_NAMES, "Passed"), _output(result)
