"""A notifier that fails as a real SMTP server or SMS gateway sometimes does."""

from __future__ import annotations

from casp.notify import Notifier

SENT: list = []
FAIL_ONCE: set[str] = set()


class FlakyNotifier(Notifier):
    """Fails the first attempt to each address in FAIL_ONCE (a timeout), then delivers; keeps what it delivered."""

    def send(self, message) -> None:  # noqa: ANN001
        if message.to in FAIL_ONCE:
            FAIL_ONCE.discard(message.to)
            raise TimeoutError(f"gateway timed out sending to {message.to}")
        SENT.append(message)
