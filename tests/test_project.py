"""Module names, first-party packages and layers of files."""

from __future__ import annotations

from pathlib import Path

from infralint.layers import LayerModel
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import write_files


def _project(root: Path, **changes) -> Project:
    changes.setdefault("layers_configured", True)
    return Project(Settings.default(root).with_changes(**changes))


def test_src_layout_module_names_and_first_party(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/shop/__init__.py": "", "src/shop/domain/__init__.py": "", "src/shop/domain/order.py": ""})
    project = _project(tmp_path)
    assert project.module_name(tmp_path / "src/shop/domain/order.py") == "shop.domain.order"
    assert project.module_name(tmp_path / "src/shop/domain/__init__.py") == "shop.domain"
    assert "shop" in project.first_party
    assert project.is_first_party("shop.infrastructure.db")
    assert not project.is_first_party("sqlalchemy")


def test_namespace_packages_use_the_deepest_source_root(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/billing/domain/invoice.py": "", "orders/domain/order.py": ""})
    project = _project(tmp_path)
    assert project.module_name(tmp_path / "src/billing/domain/invoice.py") == "billing.domain.invoice"
    assert project.module_name(tmp_path / "orders/domain/order.py") == "orders.domain.order"
    assert {"billing", "orders"} <= project.first_party


def test_package_root_found_through_init_files_in_a_monorepo(tmp_path: Path) -> None:
    write_files(tmp_path, {"services/orders/app/__init__.py": "", "services/orders/app/domain/__init__.py": "", "services/orders/app/domain/x.py": ""})
    project = _project(tmp_path)
    assert project.module_name(tmp_path / "services/orders/app/domain/x.py") == "app.domain.x"


def test_layers_outermost_match_and_case_insensitive(tmp_path: Path) -> None:
    project = _project(tmp_path)
    info = project.file_info(tmp_path / "shop/Domain/adapters/email.py")
    assert info.layer is not None and info.layer.name == "domain"
    assert project.file_info(tmp_path / "shop/domain.py").layer.name == "domain"
    assert project.file_info(tmp_path / "shop/utils/money.py").layer is None
    assert project.file_info(tmp_path / "shop/main.py").layer is None


def test_tests_belong_to_no_layer(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for relative in ("tests/domain/test_order.py", "shop/domain/test_order.py", "shop/domain/order_test.py", "conftest.py"):
        info = project.file_info(tmp_path / relative)
        assert info.is_test and info.layer is None and info.scope == "tests", relative


def test_configured_layers_and_kinds(tmp_path: Path) -> None:
    layers = LayerModel.build(
        ["inbound", "outbound", "core"],
        {"inbound": ["api"], "outbound": ["persistence"], "core": ["core"]},
        {"outbound": "infrastructure", "core": "domain"},
    )
    project = _project(tmp_path, layers=layers)
    outbound = project.file_info(tmp_path / "shop/persistence/db.py")
    assert outbound.layer.name == "outbound" and outbound.scope == "infrastructure"
    inbound = project.file_info(tmp_path / "shop/api/routes.py")
    # A layer without a kind only gets the layer-order rules.
    assert inbound.layer.name == "inbound" and inbound.scope == "other"
    assert project.file_info(tmp_path / "shop/domain/order.py").layer is None


def test_zero_config_layers_need_a_layered_project(tmp_path: Path) -> None:
    # Django-like: one module named `adapter.py` does not make layers.
    write_files(tmp_path, {"lib/__init__.py": "", "lib/db/adapter.py": "", "lib/tests/domain.py": ""})
    project = Project(Settings.default(tmp_path))
    assert project.detected_layers() == frozenset()
    assert project.file_info(tmp_path / "lib/db/adapter.py").layer is None


def test_zero_config_layers_need_packages_not_modules_named_like_layers(tmp_path: Path) -> None:
    # SQLAlchemy-like: `engine/interfaces.py` and `testing/entities.py` are
    # modules named like the interface and domain layers, not layers.
    files = {"lib/__init__.py": "", "lib/engine/interfaces.py": "", "lib/testing/entities.py": ""}
    write_files(tmp_path, files)
    project = Project(Settings.default(tmp_path))
    assert project.detected_layers() == frozenset()
    assert project.file_info(tmp_path / "lib/testing/entities.py").layer is None


def test_zero_config_layers_apply_with_two_layers(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/shop/domain/order.py": "", "src/shop/adapters/db.py": ""})
    project = Project(Settings.default(tmp_path))
    assert project.detected_layers() == frozenset({"domain", "infrastructure"})
    assert project.file_info(tmp_path / "src/shop/adapters/db.py").layer.name == "infrastructure"
