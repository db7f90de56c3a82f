from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casp.dates import OFFENCE, POSTING, SYSTEM, range_check
from casp.roles import Role


def _localized(urdu: str, english: str) -> str:
    return urdu if urdu and (get_language() or "").startswith("ur") else english


class Province(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A police district, led by a DPO/SSP."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """Return the district's name in the active language (Urdu when it has one)."""
        return _localized(self.name_ur, self.name)


class PoliceStation(models.Model):
    """A police station: the unit that owns registers, FIRs, complaints and alerts."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="stations"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["district__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="stations_policestation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="stations_policestation_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"PS {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stations:detail", args=[self.code])

    @property
    def display_name(self) -> str:
        """Return the station's name in the active language: its Urdu name (with تھانہ) or "PS name"."""
        return _localized(self.name_ur, str(self))


class PostingQuerySet(models.QuerySet["Posting"]):
    def active(self, on: object = None) -> PostingQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Posting(models.Model):
    """An officer's posting to one station or to one district, with a role and dates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="postings"
    )
    station = models.ForeignKey(
        PoliceStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(station__isnull=False, district__isnull=True) | Q(station__isnull=True, district__isnull=False)
                ),
                name="stations_posting_station_xor_district",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="stations_posting_ends_after_start",
            ),
            range_check("stations_posting", "starts_on", POSTING, date=True),
            range_check("stations_posting", "ends_on", POSTING, date=True, null=True),
        ]
        indexes = [models.Index(fields=["user", "starts_on"], name="stations_posting_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.station or self.district}"


class DiaryKind(models.TextChoices):
    """What a daily diary (Register II) entry records; other apps add entries of their kind."""

    GENERAL = "general", _("General")
    CUSTODY = "custody", _("Persons in custody (opening entry of the day)")
    FIR_REGISTERED = "fir_registered", _("FIR registered")
    ARREST = "arrest", _("Arrest")
    HOTEL_ALERT = "hotel_alert", _("Hotel alert received")
    ALERT = "alert", _("Alert received (registration or vehicle check)")
    COMPLAINT_RECEIVED = "complaint_received", _("Complaint received")
    DEPARTURE = "departure", _("Departure of officers")
    RETURN = "return", _("Return of officers")


class RegisterCounter(models.Model):
    """The last serial number given in one register of one station in one year.

    Numbers are taken under a row lock (services.register_number_next), never
    as max()+1, so concurrent writers get 1..N with no gaps or duplicates.
    The FIR register (I) uses the same counter.
    """

    station = models.ForeignKey(PoliceStation, verbose_name=_("station"), on_delete=models.PROTECT)
    register = models.CharField(_("register"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["station", "register", "year"], name="stations_registercounter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.register}/{self.year}: {self.last_number}"


class RegisterEntry(models.Model):
    """One numbered entry of a station register (II to XXV). Never deleted.

    ``data`` holds the current values of the register's declared columns
    (stations.registers); every version, the first included, is kept in
    RegisterEntryVersion, so a correction never erases the old text. Database
    triggers refuse DELETE (migration 0003) and new ``data`` without its
    version row (0004).
    """

    station = models.ForeignKey(PoliceStation, verbose_name=_("station"), on_delete=models.PROTECT)
    register = models.CharField(_("register"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("data"), default=dict)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=DiaryKind.choices, blank=True)
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    received_at = models.DateTimeField(_("information received at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, blank=True
    )
    fact = models.JSONField(
        _("fact"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What a system-made entry records, told in the reader's language (stations.diary)."),
    )
    source_type = models.CharField(_("source type"), max_length=80, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_void = models.BooleanField(_("void"), default=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "register", "year", "number"], name="stations_entry_unique_number"
            ),
            models.UniqueConstraint(
                fields=["station", "register", "kind", "source_type", "source_id"],
                condition=~Q(source_id=""),
                name="stations_entry_unique_source",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="stations_entry_number_positive"),
            models.CheckConstraint(
                condition=Q(is_void=False) | ~Q(void_reason=""), name="stations_entry_void_has_reason"
            ),
            range_check("stations_registerentry", "created_at", SYSTEM),
            # The hour the information arrived: an FIR's report or an arrest, as old as those may be.
            range_check("stations_registerentry", "received_at", OFFENCE, null=True),
            range_check("stations_registerentry", "voided_at", SYSTEM, null=True),
        ]
        indexes = [
            # The diary of one day and the dashboard read entries by time.
            models.Index(fields=["station", "register", "-created_at"], name="stations_entry_time_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="stations_entry_search_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.register.upper()} {self.number}/{self.year}"

    @property
    def display_data(self) -> dict:
        """Return ``data`` with a system-made entry's text told in the active language."""
        from stations.diary import fact_render

        text = fact_render(self.fact)
        return {**self.data, "text": text} if text is not None else self.data


class DiaryEntryManager(models.Manager["DiaryEntry"]):
    def get_queryset(self) -> models.QuerySet[DiaryEntry]:
        return super().get_queryset().filter(register="ii")


class DiaryEntry(RegisterEntry):
    """An entry of the daily diary (Register II, Roznamcha)."""

    objects = DiaryEntryManager()

    class Meta:
        proxy = True
        verbose_name = _("daily diary entry")
        verbose_name_plural = _("daily diary entries")

    @property
    def text(self) -> str:
        """Return the entry's text in the active language (a fact is told, a typed entry is as typed)."""
        return str(self.display_data.get("text", ""))


class RegisterEntryVersion(models.Model):
    """One version of an entry's data: the first as entered, then each correction with who, when and why."""

    entry = models.ForeignKey(RegisterEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("data"), default=dict)
    reason = models.TextField(_("reason for correction"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("entry version")
        verbose_name_plural = _("entry versions")
        ordering = ["entry", "version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="stations_entryversion_unique"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="stations_entryversion_correction_has_reason"
            ),
            range_check("stations_registerentryversion", "created_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return f"{self.entry} v{self.version}"
