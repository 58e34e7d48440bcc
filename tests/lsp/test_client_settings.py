"""Parsing the editor's settings, and what they set in the server."""

from __future__ import annotations

import logging

from infralint.lsp.server import DEFAULT_DEBOUNCE_SECONDS, create_server
from infralint.lsp.settings import ClientSettings, settings_from


def test_settings_spellings_and_defaults():
    assert settings_from(None) == (ClientSettings(), [])
    settings, problems = settings_from(
        {"infralint": {"extend-select": "IL3,IL4", "unsafe_fixes": True, "logLevel": "DEBUG", "debounceMs": 20}}
    )
    assert problems == []
    assert settings.extend_select == ("IL3", "IL4") and settings.unsafe_fixes and settings.debounce_ms == 20
    assert settings.log_level == "debug"
    _, problems = settings_from({"logLevel": "loud", "debounceMs": -1, "select": [1]})
    assert len(problems) == 3


def test_the_log_level_and_debounce_settings_reach_the_server():
    server = create_server()
    assert server.scheduler.delay == DEFAULT_DEBOUNCE_SECONDS == 0
    server.configure({"logLevel": "debug", "debounceMs": 30})
    assert logging.getLogger("infralint").level == logging.DEBUG
    assert server.scheduler.delay == 0.03
    server.configure({})
    assert logging.getLogger("infralint").level == logging.WARNING
    assert server.scheduler.delay == 0
