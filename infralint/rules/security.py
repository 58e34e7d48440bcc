"""IL7: security and observability. PLACEHOLDER: being written."""

from __future__ import annotations

from infralint.rules.base import Rule


class HardcodedSecret(Rule):
    code = "IL701"
    name = "hardcoded-secret"
    message = "{text}"


class SqlBuiltFromStrings(Rule):
    code = "IL702"
    name = "sql-built-from-strings"
    message = "{text}"


class PrintInServiceCode(Rule):
    code = "IL703"
    name = "print-in-service-code"
    message = "{text}"


class EagerLogFormatting(Rule):
    code = "IL704"
    name = "eager-log-formatting"
    message = "{text}"
