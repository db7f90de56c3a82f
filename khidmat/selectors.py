"""Reads of the Khidmat Markaz, scoped to the acting user: centre staff see their centre, stations their
own verification tasks, CRO officers the checks of their districts' centres; the citizen by tracking number."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from casp.models import User
from casp.phone import phone_normalise
from casp.roles import Role, user_roles
from complaints.identifiers import tracking_number_normalise
from khidmat.models import (
    Application,
    CentreStaff,
    Certificate,
    CroCheck,
    CroCheckStatus,
    KhidmatCentre,
    Outcome,
    ServiceType,
    Status,
    Token,
    TokenStatus,
    VerificationTask,
)
from stations.selectors import stations_for_user


def _is_admin(user: User) -> bool:
    return user.is_superuser or Role.SYSTEM_ADMIN in user_roles(user)


def centres_for_user(user: User) -> QuerySet[KhidmatCentre]:
    """Return the centres ``user`` works at (active CentreStaff rows), or supervises as a district officer."""
    if not user.is_authenticated:
        return KhidmatCentre.objects.none()
    if _is_admin(user):
        return KhidmatCentre.objects.all()
    today = timezone.localdate()
    staff = CentreStaff.objects.filter(user=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    match = Q(pk__in=staff.values("centre_id"))
    if Role.DISTRICT_OFFICER in user_roles(user):
        match |= Q(district_id__in=stations_for_user(user).values("district_id"))
    return KhidmatCentre.objects.filter(match)


def centre_get_for_user(user: User, *, code: str) -> KhidmatCentre:
    centre = centres_for_user(user).select_related("district").filter(code=code).first()
    if centre is None:
        raise Http404("No such centre.")
    return centre


def user_is_incharge(user: User, centre: KhidmatCentre) -> bool:
    """Return True if ``user`` is the in-charge of ``centre`` today (role and binding both)."""
    if _is_admin(user):
        return True
    if Role.KHIDMAT_INCHARGE not in user_roles(user):
        return False
    today = timezone.localdate()
    return (
        CentreStaff.objects.filter(user=user, centre=centre, is_incharge=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )


def applications_for_user(user: User) -> QuerySet[Application]:
    return Application.objects.filter(centre__in=centres_for_user(user))


def application_get_for_user(user: User, *, pk: int) -> Application:
    """Return application ``pk`` with its checks, if ``user`` may see it; else raise Http404."""
    application = (
        applications_for_user(user)
        .select_related(
            "centre", "service", "token", "present_station", "permanent_station", "created_by", "decided_by", "fir",
            "complaint", "cro_check__reviewed_by", "certificate",
        )
        .prefetch_related("documents__document", "verifications__station", "cro_check__candidates__record")
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if application is None:
        raise Http404("No such application.")
    return application


def applications_list(user: User, *, centre: KhidmatCentre, status: str = "") -> QuerySet[Application]:
    """Return the centre's applications, newest first (one query; service and token joined)."""
    qs = applications_for_user(user).filter(centre=centre)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("service", "token").order_by("-created_at", "-id")


def tokens_waiting(centre: KhidmatCentre, day: datetime.date | None = None) -> QuerySet[Token]:
    return (
        Token.objects.filter(centre=centre, day=day or timezone.localdate(), status=TokenStatus.WAITING)
        .select_related("service")
        .order_by("number")
    )


def tokens_serving(centre: KhidmatCentre, day: datetime.date | None = None) -> QuerySet[Token]:
    return (
        Token.objects.filter(centre=centre, day=day or timezone.localdate(), status=TokenStatus.SERVING)
        .select_related("service", "called_by")
        .order_by("counter_number")
    )


def token_get_for_user(user: User, *, pk: int) -> Token:
    token = Token.objects.filter(centre__in=centres_for_user(user), pk=pk).select_related("centre", "service").first()
    if token is None:
        raise Http404("No such token.")
    return token


def verification_tasks_for_user(user: User) -> QuerySet[VerificationTask]:
    """Return the verification tasks of the stations ``user`` may see (a station sees only its own)."""
    return VerificationTask.objects.filter(station__in=stations_for_user(user))


def verification_inbox(user: User, *, box: str = "open") -> QuerySet[VerificationTask]:
    qs = verification_tasks_for_user(user).select_related("application__service", "station")
    if box == "overdue":
        return qs.filter(outcome=Outcome.PENDING, is_overdue=True).order_by("due_at", "id")
    if box == "done":
        return qs.exclude(outcome=Outcome.PENDING).order_by("-done_at", "-id")
    return qs.filter(outcome=Outcome.PENDING).order_by("-is_overdue", "due_at", "id")


def verification_get_for_user(user: User, *, pk: int) -> VerificationTask:
    task = (
        verification_tasks_for_user(user)
        .select_related("application__service", "application__centre", "station")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404("No such verification task.")
    return task


def cro_checks_for_user(user: User) -> QuerySet[CroCheck]:
    """Return the CRO checks of the centres in the districts of ``user``'s postings (CRO officers review them)."""
    if _is_admin(user):
        return CroCheck.objects.all()
    return CroCheck.objects.filter(application__centre__district_id__in=stations_for_user(user).values("district_id"))


def cro_review_queue(user: User) -> QuerySet[CroCheck]:
    return (
        cro_checks_for_user(user)
        .filter(status=CroCheckStatus.REVIEW)
        .select_related("application__service", "application__centre")
        .annotate(candidate_count=Count("candidates"))
        .order_by("checked_at")
    )


def cro_check_get_for_user(user: User, *, pk: int) -> CroCheck:
    check = (
        cro_checks_for_user(user)
        .select_related("application__service", "application__centre")
        .prefetch_related("candidates__record")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise Http404("No such CRO check.")
    return check


def application_lookup(*, tracking_number: str, phone: str) -> Application | None:
    """Return the application whose number and applicant's phone both match, else None.

    A wrong pair and an unknown number take the same path (one query on the unique index).
    """
    number = tracking_number_normalise(tracking_number) or "-"
    match = Q(pk__in=[])
    with contextlib.suppress(ValidationError):
        match = Q(applicant_phone=phone_normalise(phone))
    return Application.objects.select_related("service", "centre").filter(match, tracking_number=number).first()


def service_get_active(*, code: str) -> ServiceType:
    """Return the active service ``code`` with its documents; Http404 if there is none."""
    service = ServiceType.objects.filter(code=code, is_active=True).prefetch_related("documents").first()
    if service is None:
        raise Http404("No such service.")
    return service


def application_tracked(*, pk: int) -> Application | None:
    """Return the application a citizen's session tracks (found earlier by number and phone), for its status page."""
    return (
        Application.objects.select_related("service", "centre", "certificate")
        .prefetch_related("verifications", "documents__document", "service__documents")
        .filter(pk=pk)
        .first()
    )


def certificate_by_key(key: str) -> Certificate:
    """Return the certificate whose verification key is ``key``, or raise Http404 (public QR page)."""
    certificate = Certificate.objects.select_related("application__service").filter(verify_key=key).first()
    if certificate is None or not key:
        raise Http404("Invalid verification code.")
    return certificate


@dataclass(frozen=True)
class Dashboard:
    waiting: int
    avg_wait: datetime.timedelta | None
    avg_service: datetime.timedelta | None
    by_status: list[tuple[str, str, int]]
    overdue_by_station: list[dict]
    fees: list[dict]


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def fees_by_service(centre: KhidmatCentre, day: datetime.date) -> list[dict]:
    """Return [{service, count, total}] of the fees received at ``centre`` on ``day`` (one GROUP BY query)."""
    start, end = _day_bounds(day)
    return list(
        Application.objects.filter(centre=centre, paid_at__gte=start, paid_at__lt=end)
        .values("service__code", "service__name", "service__name_ur")
        .annotate(count=Count("id"), total=Sum("fee"))
        .order_by("service__name")
    )


def fee_receipts(centre: KhidmatCentre, day: datetime.date) -> QuerySet[Application]:
    start, end = _day_bounds(day)
    return (
        Application.objects.filter(centre=centre, paid_at__gte=start, paid_at__lt=end)
        .select_related("service")
        .order_by("receipt_number")
    )


def centre_dashboard(centre: KhidmatCentre, day: datetime.date | None = None) -> Dashboard:
    """Return the centre's figures for ``day`` (today): five aggregate queries whatever the volume."""
    day = day or timezone.localdate()
    tokens = Token.objects.filter(centre=centre, day=day)
    waiting = tokens.filter(status=TokenStatus.WAITING).count()
    times = tokens.filter(called_at__isnull=False).aggregate(
        wait=Avg(ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())),
        service=Avg(
            ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField()),
            filter=Q(finished_at__isnull=False),
        ),
    )
    counts = dict(Application.objects.filter(centre=centre).order_by().values_list("status").annotate(n=Count("id")))
    by_status = [(s.value, str(s.label), counts.get(s.value, 0)) for s in Status]
    overdue = list(
        VerificationTask.objects.filter(application__centre=centre, outcome=Outcome.PENDING, is_overdue=True)
        .values("station__name", "station__code")
        .annotate(n=Count("id"))
        .order_by("-n", "station__name")
    )
    return Dashboard(waiting, times["wait"], times["service"], by_status, overdue, fees_by_service(centre, day))
