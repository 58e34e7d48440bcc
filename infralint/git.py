"""The one place infralint talks to git: which branch is checked out, and
renaming it.

The branch comes from the CI's variables when one is set (a CI checkout is
usually a detached HEAD), else from the repository through the ``git``
command, which handles worktrees and submodules (``.git`` files) itself.
Every "cannot tell" case — detached HEAD, a repository without commits, not
a repository, git not installed — gives ``None``: there is nothing to check.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Mapping, NamedTuple, Optional, Sequence, Tuple

from infralint.errors import InfralintError

# In order of precedence; the first non-empty one wins.
CI_BRANCH_VARIABLES: Tuple[str, ...] = (
    "GITHUB_HEAD_REF",  # GitHub Actions, pull requests: the source branch
    "GITHUB_REF_NAME",  # GitHub Actions, pushes
    "CI_COMMIT_REF_NAME",  # GitLab CI
    "BITBUCKET_BRANCH",  # Bitbucket Pipelines
    "BUILDKITE_BRANCH",  # Buildkite
    "CIRCLE_BRANCH",  # CircleCI
    "BRANCH_NAME",  # Jenkins multibranch, Google Cloud Build
)

# The branch a pull / merge request targets, in order of precedence.
CI_BASE_VARIABLES: Tuple[str, ...] = (
    "GITHUB_BASE_REF",  # GitHub Actions, pull requests
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",  # GitLab CI, merge request pipelines
    "BITBUCKET_PR_DESTINATION_BRANCH",  # Bitbucket Pipelines, pull requests
    "CHANGE_TARGET",  # Jenkins multibranch, change requests
)

_TIMEOUT_SECONDS = 10


class GitError(InfralintError):
    """A git command infralint needed failed (message: the command and git's
    own reason)."""


def ci_branch(environ: Mapping[str, str]) -> Optional[str]:
    """The branch the CI's variables name, if any.

    A tag build is not a branch: ``GITHUB_REF_NAME`` is skipped when
    ``GITHUB_REF_TYPE`` is ``tag``, ``CI_COMMIT_REF_NAME`` when
    ``CI_COMMIT_TAG`` is set.
    """
    for variable in CI_BRANCH_VARIABLES:
        value = (environ.get(variable) or "").strip()
        if not value:
            continue
        if variable == "GITHUB_REF_NAME" and environ.get("GITHUB_REF_TYPE") == "tag":
            continue
        if variable == "CI_COMMIT_REF_NAME" and environ.get("CI_COMMIT_TAG"):
            continue
        return value
    return None


def repository_branch(start: Path) -> Optional[str]:
    """The branch checked out in the repository holding ``start``; ``None``
    for a detached HEAD, an unborn branch (no commits yet), a directory
    outside any repository, or when git is not installed."""
    if not _may_be_in_repository(start):
        return None
    # One process for all cases: "refs/heads/<name>" on a branch, "HEAD" when
    # detached, a failure on an unborn branch (it has a name but nothing to
    # judge yet). Unlike --abbrev-ref, the full name is never shortened to
    # "heads/<name>" when a tag has the same name.
    full_name = _git_output(start, ["rev-parse", "--symbolic-full-name", "HEAD"])
    if full_name is None or not full_name.startswith(_BRANCH_PREFIX):
        return None
    return full_name[len(_BRANCH_PREFIX) :] or None


_BRANCH_PREFIX = "refs/heads/"


def current_branch(start: Path, environ: Mapping[str, str]) -> Optional[str]:
    """The branch to check: the CI's, else the repository's (see above)."""
    return ci_branch(environ) or repository_branch(start)


def ci_base_branch(environ: Mapping[str, str]) -> Optional[str]:
    """The branch the CI's variables say the change targets, if any."""
    for variable in CI_BASE_VARIABLES:
        value = (environ.get(variable) or "").strip()
        if value:
            return value
    return None


class BaseBranch(NamedTuple):
    name: str  # as people call it: "main"
    # What git resolves: the local branch and the remote's copy, those that exist.
    refs: Tuple[str, ...]


def base_branch(start: Path, environ: Mapping[str, str], candidates: Sequence[str]) -> Optional[BaseBranch]:
    """The branch the work on the current one started from: the CI's
    target branch, else the remote's default branch (``origin/HEAD``),
    else the first of ``candidates`` that exists (locally, else on
    ``origin``). A name git cannot resolve (a shallow CI checkout that did
    not fetch it) is passed over. None when there is none."""
    listed = _git_output(
        start, ["for-each-ref", "--format=%(refname) %(symref)", "refs/heads", "refs/remotes/origin"]
    )
    if listed is None:
        return None
    refs = {}
    for line in listed.splitlines():
        name, _, target = line.partition(" ")
        refs[name] = target
    names: List[str] = []
    ci_name = ci_base_branch(environ)
    if ci_name is not None:
        names.append(ci_name)
    remote_default = refs.get(_REMOTE_PREFIX + "HEAD", "")
    if remote_default.startswith(_REMOTE_PREFIX):
        names.append(remote_default[len(_REMOTE_PREFIX) :])
    names.extend(candidates)
    for name in names:
        found = tuple(ref for ref in (_BRANCH_PREFIX + name, _REMOTE_PREFIX + name) if ref in refs)
        if found:
            return BaseBranch(name, found)
    return None


_REMOTE_PREFIX = "refs/remotes/origin/"


def changed_paths(root: Path, base: Optional[BaseBranch]) -> List[Path]:
    """The files under ``root`` the branch's work changes: those changed
    between the merge base with ``base`` and HEAD, or staged (compared in
    one step: the index against the merge base). Without a base, or when
    the histories share no commit, the staged and uncommitted changes
    (untracked files included). Deleted files count: removing
    infrastructure is infrastructure work. Empty when git cannot tell."""
    if base is not None:
        # With both the local branch and the remote's copy, the nearer
        # common ancestor of either (one may be behind the other).
        merge_base = _git_output(root, ["merge-base", "HEAD", *base.refs])
        if merge_base:
            return _paths(root, ["diff", "--cached", "--name-only", "--relative", "-z", merge_base])
    return _paths(root, ["diff", "--name-only", "--relative", "-z", "HEAD"]) + _paths(
        root, ["ls-files", "--others", "--exclude-standard", "-z"]
    )


def _paths(root: Path, arguments: Sequence[str]) -> List[Path]:
    """The NUL-separated paths a git command run in ``root`` prints
    (relative to ``root``), as absolute paths."""
    output = _git_output(root, ["-c", "core.quotePath=false", *arguments], strip=False)
    if not output:
        return []
    directory = Path(os.path.abspath(_directory(root)))
    return [directory / name for name in output.split("\0") if name]


def rename_branch(start: Path, old: str, new: str) -> None:
    """``git branch -m old new`` in the repository holding ``start``.

    Raises GitError with git's message when git is missing or refuses (the
    new name exists, is not a valid ref name, ...).
    """
    import subprocess  # here: a one-file check calls no git (~6 ms to import)

    command = ["git", "branch", "-m", old, new]
    if not _directory(start).is_dir():
        raise GitError(f"cannot rename branch {old!r} to {new!r}: {start} is not a directory")
    try:
        completed = subprocess.run(
            command,
            cwd=str(_directory(start)),
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            env=_environment(),
        )
    except FileNotFoundError as error:
        raise GitError(f"cannot rename branch {old!r} to {new!r}: git is not installed") from error
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"cannot rename branch {old!r} to {new!r}: {error}") from error
    if completed.returncode != 0:
        reason = " ".join((completed.stderr or completed.stdout).split()) or f"exit status {completed.returncode}"
        raise GitError(f"cannot rename branch {old!r} to {new!r}: {reason}")


def _git_output(start: Path, arguments: Sequence[str], strip: bool = True) -> Optional[str]:
    """Stdout (``strip``ped) of a successful git command, else None."""
    import subprocess

    try:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=str(_directory(start)),
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",  # file names need not be UTF-8
            timeout=_TIMEOUT_SECONDS,
            env=_environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() if strip else completed.stdout


def _may_be_in_repository(start: Path) -> bool:
    """Whether git could find a repository from ``start``: ``GIT_DIR`` is
    set in its environment, or a directory at or above it (as git walks up: symlinks resolved)
    holds ``.git`` (a work tree) or ``HEAD`` (a bare repository, or inside
    ``.git``). Without any of them git fails: not starting it saves a whole
    process on every whole-project run outside a repository."""
    if _environment().get("GIT_DIR"):
        return True
    directory = os.path.realpath(_directory(start))
    while True:
        if os.path.lexists(os.path.join(directory, ".git")) or os.path.lexists(os.path.join(directory, "HEAD")):
            return True
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent


def _directory(start: Path) -> Path:
    start = Path(start)
    return start if start.is_dir() else start.parent


def _environment() -> Mapping[str, str]:
    # English messages for the errors infralint passes on; never prompt.
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
