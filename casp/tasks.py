from __future__ import annotations

from celery import shared_task

from casp import health
from casp.notify import notify


@shared_task(bind=True, name="casp.tasks.heartbeat", ignore_result=True)
def heartbeat(self) -> bool:  # noqa: ANN001
    """Record that a worker took this task from the queue (beat sends it); /healthz reports the heartbeat's age.

    Run in-process (eagerly) it records nothing: only a worker proves that workers are alive.
    """
    if self.request.is_eager:
        return False
    health.mark(health.WORKER_HEARTBEAT)
    return True


@shared_task(
    bind=True,
    name="casp.tasks.notify_send",
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=600,
    ignore_result=True,
)
def notify_send_task(self, *, to: str, subject: str, body: str, channel: str = "sms") -> None:  # noqa: ANN001
    """Send one message to one recipient, retrying on a gateway or SMTP error.

    One task per recipient: a retry resends only the message that failed, never one already delivered.
    """
    notify(to=to, subject=subject, body=body, channel=channel)
