"""Configuration that used to be accepted and then broke a run (issue 17):
values out of range or of the wrong shape, paths that leave the project,
and `--config` naming a file kept elsewhere. Real files in temporary
directories; every error is one line naming the file and the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infralint.config import load_settings
from infralint.errors import ConfigError
from tests.helpers import write_files
from tests.test_robustness import BARE_EXCEPT, run_infralint


def _error(tmp_path: Path, config: str) -> str:
    (tmp_path / "infralint.toml").write_text(config, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings([], cwd=tmp_path)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[rules.IL403]\ndefault-timeout = nan\n", "'rules.IL403.default-timeout' must be a positive number, got nan"),
        ("[rules.IL403]\ndefault-timeout = inf\n", "'rules.IL403.default-timeout' must be a positive number, got inf"),
        ("[rules.IL403]\ndefault-timeout = 0\n", "'rules.IL403.default-timeout' must be a positive number, got 0"),
        (
            "[rules.IL102]\nallow-per-layer = { domain = 3 }\n",
            "'rules.IL102.allow-per-layer.domain' must be a list of strings, got integer",
        ),
        (
            "[rules.IL102]\nallow-per-layer = { domain = [3] }\n",
            "'rules.IL102.allow-per-layer.domain[0]' must be a string, got integer",
        ),
        ("[layers]\norder = []\n", "'layers.order' is empty: list the layers, outermost first"),
        ('src = ["/"]\n', "'src[0]' must be a directory inside the project root, got '/'"),
        ('src = ["src/../.."]\n', "'src[0]' must be a directory inside the project root, got 'src/../..'"),
        ('src = ["a\\u0000b"]\n', "'src[0]' must be a path, got a string with a NUL character"),
        ('baseline = "a\\u0000b"\n', "'baseline' must be a path, got a string with a NUL character"),
        ('cache-dir = "a\\u0000b"\n', "'cache-dir' must be a path, got a string with a NUL character"),
    ],
)
def test_values_that_used_to_break_later_are_one_line_errors(tmp_path: Path, config: str, message: str) -> None:
    assert _error(tmp_path, config).startswith(f"infralint.toml: {message}")


def test_good_values_still_load(tmp_path: Path) -> None:
    (tmp_path / "infralint.toml").write_text(
        'src = ["src", "./lib"]\n[rules.IL403]\ndefault-timeout = 2.5\n'
        '[rules.IL102]\nallow-per-layer = { application = ["celery"] }\n',
        encoding="utf-8",
    )
    settings = load_settings([], cwd=tmp_path)
    assert settings.rule_options["IL403"]["default-timeout"] == 2.5
    assert settings.rule_options["IL102"]["allow-per-layer"] == {"application": ["celery"]}
    assert settings.src == ("src", "./lib")


def test_a_hint_never_suggests_the_input_itself(tmp_path: Path) -> None:
    # It said "unknown rule code 'IL1' in 'rules' (did you mean 'IL1'?)".
    message = _error(tmp_path, "[rules.IL1]\nx = 1\n")
    assert "did you mean 'IL1'" not in message
    assert message == (
        "infralint.toml: 'rules.IL1': options are set per rule and 'IL1' is a prefix; name a code (IL101, IL102, IL103, ...)"
    )
    assert "did you mean 'IL1X'" not in _error(tmp_path, 'ignore = ["IL1X"]\n')


def test_config_given_a_directory_says_so(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    with pytest.raises(ConfigError) as raised:
        load_settings([], cwd=tmp_path, config_file=Path("ci"))
    assert str(raised.value) == "ci: is a directory; --config takes a configuration file (pyproject.toml, infralint.toml, .infralint.toml)"


def test_a_config_kept_elsewhere_lints_the_working_directory(tmp_path: Path) -> None:
    # The configuration's directory became the root: a run with no paths
    # linted ci/ (nothing) and passed.
    project = tmp_path / "app"
    write_files(tmp_path, {"ci/infralint.toml": 'select = ["IL302"]\n', "app/shop/bare.py": BARE_EXCEPT})
    os.makedirs(project / ".git")
    result = run_infralint(project, "check", "--no-cache", "--config", "../ci/infralint.toml")
    assert result.returncode == 1, result.stderr
    assert "shop/bare.py:3:1: IL302" in result.stdout.decode()
    # Paths to files in the configuration are relative to it, as in ruff.
    (tmp_path / "ci/infralint.toml").write_text('select = ["IL302"]\nbaseline = "base.json"\n')
    recorded = run_infralint(project, "check", "--no-cache", "--config", "../ci/infralint.toml", "--update-baseline")
    assert recorded.returncode == 0, recorded.stderr
    assert (tmp_path / "ci/base.json").is_file()
    assert run_infralint(project, "check", "--no-cache", "--config", "../ci/infralint.toml").returncode == 0


def test_a_config_above_the_working_directory_is_still_the_root(tmp_path: Path) -> None:
    write_files(tmp_path, {"lint.toml": 'select = ["IL302"]\n', "shop/bare.py": BARE_EXCEPT})
    settings = load_settings([], cwd=tmp_path / "shop", config_file=Path("../lint.toml"))
    assert settings.root == tmp_path.resolve()
