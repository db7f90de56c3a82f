"""Registrations that are watched: tenants, domestic servants, employees and foreigners reported to the police.

A landlord, estate agent or employer registers people (online, by CSV or at a
Khidmat counter); each registered person is matched against the CRO after
commit. The registrant never sees anything about a match; the registration
belongs to the station of its address (and, for a worker, of the worker's home).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICField
from casp.dates import BIRTH, SYSTEM, DateRule, range_check
from casp.text import normalize_digits

# The law: a landlord informs the police within 48 hours of the tenancy's start.
REPORTING_DEADLINE = dt.timedelta(hours=48)
# A tenancy or employment starts no earlier than 1950 and at most a month from now.
START = DateRule("tenancy_start", dt.date(1950, 1, 1), ahead=dt.timedelta(days=31))
# A visa's expiry: any plausible day (an expired visa is accepted and flagged).
VISA_EXPIRY = DateRule("visa_expiry", dt.date(1950, 1, 1), ahead=None)


def address_key(address: str) -> str:
    """Return ``address`` compared as the same place: Latin digits, lower case, single spaces, no punctuation."""
    text = normalize_digits(str(address or "")).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


class Kind(models.TextChoices):
    TENANT = "tenant", _("Tenant")
    SERVANT = "servant", _("Domestic servant")
    EMPLOYEE = "employee", _("Employee")
    FOREIGNER = "foreigner", _("Foreigner")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    CSV = "csv", _("CSV batch")
    COUNTER = "counter", _("Khidmat counter")


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Checked")


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("Registered person")
    OCCUPANT = "occupant", _("Adult occupant")


class Registration(models.Model):
    """One tenancy, employment or foreigner's stay reported to the police."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=14, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    registrant_name = models.CharField(_("landlord or employer"), max_length=120)
    registrant_cnic = CNICField(verbose_name=_("CNIC of the landlord or employer"))
    registrant_phone = models.CharField(_("phone of the landlord or employer"), max_length=20)
    address = models.CharField(_("address"), max_length=255)
    address_key = models.CharField(_("address as compared"), max_length=255, editable=False)
    station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("police station of the address"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    home_address = models.CharField(_("worker's home address"), max_length=255, blank=True)
    home_station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("police station of the worker's home"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_registrations",
    )
    start_date = models.DateField(_("start date"))
    person_key = models.CharField(_("registered person's document"), max_length=80, editable=False)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    is_late = models.BooleanField(
        _("registered late"), default=False, help_text=_("Registered more than 48 hours after the start date.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Police-only: never shown to the registrant.
    match_status = models.CharField(
        _("match status"), max_length=8, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-received_at", "-id"]
        constraints = [
            range_check("registrations_registration", "start_date", START, date=True),
            range_check("registrations_registration", "received_at", SYSTEM),
            range_check("registrations_registration", "ended_at", SYSTEM, null=True),
            range_check("registrations_registration", "matched_at", SYSTEM, null=True),
            models.CheckConstraint(
                condition=~Q(kind__in=["servant", "employee"]) | (~Q(home_address="") & Q(home_station__isnull=False)),
                name="registrations_registration_worker_home",
            ),
            models.UniqueConstraint(
                fields=["kind", "station", "address_key", "person_key"],
                condition=Q(ended_at__isnull=True),
                name="registrations_registration_one_active_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["station", "-received_at"], name="registrations_station_idx"),
            models.Index(fields=["home_station", "-received_at"], name="registrations_home_idx"),
            models.Index(fields=["received_at"], condition=Q(match_status="pending"), name="registrations_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.tracking_number} — {self.address}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def alert_stations(self) -> list[int]:
        """Return the ids of the stations a hit of this registration goes to: the address's and the home's."""
        return [pk for pk in dict.fromkeys([self.station_id, self.home_station_id]) if pk]


class RegisteredPerson(models.Model):
    """A tenant, occupant, worker or foreigner named in a registration."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="persons"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PRINCIPAL)
    cnic = CNICField(null=True, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=120)
    father_name = models.CharField(_("father's name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    visa_type = models.CharField(_("visa type"), max_length=40, blank=True)
    visa_expiry = models.DateField(_("visa expiry"), null=True, blank=True)
    visa_expired = models.BooleanField(_("visa expired"), default=False)

    class Meta:
        verbose_name = _("registered person")
        verbose_name_plural = _("registered persons")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cnic__isnull=False) | (~Q(passport_number="") & ~Q(nationality="")),
                name="registrations_registeredperson_document",
            ),
            range_check("registrations_registeredperson", "date_of_birth", BIRTH, date=True),
            range_check("registrations_registeredperson", "visa_expiry", VISA_EXPIRY, date=True, null=True),
        ]
        indexes = [
            models.Index(fields=["cnic"], name="registrations_person_cnic_idx"),
            models.Index(fields=["passport_number"], name="registrations_person_pass_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.registration})"

    @property
    def document(self) -> str:
        """Return the CNIC (formatted) or the passport number with nationality."""
        if self.cnic:
            return getattr(self.cnic, "formatted", str(self.cnic))
        return f"{self.passport_number} ({self.nationality})"

    @property
    def document_key(self) -> str:
        return str(self.cnic) if self.cnic else f"P:{self.nationality.upper()}:{self.passport_number}"
