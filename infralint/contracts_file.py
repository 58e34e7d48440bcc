"""Where a project keeps its import-linter contracts (IL105).

Looked up on every run that could check them, a one-file check included,
so it imports nothing beyond the standard library's basics; the contracts
themselves are read by `infralint.contracts`, with import-linter.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Optional

from infralint.errors import ConfigError

# Where import-linter looks, in its order: INI files first, then pyproject.toml.
_INI_FILES = ("setup.cfg", ".importlinter")
_TOML_FILE = "pyproject.toml"


def contracts_file(root: Path) -> Optional[Path]:
    """The file holding the project's import-linter configuration, looked for
    in ``root`` as import-linter does: `setup.cfg` or `.importlinter` with an
    `[importlinter]` section, else `pyproject.toml` with
    `[tool.importlinter]`. None when the project has no contracts."""
    for name in _INI_FILES:
        path = root / name
        if path.is_file() and _ini_has_section(path):
            return path
    path = root / _TOML_FILE
    if path.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            # A cheap look first: most pyproject.toml files have no such table.
            if "importlinter" in path.read_text(encoding="utf-8"):
                return path
    return None


def _ini_has_section(path: Path) -> bool:
    import configparser  # only for a project that has such a file

    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path.name}: cannot be read as an INI file ({error})") from error
    return parser.has_section("importlinter")
