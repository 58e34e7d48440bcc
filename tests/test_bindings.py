"""The binding tracker: producers through aliases, scopes and factories."""

from __future__ import annotations

import ast
from typing import Optional

from infralint.bindings import BindingTracker
from infralint.model import build_model


def _producer_of_last_call_receiver(source: str) -> Optional[str]:
    """Producer of the receiver of the last method call in ``source``, seen
    from its enclosing function and class."""
    tree = ast.parse(source)
    tracker = BindingTracker(tree, build_model(tree, None))
    found = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                    classes = [c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and node in c.body]
                    found = (inner.func.value, node, classes[0] if classes else None)
    assert found is not None
    return tracker.producer(*found)


def test_module_level_client_through_alias() -> None:
    source = "import requests as r\nsession = r.Session()\ndef f():\n    session.get('u')\n"
    assert _producer_of_last_call_receiver(source) == "requests.Session"


def test_local_with_statement() -> None:
    source = "import httpx\nasync def f():\n    async with httpx.AsyncClient() as client:\n        await client.get('u')\n"
    assert _producer_of_last_call_receiver(source) == "httpx.AsyncClient"


def test_attribute_on_self() -> None:
    source = (
        "from redis import Redis\nclass Cache:\n    def __init__(self):\n        self.redis = Redis()\n"
        "    def get(self, key):\n        return self.redis.get(key)\n"
    )
    assert _producer_of_last_call_receiver(source) == "redis.Redis"


def test_factory_function_and_derived_objects() -> None:
    source = (
        "import boto3\ndef make():\n    client = boto3.resource('s3')\n    return client\n"
        "def upload():\n    make().Bucket('b').upload_file('x')\n"
    )
    assert _producer_of_last_call_receiver(source) == "boto3.resource"


def test_unknown_values_have_no_producer() -> None:
    source = "def f(session):\n    session.get('u')\n"
    assert _producer_of_last_call_receiver(source) is None
    source = "a = b\nb = a\ndef f():\n    a.get('u')\n"
    assert _producer_of_last_call_receiver(source) is None


def test_attribute_assigned_twice_the_deeper_assignment_wins() -> None:
    # Flow-insensitive, last seen wins, in ast.walk's breadth-first order:
    # the assignment in the except handler (one level deeper than the one
    # under `if`) is seen last, though it comes first in the source.
    source = (
        "import httpx, requests\nclass Gateway:\n"
        "    def __init__(self):\n        try:\n            pass\n        except ValueError:\n"
        "            self.http = httpx.Client()\n"
        "    def renew(self, pooled):\n        if pooled:\n            self.http = requests.Session()\n"
        "    def get(self):\n        return self.http.get('u')\n"
    )
    assert _producer_of_last_call_receiver(source) == "httpx.Client"


def test_factory_method_and_property_of_the_class() -> None:
    # `self.sqs = self.create_client()` and a property returning it: the
    # client is still the one the method returns.
    methods = (
        "import boto3\nclass Queue:\n    def __init__(self):\n        self.sqs = self.create_client('eu')\n"
        "    @staticmethod\n    def create_client(region):\n        client = boto3.client('sqs', region_name=region)\n"
        "        return client\n"
        "    @property\n    def client(self):\n        return self._connected()\n"
        "    def _connected(self):\n        return self.sqs\n"
    )
    assert _producer_of_last_call_receiver(methods + "    def send(self):\n        self.sqs.send_message()\n") == (
        "boto3.client"
    )
    assert _producer_of_last_call_receiver(methods + "    def send(self):\n        self.client.send_message()\n") == (
        "boto3.client"
    )
    # A plain method read without a call, or another object's method, is not followed.
    assert _producer_of_last_call_receiver(methods + "    def send(self):\n        self._connected.x()\n") is None
    assert _producer_of_last_call_receiver(methods + "    def send(self, other):\n        other.create_client('eu').x()\n") is None
