"""IL5: version control — the name of the branch being worked on."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from infralint import git
from infralint.findings import Finding
from infralint.layers import INFRASTRUCTURE
from infralint.lazyregex import lazy_regex
from infralint.rules.base import FixAvailability, Invalid, Rule, Valid

# Which of some paths are the project's infrastructure files.
InfrastructureFiles = Callable[[Sequence[Path]], List[Path]]

if TYPE_CHECKING:
    from infralint.settings import Settings

DEFAULT_PATTERN = "feature/infrastructure-agent-{component}"
COMPONENT = "{component}"
COMPONENT_REGEX = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# Long-lived branches the work on others starts from: always allowed, and
# (the first that exists) where the branch's changes are counted from.
DEFAULT_BASE_BRANCHES = ("main", "master", "develop", "trunk")
# Release branches and the branches bots open: always allowed.
DEFAULT_ALLOWED = (
    "release/*",
    "hotfix/*",
    "dependabot/*",
    "renovate/*",
    "pre-commit-ci-update-config",
    "gh-readonly-queue/*",
)
# Scopes: report only branches whose work touches the infrastructure layer
# (the standard's reading), or every branch.
SCOPE_CHANGES, SCOPE_ALWAYS = "changes", "always"
# How many of the infrastructure files the message names.
_NAMED_FILES = 3

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


def is_allowed(name: str, pattern: str = DEFAULT_PATTERN, allowed: Optional[Sequence[str]] = None) -> bool:
    """Whether the branch matches the pattern or one of the allowed globs
    (fnmatch, case-sensitive: ``release/*``; default: the base branches and
    `DEFAULT_ALLOWED`)."""
    if allowed is None:
        allowed = (*DEFAULT_BASE_BRANCHES, *DEFAULT_ALLOWED)
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


def check_branch(name: str, pattern: str = DEFAULT_PATTERN, allowed: Optional[Sequence[str]] = None) -> Optional[str]:
    """None when the branch name is fine; else the suggested name, or ``""``
    when no conforming name can be derived (test with ``is not None``)."""
    if is_allowed(name, pattern, allowed):
        return None
    return suggest(name, pattern) or ""


class BranchPolicy(NamedTuple):
    """``[tool.infralint.branch]`` with the defaults filled in."""

    pattern: str
    allowed: Tuple[str, ...]
    base_branches: Tuple[str, ...]

    @classmethod
    def of(cls, branch: Optional[Mapping[str, Any]]) -> "BranchPolicy":
        branch = branch or {}
        return cls(
            branch.get("pattern", DEFAULT_PATTERN),
            tuple(branch.get("allowed", DEFAULT_ALLOWED)),
            tuple(branch.get("base-branches", DEFAULT_BASE_BRANCHES)),
        )

    def suggestion(self, name: str) -> Optional[str]:
        """As `check_branch`, the base branches allowed too."""
        return check_branch(name, self.pattern, (*self.base_branches, *self.allowed))


class BranchName(Rule):
    """## What it does
    Checks the name of the branch when its work touches the infrastructure
    layer: it must match `feature/infrastructure-agent-{component}`, where
    `{component}` is kebab-case (`[a-z0-9]+(-[a-z0-9]+)*`). The message
    names the infrastructure files that make the rule apply (the first
    three) and suggests a conforming name: `feature/InfraAgent_User_Repo`
    becomes `feature/infrastructure-agent-user-repo`.

    The work of a branch is what changed between the merge base with the
    base branch and HEAD, plus what is staged (the commit a pre-commit hook
    sees being made). The base branch is the CI's target branch
    (`GITHUB_BASE_REF`, `CI_MERGE_REQUEST_TARGET_BRANCH_NAME`,
    `BITBUCKET_PR_DESTINATION_BRANCH`, `CHANGE_TARGET`), else the remote's
    default branch (`origin/HEAD`), else the first of `main`, `master`,
    `develop`, `trunk` that exists; with none (or a CI checkout too shallow
    to hold it: fetch it, e.g. `fetch-depth: 0`), only the staged and
    uncommitted changes count. An infrastructure file is a source file
    infralint lints (Python, TypeScript, JavaScript) of the infrastructure
    layer that is not a test and not excluded. A branch whose work touches
    none is not reported: `fix/stripe-timeout` may fix the domain.

    Always allowed: the base branches, `release/*`, `hotfix/*`, and the
    branches bots open (`dependabot/*`, `renovate/*`,
    `pre-commit-ci-update-config`, `gh-readonly-queue/*`). The pattern and
    the lists are configured under `[tool.infralint.branch]`: `pattern` (a
    string in which `{component}` stands for the kebab-case component and
    everything else is literal), `allowed` (fnmatch globs of branch names)
    and `base-branches` (names).

    The branch comes from the CI's variables when one is set
    (`GITHUB_HEAD_REF`, `GITHUB_REF_NAME`, `CI_COMMIT_REF_NAME`,
    `BITBUCKET_BRANCH`, `BUILDKITE_BRANCH`, `CIRCLE_BRANCH`, `BRANCH_NAME`,
    in that order), else from the repository (worktrees and submodules
    included). A detached HEAD and a repository without commits are not
    reported. `infralint branch` and its hook check it, and so does
    `infralint check` when it checks the whole project (not when files are
    named); `select` and `ignore` apply to all of them. The finding is
    located at the configuration file in use, else at the first
    infrastructure file changed.

    ## Why is this bad?
    Branch names are how changes are found, grouped and routed: CI rules,
    deployment environments, review assignment and changelog tooling match
    them. Infrastructure work on a branch that does not follow the
    convention skips those rules silently, and an inconsistent name
    (`UserRepo`, `infra_agent_user_repo`) is hard to find again.

    ## Fix safety
    The fix renames the local branch (`git branch -m`), so it is unsafe: a
    branch already pushed keeps its old name on the remote, an open pull
    request still points at the old name, and the upstream setting must be
    redone (`git push -u origin <new>`). It is available only when a
    conforming name can be derived and the branch is the repository's own
    (not one named by a CI variable).

    ## Options
    - `scope`: `"changes"` (the default) reports a branch only when its work
      touches the infrastructure layer; `"always"` checks every branch name
      whatever it changes (the base branches and `allowed` still pass).
    """

    code = "IL501"
    name = "branch-name"
    message = "branch '{branch}' {touches}does not match {pattern}{advice}"
    fix_title = "Rename the branch (git branch -m)"
    applies_to = REPOSITORY
    fix_availability = FixAvailability.SOMETIMES
    project_level = True
    options = {"scope": SCOPE_CHANGES}
    option_choices = {"scope": (SCOPE_CHANGES, SCOPE_ALWAYS)}
    VALID = [
        Valid("feature/infrastructure-agent-user-repo\n", path=_EXAMPLE_PATH),
        Valid("main\n", path=_EXAMPLE_PATH),
        Valid("release/2.1\n", path=_EXAMPLE_PATH),
        Valid("dependabot/pip/requests-2.32.0\n", path=_EXAMPLE_PATH),
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

    @classmethod
    def check_name(
        cls, name: str, branch: Optional[Mapping[str, Any]] = None, path: str = "", touched: Sequence[str] = ()
    ) -> Optional[Finding]:
        """The finding for a branch name, whatever it changes (None when
        it is fine), located at ``path`` and naming the ``touched``
        infrastructure files."""
        policy = BranchPolicy.of(branch)
        suggestion = policy.suggestion(name)
        if suggestion is None:
            return None
        advice = f"; rename it to {suggestion}" if suggestion else ""
        message = cls.message.format(branch=name, touches=_touches(touched), pattern=policy.pattern, advice=advice)
        return Finding(
            code=cls.code,
            name=cls.name,
            message=message,
            path=path,
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            statement_line=1,
        )

    @classmethod
    def check_repository(
        cls,
        settings: "Settings",
        environ: Mapping[str, str],
        infrastructure: InfrastructureFiles,
        display: Callable[[Path], str] = str,
    ) -> Optional[Finding]:
        """The finding for the current branch of the project of
        ``settings`` (None when it is fine, its work touches no
        infrastructure file, or there is no branch to check).
        ``infrastructure``: which of some paths are the project's
        infrastructure files (the caller's: it knows the layers and the
        excludes); ``display``: how the finding names a file."""
        root = settings.root
        name = git.current_branch(root, environ)
        if name is None:
            return None
        policy = BranchPolicy.of(settings.branch)
        if policy.suggestion(name) is None:
            return None  # conforming: no need to ask git what changed
        touched: List[Path] = []
        if settings.option(cls.code, "scope") != SCOPE_ALWAYS:
            base = git.base_branch(root, environ, policy.base_branches)
            if base is not None and base.name == name:
                return None  # the base branch itself (the CI's target may be any name)
            touched = infrastructure(git.changed_paths(root, base))
            if not touched:
                return None
        location = settings.config_file or (touched[0] if touched else None)
        if location is None:
            return None  # nowhere to show it (`always` comes from a configuration file)
        return cls.check_name(name, settings.branch, display(location), [display(path) for path in touched])

    @classmethod
    def fix_repository(
        cls,
        settings: "Settings",
        environ: Mapping[str, str],
        infrastructure: InfrastructureFiles,
    ) -> Optional[str]:
        """Rename the repository's current branch to the suggested name when
        it is reported; return the new name (None when nothing was
        renamed). A branch named only by a CI variable is not renamed: raises
        GitError, as does a failed rename or a name with no suggestion."""
        if cls.check_repository(settings, environ, infrastructure) is None:
            return None
        root = settings.root
        name = git.current_branch(root, environ)
        suggestion = BranchPolicy.of(settings.branch).suggestion(name or "")
        if name is None or suggestion is None:
            return None
        if not suggestion:
            raise git.GitError(f"branch {name!r}: no conforming name can be derived from it; rename it by hand")
        if git.repository_branch(root) != name:
            raise git.GitError(
                f"branch {name!r} comes from the CI's variables, not the local checkout; rename it where it was created"
            )
        git.rename_branch(root, name, suggestion)
        return suggestion


def _touches(files: Sequence[str]) -> str:
    """``changes infrastructure files (a, b, c and 2 more) and `` or ``""``."""
    if not files:
        return ""
    named = ", ".join(files[:_NAMED_FILES])
    more = f" and {len(files) - _NAMED_FILES} more" if len(files) > _NAMED_FILES else ""
    noun = "file" if len(files) == 1 else "files"
    return f"changes infrastructure {noun} ({named}{more}) and "
