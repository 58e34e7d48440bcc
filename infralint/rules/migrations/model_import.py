"""IL605 model-import-in-data-migration."""

from __future__ import annotations

import ast
from typing import Iterator, Optional, Set, Tuple, Union

from infralint import catalog
from infralint.bindings import FUNCTION_TYPES
from infralint.model import resolve_relative
from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.migrations.examples import DJANGO_PATH
from infralint.rules.migrations.files import DJANGO, migration_file

_ImportNode = Union[ast.Import, ast.ImportFrom]
_MIGRATION = (
    "\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n"
    "    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n"
)


class ModelImportInDataMigration(Rule):
    """## What it does
    Reports, in a Django migration with a `RunPython` operation, an import
    of a model from the code — `from shop.models import Order`, `from
    .models import Order`, `from shop import models`, `import shop.models`
    — whose name is used inside a function of the migration (the
    `RunPython` code), or that is made inside one. Reported at the import
    statement, once per statement.

    Only names that look like classes (CapWords, not UPPER_CASE
    constants) count among the names imported from a `models` module;
    `django.db.models` (the field classes) is not a model module, but
    the models of installed apps are (`from django.contrib.auth.models
    import Group`: `apps.get_model("auth", "Group")` gives the historical
    one). An
    import used only in the operations list — makemigrations writes
    `import shop.models` for a custom field or a default callable — is not
    reported: those are parts of the schema, not data code.

    ## Why is this bad?
    A migration runs against the schema as it was at that point of the
    history, but an imported model is the one of today's code: its fields,
    its managers and its `save()` describe columns that may not exist yet
    (or any more). The migration works on the day it is written and fails
    months later, on a fresh database or in a squash. `apps.get_model("shop",
    "Order")` inside the function gives the historical model.

    ## References
    - [Django: data migrations](https://docs.djangoproject.com/en/stable/topics/migrations/#data-migrations)
    - [django-migration-linter](https://github.com/3YOURMIND/django-migration-linter)
    """

    code = "IL605"
    name = "model-import-in-data-migration"
    message = (
        "data migration imports {name} from {module}, today's code rather than the historical model; "
        "get the model with apps.get_model(...) inside the RunPython function"
    )
    applies_to = ALL_CODE
    VALID = [
        Valid(
            "from django.db import migrations\n\n\ndef forwards(apps, schema_editor):\n"
            "    Order = apps.get_model('shop', 'Order')\n    Order.objects.update(total=0)\n" + _MIGRATION,
            path=DJANGO_PATH,
        ),
        # Used in the operations only (a field's default), and constants.
        Valid(
            "import shop.models\nfrom django.db import migrations, models\nfrom shop.models import ORDER_STATES\n\n\n"
            "def forwards(apps, schema_editor):\n    apps.get_model('shop', 'Order').objects.update(state=ORDER_STATES[0])\n"
            "\n\nclass Migration(migrations.Migration):\n    operations = [\n"
            "        migrations.AddField('order', 'code', models.CharField(default=shop.models.new_code, max_length=8)),\n"
            "        migrations.RunPython(forwards, migrations.RunPython.noop),\n    ]\n",
            path=DJANGO_PATH,
        ),
        # No RunPython: a schema migration.
        Valid(
            "from django.db import migrations\nfrom shop.models import Order\n\n\ndef describe():\n    return Order\n\n\n"
            "class Migration(migrations.Migration):\n    operations = []\n",
            path=DJANGO_PATH,
        ),
    ]
    INVALID = [
        Invalid(
            "from django.db import migrations\nfrom shop.models import Order, Customer\n\n\n"
            "def forwards(apps, schema_editor):\n    Order.objects.update(total=0)\n" + _MIGRATION,
            at=[(2, 1)],
            path=DJANGO_PATH,
            message="data migration imports Order from shop.models",
        ),
        Invalid(
            "from django.db import migrations\n\n\ndef forwards(apps, schema_editor):\n"
            "    from ..models import Order as O\n\n    for order in O.objects.all():\n        order.save()\n" + _MIGRATION,
            at=[(5, 5)],
            path="shop/migrations/0003_fill.py",
            files={"shop/__init__.py": "", "shop/migrations/__init__.py": ""},
        ),
        Invalid(
            "import shop.models as shop_models\nfrom django.db import migrations\nfrom orders import models\n\n\n"
            "def forwards(apps, schema_editor):\n    shop_models.Order.objects.all().delete()\n"
            "    models.Line.objects.all().delete()\n" + _MIGRATION,
            at=[(1, 1), (3, 1)],
            path=DJANGO_PATH,
        ),
    ]

    def begin(self) -> None:
        migration = migration_file(self.ctx)
        tree = self.ctx.tree
        if migration is None or migration.framework != DJANGO or tree is None:
            return
        if not any(o.name == "RunPython" for o in migration.operations):
            return
        used, imported_inside = _function_uses(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name, module, bound in self._model_imports(node):
                    if id(node) in imported_inside or bound in used:
                        self.report(node, name=name, module=module)
                        break

    def _model_imports(self, node: _ImportNode) -> Iterator[Tuple[str, str, str]]:
        """(imported name, module, bound name) for each model or models
        module the statement imports."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_models_module(alias.name):
                    yield alias.name, alias.name, alias.asname or alias.name.split(".")[0]
            return
        module = self._absolute(node)
        for alias in node.names:
            bound = alias.asname or alias.name
            if _is_models_module(module) and _looks_like_class(alias.name):
                yield alias.name, module, bound
            elif alias.name == "models" and _is_models_module(f"{module}.models"):
                yield alias.name, module, bound

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        resolved = resolve_relative(self.ctx.info.package, node.level, node.module)
        return resolved or "." * node.level + (node.module or "")


def _is_models_module(module: str) -> bool:
    """A module named ``models`` or inside one, but Django's fields."""
    django = catalog.DJANGO_MODEL_FIELDS_MODULE
    return "models" in module.lstrip(".").split(".") and not (module == django or module.startswith(django + "."))


def _looks_like_class(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def _function_uses(tree: ast.Module) -> Tuple[Set[str], Set[int]]:
    """The global names read inside functions (not bound there), and the
    ids of the import statements inside functions."""
    used: Set[str] = set()
    imports: Set[int] = set()
    for function in ast.walk(tree):
        if not isinstance(function, FUNCTION_TYPES):
            continue
        loaded: Set[str] = set()
        local: Set[str] = {a.arg for a in _parameters(function)}
        for node in ast.walk(function):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else local).add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.add(id(node))
        used |= loaded - local
    return used, imports


def _parameters(function: ast.AST) -> Iterator[ast.arg]:
    arguments: Optional[ast.arguments] = getattr(function, "args", None)
    if arguments is None:
        return
    yield from arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    yield from (a for a in (arguments.vararg, arguments.kwarg) if a is not None)
