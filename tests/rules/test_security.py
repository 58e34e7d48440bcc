"""IL7 security and observability: what the VALID / INVALID examples cannot
say — secrets never shown in full, character columns, name splitting, the
single-assignment rule of IL702, and the IL704 fix in detail."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from infralint.findings import Applicability, Finding
from infralint.fixes import apply_edits, applicable_fixes
from infralint.rules.base import Invalid
from infralint.rules.credentials import find_credential
from infralint.rules.security import EagerLogFormatting, secret_name, secret_preview, url_password
from tests.helpers import lint_example

INFRA = "shop/infrastructure/payments_adapter.py"
STDLIB_LOGGER = "import logging\n\nlogger = logging.getLogger(__name__)\n"


def _found(root: Path, code: str, source: str, path: str = INFRA) -> List[Finding]:
    return [f for f in lint_example(root, path, source) if f.code == code]


def _at(findings: List[Finding]) -> List[Tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


def _fixed(root: Path, source: str, minimum: Applicability = Applicability.SAFE) -> str:
    findings = lint_example(root, INFRA, source)
    return apply_edits(source, applicable_fixes(findings, minimum))


# IL701 hardcoded-secret -------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "password", "db_password", "DB_PASSWORD", "dbPassword", "API_TOKEN", "client_secret", "clientSecret",
        "apikey", "apiKey", "APIKey", "x-api-key", "AWS_SECRET_ACCESS_KEY", "private_key", "SECRET_KEY",
        "password2", "DB_PASSWORD_1", "_token", "passwd", "refresh_token",
    ],
)
def test_secret_names(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "password_field", "token_url", "secret_name", "password_min_length", "token_type", "password_hash_algorithm",
        "key", "monkey", "tokens_used", "passport", "secretary", "tokenizer", "api", "keyboard", "PASSWORD_RESET_URL",
    ],
)
def test_names_that_are_not_secrets(name: str) -> None:
    assert not secret_name(name)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://user:pw@host/db", ("postgresql", "pw")),
        ("postgresql+psycopg2://shop:s3cret@db:5432/shop", ("postgresql", "s3cret")),
        ("redis://:r3d1s@cache:6379/0", ("redis", "r3d1s")),
        ("amqp://u:pw@h", ("amqp", "pw")),
        ("mongodb+srv://app:m0ng0@cluster0.example.net/db", ("mongodb", "m0ng0")),
        ("postgres://u:p@ss@h/db", ("postgres", "p@ss")),
        ("redis://localhost:6379/0", None),
        ("postgresql://user@host/db", None),
        ("postgresql://user:@host/db", None),
        ("https://user:pw@example.com", None),
        ("postgresql://user:password@localhost/db", None),
        ("postgresql://postgres:postgres@localhost/db", ("postgresql", "postgres")),
        ("postgresql://user:${DB_PASSWORD}@localhost/db", None),
        ("postgresql://user:<password>@localhost/db", None),
        ("postgresql://user:{password}@localhost/db", None),
        ("postgresql://user:%(password)s@localhost/db", None),
        ("postgresql://user:***@localhost/db", None),
        ("see postgresql://user:pw@host/db", None),
    ],
)
def test_url_password(url: str, expected: Optional[Tuple[str, str]]) -> None:
    assert url_password(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hunter2-longer", "'hu…', 14 characters"),
        ("abcde", "'a…', 5 characters"),
        ("ab", "'…', 2 characters"),
        ("x", "'…', 1 characters"),
        ("changeme", "'ch…', 8 characters, a well-known default"),
        ("ünïcödé", "'ün…', 7 characters"),
        ("'\"quote", "'\\'\"…', 7 characters"),
        ("\x00\x01secret", "'\\x00\\x01…', 8 characters"),
    ],
)
def test_secret_preview(value: str, expected: str) -> None:
    assert secret_preview(value) == expected


@pytest.mark.parametrize(
    "secret",
    ["hunter2", "pw", "q", "Tr0ub4dor&3", "s3cr3t-ünïcode-пароль", "changeme", "ak_live_93jf02kd8s"],
)
def test_secret_never_appears_in_full_in_the_message(tmp_path: Path, secret: str) -> None:
    source = (
        f"DB_PASSWORD = {secret!r}\n"
        f"connect(api_key={secret!r})\n"
        f"CONFIG = {{'client_secret': {secret!r}}}\n"
        f"URL = 'postgresql://shop:{secret}@db/shop'\n"
    )
    findings = _found(tmp_path, "IL701", source)
    assert len(findings) == 4
    for finding in findings:
        shown = finding.message.split("('", 1)[1].split("…'", 1)[0]
        assert len(shown) <= 2 and len(shown) < len(secret) and secret.startswith(shown)
        assert f"'{shown}…', {len(secret)} characters" in finding.message
        if len(secret) > 3:
            assert secret not in finding.message


def test_non_ascii_columns(tmp_path: Path) -> None:
    source = (
        "größe = 1; db_password = 'geheim-öl'\n"
        "nom = {'clé': 1, 'mot_de_passe': 2, 'password': 'sécurité!'}\n"
    )
    findings = _found(tmp_path, "IL701", source)
    assert [(f.line, f.column, f.end_column) for f in findings] == [(1, 26, 37), (2, 49, 60)]
    assert "('sé…', 9 characters)" in findings[1].message


def test_one_finding_per_literal(tmp_path: Path) -> None:
    # A URL with a password assigned to a secret name: reported once.
    findings = _found(tmp_path, "IL701", "db_password = 'postgresql://u:pw@db/x'\nsecret_token = 'tok-8f3a9c'\n")
    assert _at(findings) == [(1, 15), (2, 16)]


def test_weak_defaults_are_reported_but_keys_are_not(tmp_path: Path) -> None:
    source = (
        "password = 'password'\n"  # a weak default
        "self.secret = 'secret'\n"
        "connect(password='admin')\n"
        "class Field:\n    PASSWORD = 'password'\n"  # a field-name constant
        "HEADER_TOKEN = 'X-Auth-Token'\n"  # a header name
    )
    findings = _found(tmp_path, "IL701", source)
    assert _at(findings) == [(1, 12), (2, 15), (3, 18)]
    assert all("a well-known default" in f.message for f in findings)


def test_non_literal_and_prose_values_are_not_reported(tmp_path: Path) -> None:
    source = (
        "import os\n"
        "password = os.environ.get('DB_PASSWORD') or ''\n"
        "token = f'{prefix}-{suffix}'\n"
        "INVALID_PASSWORD = 'Invalid password'\n"
        "API_KEY = 'sk_live_...'\n"
        "PASSWORD = '%(password)s'\n"
        "SECRET = '{{ vault.secret }}'\n"
        "def check(token: str = ''):\n    return token != 'expired'\n"
        "'''DSN: postgresql://user:hunter2@db/shop'''\n"
    )
    assert _found(tmp_path, "IL701", source, path="shop/config.py") == []


# IL702 sql-built-from-strings ---------------------------------------------------------
def test_sql_name_assigned_more_than_once_is_not_followed(tmp_path: Path) -> None:
    source = (
        "def a(cursor, x):\n    sql = 'SELECT 1'\n    sql += f' WHERE {x}'\n    cursor.execute(sql)\n"
        "def b(cursor, sql):\n    cursor.execute(sql)\n"
        "def c(cursor, xs):\n    for sql in xs:\n        cursor.execute(sql)\n"
        "def d(cursor, x):\n    query = 'SELECT %s' % x\n    cursor.execute(query)\n"
    )
    assert _at(_found(tmp_path, "IL702", source)) == [(12, 20)]


def test_sql_concatenation_of_constants_is_fine(tmp_path: Path) -> None:
    source = (
        "BASE = 'SELECT * FROM orders'\nWHERE = ' WHERE id = %s'\n\n\n"
        "def get(cursor, x):\n    cursor.execute(BASE + WHERE, (x,))\n"
        "    cursor.execute(BASE + ' LIMIT ' + str(x))\n"
    )
    findings = _found(tmp_path, "IL702", source)
    assert _at(findings) == [(7, 20)]
    assert "string concatenation" in findings[0].message


def test_sql_non_ascii_column(tmp_path: Path) -> None:
    source = "def get(cursor, x):\n    café = cursor.execute(f'SELECT prix FROM café WHERE id = {x}')\n"
    findings = _found(tmp_path, "IL702", source)
    assert [(f.line, f.column, f.end_column) for f in findings] == [(2, 27, 66)]


# IL703 print-in-service-code ----------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        "if '__main__' == __name__:\n    print('run')\n",
        "import logging\nprint = logging.getLogger(__name__).info\nprint('x')\n",
        "def show(x):\n    print = log.info\n    print(x)\n",
        "def outer():\n    print = log.info\n\n    def inner(x):\n        print(x)\n    return inner\n",
        "from shop.output import print as print\nprint('x')\n",
    ],
)
def test_print_exemptions(tmp_path: Path, source: str) -> None:
    assert _found(tmp_path, "IL703", source, path="shop/domain/order.py") == []


def test_print_scope(tmp_path: Path) -> None:
    source = "print('x')\n"
    assert _found(tmp_path, "IL703", source, path="shop/entrypoints/cli.py") == []
    assert _found(tmp_path, "IL703", source, path="shop/composition.py") == []
    assert _found(tmp_path, "IL703", source, path="tests/domain/test_order.py") == []
    findings = _found(tmp_path, "IL703", source, path="shop/domain/order.py")
    assert [f.message for f in findings] == ["print() in domain code; use the logging setup"]


# IL704 eager-log-formatting -----------------------------------------------------------
def _il704(root: Path, call: str, prefix: str = STDLIB_LOGGER) -> Tuple[List[Finding], str]:
    source = prefix + call + "\n"
    return _found(root, "IL704", source), source


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ('logger.info(f"paid {order.id}")', 'logger.info("paid %s", order.id)'),
        ('logger.info(f"{a!s}/{b!r}")', 'logger.info("%s/%r", a, b)'),
        ('logger.info(f"{x=} 50% {{braces}}")', 'logger.info("x=%r 50%% {braces}", x)'),
        ("logger.debug(f'{items[\"k\"]} of {len(items)}')", "logger.debug('%s of %s', items[\"k\"], len(items))"),
        ('logger.log(logging.INFO, f"{a}", extra={})', 'logger.log(logging.INFO, "%s", a, extra={})'),
        (
            'logging.getLogger(__name__).warning(f"{a} {b.c()}")',
            'logging.getLogger(__name__).warning("%s %s", a, b.c())',
        ),
        ('logger.info(f"{(y := 3)} {a if b else c}")', 'logger.info("%s %s", y := 3, a if b else c)'),
        ('logger.info(f"prix → {prix} €")', 'logger.info("prix → %s €", prix)'),
        ('logger.info("paid " f"{x}")', 'logger.info("paid " "%s", x)'),
        ('logger.info(f"{x}" " paid")', 'logger.info("%s" " paid", x)'),
        ('logger.info(f"{x}\\n")', 'logger.info("%s\\n", x)'),
        ('logger.info(rf"{x}\\d" R"5%")', 'logger.info(r"%s\\d" R"5%%", x)'),
        ('logger.info(u"100%" F"{x!r}")', 'logger.info(u"100%%" "%r", x)'),
        ('logger.info(f"{x}" "say \\"hi\\" 1%")', 'logger.info("%s" "say \\"hi\\" 1%%", x)'),
        ('logger.info(  # (why)\n    f"{x}"\n)', 'logger.info(  # (why)\n    "%s", x\n)'),
        ('logger.log(\n    logging.INFO,  # ()\n    f"{x}")', 'logger.log(\n    logging.INFO,  # ()\n    "%s", x)'),
        ('logger.info(f"{ x = }" f"{ (a, b) }")', 'logger.info(" x = %r" "%s", x, (a, b))'),
        ('logger.info(\n    f"a {x}" \\\n    f"b {y}")', 'logger.info(\n    "a %s" \\\n    "b %s", x, y)'),
    ],
)
def test_fstring_fix(tmp_path: Path, call: str, expected: str) -> None:
    findings, source = _il704(tmp_path, call)
    assert len(findings) == 1 and findings[0].fix is not None
    assert findings[0].fix.applicability == Applicability.SAFE
    fixed = _fixed(tmp_path, source)
    assert fixed == STDLIB_LOGGER + expected + "\n"
    ast.parse(fixed)
    assert _logged_texts(source, loguru=False) == _logged_texts(fixed, loguru=False)
    assert _found(tmp_path, "IL704", fixed) == []


class _Sample:
    """Stands for any value of a placeholder: attributes, items and calls
    give more samples, each printing the path that reached it."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __getattr__(self, name: str) -> "_Sample":
        return _Sample(f"{self.path}.{name}")

    def __getitem__(self, key: object) -> "_Sample":
        return _Sample(f"{self.path}[{key!r}]")

    def __call__(self, *args: object) -> "_Sample":
        return _Sample(f"{self.path}()")

    def __str__(self) -> str:
        return f"<{self.path} 50% {{x}}>"

    def __repr__(self) -> str:
        return f"Sample({self.path!r})"

    def __format__(self, spec: str) -> str:
        return str(self)


_LOG_METHODS = ("debug", "info", "warning", "error", "critical", "log")


def _logged_texts(source: str, loguru: bool) -> List[str]:
    """The text each logging call of ``source`` logs, placeholders bound to
    samples: the message is evaluated, then formatted with the arguments
    the way the standard library (``%``) or loguru (``str.format``) does."""
    texts = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) in _LOG_METHODS):
            continue
        values = node.args[1:] if node.func.attr == "log" else node.args  # type: ignore[attr-defined]
        names = {n.id for v in values for n in ast.walk(v) if isinstance(n, ast.Name)}
        namespace = {name: _Sample(name) for name in names}
        message, *arguments = [eval(compile(ast.Expression(v), "<message>", "eval"), namespace) for v in values]
        if arguments:
            message = message.format(*arguments) if loguru else message % tuple(arguments)
        texts.append(message)
    return texts


@pytest.mark.parametrize(
    "case", [c for c in EagerLogFormatting.INVALID if c.fixed is not None], ids=lambda c: c.source.split("\n")[0]
)
def test_fixed_examples_log_the_same_text(case: Invalid) -> None:
    loguru = "loguru" in case.source
    assert case.fixed is not None
    before, after = _logged_texts(case.source, loguru), _logged_texts(case.fixed, loguru)
    assert before and before == after


@pytest.mark.parametrize(
    "call",
    [
        'logger.info(f"{total:.2f}")',  # format spec
        'logger.info(f"{name!a}")',  # !a
        'logger.info(f"{x}" f"{y:>3}")',  # format spec in a later piece
        'logger.info(f"{x}" f"{y!a}")',
        'logger.info(f"{x}" "\\x25s")',  # an escape that spells % in a plain piece
        'logger.info(f"{x}\\x25s")',  # ... in an f-string piece
        'logger.info(f"{x}" "\\N{PERCENT SIGN}")',
        'logger.info(f"say \\"{x}\\"")',  # escaped quotes in an f-string piece
        'logger.info(f"{x}" f"""{y}""")',  # triple quotes
        'logger.info(f"{x}"\n    f"""{y}\n""")',  # a piece spanning lines
        'logger.info((f"{x}"\n    " a"))',  # parenthesised: the arguments would join a tuple
        'logger.info(\n    (f"{x}"),\n)',
        'logger.log((logging.INFO), f"{x}")',  # a parenthesised level: refused rather than guessed
        'logger.info(f"{x} %s", y)',  # positional arguments already
        'logger.info(msg=f"{x}")',  # keyword message
        'logger.info(f"""{x}\n""")',  # multi-line
    ],
)
def test_fstring_reported_without_fix(tmp_path: Path, call: str) -> None:
    findings, _ = _il704(tmp_path, call)
    assert len(findings) == 1
    assert findings[0].fix is None


def test_tuple_placeholder_is_parenthesised(tmp_path: Path) -> None:
    findings, source = _il704(tmp_path, 'logger.info(f"{x, y}")')
    if sys.version_info < (3, 12):
        # Before 3.12 ast gives this expression the position of its braces:
        # the parse check refuses to guess.
        assert findings[0].fix is None
    else:
        assert _fixed(tmp_path, source) == STDLIB_LOGGER + 'logger.info("%s", (x, y))\n'


def test_fix_is_unsafe_for_unknown_and_structlog_loggers(tmp_path: Path) -> None:
    for prefix in ("", "import structlog\n\nlogger = structlog.get_logger()\n"):
        findings, source = _il704(tmp_path, 'logger.info(f"paid {x}")', prefix=prefix)
        assert findings[0].fix is not None
        assert findings[0].fix.applicability == Applicability.UNSAFE
        assert _fixed(tmp_path, source) == source
        assert _fixed(tmp_path, source, Applicability.UNSAFE) == prefix + 'logger.info("paid %s", x)\n'


def test_loguru_template_uses_braces(tmp_path: Path) -> None:
    prefix = "from loguru import logger\n"
    _, source = _il704(tmp_path, 'logger.info(f"{a} of {b!r}: 100% {{ok}}")', prefix=prefix)
    fixed = _fixed(tmp_path, source, Applicability.UNSAFE)
    assert fixed == prefix + 'logger.info("{} of {!r}: 100% {{ok}}", a, b)\n'


def test_loguru_concatenation_escapes_braces_of_plain_pieces(tmp_path: Path) -> None:
    prefix = "from loguru import logger\n"
    call = 'logger.info(\n    "{ok} 5% "  # note\n    f"{a} {{b}}"\n)'
    findings, source = _il704(tmp_path, call, prefix=prefix)
    assert findings[0].fix is not None
    fixed = _fixed(tmp_path, source, Applicability.UNSAFE)
    assert fixed == prefix + 'logger.info(\n    "{{ok}} 5% "  # note\n    "{} {{b}}", a\n)\n'


def test_loguru_named_escape_is_not_doubled(tmp_path: Path) -> None:
    prefix = "from loguru import logger\n"
    findings, _ = _il704(tmp_path, 'logger.info(f"{a}" "\\N{BULLET}")', prefix=prefix)
    assert findings[0].fix is None


@pytest.mark.skipif(sys.version_info < (3, 12), reason="reused quotes in an f-string are 3.12 syntax")
def test_nested_quotes_get_no_fix(tmp_path: Path) -> None:
    findings, _ = _il704(tmp_path, 'logger.info(\n    "a "\n    f"{d["k"]}"\n)')
    assert len(findings) == 1 and findings[0].fix is None


def test_fix_non_ascii_columns(tmp_path: Path) -> None:
    call = 'größe = 1; logger.info(f"größe={größe} ✓")'
    findings, source = _il704(tmp_path, call)
    assert _at(findings) == [(4, 12)]
    assert _fixed(tmp_path, source) == STDLIB_LOGGER + 'größe = 1; logger.info("größe=%s ✓", größe)\n'


def test_percent_and_format_messages(tmp_path: Path) -> None:
    source = STDLIB_LOGGER + 'logger.error("failed %s" % x)\nlogger.error("failed {}".format(x))\n'
    findings = _found(tmp_path, "IL704", source)
    assert [f.message.split("(")[1].split(")")[0] for f in findings] == ["% formatting", "str.format"]
    assert all(f.fix is None for f in findings)


def test_not_a_logger(tmp_path: Path) -> None:
    source = "def f(parser, x):\n    parser.error(f'bad {x}')\n    warnings.warn(f'{x}')\n"
    assert _found(tmp_path, "IL704", source) == []



def test_il702_literal_only_operands_do_not_hide_real_values(tmp_path: Path) -> None:
    # Precision fixes for literal-only operands keep reporting real values.
    source = (
        "def run(cursor, table, columns, utc, ids):\n"
        '    cursor.execute("SELECT 1" + (table if utc else ""))\n'
        '    cursor.execute("SELECT " + ", ".join(columns))\n'
        '    cursor.execute("SELECT " + table * 2)\n'
        '    cursor.execute("IN (" + ", ".join([f"{v}" for v in ids]) + ")")\n'
        '    cursor.execute("IN (" + ", ".join(["%s" % ids[i] for i in range(3)]) + ")")\n'
    )
    assert _at(_found(tmp_path, "IL702", source)) == [(2, 20), (3, 20), (4, 20), (5, 20), (6, 20)]


def test_il701_role_words_do_not_exempt_weak_defaults_or_secrets(tmp_path: Path) -> None:
    source = (
        'admin_password = "admin"\n'
        'root_password = "root"\n'
        'api_token = "tok_live_abc"\n'
        'service_token = "service2"\n'
        'test_token = "test"\n'
        '_COLUMN_TOKEN = "column"\n'
        'NULL_PASSWORD = "NULL"\n'
        'api_token = "NULLx"\n'
        'eof_token = "EOF"\n'
    )
    # Only a letters-only token value naming its own role, or one upper-case
    # word assigned to a `*_token` name, is exempt.
    assert [f.line for f in _found(tmp_path, "IL701", source)] == [1, 2, 3, 4, 5, 7, 8]


def test_il701_names_and_plural_roles_do_not_hide_secrets(tmp_path: Path) -> None:
    source = (
        'password = "CHANGE_ME"\n'  # a weak default written like a constant
        'aws_access_key = "PRODKEY2024X"\n'  # one upper-case word with digits
        'db_password = "PROD_2024"\n'  # words with digits: not a variable's name
        'api_token = "tokens"\n'  # the plural of the secret word itself
        'session_token = "session-keys"\n'  # not letters only
        'secret_key = "REDIS_URL"\n'
        'upgrade_token = "upgrades"\n'
        'api_token = "myapi"\n'  # a role word under four letters is not enough
        '_UNICODE_TOKEN = "dbapiunicode"\n'
    )
    assert [f.line for f in _found(tmp_path, "IL701", source)] == [1, 2, 3, 4, 5, 8]


def test_il702_quoted_identifiers_do_not_hide_values(tmp_path: Path) -> None:
    # Only values that all pass through an identifier quoting function are
    # exempt; any other value, or a quoting function's look-alike, is not.
    source = (
        "def run(cursor, ops, table, value):\n"
        '    cursor.execute("UPDATE %s SET x = %s" % (ops.quote_name(table), value))\n'
        '    cursor.execute(f"SELECT * FROM {ops.quote_name(table)} WHERE id = {value}")\n'
        '    cursor.execute("SELECT {} FROM {}".format(quote_name(table), table))\n'
        '    cursor.execute("SELECT * FROM " + ops.quote_name(table) + " WHERE id = " + value)\n'
        '    cursor.execute("SELECT * FROM %s" % ops.quote(table))\n'
        '    cursor.execute("SELECT * FROM %s" % quote_name)\n'
        "    name = ops.quote_name(table)\n"
        "    name = name + value\n"
        '    cursor.execute("SELECT * FROM %s" % name)\n'
    )
    assert _at(_found(tmp_path, "IL702", source)) == [(2, 20), (3, 20), (4, 20), (5, 20), (6, 20), (7, 20), (10, 20)]


# IL701 credential shapes ---------------------------------------------------------
GITHUB = "ghp_a8K2mQ9xZ1bC4dE7fG0hJ3kL6nP5rS2tU8vW"
STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIvB5hFz0w2Ryb1yQnVf2Cz3k0RrH4Wq8v9sT1uXyZaQoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n"


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("AKIAZ7Q2XK4M9PLR3TVW", "AWS access key id"),
        ("ASIAZ7Q2XK4M9PLR3TVW", "AWS access key id"),
        ("s3://bucket?X-Amz-Credential=AKIAZ7Q2XK4M9PLR3TVW%2F2018", "AWS access key id"),
        (GITHUB, "GitHub token"),
        ("gho_" + GITHUB[4:], "GitHub token"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijKLMNOPQRSTuvwxyz0123456789ABCDEFGHIJ", "GitHub token"),
        ("glpat-Xy9zAb3Cd5Ef7Gh1Ij2K", "GitLab token"),
        ("xoxp-1234567890-1234567890-1234567890-0123456789abcdef0123456789abcdef", "Slack token"),
        ("xoxa-2-1234567890-AbCdEfGhIjKlMnOpQr", "Slack token"),
        (STRIPE, "Stripe live key"),
        ("rk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe live key"),
        ("sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh12", "API key"),
        ("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "Google API key"),
        (PEM, "private key"),
        ("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
         "JSON web token"),
        ("Bearer " + STRIPE, "Stripe live key"),
        ("Authorization: Bearer 9f8e7d6c5b4a39281706", "credential in a Bearer authorization value"),
        ("bearer 9f8e7d6c5b4a39281706", "credential in a Bearer authorization value"),
        ("Basic c2hvcDpzM2NyM3QtcHc=", "credential in a Basic authorization value"),
    ],
)
def test_credential_shapes(value: str, what: str) -> None:
    found = find_credential(value)
    assert found is not None and found.what == what


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "AKIA" + "X" * 16, "AKIAZ7Q2XK4M9PLR3TV", "XAKIAZ7Q2XK4M9PLR3TVW",
        "ghp_" + "x" * 36, "ghp_abc123", "ghp_1234xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "glpat-<your-token>",
        "xoxb-api_test", "xoxb-***", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "sk-learn-contrib-imbalanced-learn-classifier-v2", "sk-" + "a" * 45, "AIzaSy...",
        "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEyMyJ9.",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "Bearer <token>", "Bearer {token}", "Bearer YOUR_ACCESS_TOKEN", "Bearer ${TOKEN}", "Bearer ********",
        "Use a Bearer token-based scheme", "Bearer abc123", "Basic realm=\"api\"", "Basic authentication required",
        "Basic dXNlcjpwYXNzd29yZA==", "Basic dXNlcjpwYXNz", "Basic ZXhhbXBsZS11c2VyOmV4YW1wbGUtcGFzc3dvcmQ=",
        "Basic bm90YmFzZTY0", "",
        # RFC 7617's example credential (Aladdin:open sesame), in a field's help text (Netflix/dispatch).
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "For example: Bearer: JWT token, or basic: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    ],
)
def test_credential_near_misses(value: str) -> None:
    assert find_credential(value) is None


def test_credential_messages_show_at_most_four_characters(tmp_path: Path) -> None:
    source = (
        f"KEY = {STRIPE!r}\nconnect(auth={'Bearer ' + GITHUB!r})\nPEM = {PEM!r}\n"
        f"HEADERS = {{'Authorization': 'Basic c2hvcDpzM2NyM3QtcHc='}}\n"
    )
    findings = _found(tmp_path, "IL701", source)
    assert [f.line for f in findings] == [1, 2, 3, 4]
    for finding, secret in zip(findings, [STRIPE, GITHUB, PEM.strip(), "c2hvcDpzM2NyM3QtcHc="]):
        shown = finding.message.split("('", 1)[1].split("…'", 1)[0]
        assert len(shown) <= 4
        assert secret[8:20] not in finding.message.replace("\\n", "\n")


def test_test_keys_assigned_to_secret_names_are_silent(tmp_path: Path) -> None:
    source = 'STRIPE_API_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"\naws_access_key = "AKIAIOSFODNN7EXAMPLE"\n'
    assert _found(tmp_path, "IL701", source) == []


def test_credentials_in_f_strings_only_when_literal(tmp_path: Path) -> None:
    source = (
        f'a = f"Bearer {{token}}"\nb = f"{{scheme}} {STRIPE}"\nc = f"{{host}}/x?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"\n'
        'd = f"ghp_{suffix}"\n'
    )
    assert [f.line for f in _found(tmp_path, "IL701", source)] == [2, 3]
