"""IL2: naming and placement — infrastructure files named for their role,
implementations kept in the infrastructure layer, configuration read in
configuration modules."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from infralint import catalog
from infralint.layers import APPLICATION, DOMAIN, INFRASTRUCTURE, INTERFACE
from infralint.findings import Applicability, Fix
from infralint.rules.base import ALL_CODE, FixAvailability, Invalid, Rule, Valid
from infralint.rules.common import is_abstract, module_classes, role_suffix, third_party_imports
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

# Characters that make a file name unimportable; they become "_".
_UNIMPORTABLE_SEPARATORS = (".", "-")


def _role_words() -> Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]]:
    """Role -> (words a ``<name>_<word>.py`` file may end with, names a bare
    file or a package may have). The class suffixes of a role count as its
    words: ``Settings`` has role ``config``, so ``app_settings.py`` and a
    ``settings/`` package say ``config`` too."""
    words: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]] = {}
    for role in dict.fromkeys(catalog.FILE_ROLES.values()):
        suffixes = {role} | {s.lower() for s, r in catalog.FILE_ROLES.items() if r == role}
        plural = catalog.ROLE_PLURALS.get(role)
        bare = suffixes | ({plural} if plural else set())
        words[role] = (frozenset(suffixes), frozenset(bare))
    return words


_ROLE_WORDS = _role_words()


def snake_case(name: str) -> str:
    """``SqliteOrderRepository`` -> ``sqlite_order_repository``,
    ``HTTPClient`` -> ``http_client``; any script with case (``ÜberClient``
    -> ``über_client``)."""
    out: List[str] = []
    for index, char in enumerate(name):
        if char.isupper() and index > 0 and out[-1] != "_":
            previous = name[index - 1]
            following = name[index + 1] if index + 1 < len(name) else ""
            # A new word starts after a lower-case letter or digit, or at the
            # last capital of an acronym followed by lower case (HTTP|Client).
            if previous.islower() or previous.isdigit() or (previous.isupper() and following.islower()):
                out.append("_")
        out.append(char.lower())
    return "".join(out)


def roles_of_module_name(stem: str) -> Set[str]:
    """The roles a well-formed module name carries: ``<name>_<role>``, the
    bare role or its plural."""
    return {
        role
        for role, (suffixes, bare) in _ROLE_WORDS.items()
        if stem in bare or any(stem.endswith("_" + word) for word in suffixes)
    }


def roles_of_directories(directories: Sequence[str]) -> Set[str]:
    """The roles of the packages a module sits in (``repositories/``)."""
    names = {d.lower() for d in directories}
    return {role for role, (_, bare) in _ROLE_WORDS.items() if names & bare}


def normalized_module_name(stem: str) -> Optional[str]:
    """The importable snake_case form of a file name that is not one
    (``x.repository`` -> ``x_repository``, ``OrderRepository`` ->
    ``order_repository``), or None when the name is fine as it is."""
    parts = [stem]
    for separator in _UNIMPORTABLE_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    normalized = "_".join(snake_case(part) for part in parts if part)
    return None if normalized == stem else normalized


def class_role(name: str) -> Optional[str]:
    """The file role a class name's ending asks for. The whole name counts
    (a module-level ``class Settings`` is configuration), unlike IL104."""
    return next((role for suffix, role in catalog.FILE_ROLES.items() if name.endswith(suffix)), None)


class FileSuffix(Rule):
    """## What it does
    Reports a module of the infrastructure layer that defines a public
    (no leading `_`), non-abstract class whose name ends in a role word —
    `Repository`, `Adapter`, `Client`, `Config` or `Settings` (both role
    `config`), `Migration` — when the file is not named for that role.
    A file is named for a role when it is called `<name>_<role>.py`
    (`order_repository.py`; `app_settings.py` for the `config` role), the
    bare role or its plural (`repository.py`, `repositories.py`,
    `config.py`, `configs.py`, `settings.py`), or when it sits in a package
    named that way (`repositories/orders.py`, `migrations/0002_backfill.py`,
    `settings/database.py`): the directory already says the role. The
    `adapters/` layer directory therefore says `adapter` for its modules. A
    package's `__init__.py` is named by its package (`order_repository/`).
    Directory names are compared case-insensitively.

    When a module defines classes of several roles it is reported only if
    its name carries none of them, at the first such class. Classes count
    at module level and under `if` / `try` blocks; a class whose whole name
    is a role word (`class Settings`) counts too.

    A file whose name cannot be imported or is not snake_case but already
    says a role — `x.repository.py`, `order-repository.py`,
    `OrderRepository.py` — is reported even when it defines no class (at
    line 1, column 1), with the snake_case name to use. Only `*.py` files
    are checked; stubs follow their module.

    ## Why is this bad?
    The role in the file name tells a reader — and tools, code owners and
    reviewers — what a module is before opening it, and keeps one kind of
    infrastructure per file: `order_repository.py` holds the order
    repository, `stripe_client.py` the Stripe client.

    ## Fix safety
    The fix renames the file to the suggested name (`OrderRepository` in
    `orders.py` -> `order_repository.py`) and rewrites every import of the
    module in the project's Python files: `import a.b` (and the code's
    `a.b.X`), `import a.b as c`, `from a import b` (which becomes
    `from a import b_new as b`, so the file's names stay), `from a.b import
    X` and relative imports, in every file under the project root but the
    default excludes (`.venv`, `build`...; files left out with
    `extend-exclude` still count). The renamed module and the rewritten
    files are written together or not at all. It is unsafe: other places may name
    the module in ways an import rewrite does not see (strings such as
    `mock.patch("a.b.X")`, entry points, configuration, other
    repositories). There is no fix when the suggested file or a package of
    that name exists, for a package's `__init__.py` (rename the
    directory), or when a stub (`.pyi`) sits next to the module.
    """

    code = "IL201"
    languages = PYTHON_AND_TYPESCRIPT
    name = "file-suffix"
    message = "{subject}; name the module for its role, e.g. {expected}"
    fix_title = "Rename the module for its role and rewrite its imports"
    fix_availability = FixAvailability.SOMETIMES
    applies_to = frozenset({INFRASTRUCTURE})
    VALID = [
        Valid(
            "from shop.domain.ports import Orders\n\n\nclass OrderRepository(Orders):\n    pass\n",
            path="shop/infrastructure/order_repository.py",
        ),
        Valid("class SqlOrderRepository:\n    pass\n", path="shop/infrastructure/sql_order_repository.py"),
        Valid("class OrderRepository:\n    pass\n", path="shop/infrastructure/repositories/orders.py"),
        Valid(
            "class OrderRepository:\n    pass\n\n\nclass CustomerRepository:\n    pass\n",
            path="shop/infrastructure/repositories.py",
        ),
        Valid(
            "class OrderRepository:\n    pass\n\n\nclass DatabaseConfig:\n    pass\n",
            path="shop/infrastructure/order_repository.py",
        ),
        Valid("class AppSettings:\n    pass\n", path="shop/infrastructure/app_settings.py"),
        Valid(
            "from abc import ABC, abstractmethod\n\n\nclass BaseRepository(ABC):\n"
            "    @abstractmethod\n    def get(self, key): ...\n",
            path="shop/infrastructure/base.py",
        ),
        Valid("class _CachedClient:\n    pass\n", path="shop/infrastructure/cache.py"),
        Valid(
            "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = []\n",
            path="shop/infrastructure/migrations/0002_backfill.py",
        ),
        Valid("class OrderRepositoryError(Exception):\n    pass\n", path="shop/infrastructure/errors.py"),
        Valid("class OrderRepository:\n    pass\n", path="shop/infrastructure/order_repository/__init__.py"),
        Valid("class OrderRepository:\n    pass\n", path="shop/domain/ports.py"),
    ]
    INVALID = [
        Invalid(
            "from shop.domain.ports import Orders\n\n\nclass OrderRepository(Orders):\n    pass\n",
            at=[(4, 7)],
            path="shop/infrastructure/orders.py",
            message="OrderRepository is defined in orders.py; name the module for its role, e.g. order_repository.py",
        ),
        Invalid(
            "class HTTPClient:\n    pass\n",
            at=[(1, 7)],
            path="src/shop/infrastructure/http.py",
            message="e.g. http_client.py",
        ),
        Invalid(
            "import sys\n\nif sys.version_info >= (3, 8):\n    class RedisCacheAdapter:\n        pass\n",
            at=[(4, 11)],
            path="shop/infrastructure/cache.py",
        ),
        Invalid(
            "from dataclasses import dataclass\n\n\n@dataclass\nclass DbSettings:\n    url: str\n",
            at=[(5, 7)],
            path="shop/infrastructure/db.py",
            message="e.g. db_settings.py",
        ),
        Invalid(
            "class StripeClient:\n    pass\n\n\nclass OrderRepository:\n    pass\n",
            at=[(1, 7)],
            path="shop/infrastructure/stripe_adapter.py",
            message="StripeClient is defined in stripe_adapter.py",
        ),
        Invalid("", at=[(1, 1)], path="shop/infrastructure/x.repository.py", message="e.g. x_repository.py"),
        Invalid(
            "class OrderRepository:\n    pass\n",
            at=[(1, 7)],
            path="shop/infrastructure/OrderRepository.py",
            message="e.g. order_repository.py",
        ),
        Invalid("class OrderRepository:\n    pass\n", at=[(1, 7)], path="shop/adapters/orders.py"),
    ]

    def begin(self) -> None:
        tree = self.ctx.tree
        path = PurePosixPath(self.ctx.info.relative)
        if tree is None or path.suffix != ".py":
            return
        directories = path.parts[:-1]
        file_name = path.name
        stem = path.stem
        if stem == "__init__" and directories:
            # A package's module name is its directory's name.
            stem, directories = directories[-1], directories[:-1]
            file_name = f"{stem}/{file_name}"
        normalized = normalized_module_name(stem)
        # An unimportable or CamelCase name carries no role until renamed.
        carried = roles_of_directories(directories) | (roles_of_module_name(stem) if normalized is None else set())
        classes = self._role_classes(tree)
        if classes and not any(role in carried for _, role in classes):
            first = classes[0][0]
            subject = f"{first.name} is defined in {file_name}"
            expected = f"{snake_case(first.name)}.py"
            fix = self._rename_fix(expected)
            self.report(position=self.ctx.name_range(first), fix=fix, subject=subject, expected=expected)
        elif normalized is not None and roles_of_module_name(normalized):
            position = self.ctx.name_range(classes[0][0]) if classes else (1, 1, 1, 1)
            expected = f"{normalized}.py"
            fix = self._rename_fix(expected)
            self.report(position=position, fix=fix, subject=_bad_name(file_name, stem), expected=expected)

    def _rename_fix(self, expected: str) -> Optional[Fix]:
        """Renaming to ``expected``, unless that would clobber a file, the
        module is a package, or a stub would be left behind."""
        path = self.ctx.info.path
        if path.name == "__init__.py" or path.with_suffix(".pyi").exists() or path.with_name(expected).exists():
            return None
        package, _, _ = (self.ctx.module or "").rpartition(".")
        target = f"{package}.{expected[:-3]}" if package else expected[:-3]
        if self.ctx.module and self.ctx.project.is_module(target):
            return None  # also a package of that name; asked of the project so the cache knows
        return Fix((), Applicability.UNSAFE, f"Rename the module to {expected} and rewrite its imports", rename=expected)

    def _role_classes(self, tree: ast.Module) -> List[Tuple[ast.ClassDef, str]]:
        """Public, concrete classes with a role, in source order."""
        found = []
        for node in module_classes(tree):
            role = class_role(node.name)
            if role and not node.name.startswith("_") and not is_abstract(node, self.ctx.model):
                found.append((node, role))
        found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        return found


def _bad_name(file_name: str, stem: str) -> str:
    if any(separator in stem for separator in _UNIMPORTABLE_SEPARATORS):
        return f"{file_name} cannot be imported"
    return f"{file_name} is not a snake_case module name"


class InfrastructureOutsideLayer(Rule):
    """## What it does
    Reports a concrete (non-abstract) class whose name ends in
    `Repository`, `Adapter` or `Client` (a suffix, not the whole name) in a
    domain, application or interface module that imports a package IL102
    reports — a database driver or ORM, an HTTP client, a cloud SDK, a
    broker, a web framework. The package list is IL102's, with its
    `frameworks` and `extend-frameworks` options; IL102's `allow` lists do
    not silence this rule, because the class is still an implementation in
    the wrong layer. Imports under `if TYPE_CHECKING:` count, as for IL102.

    Not reported: abstract classes (an `ABC` or `Protocol` base, an
    `ABCMeta` metaclass, or an `@abstractmethod`) — the contract belongs
    in the domain — and in-memory implementations in modules that import no
    such package.

    ## Why is this bad?
    The domain declares what it needs (a port), the infrastructure
    implements it, the application uses it through the port. A concrete
    repository or client next to the business rules ties them to a
    database or a remote service, and nothing can swap it for a fake or
    for another technology.
    """

    code = "IL202"
    name = "infrastructure-outside-layer"
    message = (
        "{layer} class {name} is an implementation (its module imports {package}); "
        "it belongs in the infrastructure layer"
    )
    applies_to = frozenset({DOMAIN, APPLICATION, INTERFACE})
    VALID = [
        Valid(
            "from sqlalchemy.orm import Session\n\n\nclass SqlOrderRepository:\n"
            "    def __init__(self, session: Session):\n        self.session = session\n",
            path="shop/infrastructure/sql_order_repository.py",
        ),
        Valid(
            "from abc import ABC, abstractmethod\nimport sqlalchemy\n\n\nclass OrderRepository(ABC):\n"
            "    @abstractmethod\n    def get(self, order_id): ...\n",
            path="shop/domain/ports.py",
        ),
        Valid(
            "from typing import Protocol\nimport httpx\n\n\nclass PaymentClient(Protocol):\n"
            "    def charge(self, amount): ...\n",
            path="shop/application/ports.py",
        ),
        Valid(
            "class InMemoryOrderRepository:\n    def __init__(self):\n        self.orders = {}\n",
            path="shop/domain/order.py",
        ),
        Valid("import sqlalchemy\n\n\nclass SqlOrderRepository:\n    pass\n", path="shop/infrastructure/orders.py"),
        Valid("import redis\n\n\nclass Repository:\n    pass\n", path="shop/application/cache.py"),
        Valid(
            "from shop.domain import requests\n\n\nclass RefundClient:\n    pass\n",
            path="shop/application/refunds.py",
        ),
        Valid("import requests\n\n\nclass ApiClient:\n    pass\n", path="tests/application/test_api.py"),
    ]
    INVALID = [
        Invalid(
            "from sqlalchemy.orm import Session\n\n\nclass SqlOrderRepository:\n"
            "    def __init__(self, session: Session):\n        self.session = session\n",
            at=[(4, 7)],
            path="shop/domain/order.py",
            message="domain class SqlOrderRepository is an implementation (its module imports sqlalchemy); "
            "it belongs in the infrastructure layer",
        ),
        Invalid(
            "import requests as http\n\n\nclass StripeClient:\n    def charge(self):\n"
            "        return http.post('https://api.stripe.com')\n",
            at=[(4, 7)],
            path="src/shop/application/payments.py",
            message="application class StripeClient is an implementation (its module imports requests)",
        ),
        Invalid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import redis\n\n\n"
            "class RedisCacheAdapter:\n    pass\n",
            at=[(7, 7)],
            path="shop/domain/cache.py",
        ),
        Invalid(
            "from fastapi import APIRouter\n\n\nclass OrderRepository:\n    pass\n\n\n"
            "class PaymentClient:\n    pass\n",
            at=[(4, 7), (8, 7)],
            path="shop/entrypoints/api.py",
            message="(its module imports fastapi)",
        ),
        Invalid(
            "from abc import ABC\nimport boto3\n\n\nclass Storage(ABC):\n    pass\n\n\n"
            "class S3StorageAdapter(Storage):\n    pass\n",
            at=[(9, 7)],
            path="shop/application/storage.py",
        ),
    ]

    def begin(self) -> None:
        tree = self.ctx.tree
        layer = self.ctx.layer
        if tree is None or layer is None:
            return
        package = self._framework_package()
        if package is None:
            return
        for node in module_classes(tree):
            if role_suffix(node.name, catalog.INFRASTRUCTURE_ROLE_SUFFIXES) and not is_abstract(node, self.ctx.model):
                self.report(position=self.ctx.name_range(node), name=node.name, layer=layer.name, package=package)

    def _framework_package(self) -> Optional[str]:
        """The first IL102 package the module imports."""
        settings = self.ctx.settings
        packages = list(settings.option("IL102", "frameworks")) + list(settings.option("IL102", "extend-frameworks"))
        return next((package for _, package in third_party_imports(self.ctx, packages)), None)


def _process_variable(key: ast.AST) -> bool:
    """A literal name of the process's own environment (`PATH`, `HOME`,
    `TERM`): the platform talking, not a setting of the service."""
    return isinstance(key, ast.Constant) and key.value in catalog.PROCESS_ENVIRONMENT_VARIABLES


class ConfigOutsideConfigModule(Rule):
    """## What it does
    Reports reading the environment — `os.environ[...]`,
    `os.environ.get(...)`, `os.getenv(...)` and their bytes forms
    (`os.environb`, `os.getenvb`) — in a module that is not a configuration
    module. Aliases and from-imports are followed (`import os as o`,
    `from os import environ, getenv`); a local name that merely is called
    `environ` is not.

    Configuration modules, where reading is the point: files named
    `config.py`, `settings.py`, `conf.py`, `*_config.py`, `*_settings.py`,
    the `__init__.py` of a package with such a name (`conf/__init__.py` is
    the module `conf`, as Django's `django.conf`), any module under a
    `config/` or `settings/` package (names compared case-insensitively),
    every module of a `main/` package (the entry point split in modules:
    `main/ioc.py`, `main/web.py`), Alembic's `env.py` beside a `versions/`
    folder, and every composition root wherever it lies: modules named
    `main`, `__main__`, `bootstrap`, `container`, `containers`,
    `composition_root`, `wsgi`, `asgi`, `manage`, and every module inside a
    package named `bootstrap`, `composition`, `composition_root`, `ioc`,
    `di`, `container`, `containers` or `wiring` (a DI provider module such
    as `app/setup/ioc/settings_provider.py`). Composition roots read the
    environment by design: they build the settings and hand them to the
    layers. The composition roots are the project's
    `[tool.infralint.composition-roots]` setting, shared with the layer
    assignment. Test code is not checked.

    Variables of the process and its platform (`PATH`, `HOME`, `TERM`,
    `COMP_WORDS`, `LANG`, ...; the list is in the catalogue), read by their
    literal name, are not settings of the service and are not reported.
    Developer scripts at the root (`noxfile.py`, `setup.py`, `fabfile.py`)
    are checked like any other module: they are not composition roots of
    the service; list them under `per-file-ignores` when they read the
    environment on purpose.

    Only reads are reported. Writing (`os.environ["TZ"] = "UTC"`), deleting,
    passing the whole mapping on (`subprocess.run(cmd, env=os.environ)`,
    `dict(os.environ)`) and other methods (`setdefault`, `copy`, `in`)
    are not reading a setting and are left alone.

    ## Why is this bad?
    Configuration read all over the code base cannot be validated at
    start-up, documented in one place or replaced in tests: a missing
    variable fails on the first request that happens to need it, with a
    `KeyError` deep in business code. Read and validate settings once, in a
    configuration module, and pass the values in.
    """

    code = "IL203"
    name = "config-outside-config-module"
    message = "{access} reads configuration outside a configuration module; read it in a settings module and pass it in"
    applies_to = ALL_CODE
    VALID = [
        Valid("import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n", path="shop/infrastructure/db_config.py"),
        Valid("import os\n\nDEBUG = os.getenv('DEBUG', '0') == '1'\n", path="shop/settings.py"),
        Valid("from os import environ\n\nURL = environ.get('URL')\n", path="shop/config/database.py"),
        Valid("import os\n\nSETTINGS_MODULE = os.environ.get('SHOP_SETTINGS')\n", path="shop/conf/__init__.py"),
        Valid("import os\n\nif __name__ == '__main__':\n    run(port=int(os.environ['PORT']))\n", path="main.py"),
        # Composition roots, in a layer's folder or not, and DI packages.
        Valid("import os\n\nPORT = os.environ['PORT']\n", path="shop/entrypoints/main.py"),
        Valid("from os import getenv\n\n\ndef bootstrap():\n    return Bus(uow=getenv('DB'))\n", path="src/shop/bootstrap.py"),
        Valid(
            "import os as operating_system\n\n\nclass Container:\n"
            "    url = operating_system.environ.get(\n        'DATABASE_URL',\n    )\n",
            path="shop/infrastructure/container.py",
        ),
        Valid("import os\n\nAPP_ENV = os.environ['APP_ENV']\n", path="app/main/__init__.py"),
        Valid("import os\n\n\nasync def create_app():\n    return os.getenv('HOST')\n", path="app/main/web.py"),
        Valid(
            "from os import environ\n\n\nclass DomainProvider:\n    def secret(self):\n"
            "        return environ['SECRET']\n",
            path="app/setup/ioc/domain.py",
        ),
        Valid("import os\n\nTOKEN = os.environ['TOKEN']\n", path="src/app/di/providers.py"),
        # Alembic's env.py, beside the revisions.
        Valid(
            "import os\n\nconfig.set_main_option('sqlalchemy.url', os.environ['DATABASE_URL'])\n",
            path="shop/infrastructure/migrations/env.py",
            files={"shop/infrastructure/migrations/versions/0001_initial.py": "revision = '0001'\n"},
        ),
        Valid(
            "import os\n\nos.environ['TZ'] = 'UTC'\ndel os.environ['LANG']\n"
            "subprocess.run(['make'], env=os.environ)\n",
            path="shop/infrastructure/jobs.py",
        ),
        Valid('HELP = "set os.environ[\'URL\'] or call os.getenv"\n', path="shop/application/help.py"),
        Valid("environ = {'URL': 'x'}\n\nURL = environ.get('URL')\n", path="shop/application/wsgi_app.py"),
        Valid("import os\n\nURL = os.getenv('URL')\n", path="tests/test_settings.py"),
        # The process's own environment (search path, terminal), not a setting.
        Valid(
            "import os\n\n\ndef find(command):\n    for directory in os.environ.get('PATH', '').split(os.pathsep):\n"
            "        yield os.path.join(directory, command)\n    colour = os.getenv('TERM') != 'dumb'\n",
            path="shop/infrastructure/shell.py",
        ),
    ]
    INVALID = [
        Invalid(
            "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n",
            at=[(3, 16)],
            path="shop/infrastructure/db.py",
            message="os.environ[...] reads configuration outside a configuration module",
        ),
        Invalid(
            "import os as o\n\n\nclass Mailer:\n    def send(self):\n        host = o.environ.get('SMTP_HOST')\n",
            at=[(6, 16)],
            path="shop/infrastructure/mailer.py",
            message="os.environ.get() reads configuration",
        ),
        Invalid(
            "from os import environ, getenv\n\n\nasync def handler():\n"
            "    return environ['KEY'], getenv(\n        'SECRET',\n        '',\n    )\n",
            at=[(5, 12), (5, 28)],
            path="src/shop/entrypoints/api.py",
        ),
        Invalid(
            "from os import getenv as env\n\n\ndef outer():\n    def inner():\n        return env('X')\n"
            "    return inner\n",
            at=[(6, 16)],
            path="shop/domain/order.py",
            message="os.getenv() reads configuration",
        ),
        # Named like a composition root, but not one: a near miss.
        Invalid("import os\n\nPORT = os.environ['PORT']\n", at=[(3, 8)], path="shop/entrypoints/main_page.py"),
        Invalid("import os\n\nURL = os.getenv('URL')\n", at=[(3, 7)], path="shop/infrastructure/di_client.py"),
        # An env.py with no Alembic revisions beside it is a module like any other.
        Invalid("import os\n\nMODE = os.environ.get('MODE')\n", at=[(3, 8)], path="shop/application/env.py"),
        Invalid("import os\n\nTOKEN = os.environb[b'TOKEN']\n", at=[(3, 9)], path="shop/utils.py"),
    ]

    # Whether this file is a configuration module, where reading is fine.
    _allowed: bool = False

    def begin(self) -> None:
        self._allowed = self._is_config_module()

    def visit_Subscript(self, node: ast.Subscript) -> None:
        # A store or delete changes the environment; it does not read it.
        if self._allowed or not isinstance(node.ctx, ast.Load):
            return
        mapping = self.ctx.model.resolve(node.value)
        if mapping in catalog.ENVIRONMENT_MAPPINGS and not _process_variable(node.slice):
            self.report(node, access=f"{mapping}[...]")

    def visit_Call(self, node: ast.Call) -> None:
        if self._allowed:
            return
        function = self.ctx.model.resolve(node.func)
        if function in catalog.ENVIRONMENT_FUNCTIONS and not (node.args and _process_variable(node.args[0])):
            self.report(node, access=f"{function}()")

    def _is_config_module(self) -> bool:
        path = PurePosixPath(self.ctx.info.relative.lower())
        name = path.name
        if name in catalog.CONFIG_MODULE_FILES or name.endswith(catalog.CONFIG_MODULE_SUFFIXES):
            return True
        # `conf/__init__.py` is the module `conf`, as `conf.py` would be.
        if name == "__init__.py" and len(path.parts) > 1:
            package = path.parts[-2] + ".py"
            if package in catalog.CONFIG_MODULE_FILES or package.endswith(catalog.CONFIG_MODULE_SUFFIXES):
                return True
        packages = path.parts[:-1]
        if any(directory in catalog.CONFIG_PACKAGES or directory in catalog.WIRING_PACKAGES for directory in packages):
            return True
        return self.ctx.project.is_composition_root(self.ctx.info)
