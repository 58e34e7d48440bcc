"""TypeScript end to end: discovery, resolution, suppressions, IL001 and
the seam's promise that a Python-only run never loads tree-sitter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infralint.discovery import discover
from infralint.findings import Applicability
from infralint.fixes import applicable_fixes, apply_edits
from infralint.languages.typescript.resolve import ConfigError, Resolver, parse_jsonc
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import lint_example, write_files


def _codes(findings):
    return [(f.code, f.line, f.column) for f in findings]


def test_discovery_finds_typescript_and_javascript_but_not_declarations_or_node_modules(tmp_path: Path) -> None:
    names = ["a.ts", "b.tsx", "c.mts", "d.cts", "e.js", "f.jsx", "g.mjs", "h.cjs", "i.py"]
    write_files(tmp_path, {f"src/{name}": "" for name in names})
    write_files(tmp_path, {"src/types.d.ts": "", "node_modules/pkg/index.js": "", "src/notes.md": ""})
    found = sorted(path.name for path in discover([tmp_path], Settings.default(tmp_path)))
    assert found == sorted(names)


def test_test_files_are_tests(tmp_path: Path) -> None:
    project = Project(Settings.default(tmp_path))
    for relative in ("src/order.test.ts", "src/order.spec.tsx", "src/__tests__/order.ts", "src/order.spec.mjs"):
        assert project.file_info(tmp_path / relative).is_test, relative
    assert not project.file_info(tmp_path / "src/domain/order.ts").is_test


def test_jsonc_comments_and_trailing_commas() -> None:
    text = '{\n  // line\n  "a": "http://x/*y*/", /* block */\n  "b": [1, 2,],\n}\n'
    assert parse_jsonc(text, "tsconfig.json") == {"a": "http://x/*y*/", "b": [1, 2]}


def test_resolution_follows_extends_paths_and_typescript_extensions(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "tsconfig.base.json": '{"compilerOptions": {"baseUrl": "./src", "paths": {"@infra/*": ["infrastructure/*"]}}}',
            "tsconfig.json": '{"extends": "./tsconfig.base.json", // comment\n}',
            "src/infrastructure/db.ts": "",
            "src/infrastructure/queue/index.ts": "",
            "src/shared/money.tsx": "",
            "src/domain/order.ts": "",
        },
    )
    resolver = Resolver(Project(Settings.default(tmp_path)))
    importer = str(tmp_path / "src/domain/order.ts")
    expected = {
        "@infra/db": "src/infrastructure/db.ts",
        "@infra/queue": "src/infrastructure/queue/index.ts",
        "../infrastructure/db.js": "src/infrastructure/db.ts",
        "shared/money": "src/shared/money.tsx",  # through baseUrl
        "../infrastructure/queue": "src/infrastructure/queue/index.ts",
    }
    for specifier, relative in expected.items():
        assert resolver.resolve(importer, specifier) == str(tmp_path / relative), specifier
    assert resolver.resolve(importer, "express") is None
    write_files(tmp_path, {"src/infrastructure/db.d.ts": "", "src/infrastructure/db.js": "", "src/domain/legacy.js": ""})
    javascript = str(tmp_path / "src/domain/legacy.js")
    assert resolver.resolve(javascript, "../infrastructure/db") == str(tmp_path / "src/infrastructure/db.js")
    assert resolver.resolve(importer, "@infra/missing") is None


def test_broken_tsconfig_is_a_clear_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"tsconfig.json": '{"compilerOptions": {', "src/domain/order.ts": 'import x from "y";\n'})
    resolver = Resolver(Project(Settings.default(tmp_path)))
    try:
        resolver.resolve(str(tmp_path / "src/domain/order.ts"), "y")
    except ConfigError as error:
        assert "tsconfig.json: not valid JSON" in str(error)
    else:
        raise AssertionError("no error for a broken tsconfig.json")


def test_unparsable_typescript_is_il001(tmp_path: Path) -> None:
    findings = lint_example(tmp_path, "src/domain/order.ts", "export const total = ;\nimport pg from 'pg';\n")
    assert [f.code for f in findings] == ["IL001"]
    assert findings[0].message.startswith("syntax error")


def test_suppressions_line_and_file(tmp_path: Path) -> None:
    infra = {"src/infrastructure/db.ts": "export const db = 1;\n"}
    source = (
        "// infralint: ignore-file[IL102]\n"
        'import { db } from "../infrastructure/db"; // infralint: ignore[IL101]\n'
        'import { Pool } from "pg";\n'
        'import axios from "axios"; // infralint: ignore[IL101]\n'
    )
    findings = lint_example(tmp_path, "src/domain/order.ts", source, infra)
    assert _codes(findings) == [("IL002", 4, 49)]
    fixed = apply_edits(source, applicable_fixes(findings, Applicability.SAFE))
    assert fixed.splitlines()[3] == 'import axios from "axios";'


def test_ignore_file_after_code_covers_one_line(tmp_path: Path) -> None:
    source = 'import { Pool } from "pg";\nimport axios from "axios"; // infralint: ignore-file[IL102]\n'
    findings = lint_example(tmp_path, "src/domain/order.ts", source)
    assert _codes(findings) == [("IL102", 1, 1)]


def test_python_only_check_does_not_load_tree_sitter(tmp_path: Path) -> None:
    write_files(tmp_path, {"shop/domain/order.py": "import os\n"})
    script = (
        "import sys\nfrom infralint.cli import main\n"
        "try:\n    main(['check', 'shop/domain/order.py'])\nexcept SystemExit:\n    pass\n"
        "assert 'tree_sitter' not in sys.modules, 'tree_sitter imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_variance_annotations_parse(tmp_path: Path) -> None:
    source = "export interface Box<in out T extends object> {\n  value: T;\n}\nexport type F<out A, in B = A> = (b: B) => A;\n"
    assert lint_example(tmp_path, "src/domain/box.ts", source) == []


def test_fix_removes_an_unused_typescript_suppression(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from infralint.cli import main

    write_files(
        tmp_path,
        {
            "infralint.toml": "",
            "src/domain/order.ts": 'import { x } from "./money"; // infralint: ignore[IL101]\nexport const y = x;\n',
            "src/domain/money.ts": "export const x = 1;\n",
            "src/infrastructure/db.ts": "export const db = 1;\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", "."])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "src/domain/order.ts").read_text() == 'import { x } from "./money";\nexport const y = x;\n'
