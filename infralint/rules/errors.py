"""IL3: error handling around external calls. PLACEHOLDER: being written."""

from __future__ import annotations

from infralint.rules.base import Rule


class UnguardedExternalCall(Rule):
    code = "IL301"
    name = "unguarded-external-call"
    message = "{text}"


class BareExcept(Rule):
    code = "IL302"
    name = "bare-except"
    message = "{text}"


class SwallowedException(Rule):
    code = "IL303"
    name = "swallowed-exception"
    message = "{text}"


class RaiseWithoutCause(Rule):
    code = "IL304"
    name = "raise-without-cause"
    message = "{text}"


class ErrorLogWithoutTraceback(Rule):
    code = "IL305"
    name = "error-log-without-traceback"
    message = "{text}"
