"""Rule documentation generated from the rule classes (ruff's rule pages are
the model): a page per rule from its docstring and examples, an index, and
the checks that keep both honest.

``python -m infralint.docs [DIR]`` regenerates ``rules/``; a test fails
when the committed pages are stale. The same page serves ``infralint rule``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from infralint.filetypes import LANGUAGE_NAMES, TYPESCRIPT
from infralint.rules import RULES
from infralint.rules.base import FixAvailability, Rule

# Docstring sections, in the order they must appear.
WHAT, WHY, FIX_SAFETY, OPTIONS, REFERENCES = (
    "What it does",
    "Why is this bad?",
    "Fix safety",
    "Options",
    "References",
)
SECTION_ORDER: Tuple[str, ...] = (WHAT, WHY, FIX_SAFETY, OPTIONS, REFERENCES)
REQUIRED_SECTIONS: Tuple[str, ...] = (WHAT, WHY)
# Rendered from VALID / INVALID, so never written in a docstring.
EXAMPLE, USE_INSTEAD = "Example", "Use instead"
TYPESCRIPT_SECTION = "TypeScript and JavaScript"

FIX_LABELS: Dict[FixAvailability, str] = {
    FixAvailability.ALWAYS: "always available",
    FixAvailability.SOMETIMES: "sometimes available",
    FixAvailability.NONE: "not available",
}

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "rules"
INDEX_NAME = "README.md"
REGENERATE_COMMAND = "python -m infralint.docs"

# Code fence language and comment prefix by file suffix; naming rules apply
# to other languages too.
_LANGUAGES: Dict[str, Tuple[str, str]] = {
    ".py": ("python", "#"),
    ".pyi": ("python", "#"),
    ".ts": ("typescript", "//"),
    ".tsx": ("tsx", "//"),
    ".js": ("javascript", "//"),
    ".jsx": ("jsx", "//"),
}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Inline TOML values longer than this are wrapped one item per line.
_INLINE_LIMIT = 60


@dataclass(frozen=True)
class Section:
    heading: str
    body: str

    def render(self) -> str:
        return f"## {self.heading}\n\n{self.body}" if self.body else f"## {self.heading}"


# Parsing docstrings ----------------------------------------------------


def docstring_sections(rule: Type[Rule]) -> Tuple[str, List[Section]]:
    """The text before the first ``## `` heading, and the sections."""
    preamble: List[str] = []
    sections: List[Tuple[str, List[str]]] = []
    in_fence = False
    for line in inspect.cleandoc(rule.__doc__ or "").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        # A "## " inside a code block is a comment, not a heading.
        if not in_fence and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return _join(preamble), [Section(heading, _join(body)) for heading, body in sections]


def _join(lines: List[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


# Checking docstrings ---------------------------------------------------


def check_docstring(rule: Type[Rule]) -> List[str]:
    """Problems with a rule's self-documentation; empty when it is fine."""
    preamble, sections = docstring_sections(rule)
    headings = [section.heading for section in sections]
    problems: List[str] = []
    if preamble:
        problems.append(f"text before the first section; start with '## {WHAT}'")
    problems.extend(f"missing section '## {heading}'" for heading in REQUIRED_SECTIONS if heading not in headings)
    problems.extend(_heading_problems(headings))
    if rule.fix_availability is not FixAvailability.NONE and FIX_SAFETY not in headings:
        problems.append(f"missing section '## {FIX_SAFETY}' (the rule has fixes)")
    problems.extend(_options_problems(rule, sections))
    if not rule.VALID:
        problems.append("no VALID examples (needed for '## Use instead')")
    if not rule.INVALID:
        problems.append("no INVALID examples (needed for '## Example')")
    return problems


def _heading_problems(headings: List[str]) -> List[str]:
    problems: List[str] = []
    for heading in sorted(set(headings), key=headings.index):
        if headings.count(heading) > 1:
            problems.append(f"section '## {heading}' appears more than once")
        if heading in (EXAMPLE, USE_INSTEAD):
            problems.append(f"section '## {heading}' is rendered from the examples; remove it from the docstring")
        elif heading not in SECTION_ORDER:
            problems.append(f"unknown section '## {heading}' (expected one of: {', '.join(SECTION_ORDER)})")
    known = [heading for heading in headings if heading in SECTION_ORDER]
    if known != sorted(known, key=SECTION_ORDER.index):
        problems.append(f"sections out of order: {' · '.join(known)} (expected {' · '.join(SECTION_ORDER)})")
    return problems


def _options_problems(rule: Type[Rule], sections: List[Section]) -> List[str]:
    documented = next((section.body for section in sections if section.heading == OPTIONS), None)
    if documented is None:
        return []
    if not rule.options:
        return [f"section '## {OPTIONS}' documents options, but the rule has none"]
    return [
        f"option `{name}` is not described under '## {OPTIONS}'"
        for name in rule.options
        if f"`{name}`" not in documented
    ]


# Rendering ------------------------------------------------------------


def render_rule_page(rule: Type[Rule]) -> str:
    """The Markdown page for one rule."""
    preamble, sections = docstring_sections(rule)
    sections = _with_examples(rule, sections)
    sections = _with_options(rule, sections)
    sections = _with_typescript(rule, sections)
    parts = [f"# {rule.name} ({rule.code})", _metadata_line(rule)]
    if preamble:
        parts.append(preamble)
    parts.extend(section.render() for section in sections)
    return "\n\n".join(parts) + "\n"


def _metadata_line(rule: Type[Rule]) -> str:
    return (
        f"Applies to: {rule.scope_description()}. "
        f"Fix: {FIX_LABELS[rule.fix_availability]}. "
        f"Added in {rule.since}. "
        f"Languages: {', '.join(LANGUAGE_NAMES[language] for language in sorted(rule.languages))}."
    )


def _with_typescript(rule: Type[Rule], sections: List[Section]) -> List[Section]:
    """A "TypeScript and JavaScript" section from the rule's TypeScript
    check (its docstring and first examples), before References."""
    if TYPESCRIPT not in rule.languages:
        return sections
    from infralint.languages.typescript.checks import CHECKS

    found = CHECKS.get(rule.code)
    if found is None:
        return sections
    parts = [inspect.cleandoc(found.function.__doc__ or "")]
    if found.invalid:
        parts.append(code_block(found.invalid[0].path, found.invalid[0].source))
    if found.valid:
        parts.append("Not reported:\n\n" + code_block(found.valid[0].path, found.valid[0].source))
    section = Section(TYPESCRIPT_SECTION, "\n\n".join(part for part in parts if part))
    index = next((i for i, s in enumerate(sections) if s.heading == REFERENCES), len(sections))
    return sections[:index] + [section] + sections[index:]


def _with_examples(rule: Type[Rule], sections: List[Section]) -> List[Section]:
    """Example / Use instead go after "Why is this bad?", before the rest
    (ruff's order)."""
    examples: List[Section] = []
    if rule.INVALID:
        bad = rule.INVALID[0]
        examples.append(Section(EXAMPLE, code_block(bad.path, bad.source)))
        # The fixed example pairs best with the bad one; else the first valid one.
        if bad.fixed is not None:
            examples.append(Section(USE_INSTEAD, code_block(bad.path, bad.fixed)))
    if rule.VALID and len(examples) == 1:
        good = rule.VALID[0]
        examples.append(Section(USE_INSTEAD, code_block(good.path, good.source)))
    later = (FIX_SAFETY, OPTIONS, REFERENCES)
    index = next((i for i, section in enumerate(sections) if section.heading in later), len(sections))
    return sections[:index] + examples + sections[index:]


def _with_options(rule: Type[Rule], sections: List[Section]) -> List[Section]:
    """Show the options' defaults as TOML: added to the docstring's own
    Options section, or as a new one before References."""
    if not rule.options:
        return sections
    defaults = f"Defaults:\n\n{options_block(rule)}"
    for i, section in enumerate(sections):
        if section.heading == OPTIONS:
            return sections[:i] + [Section(OPTIONS, f"{section.body}\n\n{defaults}")] + sections[i + 1 :]
    names = "\n".join(f"- `{name}`" for name in rule.options)
    new = Section(OPTIONS, f"{names}\n\n{defaults}")
    index = next((i for i, section in enumerate(sections) if section.heading == REFERENCES), len(sections))
    return sections[:index] + [new] + sections[index:]


def code_block(path: str, source: str) -> str:
    """A fenced block with the example's path as its first (comment) line."""
    language, comment = _LANGUAGES.get(Path(path).suffix, ("", "#"))
    body = source.rstrip("\n")
    lines = [f"```{language}", f"{comment} {path}"] + ([body] if body else []) + ["```"]
    return "\n".join(lines)


def options_block(rule: Type[Rule]) -> str:
    lines = [f"[tool.infralint.rules.{rule.code}]"]
    lines.extend(f"{_toml_key(name)} = {toml_value(value, wrap=True)}" for name, value in rule.options.items())
    return "```toml\n" + "\n".join(lines) + "\n```"


def toml_value(value: Any, wrap: bool = False) -> str:
    """``value`` as TOML; with ``wrap``, a long array gets one item a line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        rendered = [toml_value(item) for item in items]
        inline = "[" + ", ".join(rendered) + "]"
        if wrap and len(inline) > _INLINE_LIMIT:
            return "[\n" + "".join(f"    {item},\n" for item in rendered) + "]"
        return inline
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{_toml_key(str(key))} = {toml_value(item)}" for key, item in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"cannot render {type(value).__name__} as TOML: {value!r}")


def _toml_key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def render_index(rules: Sequence[Type[Rule]] = RULES) -> str:
    """``rules/README.md``: one table row per rule, linking to its page."""
    lines = [
        "# Rules",
        "",
        f"<!-- Generated from the rule classes by `{REGENERATE_COMMAND}`; do not edit. -->",
        "",
        "`infralint rule CODE` prints a page in the terminal.",
        "",
    ]
    lines.extend(rules_table(rules, link_prefix=""))
    return "\n".join(lines) + "\n"


def rules_table(rules: Sequence[Type[Rule]] = RULES, link_prefix: str = "rules/") -> List[str]:
    """The Markdown table of rules, linking each code to its page."""
    lines = ["| Code | Name | Applies to | Fix | TS/JS |", "| ---- | ---- | ---------- | --- | ----- |"]
    lines.extend(
        f"| [{rule.code}]({link_prefix}{rule.code}.md) | {rule.name} | {rule.scope_description()} "
        f"| {rule.fix_availability.value} | {'yes' if TYPESCRIPT in rule.languages else ''} |"
        for rule in rules
    )
    return lines


README_TABLE_START = "<!-- rules-table:start -->"
README_TABLE_END = "<!-- rules-table:end -->"


def readme_with_table(readme: str) -> str:
    """The project README with its rules table regenerated between the
    markers (unchanged when the markers are missing)."""
    start, end = readme.find(README_TABLE_START), readme.find(README_TABLE_END)
    if start < 0 or end < start:
        return readme
    table = "\n".join(rules_table())
    return readme[: start + len(README_TABLE_START)] + "\n" + table + "\n" + readme[end:]


# Writing and staleness --------------------------------------------------


def expected_pages(rules: Sequence[Type[Rule]] = RULES) -> Dict[str, str]:
    """File name -> content of every generated page."""
    pages = {f"{rule.code}.md": render_rule_page(rule) for rule in rules}
    pages[INDEX_NAME] = render_index(rules)
    return pages


def _extra_pages(directory: Path, expected: Dict[str, str]) -> List[Path]:
    """Rule pages in ``directory`` for codes that are not rules."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.glob("IL*.md") if path.name not in expected)


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def stale_pages(directory: Path) -> List[str]:
    """Names of pages that are missing, out of date, or not for any rule."""
    expected = expected_pages()
    stale = [name for name, content in expected.items() if _read(directory / name) != content]
    stale.extend(path.name for path in _extra_pages(directory, expected))
    return sorted(stale)


def write_pages(directory: Path) -> List[Path]:
    """Write every page (only those that changed) and remove pages of codes
    that are not rules; returns the paths of all generated pages."""
    directory.mkdir(parents=True, exist_ok=True)
    expected = expected_pages()
    for extra in _extra_pages(directory, expected):
        extra.unlink()
    written: List[Path] = []
    for name, content in expected.items():
        path = directory / name
        if _read(path) != content:
            # "\n" on every platform so the committed pages do not churn.
            with open(path, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
        written.append(path)
    return written


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE_COMMAND, description="Generate the rule pages.")
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIRECTORY)
    parser.add_argument("--check", action="store_true", help="list stale pages and exit 1 instead of writing")
    arguments = parser.parse_args(argv)
    stale = stale_pages(arguments.directory)
    if arguments.check:
        for name in stale:
            print(f"stale: {arguments.directory / name}")
        return 1 if stale else 0
    write_pages(arguments.directory)
    readme = arguments.directory.parent / "README.md"
    if readme.is_file():
        readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{len(stale)} of {len(RULES) + 1} pages updated in {arguments.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
