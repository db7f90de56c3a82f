"""Reads scoped to the acting user: officers by station jurisdiction, hotel staff by their one hotel.

Officers' jurisdiction counts only police postings (casp.roles.POLICE_ROLES): Khidmat Markaz staff
posted at a station never see its hotels, guests or alerts.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alerts import selectors as alerts_selectors
from alerts.models import Alert, SourceKind
from casp.models import User
from casp.roles import POLICE_ROLES
from hoteleye.models import CheckIn, Companion, Hotel, HotelStaff, MatchStatus
from stations.models import PoliceStation
from stations.selectors import stations_for_user


def police_stations_for_user(user: User) -> QuerySet[PoliceStation]:
    """Return the stations in the user's police jurisdiction (lazy): Khidmat postings do not count."""
    return stations_for_user(user, roles=POLICE_ROLES)


def hotels_for_user(user: User) -> QuerySet[Hotel]:
    """Return the hotels whose owning station is in the user's police jurisdiction (lazy)."""
    return Hotel.objects.filter(station__in=police_stations_for_user(user))


def hotel_get_for_user(user: User, *, code: str) -> Hotel:
    """Return hotel ``code`` if the officer's jurisdiction holds it, else raise Http404."""
    hotel = hotels_for_user(user).select_related("station", "district").filter(code=code).first()
    if hotel is None:
        raise Http404("No such hotel.")
    return hotel


def hotel_for_staff(user: User) -> Hotel | None:
    """Return the one hotel ``user`` works for (active binding, active hotel), or None."""
    if not user.is_authenticated:
        return None
    staff = (
        HotelStaff.objects.select_related("hotel__station")
        .filter(user=user, is_active=True, hotel__is_active=True)
        .first()
    )
    return staff.hotel if staff else None


def checkins_for_hotel(
    hotel: Hotel, *, query: str = "", open_only: bool = False, late_only: bool = False
) -> QuerySet[CheckIn]:
    """Return the hotel's check-ins, newest first, optionally searched by name, document or room."""
    qs = CheckIn.objects.filter(hotel=hotel).prefetch_related("companions")
    if open_only:
        qs = qs.filter(checked_out_at__isnull=True)
    if late_only:
        qs = qs.filter(is_late=True)
    query = query.strip()
    if query:
        # Phones are stored as digits and CNICs as 13 digits: match them without the separators typed.
        digits = re.sub(r"[\s\-()]", "", query)
        cond = (
            Q(name__icontains=query)
            | Q(father_name__icontains=query)
            | Q(passport_number__iexact=query)
            | Q(room__iexact=query)
            | Q(phone__icontains=query)
        )
        if re.fullmatch(r"\+?[0-9]{4,}", digits):
            cond |= Q(phone__icontains=digits)
        if re.fullmatch(r"[0-9]{13}", digits):
            cond |= Q(cnic=digits)
        qs = qs.filter(cond)
    return qs.order_by("-checked_in_at", "-id")


def checkin_get_for_hotel(hotel: Hotel, *, checkin_id: int) -> CheckIn:
    """Return the hotel's check-in ``checkin_id``; another hotel's id raises Http404."""
    checkin = CheckIn.objects.filter(hotel=hotel, pk=checkin_id).prefetch_related("companions").first()
    if checkin is None:
        raise Http404("No such check-in.")
    return checkin


def checkins_for_officer(user: User) -> QuerySet[CheckIn]:
    """Return the check-ins at hotels in the officer's jurisdiction (lazy)."""
    return CheckIn.objects.filter(hotel__station__in=police_stations_for_user(user))


def alerts_for_user(user: User, *, status: str = "") -> QuerySet[Alert]:
    """Return the hotel alerts of the stations in the user's jurisdiction (alerts.selectors), sources loaded."""
    return alerts_selectors.alerts_for_user(user, source_kind=SourceKind.HOTEL_CHECKIN, status=status).prefetch_related(
        "source"
    )


def alert_get_for_user(user: User, *, alert_id: int) -> Alert:
    """Return hotel alert ``alert_id`` if it belongs to a station in the user's jurisdiction, else Http404."""
    alert = alerts_selectors.alert_get_for_user(user, alert_id=alert_id)
    if alert.source_kind != SourceKind.HOTEL_CHECKIN:
        raise Http404("No such alert.")
    return alert


def alerts_inbox_state(user: User) -> tuple[int, int]:
    """Return (latest hotel alert id, number of new ones) for the user's stations in one cheap query."""
    return alerts_selectors.alerts_inbox_state(user, source_kind=SourceKind.HOTEL_CHECKIN)


def alert_checkin(alert: Alert) -> CheckIn | None:
    """Return the check-in of a hotel alert (the guest's own, or the companion's), else None."""
    source = alert.source
    if isinstance(source, Companion):
        return source.checkin
    return source if isinstance(source, CheckIn) else None


def checkin_alerts(checkin: CheckIn) -> QuerySet[Alert]:
    """Return the alerts raised by a check-in's guest and companions (police only)."""
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(CheckIn, Companion)
    return Alert.objects.filter(
        Q(source_type=types[CheckIn], source_id=checkin.pk)
        | Q(source_type=types[Companion], source_id__in=checkin.companions.values("pk"))
    )


# Check-ins are matched within seconds and the sweep re-queues any left after SWEEP_AFTER (2 minutes):
# one still pending after this long means matching is behind (no worker, or workers falling behind).
MATCHING_BEHIND_AFTER = timedelta(minutes=5)


def matching_delay() -> timedelta | None:
    """Return how long the oldest check-in has waited for matching, if longer than MATCHING_BEHIND_AFTER.

    Matching serves every station (a guest at any hotel may be wanted anywhere), so this is system-wide;
    it reveals no check-in. One query, on the partial index of pending check-ins.
    """
    now = timezone.now()
    oldest = (
        CheckIn.objects.filter(match_status=MatchStatus.PENDING, received_at__lt=now - MATCHING_BEHIND_AFTER)
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return None if oldest is None else now - oldest
