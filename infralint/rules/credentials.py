"""IL701's second half: credentials recognised by the shape of their value
(catalog.CREDENTIAL_SHAPES), whatever the name they are given.

Strings are everywhere, so the search is layered: a string shorter than
the shortest credential is skipped, then one regex of the shapes' literal
prefixes must hit before the shapes' own patterns run.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

from infralint import catalog
from infralint.lazyregex import lazy_regex
from infralint.records import FrozenRecord

# `Basic ` and the base64 of `a:bc`.
_SHORTEST = 14
# Text one of which a file must hold for the rule to look at its strings.
CREDENTIAL_TRIGGERS: Tuple[str, ...] = tuple(
    dict.fromkeys(
        [p for _, prefixes, _ in catalog.CREDENTIAL_SHAPES for p in prefixes] + list(catalog.AUTHORIZATION_SCHEMES)
    )
)
_PREFIXES = lazy_regex("|".join(re.escape(prefix) for prefix in CREDENTIAL_TRIGGERS))
# Every shape, each in a group of its own, between non-alphanumerics.
_SHAPES = lazy_regex(
    "|".join(f"(?<![A-Za-z0-9])({pattern})(?![A-Za-z0-9])" for _, _, pattern in catalog.CREDENTIAL_SHAPES)
)
_AUTHORIZATION = lazy_regex(
    r"(?<![A-Za-z0-9])(" + "|".join(catalog.AUTHORIZATION_SCHEMES) + r") +([A-Za-z0-9._~+/\-]+=*)(?![^\s\"',;})\]])"
)
# An UPPER_SNAKE_CASE or all-lower name standing for the value (`Bearer
# YOUR_TOKEN`, `Bearer ACCESS_TOKEN`).
_NAME_LIKE = lazy_regex(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z]+(?:[_\-][a-z]+)*")
# Placeholders inside a credential: a run of masking characters.
_MASKED = lazy_regex(r"([xX*#.])\1\1")


class Credential(FrozenRecord):
    """A credential found in a string: what it is, its text, and how many
    of its first characters a message may show (its public prefix)."""

    __slots__ = ("what", "text", "shown")

    what: str
    text: str
    shown: int

    def __init__(self, what: str, text: str, shown: int) -> None:
        self._assign(what, text, shown)


def find_credential(value: str) -> Optional[Credential]:
    """The first live-looking credential in ``value``, or None for no
    credential, placeholders, test keys and documented examples."""
    if len(value) < _SHORTEST or _PREFIXES.search(value) is None:
        return None
    for match in _SHAPES.finditer(value):
        index = match.lastindex
        assert index is not None
        what, text = catalog.CREDENTIAL_SHAPES[index - 1][0], match.group(index)
        if _is_live(what, text):
            return Credential(what, text, 4)
    for match in _AUTHORIZATION.finditer(value):
        found = _authorization_credential(match.group(1), match.group(2))
        if found is not None:
            return found
    return None


def is_test_or_example_credential(value: str) -> bool:
    """Stripe test keys and the documented examples of AWS, jwt.io and RFC 7617."""
    return value.startswith(catalog.TEST_CREDENTIAL_PREFIXES) or _is_example(value)


def _is_example(text: str) -> bool:
    return text in catalog.EXAMPLE_CREDENTIALS or (
        text.startswith(("AKIA", "ASIA")) and text.endswith(catalog.EXAMPLE_CREDENTIAL_SUFFIXES)
    )


def _is_live(what: str, text: str) -> bool:
    if _is_example(text):
        return False
    body = _body(what, text)
    if _is_placeholder_body(body):
        return False
    if what == "API key":
        # `sk-` begins many slugs (`sk-learn-...`): a key mixes cases and digits.
        return any(c.isdigit() for c in body) and any(c.isupper() for c in body) and any(c.islower() for c in body)
    return True


def _body(what: str, text: str) -> str:
    """The random part of a credential: what follows its fixed prefix."""
    for shape, prefixes, _ in catalog.CREDENTIAL_SHAPES:
        if shape == what:
            for prefix in prefixes:
                before, found, after = text.partition(prefix)
                if found:
                    return after.strip()
    return text


def _is_placeholder_body(body: str) -> bool:
    return len(set(body)) <= 1 or _MASKED.search(body) is not None


def _authorization_credential(scheme: str, credential: str) -> Optional[Credential]:
    what = f"credential in a {scheme.capitalize()} authorization value"
    if len(credential) < 8 or _is_placeholder_body(credential) or _NAME_LIKE.fullmatch(credential):
        return None
    if _is_example(credential):
        return None
    if scheme.lower() == "basic":
        return Credential(what, credential, 2) if _basic_password(credential) else None
    # A bearer token mixes letters and digits (`Bearer token-for-tests` is prose).
    if any(c.isdigit() for c in credential) and any(c.isalpha() for c in credential):
        return Credential(what, credential, 2)
    return None


def _basic_password(credential: str) -> bool:
    """Whether a Basic credential decodes to `user:password` with a
    password that is no placeholder: not masked, not the word itself
    (`pass`, `password`), not an `example`."""
    import base64  # with binascii and struct: ~0.6 ms at start-up, needed only here
    import binascii

    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    if not colon or not password or not decoded.isprintable() or _is_placeholder_body(password):
        return False
    # `user:password`, `example-user:example-password`: documentation.
    return password.lower() not in catalog.DOCUMENTATION_PASSWORDS and "example" not in password.lower()
