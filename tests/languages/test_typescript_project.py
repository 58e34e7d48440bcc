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


def test_il201_fix_renames_the_file_and_rewrites_its_imports(tmp_path: Path, monkeypatch) -> None:
    write_files(
        tmp_path,
        {
            "infralint.toml": "",
            "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@infra/*": ["src/infrastructure/*"]}}}',
            "src/domain/order.ts": "export class Order {}\n",
            "src/infrastructure/payments.ts": "export class StripePaymentAdapter {}\n",
            "src/main.ts": 'import { StripePaymentAdapter } from "./infrastructure/payments";\n',
            "src/cli.ts": 'import type { StripePaymentAdapter } from "@infra/payments";\n'
            'const lazy = () => import("./infrastructure/payments.js");\n'
            'const payments = "./infrastructure/payments";\n',
            "src/infrastructure/payments-test-double.ts": 'export * from "./payments";\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "IL201", "--fix", "--unsafe-fixes", "."])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "src/infrastructure/payments.ts").exists()
    assert (tmp_path / "src/infrastructure/stripe-payment.adapter.ts").read_text() == "export class StripePaymentAdapter {}\n"
    assert (tmp_path / "src/main.ts").read_text() == (
        'import { StripePaymentAdapter } from "./infrastructure/stripe-payment.adapter";\n'
    )
    assert (tmp_path / "src/cli.ts").read_text() == (
        'import type { StripePaymentAdapter } from "@infra/stripe-payment.adapter";\n'
        'const lazy = () => import("./infrastructure/stripe-payment.adapter.js");\n'
        'const payments = "./infrastructure/payments";\n'  # a string, not an import: left alone
    )
    assert (tmp_path / "src/infrastructure/payments-test-double.ts").read_text() == (
        'export * from "./stripe-payment.adapter";\n'
    )


def test_the_cache_relints_when_tsconfig_changes(tmp_path: Path, monkeypatch) -> None:
    import os

    write_files(
        tmp_path,
        {
            "infralint.toml": "",
            "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@x/*": ["src/shared/*"]}}}',
            "src/domain/order.ts": 'import { db } from "@x/db";\n',
            "src/shared/db.ts": "export const db = 1;\n",
            "src/infrastructure/db.ts": "export const db = 1;\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    def il101() -> list:
        result = CliRunner().invoke(main, ["check", "--format", "json", "--select", "IL101", "."])
        return [f["line"] for f in json.loads(result.output)]

    assert il101() == []
    config = tmp_path / "tsconfig.json"
    config.write_text('{"compilerOptions": {"baseUrl": ".", "paths": {"@x/*": ["src/infrastructure/*"]}}}')
    os.utime(config, ns=(config.stat().st_atime_ns, config.stat().st_mtime_ns + 5_000_000_000))
    assert il101() == [1]


def test_a_file_that_does_not_parse_keeps_its_imports_in_the_graph_without_a_second_parse(
    tmp_path: Path, monkeypatch
) -> None:
    # rates.ts is IL001 (a syntax error after its imports); IL103's chain
    # still runs through it, with the line of the import's source string,
    # from the tree its lint parsed: the graph does not read it again.
    files = dict(MIXED)
    files["web/src/shared/rates.ts"] = 'import {\n  db,\n} from "../infrastructure/db";\nexport const rate = (;\n'
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    from infralint.languages.typescript import graph

    parsed_again = []
    monkeypatch.setattr(graph, "parse_imports", lambda project, path: parsed_again.append(path) or [])
    findings = _check(tmp_path, "-j", "1")
    assert [(f["path"], f["code"]) for f in findings if f["path"] == "web/src/shared/rates.ts"] == [
        ("web/src/shared/rates.ts", "IL001")
    ]
    chains = [f for f in findings if f["code"] == "IL103"]
    assert [(f["path"], [link["line"] for link in f["chain"]]) for f in chains] == [("web/src/domain/order.ts", [1, 3])]
    assert parsed_again == []
