from __future__ import annotations

import logging

from celery import shared_task

from casp import health
from casp.notify import notify

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="casp.tasks.heartbeat", ignore_result=True)
def heartbeat(self, queue: str = "sweeps") -> bool:  # noqa: ANN001
    """Record that a worker took this task from its queue (beat sends one to every queue); /healthz reports the ages.

    The queue is the one the message was delivered from (its routing key), else ``queue``.
    Run in-process (eagerly) it records nothing: only a worker proves that workers are alive.
    """
    if self.request.is_eager:
        return False
    delivered_from = (self.request.delivery_info or {}).get("routing_key")
    health.mark(health.heartbeat_name(delivered_from or queue))
    return True


@shared_task(bind=True, name="casp.tasks.notify_send", max_retries=5, ignore_result=True)
def notify_send_task(self, *, to: str, subject: str, body: str, channel: str = "sms") -> None:  # noqa: ANN001
    """Send one message to one recipient, retrying (with backoff) on a gateway or SMTP error.

    One task per recipient: a retry resends only the message that failed, never one already delivered.
    """
    message = {"to": to, "subject": subject, "body": body, "channel": channel}
    if self.request.is_eager:
        # In-process (no broker, and the tests): Celery cannot retry an eager task whose errors propagate,
        # so try again at once; only the last attempt's error is raised.
        for attempt in range(self.max_retries):
            try:
                notify(**message)
                return
            except OSError as exc:
                logger.warning("notification to %s failed (attempt %d): %s", to, attempt + 1, exc)
        notify(**message)
        return
    try:
        notify(**message)
    except OSError as exc:  # smtplib's errors, timeouts and refused connections are all OSErrors
        raise self.retry(exc=exc, countdown=min(600, 2 ** (self.request.retries + 1))) from exc
