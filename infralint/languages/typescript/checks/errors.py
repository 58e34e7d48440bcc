"""IL303 for TypeScript: errors caught and dropped."""

from __future__ import annotations

from infralint.languages.typescript.checks.base import TsFile, check
from infralint.languages.typescript.front_end import is_empty_block, node_text
from infralint.rules.base import Invalid, Rule, Valid


@check(
    "IL303",
    valid=[
        Valid(
            "try {\n  await save(order);\n} catch (error) {\n  logger.error(error);\n  throw error;\n}\n",
            path="src/infrastructure/order.repository.ts",
        ),
        Valid("promise.catch((error) => logger.error(error));\nconst x = catcher.catch;\n", path="src/application/jobs.ts"),
        Valid("promise.catch(() => fallback);\npromise.catch(handle);\n", path="src/application/jobs.ts"),
    ],
    invalid=[
        Invalid(
            "try {\n  await save(order);\n} catch (error) {\n  // ignore\n}\n",
            at=[(3, 3)],
            path="src/infrastructure/order.repository.ts",
            message="`catch` swallows the exception",
        ),
        Invalid(
            "try { run(); } catch {}\nsend(message).catch(() => {});\nsend(message)\n  .catch(() => undefined);\n"
            "load().catch(function () {});\n",
            at=[(1, 16), (2, 15), (4, 4), (5, 8)],
            path="src/application/jobs.js",
        ),
    ],
)
def swallowed_exception(rule: Rule, file: TsFile) -> None:
    """A `catch` clause whose block is empty or holds only comments, and a
    promise's `.catch(() => {})`, `.catch(() => undefined)` or
    `.catch(function () {})`. Reported at the `catch` keyword, and at the
    `catch` of `.catch` for promises. A handler that is a name
    (`.catch(handle)`) or returns a value is not reported."""
    for match in file.module.facts["catch"]:
        body = match.part("body")
        if body is not None and is_empty_block(body):
            keyword = match.node.children[0]
            file.report(rule, keyword, clause="catch")
    for match in file.module.facts["promise.catch"]:
        handler, name = match.part("handler"), match.part("property")
        body = handler.child_by_field_name("body") if handler is not None else None
        if name is None or body is None:
            continue
        empty = is_empty_block(body) if body.type == "statement_block" else node_text(body) == "undefined"
        if empty:
            file.report(rule, name, clause=".catch()")
