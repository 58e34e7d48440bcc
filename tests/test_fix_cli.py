"""`check --fix` / `--diff` / `--unsafe-fixes` end to end through the CLI:
written files keep encoding, BOM, newlines and mode; a second run changes
nothing; an unwritable file is an error for that file only."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from infralint.cli import main
from tests.helpers import cli_runner, run_git, write_files

BARE_EXCEPT_RERAISE = "try:\n    connect()\nexcept:\n    raise\n"
BARE_EXCEPT_SWALLOW = "try:\n    connect()\nexcept:\n    cleanup()\n    raise RuntimeError('x')\n"


def _project(tmp_path: Path, files: dict) -> Path:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", **files})
    return tmp_path


def _run(root: Path, *args: str):
    return cli_runner().invoke(main, ["check", *args, str(root)])


def _has_mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_fix_applies_safe_fixes_only_and_is_idempotent(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/safe.py": BARE_EXCEPT_RERAISE, "app/unsafe.py": BARE_EXCEPT_SWALLOW})
    result = _run(root, "--fix", "--select", "IL302")
    assert (root / "app/safe.py").read_text() == BARE_EXCEPT_RERAISE.replace("except:", "except BaseException:")
    assert (root / "app/unsafe.py").read_text() == BARE_EXCEPT_SWALLOW
    assert "Fixed 1 finding (1 remaining)." in result.output
    assert result.exit_code == 1
    again = _run(root, "--fix", "--select", "IL302")
    assert "Fixed 0 findings (1 remaining)." in again.output


def test_unsafe_fixes_with_fix(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/unsafe.py": BARE_EXCEPT_SWALLOW})
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL302")
    assert "except Exception:" in (root / "app/unsafe.py").read_text()
    assert result.exit_code == 0, result.output


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/safe.py": BARE_EXCEPT_RERAISE})
    result = _run(root, "--diff", "--select", "IL302")
    assert result.exit_code == 1
    assert "-except:\n+except BaseException:\n" in result.output
    assert (root / "app/safe.py").read_text() == BARE_EXCEPT_RERAISE
    clean = _project(tmp_path / "clean", {"app/ok.py": "x = 1\n"})
    assert _run(clean, "--diff").exit_code == 0


def test_fix_keeps_crlf_bom_encoding_and_mode(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    crlf = root / "app" / "crlf.py"
    crlf.parent.mkdir(parents=True)
    crlf.write_bytes(BARE_EXCEPT_RERAISE.replace("\n", "\r\n").encode())
    bom = root / "app" / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + "# café\n".encode() + BARE_EXCEPT_RERAISE.encode())
    latin = root / "app" / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n" + BARE_EXCEPT_RERAISE.encode())
    os.chmod(crlf, 0o750)
    _run(root, "--fix", "--select", "IL302")
    assert crlf.read_bytes() == BARE_EXCEPT_RERAISE.replace("except:", "except BaseException:").replace("\n", "\r\n").encode()
    assert stat.S_IMODE(crlf.stat().st_mode) == 0o750
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf# caf\xc3\xa9\n")
    assert b"except BaseException:" in bom.read_bytes()
    assert latin.read_bytes().startswith(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n")
    assert b"except BaseException:" in latin.read_bytes()
    assert not [p for p in (root / "app").iterdir() if p.name.endswith(".infralint")]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_is_an_error_others_still_fixed(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE, "app/b.py": BARE_EXCEPT_RERAISE})
    os.chmod(root / "app/a.py", 0o444)
    result = _run(root, "--fix", "--select", "IL302")
    assert result.exit_code == 2
    assert "read-only" in (result.stderr if _has_mix_stderr() else result.output)
    assert "BaseException" in (root / "app/b.py").read_text()


def test_read_only_file_is_reported_even_as_root(tmp_path: Path, monkeypatch) -> None:
    from infralint import writes

    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE, "app/b.py": BARE_EXCEPT_RERAISE})
    real_access = os.access
    monkeypatch.setattr(writes.os, "access", lambda p, m: not str(p).endswith("a.py") and real_access(p, m))
    result = _run(root, "--fix", "--select", "IL302")
    assert result.exit_code == 2
    assert (root / "app/a.py").read_text() == BARE_EXCEPT_RERAISE
    assert "BaseException" in (root / "app/b.py").read_text()


def _give_il302_the_fix(monkeypatch, start_column: int, end_column: int, text: str) -> None:
    """Make IL302 offer a (buggy) safe fix: one edit on the `except:` line."""
    from infralint.findings import Applicability, Edit, Fix
    from infralint.rules.errors import BareExcept

    original = BareExcept.report

    def report(self, node=None, *, position=None, fix=None, **args):
        line = position[0] if position else node.lineno
        buggy = Fix((Edit((line, start_column), (line, end_column), text),), Applicability.SAFE, "buggy")
        original(self, node, position=position, fix=buggy, **args)

    monkeypatch.setattr(BareExcept, "report", report)


def test_fix_that_does_not_parse_is_dropped_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    _give_il302_the_fix(monkeypatch, 1, 7, "except (((")
    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE})
    result = _run(root, "--fix", "--select", "IL302")
    assert (root / "app/a.py").read_text() == BARE_EXCEPT_RERAISE
    assert "IL302 fix dropped" in (result.stderr if _has_mix_stderr() else result.output)


def test_every_reporter_is_a_format_choice_and_output_file_works(tmp_path: Path) -> None:
    import json

    from infralint.cli import FORMATS
    from infralint.reporters import REPORTERS

    assert set(FORMATS) == {*REPORTERS, "concise"}  # ruff's name for text
    root = _project(tmp_path, {"app/safe.py": BARE_EXCEPT_RERAISE})
    report = tmp_path / "report.sarif"
    result = _run(root, "--format", "sarif", "--output-file", str(report), "--select", "IL302")
    assert result.exit_code == 1
    assert json.loads(report.read_text())["runs"][0]["results"][0]["ruleId"] == "IL302"
    github = _run(root, "--format", "github", "--select", "IL302")
    assert "::error file=" in github.output and "title=IL302::" in github.output


def test_branch_command_and_whole_project_check(tmp_path: Path, monkeypatch) -> None:
    for variable in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BITBUCKET_BRANCH",
                     "BUILDKITE_BRANCH", "CIRCLE_BRANCH", "BRANCH_NAME"):
        monkeypatch.delenv(variable, raising=False)
    # Every branch name (test_branch_scope.py has the branch's changes).
    always = '[tool.infralint.rules.IL501]\nscope = "always"\n'
    root = _project(tmp_path, {"app/ok.py": "x = 1\n", "pyproject.toml": always})
    run_git(root, "init", "-q", "-b", "feature/UserRepo")
    run_git(root, "commit", "-q", "--allow-empty", "-m", "init")
    monkeypatch.chdir(root)
    runner = CliRunner()
    bad = runner.invoke(main, ["branch"])
    assert bad.exit_code == 1 and "feature/infrastructure-agent-user-repo" in bad.output
    assert runner.invoke(main, ["branch", "main"]).exit_code == 0
    whole = runner.invoke(main, ["check"])
    assert whole.exit_code == 1 and "IL501" in whole.output
    # Named files are not a whole-project run; --ignore deselects it.
    assert runner.invoke(main, ["check", "app/ok.py"]).exit_code == 0
    assert runner.invoke(main, ["check", "--ignore", "IL501"]).exit_code == 0
    fixed = runner.invoke(main, ["branch", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert runner.invoke(main, ["branch"]).exit_code == 0


def test_stdin_is_linted_as_the_given_path(tmp_path: Path) -> None:
    root = _project(tmp_path, {"shop/domain/__init__.py": "", "shop/infrastructure/db.py": ""})
    source = "from shop.infrastructure.db import x\n"
    runner = CliRunner()
    as_domain = runner.invoke(main, ["check", "--stdin-filename", str(root / "shop/domain/new.py"), "-"], input=source)
    assert as_domain.exit_code == 1 and "IL101" in as_domain.output
    as_main = runner.invoke(main, ["check", "--stdin-filename", str(root / "shop/main.py")], input=source)
    assert as_main.exit_code == 0, as_main.output
    assert not (root / "shop/domain/new.py").exists()


def test_stdin_fix_writes_the_fixed_source_to_stdout(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    runner = CliRunner(mix_stderr=False) if _has_mix_stderr() else CliRunner()
    result = runner.invoke(
        main, ["check", "--fix", "--stdin-filename", str(root / "app/x.py")], input=BARE_EXCEPT_RERAISE
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(BARE_EXCEPT_RERAISE.replace("except:", "except BaseException:"))


def test_stdin_with_paths_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--stdin-filename", "x.py", str(tmp_path)], input="")
    assert result.exit_code == 2


def test_baseline_reports_only_new_findings(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE})
    monkeypatch.chdir(root)
    runner = CliRunner()
    recorded = runner.invoke(main, ["check", "app", "--select", "IL302", "--baseline", "baseline.json", "--update-baseline"])
    assert recorded.exit_code == 0 and "Recorded 1 finding" in recorded.output
    assert runner.invoke(main, ["check", "app", "--select", "IL302", "--baseline", "baseline.json"]).exit_code == 0
    shifted = "import os\n\n\n" + BARE_EXCEPT_RERAISE + "try:\n    other()\nexcept:\n    cleanup()\n"
    (root / "app/a.py").write_text(shifted)
    result = runner.invoke(main, ["check", "app", "--select", "IL302", "--baseline", "baseline.json"])
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.output.splitlines() if "IL302" in line] == ["10"]
    bad = runner.invoke(main, ["check", "app", "--baseline", "missing.json"])
    assert bad.exit_code == 2


def _stderr(result) -> str:
    return result.stderr if _has_mix_stderr() else result.output


def test_fix_that_leaves_its_finding_is_dropped_others_still_applied(tmp_path: Path, monkeypatch) -> None:
    # A comment after `except:`: it parses, and the bare except stays.
    _give_il302_the_fix(monkeypatch, 8, 8, "  # fixed?")
    source = BARE_EXCEPT_RERAISE + "try:\n    pay()\nexcept ValueError:\n    raise RuntimeError('x')\n"
    root = _project(tmp_path, {"app/a.py": source})
    result = _run(root, "--fix", "--select", "IL302,IL304")
    assert "IL302 fix dropped: it does not remove its finding" in _stderr(result)
    fixed = (root / "app/a.py").read_text()
    assert fixed.startswith(BARE_EXCEPT_RERAISE), "the dropped fix was written"
    assert "except ValueError as err:\n    raise RuntimeError('x') from err\n" in fixed
    assert "Fixed 1 finding (1 remaining)." in result.output


def test_show_fixes_lists_applied_and_available_fixes_per_file(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE * 2, "app/b.py": BARE_EXCEPT_RERAISE})
    available = _run(root, "--show-fixes", "--select", "IL302")
    assert "Would fix 3 findings:\n- " in available.output
    assert "app/a.py:\n    2 × IL302 (bare-except)\n" in available.output
    assert available.output.rstrip().endswith("Found 3 findings (3 fixable with --fix).")
    diff = _run(root, "--diff", "--show-fixes", "--select", "IL302")
    assert "Would fix 3 findings:" in _stderr(diff)
    fixed = _run(root, "--fix", "--show-fixes", "--select", "IL302")
    lines = fixed.output.splitlines()
    assert lines[lines.index("Fixed 3 findings:") + 1].endswith("app/a.py:")
    assert "    1 × IL302 (bare-except)" in lines
    assert lines[-1] == "Fixed 3 findings (0 remaining)."
    nothing = _run(root, "--fix", "--show-fixes", "--select", "IL302")
    assert "Fixed 0 findings:" not in nothing.output and "×" not in nothing.output


SHOP_FILES = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/ports.py": "class Orders:\n    pass\n",
    "shop/infrastructure/__init__.py": "from .orders import SqliteOrderRepository\n",
    "shop/infrastructure/orders.py": (
        "from shop.domain.ports import Orders\n\n\nclass SqliteOrderRepository(Orders):\n    pass\n"
    ),
    "shop/main.py": "import shop.infrastructure.orders\n\nREPO = shop.infrastructure.orders.SqliteOrderRepository()\n",
    "tests/test_orders.py": "from shop.infrastructure import orders\n\n\ndef test_it():\n    assert orders.SqliteOrderRepository\n",
}


def test_il201_unsafe_fix_renames_the_module_and_rewrites_its_imports(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, SHOP_FILES)
    monkeypatch.chdir(root)
    safe = _run(root, "--fix", "--select", "IL201")
    assert (root / "shop/infrastructure/orders.py").exists() and "Fixed 0 findings (1 remaining)." in safe.output
    diff = _run(root, "--diff", "--unsafe-fixes", "--select", "IL201")
    assert diff.exit_code == 1
    assert (
        "diff --git a/shop/infrastructure/orders.py b/shop/infrastructure/sqlite_order_repository.py\n"
        "rename from shop/infrastructure/orders.py\nrename to shop/infrastructure/sqlite_order_repository.py\n"
        in diff.output
    )
    assert "+from .sqlite_order_repository import SqliteOrderRepository\n" in diff.output
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201")
    assert result.exit_code == 0, result.output
    assert "Fixed 1 finding (0 remaining)." in result.output
    assert not (root / "shop/infrastructure/orders.py").exists()
    assert (root / "shop/infrastructure/sqlite_order_repository.py").read_text() == SHOP_FILES["shop/infrastructure/orders.py"]
    assert (root / "shop/infrastructure/__init__.py").read_text() == "from .sqlite_order_repository import SqliteOrderRepository\n"
    assert (root / "shop/main.py").read_text() == (
        "import shop.infrastructure.sqlite_order_repository\n\n"
        "REPO = shop.infrastructure.sqlite_order_repository.SqliteOrderRepository()\n"
    )
    assert (root / "tests/test_orders.py").read_text().startswith(
        "from shop.infrastructure import sqlite_order_repository as orders\n"
    )
    again = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201")
    assert again.exit_code == 0 and "Fixed 0 findings (0 remaining)." in again.output


def test_il201_rewrites_imports_outside_the_checked_paths(tmp_path: Path) -> None:
    root = _project(tmp_path, SHOP_FILES)
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--fix", "--unsafe-fixes", str(root / "shop/infrastructure/orders.py")])
    assert result.exit_code == 0, result.output
    assert "sqlite_order_repository" in (root / "tests/test_orders.py").read_text()


def test_il201_has_no_fix_when_the_target_exists_or_for_a_package(tmp_path: Path) -> None:
    files = {**SHOP_FILES, "shop/infrastructure/sqlite_order_repository.py": "X = 1\n"}
    root = _project(tmp_path, files)
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201")
    assert result.exit_code == 1 and "IL201 SqliteOrderRepository" in result.output  # no [*]
    assert (root / "shop/infrastructure/orders.py").exists()
    package = _project(tmp_path / "p", {"shop/domain/__init__.py": "", "shop/infrastructure/orders/__init__.py": "class OrderRepository:\n    pass\n"})
    assert "IL201 OrderRepository" in _run(package, "--unsafe-fixes", "--select", "IL201").output


def test_il201_two_renames_claiming_one_name_warn(tmp_path: Path) -> None:
    files = {
        "shop/domain/__init__.py": "",
        "shop/infrastructure/a.py": "class OrderRepository:\n    pass\n",
        "shop/infrastructure/b.py": "class OrderRepository:\n    pass\n",
    }
    root = _project(tmp_path, files)
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201")
    assert "IL201 fix skipped: order_repository.py exists" in _stderr(result)
    assert (root / "shop/infrastructure/order_repository.py").exists()
    assert [p.name for p in (root / "shop/infrastructure").iterdir()].count("a.py") + [
        p.name for p in (root / "shop/infrastructure").iterdir()
    ].count("b.py") == 1


def test_il201_rename_group_is_all_or_nothing(tmp_path: Path, monkeypatch) -> None:
    from infralint import writes

    root = _project(tmp_path, {**SHOP_FILES, "shop/other.py": BARE_EXCEPT_RERAISE})
    real_access = os.access
    monkeypatch.setattr(writes.os, "access", lambda p, m: not str(p).endswith("test_orders.py") and real_access(p, m))
    before = {path: (root / path).read_text() for path in SHOP_FILES}
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201,IL302")
    assert result.exit_code == 2
    assert "test_orders.py: cannot write the fixes: the file is read-only" in _stderr(result)
    assert {path: (root / path).read_text() for path in SHOP_FILES} == before
    assert not (root / "shop/infrastructure/sqlite_order_repository.py").exists()
    assert "BaseException" in (root / "shop/other.py").read_text()
    assert "IL201" in result.output  # still reported: not fixed


def test_vanished_file_is_a_one_line_error_others_still_fixed(tmp_path: Path, monkeypatch) -> None:
    from infralint import fix_run

    root = _project(tmp_path, {"app/a.py": BARE_EXCEPT_RERAISE, "app/b.py": BARE_EXCEPT_RERAISE})
    real_fix_file = fix_run.fix_file

    def fix_then_delete(engine, path, minimum, data=None, findings=None):
        outcome = real_fix_file(engine, path, minimum, data, findings)
        if path.name == "a.py":
            path.unlink()  # deleted by someone else while infralint runs
        return outcome

    monkeypatch.setattr(fix_run, "fix_file", fix_then_delete)
    result = _run(root, "--fix", "--select", "IL302")
    assert result.exit_code == 2
    errors = [line for line in _stderr(result).splitlines() if line.startswith("infralint: error:")]
    assert len(errors) == 1 and errors[0].endswith("a.py: cannot write the fixes: no such file")
    assert "BaseException" in (root / "app/b.py").read_text()
    assert not (root / "app/a.py").exists()


def test_json_shows_the_rename_of_il201s_fix(tmp_path: Path) -> None:
    import json

    root = _project(tmp_path, SHOP_FILES)
    result = _run(root, "--format", "json", "--select", "IL201")
    (finding,) = json.loads(result.stdout)
    assert finding["fix"] == {
        "applicability": "unsafe",
        "message": "Rename the module to sqlite_order_repository.py and rewrite its imports",
        "edits": [],
        "rename": "sqlite_order_repository.py",
    }


def test_il201_rewrites_imports_in_files_excluded_from_linting_and_fixes_the_module_too(tmp_path: Path) -> None:
    files = {
        **SHOP_FILES,
        "pyproject.toml": '[tool.infralint]\nextend-exclude = ["tests/"]\n',
        "shop/infrastructure/orders.py": SHOP_FILES["shop/infrastructure/orders.py"] + BARE_EXCEPT_RERAISE,
    }
    write_files(tmp_path, files)
    result = _run(tmp_path, "--fix", "--unsafe-fixes", "--select", "IL201,IL302")
    assert "Fixed 2 findings (0 remaining)." in result.output, result.output
    moved = (tmp_path / "shop/infrastructure/sqlite_order_repository.py").read_text()
    assert moved.endswith("except BaseException:\n    raise\n")
    assert "import sqlite_order_repository as orders" in (tmp_path / "tests/test_orders.py").read_text()


def test_il201_rewritten_importers_keep_bom_crlf_and_non_ascii(tmp_path: Path) -> None:
    root = _project(tmp_path, SHOP_FILES)
    importer = root / "shop/api_client.py"
    text = "# café\r\nfrom shop.infrastructure.orders import SqliteOrderRepository as Dépôt\r\nnom = 'ü'\r\n"
    importer.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    os.chmod(importer, 0o640)
    result = _run(root, "--fix", "--unsafe-fixes", "--select", "IL201")
    assert result.exit_code == 0, result.output
    assert importer.read_bytes() == b"\xef\xbb\xbf" + text.replace("orders", "sqlite_order_repository").encode("utf-8")
    assert stat.S_IMODE(importer.stat().st_mode) == 0o640


def test_fix_applies_the_baseline_to_what_remains(tmp_path: Path, monkeypatch) -> None:
    # The pre-commit hook `infralint-fix` runs `check --fix`: findings recorded
    # in the baseline must not fail it, as they do not fail `check`.
    root = _project(tmp_path, {"app/old.py": BARE_EXCEPT_SWALLOW})
    monkeypatch.chdir(root)
    recorded = _run(root, "--select", "IL302", "--baseline", "baseline.json", "--update-baseline")
    assert recorded.exit_code == 0 and "Recorded 1 finding" in recorded.output
    (root / "app/new.py").write_text(BARE_EXCEPT_RERAISE)
    fixed = _run(root, "--fix", "--select", "IL302", "--baseline", "baseline.json")
    assert fixed.exit_code == 0, fixed.output
    assert "Fixed 1 finding (0 remaining)." in fixed.output and "old.py" not in fixed.output
    assert "except BaseException:" in (root / "app/new.py").read_text()
    # A finding that is not in the baseline still fails the run after fixing.
    (root / "app/newer.py").write_text(BARE_EXCEPT_SWALLOW)
    failing = _run(root, "--fix", "--select", "IL302", "--baseline", "baseline.json")
    assert failing.exit_code == 1
    assert [line.split(":")[0] for line in failing.output.splitlines() if "IL302" in line] == ["app/newer.py"]


def test_fix_then_update_baseline_records_only_what_the_fixes_left(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"app/safe.py": BARE_EXCEPT_RERAISE, "app/unsafe.py": BARE_EXCEPT_SWALLOW})
    monkeypatch.chdir(root)
    result = _run(root, "--fix", "--select", "IL302", "--baseline", "baseline.json", "--update-baseline")
    assert result.exit_code == 0 and "Recorded 1 finding" in result.output
    recorded = json.loads((root / "baseline.json").read_text())["findings"]
    assert [(entry["path"], entry["code"]) for entry in recorded] == [("app/unsafe.py", "IL302")]
    assert "except BaseException:" in (root / "app/safe.py").read_text()


def test_fix_of_the_whole_project_reports_the_branch_name(tmp_path: Path, monkeypatch) -> None:
    for variable in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BITBUCKET_BRANCH",
                     "BUILDKITE_BRANCH", "CIRCLE_BRANCH", "BRANCH_NAME"):
        monkeypatch.delenv(variable, raising=False)
    always = '[tool.infralint.rules.IL501]\nscope = "always"\n'
    root = _project(tmp_path, {"app/safe.py": BARE_EXCEPT_RERAISE, "pyproject.toml": always})
    run_git(root, "init", "-q", "-b", "fix-stuff")
    run_git(root, "commit", "-q", "--allow-empty", "-m", "init")
    monkeypatch.chdir(root)
    runner = CliRunner()
    fixed = runner.invoke(main, ["check", "--fix"])
    assert fixed.exit_code == 1
    assert "IL501" in fixed.output and "Fixed 1 finding (1 remaining)." in fixed.output
    assert "except BaseException:" in (root / "app/safe.py").read_text()
    assert runner.invoke(main, ["check", "--fix", "--ignore", "IL501"]).exit_code == 0
