"""The data rules read: package lists, role words, module names.

Rules hold logic, not lists. Options under ``[tool.infralint.rules.CODE]``
extend or replace these defaults.
"""

from __future__ import annotations

from typing import Dict, Tuple

# IL102: packages that talk to the outside world (top-level names, or a
# dotted prefix where the rest of the package is harmless).
FRAMEWORK_PACKAGES: Tuple[str, ...] = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "psycopg2",
    "asyncpg",
    "aiomysql",
    "pymysql",
    "MySQLdb",
    "sqlite3",
    "pymongo",
    "motor",
    "redis",
    "aioredis",
    "elasticsearch",
    "boto3",
    "botocore",
    "aiobotocore",
    "google.cloud",
    "azure",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "urllib.request",
    "http.client",
    "socket",
    "smtplib",
    "ftplib",
    "grpc",
    "pika",
    "aio_pika",
    "kafka",
    "aiokafka",
    "confluent_kafka",
    "celery",
    "django.db",
    "django.http",
    "flask",
    "fastapi",
    "starlette",
    "tortoise",
    "peewee",
    "mongoengine",
    "beanie",
    "sqlmodel",
)

# IL104: class-name suffixes of infrastructure that implements a contract.
CONTRACT_IMPLEMENTATION_SUFFIXES: Tuple[str, ...] = ("Repository", "Adapter", "Gateway", "Client")

# IL201: class-name suffix -> the role a file must be named for.
FILE_ROLES: Dict[str, str] = {
    "Repository": "repository",
    "Adapter": "adapter",
    "Client": "client",
    "Config": "config",
    "Settings": "config",
    "Migration": "migration",
}
# Plurals accepted for a bare role file or a role package.
ROLE_PLURALS: Dict[str, str] = {
    "repository": "repositories",
    "adapter": "adapters",
    "client": "clients",
    "config": "configs",
    "migration": "migrations",
}

# IL202: role suffixes that mark an implementation outside infrastructure.
INFRASTRUCTURE_ROLE_SUFFIXES: Tuple[str, ...] = ("Repository", "Adapter", "Client")

# Bases and decorators that make a class abstract (a contract).
ABSTRACT_BASES: Tuple[str, ...] = (
    "abc.ABC",
    "typing.Protocol",
    "typing_extensions.Protocol",
)
ABSTRACT_METACLASSES: Tuple[str, ...] = ("abc.ABCMeta",)
ABSTRACT_DECORATORS: Tuple[str, ...] = (
    "abc.abstractmethod",
    "abc.abstractproperty",
    "abc.abstractclassmethod",
    "abc.abstractstaticmethod",
)
# Bases that say nothing about what a class implements.
NEUTRAL_BASES: Tuple[str, ...] = ("builtins.object", "typing.Generic", "typing_extensions.Generic")

# IL203: reading the environment.
ENVIRONMENT_MAPPINGS: Tuple[str, ...] = ("os.environ", "os.environb")
ENVIRONMENT_FUNCTIONS: Tuple[str, ...] = ("os.getenv", "os.getenvb", "os.environ.get", "os.environb.get")
# Modules that may read it: file names, name suffixes and package names.
CONFIG_MODULE_FILES: Tuple[str, ...] = ("config.py", "settings.py", "conf.py")
CONFIG_MODULE_SUFFIXES: Tuple[str, ...] = ("_config.py", "_settings.py")
CONFIG_PACKAGES: Tuple[str, ...] = ("config", "settings")
# A `main/` package (the entry point split in modules: `main/ioc.py`,
# `main/web.py`) holds the application's wiring: every module in it may
# read configuration, as the composition roots may.
WIRING_PACKAGES: Tuple[str, ...] = ("main",)
# Variables of the process and its platform, not settings of the service:
# reading them anywhere is fine (exact names, as written).
PROCESS_ENVIRONMENT_VARIABLES: Tuple[str, ...] = (
    # search paths and executables
    "PATH",
    "PATHEXT",
    "COMSPEC",
    "SYSTEMROOT",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "VIRTUAL_ENV",
    # the user and their directories
    "HOME",
    "USER",
    "USERNAME",
    "LOGNAME",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "XDG_RUNTIME_DIR",
    "TMPDIR",
    "TEMP",
    "TMP",
    "PWD",
    # the terminal, the shell and its completion protocol
    "TERM",
    "TERM_PROGRAM",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "SHELL",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "COMP_WORDS",
    "COMP_CWORD",
    "COMP_LINE",
    "COMP_POINT",
    # locale
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
)
# Composition roots: allowed when they belong to no layer.
# Composition roots (STANDARD.md, "Layers"): they wire the layers together,
# belong to no layer and may read configuration. Module names (a package's
# `__init__` goes by its package's name) and package names whose every
# module is one; `composition-roots` in the configuration replaces or
# extends them.
COMPOSITION_ROOT_MODULES: Tuple[str, ...] = (
    "main",
    "__main__",
    "bootstrap",
    "container",
    "containers",
    "composition_root",
    "wsgi",
    "asgi",
    "manage",
)
COMPOSITION_ROOT_PACKAGES: Tuple[str, ...] = (
    "bootstrap",
    "composition",
    "composition_root",
    "ioc",
    "di",
    "container",
    "containers",
    "wiring",
)
# Alembic's environment script: `env.py` beside the `versions/` folder of
# revisions is configuration, in no layer.
ALEMBIC_ENVIRONMENT_FILE = "env.py"
ALEMBIC_VERSIONS_DIRECTORY = "versions"

# Dynamic imports whose string argument names a module (IL101).
IMPORT_FUNCTIONS: Tuple[str, ...] = ("importlib.import_module", "builtins.__import__")

# ---------------------------------------------------------------------------
# Infrastructure code rules (IL3xx-IL7xx)

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# IL402 / IL403: module-level HTTP functions (each call opens a connection).
HTTP_FUNCTIONS: Tuple[str, ...] = tuple(f"requests.{verb}" for verb in _HTTP_VERBS) + tuple(
    f"httpx.{verb}" for verb in _HTTP_VERBS + ("stream",)
)
# HTTP clients whose methods make requests (IL301, IL403).
HTTP_CLIENT_CONSTRUCTORS: Tuple[str, ...] = (
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
)
HTTP_CLIENT_METHODS: Tuple[str, ...] = _HTTP_VERBS + ("send", "stream", "ws_connect")
# httpx has a 5 s default timeout; requests waits forever (IL403).
WAITS_FOREVER_BY_DEFAULT: Tuple[str, ...] = ("requests",)

# IL301: other external services: producer -> methods that call out ("*" = any).
CLOUD_CLIENT_CONSTRUCTORS: Tuple[str, ...] = (
    "boto3.client",
    "boto3.resource",
    "boto3.session.Session.client",
    "boto3.session.Session.resource",
    "aiobotocore.session.get_session",
)
# Methods of a cloud SDK client that build something locally and send no
# request (the paginator's pages and the waiter's `wait` do). A sub-resource
# (boto3's `s3.Bucket("b")`, CamelCase) is local too.
CLOUD_CLIENT_LOCAL_METHODS: Tuple[str, ...] = (
    "get_paginator",
    "paginate",
    "can_paginate",
    "get_waiter",
    "generate_presigned_url",
    "generate_presigned_post",
)
SMTP_CONSTRUCTORS: Tuple[str, ...] = ("smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP")
SMTP_SEND_METHODS: Tuple[str, ...] = ("send_message", "sendmail", "login", "starttls")
BROKER_PUBLISH_METHODS: Dict[str, Tuple[str, ...]] = {
    "pika.BlockingConnection": ("basic_publish", "channel"),
    "kafka.KafkaProducer": ("send", "flush"),
    "confluent_kafka.Producer": ("produce", "flush"),
    "aiokafka.AIOKafkaProducer": ("send", "send_and_wait", "start"),
}
# IL301: other module-level functions that make a request.
EXTERNAL_CALL_FUNCTIONS: Tuple[str, ...] = ("aiohttp.request", "urllib.request.urlopen")
# IL301: decorators that already retry or break circuits.
RETRY_DECORATORS: Tuple[str, ...] = (
    "tenacity.retry",
    "backoff.on_exception",
    "backoff.on_predicate",
    "retry.retry",
    "retrying.retry",
    "stamina.retry",
    "pybreaker.CircuitBreaker",
    "circuitbreaker.circuit",
    "aiobreaker.CircuitBreaker",
)

# IL303 / IL305: logging.
LOGGER_FACTORIES: Tuple[str, ...] = (
    "logging.getLogger",
    "structlog.get_logger",
    "structlog.getLogger",
    "structlog.stdlib.get_logger",
)
STDLIB_LOGGER_FACTORIES: Tuple[str, ...] = ("logging.getLogger",)
LOGGER_MODULES: Tuple[str, ...] = ("logging", "structlog", "loguru.logger")
LOGGER_NAMES: Tuple[str, ...] = ("logger", "log", "LOGGER", "LOG", "_logger", "_log", "logging")
LOG_METHODS: Tuple[str, ...] = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")
WARNING_FUNCTIONS: Tuple[str, ...] = ("warnings.warn",)
# IL303: calls that record the exception being handled (besides loggers).
ERROR_REPORTING_FUNCTIONS: Tuple[str, ...] = (
    "traceback.print_exc",
    "traceback.print_exception",
    "traceback.format_exc",
    "traceback.format_exception",
    "sys.exc_info",
    "sys.exception",
    "sentry_sdk.capture_exception",
)
# IL305: calls that put the handled exception's traceback in the output.
TRACEBACK_RECORDERS: Tuple[str, ...] = (
    "traceback.print_exc",
    "traceback.print_exception",
    "traceback.format_exc",
    "traceback.format_exception",
    "sentry_sdk.capture_exception",
)

# IL401: connections, engines, pools and clients meant to live long.
CONNECTION_CONSTRUCTORS: Tuple[str, ...] = (
    "sqlalchemy.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
    "psycopg2.connect",
    "psycopg.connect",
    "psycopg.AsyncConnection.connect",
    "asyncpg.connect",
    "asyncpg.create_pool",
    "pymysql.connect",
    "MySQLdb.connect",
    "redis.Redis",
    "redis.StrictRedis",
    "redis.from_url",
    "redis.Redis.from_url",
    "redis.asyncio.Redis",
    "redis.asyncio.from_url",
    "pymongo.MongoClient",
    "motor.motor_asyncio.AsyncIOMotorClient",
    "boto3.client",
    "boto3.resource",
    "boto3.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
    "requests.Session",
    "elasticsearch.Elasticsearch",
    "pika.BlockingConnection",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
)
# Decorators that make a function's result live beyond the call.
CACHING_DECORATORS: Tuple[str, ...] = (
    "functools.cache",
    "functools.lru_cache",
    "functools.cached_property",
    "cachetools.cached",
    "async_lru.alru_cache",
)
# Dependency-injection providers: a function so decorated hands the object
# to its caller (its lifetime is managed by the container).
PROVIDER_DECORATORS: Tuple[str, ...] = (
    "contextlib.contextmanager",
    "contextlib.asynccontextmanager",
    "pytest.fixture",
    "injector.provider",
    "injector.singleton",
    "dependency_injector.wiring.inject",
    "fastapi.Depends",
)

# IL404: resources opened into a local name that must be released.
RESOURCE_OPENERS: Tuple[str, ...] = (
    "builtins.open",
    "io.open",
    "psycopg2.connect",
    "psycopg.connect",
    "pymysql.connect",
    "MySQLdb.connect",
    "sqlite3.connect",
    "sqlalchemy.orm.Session",
    "sqlalchemy.ext.asyncio.AsyncSession",
    "socket.socket",
    "socket.create_connection",
)
# Methods of a resource that open another resource (`cur = conn.cursor()`).
RESOURCE_METHODS: Tuple[str, ...] = ("cursor", "connect")
RELEASE_METHODS: Tuple[str, ...] = (
    "close",
    "release",
    "dispose",
    "shutdown",
    "quit",
    "aclose",
    "terminate",
    # socket.detach(): the object gives up its file descriptor.
    "detach",
)
# Producers whose `.connect()` opens nothing: it returns a status or None.
STATUS_CONNECT_PRODUCERS: Tuple[str, ...] = (
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "smtplib.LMTP",
    "socket.socket",
    "socket.create_connection",
)
# IL401 / IL404: methods whose result keeps the object they are called on
# alive (a client from a session, a connection from an engine, a cursor from
# a connection); other methods return plain data. Capitalised methods
# (boto3's `s3.Bucket(...)`) count too.
HOLDING_METHODS: Tuple[str, ...] = (
    "client",
    "resource",
    "connect",
    "connection",
    "raw_connection",
    "get_connection",
    "acquire",
    "begin",
    "cursor",
    "pipeline",
    "pubsub",
    "lock",
    "channel",
    "session",
    "start_session",
    "get_database",
    "get_default_database",
    "get_collection",
    "execution_options",
    "with_options",
    "options",
)

# IL401 / IL404: functions that run once per process, whose objects are not
# per call (`async_main` is asyncio's entry point in SQLAlchemy's examples).
RUN_ONCE_FUNCTIONS: Tuple[str, ...] = ("main", "async_main", "setup", "startup", "on_startup")

# IL601: migrations.
DJANGO_RUN_PYTHON: Tuple[str, ...] = ("django.db.migrations.RunPython", "django.db.migrations.operations.RunPython")
DJANGO_RUN_SQL: Tuple[str, ...] = ("django.db.migrations.RunSQL", "django.db.migrations.operations.RunSQL")
# The base class of a Django migration, and the package an Alembic revision imports.
DJANGO_MIGRATION_BASES: Tuple[str, ...] = ("django.db.migrations.Migration", "django.db.migrations.migration.Migration")
ALEMBIC_PACKAGES: Tuple[str, ...] = ("alembic",)

# IL602-IL605: migration safety. Where Alembic's operations and Django's
# migration operations are imported from (the last part names the operation).
ALEMBIC_OPERATION_MODULES: Tuple[str, ...] = ("alembic.op",)
DJANGO_OPERATION_MODULES: Tuple[str, ...] = ("django.db.migrations", "django.contrib.postgres.operations")
# Functions projects write around op.create_table, with the table first.
TABLE_CREATING_HELPERS: Tuple[str, ...] = ("create_table",)
# SQLAlchemy's Column, and the column arguments that fill existing rows.
SQLALCHEMY_COLUMNS: Tuple[str, ...] = ("sqlalchemy.Column", "sqlalchemy.schema.Column", "sqlalchemy.sql.schema.Column")
SQLALCHEMY_GENERATED: Tuple[str, ...] = ("Computed", "Identity")
# Django fields that add no column, or fill it themselves.
DJANGO_FIELDS_WITHOUT_DEFAULT_PROBLEM: Tuple[str, ...] = ("ManyToManyField", "GeneratedField")
# Django fields that do not store strings: `blank=True` gives them no
# default (Django fills existing rows with "" for the others: CharField,
# TextField, FileField, custom fields built on them).
DJANGO_NON_STRING_FIELDS: Tuple[str, ...] = (
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "FloatField",
    "DecimalField",
    "BooleanField",
    "NullBooleanField",
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "UUIDField",
    "JSONField",
    "GenericIPAddressField",
    "ForeignKey",
    "OneToOneField",
)
# What names a database dialect in an `if` that tests it (`conn.dialect.name
# == "postgresql"`, `isinstance(bind.dialect, SQLiteDialect)`) or in a folder
# of revisions for one dialect (`versions/sqlite/`) -> the dialect.
DATABASE_DIALECT_NAMES: Dict[str, str] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "mssql": "mssql",
    "oracle": "oracle",
    "PGDialect": "postgresql",
    "SQLiteDialect": "sqlite",
    "MySQLDialect": "mysql",
    "MSDialect": "mssql",
    "OracleDialect": "oracle",
}
# IL603: what says a project runs on PostgreSQL.
POSTGRESQL_DRIVERS: Tuple[str, ...] = ("psycopg", "psycopg2", "psycopg2-binary", "asyncpg")
POSTGRESQL_INDEX_MODULES: Tuple[str, ...] = ("django.contrib.postgres",)
# IL605: the module Django's model fields come from, which a migration may import.
DJANGO_MODEL_FIELDS_MODULE = "django.db.models"

# IL701: secrets.
SECRET_NAME_WORDS: Tuple[str, ...] = (
    "password",
    "passwd",
    "secret",
    "api_key",
    "apikey",
    "token",
    "access_key",
    "private_key",
    "client_secret",
    # Django's and Flask's SECRET_KEY: "key" alone is too common a word.
    "secret_key",
)
SECRET_PLACEHOLDERS: Tuple[str, ...] = ("xxx", "***", "...", "<", "${", "{{", "%(", "changeme_in_env")
# The word "password" itself, which documentation writes to show the shape
# of a URL (`postgresql://user:password@localhost/db`) or of a Basic
# credential (`user:pass`).
DOCUMENTATION_PASSWORDS: Tuple[str, ...] = ("password", "passwd", "pwd", "pass")
WEAK_SECRETS: Tuple[str, ...] = ("changeme", "password", "secret", "admin", "123456", "test")
# IL701: credentials recognised by the shape of their value, whatever the
# name: (what it is, the literal prefixes one of which every match contains —
# the cheap test run on every string before any regex —, the pattern).
# Patterns are searched inside the string, between non-alphanumerics; the
# first shape that matches names the finding. Authorization values
# (`Bearer` / `Basic`) are recognised by the rule itself: their credential
# part needs more than a pattern.
CREDENTIAL_SHAPES: Tuple[Tuple[str, Tuple[str, ...], str], ...] = (
    ("AWS access key id", ("AKIA", "ASIA"), r"(?:AKIA|ASIA)[0-9A-Z]{16}"),
    ("GitHub token", ("ghp_", "gho_", "ghs_", "ghu_"), r"gh[posu]_[A-Za-z0-9]{36}"),
    ("GitHub token", ("github_pat_",), r"github_pat_[A-Za-z0-9_]{40,}"),
    ("GitLab token", ("glpat-",), r"glpat-[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]+)*"),
    ("Slack token", ("xoxb-", "xoxp-", "xoxa-", "xoxr-"), r"xox[bpar]-[0-9]+(?:-[0-9]+){0,3}-[A-Za-z0-9]{16,}"),
    ("Stripe live key", ("sk_live_", "rk_live_"), r"[sr]k_live_[A-Za-z0-9]{16,}"),
    # Mixed case and digits are required of the body (see the rule).
    ("API key", ("sk-",), r"sk-[A-Za-z0-9_\-]{37,}"),
    ("Google API key", ("AIza",), r"AIza[0-9A-Za-z_\-]{35}"),
    # A header followed by a body: a header alone is a marker parsers compare with.
    (
        "private key",
        ("PRIVATE KEY-----",),
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*(?:[A-Za-z-]+: [^\n]*\s*)*[A-Za-z0-9+/]{40,}",
    ),
    # Header and payload are base64 JSON (`{"` is `eyJ`); unsigned tokens carry no secret.
    ("JSON web token", ("eyJ",), r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}"),
)
# Authorization schemes whose value is a literal credential (HTTP is case-insensitive).
AUTHORIZATION_SCHEMES: Tuple[str, ...] = ("Bearer", "Basic", "bearer", "basic", "BEARER", "BASIC")
# Keys that look live but are documented test or example values.
TEST_CREDENTIAL_PREFIXES: Tuple[str, ...] = ("sk_test_", "pk_test_", "rk_test_")
# AWS documents its examples with ids ending in EXAMPLE (AKIAIOSFODNN7EXAMPLE);
# jwt.io's sample token is in every JWT tutorial; RFC 7617's Basic credential
# (`Aladdin:open sesame`) is in every explanation of Basic authentication.
EXAMPLE_CREDENTIAL_SUFFIXES: Tuple[str, ...] = ("EXAMPLE",)
EXAMPLE_CREDENTIALS: Tuple[str, ...] = (
    "AKIAIOSFODNN7EXAMPLE",
    "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
)
CONNECTION_URL_SCHEMES: Tuple[str, ...] = (
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mssql",
    "oracle",
    "ftp",
    "sftp",
    "smtp",
)

# IL702: functions whose first argument is SQL.
SQL_EXECUTION_METHODS: Tuple[str, ...] = ("execute", "executemany", "executescript", "raw", "exec_driver_sql")
# Functions that quote an identifier (a table or column name, which cannot
# be a bound parameter) in the database's own syntax: a value that only
# passes through one of them is not an injection hole.
SQL_IDENTIFIER_QUOTERS: Tuple[str, ...] = ("quote_name", "quote_ident", "quote_identifier")
# Objects every method of which returns a quoted identifier (SQLAlchemy's
# `dialect.identifier_preparer.quote(name)`, `preparer.format_table(t)`).
SQL_IDENTIFIER_PREPARERS: Tuple[str, ...] = ("identifier_preparer", "preparer")
SQL_TEXT_FUNCTIONS: Tuple[str, ...] = ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text")


# TypeScript and JavaScript (STANDARD.md, "TypeScript and JavaScript") --------
# IL102: npm packages that talk to the outside world; "@scope/*" names every
# package of a scope. The rule's `extend-frameworks` and `allow` options
# apply to these too.
TYPESCRIPT_FRAMEWORK_PACKAGES: Tuple[str, ...] = (
    "typeorm",
    "@prisma/client",
    "prisma",
    "sequelize",
    "mongoose",
    "mongodb",
    "knex",
    "pg",
    "mysql",
    "mysql2",
    "redis",
    "ioredis",
    "axios",
    "node-fetch",
    "got",
    "undici",
    "express",
    "fastify",
    "koa",
    "aws-sdk",
    "@aws-sdk/*",
    "amqplib",
    "kafkajs",
)
# IL702: the words an SQL statement starts with (TypeScript checks the text
# before the first substitution of a template literal or concatenation).
SQL_STATEMENT_KEYWORDS: Tuple[str, ...] = (
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "WITH",
    "MERGE",
    "UPSERT",
    "REPLACE",
    "CREATE",
    "ALTER",
    "DROP",
    "TRUNCATE",
    "GRANT",
    "REVOKE",
    "CALL",
    "EXEC",
    "EXECUTE",
)
# IL702 in TypeScript: functions and methods that quote an identifier by the
# database's rules (TypeORM's `escape` / `escapePath`, mysql's `escapeId`,
# pg's `escapeIdentifier`), besides SQL_IDENTIFIER_QUOTERS.
TYPESCRIPT_SQL_IDENTIFIER_QUOTERS: Tuple[str, ...] = (
    "escape",
    "escapePath",
    "escapeId",
    "escapeIdentifier",
    "quoteIdentifier",
    "wrapIdentifier",
)

# What a name refers to (STANDARD.md, "Loggers, clients and sessions").
# Session factories -> the session class their instances make when called
# (`scoped_session` registries manage their sessions and are not here).
SESSION_FACTORIES: Dict[str, str] = {
    "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.sessionmaker": "sqlalchemy.orm.Session",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": "sqlalchemy.ext.asyncio.AsyncSession",
}
# A parameter or attribute annotated with one of these types holds a value
# made by the producer given (types missing here stand for themselves:
# `requests.Session`, `httpx.AsyncClient`, `sqlalchemy.orm.Session`).
ANNOTATED_TYPES: Dict[str, str] = {
    "logging.Logger": "logging.getLogger",
    "logging.LoggerAdapter": "logging.getLogger",
    "structlog.BoundLogger": "structlog.get_logger",
    "structlog.stdlib.BoundLogger": "structlog.get_logger",
    "structlog.stdlib.AsyncBoundLogger": "structlog.get_logger",
    "structlog.typing.FilteringBoundLogger": "structlog.get_logger",
    "structlog.types.FilteringBoundLogger": "structlog.get_logger",
    "structlog.typing.BindableLogger": "structlog.get_logger",
    "loguru.Logger": "loguru.logger",
    "psycopg2.extensions.connection": "psycopg2.connect",
    "psycopg.Connection": "psycopg.connect",
    "sqlite3.Connection": "sqlite3.connect",
    "pymysql.connections.Connection": "pymysql.connect",
    "pymysql.Connection": "pymysql.connect",
    "sqlalchemy.engine.Engine": "sqlalchemy.create_engine",
    "sqlalchemy.Engine": "sqlalchemy.create_engine",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "requests.sessions.Session": "requests.Session",
}
# Classes whose subclasses are loggers (a first-party class deriving from
# none of them is a wrapper, not a logger).
LOGGER_TYPES: Tuple[str, ...] = (
    "logging.Logger",
    "logging.LoggerAdapter",
    "structlog.BoundLoggerBase",
    "structlog.stdlib.BoundLogger",
)
