"""Whole-project TypeScript: IL103 chains on infralint's own import graph,
their suppressions, and `infralint layers` over both languages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from infralint.cli import main
from tests.helpers import write_files

MIXED = {
    "infralint.toml": "",
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/order.py": "from shop.infrastructure import db\n",
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/db.py": "",
    "web/src/domain/order.ts": 'import { rate } from "../shared/rates";\nimport { round } from "../shared/round";\n',
    "web/src/shared/rates.ts": 'import { db } from "../infrastructure/db";\nexport const rate = 1;\n',
    "web/src/shared/round.ts": "export const round = Math.round;\n",
    "web/src/infrastructure/db.ts": "export const db = {};\n",
    "web/src/application/place-order.ts": 'import { round } from "../shared/round";\n',
}


def _check(root: Path, *args: str) -> list:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--ignore", "IL501", *args, str(root)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_typescript_chain_is_il103_with_its_links(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, MIXED)
    monkeypatch.chdir(tmp_path)
    findings = _check(tmp_path)
    chains = [f for f in findings if f["code"] == "IL103"]
    assert [(f["path"], f["line"]) for f in chains] == [("web/src/domain/order.ts", 1)]
    assert chains[0]["message"].endswith(
        "web/src/domain/order.ts -> web/src/shared/rates.ts -> web/src/infrastructure/db.ts"
    )
    assert [link["line"] for link in chains[0]["chain"]] == [1, 1]
    assert [(f["path"], f["code"]) for f in findings if f["code"] == "IL101"] == [("shop/domain/order.py", "IL101")]


def test_typescript_chain_suppressed_and_unused_suppression(tmp_path: Path, monkeypatch) -> None:
    files = dict(MIXED)
    files["web/src/domain/order.ts"] = (
        'import { rate } from "../shared/rates"; // infralint: ignore[IL103]\n'
        'import { round } from "../shared/round"; // infralint: ignore[IL103]\n'
    )
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    found = [(f["code"], f["line"]) for f in _check(tmp_path) if f["path"] == "web/src/domain/order.ts"]
    assert found == [("IL002", 2)]


def test_layers_lists_modules_of_both_languages(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, MIXED)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["layers", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "    shop.domain.order\n" in result.output
    assert "    web/src/domain/order.ts\n" in result.output
    assert "  domain -> infrastructure: 1 import  violation (IL101)" in result.output
    assert "  domain -> infrastructure: 1 chain  violation (IL103)" in result.output
