"""IL5: version control — the name of the branch being worked on."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from infralint import git
from infralint.findings import Finding
from infralint.lazyregex import lazy_regex
from infralint.rules.base import FixAvailability, Invalid, Rule, Valid

DEFAULT_PATTERN = "feature/infrastructure-agent-{component}"
COMPONENT = "{component}"
COMPONENT_REGEX = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DEFAULT_ALLOWED = ("main", "master", "develop", "trunk", "release/*", "hotfix/*")

# The examples are branch names, not files: IL501 is project-level, so the
# generic example test cannot lint them; tests/rules/test_vcs.py checks them
# with check_branch instead. The "path" is what the docs print above them.
_EXAMPLE_PATH = "current branch"
# Not a layer scope: the engine never runs project-level rules per file, and
# scope_description() shows a one-element scope as it is.
REPOSITORY = frozenset({"the repository"})

# Leading words that spell the pattern's own prefix in other ways
# ("InfraAgent", "infra_agent", "infrastructureagent", ...), as token lists.
_PREFIX_SPELLINGS = (
    ("infrastructure", "agent"),
    ("infrastructureagent",),
    ("infra", "agent"),
    ("infraagent",),
)
# camelCase and PascalCase boundaries: "userRepo" -> "user Repo",
# "HTTPServer" -> "HTTP Server", "repo2Go" -> "repo2 Go".
_CAMEL_BOUNDARY = lazy_regex(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_ALPHANUMERIC = lazy_regex(r"[^a-z0-9]+")


def pattern_regex(pattern: str) -> "re.Pattern[str]":
    """The pattern as an anchored regex: ``{component}`` is a kebab-case
    component, everything else is literal."""
    parts = [re.escape(part) for part in pattern.split(COMPONENT)]
    return re.compile("^" + COMPONENT_REGEX.join(parts) + "$")


def is_allowed(name: str, pattern: str = DEFAULT_PATTERN, allowed: Sequence[str] = DEFAULT_ALLOWED) -> bool:
    """Whether the branch matches the pattern or one of the allowed globs
    (fnmatch, case-sensitive: ``release/*``)."""
    if any(fnmatch.fnmatchcase(name, glob) for glob in allowed):
        return True
    return pattern_regex(pattern).match(name) is not None


def _words(text: str) -> List[str]:
    text = _CAMEL_BOUNDARY.sub(" ", text)
    return [word for word in _NOT_ALPHANUMERIC.split(text.lower()) if word]


def suggest(name: str, pattern: str = DEFAULT_PATTERN) -> Optional[str]:
    """A conforming name for the branch, or None when none can be derived
    (no letters or digits left, or a pattern without ``{component}``).

    The component is the part after the last ``/``, without a leading
    spelling of the pattern's prefix (``InfraAgent_``, ``infra-agent-``,
    ``infrastructure-agent-``, or the pattern's directory such as
    ``feature-``), in lowercase kebab-case: ``feature/InfraAgent_User_Repo``
    -> ``feature/infrastructure-agent-user-repo``.
    """
    if COMPONENT not in pattern:
        return None
    words = _words(name.rsplit("/", 1)[-1])
    prefix = pattern.split(COMPONENT, 1)[0]
    directory, _, own_prefix = prefix.rpartition("/")
    spellings = [tuple(_words(own_prefix)), *_PREFIX_SPELLINGS, *(tuple(_words(d)) for d in directory.split("/"))]
    stripped = True
    while stripped:
        stripped = False
        for spelling in spellings:
            n = len(spelling)
            if n and tuple(words[:n]) == spelling:
                words = words[n:]
                stripped = True
    if not words:
        return None
    suggestion = pattern.replace(COMPONENT, "-".join(words))
    return suggestion if pattern_regex(pattern).match(suggestion) else None


def check_branch(
    name: str, pattern: str = DEFAULT_PATTERN, allowed: Sequence[str] = DEFAULT_ALLOWED
) -> Optional[str]:
    """None when the branch name is fine; else the suggested name, or ``""``
    when no conforming name can be derived (test with ``is not None``)."""
    if is_allowed(name, pattern, allowed):
        return None
    return suggest(name, pattern) or ""


class BranchName(Rule):
    """## What it does
    Checks the name of the current branch: it must match
    `feature/infrastructure-agent-{component}`, where `{component}` is
    kebab-case (`[a-z0-9]+(-[a-z0-9]+)*`), unless it is a long-lived or
    release branch (`main`, `master`, `develop`, `trunk`, `release/*`,
    `hotfix/*`). The message suggests a conforming name:
    `feature/InfraAgent_User_Repo` becomes
    `feature/infrastructure-agent-user-repo`.

    The branch comes from the CI's variables when one is set
    (`GITHUB_HEAD_REF`, `GITHUB_REF_NAME`, `CI_COMMIT_REF_NAME`,
    `BITBUCKET_BRANCH`, `BUILDKITE_BRANCH`, `CIRCLE_BRANCH`, `BRANCH_NAME`,
    in that order), else from the repository (worktrees and submodules
    included). A detached HEAD and a repository without commits are not
    reported. `infralint branch` checks it, and so does `infralint check`
    when it checks the whole project (not when files are named).

    The pattern and the allowed names are configured under
    `[tool.infralint.branch]` (not under the rule): `pattern` is a string in
    which `{component}` stands for the kebab-case component and everything
    else is literal; `allowed` is a list of fnmatch globs of branch names
    that are always accepted.

    ## Why is this bad?
    Branch names are how changes are found, grouped and routed: CI rules,
    deployment environments, review assignment and changelog tooling match
    them. A branch that does not follow the convention skips those rules
    silently, and an inconsistent name (`UserRepo`, `infra_agent_user_repo`)
    is hard to find again.

    ## Fix safety
    The fix renames the local branch (`git branch -m`), so it is unsafe: a
    branch already pushed keeps its old name on the remote, an open pull
    request still points at the old name, and the upstream setting must be
    redone (`git push -u origin <new>`). It is available only when a
    conforming name can be derived and the branch is the repository's own
    (not one named by a CI variable).

    """

    code = "IL501"
    name = "branch-name"
    message = "branch '{branch}' does not match {pattern}{advice}"
    fix_title = "Rename the branch (git branch -m)"
    applies_to = REPOSITORY
    fix_availability = FixAvailability.SOMETIMES
    project_level = True
    VALID = [
        Valid("feature/infrastructure-agent-user-repo\n", path=_EXAMPLE_PATH),
        Valid("main\n", path=_EXAMPLE_PATH),
        Valid("release/2.1\n", path=_EXAMPLE_PATH),
    ]
    INVALID = [
        Invalid(
            "feature/InfraAgent_User_Repo\n",
            at=[(1, 1)],
            path=_EXAMPLE_PATH,
            message="rename it to feature/infrastructure-agent-user-repo",
        ),
        Invalid("fix-stuff\n", at=[(1, 1)], path=_EXAMPLE_PATH, message="feature/infrastructure-agent-fix-stuff"),
    ]

    @staticmethod
    def branch_settings(branch: Optional[Mapping[str, Any]]) -> Tuple[str, Sequence[str]]:
        """(pattern, allowed) from ``Settings.branch``, defaults filled in."""
        branch = branch or {}
        return branch.get("pattern", DEFAULT_PATTERN), tuple(branch.get("allowed", DEFAULT_ALLOWED))

    @classmethod
    def check_name(cls, name: str, branch: Optional[Mapping[str, Any]] = None) -> Optional[Finding]:
        """The finding for a branch name (None when it is fine)."""
        pattern, allowed = cls.branch_settings(branch)
        suggestion = check_branch(name, pattern, allowed)
        if suggestion is None:
            return None
        advice = f"; rename it to {suggestion}" if suggestion else ""
        message = cls.message.format(branch=name, pattern=pattern, advice=advice)
        return Finding(
            code=cls.code,
            name=cls.name,
            message=message,
            path=".",
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            statement_line=1,
        )

    @classmethod
    def check_repository(
        cls,
        root: Path,
        environ: Mapping[str, str],
        branch: Optional[Mapping[str, Any]] = None,
    ) -> Optional[Finding]:
        """The finding for the current branch of the project at ``root``
        (None when it is fine or there is no branch to check). ``branch`` is
        ``Settings.branch``."""
        name = git.current_branch(root, environ)
        if name is None:
            return None
        return cls.check_name(name, branch)

    @classmethod
    def fix_repository(
        cls,
        root: Path,
        environ: Mapping[str, str],
        branch: Optional[Mapping[str, Any]] = None,
    ) -> Optional[str]:
        """Rename the repository's current branch to the suggested name when
        it does not conform; return the new name (None when nothing was
        renamed). A branch named only by a CI variable is not renamed: raises
        GitError, as does a failed rename or a name with no suggestion."""
        name = git.current_branch(root, environ)
        if name is None:
            return None
        pattern, allowed = cls.branch_settings(branch)
        suggestion = check_branch(name, pattern, allowed)
        if suggestion is None:
            return None
        if not suggestion:
            raise git.GitError(f"branch {name!r}: no conforming name can be derived from it; rename it by hand")
        if git.repository_branch(root) != name:
            raise git.GitError(
                f"branch {name!r} comes from the CI's variables, not the local checkout; rename it where it was created"
            )
        git.rename_branch(root, name, suggestion)
        return suggestion
