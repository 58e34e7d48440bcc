"""Small projects of our own, shaped like the real ones of issue 16, linted
zero-config from the command line: the findings of the layer rules (IL101,
IL103, IL104) and IL203 must be exactly these, no more, no fewer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from infralint.cli import main
from tests.helpers import cli_runner, write_files

# A clean-architecture service: a dishka-style DI package (`setup/ioc/`)
# whose modules are named after the layers they provide, an auth adapter
# folder inside the presentation layer, Alembic beside its revisions.
CLEAN_ARCHITECTURE = {
    "src/app/__init__.py": "",
    "src/app/domain/__init__.py": "",
    "src/app/domain/ports/__init__.py": "",
    "src/app/domain/ports/password_hasher.py": "class PasswordHasher:\n    def hash(self, raw): ...\n",
    "src/app/domain/services/__init__.py": "",
    "src/app/domain/services/user.py": "from app.domain.ports.password_hasher import PasswordHasher\n",
    "src/app/application/__init__.py": "",
    "src/app/application/commands.py": "from app.domain.services.user import UserService\n",
    "src/app/infrastructure/__init__.py": "",
    "src/app/infrastructure/adapters/__init__.py": "",
    "src/app/infrastructure/adapters/password_hasher_bcrypt.py": (
        "from app.domain.ports.password_hasher import PasswordHasher\n\n\n"
        "class BcryptPasswordHasher(PasswordHasher):\n    pass\n"
    ),
    "src/app/infrastructure/persistence_sqla/__init__.py": "",
    "src/app/infrastructure/persistence_sqla/alembic/env.py": (
        "import os\n\nfrom app.infrastructure.persistence_sqla import tables\nfrom app.setup.config import settings\n\n"
        "URL = os.environ.get('DATABASE_URL')\n"
    ),
    "src/app/infrastructure/persistence_sqla/alembic/versions/0001_users.py": "revision = '0001'\n",
    "src/app/infrastructure/persistence_sqla/tables.py": "",
    "src/app/presentation/__init__.py": "",
    "src/app/presentation/http/__init__.py": "",
    "src/app/presentation/http/auth/__init__.py": "",
    "src/app/presentation/http/auth/constants.py": "COOKIE = 'access_token'\n",
    "src/app/presentation/http/auth/cookie_params.py": "SECURE = True\n",
    "src/app/presentation/http/auth/adapters/__init__.py": "",
    "src/app/presentation/http/auth/adapters/session_transport_jwt_cookie.py": (
        "from app.presentation.http.auth.constants import COOKIE\n"
        "from ..cookie_params import SECURE\n"
        "from app.application.commands import LogIn\n"
    ),
    "src/app/setup/__init__.py": "",
    "src/app/setup/config/__init__.py": "",
    "src/app/setup/config/settings.py": "import os\n\nSECRET = os.environ['SECRET']\n",
    "src/app/setup/ioc/__init__.py": "",
    "src/app/setup/ioc/domain.py": (
        "import os\n\nfrom app.domain.services.user import UserService\n"
        "from app.infrastructure.adapters.password_hasher_bcrypt import BcryptPasswordHasher\n\n"
        "PEPPER = os.getenv('PEPPER')\n"
    ),
    "src/app/setup/ioc/application.py": (
        "from app.application.commands import LogIn\nfrom app.infrastructure.persistence_sqla import tables\n"
    ),
    "src/app/main/__init__.py": "import os\n\nENV = os.environ.get('APP_ENV')\n",
    "src/app/main/web.py": (
        "import os\n\nfrom app.presentation.http.auth.adapters import session_transport_jwt_cookie\n"
        "from app.setup.ioc import domain\n\nPORT = int(os.environ['PORT'])\n"
    ),
    # The true positives that must stay: a domain service reaching the
    # presentation, and configuration read in the infrastructure.
    "src/app/domain/services/audit.py": "import os\n\nfrom app.presentation.http.auth.constants import COOKIE\n"
    "LEVEL = os.getenv('AUDIT_LEVEL')\n",
}

# The book's allocation service: `AbstractRepository` in the adapters
# module itself, a bootstrap and a DI container reading the environment.
ALLOCATION = {
    "src/allocation/__init__.py": "",
    "src/allocation/domain/__init__.py": "",
    "src/allocation/domain/model.py": "class Batch:\n    pass\n",
    "src/allocation/adapters/__init__.py": "",
    "src/allocation/adapters/repository.py": (
        "import abc\n\nfrom allocation.domain import model\n\n\n"
        "class AbstractRepository(abc.ABC):\n    @abc.abstractmethod\n    def add(self, batch): ...\n\n\n"
        "class SqlAlchemyRepository(AbstractRepository):\n    def add(self, batch):\n        self.session.add(batch)\n\n\n"
        "class FakeRepository(\n    AbstractRepository,\n):\n    def add(self, batch): ...\n"
    ),
    "src/allocation/adapters/notifications.py": (
        "from abc import ABC, abstractmethod\n\nfrom allocation.domain.ports import Notifier\n\n\n"
        "class AbstractClient(ABC):\n    @abstractmethod\n    def send(self): ...\n\n\n"
        "class EmailClient(Notifier):\n    def send(self): ...\n"
    ),
    "src/allocation/domain/ports.py": "class Notifier:\n    pass\n",
    "src/allocation/service_layer/__init__.py": "",
    "src/allocation/service_layer/unit_of_work.py": "from allocation.adapters import repository\n",
    "src/allocation/bootstrap.py": (
        "import os\n\nfrom allocation.adapters import repository\nfrom allocation.service_layer import unit_of_work\n\n"
        "REDIS = os.environ.get('REDIS_HOST')\n"
    ),
    "src/allocation/entrypoints/__init__.py": "",
    "src/allocation/entrypoints/container.py": "from os import getenv\n\nAPI = getenv('API_HOST')\n",
    "src/allocation/entrypoints/di/__init__.py": "",
    "src/allocation/entrypoints/di/providers.py": "import os\n\nDB = os.environ['DB']\n",
    "src/allocation/entrypoints/flask_app.py": "import os\n\nfrom allocation import bootstrap\nDEBUG = os.getenv('DEBUG')\n",
}


def _findings(root: Path, files: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> List[Tuple[str, str, int]]:
    write_files(root, files)
    monkeypatch.chdir(root)
    result = cli_runner().invoke(main, ["check", "--no-cache", "--output-format", "json", "--select", "IL1,IL203", "."])
    assert result.exit_code in (0, 1), result.output
    return sorted((f["code"], f["path"], f["line"]) for f in json.loads(result.output))


def test_clean_architecture_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _findings(tmp_path, CLEAN_ARCHITECTURE, monkeypatch) == [
        ("IL101", "src/app/domain/services/audit.py", 3),
        ("IL203", "src/app/domain/services/audit.py", 4),
    ]


def test_allocation_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _findings(tmp_path, ALLOCATION, monkeypatch) == [
        ("IL101", "src/allocation/service_layer/unit_of_work.py", 1),
        ("IL104", "src/allocation/adapters/repository.py", 11),
        ("IL104", "src/allocation/adapters/repository.py", 16),
        ("IL203", "src/allocation/entrypoints/flask_app.py", 4),
    ]
