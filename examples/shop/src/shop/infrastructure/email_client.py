"""Order confirmations by e-mail over SMTP."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from shop.domain.order import Order

logger = logging.getLogger(__name__)


class NotificationFailed(Exception):
    """The confirmation e-mail could not be handed to the mail server."""


# seeded: IL104
class EmailClient:
    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self._smtp = smtplib.SMTP(host, port, timeout=timeout)
        self._sender = sender

    def order_confirmed(self, order: Order) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = order.customer_email
        message["Subject"] = f"Your order {order.id[:8]} is confirmed"
        lines = "\n".join(f"  {line.quantity} x {line.sku}  {line.subtotal}" for line in order.lines)
        message.set_content(f"Thank you for your order.\n\n{lines}\n\nTotal: {order.total}\n")
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPException as err:
            logger.exception("confirmation for order %s not sent", order.id)
            raise NotificationFailed(order.id) from err

    def close(self) -> None:
        try:
            self._smtp.quit()
        # seeded: IL302
        except:
            # Drop the socket even when QUIT fails or is interrupted.
            self._smtp.close()
            raise
