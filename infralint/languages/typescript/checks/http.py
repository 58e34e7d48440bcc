"""IL403 for TypeScript: HTTP calls that can wait forever (axios without a
timeout, fetch without an abort signal)."""

from __future__ import annotations

from typing import Dict, List, Optional, Set

from infralint.languages.typescript.checks.base import TsFile, check
from infralint.languages.typescript.front_end import Captures, Node, arguments_of, node_text, object_keys
from infralint.rules.base import Invalid, Rule, Valid

_AXIOS = "axios"
# The verbs whose config is the second argument; the others take data first.
_CONFIG_SECOND = frozenset({"get", "delete", "head", "options"})
_CONFIG_FIRST = frozenset({"request"})

_HTTP_VALID = (
    'import axios from "axios";\n\n'
    "const client = axios.create({ baseURL: BASE, timeout: 5000 });\n\n"
    "export async function load(id: string) {\n"
    "  await client.get(`/orders/${id}`);\n"
    '  await axios.get("/health", { timeout: 1000 });\n'
    '  await axios.post("/orders", order, { timeout: 1000 });\n'
    "  await fetch(url, { signal: AbortSignal.timeout(5000) });\n"
    '  await fetch(url, options);\n  router.get("/orders", handler);\n'
    "}\n"
)


@check(
    "IL403",
    valid=[Valid(_HTTP_VALID, path="src/infrastructure/orders.client.ts")],
    invalid=[
        Invalid(
            'import axios from "axios";\n\nexport const load = (id: string) => axios.get(`/orders/${id}`);\n',
            at=[(3, 37)],
            path="src/infrastructure/orders.client.ts",
            message="axios.get() has no timeout and can wait forever",
        ),
        Invalid(
            'import http from "axios";\n\nclass PaymentsClient {\n  private api = http.create({ baseURL: "https://pay" });\n\n'
            '  charge(amount: number) {\n    return this.api.post("/charges", { amount });\n  }\n}\n'
            'const api = http.create();\nexport const ping = () => Promise.all([api.get("/ping"), axios({ url: "/x" })]);\n',
            at=[(7, 12), (11, 40), (11, 58)],
            path="src/infrastructure/payments.client.ts",
        ),
        Invalid(
            'export async function load() {\n  const a = await fetch("/orders");\n'
            '  return fetch("/orders", { method: "POST" });\n}\n',
            at=[(2, 19), (3, 10)],
            path="src/infrastructure/orders.client.js",
            message="fetch() passes no signal",
        ),
    ],
)
def http_without_timeout(rule: Rule, file: TsFile) -> None:
    """`axios.get/post/put/patch/delete/head/options/request(...)` and
    `axios(...)` whose config has no `timeout`, on `axios` itself (the
    methods under any name it is imported as; a direct call under the name
    `axios`) or on an instance from `axios.create(...)`
    without a `timeout` (a variable, a class field or `this.field`);
    `fetch(url)` and `fetch(url, init)` whose init object has no `signal`.
    A config or init that is not an object literal, or spreads one, may
    hold the option and is not reported; neither are calls on receivers
    that are not axios (`router.get(...)`). Reported at the call."""
    axios_names = _axios_names(file)
    instances = _instances(file, axios_names)
    for match in file.module.facts["call.plain"]:
        callee = node_text(match.part("callee") or match.node)
        arguments = arguments_of(match.part("arguments") or match.node)
        if callee in axios_names:
            config = arguments[-1] if arguments else None
            if len(arguments) == 1 and arguments[0].type != "object":
                config = None  # axios(url)
            if _lacks(config, "timeout"):
                file.report(rule, match.node, call=callee, problem="has no timeout")
        elif callee == "fetch" and (len(arguments) == 1 or (len(arguments) == 2 and _lacks(arguments[1], "signal"))):
            file.report(rule, match.node, call=callee, problem="passes no signal")
    for match in file.module.facts["call.method"]:
        receiver, verb = match.part("receiver"), match.part("verb")
        if receiver is None or verb is None:
            continue
        name, method = node_text(receiver), node_text(verb)
        if name not in axios_names and not instances.get(name, False):
            continue  # not axios, or an instance created with a timeout
        arguments = arguments_of(match.part("arguments") or match.node)
        index = 0 if method in _CONFIG_FIRST else 1 if method in _CONFIG_SECOND else 2
        config = arguments[index] if index < len(arguments) else None
        if _lacks(config, "timeout"):
            file.report(rule, match.node, call=f"{name}.{method}", problem="has no timeout")


def _lacks(config: Optional[Node], key: str) -> bool:
    """Whether a config argument certainly has no ``key``: absent, or an
    object literal without it (anything else may hold it)."""
    if config is None:
        return True
    keys = object_keys(config)
    return keys is not None and key not in keys


def _axios_names(file: TsFile) -> Set[str]:
    """The names axios is bound to: default, namespace and `default as`
    imports, `require("axios")`; the bare name `axios` too (a global)."""
    names = {_AXIOS}
    for imported in file.module.imports:
        if imported.specifier != _AXIOS:
            continue
        names.update(_bound_names(imported.node))
    return names


def _bound_names(node: Node) -> List[str]:
    """The names an import statement or a `const x = require()` binds to
    the module itself (not to its named exports)."""
    if node.type == "import_statement":
        found = []
        for clause in node.named_children:
            if clause.type == "import_require_clause":
                found.extend(node_text(c) for c in clause.named_children if c.type == "identifier")
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    found.append(node_text(part))
                elif part.type == "namespace_import":
                    found.extend(node_text(c) for c in part.named_children if c.type == "identifier")
                elif part.type == "named_imports":
                    for specifier in part.named_children:
                        name, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
                        if name is not None and node_text(name) == "default":
                            found.append(node_text(alias or name))
        return found
    parent = node.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            return [node_text(name)]
    return []


def _instances(file: TsFile, axios_names: Set[str]) -> Dict[str, bool]:
    """Receiver text (`client`, `this.client`) -> whether the instance
    `axios.create(...)` made there certainly has no timeout."""
    found: Dict[str, bool] = {}
    for match in file.module.facts["instance"]:
        factory = match.part("factory")
        if factory is None or node_text(factory) not in axios_names:
            continue
        receiver = _instance_receiver(match)
        if receiver is None:
            continue
        arguments = arguments_of(match.part("arguments") or match.node)
        found[receiver] = _lacks(arguments[0] if arguments else None, "timeout")
    return found


def _instance_receiver(match: Captures) -> Optional[str]:
    name, field = match.part("name"), match.part("field")
    if name is not None:
        return node_text(name)
    if field is not None:
        return "this." + node_text(field)
    return None
