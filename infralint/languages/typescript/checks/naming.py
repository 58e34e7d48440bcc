"""IL201 for TypeScript: infrastructure classes in files named for their
role (`stripe-payment.adapter.ts`)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import List, Optional, Set, Tuple

from infralint import catalog
from infralint.findings import Applicability, Fix
from infralint.languages.typescript.checks.base import TsFile, check
from infralint.languages.typescript.front_end import Node, node_text
from infralint.rules.base import Invalid, Rule, Valid
from infralint.rules.naming import class_role, roles_of_directories, snake_case


@check(
    "IL201",
    valid=[
        Valid("export class StripePaymentAdapter {}\n", path="src/infrastructure/stripe-payment.adapter.ts"),
        Valid("export class OrderRepository {}\n", path="src/infrastructure/repositories/orders.ts"),
        Valid("export class TypeOrmOrderRepository {}\n", path="src/infrastructure/repository.ts"),
        Valid(
            "export abstract class BaseRepository {}\nclass LocalClient {}\nexport interface OrdersClient {}\n",
            path="src/infrastructure/base.ts",
        ),
        Valid("export class StripePaymentAdapter {}\n", path="src/infrastructure/stripe.adapter.test.ts"),
    ],
    invalid=[
        Invalid(
            "export class StripePaymentAdapter {\n  charge() {}\n}\n",
            at=[(1, 14)],
            path="src/infrastructure/payments.ts",
            message="StripePaymentAdapter is defined in payments.ts; name the module for its role, "
            "e.g. stripe-payment.adapter.ts",
        ),
        Invalid(
            "export default class HTTPClient {}\n",
            at=[(1, 22)],
            path="src/infrastructure/http/index.js",
            message="e.g. http.client.js",
        ),
        Invalid(
            "class DbSettings {}\nexport { DbSettings };\nexport class OrderRepository {}\n",
            at=[(1, 7)],
            path="src/infrastructure/order_repository.ts",
            message="e.g. db.config.ts",
        ),
    ],
)
def file_suffix(rule: Rule, file: TsFile) -> None:
    """An exported, non-abstract class of the infrastructure layer whose
    name ends in a role word (`Repository`, `Adapter`, `Client`, `Config` /
    `Settings`, `Migration`), in a file not named `<name>.<role>.<ext>`
    (kebab-case name: `StripePaymentAdapter` -> `stripe-payment.adapter.ts`).
    The role alone (`repository.ts`), its plural, and files in a folder
    named for the role (`repositories/orders.ts`) are accepted, as for
    Python. A class exported by an `export { Name }` list counts as
    exported. Reported at the class name.

    The fix (unsafe) renames the file and rewrites the project's relative
    and aliased imports of it, written as they were (`./payments.js` ->
    `./stripe-payment.adapter.js`); none for an `index` file or when the
    name is taken, and none at all when an import of it cannot be
    rewritten or a rewritten file would not parse."""
    path = PurePosixPath(file.ctx.info.relative)
    carried = roles_of_directories(path.parts[:-1]) | _roles_of_file_name(path.name)
    classes = _role_classes(file)
    if not classes or any(role in carried for _, _, role in classes):
        return
    name_node, name, role = classes[0]
    extension = path.name[path.name.rfind(".") :]
    expected = f"{_kebab(name, role)}.{role}{extension}" if _kebab(name, role) else f"{role}{extension}"
    file.report(
        rule, name_node, fix=_rename_fix(file, expected), subject=f"{name} is defined in {path.name}", expected=expected
    )


def _rename_fix(file: TsFile, expected: str) -> Optional[Fix]:
    """Renaming to ``expected`` and rewriting its imports (unsafe, as for
    Python: strings, configuration and other repositories may name the
    file too); none for an index file (its directory is what is imported)
    or when the name is taken (asked of the project, so the cache knows)."""
    path = Path(file.path)
    if path.name.startswith("index.") or file.project.file_exists(str(path.with_name(expected))):
        return None
    return Fix((), Applicability.UNSAFE, f"Rename the module to {expected} and rewrite its imports", rename=expected)


def _roles_of_file_name(file_name: str) -> Set[str]:
    """``stripe-payment.adapter.ts`` -> {adapter}; ``repositories.ts`` ->
    {repository}."""
    parts = file_name.lower().split(".")[:-1]
    plurals = {plural: role for role, plural in catalog.ROLE_PLURALS.items()}
    roles = set(catalog.FILE_ROLES.values())
    found = {part for part in parts[1:] if part in roles}
    if len(parts) == 1:
        found |= {parts[0]} & roles
        found |= {plurals[parts[0]]} if parts[0] in plurals else set()
    return found


def _kebab(name: str, role: str) -> str:
    """The class name without its role word, kebab-case."""
    suffix = next((s for s, r in catalog.FILE_ROLES.items() if r == role and name.endswith(s)), "")
    return snake_case(name[: len(name) - len(suffix)]).replace("_", "-").strip("-")


def _role_classes(file: TsFile) -> List[Tuple[Node, str, str]]:
    """(name node, name, role) of the exported concrete classes with a
    role, in source order."""
    exported_names = _exported_names(file)
    found = []
    for match in file.module.facts["class"]:
        declaration = match.node
        name_node = declaration.child_by_field_name("name")
        if declaration.type != "class_declaration" or name_node is None:
            continue  # abstract classes and anonymous ones
        name = node_text(name_node)
        role = class_role(name)
        if role is None:
            continue
        parent = declaration.parent
        if (parent is not None and parent.type == "export_statement") or name in exported_names:
            found.append((name_node, name, role))
    return found


def _exported_names(file: TsFile) -> Set[str]:
    """Names an ``export { A, B as C }`` list exports (local names)."""
    names: Set[str] = set()
    root = file.module.tree.root_node
    for statement in root.named_children:
        if statement.type != "export_statement" or statement.child_by_field_name("source") is not None:
            continue
        for clause in statement.named_children:
            if clause.type == "export_clause":
                for specifier in clause.named_children:
                    local: Optional[Node] = specifier.child_by_field_name("name")
                    if local is not None:
                        names.add(node_text(local))
    return names
