"""The module model: imports and the names they bind."""

from __future__ import annotations

import ast
from typing import Optional

from infralint.model import build_model, resolve_relative


def _model(source: str, package: Optional[str] = "shop.domain"):
    return build_model(ast.parse(source), package)


def _resolve(source: str, expression: str) -> Optional[str]:
    return _model(source).resolve(ast.parse(expression, mode="eval").body)


def test_aliases_and_from_imports_resolve() -> None:
    assert _resolve("import os as o", "o.environ.get") == "os.environ.get"
    assert _resolve("from os import environ as env", "env.get") == "os.environ.get"
    assert _resolve("import urllib.request", "urllib.request.urlopen") == "urllib.request.urlopen"
    assert _resolve("import os", "unknown.thing") is None


def test_builtins_resolve_when_not_rebound() -> None:
    assert _resolve("", "print") == "builtins.print"
    assert _resolve("from mylib import print", "print") == "mylib.print"


def test_relative_imports_resolve_against_the_package() -> None:
    model = _model("from ..infrastructure import db\nfrom . import money\nfrom .money import Money\n")
    assert [i.module for i in model.imports] == ["shop.infrastructure", "shop.domain", "shop.domain.money"]
    assert all(i.relative for i in model.imports)
    assert model.bindings["Money"] == "shop.domain.money.Money"


def test_relative_import_above_the_top_level_is_dropped() -> None:
    assert _model("from ...x import y", package="shop").imports == []
    assert resolve_relative(None, 1, "x") is None
    assert resolve_relative("a.b", 2, None) == "a"


def test_type_checking_imports_are_flagged() -> None:
    source = (
        "import typing\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import a\nelse:\n    import b\n"
        "if typing.TYPE_CHECKING:\n    import c\n"
    )
    flags = {i.module: i.type_checking for i in _model(source).imports}
    assert flags == {"typing": False, "a": True, "b": False, "c": True}


def test_imports_in_functions_classes_try_and_match_are_found() -> None:
    source = (
        "def f():\n    import a\n"
        "class C:\n    import b\n"
        "try:\n    import c\nexcept ImportError:\n    import d\nfinally:\n    import e\n"
        "match x:\n    case 1:\n        import f\n"
    )
    assert [i.module for i in _model(source).imports] == ["a", "b", "c", "d", "e", "f"]


def test_candidate_modules_of_a_from_import() -> None:
    (imported,) = _model("from shop import infrastructure, models as m").imports
    assert list(imported.candidate_modules()) == ["shop", "shop.infrastructure", "shop.models"]
    (star,) = _model("from shop import *").imports
    assert list(star.candidate_modules()) == ["shop"]


def test_may_resolve_to_what_an_import_binds_or_a_name_inside_it() -> None:
    model = _model("import boto3\nfrom requests import Session as S\nimport smtplib as mail\n")
    assert model.may_resolve_to("boto3.client") and model.may_resolve_to("boto3")
    assert model.may_resolve_to("requests.Session") and model.may_resolve_to("smtplib.SMTP")
    assert not model.may_resolve_to("requests.session")  # only Session is bound
    assert not model.may_resolve_to("httpx.Client")
    assert not model.may_resolve_to("boto")  # a prefix of a name is no module above it
