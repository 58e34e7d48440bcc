"""Rewriting the imports of a renamed module: every import form, relative
ones resolved against the importing file's package, nothing else touched."""

from __future__ import annotations

from typing import Optional

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infralint.module_rename import resolve_relative, rewrite_imports

OLD = "shop.infrastructure.orders"
NEW = "shop.infrastructure.sqlite_order_repository"


@pytest.mark.parametrize(
    ("package", "before", "after"),
    [
        (
            "shop.application",
            "import shop.infrastructure.orders\n\nrepo = shop.infrastructure.orders.Repo()\n",
            "import shop.infrastructure.sqlite_order_repository\n\n"
            "repo = shop.infrastructure.sqlite_order_repository.Repo()\n",
        ),
        ("shop", "import shop.infrastructure.orders as o\n", "import shop.infrastructure.sqlite_order_repository as o\n"),
        (
            "shop",
            "from shop.infrastructure import orders, clock\n",
            "from shop.infrastructure import sqlite_order_repository as orders, clock\n",
        ),
        (
            "shop",
            "from shop.infrastructure import orders as repo\n",
            "from shop.infrastructure import sqlite_order_repository as repo\n",
        ),
        (
            "shop",
            "from shop.infrastructure.orders import Repo  # keep me\n",
            "from shop.infrastructure.sqlite_order_repository import Repo  # keep me\n",
        ),
        (
            "shop.infrastructure",
            "from .orders import Repo\nfrom . import (\n    orders,  # the module\n)\n",
            "from .sqlite_order_repository import Repo\nfrom . import (\n    sqlite_order_repository as orders,  # the module\n)\n",
        ),
        (
            "shop.application",
            "from ..infrastructure.orders import Repo\nfrom ..infrastructure import orders\n",
            "from ..infrastructure.sqlite_order_repository import Repo\n"
            "from ..infrastructure import sqlite_order_repository as orders\n",
        ),
        (
            "shop",
            "async def load():\n    from shop.infrastructure.orders import Répertoire\n    return 'orders ünïcode'\n",
            "async def load():\n    from shop.infrastructure.sqlite_order_repository import Répertoire\n"
            "    return 'orders ünïcode'\n",
        ),
        (
            "shop",
            "try:\n    from shop.infrastructure.orders import Repo\nexcept ImportError:\n    Repo = None\n",
            "try:\n    from shop.infrastructure.sqlite_order_repository import Repo\nexcept ImportError:\n    Repo = None\n",
        ),
    ],
)
def test_every_import_form_is_rewritten(package: str, before: str, after: str) -> None:
    assert rewrite_imports(before, package, OLD, NEW) == after


def test_crlf_is_kept() -> None:
    before = "import os\r\nfrom shop.infrastructure.orders import Repo\r\n"
    assert rewrite_imports(before, "shop", OLD, NEW) == before.replace("orders", "sqlite_order_repository")


@pytest.mark.parametrize(
    ("package", "source"),
    [
        ("shop", "from shop.infrastructure.orders_v2 import Repo\n"),
        ("shop", "from shop.infra import orders\n"),
        ("shop", "import shop.infrastructure.ordersx\norders = 1\n"),
        ("shop.application", "from .orders import Repo\n"),  # shop.application.orders
        ("shop", "from shop.infrastructure import *\n"),
        ("shop", "x = 'shop.infrastructure.orders'\n"),
        ("shop", "def broken(:\n    orders\n"),
        ("shop", "import json\n"),
    ],
)
def test_other_modules_and_unparsable_text_are_left_alone(package: str, source: str) -> None:
    assert rewrite_imports(source, package, OLD, NEW) is None


def test_a_top_level_module_keeps_its_bound_name() -> None:
    assert rewrite_imports("import orders\norders.x()\n", None, "orders", "order_repository") == (
        "import order_repository as orders\norders.x()\n"
    )


@pytest.mark.parametrize(
    ("package", "level", "module", "expected"),
    [
        ("a.b", 0, "x.y", "x.y"),
        ("a.b", 1, "c", "a.b.c"),
        ("a.b", 2, "c", "a.c"),
        ("a.b", 2, "", "a"),
        ("a.b", 3, "c", None),
        ("a.b", 3, "", None),
        (None, 1, "c", None),
    ],
)
def test_resolve_relative(package: Optional[str], level: int, module: str, expected: Optional[str]) -> None:
    assert resolve_relative(package, level, module) == expected


def test_imported_names_finds_imports_in_every_kind_of_block() -> None:
    from infralint.module_rename import imported_names

    source = (
        "import a.b\n\n\ndef f():\n    from .x import y\n\n\nclass C:\n    if flag:\n        try:\n"
        "            import q\n        except E:\n            import r\n        else:\n            import s\n"
        "        finally:\n            import t\n\n\nif z:\n    pass\nelif y:\n    from m import n\n"
        "with w:\n    for i in x:\n        while True:\n            import deep\n\n\n"
        "async def g():\n    async with x:\n        from . import *\n"
    )
    assert imported_names(source, "p.k") == {
        "a.b", "p.k.x", "p.k.x.y", "q", "r", "s", "t", "m", "m.n", "deep", "p.k",
    }
    assert imported_names("def broken(:\n", "p") == frozenset()


IMPORT_FORMS = [
    "import shop.infrastructure.orders\n",
    "import shop.infrastructure.orders as o\n",
    "from shop.infrastructure import orders\n",
    "from shop.infrastructure import (\n    clock,\n    orders,\n)\n",
    "from shop.infrastructure.orders import Repo as R\n",
    "from .orders import Repo\n",
    "from . import orders as o\n",
]


def _bound_names(source: str) -> list:
    import ast

    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend(alias.asname or alias.name.split(".")[0] for alias in node.names)
    return names


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated=hypothesmith.from_grammar(), form=st.sampled_from(IMPORT_FORMS), first=st.booleans())
def test_rewritten_generated_modules_parse_bind_the_same_names_and_import_only_the_new_module(
    generated: str, form: str, first: bool
) -> None:
    from infralint.module_rename import imported_names, imports_module

    separator = "" if generated.endswith("\n") or not generated else "\n"
    source = form + generated if first else generated + separator + form
    try:
        before = _bound_names(source)
    except (SyntaxError, ValueError):
        return
    rewritten = rewrite_imports(source, "shop.infrastructure", OLD, NEW)
    assert rewritten is not None
    assert _bound_names(rewritten) == before
    names = imported_names(rewritten, "shop.infrastructure")
    assert not imports_module(names, OLD) and imports_module(names, NEW)
    assert rewrite_imports(rewritten, "shop.infrastructure", OLD, NEW) is None
