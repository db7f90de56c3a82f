"""Recording the fee: a ``PaymentRecorder`` interface with a cash implementation (no payment gateway).

The setting KHIDMAT_PAYMENT_RECORDER names the class (dotted path). ``CashRecorder``
records cash taken at the counter and numbers receipts per centre per year from a
locked counter row, so receipts have no gaps and no duplicates. A bank or mobile
wallet integration is a subclass that implements ``record``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from khidmat.models import KhidmatCentre


@dataclass(frozen=True)
class Payment:
    receipt_number: str
    paid_at: datetime.datetime


class PaymentRecorder:
    def record(self, *, centre: KhidmatCentre, amount: int) -> Payment:
        """Record ``amount`` rupees paid at ``centre`` and return the receipt (inside the caller's transaction)."""
        raise NotImplementedError


class CashRecorder(PaymentRecorder):
    """Cash at the counter: the receipt number is the centre's next of the year, e.g. ``R-KHM-ISB-01-2026-000042``."""

    def record(self, *, centre: KhidmatCentre, amount: int) -> Payment:
        from khidmat.services import number_next

        now = timezone.now()
        year = timezone.localdate(now).year
        number = number_next(centre=centre, kind="receipt", period=str(year))
        return Payment(receipt_number=f"R-{centre.code}-{year}-{number:06d}", paid_at=now)


def get_payment_recorder() -> PaymentRecorder:
    return import_string(getattr(settings, "KHIDMAT_PAYMENT_RECORDER", "khidmat.payments.CashRecorder"))()
