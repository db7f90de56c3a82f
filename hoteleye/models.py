"""Hotel Eye: hotels, their staff and guest check-ins (their alerts are the shared alerts.Alert).

Hotel staff see only their own hotel's check-ins and never anything about a
match; alerts belong to police stations.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField

from casp.cnic import CNICField
from casp.dates import BIRTH, CHECK_IN, CHECK_OUT, SYSTEM, range_check
from cro.models import FACE_DIMENSIONS

# The law requires a hotel to report a guest within three hours of check-in.
REPORTING_DEADLINE = timedelta(hours=3)


CHECKIN_FIELDS = (
    "guest_type",
    "cnic",
    "passport_number",
    "nationality",
    "visa_number",
    "name",
    "father_name",
    "gender",
    "date_of_birth",
    "phone",
    "address",
    "arriving_from",
    "purpose",
    "room",
    "checked_in_at",
    "vehicle_number",
)
COMPANION_FIELDS = (
    "guest_type",
    "cnic",
    "passport_number",
    "nationality",
    "name",
    "father_name",
    "gender",
    "date_of_birth",
    "is_minor",
    "relation",
)


class Hotel(models.Model):
    """A licensed hotel in the jurisdiction of one police station (its owning station)."""

    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short code, e.g. ISB-H001"))
    licence_number = models.CharField(_("licence number"), max_length=50, unique=True)
    address = models.CharField(_("address"), max_length=255)
    district = models.ForeignKey(
        "stations.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="hotels"
    )
    station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("owning police station"),
        on_delete=models.PROTECT,
        related_name="hotels",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    rooms = models.PositiveIntegerField(_("number of rooms"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotel")
        verbose_name_plural = _("hotels")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(rooms__gte=1), name="hoteleye_hotel_rooms_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="hoteleye_hotel_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="hoteleye_hotel_longitude_range",
            ),
            range_check("hoteleye_hotel", "created_at", SYSTEM),
        ]
        indexes = [models.Index(fields=["station", "name"], name="hoteleye_hotel_station_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class HotelStaff(models.Model):
    """Binds a user account to exactly one hotel (a user can be staff of one hotel only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="hotel_staff"
    )
    hotel = models.ForeignKey(Hotel, verbose_name=_("hotel"), on_delete=models.PROTECT, related_name="staff")
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotel staff member")
        verbose_name_plural = _("hotel staff")
        constraints = [range_check("hoteleye_hotelstaff", "created_at", SYSTEM)]

    def __str__(self) -> str:
        return f"{self.user} @ {self.hotel.code}"


class ApiToken(models.Model):
    """An API key for a hotel's own software, or for an officer's client. Only its SHA-256 is stored."""

    hotel = models.ForeignKey(
        Hotel, verbose_name=_("hotel"), on_delete=models.PROTECT, null=True, blank=True, related_name="tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("key prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(hotel__isnull=False, user__isnull=True) | Q(hotel__isnull=True, user__isnull=False),
                name="hoteleye_apitoken_hotel_xor_user",
            ),
            models.UniqueConstraint(
                fields=["hotel"], condition=Q(revoked_at__isnull=True), name="hoteleye_apitoken_one_live_per_hotel"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="hoteleye_apitoken_one_live_per_user"
            ),
            range_check("hoteleye_apitoken", "created_at", SYSTEM),
            range_check("hoteleye_apitoken", "revoked_at", SYSTEM, null=True),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.hotel or self.user})"


class GuestType(models.TextChoices):
    PAKISTANI = "pakistani", _("Pakistani (CNIC)")
    FOREIGNER = "foreigner", _("Foreigner (passport)")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    FORM = "form", _("Form")
    CSV = "csv", _("CSV batch")
    API = "api", _("API")


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    NO_MATCH = "no_match", _("No match")
    MATCHED = "matched", _("Matched")


class FaceStatus(models.TextChoices):
    OK = "ok", _("one face encoded")
    NO_FACE = "no_face", _("no face found")
    SEVERAL_FACES = "several_faces", _("several faces found")


class NadraStatus(models.TextChoices):
    NOT_VERIFIED = "not_verified", _("Not verified")
    VERIFIED = "verified", _("Verified")
    MISMATCH = "mismatch", _("Details differ from NADRA")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (foreigner)")


class Identity(models.Model):
    """The identity fields a guest and each companion share."""

    guest_type = models.CharField(_("guest type"), max_length=10, choices=GuestType.choices)
    cnic = CNICField(null=True, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=120)
    father_name = models.CharField(_("father's name"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def document(self) -> str:
        """Return the CNIC (formatted) or the passport number with nationality."""
        if self.cnic:
            return getattr(self.cnic, "formatted", str(self.cnic))
        return f"{self.passport_number} ({self.nationality})"


def _identity_constraint(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(guest_type="pakistani", cnic__isnull=False)
        | (Q(guest_type="foreigner") & ~Q(passport_number="") & ~Q(nationality="")),
        name=f"hoteleye_{model}_document_for_type",
    )


class CheckIn(Identity):
    """One guest's stay at a hotel, as reported by the hotel."""

    hotel = models.ForeignKey(Hotel, verbose_name=_("hotel"), on_delete=models.PROTECT, related_name="checkins")
    visa_number = models.CharField(_("visa number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    arriving_from = models.CharField(_("arriving from"), max_length=120, blank=True)
    purpose = models.CharField(_("purpose of visit"), max_length=120, blank=True)
    room = models.CharField(_("room"), max_length=20)
    vehicle_number = models.CharField(_("vehicle number"), max_length=20, blank=True)
    checked_in_at = models.DateTimeField(_("check-in time"))
    checked_out_at = models.DateTimeField(_("check-out time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    is_late = models.BooleanField(
        _("reported late"), default=False, help_text=_("Entered more than 3 hours after the check-in time.")
    )
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    photo_thumbnail = models.FileField(_("photo thumbnail"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=4, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nadra_status = models.CharField(
        _("NADRA verification"), max_length=16, choices=NadraStatus.choices, default=NadraStatus.NOT_VERIFIED
    )
    # Police-only: never shown to hotel staff.
    match_status = models.CharField(
        _("match status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    match_attempts = models.PositiveSmallIntegerField(_("match attempts"), default=0)
    # The photo's face encoding, computed once by the first match (a retried or batched match reuses it).
    face_status = models.CharField(
        _("face in the photo"), max_length=13, choices=FaceStatus.choices, blank=True, default="", db_default=""
    )
    face_encoding = VectorField(_("face encoding"), dimensions=FACE_DIMENSIONS, null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-id"]
        constraints = [
            _identity_constraint("checkin"),
            range_check("hoteleye_checkin", "date_of_birth", BIRTH, date=True, null=True),
            range_check("hoteleye_checkin", "checked_in_at", CHECK_IN),
            range_check("hoteleye_checkin", "checked_out_at", CHECK_OUT, null=True),
            range_check("hoteleye_checkin", "received_at", SYSTEM),
            range_check("hoteleye_checkin", "matched_at", SYSTEM, null=True),
            models.CheckConstraint(
                condition=Q(face_encoding__isnull=True) | Q(face_status="ok"),
                name="hoteleye_checkin_face_encoding_only_when_ok",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="hoteleye_checkin_out_after_in",
            ),
            models.UniqueConstraint(
                fields=["hotel", "cnic"],
                condition=Q(checked_out_at__isnull=True, cnic__isnull=False),
                name="hoteleye_checkin_one_open_per_cnic",
            ),
            models.UniqueConstraint(
                fields=["hotel", "nationality", "passport_number"],
                condition=Q(checked_out_at__isnull=True, guest_type="foreigner"),
                name="hoteleye_checkin_one_open_per_passport",
            ),
        ]
        indexes = [
            models.Index(fields=["hotel", "-checked_in_at"], name="hoteleye_checkin_hotel_idx"),
            models.Index(fields=["cnic"], name="hoteleye_checkin_cnic_idx"),
            # The sweep's work queue: only unmatched rows are indexed.
            models.Index(
                fields=["received_at"],
                condition=Q(match_status="pending"),
                name="hoteleye_checkin_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.hotel.code} room {self.room}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None


class Companion(Identity):
    """A person staying with the guest; a minor names their relation to the adult."""

    checkin = models.ForeignKey(
        CheckIn, verbose_name=_("check-in"), on_delete=models.CASCADE, related_name="companions"
    )
    is_minor = models.BooleanField(_("minor"), default=False)
    relation = models.CharField(_("relation to the guest"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("companion")
        verbose_name_plural = _("companions")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guest_type="pakistani", cnic__isnull=False)
                | Q(guest_type="pakistani", is_minor=True)
                | (Q(guest_type="foreigner") & ~Q(passport_number="") & ~Q(nationality="")),
                name="hoteleye_companion_document_for_type",
            ),
            models.CheckConstraint(
                condition=Q(is_minor=False) | ~Q(relation=""), name="hoteleye_companion_minor_has_relation"
            ),
            range_check("hoteleye_companion", "date_of_birth", BIRTH, date=True, null=True),
        ]

    def __str__(self) -> str:
        return self.name


class MatchKind(models.TextChoices):
    CNIC = "cnic", _("CNIC")
    FACE = "face", _("Face")
    NAME = "name", _("Name and father's name")


class MatchResult(models.Model):
    """One candidate the matcher found for a person of a check-in (police only)."""

    checkin = models.ForeignKey(CheckIn, verbose_name=_("check-in"), on_delete=models.CASCADE, related_name="matches")
    companion = models.ForeignKey(
        Companion, verbose_name=_("companion"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cro_record = models.ForeignKey(
        "cro.CriminalRecord", verbose_name=_("CRO record"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of match"), max_length=4, choices=MatchKind.choices)
    score = models.FloatField(_("score"))
    distance = models.FloatField(_("face distance"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    above_threshold = models.BooleanField(_("above the alert threshold"), default=False)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("match result")
        verbose_name_plural = _("match results")
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "companion", "cro_record", "kind"],
                nulls_distinct=False,
                name="hoteleye_matchresult_unique_candidate",
            ),
            range_check("hoteleye_matchresult", "created_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.score:.0f} → CRO {self.cro_record_id}"
