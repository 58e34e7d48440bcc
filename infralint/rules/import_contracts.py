"""IL105: the project's own import-linter contracts (layers family)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, Iterator, List, Tuple

from infralint.findings import Finding
from infralint.rules.base import ALL_CODE, Invalid, Rule, Valid
from infralint.rules.layers import chain_finding
from infralint.source import SourceText

if TYPE_CHECKING:  # import-linter is imported only when contracts are checked
    from infralint.contracts import BrokenImport, UnmatchedIgnore

_PACKAGES = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/application/__init__.py": "",
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/db.py": "class Database: ...\n",
    "shop/utils/__init__.py": "",
    "shop/utils/money.py": "from shop.infrastructure.db import Database\n",
}
_LAYERS = """\
[importlinter]
root_package = shop

[importlinter:contract:layers]
name = Shop layers
type = layers
layers =
    shop.infrastructure
    shop.application
    shop.domain
"""
_FORBIDDEN = """\
[importlinter]
root_package = shop
include_external_packages = True

[importlinter:contract:no-orm]
name = The domain knows no ORM
type = forbidden
source_modules = shop.domain
forbidden_modules = sqlalchemy
"""
_EXPRESSION = re.compile(r"[\w.*]*\w\*? -> [\w.*]*[\w*]")


class ImportContractBroken(Rule):
    """## What it does
    Checks the import-linter contracts a project already keeps — in
    `[tool.importlinter]` of `pyproject.toml`, `.importlinter`, or the
    `[importlinter]` section of `setup.cfg`, found in the project root as
    `lint-imports` finds them — and reports every import that starts a chain
    breaking one. Every contract type import-linter ships is checked
    (`layers` with `containers`, independent `|` and mutually allowed `:`
    siblings and `exhaustive`; `forbidden` with external packages and
    `allow_indirect_imports`; `independence`; `protected`;
    `acyclic_siblings`; `private_modules`), with `ignore_imports`
    (wildcards included) and `unmatched_ignore_imports_alerting`.

    The verdict is import-linter's own: infralint reads the contracts with
    import-linter's reader and runs each through its contract class, as a
    library, on a grimp graph of the contracts' `root_packages` with their
    `include_external_packages` and `exclude_type_checking_imports` — the
    graph IL103 uses when those are the same. So a contract is broken here
    exactly when `lint-imports` says so (a cross-check in `benchmarks/`
    compares the two import by import).

    Reported at the importing line of the first import of each chain (one
    finding per chain, and per extra first import where import-linter lists
    several with `&`), naming the contract, with the chain in the message
    and listed below it as IL103's are. An exhaustive `layers` contract's
    unlisted module is reported at its first line; an `acyclic_siblings`
    contract's imports that would break the cycles at their importing
    module; an `ignore_imports` entry that matches nothing, where
    `unmatched_ignore_imports_alerting` is `error` (the default), at its
    line in the configuration file. Suppression comments, per-file ignores,
    the baseline and every output format apply as for any finding.

    Contracts are checked in whole-project runs (the verdicts are cached
    like IL103's: an unchanged project does not even import
    import-linter), and by the language server when a project is opened
    and after each save. A configuration import-linter cannot read, or a
    contract with invalid options, is a configuration error (exit 2).
    Contract types from plugins (`contract_types`) are not run — that would
    import project code — and are named in a warning.

    ## Why is this bad?
    A contract is a decision the team wrote down; an import that breaks it
    is a dependency the architecture said must not exist. Checked in the
    same run as the rest of the standard, it gets the same outputs
    (SARIF, GitHub annotations, JUnit, GitLab), baseline, suppressions and
    editor diagnostics, and one tool fewer to run.

    ## References
    - [import-linter: contract types](https://import-linter.readthedocs.io/en/stable/contract_types.html)
    """

    code = "IL105"
    name = "import-contract-broken"
    message = 'contract "{contract}" is broken: {summary}'
    applies_to = ALL_CODE
    project_level = True
    VALID = [
        Valid("from shop.domain import order\n", path="shop/application/place_order.py", files={**_PACKAGES, ".importlinter": _LAYERS}),
        Valid("from decimal import Decimal\n", path="shop/domain/order.py", files={**_PACKAGES, ".importlinter": _FORBIDDEN}),
        Valid(
            "from shop.utils import money  # infralint: ignore[IL105]\n",
            path="shop/domain/order.py",
            files={**_PACKAGES, ".importlinter": _LAYERS},
        ),
    ]
    INVALID = [
        Invalid(
            "from decimal import Decimal\n\nfrom shop.utils import money\n",
            at=[(3, 1)],
            path="shop/domain/order.py",
            files={**_PACKAGES, ".importlinter": _LAYERS},
            message=(
                'contract "Shop layers" is broken: shop.domain is not allowed to import shop.infrastructure: '
                "shop.domain.order -> shop.utils.money -> shop.infrastructure.db"
            ),
        ),
        Invalid(
            "import sqlalchemy.orm\n",
            at=[(1, 1)],
            path="shop/domain/order.py",
            files={**_PACKAGES, ".importlinter": _FORBIDDEN},
            message=(
                'contract "The domain knows no ORM" is broken: shop.domain is not allowed to import sqlalchemy: '
                "shop.domain.order -> sqlalchemy"
            ),
        ),
    ]

    @classmethod
    def findings(
        cls,
        broken: List["BrokenImport"],
        files: Dict[str, Path],
        display_path: Callable[[Path], str],
        read: Callable[[Path], SourceText],
    ) -> Iterator[Tuple[Path, Finding]]:
        """A finding per broken import whose first module has a file in
        ``files`` (module -> file), with that file."""
        for item in broken:
            path = files.get(item.module)
            if path is None:
                continue
            chain = " -> ".join((item.links[0].importer, *(link.imported for link in item.links))) if item.links else ""
            message = cls.message.format(contract=item.contract, summary=item.summary)
            if chain:
                message += f": {chain}"
            yield path, chain_finding(cls, message, item.links, display_path(path), read(path))

    @classmethod
    def unmatched_findings(
        cls, unmatched: List["UnmatchedIgnore"], config: Path, display_path: Callable[[Path], str], read: Callable[[Path], SourceText]
    ) -> Iterator[Tuple[Path, Finding]]:
        """A finding per `ignore_imports` entry that matched nothing, at its
        line in the configuration file."""
        text = read(config)
        for item in unmatched:
            expression = _EXPRESSION.search(item.message)
            line = _line_of(text.text, expression.group(0)) if expression else 1
            message = cls.message.format(contract=item.contract, summary=item.message)
            yield config, chain_finding(cls, message, (), display_path(config), text, line)


def _line_of(text: str, expression: str) -> int:
    """The 1-based line of ``text`` that holds the import ``expression``
    (`a -> b`, with any spaces around the arrow), or 1."""
    pattern = re.compile(r"\s*->\s*".join(re.escape(part.strip()) for part in expression.split("->")))
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 1
