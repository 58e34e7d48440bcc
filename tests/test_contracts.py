"""IL105 import-contract-broken: a project's import-linter contracts, checked
end to end through `infralint check` on real projects in a temporary
directory, every contract type import-linter ships."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Dict, List, Mapping, Tuple

import pytest

from infralint.cli import main
from infralint.rules.import_contracts import ImportContractBroken
from tests.helpers import cli_runner, write_files

REPO = Path(__file__).resolve().parent.parent

SHOP = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/order.py": "from shop.utils import money\n",
    "shop/application/__init__.py": "",
    "shop/application/place_order.py": "from shop.domain import order\n",
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/db.py": "class Database: ...\n",
    "shop/utils/__init__.py": "",
    "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
}
# The rule's own example contract: `.importlinter` with a layers contract for shop.
LAYERS = ImportContractBroken.VALID[0].files[".importlinter"]


def _project(root: Path, files: Mapping[str, str], contracts: str, name: str = ".importlinter") -> Path:
    write_files(root, {"pyproject.toml": "[tool.infralint]\n", **files, name: textwrap.dedent(contracts).lstrip()})
    return root


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(root)
    return cli_runner().invoke(main, ["check", "--no-cache", "--format", "json", "--select", "IL105,IL002", *args])


def _found(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> List[Tuple[str, str, int, str]]:
    """(code, path, line, message) of each finding."""
    result = _run(root, monkeypatch, *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)]


def _chains(root: Path, monkeypatch: pytest.MonkeyPatch) -> List[Tuple[str, int, str]]:
    """(path, line, chain) of each IL105 finding."""
    result = _run(root, monkeypatch)
    assert result.exit_code in (0, 1), result.output
    return [
        (f["path"], f["line"], " -> ".join([f["chain"][0]["importer"], *(link["imported"] for link in f["chain"])]))
        for f in json.loads(result.stdout)
        if f["code"] == "IL105" and f.get("chain")
    ]


@pytest.mark.parametrize("case", ImportContractBroken.VALID + ImportContractBroken.INVALID, ids=lambda case: case.path)
def test_documented_examples(case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", **case.files, case.path: case.source})
    findings = [f for f in json.loads(_run(tmp_path, monkeypatch).stdout) if f["code"] == "IL105"]
    expected = getattr(case, "at", [])
    assert [(f["path"], f["line"], f["column"]) for f in findings] == [(case.path, *at) for at in expected]
    if getattr(case, "message", None):
        assert [f["message"] for f in findings] == [case.message]


def test_layers_chain_is_reported_with_its_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, SHOP, LAYERS)
    result = _run(root, monkeypatch, "--format", "text")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [
        'shop/domain/order.py:1:1: IL105 contract "Shop layers" is broken: shop.domain is not allowed to import '
        "shop.infrastructure: shop.domain.order -> shop.utils.money -> shop.infrastructure.db",
        "    shop.domain.order -> shop.utils.money (l.1)",
        "    shop.utils.money -> shop.infrastructure.db (l.1)",
    ]


def test_contracts_in_pyproject_and_setup_cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = """
        [tool.infralint]

        [tool.importlinter]
        root_packages = ["shop"]

        [[tool.importlinter.contracts]]
        name = "Shop layers"
        type = "layers"
        layers = ["shop.infrastructure", "shop.application", "shop.domain"]
    """
    root = _project(tmp_path / "toml", SHOP, toml, name="pyproject.toml")
    assert _chains(root, monkeypatch) == [("shop/domain/order.py", 1, "shop.domain.order -> shop.utils.money -> shop.infrastructure.db")]
    root = _project(tmp_path / "cfg", SHOP, "[metadata]\nname = shop\n" + LAYERS, name="setup.cfg")
    assert _chains(root, monkeypatch) == [("shop/domain/order.py", 1, "shop.domain.order -> shop.utils.money -> shop.infrastructure.db")]


def test_layers_with_containers_and_siblings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "shop/__init__.py": "",
        **{f"shop/{context}/__init__.py": "" for context in ("orders", "billing")},
        **{f"shop/{context}/{layer}.py": "" for context in ("orders", "billing") for layer in ("api", "payments", "refunds", "core")},
        # Independent siblings (|) may not import each other; mutually allowed ones (:) may.
        "shop/orders/payments.py": "from shop.orders import refunds\n",
        "shop/billing/payments.py": "import shop.billing.core\n",
        "shop/orders/core.py": "from . import api\n",
    }
    contracts = """
        [importlinter]
        root_package = shop

        [importlinter:contract:contexts]
        name = Each context is layered
        type = layers
        containers =
            shop.orders
            shop.billing
        layers =
            api
            payments | refunds
            core
    """
    root = _project(tmp_path, files, contracts)
    assert _chains(root, monkeypatch) == [
        ("shop/orders/core.py", 1, "shop.orders.core -> shop.orders.api"),
        ("shop/orders/payments.py", 1, "shop.orders.payments -> shop.orders.refunds"),
    ]
    (root / ".importlinter").write_text((root / ".importlinter").read_text().replace("payments | refunds", "payments : refunds"))
    assert _chains(root, monkeypatch) == [("shop/orders/core.py", 1, "shop.orders.core -> shop.orders.api")]


def test_exhaustive_layers_report_an_unlisted_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts = LAYERS + "containers = shop\nexhaustive = true\n"
    contracts = contracts.replace("    shop.infrastructure\n    shop.application\n    shop.domain\n", "    infrastructure\n    application\n    domain\n")
    files = {**SHOP, "shop/utils/money.py": ""}
    root = _project(tmp_path, files, contracts)
    assert _found(root, monkeypatch) == [
        ("IL105", "shop/utils/__init__.py", 1, 'contract "Shop layers" is broken: shop.utils is not listed as a layer (the contract is exhaustive)')
    ]


def test_forbidden_external_and_indirect_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        **SHOP,
        "shop/domain/order.py": "from shop.utils import money\nimport sqlalchemy\n",
        "shop/utils/money.py": "import requests.adapters\n",
    }
    contracts = """
        [importlinter]
        root_package = shop
        include_external_packages = True

        [importlinter:contract:no-io]
        name = The domain does no I/O
        type = forbidden
        source_modules = shop.domain
        forbidden_modules =
            sqlalchemy
            requests
    """
    root = _project(tmp_path, files, contracts)
    assert _chains(root, monkeypatch) == [
        ("shop/domain/order.py", 1, "shop.domain.order -> shop.utils.money -> requests"),
        ("shop/domain/order.py", 2, "shop.domain.order -> sqlalchemy"),
    ]
    (root / ".importlinter").write_text((root / ".importlinter").read_text() + "allow_indirect_imports = True\n")
    assert _chains(root, monkeypatch) == [("shop/domain/order.py", 2, "shop.domain.order -> sqlalchemy")]


def test_independence_protected_and_acyclic_siblings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/orders.py": "from shop import billing\n",
        "shop/billing.py": "from shop import shipping\n",
        "shop/shipping.py": "import shop.orders\n",
        "shop/db.py": "",
        "shop/api.py": "from shop import db\n",
    }
    contracts = """
        [importlinter]
        root_package = shop

        [importlinter:contract:independent]
        name = Contexts are independent
        type = independence
        modules =
            shop.orders
            shop.shipping

        [importlinter:contract:protected]
        name = Only the repositories touch the database
        type = protected
        protected_modules = shop.db
        allowed_importers = shop.billing

        [importlinter:contract:acyclic]
        name = No cycles
        type = acyclic_siblings
        ancestors = shop
    """
    root = _project(tmp_path, files, contracts)
    findings = _found(root, monkeypatch)
    by_contract: Dict[str, List[Tuple[str, int]]] = {}
    for _, path, line, message in findings:
        by_contract.setdefault(message.split('"')[1], []).append((path, line))
    assert by_contract == {
        "Contexts are independent": [("shop/orders.py", 1), ("shop/shipping.py", 1)],
        "Only the repositories touch the database": [("shop/api.py", 1)],
        # import-linter nominates orders -> billing as the import to remove (lint-imports agrees).
        "No cycles": [("shop/orders.py", 1)],
    }


def test_ignore_imports_with_wildcards_and_unmatched_alerting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts = LAYERS + "ignore_imports =\n    shop.*.money -> shop.infrastructure.db\n"
    root = _project(tmp_path, SHOP, contracts)
    assert _found(root, monkeypatch) == []
    contracts = LAYERS + "ignore_imports =\n    shop.domain.order -> shop.infrastructure.db\n"
    root = _project(tmp_path, SHOP, contracts)
    # lint-imports stops at an unmatched ignore (the contract is not checked further).
    [unmatched] = _found(root, monkeypatch)
    assert unmatched == (
        "IL105",
        ".importlinter",
        12,
        'contract "Shop layers" is broken: No matches for ignored import shop.domain.order -> shop.infrastructure.db.',
    )
    (root / ".importlinter").write_text(contracts + "unmatched_ignore_imports_alerting = none\n")
    assert [finding[:3] for finding in _found(root, monkeypatch)] == [("IL105", "shop/domain/order.py", 1)]


def test_suppressions_and_unused_suppressions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        **SHOP,
        "shop/domain/order.py": "from shop.utils import money  # infralint: ignore[IL105]\n",
        "shop/domain/price.py": "import decimal  # infralint: ignore[IL105]\n",
    }
    root = _project(tmp_path, files, LAYERS)
    assert _found(root, monkeypatch) == [("IL002", "shop/domain/price.py", 1, "unused suppression for IL105")]


def test_invalid_contract_is_a_configuration_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, SHOP, LAYERS.replace("type = layers", "type = layers\nexhaustive = maybe"))
    result = _run(root, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("infralint: error: .importlinter: contract 'Shop layers': exhaustive")


def test_plugin_contract_types_are_named_in_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts = LAYERS + "\n[importlinter:contract:custom]\nname = Custom\ntype = mine\n"
    contracts = contracts.replace("root_package = shop\n", "root_package = shop\ncontract_types =\n    mine: shop.checks.Mine\n")
    root = _project(tmp_path, SHOP, contracts)
    result = _run(root, monkeypatch)
    assert result.exit_code == 1
    assert "contract 'Custom' of type 'mine' is not checked" in result.stderr
    assert len(json.loads(result.stdout)) == 1


def test_verdicts_are_cached_until_the_contracts_or_the_code_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import infralint.contracts

    root = _project(tmp_path, SHOP, LAYERS)
    _age(root)
    monkeypatch.chdir(root)
    args = ["check", "--format", "json", "--select", "IL105"]
    first = cli_runner().invoke(main, args)
    assert len(json.loads(first.stdout)) == 1

    def fail(*args, **kwargs):
        raise AssertionError("contracts checked again")

    with monkeypatch.context() as patched:
        patched.setattr(infralint.contracts, "check_contracts", fail)
        assert cli_runner().invoke(main, args).stdout == first.stdout
    # Both a change of the contracts and of the code are seen.
    _age(root)
    (root / ".importlinter").write_text(LAYERS + "ignore_imports =\n    shop.utils.money -> shop.infrastructure.db\n")
    _age(root)
    assert json.loads(cli_runner().invoke(main, args).stdout) == []
    (root / "shop/domain/order.py").write_text("from shop.infrastructure import db\n")
    _age(root)
    assert len(json.loads(cli_runner().invoke(main, args).stdout)) == 1


def _age(root: Path) -> None:
    """Move every file's mtime 10 s back: the cache takes nothing written
    in the last 2 s on trust."""
    import os
    import time

    when = time.time() - 10
    for path in root.rglob("*"):
        if path.is_file() and ".infralint_cache" not in path.parts:
            os.utime(path, (when, when))


# infralint's own architecture ------------------------------------------------------
def _own_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "infralint", root / "infralint", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_infralint_keeps_its_own_contracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _own_copy(tmp_path)
    found = _found(root, monkeypatch)
    assert found == [], (
        "infralint breaks its own import contracts ([tool.importlinter] in pyproject.toml; `lint-imports` shows "
        "them too): a new module of infralint/ goes in the layers list, in the tier of what it imports and what "
        "imports it; an import up the layers or in a cycle needs the code moved, not the contract"
    )


def test_a_module_that_breaks_infralints_contracts_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _own_copy(tmp_path)
    base = root / "infralint/rules/base.py"
    base.write_text(base.read_text() + "\n\ndef _late() -> None:\n    import infralint.cli  # noqa: F401\n")
    (root / "infralint/newcomer.py").write_text('"""A module no layer lists."""\n')
    messages = [message for _, _, _, message in _found(root, monkeypatch)]
    assert any("infralint.rules is not allowed to import infralint.cli" in message for message in messages), messages
    assert any("infralint.newcomer is not listed as a layer" in message for message in messages), messages


def test_a_named_file_gets_the_contract_findings_that_start_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, SHOP, LAYERS)
    # The graph is the whole project's: the chain runs through files not named.
    assert [finding[:3] for finding in _found(root, monkeypatch, "shop/domain/order.py")] == [("IL105", "shop/domain/order.py", 1)]
    assert _found(root, monkeypatch, "shop/utils/money.py") == []


def test_a_baseline_accepts_broken_contracts_until_a_new_import_breaks_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, SHOP, LAYERS)
    assert _run(root, monkeypatch, "--baseline", "baseline.json", "--update-baseline").exit_code == 0
    assert _found(root, monkeypatch, "--baseline", "baseline.json") == []
    (root / "shop/application/place_order.py").write_text("from shop.domain import order\nfrom shop.utils import money\n")
    assert [finding[:3] for finding in _found(root, monkeypatch, "--baseline", "baseline.json")] == [
        ("IL105", "shop/application/place_order.py", 2)
    ]
