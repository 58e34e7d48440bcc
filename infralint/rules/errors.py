"""IL3: error handling — external calls without a guard, handlers that
catch too much or lose the error, exceptions raised without their cause."""

from __future__ import annotations

import ast
import io
import itertools
import tokenize
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from infralint import catalog
from infralint.findings import Applicability, Edit, Fix
from infralint.layers import INFRASTRUCTURE
from infralint.rules.base import ALL_CODE, FixAvailability, Invalid, Rule, Valid
from infralint.rules.common import (
    LOGURU,
    STDLIB,
    STRUCTLOG,
    WRAPPER,
    decorator_names,
    enclosing_handler,
    logger_kind,
    logging_call,
    source_text,
)
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

if TYPE_CHECKING:
    from infralint.context import FileContext

Position = Tuple[int, int, int, int]

# ``except*`` handlers (3.11+) are treated like ``except`` handlers.
_TRY_STAR: Tuple[type, ...] = (ast.TryStar,) if hasattr(ast, "TryStar") else ()  # type: ignore[attr-defined]
_TRY_TYPES: Tuple[type, ...] = (ast.Try,) + _TRY_STAR
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Code in these runs later (or in another scope), not as part of the handler.
_NESTED_SCOPES = _FUNCTIONS + (ast.ClassDef,)
_BROAD_EXCEPTIONS = ("builtins.Exception", "builtins.BaseException")
_HTTP_FUNCTIONS = frozenset(catalog.HTTP_FUNCTIONS + catalog.EXTERNAL_CALL_FUNCTIONS)
# What creates an object whose methods may call out (see `_calls_out`).
_CLIENT_CONSTRUCTORS = (
    catalog.HTTP_CLIENT_CONSTRUCTORS
    + catalog.CLOUD_CLIENT_CONSTRUCTORS
    + catalog.SMTP_CONSTRUCTORS
    + tuple(catalog.BROKER_PUBLISH_METHODS)
)
_EXTERNAL_PRODUCERS = catalog.HTTP_FUNCTIONS + catalog.EXTERNAL_CALL_FUNCTIONS + _CLIENT_CONSTRUCTORS
# IL305: methods that log at error level or above; `fatal` is the stdlib's
# alias of `critical`.
_ERROR_METHODS = ("error", "critical", "fatal")
# Names tried, in order, when IL304's fix must bind the caught exception.
_CAUSE_NAMES = ("err", "error", "exc")


class UnguardedExternalCall(Rule):
    """## What it does
    Reports, in the infrastructure layer, a call to an external service that
    has no error handling around it:

    - an HTTP request: `requests` / `httpx` functions (`requests.post`,
      `httpx.get`, ...), `aiohttp.request`, `urllib.request.urlopen`, or a
      request method (`get`, `post`, `request`, `send`, `stream`, ...) of a
      session or client created by `requests.Session()`, `httpx.Client()`,
      `httpx.AsyncClient()` or `aiohttp.ClientSession()`;
    - any method of a cloud SDK client created by `boto3.client(...)` /
      `boto3.resource(...)`, and of objects derived from one (the
      `put_object` of `s3.Bucket("b")`), except those that build something
      locally and send no request: sub-resources (`s3.Bucket("b")`,
      `dynamodb.Table("t")`: CamelCase), `get_paginator`, `paginate`,
      `can_paginate`, `get_waiter`, `generate_presigned_url`,
      `generate_presigned_post` (catalogue); a waiter's `wait` is a request;
    - `smtplib` sending (`send_message`, `sendmail`, `login`, `starttls`);
    - a message-broker publish (`pika` `basic_publish`, kafka `send` /
      `produce` / `flush`).

    The object is recognised by what created it, through import aliases,
    module-level and local names, `with ... as name` and attributes set on
    `self` (see the binding tracker), or by its annotation when it is
    passed in (`def __init__(self, session: requests.Session)`, then
    `self.session.get(...)`), not by its name. A module that imports none
    of these libraries is not checked.

    A call is guarded when it sits in the *body* of a `try` statement that
    has at least one `except` handler, in the same function: a call in an
    `except`, `else` or `finally` block, or in a nested function or lambda
    defined in the `try` body, is not guarded by it. A call is also guarded
    when the function holding it, or a function around that one, is
    decorated by a retry or circuit-breaker decorator (tenacity `retry`,
    backoff `on_exception` / `on_predicate`, stamina `retry`, `retrying`,
    `circuitbreaker.circuit`, or a `pybreaker.CircuitBreaker` instance used
    as `@breaker`).

    Database calls are not reported: a unit of work owns their error
    handling. In a chain such as `s3.Bucket("b").put_object(...)` only the
    outermost call is reported.

    ## Why is this bad?
    Networks fail. An unguarded call turns a timeout or a 503 from a
    dependency into an unhandled exception deep inside a use case, with no
    log line saying which service failed and no retry. Adapters are where
    infrastructure errors are caught, logged and translated into the
    domain's own exceptions.

    ## Options
    - `extend-retry-decorators`: qualified names of further decorators that
      retry or break circuits, e.g. `["shop.infrastructure.resilience.retrying"]`.
    """

    code = "IL301"
    name = "unguarded-external-call"
    message = "{callee}() is called without error handling: wrap it in try/except or a retry decorator"
    applies_to = frozenset({INFRASTRUCTURE})
    options = {"extend-retry-decorators": []}
    visit_triggers = tuple(sorted({qualified.split(".")[0] for qualified in _EXTERNAL_PRODUCERS}))
    VALID = [
        Valid(
            "import requests\n\n\ndef fetch(url):\n    try:\n        return requests.get(url, timeout=5)\n"
            "    except requests.RequestException as error:\n        raise OrderServiceDown(url) from error\n"
        ),
        Valid(
            "import requests\nfrom tenacity import retry, stop_after_attempt\n\n\n"
            "@retry(stop=stop_after_attempt(3))\ndef fetch(url):\n    return requests.get(url, timeout=5)\n"
        ),
        Valid(
            "import backoff\nimport httpx\n\n\n@backoff.on_exception(backoff.expo, httpx.HTTPError)\n"
            "async def fetch(url):\n    async def attempt():\n        async with httpx.AsyncClient() as client:\n"
            "            return await client.get(url)\n\n    return await attempt()\n"
        ),
        Valid(
            "import pybreaker\nimport requests\n\nbreaker = pybreaker.CircuitBreaker(fail_max=5)\n\n\n"
            "@breaker\ndef fetch(url):\n    return requests.get(url, timeout=5)\n"
        ),
        Valid(
            "import requests\n\n\ndef fetch(url):\n    try:\n        try:\n"
            "            return requests.get(url, timeout=5)\n"
            "        finally:\n            audit(url)\n    except requests.RequestException:\n        return None\n"
        ),
        Valid("import requests\n\n"
              "response = requests.get('https://example.com')\n", path="tests/infrastructure/test_api.py"),
        Valid("import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n", path="shop/domain/prices.py"),
        Valid(
            "from sqlalchemy.orm import Session\n\n\ndef save(engine, order):\n    with Session(engine) as session:\n"
            "        session.execute(insert_order(order))\n        session.commit()\n"
        ),
        Valid("import requests\n\nsession = requests.Session()\n\n\ndef close():\n    session.close()\n"),
        Valid("import requests\n\n\ndef fetch(session, url):\n    return session.get(url, timeout=5)\n"),
    ]
    INVALID = [
        Invalid(
            "import httpx\n\n\nclass Rates:\n    def __init__(self, client: httpx.AsyncClient) -> None:\n"
            "        self._client = client\n\n    async def latest(self):\n"
            "        response = await self._client.get('https://rates/latest')\n        return response.json()\n",
            at=[(9, 26)],
            message="self._client.get() is called without error handling",
        ),
        Invalid(
            "import requests\n\n\ndef notify(url, order):\n    return requests.post(url, json=order, timeout=5)\n",
            at=[(5, 12)],
            message="requests.post() is called without error handling",
        ),
        Invalid(
            "import requests as r\n\n\ndef fetch(url):\n    return r.get(url, timeout=5)\n",
            at=[(5, 12)],
            message="requests.get() is called",
        ),
        Invalid(
            "from requests import post\n\n\ndef notify(url):\n    post(url, timeout=5)\n",
            at=[(5, 5)],
            message="requests.post()",
        ),
        Invalid(
            "import httpx\n\n\nasync def fetch(url):\n    async with httpx.AsyncClient() as client:\n"
            "        return await client.get(url)\n",
            at=[(6, 22)],
            message="client.get()",
        ),
        Invalid(
            "import requests\n\n\nclass OrdersClient:\n    def __init__(self):\n"
            "        self.session = requests.Session()\n\n"
            "    def fetch(self, order_id):\n        return self.session.get(\n            f'/orders/{order_id}',\n"
            "            timeout=5,\n        )\n",
            at=[(9, 16)],
            message="self.session.get()",
        ),
        Invalid(
            "import requests\n\n\ndef fetch(url):\n    try:\n        return requests.get(url, timeout=5)\n"
            "    except requests.Timeout:\n        return requests.get(url, timeout=30)\n",
            at=[(8, 16)],
        ),
        Invalid(
            "import requests\n\n\ndef fetcher(url):\n    try:\n        def fetch():\n"
            "            return requests.get(url)\n"
            "        return fetch\n    except ValueError:\n        return None\n",
            at=[(7, 20)],
        ),
        Invalid(
            "import requests\n\ntry:\n    fetch = lambda url: requests.get(url)\nexcept ImportError:\n"
            "    fetch = None\n",
            at=[(4, 25)],
        ),
        Invalid(
            "import boto3\n\ns3 = boto3.resource('s3')\n\n\ndef upload(key, body):\n"
            "    s3.Bucket('orders').put_object(Key=key, Body=body)\n",
            at=[(7, 5)],
            message="s3.Bucket('orders').put_object()",
        ),
        Invalid(
            "import smtplib\n\n\ndef send(message):\n    with smtplib.SMTP('mail.example.com') as smtp:\n"
            "        smtp.send_message(message)\n",
            at=[(6, 9)],
        ),
        Invalid(
            "import pika\n\nconnection = pika.BlockingConnection(pika.ConnectionParameters('rabbit'))\n"
            "channel = connection.channel()\n\n\ndef publish(body):\n"
            "    channel.basic_publish(exchange='', routing_key='orders', body=body)\n",
            at=[(4, 11), (8, 5)],
        ),
    ]

    def begin(self) -> None:
        self._retry_decorators: FrozenSet[str] = frozenset(catalog.RETRY_DECORATORS) | frozenset(
            self.option("extend-retry-decorators")
        )
        # A producer is a name the module's imports resolve to: only objects
        # of these constructors can call out here, and a method none of them
        # calls out with needs no producer (most calls: the search is costly).
        model = self.ctx.model
        self._constructors = tuple(c for c in _CLIENT_CONSTRUCTORS if model.may_resolve_to(c))

    def visit_Call(self, node: ast.Call) -> None:
        callee = self._external_callee(node)
        if callee is None or self._is_receiver_of_external_call(node) or self._guarded(node):
            return
        self.report(node, callee=callee)

    def _external_callee(self, call: ast.Call) -> Optional[str]:
        """How to name ``call`` in the message when it calls out, else None."""
        qualified = self.ctx.model.resolve(call.func)
        if qualified in _HTTP_FUNCTIONS:
            return qualified
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        if not any(_calls_out(constructor, func.attr) for constructor in self._constructors):
            return None
        producer = self.ctx.producer(func.value)
        if producer is not None and _calls_out(producer, func.attr):
            return _label(func)
        return None

    def _is_receiver_of_external_call(self, call: ast.Call) -> bool:
        """``s3.Bucket("b")`` in ``s3.Bucket("b").put_object(...)``: one
        statement, one finding, at the outermost call."""
        ancestors = self.ctx.ancestors
        if len(ancestors) < 2:
            return False
        attribute, outer = ancestors[-1], ancestors[-2]
        return (
            isinstance(attribute, ast.Attribute)
            and isinstance(outer, ast.Call)
            and outer.func is attribute
            and self._external_callee(outer) is not None
        )

    def _guarded(self, node: ast.AST) -> bool:
        child = node
        in_nested_function = False
        for ancestor in reversed(self.ctx.ancestors):
            if (
                isinstance(ancestor, _TRY_TYPES)
                and not in_nested_function
                and ancestor.handlers
                and any(statement is child for statement in ancestor.body)
            ):
                return True
            if isinstance(ancestor, _FUNCTIONS):
                # A `try` around the definition does not run the call; a
                # retry decorator on any enclosing function does wrap it.
                in_nested_function = True
                if self._retries(ancestor):
                    return True
            child = ancestor
        return False

    def _retries(self, function: ast.AST) -> bool:
        if any(name in self._retry_decorators for name in decorator_names(self.ctx, function)):
            return True
        for decorator in getattr(function, "decorator_list", ()):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            # `@breaker` where `breaker = pybreaker.CircuitBreaker(...)`.
            if self.ctx.bindings.producer(target) in self._retry_decorators:
                return True
        return False


def _calls_out(producer: str, method: str) -> bool:
    """Whether calling ``method`` on an object made by ``producer`` talks to
    an external service."""
    if producer in catalog.HTTP_CLIENT_CONSTRUCTORS:
        return method in catalog.HTTP_CLIENT_METHODS
    if producer in catalog.CLOUD_CLIENT_CONSTRUCTORS:
        return not method[:1].isupper() and method not in catalog.CLOUD_CLIENT_LOCAL_METHODS
    if producer in catalog.SMTP_CONSTRUCTORS:
        return method in catalog.SMTP_SEND_METHODS
    return method in catalog.BROKER_PUBLISH_METHODS.get(producer, ())


class BareExcept(Rule):
    """## What it does
    Reports `except:` with no exception type, at the `except` keyword.

    ## Why is this bad?
    A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and
    `GeneratorExit`: Ctrl-C, `sys.exit()` and task cancellation are
    swallowed along with the error you meant to handle. Even when that is
    intended, `except BaseException:` says so explicitly.

    ## Fix safety
    When the handler's last statement is a bare `raise`, every exception is
    re-raised and the fix to `except BaseException:` is safe: the behaviour
    is identical. Otherwise the fix writes `except Exception:`, which is
    unsafe: the handler stops catching `KeyboardInterrupt`, `SystemExit`
    and `GeneratorExit`.
    """

    code = "IL302"
    name = "bare-except"
    message = "bare `except:` also catches KeyboardInterrupt and SystemExit: name the exception type"
    fix_title = "Name the exception type"
    applies_to = ALL_CODE
    fix_availability = FixAvailability.SOMETIMES
    visit_triggers = ("except",)
    VALID = [
        Valid("def load(path):\n    try:\n        return read(path)\n    except Exception:\n        return None\n"),
        Valid("try:\n    connect()\nexcept BaseException:\n    rollback()\n    raise\n"),
        Valid(
            "from sqlalchemy import util\n\ntry:\n    commit()\nexcept Exception:\n"
            "    with util.safe_reraise():\n        rollback()\n"
        ),
        Valid("try:\n    import ujson as json\nexcept (ImportError, ModuleNotFoundError):\n    import json\n"),
        Valid("try:\n    connect()\nexcept:\n    pass\n", path="tests/infrastructure/test_db.py"),
        Valid("EXAMPLE = '''\ntry:\n    connect()\nexcept:\n    pass\n'''\n"),
    ]
    INVALID = [
        Invalid(
            "def load(path):\n    try:\n        return read(path)\n    except:\n        return None\n",
            at=[(4, 5)],
            message="bare `except:`",
            fixed="def load(path):\n    try:\n        return read(path)\n    except Exception:\n        return None\n",
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "try:\n    connect()\nexcept:\n    rollback()\n    raise\n",
            at=[(3, 1)],
            fixed="try:\n    connect()\nexcept BaseException:\n    rollback()\n    raise\n",
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "for attempt in range(3):\n    try:\n        connect()\n        break\n    except :  # retry\n"
            "        continue\n",
            at=[(5, 5)],
            fixed=(
                "for attempt in range(3):\n    try:\n        connect()\n        break\n"
                "    except Exception :  # retry\n        continue\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "try:\n    connect()\nexcept KeyError:\n    try:\n        fallback()\n    except:\n"
            "        raise Failed()\n",
            at=[(6, 5)],
            fixed=(
                "try:\n    connect()\nexcept KeyError:\n    try:\n        fallback()\n    except Exception:\n"
                "        raise Failed()\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "class Cache:\n    try:\n        import redis\n    except: redis = None\n",
            at=[(4, 5)],
            path="shop/application/cache.py",
        ),
    ]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            return
        last = node.body[-1] if node.body else None
        reraises = isinstance(last, ast.Raise) and last.exc is None
        replacement = "BaseException" if reraises else "Exception"
        position = _except_keyword(self.ctx, node)
        edit = Edit(position[:2], position[2:], f"except {replacement}")
        applicability = Applicability.SAFE if reraises else Applicability.UNSAFE
        self.report(position=position, fix=Fix((edit,), applicability, f"Replace with `except {replacement}:`"))


class SwallowedException(Rule):
    """## What it does
    Reports a broad handler — `except:`, `except Exception`,
    `except BaseException` (also written `builtins.Exception`), or a tuple
    containing one of them; `except*` too — whose body does none of:

    - raise (a bare `raise`, or any `raise` statement);
    - log: a logger method such as `logger.warning(...)` on the `logging`
      module, on a logger from `logging.getLogger(...)` or
      `structlog.get_logger(...)`, on loguru's `logger`, on a parameter or
      attribute annotated `logging.Logger`, on a logger imported from a
      first-party module (`from shop.log import logger`), on an instance
      of a first-party logging wrapper (`self.log = LogService(...)`: a
      class named for logging, or an instance stored under a logger's
      name — its logging methods still log), or on an object named
      `logger`, `log`, `LOGGER`, `_logger` ... whose origin is not visible
      (bound loggers such as `log.bind(...).info(...)` and
      `logger.opt(...).error(...)` count); `warnings.warn(...)`;
    - record the error: `traceback.print_exc()` / `print_exception()` /
      `format_exc()` / `format_exception()`, `sys.exc_info()`,
      `sys.exception()`, `sentry_sdk.capture_exception()`;
    - re-raise through a context manager named for it: a `with` whose
      manager's name contains `reraise` (SQLAlchemy's
      `util.safe_reraise()`, oslo's `save_and_reraise_exception()`), which
      raises the caught exception again when the block ends;
    - use the bound exception name (`except Exception as error:` and any
      read of `error`).

    Code in functions, lambdas and classes defined inside the handler does
    not count: it does not run as part of handling the error. Narrow
    handlers (`except KeyError: pass`) are deliberate and never reported.

    ## Why is this bad?
    The error disappears without a trace: no log line, no metric, no
    re-raise. When the dependency starts failing, nobody can tell why the
    service returns empty results. Catch what you expect, or log it.
    """

    code = "IL303"
    languages = PYTHON_AND_TYPESCRIPT
    name = "swallowed-exception"
    message = "`{clause}` swallows the exception: the handler neither raises, logs nor uses it"
    applies_to = ALL_CODE
    visit_triggers = ("except",)
    VALID = [
        Valid("try:\n    value = cache[key]\nexcept KeyError:\n    pass\n"),
        Valid(
            "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef load(path):\n    try:\n"
            "        return read(path)\n    except Exception:\n        logger.warning('cannot read %s', path)\n"
            "        return None\n"
        ),
        Valid("def load(path):\n    try:\n        return Ok(read(path))\n    except Exception as error:\n"
              "        return Err(error)\n"),
        Valid("try:\n    connect()\nexcept BaseException:\n    rollback()\n    raise\n"),
        Valid("import warnings\n\ntry:\n    import ujson as json\nexcept Exception:\n"
              "    warnings.warn('ujson is broken')\n"),
        Valid("import traceback\n\ntry:\n    connect()\nexcept:\n    traceback.print_exc()\n"),
        Valid(
            "class Repository:\n    def save(self, order):\n        try:\n            self.db.add(order)\n"
            "        except Exception:\n            self.logger.error('cannot save', exc_info=True)\n"
        ),
        Valid("try:\n    connect()\nexcept Exception:\n    pass\n", path="tests/test_db.py"),
        # A first-party wrapper's logging methods still log.
        Valid(
            "from shop.audit import AuditLog\n\n\nclass Orders:\n    def __init__(self):\n"
            "        self.audit = AuditLog('orders')\n\n    async def cancel(self, order):\n        try:\n"
            "            await self.gateway.cancel(order)\n        except Exception:\n"
            "            self.audit.warning('cancel failed')\n",
            files={"shop/audit.py": "class AuditLog:\n    def warning(self, message):\n        print(message)\n"},
        ),
    ]
    INVALID = [
        Invalid(
            "def load(path):\n    try:\n        return read(path)\n    except Exception:\n        return None\n",
            at=[(4, 5)],
            message="`except Exception` swallows the exception",
        ),
        Invalid("try:\n    connect()\nexcept:\n    pass\n", at=[(3, 1)], message="`except` swallows"),
        Invalid(
            "import builtins\n\ntry:\n    connect()\nexcept (ValueError, builtins.Exception) as error:\n    pass\n",
            at=[(5, 1)],
            message="`except (ValueError, builtins.Exception)`",
        ),
        Invalid(
            "def load(callbacks):\n    try:\n        connect()\n    except BaseException as error:\n"
            "        callbacks.append(lambda: print(error))\n",
            at=[(4, 5)],
        ),
        Invalid(
            "for order in orders:\n    try:\n        ship(order)\n    except Exception:\n"
            "        def later():\n            raise Retry()\n        continue\n",
            at=[(4, 5)],
            path="shop/application/shipping.py",
        ),
        # An instance of a first-party class that is not about logging.
        Invalid(
            "from shop.metrics import Counter\n\nfailures = Counter('orders')\n\n\ndef cancel(order):\n"
            "    try:\n        gateway.cancel(order)\n    except Exception:\n        failures.info('cancel')\n",
            at=[(9, 5)],
            files={"shop/metrics.py": "class Counter:\n    def info(self, name):\n        pass\n"},
        ),
    ]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if not _is_broad(self.ctx, node) or self._handles(node):
            return
        self.report(position=_except_keyword(self.ctx, node), clause=_clause(self.ctx, node))

    def _handles(self, handler: ast.ExceptHandler) -> bool:
        for node in _handler_nodes(handler):
            if isinstance(node, ast.Raise):
                return True
            if isinstance(node, (ast.With, ast.AsyncWith)) and any(_reraising_manager(i.context_expr) for i in node.items):
                return True
            if isinstance(node, ast.Name) and node.id == handler.name and isinstance(node.ctx, ast.Load):
                return True
            if isinstance(node, ast.Call) and (
                _log_call(self.ctx, node, wrappers=True) is not None
                or self.ctx.model.resolve(node.func) in catalog.WARNING_FUNCTIONS + catalog.ERROR_REPORTING_FUNCTIONS
            ):
                return True
        return False


class RaiseWithoutCause(Rule):
    """## What it does
    Reports `raise NewError(...)` (or `raise NewError`) directly inside an
    `except` handler without `from`. Not reported: a bare `raise`,
    re-raising the caught exception (`raise error`,
    `raise error.with_traceback(tb)`, also the exception of an outer
    handler of the same function), `raise ... from error` and
    `raise ... from None`. A `raise` in a function defined inside the
    handler is not inside the handler. Neither is a `raise` in the body of
    a `try` inside the handler whose own `except` catches it by the same
    name (or broadly): the exception is a local control-flow signal that
    never leaves the handler (`try: ... raise AttributeError ... except
    (TypeError, AttributeError): ...`).

    ## Why is this bad?
    Without `from`, Python prints the original error as "During handling of
    the above exception, another exception occurred": it reads like a bug
    in the handler rather than the cause of the new error, and code and
    error trackers that follow `__cause__` do not see it. `from error`
    states the cause; `from None` states that the original error is
    irrelevant.

    ## Fix safety
    The fix adds `from <name>` after the raised exception, using the
    handler's name. When the handler has none it also binds one
    (`except KeyError as err:`), choosing `err`, `error`, `exc`, `err2`,
    ... — the first name that does not appear in the enclosing function
    nor bound at module level, so nothing is shadowed (a handler's name is
    deleted when the handler ends). It is safe: only `__cause__` and the
    traceback's wording change. A bare `except:` cannot bind a name: no
    fix there. Two raises in one unnamed handler are fixed in two rounds
    (the second uses the name the first one bound).
    """

    code = "IL304"
    name = "raise-without-cause"
    message = "{exception} is raised in an except handler without `from`: chain the caught exception as its cause"
    fix_title = "Add `from` with the caught exception"
    applies_to = ALL_CODE
    fix_availability = FixAvailability.SOMETIMES
    visit_triggers = ("except",)
    VALID = [
        Valid("try:\n    order = orders[order_id]\nexcept KeyError as error:\n"
              "    raise OrderNotFound(order_id) from error\n"),
        Valid("try:\n    order = orders[order_id]\nexcept KeyError:\n    raise OrderNotFound(order_id) from None\n"),
        Valid("try:\n    connect()\nexcept OSError:\n    rollback()\n    raise\n"),
        Valid("try:\n    connect()\nexcept OSError as error:\n    log(error)\n    raise error\n"),
        Valid(
            "try:\n    connect()\nexcept OSError as error:\n    try:\n        rollback()\n"
            "    except RuntimeError:\n        raise error\n"
        ),
        Valid("try:\n    connect()\nexcept OSError:\n    def retry():\n        raise Retry()\n    schedule(retry)\n"),
        Valid("def check(order):\n    if not order.lines:\n        raise EmptyOrder(order.id)\n"),
        # Caught again right away by the inner try: a control-flow signal.
        Valid(
            "try:\n    value = current[bit]\nexcept KeyError:\n    try:\n"
            "        if hidden(current):\n            raise AttributeError\n"
            "        value = getattr(current, bit)\n    except (TypeError, AttributeError):\n"
            "        value = None\n"
        ),
        Valid("try:\n    connect()\nexcept OSError:\n    raise Failed()\n", path="tests/test_db.py"),
    ]
    INVALID = [
        Invalid(
            "try:\n    order = orders[order_id]\nexcept KeyError:\n    raise OrderNotFound(order_id)\n",
            at=[(4, 5)],
            message="OrderNotFound is raised in an except handler without `from`",
            fixed="try:\n    order = orders[order_id]\nexcept KeyError as err:\n"
                  "    raise OrderNotFound(order_id) from err\n",
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "try:\n    order = orders[order_id]\nexcept KeyError as missing:\n    raise OrderNotFound\n",
            at=[(4, 5)],
            fixed="try:\n    order = orders[order_id]\nexcept KeyError as missing:\n"
                  "    raise OrderNotFound from missing\n",
        ),
        Invalid(
            "def find(order_id, err):\n    try:\n        return orders[order_id]\n    except (KeyError, IndexError):\n"
            "        raise errors.OrderNotFound(\n            order_id,\n        )\n",
            at=[(5, 9)],
            message="errors.OrderNotFound is raised",
            fixed=(
                "def find(order_id, err):\n    try:\n        return orders[order_id]\n"
                "    except (KeyError, IndexError) as error:\n        raise errors.OrderNotFound(\n"
                "            order_id,\n        ) from error\n"
            ),
        ),
        Invalid(
            "try:\n    connect()\nexcept (OSError):  # network\n    raise (ConnectionFailed())\n",
            at=[(4, 5)],
            fixed="try:\n    connect()\nexcept (OSError) as err:  # network\n    raise (ConnectionFailed()) from err\n",
        ),
        Invalid("try:\n    connect()\nexcept:\n    raise ConnectionFailed()\n", at=[(4, 5)]),
        Invalid(
            "for order in orders:\n    try:\n        ship(order)\n    except OSError:\n        pass\n"
            "    except ValueError as error:\n        raise InvalidOrder(order.id, str(error))\n",
            at=[(7, 9)],
            path="shop/application/shipping.py",
            fixed=(
                "for order in orders:\n    try:\n        ship(order)\n    except OSError:\n        pass\n"
                "    except ValueError as error:\n        raise InvalidOrder(order.id, str(error)) from error\n"
            ),
        ),
    ]

    def begin(self) -> None:
        self._taken_by_scope: Dict[int, Set[str]] = {}
        self._module_names: Optional[Set[str]] = None

    def visit_Raise(self, node: ast.Raise) -> None:
        exception = node.exc
        if exception is None or node.cause is not None:
            return
        handler = enclosing_handler(self.ctx)
        if handler is None or _reraises(exception, self._caught_names()):
            return
        raised = exception.func if isinstance(exception, ast.Call) else exception
        if self._caught_locally(node, handler, raised):
            return
        self.report(node, fix=self._fix(node, handler), exception=_label(raised))

    def _caught_locally(self, node: ast.Raise, handler: ast.ExceptHandler, raised: ast.expr) -> bool:
        """The raise sits in the body of a ``try`` nested in ``handler``
        whose handlers catch the raised class (same dotted name, or a broad
        ``except``), so it never propagates out of the handler."""
        label = _label(raised)
        chain = list(self.ctx.ancestors) + [node]
        for index in range(len(chain) - 2, -1, -1):
            ancestor = chain[index]
            if ancestor is handler:
                return False
            if isinstance(ancestor, (ast.Try, getattr(ast, "TryStar", ast.Try))):
                child = chain[index + 1]
                if any(child is statement for statement in ancestor.body):
                    for inner in ancestor.handlers:
                        caught = _handler_types(inner.type)
                        if inner.type is None or label in caught or caught & {"Exception", "BaseException"}:
                            return True
        return False

    def _caught_names(self) -> Set[str]:
        """Names bound by the handlers around the node, in this function."""
        names = set()
        for ancestor in reversed(self.ctx.ancestors):
            if isinstance(ancestor, _NESTED_SCOPES):
                break
            if isinstance(ancestor, ast.ExceptHandler) and ancestor.name:
                names.add(ancestor.name)
        return names

    def _fix(self, node: ast.Raise, handler: ast.ExceptHandler) -> Optional[Fix]:
        edits: List[Edit] = []
        name = handler.name
        if name is None:
            if handler.type is None:
                return None
            name = self._free_name()
            after = _after_type(self.ctx, handler)
            # Every raise of the handler carries this same edit; the fix
            # applier takes one fix per spot, the next round the others.
            edits.append(Edit(after, after, f" as {name}"))
        _, _, end_line, end_column = self.ctx.char_range(node)
        edits.append(Edit((end_line, end_column), (end_line, end_column), f" from {name}"))
        return Fix(tuple(edits), Applicability.SAFE, f"Add `from {name}`")

    def _free_name(self) -> str:
        scope = self.ctx.enclosing_function()
        tree = self.ctx.tree
        assert tree is not None
        key = id(scope) if scope is not None else 0
        taken = self._taken_by_scope.get(key)
        if taken is None:
            if self._module_names is None:
                self._module_names = _module_level_names(tree, "global" in self.ctx.text.text)
            # Outside a function, every name of the module is avoided.
            taken = _identifiers(scope if scope is not None else tree) | self._module_names
            self._taken_by_scope[key] = taken
        candidates = itertools.chain(_CAUSE_NAMES, (f"err{n}" for n in itertools.count(2)))
        return next(candidate for candidate in candidates if candidate not in taken)


def _reraising_manager(expression: ast.expr) -> bool:
    """``util.safe_reraise()`` / ``save_and_reraise_exception()``: a context
    manager whose name says it re-raises the exception being handled."""
    target = expression.func if isinstance(expression, ast.Call) else expression
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return "reraise" in name.lower()


def _handler_types(node: Optional[ast.expr]) -> Set[str]:
    """Dotted names of the classes an ``except`` clause names."""
    if node is None:
        return set()
    elements = node.elts if isinstance(node, ast.Tuple) else [node]
    return {_label(element) for element in elements}


def _reraises(exception: ast.expr, caught: Set[str]) -> bool:
    """``raise error`` / ``raise error.with_traceback(tb)`` of a caught one."""
    if isinstance(exception, ast.Call) and isinstance(exception.func, ast.Attribute):
        exception = exception.func.value
    return isinstance(exception, ast.Name) and exception.id in caught


class ErrorLogWithoutTraceback(Rule):
    """## What it does
    Reports a logging call at error level or above — `.error(...)`,
    `.critical(...)` and its stdlib alias `.fatal(...)` — inside an `except`
    handler without an `exc_info=` keyword, when the traceback is really
    lost. The receiver must be a logger, known from what it is bound to:
    the `logging` module, a logger from `logging.getLogger(...)` or
    `structlog.get_logger(...)`, loguru's `logger`, a parameter or
    attribute annotated `logging.Logger` (or a structlog logger type) —
    bound in the module or imported from a first-party module that binds
    it so (`from shop.log import logger`). An object named like a logger
    (`logger`, `log`, `self.logger`, ...) whose origin is not visible (an
    unannotated parameter) counts too. An instance of a first-party class
    that is not a `logging.Logger` subclass (`self.log = LogService()`) is
    a wrapper with an API of its own, not a logger: not reported.

    Not reported either: outside a handler (a function defined in a
    handler is outside it); with `exc_info=` (any value: it is an explicit
    choice) or `**kwargs` that may carry it; `logger.exception(...)` and
    loguru's `logger.opt(exception=...)`; when the handler raises after
    the call, on the path the call is on (a `raise` in another branch of
    an `if` does not count) — a bare `raise`, the caught exception
    (`raise error`), or `raise ... from <cause>` (not `from None`) —
    since the traceback travels on; and when the same handler
    logs the traceback anyway: a logger's `.exception(...)`, a logging
    call with a true `exc_info=`, `traceback.format_exc()` /
    `print_exc()` / `format_exception()` / `print_exception()`, or
    `sentry_sdk.capture_exception()`.

    ## Why is this bad?
    The message says something failed but the traceback — which call, which
    line, which underlying error — is lost, and the log is all there is
    when a dependency fails in production.

    ## Fix safety
    `.error(` becomes `.exception(`, which logs at the same level with the
    traceback. `.critical(` / `.fatal(` get `exc_info=True` as their last
    argument. The fix is safe when the logger is the `logging` module or
    comes from `logging.getLogger(...)` / `structlog.get_logger(...)` (or
    is annotated `logging.Logger`), here or in the first-party module it
    is imported from: those have the same signature plus the traceback.
    It is unsafe for loggers infralint cannot identify (`self.log` from an
    unannotated constructor argument, a first-party `Logger` subclass),
    which may not have an `exception` method or may treat `exc_info`
    differently, and for loguru, whose sinks print variable
    values in tracebacks by default (`diagnose=True`): review what starts
    being logged. loguru ignores `exc_info`, so its `critical` calls get no
    fix (write `logger.opt(exception=True).critical(...)`).
    """

    code = "IL305"
    name = "error-log-without-traceback"
    message = "{call}() in an except handler logs without the traceback: use .exception() or pass exc_info=True"
    fix_title = "Log the traceback"
    applies_to = ALL_CODE
    fix_availability = FixAvailability.SOMETIMES
    visit_triggers = ("except",)
    VALID = [
        Valid(
            "import logging\n\nlogger = logging.getLogger(__name__)\n\ntry:\n    charge(order)\n"
            "except PaymentError:\n    logger.exception('payment failed for %s', order.id)\n"
        ),
        Valid("import logging\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
              "    logging.error('payment failed', exc_info=True)\n"),
        Valid("import logging\n\n\ndef charge(order):\n    if order.total < 0:\n"
              "        logging.error('negative total')\n"),
        Valid("from loguru import logger\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
              "    logger.opt(exception=True).error('failed')\n"),
        Valid("try:\n    charge(order)\nexcept PaymentError:\n    logger.error('payment failed', **context)\n"),
        Valid("try:\n    charge(order)\nexcept PaymentError:\n    logger.warning('payment failed, retrying')\n"),
        Valid(
            "try:\n    charge(order)\nexcept PaymentError:\n    def report():\n        logger.error('failed')\n"
            "    schedule(report)\n"
        ),
        Valid("try:\n    charge(order)\nexcept PaymentError:\n"
              "    logger.error('failed')\n", path="tests/test_payments.py"),
        # The traceback travels on: a bare raise, or raise ... from.
        Valid(
            "import logging\n\nlogger = logging.getLogger(__name__)\n\n\nasync def charge(order):\n    try:\n"
            "        await gateway.charge(order)\n    except PaymentError:\n"
            "        logger.error('payment failed for %s', order.id)\n        raise\n"
        ),
        Valid(
            "import logging as log\n\n\nclass Payments:\n    def charge(self, order):\n        try:\n"
            "            self.gateway.charge(order)\n        except PaymentError as error:\n"
            "            log.error(\n                'payment failed for %s',\n                order.id,\n            )\n"
            "            if order.retryable:\n                raise RetryLater(order.id) from error\n"
        ),
        Valid(
            "import logging\n\nlog = logging.getLogger(__name__)\n\ntry:\n    charge(order)\n"
            "except PaymentError as error:\n    log.error(f'payment failed: {error}')\n    raise error\n"
        ),
        # The same handler logs the traceback.
        Valid(
            "import logging\nimport traceback\n\nlogger = logging.getLogger(__name__)\n\ntry:\n    charge(order)\n"
            "except PaymentError:\n    logger.error('payment failed: %s', traceback.format_exc())\n"
        ),
        Valid(
            "import logging\n\nlogger = logging.getLogger(__name__)\n\ntry:\n    charge(order)\n"
            "except PaymentError as e:\n    logger.error('payment failed')\n    logger.exception(e)\n"
        ),
        Valid(
            "import sentry_sdk\nfrom structlog import get_logger\n\nlog = get_logger()\n\ntry:\n    charge(order)\n"
            "except PaymentError as error:\n    log.error('payment failed')\n    sentry_sdk.capture_exception(error)\n"
        ),
        # A first-party wrapper is not a logger (its error() takes one argument).
        Valid(
            "from shop.log import LogService\n\n\nclass Payments:\n    def __init__(self):\n"
            "        self.log = LogService(__name__)\n\n    def charge(self, order):\n        try:\n"
            "            self.gateway.charge(order)\n        except PaymentError:\n"
            "            self.log.error(f'payment failed for {order.id}')\n",
            files={"shop/log.py": "class LogService:\n    def error(self, message):\n        print(message)\n"},
        ),
    ]
    INVALID = [
        Invalid(
            "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef charge(order):\n    try:\n"
            "        gateway.charge(order)\n    except PaymentError:\n"
            "        logger.error('payment failed for %s', order.id)\n",
            at=[(10, 9)],
            message="logger.error() in an except handler logs without the traceback",
            fixed=(
                "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef charge(order):\n    try:\n"
                "        gateway.charge(order)\n    except PaymentError:\n"
                "        logger.exception('payment failed for %s', order.id)\n"
            ),
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "import logging\n\ntry:\n    charge(order)\nexcept PaymentError:\n    logging.critical(\n"
            "        'payment failed for %s',\n        order.id,  # the id only\n    )\n",
            at=[(6, 5)],
            fixed=(
                "import logging\n\ntry:\n    charge(order)\nexcept PaymentError:\n    logging.critical(\n"
                "        'payment failed for %s',\n        order.id, exc_info=True,  # the id only\n    )\n"
            ),
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "class Gateway:\n    def __init__(self, log):\n        self.log = log\n\n    def charge(self, order):\n"
            "        try:\n            self.api.charge(order)\n        except PaymentError as error:\n"
            "            self.log.error('failed: %s', error)\n",
            at=[(9, 13)],
            message="self.log.error()",
            fixed=(
                "class Gateway:\n    def __init__(self, log):\n        self.log = log\n\n    def charge(self, order):\n"
                "        try:\n            self.api.charge(order)\n        except PaymentError as error:\n"
                "            self.log.exception('failed: %s', error)\n"
            ),
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "from loguru import logger\n\ntry:\n    charge(order)\nexcept PaymentError:\n    logger.error('failed')\n",
            at=[(6, 5)],
            fixed="from loguru import logger\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
                  "    logger.exception('failed')\n",
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            "from loguru import logger\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
            "    logger.critical('failed')\n",
            at=[(6, 5)],
        ),
        Invalid(
            "import structlog\n\nlog = structlog.get_logger()\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
            "    log.bind(order=order.id).fatal('payment failed')\n",
            at=[(8, 5)],
            fixed=(
                "import structlog\n\nlog = structlog.get_logger()\n\ntry:\n    charge(order)\nexcept PaymentError:\n"
                "    log.bind(order=order.id).fatal('payment failed', exc_info=True)\n"
            ),
        ),
        # A logger imported from the project's own module (relative import).
        Invalid(
            "from ..log import logger\n\n\nasync def charge(order):\n    try:\n        await gateway.charge(order)\n"
            "    except PaymentError:\n        logger.error('payment failed')\n        raise PaymentFailed(order.id)\n",
            at=[(8, 9)],
            files={"shop/__init__.py": "", "shop/infrastructure/__init__.py": "",
                   "shop/log.py": "import logging\n\nlogger = logging.getLogger('shop')\n"},
            fixed="from ..log import logger\n\n\nasync def charge(order):\n    try:\n        await gateway.charge(order)\n"
                  "    except PaymentError:\n        logger.exception('payment failed')\n        raise PaymentFailed(order.id)\n",
            applicability=Applicability.SAFE,
        ),
        # The raise is on another path.
        Invalid(
            "import logging\n\nlog = logging.getLogger(__name__)\n\ntry:\n    send(message)\n"
            "except SlackError as error:\n    if error.ignorable:\n        log.error('send failed: %s', error)\n"
            "    else:\n        raise\n",
            at=[(9, 9)],
        ),
        # Known by its annotation; the raise before the call does not count.
        Invalid(
            "import logging\n\n\nclass Payments:\n    def __init__(self, log: logging.Logger) -> None:\n"
            "        self.log = log\n\n    def charge(self, order):\n        try:\n            self.gateway.charge(order)\n"
            "        except PaymentError:\n            if order.fatal:\n                raise\n"
            "            self.log.error('payment failed', extra={'order': order.id})\n",
            at=[(14, 13)],
            applicability=Applicability.SAFE,
            fixed="import logging\n\n\nclass Payments:\n    def __init__(self, log: logging.Logger) -> None:\n"
            "        self.log = log\n\n    def charge(self, order):\n        try:\n            self.gateway.charge(order)\n"
            "        except PaymentError:\n            if order.fatal:\n                raise\n"
            "            self.log.exception('payment failed', extra={'order': order.id})\n",
        ),
    ]

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _ERROR_METHODS:
            return
        found = _log_call(self.ctx, node)
        if found is None or _passes_traceback(node):
            return
        handler = enclosing_handler(self.ctx)
        if handler is None or _keeps_traceback(self.ctx, handler, node):
            return
        self.report(node, fix=self._fix(node, found[1]), call=_label(func))

    def _fix(self, call: ast.Call, kind: str) -> Optional[Fix]:
        func = call.func
        assert isinstance(func, ast.Attribute)
        applicability = Applicability.SAFE if kind in (STDLIB, STRUCTLOG) else Applicability.UNSAFE
        if func.attr == "error":
            _, _, line, end = self.ctx.char_range(func)
            rename = Edit((line, end - len(func.attr)), (line, end), "exception")
            return Fix((rename,), applicability, "Use `.exception(`")
        if kind == LOGURU:
            return None  # loguru ignores exc_info
        edit = _append_keyword(self.ctx, call, "exc_info=True")
        return Fix((edit,), applicability, "Pass `exc_info=True`") if edit else None


# Handlers ---------------------------------------------------------------------
def _except_keyword(ctx: "FileContext", handler: ast.ExceptHandler) -> Position:
    """The range of the handler's ``except`` keyword."""
    line, column, _, _ = ctx.char_range(handler)
    return line, column, line, column + len("except")


def _clause(ctx: "FileContext", handler: ast.ExceptHandler) -> str:
    """``except``, ``except Exception``, ``except* (A, B)`` as written."""
    star = "*" if ctx.ancestors and isinstance(ctx.ancestors[-1], _TRY_STAR) else ""
    if handler.type is None:
        return "except"
    return f"except{star} {_label(handler.type)}"


def _is_broad(ctx: "FileContext", handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    if caught is None:
        return True
    types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(ctx.model.resolve(item) in _BROAD_EXCEPTIONS for item in types)


def _handler_nodes(handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    """The nodes of a handler's body that run as part of it: not those of
    nested functions, lambdas and classes."""
    pending: List[ast.AST] = list(handler.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, _NESTED_SCOPES):
            pending.extend(ast.iter_child_nodes(node))


def _after_type(ctx: "FileContext", handler: ast.ExceptHandler) -> Tuple[int, int]:
    """Where ``as name`` goes: after the handler's type and any parentheses
    around it (``except (KeyError):`` -> ``except (KeyError) as err:``)."""
    assert handler.type is not None
    _, _, line, column = ctx.char_range(handler.type)
    position = (line, column)
    last_line = handler.body[0].lineno if handler.body else line
    index = column - 1
    while line <= last_line:
        text = ctx.text.line(line)
        while index < len(text) and text[index] in " \t":
            index += 1
        if index >= len(text) or text[index] in "#\\":
            line, index = line + 1, 0
        elif text[index] == ")":
            index += 1
            position = (line, index + 1)
        else:
            break
    return position


# Logging ---------------------------------------------------------------------
def _log_call(ctx: "FileContext", call: ast.Call, wrappers: bool = False) -> Optional[Tuple[str, str]]:
    """(method, logger kind) of a logging call, also on a logger derived by
    a call (``log.bind(order=1).info(...)``, ``logger.opt(...).error(...)``);
    a first-party wrapper's calls only when ``wrappers`` is true."""
    found = logging_call(ctx, call, wrappers)
    if found is not None:
        return found
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in catalog.LOG_METHODS:
        return None
    receiver = func.value
    while isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
        receiver = receiver.func.value
        kind = logger_kind(ctx, receiver)
        if kind is not None:
            return (func.attr, kind) if wrappers or kind != WRAPPER else None
    return None


def _keeps_traceback(ctx: "FileContext", handler: ast.ExceptHandler, call: ast.Call) -> bool:
    """Whether the handler holding ``call`` keeps the traceback anyway: it
    raises after the call, on the path the call is on — a bare ``raise``,
    the caught exception (``raise error``), or ``raise ... from`` a cause
    other than None — or it logs the traceback itself (``.exception(...)``,
    a logging call with a true ``exc_info=``, ``traceback.format_exc()`` /
    ``print_exc()``, ``sentry_sdk.capture_exception()``)."""
    for node in _handler_nodes(handler):
        if isinstance(node, ast.Call) and node is not call:
            if ctx.model.resolve(node.func) in catalog.TRACEBACK_RECORDERS:
                return True
            found = _log_call(ctx, node)
            if found is not None and (found[0] == "exception" or _true_exc_info(node)):
                return True
    return any(_passes_on(node, handler) for node in _statements_after(ctx, handler))


def _passes_on(node: ast.AST, handler: ast.ExceptHandler) -> bool:
    if not isinstance(node, ast.Raise):
        return False
    if node.exc is None or (isinstance(node.exc, ast.Name) and node.exc.id == handler.name):
        return True
    return node.cause is not None and not (isinstance(node.cause, ast.Constant) and node.cause.value is None)


def _statements_after(ctx: "FileContext", handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    """The nodes of the statements that run after the current one in the
    handler: those after it in its block, then after the block's own
    statement, up to the handler (nested functions and classes aside)."""
    ancestors = ctx.ancestors
    start = next(i for i in range(len(ancestors) - 1, -1, -1) if ancestors[i] is handler)
    for index in range(len(ancestors) - 1, start, -1):
        inner, parent = ancestors[index], ancestors[index - 1]
        if not isinstance(inner, ast.stmt):
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(s is inner for s in block):
                position = next(i for i, s in enumerate(block) if s is inner)
                for statement in block[position + 1 :]:
                    pending: List[ast.AST] = [statement]
                    while pending:
                        node = pending.pop()
                        yield node
                        if not isinstance(node, _NESTED_SCOPES):
                            pending.extend(ast.iter_child_nodes(node))
                break


def _true_exc_info(call: ast.Call) -> bool:
    """``exc_info=`` with a value other than a false constant (``True``,
    the exception, ``sys.exc_info()``), or loguru's ``opt(exception=...)``."""
    for keyword in call.keywords:
        if keyword.arg == "exc_info":
            return not (isinstance(keyword.value, ast.Constant) and not keyword.value.value)
    return _opts_exception(call)


def _passes_traceback(call: ast.Call) -> bool:
    """``exc_info=`` or ``**kwargs`` on the call, or loguru's
    ``opt(exception=...)`` on its receiver."""
    return any(keyword.arg in ("exc_info", None) for keyword in call.keywords) or _opts_exception(call)


def _opts_exception(call: ast.Call) -> bool:
    """loguru's ``logger.opt(exception=...)`` on the call's receiver."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    while isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
        if receiver.func.attr == "opt" and any(k.arg == "exception" for k in receiver.keywords):
            return True
        receiver = receiver.func.value
    return False


def _append_keyword(ctx: "FileContext", call: ast.Call, keyword: str) -> Optional[Edit]:
    """An edit adding ``keyword`` as the call's last argument: after the
    last argument's last token (a closing parenthesis included), before
    any comment; after a trailing comma, keeping one at the end."""
    if len(call.args) == 1 and isinstance(call.args[0], ast.GeneratorExp) and not call.keywords:
        return None  # f(x for x in y) would need its own parentheses
    # Only the last two tokens matter; the whole call tokenizes cleanly.
    start_line, start_column, end_line, end_column = ctx.char_range(call)
    lines = [ctx.text.line(number) for number in range(start_line, end_line + 1)]
    lines[-1] = lines[-1][: end_column - 1]
    lines[0] = lines[0][start_column - 1 :]
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline)
            if token.type not in _INSIGNIFICANT_TOKENS
        ]
    except (tokenize.TokenError, SyntaxError):
        return None
    if len(tokens) < 2 or tokens[-1].string != ")":
        return None
    previous = tokens[-2]
    row, column = previous.end
    position = (start_line + row - 1, column + (start_column if row == 1 else 1))
    if previous.string == "(":
        text = keyword
    elif previous.string == ",":
        text = f" {keyword},"
    else:
        text = f", {keyword}"
    return Edit(position, position, text)


_INSIGNIFICANT_TOKENS = (
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
)


# Names -----------------------------------------------------------------------
def _label(expression: ast.AST) -> str:
    """Source-like text of an expression for a message, on one line."""
    text = " ".join(source_text(expression).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _identifiers(node: ast.AST) -> Set[str]:
    """Every name written anywhere in ``node``: bound, read or declared."""
    names: Set[str] = set()
    for child in ast.walk(node):
        names.update(_names_of(child))
    return names


def _module_level_names(tree: ast.Module, may_declare_globals: bool = True) -> Set[str]:
    """Names bound at module level (not inside functions or classes), plus
    names declared ``global`` anywhere (looked for only when the text
    contains the keyword: the whole-tree walk is costly on large modules)."""
    names: Set[str] = set()
    pending: List[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        names.update(_names_of(node))
        if isinstance(node, ast.Global):
            continue
        if not isinstance(node, _NESTED_SCOPES):
            pending.extend(ast.iter_child_nodes(node))
    if may_declare_globals:
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                names.update(node.names)
    return names


def _names_of(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, ast.alias):
        yield (node.asname or node.name).split(".")[0]
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    else:
        # match-statement captures (3.10+): MatchAs / MatchStar / MatchMapping.
        for field in ("name", "rest"):
            value = getattr(node, field, None)
            if isinstance(value, str) and type(node).__name__.startswith("Match"):
                yield value
