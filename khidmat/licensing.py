"""Licence services are taken at the counter and forwarded to the licensing authority through this adapter.

The setting KHIDMAT_LICENSING_AUTHORITY names the class (dotted path). The only
implementation shipped is ``LocalLicensingAuthority``: it records the
application as forwarded with a local reference, for the authority to collect
(as Hotel Eye's NADRA adapter, the real client is a subclass implementing
``forward``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from khidmat.models import Application


@dataclass(frozen=True)
class ForwardResult:
    reference: str
    message: str


class LicensingAuthority:
    def forward(self, application: Application) -> ForwardResult:
        raise NotImplementedError


class LocalLicensingAuthority(LicensingAuthority):
    """No connection to the licensing authority: the application waits at the centre under a local reference."""

    def forward(self, application: Application) -> ForwardResult:
        return ForwardResult(
            reference=f"LOCAL-{application.tracking_number}",
            message=_("Forwarded to the licensing authority; it will call you for the test or collection."),
        )


def get_licensing_authority() -> LicensingAuthority:
    return import_string(
        getattr(settings, "KHIDMAT_LICENSING_AUTHORITY", "khidmat.licensing.LocalLicensingAuthority")
    )()
