"""The README's install, pre-commit and CI snippets, run as written as far
as a test can: the `repo: local` hooks through pre-commit, the CI jobs'
infralint commands on a sample project, and the `git+` install from a
clone of the repository. (The hooks a clone's `.pre-commit-hooks.yaml`
defines are run by tests/test_precommit.py through `pre-commit try-repo`.)"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from tests.helpers import write_files
from tests.test_precommit import IGNORED, PRE_COMMIT, _git, _git_env, _init_repo

yaml = pytest.importorskip("yaml")  # pre-commit's dependency: the test extra has it

REPO = Path(__file__).parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
URL = "https://github.com/infralint/infralint"


def yaml_blocks(containing: str) -> List[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    return [block for block in blocks if containing in block]


def shell_blocks() -> List[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.DOTALL)


def test_the_readme_says_infralint_is_not_on_pypi_and_installs_from_the_repository() -> None:
    assert "not published on PyPI" in README
    install = "\n".join(shell_blocks())
    assert f'pip install "infralint @ git+{URL}@main"' in install
    assert "pip install ./infralint" in install
    # Every pip install in the README names the repository or a path, never
    # the bare name (but where it says that the bare name does not work).
    told = README.replace("`pip install infralint` does not", "")
    for command in re.findall(r"pip install ([^\n`]*)", told):
        assert "git+" in command or "./" in command or command.startswith("-") or "-e" in command, command


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n\n[tool.infralint]\n',
        "src/shop/__init__.py": "",
        "src/shop/domain/__init__.py": "",
        "src/shop/domain/order.py": "class Order:\n    pass\n",
        "src/shop/application/__init__.py": "",
        "src/shop/infrastructure/__init__.py": "",
        "src/shop/infrastructure/db.py": "class Database:\n    pass\n",
    }
    write_files(tmp_path / "shop", files)
    return tmp_path / "shop"


def _environment(home: Path) -> Dict[str, str]:
    """A clean git environment with this interpreter's `infralint` on PATH,
    as in a developer's activated virtualenv; no CI variables."""
    env = _git_env(home)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for name in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "GITHUB_BASE_REF", "CI_COMMIT_REF_NAME", "BRANCH_NAME"):
        env.pop(name, None)
    return env


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")
def test_the_local_hooks_run_as_written(sample: Path, tmp_path: Path) -> None:
    (block,) = yaml_blocks("repo: local")
    (sample / ".pre-commit-config.yaml").write_text(block, encoding="utf-8")
    env = _environment(tmp_path / "home")
    _init_repo(sample, env)
    assert PRE_COMMIT is not None

    def run_hooks() -> "subprocess.CompletedProcess[str]":
        return subprocess.run(
            [*PRE_COMMIT, "run", "--verbose"], cwd=sample, env=env, capture_output=True, text=True, timeout=300
        )

    # A domain-only change on a feature branch: the branch name does not matter.
    _git(sample, env, "checkout", "-q", "-b", "feature/add-refunds")
    write_files(sample, {"src/shop/domain/refund.py": "class Refund:\n    pass\n"})
    _git(sample, env, "add", "-A")
    clean = run_hooks()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.count("Passed") == 3, clean.stdout
    # Staged infrastructure and a layer violation: both blocked.
    write_files(
        sample,
        {
            "src/shop/domain/refund.py": "from shop.infrastructure.db import Database\n",
            "src/shop/infrastructure/stripe.py": "class Stripe:\n    pass\n",
        },
    )
    _git(sample, env, "add", "-A")
    blocked = run_hooks()
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "IL101" in output
    assert "pyproject.toml:1:1: IL501 branch 'feature/add-refunds' changes infrastructure" in output


def _ci_commands(block: str) -> List[str]:
    """The shell commands of a CI snippet (GitHub steps' `run`, GitLab's `script`)."""
    document = yaml.safe_load(block)
    commands: List[str] = []
    for job in document.get("jobs", document).values():
        commands.extend(step["run"] for step in job.get("steps", []) if "run" in step)
        commands.extend(job.get("script", []))
    return commands


@pytest.mark.parametrize("snippet", ["upload-sarif", "codequality"])
def test_the_ci_commands_run_as_written(snippet: str, sample: Path, tmp_path: Path) -> None:
    (block,) = yaml_blocks(snippet)
    commands = _ci_commands(block)
    installs = [command for command in commands if command.startswith("pip install")]
    assert installs == [f'pip install "infralint @ git+{URL}@main"']  # tested below, from a clone
    env = _environment(tmp_path / "home")
    write_files(sample, {"src/shop/domain/refund.py": "from shop.infrastructure.db import Database\n"})
    outputs = []
    for command in commands:
        if command in installs:
            continue
        done = subprocess.run(command, shell=True, cwd=sample, env=env, capture_output=True, text=True, timeout=300)
        outputs.append(done)
    if snippet == "upload-sarif":
        sarif_run, annotations = outputs
        assert sarif_run.returncode == 0  # --exit-zero: the upload step runs
        results = json.loads((sample / "infralint.sarif").read_text())["runs"][0]["results"]
        assert [result["ruleId"] for result in results] == ["IL101"]
        assert annotations.returncode == 1 and "::error file=src/shop/domain/refund.py,line=1" in annotations.stdout
    else:
        (quality,) = outputs
        assert quality.returncode == 1
        (issue,) = json.loads((sample / "gl-code-quality.json").read_text())
        assert issue["check_name"] == "IL101" and issue["location"]["path"] == "src/shop/domain/refund.py"


def test_the_git_url_install_works_from_a_clone(tmp_path: Path) -> None:
    """`pip install "infralint @ git+<URL>@main"` with the URL of a clone:
    pip clones it, builds it and installs the command (dependencies are
    this environment's)."""
    env = _git_env(tmp_path / "home")
    clone = tmp_path / "infralint"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, clone / name)
    shutil.copytree(REPO / "infralint", clone / "infralint", ignore=IGNORED)
    _init_repo(clone, env)
    target = tmp_path / "site"
    # The README's requirement, with the clone's URL (file://localhost/...:
    # older pips reject a git+file URL without a host).
    (written,) = {match for match in re.findall(r'pip install "(infralint @ git\+[^"]+)"', README)}
    requirement = written.replace(f"git+{URL}", f"git+file://localhost{clone}")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), requirement],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    version = subprocess.run(
        [sys.executable, "-m", "infralint", "--version"],
        env={**env, "PYTHONPATH": str(target)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.stdout.startswith("infralint "), version.stderr
    assert (target / "infralint" / "cli.py").is_file()
