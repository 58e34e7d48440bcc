"""IL501 branch-name: the pure name check, the suggestions, and the check of
a real repository (CI variables first)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Dict

import pytest

from infralint import git
from infralint.rules.base import FixAvailability
from infralint.rules.vcs import DEFAULT_PATTERN, BranchName, check_branch, is_allowed, suggest
from tests.helpers import git_repository, run_git

pytestmark_git = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git is not installed"
)


@pytest.mark.parametrize(
    "name",
    [
        "main",
        "master",
        "develop",
        "trunk",
        "release/2.1",
        "hotfix/x",
        "feature/infrastructure-agent-user-repo",
        "feature/infrastructure-agent-s3",
        "feature/infrastructure-agent-user-repo-v2",
    ],
)
def test_conforming_and_allowed_names_pass(name: str) -> None:
    assert check_branch(name) is None
    assert BranchName.check_name(name) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("feature/UserRepo", "feature/infrastructure-agent-user-repo"),
        ("feature/infrastructure-agent-User_Repo", "feature/infrastructure-agent-user-repo"),
        ("fix-stuff", "feature/infrastructure-agent-fix-stuff"),
        ("feature/InfraAgent_User_Repo", "feature/infrastructure-agent-user-repo"),
        ("feature/infra-agent-user-repo", "feature/infrastructure-agent-user-repo"),
        ("feature/infraagent.user repo", "feature/infrastructure-agent-user-repo"),
        ("feature_user_repo", "feature/infrastructure-agent-user-repo"),
        ("feature/HTTPServer", "feature/infrastructure-agent-http-server"),
        ("bugfix/JIRA-123_fix", "feature/infrastructure-agent-jira-123-fix"),
        ("Main", "feature/infrastructure-agent-main"),
        ("feature/infrastructure-agent--double", "feature/infrastructure-agent-double"),
    ],
)
def test_nonconforming_names_fail_with_the_suggestion(name: str, expected: str) -> None:
    assert check_branch(name) == expected
    assert is_allowed(expected)


@pytest.mark.parametrize("name", ["///", "feature/", "feature/infrastructure-agent-", "feature/ü_ï"])
def test_no_suggestion_is_an_empty_string_not_a_pass(name: str) -> None:
    assert check_branch(name) == ""
    finding = BranchName.check_name(name)
    assert finding is not None
    assert "rename it" not in finding.message


def test_custom_pattern_and_allowed() -> None:
    pattern = "team/{component}"
    assert check_branch("team/user-repo", pattern, ["main"]) is None
    assert check_branch("team/UserRepo", pattern, ["main"]) == "team/user-repo"
    assert check_branch("develop", pattern, ["main"]) == "team/develop"
    assert check_branch("dependabot/pip/x", pattern, ["dependabot/*"]) is None
    # A pattern without {component} is literal and has no suggestion.
    assert check_branch("x", "only-this", []) == ""
    assert suggest("x", "only-this") is None
    # Regex metacharacters in the pattern are literal.
    assert check_branch("featureXinfrastructure-agent-a", DEFAULT_PATTERN.replace("/", "."), []) is not None


def test_finding_shape_and_message() -> None:
    finding = BranchName.check_name("feature/UserRepo", path="pyproject.toml", touched=["a.py", "b.py", "c.py", "d.py"])
    assert finding is not None
    assert (finding.code, finding.name, finding.path, finding.line, finding.column) == (
        "IL501",
        "branch-name",
        "pyproject.toml",
        1,
        1,
    )
    assert finding.message == (
        "branch 'feature/UserRepo' changes infrastructure files (a.py, b.py, c.py and 1 more) and "
        "does not match feature/infrastructure-agent-{component}; rename it to feature/infrastructure-agent-user-repo"
    )


def test_branch_settings_are_honoured() -> None:
    settings = {"pattern": "team/{component}", "allowed": ["main"], "base-branches": []}
    assert BranchName.check_name("develop", settings) is not None
    assert BranchName.check_name("team/x", settings) is None
    assert BranchName.check_name("main", settings) is None
    # Only one key configured: the others keep their defaults.
    assert BranchName.check_name("release/1", {"pattern": "team/{component}"}) is None
    assert BranchName.check_name("develop", {"allowed": []}) is None


@pytest.mark.parametrize(
    "name",
    ["dependabot/pip/requests-2.32.0", "renovate/lock-file-maintenance", "pre-commit-ci-update-config", "gh-readonly-queue/main/pr-1-abc"],
)
def test_bot_branches_are_allowed(name: str) -> None:
    assert BranchName.check_name(name) is None


def test_rule_metadata() -> None:
    assert BranchName.code == "IL501"
    assert BranchName.name == "branch-name"
    assert BranchName.project_level is True
    assert BranchName.fix_availability is FixAvailability.SOMETIMES
    assert BranchName.scope_description() == "the repository"


def test_examples_hold() -> None:
    # The generic example test cannot lint branch names (project-level rule).
    for valid in BranchName.VALID:
        assert check_branch(valid.source.strip()) is None, valid
    for invalid in BranchName.INVALID:
        finding = BranchName.check_name(invalid.source.strip())
        assert finding is not None and (finding.line, finding.column) in invalid.at
        assert invalid.message is None or invalid.message in finding.message


def test_docstring_is_well_formed() -> None:
    from infralint.docs import check_docstring, render_rule_page

    assert check_docstring(BranchName) == []
    assert "# branch-name (IL501)" in render_rule_page(BranchName)


