"""IL7: security and observability — no secrets or SQL built in code, no
print, logging that formats lazily."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Set, Tuple, Union

from infralint import catalog
from infralint.findings import Applicability, Fix
from infralint.layers import APPLICATION, DOMAIN, INFRASTRUCTURE
from infralint.lazyregex import lazy_regex
from infralint.rules.base import ALL_CODE, FixAvailability, Invalid, Rule, Valid
from infralint.rules.common import LOGURU, STDLIB, logging_call
from infralint.rules.credentials import CREDENTIAL_TRIGGERS, find_credential, is_test_or_example_credential
from infralint.filetypes import PYTHON_AND_TYPESCRIPT

_Function = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


# IL701 helpers ------------------------------------------------------------------
# Words of a name: snake_case, kebab-case, dotted and camelCase parts
# (`APIKey` -> api, key; `dbPassword2` -> db, password, 2).
_WORD = lazy_regex(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_SECRET_WORDS: Tuple[Tuple[str, ...], ...] = tuple(tuple(w.split("_")) for w in catalog.SECRET_NAME_WORDS)
# A key or identifier-like value: letters, digits and separators only.
_IDENTIFIER_LIKE = lazy_regex(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# An UPPER_SNAKE_CASE name of two or more words, each starting with a letter.
_VARIABLE_NAME = lazy_regex(r"[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)+")
# Whole-value placeholders besides catalog.SECRET_PLACEHOLDERS: `{password}`,
# `{}`, `$DB_PASSWORD`, `%s`, and a run of one masking character.
_PLACEHOLDER = lazy_regex(r"\{[\w.]*\}|\$\w+|%[sdr]|([xX*#?.\-_])\1*")
_URL = lazy_regex(r"\s*([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#\s]*)")


def _name_words(name: str) -> List[str]:
    words = [w.lower() for w in _WORD.findall(name)]
    while words and words[-1].isdigit():  # `password2`, `DB_PASSWORD_1`
        words.pop()
    return words


def secret_name(name: str) -> bool:
    """The name's last words are a secret word: `db_password`, `API_TOKEN`,
    `clientSecret`, `x-api-key` — not `password_field`, `token_url`."""
    words = _name_words(name)
    return any(len(words) >= len(s) and tuple(words[-len(s) :]) == s for s in _SECRET_WORDS)


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(p in lowered for p in catalog.SECRET_PLACEHOLDERS) or _PLACEHOLDER.fullmatch(value.strip()) is not None


def _normalized(text: str) -> str:
    return "".join(_name_words(text))


def _secret_value(value: str, target: str) -> bool:
    """Whether a literal assigned to a secret-named ``target`` looks like a
    secret rather than a placeholder, prose, a URL or a name."""
    if not value.strip() or _is_placeholder(value) or is_test_or_example_credential(value):
        return False
    if any(c.isspace() for c in value):  # prose: "Invalid password"
        return False
    if "://" in value:  # an endpoint; inline passwords are the URL check's
        return False
    if _IDENTIFIER_LIKE.match(value):
        # A constant or enum member holding its own name (`PASSWORD =
        # "password"`), or any secret's name (`"X-API-Key"`,
        # `"DB_PASSWORD"`): a key, not a value. `password = "password"`
        # stays a weak default.
        if target.isupper() and _normalized(value) == _normalized(target):
            return False
        if len(_name_words(value)) > 1 and secret_name(value):
            return False
        # The name of an environment variable or a secret-store key
        # (`secret_key="REDIS_URL"`): credentials are not spelled as constants.
        if _VARIABLE_NAME.fullmatch(value) and _normalized(value) not in catalog.WEAK_SECRETS:
            return False
        if _names_its_role(value, target):
            return False
    return True


def _names_its_role(value: str, target: str) -> bool:
    """A sentinel or keyword named by the other words of the name, or a
    grammar keyword: `_COLUMN_TOKEN = "column"`, `default_metavalue_token =
    "DEFAULT"`, `_DEFAULT_TOKEN = "_sa_default"`, `null_token = "NULL"` —
    lexical tokens, not credentials. Names ending in `token` only; letters
    only; never a weak default."""
    if value.lower().strip("_") in catalog.WEAK_SECRETS or any(c.isdigit() for c in value):
        return False
    value_words = _name_words(value)
    target_words = _name_words(target)
    if not value_words:
        return False
    # Only `token`, the word with a lexical meaning: `root_password =
    # "root"` and `postgres_password = "postgres"` are weak defaults.
    if len(target_words) < 2 or target_words[-1] != "token":
        return False
    # An upper-case word (`NULL`, `EOF`) is a keyword: credentials are not
    # a single shouted word.
    if value.isalpha() and value.isupper():
        return True
    # `upgrade_token = "upgrades"`: the role may be named in the plural, or
    # end the value (`_UNICODE_TOKEN = "dbapiunicode"`) when it is a word of
    # four letters or more.
    roles = {form for word in target_words[:-1] for form in (word, word + "s")}
    last = value_words[-1]
    return last in roles or (value.isalpha() and any(len(r) >= 4 and last.endswith(r) for r in roles))


def url_password(value: str) -> Optional[Tuple[str, str]]:
    """(scheme, password) of a connection URL with an inline password, such
    as ``postgresql+psycopg2://user:pw@host/db`` or ``redis://:pw@host``."""
    match = _URL.match(value)
    if match is None:
        return None
    scheme, netloc = match.group(1).lower(), match.group(2)
    if scheme not in catalog.CONNECTION_URL_SCHEMES and scheme.split("+")[0] not in catalog.CONNECTION_URL_SCHEMES:
        return None
    userinfo, at, _ = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return None
    password = userinfo.split(":", 1)[1]
    if not password or password.lower() in catalog.DOCUMENTATION_PASSWORDS or _is_placeholder(password):
        return None
    return scheme.split("+")[0], password


def url_secret(text: str) -> Optional[Tuple[str, str]]:
    """IL701's (what, preview) for a connection URL with an inline
    password, for either language's rule."""
    found = url_password(text)
    if found is None:
        return None
    scheme, password = found
    article = "an" if scheme[0] in "aeiou" else "a"
    return f"password in {article} {scheme} connection URL", secret_preview(password)


def secret_preview(value: str, at_most: int = 2) -> str:
    """At most ``at_most`` leading characters (four for a credential whose
    first four are its public prefix, `AKIA`, `ghp_`) and the length, never
    the whole secret: a third of it, rounded down."""
    shown = value[: min(at_most, len(value) // 3)]
    text = "".join(_escape(c) for c in shown)
    preview = f"'{text}…', {len(value)} characters"
    if value.lower() in catalog.WEAK_SECRETS:
        preview += ", a well-known default"
    return preview


def _escape(character: str) -> str:
    if character == "'" or character == "\\":
        return "\\" + character
    if character.isprintable():
        return character
    return character.encode("unicode_escape").decode("ascii")


def _literal_text(node: ast.AST) -> Optional[str]:
    """The value of a str or bytes literal, or of an f-string without
    placeholders."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
        return None
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values)  # type: ignore[attr-defined]
    return None


def _target_name(target: ast.AST) -> Optional[str]:
    """``db_password``, ``self.password``, ``config["password"]``."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        base = _target_name(target.value) if isinstance(target.value, (ast.Name, ast.Attribute)) else None
        return f"{base}.{target.attr}" if base else target.attr
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _last_part(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class HardcodedSecret(Rule):
    """## What it does
    Reports a non-empty string literal that is a secret written in code:

    - assigned to a name, attribute or subscript named like a secret
      (`db_password = "..."`, `self.api_key = "..."`, `API_TOKEN: str =
      "..."`, `config["client_secret"] = "..."`, class attributes too);
    - passed as a keyword argument named like one (`connect(password="...")`);
    - stored under such a key in a dict literal (`{"password": "..."}`,
      `{"X-API-Key": "..."}`);
    - the default of a parameter named like one (`def connect(password="...")`);
    - any connection URL with an inline password
      (`"postgresql+psycopg2://user:pw@host/db"`, `"redis://:pw@host"`,
      `"amqp://u:pw@h"`; schemes from the catalogue, with or without a
      `+driver`), also when the URL begins an f-string.

    A name is "named like a secret" when its last words are one of
    `password`, `passwd`, `secret`, `api_key`, `apikey`, `token`,
    `access_key`, `private_key`, `client_secret`, `secret_key` — words are
    split at `_`, `-`, `.` and camelCase boundaries, case-insensitively,
    and trailing digits are ignored. `db_password`, `API_TOKEN`,
    `clientSecret`, `password2` and `SECRET_KEY` are secrets;
    `password_field`, `token_url`, `secret_name`, `password_min_length` and
    `token_type` are not: a word after the secret word says the value is
    something else.

    Not reported: empty strings; values read from the environment or any
    other expression that is not a literal; placeholders (`"${VAR}"`,
    `"$VAR"`, `"<...>"`, `"{password}"`, `"%(password)s"`, `"%s"`, `"***"`,
    `"xxx"`, `"..."`, `"{{ jinja }}"`); values with whitespace (prose such as
    `"Invalid password"`); URLs (`TOKEN_ENDPOINT`-like values with `://`);
    an UPPER_CASE constant or enum member whose value is its own name
    (`PASSWORD = "password"`), a letters-only value assigned to a name
    ending in `token` whose last word is another word of the name, its
    plural, or ends with one of four letters or more
    (`_COLUMN_TOKEN = "column"`, `upgrade_token = "upgrades"`,
    `_UNICODE_TOKEN = "dbapiunicode"`, `default_metavalue_token = "DEFAULT"`: a
    lexical token, not a credential; `root_password = "root"` stays a
    weak default), a single upper-case word assigned to such a name
    (`default_metavalue_token = "NULL"`: a grammar keyword), and any value that is itself a name of two
    or more words ending like a secret (`"X-API-Key"`, `"DB_PASSWORD"`,
    `"your-api-key"`), or an UPPER_SNAKE_CASE name of two or more words
    (`secret_key="REDIS_URL"`, the key under which a secret store holds the
    value): keys, header and variable names, not secrets;
    f-strings with placeholders; annotations without a value; comparisons
    (`if password == "..."`); docstrings. In URLs, a password that is
    the word itself — `password`, `passwd`, `pwd`, `pass` — is a documentation
    placeholder (`postgresql://user:password@localhost/db`); any other,
    `pw` and `postgres` included, is reported. Weak
    defaults such as `"changeme"`, `"admin"` or `"password"` assigned to a
    secret name are reported, and the message says so. A value assigned to
    the bare name `token` is reported even where the code means a lexical
    token (`token = "make.bat"` in a tokenizer loop), and so are a token
    whose value has nothing to do with its name (`identity_token="asia"`)
    and a secret word given as a value (`password="passwd"`, naming a
    driver's keyword): the name and the value alone cannot tell them from
    a credential, so such a line takes a suppression comment.

    Whatever the name, any string literal (a dict value, an argument, a
    bytes literal, a literal part of an f-string) holding a value shaped
    like a live credential (`infralint.catalog.CREDENTIAL_SHAPES`, searched
    inside the string between non-alphanumerics):

    - AWS access key ids: `AKIA` / `ASIA` and 16 upper-case letters or digits;
    - GitHub tokens: `ghp_`, `gho_`, `ghs_`, `ghu_` and 36 letters or digits,
      `github_pat_` and 40 or more;
    - GitLab personal tokens: `glpat-` and 20 or more;
    - Slack tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, numeric groups and a
      final group of 16 or more letters or digits;
    - Stripe live secret and restricted keys: `sk_live_`, `rk_live_` and 16
      or more;
    - OpenAI-style keys: `sk-` and 37 or more (40 characters in all) mixing
      upper case, lower case and digits (`sk-learn-...` slugs are words);
    - Google API keys: `AIza` and 35;
    - PEM private key blocks: a `-----BEGIN ... PRIVATE KEY-----` header
      followed by a base64 body (a header alone is the marker parsers
      compare with);
    - signed JSON web tokens: `eyJ...` `.` `eyJ...` `.` signature;
    - `Bearer` / `Basic` authorization values with a literal credential: a
      bearer token mixing letters and digits, 8 characters or more; a basic
      credential that decodes to `user:password`.

    Not reported: placeholders inside the value (`"ghp_" + 36 x`, a value
    of one repeated character, runs of `xxx`, `***`, `...`; `Bearer
    {token}`, `Bearer <token>`, `Bearer YOUR_TOKEN`), Stripe test keys
    (`sk_test_`, `pk_test_`, `rk_test_`) and publishable keys, AWS's
    documented example ids (ending in `EXAMPLE`: `AKIAIOSFODNN7EXAMPLE`),
    jwt.io's sample token, RFC 7617's Basic credential
    (`QWxhZGRpbjpvcGVuIHNlc2FtZQ==`, `Aladdin:open sesame`, which help
    texts quote), unsigned JWTs, tokens shorter than their shape.
    A test key or documented example assigned to a secret name is not
    reported either.

    The message never shows the secret: at most its first two characters
    (a third of it for short values) and its length; for a credential
    recognised by its shape, the first four (its public prefix, such as
    `AKIA` or `ghp_`, never more than a third of it).

    ## Why is this bad?
    A secret in code is in every clone, fork, backup, CI log and container
    image of the repository, forever: rotating it means a code change, and
    removing it means rewriting history. Read secrets from the environment
    or a secret store, through the configuration module.
    """

    code = "IL701"
    languages = PYTHON_AND_TYPESCRIPT
    name = "hardcoded-secret"
    message = "hard-coded {what} ({preview}); read it from the environment or a secret store"
    applies_to = ALL_CODE
    # Every secret name ends with one of these words; URLs contain "://".
    visit_triggers = tuple(
        variant
        for word in dict.fromkeys(s[-1] for s in _SECRET_WORDS)
        for variant in (word, word.upper(), word.capitalize())
    ) + ("://",) + CREDENTIAL_TRIGGERS
    VALID = [
        Valid('import os\n\nDB_PASSWORD = os.environ["DB_PASSWORD"]\nAPI_TOKEN = os.getenv("API_TOKEN", "")\n'),
        Valid('db_password = ""\nclient_secret: str = ""\napi_key: str\n'),
        Valid(
            'DB_PASSWORD = "${DB_PASSWORD}"\nAPI_KEY = "<your-api-key>"\nTOKEN = "***"\n'
            'SECRET = "xxxxxxxx"\nPASSWORD = "{password}"\n'
        ),
        Valid(
            'token_url = "https://auth.example.com/oauth/token"\npassword_field = "pwd"\n'
            'secret_name = "prod/db"\npassword_min_length = "12"\ntoken_type = "Bearer"\n'
        ),
        Valid('def check(password):\n    if password == "hunter2":\n        return True\n'),
        # Lexical tokens named by the rest of the name (SQLAlchemy).
        Valid(
            '_COLUMN_TOKEN = "column"\n_DEFAULT_TOKEN = "_sa_default"\n\n\n'
            'class Dialect:\n    default_metavalue_token = "DEFAULT"\n    null_metavalue_token = "NULL"\n'
        ),
        Valid(
            'from enum import Enum\n\n\nclass Field(Enum):\n    PASSWORD = "password"\n    API_KEY = "api_key"\n\n\n'
            'HEADER = {"X-API-Key": API_KEY}\nINVALID_PASSWORD = "Invalid password"\n'
        ),
        Valid(
            'DATABASE_URL = "postgresql://user:password@localhost/shop"\n'
            'BROKER_URL = "amqp://guest:${BROKER_PASSWORD}@rabbit//"\nCACHE_URL = "redis://localhost:6379/0"\n'
            'DSN = f"postgresql://{user}:{password}@{host}/shop"\n'
        ),
        Valid('API_TOKEN = "tok_live_8f3a9c"\n', path="tests/test_client.py"),
        # Credential shapes: placeholders, test keys, documented examples, short or prose values.
        Valid(
            'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\nSTRIPE_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"\n'
            'PUBLISHABLE_KEY = "pk_live_4eC39HqLyjWDarjtT1zdp7dc"\nGITHUB_PAT = "ghp_' + "x" * 36 + '"\n'
            'GITLAB_TOKEN = "glpat-<your-token>"\nSLACK_FIXTURE = "xoxb-api_test"\nSHORT = "ghp_abc123"\n'
            'MODEL = "sk-learn-contrib-imbalanced-learn-classifier-v2"\nGOOGLE = "AIzaSy..."\n'
            'PEM_HEADER = "-----BEGIN RSA PRIVATE KEY-----"\n'
            'UNSIGNED = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEyMyJ9."\n'
        ),
        Valid(
            'headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}\n'
            'EXAMPLE = {"Authorization": "Bearer <token>", "Proxy-Authorization": "Bearer YOUR_ACCESS_TOKEN"}\n'
            'HELP = "Send a Bearer token or use Basic authentication"\nCHALLENGE = \'Basic realm="api"\'\n'
            'AUTH_HELP = "For example: Bearer: JWT token, or basic: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="\n'
        ),
        # The names of environment variables and secret-store keys, not their values.
        Valid(
            'SecretMapping(field="cache.redis_url", secret_key="REDIS_URL")\n'
            'REVISION_SCRIPT_TOKEN = "REVISION_SCRIPT_FILENAME"\n'
        ),
        # Lexical tokens named by the plural of the rest of the name (Alembic).
        Valid(
            'def render(upgrade_token="upgrades", downgrade_token="downgrades"):\n    pass\n\n\n'
            '_UNICODE_TOKEN = "dbapiunicode"\n'
        ),
    ]
    INVALID = [
        Invalid(
            'db_password = "s3cr3t-Pa55w0rd"\n',
            at=[(1, 15)],
            message="hard-coded secret assigned to db_password ('s3…', 15 characters); "
            "read it from the environment or a secret store",
        ),
        Invalid(
            'class Settings:\n    API_TOKEN: str = "tok_live_8f3a9c"\n\n    def __init__(self):\n'
            '        self.clientSecret = "changeme"\n',
            at=[(2, 22), (5, 29)],
            path="shop/config.py",
        ),
        Invalid(
            'import psycopg2\n\n\nasync def connect():\n    return psycopg2.connect(\n'
            '        host="db",\n        password="hunter2",\n    )\n',
            at=[(7, 18)],
            message="hard-coded secret passed as password= ('hu…', 7 characters)",
        ),
        Invalid(
            'HEADERS = {"X-API-Key": "ak_93jf02k"}\nCONFIG = {"db": {"password": "admin"}}\n',
            at=[(1, 25), (2, 30)],
        ),
        Invalid(
            'def make_client(url, api_key="ak_93jf02k"):\n    def inner(*, token="t0k3n"):\n        pass\n',
            at=[(1, 30), (2, 24)],
        ),
        Invalid(
            'SECRET_KEY = "django-insecure-8v$!k"\nDATABASE_URL = "postgresql+psycopg2://shop:Pa55@db:5432/shop"\n'
            'settings = {"cache": "redis://:r3d1s@cache:6379/0"}\n',
            at=[(1, 14), (2, 16), (3, 22)],
        ),
        Invalid(
            'DSN = f"amqp://shop:rabbit-pw@{host}//"\n',
            at=[(1, 7)],
            message="hard-coded password in an amqp connection URL ('ra…', 9 characters)",
        ),
        # Credential shapes, whatever the name (split with + so that the
        # examples are no credentials in infralint's own code).
        Invalid(
            'STRIPE_KEY = "sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc"\nAWS_ACCESS_KEY_ID = "AKIA' + 'Z7Q2XK4M9PLR3TVW"\n'
            'GITHUB_PAT = "ghp_' + 'a8K2mQ9xZ1bC4dE7fG0hJ3kL6nP5rS2tU8vW"\n'
            'HEADERS = {"Authorization": "Bearer sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc"}\n',
            at=[(1, 14), (2, 21), (3, 14), (4, 29)],
        ),
        Invalid(
            'AWS_ACCESS_KEY_ID = "AKIA' + 'Z7Q2XK4M9PLR3TVW"\n',
            at=[(1, 21)],
            message="hard-coded AWS access key id ('AKIA…', 20 characters)",
        ),
        Invalid(
            'import httpx\n\n\nasync def fetch(client, path):\n'
            '    return await client.get(\n        path,\n'
            '        headers={"Authorization": f"Bearer ghp_' + 'a8K2mQ9xZ1bC4dE7fG0hJ3kL6nP5rS2tU8vW", "X-Id": f"{path}"},\n'
            '    )\n',
            at=[(7, 35)],
            message="hard-coded GitHub token ('ghp_…', 40 characters)",
        ),
        Invalid(
            'TOKENS = [\n    "glpat-' + 'Xy9zAb3Cd5Ef7Gh1Ij2K",\n    "xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",\n'
            '    "github_pat_' + '11ABCDEFG0123456789_abcdefghijKLMNOPQRSTuvwxyz0123456789ABCDEFGHIJ",\n'
            '    b"sk-' + 'proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh",\n'
            '    f"https://maps.example.com/api?key=AIza' + 'SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&q={query}",\n]\n',
            at=[(2, 5), (3, 5), (4, 5), (5, 5), (6, 5)],
        ),
        Invalid(
            'KEY = """-----BEGIN RSA ' + 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcH3\n'
            '-----END RSA PRIVATE KEY-----\n"""\n'
            'SESSION = "eyJhbGciOiJIUzI1NiJ9.' + 'eyJzdWIiOiJ1c2VyLTEyMyJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"\n'
            'AUTH = {"Authorization": "Basic ' + 'c2hvcDpzM2NyM3QtcHc="}\n'
            'requests.get(url, headers={"Authorization": "Bearer ' + '9f8e7d6c5b4a39281706"}, timeout=5)\n',
            at=[(1, 7), (5, 11), (6, 26), (7, 45)],
        ),
    ]

    def begin(self) -> None:
        # Literals reported by name; the URL check skips them.
        self._reported: Set[int] = set()

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            for element, value in _pairs(target, node.value):
                self._check_named(element, value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._check_named(node.target, node.value)

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg is not None:
                self._check(keyword.value, keyword.arg, f"secret passed as {keyword.arg}=")

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and _IDENTIFIER_LIKE.match(key.value):
                self._check(value, key.value, f"secret stored under {key.value!r}")

    def visit_FunctionDef(self, node: _Function) -> None:
        arguments = node.args
        positional = arguments.posonlyargs + arguments.args
        pairs = list(zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults))
        pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
        for argument, default in pairs:
            self._check(default, argument.arg, f"secret as the default of parameter {argument.arg}")

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_Constant(self, node: ast.Constant) -> None:
        parent = self.ctx.ancestors[-1] if self.ctx.ancestors else None
        if isinstance(parent, (ast.Expr, ast.JoinedStr)) or id(node) in self._reported:
            return  # docstrings; f-string parts are checked as a whole
        value = node.value
        if isinstance(value, str):
            if not self._check_url(node, value):
                self._check_shape(node, value)
        elif isinstance(value, bytes):
            self._check_shape(node, value.decode("latin-1"))

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) in self._reported:
            return
        # The literal part before the first placeholder: `f"amqp://u:pw@{host}"`.
        first = node.values[0] if node.values else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and self._check_url(node, first.value):
            return
        # A credential is literal when one literal part holds all of it.
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str) and self._check_shape(node, part.value):
                return

    # Helpers ------------------------------------------------------------------
    def _check_named(self, target: ast.AST, value: ast.AST) -> None:
        name = _target_name(target)
        if name is not None:
            self._check(value, _last_part(name), f"secret assigned to {name}")

    def _check(self, value: ast.AST, name: str, what: str) -> None:
        text = _literal_text(value)
        if text is None or not secret_name(name) or not _secret_value(text, name):
            return
        self._reported.add(id(value))
        self.report(value, what=what, preview=secret_preview(text))

    def _check_url(self, node: ast.AST, text: str) -> bool:
        found = url_secret(text)
        if found is None:
            return False
        what, preview = found
        self.report(node, what=what, preview=preview)
        return True

    def _check_shape(self, node: ast.AST, text: str) -> bool:
        credential = find_credential(text)
        if credential is None:
            return False
        self.report(node, what=credential.what, preview=secret_preview(credential.text, credential.shown))
        return True


def _pairs(target: ast.AST, value: ast.AST) -> Iterator[Tuple[ast.AST, ast.AST]]:
    """Target and value pairs of an assignment: ``user, password = "u", "p"``
    pairs element-wise."""
    if (
        isinstance(target, (ast.Tuple, ast.List))
        and isinstance(value, (ast.Tuple, ast.List))
        and len(target.elts) == len(value.elts)
        and not any(isinstance(e, ast.Starred) for e in target.elts)
    ):
        for element, item in zip(target.elts, value.elts):
            yield from _pairs(element, item)
    else:
        yield target, value


# IL702 helpers ------------------------------------------------------------------
# Keyword names drivers give the SQL argument.
_SQL_KEYWORDS = ("sql", "query", "statement", "operation", "raw_query", "text")


def built_string(node: ast.AST) -> Optional[str]:
    """How an expression builds a string from values at run time: "an
    f-string" (with placeholders), "% formatting" (left side a string),
    "str.format()" (on a string), or None."""
    if isinstance(node, ast.JoinedStr):
        return "an f-string" if any(isinstance(v, ast.FormattedValue) for v in node.values) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_string(node.left):
        return "% formatting"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _is_string(node.func.value)
    ):
        return "str.format()"
    return None


def _is_string(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr)


def _concatenation(node: ast.AST) -> List[ast.AST]:
    """The operands of a chain of ``+``, left to right. Iterative: a chain
    of 1,500 terms is valid Python and nests that deep."""
    operands: List[ast.AST] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pending.extend((current.right, current.left))
        else:
            operands.append(current)
    return operands


def scope_bindings(scope: ast.AST, name: str) -> List[ast.AST]:
    """The nodes that bind ``name`` in a function's (or the module's) own
    scope: assignments of every kind, loop and ``with`` targets, imports,
    definitions, parameters, ``except ... as``, ``global`` / ``nonlocal``
    declarations. Nested functions and classes are their own scopes (their
    names count, their bodies do not)."""
    found: List[ast.AST] = []
    if isinstance(scope, _FUNCTIONS):
        arguments = scope.args
        every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        found.extend(a for a in every if a.arg == name)
        pending: List[ast.AST] = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    else:
        pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, _SCOPES):
            if getattr(node, "name", None) == name:
                found.append(node)
            # Decorators, defaults and bases run in this scope.
            pending.extend(getattr(node, "decorator_list", []))
            pending.extend(getattr(node, "bases", []))
            if isinstance(node, _FUNCTIONS):
                pending.extend(node.args.defaults)
                pending.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            found.append(node)
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            found.append(node)
        elif isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            found.append(node)
        elif isinstance(node, ast.ExceptHandler) and node.name == name:
            found.append(node)
        elif getattr(node, "name", None) == name and type(node).__name__ in ("MatchAs", "MatchStar"):
            found.append(node)
        elif getattr(node, "rest", None) == name:  # MatchMapping
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _assignment_of(scope: ast.AST, binding: ast.AST) -> Optional[ast.expr]:
    """The value of ``name = value`` / ``name: T = value`` whose target is
    ``binding`` (a single plain target), or None."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.targets[0] is binding:
            return node.value
        if isinstance(node, ast.AnnAssign) and node.target is binding:
            return node.value
    return None


class SqlBuiltFromStrings(Rule):
    """## What it does
    Reports SQL built from strings at run time and handed to the database:
    the first argument of a method call `.execute(...)`, `.executemany(...)`,
    `.executescript(...)`, `.raw(...)` (Django's `Model.objects.raw`) or
    `.exec_driver_sql(...)`, or of `sqlalchemy.text(...)` (imports and
    aliases resolved: `from sqlalchemy import text`, `sa.text`), when it is

    - an f-string with at least one placeholder;
    - a `%` expression whose left side is a string;
    - a `.format(...)` call on a string;
    - a `+` concatenation with an operand that is not a string literal, nor
      a name bound exactly once in its scope (or at module level) to a
      string literal (`"SELECT * FROM " + TABLE` is fine when `TABLE =
      "orders"`). Operands that can only be literal text count as literals:
      a conditional between literals (`" TZ = 'UTC'" if utc else ""`), a
      literal repeated (`"?" * n`) and a literal separator joining
      literals (`", ".join(["%s"] * len(ids))`, the placeholder list of an
      `IN (...)` whose values are still bound), numbered parameter names
      (`", ".join([":id%d" % i for i in range(len(ids))])`) and a name
      bound once to one of these;
    - a local name bound exactly once in the same function (or at module
      level, for module-level code) by `name = <one of the above>`. A name
      bound more than once (`sql += ...`, assignments in branches, loop
      targets, parameters) is not followed: which value reaches the call is
      not known.

    An f-string, `%` expression or `.format()` call whose values can only
    be literal text (the operands listed above: `"SET TRANSACTION %s" %
    ("READ ONLY" if ro else "READ WRITE")`) is not reported either.

    Identifiers — table and column names — cannot be bound parameters. A
    string whose every interpolated value (or non-literal operand) is a
    call to an identifier quoting function (`quote_name(...)`,
    `quote_ident(...)`, `quote_identifier(...)`, any method of SQLAlchemy's
    `identifier_preparer` / `preparer`; the lists are in the catalogue),
    or a name bound once to such a call, is therefore not
    reported: `"DROP TABLE %s" % ops.quote_name(table)` is how Django's
    schema code builds its DDL. One other value among them is enough to
    report the string, and so is a mapping or tuple built elsewhere
    (`"DROP DATABASE %(dbname)s" % params`, even when `params` holds only
    quoted names): its values are not followed.

    The SQL may also be passed as a keyword (`sql=`, `query=`,
    `statement=`, `operation=`). Reported at the argument. `text(...)` built
    from strings is reported once, at `text`'s argument, not again at the
    `execute` that receives it.

    ## Why is this bad?
    Values formatted into SQL are an injection hole the moment one of them
    comes from a user, and they defeat the database's statement cache.
    Pass them as bound parameters (`cursor.execute("... WHERE id = %s",
    (order_id,))`, `text("... WHERE id = :id")` with `{"id": order_id}`);
    identifiers that must vary belong in a whitelist or a query builder.
    """

    code = "IL702"
    languages = PYTHON_AND_TYPESCRIPT
    name = "sql-built-from-strings"
    message = "SQL built with {how} is passed to {callee}; use bound parameters"
    applies_to = ALL_CODE
    visit_triggers = ("execute", "raw", "exec_driver_sql", "text")
    VALID = [
        Valid('def get(cursor, order_id):\n    cursor.execute("SELECT * FROM orders WHERE id = %s", (order_id,))\n'),
        Valid(
            'from sqlalchemy import text\n\nTABLE = "orders"\n\n\n'
            'def count(session):\n    return session.execute(text("SELECT count(*) FROM " + TABLE))\n'
        ),
        Valid(
            'def get(cursor, order_id, archived):\n    sql = f"SELECT * FROM orders WHERE id = {order_id}"\n'
            '    if archived:\n        sql = "SELECT * FROM archive WHERE id = %s"\n'
            '    cursor.execute(sql, (order_id,))\n'
        ),
        Valid('def run(executor, name):\n    executor.submit(f"job-{name}")\n    log.text(f"{name}")\n'),
        # Only literal text: a conditional between literals, a placeholder list.
        Valid(
            'def start(cursor, utc, ids):\n'
            '    cursor.execute("ALTER SESSION SET NLS_DATE_FORMAT = \'YYYY\'" + (" TIME_ZONE = \'UTC\'" if utc else ""))\n'
            '    sql = "SELECT * FROM orders WHERE id IN (" + ", ".join(["%s"] * len(ids)) + ")"\n'
            '    cursor.execute(sql, ids)\n'
            '    cursor.execute("SELECT " + ", ".join(["QUOTE(?)"] * len(ids)), ids)\n'
        ),
        Valid(
            'from sqlalchemy import text\n\n\ndef by_ids(session, ids):\n'
            '    names = ", ".join([":id%d" % i for i in range(len(ids))])\n'
            '    params = {f"id{i}": v for i, v in enumerate(ids)}\n'
            '    return session.execute(text("SELECT * FROM orders WHERE id IN (" + names + ")"), params)\n'
        ),
        Valid(
            'def get(cursor):\n    cursor.execute(f"SELECT * FROM orders")\n'
            '    cursor.execute("SELECT 1" "FROM t")\n'
        ),
        # Identifiers quoted by the database's own quoting (Django's schema code).
        Valid(
            'def drop(cursor, ops, table, column):\n'
            '    cursor.execute("DROP TABLE %s" % ops.quote_name(table))\n'
            '    cursor.execute("UPDATE %s SET %s = %%s" % (quote_name(table), quote_name(column)), [1])\n'
            '    cursor.execute("UPDATE %(t)s SET x = %%s" % {"t": ops.quote_name(table)}, [1])\n'
            '    cursor.execute(f"SELECT * FROM {quote_ident(table, cursor)}")\n'
            '    cursor.execute("SELECT * FROM {} LIMIT 1".format(ops.quote_name(table)))\n'
            '    cursor.execute("PRAGMA index_list(" + ops.quote_name(table) + ")")\n'
            '    cursor.execute("USE %s" % cursor.connection.dialect.identifier_preparer.quote(table))\n'
            '    cursor.execute("SET TRANSACTION %s" % ("READ ONLY" if column else "READ WRITE"))\n'
            '    quoted = ops.quote_name(table)\n'
            '    cursor.execute("DELETE FROM %s WHERE id IN (%s)" % (quoted, ", ".join(["%s"] * 3)), [1, 2, 3])\n'
        ),
    ]
    INVALID = [
        Invalid(
            'def get(cursor, order_id):\n    cursor.execute(f"SELECT * FROM orders WHERE id = {order_id}")\n',
            at=[(2, 20)],
            message="SQL built with an f-string is passed to execute(); use bound parameters",
        ),
        Invalid(
            'import sqlalchemy as sa\n\n\nclass Orders:\n    async def find(self, status):\n'
            '        return await self.session.execute(\n'
            '            sa.text("SELECT * FROM orders WHERE status = \'%s\'" % status)\n'
            '        )\n',
            at=[(7, 21)],
            message="SQL built with % formatting is passed to sqlalchemy.text()",
        ),
        Invalid(
            'def search(Order, term):\n'
            '    return Order.objects.raw("SELECT * FROM orders WHERE note LIKE \'{}\'".format(term))\n',
            at=[(2, 30)],
            message="str.format()",
        ),
        Invalid(
            'def delete(conn, table):\n    conn.exec_driver_sql("DELETE FROM " + table + " WHERE 1 = 1")\n',
            at=[(2, 26)],
            message="concatenation",
        ),
        Invalid(
            'def archive(cursor, ids):\n    def run():\n        query = f"DELETE FROM orders WHERE id IN ({ids})"\n'
            '        cursor.executemany(query, [])\n    return run\n',
            at=[(4, 28)],
            message="an f-string (assigned to query on line 3)",
        ),
        Invalid(
            'from sqlalchemy import text as sql\n\nstatement = sql(sql="SELECT * FROM " + "t" + f"{suffix}")\n',
            at=[(3, 21)],
        ),
        # Reported once, at text(): execute() receives a text clause.
        Invalid(
            'from sqlalchemy import text\n\n\ndef get(session, table):\n'
            '    query = text(f"SELECT * FROM {table}")\n    return session.execute(query)\n',
            at=[(5, 18)],
        ),
    ]

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in catalog.SQL_EXECUTION_METHODS:
            callee = f"{func.attr}()"
        else:
            qualified = self.ctx.model.resolve(func)
            if qualified not in catalog.SQL_TEXT_FUNCTIONS:
                return
            callee = f"{qualified}()"
        argument = _sql_argument(node)
        if argument is None:
            return
        how = self._built(argument)
        if how is None and isinstance(argument, ast.Name):
            how = self._built_into(argument)
        if how is not None:
            self.report(argument, how=how, callee=callee)

    def _built(self, node: ast.AST) -> Optional[str]:
        how = built_string(node)
        if how is not None:
            values = _interpolated_values(node)
            quoted = values is not None and all(self._quoted(v) or self._literal(v) for v in values)
            return None if quoted else how
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            operands = _concatenation(node)
            if any(_is_string(o) for o in operands) and not all(
                self._literal(o) or self._quoted(o) for o in operands
            ):
                how = "string concatenation"
        return how

    def _quoted(self, node: ast.AST) -> bool:
        """An identifier quoted by the database's rules, or a name bound
        once to one (`table = ops.quote_name(self._table)`)."""
        if isinstance(node, ast.Name):
            value = self._single_value(node)
            return value is not None and _quoted_identifier(value)
        return _quoted_identifier(node)

    def _literal(self, node: ast.AST) -> bool:
        """Only literal text can come out of ``node``."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return True
        if isinstance(node, ast.IfExp):
            return self._literal(node.body) and self._literal(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return all(self._literal(operand) for operand in _concatenation(node))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            # `"?" * n`, `["%s"] * n`: the count is not text.
            return self._literal(node.left) or self._literal(node.right)
        if isinstance(node, (ast.List, ast.Tuple)):
            return bool(node.elts) and all(self._literal(e) for e in node.elts)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and len(node.args) == 1
            and not node.keywords
        ):
            return self._literal(node.func.value) and self._literal(node.args[0])
        if isinstance(node, ast.Name):
            value = self._single_value(node)
            return value is not None and not isinstance(value, ast.Name) and self._literal(value)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return _numbered_placeholders(node)
        return False

    def _built_into(self, name: ast.Name) -> Optional[str]:
        value = self._single_value(name)
        how = self._built(value) if value is not None else None
        if how is None or value is None:
            return None
        return f"{how} (assigned to {name.id} on line {value.lineno})"

    def _single_value(self, name: ast.Name) -> Optional[ast.expr]:
        """The value of the one assignment to ``name`` in the current
        function's scope, else at module level."""
        scope: Optional[ast.AST] = self.ctx.enclosing_function() or self.ctx.tree
        while scope is not None:
            bindings = scope_bindings(scope, name.id)
            if len(bindings) > 1:
                return None
            if len(bindings) == 1:
                return _assignment_of(scope, bindings[0])
            # Not bound here: a module-level name (closures are not followed).
            scope = self.ctx.tree if scope is not self.ctx.tree else None
        return None


def _interpolated_values(node: ast.AST) -> Optional[List[ast.expr]]:
    """The values an f-string, `%` expression or `.format()` call puts into
    its text, or None when they cannot all be seen (`*args`, `**mapping`)."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp):
        values = node.right
        if isinstance(values, ast.Tuple):
            return None if any(isinstance(e, ast.Starred) for e in values.elts) else list(values.elts)
        if isinstance(values, ast.Dict):
            return None if None in values.keys else list(values.values)
        return [values]
    if isinstance(node, ast.Call):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        return list(node.args) + [k.value for k in node.keywords]
    return None


def _quoted_identifier(node: ast.AST) -> bool:
    """``ops.quote_name(table)``: an identifier quoted by the database's
    own rules, which a bound parameter cannot replace."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in catalog.SQL_IDENTIFIER_QUOTERS
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    receiver_name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
    return func.attr in catalog.SQL_IDENTIFIER_QUOTERS or receiver_name in catalog.SQL_IDENTIFIER_PREPARERS


def _numbered_placeholders(node: ast.AST) -> bool:
    """``":id%d" % i for i in range(n)`` / ``f":p{i}" for i in range(n)``:
    numbered parameter names, literal text and a counter."""
    generators = getattr(node, "generators", [])
    if len(generators) != 1 or generators[0].ifs or not isinstance(generators[0].target, ast.Name):
        return False
    loop = generators[0]
    if not (isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Name) and loop.iter.func.id == "range"):
        return False
    counter = loop.target.id
    element = node.elt  # type: ignore[attr-defined]
    if isinstance(element, ast.BinOp) and isinstance(element.op, ast.Mod):
        if not (isinstance(element.left, ast.Constant) and isinstance(element.left.value, str)):
            return False
        values = element.right.elts if isinstance(element.right, ast.Tuple) else [element.right]
    elif isinstance(element, ast.JoinedStr):
        values = [v.value for v in element.values if isinstance(v, ast.FormattedValue)]
    else:
        return False
    return all(isinstance(v, ast.Name) and v.id == counter for v in values)


def _sql_argument(call: ast.Call) -> Optional[ast.expr]:
    if call.args:
        first = call.args[0]
        return None if isinstance(first, ast.Starred) else first
    return next((k.value for k in call.keywords if k.arg in _SQL_KEYWORDS), None)


# IL703 ----------------------------------------------------------------------------
def _is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":`` (either side)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and mains)


class PrintInServiceCode(Rule):
    """## What it does
    Reports a call to the built-in `print` in a domain, application or
    infrastructure module — also `builtins.print(...)`. Not reported: a
    `print` that is something else — imported (`from rich import print`),
    defined or assigned in the module (`def print(...)`, `print = log.info`),
    or a parameter or local name of an enclosing function — and calls inside
    an `if __name__ == "__main__":` block, which only runs when the module
    is executed as a script. Interface modules (CLIs write to stdout on
    purpose), modules in no layer and tests are not checked.

    ## Why is this bad?
    `print` writes to stdout with no level, no timestamp, no logger name and
    no structure: in a service it is lost, or it pollutes a stream that is
    not meant for it (a CLI's output, a worker's protocol), and it cannot be
    turned off or routed. Use the application's logging setup.
    """

    code = "IL703"
    languages = PYTHON_AND_TYPESCRIPT
    name = "print-in-service-code"
    message = "{call}() in {layer} code; use the logging setup"
    applies_to = frozenset({DOMAIN, APPLICATION, INFRASTRUCTURE})
    visit_triggers = ("print",)
    VALID = [
        Valid('import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef pay():\n    logger.info("paid")\n'),
        Valid('print("starting")\n', path="shop/entrypoints/cli.py"),
        Valid('def main():\n    pass\n\n\nif __name__ == "__main__":\n    print(main())\n'),
        Valid('from rich import print\n\n\ndef show(order):\n    print(order)\n'),
        Valid('def print(*args):\n    pass\n\n\ndef show(order):\n    print(order)\n'),
        Valid('def show(order, print=None):\n    print(order)\n    items.print()\n'),
        Valid('print("starting")\n', path="shop/main.py"),
    ]
    INVALID = [
        Invalid(
            'def pay(order):\n    print("paying", order)\n',
            at=[(2, 5)],
            path="shop/application/payments.py",
            message="print() in application code; use the logging setup",
        ),
        Invalid(
            'class Order:\n    def total(self):\n        print(\n            self.lines,\n        )\n',
            at=[(3, 9)],
            path="shop/domain/order.py",
        ),
        Invalid(
            'import builtins as b\n\n\nasync def fetch():\n    def log(x):\n        b.print(x)\n    return log\n',
            at=[(6, 9)],
            message="print() in infrastructure code",
        ),
        Invalid('handler = lambda event: print(event)\nprint("loaded")\n', at=[(1, 25), (2, 1)]),
    ]

    def begin(self) -> None:
        tree = self.ctx.tree
        self._shadowed = tree is not None and bool(scope_bindings(tree, "print"))

    def visit_Call(self, node: ast.Call) -> None:
        if self.ctx.model.resolve(node.func) != "builtins.print":
            return
        if isinstance(node.func, ast.Name) and self._is_shadowed():
            return
        if any(_is_main_guard(a) for a in self.ctx.ancestors):
            return
        layer = self.ctx.layer
        self.report(node, call="print", layer=layer.name if layer is not None else "service")

    def _is_shadowed(self) -> bool:
        if self._shadowed:
            return True
        return any(isinstance(a, _FUNCTIONS) and scope_bindings(a, "print") for a in self.ctx.ancestors)


# IL704 ----------------------------------------------------------------------------
class EagerLogFormatting(Rule):
    """## What it does
    Reports a logging call — `debug`, `info`, `warning`, `warn`, `error`,
    `exception`, `critical`, `fatal` or `log` on the `logging` module, a
    logger from `logging.getLogger` / `structlog.get_logger`, loguru's
    `logger`, a parameter or attribute annotated `logging.Logger`, any of
    these imported from a first-party module (`from shop.log import
    logger`), or a name such as `logger` / `log` / `self.logger` whose
    origin is not visible — whose
    message (the first argument; the second for `.log(level, msg)`; or
    `msg=`) is an f-string with placeholders, a `%` expression on a string,
    or a `.format()` call on a string. An instance of a first-party class
    that is not a `logging.Logger` subclass (`self.log = LogService(...)`)
    is a wrapper with its own API, not a logger: not reported.

    ## Why is this bad?
    The message is formatted before the call, even when the level is off,
    and every record carries a different message: log aggregators (Sentry,
    structured logging) can no longer group the occurrences of one event,
    and the values cannot be searched as fields. Pass a template and the
    values as arguments; the logger formats only records it emits.

    ## Fix safety
    f-strings whose placeholders have no format spec and no conversion
    other than `!r` / `!s` are turned into a template with the expressions
    as arguments: `logger.info(f"paid {order.id!r} in {ms}%")` becomes
    `logger.info("paid %r in %s%%", order.id, ms)` (a literal `%` is
    doubled). For loguru, which formats with `str.format`, the template is
    `"paid {!r} in {}%"` (literal braces doubled). A message written as
    implicitly concatenated pieces, over several lines too, is fixed piece
    by piece: f-string pieces become template pieces, plain pieces are kept
    with their `%` (or, for loguru, braces) doubled, the lines and comments
    between pieces stay, and the arguments follow the last piece. The fix
    is offered only when the new template, formatted with its arguments,
    renders the same text and values as the f-string (checked by parsing
    both). It is safe when the receiver is the standard library's
    `logging` module or a logger bound from `logging.getLogger(...)` (or
    annotated `logging.Logger`) in the module or in the first-party module
    it is imported from; it is unsafe otherwise (structlog, loguru and loggers of
    unknown origin format differently). Even for the standard library the
    output can differ for the rare types whose `format(value, "")` differs
    from `str(value)`, and a value whose `repr` / `str` raises is reported
    by the logging handler instead of raising at the call.

    No fix is offered for `%` and `.format()` messages; for f-strings with
    format specs or `!a`, or with backslashes in a placeholder's
    expression; for a triple-quoted piece, an f-string piece that contains
    its own quote character (escaped, or nested in a placeholder), or a
    piece with a prefix other than `f`, `rf`, `r` or `u` (pieces keep
    theirs without the `f`: `rf"..."` becomes `r"..."`); for a message in
    parentheses of its own (the arguments would join a tuple) or whose
    source holds anything but string pieces, comments, line breaks and
    backslash continuations; for an escape that spells a `%`
    (`"\\x25"`) or, for loguru, a brace; nor when the call already passes
    positional arguments after the message or names it `msg=`.
    """

    code = "IL704"
    name = "eager-log-formatting"
    message = "logging call formats its message eagerly ({how}); pass a template and the values as arguments"
    fix_title = "Pass the values as arguments to a logging template"
    applies_to = ALL_CODE
    fix_availability = FixAvailability.SOMETIMES
    # Every receiver logger_kind recognises is spelt with one of these.
    visit_triggers = ("log", "LOG", "Log")
    VALID = [
        Valid('import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info("paid %s", order_id)\n'),
        Valid('import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info(f"paid")\nlogger.info("100%")\n'),
        Valid('import logging\n\nlogging.log(logging.INFO, "paid %s", order_id)\n'),
        Valid('metrics.info(f"paid {order_id}")\nprint("total: %s" % total)\n'),
        Valid(
            'import logging\n\nlogger = logging.getLogger(__name__)\n'
            'logger.info("paid", extra={"order": f"{order_id}"})\n'
        ),
        Valid('import logging\n\nlogging.info(msg % args)\n'),
        # A first-party wrapper takes one argument: not a logger.
        Valid(
            'from shop.services.logs import LogService\n\n\nclass Orders:\n    def __init__(self):\n'
            '        self.log = LogService("orders")\n\n    def pay(self, order):\n'
            '        self.log.info(f"paid {order.id}")\n',
            files={"shop/services/logs.py": "class LogService:\n    def info(self, message):\n        print(message)\n"},
        ),
        Valid(
            'class Log:\n    def info(self, message):\n        print(message)\n\n\nlog = Log()\n'
            'log.info(f"paid {order_id}")\n'
        ),
    ]
    INVALID = [
        Invalid(
            'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef pay(order, ms):\n'
            '    logger.info(f"paid {order.id!r} in {ms}%", exc_info=False)\n',
            at=[(7, 5)],
            message="logging call formats its message eagerly (an f-string); "
            "pass a template and the values as arguments",
            fixed='import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef pay(order, ms):\n'
            '    logger.info("paid %r in %s%%", order.id, ms, exc_info=False)\n',
            applicability=Applicability.SAFE,
        ),
        Invalid(
            'import logging\n\n\nasync def pay(order):\n'
            '    logging.log(logging.WARNING, f"slow {order[\'id\']}, {order.total:.2f}")\n',
            at=[(5, 5)],
        ),
        Invalid(
            'class Payments:\n    def pay(self, order):\n        self.logger.error(\n'
            '            f"failed {order.id}: {self.gateway.name()}"\n        )\n',
            at=[(3, 9)],
            fixed='class Payments:\n    def pay(self, order):\n        self.logger.error(\n'
            '            "failed %s: %s", order.id, self.gateway.name()\n        )\n',
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            'from loguru import logger as log\n\nlog.warning(f"{{retry}} {attempt} of {total!r}")\n',
            at=[(3, 1)],
            fixed='from loguru import logger as log\n\nlog.warning("{{retry}} {} of {!r}", attempt, total)\n',
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            'import logging\n\nlogger = logging.getLogger(__name__)\n\n\nclass Exchanges:\n'
            '    def declare(self, name, kind):\n        logger.warning(\n'
            "            '100% of direct exchanges are refused.\\n'\n"
            "            f'{name} is a {kind!r} exchange; use a topic exchange or '  # why\n"
            '            "a fanout exchange."\n        )\n',
            at=[(8, 9)],
            fixed='import logging\n\nlogger = logging.getLogger(__name__)\n\n\nclass Exchanges:\n'
            '    def declare(self, name, kind):\n        logger.warning(\n'
            "            '100%% of direct exchanges are refused.\\n'\n"
            "            '%s is a %r exchange; use a topic exchange or '  # why\n"
            '            "a fanout exchange.", name, kind\n        )\n',
            applicability=Applicability.SAFE,
        ),
        Invalid(
            'import logging\n\n\nasync def pay(order):\n    logging.log(\n        logging.INFO,\n'
            '        f"paid {order.id} at 5% "\n        f"({order.total} {{EUR}})",\n    )\n',
            at=[(5, 5)],
            fixed='import logging\n\n\nasync def pay(order):\n    logging.log(\n        logging.INFO,\n'
            '        "paid %s at 5%% "\n        "(%s {EUR})", order.id, order.total,\n    )\n',
            applicability=Applicability.SAFE,
        ),
        Invalid(
            'from loguru import logger\n\nlogger.info(\n    "{retry} 100% "\n    f"{attempt} of {total!r}"\n)\n',
            at=[(3, 1)],
            fixed='from loguru import logger\n\nlogger.info(\n    "{{retry}} 100% "\n'
            '    "{} of {!r}", attempt, total\n)\n',
            applicability=Applicability.UNSAFE,
        ),
        Invalid(
            'import structlog\n\nlog = structlog.get_logger()\nlog.info("paid %s" % order_id)\n'
            'log.debug("paid {}".format(order_id))\n',
            at=[(4, 1), (5, 1)],
        ),
        # A stdlib logger imported from the project's own module: safe fix.
        Invalid(
            'from shop.log import logger as log\n\n\nasync def pay(order):\n    log.info(f"paid {order.id}")\n',
            at=[(5, 5)],
            files={"shop/log.py": "import logging\n\nlogger = logging.getLogger('shop')\n"},
            fixed='from shop.log import logger as log\n\n\nasync def pay(order):\n    log.info("paid %s", order.id)\n',
            applicability=Applicability.SAFE,
        ),
        # A logging.Logger subclass is a logger (of unknown formatting: unsafe).
        Invalid(
            'import logging\n\n\nclass AppLogger(logging.Logger):\n    pass\n\n\n'
            'def pay(order, log: AppLogger):\n    log.warning(f"slow {order.id}")\n',
            at=[(9, 5)],
            fixed='import logging\n\n\nclass AppLogger(logging.Logger):\n    pass\n\n\n'
            'def pay(order, log: AppLogger):\n    log.warning("slow %s", order.id)\n',
            applicability=Applicability.UNSAFE,
        ),
    ]

    def visit_Call(self, node: ast.Call) -> None:
        found = logging_call(self.ctx, node)
        if found is None:
            return
        method, kind = found
        index = 1 if method == "log" else 0
        if len(node.args) > index:
            message: Optional[ast.expr] = node.args[index]
        else:
            message = next((k.value for k in node.keywords if k.arg == "msg"), None)
            index = -1
        if message is None or isinstance(message, ast.Starred):
            return
        how = built_string(message)
        if how is None:
            return
        fix = None
        plain_positional = index >= 0 and len(node.args) == index + 1
        if isinstance(message, ast.JoinedStr) and plain_positional:
            # What comes before the message: the receiver and "(", or the level and ",".
            before = (node.args[0], ",") if index else (node.func, "(")
            fix = self._fix(message, before, kind)
        self.report(node, fix=fix, how=how)

    def _fix(self, message: ast.JoinedStr, before: Tuple[ast.expr, str], kind: str) -> Optional[Fix]:
        # Imported here: only a file with an f-string log message needs it.
        from infralint.rules.log_template import is_bare, template_edits

        lines = self.ctx.text.lines
        span = self.ctx.char_range(message)
        previous, separator = before
        if not is_bare(lines, self.ctx.char_range(previous)[2:], span[:2], separator):
            return None
        edits = template_edits(lines, message, span, kind == LOGURU)
        if edits is None:
            return None
        applicability = Applicability.SAFE if kind == STDLIB else Applicability.UNSAFE
        return Fix(edits, applicability, self.fix_title or "")
