"""Before/after pairs for every fix, written through ``check --fix
--unsafe-fixes`` in each newline and BOM style: the fixed file keeps its
BOM and line endings (an inserted line too), non-ASCII identifiers and
strings survive, and a second run changes nothing."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Callable, Dict

import pytest

from infralint.cli import main
from tests.helpers import cli_runner, write_files

PAIRS: Dict[str, tuple] = {
    "il002_unused_suppression": (
        "import os  # infralint: ignore[IL302]\nimport sys  # noqa: E501, IL304\n\nnom = 'ünïcode'\n",
        "import os\nimport sys  # noqa: E501\n\nnom = 'ünïcode'\n",
    ),
    "il302_nested_async_reraise": (
        "async def handler(größe):\n    try:\n        try:\n            await connect(größe)\n        except:\n"
        "            raise\n    except:\n        log('é')\n        raise\n",
        "async def handler(größe):\n    try:\n        try:\n            await connect(größe)\n"
        "        except BaseException:\n            raise\n    except BaseException:\n        log('é')\n        raise\n",
    ),
    # A form feed ends no line for Python (str.splitlines would count one).
    "il302_after_form_feed": (
        "x = 1\n\x0c\ntry:\n    f()  # \x1c\nexcept:\n    raise\n",
        "x = 1\n\x0c\ntry:\n    f()  # \x1c\nexcept BaseException:\n    raise\n",
    ),
    "il302_swallowed_unsafe": (
        "try:\n    connect()\nexcept:\n    état = 'hors ligne'\n",
        "try:\n    connect()\nexcept Exception:\n    état = 'hors ligne'\n",
    ),
    "il304_tuple_and_named": (
        "try:\n    größe = maße['ä']\nexcept (KeyError, ValueError):\n    raise Ungültig('größe')  # ä\n"
        "try:\n    pay()\nexcept OSError as e:\n    raise Failed(\n        'pay',\n    )\n",
        "try:\n    größe = maße['ä']\nexcept (KeyError, ValueError) as err:\n    raise Ungültig('größe') from err  # ä\n"
        "try:\n    pay()\nexcept OSError as e:\n    raise Failed(\n        'pay',\n    ) from e\n",
    ),
    "il305_alias_error_and_critical": (
        "import logging as lg\n\nlog = lg.getLogger('ü')\n\n\nasync def pay():\n    try:\n        await charge()\n"
        "    except OSError:\n        log.error('échec %s', 1)\n    except ValueError:\n        log.critical(\n"
        "            'valeur',\n        )\n",
        "import logging as lg\n\nlog = lg.getLogger('ü')\n\n\nasync def pay():\n    try:\n        await charge()\n"
        "    except OSError:\n        log.exception('échec %s', 1)\n    except ValueError:\n        log.critical(\n"
        "            'valeur', exc_info=True,\n        )\n",
    ),
    "il403_alias_multiline": (
        "import requests as rq\n\n\nasync def fetch(clé):\n    return rq.get(\n        'https://example.com/ü',\n"
        "        params={'q': clé}\n    )\n",
        "import requests as rq\n\n\nasync def fetch(clé):\n    return rq.get(\n        'https://example.com/ü',\n"
        "        params={'q': clé},\n        timeout=10\n    )\n",
    ),
    "il704_fstring": (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef paid(commande, ms):\n"
        "    logger.info(f'payée {commande.id} en {ms}ms — 100%')\n",
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef paid(commande, ms):\n"
        "    logger.info('payée %s en %sms — 100%%', commande.id, ms)\n",
    ),
    "il704_concatenated_lines": (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\nasync def paid(commande, ms):\n"
        "    logger.info(\n        'payée — 100%\\n'  # é\n        f'{commande.id} en '\n"
        "        f\"{ms!r}ms\"\n    )\n",
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\nasync def paid(commande, ms):\n"
        "    logger.info(\n        'payée — 100%%\\n'  # é\n        '%s en '\n"
        "        \"%rms\", commande.id, ms\n    )\n",
    ),
}

FIXABLE = "IL002,IL302,IL304,IL305,IL403,IL704"

STYLES: Dict[str, Callable[[str], bytes]] = {
    "lf": lambda text: text.encode("utf-8"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "bom_crlf": lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.fixture(scope="module")
def fixed_project(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("pairs")
    write_files(root, {"pyproject.toml": "[tool.infralint]\n"})
    (root / "app").mkdir()
    for name, (before, _) in PAIRS.items():
        for style, encode in STYLES.items():
            (root / "app" / f"{name}_{style}.py").write_bytes(encode(before))
    first = cli_runner().invoke(main, ["check", "--fix", "--unsafe-fixes", "--select", FIXABLE, str(root)])
    snapshot = {path.name: path.read_bytes() for path in (root / "app").iterdir()}
    second = cli_runner().invoke(main, ["check", "--fix", "--unsafe-fixes", "--select", FIXABLE, str(root)])
    return root, first, second, snapshot


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_fix_pair(fixed_project, name: str, style: str) -> None:
    root, first, _, _ = fixed_project
    assert first.stderr == "", first.stderr
    after = PAIRS[name][1]
    assert (root / "app" / f"{name}_{style}.py").read_bytes() == STYLES[style](after)


def test_everything_was_fixed_and_a_second_run_is_a_no_op(fixed_project) -> None:
    root, first, second, snapshot = fixed_project
    assert first.stdout.splitlines()[-1].endswith("(0 remaining)."), first.stdout
    assert second.stdout.splitlines()[-1] == "Fixed 0 findings (0 remaining).", second.stdout
    assert {path.name: path.read_bytes() for path in (root / "app").iterdir()} == snapshot
