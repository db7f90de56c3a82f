"""Reads of complaints: officers' reads are scoped to their jurisdiction; the citizen's by tracking number."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casp.cnic import CNIC
from casp.models import User
from casp.phone import phone_normalise
from casp.roles import DISTRICT_ROLES, Role, user_roles
from complaints.identifiers import tracking_number_normalise
from complaints.models import OPEN_STATUSES, Category, Complaint, ComplaintEvent, Status
from stations.models import PoliceStation, Posting
from stations.selectors import officers_at_station, stations_for_user

SIMILAR_WINDOW = timedelta(days=7)
# Officer roles that work on complaints.
COMPLAINT_ROLES = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER)
# Roles that see the women's desk's complaints (violence-against-women reports); others never list them.
WOMENS_DESK_ROLES = frozenset({Role.SHO.value, Role.DISTRICT_OFFICER.value})


def complaints_for_user(user: User) -> QuerySet[Complaint]:
    """Return the complaints ``user`` may see (lazy; one query when evaluated).

    Station officers see the complaints their stations handle, never the
    police-conduct complaints about their own station (those are handled by
    the district). District officers see every complaint of their districts.
    The jurisdiction comes from ``stations_for_user``; its ids are read once per
    request (two small queries) and passed as literals, so PostgreSQL can use
    the per-station and per-district indexes instead of scanning the table.
    """
    if not user.is_authenticated:
        return Complaint.objects.none()
    if user.is_superuser or Role.SYSTEM_ADMIN in user_roles(user):
        return Complaint.objects.all()
    scope = getattr(user, "_complaint_scope", None)
    if scope is None:
        district_ids = list(
            Posting.objects.active().filter(user=user, district__isnull=False).values_list("district_id", flat=True)
        )
        # A district posting covers every station of the district (and its district office); the
        # stations left are those of station postings elsewhere.
        station_ids = list(
            stations_for_user(user).exclude(district_id__in=district_ids).order_by().values_list("pk", flat=True)
        )
        scope = (station_ids, district_ids)
        user._complaint_scope = scope  # type: ignore[attr-defined]
    station_ids, district_ids = scope
    match = Q(pk__in=[])
    if station_ids:
        match |= Q(handling_station_id__in=station_ids)
    if district_ids:
        match |= Q(district_id__in=district_ids)
    qs = Complaint.objects.filter(match)
    if not (user_roles(user) & WOMENS_DESK_ROLES):
        qs = qs.filter(womens_desk=False)
    return qs


def complaint_get_for_user(user: User, *, pk: int) -> Complaint:
    """Return complaint ``pk`` if ``user`` may see it, else raise Http404 (never 403)."""
    complaint = (
        complaints_for_user(user)
        .select_related("category", "district", "station", "handling_station", "assigned_to", "fir")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint.")
    return complaint


def complaint_for_citizen(pk: int) -> Complaint | None:
    """Return the complaint a citizen filed or looked up in this session (its id kept in the session), or None."""
    return Complaint.objects.select_related("category", "district", "handling_station").filter(pk=pk).first()


def complaint_lookup(*, tracking_number: str, phone_or_cnic: str) -> Complaint | None:
    """Return the complaint whose number and phone (or CNIC) both match, else None.

    A wrong pair and an unknown number take the same path (one query on the
    unique tracking-number index), so the answer does not reveal which it was.
    """
    number = tracking_number_normalise(tracking_number)
    secret = str(phone_or_cnic or "").strip()
    match = Q(pk__in=[])
    # Not a phone number or not a CNIC: that half of the match is simply empty.
    with contextlib.suppress(ValidationError):
        match |= Q(phone=phone_normalise(secret))
    with contextlib.suppress(ValidationError):
        match |= Q(cnic=CNIC.normalise(secret))
    return (
        Complaint.objects.select_related("category", "district", "handling_station")
        .filter(match, tracking_number=number or "-")
        .first()
    )


def complaint_public_timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """Return the events the citizen sees (kind, time, public note; never internal notes or names)."""
    return complaint.events.only("kind", "created_at", "public_note", "to_status").order_by("created_at", "id")


def complaint_timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """Return every event of ``complaint`` with its actor, for officers."""
    return complaint.events.select_related("actor").order_by("created_at", "id")


def complaint_similar_recent(*, phone: str, cnic: str, category: Category, now: object = None) -> Complaint | None:
    """Return a complaint with the same phone, CNIC and category filed in the last 7 days, if any.

    Both the phone and the CNIC must match: a phone number alone is too easily known to strangers.
    """
    since = (now or timezone.now()) - SIMILAR_WINDOW
    return (
        Complaint.objects.filter(phone=phone, cnic=cnic, category=category, created_at__gte=since)
        .only("pk", "created_at")
        .order_by("-created_at")
        .first()
    )


def station_nearest(*, district_id: int, latitude: float, longitude: float) -> PoliceStation | None:
    """Return the active station of the district nearest to a point (flat-earth distance; fine within a city)."""
    from django.db.models import F, FloatField
    from django.db.models.functions import Cast, Power

    return (
        PoliceStation.objects.filter(district_id=district_id, is_active=True, latitude__isnull=False)
        .annotate(
            d2=Power(Cast(F("latitude"), FloatField()) - latitude, 2)
            + Power(Cast(F("longitude"), FloatField()) - longitude, 2)
        )
        .order_by("d2")
        .first()
    )


def officers_for_complaint(complaint: Complaint) -> QuerySet[User]:
    """Return the officers a complaint may be assigned to: police officers who can open it.

    For a station's complaint: the station's officers in a complaint role
    (COMPLAINT_ROLES; never Khidmat Markaz staff, who cannot open complaints).
    For a police-conduct complaint: the district's officers and officers of the
    district's other stations, never an officer of the station complained about.
    """
    if complaint.handling_station_id is not None:
        return officers_at_station(complaint.handling_station, roles=COMPLAINT_ROLES)
    active = Posting.objects.active()
    postings = active.filter(
        Q(district_id=complaint.district_id)
        | Q(station__district_id=complaint.district_id) & ~Q(station_id=complaint.station_id),
        role__in=[str(r) for r in COMPLAINT_ROLES],
    )
    excluded = active.filter(station_id=complaint.station_id)
    users = User.objects.filter(pk__in=postings.values("user_id"), is_active=True)
    return users.exclude(pk__in=excluded.values("user_id")).order_by("first_name", "last_name", "username")


BOXES = ("inbox", "mine", "overdue", "resolved")


@dataclass(frozen=True)
class InboxFilter:
    box: str = "inbox"
    category_id: int | None = None
    status: str = ""
    station_id: int | None = None
    district_office: bool = False
    filed_from: date | None = None
    filed_to: date | None = None


def complaints_inbox(user: User, flt: InboxFilter) -> QuerySet[Complaint]:
    """Return one box of the user's complaints, filtered, overdue first (one query; related rows joined)."""
    qs = complaints_for_user(user)
    qs = _filtered(qs, flt)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.box == "mine":
        qs = qs.filter(assigned_to=user, status__in=OPEN_STATUSES)
    elif flt.box == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, is_overdue=True)
    elif flt.box == "resolved":
        qs = qs.exclude(status__in=OPEN_STATUSES)
        return qs.select_related("category", "handling_station", "assigned_to").order_by("-created_at", "-id")
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.select_related("category", "handling_station", "assigned_to").order_by(
        "-is_overdue", "reply_due_at", "id"
    )


def complaints_status_counts(user: User, flt: InboxFilter) -> dict[str, int]:
    """Return {status: count} of the user's complaints under the same filters (one GROUP BY query)."""
    qs = _filtered(complaints_for_user(user), flt)
    # COUNT(*) reads no column outside the (station|district, status) indexes: an index-only scan.
    rows = qs.order_by().values("status").annotate(n=Count("*"))
    counts = {s.value: 0 for s in Status}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def _filtered(qs: QuerySet[Complaint], flt: InboxFilter) -> QuerySet[Complaint]:
    if flt.category_id:
        qs = qs.filter(category_id=flt.category_id)
    if flt.district_office:
        qs = qs.filter(handling_station__isnull=True)
    elif flt.station_id:
        qs = qs.filter(handling_station_id=flt.station_id)
    # Whole local days, as a range on the column (an index can serve it; __date cannot).
    if flt.filed_from:
        qs = qs.filter(created_at__gte=_day_start(flt.filed_from))
    if flt.filed_to:
        qs = qs.filter(created_at__lt=_day_start(flt.filed_to + timedelta(days=1)))
    return qs


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def user_is_district_officer(user: User) -> bool:
    return bool(user_roles(user) & {r.value for r in DISTRICT_ROLES})
