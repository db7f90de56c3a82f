"""Writes of the Khidmat Markaz: tokens, applications, checks, decisions, certificates.

Every function changes rows, records the audit event and queues work (after
commit) in one transaction. Numbers (tokens, receipts, serials) come from a
locked counter row; status changes lock the application row.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casp import audit
from casp.cnic import CNIC
from casp.dates import BIRTH, OFFENCE, SCHEDULED, SYSTEM, DateRule
from casp.models import User
from casp.notify import notify
from casp.storage import FileBatch, file_batch
from complaints.files import PreparedFile, attachment_write
from complaints.identifiers import tracking_number_new
from complaints.models import Category
from complaints.services import ComplaintData, complaint_file
from fir.models import Fir
from khidmat.licensing import get_licensing_authority
from khidmat.models import (
    Application,
    ApplicationDocument,
    Certificate,
    Counter,
    CroCheck,
    CroCheckStatus,
    KhidmatCentre,
    Outcome,
    Output,
    ServiceDocument,
    ServiceType,
    Status,
    Token,
    TokenStatus,
    VerificationTask,
)
from khidmat.payments import get_payment_recorder
from registrations.models import Channel as RegistrationChannel
from registrations.services import RegistrationData, registration_file
from stations.models import PoliceStation

STORAGE_PREFIX = "khidmat"
# The complaint category a crime or violence-against-women report is filed under.
COMPLAINT_CATEGORY = "crime-report"


# --- numbers -------------------------------------------------------------------------------------


def number_next(*, centre: KhidmatCentre, kind: str, period: str) -> int:
    """Return the next number of the centre's ``kind`` series in ``period`` (gap-free under concurrency).

    Must run inside the caller's transaction: the row lock is held until it
    commits, and a rolled-back caller gives its number back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Khidmat counters must be locked inside a transaction")
    Counter.objects.bulk_create([Counter(centre=centre, kind=kind, period=period)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(centre=centre, kind=kind, period=period)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def working_days_after(day: datetime.date, days: int) -> datetime.date:
    """Return the date ``days`` working days (Monday to Saturday; Sunday is the weekly holiday) after ``day``."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() != 6:
            days -= 1
    return day


# --- tokens --------------------------------------------------------------------------------------


@transaction.atomic
def token_take(*, centre: KhidmatCentre, service: ServiceType) -> Token:
    """Give the citizen the centre's next token of the day for ``service``."""
    if not service.is_active:
        raise ValidationError({"service": _("This service is not offered at the moment.")}, code="inactive")
    now = timezone.now()
    day = timezone.localdate(now)
    number = number_next(centre=centre, kind="token", period=day.isoformat())
    token = Token.objects.create(centre=centre, day=day, number=number, service=service, issued_at=now)
    audit.record(actor=None, action="khidmat.token_taken", target=token, data={"centre": centre.code})
    return token


@transaction.atomic
def token_call_next(*, centre: KhidmatCentre, counter_number: int, acting_user: User) -> Token | None:
    """Finish the token at this counter and call the next waiting one; return it, or None if nobody waits.

    ``skip_locked`` lets two counters call at the same moment without taking the same token.
    """
    if not 1 <= counter_number <= centre.counters:
        raise ValidationError(
            {"counter": _("This centre has counters 1 to %(n)d.") % {"n": centre.counters}}, code="counter"
        )
    now = timezone.now()
    day = timezone.localdate(now)
    Token.objects.filter(centre=centre, day=day, status=TokenStatus.SERVING, counter_number=counter_number).update(
        status=TokenStatus.DONE, finished_at=now
    )
    token = (
        Token.objects.select_for_update(skip_locked=True)
        .filter(centre=centre, day=day, status=TokenStatus.WAITING)
        .order_by("number")
        .first()
    )
    if token is None:
        return None
    token.status = TokenStatus.SERVING
    token.called_at = max(now, token.issued_at)
    token.counter_number = counter_number
    token.called_by = acting_user
    token.save(update_fields=["status", "called_at", "counter_number", "called_by"])
    audit.record(actor=acting_user, action="khidmat.token_called", target=token, data={"counter": counter_number})
    return token


def _token_finish(token: Token, now: datetime.datetime) -> None:
    token.status = TokenStatus.DONE
    token.called_at = token.called_at or max(now, token.issued_at)
    token.finished_at = max(now, token.called_at)
    token.save(update_fields=["status", "called_at", "finished_at"])


# --- applications --------------------------------------------------------------------------------


@dataclass
class ApplicationData:
    service: ServiceType
    applicant_cnic: CNIC
    applicant_name: str
    applicant_phone: str
    fee: int
    documents: list[ServiceDocument]
    scans: dict[int, PreparedFile] = field(default_factory=dict)  # ServiceDocument id -> scan
    token: Token | None = None
    for_someone_else: bool = False
    relation: str = ""
    authority_letter: PreparedFile | None = None
    subject_name: str = ""
    subject_father_name: str = ""
    subject_cnic: CNIC | None = None
    subject_dob: datetime.date | None = None
    present_address: str = ""
    present_station: PoliceStation | None = None
    permanent_address: str = ""
    permanent_station: PoliceStation | None = None
    photo: PreparedFile | None = None
    details: str = ""
    vehicle_number: str = ""
    chassis_number: str = ""
    engine_number: str = ""
    # What the `registrations` app needs, for a service with a registration kind (the kind is the service's).
    registration: RegistrationData | None = None
    fir: Fir | None = None
    incident_place: str = ""
    incident_at: datetime.datetime | None = None


# Labels of the date inputs that are not model fields (the incident's time belongs to the complaint).
_FIELD_LABELS: dict[str, Any] = {
    "subject_dob": lambda: Application._meta.get_field("subject_dob").verbose_name,
    "incident_at": lambda: _("Time of the incident"),
}


def _date_checked(rule: DateRule, value: Any, *, model: Any, name: str, now: datetime.datetime) -> Any:
    """Return ``value`` when it is within ``rule``; else raise ValidationError naming ``model.name``.

    For times the server fixes (a payment's time from the recorder, a promised date, an expiry), so a
    wrong clock or a catalogue typo is refused with a message instead of an IntegrityError.
    """
    try:
        rule.check(value, field=model._meta.get_field(name).verbose_name, now=now)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None
    return value


def application_validate(*, data: ApplicationData) -> None:
    """Raise ValidationError naming each field that breaks the catalogue's rules (fee, documents, person)."""
    service = data.service
    errors: dict[str, list[str]] = {}
    if data.fee != service.fee:
        errors.setdefault("fee", []).append(
            _("The fee for %(service)s is Rs %(fee)d; Rs %(paid)d was entered.")
            % {"service": service.display_name, "fee": service.fee, "paid": data.fee}
        )
    ticked = {d.pk for d in data.documents}
    missing = [d.display_name for d in service.documents.all() if d.is_required and d.pk not in ticked]
    if missing:
        errors.setdefault("documents", []).append(
            _("These required documents are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    if any(d.service_id != service.pk for d in data.documents):
        errors.setdefault("documents", []).append(_("A document ticked does not belong to this service."))
    if data.for_someone_else:
        errors.update(_someone_else_errors(data))
    for name, rule, value in (("subject_dob", BIRTH, data.subject_dob), ("incident_at", OFFENCE, data.incident_at)):
        try:
            rule.check(value, field=_FIELD_LABELS[name]())
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if service.needs_cro_check and (not (data.subject_name or data.applicant_name) or data.subject_dob is None):
        errors.setdefault("subject_dob", []).append(_("The CRO check needs the person's name and date of birth."))
    if service.needs_station_verification and (data.present_station is None or data.permanent_station is None):
        errors.setdefault("present_station", []).append(
            _("Choose the police stations of the present and the permanent address.")
        )
    errors.update(_vehicle_errors(data))
    if service.registration_kind and data.registration is None:
        errors.setdefault("registration", []).append(
            _("%(service)s files a registration: give the registrant, the address and the start date.")
            % {"service": service.display_name}
        )
    if service.output == Output.FIR_COPY:
        if data.fir is None:
            errors.setdefault("fir_number", []).append(_("No FIR has this number, station and year."))
        elif data.fir.complainant_cnic != data.applicant_cnic:
            errors.setdefault("applicant_cnic", []).append(
                _("This CNIC is not the complainant's CNIC on the FIR; a copy is given only to the complainant.")
            )
    if service.output == Output.COMPLAINT and (data.present_station is None or data.incident_at is None):
        errors.setdefault("incident_at", []).append(
            _("Give the time of the incident and the police station of the place.")
        )
    if data.token is not None and hasattr(data.token, "application"):
        errors.setdefault("token", []).append(
            _("Token %(number)s has already been used for an application.") % {"number": data.token}
        )
    if errors:
        raise ValidationError(errors)


def _someone_else_errors(data: ApplicationData) -> dict[str, list[str]]:
    """Return the errors of an application for someone else (a relative abroad): the person's own name and CNIC,
    the relation and the authority letter are all needed, or the document would carry the applicant's name."""
    errors: dict[str, list[str]] = {}
    if data.authority_letter is None:
        errors["authority_letter"] = [_("Upload the authority letter of the person you apply for.")]
    if not data.relation.strip():
        errors["relation"] = [_("Enter your relation to the person you apply for.")]
    if not data.subject_name.strip():
        errors["subject_name"] = [_("Enter the name of the person you apply for.")]
    if data.subject_cnic is None:
        errors["subject_cnic"] = [_("Enter the CNIC of the person you apply for.")]
    elif data.subject_cnic == data.applicant_cnic:
        errors["subject_cnic"] = [_("This is the applicant's own CNIC; enter the CNIC of the person you apply for.")]
    return errors


# ApplicationData's vehicle fields and the number kinds of fir.vehicles.
VEHICLE_FIELDS = {"vehicle_number": "registration", "chassis_number": "chassis", "engine_number": "engine"}


def _vehicle_errors(data: ApplicationData) -> dict[str, list[str]]:
    """Return the errors of the vehicle's numbers: each malformed one, or none given for a vehicle check."""
    from fir.vehicles import number_key

    errors: dict[str, list[str]] = {}
    given = {name: getattr(data, name) for name in VEHICLE_FIELDS if getattr(data, name).strip()}
    if data.service.needs_vehicle_check and not given:
        errors["vehicle_number"] = [_("Give the vehicle's registration, chassis or engine number.")]
    for name, value in given.items():
        try:
            number_key(VEHICLE_FIELDS[name], value)
        except ValidationError as exc:
            errors[name] = exc.message_dict[VEHICLE_FIELDS[name]]
    return errors


def application_create(*, centre: KhidmatCentre, acting_user: User, data: ApplicationData) -> Application:
    """Take an application at the counter: check it, record the fee, store the scans; start its service.

    Files are written first and deleted again if the transaction fails (nothing half-saved).
    """
    application_validate(data=data)
    with file_batch() as files:
        return _application_create(centre=centre, acting_user=acting_user, data=data, files=files)


@transaction.atomic
def _application_create(
    *, centre: KhidmatCentre, acting_user: User, data: ApplicationData, files: FileBatch
) -> Application:
    from khidmat.tasks import application_cro_check_task, application_notify_task, task_queue

    service = data.service
    now = timezone.now()
    token = None
    if data.token is not None:
        # Lock the token: two clerks must not both use it.
        token = Token.objects.select_for_update().get(pk=data.token.pk)
        if Application.objects.filter(token=token).exists():
            raise ValidationError(
                {"token": _("Token %(number)s has already been used for an application.") % {"number": token}}
            )
        _token_finish(token, now)
    payment = get_payment_recorder().record(centre=centre, amount=data.fee)
    subject_cnic = data.subject_cnic or data.applicant_cnic
    application = Application(
        centre=centre,
        service=service,
        token=token,
        applicant_cnic=data.applicant_cnic,
        applicant_name=data.applicant_name,
        applicant_phone=data.applicant_phone,
        for_someone_else=data.for_someone_else,
        relation=data.relation,
        subject_name=data.subject_name or data.applicant_name,
        subject_father_name=data.subject_father_name,
        subject_cnic=subject_cnic,
        subject_dob=data.subject_dob,
        present_address=data.present_address,
        present_station=data.present_station,
        permanent_address=data.permanent_address,
        permanent_station=data.permanent_station,
        details=data.details,
        vehicle_number=data.vehicle_number.upper().replace(" ", ""),
        chassis_number=data.chassis_number.strip().upper(),
        engine_number=data.engine_number.strip().upper(),
        fee=data.fee,
        receipt_number=payment.receipt_number,
        paid_at=_date_checked(SYSTEM, payment.paid_at, model=Application, name="paid_at", now=now),
        created_at=now,
        created_by=acting_user,
        promised_on=_date_checked(
            SCHEDULED,
            working_days_after(timezone.localdate(now), service.turnaround_days),
            model=Application,
            name="promised_on",
            now=now,
        ),
        fir=data.fir,
        sms_owed_since=now,  # the tracking SMS: cleared when sent, re-queued by the sweep if its task is lost
    )
    if data.authority_letter is not None:
        application.authority_letter = attachment_write(files, data.authority_letter, f"{STORAGE_PREFIX}/letters")
    if data.photo is not None:
        application.photo = attachment_write(files, data.photo, f"{STORAGE_PREFIX}/photos")
    # A collision among 2**60 numbers is vanishingly rare; retry rather than fail.
    for attempt in range(5):
        application.tracking_number = tracking_number_new()
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            if attempt == 4 or not Application.objects.filter(tracking_number=application.tracking_number).exists():
                raise
    ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(
                application=application,
                document=doc,
                path=(
                    attachment_write(files, data.scans[doc.pk], f"{STORAGE_PREFIX}/documents")
                    if doc.pk in data.scans
                    else ""
                ),
                original_name=data.scans[doc.pk].original_name if doc.pk in data.scans else "",
                sha256=data.scans[doc.pk].sha256 if doc.pk in data.scans else "",
            )
            for doc in data.documents
        ]
    )
    audit.record(
        actor=acting_user,
        action="khidmat.application_received",
        target=application,
        data={"service": service.code, "centre": centre.code, "fee": data.fee, "receipt": payment.receipt_number},
    )
    if service.registration_kind:
        _registration_file(application, data=data, acting_user=acting_user, files=files)
    _application_start(application, acting_user=acting_user, data=data, now=now)
    transaction.on_commit(lambda: task_queue(application_notify_task, application_id=application.pk))
    if service.needs_cro_check:
        transaction.on_commit(lambda: task_queue(application_cro_check_task, application_id=application.pk))
    return application


def _registration_file(application: Application, *, data: ApplicationData, acting_user: User, files: FileBatch) -> None:
    """File the service's registration (channel: Khidmat counter) in the application's transaction.

    The person is then matched against the CRO after commit exactly as an online registration is
    (registrations.matching -> alerts). A refused registration refuses the whole application: its
    errors are raised as ``registration.<field>`` so the counter form can name its own field.
    """
    if data.registration is None:  # application_validate refuses this first; never rely on an assert for it
        raise ValidationError({"registration": _("This service files a registration; none was given.")})
    try:
        registration = registration_file(
            data=dataclasses.replace(data.registration, kind=application.service.registration_kind),
            channel=RegistrationChannel.COUNTER,
            acting_user=acting_user,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise ValidationError({"registration": exc.messages}) from None
        raise ValidationError({f"registration.{k}": v for k, v in exc.message_dict.items()}) from None
    # Its photos go into the application's batch, so they are deleted if anything after this fails.
    files.names.extend(name for name in registration.persons.values_list("photo", flat=True) if name)
    application.registration = registration
    application.save(update_fields=["registration"])
    audit.record(
        actor=acting_user,
        action="khidmat.registration_filed",
        target=application,
        data={"registration": registration.pk, "kind": registration.kind},
    )


def _application_start(application: Application, *, acting_user: User, data: ApplicationData, now: Any) -> None:
    """Send the application on its way according to its service: checks, at-once issue, forwarding, complaint."""
    service = application.service
    if service.is_checked:
        application.status = Status.CHECKS
        application.save(update_fields=["status"])
        if service.needs_station_verification:
            verification_tasks_create(application=application, now=now)
        if service.needs_vehicle_check:
            vehicle_check(application=application, acting_user=acting_user)
        return
    if service.output == Output.FORWARDED:
        result = get_licensing_authority().forward(application)
        _decide(application, Status.FORWARDED, acting_user, result.message, now, forwarded_reference=result.reference)
    elif service.output == Output.COMPLAINT:
        complaint = complaint_file(
            data=ComplaintData(
                name=application.applicant_name,
                cnic=application.applicant_cnic,
                phone=application.applicant_phone,
                address=application.present_address or "-",
                station=data.present_station,
                category=Category.objects.get(code=COMPLAINT_CATEGORY),
                incident_place=data.incident_place or application.present_address or "-",
                incident_at=data.incident_at,
                description=_("%(details)s\n\n(Filed at %(centre)s, application %(number)s.)")
                % {"details": data.details, "centre": application.centre.name, "number": application.tracking_number},
                womens_desk=service.womens_desk,
            )
        )
        application.complaint = complaint
        application.save(update_fields=["complaint"])
        _decide(
            application, Status.REFERRED, acting_user,
            _("Registered as complaint %(number)s at %(station)s.")
            % {"number": complaint.tracking_number, "station": complaint.office_label},
            now,
        )  # fmt: skip
    else:
        # Loss reports and FIR copies are issued at once at the counter.
        _decide(application, Status.ISSUED, acting_user, "", now)


def _decide(
    application: Application, status: str, acting_user: User, outcome: str, now: Any, **extra: Any
) -> Application:
    application.status = status
    application.decided_at = now
    application.decided_by = acting_user
    application.outcome = outcome
    fields = ["status", "decided_at", "decided_by", "outcome"]
    for name, value in extra.items():
        setattr(application, name, value)
        fields.append(name)
    application.save(update_fields=fields)
    if status == Status.ISSUED and application.service.issues_document:
        _certificate_issue(application, acting_user=acting_user, now=now)
    audit.record(
        actor=acting_user, action=f"khidmat.application_{status}", target=application, data={"outcome": outcome}
    )
    return application


def _certificate_issue(application: Application, *, acting_user: User, now: datetime.datetime) -> Certificate:
    centre = application.centre
    year = timezone.localdate(now).year
    number = number_next(centre=centre, kind="serial", period=str(year))
    validity = application.service.validity_days
    certificate = Certificate.objects.create(
        application=application,
        serial=f"{centre.code}-{year}-{number:06d}",
        verify_key=secrets.token_urlsafe(24),
        holder_name=application.subject_name,
        issued_at=now,
        issued_by=acting_user,
        valid_until=_date_checked(
            SCHEDULED,
            timezone.localdate(now) + datetime.timedelta(days=validity) if validity else None,
            model=Certificate,
            name="valid_until",
            now=now,
        ),
    )
    audit.record(actor=acting_user, action="khidmat.certificate_issued", target=certificate)
    return certificate


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("service", "centre").get(pk=application.pk)


def application_advance(*, application: Application) -> Application:
    """Move an application whose checks are all in to the in-charge's decision. Call inside a transaction."""
    application = _locked(application)
    if application.status != Status.CHECKS:
        return application
    service = application.service
    if service.needs_cro_check:
        check = CroCheck.objects.filter(application=application).first()
        if check is None or not check.is_done:
            return application
    if application.verifications.filter(outcome=Outcome.PENDING).exists():
        return application
    application.status = Status.DECISION
    application.save(update_fields=["status"])
    audit.record(actor=None, action="khidmat.application_checks_complete", target=application)
    return application


def application_findings(application: Application) -> list[str]:
    """Return what the checks found against the person (empty when nothing was found)."""
    found = []
    check = CroCheck.objects.filter(application=application).first()
    if check is not None and check.status == CroCheckStatus.RECORD:
        found.append(_("The CRO holds a record of this person."))
    for task in application.verifications.filter(outcome=Outcome.RECORD_FOUND).select_related("station"):
        found.append(_("%(station)s found a record (%(ref)s).") % {"station": task.station, "ref": task.reference})
    if application.vehicle_hits:
        found.append(_("The vehicle is on the stolen-vehicle list."))
    return found


@transaction.atomic
def application_decide(*, application: Application, acting_user: User, issue: bool, reason: str) -> Application:
    """The in-charge issues or refuses an application whose checks are in; a refusal needs a reason."""
    from khidmat.tasks import application_notify_task, task_queue

    application = _locked(application)
    if application.status != Status.DECISION:
        raise ValidationError(
            _("Only an application whose checks are complete can be decided; this one is: %(status)s.")
            % {"status": application.get_status_display()},
            code="not_ready",
        )
    reason = reason.strip()
    if issue and application_findings(application):
        raise ValidationError(
            {"reason": _("A record was found; this application can only be refused, with a reason.")}, code="record"
        )
    if not issue and not reason:
        raise ValidationError({"reason": _("Write the reason for refusing; the citizen will see it.")}, code="reason")
    now = timezone.now()
    # The decision owes the applicant an SMS (one still owed keeps its older time: the sweep's order).
    owed = application.sms_owed_since or now
    _decide(application, Status.ISSUED if issue else Status.REFUSED, acting_user, reason, now, sms_owed_since=owed)
    transaction.on_commit(lambda: task_queue(application_notify_task, application_id=application.pk))
    return application


def application_sms_send(*, application_id: int) -> bool:
    """Text the applicant the tracking number and status if the application owes an SMS; return whether it did.

    Idempotent: under the application's row lock the SMS is sent and the debt cleared together, so the
    counter's task and the sweep's re-queued one (or a retry) send it once: a concurrent run waits for the
    lock and then finds nothing owed. The lock is held for the gateway's answer. A gateway error rolls the
    clearing back and the task is retried.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("service")
            .filter(pk=application_id, sms_owed_since__isnull=False)
            .first()
        )
        if application is None:
            return False
        with translation.override("en"):
            subject = _("Khidmat Markaz application %(number)s") % {"number": application.tracking_number}
            body = _("%(service)s: %(status)s. Tracking number %(number)s; promised by %(date)s.") % {
                "service": application.service.name,
                "status": application.get_status_display(),
                "number": application.tracking_number,
                "date": application.promised_on.strftime("%d-%m-%Y"),
            }
            if application.outcome:
                body += " " + application.outcome
        notify(to=application.applicant_phone, subject=subject, body=body, channel="sms")
        application.sms_owed_since = None
        application.save(update_fields=["sms_owed_since"])
    return True


def applications_sms_owed(*, older_than: datetime.timedelta, limit: int) -> list[int]:
    """Return the ids of applications owing their applicant an SMS for longer than ``older_than``, oldest first."""
    cutoff = timezone.now() - older_than
    return list(
        Application.objects.filter(sms_owed_since__lt=cutoff)
        .order_by("sms_owed_since")
        .values_list("id", flat=True)[:limit]
    )


# --- checks --------------------------------------------------------------------------------------


def verification_tasks_create(*, application: Application, now: datetime.datetime) -> list[VerificationTask]:
    """Send a task to each station of the person's present and permanent address (one if they are the same)."""
    addresses: dict[int, list[str]] = {}
    stations: dict[int, PoliceStation] = {}
    for kind, station in (("present", application.present_station), ("permanent", application.permanent_station)):
        if station is not None:
            addresses.setdefault(station.pk, []).append(kind)
            stations[station.pk] = station
    due = now + datetime.timedelta(days=application.service.verification_days)
    tasks = [
        VerificationTask.objects.create(
            application=application, station=stations[pk], addresses=",".join(kinds), created_at=now, due_at=due
        )
        for pk, kinds in addresses.items()
    ]
    for task in tasks:
        audit.record(actor=None, action="khidmat.verification_sent", target=task, station_id=task.station_id)
    return tasks


@transaction.atomic
def verification_complete(
    *, task: VerificationTask, acting_user: User, outcome: str, reference: str = "", note: str = ""
) -> VerificationTask:
    """Record a station's answer (no record / record found with a reference / address not verified)."""
    task = VerificationTask.objects.select_for_update().select_related("application").get(pk=task.pk)
    if task.outcome != Outcome.PENDING:
        raise ValidationError(_("This verification has already been answered."), code="done")
    if outcome not in (Outcome.NO_RECORD, Outcome.RECORD_FOUND, Outcome.NOT_VERIFIED):
        raise ValidationError({"outcome": _("Choose the outcome of the verification.")}, code="outcome")
    if outcome == Outcome.RECORD_FOUND and not reference.strip():
        raise ValidationError({"reference": _("Give the reference of the record found.")}, code="reference")
    if outcome == Outcome.NOT_VERIFIED and not note.strip():
        raise ValidationError({"note": _("Say why the address could not be verified.")}, code="note")
    task.outcome = outcome
    task.reference = reference.strip()
    task.note = note.strip()
    task.done_at = max(timezone.now(), task.created_at)
    task.done_by = acting_user
    task.save(update_fields=["outcome", "reference", "note", "done_at", "done_by"])
    audit.record(actor=acting_user, action="khidmat.verification_answered", target=task, data={"outcome": outcome})
    application_advance(application=task.application)
    return task


def verifications_sweep_overdue(*, now: datetime.datetime | None = None) -> int:
    """Flag pending verification tasks past their deadline and escalate them to the district officers."""
    from khidmat.tasks import verifications_notify_escalation

    now = now or timezone.now()
    with transaction.atomic():
        tasks = list(
            VerificationTask.objects.select_for_update(skip_locked=True)
            .filter(outcome=Outcome.PENDING, is_overdue=False, due_at__lt=now)
            .select_related("station")
        )
        per_district: dict[int, int] = {}
        for task in tasks:
            task.is_overdue = True
            task.escalated_at = now
            per_district[task.station.district_id] = per_district.get(task.station.district_id, 0) + 1
            audit.record(
                actor=None,
                action="khidmat.verification_escalated",
                target=task,
                data={"due_at": task.due_at.isoformat()},
            )
        VerificationTask.objects.bulk_update(tasks, ["is_overdue", "escalated_at"])
        for district_id, count in per_district.items():
            transaction.on_commit(
                lambda d=district_id, c=count: verifications_notify_escalation.delay(district_id=d, count=c)
            )
    return len(tasks)


def vehicle_check(*, application: Application, acting_user: User) -> list[int]:
    """Check the vehicle on the stolen list (alerts.vehicles: structured numbers of theft FIRs); store the FIR
    ids found. A stolen vehicle alerts the theft FIR's station; the citizen is told only that the
    verification was referred to the police."""
    from alerts.models import CheckChannel
    from alerts.vehicles import vehicle_check as stolen_list_check

    hits: list[int] = []
    if application.vehicle_number or application.chassis_number or application.engine_number:
        result = stolen_list_check(
            acting_user=acting_user,
            channel=CheckChannel.KHIDMAT,
            registration=application.vehicle_number,
            chassis=application.chassis_number,
            engine=application.engine_number,
            place=str(application.centre),
            reference=application.tracking_number,
        )
        hits = sorted({v.fir_id for v in result.stolen})
    application.vehicle_hits = hits
    application.save(update_fields=["vehicle_hits"])
    audit.record(actor=None, action="khidmat.vehicle_checked", target=application, data={"hits": hits})
    application_advance(application=application)
    return hits


@transaction.atomic
def cro_check_store(*, application_id: int, hits: list[Any], face_status: str, face_message: str) -> CroCheck:
    """Store the CRO check of an application with every candidate; a clear check moves it on. Idempotent."""
    from khidmat.models import CroCandidate

    application = Application.objects.select_for_update().get(pk=application_id)
    existing = CroCheck.objects.filter(application=application).first()
    if existing is not None:
        return existing
    check = CroCheck.objects.create(
        application=application,
        status=CroCheckStatus.REVIEW if hits else CroCheckStatus.CLEAR,
        face_status=face_status,
        face_message=face_message[:255],
    )
    CroCandidate.objects.bulk_create(
        [
            CroCandidate(
                cro_check=check, record_id=h.record_id, kind=h.kind, score=min(100.0, max(0.0, h.score)),
                distance=h.distance, reasons=h.reasons,
            )
            for h in hits
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    audit.record(
        actor=None,
        action="khidmat.cro_checked",
        target=application,
        data={"status": check.status, "candidates": [[h.kind, h.record_id, h.score] for h in hits]},
    )
    application_advance(application=application)
    return check


@transaction.atomic
def cro_check_review(*, check: CroCheck, acting_user: User, is_record: bool, note: str) -> CroCheck:
    """A CRO officer decides whether the candidates are the person (record) or not (cleared), with a note."""
    check = CroCheck.objects.select_for_update().get(pk=check.pk)
    if check.status != CroCheckStatus.REVIEW:
        raise ValidationError(_("This check has already been reviewed."), code="done")
    if not note.strip():
        raise ValidationError({"note": _("Write what you compared and why you decided so.")}, code="note")
    check.status = CroCheckStatus.RECORD if is_record else CroCheckStatus.CLEARED
    check.reviewed_by = acting_user
    check.reviewed_at = max(timezone.now(), check.checked_at)
    check.review_note = note.strip()
    check.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor=acting_user, action="khidmat.cro_reviewed", target=check.application, data={"status": check.status}
    )
    application_advance(application=check.application)
    return check


# --- certificates --------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, acting_user: User, reason: str) -> Certificate:
    """Revoke a certificate with a reason (audited); its QR page says "revoked" from now on."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason for revoking the certificate.")}, code="reason")
    certificate.revoked_at = max(timezone.now(), certificate.issued_at)
    certificate.revoked_by = acting_user
    certificate.revoke_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=acting_user, action="khidmat.certificate_revoked", target=certificate, data={"reason": reason.strip()}
    )
    return certificate
