"""IL701, IL702 and IL703 for TypeScript: secrets in code, SQL built from
strings, console output in service code."""

from __future__ import annotations

import re
from typing import List, Optional, Set

from infralint import catalog
from infralint.languages.typescript.checks.base import TsFile, check
from infralint.languages.typescript.front_end import Node, node_text, string_value
from infralint.lazyregex import lazy_regex
from infralint.rules.base import Invalid, Rule, Valid
from infralint.rules.credentials import CREDENTIAL_TRIGGERS, find_credential
from infralint.rules.security import _secret_value, secret_name, secret_preview, url_secret

_WHAT = {
    "secret.declared": "secret assigned to {name}",
    "secret.stored": "secret stored under {name!r}",
    "secret.default": "secret as the default of {name}",
}


@check(
    "IL701",
    valid=[
        Valid(
            "const apiKey = process.env.API_KEY;\nconst DB_PASSWORD = process.env.DB_PASSWORD ?? \"\";\n"
            'const passwordField = "pwd";\nconst tokenUrl = "https://auth.example.com/token";\n'
            'const clientSecret = `${prefix}-secret`;\nconst API_KEY = "<your-api-key>";\n'
            'const headers = { "X-API-Key": apiKey };\nconst INVALID_PASSWORD = "Invalid password";\n'
            'const DATABASE_URL = "postgres://user:password@localhost/shop";\n',
            path="src/infrastructure/db.config.ts",
        ),
        Valid('const apiKey = "ak_live_93jf02k";\n', path="src/infrastructure/stripe.adapter.test.ts"),
    ],
    invalid=[
        Invalid(
            'export const stripeApiKey = "sk_live_51Hx9";\n',
            at=[(1, 29)],
            path="src/infrastructure/stripe.config.ts",
            message="hard-coded secret assigned to stripeApiKey ('sk…', 13 characters)",
        ),
        Invalid(
            'const DB_PASSWORD = "s3cr3t-Pa55";\nconst config = { clientSecret: `cs_93jf02k`, db: { password: "admin" } };\n'
            'class Client {\n  private token = "t0k3n-abc";\n  constructor(apiKey = "ak_93jf02k") {\n'
            '    this.secret = "hunter22";\n  }\n}\nconst url = "postgresql://shop:Pa55@db:5432/shop";\n',
            at=[(1, 21), (2, 32), (2, 62), (4, 19), (5, 24), (6, 19), (9, 13)],
            path="src/infrastructure/settings.js",
        ),
        Invalid(
            'const s3 = new S3Client({ region, credentials: load("AKIA' +
            'Q3EGUD7XJ2K4WZ5P") });\n',
            at=[(1, 53)],
            path="src/infrastructure/storage.adapter.ts",
            message="hard-coded AWS access key id",
        ),
    ],
)
def hardcoded_secret(rule: Rule, file: TsFile) -> None:
    """As for Python, with TypeScript's names: secret-like names in
    camelCase and SCREAMING_CASE (`apiKey`, `clientSecret`,
    `DB_PASSWORD`) given a string literal in `const` / `let` / `var`
    declarations, assignments (`this.secret = "..."`), class fields,
    object properties (`{ password: "..." }`) and default values of
    parameters and destructured properties; and connection URLs with an
    inline password in any string, and any string holding a credential of a
    known shape (the catalogue's `CREDENTIAL_SHAPES`: AWS, GitHub, Stripe,
    ... keys, whatever the name), as for Python. Template literals count
    when they have no substitution. The same values are left alone as for Python
    (placeholders, prose, names, environment reads)."""
    reported: Set[int] = set()
    facts = file.module.facts
    for fact, what in _WHAT.items():
        for match in facts[fact]:
            name_node, value = match.part("name"), match.part("value")
            if name_node is None or value is None:
                continue
            name = string_value(name_node) if name_node.type == "string" else node_text(name_node).lstrip("#")
            text = _literal_text(value)
            if text is None or not secret_name(name) or not _secret_value(text, name):
                continue
            reported.add(value.start_byte)
            file.report(rule, value, what=what.format(name=name), preview=secret_preview(text))
    module = file.module
    text = module.text.text
    if _STRING_TRIGGERS.search(text) is None:
        return
    for node in module.nodes("strings", "string"):
        if node.start_byte in reported:
            continue
        value = string_value(node)
        found = url_secret(value) if "://" in value else None
        if found is not None:
            what, preview = found
            file.report(rule, node, what=what, preview=preview)
            continue
        credential = find_credential(value)
        if credential is not None:
            file.report(rule, node, what=credential.what, preview=secret_preview(credential.text, credential.shown))


# A URL or a credential shape's prefix: the strings query runs only then
# (one regex search: the ~20 substring tests cost more on every file).
_STRING_TRIGGERS = lazy_regex("|".join(re.escape(trigger) for trigger in ("://",) + CREDENTIAL_TRIGGERS))


def _literal_text(value: Node) -> Optional[str]:
    """A string literal's text; a template literal's when it has no
    substitution; None otherwise."""
    if value.type == "template_string" and any(c.type == "template_substitution" for c in value.named_children):
        return None
    return string_value(value)


@check(
    "IL702",
    valid=[
        Valid(
            'await db.query("SELECT * FROM orders WHERE id = $1", [id]);\n'
            "await db.query(`SELECT * FROM orders`);\nawait knex.raw(`select 1`);\n"
            'logger.info(`Selected ${count} orders`);\nawait cache.execute(`GET ${key}`);\n'
            "await this.query(`TRUNCATE TABLE ${this.escapePath(table)}`);\n",
            path="src/infrastructure/order.repository.ts",
        ),
    ],
    invalid=[
        Invalid(
            "await db.query(`SELECT * FROM orders WHERE id = ${id}`);\n",
            at=[(1, 16)],
            path="src/infrastructure/order.repository.ts",
            message="SQL built with a template literal is passed to query(); use bound parameters",
        ),
        Invalid(
            'await knex.raw("delete from orders where id = " + id);\n'
            "await prisma.$queryRawUnsafe(`UPDATE orders SET total = ${total}`);\n"
            'await execute(\n  "INSERT INTO audit VALUES (\'" + user + "\')",\n);\n',
            at=[(1, 16), (2, 30), (4, 3)],
            path="src/infrastructure/order.repository.ts",
        ),
    ],
)
def sql_built_from_strings(rule: Rule, file: TsFile) -> None:
    """A template literal with substitutions, or a `+` concatenation with a
    value that is not a literal, whose text starts with an SQL keyword
    (`SELECT`, `INSERT`, `UPDATE`, `DELETE`, `WITH`, ...), passed as the
    first argument of `query`, `execute`, `raw`, `$queryRawUnsafe` or
    `$executeRawUnsafe` (a method or a function). Tagged templates
    (Prisma's `$queryRaw```, `sql```) bind their values and are not
    reported, and neither is a string whose every value is an identifier
    quoted by the database's rules (`${this.escapePath(table)}`,
    `escapeId(column)`: the catalogue's quoting functions), as for Python.
    Reported at the argument."""
    for match in file.module.facts["sql"]:
        argument, callee = match.part("argument"), match.part("callee")
        if argument is None or callee is None:
            continue
        how = _built_sql(argument)
        if how is not None:
            file.report(rule, argument, how=how, callee=f"{node_text(callee)}()")


def _built_sql(argument: Node) -> Optional[str]:
    if argument.type == "template_string":
        parts = argument.named_children
        values = [part.named_children[0] for part in parts if part.type == "template_substitution" and part.named_children]
        if not values or all(_quoted_identifier(value) for value in values):
            return None
        leading = node_text(parts[0]) if parts and parts[0].type == "string_fragment" else ""
        return "a template literal" if _starts_like_sql(leading) else None
    operands = _concatenation(argument)
    if operands is None or all(_is_literal(operand) or _quoted_identifier(operand) for operand in operands):
        return None
    first = operands[0]
    if first.type == "string" and _starts_like_sql(string_value(first)):
        return "string concatenation"
    if first.type == "template_string" and _built_sql(first) is None and _starts_like_sql(string_value(first)):
        return "string concatenation"
    return None


def _concatenation(node: Node) -> Optional[List[Node]]:
    """The operands of a chain of ``+``; None for another operator."""
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _concatenation(node.named_children[0])
    if node.type != "binary_expression":
        return [node]
    operator = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if operator is None or operator.type != "+" or left is None or right is None:
        return None
    head, tail = _concatenation(left), _concatenation(right)
    return None if head is None or tail is None else head + tail


def _quoted_identifier(node: Node) -> bool:
    """``this.escapePath(table)``, ``escapeId(column)``: an identifier
    quoted by the database's rules, which a bound parameter cannot replace."""
    if node.type != "call_expression":
        return False
    function = node.child_by_field_name("function")
    if function is not None and function.type == "member_expression":
        function = function.child_by_field_name("property")
    return function is not None and node_text(function) in _QUOTERS


_QUOTERS = frozenset(catalog.SQL_IDENTIFIER_QUOTERS + catalog.TYPESCRIPT_SQL_IDENTIFIER_QUOTERS)


def _is_literal(node: Node) -> bool:
    if node.type == "template_string":
        return not any(c.type == "template_substitution" for c in node.named_children)
    return node.type in ("string", "number")


def _starts_like_sql(text: str) -> bool:
    words = text.lstrip(" \t\r\n(").split(None, 1)
    return bool(words) and words[0].upper() in catalog.SQL_STATEMENT_KEYWORDS


@check(
    "IL703",
    valid=[
        Valid('logger.info("order placed", { id });\n', path="src/application/place-order.ts"),
        Valid('console.log("listening on", port);\n', path="src/main.ts"),
        Valid('console.log("debug");\n', path="src/application/place-order.spec.ts"),
        Valid("console.table(rows);\nconst log = console.log;\n", path="src/domain/order.ts"),
    ],
    invalid=[
        Invalid(
            'export function place(order: Order) {\n  console.log("placing", order.id);\n}\n',
            at=[(2, 3)],
            path="src/application/place-order.ts",
            message="console.log() in application code; use the logging setup",
        ),
        Invalid('console.error(err);\nconsole.debug("x");\n', at=[(1, 1), (2, 1)], path="src/infrastructure/db.js"),
    ],
)
def print_in_service_code(rule: Rule, file: TsFile) -> None:
    """`console.log/info/debug/warn/error(...)` in domain, application or
    infrastructure modules (not in composition roots such as `main.ts`,
    nor in tests). Reported at the call."""
    layer = file.ctx.layer
    for match in file.module.facts["console"]:
        method = match.part("method")
        if method is not None and layer is not None:
            file.report(rule, match.node, call=f"console.{node_text(method)}", layer=layer.name)
