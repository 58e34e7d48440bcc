"""`init_config`: a starting configuration, appended or written."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from infralint.config import load_settings
from infralint.errors import InfralintError
from infralint.init import init_config
from tests.helpers import write_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LAYERED = {
    "src/shop/__init__.py": "",
    "src/shop/domain/__init__.py": "",
    "src/shop/domain/order.py": "class Order: ...\n",
    "src/shop/infrastructure/__init__.py": "",
    "src/shop/infrastructure/db.py": "class Database: ...\n",
}

EXISTING = (
    '[project]\nname = "shop"  # keep: comment\nversion = "1.0"\n\n'
    "[tool.black]\nline-length = 100\n"
)


def test_appends_to_pyproject_preserving_existing_text(tmp_path: Path) -> None:
    write_files(tmp_path, LAYERED)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes(EXISTING.encode())

    written = init_config(tmp_path)

    assert written == pyproject
    text = pyproject.read_bytes().decode()
    assert text.startswith(EXISTING)
    appended = text[len(EXISTING):]
    assert appended.startswith("\n[tool.infralint]\n")  # a blank line before
    data = tomllib.loads(text)
    assert data["tool"]["infralint"] == {"select": ["IL"]}
    assert data["tool"]["black"] == {"line-length": 100}
    assert data["project"]["name"] == "shop"
    assert "# [tool.infralint.layers]" in appended
    assert '# order = ["interface", "infrastructure", "application", "domain"]' in appended
    settings = load_settings([tmp_path])
    assert settings.config_file == pyproject
    assert "IL101" in settings.enabled


@pytest.mark.parametrize("ending", ["", "\n\n", "\r\n"])
def test_blank_line_before_section_whatever_the_file_ends_with(tmp_path: Path, ending: str) -> None:
    existing = '[project]\nname = "shop"' + ending
    (tmp_path / "pyproject.toml").write_bytes(existing.encode())
    text = init_config(tmp_path).read_bytes().decode()
    assert text.startswith(existing)
    head, _, _ = text.partition("[tool.infralint]")
    assert head.replace("\r\n", "\n").endswith('"shop"\n\n')
    assert tomllib.loads(text)["tool"]["infralint"]["select"] == ["IL"]
    load_settings([tmp_path])


def test_refuses_when_section_exists(tmp_path: Path) -> None:
    original = '[project]\nname = "shop"\n\n[tool.infralint]\nselect = ["IL1"]\n'
    (tmp_path / "pyproject.toml").write_text(original)
    with pytest.raises(InfralintError, match=r"already has a \[tool.infralint\] section; not overwriting"):
        init_config(tmp_path)
    assert (tmp_path / "pyproject.toml").read_text() == original
    assert not (tmp_path / "infralint.toml").exists()


def test_refuses_when_only_a_subtable_exists(tmp_path: Path) -> None:
    original = '[tool.infralint.layers]\norder = ["core"]\n'
    (tmp_path / "pyproject.toml").write_text(original)
    with pytest.raises(InfralintError, match="already has"):
        init_config(tmp_path)
    assert (tmp_path / "pyproject.toml").read_text() == original


def test_writes_infralint_toml_without_pyproject(tmp_path: Path) -> None:
    write_files(tmp_path, LAYERED)
    written = init_config(tmp_path)
    assert written == tmp_path / "infralint.toml"
    text = written.read_text()
    assert "[tool.infralint]" not in text
    assert "# [layers]" in text
    assert tomllib.loads(text) == {"select": ["IL"]}
    settings = load_settings([tmp_path])
    assert settings.config_file == written


def test_refuses_to_overwrite_infralint_toml(tmp_path: Path) -> None:
    (tmp_path / "infralint.toml").write_text("select = []\n")
    with pytest.raises(InfralintError, match="infralint.toml"):
        init_config(tmp_path)
    assert (tmp_path / "infralint.toml").read_text() == "select = []\n"


def test_comment_lists_detected_layers_with_their_directories(tmp_path: Path) -> None:
    write_files(tmp_path, {**LAYERED, "tests/domain/test_order.py": ""})
    text = init_config(tmp_path).read_text()
    assert (
        "# Detected layers: infrastructure (src/shop/infrastructure), domain (src/shop/domain).\n"
        "# Zero-config applies them; uncomment the table below to pin them.\n" in text
    )
    assert "tests/domain" not in text


def test_comment_says_none_detected_and_suggests_layers(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/__init__.py": "", "app/main.py": "print(1)\n"})
    text = init_config(tmp_path).read_text()
    assert "# Detected layers: none." in text
    assert "Uncomment and adapt the tables below" in text
    assert tomllib.loads(text) == {"select": ["IL"]}
    load_settings([tmp_path])


# A commented line of configuration: a table header or a key.
COMMENTED_CONFIGURATION = re.compile(r"^# (\[[a-z.]+\]|[A-Za-z0-9_-]+ = .*)$")


def _uncommented(text: str) -> str:
    return "\n".join(
        line[2:] if COMMENTED_CONFIGURATION.match(line) else line for line in text.splitlines()
    ) + "\n"


@pytest.mark.parametrize("pyproject", [True, False], ids=["pyproject", "infralint.toml"])
@pytest.mark.parametrize("layered", [True, False], ids=["layers detected", "no layers"])
def test_uncommented_lines_are_valid_configuration_and_lines_fit_88_columns(
    tmp_path: Path, pyproject: bool, layered: bool
) -> None:
    files = dict(LAYERED) if layered else {"app/__init__.py": "", "app/main.py": ""}
    if layered:  # long paths make the detected-layers comment wrap
        deep = "src/shop/bounded_contexts/payments_and_refunds/infrastructure"
        files.update({f"{deep}/__init__.py": "", "src/shop/bounded_contexts/orders/domain/__init__.py": ""})
    if pyproject:
        files["pyproject.toml"] = EXISTING
    write_files(tmp_path, files)
    written = init_config(tmp_path)
    text = written.read_text()
    assert all(len(line) <= 88 for line in text.splitlines()), text
    configuration = [line for line in text.splitlines() if COMMENTED_CONFIGURATION.match(line)]
    assert any("layers]" in line for line in configuration) and any("order = " in line for line in configuration)
    written.write_text(_uncommented(text))
    settings = load_settings([tmp_path])  # raises on an unknown key
    assert settings.layers_configured
    assert [layer.name for layer in settings.layers.layers] == ["interface", "infrastructure", "application", "domain"]
    assert "IL101" in settings.enabled  # select still belongs to the section


def test_init_command_writes_and_refuses_the_second_time(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from infralint.cli import main

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    first = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert first.exit_code == 0 and "pyproject.toml" in first.output
    second = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert second.exit_code == 2 and "already has a [tool.infralint] section" in second.output
