"""infralint.git: the current branch from CI variables or the repository,
and renaming it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import List, Sequence

import pytest

from infralint import git
from infralint.errors import InfralintError
from tests.helpers import git_repository, run_git

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git is not installed"
)


# CI variables -------------------------------------------------------------


def test_ci_variables_take_precedence_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    variables = list(git.CI_BRANCH_VARIABLES)
    assert variables == [
        "GITHUB_HEAD_REF",
        "GITHUB_REF_NAME",
        "CI_COMMIT_REF_NAME",
        "BITBUCKET_BRANCH",
        "BUILDKITE_BRANCH",
        "CIRCLE_BRANCH",
        "BRANCH_NAME",
    ]
    environ = {name: f"branch-of-{name}" for name in variables}
    for name in variables:
        # tmp_path is not a repository: the answer can only come from environ.
        assert git.current_branch(tmp_path, environ) == f"branch-of-{name}"
        del environ[name]
    assert git.current_branch(tmp_path, environ) is None


def test_empty_ci_variables_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    # GitHub sets GITHUB_HEAD_REF to "" on pushes.
    environ = {"GITHUB_HEAD_REF": "", "GITHUB_REF_NAME": "feature/x", "BRANCH_NAME": "other"}
    assert git.current_branch(tmp_path, environ) == "feature/x"
    assert git.current_branch(tmp_path, {"CIRCLE_BRANCH": "  "}) is None


def test_tag_builds_are_not_branches(tmp_path: Path) -> None:
    assert git.ci_branch({"GITHUB_REF_NAME": "v1.0", "GITHUB_REF_TYPE": "tag"}) is None
    assert git.ci_branch({"GITHUB_REF_NAME": "main", "GITHUB_REF_TYPE": "branch"}) == "main"
    assert git.ci_branch({"CI_COMMIT_REF_NAME": "v1.0", "CI_COMMIT_TAG": "v1.0"}) is None


def test_ci_variable_wins_over_the_repository(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    assert git.current_branch(root, {"BRANCH_NAME": "main"}) == "main"


# The repository -----------------------------------------------------------


def test_branch_of_a_repository(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    assert git.current_branch(root, {}) == "feature/UserRepo"
    # From a subdirectory, and from a file path, too.
    sub = root / "pkg"
    sub.mkdir()
    assert git.current_branch(sub, {}) == "feature/UserRepo"
    assert git.current_branch(root / "a.txt", {}) == "feature/UserRepo"


def test_a_tag_named_like_the_branch_does_not_shorten_its_name(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    run_git(root, "tag", "feature/UserRepo")
    assert git.current_branch(root, {}) == "feature/UserRepo"


def test_one_git_process_per_branch_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A whole-project run asks for the branch every time: each git process
    # costs tens of milliseconds.
    root = git_repository(tmp_path / "repo")
    calls: List[Sequence[str]] = []
    real = git._git_output
    monkeypatch.setattr(git, "_git_output", lambda start, arguments: calls.append(arguments) or real(start, arguments))
    assert git.current_branch(root, {}) == "feature/UserRepo"
    assert len(calls) == 1


def test_detached_head_is_none(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    run_git(root, "checkout", "-q", "--detach", "HEAD")
    assert git.current_branch(root, {}) is None


def test_repository_without_commits_is_none(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    run_git(root, "init", "-q", "-b", "feature/UserRepo")
    assert git.current_branch(root, {}) is None


def test_not_a_repository_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stop git from finding a repository above tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert git.current_branch(tmp_path, {}) is None
    assert git.current_branch(tmp_path / "missing", {}) is None


def test_no_git_process_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if any((directory / name).exists() for directory in (tmp_path, *tmp_path.parents) for name in (".git", "HEAD")):
        pytest.skip("the temporary directory is inside a repository")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: pytest.fail("git was started"))
    assert git.current_branch(tmp_path, {}) is None


def test_a_bare_repository_is_asked(tmp_path: Path) -> None:
    # git finds it by its HEAD file, without any .git.
    bare = tmp_path / "bare.git"
    bare.mkdir()
    run_git(bare, "init", "-q", "--bare", "-b", "feature/UserRepo")
    assert git._may_be_in_repository(bare)
    assert git._may_be_in_repository(bare / "refs")


def test_git_missing_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = git_repository(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert git.current_branch(root, {}) is None
    with pytest.raises(git.GitError, match="git is not installed"):
        git.rename_branch(root, "feature/UserRepo", "main")


def test_worktree(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo", "main")
    worktree = tmp_path / "wt"
    run_git(root, "worktree", "add", "-q", "-b", "feature/infrastructure-agent-wt", str(worktree))
    assert git.current_branch(worktree, {}) == "feature/infrastructure-agent-wt"
    assert git.current_branch(root, {}) == "main"


def test_submodule(tmp_path: Path) -> None:
    library = git_repository(tmp_path / "library", "feature/library-branch")
    root = git_repository(tmp_path / "repo", "main")
    run_git(root, "submodule", "add", "-q", "-b", "feature/library-branch", str(library), "lib")
    # `submodule add -b` checks the branch out in the submodule.
    assert (root / "lib" / ".git").is_file()
    assert git.current_branch(root / "lib", {}) == "feature/library-branch"
    assert git.current_branch(root, {}) == "main"


# Renaming -----------------------------------------------------------------


def test_rename_branch(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    git.rename_branch(root, "feature/UserRepo", "feature/infrastructure-agent-user-repo")
    assert git.current_branch(root, {}) == "feature/infrastructure-agent-user-repo"


def test_rename_branch_failure_is_a_clear_error(tmp_path: Path) -> None:
    root = git_repository(tmp_path / "repo")
    run_git(root, "branch", "main")
    with pytest.raises(git.GitError, match=r"cannot rename branch 'feature/UserRepo' to 'main': .*exists"):
        git.rename_branch(root, "feature/UserRepo", "main")
    with pytest.raises(git.GitError, match="cannot rename branch 'nope'"):
        git.rename_branch(root, "nope", "feature/x")
    with pytest.raises(git.GitError, match="not a valid branch name"):
        git.rename_branch(root, "feature/UserRepo", "bad..name")
    assert issubclass(git.GitError, InfralintError)
    assert git.current_branch(root, {}) == "feature/UserRepo"
