"""Payments through the payment provider's HTTP API."""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Optional
from urllib.error import HTTPError, URLError

from shop.domain.money import Money
from shop.domain.ports import PaymentGateway, PaymentResult

logger = logging.getLogger(__name__)

_PAYMENT_REQUIRED = 402


class PaymentUnavailable(Exception):
    """The payment provider could not be reached or failed."""


class HttpPaymentAdapter(PaymentGateway):
    def __init__(self, timeout: float, url: Optional[str] = None) -> None:
        # seeded: IL203
        self._url = url or os.environ.get("PAYMENT_URL", "http://localhost:8080/v1/charges")
        self._timeout = timeout

    def charge(self, amount: Money, order_id: str) -> PaymentResult:
        payload = {"amount_cents": amount.cents, "currency": amount.currency, "order_id": order_id}
        request = urllib.request.Request(
            self._url,
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": order_id},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                body = json.load(response)
        except HTTPError as err:
            if err.code == _PAYMENT_REQUIRED:
                return PaymentResult(approved=False, reference="", reason=str(err.reason))
            logger.exception("payment provider answered HTTP %s for order %s", err.code, order_id)
            raise PaymentUnavailable(f"payment provider answered HTTP {err.code}") from err
        except URLError as err:
            # seeded: IL305
            logger.error("payment provider unreachable for order %s: %s", order_id, err.reason)
            return PaymentResult(approved=False, reference="", reason="payment provider unreachable")
        return PaymentResult(
            approved=bool(body.get("approved")),
            reference=str(body.get("id", "")),
            reason=str(body.get("decline_reason", "")),
        )
