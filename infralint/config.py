"""Find, read and validate the configuration and build the one immutable
`Settings` every later stage reads.

Every error is a `ConfigError` with a one-line message naming the file, the
key (dotted, as the user would write it) and what was expected, with a
"did you mean" hint for unknown keys and codes.
"""

from __future__ import annotations

import copy
import math
import posixpath
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from infralint.errors import ConfigError
from infralint.layers import DEFAULT_LAYER_NAMES, STANDARD_KINDS, CompositionRoots, LayerModel
from infralint.lazyregex import lazy_regex
from infralint.pathspecs import gitignore_patterns
from infralint.rules import ALL_CODES, RULES_BY_CODE, expand_codes, is_known_selector
from infralint.settings import DEFAULT_SRC, Settings, default_composition_roots

if TYPE_CHECKING:
    import configparser

PYPROJECT = "pyproject.toml"
SETUP_CFG = "setup.cfg"
# Looked for in each directory, in this order; the nearest directory wins.
CONFIG_FILE_NAMES: Tuple[str, ...] = (PYPROJECT, "infralint.toml", ".infralint.toml")

SELECTOR_KEYS = ("select", "extend-select", "ignore")
PATTERN_KEYS = ("exclude", "extend-exclude", "test-paths")
TOP_LEVEL_KEYS: Tuple[str, ...] = SELECTOR_KEYS + PATTERN_KEYS + (
    "per-file-ignores",
    "respect-gitignore",
    "src",
    "baseline",
    "cache-dir",
    "layers",
    "composition-roots",
    "branch",
    "rules",
    "max-file-size",
)
LAYER_KEYS = ("order", "names", "kinds")
COMPOSITION_ROOT_KEYS = ("modules", "packages", "extend-modules", "extend-packages")
BRANCH_KEYS = ("pattern", "allowed", "base-branches")

_BARE_KEY = lazy_regex(r"^[A-Za-z0-9_-]+$")
_LIST_HINT = " (run 'infralint rules' to list the codes)"


# Messages --------------------------------------------------------------
def _type_name(value: Any) -> str:
    """The TOML name of a value's type, as users see it in messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "float", str: "string", list: "list", dict: "table"}
    for python_type, name in names.items():
        if isinstance(value, python_type):
            return name
    return "date/time"


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    # difflib.get_close_matches breaks ties by the largest string; the
    # first in sorted order reads better ("IL10L" -> IL101, not IL104).
    # Imported here: only a misspelt setting needs it.
    import difflib

    # Never the word itself: "unknown rule code 'IL1' (did you mean 'IL1'?)".
    scored = [(-difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates if c.upper() != word.upper()]
    best = min((pair for pair in scored if -pair[0] >= 0.6), default=None)
    return f" (did you mean '{best[1]}'?)" if best else ""


def _code_hint(selector: str) -> str:
    """Close codes, prefixes or ALL; else where to find the codes."""
    prefixes = sorted({code[:3] for code in ALL_CODES})
    hint = _did_you_mean(selector, list(ALL_CODES) + prefixes + ["ALL"])
    return hint or _LIST_HINT


def _quote(part: str) -> str:
    # Keys like per-file-ignores patterns need quotes to be TOML keys.
    return part if _BARE_KEY.match(part) else '"' + part.replace('"', '\\"') + '"'


class _Source:
    """A configuration file and the table its keys live under, so that every
    message can name the file and the full dotted key."""

    def __init__(self, display: str, prefix: Tuple[str, ...]) -> None:
        self.display = display
        self.prefix = prefix

    def key(self, *parts: str) -> str:
        return ".".join(_quote(part) for part in self.prefix + parts)

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.display}: {message}")

    def wrong_type(self, key: str, expected: str, value: Any) -> ConfigError:
        return self.error(f"'{key}' must be {expected}, got {_type_name(value)}")

    def check_keys(self, table: Mapping[str, Any], known: Sequence[str], *parts: str) -> None:
        for name in table:
            if name not in known:
                raise self.error(f"unknown key '{self.key(*parts, name)}'{_did_you_mean(name, known)}")


# Value checks ----------------------------------------------------------
def _boolean(value: Any, key: str, source: _Source) -> bool:
    if not isinstance(value, bool):
        raise source.wrong_type(key, "a boolean", value)
    return value


def _string(value: Any, key: str, source: _Source) -> str:
    if not isinstance(value, str):
        raise source.wrong_type(key, "a string", value)
    return value


def _strings(value: Any, key: str, source: _Source) -> Tuple[str, ...]:
    if not isinstance(value, list):
        raise source.wrong_type(key, "a list of strings", value)
    return tuple(_string(item, f"{key}[{index}]", source) for index, item in enumerate(value))


def _patterns(value: Any, key: str, source: _Source) -> Tuple[str, ...]:
    """A list of gitignore-style patterns, each one that pathspec accepts."""
    patterns = _strings(value, key, source)
    for index, pattern in enumerate(patterns):
        _check_pattern(pattern, f"{key}[{index}]", source)
    return patterns


def _check_pattern(pattern: str, key: str, source: _Source) -> None:
    try:
        gitignore_patterns(pattern)
    except ValueError as error:
        raise source.error(f"'{key}' must be a gitignore-style pattern, got '{pattern}' ({error})") from error


def _table(value: Any, key: str, source: _Source) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise source.wrong_type(key, "a table", value)
    return value


def _normalize_selectors(values: Iterable[str]) -> Tuple[str, ...]:
    return tuple(value.strip().upper() for value in values)


def _first_unknown(selectors: Iterable[str]) -> Optional[str]:
    # An empty selector would otherwise be a prefix of every code.
    return next((s for s in selectors if not s or not is_known_selector(s)), None)


def _selectors(value: Any, key: str, source: _Source) -> Tuple[str, ...]:
    selectors = _normalize_selectors(_strings(value, key, source))
    unknown = _first_unknown(selectors)
    if unknown is not None:
        raise source.error(f"unknown rule code '{unknown}' in '{key}'{_code_hint(unknown)}")
    return selectors


# Finding the file ------------------------------------------------------
def find_git_root(start: Path) -> Optional[Path]:
    """The nearest directory at or above ``start`` holding ``.git`` (a
    directory, or a file in worktrees and submodules)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _display(path: Path, cwd: Path) -> str:
    """Relative to the working directory when under it, else as given."""
    absolute = path if path.is_absolute() else cwd / path
    try:
        return str(absolute.resolve().relative_to(cwd))
    except (ValueError, OSError):
        return str(path)


class _ParsedFiles:
    """The files one loading of the settings reads, each parsed once: the
    search for the configuration and the build configuration's source
    roots often read the same pyproject.toml."""

    def __init__(self) -> None:
        self._toml: Dict[Path, Dict[str, Any]] = {}
        self._setup_cfg: Dict[Path, Optional["configparser.ConfigParser"]] = {}

    def toml(self, path: Path, display: str) -> Dict[str, Any]:
        if path not in self._toml:
            self._toml[path] = _read_toml(path, display)
        return self._toml[path]

    def setup_cfg(self, path: Path) -> Optional["configparser.ConfigParser"]:
        """``path`` parsed as setuptools reads it; None when setuptools
        could not read it either."""
        if path not in self._setup_cfg:
            self._setup_cfg[path] = _read_setup_cfg(path)
        return self._setup_cfg[path]


def _read_toml(path: Path, display: str) -> Dict[str, Any]:
    # Imported here: a project without a TOML file does not pay for it (~4 ms).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        message = " ".join(str(error).split())
        raise ConfigError(f"{display}: invalid TOML: {message}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{display}: invalid TOML: the file is not UTF-8") from error
    except OSError as error:
        raise ConfigError(f"{display}: cannot read the file: {error.strerror or error}") from error


def _packaging_source_roots(root: Path, files: _ParsedFiles) -> Tuple[str, ...]:
    """Where the build configuration of ``root`` puts the packages, beyond
    the default source roots: in pyproject.toml, setuptools'
    ``packages.find.where`` and ``package-dir`` for the root package,
    hatch's wheel ``packages`` (their parents) and poetry's ``packages``
    ``from``; in setup.cfg, ``[options] package_dir`` for the root package
    and ``[options.packages.find] where``. SQLAlchemy keeps
    ``sqlalchemy/`` in ``lib/``: without it, its modules would be named
    ``lib.sqlalchemy...``. Only existing directories inside the root
    count; a file that cannot be read, or a value of another shape, adds
    nothing (this is a default, not the user's configuration)."""
    candidates = [*_pyproject_package_directories(root, files), *_setup_cfg_package_directories(root, files)]
    resolved_root = root.resolve()
    found = []
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            directory = (resolved_root / candidate).resolve()
            if directory.is_dir() and (directory == resolved_root or resolved_root in directory.parents):
                found.append(directory.relative_to(resolved_root).as_posix())
    return tuple(found)


def _pyproject_package_directories(root: Path, files: _ParsedFiles) -> List[Any]:
    path = root / PYPROJECT
    if not path.is_file():
        return []
    try:
        data = files.toml(path, PYPROJECT)
    except ConfigError:
        return []
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return []
    wheel_packages = _listed(_nested(tool, "hatch", "build", "targets", "wheel").get("packages"))
    return [
        *_listed(_nested(tool, "setuptools", "packages", "find").get("where")),
        _nested(tool, "setuptools", "package-dir").get(""),
        *(posixpath.dirname(entry) for entry in wheel_packages if isinstance(entry, str)),
        *(entry.get("from") for entry in _listed(_nested(tool, "poetry").get("packages")) if isinstance(entry, dict)),
    ]


def _setup_cfg_package_directories(root: Path, files: _ParsedFiles) -> List[str]:
    """setup.cfg's directories for the root package, read as setuptools
    does: ``package_dir`` (also spelt ``package-dir``) is a list of
    ``package = directory`` lines, or comma-separated on one line, the
    root package's name being empty (``=src``); of ``where``, setuptools
    uses the first directory."""
    path = root / SETUP_CFG
    if not path.is_file():  # the usual case: configparser is not even imported
        return []
    parser = files.setup_cfg(path)
    if parser is None:
        return []
    package_dir = parser.get("options", "package_dir", fallback=None)
    if package_dir is None:
        package_dir = parser.get("options", "package-dir", fallback="")
    directories = [
        directory.strip()
        for name, equals, directory in (entry.partition("=") for entry in _setup_cfg_list(package_dir))
        if equals and not name.strip()
    ]
    where = _setup_cfg_list(parser.get("options.packages.find", "where", fallback=""))
    return directories + where[:1]


def _setup_cfg_list(value: str) -> List[str]:
    """A setup.cfg list as setuptools splits it: one item a line when the
    value has several lines, else comma-separated."""
    items = value.splitlines() if "\n" in value else value.split(",")
    return [item.strip() for item in items if item.strip()]


def _read_setup_cfg(path: Path) -> Optional["configparser.ConfigParser"]:
    import configparser  # ~4 ms: only for projects that have a setup.cfg

    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as stream:
            parser.read_file(stream)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    return parser


def _listed(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def _nested(table: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    """``table[k1][k2]...``, or an empty mapping where a level is missing
    or not a table."""
    for key in keys:
        value = table.get(key)
        if not isinstance(value, dict):
            return {}
        table = value
    return table


def _infralint_table(data: Mapping[str, Any], source: _Source) -> Optional[Dict[str, Any]]:
    """``[tool.infralint]`` of a pyproject.toml, or None when absent."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "infralint" not in tool:
        return None
    return _table(tool["infralint"], "tool.infralint", source)


def _load_file(
    path: Path, cwd: Path, files: _ParsedFiles, display: Optional[str] = None
) -> Tuple[Optional[Dict[str, Any]], _Source]:
    """The configuration table of one file (None for a pyproject.toml
    without ``[tool.infralint]``) and its source for messages."""
    display = display if display is not None else _display(path, cwd)
    data = files.toml(path, display)
    if path.name == PYPROJECT:
        source = _Source(display, ("tool", "infralint"))
        return _infralint_table(data, source), source
    return data, _Source(display, ())


def find_config_file(cwd: Path) -> Optional[Path]:
    """The nearest configuration file at or above ``cwd``."""
    found = _find_config(cwd.resolve(), _ParsedFiles())
    return found[0] if found else None


def _find_config(cwd: Path, files: _ParsedFiles) -> Optional[Tuple[Path, Dict[str, Any], _Source]]:
    for directory in (cwd, *cwd.parents):
        for name in CONFIG_FILE_NAMES:
            path = directory / name
            if not path.is_file():
                continue
            table, source = _load_file(path, cwd, files)
            # A pyproject.toml without our table belongs to someone else.
            if table is not None:
                return path, table, source
    return None


def _explicit_config(config_file: Path, cwd: Path, files: _ParsedFiles) -> Tuple[Path, Dict[str, Any], _Source]:
    path = config_file if config_file.is_absolute() else cwd / config_file
    display = _display(config_file, cwd)
    if path.is_dir():
        names = ", ".join(CONFIG_FILE_NAMES)
        raise ConfigError(f"{display}: is a directory; --config takes a configuration file ({names})")
    if not path.is_file():
        raise ConfigError(f"{display}: no such configuration file")
    table, source = _load_file(path, cwd, files, display)
    return path.resolve(), table or {}, source


# Sections --------------------------------------------------------------
def _layer_names(
    value: Any, layers: Sequence[str], source: _Source
) -> Dict[str, Tuple[str, ...]]:
    table = _table(value, source.key("layers", "names"), source)
    names: Dict[str, Tuple[str, ...]] = {}
    for layer, layer_names in table.items():
        _check_layer(layer, layers, "names", source)
        names[layer] = _strings(layer_names, source.key("layers", "names", layer), source)
    return names


def _layer_kinds(value: Any, layers: Sequence[str], source: _Source) -> Dict[str, str]:
    table = _table(value, source.key("layers", "kinds"), source)
    kinds: Dict[str, str] = {}
    for layer, kind in table.items():
        _check_layer(layer, layers, "kinds", source)
        key = source.key("layers", "kinds", layer)
        kind = _string(kind, key, source)
        if kind not in STANDARD_KINDS:
            expected = ", ".join(STANDARD_KINDS)
            raise source.error(
                f"'{key}' must be one of {expected}, got '{kind}'{_did_you_mean(kind, STANDARD_KINDS)}"
            )
        kinds[layer] = kind
    return kinds


def _check_layer(layer: str, layers: Sequence[str], section: str, source: _Source) -> None:
    if layer not in layers:
        hint = _did_you_mean(layer, layers) or f" (the layers are {', '.join(layers) or 'none'})"
        raise source.error(f"unknown layer '{layer}' in '{source.key('layers', section)}'{hint}")


def _layer_order(value: Any, source: _Source) -> Tuple[str, ...]:
    key = source.key("layers", "order")
    order = _strings(value, key, source)
    if not order:
        # No layer: every layer rule would be silently off.
        raise source.error(f"'{key}' is empty: list the layers, outermost first (or remove it for the standard layers)")
    for index, layer in enumerate(order):
        if not layer.strip():
            raise source.error(f"'{key}[{index}]' must be a non-empty layer name")
        if layer in order[:index]:
            raise source.error(f"'{key}' lists layer '{layer}' twice")
    return order


def _check_shared_names(order: Sequence[str], names: Mapping[str, Sequence[str]], source: _Source) -> None:
    """A directory name can belong to one layer only: else which layer a
    module is in would depend on the order of a dictionary."""
    owner: Dict[str, str] = {}
    for layer in order:
        for name in names.get(layer, DEFAULT_LAYER_NAMES.get(layer, (layer,))):
            other = owner.setdefault(name.lower(), layer)
            if other != layer:
                raise source.error(
                    f"'{name}' is a name of both layers '{other}' and '{layer}' in '{source.key('layers')}'"
                )


def _layers(value: Any, source: _Source) -> LayerModel:
    table = _table(value, source.key("layers"), source)
    source.check_keys(table, LAYER_KEYS, "layers")
    # Without an order, names and kinds adjust the standard layers.
    order = _layer_order(table["order"], source) if "order" in table else STANDARD_KINDS
    names = _layer_names(table.get("names", {}), order, source)
    kinds = _layer_kinds(table.get("kinds", {}), order, source)
    _check_shared_names(order, names, source)
    return LayerModel.build(order, names, kinds)


def _composition_roots(value: Any, source: _Source) -> CompositionRoots:
    """``modules`` / ``packages`` replace the default names, the
    ``extend-`` keys add to them; each name a Python identifier."""
    table = _table(value, source.key("composition-roots"), source)
    source.check_keys(table, COMPOSITION_ROOT_KEYS, "composition-roots")
    defaults = default_composition_roots()
    chosen: Dict[str, Tuple[str, ...]] = {}
    for kind in ("modules", "packages"):
        names = tuple(getattr(defaults, kind))
        for key in (kind, f"extend-{kind}"):
            if key not in table:
                continue
            dotted = source.key("composition-roots", key)
            listed = _strings(table[key], dotted, source)
            for index, name in enumerate(listed):
                if not name.isidentifier():
                    raise source.error(f"'{dotted}[{index}]' must be a module or package name, got '{name}'")
            names = listed if key == kind else names + listed
        chosen[kind] = names
    return CompositionRoots(chosen["modules"], chosen["packages"])


def _branch(value: Any, source: _Source) -> Dict[str, Any]:
    table = _table(value, source.key("branch"), source)
    source.check_keys(table, BRANCH_KEYS, "branch")
    branch: Dict[str, Any] = {}
    if "pattern" in table:
        branch["pattern"] = _string(table["pattern"], source.key("branch", "pattern"), source)
    for name in ("allowed", "base-branches"):
        if name in table:
            branch[name] = _strings(table[name], source.key("branch", name), source)
    return branch


def _option_value(value: Any, default: Any, key: str, source: _Source) -> Any:
    """Check a rule option against its default, whose type is the option's
    type (the elements of an empty default list are strings)."""
    if default is None:
        return value
    if isinstance(default, bool):
        return _boolean(value, key, source)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise source.wrong_type(key, "an integer", value)
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise source.wrong_type(key, "a number", value)
        # The only number options are durations: `nan` or `inf` would be
        # written into the code by a fix (`timeout=nan`).
        if not math.isfinite(value) or value <= 0:
            raise source.error(f"'{key}' must be a positive number, got {value}")
        return float(value)
    if isinstance(default, str):
        return _string(value, key, source)
    if isinstance(default, (list, tuple)):
        return _option_list(value, default, key, source)
    if isinstance(default, Mapping):
        # Table options map names to lists of strings (IL102's allow-per-layer).
        table = _table(value, key, source)
        return {name: list(_strings(item, f"{key}.{_quote(name)}", source)) for name, item in table.items()}
    if not isinstance(value, type(default)):
        raise source.wrong_type(key, f"a {type(default).__name__}", value)
    return value


def _option_list(value: Any, default: Sequence[Any], key: str, source: _Source) -> Any:
    sample = default[0] if default else ""
    if not isinstance(value, list):
        raise source.wrong_type(key, f"a list of {_type_name(sample)}s", value)
    items = [_option_value(item, sample, f"{key}[{index}]", source) for index, item in enumerate(value)]
    return tuple(items) if isinstance(default, tuple) else items


def _rule_options(value: Any, source: _Source) -> Dict[str, Dict[str, Any]]:
    """CODE -> options, for every rule with options, defaults merged."""
    table = _table(value, source.key("rules"), source)
    configured: Dict[str, Dict[str, Any]] = {}
    for code, options in table.items():
        rule = RULES_BY_CODE.get(code.upper())
        if rule is None and is_known_selector(code.upper()):
            codes = sorted(expand_codes([code.upper()]))
            shown = ", ".join(codes[:3]) + (", ..." if len(codes) > 3 else "")
            raise source.error(
                f"'{source.key('rules', code)}': options are set per rule and '{code}' is a prefix; name a code ({shown})"
            )
        if rule is None:
            raise source.error(f"unknown rule code '{code}' in '{source.key('rules')}'{_code_hint(code.upper())}")
        configured[rule.code] = _options_of(rule.code, rule.options, options, source, rule.option_choices)
    merged: Dict[str, Dict[str, Any]] = {}
    for code, rule in RULES_BY_CODE.items():
        if rule.options or code in configured:
            merged[code] = {**copy.deepcopy(dict(rule.options)), **configured.get(code, {})}
    return merged


def _options_of(
    code: str, defaults: Mapping[str, Any], value: Any, source: _Source, choices: Mapping[str, Sequence[str]]
) -> Dict[str, Any]:
    options = _table(value, source.key("rules", code), source)
    checked: Dict[str, Any] = {}
    for name, option in options.items():
        key = source.key("rules", code, name)
        if name not in defaults:
            hint = _did_you_mean(name, defaults) if defaults else f" ({code} has no options)"
            raise source.error(f"unknown option '{key}'{hint}")
        checked[name] = _option_value(option, defaults[name], key, source)
        allowed = choices.get(name)
        if allowed is not None and checked[name] not in allowed:
            expected = " or ".join(f"'{choice}'" for choice in allowed)
            raise source.error(f"'{key}' must be {expected}, got '{checked[name]}'{_did_you_mean(checked[name], allowed)}")
    return checked


def _path(key: str) -> _Checker:
    def checked(value: Any, source: _Source) -> str:
        return _path_value(value, source.key(key), source)

    return checked


def _path_value(value: Any, key: str, source: _Source) -> str:
    if not _string(value, key, source).strip():
        raise source.error(f"'{key}' must be a path, got an empty string")
    if "\x00" in value:
        raise source.error(f"'{key}' must be a path, got a string with a NUL character")
    return value


def _source_roots(value: Any, source: _Source) -> Tuple[str, ...]:
    """``src``: directories inside the project root (relative to it). An
    absolute path or one that climbs out (``"/"``, ``".."``) would make
    the layer scan walk another tree, the whole file system for ``/``."""
    key = source.key("src")
    roots = _strings(value, key, source)
    for index, root in enumerate(roots):
        entry = f"{key}[{index}]"
        _path_value(root, entry, source)
        normal = posixpath.normpath(root.replace("\\", "/"))
        if posixpath.isabs(normal) or normal == ".." or normal.startswith("../") or Path(root).is_absolute():
            raise source.error(f"'{entry}' must be a directory inside the project root, got '{root}'")
    return roots


def _max_file_size(value: Any, source: _Source) -> int:
    key = source.key("max-file-size")
    if isinstance(value, bool) or not isinstance(value, int):
        raise source.wrong_type(key, "an integer (bytes)", value)
    if value < 1:
        raise source.error(f"'{key}' must be a positive number of bytes, got {value}")
    return value


def _per_file_ignores(value: Any, source: _Source) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    table = _table(value, source.key("per-file-ignores"), source)
    ignores = []
    for pattern, codes in table.items():
        key = source.key("per-file-ignores", pattern)
        _check_pattern(pattern, key, source)
        ignores.append((pattern, _selectors(codes, key, source)))
    return tuple(ignores)


# Selection -------------------------------------------------------------
def _command_line_selectors(option: str, values: Optional[Sequence[str]]) -> Tuple[str, ...]:
    """Selectors from an option; commas separate codes, as on the CLI."""
    if not values:
        return ()
    selectors = _normalize_selectors(part for value in values for part in value.split(",") if part.strip())
    unknown = _first_unknown(selectors)
    if unknown is not None:
        raise ConfigError(f"{option}: unknown rule code '{unknown}'{_code_hint(unknown)}")
    return selectors


def _enabled(
    configured: Mapping[str, Tuple[str, ...]],
    select: Optional[Sequence[str]],
    extend_select: Optional[Sequence[str]],
    ignore: Optional[Sequence[str]],
) -> FrozenSet[str]:
    """select (the command line's replacing the file's; default ALL) plus
    extend-select, minus ignore (both added to from the command line). An
    explicit ``select = []`` in the file selects nothing, as in ruff."""
    chosen = _command_line_selectors("--select", select) or configured.get("select", ("ALL",))
    extended = configured.get("extend-select", ()) + _command_line_selectors("--extend-select", extend_select)
    ignored = configured.get("ignore", ()) + _command_line_selectors("--ignore", ignore)
    codes = set(expand_codes(chosen)) | set(expand_codes(extended))
    return frozenset(codes - set(expand_codes(ignored)))


# Building the settings -------------------------------------------------
# Each key's checker: value, source -> the value stored in Settings.
_Checker = Callable[[Any, _Source], Any]


def _checkers() -> Dict[str, _Checker]:
    def patterns(key: str) -> _Checker:
        return lambda value, source: _patterns(value, source.key(key), source)

    def selected(key: str) -> _Checker:
        return lambda value, source: _selectors(value, source.key(key), source)

    checkers: Dict[str, _Checker] = {key: selected(key) for key in SELECTOR_KEYS}
    checkers.update({key: patterns(key) for key in PATTERN_KEYS})
    checkers["src"] = _source_roots
    checkers.update(
        {
            "per-file-ignores": _per_file_ignores,
            "respect-gitignore": lambda value, source: _boolean(value, source.key("respect-gitignore"), source),
            "baseline": _path("baseline"),
            "cache-dir": _path("cache-dir"),
            "layers": _layers,
            "composition-roots": _composition_roots,
            "branch": _branch,
            "rules": _rule_options,
            "max-file-size": _max_file_size,
        }
    )
    return checkers


def _validate(table: Mapping[str, Any], source: _Source) -> Dict[str, Any]:
    """Every key checked, unknown keys rejected; key -> checked value."""
    source.check_keys(table, TOP_LEVEL_KEYS)
    checkers = _checkers()
    return {key: checkers[key](value, source) for key, value in table.items()}


def load_settings(
    paths: Sequence[Path],
    *,
    config_file: Optional[Path] = None,
    cwd: Optional[Path] = None,
    select: Optional[Sequence[str]] = None,
    extend_select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None,
) -> Settings:
    """The settings for a run: from ``config_file`` when given, else from
    the nearest configuration file at or above the first path to lint (or
    ``cwd`` without paths), with the command line's rule selection applied.

    Searching from the path, as ruff does, means `infralint check
    examples/shop` uses the example's own configuration, not the one of the
    repository it sits in. The root is the configuration file's directory,
    except for a ``config_file`` that is neither in the directory searched
    from nor above it: then, as without a configuration, the git root or
    that directory (see the README's Configuration)."""
    cwd = (cwd or Path.cwd()).resolve()
    start = _search_start(paths, cwd)
    files = _ParsedFiles()
    if config_file is not None:
        found: Optional[Tuple[Path, Dict[str, Any], _Source]] = _explicit_config(config_file, cwd, files)
    else:
        found = _find_config(start, files)
    if found is None:
        root = find_git_root(start) or start
        return _settings(root, None, {}, files, select, extend_select, ignore)
    path, table, source = found
    root = path.parent
    if config_file is not None and root != start and root not in start.parents:
        # A configuration kept elsewhere (`--config ../ci/infralint.toml`)
        # brings the settings, not the tree: as in ruff, the files checked
        # are those of the project being linted.
        root = find_git_root(start) or start
    return _settings(root, path, _validate(table, source), files, select, extend_select, ignore)


def _search_start(paths: Sequence[Path], cwd: Path) -> Path:
    for path in paths:
        absolute = (cwd / path).resolve()
        if (cwd / path).is_symlink():  # where the link is, not where it leads
            absolute = (cwd / path).parent.resolve()
        if absolute.is_dir():
            return absolute
        if absolute.parent.is_dir():
            return absolute.parent
    return cwd


def _settings(
    root: Path,
    config_file: Optional[Path],
    values: Mapping[str, Any],
    files: _ParsedFiles,
    select: Optional[Sequence[str]],
    extend_select: Optional[Sequence[str]],
    ignore: Optional[Sequence[str]],
) -> Settings:
    # Keys that are absent keep the defaults declared on Settings.
    fields = {field: values[key] for key, field in _FIELDS.items() if key in values}
    # Paths to files are relative to the configuration file's directory, as
    # in ruff (the same as the root unless --config names a file elsewhere).
    base = config_file.parent if config_file is not None else root
    for key, field in (("baseline", "baseline"), ("cache-dir", "cache_dir")):
        if key in values:
            fields[field] = (base / values[key]).resolve()
    if "rules" not in values:
        fields["rule_options"] = _rule_options({}, _Source("", ()))
    if "src" not in values:
        fields["src"] = tuple(dict.fromkeys((*DEFAULT_SRC, *_packaging_source_roots(root, files))))
    # Configured layers apply as given; zero-config ones only when the
    # project looks layered (Project decides).
    fields["layers_configured"] = "layers" in values
    enabled = _enabled(values, select, extend_select, ignore)
    return Settings(root=root, config_file=config_file, enabled=enabled, **fields)


# Configuration key -> Settings field, for keys stored as checked.
_FIELDS: Dict[str, str] = {
    "max-file-size": "max_file_size",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "per-file-ignores": "per_file_ignores",
    "respect-gitignore": "respect_gitignore",
    "src": "src",
    "test-paths": "test_paths",
    "layers": "layers",
    "composition-roots": "composition_roots",
    "branch": "branch",
    "rules": "rule_options",
}
