"""Start-up stays cheap: `--version` and a one-file check import neither
libcst, grimp nor pygls, nor the reporters they do not use. Checked on
``sys.modules`` of a fresh interpreter, never by timing."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import List, Tuple

import pytest

import infralint
from infralint.startup import collector_paused

from tests.helpers import write_files

HEAVY = ("libcst", "grimp", "pygls")

# Runs the command line in this interpreter, then prints the modules it loaded.
PROBE = """
import json, sys
from infralint.cli import main
try:
    main(sys.argv[1:], prog_name="infralint")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _run_probe(cwd: Path, *args: str) -> Tuple[List[str], str]:
    """The modules loaded by ``infralint ARGS``, and what it printed on stderr."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    *messages, modules = done.stderr.strip().splitlines()
    return json.loads(modules), "\n".join(messages)


def _modules_after(cwd: Path, *args: str) -> List[str]:
    return _run_probe(cwd, *args)[0]


def _heavy(modules: List[str]) -> List[str]:
    return [name for name in modules if name.split(".")[0] in HEAVY]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "pyproject.toml": "[tool.infralint]\n",
            "shop/__init__.py": "",
            "shop/domain/__init__.py": "",
            "shop/domain/order.py": "import shop.infrastructure.db\n",
        },
    )
    return tmp_path


def test_version_imports_no_heavy_dependency(project: Path) -> None:
    modules = _modules_after(project, "--version")
    assert "infralint.cli" in modules
    assert _heavy(modules) == []
    assert "infralint.rules" not in modules


def test_one_file_check_imports_no_heavy_dependency_nor_unused_reporters(project: Path) -> None:
    modules = _modules_after(project, "check", "shop/domain/order.py")
    assert "infralint.engine" in modules and "infralint.reporters.text" in modules
    assert _heavy(modules) == []
    assert [name for name in modules if name.startswith("infralint.reporters.")] == ["infralint.reporters.text"]
    assert "configparser" not in modules  # only a project with a setup.cfg reads one


def test_fully_cached_run_imports_no_heavy_dependency(project: Path) -> None:
    _modules_after(project, "check", ".")
    modules, messages = _run_probe(project, "check", "--verbose", ".")
    assert "3 of 3 files from the cache" in messages
    assert _heavy(modules) == []


def test_whole_project_run_without_layers_imports_no_graph_code(project: Path) -> None:
    # One layer name (domain) does not make the project layered: no chains.
    modules = _modules_after(project, "check", "--no-cache", ".")
    assert "infralint.engine" in modules
    assert [name for name in modules if name in ("infralint.graph", "infralint.project_checks")] == []


def test_default_patterns_need_no_pathspec(project: Path) -> None:
    # Its import costs more than matching every path of a warm run.
    write_files(project, {"tests/test_order.py": "", "shop/build/gen.py": ""})
    modules = _modules_after(project, "check", "--no-cache", ".")
    assert "infralint.engine" in modules and "pathspec" not in modules


def test_only_a_project_with_a_toml_file_imports_a_toml_parser(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    bare = tmp_path_factory.mktemp("no-configuration")
    write_files(bare, {"shop/__init__.py": "", "shop/domain/order.py": "import shop.infrastructure.db\n"})
    toml_parsers = ("tomllib", "tomli")
    assert [name for name in _modules_after(bare, "check", "shop/domain/order.py") if name in toml_parsers] == []
    assert [name for name in _modules_after(project, "check", "shop/domain/order.py") if name in toml_parsers] != []


def test_no_cache_check_imports_no_cache_code(project: Path) -> None:
    modules = _modules_after(project, "check", "--no-cache", "shop/domain/order.py")
    assert "infralint.engine" in modules and "infralint.cache" not in modules


def test_one_file_check_defines_no_dataclass(project: Path) -> None:
    # A dataclass compiles its methods at import (~1 ms each): the records on
    # this path are `infralint.records` classes.
    modules = _modules_after(project, "check", "--no-cache", "shop/domain/order.py")
    assert "infralint.engine" in modules and "dataclasses" not in modules


def test_the_probe_sees_a_heavy_import_when_there_is_one(project: Path) -> None:
    # A syntax error newer than this interpreter is explained with libcst's
    # help: the probe must notice that import, or it proves nothing.
    pytest.importorskip("libcst")
    (project / "shop/domain/broken.py").write_text("def f(:\n")
    modules = _modules_after(project, "check", "--no-cache", "shop/domain/broken.py")
    assert "libcst" in modules


def test_the_console_script_answers_version_without_click(project: Path) -> None:
    probe = (
        "import json, sys\n"
        "sys.argv = ['infralint', '--version']\n"
        "from infralint.entry import main\n"
        "main()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=120, check=True)
    full = subprocess.run(
        [sys.executable, "-m", "infralint", "--version"], cwd=project, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout == full.stdout == f"infralint {infralint.__version__}\n"
    modules = json.loads(done.stderr)
    assert "click" not in modules and "infralint.cli" not in modules


def test_the_console_script_freezes_what_start_up_built_and_resumes_the_collector(project: Path) -> None:
    probe = (
        "import gc, json, sys\n"
        "sys.argv = ['infralint', 'check', '--no-cache', 'shop/domain/order.py']\n"
        "from infralint.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([gc.isenabled(), gc.get_freeze_count(), 'infralint.rules' in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=120, check=True)
    enabled, frozen, rules_imported = json.loads(done.stderr.strip().splitlines()[-1])
    assert enabled and rules_imported
    assert frozen > 10_000  # the command line's and the rules' objects


def test_the_collector_is_paused_for_the_block_and_resumed_only_if_it_ran(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
            kept = [[] for _ in range(10)]
            monkeypatch.setitem(sys.modules, "infralint_probe_module", types.ModuleType("infralint_probe_module"))
        assert gc.isenabled() and gc.get_freeze_count() >= frozen_before + len(kept)
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_block_that_imports_nothing_freezes_nothing() -> None:
    frozen_before = gc.get_freeze_count()
    with collector_paused():
        garbage = [[] for _ in range(10)]
        del garbage
    assert gc.get_freeze_count() == frozen_before and gc.isenabled()
