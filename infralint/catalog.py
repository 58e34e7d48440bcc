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
# Composition roots: allowed when they belong to no layer.
COMPOSITION_ROOTS: Tuple[str, ...] = ("main.py", "__main__.py", "manage.py", "wsgi.py", "asgi.py")

# Dynamic imports whose string argument names a module (IL101).
IMPORT_FUNCTIONS: Tuple[str, ...] = ("importlib.import_module", "builtins.__import__")
