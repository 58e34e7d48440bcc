"""IL4: connections and resources — created once and reused, HTTP sent
through sessions with timeouts, resources released on every path."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Collection, Dict, FrozenSet, List, Optional, Set, Tuple

from infralint import catalog
from infralint.bindings import FUNCTION_TYPES, Function
from infralint.findings import Applicability, Edit, Fix
from infralint.model import ModuleModel
from infralint.nodes import child_fields
from infralint.rules.base import ALL_CODE, FixAvailability, Invalid, Rule, Valid
from infralint.rules.common import decorator_names, source_text
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

if TYPE_CHECKING:
    from infralint.context import FileContext

Position = Tuple[int, int]

_NESTED_SCOPES = FUNCTION_TYPES + (ast.ClassDef,)
# ``try`` / ``except*`` (3.11+) statements alike.
_TRY_TYPES: Tuple[type, ...] = (ast.Try,) + (
    (ast.TryStar,) if hasattr(ast, "TryStar") else ()  # type: ignore[attr-defined]
)
# Parents through which a value is used up without being kept anywhere.
_CONSUMING_PARENTS = (
    ast.Expr,
    ast.If,
    ast.While,
    ast.For,
    ast.AsyncFor,
    ast.comprehension,
    ast.Assert,
    ast.Compare,
    ast.BinOp,
    ast.UnaryOp,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Slice,
    ast.Delete,
)
# Parents that hold the value inside a bigger value, which may travel on.
_CONTAINER_PARENTS = (
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.Starred,
    ast.ListComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.DictComp,
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# Builtins that only look at their arguments and keep none of them.
_DATA_BUILTINS = frozenset(
    f"builtins.{name}"
    for name in (
        "len", "str", "repr", "int", "float", "bool", "bytes",
        "isinstance", "hash", "id", "print", "format", "type", "callable",
    )
)
_HTTP_FUNCTIONS = frozenset(catalog.HTTP_FUNCTIONS)
_RESOURCE_OPENERS = frozenset(catalog.RESOURCE_OPENERS)
_CONNECTION_CONSTRUCTORS = frozenset(catalog.CONNECTION_CONSTRUCTORS)
_SESSION_OF = {"requests": "requests.Session", "httpx": "httpx.Client"}
# requests' Session.request(method, url, params, data, headers, cookies,
# files, auth, timeout, ...) is the one request API with a positional timeout.
_SESSION_REQUEST_TIMEOUT_INDEX = 8


# Where values go inside one function -----------------------------------------
class FunctionFlow:
    """How values travel inside one function (its own scope, not nested
    functions): the parent of each node, the uses of each local name, the
    names it binds, declares global/nonlocal, or shares with nested scopes,
    and its ``finally`` blocks. Flow-insensitive on purpose: every use of a
    name counts, wherever it is."""

    def __init__(self, function: Function, model: ModuleModel) -> None:
        self.function = function
        self.model = model
        self.parents: Dict[int, ast.AST] = {}
        self.loads: Dict[str, List[ast.Name]] = {}
        arguments = function.args
        every_argument = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
        self.parameters: Set[str] = {a.arg for a in every_argument}
        self.parameters.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
        self.bound: Set[str] = set(self.parameters)
        self.outer: Set[str] = set()
        self.captured: Set[str] = set()
        self.finally_blocks: List[List[ast.stmt]] = []
        body: List[ast.AST] = [function.body] if isinstance(function, ast.Lambda) else list(function.body)
        parents = self.parents
        for node in body:
            parents[id(node)] = function
        # Hot (a flow per function that makes a request): `child_fields`
        # instead of `ast.iter_child_nodes`, which also yields the
        # expression contexts and operators no question here asks about.
        pending = body
        pop, push = pending.pop, pending.append
        node_class = ast.AST
        while pending:
            node = pop()
            cls = node.__class__
            if cls is ast.Name:
                if node.ctx.__class__ is ast.Load:  # type: ignore[attr-defined]
                    self.loads.setdefault(node.id, []).append(node)  # type: ignore[attr-defined]
                else:
                    self.bound.add(node.id)  # type: ignore[attr-defined]
                continue  # nothing under a name
            if isinstance(node, _NESTED_SCOPES):
                # What a nested scope mentions may outlive the call (a closure).
                if not isinstance(node, ast.Lambda):
                    self.bound.add(node.name)
                self.captured.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
                continue
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                self.outer.update(node.names)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.bound.add(node.name)
            elif isinstance(node, _TRY_TYPES) and node.finalbody:  # type: ignore[attr-defined]
                self.finally_blocks.append(node.finalbody)  # type: ignore[attr-defined]
            for name in child_fields(cls):
                value = getattr(node, name, None)
                if value.__class__ is list:
                    for child in value:
                        if isinstance(child, node_class):
                            parents[id(child)] = node
                            push(child)
                elif isinstance(value, node_class):
                    parents[id(value)] = node
                    push(value)

    def escapes(self, node: ast.AST, seen: Optional[Set[str]] = None) -> bool:
        """Whether the value of ``node`` may outlive the call: it (or an
        object derived from it that keeps it, see `HOLDING_METHODS`) is
        returned, yielded, raised, stored anywhere but in a local name,
        captured by a nested function, passed to a method of another object,
        or passed to a function whose result escapes or is thrown away (the
        callee may keep it). Unknown places count as escaping: silence is
        the safe answer."""
        seen = set() if seen is None else seen
        current = node
        while True:
            parent = self.parents.get(id(current))
            if parent is None or parent is self.function:
                # The body of a lambda is its return value.
                return True
            if isinstance(parent, (ast.Await, ast.keyword)) or isinstance(parent, _CONTAINER_PARENTS):
                current = parent
            elif isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom, ast.Raise, ast.Lambda)):
                return True
            elif isinstance(parent, (ast.BoolOp, ast.IfExp)):
                if isinstance(parent, ast.IfExp) and current is parent.test:
                    return False
                if self._is_fallback(parent, current):
                    return True
                current = parent
            elif isinstance(parent, ast.NamedExpr):
                if self._stored_in(parent.target, seen):
                    return True
                current = parent
            elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if current is not parent.value or isinstance(parent, ast.AugAssign):
                    return True
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                return any(self._stored_in(target, seen) for target in targets)
            elif isinstance(parent, ast.withitem):
                if current is not parent.context_expr:
                    return True
                return parent.optional_vars is not None and self._stored_in(parent.optional_vars, seen)
            elif isinstance(parent, ast.Attribute):
                if not isinstance(parent.ctx, ast.Load):
                    return False  # `conn.echo = True` sets something on it
                grandparent = self.parents.get(id(parent))
                if isinstance(grandparent, ast.Call) and grandparent.func is parent:
                    if not _holds_receiver(parent.attr):
                        return False  # `redis.get(key)` gives data, not the client
                    current = grandparent
                else:
                    current = parent  # `client.shop`, `engine.dispose`: still it
            elif isinstance(parent, ast.Subscript):
                if current is not parent.value:
                    # Used as a key: `seen[conn] = 1` keeps it, `rows[conn]` does not.
                    return not isinstance(parent.ctx, ast.Load)
                if not isinstance(parent.ctx, ast.Load):
                    return False
                current = parent  # `mongo["shop"]` keeps the client
            elif isinstance(parent, ast.Call):
                if current is not parent.func:
                    if self.model.resolve(parent.func) in _DATA_BUILTINS:
                        return False  # `len(rows)`, `print(conn)`: looked at, not kept
                    if self._is_method(parent) or _discarded(parent, self.parents):
                        return True
                current = parent  # calling it, or the result of a call it was passed to
            elif isinstance(parent, _CONSUMING_PARENTS):
                return False
            else:
                return True

    def name_escapes(self, name: str, seen: Optional[Set[str]] = None) -> bool:
        """Whether the object held by the local ``name`` may outlive the call."""
        seen = set() if seen is None else seen
        if name in seen:
            return False
        seen.add(name)
        if name in self.outer or name in self.captured:
            return True
        return any(self.escapes(use, seen) for use in self.loads.get(name, ()))

    def used_in_loop(self, name: str) -> bool:
        """A use of ``name`` that runs once per iteration: in the body of a
        ``for`` / ``while`` (or a ``while`` test), or in a comprehension
        other than its first iterable."""
        for use in self.loads.get(name, ()):
            current: ast.AST = use
            parent = self.parents.get(id(current))
            while parent is not None and parent is not self.function:
                if isinstance(parent, (ast.For, ast.AsyncFor)) and any(current is s for s in parent.body):
                    return True
                if isinstance(parent, ast.While) and (current is parent.test or any(current is s for s in parent.body)):
                    return True
                if isinstance(parent, ast.comprehension) and current is not parent.iter:
                    return True
                if isinstance(parent, _COMPREHENSIONS) and current is not parent.generators[0]:
                    return True
                current, parent = parent, self.parents.get(id(parent))
        return False

    def context_managed(self, name: str) -> bool:
        """``with name:``, ``async with name as x:`` or ``with closing(name):``."""
        for use in self.loads.get(name, ()):
            parent = self.parents.get(id(use))
            if isinstance(parent, ast.Call) and use in parent.args:
                parent = self.parents.get(id(parent)) if _is_context(parent, self.parents) else None
            if isinstance(parent, ast.withitem):
                return True
        return False

    def released_in_finally(self, name: str) -> bool:
        """``name.close()`` (or another release method) in a ``finally`` block."""
        for block in self.finally_blocks:
            for statement in block:
                for node in ast.walk(statement):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in catalog.RELEASE_METHODS
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == name
                    ):
                        return True
        return False

    def _stored_in(self, target: ast.AST, seen: Set[str]) -> bool:
        if not isinstance(target, ast.Name):
            return True  # an attribute, an item, an unpacking: kept elsewhere
        if target.id in self.parameters:
            return True  # `engine = create_engine(...)` over a parameter: a fallback default
        return self.name_escapes(target.id, seen)

    def _is_fallback(self, parent: ast.AST, current: ast.AST) -> bool:
        """``engine or create_engine(url)`` with ``engine`` a parameter: a
        default for an injected object."""
        if isinstance(parent, ast.BoolOp):
            others = parent.values
        else:
            others = [parent.test, parent.body, parent.orelse]  # type: ignore[attr-defined]
        for other in others:
            if other is current:
                continue
            for node in ast.walk(other):
                if isinstance(node, ast.Name) and node.id in self.parameters:
                    return True
        return False

    def _is_method(self, call: ast.Call) -> bool:
        """A method of some object (`registry.append(conn)`, `cache.setdefault(k, conn)`),
        as opposed to a function or class reached through a name or an import
        (`closing(conn)`, `pd.read_sql(q, engine)`)."""
        return isinstance(call.func, ast.Attribute) and self.model.resolve(call.func) is None


def _holds_receiver(method: str) -> bool:
    return method in catalog.HOLDING_METHODS or method[:1].isupper()


def _discarded(call: ast.Call, parents: Dict[int, ast.AST]) -> bool:
    """``register(conn)`` as a statement: called for what it does with it."""
    parent = parents.get(id(call))
    while isinstance(parent, ast.Await):
        parent = parents.get(id(parent))
    return isinstance(parent, ast.Expr)


def _is_context(call: ast.Call, parents: Dict[int, ast.AST]) -> bool:
    parent = parents.get(id(call))
    return isinstance(parent, ast.withitem) and parent.context_expr is call


class _Scopes:
    """One rule's view of a file's functions: a `FunctionFlow` per
    function, and name resolution that respects local shadowing."""

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        # Shared by the rules of the file: a flow is built once per function.
        self._flows: Dict[int, FunctionFlow] = ctx.shared("connections.flows", dict)
        self._module_names: Optional[FrozenSet[str]] = None

    def flow(self, function: Function) -> FunctionFlow:
        key = id(function)
        if key not in self._flows:
            self._flows[key] = FunctionFlow(function, self.ctx.model)
        return self._flows[key]

    def resolve(self, expression: ast.AST, wanted: Collection[str]) -> Optional[str]:
        """The qualified name through imports when it is one of ``wanted``;
        None otherwise, or when the base name is a parameter or local of an
        enclosing function (``def f(requests):``), or a builtin redefined at
        module level (``open = gzip.open``)."""
        qualified = self.ctx.model.resolve(expression)
        if qualified is None or qualified not in wanted:
            return None
        base = expression
        while isinstance(base, ast.Attribute):
            base = base.value
        name = base.id  # type: ignore[attr-defined]
        for ancestor in self.ctx.ancestors:
            if isinstance(ancestor, FUNCTION_TYPES) and name in self.flow(ancestor).bound:
                return None
        if qualified.startswith("builtins.") and name in self.module_names:
            return None
        return qualified

    @property
    def module_names(self) -> FrozenSet[str]:
        if self._module_names is None:
            names = set(self.ctx.bindings.module_values)
            for statement in self.ctx.tree.body if self.ctx.tree is not None else ():
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(statement.name)
            self._module_names = frozenset(names)
        return self._module_names


def enclosing_body_function(
    ancestors: List[ast.AST], node: ast.AST
) -> Optional[Tuple[Function, Optional[ast.ClassDef]]]:
    """The innermost function whose body holds ``node`` and the class it is
    a method of; None at module level, in a class body, or in a function's
    decorators, defaults and annotations (evaluated once, at definition)."""
    for index in range(len(ancestors) - 1, -1, -1):
        ancestor = ancestors[index]
        if isinstance(ancestor, ast.ClassDef):
            return None
        if isinstance(ancestor, FUNCTION_TYPES):
            child = ancestors[index + 1] if index + 1 < len(ancestors) else node
            body = [ancestor.body] if isinstance(ancestor, ast.Lambda) else ancestor.body
            if not any(child is statement for statement in body):
                return None
            owner = ancestors[index - 1] if index > 0 else None
            return ancestor, owner if isinstance(owner, ast.ClassDef) else None
    return None


def _function_label(function: Function, owner: Optional[ast.ClassDef]) -> str:
    if isinstance(function, ast.Lambda):
        return "a lambda"
    return f"{owner.name}.{function.name}()" if owner is not None else f"{function.name}()"


def _kind(constructor: str) -> str:
    """What a constructor makes, for the message: engine, pool, session,
    connection or client."""
    last = constructor.rsplit(".", 1)[-1].lower()
    for word in ("engine", "pool", "session"):
        if word in last:
            return word
    if "connect" in last:
        return "connection"
    return "client"


# Rules -------------------------------------------------------------------------
class PerCallConnection(Rule):
    """## What it does
    Reports a connection, engine, pool or client created inside a function
    that lives only for that call: `sqlalchemy.create_engine`,
    `create_async_engine`, `psycopg2.connect`, `psycopg.connect`,
    `asyncpg.connect` / `create_pool`, `pymysql.connect`, `redis.Redis`,
    `pymongo.MongoClient`, `boto3.client` / `resource` / `Session`,
    `httpx.Client` / `AsyncClient`, `aiohttp.ClientSession`,
    `requests.Session`, `elasticsearch.Elasticsearch`,
    `pika.BlockingConnection`, `smtplib.SMTP` and the others of the
    catalogue. Calls are recognised through imports and aliases
    (`from sqlalchemy import create_engine as ce`); a name that a parameter
    or local variable shadows is not the library's.

    The object lives only for the call when it is assigned to a local name,
    used in a `with` / `async with`, or used inline
    (`redis.Redis(...).get(key)`), and it does not *escape*. It escapes when
    it, or an object that keeps it, is:

    - returned or yielded (the function is a factory or a provider,
      whatever its name), or raised;
    - stored anywhere but in a local name: on `self` / `cls` (also
      `self.x = local`), on any other object, in a global or nonlocal
      name, in a container or a cache (`CACHE[key] = conn`), or assigned
      over a parameter (`engine = engine or create_engine(url)` is a
      fallback for an injected object);
    - passed to a method of another object (`registry.append(conn)`,
      `cache.setdefault(key, conn)`, `stack.enter_context(conn)`), which
      may keep it;
    - passed to a function or class whose result escapes
      (`return Session(bind=engine)`) or is thrown away (`register(conn)`
      as a statement is called for what it does with the object);
    - used by a nested function or lambda (a closure may outlive the call).

    Objects that keep the one they come from are the results of attribute
    access, subscripts (`mongo["shop"]`) and of the methods that hand out
    a dependent object (`client`, `resource`, `connect`, `cursor`,
    `acquire`, `pipeline`, ..., and capitalised ones such as
    `s3.Bucket(...)`); any other method call gives plain data, so
    `return redis.Redis().get(key)` is reported.

    An object bound to a name that the function uses in a loop (the body
    of a `for` / `while`, or a comprehension:
    `asyncio.gather(*(client.get(u) for u in urls))`) is not reported
    either: the function is a batch, and the connection is reused within
    it — `with requests.Session() as s:` around a loop is the documented
    way to do that.

    Also not reported: creation at module level or in a class body, in
    default values and decorators (evaluated once), in functions decorated
    with a cache (`functools.cache`, `lru_cache`, `cached_property`,
    `cachetools.cached`, `alru_cache`) or a provider decorator
    (`contextmanager`, `asynccontextmanager`, `pytest.fixture`, `injector`
    providers), and in functions that run once per process (`main`, `async_main`,
    `setup`, `startup`, `on_startup`).

    ## Why is this bad?
    Creating a connection costs a TCP (and often TLS and authentication)
    handshake, and an engine, pool or client owns a connection pool. Made
    on every call, the pool is thrown away after one use: every request
    pays the handshakes, the database sees a storm of short connections,
    and under load the service runs out of sockets or connection slots.
    Create the object once — at module level, in `__init__`, in a cached
    factory or a DI provider — and reuse it.

    ## Options
    - `extend-constructors`: qualified names of more constructors, e.g.
      `["shop.infrastructure.db.make_engine"]`.
    """

    code = "IL401"
    name = "per-call-connection"
    message = (
        "{constructor}() creates a new {kind} on every call of {function}; "
        "create it once (module level, __init__ or a cached factory) and reuse it"
    )
    applies_to = ALL_CODE
    options = {"extend-constructors": []}
    # A constructor is only recognised through an import naming its package;
    # `begin` adds the packages of `extend-constructors` (the engine reads the
    # triggers after `begin`).
    visit_triggers: Tuple[str, ...] = tuple(dict.fromkeys(c.split(".", 1)[0] for c in catalog.CONNECTION_CONSTRUCTORS))
    VALID = [
        Valid(
            "from sqlalchemy import create_engine, text\n\nengine = create_engine('postgresql://db/shop')\n\n\n"
            "def get_user(user_id):\n    with engine.connect() as conn:\n"
            "        return conn.execute(text('select 1')).one()\n"
        ),
        Valid(
            "import httpx\n\n\ndef make_client():\n    client = httpx.Client(base_url='https://api')\n"
            "    return client\n"
        ),
        Valid(
            "import redis\n\n\nclass Cache:\n    def __init__(self, url):\n"
            "        self.redis = redis.Redis.from_url(url)\n\n"
            "    def get(self, key):\n        return self.redis.get(key)\n"
        ),
        Valid(
            "from functools import lru_cache\n\nimport boto3\n\n\n@lru_cache(maxsize=None)\ndef s3():\n"
            "    return boto3.client('s3')\n"
        ),
        Valid(
            "from contextlib import contextmanager\n\nimport psycopg2\n\n\n@contextmanager\ndef connection(dsn):\n"
            "    conn = psycopg2.connect(dsn)\n    try:\n        yield conn\n    finally:\n        conn.close()\n"
        ),
        Valid(
            "import redis\n\n\ndef test_cache():\n    client = redis.Redis()\n    assert client.ping()\n",
            path="tests/test_cache.py",
        ),
        Valid(
            "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\n\n\n"
            "def session_for(url):\n    engine = create_engine(url)\n    return Session(bind=engine)\n"
        ),
        Valid(
            "import sqlalchemy\n\n_engines = {}\n\n\ndef engine_for(url):\n    if url not in _engines:\n"
            "        _engines[url] = sqlalchemy.create_engine(url)\n    return _engines[url].connect()\n"
        ),
        Valid(
            "import asyncpg\n\n_pool = None\n\n\nasync def init(dsn):\n    global _pool\n"
            "    _pool = await asyncpg.create_pool(dsn)\n"
        ),
        Valid(
            "import redis\n\n\nclass Cache:\n    client = redis.Redis()\n\n"
            "    def get(self, key, fallback=redis.Redis()):\n"
            "        return self.client.get(key)\n"
        ),
        Valid(
            "from sqlalchemy import create_engine, text\n\n\ndef count(sql, engine=None):\n"
            "    engine = engine or create_engine('sqlite://')\n    return engine.execute(text(sql))\n"
        ),
        Valid(
            "import requests\n\n\ndef main():\n    session = requests.Session()\n"
            "    session.get('https://api', timeout=5)\n"
        ),
        # asyncio's entry point, as SQLAlchemy's examples name it.
        Valid(
            "import asyncio\n\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\n\n"
            "async def async_main():\n    engine = create_async_engine('postgresql+asyncpg://db/shop')\n"
            "    await engine.dispose()\n\n\nasyncio.run(async_main())\n"
        ),
        Valid("import redis\n\n\ndef fetch(redis, key):\n    return redis.Redis().get(key)\n"),
        Valid(
            "import asyncio\n\nimport httpx\n\n\nasync def fetch_all(urls):\n"
            "    async with httpx.AsyncClient() as client:\n"
            "        return await asyncio.gather(*(client.get(url) for url in urls))\n"
        ),
    ]
    INVALID = [
        Invalid(
            "from sqlalchemy import create_engine as ce, text\n\n\ndef get_user(user_id):\n"
            "    engine = ce('postgresql://db/shop')\n    with engine.connect() as conn:\n"
            "        return conn.execute(text('select 1')).one()\n",
            at=[(5, 14)],
            message=(
                "sqlalchemy.create_engine() creates a new engine on every call of get_user(); "
                "create it once (module level, __init__ or a cached factory) and reuse it"
            ),
        ),
        Invalid(
            "import redis\n\n\ndef cached(key):\n    return redis.Redis(host='cache').get(key)\n",
            at=[(5, 12)],
            message="redis.Redis() creates a new client on every call of cached()",
        ),
        Invalid(
            "import httpx\n\n\nclass PaymentsClient:\n    async def charge(self, amount):\n"
            "        async with httpx.AsyncClient(\n            base_url='https://pay',\n        ) as client:\n"
            "            response = await client.post('/charges', json={'amount': amount})\n"
            "            return response.json()\n",
            at=[(6, 20)],
            message="httpx.AsyncClient() creates a new client on every call of PaymentsClient.charge()",
        ),
        Invalid(
            "import psycopg2\n\n\ndef handler(event):\n    def load(order_id):\n"
            "        with psycopg2.connect('dbname=shop') as conn:\n            cur = conn.cursor()\n"
            "            cur.execute('select 1')\n            return cur.fetchone()\n    return load(event['id'])\n",
            at=[(6, 14)],
            message="psycopg2.connect() creates a new connection on every call of load()",
        ),
        Invalid(
            "import asyncpg\n\n\nasync def count(dsn):\n    pool = await asyncpg.create_pool(dsn)\n"
            "    async with pool.acquire() as conn:\n"
            "        total = await conn.fetchval('select count(*) from orders')\n"
            "    await pool.close()\n    return total\n",
            at=[(5, 18)],
            message="asyncpg.create_pool() creates a new pool on every call of count()",
        ),
        Invalid(
            "import boto3\n\n\ndef upload(path):\n    s3 = boto3.resource('s3')\n"
            "    s3.Bucket('orders').upload_file(path, 'key')\n",
            at=[(5, 10)],
        ),
        Invalid(
            "from pymongo import MongoClient\n\n\ndef find(order_id):\n    db = MongoClient('mongodb://db')['shop']\n"
            "    return db.orders.find_one({'_id': order_id})\n",
            at=[(5, 10)],
            message="pymongo.MongoClient() creates a new client on every call of find()",
        ),
    ]

    def begin(self) -> None:
        extra = tuple(self.option("extend-constructors"))
        self._constructors = frozenset(catalog.CONNECTION_CONSTRUCTORS + extra)
        packages = tuple(dict.fromkeys(constructor.split(".", 1)[0] for constructor in self._constructors))
        # The class-level triggers cannot know configured constructors.
        self.visit_triggers = packages
        # Only a module importing one of the packages can call a constructor.
        self.wants_traversal = self.ctx.tree is not None and self.ctx.model.imports_any(packages)
        self._scopes = _Scopes(self.ctx)

    def visit_Call(self, node: ast.Call) -> None:
        constructor = self._scopes.resolve(node.func, self._constructors)
        if constructor is None:
            return
        found = enclosing_body_function(self.ctx.ancestors, node)
        if found is None:
            return
        function, owner = found
        flow = self._scopes.flow(function)
        if self._outlives_calls(function) or flow.escapes(node) or self._batch(flow, node):
            return
        self.report(node, constructor=constructor, kind=_kind(constructor), function=_function_label(function, owner))

    def _batch(self, flow: FunctionFlow, node: ast.Call) -> bool:
        """The object is named (``client = ...``, ``with ... as client``)
        and that name is used in a loop: the call is a batch that reuses
        the connection."""
        parent = flow.parents.get(id(node))
        while isinstance(parent, ast.Await):
            parent = flow.parents.get(id(parent))
        if isinstance(parent, ast.withitem):
            target = parent.optional_vars
        elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            target = targets[0] if len(targets) == 1 else None
        else:
            target = None
        return isinstance(target, ast.Name) and flow.used_in_loop(target.id)

    def _outlives_calls(self, function: Function) -> bool:
        """Cached functions, providers and run-once functions make their
        objects once, or hand them to a container."""
        if isinstance(function, ast.Lambda):
            return False
        if function.name in catalog.RUN_ONCE_FUNCTIONS:
            return True
        keeping = catalog.CACHING_DECORATORS + catalog.PROVIDER_DECORATORS
        return any(name in keeping for name in decorator_names(self.ctx, function))


class HttpWithoutSession(Rule):
    """## What it does
    Reports a call to a module-level HTTP function: `requests.get`, `post`,
    `put`, `patch`, `delete`, `head`, `options`, `request`, and the same of
    `httpx` plus `httpx.stream` — through aliases (`import requests as r`)
    and from-imports (`from requests import get`). Module level and
    functions alike; a name that a parameter or local variable shadows is
    not the library's.

    ## Why is this bad?
    Each such call builds a throw-away session: a new TCP connection, and a
    new TLS handshake for HTTPS, for every request, with no connection
    pool and no shared configuration (headers, retries, timeouts). A
    `requests.Session` or an `httpx.Client` created once and reused keeps
    connections alive and is the single place to configure them.
    """

    code = "IL402"
    name = "http-without-session"
    message = (
        "{function}() opens a new connection for every request; "
        "send requests through a {client} created once and reused"
    )
    applies_to = ALL_CODE
    visit_triggers = ("requests", "httpx")
    VALID = [
        Valid(
            "import requests\n\nsession = requests.Session()\n\n\ndef fetch(url):\n"
            "    return session.get(url, timeout=5)\n"
        ),
        Valid("import httpx\n\n\nasync def fetch(client: httpx.AsyncClient, url):\n    return await client.get(url)\n"),
        Valid("import requests\n\n\ndef fetch(url):\n    requests = Client()\n    return requests.get(url)\n"),
        Valid("from shop.infrastructure import http\n\n\ndef fetch(url):\n    return http.get(url)\n"),
        Valid(
            "import requests\n\n\ndef test_health():\n    assert requests.get('http://localhost').ok\n",
            path="tests/test_api.py",
        ),
        Valid("import requests\n\nstatus = requests.codes.ok\n"),
    ]
    INVALID = [
        Invalid(
            "import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n",
            at=[(5, 12)],
            message=(
                "requests.get() opens a new connection for every request; "
                "send requests through a requests.Session created once and reused"
            ),
        ),
        Invalid(
            "import httpx as h\n\n\nasync def notify(payload):\n    h.post('https://hooks', json=payload)\n",
            at=[(5, 5)],
            message="httpx.post() opens a new connection for every request; send requests through a httpx.AsyncClient",
        ),
        Invalid(
            "from requests import get as fetch\n\nBODY = fetch('https://config', timeout=3).json()\n",
            at=[(3, 8)],
        ),
        Invalid(
            "import requests\n\n\nclass Gateway:\n    def send(self, url, body):\n        return requests.request(\n"
            "            'POST',\n            url,\n            json=body,\n            timeout=5,\n        )\n",
            at=[(6, 16)],
            message="requests.request() opens a new connection",
        ),
        Invalid(
            "import httpx\n\n\ndef download(url):\n    with httpx.stream('GET', url) as response:\n"
            "        return response.read()\n",
            at=[(5, 10)],
        ),
    ]

    def begin(self) -> None:
        self._scopes = _Scopes(self.ctx)

    def visit_Call(self, node: ast.Call) -> None:
        function = self._scopes.resolve(node.func, _HTTP_FUNCTIONS)
        if function is None:
            return
        library = function.split(".", 1)[0]
        client = _SESSION_OF.get(library, "session")
        if library == "httpx" and isinstance(self.ctx.enclosing_function(), ast.AsyncFunctionDef):
            client = "httpx.AsyncClient"
        self.report(node, function=function, client=client)


class HttpWithoutTimeout(Rule):
    """## What it does
    Reports an HTTP request that can wait forever:

    - a `requests` request without a `timeout=` argument: a module
      function (`requests.get(url)`, aliases and from-imports included) or
      a request method (`get`, `post`, ..., `request`, `send`) of a
      `requests.Session` / `requests.session()` object that the module
      created (in a local or module-level name, a `with` target, an
      attribute of `self`, or returned by a module-level factory), that a
      first-party module it imports created, or that is passed in with
      its type annotated (`def __init__(self, session: requests.Session)`
      then `self.session.get(url)`; `Optional[...]` too);
    - an `httpx` request (module function, or method of an `httpx.Client`
      / `AsyncClient` known the same ways) that passes `timeout=None`
      (or `httpx.Timeout(None)`), or that passes no timeout while its
      client was created with `timeout=None`. httpx has a 5-second default,
      so other httpx calls are fine.

    Not reported: a call with `**kwargs` (the timeout may be in there), a
    `requests` call that says `timeout=None` (an explicit, visible choice of
    requests' own default), `Session.request` with the timeout given by
    position, and session methods in a module that mounts transport
    adapters (`session.mount(...)`): an adapter commonly sets a default
    timeout. Objects that a request returns (`response.json().get(...)`)
    are not clients.

    ## Why is this bad?
    `requests` has no default timeout: a server that accepts the connection
    and never answers blocks the worker thread forever. Under load every
    worker ends up stuck on the slow dependency, and the service stops
    answering even requests that do not need it.

    ## Fix safety
    For a `requests` call without a timeout, the fix adds
    `timeout=<default-timeout>` as the last argument (keeping a trailing
    comma and the one-argument-per-line layout). It is unsafe: a request
    that used to wait longer than the timeout now raises
    `requests.Timeout`, which the caller may not handle. Calls that pass
    `timeout=None` to httpx have no fix: the right value is for a human to
    choose.

    ## Options
    - `default-timeout`: the timeout the fix adds, in seconds (default 10).
    """

    code = "IL403"
    languages = PYTHON_AND_TYPESCRIPT
    name = "http-without-timeout"
    message = "{call}() {problem} and can wait forever for a server that does not answer"
    fix_title = "Add a `timeout=` argument"
    applies_to = ALL_CODE
    fix_availability = FixAvailability.SOMETIMES
    options = {"default-timeout": 10.0}
    # A session imported from a first-party module may be the only trace:
    # its usual names are triggers too.
    visit_triggers = ("requests", "httpx", "session", "Session", "client", "Client")
    VALID = [
        Valid("import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n"),
        Valid("import httpx\n\n\ndef fetch(url):\n    return httpx.get(url)\n"),
        Valid(
            "import requests\n\nsession = requests.Session()\n\n\ndef fetch(url, **options):\n"
            "    data = session.get(url, timeout=(3, 10)).json()\n    options.get('x')\n"
            "    return data.get('items'), requests.get(url, **options)\n"
        ),
        Valid(
            "import httpx\n\nclient = httpx.Client(timeout=None)\n\n\ndef fetch(url):\n"
            "    return client.get(url, timeout=5)\n"
        ),
        Valid(
            "import requests\nfrom requests.adapters import HTTPAdapter\n\n\nclass TimeoutAdapter(HTTPAdapter):\n"
            "    pass\n\n\nsession = requests.Session()\nsession.mount('https://', TimeoutAdapter())\n\n\n"
            "def fetch(url):\n    return session.get(url)\n"
        ),
        Valid("def fetch(session, url):\n    return session.get(url)\n"),
        Valid(
            "import httpx\n\n\nclass Api:\n    def __init__(self, client: httpx.AsyncClient) -> None:\n"
            "        self.client = client\n\n    async def orders(self):\n"
            "        return (await self.client.get('https://api/orders')).json()\n"
        ),
        Valid("import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=None)\n"),
        Valid(
            "import requests\n\n\ndef test_fetch():\n    requests.get('http://localhost')\n",
            path="tests/test_api.py",
        ),
    ]
    INVALID = [
        Invalid(
            "import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n",
            at=[(5, 12)],
            message="requests.get() has no timeout and can wait forever for a server that does not answer",
            fixed="import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=10)\n",
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "from requests import post as send\n\n\ndef notify(url, body):\n"
            "    send(\n        url,\n        json=body,\n    )\n",
            at=[(5, 5)],
            message="requests.post() has no timeout",
            fixed=(
                "from requests import post as send\n\n\ndef notify(url, body):\n    send(\n        url,\n"
                "        json=body,\n        timeout=10,\n    )\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "import requests\n\n\nclass Api:\n    def __init__(self):\n        self.http = requests.Session()\n\n"
            "    def orders(self):\n        return self.http.get('https://api/orders').json()\n",
            at=[(9, 16)],
            message="self.http.get() has no timeout",
            fixed=(
                "import requests\n\n\nclass Api:\n    def __init__(self):\n        self.http = requests.Session()\n\n"
                "    def orders(self):\n        return self.http.get('https://api/orders', timeout=10).json()\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "import httpx\n\n\nasync def fetch(url):\n    async with httpx.AsyncClient(timeout=None) as client:\n"
            "        return await client.get(url)\n",
            at=[(6, 22)],
            message="client.get() uses a client created with timeout=None",
        ),
        Invalid(
            "import httpx\n\n\ndef fetch(url):\n    return httpx.get(url, timeout=None)\n",
            at=[(5, 12)],
            message="httpx.get() passes timeout=None",
        ),
        Invalid(
            "import requests\n\n\ndef make_session():\n    return requests.session()\n\n\ndef ping():\n"
            "    make_session().head('https://api')\n",
            at=[(9, 5)],
            fixed=(
                "import requests\n\n\ndef make_session():\n    return requests.session()\n\n\ndef ping():\n"
                "    make_session().head('https://api', timeout=10)\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        # Injected through the constructor, known by its annotation.
        Invalid(
            "from typing import Optional\n\nfrom requests import Session\n\n\nclass Api:\n"
            "    def __init__(self, session: Optional[Session] = None) -> None:\n        self.session = session\n\n"
            "    def orders(self):\n        return self.session.get(\n            'https://api/orders',\n        ).json()\n",
            at=[(11, 16)],
            message="self.session.get() has no timeout",
            fixed="from typing import Optional\n\nfrom requests import Session\n\n\nclass Api:\n"
            "    def __init__(self, session: Optional[Session] = None) -> None:\n        self.session = session\n\n"
            "    def orders(self):\n        return self.session.get(\n            'https://api/orders',\n"
            "            timeout=10,\n        ).json()\n",
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "import httpx\n\n\nasync def fetch(client: 'httpx.AsyncClient', url):\n"
            "    return await client.get(url, timeout=None)\n",
            at=[(5, 18)],
            message="client.get() passes timeout=None",
        ),
        # A session created in a first-party module.
        Invalid(
            "from shop.http import session\n\n\ndef ping():\n    session.head('https://api')\n",
            at=[(5, 5)],
            files={"shop/http.py": "import requests\n\nsession = requests.Session()\n"},
        ),
    ]

    def begin(self) -> None:
        self._scopes = _Scopes(self.ctx)
        # A mounted adapter usually carries a default timeout.
        self._mounts = ".mount(" in self.ctx.text.text

    def visit_Call(self, node: ast.Call) -> None:
        request = self._request(node)
        if request is None:
            return
        label, library, method, client = request
        if any(keyword.arg is None for keyword in node.keywords):
            return  # **kwargs may carry the timeout
        timeout = next((k.value for k in node.keywords if k.arg == "timeout"), None)
        if library in catalog.WAITS_FOREVER_BY_DEFAULT:
            if timeout is not None or (method and self._mounts):
                return
            if label.endswith(".request") and method and len(node.args) > _SESSION_REQUEST_TIMEOUT_INDEX:
                return
            fix = self._timeout_fix(node)
            self.report(node, fix=fix, call=label, problem="has no timeout")
        elif timeout is not None:
            if _no_timeout(timeout, self.ctx.model):
                self.report(node, call=label, problem="passes timeout=None")
        elif client is not None and not any(k.arg is None for k in client.keywords):
            client_timeout = next((k.value for k in client.keywords if k.arg == "timeout"), None)
            if client_timeout is not None and _no_timeout(client_timeout, self.ctx.model):
                self.report(node, call=label, problem="uses a client created with timeout=None")

    def _request(self, node: ast.Call) -> Optional[Tuple[str, str, bool, Optional[ast.Call]]]:
        """(label, library, whether it is a client's method, the call that
        created the client when this module holds it) for a requests /
        httpx request."""
        function = self._scopes.resolve(node.func, _HTTP_FUNCTIONS)
        if function is not None:
            return function, function.split(".", 1)[0], False, None
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in catalog.HTTP_CLIENT_METHODS:
            return None
        # The client's constructor, known here or through an annotation
        # (``session: requests.Session``) or a first-party import; the call
        # that made it only when this module holds it (its timeout=).
        constructor = self.ctx.producer(func.value, derived=False)
        if constructor not in catalog.HTTP_CLIENT_CONSTRUCTORS:
            return None
        assert constructor is not None
        client = self.ctx.producing_call(func.value)
        if client is not None and self.ctx.model.resolve(client.func) != constructor:
            client = None
        library = constructor.split(".", 1)[0]
        if library not in _SESSION_OF or (library == "httpx" and func.attr == "send"):
            return None  # httpx's send() takes no timeout: build_request() does
        return source_text(func), library, True, client

    def _timeout_fix(self, call: ast.Call) -> Optional[Fix]:
        text = self.ctx.text
        argument = f"timeout={_seconds(self.option('default-timeout'))}"
        _, _, end_line, end_column = self.ctx.char_range(call)
        closing = text.line(end_line)
        if closing[end_column - 2 : end_column - 1] != ")":
            return None
        close = (end_line, end_column - 1)
        arguments: List[ast.AST] = [*call.args, *call.keywords]
        if not arguments:
            edits: Tuple[Edit, ...] = (Edit(close, close, argument),)
        elif _bare_generator(call):
            # `get(u for u in urls)`: the generator shares the call's
            # parentheses and needs its own once another argument follows.
            start_line, start_column, _, _ = self.ctx.char_range(call.args[0])
            opened = (start_line, start_column + 1)
            edits = (Edit(opened, opened, "("), Edit(close, close, f"), {argument}"))
        else:
            last = max(arguments, key=lambda a: (a.end_lineno, a.end_col_offset))  # type: ignore[attr-defined]
            _, first_column, last_line, last_column = self.ctx.char_range(last)
            gap = self._gap((last_line, last_column), close)
            if gap is None:
                return None
            after, comma = gap
            if end_line > last_line and not closing[: close[1] - 1].strip():
                # One argument per line, `)` on its own line: a new line.
                start_text = text.line(last.lineno)[: first_column - 1]  # type: ignore[attr-defined]
                indent = start_text if not start_text.strip() else _indent(closing) + "    "
                line_start = (end_line, 1)
                if comma is None:
                    edits = (Edit(after, after, ","), Edit(line_start, line_start, f"{indent}{argument}\n"))
                else:
                    edits = (Edit(line_start, line_start, f"{indent}{argument},\n"),)
            elif comma is not None:
                position = (comma[0], comma[1] + 1)
                edits = (Edit(position, position, f" {argument},"),)
            else:
                edits = (Edit(after, after, f", {argument}"),)
        return Fix(edits, Applicability.UNSAFE, f"Add `{argument}`")

    def _gap(self, start: Position, end: Position) -> Optional[Tuple[Position, Optional[Position]]]:
        """Between the last argument and the call's `)`: the position after
        the argument's own closing parentheses, and the trailing comma's
        position if any; None for anything unexpected."""
        after, comma = start, None
        line, column = start
        while (line, column) < end:
            text = self.ctx.text.line(line)
            stop = end[1] - 1 if line == end[0] else len(text)
            for index in range(column - 1, stop):
                char = text[index]
                if char == "#":
                    break
                if char in " \t\f\\":
                    continue
                if char == ")" and comma is None:
                    after = (line, index + 2)
                elif char == "," and comma is None:
                    comma = (line, index + 1)
                else:
                    return None
            line, column = line + 1, 1
        return after, comma


def _bare_generator(call: ast.Call) -> bool:
    """A generator expression that is the call's only argument, written
    without parentheses of its own (its node then spans the call's)."""
    if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.GeneratorExp):
        return False
    generator = call.args[0]
    return (generator.end_lineno, generator.end_col_offset) == (call.end_lineno, call.end_col_offset)


class UnreleasedResource(Rule):
    """## What it does
    Reports a resource opened into a local name inside a function —
    `f = open(path)`, `conn = psycopg2.connect(dsn)`, `conn =
    sqlite3.connect(path)`, `session = Session(engine)`, `sock =
    socket.create_connection(addr)`, `session = SessionLocal()` where
    `SessionLocal = sessionmaker(...)` here or in the first-party module it
    is imported from (`scoped_session` registries manage their sessions
    and are left alone), and `cur = conn.cursor()` / `conn =
    engine.connect()` on an object that is itself a resource or a
    connection (made by an opener or an IL401 constructor, or a parameter
    annotated with a connection type such as
    `psycopg2.extensions.connection` or `sqlite3.Connection`) — that is
    neither

    - used as a context manager (`with f:`, `async with f:`,
      `with closing(f):`),
    - released (`close`, `release`, `dispose`, `shutdown`, `quit`,
      `aclose`, `terminate`, `detach`) in a `finally:` block of the same function,
    - nor escaping the function: returned, yielded, stored on `self`, in a
      global or a container, passed to a method of another object, used
      by a nested function, or passed to a function whose result escapes
      or is thrown away (the same analysis as IL401).

    A `close()` outside `finally` is reported: an exception before it
    leaks the resource — unless it is the very next statement run after
    the opening one (`f = open(p)` then `f.close()`, or the first statement
    of the `else:` of the `try` that opened it), where nothing can raise in
    between, or the statement right after a `try` that opened it and whose
    bare / `except Exception` handlers all fall through
    (`if sock: sock.close()` after `except Exception: pass`). Functions
    that run once per process (`main`, `async_main`, `setup`, `startup`,
    `on_startup`) are not checked: what they open lives as long
    as the process anyway. `open` is the builtin only when no import, local
    or module-level definition shadows it. `.connect()` on `smtplib` and
    `socket` objects returns a status, not a resource, and is not
    reported. `cur = conn.cursor()` on a parameter without annotation is
    reported only when the function closes `cur` itself (outside a
    `finally:`): the function treats it as a resource. The same `psycopg2.connect()` call may also be reported by
    IL401 (made per call): they are two problems.

    ## Why is this bad?
    An exception between opening and closing skips the `close()`: the file
    handle, socket or database connection stays open until the garbage
    collector happens to run — never, on some interpreters. A leaked
    connection keeps a database slot and its locks; enough of them exhaust
    the pool or the server. `with` (or `try` / `finally`) releases the
    resource on every path.
    """

    code = "IL404"
    name = "unreleased-resource"
    message = (
        "{opened} is assigned to {name} but not released when an exception is raised; "
        "open it in a `with` statement or close it in a `finally:` block"
    )
    applies_to = ALL_CODE
    # The opener's (or method's) own name always appears in the call.
    # (and a session factory's product is assigned to a name mentioning it,
    # or the factory is made here).
    visit_triggers = tuple(
        dict.fromkeys(o.rsplit(".", 1)[-1] for o in catalog.RESOURCE_OPENERS + catalog.RESOURCE_METHODS)
    ) + ("session", "sessionmaker")
    VALID = [
        Valid("def read(path):\n    with open(path) as f:\n        return f.read()\n"),
        Valid(
            "import psycopg2\n\n\ndef rows(dsn):\n    conn = psycopg2.connect(dsn)\n    try:\n"
            "        cur = conn.cursor()\n        try:\n            cur.execute('select 1')\n"
            "            return cur.fetchall()\n        finally:\n            cur.close()\n"
            "    finally:\n        conn.close()\n"
        ),
        Valid("import sqlite3\n\n\ndef connect(path):\n    conn = sqlite3.connect(path)\n    return conn\n"),
        Valid(
            "import socket\n\n\nclass Client:\n    def open(self, address):\n"
            "        sock = socket.create_connection(address)\n        self.sock = sock\n"
        ),
        Valid("LOG = open('app.log', 'a')\n"),
        Valid(
            "from contextlib import closing\nimport sqlite3\n\n\ndef count(path):\n    conn = sqlite3.connect(path)\n"
            "    with closing(conn):\n        return conn.execute('select count(*) from t').fetchone()\n"
        ),
        Valid("from gzip import open\n\n\ndef read(path):\n    f = open(path)\n    return f.read()\n"),
        Valid(
            "import smtplib\n\n\ndef hello(host):\n    smtp = smtplib.SMTP()\n    try:\n"
            "        reply = smtp.connect(host)\n    finally:\n        smtp.quit()\n    return reply\n"
        ),
        Valid("def read(path):\n    f = open(path)\n    return f.read()\n", path="tests/test_files.py"),
        Valid(
            "from sqlalchemy.orm import scoped_session, sessionmaker\n\nSession = scoped_session(sessionmaker())\n\n\n"
            "def add(order):\n    session = Session()\n    session.add(order)\n    session.commit()\n"
        ),
        Valid(
            "from shop.db import SessionLocal\n\n\ndef add(order):\n    with SessionLocal() as session:\n"
            "        session.add(order)\n        session.commit()\n",
            files={"shop/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n"},
        ),
        Valid("def rows(conn, sql):\n    cur = conn.cursor()\n    cur.execute(sql)\n    return cur.fetchall()\n"),
    ]
    INVALID = [
        Invalid(
            "def read(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n",
            at=[(2, 9)],
            message=(
                "open() is assigned to f but not released when an exception is raised; "
                "open it in a `with` statement or close it in a `finally:` block"
            ),
        ),
        Invalid(
            "import psycopg2\n\nconn = psycopg2.connect('dbname=shop')\n\n\ndef orders():\n    cur = conn.cursor()\n"
            "    cur.execute('select * from orders')\n    return cur.fetchall()\n",
            at=[(7, 11)],
            message="conn.cursor() is assigned to cur",
        ),
        Invalid(
            "from sqlalchemy.orm import Session\n\n\nclass OrderRepository:\n    def __init__(self, engine):\n"
            "        self.engine = engine\n\n    def add(self, order):\n        session = Session(self.engine)\n"
            "        session.add(order)\n        session.commit()\n        session.close()\n",
            at=[(9, 19)],
            message="sqlalchemy.orm.Session() is assigned to session",
        ),
        Invalid(
            "import sqlite3 as db\n\n\nasync def load(path):\n    def query(sql):\n        conn = db.connect(\n"
            "            path,\n            timeout=5,\n        )\n        return conn.execute(sql).fetchall()\n"
            "    return query('select 1')\n",
            at=[(6, 16)],
            message="sqlite3.connect() is assigned to conn",
        ),
        Invalid(
            "from io import open as io_open\n\n\ndef write(path, text):\n    out: 'IO[str]' = io_open(path, 'w')\n"
            "    try:\n        out.write(text)\n    except OSError:\n        out.close()\n        raise\n",
            at=[(5, 22)],
        ),
        Invalid(
            "from sqlalchemy import create_engine, text\n\nengine = create_engine('sqlite://')\n\n\ndef ping():\n"
            "    conn = engine.connect()\n    conn.execute(text('select 1'))\n",
            at=[(7, 12)],
            message="engine.connect() is assigned to conn",
        ),
        # A session factory of the project's own module, imported relatively.
        Invalid(
            "from ..db import SessionLocal\n\n\nclass Orders:\n    async def add(self, order):\n"
            "        session = SessionLocal()\n        session.add(order)\n        await session.commit()\n"
            "        await session.close()\n",
            at=[(6, 19)],
            message="SessionLocal() is assigned to session",
            files={"shop/__init__.py": "", "shop/infrastructure/__init__.py": "",
                   "shop/db.py": "from sqlalchemy.ext.asyncio import async_sessionmaker\n\n"
                                 "SessionLocal = async_sessionmaker(expire_on_commit=False)\n"},
        ),
        Invalid(
            "from sqlalchemy import orm\n\nmake_session = orm.sessionmaker()\n\n\ndef add(order):\n"
            "    session = make_session()\n    session.add(order)\n    session.commit()\n",
            at=[(7, 15)],
        ),
        # A cursor on a connection parameter, closed without `finally`.
        Invalid(
            "def rows(conn, sql):\n    cur = conn.cursor()\n    cur.execute(sql)\n    data = cur.fetchall()\n"
            "    cur.close()\n    return data\n",
            at=[(2, 11)],
            message="conn.cursor() is assigned to cur",
        ),
        Invalid(
            "import sqlite3\n\n\ndef count(conn: sqlite3.Connection):\n    cur = conn.cursor()\n"
            "    return cur.execute('select count(*) from t').fetchone()\n",
            at=[(5, 11)],
        ),
    ]

    def begin(self) -> None:
        self._scopes = _Scopes(self.ctx)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self._check(node, node.targets[0], node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._check(node, node.target, node.value)

    def _check(self, statement: ast.stmt, target: ast.AST, value: ast.AST) -> None:
        while isinstance(value, ast.Await):
            value = value.value
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            return
        found = enclosing_body_function(self.ctx.ancestors, statement)
        if found is None or getattr(found[0], "name", None) in catalog.RUN_ONCE_FUNCTIONS:
            return
        name = target.id
        opened = self._opened(value, name, found[0])
        if opened is None:
            return
        flow = self._scopes.flow(found[0])
        if (
            flow.context_managed(name)
            or flow.released_in_finally(name)
            or self._released_next(statement, name)
            or self._released_after_catch_all(statement, name)
            or flow.name_escapes(name)
        ):
            return
        self.report(value, opened=opened, name=name)

    def _released_next(self, statement: ast.stmt, name: str) -> bool:
        """The statement run right after the opening one releases it
        (``f = open(p)`` then ``f.close()``, or ``try: f = open(p)`` /
        ``except OSError: ...`` / ``else: f.close()``): nothing in between
        can raise."""
        return _is_release(_following(self.ctx.ancestors, statement), name)

    def _released_after_catch_all(self, statement: ast.stmt, name: str) -> bool:
        """``try: sock = socket.socket() ... except Exception: pass`` then
        ``sock.close()`` (or ``if sock: sock.close()``) right after the try."""
        ancestors = self.ctx.ancestors
        inner: ast.AST = statement
        for index in range(len(ancestors) - 1, -1, -1):
            node = ancestors[index]
            if isinstance(node, _NESTED_SCOPES):
                return False
            body = getattr(node, "body", ())
            if _catches_everything(node, self.ctx.model) and any(inner is s for s in body):
                return _is_release(_following(ancestors[:index], node), name)
            inner = node
        return False

    def _opened(self, call: ast.Call, name: str, function: Function) -> Optional[str]:
        """How the call is shown when it opens a resource into ``name``,
        else None."""
        opener = self._scopes.resolve(call.func, _RESOURCE_OPENERS)
        if opener is not None:
            return f"{opener[len('builtins.'):] if opener.startswith('builtins.') else opener}()"
        func = call.func
        if self._makes_session(call):
            return f"{source_text(func)}()"
        if not isinstance(func, ast.Attribute) or func.attr not in catalog.RESOURCE_METHODS:
            return None
        producer = self.ctx.producer(func.value)
        if producer is None and func.attr == "cursor" and _closes_parameter_cursor(function, func.value, name):
            return f"{source_text(func)}()"
        if producer not in _RESOURCE_OPENERS and producer not in _CONNECTION_CONSTRUCTORS:
            return None
        if func.attr == "connect" and producer in catalog.STATUS_CONNECT_PRODUCERS:
            return None
        return f"{source_text(func)}()"

    def _makes_session(self, call: ast.Call) -> bool:
        """``SessionLocal()`` where ``SessionLocal = sessionmaker(...)``,
        here or in the first-party module it is imported from (asked only
        when that module mentions a session factory at all)."""
        func = call.func
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return False
        qualified = self.ctx.model.resolve(func)
        if qualified is None:
            if "sessionmaker" not in self.ctx.text.text:
                return False
        elif not self.ctx.project.is_first_party(qualified) or not self.ctx.project.names.mentions(
            qualified, b"sessionmaker"
        ):
            return False
        return self.ctx.producer(call) in _RESOURCE_OPENERS


# Small helpers -------------------------------------------------------------------
def _no_timeout(value: ast.AST, model: ModuleModel) -> bool:
    """``None`` or ``httpx.Timeout(None)``: no limit at all."""
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    return (
        isinstance(value, ast.Call)
        and model.resolve(value.func) == "httpx.Timeout"
        and len(value.args) == 1
        and not value.keywords
        and _no_timeout(value.args[0], model)
    )


def _catches_everything(node: ast.AST, model: ModuleModel) -> bool:
    """A ``try`` with a bare / ``Exception`` handler after which every
    handler falls through (no ``raise``, ``return``, ``break``,
    ``continue``): the statement after it runs on every path."""
    handlers = getattr(node, "handlers", None)
    if not isinstance(node, _TRY_TYPES) or not handlers or node.finalbody:  # type: ignore[attr-defined]
        return False
    broad = ("builtins.Exception", "builtins.BaseException")
    if not any(h.type is None or model.resolve(h.type) in broad for h in handlers):
        return False
    exits = (ast.Raise, ast.Return, ast.Break, ast.Continue)
    return not any(isinstance(n, exits) for h in handlers for s in h.body for n in ast.walk(s))


def _following(ancestors: List[ast.AST], node: ast.AST) -> Optional[ast.stmt]:
    """The statement that runs next when ``node`` (whose ancestors are
    given, outermost first) completes normally, climbing out of `if` and
    `with` blocks and `try` bodies; None when that is not plain (a loop, a
    ``finally``, a handler, the end of the function)."""
    for index in range(len(ancestors) - 1, -1, -1):
        parent = ancestors[index]
        for field in ("body", "orelse"):
            block = getattr(parent, field, None)
            position = next((i for i, s in enumerate(block) if s is node), None) if isinstance(block, list) else None
            if position is not None:
                break
        else:
            return None
        assert isinstance(block, list) and position is not None
        if position + 1 < len(block):
            return block[position + 1]
        if isinstance(parent, _NESTED_SCOPES):
            return None
        if isinstance(parent, _TRY_TYPES):
            if parent.finalbody:  # type: ignore[attr-defined]
                return None
            if field == "body" and parent.orelse:  # type: ignore[attr-defined]
                return parent.orelse[0]  # type: ignore[attr-defined]
        elif not isinstance(parent, (ast.If, ast.With, ast.AsyncWith)):
            return None
        node = parent
    return None


def _closes_parameter_cursor(function: Function, receiver: ast.expr, name: str) -> bool:
    """``cur = conn.cursor()`` on a parameter ``conn`` of unknown type, in
    a function that calls ``cur.close()`` itself: the function treats the
    cursor as a resource to release."""
    if not isinstance(receiver, ast.Name) or isinstance(function, ast.Lambda):
        return False
    arguments = function.args
    if not any(
        argument.arg == receiver.id and argument.annotation is None
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    ):
        return False
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "close"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
        for node in ast.walk(function)
    )


def _is_release(statement: Optional[ast.stmt], name: str) -> bool:
    """``name.close()`` (or ``await name.aclose()``, ...) as a statement,
    or alone under an ``if`` (``if sock: sock.close()``)."""
    if isinstance(statement, ast.If) and len(statement.body) == 1 and not statement.orelse:
        statement = statement.body[0]
    value = statement.value if isinstance(statement, ast.Expr) else None
    while isinstance(value, ast.Await):
        value = value.value
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in catalog.RELEASE_METHODS
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id == name
    )


def _seconds(value: object) -> str:
    """``10.0`` -> ``10``, ``2.5`` -> ``2.5``."""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else repr(number)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]
