"""The registry: every rule, ordered by code. Codes are a public contract:
a deprecated rule stays registered so that old suppressions still parse."""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple, Type

from infralint.rules.base import Rule
from infralint.rules.connections import HttpWithoutSession, HttpWithoutTimeout, PerCallConnection, UnreleasedResource
from infralint.rules.engine import SyntaxErrorRule, UnusedSuppression
from infralint.rules.errors import (
    BareExcept,
    ErrorLogWithoutTraceback,
    RaiseWithoutCause,
    SwallowedException,
    UnguardedExternalCall,
)
from infralint.rules.import_contracts import ImportContractBroken
from infralint.rules.layers import FrameworkInCore, ImplementationWithoutContract, LayerViolation, LayerViolationChain
from infralint.rules.migrations import (
    BlockingIndexOperation,
    IrreversibleMigration,
    ModelImportInDataMigration,
    NotNullColumnWithoutDefault,
    RenameInOneStep,
)
from infralint.rules.naming import ConfigOutsideConfigModule, FileSuffix, InfrastructureOutsideLayer
from infralint.rules.vcs import BranchName
from infralint.rules.security import EagerLogFormatting, HardcodedSecret, PrintInServiceCode, SqlBuiltFromStrings

RULES: Tuple[Type[Rule], ...] = tuple(
    sorted(
        [
            SyntaxErrorRule,
            UnusedSuppression,
            LayerViolation,
            FrameworkInCore,
            LayerViolationChain,
            ImplementationWithoutContract,
            ImportContractBroken,
            FileSuffix,
            InfrastructureOutsideLayer,
            ConfigOutsideConfigModule,
            UnguardedExternalCall,
            BareExcept,
            SwallowedException,
            RaiseWithoutCause,
            ErrorLogWithoutTraceback,
            PerCallConnection,
            HttpWithoutSession,
            HttpWithoutTimeout,
            UnreleasedResource,
            IrreversibleMigration,
            NotNullColumnWithoutDefault,
            BlockingIndexOperation,
            RenameInOneStep,
            ModelImportInDataMigration,
            BranchName,
            HardcodedSecret,
            SqlBuiltFromStrings,
            PrintInServiceCode,
            EagerLogFormatting,
        ],
        key=lambda rule: rule.code,
    )
)
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in RULES}
RULES_BY_NAME: Dict[str, Type[Rule]] = {rule.name: rule for rule in RULES}
ALL_CODES: Tuple[str, ...] = tuple(RULES_BY_CODE)


def is_known_selector(selector: str) -> bool:
    """A code, a code prefix such as ``IL1`` or ``IL30``, or ``ALL``."""
    return selector == "ALL" or any(code.startswith(selector) for code in ALL_CODES)


def expand_codes(selectors: Iterable[str]) -> List[str]:
    """The codes a list of selectors (codes, prefixes, ``ALL``) names."""
    codes: List[str] = []
    for selector in selectors:
        selector = selector.strip().upper()
        prefix = "" if selector == "ALL" else selector
        codes.extend(code for code in ALL_CODES if code.startswith(prefix) and code not in codes)
    return codes


def find_rule(code_or_name: str) -> Optional[Type[Rule]]:
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())
