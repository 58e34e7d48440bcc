"""IL101 and IL102 for TypeScript: the layer order between first-party
files, and what the core layers may import from npm."""

from __future__ import annotations

from typing import List

from infralint import catalog
from infralint.languages.typescript.checks.base import TsFile, check, package_name
from infralint.rules.base import Invalid, Rule, Valid

_INFRA_DB = {"src/infrastructure/db.ts": "export const db = {};\n"}


@check(
    "IL101",
    valid=[
        Valid('import { Order } from "../domain/order";\n', path="src/infrastructure/order.repository.ts", files={"src/domain/order.ts": ""}),
        Valid('import { db } from "../infrastructure/db";\n', path="src/main.ts", files=_INFRA_DB),
        Valid('import { Pool } from "pg";\nimport { money } from "./money";\n', path="src/domain/order.ts"),
        Valid('const text = "import { db } from \'../infrastructure/db\'";\n', path="src/domain/order.ts"),
    ],
    invalid=[
        Invalid(
            'import { db } from "../infrastructure/db";\n',
            at=[(1, 1)],
            path="src/domain/order.ts",
            files=_INFRA_DB,
            message="domain module imports infrastructure module src/infrastructure/db.ts",
        ),
        Invalid(
            'import type { Db } from "@infra/db";\nexport * from "../infrastructure/db.js";\n',
            at=[(1, 1), (2, 1)],
            path="src/domain/order.ts",
            files={**_INFRA_DB, "tsconfig.json": '{\n  // aliases\n  "compilerOptions": {"baseUrl": ".", "paths": {"@infra/*": ["src/infrastructure/*"],},},\n}\n'},
        ),
        Invalid(
            'export async function load() {\n  const { db } = await import("../infrastructure/db");\n'
            '  const legacy = require("../infrastructure/db");\n  return [db, legacy];\n}\n',
            at=[(2, 24), (3, 18)],
            path="src/application/load.js",
            files=_INFRA_DB,
        ),
    ],
)
def layer_violation(rule: Rule, file: TsFile) -> None:
    """An import of a first-party file of an outer layer: `import ... from`,
    `import "x"`, `export ... from`, `import type` (a dependency all the
    same), `import x = require()`, `import("literal")` and
    `require("literal")`. First-party means a relative specifier or one the
    nearest `tsconfig.json` / `jsconfig.json` maps (`baseUrl`, `paths`,
    through `extends`), resolved as TypeScript resolves it (`.ts`, `.tsx`,
    `.d.ts`, `.js` written for `.ts`, `/index.ts`, ...). The target's layer
    comes from its directories; the message names it relative to the
    project root. Reported at the import statement (at the call for
    `import()` and `require()`)."""
    importer = file.ctx.layer
    if importer is None:
        return
    for imported in file.module.imports:
        target = file.target(imported)
        if target is not None and target.layer is not None and target.layer.is_outer_to(importer):
            file.report(rule, imported.node, importer=importer.name, imported=target.layer.name, module=target.relative)


@check(
    "IL102",
    valid=[
        Valid('import { Pool } from "pg";\n', path="src/infrastructure/db.ts"),
        Valid('import { z } from "zod";\nimport { money } from "./pg";\n', path="src/domain/order.ts"),
        Valid('import axios from "axios";\n', path="src/domain/order.test.ts"),
    ],
    invalid=[
        Invalid(
            'import { Entity, Column } from "typeorm";\n',
            at=[(1, 1)],
            path="src/domain/order.ts",
            message="domain module imports typeorm, which talks to the outside world",
        ),
        Invalid(
            'import type { AxiosInstance } from "axios";\nconst { S3Client } = require("@aws-sdk/client-s3");\n',
            at=[(1, 1), (2, 22)],
            path="src/application/upload.ts",
        ),
    ],
)
def framework_in_core(rule: Rule, file: TsFile) -> None:
    """A domain or application module importing an npm package from the
    TypeScript catalogue (`typeorm`, `@prisma/client`, `knex`, `pg`,
    `axios`, `express`, `@aws-sdk/*`, ...), in any import form, type-only
    imports included. `extend-frameworks`, `allow` and `allow-per-layer`
    apply to these packages too (`frameworks` is Python's list). A
    specifier a tsconfig maps to a first-party file is not a package."""
    layer = file.ctx.layer
    if layer is None:
        return
    packages = list(catalog.TYPESCRIPT_FRAMEWORK_PACKAGES) + list(rule.option("extend-frameworks"))
    allowed = list(rule.option("allow")) + list(rule.option("allow-per-layer").get(layer.name, []))
    for imported in file.module.imports:
        if imported.specifier.startswith((".", "/")) or file.is_first_party(imported):
            continue
        package = package_name(imported.specifier)
        if _listed(package, packages) and not _listed(package, allowed):
            file.report(rule, imported.node, layer=layer.name, package=package)


def _listed(package: str, patterns: List[str]) -> bool:
    """``@aws-sdk/*`` names a scope's every package."""
    return any(package == p or (p.endswith("/*") and package.startswith(p[:-1])) for p in patterns)
