"""`infralint init`: a starting configuration for a project.

Appends a ``[tool.infralint]`` section to ``pyproject.toml`` (never
rewriting the text already there) or, without one, writes
``infralint.toml``. The section names the layers zero-config detects, and
shows how to pin them, commented out: zero-config already applies them.
Every commented line that is configuration (``# [table]``, ``# key = ...``)
is valid configuration once uncommented, which is why those lines come
last; comments are wrapped at 88 columns.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Dict, List, Sequence

from infralint.errors import InfralintError
from infralint.project import Project
from infralint.settings import Settings

try:  # pragma: no cover - depends on the Python version
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

PYPROJECT = "pyproject.toml"
INFRALINT_TOML = "infralint.toml"


def init_config(root: Path) -> Path:
    """Write a starting configuration for the project at ``root`` and
    return the path of the file written (or appended to). A directory that
    is missing or cannot be written is a one-line error."""
    root = Path(root)
    if not root.is_dir():
        raise InfralintError(f"{root}: no such directory")
    try:
        return _write_config(root)
    except OSError as error:
        where = error.filename or root
        raise InfralintError(f"{where}: cannot write the configuration: {error.strerror or error}") from error


def _write_config(root: Path) -> Path:
    pyproject = root / PYPROJECT
    if pyproject.is_file():
        data = pyproject.read_bytes()
        try:
            parsed = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InfralintError(f"{PYPROJECT}: not valid TOML ({error}); not changing it") from error
        tool = parsed.get("tool")
        if isinstance(tool, dict) and "infralint" in tool:
            raise InfralintError(f"{PYPROJECT}: already has a [tool.infralint] section; not overwriting")
        section = render_section(root, "tool.infralint")
        with open(pyproject, "ab") as stream:
            stream.write(_separator(data).encode("utf-8") + section.encode("utf-8"))
        return pyproject
    target = root / INFRALINT_TOML
    if target.exists():
        raise InfralintError(f"{INFRALINT_TOML}: already exists; not overwriting")
    target.write_text(render_section(root, None), encoding="utf-8")
    return target


def _separator(existing: bytes) -> str:
    """What goes between the existing text and the appended section: enough
    newlines that one blank line precedes the section."""
    if not existing.strip():
        return ""
    newline = "\r\n" if b"\r\n" in existing else "\n"
    if existing.endswith(b"\n\n") or existing.endswith(b"\r\n\r\n"):
        return ""
    if existing.endswith(b"\n"):
        return newline
    return newline * 2


def render_section(root: Path, table: "str | None") -> str:
    """The configuration text: under ``[table]`` when given (pyproject),
    else at the top level (infralint.toml)."""
    settings = Settings.default(root)
    project = Project(settings)
    detected = project.detected_layers()
    order = [layer.name for layer in settings.layers.layers]
    prefix = f"{table}." if table else ""
    lines: List[str] = []
    if table:
        lines.append(f"[{table}]")
    lines.append('select = ["IL"]')
    if detected:
        locations = _layer_locations(project, sorted(detected, key=order.index))
        described = ", ".join(
            f"{name} ({', '.join(locations[name])})" if locations.get(name) else name
            for name in sorted(detected, key=order.index)
        )
        lines.extend(_comment(f"Detected layers: {described}. Zero-config applies them; uncomment the table below to pin them."))
        if len(detected) < 2:
            lines.extend(_comment("One layer alone does not make a project layered: configure the others to check it."))
    else:
        lines.extend(_comment("Detected layers: none. Uncomment and adapt the tables below (layers outer to inner) to check them."))
    # The commented tables come last: uncommented, they must not take
    # `select` (or anything else above) into them.
    lines.append(f"# [{prefix}layers]")
    lines.append(f"# order = [{', '.join(_quote(name) for name in order)}]")
    if not detected:
        lines.append(f"# [{prefix}layers.names]")
        lines.append('# domain = ["core"]')
    return "\n".join(lines) + "\n"


# The width the section's comments are wrapped at (ruff's default line length).
WIDTH = 88


def _comment(text: str) -> List[str]:
    """``text`` as comment lines of at most `WIDTH` columns (a path longer
    than a line stays whole)."""
    import textwrap

    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="# ", break_long_words=False, break_on_hyphens=False)


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _layer_locations(project: Project, names: Sequence[str], limit: int = 3) -> Dict[str, List[str]]:
    """Per detected layer, up to ``limit`` directories (or modules) named
    like it, relative to the root, shallowest first."""
    settings = project.settings
    by_name = {n: layer.name for layer in settings.layers.layers if layer.name in names for n in layer.names}
    skip = project.layout_exclusions()
    found: Dict[str, List[str]] = {name: [] for name in names}
    root = project.root
    for directory, subdirectories, files in os.walk(root):
        relative_dir = PurePosixPath(Path(os.path.relpath(directory, root)).as_posix())
        kept = []
        for subdirectory in sorted(subdirectories):
            relative = subdirectory if str(relative_dir) == "." else f"{relative_dir}/{subdirectory}"
            if skip.match_file(relative + "/") or subdirectory.startswith("."):
                continue
            kept.append(subdirectory)
            layer = by_name.get(subdirectory.lower())
            if layer is not None:
                found[layer].append(relative)
        subdirectories[:] = kept
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            relative = file if str(relative_dir) == "." else f"{relative_dir}/{file}"
            if skip.match_file(relative):
                continue
            layer = by_name.get(file[:-3].lower())
            if layer is not None:
                found[layer].append(relative)
    result: Dict[str, List[str]] = {}
    for name, paths in found.items():
        # A layer directory inside another of the same layer adds nothing.
        outermost = [
            p for p in sorted(paths, key=lambda p: (p.count("/"), p)) if not any(p.startswith(q + "/") for q in paths)
        ]
        shown = outermost[:limit]
        if len(outermost) > limit:
            shown.append(f"+{len(outermost) - limit} more")
        result[name] = shown
    return result
