"""What a TypeScript check is and what it reads: `TsFile`, the parsed
module with the file's context (layer, project, resolver)."""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, NamedTuple, Optional, Sequence, Tuple

from infralint.findings import Fix
from infralint.languages.typescript.front_end import TsImport, TsModule
from infralint.languages.typescript.resolve import Resolver
from infralint.layers import Layer
from infralint.rules.base import Invalid, Rule, Valid

if TYPE_CHECKING:
    from infralint.context import FileContext
    from infralint.project import Project

CheckFunction = Callable[[Rule, "TsFile"], None]


class TsCheck(NamedTuple):
    code: str
    function: CheckFunction
    # The rule page's TypeScript examples; the test suite runs them.
    valid: Tuple[Valid, ...]
    invalid: Tuple[Invalid, ...]


CHECKS: Dict[str, TsCheck] = {}


def check(code: str, valid: Sequence[Valid], invalid: Sequence[Invalid]) -> Callable[[CheckFunction], CheckFunction]:
    """Register a function as rule ``code``'s TypeScript check."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[code] = TsCheck(code, function, tuple(valid), tuple(invalid))
        return function

    return register


_resolvers: "weakref.WeakKeyDictionary[Project, Resolver]" = weakref.WeakKeyDictionary()


def resolver_for(project: "Project") -> Resolver:
    """One resolver per project: its tsconfig files are read once a run
    (and once per project in the language server)."""
    resolver = _resolvers.get(project)
    if resolver is None:
        resolver = _resolvers[project] = Resolver(project)
    return resolver


class ImportTarget(NamedTuple):
    # The first-party file imported, relative to the project root.
    relative: str
    layer: Optional[Layer]


class TsFile:
    """A TypeScript module as its checks see it."""

    def __init__(self, module: TsModule, ctx: "FileContext") -> None:
        self.module = module
        self.ctx = ctx
        self.project = ctx.project
        self.path = os.path.abspath(ctx.info.path)
        self.resolver = resolver_for(ctx.project)
        self._targets: Dict[str, Optional[ImportTarget]] = {}

    def target(self, imported: TsImport) -> Optional[ImportTarget]:
        """The first-party file an import names (None: external). A
        relative specifier naming no file still has a place, and so a
        layer."""
        specifier = imported.specifier
        if specifier not in self._targets:
            self._targets[specifier] = self._target(specifier)
        return self._targets[specifier]

    def _target(self, specifier: str) -> Optional[ImportTarget]:
        resolved = self.resolver.resolve(self.path, specifier)
        if resolved is None:
            if not specifier.startswith("."):
                return None
            resolved = self.resolver.candidates(self.path, specifier)[0] + ".ts"
        info = self.project.file_info(Path(resolved))
        return ImportTarget(info.relative, None if info.is_test else info.layer)

    def is_first_party(self, imported: TsImport) -> bool:
        return self.target(imported) is not None

    def report(self, rule: Rule, node: "object", fix: "Optional[Fix]" = None, **message_args: object) -> None:
        rule.report(position=self.module.position(node), fix=fix, **message_args)  # type: ignore[arg-type]


def package_name(specifier: str) -> str:
    """``@aws-sdk/client-s3/dist`` -> ``@aws-sdk/client-s3``; ``pg/lib`` -> ``pg``."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") and len(parts) > 1 else parts[0]
