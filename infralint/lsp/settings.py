"""The editor's settings for the server, from ``initializationOptions`` and
``workspace/didChangeConfiguration`` (either the settings themselves or
under an ``infralint`` key, as VS Code and Neovim send them).

=================  ==========================================  ============
setting            meaning                                      default
=================  ==========================================  ============
``select``         rules to run, replacing the configured ones  configured
``extendSelect``   rules to run in addition                     none
``ignore``         rules not to run                             none
``configuration``  the configuration file (``--config``)        nearest one
``baseline``       the baseline file (``--baseline``)           configured
``fixAll``         apply the safe fixes on save                 false
``unsafeFixes``    fix-all also applies unsafe fixes            false
``logLevel``       ``error``, ``warning``, ``info``, ``debug``  ``warning``
``debounceMs``     quiet time before linting a change           0
=================  ==========================================  ============

Rule lists are like the command line's options (codes or prefixes); paths
are relative to the workspace folder. ``extend-select``-style and
snake_case spellings are accepted too. A value of the wrong type is
reported and ignored; the other settings still apply.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Dict, List, Mapping, Optional, Tuple

LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
SECTION = "infralint"


@dataclass(frozen=True)
class ClientSettings:
    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    configuration: Optional[str] = None
    baseline: Optional[str] = None
    fix_all: bool = False
    unsafe_fixes: bool = False
    log_level: str = "warning"
    debounce_ms: Optional[float] = None
    # Settings the client sent that do not exist (for the warning).
    unknown: Tuple[str, ...] = field(default=(), compare=False)

    @property
    def overrides_rules(self) -> bool:
        return self.select is not None or bool(self.extend_select or self.ignore)


def _camel_to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z])([A-Z])", r"_\1", name).replace("-", "_").lower()


_NAMES = {f.name for f in fields(ClientSettings)} - {"unknown"}


def _codes(value: Any) -> Optional[Tuple[str, ...]]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(part.strip() for item in value for part in item.split(",") if part.strip())
    return None


def _path(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value.strip() else None


def _checked(name: str, value: Any) -> Any:
    """The setting's value, or raise ValueError saying what was expected."""
    if name in ("select", "extend_select", "ignore"):
        codes = _codes(value)
        if codes is None:
            raise ValueError("a list of rule codes")
        return codes
    if name in ("configuration", "baseline"):
        if value is None:
            return None
        path = _path(value)
        if path is None:
            raise ValueError("a file path")
        return path
    if name in ("fix_all", "unsafe_fixes"):
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value
    if name == "log_level":
        if not isinstance(value, str) or value.lower() not in LOG_LEVELS:
            raise ValueError(" or ".join(LOG_LEVELS))
        return value.lower()
    if name == "debounce_ms":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10_000:
            raise ValueError("a number of milliseconds from 0 to 10000")
        return float(value)
    raise AssertionError(name)


def settings_from(raw: Any) -> Tuple[ClientSettings, List[str]]:
    """The settings in a client's payload, and a message for each setting
    that was ignored. ``None`` or a non-object payload: the defaults."""
    if isinstance(raw, Mapping) and isinstance(raw.get(SECTION), Mapping):
        raw = raw[SECTION]
    if not isinstance(raw, Mapping):
        return ClientSettings(), []
    values: Dict[str, Any] = {}
    problems: List[str] = []
    unknown: List[str] = []
    for key, value in raw.items():
        name = _camel_to_snake(str(key))
        if name not in _NAMES:
            unknown.append(str(key))
            continue
        if value is None and name == "select":
            continue  # the configured selection
        try:
            values[name] = _checked(name, value)
        except ValueError as expected:
            problems.append(f"infralint: setting {key!r} should be {expected}, not {value!r}: ignored")
    if unknown:
        problems.append(f"infralint: unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: ignored")
    return replace(ClientSettings(), unknown=tuple(unknown), **values), problems
