"""What a name refers to across a project's own modules (infralint.names):
small layered projects reproducing each pattern of issue 16, linted whole,
with exactly the expected findings; and the cache re-linting a module when
a module its answers came through changes."""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from infralint.cache import LintCache
from infralint.engine import Engine
from infralint.bindings import annotation_types
from infralint.project import Project
from infralint.settings import Settings
from tests.helpers import write_files

Found = Set[Tuple[str, int, str]]

PACKAGES = {
    "app/__init__.py": "",
    "app/infrastructure/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/order.py": "class Order:\n    pass\n",
}

LOG = """\
import logging

logger = logging.getLogger("app")


class LogService:
    def __init__(self, name):
        self.name = name

    def error(self, message):
        print(message)

    def info(self, message):
        print(message)
"""

DB = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
ScopedSession = scoped_session(sessionmaker(bind=engine))
"""

PAYMENTS = """\
import logging

import requests

from app.log import LogService, logger
from ..db import ScopedSession, SessionLocal


class Gateway:
    def __init__(self, session: requests.Session, log: logging.Logger) -> None:
        self.session = session
        self.log = log
        self.service_log = LogService("payments")

    def charge(self, order):
        try:
            return self.session.post("https://psp/charge", json=order, timeout=5)
        except ValueError as error:
            self.service_log.error(f"charge failed: {error}")
            logger.error("charge failed")
            raise

    def refund(self, order):
        try:
            self.session.post("https://psp/refund", json=order)
        except ValueError:
            logger.error("refund failed %s", order)
            self.log.info(f"refund of {order} failed")


def save(order):
    session = SessionLocal()
    session.add(order)
    session.commit()
    session.close()


def save_scoped(order):
    session = ScopedSession()
    session.add(order)


def rows(conn, sql):
    cur = conn.cursor()
    cur.execute(sql)
    data = cur.fetchall()
    cur.close()
    return data
"""

EXPECTED: Found = {
    ("app/infrastructure/payments.py", 25, "IL403"),  # annotated session, no timeout
    ("app/infrastructure/payments.py", 27, "IL305"),  # imported stdlib logger, no re-raise
    ("app/infrastructure/payments.py", 28, "IL704"),  # annotated logging.Logger
    ("app/infrastructure/payments.py", 32, "IL404"),  # sessionmaker product from ..db
    ("app/infrastructure/payments.py", 44, "IL404"),  # cursor of a parameter closed without finally
}


def _settings(root: Path) -> Settings:
    return Settings.default(root).with_changes(layers_configured=True)


def _run(root: Path, cache: bool = False) -> Tuple[Found, Dict[str, int]]:
    files = sorted(root.rglob("*.py"))
    project = Project(_settings(root), files)
    lint_cache: Optional[LintCache] = LintCache.for_project(project) if cache else None
    result = Engine(project, cwd=root).run(files, jobs=1, cache=lint_cache)
    if lint_cache is not None:
        lint_cache.save()
    found = {(f.path, f.line, f.code) for f in result.findings if f.code != "IL002"}
    return found, {"cached": result.files_cached}


def _project(tmp_path: Path, **overrides: str) -> Path:
    files = {**PACKAGES, "app/log.py": LOG, "app/db.py": DB, "app/infrastructure/payments.py": PAYMENTS}
    files.update({path.replace("__", "/") + ".py": text for path, text in overrides.items()})
    write_files(tmp_path, files)
    return tmp_path


def test_the_issue_patterns_give_exactly_these_findings(tmp_path: Path) -> None:
    found, _ = _run(_project(tmp_path))
    assert found == EXPECTED


def test_fixes_follow_the_imported_logger(tmp_path: Path) -> None:
    root = _project(tmp_path)
    files = sorted(root.rglob("*.py"))
    project = Project(_settings(root), files)
    findings = Engine(project, cwd=root).lint_file(root / "app/infrastructure/payments.py")
    by_line = {(f.line, f.code): f for f in findings}
    il305 = by_line[(27, "IL305")]
    assert il305.fix is not None and il305.fix.applicability.name == "SAFE"
    il704 = by_line[(28, "IL704")]
    assert il704.fix is not None and il704.fix.applicability.name == "SAFE"


def test_a_re_exported_logger_is_followed_through_two_modules(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write_files(
        root,
        {
            "app/logging_setup.py": "from app.log import logger as app_logger\n",
            "app/infrastructure/jobs.py": (
                "from app import logging_setup\nfrom app.logging_setup import app_logger\n\n\n"
                "def run(job):\n    try:\n        job()\n    except Exception:\n"
                "        app_logger.error('job failed')\n        logging_setup.app_logger.info(f'{job}')\n"
            ),
        },
    )
    found, _ = _run(root)
    assert {f for f in found if f[0] == "app/infrastructure/jobs.py"} == {
        ("app/infrastructure/jobs.py", 9, "IL305"),
        ("app/infrastructure/jobs.py", 10, "IL704"),
    }


def test_a_cycle_of_re_exports_ends(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write_files(
        root,
        {
            "app/a.py": "from app.b import log\n",
            "app/b.py": "from app.a import log\n",
            "app/infrastructure/cycle.py": "from app.a import log\n\nlog.info(f'{1}')\n",
        },
    )
    found, _ = _run(root)
    # Unresolved through the cycle; an imported name is not read by its
    # spelling (as before): no finding, and no endless recursion.
    assert {f for f in found if f[0] == "app/infrastructure/cycle.py"} == set()


def test_changing_the_imported_module_changes_the_importers_findings(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first, _ = _run(root, cache=True)
    assert first == EXPECTED
    again, stats = _run(root, cache=True)
    assert again == EXPECTED and stats["cached"] == len(list(root.rglob("*.py")))
    # `logger` becomes a first-party wrapper: IL305 on it goes away.
    log = root / "app/log.py"
    log.write_text(LOG.replace('logger = logging.getLogger("app")', "logger = None") + 'logger = LogService("app")\n')
    os.utime(log, ns=(1, 1))  # a different stat, whatever the clock's resolution
    after, stats = _run(root, cache=True)
    assert after == EXPECTED - {("app/infrastructure/payments.py", 27, "IL305")}
    # Only the importer was linted again besides the changed module.
    assert stats["cached"] == len(list(root.rglob("*.py"))) - 2
    # A session factory that becomes a scoped_session registry: IL404 goes away.
    db = root / "app/db.py"
    db.write_text(DB.replace("SessionLocal = sessionmaker(bind=engine)", "SessionLocal = scoped_session(sessionmaker())"))
    os.utime(db, ns=(2, 2))
    final, _ = _run(root, cache=True)
    assert ("app/infrastructure/payments.py", 32, "IL404") not in final


def test_a_module_that_stops_parsing_invalidates_its_importers(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _run(root, cache=True)
    (root / "app/db.py").write_text("def broken(:\n")
    found, _ = _run(root, cache=True)
    assert ("app/infrastructure/payments.py", 32, "IL404") not in found
    assert ("app/db.py", 1, "IL001") in found


def test_near_misses_stay_silent(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        app__infrastructure__quiet=(
            "import httpx\n\nfrom app.log import LogService\n\n\nclass Quiet:\n"
            "    def __init__(self, client: httpx.Client, session, *sessions: 'requests.Session') -> None:\n"
            "        self.client = client\n        self.session = session\n        self.log = LogService('q')\n\n"
            "    def run(self):\n        try:\n            self.client.get('u')\n            self.session.get('u')\n"
            "        except Exception as error:\n            self.log.error(f'{error}')\n"
            "            self.log.info(f'{error}')\n"
        ),
    )
    found, _ = _run(root)
    assert {f for f in found if f[0] == "app/infrastructure/quiet.py"} == set()


def test_annotation_types() -> None:
    def types(text: str) -> List[str]:
        return [ast.unparse(t) for t in annotation_types(ast.parse(text, mode="eval").body)]

    assert types("requests.Session") == ["requests.Session"]
    assert types("Optional[Session]") == ["Session"]
    assert types("typing.Union[None, Session]") == ["Session"]
    assert types("Session | None") == ["Session"]
    assert types("'httpx.AsyncClient | None'") == ["httpx.AsyncClient"]
    assert types("Union[Session, Client]") == []
    assert types("'not python('") == []
