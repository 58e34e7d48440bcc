"""IncrementalParser: after any edit, the tree `ast.parse` gives."""

from __future__ import annotations

import ast
import random
from pathlib import Path
from typing import List

import pytest

import infralint
from infralint.reparse import IncrementalParser

# Pieces of text an edit writes: brackets, strings and continuations left
# open, indentation, decorators, statements sharing a line, line endings.
PIECES = [
    "", "\n", "    ", "\t", "x = (", ")", "]", '"""', "'", "\\\n", "\\", "@decorate\n", "def f(a):\n",
    "    return a\n", "class C:\n", "    pass\n", "if x:\n", "else:\n", "# comment\n", "x = 1; y = 2\n",
    "\r\n", "\r", "async def g():\n    await h()\n", "try:\n    pass\nexcept:\n    raise\n", "lambda: 0",
    "from __future__ import annotations\n", "f'{x}'", "#", ":", "=", "        deep = 1\n",
]
BASE = (
    '"""Module docstring."""\n# a comment\nimport os\n\n\n@decorate\nclass Gateway:\n'
    '    def fetch(self, url):\n        return self.session.get(url)\n\n    async def close(self):\n'
    '        await self.session.close()\n\n\nx = 1; y = 2\nif x:\n    z = 3\nelse:\n    z = 4\n\n'
    "def g(\n    a,\n    b,\n):\n    return (a +\n            b)\n\n\nvalue = \\\n    1\n"
)


def _edit(text: str, chance: random.Random) -> str:
    lines = text.splitlines(True) or [""]
    first = chance.randrange(len(lines))
    last = min(len(lines), first + chance.choice([0, 0, 1, 1, 2, 5]))
    before, line, after = "".join(lines[:first]), lines[first], "".join(lines[first + 1 :])
    kind = chance.randrange(4)
    if kind == 0:  # what typing in a line mostly does: keep it valid
        ending = line[len(line.rstrip("\r\n")) :]
        return before + line.rstrip("\r\n") + chance.choice(["  # note", "", "  "]) + ending + after
    if kind == 1:  # duplicate or drop lines
        return before + (line * 2 if chance.random() < 0.5 else "") + after
    if kind == 2:  # replace whole lines
        new = "".join(chance.choice(PIECES) for _ in range(chance.choice([0, 1, 1, 2, 3])))
        return before + new + "".join(lines[last:])
    column = chance.randrange(len(line) + 1)  # insert into a line
    return before + line[:column] + chance.choice(PIECES) + line[column:] + after


def _parsed(parser: IncrementalParser, text: str) -> str:
    try:
        return ast.dump(parser.parse(text, "module.py"), include_attributes=True)
    except (SyntaxError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


def _expected(text: str) -> str:
    try:
        return ast.dump(ast.parse(text, "module.py"), include_attributes=True)
    except (SyntaxError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


def _bases() -> List[str]:
    return [BASE, (Path(infralint.__file__).parent / "reparse.py").read_text(encoding="utf-8")]


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")
@pytest.mark.parametrize("seed", range(8))
def test_random_edits_give_the_tree_of_a_whole_parse(seed: int) -> None:
    chance = random.Random(seed)
    base = text = _bases()[seed % 2]
    parser = IncrementalParser()
    expected = _expected(text)
    for _ in range(60):
        # Back to a text that parses now and then, as an edited buffer does.
        broken = not expected.startswith("Module")
        text = base if broken and chance.random() < 0.5 else _edit(text, chance)
        expected = _expected(text)
        assert _parsed(parser, text) == expected


def test_an_edit_inside_one_statement_keeps_the_other_statements() -> None:
    parser = IncrementalParser()
    before = parser.parse(BASE, "module.py")
    after = parser.parse(BASE.replace("return self.session.get(url)", "return self.session.get(url, timeout=5)"), "m.py")
    assert after.body[2] is not before.body[2]  # the class, parsed again
    assert all(a is b for a, b in zip(after.body[3:], before.body[3:])) and after.body[:2] == before.body[:2]
    assert ast.dump(after, include_attributes=True) == _expected(BASE.replace("get(url)", "get(url, timeout=5)"))


def test_no_rule_changes_a_node_of_the_tree_it_lints(tmp_path: Path) -> None:
    """The parser hands the language server's next lint the nodes of this
    one: a rule that changed a node (an attribute set, a list edited) would
    corrupt every later lint of the buffer. Every rule's examples and
    infralint's own modules are linted and their trees compared after."""
    from infralint.rules import RULES
    from tests.helpers import lint_example

    cases = [(case.path, case.source, case.files) for rule in RULES if not rule.project_level for case in (*rule.VALID, *rule.INVALID)]
    package = Path(infralint.__file__).parent
    cases += [(f"infralint/{p.relative_to(package).as_posix()}", p.read_text(encoding="utf-8"), None) for p in sorted(package.rglob("*.py"))]
    changed, parsed = [], 0
    for index, (path, source, files) in enumerate(cases):
        trees = []

        def parse(text: str, filename: str) -> ast.Module:
            tree = ast.parse(text, filename)
            trees.append((tree, ast.dump(tree, include_attributes=True)))
            return tree

        lint_example(tmp_path / str(index), path, source, files, parse=parse)
        changed += [path for tree, before in trees if ast.dump(tree, include_attributes=True) != before]
        parsed += len(trees)
    assert parsed > 300 and not changed
