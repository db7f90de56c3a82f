"""Pluggable notifications (SMS, email) to officers and citizens.

``notify(...)`` hands a message to the backend named by the NOTIFIER setting:
``console`` (development: logs it), ``email`` (Django's mail backend). An SMS
gateway is an extension point: subclass ``Notifier``, implement ``send``, and
name its dotted path in NOTIFIER. Call it from a Celery task or after commit,
never inside a transaction that may roll back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("casp.notify")


@dataclass(frozen=True)
class Message:
    to: str  # phone number or email address
    subject: str
    body: str
    channel: str = "sms"  # "sms" or "email"


class Notifier:
    def send(self, message: Message) -> None:
        raise NotImplementedError


class ConsoleNotifier(Notifier):
    """Development: write the message to the log instead of sending it."""

    def send(self, message: Message) -> None:
        logger.info("notify %s to %s: %s | %s", message.channel, message.to, message.subject, message.body)


class EmailNotifier(Notifier):
    """Email through Django's EMAIL_BACKEND; SMS messages are logged until a gateway is configured."""

    def send(self, message: Message) -> None:
        if message.channel == "email" or "@" in message.to:
            send_mail(message.subject, message.body, None, [message.to], fail_silently=False)
        else:
            ConsoleNotifier().send(message)


BACKENDS = {"console": ConsoleNotifier, "email": EmailNotifier}


def get_notifier() -> Notifier:
    name = getattr(settings, "NOTIFIER", "console")
    cls = BACKENDS.get(name) or import_string(name)
    return cls()


def notify(*, to: str, subject: str, body: str, channel: str = "sms") -> None:
    """Send one message through the configured notifier."""
    get_notifier().send(Message(to=to, subject=subject, body=body, channel=channel))
