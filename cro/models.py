"""The Criminal Record Office: records keyed on CNIC, aliases, photos, fingerprints, face encodings.

The CRO is national: records belong to no station. Who may see them is
decided by role (cro/selectors.py), and every view, search and photo fetch
is written to the audit log (casp.audit.record_read).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from casp.cnic import CNICField
from casp.dates import BIRTH, LEGAL_EVENT, SYSTEM, range_check, range_checks

FACE_DIMENSIONS = 128


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Status(models.TextChoices):
    """The statuses a record can carry (several at once); the keys are the import file's values."""

    WANTED = "wanted", _("Wanted")
    PROCLAIMED_OFFENDER = "proclaimed_offender", _("Proclaimed offender")
    ABSCONDER = "absconder", _("Absconder")
    UNDER_TRIAL = "under_trial", _("Under trial")
    CONVICTED = "convicted", _("Convicted")
    RELEASED = "released", _("Released")


# The dates of the status flags: each not before 1947 and not in the future (casp.dates.LEGAL_EVENT).
STATUS_DATES = (
    "wanted_since",
    "proclaimed_on",
    "absconding_since",
    "under_trial_since",
    "convicted_on",
    "released_on",
)


class CriminalRecord(models.Model):
    """One person known to the CRO. ``cnic`` is unique when present; ``merged_into`` marks a merged duplicate."""

    cnic = CNICField(unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    name_ur = models.CharField(_("name in Urdu"), max_length=150, blank=True)
    father_name = models.CharField(_("father's name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    permanent_address = models.TextField(_("permanent address"), blank=True)
    present_address = models.TextField(_("present address"), blank=True)
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(50, _("Height is in centimetres, from 50 to 260.")),
            MaxValueValidator(260, _("Height is in centimetres, from 50 to 260.")),
        ],
    )
    build = models.CharField(_("build"), max_length=60, blank=True)
    complexion = models.CharField(_("complexion"), max_length=60, blank=True)
    identification_marks = models.TextField(_("identification marks"), blank=True)
    modus_operandi = models.TextField(_("modus operandi"), blank=True)
    gang = models.CharField(_("gang"), max_length=150, blank=True)

    # Status flags, each with its date and a caution note for officers who meet the person.
    is_wanted = models.BooleanField(_("wanted"), default=False)
    wanted_by_station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("wanted by station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wanted_records",
    )
    wanted_fir_number = models.CharField(_("wanted in FIR"), max_length=40, blank=True, help_text=_("e.g. 123/2026"))
    wanted_since = models.DateField(_("wanted since"), null=True, blank=True)
    is_proclaimed_offender = models.BooleanField(_("proclaimed offender"), default=False)
    proclaimed_on = models.DateField(_("proclaimed on"), null=True, blank=True)
    is_absconder = models.BooleanField(_("absconder"), default=False)
    absconding_since = models.DateField(_("absconding since"), null=True, blank=True)
    is_under_trial = models.BooleanField(_("under trial"), default=False)
    under_trial_since = models.DateField(_("under trial since"), null=True, blank=True)
    is_convicted = models.BooleanField(_("convicted"), default=False)
    convicted_on = models.DateField(_("convicted on"), null=True, blank=True)
    is_released = models.BooleanField(_("released"), default=False)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    caution = models.TextField(
        _("caution"), blank=True, help_text=_("e.g. armed and dangerous; shown in red wherever the record appears")
    )

    # Search keys kept by cro.services (never edited by hand): canonical name words of the
    # name and every alias, and their double-metaphone codes (GIN-indexed).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    name_codes = ArrayField(models.CharField(max_length=8), default=list, blank=True, editable=False)
    father_search_text = models.TextField(blank=True, editable=False)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("criminal record")
        verbose_name_plural = _("criminal records")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__gte=50, height_cm__lte=260),
                name="cro_criminalrecord_height_range",
                violation_error_message=_("Height is in centimetres, from 50 to 260."),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("id")),
                name="cro_criminalrecord_not_merged_into_self",
            ),
            range_check("cro_criminalrecord", "date_of_birth", BIRTH, date=True, null=True),
            *range_checks("cro_criminalrecord", LEGAL_EVENT, *STATUS_DATES, date=True, null=True),
            *range_checks("cro_criminalrecord", SYSTEM, "created_at", "updated_at"),
        ]
        indexes = [
            GinIndex(fields=["name_codes"], name="cro_record_name_codes_gin"),
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="cro_record_search_trgm"),
            models.Index(Upper("name"), name="cro_record_name_upper_idx"),
            models.Index(fields=["is_wanted"], condition=Q(is_wanted=True), name="cro_record_wanted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} s/o {self.father_name}" if self.father_name else self.name

    def get_absolute_url(self) -> str:
        return reverse("cro:detail", args=[self.pk])

    @property
    def statuses(self) -> list[tuple[str, str, object]]:
        """Return (key, label, date) for each status the record carries."""
        flags = [
            (Status.WANTED, self.is_wanted, self.wanted_since),
            (Status.PROCLAIMED_OFFENDER, self.is_proclaimed_offender, self.proclaimed_on),
            (Status.ABSCONDER, self.is_absconder, self.absconding_since),
            (Status.UNDER_TRIAL, self.is_under_trial, self.under_trial_since),
            (Status.CONVICTED, self.is_convicted, self.convicted_on),
            (Status.RELEASED, self.is_released, self.released_on),
        ]
        return [(s.value, s.label, day) for s, on, day in flags if on]


# Model field that holds each status's flag and date, for services and the import command.
STATUS_FIELDS: dict[str, tuple[str, str]] = {
    Status.WANTED: ("is_wanted", "wanted_since"),
    Status.PROCLAIMED_OFFENDER: ("is_proclaimed_offender", "proclaimed_on"),
    Status.ABSCONDER: ("is_absconder", "absconding_since"),
    Status.UNDER_TRIAL: ("is_under_trial", "under_trial_since"),
    Status.CONVICTED: ("is_convicted", "convicted_on"),
    Status.RELEASED: ("is_released", "released_on"),
}


class RecordAlias(models.Model):
    record = models.ForeignKey(
        CriminalRecord, verbose_name=_("record"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=150)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["record", "name"], name="cro_recordalias_unique_name")]

    def __str__(self) -> str:
        return self.name


class PhotoKind(models.TextChoices):
    FRONT = "front", _("Front")
    LEFT = "left", _("Left profile")
    RIGHT = "right", _("Right profile")
    OTHER = "other", _("Other")


class FaceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for face encoding")
    OK = "ok", _("Face encoded")
    NO_FACE = "no_face", _("No face found")
    SEVERAL_FACES = "several_faces", _("Several faces found")
    ERROR = "error", _("Encoding failed")


class RecordPhoto(models.Model):
    """A photograph of the person, stored privately under MEDIA_ROOT; served only by cro.views.photo."""

    record = models.ForeignKey(
        CriminalRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices, default=PhotoKind.FRONT)
    file = models.CharField(_("file"), max_length=200, editable=False)
    thumbnail = models.CharField(_("thumbnail"), max_length=200, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    face_status = models.CharField(_("face"), max_length=16, choices=FaceStatus.choices, default=FaceStatus.PENDING)
    face_message = models.CharField(_("face message"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["record", "sha256"], name="cro_recordphoto_unique_content"),
            range_check("cro_recordphoto", "uploaded_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class FingerprintCard(models.Model):
    """A scan of a fingerprint card (stored and shown; no fingerprint matching)."""

    record = models.ForeignKey(
        CriminalRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="fingerprint_cards"
    )
    file = models.CharField(_("file"), max_length=200, editable=False)
    thumbnail = models.CharField(_("thumbnail"), max_length=200, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("fingerprint card")
        verbose_name_plural = _("fingerprint cards")
        ordering = ["-uploaded_at"]
        constraints = [
            range_check("cro_fingerprintcard", "taken_on", LEGAL_EVENT, date=True, null=True),
            range_check("cro_fingerprintcard", "uploaded_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return f"{_('Fingerprint card')} #{self.pk}"


class FaceEncoding(models.Model):
    """The 128-d face encoding of one photo: the source of truth for face search.

    ``version`` is taken from FaceIndexState under a row lock in the same
    transaction, so a reader that has seen version v has seen every row up to v
    (the in-memory index in cro.faces loads only rows newer than it holds).
    """

    photo = models.OneToOneField(
        RecordPhoto, verbose_name=_("photo"), on_delete=models.CASCADE, related_name="encoding"
    )
    record = models.ForeignKey(
        CriminalRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="face_encodings"
    )
    embedding = VectorField(_("encoding"), dimensions=FACE_DIMENSIONS)
    version = models.BigIntegerField(_("index version"), default=0, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("face encoding")
        verbose_name_plural = _("face encodings")
        constraints = [range_check("cro_faceencoding", "created_at", SYSTEM)]
        indexes = [
            # Used when FACE_SEARCH_BACKEND = "hnsw" (see docs/cro.md for the measurements).
            HnswIndex(
                name="cro_faceencoding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_l2_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Face encoding')} #{self.pk}"


class FaceIndexState(models.Model):
    """One row: the version counter of the face encodings table, bumped under a lock by every write."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("face index state")
        verbose_name_plural = _("face index state")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="cro_faceindexstate_single_row")]

    def __str__(self) -> str:
        return f"v{self.version}"
