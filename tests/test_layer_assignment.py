"""Which layer a module belongs to (STANDARD.md, "Layers"): the outermost
matching part wins, the top-level package counts last, composition roots
and Alembic's env.py belong to no layer, and every user of layers (IL101's
import targets, the import graph) agrees with the file's own layer."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from infralint.config import load_settings
from infralint.errors import ConfigError
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import write_files


def _layer(project: Project, relative: str) -> Optional[str]:
    layer = project.file_info(project.root / relative).layer
    return None if layer is None else layer.name


def _project(root: Path, files: dict, **changes) -> Project:
    write_files(root, files)
    changes.setdefault("layers_configured", True)
    return Project(Settings.default(root).with_changes(**changes))


def _package(root: Path, *modules: str) -> Project:
    """A project of regular packages: every directory has an __init__.py."""
    files = {}
    for module in modules:
        parts = module.split("/")
        for depth in range(1, len(parts)):
            files["/".join(parts[:depth]) + "/__init__.py"] = ""
        files[module] = ""
    return _project(root, files)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The case: a folder inside a layer organises that layer.
        ("app/presentation/http/auth/adapters/cookie.py", "interface"),
        ("app/infrastructure/persistence/entities/order_row.py", "infrastructure"),
        ("app/domain/entities/order.py", "domain"),
        ("app/application/use_cases/adapters.py", "application"),
        ("app/utils/money.py", None),
    ],
)
def test_the_outermost_layer_name_wins(tmp_path: Path, path: str, expected: Optional[str]) -> None:
    project = _package(tmp_path, path)
    assert _layer(project, path) == expected


def test_a_top_level_package_named_like_a_layer_counts_only_when_nothing_below_matches(tmp_path: Path) -> None:
    project = _package(tmp_path, "infra/domain/order.py", "infra/adapters/db.py", "infra/tools/cli_tool.py")
    assert _layer(project, "infra/domain/order.py") == "domain"
    assert _layer(project, "infra/adapters/db.py") == "infrastructure"
    assert _layer(project, "infra/tools/cli_tool.py") == "infrastructure"


def test_layers_that_are_the_top_level_packages_are_layers_like_any_part(tmp_path: Path) -> None:
    project = _package(
        tmp_path, "presentation/http/adapters/cookie.py", "infrastructure/entities/row.py", "domain/order.py"
    )
    assert project.layers_at_top
    assert _layer(project, "presentation/http/adapters/cookie.py") == "interface"
    assert _layer(project, "infrastructure/entities/row.py") == "infrastructure"
    assert _layer(project, "domain/order.py") == "domain"


@pytest.mark.parametrize(
    "path",
    [
        "app/setup/ioc/domain.py",  # the DI provider module
        "app/di/infrastructure.py",
        "app/infrastructure/container.py",
        "app/infrastructure/containers.py",
        "app/domain/bootstrap.py",
        "app/bootstrap/adapters.py",
        "app/entrypoints/main.py",
        "app/entrypoints/__main__.py",
        "app/main/__init__.py",
        "app/presentation/wsgi.py",
        "app/presentation/asgi.py",
        "app/application/composition_root.py",
        "app/composition/application.py",
        "app/wiring/domain/providers.py",
        "app/infrastructure/Container/db.py",
    ],
)
def test_composition_roots_belong_to_no_layer(tmp_path: Path, path: str) -> None:
    project = _package(tmp_path, path, "app/domain/order.py")
    assert _layer(project, path) is None
    assert project.is_composition_root(project.file_info(tmp_path / path))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/domain/maintenance.py", "domain"),  # starts like `main`, is not it
        ("app/infrastructure/di_client.py", "infrastructure"),
        ("app/infrastructure/container_registry.py", "infrastructure"),
        ("app/main/web.py", None),  # a main/ package: no layer name in it anyway
        ("app/domain/mains/order.py", "domain"),
    ],
)
def test_names_near_a_composition_root_keep_their_layer(tmp_path: Path, path: str, expected: Optional[str]) -> None:
    project = _package(tmp_path, path)
    assert _layer(project, path) == expected


def test_alembic_env_py_is_configuration_only_beside_versions(tmp_path: Path) -> None:
    project = _package(
        tmp_path,
        "app/infrastructure/migrations/env.py",
        "app/infrastructure/migrations/versions/0001_initial.py",
        "app/infrastructure/env.py",
    )
    assert _layer(project, "app/infrastructure/migrations/env.py") is None
    assert _layer(project, "app/infrastructure/env.py") == "infrastructure"
    assert _layer(project, "app/infrastructure/migrations/versions/0001_initial.py") == "infrastructure"


def test_import_targets_are_assigned_as_files_are(tmp_path: Path) -> None:
    project = _package(tmp_path, "app/setup/ioc/domain.py", "app/presentation/http/adapters/cookie.py")
    assert project.layer_of_import("app.setup.ioc.domain") is None
    assert project.layer_of_import("app.presentation.http.adapters.cookie").name == "interface"
    assert project.layer_of_import("app.presentation.http.adapters").name == "interface"


def test_composition_roots_are_configurable(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.infralint.composition-roots]\n"
                'modules = ["entry"]\nextend-packages = ["providers"]\n'
            ),
        },
    )
    settings = load_settings([tmp_path], cwd=tmp_path)
    project = _package(tmp_path, "app/domain/entry.py", "app/domain/main.py", "app/providers/domain.py", "app/ioc/domain.py")
    project = Project(settings.with_changes(layers_configured=True))
    assert _layer(project, "app/domain/entry.py") is None
    assert _layer(project, "app/domain/main.py") == "domain"  # `modules` replaced the defaults
    assert _layer(project, "app/providers/domain.py") is None
    assert _layer(project, "app/ioc/domain.py") is None  # `extend-packages` kept them


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('modules = "main"', "'tool.infralint.composition-roots.modules' must be a list of strings, got string"),
        ('packages = ["my-di"]', "'tool.infralint.composition-roots.packages[0]' must be a module or package name"),
        ('module = ["main"]', "unknown key 'tool.infralint.composition-roots.module' (did you mean 'modules'?)"),
    ],
)
def test_composition_roots_configuration_errors(tmp_path: Path, table: str, message: str) -> None:
    write_files(tmp_path, {"pyproject.toml": f"[tool.infralint.composition-roots]\n{table}\n"})
    with pytest.raises(ConfigError, match="pyproject.toml: ") as raised:
        load_settings([tmp_path], cwd=tmp_path)
    assert message in str(raised.value)
