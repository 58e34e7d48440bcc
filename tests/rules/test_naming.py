"""IL2 naming and placement: what the VALID / INVALID examples cannot say —
character columns, odd file names, configured layers and options."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from infralint.findings import Finding
from infralint.layers import LayerModel
from infralint.rules.naming import normalized_module_name, roles_of_module_name, snake_case
from infralint.settings import Settings
from tests.helpers import lint_example


def _found(
    root: Path, code: str, path: str, source: str, settings: Optional[Settings] = None
) -> List[Finding]:
    return [f for f in lint_example(root, path, source, settings=settings) if f.code == code]


def _at(findings: List[Finding]) -> List[Tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


# Helpers -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SqliteOrderRepository", "sqlite_order_repository"),
        ("HTTPClient", "http_client"),
        ("S3Adapter", "s3_adapter"),
        ("DbSettings", "db_settings"),
        ("Order_Repository", "order_repository"),
        ("ÜberClient", "über_client"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_module_name_roles() -> None:
    assert roles_of_module_name("order_repository") == {"repository"}
    assert roles_of_module_name("repositories") == {"repository"}
    assert roles_of_module_name("app_settings") == {"config"}
    assert roles_of_module_name("settings") == {"config"}
    # Only the bare plural is a role name; "<name>_<plural>" is not.
    assert roles_of_module_name("sql_repositories") == set()
    assert roles_of_module_name("repositoryish") == set()
    assert normalized_module_name("order_repository") is None
    assert normalized_module_name("order-item.repository") == "order_item_repository"


# IL201 file-suffix -----------------------------------------------------------
def test_il201_non_ascii_class_name_range_counts_characters(tmp_path: Path) -> None:
    source = "if True:\n    class ÜberRepository:\n        pass\n"
    [finding] = _found(tmp_path, "IL201", "shop/infrastructure/cache.py", source)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 11, 2, 25)
    assert finding.message.endswith("e.g. über_repository.py")


def test_il201_reports_the_first_class_in_source_order_at_any_depth(tmp_path: Path) -> None:
    source = (
        "try:\n"
        "    import redis\n"
        "except ImportError:\n"
        "    class FakeRedisClient:\n"
        "        pass\n"
        "else:\n"
        "    pass\n"
        "\n"
        "\n"
        "class OrderRepository:\n"
        "    pass\n"
    )
    findings = _found(tmp_path, "IL201", "shop/infrastructure/cache.py", source)
    assert _at(findings) == [(4, 11)]
    assert "FakeRedisClient is defined in cache.py" in findings[0].message


def test_il201_classes_inside_functions_do_not_count(tmp_path: Path) -> None:
    source = "def make():\n    class LocalRepository:\n        pass\n    return LocalRepository\n"
    assert _found(tmp_path, "IL201", "shop/infrastructure/cache.py", source) == []


@pytest.mark.parametrize(
    "path",
    [
        "shop/infrastructure/stripe_client.py",
        "shop/infrastructure/order_repository.py",
        "shop/infrastructure/clients/stripe.py",
    ],
)
def test_il201_several_roles_silent_when_the_name_carries_one(tmp_path: Path, path: str) -> None:
    source = "class StripeClient:\n    pass\n\n\nclass OrderRepository:\n    pass\n"
    assert _found(tmp_path, "IL201", path, source) == []


def test_il201_several_roles_reported_once_when_the_name_carries_none(tmp_path: Path) -> None:
    source = "class StripeClient:\n    pass\n\n\nclass OrderRepository:\n    pass\n"
    findings = _found(tmp_path, "IL201", "shop/infrastructure/sql_repositories.py", source)
    assert _at(findings) == [(1, 7)]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("shop/infrastructure/x.repository.py", "x.repository.py cannot be imported; "),
        ("shop/infrastructure/order-item.repository.py", "e.g. order_item_repository.py"),
        ("shop/infrastructure/order-repository.py", "order-repository.py cannot be imported"),
        ("shop/infrastructure/OrderRepository.py", "OrderRepository.py is not a snake_case module name"),
        ("shop/infrastructure/HttpClient.py", "e.g. http_client.py"),
        # The directory carries the role, the name is still broken.
        ("shop/infrastructure/repositories/x.repository.py", "e.g. x_repository.py"),
    ],
)
def test_il201_unimportable_or_camel_case_role_names_without_a_class(
    tmp_path: Path, path: str, message: str
) -> None:
    findings = _found(tmp_path, "IL201", path, "")
    assert _at(findings) == [(1, 1)]
    assert message in findings[0].message


def test_il201_broken_name_in_a_role_package_is_reported_at_its_class(tmp_path: Path) -> None:
    source = '"""Orders."""\n\n\nclass OrderRepository:\n    pass\n'
    findings = _found(tmp_path, "IL201", "shop/infrastructure/repositories/Orders.Repository.py", source)
    assert _at(findings) == [(4, 7)]
    assert "e.g. orders_repository.py" in findings[0].message


@pytest.mark.parametrize(
    "path",
    [
        "shop/infrastructure/x.y.py",  # unimportable, but no role: not this rule's concern
        "shop/infrastructure/Orders.py",
        "shop/infrastructure/order_repository.pyi",  # stubs follow their module
    ],
)
def test_il201_silent_for_names_without_a_role_and_for_stubs(tmp_path: Path, path: str) -> None:
    assert _found(tmp_path, "IL201", path, "") == []


def test_il201_package_init_is_named_by_its_package(tmp_path: Path) -> None:
    source = "class OrderRepository:\n    pass\n"
    assert _found(tmp_path, "IL201", "shop/infrastructure/order_repository/__init__.py", source) == []
    [finding] = _found(tmp_path, "IL201", "shop/infrastructure/orders/__init__.py", source)
    assert "OrderRepository is defined in orders/__init__.py" in finding.message


def test_il201_role_package_names_are_case_insensitive(tmp_path: Path) -> None:
    source = "class OrderRepository:\n    pass\n"
    assert _found(tmp_path, "IL201", "shop/infrastructure/Repositories/orders.py", source) == []


def test_il201_with_configured_layers(tmp_path: Path) -> None:
    layers = LayerModel.build(
        ["api", "persistence", "core", "shared"],
        {"persistence": ["persistence"], "core": ["core"], "shared": ["shared"]},
        {"api": "interface", "persistence": "infrastructure", "core": "domain"},
    )
    settings = Settings.default(tmp_path).with_changes(layers=layers, layers_configured=True)
    source = "class OrderRepository:\n    pass\n"
    assert _at(_found(tmp_path, "IL201", "shop/persistence/orders.py", source, settings)) == [(1, 7)]
    # "infrastructure" is no layer name any more, and a layer without a kind
    # is not infrastructure.
    assert _found(tmp_path, "IL201", "shop/infrastructure/orders.py", source, settings) == []
    assert _found(tmp_path, "IL201", "shop/shared/orders.py", source, settings) == []


# IL202 infrastructure-outside-layer --------------------------------------------
def test_il202_non_ascii_class_name(tmp_path: Path) -> None:
    source = "import redis\n\n\nclass ÄrgerRepository:\n    pass\n"
    [finding] = _found(tmp_path, "IL202", "shop/domain/ärger.py", source)
    assert (finding.line, finding.column, finding.end_column) == (4, 7, 22)
    assert "domain class ÄrgerRepository" in finding.message


def test_il202_with_configured_layers_names_the_layer(tmp_path: Path) -> None:
    layers = LayerModel.build(
        ["web", "persistence", "core"],
        {"web": ["web"], "persistence": ["persistence"], "core": ["core"]},
        {"web": "interface", "persistence": "infrastructure", "core": "domain"},
    )
    settings = Settings.default(tmp_path).with_changes(layers=layers, layers_configured=True)
    source = "import sqlalchemy\n\n\nclass SqlOrderRepository:\n    pass\n"
    [finding] = _found(tmp_path, "IL202", "shop/core/orders.py", source, settings)
    assert finding.message.startswith("core class SqlOrderRepository")
    assert _found(tmp_path, "IL202", "shop/persistence/orders.py", source, settings) == []


def test_il202_uses_il102_framework_options(tmp_path: Path) -> None:
    source = "import acme_db\n\n\nclass AcmeOrderRepository:\n    pass\n"
    assert _found(tmp_path, "IL202", "shop/domain/orders.py", source) == []
    options = {"IL102": {"extend-frameworks": ["acme_db"]}}
    settings = Settings.default(tmp_path).with_changes(layers_configured=True, rule_options=options)
    findings = _found(tmp_path, "IL202", "shop/domain/orders.py", source, settings)
    assert _at(findings) == [(4, 7)]
    assert "imports acme_db" in findings[0].message


def test_il202_is_not_silenced_by_il102_allow(tmp_path: Path) -> None:
    options = {"IL102": {"allow": ["sqlite3"]}}
    settings = Settings.default(tmp_path).with_changes(layers_configured=True, rule_options=options)
    source = "import sqlite3\n\n\nclass SqliteOrderRepository:\n    pass\n"
    findings = lint_example(tmp_path, "shop/domain/orders.py", source, settings=settings)
    assert [f.code for f in findings] == ["IL202"]


# IL203 config-outside-config-module ----------------------------------------------
def test_il203_column_counts_characters(tmp_path: Path) -> None:
    source = 'import os\n\nlabel = "café"; url = os.getenv("URL")\n'
    [finding] = _found(tmp_path, "IL203", "shop/infrastructure/db.py", source)
    assert (finding.line, finding.column, finding.end_column) == (3, 23, 39)


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_db.py",
        "tests/infrastructure/db.py",
        "shop/infrastructure/test_db.py",
        "shop/infrastructure/db_test.py",
        "conftest.py",
    ],
)
def test_il203_silent_in_test_code(tmp_path: Path, path: str) -> None:
    source = "import os\n\nURL = os.environ['URL']\nKEY = os.getenv('KEY')\n"
    assert _found(tmp_path, "IL203", path, source) == []


@pytest.mark.parametrize(
    "path",
    [
        "shop/conf.py",
        "shop/app_settings.py",
        "shop/infrastructure/settings/database.py",
        "shop/config/__init__.py",
        "src/shop/Settings.py",
        "manage.py",
        "shop/__main__.py",
        "shop/asgi.py",
        "shop/wsgi.py",
    ],
)
def test_il203_silent_in_configuration_modules(tmp_path: Path, path: str) -> None:
    source = "import os\n\nURL = os.environ['URL']\n"
    assert _found(tmp_path, "IL203", path, source) == []


def test_il203_a_configured_layer_named_like_a_composition_package_stays_a_layer(tmp_path: Path) -> None:
    layers = LayerModel.build(["api", "core", "bootstrap"], {}, {"api": "interface", "core": "domain"})
    settings = Settings.default(tmp_path).with_changes(layers=layers, layers_configured=True)
    source = "import os\n\nURL = os.environ['URL']\n"
    assert _at(_found(tmp_path, "IL203", "shop/bootstrap/wiring_helpers.py", source, settings)) == [(3, 7)]
    # A module named main is a composition root wherever it is.
    assert _found(tmp_path, "IL203", "shop/bootstrap/main.py", source, settings) == []
    assert _found(tmp_path, "IL203", "shop/main.py", source, settings) == []


def test_il203_reads_inside_writes_are_reported(tmp_path: Path) -> None:
    source = "import os\n\nos.environ['B'] = os.environ['A']\nos.environ['C'] += 'x'\n"
    assert _at(_found(tmp_path, "IL203", "shop/infrastructure/jobs.py", source)) == [(3, 19)]


def test_il203_process_variables_only_by_their_exact_name(tmp_path: Path) -> None:
    # The process's own variables are exempt by exact literal name; a
    # service's setting or a computed name is still configuration.
    source = (
        "import os\n\n"
        "a = os.environ['PATH'], os.getenv('HOME'), os.environ.get('TERM_PROGRAM')\n"
        "b = os.environ['PATH_PREFIX'], os.getenv('path'), os.environ.get(name), os.getenv('DJANGO_COLORS')\n"
    )
    assert _at(_found(tmp_path, "IL203", "shop/infrastructure/jobs.py", source)) == [(4, 5), (4, 32), (4, 51), (4, 73)]


def test_il203_suppression_comment(tmp_path: Path) -> None:
    source = "import os\n\nURL = os.getenv('URL')  # infralint: ignore[IL203]\n"
    findings = lint_example(tmp_path, "shop/infrastructure/db.py", source)
    assert [f.code for f in findings] == []


def test_il201_has_no_rename_fix_onto_an_existing_module_or_package(tmp_path: Path) -> None:
    source = "class OrderRepository:\n    pass\n"
    free = [f for f in lint_example(tmp_path / "a", "shop/infrastructure/orders.py", source) if f.code == "IL201"]
    assert free[0].fix is not None and free[0].fix.rename == "order_repository.py"
    files = {"shop/infrastructure/order_repository/__init__.py": ""}
    taken = lint_example(tmp_path / "b", "shop/infrastructure/orders.py", source, files)
    assert [f.fix for f in taken if f.code == "IL201"] == [None]
