"""Alerts: a person (or a vehicle) from any intake who matched a CRO record or a stolen-vehicle FIR.

An alert belongs to one police station. Its *source* is a generic reference to the
intake row that matched (a hotel guest or companion, a tenant, a servant, an
employee, a foreigner, a vehicle check, a Khidmat application), so every intake
raises alerts without this app importing any intake. What the source and the
record said when the alert was raised is kept as a snapshot; the rows may change later.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casp.dates import SYSTEM, range_check


class SourceKind(models.TextChoices):
    HOTEL_CHECKIN = "hotel_checkin", _("Hotel check-in")
    TENANT = "tenant", _("Tenant")
    SERVANT = "servant", _("Domestic servant")
    EMPLOYEE = "employee", _("Employee")
    FOREIGNER = "foreigner", _("Foreigner")
    VEHICLE_CHECK = "vehicle_check", _("Vehicle check")
    KHIDMAT_APPLICATION = "khidmat_application", _("Khidmat Markaz application")


class MatchKind(models.TextChoices):
    CNIC = "cnic", _("CNIC")
    FACE = "face", _("Face")
    NAME = "name", _("Name and father's name")
    VEHICLE = "vehicle", _("Stolen vehicle")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AlertOutcome(models.TextChoices):
    ARRESTED = "arrested", _("Arrested")
    NOT_THE_PERSON = "not_the_person", _("Verified: not the person")
    FALSE_MATCH = "false_match", _("False match")


_LABELS: dict[tuple[type[models.TextChoices], str | None], dict[str, str]] = {}


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """Return the label of ``value`` in the active language, from a table translated once per language.

    Django's ``get_FOO_display`` hashes every lazy label of the field (a translation each) on every
    call: 150 calls for a page of 50 alerts cost more than the page's queries.
    """
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {str(v): str(label) for v, label in choices.choices}
    return labels.get(value, value)


# The page that shows an alert of each source (an intake may keep its own detail page).
DETAIL_URL = {SourceKind.HOTEL_CHECKIN: "hoteleye:alert_detail"}


class Alert(models.Model):
    """One intake row that matched a CRO record (or a stolen vehicle's FIR), for one police station to act on."""

    station = models.ForeignKey(
        "stations.PoliceStation", verbose_name=_("station"), on_delete=models.PROTECT, related_name="alerts"
    )
    source_kind = models.CharField(_("source"), max_length=24, choices=SourceKind.choices)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_type", "source_id")
    # What the source said when the alert was raised (a generic inbox shows it without loading the source).
    person_name = models.CharField(_("person"), max_length=150, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    place_detail = models.CharField(_("place detail"), max_length=60, blank=True)
    cro_record = models.ForeignKey(
        "cro.CriminalRecord",
        verbose_name=_("CRO record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    fir = models.ForeignKey(
        "fir.Fir", verbose_name=_("FIR"), on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    record_photo = models.ForeignKey(
        "cro.RecordPhoto",
        verbose_name=_("matched CRO photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the record said when the alert was raised; the record may change later.
    record_name = models.CharField(_("record name"), max_length=150)
    record_cnic = models.CharField(_("record CNIC"), max_length=13, blank=True)
    record_status = models.CharField(_("record status"), max_length=120, blank=True)
    kind = models.CharField(_("kind of match"), max_length=8, choices=MatchKind.choices)
    score = models.FloatField(_("score"))
    distance = models.FloatField(_("face distance"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    is_flagging_station = models.BooleanField(
        _("for the station that flagged the record"),
        default=False,
        help_text=_("Not the station of the source's own address."),
    )
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.NEW)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AlertOutcome.choices, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledge_note = models.TextField(_("note on acknowledging"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.TextField(_("note on closing"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A repeated or retried matching task never raises a second alert.
            models.UniqueConstraint(
                fields=["station", "source_type", "source_id", "cro_record", "fir"],
                nulls_distinct=False,
                name="alerts_alert_unique_per_station_source_record",
            ),
            models.CheckConstraint(
                condition=Q(cro_record__isnull=False, fir__isnull=True) | Q(cro_record__isnull=True, fir__isnull=False),
                name="alerts_alert_record_xor_fir",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")
                | Q(status__in=["new", "acknowledged"], outcome=""),
                name="alerts_alert_outcome_iff_closed",
            ),
            range_check("alerts_alert", "created_at", SYSTEM),
            range_check("alerts_alert", "acknowledged_at", SYSTEM, null=True),
            range_check("alerts_alert", "closed_at", SYSTEM, null=True),
        ]
        indexes = [
            # The inbox (alerts.selectors.alerts_page_for_user): each station's newest alerts, in the inbox's
            # order, read from the station's index and merged; for one source, and for the new ones only.
            models.Index(fields=["station", "-created_at", "-id"], name="alerts_alert_station_idx"),
            models.Index(fields=["station", "source_kind", "-created_at", "-id"], name="alerts_alert_station_kind_idx"),
            # Also counts a station's new alerts (of one source) without reading the table (index-only scan).
            models.Index(
                fields=["station", "source_kind", "-created_at", "-id"],
                condition=Q(status="new"),
                name="alerts_alert_new_idx",
            ),
            # The latest alert id of each station (the live inbox's poll), one probe each.
            models.Index(fields=["station", "-id"], name="alerts_alert_st_latest_idx"),
            models.Index(fields=["station", "source_kind", "-id"], name="alerts_alert_st_kind_last_idx"),
            # Lists over every station (the API, Hotel Eye's inbox): newest first, walked backwards.
            models.Index(fields=["-created_at", "-id"], name="alerts_alert_recent_idx"),
            models.Index(fields=["source_kind", "-created_at", "-id"], name="alerts_alert_source_recent_idx"),
            models.Index(fields=["source_type", "source_id"], name="alerts_alert_source_idx"),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}: {self.record_name}"

    def get_absolute_url(self) -> str:
        return reverse(DETAIL_URL.get(self.source_kind, "alerts:alert_detail"), args=[self.pk])

    # Django's own get_FOO_display is not added when the class defines one (see choice_label).
    def get_source_kind_display(self) -> str:
        return choice_label(SourceKind, self.source_kind)

    def get_kind_display(self) -> str:
        return choice_label(MatchKind, self.kind)

    def get_status_display(self) -> str:
        return choice_label(AlertStatus, self.status)

    def get_outcome_display(self) -> str:
        return choice_label(AlertOutcome, self.outcome)

    @property
    def person(self) -> models.Model | None:
        """The intake row that matched (a guest, a companion, a tenant, a vehicle check, ...)."""
        return self.source


class CheckChannel(models.TextChoices):
    STATION = "station", _("Station officer")
    KHIDMAT = "khidmat", _("Khidmat Markaz counter")


class VehicleCheck(models.Model):
    """One look-up of a vehicle against the stolen list: who asked, by which numbers, what it found.

    A check that finds a stolen vehicle is the source of the alert sent to the theft FIR's station.
    """

    channel = models.CharField(_("channel"), max_length=8, choices=CheckChannel.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("station of the check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("where checked"), max_length=200, blank=True)
    reference = models.CharField(
        _("reference"), max_length=40, blank=True, help_text=_("E.g. a Khidmat tracking number.")
    )
    registration_key = models.CharField(_("registration number"), max_length=20, blank=True)
    chassis_key = models.CharField(_("chassis number"), max_length=30, blank=True)
    engine_key = models.CharField(_("engine number"), max_length=30, blank=True)
    hits = models.JSONField(_("stolen vehicles found"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vehicle check")
        verbose_name_plural = _("vehicle checks")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_key="") | ~Q(chassis_key="") | ~Q(engine_key=""),
                name="alerts_vehiclecheck_has_a_number",
            ),
            range_check("alerts_vehiclecheck", "checked_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return self.registration_key or self.chassis_key or self.engine_key

    @property
    def name(self) -> str:
        return str(self)
