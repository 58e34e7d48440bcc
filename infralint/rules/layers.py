"""IL1: layer boundaries — which layer may import which, and what the core
layers may depend on."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Set, Tuple, Type

from infralint import catalog
from infralint.findings import Finding, ImportLink
from infralint.layers import APPLICATION, DOMAIN, INFRASTRUCTURE
from infralint.model import matches_prefix
from infralint.rules.base import ALL_CODE, CORE, Invalid, Rule, Valid
from infralint.source import SourceText
from infralint.rules.common import (
    ImportTarget,
    base_expression,
    dynamic_import_target,
    import_targets,
    is_abstract,
    module_classes,
    role_suffix,
    third_party_imports,
)
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

if TYPE_CHECKING:  # the graph is imported only when IL103 runs
    from infralint.graph import Chain, ProjectGraph

_DOMAIN_ORDER = "from shop.domain.order import Order\n"


class LayerViolation(Rule):
    """## What it does
    Reports an import, in a module of one layer, of a first-party module of
    a layer outer to it: `domain` importing `application`, `infrastructure`
    or `interface`, `application` importing `infrastructure`, and so on.
    `import x`, `from x import y`, relative imports and
    `importlib.import_module("literal")` all count; `from pkg import name`
    counts as importing `pkg.name` when that is a module. Imports under
    `if TYPE_CHECKING:` count too: the design dependency is the same.

    A module's layer comes from its dotted module name (else its directory
    names): the **outermost** layer name wins, so
    `app/presentation/http/auth/adapters/cookie.py` is interface code — a
    folder inside a layer organises that layer — except that the top-level
    package counts only when nothing below it matches (a project whose
    package is `infra` keeps `infra/domain/` as domain; when the layers
    themselves are the top-level packages, they are layers like any other
    part). Modules in no layer are neither checked nor reported as targets:
    shared utilities, Alembic's `env.py` beside a `versions/` folder, and
    composition roots, which wire every layer together — modules named
    `main`, `__main__`, `bootstrap`, `container`, `containers`,
    `composition_root`, `wsgi`, `asgi`, `manage`, and every module in a
    package named `bootstrap`, `composition`, `composition_root`, `ioc`,
    `di`, `container`, `containers` or `wiring` (so the DI provider module
    `app/setup/ioc/domain.py` is no domain module). Third-party and
    standard-library imports never count here (see IL102).

    The layers are configured in `[tool.infralint.layers]`, the composition
    roots in `[tool.infralint.composition-roots]` (`modules`, `packages`,
    `extend-modules`, `extend-packages`); a package name configured as a
    layer name stays that layer's.

    ## Why is this bad?
    Dependencies must point inward. A domain that imports infrastructure
    cannot be tested, reused or reasoned about without the database, the
    network and the framework it reaches into, and every infrastructure
    change ripples into business rules.
    """

    code = "IL101"
    languages = PYTHON_AND_TYPESCRIPT
    name = "layer-violation"
    message = "{importer} module imports {imported} module {module}"
    applies_to = ALL_CODE
    visit_triggers = ("import_module", "__import__")
    VALID = [
        Valid(_DOMAIN_ORDER, path="shop/infrastructure/order_repository.py"),
        Valid("from . import money\nfrom .money import Money\n", path="shop/domain/order.py"),
        Valid("import sqlalchemy\nimport os\n", path="shop/domain/order.py"),
        Valid("from shop.infrastructure.db import engine\n", path="shop/main.py"),
        Valid("from shop.infrastructure.db import engine\n", path="tests/test_db.py"),
        Valid('query = "from shop.infrastructure import db"  # shop.infrastructure\n', path="shop/domain/order.py"),
        Valid("from shop.application.services import PlaceOrder\n", path="shop/entrypoints/api.py"),
        # A folder named like a layer inside another layer organises it.
        Valid(
            "from app.presentation.http.auth.schemas import Session\nfrom ..cookie_params import CookieParams\n"
            "import app.presentation.http.errors as errors\n",
            path="app/presentation/http/auth/adapters/cookie.py",
        ),
        # A DI provider package wires every layer: it is no domain module.
        Valid(
            "from dishka import Provider\n\nfrom app.infrastructure.adapters.password_hasher import BcryptHasher\n"
            "from app.presentation.http.auth.adapters.cookie import CookieAuth\n",
            path="app/setup/ioc/domain.py",
        ),
        Valid(
            "async def create_bus():\n    from allocation.adapters import (\n        orm,\n        redis_publisher,\n    )\n",
            path="allocation/service_layer/bootstrap.py",
        ),
        # Alembic's env.py beside its revisions: configuration, no layer.
        Valid(
            "from app.entrypoints.config import settings\nfrom app.infrastructure.db.tables import metadata\n",
            path="app/infrastructure/db/migrations/env.py",
            files={"app/infrastructure/db/migrations/versions/0001_initial.py": ""},
        ),
        # A project whose own package is named like a layer.
        Valid("from infra.domain.money import Money\n", path="infra/domain/order.py"),
    ]
    INVALID = [
        Invalid(
            "from shop.infrastructure.db import Database\n",
            at=[(1, 1)],
            path="shop/domain/order.py",
            message="domain module imports infrastructure module shop.infrastructure.db",
        ),
        Invalid("import shop.infrastructure.db as db\n", at=[(1, 1)], path="shop/domain/order.py"),
        Invalid(
            "from ..infrastructure import db\n",
            at=[(1, 1)],
            path="shop/application/services.py",
            files={"shop/infrastructure/db.py": ""},
            message="application module imports infrastructure module shop.infrastructure.db",
        ),
        Invalid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from shop.application.services import PlaceOrder\n",
            at=[(4, 5)],
            path="shop/domain/order.py",
        ),
        Invalid(
            "import importlib\n\ndb = importlib.import_module('shop.infrastructure.db')\n",
            at=[(3, 6)],
            path="shop/domain/order.py",
        ),
        Invalid(
            "def handler():\n    from shop.entrypoints.api import app\n    return app\n",
            at=[(2, 5)],
            path="shop/infrastructure/db.py",
            message="infrastructure module imports interface module shop.entrypoints.api",
        ),
        # The outermost layer name decides: `application/adapters/` is application code.
        Invalid(
            "from app.infrastructure.mail import smtp\n",
            at=[(1, 1)],
            path="app/application/adapters/notifier.py",
            message="application module imports infrastructure module app.infrastructure.mail.smtp",
            files={"app/infrastructure/mail/smtp.py": ""},
        ),
        Invalid(
            "async def render():\n    from app.presentation.http import (\n        router,\n    )\n",
            at=[(2, 5)],
            path="app/infrastructure/adapters/presentation_mapper.py",
            message="infrastructure module imports interface module app.presentation.http",
        ),
        Invalid(
            "from infra.adapters.db import Database\n",
            at=[(1, 1)],
            path="infra/domain/order.py",
            message="domain module imports infrastructure module infra.adapters.db",
        ),
        # Named near a composition root, but not one.
        Invalid(
            "from shop.infrastructure import db\n",
            at=[(1, 1)],
            path="shop/domain/maintenance.py",
            files={"shop/infrastructure/db.py": ""},
        ),
    ]

    def begin(self) -> None:
        if self.ctx.layer is None:
            return
        for imported in self.ctx.model.imports:
            for target in import_targets(self.ctx, imported):
                self._check(target)

    def visit_Call(self, node: ast.Call) -> None:
        if self.ctx.layer is not None:
            target = dynamic_import_target(self.ctx, node)
            if target is not None:
                self._check(target)

    def _check(self, target: ImportTarget) -> None:
        importer = self.ctx.layer
        if importer is None or target.layer is None or not target.layer.is_outer_to(importer):
            return
        self.report(target.node, importer=importer.name, imported=target.layer.name, module=target.module)


_CHAIN_FILES = {
    "shop/__init__.py": "",
    "shop/utils/__init__.py": "",
    "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/db.py": "class Database: ...\n",
    "shop/utils/rounding.py": "from decimal import ROUND_HALF_EVEN\n",
    "shop/domain/__init__.py": "",
}


class LayerViolationChain(Rule):
    """## What it does
    Reports a chain of imports that connects a module to a module of an
    outer layer through modules that belong to no layer: `domain.order`
    imports `shop.utils.money`, which imports `shop.infrastructure.db`.
    Each import of the chain is allowed on its own — IL101 sees nothing —
    but the domain still depends on the infrastructure. Bounded contexts
    count as one architecture: `orders.domain` reaching
    `billing.infrastructure` is reported too.

    The chains come from the whole project's import graph (grimp) with
    import-linter's layers algorithm, so this rule runs only when the whole
    project is checked (`infralint check` with no paths, or the project
    root), not on named files; the language server checks it when a
    project is opened and after each save. Imports under
    `if TYPE_CHECKING:` count, as for IL101. A chain through another layer
    is not reported: its own imports are (`domain -> application ->
    infrastructure` is two IL101 findings, or a finding of each kind).
    Direct imports are IL101's. Imports the graph does not hold —
    `importlib.import_module("literal")`, which IL101 reports — do not
    link chains, and neither do single-file modules at the top of a source
    root (a lone `helpers.py` beside the packages): grimp builds graphs of
    packages.

    Reported at each import statement of the inner-layer module that
    starts such a chain, once per outer layer reached, with the shortest
    chain in the message (the first in name order when several are as
    short, so runs agree). The text output lists the chain's imports
    below the finding, one a line with its line number
    (`a.b -> a.c (l.12)`), as import-linter does; JSON has them as
    `chain`; the language server attaches them to the diagnostic as
    related information (one per import, at the importing module's line)
    when the editor supports it. `infralint layers` shows the layers and
    the dependencies between them.

    ## Why is this bad?
    A dependency through a helper is still a dependency: the domain cannot
    be imported, tested or reused without the infrastructure it reaches,
    and a shared utility module quietly becomes a back door through the
    layer boundary.
    """

    code = "IL103"
    languages = PYTHON_AND_TYPESCRIPT
    name = "layer-violation-chain"
    message = "{importer} module reaches {imported} module {module} through an import chain: {chain}"
    applies_to = ALL_CODE
    project_level = True
    VALID = [
        Valid("from decimal import Decimal\n\nfrom shop.utils import rounding\n", path="shop/domain/order.py", files=_CHAIN_FILES),
        Valid("from shop.utils import money\n", path="shop/entrypoints/cli.py", files=_CHAIN_FILES),
        Valid(
            "from shop.utils import money  # infralint: ignore[IL103]\n", path="shop/domain/order.py", files=_CHAIN_FILES
        ),
    ]
    INVALID = [
        Invalid(
            "from decimal import Decimal\n\nfrom shop.utils import money\n",
            at=[(3, 1)],
            path="shop/domain/order.py",
            files=_CHAIN_FILES,
            message=(
                "domain module reaches infrastructure module shop.infrastructure.db through an import chain: "
                "shop.domain.order -> shop.utils.money -> shop.infrastructure.db"
            ),
        ),
    ]

    @classmethod
    def check_graph(
        cls, graph: ProjectGraph, display_path: Callable[[Path], str], read: Callable[[Path], SourceText]
    ) -> List[Tuple[Path, Finding]]:
        """A finding per illegal chain, with the file it is in."""
        return cls.check_chains(graph.illegal_chains(), display_path, read)

    @classmethod
    def check_chains(
        cls, chains: Sequence[Chain], display_path: Callable[[Path], str], read: Callable[[Path], SourceText]
    ) -> List[Tuple[Path, Finding]]:
        """A finding per chain (of either language's graph), with its file."""
        return [(chain.path, cls._finding(chain, display_path(chain.path), read(chain.path))) for chain in chains]

    @classmethod
    def _finding(cls, chain: Chain, path: str, text: SourceText) -> Finding:
        message = cls.message.format(
            importer=chain.importer_layer.name,
            imported=chain.imported_layer.name,
            module=chain.modules[-1],
            chain=chain.render(),
        )
        return chain_finding(cls, message, chain.links, path, text)


def chain_finding(
    rule: Type[Rule], message: str, links: Tuple[ImportLink, ...], path: str, text: SourceText, line: Optional[int] = None
) -> Finding:
    """A finding of a project-level ``rule`` at the statement on ``line``,
    by default the first of ``links``'s (the file's first line when it is
    unknown), with the chain for the reporters."""
    line = line or (links[0].line if links else None) or 1
    source_line = text.line(line)
    column = len(source_line) - len(source_line.lstrip()) + 1
    return Finding(
        code=rule.code,
        name=rule.name,
        message=message,
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=max(column, len(source_line.rstrip()) + 1),
        statement_line=line,
        chain=links,
    )


class FrameworkInCore(Rule):
    """## What it does
    Reports a domain or application module that imports a package that talks
    to the outside world: database drivers and ORMs, HTTP clients, cloud
    SDKs, message brokers, web frameworks (`sqlalchemy`, `psycopg2`,
    `redis`, `boto3`, `requests`, `httpx`, `celery`, `django.db`, `fastapi`,
    ... — the full list is in the Options). A dotted entry such as
    `urllib.request` or `django.db` matches that module and everything in
    it, and nothing else of the package (`urllib.parse` is fine).
    First-party modules are never reported here (see IL101).

    ## Why is this bad?
    The core of a layered service holds the business rules. Once it imports
    a driver or a framework, it can no longer be tested without that
    infrastructure, and replacing the infrastructure means rewriting
    business code. Depend on a port (an abstract class or protocol in the
    domain) and let the infrastructure implement it.

    ## Options
    - `frameworks`: the packages reported (replaces the default list).
    - `extend-frameworks`: packages added to the default list.
    - `allow`: packages never reported, e.g. `["sqlite3"]`.
    - `allow-per-layer`: a table from layer name to packages allowed in
      that layer only, e.g. `{ application = ["celery"] }`.
    """

    code = "IL102"
    languages = PYTHON_AND_TYPESCRIPT
    name = "framework-in-core"
    message = "{layer} module imports {package}, which talks to the outside world"
    applies_to = CORE
    options = {
        "frameworks": list(catalog.FRAMEWORK_PACKAGES),
        "extend-frameworks": [],
        "allow": [],
        "allow-per-layer": {},
    }
    VALID = [
        Valid("from dataclasses import dataclass\nfrom decimal import Decimal\n", path="shop/domain/money.py"),
        Valid("import sqlalchemy\n", path="shop/infrastructure/db.py"),
        Valid("from urllib.parse import urlparse\nimport http\n", path="shop/domain/links.py"),
        Valid("from shop.domain import requests\n", path="shop/application/services.py"),
        Valid('"""Uses sqlalchemy through the repository port."""\n', path="shop/domain/order.py"),
        Valid("import sqlalchemy\n", path="tests/domain/test_order.py"),
    ]
    INVALID = [
        Invalid(
            "from sqlalchemy.orm import Session\n",
            at=[(1, 1)],
            path="shop/domain/order.py",
            message="domain module imports sqlalchemy, which talks to the outside world",
        ),
        Invalid("import requests as http\n", at=[(1, 1)], path="shop/application/payments.py"),
        Invalid("from urllib import request\n", at=[(1, 1)], path="shop/application/payments.py"),
        Invalid(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import redis\n",
            at=[(3, 5)],
            path="shop/domain/cache.py",
        ),
        Invalid("from django.db import models\n", at=[(1, 1)], path="shop/domain/models.py"),
    ]

    def begin(self) -> None:
        layer = self.ctx.layer
        if layer is None:
            return
        packages = list(self.option("frameworks")) + list(self.option("extend-frameworks"))
        allowed = tuple(self.option("allow")) + tuple(self.option("allow-per-layer").get(layer.name, []))
        for imported, package in third_party_imports(self.ctx, packages):
            if any(matches_prefix(module, allowed) for module in imported.candidate_modules()):
                continue
            self.report(imported.node, layer=layer.name, package=package)


# How many first-party modules IL104 follows a chain of base classes through.
_MAX_BASE_DEPTH = 6


def _is_no_contract(qualified: Optional[str]) -> bool:
    """`object`, `Generic`, `ABC` and `Protocol`: they say nothing about
    what a class implements."""
    return qualified in catalog.NEUTRAL_BASES or qualified in catalog.ABSTRACT_BASES


class ImplementationWithoutContract(Rule):
    """## What it does
    Reports a class in the infrastructure layer whose name ends in
    `Repository`, `Adapter`, `Gateway` or `Client` (a suffix, not the whole
    name) and none of whose base classes is defined in the domain or
    application layer. Bases are followed through classes of the same
    module (`SqlOrderRepository(BaseSqlRepository)` is fine when
    `BaseSqlRepository` implements a domain port). An abstract base defined
    in the infrastructure layer itself is no contract: the textbook
    `SqlAlchemyRepository(AbstractRepository)`, with `AbstractRepository(abc.ABC)`
    in the same `adapters/repository.py`, is reported, because the port
    the application should depend on lives among the adapters. `ABC`,
    `Protocol` and `object` are no contract either. A base imported from
    another first-party module outside the domain and application is
    followed into that module, and its bases in turn
    (`ReservationRepository(RDBRepository)` with `RDBRepository` a plain
    class in `shared/infra/repository.py` is reported).

    Not reported: abstract classes themselves (an `ABC` or `Protocol` base, an
    `ABCMeta` metaclass, or an `@abstractmethod`), classes that extend a
    third-party class (`RetryingAdapter(requests.adapters.HTTPAdapter)`
    extends a library, it does not implement a port), and classes whose
    first-party base cannot be found or parsed.

    ## Why is this bad?
    In a layered design the domain declares what it needs (a port) and the
    infrastructure implements it. An implementation with no contract cannot
    be swapped for a fake in tests or for another technology, and the code
    that uses it depends on infrastructure directly.
    """

    code = "IL104"
    name = "implementation-without-contract"
    message = "infrastructure class {name} implements no domain or application contract"
    applies_to = frozenset({INFRASTRUCTURE})
    VALID = [
        Valid(
            _DOMAIN_ORDER.replace("order import Order", "ports import OrderRepository")
            + "\n\nclass SqlOrderRepository(OrderRepository):\n    pass\n",
        ),
        Valid(
            "from abc import ABC, abstractmethod\n\n\nclass BaseGateway(ABC):\n"
            "    @abstractmethod\n    def send(self): ...\n"
        ),
        Valid(
            "from shop.domain import ports\n\n\nclass BaseSqlRepository(ports.OrderRepository):\n    pass\n\n\n"
            "class SqlOrderRepository(BaseSqlRepository):\n    pass\n"
        ),
        Valid("from requests.adapters import HTTPAdapter\n\n\nclass RetryingAdapter(HTTPAdapter):\n    pass\n"),
        Valid("class Repository:\n    pass\n"),
        Valid("class EmailClient:\n    pass\n", path="shop/application/email.py"),
        # The abstract class itself is not reported, in any of its spellings.
        Valid(
            "import abc\n\n\nclass AbstractRepository(abc.ABC):\n    @abc.abstractmethod\n"
            "    def add(self, batch): ...\n",
            path="allocation/adapters/repository.py",
        ),
        Valid(
            "from typing import Protocol\n\n\nclass PaymentGateway(Protocol):\n    def charge(self): ...\n",
        ),
        # A base from another infrastructure module that implements a domain port.
        Valid(
            "from shop.infrastructure.base_repository import BaseRepository\n\n\n"
            "class SqlOrderRepository(BaseRepository):\n    pass\n",
            files={
                "shop/infrastructure/base_repository.py": (
                    "from shop.domain.ports import OrderRepository\n\n\nclass BaseRepository(OrderRepository):\n    pass\n"
                ),
            },
        ),
        # A local abstract base that itself extends a domain port passes it on.
        Valid(
            "from abc import ABC\n\nfrom shop.domain.ports import OrderRepository\n\n\n"
            "class BaseSqlRepository(OrderRepository, ABC):\n    pass\n\n\n"
            "class SqlOrderRepository(BaseSqlRepository):\n    pass\n",
        ),
    ]
    INVALID = [
        Invalid(
            "class EmailClient:\n    def send(self, to): ...\n",
            at=[(1, 7)],
            message="infrastructure class EmailClient implements no domain or application contract",
        ),
        Invalid("class StripeGateway(object):\n    pass\n", at=[(1, 7)]),
        Invalid(
            "from typing import Generic, TypeVar\nT = TypeVar('T')\n\n\n"
            "class Base(Generic[T]):\n    pass\n\n\n@dataclass\nclass OrderRepository(Base[int]):\n    pass\n",
            at=[(10, 7)],
        ),
        Invalid("class Outer:\n    pass\n\n\nclass S3Adapter(Outer):\n    pass\n", at=[(5, 7)]),
        # The textbook case: the only base is an abstract class of the
        # infrastructure layer itself.
        Invalid(
            "import abc\n\n\nclass AbstractRepository(abc.ABC):\n    @abc.abstractmethod\n"
            "    def add(self, batch): ...\n\n\nclass SqlAlchemyRepository(AbstractRepository):\n"
            "    def add(self, batch):\n        self.session.add(batch)\n",
            at=[(9, 7)],
            path="allocation/adapters/repository.py",
            message="infrastructure class SqlAlchemyRepository implements no domain or application contract",
        ),
        Invalid(
            "from abc import ABCMeta, abstractmethod\n\n\nclass BaseGateway(metaclass=ABCMeta):\n"
            "    @abstractmethod\n    async def charge(self): ...\n\n\n"
            "class _Base(BaseGateway):\n    pass\n\n\nclass StripeGateway(\n    _Base,\n):\n    async def charge(self): ...\n",
            at=[(13, 7)],
            path="shop/infrastructure/payments.py",
        ),
        # The base lives in another infrastructure module and implements nothing.
        Invalid(
            "from ...shared.infra.repository import RDBRepository\n\n\n"
            "class ReservationRepository(RDBRepository):\n    pass\n",
            at=[(4, 7)],
            path="shop/reception/infra/repository.py",
            files={
                "shop/shared/infra/repository.py": (
                    "from abc import ABC\n\n\nclass Base(ABC):\n    pass\n\n\nclass RDBRepository(Base):\n    pass\n"
                ),
                "shop/shared/__init__.py": "",
                "shop/reception/__init__.py": "",
                "shop/__init__.py": "",
            },
        ),
        Invalid(
            "from typing import Generic, Protocol, TypeVar\n\nT = TypeVar('T')\n\n\n"
            "class Store(Protocol[T]):\n    def get(self) -> T: ...\n\n\n"
            "class RedisClient(Store[bytes], Generic[T]):\n    def get(self) -> bytes: ...\n",
            at=[(10, 7)],
            path="shop/adapters/cache.py",
            files={"shop/domain/__init__.py": ""},
        ),
    ]

    def begin(self) -> None:
        tree = self.ctx.tree
        if tree is None:
            return
        classes = {node.name: node for node in module_classes(tree)}
        for node in classes.values():
            suffix = role_suffix(node.name, catalog.CONTRACT_IMPLEMENTATION_SUFFIXES)
            if suffix and not is_abstract(node, self.ctx.model) and not self._has_contract(node, classes, set()):
                self.report(position=self.ctx.name_range(node), name=node.name)

    def _first_party_base_without_contract(self, qualified: Optional[str], depth: int) -> bool:
        """Whether ``qualified`` is a first-party class outside the domain
        and application layers whose own bases, followed through the
        project's modules, reach no contract (an infrastructure base class
        imported from another module). False when it cannot be seen into."""
        project = self.ctx.project
        if qualified is None or depth > _MAX_BASE_DEPTH or not project.is_first_party(qualified):
            return False
        layer = project.layer_of_module(qualified.rpartition(".")[0])
        if layer is not None and layer.kind in (DOMAIN, APPLICATION):
            return False
        found = project.names.class_definition(qualified)
        if found is None:
            return False
        definition, tracker = found
        for base in definition.bases:
            expression = base_expression(base)
            parent = tracker.model.resolve(expression)
            if parent is None and isinstance(expression, ast.Name) and tracker.module is not None:
                parent = f"{tracker.module}.{expression.id}"  # a class of that module
            if not _is_no_contract(parent) and not self._first_party_base_without_contract(parent, depth + 1):
                return False
        return True

    def _has_contract(self, node: ast.ClassDef, classes: Dict[str, ast.ClassDef], seen: Set[str]) -> bool:
        """False only when every base is known to implement no contract."""
        seen.add(node.name)
        for base in node.bases:
            expression = base_expression(base)
            if isinstance(expression, ast.Name) and expression.id in classes:
                local = classes[expression.id]
                if local.name in seen or self._has_contract(local, classes, seen):
                    return True
                continue
            resolved = self.ctx.model.resolve(expression)
            # `ABC` and `Protocol` make a class abstract; they are no contract.
            if not _is_no_contract(resolved) and not self._first_party_base_without_contract(resolved, 0):
                # A domain or application contract, a library class being
                # extended, or a base this file cannot see into.
                return True
        return False
