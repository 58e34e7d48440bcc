"""The engine on hostile input: every problem with a file is one IL001
finding (or nothing), never a traceback, and the run goes on."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path
from typing import List

import pytest

from infralint.engine import Engine
from infralint.findings import Finding
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import lint_example


def _lint_bytes(root: Path, relative: str, data: bytes) -> List[Finding]:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Engine(Project(_settings(root), [target]), cwd=root).lint_file(target)


def _settings(root: Path) -> Settings:
    return Settings.default(root).with_changes(layers_configured=True)


def _codes(findings: List[Finding]) -> List[str]:
    return [f.code for f in findings]


def test_binary_file_is_one_il001(tmp_path: Path) -> None:
    findings = _lint_bytes(tmp_path, "shop/domain/blob.py", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert _codes(findings) == ["IL001"]
    assert "binary" in findings[0].message
    assert (findings[0].line, findings[0].column) == (1, 1)


def test_latin1_without_cookie_is_il001_naming_the_line(tmp_path: Path) -> None:
    findings = _lint_bytes(tmp_path, "shop/domain/names.py", b"x = 1\nname = '\xe9t\xe9'\n")
    assert _codes(findings) == ["IL001"]
    assert "not valid utf-8 at line 2" in findings[0].message


def test_latin1_with_cookie_parses(tmp_path: Path) -> None:
    source = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n"
    assert _lint_bytes(tmp_path, "shop/domain/names.py", source) == []


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the syntax is valid on this interpreter")
def test_newer_grammar_names_the_version(tmp_path: Path) -> None:
    findings = _lint_bytes(tmp_path, "shop/domain/types.py", b"type OrderId = int\n")
    assert _codes(findings) == ["IL001"]
    assert "needs Python 3.12" in findings[0].message


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="t-strings are valid on this interpreter")
def test_syntax_libcst_cannot_represent_is_still_one_il001(tmp_path: Path) -> None:
    # Concatenated t-strings (Python 3.14, SQLAlchemy's tests) make libcst
    # fail its own validation while the engine looks for the version needed.
    findings = _lint_bytes(tmp_path, "shop/domain/query.py", b'x = 1\nquery = t"a {x}" t"b"\n')
    assert _codes(findings) == ["IL001"]
    assert findings[0].line == 2


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="t-strings are valid on this interpreter")
def test_template_strings_need_python_3_14(tmp_path: Path) -> None:
    findings = _lint_bytes(tmp_path, "shop/domain/query.py", b'x = 1\nquery = t"a {x}"\n')
    assert _codes(findings) == ["IL001"]
    assert "needs Python 3.14" in findings[0].message


def test_syntax_error_position_and_message(tmp_path: Path) -> None:
    findings = _lint_bytes(tmp_path, "shop/domain/order.py", b"def f(:\n    pass\n")
    assert _codes(findings) == ["IL001"]
    assert findings[0].message.startswith("syntax error: ")
    assert findings[0].line == 1


def test_very_long_line(tmp_path: Path) -> None:
    source = ("x = [" + "1, " * 17_000 + "1]\n").encode()
    assert len(source) > 50_000
    assert _lint_bytes(tmp_path, "shop/domain/data.py", source) == []


def test_deeply_nested_parentheses(tmp_path: Path) -> None:
    source = ("x = " + "(" * 200 + "1" + ")" * 200 + "\n").encode()
    findings = _lint_bytes(tmp_path, "shop/domain/deep.py", source)
    # CPython's parser refuses 200 levels; either way no traceback.
    assert _codes(findings) in ([], ["IL001"])


def test_empty_file(tmp_path: Path) -> None:
    assert _lint_bytes(tmp_path, "shop/domain/__init__.py", b"") == []


def test_vanished_file_is_il001(tmp_path: Path) -> None:
    target = tmp_path / "shop" / "domain" / "gone.py"
    findings = Engine(Project(_settings(tmp_path)), cwd=tmp_path).lint_file(target)
    assert _codes(findings) == ["IL001"]
    assert "cannot read" in findings[0].message


def test_run_goes_on_after_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "shop" / "domain" / "broken.py"
    broken.parent.mkdir(parents=True)
    broken.write_text("def (\n")
    violating = tmp_path / "shop" / "domain" / "order.py"
    violating.write_text("from shop.infrastructure.db import Database\n")
    result = Engine(Project(_settings(tmp_path)), cwd=tmp_path).run([broken, violating])
    assert [(f.path, f.code) for f in result.findings] == [
        ("shop/domain/broken.py", "IL001"),
        ("shop/domain/order.py", "IL101"),
    ]


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    source = "café = 1; import shop.infrastructure.db\n"
    findings = lint_example(tmp_path, "shop/domain/order.py", source)
    assert [(f.code, f.column) for f in findings] == [("IL101", 11)]


def test_findings_are_sorted_and_stable(tmp_path: Path) -> None:
    source = "import shop.infrastructure.b\nimport shop.infrastructure.a\nimport sqlalchemy\n"
    first = lint_example(tmp_path, "shop/domain/order.py", source)
    second = lint_example(tmp_path, "shop/domain/order.py", source)
    assert first == second
    assert [(f.line, f.code) for f in first] == [(1, "IL101"), (2, "IL101"), (3, "IL102")]


class TestSuppressions:
    def test_line_suppression(self, tmp_path: Path) -> None:
        source = "import shop.infrastructure.db  # infralint: ignore[IL101]\n"
        assert lint_example(tmp_path, "shop/domain/order.py", source) == []

    def test_noqa_with_other_tools_codes(self, tmp_path: Path) -> None:
        source = "import shop.infrastructure.db  # noqa: E501, IL101\n"
        assert lint_example(tmp_path, "shop/domain/order.py", source) == []

    def test_bare_noqa_is_neither_honoured_nor_reported(self, tmp_path: Path) -> None:
        source = "import shop.infrastructure.db  # noqa\n"
        assert _codes(lint_example(tmp_path, "shop/domain/order.py", source)) == ["IL101"]

    def test_first_line_of_multiline_statement(self, tmp_path: Path) -> None:
        source = "from shop.infrastructure.db import (  # infralint: ignore[IL101]\n    Database,\n)\n"
        assert lint_example(tmp_path, "shop/domain/order.py", source) == []

    def test_file_suppression_in_header(self, tmp_path: Path) -> None:
        source = "# infralint: ignore-file[IL101]\nimport shop.infrastructure.db\nimport shop.entrypoints.api\n"
        assert lint_example(tmp_path, "shop/domain/order.py", source) == []

    def test_file_suppression_after_code_is_only_a_line_suppression(self, tmp_path: Path) -> None:
        source = "import shop.infrastructure.db\nimport shop.entrypoints.api  # infralint: ignore-file[IL101]\n"
        findings = lint_example(tmp_path, "shop/domain/order.py", source)
        assert [(f.code, f.line) for f in findings] == [("IL101", 1)]

    def test_suppression_of_another_code_does_not_apply(self, tmp_path: Path) -> None:
        source = "import shop.infrastructure.db  # infralint: ignore[IL102]\n"
        findings = lint_example(tmp_path, "shop/domain/order.py", source)
        assert sorted(f.code for f in findings) == ["IL002", "IL101"]

    def test_marker_inside_a_string_is_not_a_comment(self, tmp_path: Path) -> None:
        source = 'import shop.infrastructure.db; note = "# infralint: ignore[IL101]"\n'
        assert _codes(lint_example(tmp_path, "shop/domain/order.py", source)) == ["IL101"]

    def test_suppression_for_a_rule_that_did_not_run_is_not_unused(self, tmp_path: Path) -> None:
        # IL102 does not apply to infrastructure, so the comment is left alone.
        source = "import sqlalchemy  # infralint: ignore[IL102]\n"
        assert lint_example(tmp_path, "shop/infrastructure/db.py", source) == []


def test_a_rule_that_raises_is_an_internal_error_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    from infralint.rules.layers import ImplementationWithoutContract, LayerViolation

    def explode(self, node) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(LayerViolation, "visit_Call", explode)
    engine = Engine(Project(_settings(tmp_path)), cwd=tmp_path)
    source = "import importlib\nimport shop.infrastructure.db\nimportlib.import_module('x')\nclass EmailClient:\n    pass\n"
    write = tmp_path / "shop" / "infrastructure" / "email_client.py"
    write.parent.mkdir(parents=True)
    write.write_text(source)
    findings = engine.lint_file(write)
    assert [f.code for f in findings] == [ImplementationWithoutContract.code]
    assert [(e.path, e.code) for e in engine.internal_errors] == [("shop/infrastructure/email_client.py", "IL101")]
    assert "boom" in str(engine.internal_errors[0])


def test_parallel_run_gives_the_same_result_as_one_process(tmp_path: Path) -> None:
    from infralint.engine import PARALLEL_THRESHOLD

    for index in range(PARALLEL_THRESHOLD + 6):
        target = tmp_path / "shop" / ("domain" if index % 2 else "infrastructure") / f"m{index}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            "import shop.infrastructure.db\ntry:\n    f()\nexcept:\n    raise\nclass EmailClient:\n    pass\n"
        )
    files = sorted((tmp_path / "shop").rglob("*.py"))
    engine = Engine(Project(_settings(tmp_path), files), cwd=tmp_path)
    serial = engine.run(files, jobs=1)
    parallel = engine.run(files, jobs=2)
    assert serial.findings == parallel.findings
    assert serial.files_checked == parallel.files_checked == len(files)
    assert {f.code for f in serial.findings} >= {"IL101", "IL302", "IL104"}


def test_a_rule_that_raised_is_not_called_again_in_the_same_file(tmp_path: Path, monkeypatch) -> None:
    from infralint.rules.layers import LayerViolation

    calls: List[int] = []

    def explode(self, node) -> None:
        calls.append(node.lineno)
        raise RuntimeError("boom")

    monkeypatch.setattr(LayerViolation, "visit_Call", explode)
    target = tmp_path / "shop" / "domain" / "order.py"
    target.parent.mkdir(parents=True)
    target.write_text("import importlib\nimportlib.import_module('a')\nimportlib.import_module('b')\n")
    engine = Engine(Project(_settings(tmp_path)), cwd=tmp_path)
    engine.lint_file(target)
    assert calls == [2]
    assert len(engine.internal_errors) == 1


def test_without_multiprocessing_the_run_falls_back_to_one_process(tmp_path: Path, monkeypatch) -> None:
    import concurrent.futures

    from infralint.engine import PARALLEL_THRESHOLD

    def unavailable(*args, **kwargs):
        raise NotImplementedError("no sem_open on this platform")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", unavailable)
    for index in range(PARALLEL_THRESHOLD):
        target = tmp_path / "shop" / "domain" / f"m{index}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("import shop.infrastructure.db\n")
    files = sorted((tmp_path / "shop").rglob("*.py"))
    result = Engine(Project(_settings(tmp_path), files), cwd=tmp_path).run(files, jobs=2)
    assert [f.code for f in result.findings] == ["IL101"] * PARALLEL_THRESHOLD


def test_a_few_large_files_are_linted_in_worker_processes(tmp_path: Path, monkeypatch) -> None:
    import concurrent.futures

    from infralint.engine import PARALLEL_MIN_BYTES

    pools: List[int] = []
    real_pool = concurrent.futures.ProcessPoolExecutor

    def counting_pool(jobs, *args, **kwargs):
        pools.append(jobs)
        return real_pool(jobs, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting_pool)
    body = "x = 1\n" * (PARALLEL_MIN_BYTES // 6 // 3 + 1)
    files = []
    for index in range(4):
        files.append(tmp_path / "shop" / "domain" / f"m{index}.py")
        files[-1].parent.mkdir(parents=True, exist_ok=True)
        files[-1].write_text("import shop.infrastructure.db\n" + body)
    engine = Engine(Project(_settings(tmp_path), files), cwd=tmp_path)
    assert [f.code for f in engine.run(files[:1], jobs=2).findings] == ["IL101"]
    assert pools == []
    result = engine.run(files, jobs=2)
    assert pools == [2]
    assert [f.code for f in result.findings] == ["IL101"] * 4


def test_rules_of_a_file_share_one_flow_per_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # IL401-IL404 each need how values travel in a function: built once
    # per function for the file, not once per rule (the editor lints per keystroke).
    from infralint.rules import connections

    built: List[str] = []

    class CountedFlow(connections.FunctionFlow):
        def __init__(self, function, model) -> None:  # type: ignore[no-untyped-def]
            built.append(function.name)
            super().__init__(function, model)

    monkeypatch.setattr(connections, "FunctionFlow", CountedFlow)
    source = (
        "import requests, sqlite3\n"
        "def fetch(url):\n    session = requests.Session()\n    requests.get(url, timeout=5)\n    return session.get(url)\n"
        "def count():\n    connection = sqlite3.connect('db')\n    return connection.execute('SELECT 1')\n"
    )
    findings = _lint_bytes(tmp_path, "src/shop/infrastructure/gateway.py", source.encode())
    assert findings, "the rules that need flows ran"
    assert sorted(built) == ["count", "fetch"]


def test_keep_holds_the_syntax_tree_until_the_caller_lets_it_go(tmp_path: Path) -> None:
    target = tmp_path / "shop/infrastructure/gateway.py"
    target.parent.mkdir(parents=True)
    target.write_text("import requests\n\n\ndef fetch(url):\n    try:\n        return requests.get(url)\n    except:\n        raise\n")
    keep: List[object] = []
    findings = Engine(Project(_settings(tmp_path), [target]), cwd=tmp_path).lint_file(target, keep=keep)
    assert "IL302" in _codes(findings)
    (context,) = keep
    tree = weakref.ref(context.tree)  # type: ignore[attr-defined]
    del context
    assert tree() is not None
    # Freed by reference counting alone (no cycle): nothing for the collector.
    gc.disable()
    try:
        keep.clear()
        assert tree() is None
    finally:
        gc.enable()
