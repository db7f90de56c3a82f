"""Complaints from citizens, their public/internal timeline, attachments and deadlines per category."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICField
from casp.dates import OFFENCE, SYSTEM, range_check, range_checks
from casp.formats import datetime_text
from fir.models import Fir
from stations.models import District, PoliceStation


class Category(models.Model):
    """A kind of complaint with its deadlines (hours), editable in the admin.

    Deadlines apply to complaints filed after a change; complaints already
    filed keep the due times computed when they were filed.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)
    is_police_conduct = models.BooleanField(
        _("about police conduct"),
        default=False,
        help_text=_("Sent to the district's supervising officer, never to the station complained about."),
    )
    contact_hours = models.PositiveIntegerField(
        _("contact the complainant within (hours)"), default=24, help_text=_("From filing to first contact.")
    )
    reply_hours = models.PositiveIntegerField(
        _("reply within (hours)"), default=336, help_text=_("From filing to a resolution; 336 hours = 14 days.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(contact_hours__gt=0), name="complaints_category_contact_positive"),
            models.CheckConstraint(
                condition=Q(reply_hours__gte=models.F("contact_hours")), name="complaints_category_reply_after_contact"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_ur and (get_language() or "").startswith("ur"):
            return self.name_ur
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned to an officer")
    CONTACTED = "contacted", _("Complainant contacted")
    UNDER_ENQUIRY = "under_enquiry", _("Under enquiry")
    RESOLVED = "resolved", _("Resolved")
    CONVERTED = "converted_to_fir", _("Converted to FIR")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


# Work still to do: these complaints sit in inboxes and can become overdue.
OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.CONTACTED, Status.UNDER_ENQUIRY)
# A decision has been given; the citizen may give feedback or ask to reopen.
DECIDED_STATUSES = (Status.RESOLVED, Status.CONVERTED, Status.REJECTED, Status.CLOSED)
# Before first contact, the contact deadline applies as well as the reply deadline.
UNCONTACTED_STATUSES = (Status.RECEIVED, Status.ASSIGNED)

_OPEN = [s.value for s in OPEN_STATUSES]
_UNCONTACTED = [s.value for s in UNCONTACTED_STATUSES]


class Complaint(models.Model):
    """A complaint by a citizen. ``tracking_number`` is random, never a sequence.

    ``station`` is the station the citizen named (the one complained about for
    police-conduct categories); ``handling_station`` is the station that works
    on it, or empty when the district's supervising officer handles it.
    """

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    cnic = CNICField()
    phone = models.CharField(_("mobile number"), max_length=11, help_text=_("Stored as 11 digits, 03XXXXXXXXX."))
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255)
    name_withheld = models.BooleanField(
        _("withhold my name from the other side"),
        default=False,
        help_text=_("The police will not show your name to the person or officer you complain about."),
    )
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        PoliceStation, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="complaints_named"
    )
    handling_station = models.ForeignKey(
        PoliceStation,
        verbose_name=_("handling station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
        help_text=_("Empty when the district's supervising officer handles the complaint."),
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    incident_place = models.CharField(_("place of the incident"), max_length=255)
    incident_at = models.DateTimeField(_("time of the incident"))
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_assigned",
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    contact_due_at = models.DateTimeField(_("contact due by"))
    reply_due_at = models.DateTimeField(_("reply due by"))
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    feedback_satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    feedback_comment = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    womens_desk = models.BooleanField(
        _("for the women's desk"),
        default=False,
        help_text=_("A violence-against-women report: kept from the general list, seen by the SHO and district."),
    )
    fir = models.OneToOneField(
        Fir,
        verbose_name=_("FIR"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
        help_text=_("The FIR registered from this complaint."),
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_due_at__gte=models.F("contact_due_at")),
                name="complaints_complaint_reply_after_contact",
            ),
            models.CheckConstraint(
                condition=Q(incident_at__lte=models.F("created_at")), name="complaints_complaint_incident_in_past"
            ),
            models.CheckConstraint(condition=Q(phone__regex=r"^03[0-9]{9}$"), name="complaints_complaint_phone_format"),
            models.CheckConstraint(
                condition=~Q(status="converted_to_fir") | Q(fir__isnull=False),
                name="complaints_complaint_converted_has_fir",
            ),
            range_check("complaints_complaint", "incident_at", OFFENCE),
            *range_checks(
                "complaints_complaint", SYSTEM, "created_at", "status_changed_at", "contact_due_at", "reply_due_at"
            ),
            *range_checks(
                "complaints_complaint",
                SYSTEM,
                "contacted_at",
                "decided_at",
                "escalated_at",
                "feedback_at",
                null=True,
            ),
        ]
        indexes = [
            # Station inbox: open work of one station, overdue first, then by due time.
            models.Index(
                "handling_station",
                models.OrderBy(models.F("is_overdue"), descending=True),
                "reply_due_at",
                name="complaints_open_station_idx",
                condition=Q(status__in=_OPEN),
            ),
            # District office inbox (police-conduct complaints) and district-wide overdue lists.
            models.Index(
                "district",
                models.OrderBy(models.F("is_overdue"), descending=True),
                "reply_due_at",
                name="complaints_open_district_idx",
                condition=Q(status__in=_OPEN),
            ),
            # Counts per status and the resolved list of a station.
            models.Index(fields=["handling_station", "status", "-created_at"], name="complaints_station_status_idx"),
            models.Index(fields=["district", "status", "-created_at"], name="complaints_district_status_idx"),
            models.Index(fields=["assigned_to", "status"], name="complaints_assignee_idx"),
            # The overdue sweep: open complaints not yet flagged, by the deadline that passes first.
            models.Index(
                fields=["reply_due_at"],
                name="complaints_sweep_reply_idx",
                condition=Q(status__in=_OPEN, is_overdue=False),
            ),
            models.Index(
                fields=["contact_due_at"],
                name="complaints_sweep_contact_idx",
                condition=Q(status__in=_UNCONTACTED, is_overdue=False),
            ),
            # The similar-complaint warning: same phone and category within 7 days.
            models.Index(fields=["phone", "category", "-created_at"], name="complaints_phone_category_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Complaint %(number)s") % {"number": self.tracking_number})

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def handled_by_district(self) -> bool:
        return self.handling_station_id is None

    @property
    def office_label(self) -> str:
        """Return the office handling the complaint, as shown to the citizen."""
        if self.handling_station_id is None:
            return str(_("District supervising officer, %(district)s") % {"district": self.district.display_name})
        return self.handling_station.display_name


class EventKind(models.TextChoices):
    FILED = "filed", _("Complaint received")
    ASSIGNED = "assigned", _("Assigned to an officer")
    CONTACTED = "contacted", _("Complainant contacted")
    UNDER_ENQUIRY = "under_enquiry", _("Enquiry started")
    RESOLVED = "resolved", _("Resolved")
    CONVERTED = "converted_to_fir", _("Converted to FIR")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened at the complainant's request")
    INFO_ADDED = "info_added", _("Complainant added information")
    FEEDBACK = "feedback", _("Complainant gave feedback")
    NOTE = "note", _("Note")
    OVERDUE = "overdue", _("Deadline passed; escalated to the district officer")


class ComplaintEvent(models.Model):
    """One step of a complaint: who, when, status before and after, a public and an internal note.

    The citizen's tracking page shows the public part only (kind, time, public
    note); ``internal_note`` is for officers. Events are the complaint's history:
    a database trigger refuses UPDATE and DELETE (migration
    0006_complaintevent_append_only), and the application role may only
    SELECT and INSERT them.
    """

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the complainant or the system."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    public_note = models.TextField(_("public note"), blank=True, help_text=_("Shown to the complainant."))
    internal_note = models.TextField(_("internal note"), blank=True, help_text=_("Seen by police officers only."))

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["created_at", "id"]
        constraints = [range_check("complaints_complaintevent", "created_at", SYSTEM)]
        indexes = [models.Index(fields=["complaint", "created_at"], name="complaints_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {datetime_text(self.created_at)}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


class Attachment(models.Model):
    """A file a citizen attached; stored under a random name in private storage (never a static URL)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    path = models.CharField(_("stored as"), max_length=200, unique=True)
    original_name = models.CharField(_("original file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [range_check("complaints_attachment", "uploaded_at", SYSTEM)]

    def __str__(self) -> str:
        return self.original_name
