"""The service's configuration: read and validated from the environment, here only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional


class ConfigError(ValueError):
    """An environment variable has a value the service cannot use."""


@dataclass(frozen=True)
class ShopSettings:
    database_path: str
    payment_timeout: float
    smtp_host: Optional[str]
    smtp_port: int
    mail_sender: str
    export_url: Optional[str]


def load_settings() -> ShopSettings:
    return ShopSettings(
        database_path=_required("SHOP_DATABASE"),
        payment_timeout=_positive_float("PAYMENT_TIMEOUT", os.environ.get("PAYMENT_TIMEOUT", "10")),
        smtp_host=os.environ.get("SMTP_HOST") or None,
        smtp_port=_port("SMTP_PORT", os.getenv("SMTP_PORT", "25")),
        mail_sender=os.environ.get("MAIL_SENDER", "orders@shop.example"),
        export_url=os.environ.get("EXPORT_URL") or None,
    )


def _required(name: str) -> str:
    try:
        return os.environ[name]
    except KeyError:
        raise ConfigError(f"{name} must be set") from None


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as err:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from err
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _port(name: str, raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a TCP port, got {raw!r}")
    return int(raw)
