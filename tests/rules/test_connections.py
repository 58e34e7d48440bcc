"""IL4 connections and resources: what the VALID / INVALID examples cannot
say — character columns, fix layouts, options, and the escape analysis
case by case."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from infralint.bindings import BindingTracker
from infralint.findings import Applicability, Finding
from infralint.fixes import apply_edits, applicable_fixes
from infralint.model import build_model
from infralint.settings import Settings
from tests.helpers import lint_example

PATH = "shop/infrastructure/orders_client.py"


def _found(
    root: Path, code: str, source: str, path: str = PATH, settings: Optional[Settings] = None
) -> List[Finding]:
    return [f for f in lint_example(root, path, source, settings=settings) if f.code == code]


def _at(findings: List[Finding]) -> List[Tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


def _fixed(root: Path, source: str, settings: Optional[Settings] = None) -> str:
    findings = _found(root, "IL403", source, settings=settings)
    assert findings, "IL403 did not report"
    fixed = apply_edits(source, applicable_fixes(findings, Applicability.UNSAFE))
    ast.parse(fixed)
    assert _found(root, "IL403", fixed, settings=settings) == [], "the fix left a finding"
    return fixed


# Non-ASCII columns ---------------------------------------------------------------
def test_non_ascii_columns_count_characters(tmp_path: Path) -> None:
    source = (
        "import redis\nimport requests\n\n\ndef größe(schlüssel):\n"
        "    wert = 'ä'; client = redis.Redis(); return client.get(schlüssel), requests.get('ü')\n"
    )
    [per_call] = _found(tmp_path, "IL401", source)
    assert (per_call.line, per_call.column, per_call.end_line, per_call.end_column) == (6, 26, 6, 39)
    assert "größe()" in per_call.message
    assert _at(_found(tmp_path, "IL402", source)) == [(6, 71)]
    [timeout] = _found(tmp_path, "IL403", source)
    assert (timeout.column, timeout.end_column) == (71, 88)
    assert _fixed(tmp_path, source).endswith("requests.get('ü', timeout=10)\n")


def test_il404_non_ascii_column(tmp_path: Path) -> None:
    source = "def lies(pfad):\n    ü = 'ö'; datei = open(pfad)\n    return datei.read()\n"
    assert _at(_found(tmp_path, "IL404", source)) == [(2, 22)]


# IL403 fix layouts --------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("requests.get()", "requests.get(timeout=10)"),
        ("requests.get(url)", "requests.get(url, timeout=10)"),
        ("requests.get(url,)", "requests.get(url, timeout=10,)"),
        ("requests.get((url))", "requests.get((url), timeout=10)"),
        ("requests.get( url )", "requests.get( url, timeout=10 )"),
        ("requests.get(url, *rest)", "requests.get(url, *rest, timeout=10)"),
        ("requests.post(url, json={'a': (1, 2)})", "requests.post(url, json={'a': (1, 2)}, timeout=10)"),
    ],
)
def test_fix_on_one_line(tmp_path: Path, call: str, expected: str) -> None:
    source = f"import requests\n\n\ndef f(url, rest):\n    return {call}\n"
    assert _fixed(tmp_path, source) == f"import requests\n\n\ndef f(url, rest):\n    return {expected}\n"


def test_fix_multi_line_without_trailing_comma_keeps_comment(tmp_path: Path) -> None:
    source = "import requests\n\nrequests.post(\n    'https://api',\n    json={},  \n    data=1  # the body\n)\n"
    assert _fixed(tmp_path, source) == (
        "import requests\n\nrequests.post(\n    'https://api',\n    json={},  \n    data=1,  # the body\n"
        "    timeout=10\n)\n"
    )


def test_fix_multi_line_with_trailing_comma_and_comment(tmp_path: Path) -> None:
    source = "import requests\n\nrequests.post(\n    'https://api',\n    data=1,  # the body\n)\n"
    assert _fixed(tmp_path, source) == (
        "import requests\n\nrequests.post(\n    'https://api',\n    data=1,  # the body\n    timeout=10,\n)\n"
    )


def test_fix_hanging_arguments_closing_on_the_last_line(tmp_path: Path) -> None:
    source = "import requests\n\nrequests.post('https://api',\n              data=1)\n"
    assert _fixed(tmp_path, source) == (
        "import requests\n\nrequests.post('https://api',\n              data=1, timeout=10)\n"
    )


def test_fix_first_argument_on_the_call_line_closing_alone(tmp_path: Path) -> None:
    source = "import requests\n\nif True:\n    requests.get('https://api'\n    )\n"
    assert _fixed(tmp_path, source) == (
        "import requests\n\nif True:\n    requests.get('https://api',\n        timeout=10\n    )\n"
    )


def test_fix_nested_calls_get_one_edit_each(tmp_path: Path) -> None:
    source = "import requests\n\nrequests.post(url, data=requests.get(url).text)\n"
    findings = _found(tmp_path, "IL403", source)
    assert len(findings) == 2
    fixed = apply_edits(source, applicable_fixes(findings, Applicability.UNSAFE))
    assert fixed == "import requests\n\nrequests.post(url, data=requests.get(url, timeout=10).text, timeout=10)\n"


def test_fix_is_unsafe_only(tmp_path: Path) -> None:
    source = "import requests\n\nrequests.get('u')\n"
    [finding] = _found(tmp_path, "IL403", source)
    assert finding.fix is not None and finding.fix.applicability == Applicability.UNSAFE
    assert finding.fix.message == "Add `timeout=10`"
    assert applicable_fixes([finding], Applicability.SAFE) == []


@pytest.mark.parametrize(("configured", "written"), [(30, "30"), (2.5, "2.5"), (10.0, "10")])
def test_option_default_timeout(tmp_path: Path, configured: float, written: str) -> None:
    settings = Settings.default(tmp_path).with_changes(
        layers_configured=True, rule_options={"IL403": {"default-timeout": configured}}
    )
    source = "import requests\n\nrequests.get('u')\n"
    assert _fixed(tmp_path, source, settings) == f"import requests\n\nrequests.get('u', timeout={written})\n"


def test_httpx_none_has_no_fix(tmp_path: Path) -> None:
    source = "import httpx\n\nhttpx.get('u', timeout=None)\nhttpx.get('u', timeout=httpx.Timeout(None))\n"
    findings = _found(tmp_path, "IL403", source)
    assert _at(findings) == [(3, 1), (4, 1)]
    assert all(f.fix is None for f in findings)


# IL403 detection ---------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        # httpx has a default timeout; a timeout on the call wins over the client's.
        "import httpx\n\nc = httpx.Client(timeout=None)\nc.get('u', timeout=3)\n",
        "import httpx\n\nc = httpx.Client()\nc.get('u')\n",
        "import httpx\n\nc = httpx.Client(timeout=None)\nc.send(c.build_request('GET', 'u', timeout=3))\n",
        "import httpx\n\nc = httpx.Client(**options)\nc.get('u')\n",
        "import httpx\n\nc = httpx.Client(timeout=httpx.Timeout(None, connect=5))\nc.get('u')\n",
        # Session.request with a positional timeout (its ninth parameter).
        "import requests\n\ns = requests.Session()\ns.request('GET', 'u', None, None, None, None, None, None, 5)\n",
        # A response is not a session, nor is a dict derived from one.
        "import requests\n\ns = requests.Session()\nr = s.get('u', timeout=1)\nr.headers.get('x')\nr.json().get('y')\n",
        # aiohttp has its own default timeout.
        "import aiohttp\n\nasync def f():\n    async with aiohttp.ClientSession() as s:\n        await s.get('u')\n",
        # Unknown receivers.
        "def f(client):\n    return client.get('u')\n",
    ],
)
def test_il403_near_misses(tmp_path: Path, source: str) -> None:
    assert _found(tmp_path, "IL403", source) == []


def test_il403_client_created_by_a_factory_with_timeout_none(tmp_path: Path) -> None:
    source = (
        "import httpx\n\n\ndef make():\n    return httpx.Client(timeout=None)\n\n\n"
        "def fetch():\n    client = make()\n    return client.post('u')\n"
    )
    [finding] = _found(tmp_path, "IL403", source)
    assert (finding.line, finding.column) == (10, 12)
    assert finding.message.startswith("client.post() uses a client created with timeout=None")


def test_il403_session_with_statement_and_module_session(tmp_path: Path) -> None:
    source = (
        "import requests\n\nSESSION = requests.session()\n\n\ndef a():\n    with requests.Session() as s:\n"
        "        s.get('u')\n\n\ndef b():\n    SESSION.send(prepared)\n"
    )
    assert _at(_found(tmp_path, "IL403", source)) == [(8, 9), (12, 5)]


# IL402 --------------------------------------------------------------------------
def test_il402_every_verb_and_from_import(tmp_path: Path) -> None:
    source = (
        "from httpx import stream\nimport requests\n\nrequests.options('u')\nrequests.head('u')\n"
        "stream('GET', 'u')\n"
    )
    assert _at(_found(tmp_path, "IL402", source)) == [(4, 1), (5, 1), (6, 1)]


def test_il402_builtin_shadowing_is_not_confused(tmp_path: Path) -> None:
    source = "import requests\n\n\nclass Api:\n    def get(self):\n        return self.get()\n"
    assert _found(tmp_path, "IL402", source) == []


# IL401 escape analysis ------------------------------------------------------------
_SILENT_IL401 = {
    "returned in a tuple": "def f():\n    e = create_engine(u)\n    return e, 1\n",
    "yielded": "def f():\n    with create_engine(u).connect() as c:\n        yield c\n",
    "stored on self through a local": (
        "class A:\n    def open(self):\n        e = create_engine(u)\n        self.e = e\n"
    ),
    "stored on cls": "class A:\n    @classmethod\n    def open(cls):\n        cls.e = create_engine(u)\n",
    "stored on another object": "def attach(app):\n    app.state.engine = create_engine(u)\n",
    "global": "E = None\n\n\ndef f():\n    global E\n    E = create_engine(u)\n",
    "nonlocal": (
        "def outer():\n    e = None\n    def f():\n        nonlocal e\n"
        "        e = create_engine(u)\n    return f\n"
    ),
    "cache setdefault": "CACHE = {}\n\n\ndef f(k):\n    return CACHE.setdefault(k, create_engine(u)).connect()\n",
    "registry append": "REG = []\n\n\ndef f():\n    e = create_engine(u)\n    REG.append(e)\n    e.connect()\n",
    "passed to a function whose result is stored": (
        "class R:\n    def __init__(self):\n        self.sessions = sessionmaker(bind=create_engine(u))\n"
    ),
    "passed to a function as a statement": "def f():\n    e = create_engine(u)\n    register(e)\n",
    "captured by a closure": (
        "def f():\n    e = create_engine(u)\n    def g():\n        return e.connect()\n"
        "    return g\n"
    ),
    "used by a lambda": "def f():\n    e = create_engine(u)\n    return lambda: e\n",
    "walrus returned": "def f():\n    if (e := create_engine(u)) is not None:\n        return e\n",
    "attribute returned": "def f():\n    return create_engine(u).pool\n",
    "cached property": (
        "from functools import cached_property\n\n\nclass A:\n    @cached_property\n"
        "    def e(self):\n        e = create_engine(u)\n        e.connect()\n        return 1\n"
    ),
    "functools.cache": "import functools\n\n\n@functools.cache\ndef f():\n    create_engine(u).connect()\n",
    "asynccontextmanager": (
        "from contextlib import asynccontextmanager\n\n\n@asynccontextmanager\nasync def f():\n"
        "    e = create_engine(u)\n    e.connect()\n    yield\n"
    ),
    "fallback over a parameter": (
        "def f(engine=None):\n    if engine is None:\n        engine = create_engine(u)\n"
        "    engine.connect()\n"
    ),
    "conditional fallback": (
        "def f(engine=None):\n    e = create_engine(u) if engine is None else engine\n"
        "    e.connect()\n"
    ),
    "raised": "def f():\n    raise Error(create_engine(u))\n",
    "lambda factory": "make = lambda: create_engine(u)\n",
    "exit stack": "def f(stack):\n    e = stack.enter_context(create_engine(u).connect())\n    e.execute(1)\n",
    "decorator argument": "@register(create_engine(u))\ndef f():\n    pass\n",
    "local import shadowed by a parameter": "def f(create_engine):\n    create_engine(u).connect()\n",
}


@pytest.mark.parametrize("body", list(_SILENT_IL401.values()), ids=list(_SILENT_IL401))
def test_il401_silent_when_the_engine_escapes(tmp_path: Path, body: str) -> None:
    source = "from sqlalchemy import create_engine\n\n\n" + body
    assert _found(tmp_path, "IL401", source) == []


_REPORTED_IL401 = {
    "local used and discarded": "def f():\n    e = create_engine(u)\n    e.connect().execute(1)\n",
    "result of a method returned": "def f():\n    return create_engine(u).dispose()\n",
    "with without a name": "def f():\n    with create_engine(u).begin():\n        pass\n",
    "passed to a function whose result is local": (
        "def f():\n    e = create_engine(u)\n    rows = read(e)\n    return len(rows)\n"
    ),
    "lambda body using it inline": "g = lambda k: create_engine(u).execute(k)\n",
    "in an if test": "def f():\n    if create_engine(u):\n        return 1\n",
    "assigned twice": "def f():\n    e = create_engine(u)\n    e = create_engine(v)\n    e.connect()\n",
    "closed before returning data": (
        (
            "async def f():\n    e = create_engine(u)\n    try:\n        return await e.scalar(1)\n"
            "    finally:\n        await e.dispose()\n"
        )
    ),
}


@pytest.mark.parametrize("body", list(_REPORTED_IL401.values()), ids=list(_REPORTED_IL401))
def test_il401_reported_when_it_lives_for_one_call(tmp_path: Path, body: str) -> None:
    source = "from sqlalchemy import create_engine\n\n\n" + body
    assert len(_found(tmp_path, "IL401", source)) >= 1


def test_il401_extend_constructors(tmp_path: Path) -> None:
    settings = Settings.default(tmp_path).with_changes(
        layers_configured=True, rule_options={"IL401": {"extend-constructors": ["nats.connect"]}}
    )
    source = (
        "import nats\n\n\nasync def publish(msg):\n    nc = await nats.connect('nats://x')\n"
        "    await nc.publish('s', msg)\n"
    )
    [finding] = _found(tmp_path, "IL401", source, settings=settings)
    assert finding.message.startswith("nats.connect() creates a new connection on every call of publish()")
    assert _found(tmp_path, "IL401", source) == []


def test_il401_not_in_tests_and_not_without_imports(tmp_path: Path) -> None:
    body = "import redis\n\n\ndef f():\n    redis.Redis().ping()\n"
    assert _found(tmp_path, "IL401", body, path="tests/test_x.py") == []
    assert _found(tmp_path, "IL401", body, path="shop/conftest.py") == []
    assert _found(tmp_path, "IL401", "def f():\n    Redis().ping()\n") == []


# IL404 --------------------------------------------------------------------------
_SILENT_IL404 = {
    "with name": "def f(p):\n    f = open(p)\n    with f:\n        return f.read()\n",
    "async with": "async def f(s):\n    c = sqlite3.connect(s)\n    async with c:\n        pass\n",
    "close in finally under a condition": (
        (
            "def f(p):\n    f = None\n    try:\n        f = open(p)\n        return f.read()\n"
            "    finally:\n        if f:\n            f.close()\n"
        )
    ),
    "stored on self": "class A:\n    def open(self, p):\n        f = open(p)\n        self.f = f\n",
    "yielded": "def lines(p):\n    f = open(p)\n    yield from f\n",
    "passed to a method": "def f(stack, p):\n    f = open(p)\n    stack.callback(f.close)\n    return f.read()\n",
    "open shadowed by a parameter": "def f(open, p):\n    f = open(p)\n    return f.read()\n",
    "open redefined at module level": "def open(p):\n    return p\n\n\ndef f(p):\n    f = open(p)\n    return f\n",
    "tuple target": "def f(p):\n    a, b = open(p), 1\n    return a.read()\n",
    "attribute target": "def f(o, p):\n    o.f = open(p)\n",
    "module level": "f = open('x')\n",
    "unknown receiver cursor": "def f(conn):\n    cur = conn.cursor()\n    return cur.fetchall()\n",
    "socket connect returns None": (
        "def f(a):\n    s = socket.socket()\n    with s:\n        r = s.connect(a)\n    return r\n"
    ),
}


@pytest.mark.parametrize("body", list(_SILENT_IL404.values()), ids=list(_SILENT_IL404))
def test_il404_near_misses(tmp_path: Path, body: str) -> None:
    source = "import socket\nimport sqlite3\n\n\n" + body
    assert _found(tmp_path, "IL404", source) == []


def test_il404_close_outside_finally_and_self_connection_cursor(tmp_path: Path) -> None:
    source = (
        "import sqlite3\n\n\nclass Repo:\n    def __init__(self, path):\n        self.conn = sqlite3.connect(path)\n\n"
        "    def all(self):\n        cur = self.conn.cursor()\n        rows = cur.fetchall()\n        cur.close()\n"
        "        return rows\n"
    )
    [finding] = _found(tmp_path, "IL404", source)
    assert (finding.line, finding.column) == (9, 15)
    assert finding.message.startswith("self.conn.cursor() is assigned to cur")


# Binding tracker: producing_call --------------------------------------------------
def test_producing_call_gives_the_constructor_call_not_derived_objects() -> None:
    source = (
        "import httpx\nclient = httpx.Client(timeout=None)\ndef make():\n    return httpx.Client(timeout=1)\n"
        "def f():\n    made = make()\n    response = client.get('u')\n    return response\n"
    )
    tree = ast.parse(source)
    tracker = BindingTracker(tree, build_model(tree, None))
    function = tree.body[3]
    assert isinstance(function, ast.FunctionDef)
    by_name = {name: ast.Name(id=name, ctx=ast.Load()) for name in ("client", "made", "response", "other")}
    client_call = tracker.producing_call(by_name["client"], function)
    assert client_call is not None and client_call.keywords[0].arg == "timeout"
    made_call = tracker.producing_call(by_name["made"], function)
    assert made_call is not None and made_call.lineno == 4
    assert tracker.producer(by_name["response"], function) == "httpx.Client"
    assert tracker.producing_call(by_name["response"], function) is None
    assert tracker.producing_call(by_name["other"], function) is None


def test_il404_release_right_after_opening(tmp_path: Path) -> None:
    source = (
        "def exists(p):\n    try:\n        f = open(p, 'rb')\n    except OSError:\n        return False\n"
        "    else:\n        f.close()\n    return True\n\n\n"
        "def touch(p):\n    f = open(p, 'a')\n    f.close()\n\n\n"
        "def main(p):\n    f = open(p)\n    print(f.read())\n"
    )
    assert _found(tmp_path, "IL404", source) == []
    later = "def touch(p):\n    f = open(p, 'a')\n    f.write('x')\n    f.close()\n"
    assert _at(_found(tmp_path, "IL404", later)) == [(2, 9)]


def test_il404_release_after_a_try_that_catches_everything(tmp_path: Path) -> None:
    template = (
        "import socket\n\n\ndef probe(host):\n    sock = None\n    try:\n        sock = socket.socket()\n"
        "        sock.bind((host, 0))\n    except {caught}:\n        {handler}\n    if sock:\n        sock.close()\n"
    )
    assert _found(tmp_path, "IL404", template.format(caught="Exception", handler="pass")) == []
    assert _found(tmp_path, "IL404", template.format(caught="BaseException", handler="print(1)")) == []
    reported = [
        template.format(caught="OSError", handler="pass"),
        template.format(caught="Exception", handler="return False"),
        template.format(caught="Exception", handler="raise"),
    ]
    for source in reported:
        assert _at(_found(tmp_path, "IL404", source)) == [(7, 16)], source


_BATCH = "import requests\n\n\ndef sync(items):\n    with requests.Session() as s:\n{loop}"


@pytest.mark.parametrize(
    ("loop", "reported"),
    [
        ("        for item in items:\n            s.post('u', json=item, timeout=5)\n", False),
        ("        while items:\n            s.post('u', json=items.pop(), timeout=5)\n", False),
        ("        while s.get('u', timeout=5).ok:\n            pass\n", False),
        ("        return [s.get(u, timeout=5) for u in items]\n", False),
        ("        return {u: s.get(u, timeout=5) for u in items}\n", False),
        # Evaluated once: the iterable of a for, the first iterable of a comprehension.
        ("        for row in s.get('u', timeout=5).json():\n            print(row)\n", True),
        ("        return [row for row in s.get('u', timeout=5).json()]\n", True),
        ("        s.get('u', timeout=5)\n        for item in items:\n            print(item)\n", True),
    ],
)
def test_il401_batches_reuse_the_connection(tmp_path: Path, loop: str, reported: bool) -> None:
    findings = _found(tmp_path, "IL401", _BATCH.format(loop=loop))
    assert _at(findings) == ([(5, 10)] if reported else [])
