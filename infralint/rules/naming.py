"""IL2: naming and placement. PLACEHOLDER being written by a helper."""

from __future__ import annotations

from infralint.layers import INFRASTRUCTURE
from infralint.rules.base import ALL_CODE, Rule


class FileSuffix(Rule):
    code = "IL201"
    name = "file-suffix"
    message = "{text}"
    applies_to = frozenset({INFRASTRUCTURE})


class InfrastructureOutsideLayer(Rule):
    code = "IL202"
    name = "infrastructure-outside-layer"
    message = "{text}"


class ConfigOutsideConfigModule(Rule):
    code = "IL203"
    name = "config-outside-config-module"
    message = "{text}"
    applies_to = ALL_CODE
