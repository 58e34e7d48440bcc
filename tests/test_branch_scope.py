"""IL501 on real repositories: it applies when the branch's work touches the
infrastructure layer (changed since the merge base with the base branch,
or staged), the base branch comes from the CI's variables, origin/HEAD or
the usual names, bots and base branches pass, `scope = "always"` checks
every branch, and the finding sits at a real file in every output."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Dict, Optional

import pytest

from infralint import git
from infralint.cli import main
from infralint.config import load_settings
from infralint.rules.vcs import BranchName
from infralint.run import infrastructure_files
from tests.helpers import cli_runner, run_git, write_files

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git is not installed"
)

NO_CI: Dict[str, str] = {}
INFRA = "src/shop/infrastructure"
DOMAIN = "src/shop/domain"


@pytest.fixture(autouse=True)
def _no_ci_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite may itself run in CI: its variables would name the branch."""
    for name in (*git.CI_BRANCH_VARIABLES, *git.CI_BASE_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def make_repository(root: Path, config: Optional[str] = "[tool.infralint]\n", base: str = "main") -> Path:
    """A layered project committed on ``base``."""
    files = {
        f"{package}/__init__.py": ""
        for package in ("src/shop", DOMAIN, "src/shop/application", INFRA)
    }
    files[f"{DOMAIN}/order.py"] = "class Order:\n    pass\n"
    files[f"{INFRA}/db.py"] = "class Database:\n    pass\n"
    if config is not None:
        files["pyproject.toml"] = config
    write_files(root, files)
    run_git(root, "init", "-q", "-b", base)
    commit(root, "first")
    return root


def commit(root: Path, message: str) -> None:
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message)


def edit(root: Path, relative: str, text: str = "VALUE = 1\n") -> None:
    write_files(root, {relative: text})


def check(root: Path, environ: Dict[str, str] = NO_CI):
    settings = load_settings([], cwd=root)
    return BranchName.check_repository(settings, environ, infrastructure_files(settings), lambda p: p.relative_to(root).as_posix())


def test_a_branch_touching_only_the_domain_is_not_reported(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "fix/stripe-timeout")
    edit(root, f"{DOMAIN}/order.py")
    commit(root, "domain fix")
    assert check(root) is None


def test_a_committed_infrastructure_change_is_reported_at_the_configuration_file(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "feature/add-refunds")
    edit(root, f"{INFRA}/stripe.py")
    edit(root, f"{DOMAIN}/refund.py")
    commit(root, "refunds")
    finding = check(root)
    assert finding is not None
    assert finding.path == "pyproject.toml" and (finding.line, finding.column) == (1, 1)
    assert finding.message == (
        f"branch 'feature/add-refunds' changes infrastructure file ({INFRA}/stripe.py) and does not match "
        "feature/infrastructure-agent-{component}; rename it to feature/infrastructure-agent-add-refunds"
    )


def test_the_message_names_the_first_three_files(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "feature/adapters")
    for name in ("a", "b", "c", "d", "e"):
        edit(root, f"{INFRA}/{name}.py")
    commit(root, "adapters")
    finding = check(root)
    assert finding is not None
    assert f"({INFRA}/a.py, {INFRA}/b.py, {INFRA}/c.py and 2 more)" in finding.message


def test_staged_infrastructure_counts_unstaged_does_not(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "fix/stripe-timeout")
    edit(root, f"{INFRA}/db.py")
    assert check(root) is None  # modified, not staged: not this branch's work yet
    run_git(root, "add", f"{INFRA}/db.py")
    finding = check(root)
    assert finding is not None and f"{INFRA}/db.py" in finding.message


def test_changes_on_the_base_branch_after_the_merge_base_do_not_count(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "fix/typo")
    edit(root, f"{DOMAIN}/order.py")
    commit(root, "domain")
    run_git(root, "checkout", "-q", "main")
    edit(root, f"{INFRA}/cache.py")
    commit(root, "infra on main")
    run_git(root, "checkout", "-q", "fix/typo")
    assert check(root) is None


def test_deleting_an_infrastructure_file_counts(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "chore/cleanup")
    (root / INFRA / "db.py").unlink()
    commit(root, "remove")
    assert check(root) is not None


def test_a_typescript_file_of_the_layer_counts(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "feature/queue")
    edit(root, f"{INFRA}/queue.d.ts", "export declare const x: number;\n")  # a declaration: no code
    commit(root, "types")
    assert check(root) is None
    edit(root, f"{INFRA}/queue.ts", "export const x = 1;\n")
    commit(root, "queue")
    finding = check(root)
    assert finding is not None and f"{INFRA}/queue.ts" in finding.message


def test_tests_and_excluded_files_of_the_layer_do_not_count(tmp_path: Path) -> None:
    root = make_repository(tmp_path, '[tool.infralint]\nextend-exclude = ["src/shop/infrastructure/generated"]\n')
    run_git(root, "checkout", "-q", "-b", "test/db")
    edit(root, f"{INFRA}/test_db.py")
    edit(root, f"{INFRA}/generated/models.py")
    edit(root, f"{INFRA}/README.md", "notes\n")
    commit(root, "tests")
    assert check(root) is None
    edit(root, f"{INFRA}/models.py")
    commit(root, "an adapter")
    assert check(root) is not None


def test_base_and_bot_branches_pass_whatever_they_change(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    edit(root, f"{INFRA}/db.py")
    run_git(root, "add", "-A")
    assert check(root) is None  # main itself
    for name in ("dependabot/pip/requests-2.32.0", "renovate/all", "release/2.1", "hotfix/db"):
        assert check(root, {"GITHUB_HEAD_REF": name}) is None, name
    assert check(root, {"GITHUB_HEAD_REF": "fix/stripe-timeout"}) is not None


def test_the_ci_names_the_branch_and_its_base(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "develop")
    edit(root, f"{INFRA}/queue.py")
    commit(root, "infra on develop")
    run_git(root, "checkout", "-q", "-b", "fix/x")
    edit(root, f"{DOMAIN}/order.py")
    commit(root, "domain")
    run_git(root, "checkout", "-q", "--detach")  # as a CI checkout is
    pull_request = {"GITHUB_HEAD_REF": "fix/x"}
    # Against main (the first of the usual names), develop's infrastructure counts...
    assert check(root, pull_request) is not None
    # ...against the pull request's target it does not.
    assert check(root, {**pull_request, "GITHUB_BASE_REF": "develop"}) is None
    assert check(root, {"CI_COMMIT_REF_NAME": "fix/x", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "develop"}) is None
    # A target branch the checkout does not hold is passed over.
    assert check(root, {**pull_request, "GITHUB_BASE_REF": "not-fetched"}) is not None


def test_the_remote_default_branch_is_the_base(tmp_path: Path) -> None:
    upstream = make_repository(tmp_path / "upstream", base="production")
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(upstream), str(clone))
    assert check(clone) is None  # production: the remote's default branch
    run_git(clone, "checkout", "-q", "-b", "fix/domain")
    edit(clone, f"{DOMAIN}/order.py")
    commit(clone, "domain")
    assert check(clone) is None
    edit(clone, f"{INFRA}/db.py")
    commit(clone, "infra")
    assert check(clone) is not None


def test_without_a_base_branch_only_staged_and_uncommitted_changes_count(tmp_path: Path) -> None:
    root = make_repository(tmp_path, base="feature/UserRepo")
    assert check(root) is None  # the committed infrastructure: no base to compare with
    edit(root, f"{INFRA}/new_adapter.py")  # untracked
    finding = check(root)
    assert finding is not None and "new_adapter.py" in finding.message


def test_configured_base_branches(tmp_path: Path) -> None:
    root = make_repository(tmp_path, '[tool.infralint.branch]\nbase-branches = ["production"]\n', base="production")
    run_git(root, "checkout", "-q", "-b", "main")
    edit(root, f"{INFRA}/db.py")
    commit(root, "infra")
    finding = check(root)
    assert finding is not None and "'main'" in finding.message


def test_scope_always_checks_every_branch(tmp_path: Path) -> None:
    root = make_repository(tmp_path, '[tool.infralint.rules.IL501]\nscope = "always"\n')
    run_git(root, "checkout", "-q", "-b", "fix/typo")
    finding = check(root)
    assert finding is not None and finding.path == "pyproject.toml"
    assert "changes infrastructure" not in finding.message
    assert check(root, {"GITHUB_HEAD_REF": "dependabot/npm/x"}) is None


def test_scope_must_be_known(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": '[tool.infralint.rules.IL501]\nscope = "alway"\n'})
    result = cli_runner().invoke(main, ["branch", "--config", str(tmp_path / "pyproject.toml")])
    assert result.exit_code == 2
    assert "'tool.infralint.rules.IL501.scope' must be 'changes' or 'always', got 'alway' (did you mean 'always'?)" in result.stderr


def test_without_a_configuration_file_the_first_infrastructure_file_is_the_location(tmp_path: Path) -> None:
    root = make_repository(tmp_path, config=None)
    run_git(root, "checkout", "-q", "-b", "feature/x")
    edit(root, f"{INFRA}/b.py")
    edit(root, f"{INFRA}/a.py")
    commit(root, "infra")
    finding = check(root)
    assert finding is not None and finding.path == f"{INFRA}/a.py"


def test_fix_renames_only_a_reported_branch(tmp_path: Path) -> None:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "feature/InfraAgent_Db")
    settings = load_settings([], cwd=root)
    assert BranchName.fix_repository(settings, NO_CI, infrastructure_files(settings)) is None  # touches nothing
    edit(root, f"{INFRA}/db.py")
    commit(root, "infra")
    assert BranchName.fix_repository(settings, NO_CI, infrastructure_files(settings)) == "feature/infrastructure-agent-db"
    assert git.repository_branch(root) == "feature/infrastructure-agent-db"
    with pytest.raises(git.GitError, match="CI"):
        BranchName.fix_repository(settings, {"CI_COMMIT_REF_NAME": "fix-stuff"}, infrastructure_files(settings))


# The command line ---------------------------------------------------------------


@pytest.fixture
def infrastructure_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repository(tmp_path)
    run_git(root, "checkout", "-q", "-b", "fix/stripe-timeout")
    edit(root, f"{INFRA}/stripe.py")
    commit(root, "infra")
    monkeypatch.chdir(root)
    return root


def test_branch_and_check_report_it_at_the_configuration_file(infrastructure_branch: Path) -> None:
    branch = cli_runner().invoke(main, ["branch"])
    assert branch.exit_code == 1
    assert branch.stdout.startswith("pyproject.toml:1:1: IL501 branch 'fix/stripe-timeout' changes infrastructure")
    text = cli_runner().invoke(main, ["check", "--no-cache"])
    assert text.exit_code == 1 and "pyproject.toml:1:1: IL501" in text.stdout
    for output_format, location in (("sarif", "$.sarif"), ("gitlab", "$.gitlab")):
        result = cli_runner().invoke(main, ["check", "--no-cache", "--format", output_format])
        document = json.loads(result.stdout)
        if location == "$.sarif":
            (item,) = document["runs"][0]["results"]
            uri = item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        else:
            (item,) = document
            uri = item["location"]["path"]
        assert uri == "pyproject.toml", output_format


def test_ignore_and_select_reach_the_branch_command(infrastructure_branch: Path) -> None:
    for config in ('[tool.infralint]\nignore = ["IL501"]\n', '[tool.infralint]\nselect = ["IL1"]\n'):
        (infrastructure_branch / "pyproject.toml").write_text(config)
        assert cli_runner().invoke(main, ["branch"]).exit_code == 0, config
        result = cli_runner().invoke(main, ["check", "--no-cache"])
        assert "IL501" not in result.stdout, config


def test_a_ci_run_for_dependabot_passes(infrastructure_branch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_HEAD_REF", "dependabot/pip/requests-2.32.0")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    assert cli_runner().invoke(main, ["branch"]).exit_code == 0
    assert "IL501" not in cli_runner().invoke(main, ["check", "--no-cache"]).stdout
