"""Identity verification against NADRA (CNIC -> name, father's name, date of birth, photo).

CASP talks to NADRA through ``IdentityVerifier``. The setting NADRA_VERIFIER
names the class to use (dotted path). The only implementation shipped is
``LocalVerifier``, which reports every identity as "not verified": NADRA's
verification service is available to law-enforcement agencies under an
agreement, and its client belongs here, as a subclass that implements
``verify``. See docs/hoteleye.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNIC
from hoteleye.models import NadraStatus


@dataclass(frozen=True)
class IdentityResult:
    status: str  # a NadraStatus value
    name: str = ""
    father_name: str = ""
    date_of_birth: datetime.date | None = None
    photo: bytes | None = None
    message: str = ""


class IdentityVerifier:
    """Look a CNIC up and compare what NADRA holds with what the guest declared."""

    def verify(self, cnic: CNIC, *, name: str, father_name: str = "") -> IdentityResult:
        raise NotImplementedError


class LocalVerifier(IdentityVerifier):
    """No connection to NADRA: every identity is reported as not verified."""

    def verify(self, cnic: CNIC, *, name: str, father_name: str = "") -> IdentityResult:
        return IdentityResult(
            status=NadraStatus.NOT_VERIFIED, message=str(_("NADRA verification is not connected on this server."))
        )


def get_verifier() -> IdentityVerifier:
    """Return an instance of the verifier named by NADRA_VERIFIER."""
    return import_string(getattr(settings, "NADRA_VERIFIER", "hoteleye.nadra.LocalVerifier"))()
