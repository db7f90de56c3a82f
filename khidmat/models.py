"""Police Khidmat Markaz: the service catalogue, centres and their staff, tokens, applications and their
checks (CRO, station verification), and the certificates and reports issued.

The catalogue is data (``ServiceType`` rows, editable in the admin); what an
application goes through follows from its service's flags, never from code per
service.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICField
from casp.dates import BIRTH, POSTING, SCHEDULED, SYSTEM, range_check, range_checks
from cro.models import CriminalRecord
from fir.models import Fir
from registrations.models import Kind as RegistrationKind
from stations.models import District, PoliceStation

PHONE_REGEX = r"^03[0-9]{9}$"


class _Bilingual(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        if self.name_ur and (get_language() or "").startswith("ur"):
            return self.name_ur
        return self.name


class Output(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    REPORT = "report", _("Report")
    REGISTRATION = "registration", _("Registration slip")
    FIR_COPY = "fir_copy", _("Copy of an FIR")
    FORWARDED = "forwarded", _("Application forwarded to another authority")
    COMPLAINT = "complaint", _("Complaint at a police station")


# Outputs that are a document CASP issues with a serial number and a QR code.
DOCUMENT_OUTPUTS = (Output.CERTIFICATE, Output.REPORT, Output.REGISTRATION)


class ServiceType(_Bilingual):
    """One service of the centres: its documents, fee, turnaround, checks and output (editable in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    fee = models.PositiveIntegerField(_("fee (rupees)"), default=0, help_text=_("0 for a free service."))
    turnaround_days = models.PositiveSmallIntegerField(
        _("promised turnaround (working days)"), default=0, help_text=_("0: served at once at the counter.")
    )
    needs_cro_check = models.BooleanField(_("needs a CRO check"), default=False)
    needs_station_verification = models.BooleanField(
        _("needs verification by the stations of the present and permanent addresses"), default=False
    )
    needs_vehicle_check = models.BooleanField(_("needs the stolen-vehicle check"), default=False)
    output = models.CharField(_("produces"), max_length=20, choices=Output.choices)
    registration_kind = models.CharField(
        _("registers the person as"), max_length=12, choices=RegistrationKind.choices, blank=True,
        help_text=_("Tenant, domestic servant, employee or foreigner: the application also files that registration "
                    "(matched against the CRO like an online one). Empty: no registration."),
    )  # fmt: skip
    verification_days = models.PositiveSmallIntegerField(
        _("days a station has to verify"), default=3, help_text=_("After this, the task escalates.")
    )
    validity_days = models.PositiveSmallIntegerField(
        _("validity of the document (days)"), null=True, blank=True, help_text=_("Empty: no expiry.")
    )
    womens_desk = models.BooleanField(
        _("for the women's desk"), default=False, help_text=_("The complaint is kept from the general list.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(turnaround_days__lte=60), name="khidmat_servicetype_turnaround_range"),
            models.CheckConstraint(
                condition=Q(verification_days__gte=1, verification_days__lte=30),
                name="khidmat_servicetype_verification_days_range",
            ),
            models.CheckConstraint(condition=Q(fee__lte=100_000), name="khidmat_servicetype_fee_range"),
            # A document valid for more than ten years is a typing error (casp.dates.SCHEDULED allows 20).
            models.CheckConstraint(
                condition=Q(validity_days__isnull=True) | Q(validity_days__lte=3660),
                name="khidmat_servicetype_validity_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def issues_document(self) -> bool:
        return self.output in DOCUMENT_OUTPUTS

    @property
    def is_checked(self) -> bool:
        """Return True when the service waits for checks before the in-charge decides."""
        return self.needs_cro_check or self.needs_station_verification or self.needs_vehicle_check


class ServiceDocument(_Bilingual):
    """A document the citizen must (or may) bring for a service: one line of its checklist."""

    service = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(_("code"), max_length=40)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="khidmat_servicedocument_unique_code"),
        ]

    def __str__(self) -> str:
        return self.display_name


class KhidmatCentre(_Bilingual):
    code = models.CharField(_("code"), max_length=20, unique=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255)
    counters = models.PositiveSmallIntegerField(_("counters"), default=4)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Khidmat Markaz")
        verbose_name_plural = _("Khidmat Markaz centres")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(counters__gte=1, counters__lte=50), name="khidmat_centre_counters_range")
        ]

    def __str__(self) -> str:
        return self.display_name


class CentreStaff(models.Model):
    """A user working at one centre (the binding is here, not on User); the in-charge decides applications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="khidmat_postings"
    )
    centre = models.ForeignKey(KhidmatCentre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="staff")
    is_incharge = models.BooleanField(_("in-charge"), default=False)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("centre staff")
        verbose_name_plural = _("centre staff")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="khidmat_centrestaff_ends_after_start",
            ),
            range_check("khidmat_centrestaff", "starts_on", POSTING, date=True),
            range_check("khidmat_centrestaff", "ends_on", POSTING, date=True, null=True),
            models.UniqueConstraint(
                fields=["user"], condition=Q(ends_on__isnull=True), name="khidmat_centrestaff_one_open_posting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.centre}"


class Counter(models.Model):
    """The last number handed out of one series (tokens per day, receipts and serials per year); locked to allocate."""

    centre = models.ForeignKey(KhidmatCentre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    period = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["centre", "kind", "period"], name="khidmat_counter_unique_series"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.kind}/{self.period}: {self.last}"


class TokenStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SERVING = "serving", _("At the counter")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")


class Token(models.Model):
    centre = models.ForeignKey(KhidmatCentre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("token number"))
    service = models.ForeignKey(ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=TokenStatus.choices, default=TokenStatus.WAITING)
    issued_at = models.DateTimeField(_("taken at"), default=timezone.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counter_number = models.PositiveSmallIntegerField(_("counter"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("token")
        verbose_name_plural = _("tokens")
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "number"], name="khidmat_token_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="khidmat_token_number_positive"),
            models.CheckConstraint(
                condition=Q(called_at__isnull=True) | Q(called_at__gte=models.F("issued_at")),
                name="khidmat_token_called_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(called_at__isnull=False, finished_at__gte=models.F("called_at")),
                name="khidmat_token_finished_after_called",
            ),
            range_check("khidmat_token", "day", SYSTEM, date=True),
            range_check("khidmat_token", "issued_at", SYSTEM),
            *range_checks("khidmat_token", SYSTEM, "called_at", "finished_at", null=True),
        ]
        indexes = [
            models.Index(
                fields=["centre", "day", "number"], name="khidmat_token_waiting_idx", condition=Q(status="waiting")
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:03d}"


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    CHECKS = "checks", _("Checks in progress")
    DECISION = "decision", _("Awaiting the in-charge's decision")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    FORWARDED = "forwarded", _("Forwarded to the licensing authority")
    REFERRED = "referred", _("Registered as a complaint at the police station")


OPEN_STATUSES = (Status.RECEIVED, Status.CHECKS, Status.DECISION)


class Application(models.Model):
    """One citizen's request for one service at one centre. ``tracking_number`` is random, never a sequence.

    The applicant may apply for someone else (``subject_*``), e.g. a relative abroad,
    with an authority letter.
    """

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    centre = models.ForeignKey(KhidmatCentre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    token = models.OneToOneField(
        Token, verbose_name=_("token"), on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    applicant_cnic = CNICField(verbose_name=_("applicant's CNIC"))
    applicant_name = models.CharField(_("applicant's name"), max_length=120)
    applicant_phone = models.CharField(_("applicant's mobile number"), max_length=11)
    for_someone_else = models.BooleanField(_("applying for someone else"), default=False)
    relation = models.CharField(_("relation to the person"), max_length=60, blank=True)
    authority_letter = models.CharField(_("authority letter (stored as)"), max_length=200, blank=True)
    subject_name = models.CharField(_("name of the person"), max_length=120)
    subject_father_name = models.CharField(_("father's name"), max_length=120, blank=True)
    subject_cnic = CNICField(verbose_name=_("CNIC of the person"))
    subject_dob = models.DateField(_("date of birth"), null=True, blank=True)
    present_address = models.CharField(_("present address"), max_length=255, blank=True)
    present_station = models.ForeignKey(
        PoliceStation, verbose_name=_("police station of the present address"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    permanent_address = models.CharField(_("permanent address"), max_length=255, blank=True)
    permanent_station = models.ForeignKey(
        PoliceStation, verbose_name=_("police station of the permanent address"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    photo = models.CharField(_("photo (stored as)"), max_length=200, blank=True)
    details = models.TextField(_("details"), blank=True, help_text=_("What was lost, the vehicle, the incident."))
    vehicle_number = models.CharField(_("vehicle registration number"), max_length=20, blank=True)
    chassis_number = models.CharField(_("chassis number"), max_length=40, blank=True)
    engine_number = models.CharField(_("engine number"), max_length=40, blank=True)
    registration = models.OneToOneField(
        "registrations.Registration", verbose_name=_("registration"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="khidmat_application",
    )  # fmt: skip
    fee = models.PositiveIntegerField(_("fee paid (rupees)"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    paid_at = models.DateTimeField(_("paid at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    promised_on = models.DateField(_("promised date"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Shown to the citizen."))
    fir = models.ForeignKey(
        Fir, verbose_name=_("FIR"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaint = models.OneToOneField(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="khidmat_application",
    )  # fmt: skip
    forwarded_reference = models.CharField(_("licensing authority's reference"), max_length=60, blank=True)
    vehicle_hits = models.JSONField(_("stolen-vehicle check"), default=list, blank=True)
    # Set with the change that owes the applicant an SMS (received, decided), cleared once it is sent: a task
    # lost to a broker that was down at the counter leaves it set, and the sweep queues the SMS again.
    sms_owed_since = models.DateTimeField(_("applicant's SMS owed since"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_phone__regex=PHONE_REGEX), name="khidmat_application_phone_format"
            ),
            range_check("khidmat_application", "subject_dob", BIRTH, date=True, null=True),
            *range_checks("khidmat_application", SYSTEM, "paid_at", "created_at"),
            range_check("khidmat_application", "decided_at", SYSTEM, null=True),
            range_check("khidmat_application", "sms_owed_since", SYSTEM, null=True),
            range_check("khidmat_application", "promised_on", SCHEDULED, date=True),
            models.CheckConstraint(
                condition=Q(paid_at__lte=models.F("created_at") + datetime.timedelta(minutes=5)),
                name="khidmat_application_paid_before_received",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=models.F("created_at")),
                name="khidmat_application_decided_after_created",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(outcome=""), name="khidmat_application_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(for_someone_else=False) | ~Q(authority_letter=""),
                name="khidmat_application_authority_letter",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "-created_at"], name="khidmat_app_centre_idx"),
            models.Index(fields=["centre", "status", "-created_at"], name="khidmat_app_centre_status_idx"),
            models.Index(fields=["subject_cnic"], name="khidmat_app_subject_cnic_idx"),
            # The SMS sweep's work queue: only applications that still owe an SMS are indexed.
            models.Index(
                fields=["sms_owed_since"], condition=Q(sms_owed_since__isnull=False), name="khidmat_app_sms_owed_idx"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Application %(number)s") % {"number": self.tracking_number})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationDocument(models.Model):
    """A document of the checklist received at the counter, with its scan when one was uploaded."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    document = models.ForeignKey(
        ServiceDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("scan (stored as)"), max_length=200, blank=True)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("document received")
        verbose_name_plural = _("documents received")
        constraints = [
            models.UniqueConstraint(fields=["application", "document"], name="khidmat_applicationdocument_unique"),
        ]

    def __str__(self) -> str:
        return str(self.document)


class CroCheckStatus(models.TextChoices):
    CLEAR = "clear", _("No record found")
    REVIEW = "review", _("Candidates found: awaiting a CRO officer's review")
    CLEARED = "cleared", _("Reviewed: not the same person")
    RECORD = "record", _("Reviewed: record confirmed")


class CroCheck(models.Model):
    """The CRO check of an application's person: every candidate is kept; any candidate needs a review."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="cro_check"
    )
    status = models.CharField(_("result"), max_length=10, choices=CroCheckStatus.choices)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    face_status = models.CharField(_("face search"), max_length=20, blank=True)
    face_message = models.CharField(_("face search message"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("CRO check")
        verbose_name_plural = _("CRO checks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["cleared", "record"])
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="khidmat_crocheck_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(reviewed_at__gte=models.F("checked_at")),
                name="khidmat_crocheck_reviewed_after_check",
            ),
            range_check("khidmat_crocheck", "checked_at", SYSTEM),
            range_check("khidmat_crocheck", "reviewed_at", SYSTEM, null=True),
        ]
        indexes = [
            models.Index(fields=["checked_at"], name="khidmat_crocheck_review_idx", condition=Q(status="review"))
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        return self.status != CroCheckStatus.REVIEW


class CandidateKind(models.TextChoices):
    CNIC = "cnic", _("CNIC")
    NAME = "name", _("Name, father's name and date of birth")
    FACE = "face", _("Face")


class CroCandidate(models.Model):
    """One CRO record the check found: a candidate for review, never an identification."""

    cro_check = models.ForeignKey(
        CroCheck, verbose_name=_("CRO check"), on_delete=models.CASCADE, related_name="candidates"
    )
    record = models.ForeignKey(CriminalRecord, verbose_name=_("CRO record"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("matched on"), max_length=10, choices=CandidateKind.choices)
    score = models.FloatField(_("score"))
    distance = models.FloatField(_("face distance"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)

    class Meta:
        verbose_name = _("CRO candidate")
        verbose_name_plural = _("CRO candidates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["cro_check", "record", "kind"], name="khidmat_crocandidate_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="khidmat_crocandidate_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score:.0f}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    NO_RECORD = "no_record", _("No record at this station")
    RECORD_FOUND = "record_found", _("Record found")
    NOT_VERIFIED = "not_verified", _("Address not verified")


class VerificationTask(models.Model):
    """A station's check of the person at the present and/or permanent address; escalates when overdue."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="verifications"
    )
    station = models.ForeignKey(
        PoliceStation, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+"
    )
    addresses = models.CharField(_("addresses"), max_length=40, help_text=_("present, permanent or both"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    due_at = models.DateTimeField(_("due by"))
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    reference = models.CharField(_("record reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    is_overdue = models.BooleanField(_("overdue"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification task")
        verbose_name_plural = _("verification tasks")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "station"], name="khidmat_verificationtask_unique"),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("created_at")), name="khidmat_verificationtask_due_after_sent"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="record_found") | ~Q(reference=""),
                name="khidmat_verificationtask_record_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", done_at__isnull=True)
                | (~Q(outcome="pending") & Q(done_at__isnull=False, done_at__gte=models.F("created_at"))),
                name="khidmat_verificationtask_done_consistent",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | Q(escalated_at__gte=models.F("due_at")),
                name="khidmat_verificationtask_escalated_after_due",
            ),
            *range_checks("khidmat_verificationtask", SYSTEM, "created_at", "due_at"),
            *range_checks("khidmat_verificationtask", SYSTEM, "done_at", "escalated_at", null=True),
        ]
        indexes = [
            models.Index(
                fields=["station", "due_at"], name="khidmat_vt_station_open_idx", condition=Q(outcome="pending")
            ),
            models.Index(
                fields=["due_at"], name="khidmat_vt_sweep_idx", condition=Q(outcome="pending", is_overdue=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} — {self.get_outcome_display()}"

    @property
    def is_done(self) -> bool:
        return self.outcome != Outcome.PENDING


class Certificate(models.Model):
    """A certificate, report or registration slip issued: serial, validity, revocation; verified by QR."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="certificate"
    )
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    verify_key = models.CharField(_("verification key"), max_length=64, unique=True, editable=False)
    holder_name = models.CharField(_("name"), max_length=120)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            range_check("khidmat_certificate", "issued_at", SYSTEM),
            range_check("khidmat_certificate", "valid_until", SCHEDULED, date=True, null=True),
            range_check("khidmat_certificate", "revoked_at", SYSTEM, null=True),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | Q(revoked_at__isnull=False, revoked_by__isnull=False, revoked_at__gte=models.F("issued_at"))
                & ~Q(revoke_reason=""),
                name="khidmat_certificate_revocation_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid_on(self, day: datetime.date) -> bool:
        return not self.is_revoked and (self.valid_until is None or day <= self.valid_until)
