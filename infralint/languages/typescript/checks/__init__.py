"""The TypeScript meaning of the rules that apply to TypeScript and
JavaScript (STANDARD.md, "TypeScript and JavaScript"): one check function
per rule code, registered with its examples. The rule classes declare
``languages``; the engine runs, for a TypeScript file, the check of each
enabled rule that supports the language (`CHECKS`)."""

from __future__ import annotations

from infralint.languages.typescript.checks.base import CHECKS, TsCheck, TsFile

# Importing the modules registers their checks.
from infralint.languages.typescript.checks import errors, http, layers, migrations, naming, security  # noqa: F401,E402

__all__ = ["CHECKS", "TsCheck", "TsFile"]
