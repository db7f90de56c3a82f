"""First Information Reports (s.154 CrPC): the FIR, its sections, accused, arrests, status and case diary."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICField
from casp.dates import OFFENCE, SYSTEM, range_check, range_checks
from casp.formats import date_text, datetime_text
from casp.geo import point_checks
from stations.models import PoliceStation, RegisterEntry


class Law(models.TextChoices):
    PPC = "PPC", _("Pakistan Penal Code")
    ARMS = "AO", _("Arms Ordinance")
    CNSA = "CNSA", _("Control of Narcotic Substances Act")
    OTHER = "OTHER", _("Other special law")


class CrimeHead(models.Model):
    """A head of Pakistani crime statistics (murder, robbery, ...), ranked by seriousness (1 = most serious).

    Each Section belongs to one head (Section.head, edited in the admin); a section without a head counts
    under the head coded ``other``. An FIR counts once under the most serious head of its sections
    (analytics' totals) and under each head of its sections in the detailed view.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("seriousness rank"), unique=True, help_text=_("1 is the most serious."))

    class Meta:
        verbose_name = _("crime head")
        verbose_name_plural = _("crime heads")
        ordering = ["rank"]
        constraints = [models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=999), name="fir_crimehead_rank_range")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_ur if self.name_ur and (get_language() or "").startswith("ur") else self.name


class Section(models.Model):
    """A section of the Pakistan Penal Code or a special law that an FIR may charge."""

    law = models.CharField(_("law"), max_length=10, choices=Law.choices, default=Law.PPC)
    number = models.CharField(_("section"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    title_ur = models.CharField(_("title in Urdu"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    head = models.ForeignKey(
        CrimeHead,
        verbose_name=_("crime head"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
        help_text=_("The head of crime statistics this section counts under; empty counts as Other."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["law", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="fir_section_unique_law_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.law}"

    @property
    def label(self) -> str:
        """Return "302 PPC — title", the title in Urdu when the interface is Urdu and the catalogue has it."""
        title = self.title_ur if self.title_ur and (get_language() or "").startswith("ur") else self.title
        return f"{self.number} {self.law} — {title}"


class FirStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    CHALLAN_SUBMITTED = "challan_submitted", _("Challan submitted")
    CANCELLED = "cancelled", _("Cancelled")
    UNTRACED = "untraced", _("Untraced")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class ChallanKind(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    INTERIM = "interim", _("Interim")
    INCOMPLETE = "incomplete", _("Incomplete")


# The life cycle (DOMAIN.md): which status may follow which.
TRANSITIONS: dict[str, frozenset[str]] = {
    FirStatus.REGISTERED: frozenset({FirStatus.UNDER_INVESTIGATION}),
    FirStatus.UNDER_INVESTIGATION: frozenset({FirStatus.CHALLAN_SUBMITTED, FirStatus.CANCELLED, FirStatus.UNTRACED}),
    FirStatus.UNTRACED: frozenset({FirStatus.UNDER_INVESTIGATION}),
    FirStatus.CHALLAN_SUBMITTED: frozenset({FirStatus.CHALLAN_SUBMITTED, FirStatus.CONVICTED, FirStatus.ACQUITTED}),
    FirStatus.CANCELLED: frozenset(),
    FirStatus.CONVICTED: frozenset(),
    FirStatus.ACQUITTED: frozenset(),
}


class Direction(models.TextChoices):
    N = "N", _("North")
    NE = "NE", _("North-east")
    E = "E", _("East")
    SE = "SE", _("South-east")
    S = "S", _("South")
    SW = "SW", _("South-west")
    W = "W", _("West")
    NW = "NW", _("North-west")


class Fir(models.Model):
    """A First Information Report. Immutable once registered (a database trigger refuses edits of its text)."""

    station = models.ForeignKey(PoliceStation, verbose_name=_("police station"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("FIR number"))
    reported_at = models.DateTimeField(_("date and time of report"))
    occurred_from = models.DateTimeField(_("occurrence from"))
    occurred_to = models.DateTimeField(_("occurrence to"), null=True, blank=True)
    place = models.CharField(_("place of occurrence"), max_length=300)
    distance_km = models.DecimalField(
        _("distance from the station (km)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(_("direction from the station"), max_length=2, choices=Direction.choices, blank=True)
    # Where the offence happened, optional; set at registration and, like the rest of the text, never edited.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    complainant_name = models.CharField(_("complainant's name"), max_length=150)
    complainant_father_name = models.CharField(_("complainant's father's name"), max_length=150, blank=True)
    complainant_cnic = CNICField(verbose_name=_("complainant's CNIC"), null=True, blank=True)
    complainant_address = models.CharField(_("complainant's address"), max_length=300, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=30, blank=True)
    sections = models.ManyToManyField(Section, verbose_name=_("sections"), related_name="firs")
    facts = models.TextField(_("brief facts in the complainant's words"))
    weapons = models.CharField(_("weapons used"), max_length=300, blank=True)
    property_involved = models.TextField(_("property involved"), blank=True)
    delay_reason = models.TextField(_("reason for delay in reporting"), blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    writing_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writing officer"),
        on_delete=models.PROTECT,
        related_name="firs_written",
    )
    writing_officer_name = models.CharField(_("writing officer's name and rank"), max_length=200)
    investigating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigating officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="firs_investigating",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, editable=False)
    # Status fields: the only columns that change after registration (with investigating_officer).
    status = models.CharField(_("status"), max_length=24, choices=FirStatus.choices, default=FirStatus.REGISTERED)
    challan_kind = models.CharField(_("challan"), max_length=12, choices=ChallanKind.choices, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("FIR")
        verbose_name_plural = _("FIRs")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "number"], name="fir_fir_unique_number"),
            models.UniqueConstraint(fields=["station", "submission_key"], name="fir_fir_unique_submission"),
            models.CheckConstraint(condition=Q(number__gte=1), name="fir_fir_number_positive"),
            models.CheckConstraint(
                condition=Q(occurred_from__lte=models.F("reported_at")), name="fir_fir_occurrence_before_report"
            ),
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True) | Q(occurred_to__gte=models.F("occurred_from")),
                name="fir_fir_occurrence_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=FirStatus.CHALLAN_SUBMITTED) | ~Q(challan_kind=""),
                name="fir_fir_challan_has_kind",
            ),
            *range_checks("fir_fir", OFFENCE, "reported_at", "occurred_from"),
            range_check("fir_fir", "occurred_to", OFFENCE, null=True),
            *range_checks("fir_fir", SYSTEM, "registered_at", "status_changed_at"),
            *point_checks("fir_fir"),
        ]
        indexes = [
            # The station's list, newest first, paginated by keyset.
            models.Index(fields=["station", "-registered_at", "-id"], name="fir_fir_station_list_idx"),
            # A district's or the province's list.
            models.Index(fields=["-registered_at", "-id"], name="fir_fir_list_idx"),
            models.Index(fields=["station", "status"], name="fir_fir_station_status_idx"),
            models.Index(fields=["complainant_cnic"], name="fir_fir_complainant_cnic_idx"),
            # icontains compiles to UPPER(col) LIKE UPPER(%s): index that expression.
            GinIndex(OpClass(Upper("complainant_name"), name="gin_trgm_ops"), name="fir_fir_complainant_trgm"),
            models.Index(fields=["investigating_officer", "status"], name="fir_fir_io_status_idx"),
            # Hotspot maps and near-repeat analysis: an area's offences by time of occurrence, with their points.
            models.Index(
                fields=["station", "occurred_from"], include=["latitude", "longitude"], name="fir_fir_occurrence_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"FIR No. {self.number}/{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("fir:detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"FIR No. {self.number}/{self.year}, {self.station}"

    def allowed_next(self) -> list[str]:
        return sorted(TRANSITIONS.get(self.status, frozenset()))


class Accused(models.Model):
    """A person accused in an FIR: named (optional CNIC) or unknown with a description."""

    fir = models.ForeignKey(Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, related_name="accused")
    name = models.CharField(_("name"), max_length=150, blank=True)
    father_name = models.CharField(_("father's name"), max_length=150, blank=True)
    cnic = CNICField(null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_unknown = models.BooleanField(_("unknown"), default=False)
    description = models.TextField(_("description"), blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("accused")
        verbose_name_plural = _("accused")
        ordering = ["fir", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_unknown=False) & ~Q(name="")) | (Q(is_unknown=True) & ~Q(description="")),
                name="fir_accused_named_or_described",
            ),
            range_check("fir_accused", "added_at", SYSTEM),
        ]
        indexes = [
            models.Index(fields=["cnic"], name="fir_accused_cnic_idx"),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="fir_accused_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("unknown accused"))


class Arrest(models.Model):
    """The arrest of an accused: when, where, by whom; noted in the daily diary."""

    fir = models.ForeignKey(Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, related_name="arrests")
    accused = models.ForeignKey(Accused, verbose_name=_("accused"), on_delete=models.PROTECT, related_name="arrests")
    arrested_at = models.DateTimeField(_("arrested at"))
    place = models.CharField(_("place of arrest"), max_length=300)
    arrested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("arrested by"), on_delete=models.PROTECT, related_name="+"
    )
    diary_entry = models.ForeignKey(
        RegisterEntry, verbose_name=_("diary entry"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    custody_ended_at = models.DateTimeField(_("custody ended at"), null=True, blank=True)
    custody_end_reason = models.CharField(_("custody ended by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("arrest")
        verbose_name_plural = _("arrests")
        ordering = ["-arrested_at"]
        constraints = [
            range_check("fir_arrest", "arrested_at", OFFENCE),
            range_check("fir_arrest", "custody_ended_at", SYSTEM, null=True),
            models.CheckConstraint(
                condition=Q(custody_ended_at__isnull=True) | Q(custody_ended_at__gte=models.F("arrested_at")),
                name="fir_arrest_custody_ends_after_arrest",
            ),
        ]
        indexes = [
            models.Index(fields=["fir"], condition=Q(custody_ended_at__isnull=True), name="fir_arrest_in_custody_idx"),
            models.Index(fields=["arrested_at"], name="fir_arrest_arrested_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.accused} — {datetime_text(self.arrested_at)}"


class StatusChange(models.Model):
    """One step of an FIR's life cycle, with who, when and the order or reason."""

    fir = models.ForeignKey(Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=24, choices=FirStatus.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=FirStatus.choices)
    challan_kind = models.CharField(_("challan"), max_length=12, choices=ChallanKind.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    order_reference = models.CharField(_("magistrate's order or court reference"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["fir", "changed_at", "id"]
        constraints = [range_check("fir_statuschange", "changed_at", SYSTEM)]
        # Analytics' daily aggregates read the changes of a day.
        indexes = [models.Index(fields=["changed_at"], name="fir_statuschange_changed_idx")]

    def __str__(self) -> str:
        return f"{self.fir}: {self.from_status} -> {self.to_status}"


class NoteKind(models.TextChoices):
    SUPPLEMENTARY = "supplementary", _("Supplementary statement")
    CASE_DIARY = "case_diary", _("Case diary (s.172 CrPC)")


class CaseNote(models.Model):
    """Information after registration: a supplementary statement or a case diary entry. Append-only."""

    fir = models.ForeignKey(Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    person = models.CharField(_("statement of"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["fir", "recorded_at", "id"]
        constraints = [range_check("fir_casenote", "recorded_at", SYSTEM)]

    def __str__(self) -> str:
        return f"{self.fir} {self.get_kind_display()} {date_text(self.recorded_at)}"


# The sections under which an FIR may record a stolen vehicle: theft, theft of a motor vehicle, theft after
# preparation for hurt, robbery (PPC).
VEHICLE_THEFT_SECTIONS = ("379", "381-A", "382", "392")


class VehicleKind(models.TextChoices):
    CAR = "car", _("Car, jeep or van")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    RICKSHAW = "rickshaw", _("Rickshaw")
    TRUCK = "truck", _("Truck or bus")
    OTHER = "other", _("Other vehicle")


class StolenVehicle(models.Model):
    """A vehicle an FIR reports stolen, in structured fields; a recovery takes it off the stolen list.

    The ``*_key`` columns hold each number normalised (fir.vehicles): capitals and digits only, Urdu digits
    as ASCII, so ``ICT-5678``, ``ict 5678`` and ``ICT5678`` are one number. The stolen list is the rows
    without a recovery; each key has a partial index on it.
    """

    fir = models.ForeignKey(Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, related_name="stolen_vehicles")
    kind = models.CharField(_("kind of vehicle"), max_length=12, choices=VehicleKind.choices)
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    registration_key = models.CharField(_("registration number (normalised)"), max_length=20, blank=True)
    chassis_number = models.CharField(_("chassis number"), max_length=30, blank=True)
    chassis_key = models.CharField(_("chassis number (normalised)"), max_length=30, blank=True)
    engine_number = models.CharField(_("engine number"), max_length=30, blank=True)
    engine_key = models.CharField(_("engine number (normalised)"), max_length=30, blank=True)
    make = models.CharField(_("make"), max_length=40, blank=True)
    model = models.CharField(_("model"), max_length=40, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("year of manufacture"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recovery_place = models.CharField(_("place of recovery"), max_length=300, blank=True)
    recovery_fir = models.ForeignKey(
        Fir,
        verbose_name=_("FIR of the recovery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recovered_vehicles",
    )
    recovery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recovery recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stolen vehicle")
        verbose_name_plural = _("stolen vehicles")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_key="") | ~Q(chassis_key="") | ~Q(engine_key=""),
                name="fir_stolenvehicle_has_a_number",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2200), name="fir_stolenvehicle_year_range"
            ),
            models.CheckConstraint(
                condition=Q(recovered_on__isnull=True, recovery_place="", recovery_fir__isnull=True)
                | (Q(recovered_on__isnull=False) & ~Q(recovery_place="")),
                name="fir_stolenvehicle_recovery_complete",
            ),
            range_check("fir_stolenvehicle", "recorded_at", SYSTEM),
            range_check("fir_stolenvehicle", "recovered_on", OFFENCE, date=True, null=True),
        ]
        indexes = [
            models.Index(
                fields=["registration_key"],
                condition=Q(recovered_on__isnull=True) & ~Q(registration_key=""),
                name="fir_stolenvehicle_reg_idx",
            ),
            models.Index(
                fields=["chassis_key"],
                condition=Q(recovered_on__isnull=True) & ~Q(chassis_key=""),
                name="fir_stolenvehicle_chassis_idx",
            ),
            models.Index(
                fields=["engine_key"],
                condition=Q(recovered_on__isnull=True) & ~Q(engine_key=""),
                name="fir_stolenvehicle_engine_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.chassis_number or self.engine_number

    @property
    def is_stolen(self) -> bool:
        return self.recovered_on is None
