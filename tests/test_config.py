"""Finding, reading and validating the configuration (DESIGN.md,
"Configuration"): real files in temporary directories."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any, Dict

import pytest

from infralint.config import find_config_file, find_git_root, load_settings
from infralint.errors import ConfigError
from infralint.layers import DEFAULT_LAYER_NAMES, STANDARD_KINDS, LayerModel
from infralint.rules import ALL_CODES, RULES_BY_CODE
from infralint.settings import DEFAULT_EXCLUDE, DEFAULT_TEST_PATHS, Settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def pyproject(directory: Path, body: str) -> Path:
    return write(directory / "pyproject.toml", "[tool.infralint]\n" + textwrap.dedent(body))


def load(cwd: Path, **options: Any) -> Settings:
    return load_settings([], cwd=cwd, **options)


def error(cwd: Path, **options: Any) -> str:
    """The message of the ConfigError loading from ``cwd`` raises; every
    message must be one line."""
    with pytest.raises(ConfigError) as raised:
        load(cwd, **options)
    message = str(raised.value)
    assert "\n" not in message
    return message


def codes(prefix: str) -> frozenset:
    return frozenset(code for code in ALL_CODES if code.startswith(prefix))


# Finding the configuration ---------------------------------------------
def test_no_configuration_uses_defaults_and_the_working_directory(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.root == tmp_path.resolve()
    assert settings.config_file is None
    assert settings.enabled == frozenset(ALL_CODES)
    assert settings.exclude == DEFAULT_EXCLUDE
    assert settings.test_paths == DEFAULT_TEST_PATHS
    assert settings.respect_gitignore is True
    assert settings.layers == LayerModel.default()
    assert settings.layers_configured is False
    assert settings.rule_options["IL102"] == dict(RULES_BY_CODE["IL102"].options)


@pytest.mark.parametrize("git_is_a_file", [False, True])
def test_without_configuration_the_git_root_is_the_project_root(tmp_path: Path, git_is_a_file: bool) -> None:
    if git_is_a_file:  # worktrees and submodules
        write(tmp_path / ".git", "gitdir: /elsewhere/.git/worktrees/x\n")
    else:
        (tmp_path / ".git").mkdir()
    cwd = tmp_path / "src" / "shop"
    cwd.mkdir(parents=True)
    assert load(cwd).root == tmp_path.resolve()
    assert find_git_root(cwd.resolve()) == tmp_path.resolve()


def test_configuration_is_found_by_walking_up(tmp_path: Path) -> None:
    config = pyproject(tmp_path, 'select = ["IL1"]\n')
    cwd = tmp_path / "a" / "b"
    cwd.mkdir(parents=True)
    settings = load(cwd)
    assert settings.root == tmp_path.resolve()
    assert settings.config_file == config.resolve()
    assert settings.enabled == codes("IL1")


def test_configuration_wins_over_the_git_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "service" / "infralint.toml", 'ignore = ["IL2"]\n')
    cwd = tmp_path / "service" / "src"
    cwd.mkdir(parents=True)
    assert load(cwd).root == (tmp_path / "service").resolve()


def test_nearest_configuration_wins(tmp_path: Path) -> None:
    pyproject(tmp_path, 'select = ["IL1"]\n')
    nearer = write(tmp_path / "service" / ".infralint.toml", 'select = ["IL2"]\n')
    settings = load(tmp_path / "service")
    assert settings.config_file == nearer.resolve()
    assert settings.root == nearer.parent.resolve()
    assert settings.enabled == codes("IL2")


def test_pyproject_without_an_infralint_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "infralint.toml", 'select = ["IL2"]\n')
    write(tmp_path / "service" / "pyproject.toml", '[project]\nname = "service"\n[tool.black]\nline-length = 100\n')
    settings = load(tmp_path / "service")
    assert settings.config_file == outer.resolve()
    assert settings.root == tmp_path.resolve()


def test_file_names_are_tried_in_order_in_one_directory(tmp_path: Path) -> None:
    write(tmp_path / ".infralint.toml", 'select = ["IL0"]\n')
    assert find_config_file(tmp_path) == (tmp_path / ".infralint.toml").resolve()
    write(tmp_path / "infralint.toml", 'select = ["IL1"]\n')
    assert load(tmp_path).enabled == codes("IL1")
    pyproject(tmp_path, 'select = ["IL2"]\n')
    assert load(tmp_path).enabled == codes("IL2")


def test_explicit_configuration_file(tmp_path: Path) -> None:
    pyproject(tmp_path, 'select = ["IL1"]\n')
    custom = write(tmp_path / "ci" / "lint.toml", 'select = ["IL2"]\n')
    settings = load(tmp_path, config_file=custom)
    assert settings.enabled == codes("IL2")
    # The settings come from ci/, the tree is the working directory's.
    assert settings.root == tmp_path.resolve()
    assert settings.config_file == custom.resolve()


def test_explicit_pyproject_reads_its_table_and_may_lack_it(tmp_path: Path) -> None:
    config = write(tmp_path / "other" / "pyproject.toml", "[tool.infralint]\nselect = ['IL0']\nunrelated = 1\n")
    assert "unknown key 'tool.infralint.unrelated'" in error(tmp_path, config_file=config)
    bare = write(tmp_path / "bare" / "pyproject.toml", "[project]\nname = 'x'\n")
    settings = load(tmp_path, config_file=bare)
    assert settings.root == tmp_path.resolve()
    assert settings.enabled == frozenset(ALL_CODES)


def test_explicit_configuration_file_relative_to_cwd_and_missing(tmp_path: Path) -> None:
    write(tmp_path / "lint.toml", 'ignore = ["IL0"]\n')
    assert load(tmp_path, config_file=Path("lint.toml")).enabled == frozenset(ALL_CODES) - codes("IL0")
    assert error(tmp_path, config_file=Path("missing.toml")) == "missing.toml: no such configuration file"


# Reading ---------------------------------------------------------------
def test_invalid_toml_names_the_file_and_the_position(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.infralint]\nselect = [\"IL1\"\nignore = 3\n")
    message = error(tmp_path)
    assert message.startswith("pyproject.toml: invalid TOML: ")
    assert "line" in message


def test_errors_name_a_file_above_the_working_directory_by_its_path(tmp_path: Path) -> None:
    config = write(tmp_path / "infralint.toml", "respect-gitignore = 1\n")
    (tmp_path / "sub").mkdir()
    message = error(tmp_path / "sub")
    assert message == f"{config.resolve()}: 'respect-gitignore' must be a boolean, got integer"


def test_tool_infralint_must_be_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool]\ninfralint = 3\n")
    assert error(tmp_path) == "pyproject.toml: 'tool.infralint' must be a table, got integer"


# Keys and types --------------------------------------------------------
def test_every_key_is_read(tmp_path: Path) -> None:
    pyproject(
        tmp_path,
        """
        select = ["IL1", "IL2"]
        extend-select = ["IL001"]
        ignore = ["IL104"]
        exclude = ["legacy", "*.generated.py"]
        extend-exclude = ["tests/fixtures"]
        respect-gitignore = false
        src = ["src", "lib"]
        test-paths = ["spec/"]
        baseline = "ci/baseline.json"

        [tool.infralint.per-file-ignores]
        "migrations/*.py" = ["IL2", "il101"]

        [tool.infralint.layers]
        order = ["api", "core"]

        [tool.infralint.branch]
        pattern = "feature/{component}"
        allowed = ["main", "release/*"]

        [tool.infralint.rules.IL102]
        allow = ["sqlalchemy.orm"]
        """,
    )
    settings = load(tmp_path)
    assert settings.enabled == (codes("IL1") | codes("IL2") | {"IL001"}) - {"IL104"}
    assert settings.exclude == ("legacy", "*.generated.py")
    assert settings.extend_exclude == ("tests/fixtures",)
    assert settings.respect_gitignore is False
    assert settings.src == ("src", "lib")
    assert settings.test_paths == ("spec/",)
    assert settings.baseline == (tmp_path / "ci" / "baseline.json").resolve()
    assert settings.per_file_ignores == (("migrations/*.py", ("IL2", "IL101")),)
    assert [layer.name for layer in settings.layers.layers] == ["api", "core"]
    assert settings.layers_configured is True
    assert settings.branch == {"pattern": "feature/{component}", "allowed": ("main", "release/*")}
    assert settings.rule_options["IL102"]["allow"] == ["sqlalchemy.orm"]
    assert settings.option("IL102", "allow") == ["sqlalchemy.orm"]


def test_settings_are_immutable(tmp_path: Path) -> None:
    pyproject(tmp_path, 'exclude = ["a"]\n')
    settings = load(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.exclude = ("b",)  # type: ignore[misc]
    assert isinstance(settings.exclude, tuple)
    assert isinstance(settings.enabled, frozenset)
    assert load(tmp_path) == settings


def test_absolute_baseline_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "baseline.json"
    write(tmp_path / "infralint.toml", f"baseline = '{target.as_posix()}'\n")
    assert load(tmp_path).baseline == target.resolve()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("selct = []", "pyproject.toml: unknown key 'tool.infralint.selct' (did you mean 'select'?)"),
        ("respect_gitignore = true", "pyproject.toml: unknown key 'tool.infralint.respect_gitignore' (did you mean 'respect-gitignore'?)"),
        ("extend-exlude = []", "pyproject.toml: unknown key 'tool.infralint.extend-exlude' (did you mean 'extend-exclude'?)"),
        ("frobnicate = 1", "pyproject.toml: unknown key 'tool.infralint.frobnicate'"),
        ("[tool.infralint.layers]\nordr = []", "pyproject.toml: unknown key 'tool.infralint.layers.ordr' (did you mean 'order'?)"),
        ("[tool.infralint.branch]\npatern = 'x'", "pyproject.toml: unknown key 'tool.infralint.branch.patern' (did you mean 'pattern'?)"),
    ],
)
def test_unknown_keys_suggest_a_known_one(tmp_path: Path, written: str, message: str) -> None:
    pyproject(tmp_path, written + "\n")
    assert error(tmp_path) == message


def test_unknown_top_level_key_in_infralint_toml_has_no_prefix(tmp_path: Path) -> None:
    write(tmp_path / "infralint.toml", "[tool.infralint]\nselect = []\n")
    assert error(tmp_path) == "infralint.toml: unknown key 'tool'"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('respect-gitignore = "yes"', "'respect-gitignore' must be a boolean, got string"),
        ('select = "IL1"', "'select' must be a list of strings, got string"),
        ("extend-select = [1]", "'extend-select[0]' must be a string, got integer"),
        ('ignore = ["IL1", 2.5]', "'ignore[1]' must be a string, got float"),
        ('exclude = ["a", 3]', "'exclude[1]' must be a string, got integer"),
        ("extend-exclude = {a = 1}", "'extend-exclude' must be a list of strings, got table"),
        ('src = "src"', "'src' must be a list of strings, got string"),
        ("test-paths = [true]", "'test-paths[0]' must be a string, got boolean"),
        ("baseline = 1", "'baseline' must be a string, got integer"),
        ('baseline = ""', "'baseline' must be a path, got an empty string"),
        ("per-file-ignores = []", "'per-file-ignores' must be a table, got list"),
        ('per-file-ignores = { "a.py" = "IL1" }', "'per-file-ignores.\"a.py\"' must be a list of strings, got string"),
        ("layers = 1", "'layers' must be a table, got integer"),
        ("branch = []", "'branch' must be a table, got list"),
        ("branch = { pattern = 1 }", "'branch.pattern' must be a string, got integer"),
        ("branch = { allowed = ['main', 1] }", "'branch.allowed[1]' must be a string, got integer"),
        ("rules = []", "'rules' must be a table, got list"),
        ("rules = { IL102 = 1 }", "'rules.IL102' must be a table, got integer"),
        ("exclude = ['!']", "'exclude[0]' must be a gitignore-style pattern, got '!'"),
        ("created = 1979-05-27", "unknown key 'created'"),
    ],
)
def test_wrong_types_name_the_key_and_what_was_expected(tmp_path: Path, written: str, message: str) -> None:
    write(tmp_path / "infralint.toml", written + "\n")
    assert error(tmp_path).startswith("infralint.toml: " + message)


def test_wrong_types_in_pyproject_name_the_full_key(tmp_path: Path) -> None:
    pyproject(tmp_path, 'respect-gitignore = "no"\n')
    assert error(tmp_path) == "pyproject.toml: 'tool.infralint.respect-gitignore' must be a boolean, got string"


# Rule codes ------------------------------------------------------------
def test_unknown_rule_code_suggests_a_close_one(tmp_path: Path) -> None:
    pyproject(tmp_path, 'ignore = ["IL10L"]\n')
    assert error(tmp_path) == "pyproject.toml: unknown rule code 'IL10L' in 'tool.infralint.ignore' (did you mean 'IL101'?)"


def test_unknown_rule_code_without_a_close_one_says_where_to_look(tmp_path: Path) -> None:
    pyproject(tmp_path, 'select = ["IL999"]\n')
    assert error(tmp_path) == (
        "pyproject.toml: unknown rule code 'IL999' in 'tool.infralint.select' (run 'infralint rules' to list the codes)"
    )


@pytest.mark.parametrize("key", ["select", "extend-select", "ignore"])
def test_empty_selector_is_not_a_prefix_of_everything(tmp_path: Path, key: str) -> None:
    write(tmp_path / "infralint.toml", f'{key} = [""]\n')
    assert error(tmp_path).startswith(f"infralint.toml: unknown rule code '' in '{key}'")


def test_per_file_ignores_are_validated(tmp_path: Path) -> None:
    pyproject(tmp_path, '[tool.infralint.per-file-ignores]\n"tests/*.py" = ["IL1", "XX1"]\n')
    assert error(tmp_path).startswith(
        "pyproject.toml: unknown rule code 'XX1' in 'tool.infralint.per-file-ignores.\"tests/*.py\"'"
    )


# Selection -------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("", frozenset(ALL_CODES)),
        ('select = ["ALL"]', frozenset(ALL_CODES)),
        ('select = ["IL1"]', codes("IL1")),
        ('select = ["IL10"]', codes("IL10")),
        ('select = ["IL101", "IL2"]', codes("IL2") | {"IL101"}),
        ('select = ["il1"]', codes("IL1")),
        ('ignore = ["IL1"]', frozenset(ALL_CODES) - codes("IL1")),
        ('select = ["IL1"]\nextend-select = ["IL201"]', codes("IL1") | {"IL201"}),
        ('select = ["IL1"]\nignore = ["IL101"]', codes("IL1") - {"IL101"}),
        ('extend-select = ["IL1"]\nignore = ["ALL"]', frozenset()),
        ("select = []", frozenset()),
    ],
)
def test_selection_from_the_file(tmp_path: Path, written: str, expected: frozenset) -> None:
    write(tmp_path / "infralint.toml", written + "\n")
    assert load(tmp_path).enabled == expected


def test_command_line_select_replaces_and_the_others_add(tmp_path: Path) -> None:
    write(tmp_path / "infralint.toml", 'select = ["IL1"]\nextend-select = ["IL001"]\nignore = ["IL104"]\n')
    settings = load(tmp_path, select=["IL2"], extend_select=["IL002"], ignore=["IL201"])
    assert settings.enabled == (codes("IL2") | {"IL001", "IL002"}) - {"IL201"}
    assert load(tmp_path, ignore=["IL101"]).enabled == codes("IL1") - {"IL101", "IL104"} | {"IL001"}


def test_command_line_accepts_commas_and_treats_empty_as_not_given(tmp_path: Path) -> None:
    assert load(tmp_path, select=["IL101,IL102", " IL2 "]).enabled == codes("IL2") | {"IL101", "IL102"}
    assert load(tmp_path, select=[]).enabled == frozenset(ALL_CODES)


@pytest.mark.parametrize("option", ["select", "extend_select", "ignore"])
def test_command_line_unknown_code(tmp_path: Path, option: str) -> None:
    flag = "--" + option.replace("_", "-")
    message = error(tmp_path, **{option: ["IL1", "IL10L"]})
    assert message == f"{flag}: unknown rule code 'IL10L' (did you mean 'IL101'?)"
    assert error(tmp_path, **{option: ["IL99"]}).startswith(f"{flag}: unknown rule code 'IL99' (")


# Layers ----------------------------------------------------------------
def test_layers_with_order_names_and_kinds(tmp_path: Path) -> None:
    pyproject(
        tmp_path,
        """
        [tool.infralint.layers]
        order = ["inbound", "outbound", "core"]
        kinds = { outbound = "infrastructure", core = "domain" }

        [tool.infralint.layers.names]
        inbound = ["api", "CLI"]
        outbound = ["outbound", "persistence"]
        """,
    )
    model = load(tmp_path).layers
    assert [(layer.name, layer.kind, layer.rank) for layer in model.layers] == [
        ("inbound", None, 0),
        ("outbound", "infrastructure", 1),
        ("core", "domain", 2),
    ]
    assert model.layer_of_module("shop.cli.main").name == "inbound"
    assert model.layer_of_module("shop.persistence.orders").name == "outbound"
    assert model.layer_of_module("shop.core.order").name == "core"  # its own name by default
    assert model.layer_of_module("shop.domain.order") is None  # the default layers are replaced


def test_layer_names_without_order_rename_standard_layers(tmp_path: Path) -> None:
    pyproject(tmp_path, '[tool.infralint.layers.names]\ndomain = ["model"]\n')
    settings = load(tmp_path)
    model = settings.layers
    assert [layer.name for layer in model.layers] == list(STANDARD_KINDS)
    assert model.by_kind("domain").names == ("model",)
    assert model.by_kind("infrastructure").names == DEFAULT_LAYER_NAMES["infrastructure"]
    assert model.layer_of_module("shop.model.order").kind == "domain"
    assert settings.layers_configured is True


def test_empty_order_is_an_error_not_every_layer_rule_off(tmp_path: Path) -> None:
    pyproject(tmp_path, "[tool.infralint.layers]\norder = []\n")
    assert error(tmp_path).startswith("pyproject.toml: 'tool.infralint.layers.order' is empty")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            '[tool.infralint.layers.names]\ndomian = ["model"]',
            "unknown layer 'domian' in 'tool.infralint.layers.names' (did you mean 'domain'?)",
        ),
        (
            '[tool.infralint.layers.names]\nweb = ["web"]',
            "unknown layer 'web' in 'tool.infralint.layers.names' "
            "(the layers are interface, infrastructure, application, domain)",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", "core"]\nnames = { cor = ["core"] }',
            "unknown layer 'cor' in 'tool.infralint.layers.names' (did you mean 'core'?)",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", "core"]\nkinds = { db = "infrastructure" }',
            "unknown layer 'db' in 'tool.infralint.layers.kinds' (the layers are api, core)",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", "core"]\nkinds = { core = "domian" }',
            "'tool.infralint.layers.kinds.core' must be one of interface, infrastructure, application, domain, "
            "got 'domian' (did you mean 'domain'?)",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", "core", "api"]',
            "'tool.infralint.layers.order' lists layer 'api' twice",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", 2]',
            "'tool.infralint.layers.order[1]' must be a string, got integer",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", " "]',
            "'tool.infralint.layers.order[1]' must be a non-empty layer name",
        ),
        (
            '[tool.infralint.layers]\norder = "api"',
            "'tool.infralint.layers.order' must be a list of strings, got string",
        ),
        (
            '[tool.infralint.layers]\norder = ["api", "core"]\nnames = { api = ["core"] }',
            "'core' is a name of both layers 'api' and 'core' in 'tool.infralint.layers'",
        ),
        (
            '[tool.infralint.layers.names]\napplication = ["domain"]',
            "'domain' is a name of both layers 'application' and 'domain' in 'tool.infralint.layers'",
        ),
        (
            '[tool.infralint.layers.names]\ndomain = "model"',
            "'tool.infralint.layers.names.domain' must be a list of strings, got string",
        ),
        (
            '[tool.infralint.layers]\nkinds = ["domain"]',
            "'tool.infralint.layers.kinds' must be a table, got list",
        ),
    ],
)
def test_layer_errors(tmp_path: Path, written: str, message: str) -> None:
    pyproject(tmp_path, written + "\n")
    assert error(tmp_path) == "pyproject.toml: " + message


# Rule options ----------------------------------------------------------
def test_rule_options_merge_defaults(tmp_path: Path) -> None:
    pyproject(tmp_path, '[tool.infralint.rules.IL102]\nextend-frameworks = ["kombu"]\n')
    options = load(tmp_path).rule_options["IL102"]
    defaults = RULES_BY_CODE["IL102"].options
    assert options["extend-frameworks"] == ["kombu"]
    assert options["frameworks"] == defaults["frameworks"]
    assert set(options) == set(defaults)
    assert defaults["extend-frameworks"] == []  # the class's defaults are not touched


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("[tool.infralint.rules.IL102]\nframworks = []", "unknown option 'tool.infralint.rules.IL102.framworks' (did you mean 'frameworks'?)"),
        ("[tool.infralint.rules.IL102]\nframeworks = 'requests'", "'tool.infralint.rules.IL102.frameworks' must be a list of strings, got string"),
        ("[tool.infralint.rules.IL102]\nallow = ['a', 1]", "'tool.infralint.rules.IL102.allow[1]' must be a string, got integer"),
        ("[tool.infralint.rules.IL102]\nallow-per-layer = []", "'tool.infralint.rules.IL102.allow-per-layer' must be a table, got list"),
        ("[tool.infralint.rules.IL10L]\nx = 1", "unknown rule code 'IL10L' in 'tool.infralint.rules' (did you mean 'IL101'?)"),
    ],
)
def test_rule_option_errors(tmp_path: Path, written: str, message: str) -> None:
    pyproject(tmp_path, written + "\n")
    assert error(tmp_path) == "pyproject.toml: " + message


def test_option_for_a_rule_without_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RULES_BY_CODE["IL101"], "options", {})
    pyproject(tmp_path, "[tool.infralint.rules.IL101]\nstrict = true\n")
    assert error(tmp_path) == "pyproject.toml: unknown option 'tool.infralint.rules.IL101.strict' (IL101 has no options)"


@pytest.fixture
def typed_options(monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    """Options of every TOML type on a real rule (IL101 has none)."""
    options = {"max-depth": 3, "strict": False, "ratio": 0.5, "style": "short", "ports": [80], "names": ("a",)}
    monkeypatch.setattr(RULES_BY_CODE["IL101"], "options", options)
    return options


def test_typed_rule_options_are_accepted(tmp_path: Path, typed_options: Dict[str, Any]) -> None:
    pyproject(
        tmp_path,
        "[tool.infralint.rules.IL101]\nmax-depth = 5\nstrict = true\nratio = 1\nports = [8080, 443]\nnames = ['x']\n",
    )
    options = load(tmp_path).rule_options["IL101"]
    assert options == {"max-depth": 5, "strict": True, "ratio": 1.0, "style": "short", "ports": [8080, 443], "names": ("x",)}
    assert isinstance(options["ratio"], float)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("max-depth = '5'", "'tool.infralint.rules.IL101.max-depth' must be an integer, got string"),
        ("max-depth = true", "'tool.infralint.rules.IL101.max-depth' must be an integer, got boolean"),
        ("max-depth = 1.5", "'tool.infralint.rules.IL101.max-depth' must be an integer, got float"),
        ("strict = 1", "'tool.infralint.rules.IL101.strict' must be a boolean, got integer"),
        ("ratio = 'half'", "'tool.infralint.rules.IL101.ratio' must be a number, got string"),
        ("style = ['short']", "'tool.infralint.rules.IL101.style' must be a string, got list"),
        ("ports = ['80']", "'tool.infralint.rules.IL101.ports[0]' must be an integer, got string"),
        ("ports = 80", "'tool.infralint.rules.IL101.ports' must be a list of integers, got integer"),
        ("maxdepth = 1", "unknown option 'tool.infralint.rules.IL101.maxdepth' (did you mean 'max-depth'?)"),
    ],
)
def test_typed_rule_option_errors(tmp_path: Path, typed_options: Dict[str, Any], written: str, message: str) -> None:
    pyproject(tmp_path, "[tool.infralint.rules.IL101]\n" + written + "\n")
    assert error(tmp_path) == "pyproject.toml: " + message


# Source roots from the build configuration ------------------------------
@pytest.mark.parametrize(
    "build, expected",
    [
        ('[tool.setuptools.packages.find]\nwhere = ["lib"]\n', (".", "src", "lib")),
        ('[tool.setuptools]\npackage-dir = {"" = "lib"}\n', (".", "src", "lib")),
        ('[tool.hatch.build.targets.wheel]\npackages = ["lib/shop", "shop"]\n', (".", "src", "lib")),
        ('[tool.poetry]\npackages = [{include = "shop", from = "lib"}]\n', (".", "src", "lib")),
        # The defaults are not repeated; absent or outside directories add nothing.
        ('[tool.setuptools.packages.find]\nwhere = ["src", ".", "missing", "../lib"]\n', (".", "src")),
        # Values of another shape are not an error: this is someone else's table.
        ('[tool.setuptools.packages]\nfind = "lib"\n[tool.poetry]\npackages = "lib"\n', (".", "src")),
    ],
)
def test_source_roots_come_from_the_build_configuration_when_src_is_not_set(
    tmp_path: Path, build: str, expected: tuple
) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "src").mkdir()
    write(tmp_path / "pyproject.toml", '[project]\nname = "shop"\n\n' + build)
    assert load(tmp_path).src == expected
    # With [tool.infralint] and no `src` in it, the same; a configured `src` wins.
    write(tmp_path / "pyproject.toml", "[tool.infralint]\n" + build)
    assert load(tmp_path).src == expected
    write(tmp_path / "pyproject.toml", '[tool.infralint]\nsrc = ["src"]\n' + build)
    assert load(tmp_path).src == ("src",)


@pytest.mark.parametrize(
    "setup_cfg, expected",
    [
        ("[options]\npackage_dir =\n    =lib\npackages = find:\n", (".", "src", "lib")),
        ("[options]\npackage_dir = = lib\n", (".", "src", "lib")),
        ("[options]\npackage-dir = =lib\n", (".", "src", "lib")),
        ("[options.packages.find]\nwhere = lib\n", (".", "src", "lib")),
        # setuptools takes the first `where` only; other packages' directories are not roots.
        ("[options.packages.find]\nwhere =\n    lib\n    other\n", (".", "src", "lib")),
        ("[options]\npackage_dir =\n    shop = other/shop\n", (".", "src")),
        # Absent or outside directories add nothing, and neither does a file setuptools would reject.
        ("[options]\npackage_dir = =../lib\n[options.packages.find]\nwhere = missing\n", (".", "src")),
        ("[options]\npackage_dir = =lib\n[options]\nzip_safe = False\n", (".", "src")),
        ("package_dir = =lib\n", (".", "src")),
        ("[options]\npackage_dir = lib\n", (".", "src")),
    ],
)
def test_source_roots_come_from_setup_cfg_when_src_is_not_set(tmp_path: Path, setup_cfg: str, expected: tuple) -> None:
    for directory in ("lib", "other"):
        (tmp_path / directory).mkdir()
    write(tmp_path / "setup.cfg", setup_cfg)
    assert load(tmp_path).src == expected
    # Beside a pyproject.toml, with or without [tool.infralint]; a configured `src` wins.
    write(tmp_path / "pyproject.toml", "[build-system]\nrequires = ['setuptools']\n")
    assert load(tmp_path).src == expected
    write(tmp_path / "pyproject.toml", '[tool.infralint]\nsrc = ["src"]\n')
    assert load(tmp_path).src == ("src",)


def test_setup_cfg_and_pyproject_toml_both_give_source_roots(tmp_path: Path) -> None:
    for directory in ("lib", "python"):
        (tmp_path / directory).mkdir()
    write(tmp_path / "setup.cfg", "[options]\npackage_dir = =python\n")
    write(tmp_path / "pyproject.toml", '[tool.setuptools.packages.find]\nwhere = ["lib"]\n')
    assert load(tmp_path).src == (".", "src", "lib", "python")


@pytest.mark.parametrize("content", [b"[options\npackage_dir = =lib\n", b"[options]\npackage_dir = =lib\xff\n"])
def test_an_unreadable_setup_cfg_adds_no_source_root(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "setup.cfg").write_bytes(content)
    assert load(tmp_path).src == (".", "src")


def test_setup_cfg_is_parsed_once_per_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import infralint.config as config

    (tmp_path / "lib").mkdir()
    write(tmp_path / "setup.cfg", "[options]\npackage_dir = =lib\n[options.packages.find]\nwhere = lib\n")
    parsed = []
    real_read = config._read_setup_cfg
    monkeypatch.setattr(config, "_read_setup_cfg", lambda path: parsed.append(path) or real_read(path))
    assert load(tmp_path).src == (".", "src", "lib")
    assert parsed == [tmp_path.resolve() / "setup.cfg"]


def test_the_projects_pyproject_is_parsed_once_per_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Finding [tool.infralint] and reading the build configuration's source
    # roots look at the same file: one parse serves both.
    import infralint.config as config

    (tmp_path / "lib").mkdir()
    pyproject(tmp_path, "select = ['IL1']\n[tool.setuptools.packages.find]\nwhere = ['lib']\n")
    parsed = []
    real_read = config._read_toml
    monkeypatch.setattr(config, "_read_toml", lambda path, display: parsed.append(path) or real_read(path, display))
    assert load(tmp_path).src == (".", "src", "lib")
    assert parsed == [tmp_path.resolve() / "pyproject.toml"]
