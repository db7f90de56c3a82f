"""Reads scoped to the acting user's jurisdiction."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from casp.cnic import CNIC
from casp.models import AuditEvent, User
from casp.roles import Role, user_roles
from stations.models import DiaryEntry, PoliceStation, Posting, RegisterEntry, RegisterEntryVersion


def postings_active_for_user(user: User) -> list[Posting]:
    """Return the user's postings in force today, with station and district loaded."""
    if not user.is_authenticated:
        return []
    return list(Posting.objects.active().filter(user=user).select_related("station__district", "district"))


def user_is_system_admin(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or Role.SYSTEM_ADMIN in user_roles(user)))


def stations_for_user(user: User, *, roles: Iterable[str] | None = None) -> QuerySet[PoliceStation]:
    """Return the stations ``user`` may see: their posted stations and every station of their districts.

    With ``roles``, only postings in one of those roles count (e.g.
    casp.roles.POLICE_ROLES: a Khidmat Markaz posting gives no police
    jurisdiction). A system administrator sees all stations; anyone else
    without an active posting sees none. Returns a lazy queryset (one query
    when evaluated).
    """
    if not user.is_authenticated:
        return PoliceStation.objects.none()
    if user_is_system_admin(user):
        return PoliceStation.objects.all()
    return stations_posted(user_id=user.pk, roles=roles)


def stations_posted(
    *, user_id: int, roles: Iterable[str] | None = None, day: datetime.date | None = None
) -> QuerySet[PoliceStation]:
    """Return the stations of the postings of user ``user_id`` in force on ``day`` (today), lazily: each
    posted station and every station of each posted district (``stations_for_user`` for anyone but a
    system administrator)."""
    active = Posting.objects.active(on=day).filter(user_id=user_id)
    if roles is not None:
        active = active.filter(role__in=[str(r) for r in roles])
    return PoliceStation.objects.filter(
        Q(pk__in=active.filter(station__isnull=False).values("station_id"))
        | Q(district_id__in=active.filter(district__isnull=False).values("district_id"))
    )


def station_get_for_user(user: User, *, code: str, write: bool = False) -> PoliceStation:
    """Return the station ``code`` if ``user`` may see it (and with ``write``, change its records).

    The one place that decides "visible but not writable" (in the manner of
    healthchecks' ``_get_rw_project_for_user``): a station outside the user's
    jurisdiction raises Http404, revealing nothing; a station the user sees but
    is not posted at (a district officer's station) raises PermissionDenied
    (403) when ``write`` is asked, since its existence is no secret to them.
    """
    station = stations_for_user(user).select_related("district__province").filter(code=code).first()
    if station is None:
        raise Http404("No such police station.")
    if write and not station_writable(user, station):
        raise PermissionDenied
    return station


def station_writable(user: User, station: PoliceStation) -> bool:
    """Return True if ``user`` may change ``station``'s records: posted at it, or a system administrator."""
    return user_is_system_admin(user) or station_is_posted(user, station)


def register_entries_for_station(
    user: User,
    *,
    station: PoliceStation,
    register: str,
    query: str = "",
    year: int | None = None,
    date_from: object = None,
    date_to: object = None,
    include_void: bool = True,
    before: tuple[int, int] | None = None,
) -> QuerySet[RegisterEntry]:
    """Return the entries of ``register`` at ``station`` (already scoped by station_get_for_user), newest first.

    Ordered on the (station, register, year, number) unique index; ``before``
    is the (year, number) keyset cursor of the next page, so deep pages cost
    the same as the first. ``user`` is the reader (kept for symmetry with
    other selectors; scoping happened when ``station`` was fetched).
    """
    qs = RegisterEntry.objects.filter(station=station, register=register).select_related("created_by")
    if query:
        match = Q(search_text__contains=query.lower())
        with contextlib.suppress(ValidationError):
            # CNIC columns hold 13 digits: a CNIC typed with dashes or spaces finds them too.
            match |= Q(search_text__contains=CNIC.normalise(query))
        qs = qs.filter(match)
    if year:
        qs = qs.filter(year=year)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if not include_void:
        qs = qs.filter(is_void=False)
    if before is not None:
        qs = qs.filter(Q(year__lt=before[0]) | Q(year=before[0], number__lt=before[1]))
    return qs.order_by("-year", "-number")


def register_entry_get_for_user(user: User, *, station: PoliceStation, register: str, pk: int) -> RegisterEntry:
    """Return one entry of ``register`` at ``station`` with its versions, or raise Http404."""
    entry = (
        RegisterEntry.objects.filter(station=station, register=register, pk=pk)
        .select_related("created_by", "voided_by", "station")
        .prefetch_related(Prefetch("versions", queryset=RegisterEntryVersion.objects.select_related("created_by")))
        .first()
    )
    if entry is None:
        raise Http404("No such register entry.")
    return entry


def diary_for_day(station: PoliceStation, day: object) -> QuerySet[DiaryEntry]:
    """Return the daily diary entries of ``station`` made on ``day`` (local date), in order."""
    import datetime as dt

    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))  # type: ignore[arg-type]
    return (
        DiaryEntry.objects.filter(station=station, created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
        .select_related("created_by")
        .order_by("year", "number")
    )


def station_is_posted(user: User, station: PoliceStation) -> bool:
    """Return True if ``user`` holds an active posting at ``station`` itself (not only its district)."""
    return Posting.objects.active().filter(user=user, station=station).exists()


def officers_at_station(station: PoliceStation, *, roles: Iterable[str]) -> QuerySet[User]:
    """Return the active users holding an active posting in one of ``roles`` at ``station``, by name (lazy)."""
    postings = Posting.objects.active().filter(station=station, role__in=[str(r) for r in roles])
    return User.objects.filter(pk__in=postings.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    """Return the audit events ``user`` may read, newest first, actors loaded (lazy).

    The administrator reads every event; an SHO or district officer the events
    at the stations of their jurisdiction; anyone else none.
    """
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    roles = user_roles(user)
    if user.is_superuser or Role.SYSTEM_ADMIN in roles:
        return events
    if not roles & {Role.SHO.value, Role.DISTRICT_OFFICER.value}:
        return events.none()
    return events.filter(station_id__in=stations_for_user(user).values("pk"))
