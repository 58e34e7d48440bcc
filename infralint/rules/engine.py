"""IL0: rules about the linting itself — files that cannot be read or parsed,
and suppression comments that do nothing. The engine reports these; the
classes hold their documentation and examples."""

from __future__ import annotations

from typing import Collection, Iterable, Set, Tuple

from infralint.findings import Applicability, Edit, Fix
from infralint.rules.base import EVERY_FILE, FixAvailability, Invalid, Rule, Valid
from infralint.suppressions import Suppression, SuppressedCode, is_infralint_code
from infralint.filetypes import PYTHON_AND_TYPESCRIPT


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that cannot be read or parsed: a syntax error, a binary
    file, text that is not valid in its declared encoding, or syntax that
    needs a newer Python than the one infralint runs on (it says which).

    ## Why is this bad?
    Nothing else can be checked in a file that does not parse, and the
    interpreter will refuse it too. The run goes on with the other files.
    """

    code = "IL001"
    languages = PYTHON_AND_TYPESCRIPT
    name = "syntax-error"
    message = "{reason}"
    applies_to = EVERY_FILE
    runs_on_unparsable = True
    VALID = [Valid("def handler(event):\n    return event\n", path="shop/application/handlers.py")]
    INVALID = [
        Invalid(
            "def handler(event)\n    return event\n",
            at=[(1, 19)],
            path="shop/application/handlers.py",
            message="syntax error",
        )
    ]

    def report_problem(self, reason: str, position: Tuple[int, int]) -> None:
        line, column = position
        self.report(position=(line, column, line, column), reason=reason)


class UnusedSuppression(Rule):
    """## What it does
    Reports a suppression comment — `# infralint: ignore[CODE]`,
    `# infralint: ignore-file[CODE]` or the IL codes of `# noqa: CODE` — that
    suppressed nothing in this run, names a code that does not exist, or is
    a bare `# infralint: ignore` without codes (which is never honoured).

    A code is only reported as unused when its rule ran on the file: a
    suppression for a rule you deselected, or one that does not apply to
    the file's layer, is left alone. Other tools' codes in a `# noqa`
    comment and a bare `# noqa` are never touched. IL103 runs on the whole
    project only, so its suppressions are checked in whole-project runs,
    and reported there without a fix (`--fix` works file by file).

    ## Why is this bad?
    A stale suppression hides the next real finding on that line, and a
    misspelt code suppresses nothing while looking as if it did.

    ## Fix safety
    The fix removes the code from the comment, or the whole directive when
    no code is left. It is safe: the comment had no effect.
    """

    code = "IL002"
    languages = PYTHON_AND_TYPESCRIPT
    name = "unused-suppression"
    message = "{what}"
    fix_title = "Remove the unused suppression"
    applies_to = EVERY_FILE
    fix_availability = FixAvailability.ALWAYS
    VALID = [
        Valid(
            "from shop.infrastructure.db import Database  # infralint: ignore[IL101]\n",
            path="shop/domain/order.py",
        ),
        Valid("import os  # noqa: F401\n", path="shop/application/services.py"),
    ]
    INVALID = [
        Invalid(
            "import os  # infralint: ignore[IL101]\n",
            at=[(1, 32)],
            path="shop/domain/order.py",
            message="unused suppression for IL101",
            fixed="import os\n",
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "import os  # noqa: E501, IL999\n",
            at=[(1, 26)],
            path="shop/domain/order.py",
            message="unknown code IL999",
            fixed="import os  # noqa: E501\n",
            applicability=Applicability.SAFE,
        ),
        Invalid(
            "import os  # infralint: ignore\n",
            at=[(1, 12)],
            path="shop/domain/order.py",
            message="names no codes",
            fixed="import os\n",
            applicability=Applicability.SAFE,
        ),
    ]

    def report_unused(self, suppressions: Iterable[Suppression], ran: Set[str], known: Collection[str]) -> None:
        """IL002 for the codes of ``suppressions`` that suppressed nothing
        although their rule ``ran``, and for codes not ``known`` (the
        registry's, passed in: the registry imports this module)."""
        for suppression in suppressions:
            if not suppression.codes and suppression.kind != "noqa":
                self._report(suppression, None, "suppression names no codes; write `ignore[CODE]`")
            for code in suppression.codes:
                if code.code not in known:
                    if is_infralint_code(code.code) or suppression.kind != "noqa":
                        self._report(suppression, code, f"unknown code {code.code} in suppression")
                elif not code.used and code.code in ran:
                    self._report(suppression, code, f"unused suppression for {code.code}")

    def _report(self, suppression: Suppression, code: "SuppressedCode | None", what: str) -> None:
        line = suppression.line
        start, end = (code.start, code.end) if code else (suppression.start, suppression.end)
        fix = Fix((self._removal(suppression, code),), Applicability.SAFE, self.fix_title or "")
        self.report(position=(line, start + 1, line, end + 1), fix=fix, what=what)

    def _removal(self, suppression: Suppression, code: "SuppressedCode | None") -> Edit:
        """Remove ``code`` from the list, or the directive when it is the
        last one (with the blank space before it)."""
        line_text = self.ctx.text.line(suppression.line)
        line = suppression.line
        written = suppression.written
        if code is not None and len(written) > 1:
            # Remove the code and the separator next to it.
            index = written.index(code)
            if index + 1 < len(written):
                start, end = code.start, written[index + 1].start
            else:
                start, end = written[index - 1].end, code.end
            return Edit((line, start + 1), (line, end + 1), "")
        start, end = suppression.start, suppression.end
        rest = line_text[end:]
        if rest.strip() == "" and line_text[:start].strip() == "":
            # A comment alone on its line: remove the line.
            return Edit((line, 1), (line + 1, 1), "")
        # Take the spaces before the directive too, unless it is followed
        # by more comment text that needs the separation.
        while start > 0 and line_text[start - 1] in " \t" and rest.strip() == "":
            start -= 1
        return Edit((line, start + 1), (line, end + 1), "")
