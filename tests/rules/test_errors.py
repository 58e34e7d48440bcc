"""IL3 error handling: what the VALID / INVALID examples cannot say — fix
rounds, exact applicabilities, character columns on non-ASCII lines,
nested and looping handlers, ``except*`` and options."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from infralint.findings import Applicability, Finding
from infralint.fixes import apply_edits, applicable_fixes
from infralint.settings import Settings
from tests.helpers import lint_example

INFRA = "shop/infrastructure/orders_client.py"
needs_try_star = pytest.mark.skipif(sys.version_info < (3, 11), reason="except* needs Python 3.11")


def _found(
    root: Path, code: str, source: str, path: str = INFRA, settings: Optional[Settings] = None
) -> List[Finding]:
    return [f for f in lint_example(root, path, source, settings=settings) if f.code == code]


def _at(findings: List[Finding]) -> List[Tuple[int, int]]:
    return sorted((f.line, f.column) for f in findings)


def _fix_once(root: Path, code: str, source: str, minimum: Applicability = Applicability.SAFE) -> str:
    fixed = apply_edits(source, applicable_fixes(_found(root, code, source), minimum))
    ast.parse(fixed)
    return fixed


# IL301 unguarded-external-call -------------------------------------------------
def test_il301_call_in_inner_except_is_guarded_by_outer_try(tmp_path: Path) -> None:
    source = (
        "import requests\n\n\ndef fetch(url):\n    try:\n        try:\n            return requests.get(url)\n"
        "        except requests.Timeout:\n            return requests.get(url, timeout=60)\n"
        "    except requests.RequestException:\n        return None\n"
    )
    assert _found(tmp_path, "IL301", source) == []


def test_il301_try_in_a_loop(tmp_path: Path) -> None:
    source = (
        "import httpx\n\nclient = httpx.Client()\n\n\ndef fetch_all(urls):\n    for url in urls:\n"
        "        try:\n            yield client.get(url)\n        except httpx.HTTPError:\n            continue\n"
        "        client.post(url)\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(12, 9)]


def test_il301_else_and_finally_are_not_guarded(tmp_path: Path) -> None:
    source = (
        "import requests\n\n\ndef fetch(url):\n    try:\n        prepare()\n    except ValueError:\n        pass\n"
        "    else:\n        requests.get(url)\n    finally:\n        requests.delete(url)\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(10, 9), (12, 9)]


def test_il301_bare_retry_decorator_and_factory_client(tmp_path: Path) -> None:
    source = (
        "import httpx\nfrom tenacity import retry\n\n\ndef make_client():\n    return httpx.Client()\n\n\n"
        "client = make_client()\n\n\n@retry\ndef fetch(url):\n    return client.get(url)\n\n\n"
        "def fetch_once(url):\n    return client.get(url)\n"
    )
    findings = _found(tmp_path, "IL301", source)
    assert _at(findings) == [(18, 12)]
    assert findings[0].message.startswith("client.get() is called without error handling")


def test_il301_client_from_a_factory_method_or_property(tmp_path: Path) -> None:
    # A client created by the class's own factory method (and read through a
    # property) is still a boto3 client: its unguarded calls are reported.
    source = (
        "import boto3\n\n\nclass QueueAdapter:\n    def __init__(self):\n        self.sqs = self.create_client()\n\n"
        "    @staticmethod\n    def create_client():\n        return boto3.client('sqs')\n\n"
        "    @property\n    def client(self):\n        return self.sqs\n\n"
        "    def send(self, body):\n        try:\n            self.sqs.send_message(MessageBody=body)\n"
        "        except Exception:\n            raise\n        return self.client.receive_message(QueueUrl='q')\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(21, 16)]


def test_il301_sdk_methods_that_stay_local(tmp_path: Path) -> None:
    # Sub-resources (`s3.Bucket(...)`), paginators, waiters and presigned
    # URLs are built locally: only the requests themselves are reported.
    source = (
        "import boto3\n\ns3 = boto3.resource('s3')\ndynamo = boto3.client('dynamodb')\n\n\n"
        "def put(name):\n    bucket = s3.Bucket(name)\n    pages = dynamo.get_paginator('scan').paginate(TableName=name)\n"
        "    url = dynamo.generate_presigned_url('get_object', Params={})\n    waiter = dynamo.get_waiter('table_exists')\n"
        "    dynamo.can_paginate('scan')\n    dynamo.describe_table(TableName=name)\n    bucket.put_object(Key='k', Body=b'')\n"
        "    waiter.wait(TableName=name)\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(13, 5), (14, 5), (15, 5)]


def test_il301_column_counts_characters(tmp_path: Path) -> None:
    source = "import requests\n\n\ndef fetch():\n    label = 'prix à payer'; requests.get(label)\n"
    assert _at(_found(tmp_path, "IL301", source)) == [(5, 29)]


def test_il301_extend_retry_decorators(tmp_path: Path) -> None:
    source = (
        "import requests\nfrom shop.infrastructure.resilience import resilient\n\n\n"
        "@resilient(attempts=3)\ndef fetch(url):\n    return requests.get(url)\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(7, 12)]
    settings = Settings.default(tmp_path).with_changes(
        layers_configured=True,
        rule_options={"IL301": {"extend-retry-decorators": ["shop.infrastructure.resilience.resilient"]}},
    )
    assert _found(tmp_path, "IL301", source, settings=settings) == []


def test_il301_other_services_and_non_calls(tmp_path: Path) -> None:
    source = (
        "import aiohttp\nimport boto3\nfrom urllib.request import urlopen\n\nsqs = boto3.client('sqs')\n\n\n"
        "async def run(url):\n    async with aiohttp.ClientSession() as session:\n"
        "        await session.post(url)\n        session.headers.update({})\n"
        "    sqs.send_message(QueueUrl=url, MessageBody='x')\n    urlopen(url)\n"
    )
    assert _at(_found(tmp_path, "IL301", source)) == [(10, 15), (12, 5), (13, 5)]


@needs_try_star
def test_il301_try_star_guards(tmp_path: Path) -> None:
    source = (
        "import requests\n\n\ndef fetch(url):\n    try:\n        requests.get(url)\n"
        "    except* OSError:\n        pass\n"
    )
    assert _found(tmp_path, "IL301", source) == []


# IL302 bare-except ---------------------------------------------------------------
def test_il302_range_and_applicability(tmp_path: Path) -> None:
    reraise = "try:\n    connect()\nexcept:\n    raise\n"
    swallow = "try:\n    connect()\nexcept:\n    pass\n"
    [safe] = _found(tmp_path, "IL302", reraise)
    [unsafe] = _found(tmp_path, "IL302", swallow)
    assert (safe.line, safe.column, safe.end_line, safe.end_column) == (3, 1, 3, 7)
    assert safe.fix is not None and safe.fix.applicability is Applicability.SAFE
    assert unsafe.fix is not None and unsafe.fix.applicability is Applicability.UNSAFE
    # Safe fixes alone leave the unsafe one in place.
    assert _fix_once(tmp_path, "IL302", swallow) == swallow


def test_il302_nested_bare_excepts_fix_together(tmp_path: Path) -> None:
    source = "try:\n    a()\nexcept:\n    try:\n        b()\n    except:\n        pass\n    raise\n"
    fixed = _fix_once(tmp_path, "IL302", source, Applicability.UNSAFE)
    assert fixed == (
        "try:\n    a()\nexcept BaseException:\n    try:\n        b()\n    except Exception:\n        pass\n    raise\n"
    )


# IL303 swallowed-exception --------------------------------------------------------
def test_il303_nested_handlers(tmp_path: Path) -> None:
    source = (
        "def load():\n    try:\n        connect()\n    except Exception:\n        try:\n            rollback()\n"
        "        except KeyError:\n            pass\n        except Exception as error:\n"
        "            raise Failed() from error\n"
    )
    # The outer handler raises (in its nested try); the narrow one is deliberate.
    assert _found(tmp_path, "IL303", source) == []


def test_il303_loggers(tmp_path: Path) -> None:
    handlers = [
        "logging.getLogger(__name__).warning('x')",
        "log.bind(order=1).info('x')",
        "logger.opt(exception=True).debug('x')",
        "self.logger.error('x')",
        "sentry_sdk.capture_exception()",
        "message = traceback.format_exc()",
    ]
    header = (
        "import logging\nimport traceback\n\nimport sentry_sdk\nimport structlog\nfrom loguru import logger\n\n"
        "log = structlog.get_logger()\n"
    )
    for handler in handlers:
        body = f"\n\ndef load(self):\n    try:\n        connect()\n    except Exception:\n        {handler}\n"
        source = header + body
        assert _found(tmp_path, "IL303", source) == [], handler


def test_il303_in_a_loop_with_continue(tmp_path: Path) -> None:
    source = "for order in orders:\n    try:\n        ship(order)\n    except BaseException:\n        continue\n"
    findings = _found(tmp_path, "IL303", source)
    assert _at(findings) == [(4, 5)]
    assert "`except BaseException` swallows" in findings[0].message


@needs_try_star
def test_il303_try_star(tmp_path: Path) -> None:
    source = "try:\n    connect()\nexcept* Exception:\n    pass\n"
    findings = _found(tmp_path, "IL303", source)
    assert _at(findings) == [(3, 1)]
    assert "`except* Exception`" in findings[0].message


# IL304 raise-without-cause ------------------------------------------------------------
def test_il304_two_raises_fixed_in_two_rounds(tmp_path: Path) -> None:
    source = (
        "def find(order_id):\n    try:\n        return orders[order_id]\n    except KeyError:\n"
        "        if order_id < 0:\n            raise InvalidId(order_id)\n        raise OrderNotFound(order_id)\n"
    )
    findings = _found(tmp_path, "IL304", source)
    assert _at(findings) == [(6, 13), (7, 9)]
    # Each fix also names the handler, with the same edit.
    handler_edits = {edit for f in findings if f.fix for edit in f.fix.edits if edit.text == " as err"}
    assert len(handler_edits) == 1
    first = _fix_once(tmp_path, "IL304", source)
    assert first == (
        "def find(order_id):\n    try:\n        return orders[order_id]\n    except KeyError as err:\n"
        "        if order_id < 0:\n            raise InvalidId(order_id) from err\n"
        "        raise OrderNotFound(order_id)\n"
    )
    second = _fix_once(tmp_path, "IL304", first)
    assert second.endswith("        raise OrderNotFound(order_id) from err\n")
    assert _found(tmp_path, "IL304", second) == []


def test_il304_chooses_a_free_name(tmp_path: Path) -> None:
    source = (
        "err = None\n\n\ndef find(order_id, error):\n    exc = 1\n    try:\n        return orders[order_id]\n"
        "    except KeyError:\n        raise OrderNotFound(order_id)\n"
    )
    fixed = _fix_once(tmp_path, "IL304", source)
    assert "    except KeyError as err2:\n        raise OrderNotFound(order_id) from err2\n" in fixed


def test_il304_name_used_elsewhere_in_the_module_is_fine(tmp_path: Path) -> None:
    source = (
        "def other():\n    err = 1\n    return err\n\n\ndef find(order_id):\n    try:\n"
        "        return orders[order_id]\n"
        "    except KeyError:\n        raise OrderNotFound(order_id)\n"
    )
    assert "except KeyError as err:" in _fix_once(tmp_path, "IL304", source)


def test_il304_non_ascii_columns(tmp_path: Path) -> None:
    source = "try:\n    größe = maße['ä']\nexcept KeyError:\n    raise Ungültig('größe')  # ä\n"
    findings = _found(tmp_path, "IL304", source)
    assert _at(findings) == [(4, 5)]
    assert findings[0].end_column == 28
    assert _fix_once(tmp_path, "IL304", source) == (
        "try:\n    größe = maße['ä']\nexcept KeyError as err:\n    raise Ungültig('größe') from err  # ä\n"
    )


def test_il304_raise_in_nested_function_or_class_is_not_in_the_handler(tmp_path: Path) -> None:
    source = (
        "try:\n    connect()\nexcept OSError:\n    class Retry:\n        def run(self):\n            raise Again()\n"
        "    handler = lambda: None\n"
    )
    assert _found(tmp_path, "IL304", source) == []


def test_il304_loop_and_nested_handlers(tmp_path: Path) -> None:
    source = (
        "for order in orders:\n    try:\n        ship(order)\n    except OSError as outer:\n        try:\n"
        "            retry(order)\n        except OSError:\n            raise ShippingFailed(order)\n"
    )
    fixed = _fix_once(tmp_path, "IL304", source)
    # The innermost handler is the cause; it gets its own name.
    assert "        except OSError as err:\n            raise ShippingFailed(order) from err\n" in fixed


@needs_try_star
def test_il304_try_star(tmp_path: Path) -> None:
    source = "try:\n    connect()\nexcept* OSError:\n    raise Failed()\n"
    expected = "try:\n    connect()\nexcept* OSError as err:\n    raise Failed() from err\n"
    assert _fix_once(tmp_path, "IL304", source) == expected


# IL305 error-log-without-traceback ---------------------------------------------------------
_LOGGING = "import logging\n\ntry:\n    charge()\nexcept PaymentError:\n"


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("logging.critical()", "logging.critical(exc_info=True)"),
        ("logging.critical('x',)", "logging.critical('x', exc_info=True,)"),
        ("logging.critical(('a' 'b'))", "logging.critical(('a' 'b'), exc_info=True)"),
        ("logging.critical('%s', *args)", "logging.critical('%s', *args, exc_info=True)"),
        ("(logging.critical)('x')", "(logging.critical)('x', exc_info=True)"),
        ("logging.critical('x', extra={'a': f'{1}'})", "logging.critical('x', extra={'a': f'{1}'}, exc_info=True)"),
        ("logging . error ('x')", "logging . exception ('x')"),
        ("logging.getLogger('ü').error('é')", "logging.getLogger('ü').exception('é')"),
    ],
)
def test_il305_fixes(tmp_path: Path, call: str, fixed: str) -> None:
    source = _LOGGING + f"    {call}\n"
    [finding] = _found(tmp_path, "IL305", source)
    assert (finding.line, finding.column) == (6, 5)
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    assert _fix_once(tmp_path, "IL305", source) == _LOGGING + f"    {fixed}\n"


def test_il305_generator_argument_has_no_fix(tmp_path: Path) -> None:
    [finding] = _found(tmp_path, "IL305", _LOGGING + "    logging.critical(x for x in y)\n")
    assert finding.fix is None


def test_il305_explicit_exc_info_and_other_levels(tmp_path: Path) -> None:
    calls = ("logging.error('x', exc_info=False)", "logging.exception('x')", "logging.info('x')", "errors.error('x')")
    for call in calls:
        assert _found(tmp_path, "IL305", _LOGGING + f"    {call}\n") == [], call


def test_il305_nested_handlers_and_loops(tmp_path: Path) -> None:
    source = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\nfor order in orders:\n    try:\n"
        "        charge(order)\n"
        "    except PaymentError:\n        try:\n            refund(order)\n        except RefundError:\n"
        "            logger.critical('refund failed')\n        logger.error('payment failed')\n"
        "    logger.error('not in a handler')\n"
    )
    assert _at(_found(tmp_path, "IL305", source)) == [(12, 13), (13, 9)]



def test_il304_raise_caught_by_a_different_inner_handler_is_reported(tmp_path: Path) -> None:
    from tests.helpers import lint_example

    source = (
        "try:\n    value = current[bit]\nexcept KeyError:\n    try:\n"
        "        raise LookupFailed(bit)\n    except (TypeError, AttributeError):\n        value = None\n"
    )
    found = [f for f in lint_example(tmp_path, "shop/lookup.py", source) if f.code == "IL304"]
    assert [(f.line, f.column) for f in found] == [(5, 9)]


def test_il303_a_with_block_that_does_not_reraise_is_still_swallowing(tmp_path: Path) -> None:
    from tests.helpers import lint_example

    source = "try:\n    commit()\nexcept Exception:\n    with lock():\n        rollback()\n"
    found = [f for f in lint_example(tmp_path, "shop/uow.py", source) if f.code == "IL303"]
    assert [(f.line, f.column) for f in found] == [(3, 1)]
