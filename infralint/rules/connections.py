"""IL4: connections and resources. PLACEHOLDER: being written."""

from __future__ import annotations

from infralint.rules.base import Rule


class PerCallConnection(Rule):
    code = "IL401"
    name = "per-call-connection"
    message = "{text}"


class HttpWithoutSession(Rule):
    code = "IL402"
    name = "http-without-session"
    message = "{text}"


class HttpWithoutTimeout(Rule):
    code = "IL403"
    name = "http-without-timeout"
    message = "{text}"


class UnreleasedResource(Rule):
    code = "IL404"
    name = "unreleased-resource"
    message = "{text}"
