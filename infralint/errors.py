"""Errors that end a run with exit code 2 and a one-line message."""

from __future__ import annotations


class InfralintError(Exception):
    """A problem with the user's input: the message is shown as it is, on
    one line, naming the file and what is wrong."""


class ConfigError(InfralintError):
    """Invalid configuration (file, key, expected value)."""


class DiscoveryError(InfralintError):
    """A path given on the command line that cannot be linted."""


class GraphError(InfralintError):
    """The import graph cannot be built (a file grimp cannot parse, or no
    grimp)."""
