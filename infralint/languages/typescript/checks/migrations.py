"""IL601 for TypeScript: TypeORM and knex migrations that cannot be rolled
back."""

from __future__ import annotations

from typing import Dict, Optional

from infralint.languages.typescript.checks.base import TsFile, check
from infralint.languages.typescript.front_end import Node, is_empty_block, node_text
from infralint.rules.base import Invalid, Rule, Valid

_ADVICE = "write the down step that undoes up() (or throw to say it is irreversible)"

_TYPEORM = (
    'import { MigrationInterface, QueryRunner } from "typeorm";\n\n'
    "export class AddOrderTotal1700000000000 implements MigrationInterface {\n"
    "  async up(queryRunner: QueryRunner): Promise<void> {\n"
    '    await queryRunner.query(`ALTER TABLE "order" ADD "total" integer`);\n'
    "  }\n\n"
    "  async down(queryRunner: QueryRunner): Promise<void> {%s}\n"
    "}\n"
)


@check(
    "IL601",
    valid=[
        Valid(
            _TYPEORM % '\n    await queryRunner.query(`ALTER TABLE "order" DROP COLUMN "total"`);\n  ',
            path="src/infrastructure/migrations/1700000000000-add-order-total.migration.ts",
        ),
        Valid(
            'exports.up = (knex) => knex.schema.createTable("orders", (t) => t.increments());\n'
            'exports.down = (knex) => knex.schema.dropTable("orders");\n'
            "export function up() {}\nexport function down() {}\n",
            path="migrations/20240101_orders.js",
        ),
    ],
    invalid=[
        Invalid(
            _TYPEORM % "\n    // nothing to do\n  ",
            at=[(8, 9)],
            path="src/infrastructure/migrations/1700000000000-add-order-total.migration.ts",
            message="down() is empty while up() is not, so the migration cannot be rolled back",
        ),
        Invalid(
            'exports.up = async function (knex) {\n  await knex.schema.createTable("orders", (t) => t.increments());\n};\n'
            "exports.down = async function (knex) {};\n",
            at=[(4, 9)],
            path="migrations/20240101_orders.js",
        ),
        Invalid(
            'export async function up(knex: Knex) {\n  await knex.schema.dropTable("carts");\n}\n\n'
            "export const down = async (knex: Knex) => {};\n",
            at=[(5, 14)],
            path="db/migrations/20240102_drop_carts.ts",
        ),
    ],
)
def irreversible_migration(rule: Rule, file: TsFile) -> None:
    """A TypeORM migration (a class implementing `MigrationInterface` with
    `up` and `down` methods) or a knex migration (`exports.up` /
    `exports.down`, `module.exports.down`, exported `up` / `down`
    functions or constants) whose `down` body is empty, or holds only
    comments, while `up`'s is not. Reported at `down`."""
    for match in file.module.facts["class"]:
        if _implements(match.node, "MigrationInterface"):
            methods = _methods(match.node)
            _check_pair(rule, file, methods.get("up"), methods.get("down"))
    steps: Dict[str, Node] = {}
    for match in file.module.facts["migration.step"]:
        name, function = match.part("name"), match.part("function")
        if name is not None and function is not None:
            steps.setdefault(node_text(name), function)
    _check_pair(rule, file, steps.get("up"), steps.get("down"))


def _check_pair(rule: Rule, file: TsFile, up: Optional[Node], down: Optional[Node]) -> None:
    if up is None or down is None or _empty(up) or not _empty(down):
        return
    name = down.child_by_field_name("name")
    anchor = name if name is not None else _named_at(down)
    file.report(rule, anchor, what="down() is empty while up() is not", advice=_ADVICE)


def _named_at(function: Node) -> Node:
    """Where a function without a name of its own is named: the property
    of `exports.down = ...`, the variable of `const down = ...`."""
    parent = function.parent
    if parent is not None and parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        property_node = left.child_by_field_name("property") if left is not None else None
        if property_node is not None:
            return property_node
    if parent is not None and parent.type == "variable_declarator":
        return parent.child_by_field_name("name") or function
    return function


def _empty(function: Node) -> bool:
    body = function.child_by_field_name("body")
    return body is not None and body.type == "statement_block" and is_empty_block(body)


def _implements(declaration: Node, interface: str) -> bool:
    for child in declaration.named_children:
        if child.type == "class_heritage":
            for clause in child.named_children:
                if clause.type == "implements_clause" and any(
                    node_text(t).split("<", 1)[0].split(".")[-1] == interface for t in clause.named_children
                ):
                    return True
    return False


def _methods(declaration: Node) -> Dict[str, Node]:
    body = declaration.child_by_field_name("body")
    found: Dict[str, Node] = {}
    for member in body.named_children if body is not None else ():
        if member.type == "method_definition":
            name = member.child_by_field_name("name")
            if name is not None:
                found.setdefault(node_text(name), member)
    return found
