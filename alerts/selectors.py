"""Reads of alerts, scoped to the user's police jurisdiction.

Only police postings count (casp.roles.POLICE_ROLES): Khidmat Markaz staff posted at a station and
hotel staff never see an alert. A district officer sees every station of the district.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from alerts.models import Alert, AlertStatus
from casp.models import User
from casp.roles import POLICE_ROLES
from stations.models import PoliceStation
from stations.selectors import stations_for_user


def police_stations_for_user(user: User) -> QuerySet[PoliceStation]:
    """Return the stations in the user's police jurisdiction (lazy): Khidmat postings do not count."""
    return stations_for_user(user, roles=POLICE_ROLES)


def alerts_for_user(user: User, *, source_kind: str = "", status: str = "") -> QuerySet[Alert]:
    """Return the alerts of the stations in the user's jurisdiction, newest first, optionally of one source
    and status, with what a list shows loaded."""
    alerts = Alert.objects.filter(station__in=police_stations_for_user(user))
    if source_kind:
        alerts = alerts.filter(source_kind=source_kind)
    if status:
        alerts = alerts.filter(status=status)
    return alerts.select_related("station", "cro_record", "fir__station").order_by("-created_at", "-id")


def alert_get_for_user(user: User, *, alert_id: int) -> Alert:
    """Return alert ``alert_id`` if it belongs to a station in the user's jurisdiction, else Http404."""
    alert = alerts_for_user(user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    return alert


def alerts_inbox_state(user: User, *, source_kind: str = "") -> tuple[int, int]:
    """Return (latest alert id, number of new alerts) for the user's stations in one cheap query."""
    alerts = Alert.objects.filter(station__in=police_stations_for_user(user))
    if source_kind:
        alerts = alerts.filter(source_kind=source_kind)
    row = alerts.aggregate(latest=Max("id"), new=Count("id", filter=Q(status=AlertStatus.NEW)))
    return row["latest"] or 0, row["new"]


def alerts_of_source(source_type_id: int, source_ids: list[int]) -> QuerySet[Alert]:
    """Return the alerts raised by the given source rows (police views of an intake only)."""
    return Alert.objects.filter(source_type_id=source_type_id, source_id__in=source_ids)
