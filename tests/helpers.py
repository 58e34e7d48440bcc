"""Shared test helpers: lint source as if it were a file of a project."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Mapping, Optional

from infralint.engine import Engine
from infralint.findings import Finding
from infralint.project import Project
from infralint.settings import Settings

if TYPE_CHECKING:
    from click.testing import CliRunner


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for relative, source in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")


def separate_stderr_runner() -> "CliRunner":
    """A click test runner whose result keeps stdout and stderr apart
    (click < 8.2 mixes them unless told not to)."""
    import inspect

    from click.testing import CliRunner

    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def lint_example(
    root: Path,
    path: str,
    source: str,
    files: Optional[Mapping[str, str]] = None,
    settings: Optional[Settings] = None,
    parse: Optional[Callable[[str, str], ast.Module]] = None,
) -> List[Finding]:
    """Write ``source`` at ``root/path`` (plus ``files``) and lint that file
    with all rules enabled (or ``settings``; ``parse`` as for
    `Engine.lint_file`). The default layers apply as if configured: a
    one-file example does not look layered by itself."""
    write_files(root, {**(files or {}), path: source})
    settings = settings or Settings.default(root).with_changes(layers_configured=True)
    target = root / path
    project = Project(settings, extra_files=[target])
    return Engine(project, cwd=root).lint_file(target, parse=parse)


def run_git(cwd: Path, *args: str) -> str:
    """Run git isolated from the user's configuration, with a fixed author."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(cwd),
        "PATH": os.environ["PATH"],
        "GIT_CONFIG_NOSYSTEM": "1",
        # Local submodule clones (file transport) are off by default since git 2.38.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "protocol.file.allow",
        "GIT_CONFIG_VALUE_0": "always",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def git_repository(path: Path, branch: str = "feature/UserRepo") -> Path:
    """A repository at ``path`` with one commit on ``branch``."""
    path.mkdir(parents=True, exist_ok=True)
    run_git(path, "init", "-q", "-b", branch)
    (path / "a.txt").write_text("a\n")
    run_git(path, "add", "a.txt")
    run_git(path, "commit", "-q", "-m", "first")
    return path


def cli_runner():
    """A click test runner keeping stderr apart from stdout (click < 8.2
    needs ``mix_stderr=False`` for that; 8.2 always does it)."""
    import inspect

    from click.testing import CliRunner

    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()
