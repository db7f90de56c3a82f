"""Reads of alerts, scoped to the user's police jurisdiction.

Only police postings count (casp.roles.POLICE_ROLES): Khidmat Markaz staff posted at a station and
hotel staff never see an alert. A district officer sees every station of the district.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from alerts.models import Alert, AlertStatus
from casp.models import User
from casp.roles import POLICE_ROLES
from stations.models import PoliceStation
from stations.selectors import stations_for_user, stations_posted, user_is_system_admin


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


def police_station_ids_for_user(user: User) -> list[int]:
    """Return the ids of the stations in the user's police jurisdiction (one query)."""
    return list(police_stations_for_user(user).order_by("pk").values_list("pk", flat=True))


# Up to this many stations (a district) the inbox merges each station's own index; more (a system
# administrator's whole country) is one walk of the newest alerts, since a UNION of hundreds of queries
# costs more to plan than the walk.
MERGE_MAX_STATIONS = 100


_STATION = -1_999_999_999  # a placeholder no station has: the per-station query is compiled once


def _merged_newest(alerts: QuerySet[Alert], ids: list[int], *, wanted: int, offset: int, limit: int) -> list:
    """Return (id, raised at) of the newest alerts over ``ids``: each station's newest ``wanted`` from its own
    index, merged in one ``UNION ALL`` query (Merge Append); the per-station query is compiled once, not once
    per station (the ORM's cost was most of the page's database time)."""
    one = alerts.filter(station_id=_STATION).order_by("-created_at", "-id").values_list("id", "created_at")[:wanted]
    sql, params = one.query.sql_with_params()
    at = [i for i, value in enumerate(params) if value == _STATION]
    if len(at) != 1:  # pragma: no cover - the ORM compiled the station filter otherwise
        raise RuntimeError("alerts inbox: the per-station query has no single station parameter")
    all_params: list = []
    for pk in ids:
        all_params += [pk if i == at[0] else value for i, value in enumerate(params)]
    union = " UNION ALL ".join(f"({sql})" for _ in ids)
    with connections[one.db].cursor() as cursor:
        cursor.execute(f"{union} ORDER BY 2 DESC, 1 DESC LIMIT %s OFFSET %s", [*all_params, limit, offset])
        return cursor.fetchall()


def _inbox_state_rows(stations: QuerySet[PoliceStation], source_kind: str) -> QuerySet:
    """Return, per station of ``stations``, its highest alert id and its number of new alerts (of one source)."""
    alerts = Alert.objects.filter(station=OuterRef("pk"))
    if source_kind:
        alerts = alerts.filter(source_kind=source_kind)
    highest = alerts.order_by("-id").values("id")[:1]
    new = alerts.filter(status=AlertStatus.NEW).order_by().values("station").annotate(n=Count("pk")).values("n")
    return stations.annotate(highest=Subquery(highest), new_here=Subquery(new)).values("highest", "new_here")


def _inbox_state_sql(rows: QuerySet) -> tuple[str, list]:
    """Return the SQL adding up the stations' figures of ``_inbox_state_rows``, and its parameters."""
    sql, params = rows.query.sql_with_params()
    return f"SELECT max(s.highest), sum(s.new_here) FROM ({sql}) AS s", list(params)  # noqa: S608


# Placeholders no user id or date takes: the poll's query is compiled once with them, then bound per call.
_USER = -1_999_999_998
_DAY = datetime.date(1111, 11, 11)


@functools.lru_cache(maxsize=64)  # per source (the inbox filter's choices) and shape
def _inbox_state_compiled(source_kind: str, everyone: bool) -> tuple[str, tuple, tuple[int, ...], tuple[int, ...]]:
    """Return the inbox state's SQL for one source, over every station or over a user's postings (with the
    positions of the user id and of the day among its parameters); compiled once per process."""
    if everyone:
        stations = PoliceStation.objects.all()
    else:
        stations = stations_posted(user_id=_USER, roles=POLICE_ROLES, day=_DAY)
    sql, params = _inbox_state_sql(_inbox_state_rows(stations, source_kind))
    users = tuple(i for i, v in enumerate(params) if type(v) is int and v == _USER)
    days = tuple(i for i, v in enumerate(params) if type(v) is datetime.date and v == _DAY)
    if not everyone and not (users and days):  # pragma: no cover - the ORM compiled the postings otherwise
        raise RuntimeError("alerts inbox state: the postings' query has no user or day parameter")
    return sql, tuple(params), users, days


def alerts_inbox_state(user: User, *, source_kind: str = "", station_ids: list[int] | None = None) -> tuple[int, int]:
    """Return (latest alert id, number of new alerts) for the user's stations (or ``station_ids``, theirs).

    One query, and no aggregate over every alert of the stations (a district holds hundreds of
    thousands): for each station its highest id is one probe of its index ((station, id), or
    (station, source_kind, id) for one source) and its new alerts are counted from the partial index
    ``alerts_alert_new_idx`` alone (an index-only scan); the stations' figures are then added up.

    Every open inbox polls this every few seconds: for a user's own jurisdiction the query is compiled
    once per process (``_inbox_state_compiled``) and only the user and the day are bound, which takes
    the ORM's two milliseconds of building it off each poll.
    """
    if station_ids is not None:
        if not station_ids:
            return 0, 0
        sql, params = _inbox_state_sql(_inbox_state_rows(PoliceStation.objects.filter(pk__in=station_ids), source_kind))
    elif not user.is_authenticated:
        return 0, 0
    else:
        sql, compiled, users, days = _inbox_state_compiled(source_kind, user_is_system_admin(user))
        params = list(compiled)
        for i in users:
            params[i] = user.pk
        today = timezone.localdate()
        for i in days:
            params[i] = today
    with connections[router.db_for_read(Alert)].cursor() as cursor:
        cursor.execute(sql, params)
        latest, new = cursor.fetchone()
    return latest or 0, int(new or 0)


@dataclass
class AlertPage:
    """One page of the inbox without a count of every alert: the page's alerts and whether a next page exists.

    Offers what ``casp/_pagination.html`` uses of Django's ``Page``.
    """

    object_list: list[Alert]
    number: int
    has_next_page: bool

    def __iter__(self) -> Iterator[Alert]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next_page or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


INBOX_PAGE_SIZE = 50
INBOX_MAX_PAGE = 200  # 10,000 alerts deep; an older alert is found by its number or the filters


def alerts_page_for_user(
    user: User,
    *,
    source_kind: str = "",
    status: str = "",
    page: object = 1,
    per_page: int = INBOX_PAGE_SIZE,
    station_ids: list[int] | None = None,
) -> AlertPage:
    """Return a page of the alerts of the user's stations (or ``station_ids``), newest first, of one source/status.

    Built for a district of many stations with hundreds of thousands of alerts: the stations' ids are read
    first; each station gives its newest ``offset + per_page + 1`` alert ids from its own index
    ((station, created_at, id), (station, source_kind, ...) or the partial index of new alerts), the
    stations' lists are merged in one UNION ALL query (over ``MERGE_MAX_STATIONS`` stations: one walk of
    the newest alerts), and only the page's rows are then loaded. Nothing
    counts every alert (the page knows only whether a next one exists). A page number that is not a
    number counts as 1; it is capped at ``INBOX_MAX_PAGE``.
    """
    try:
        number = min(max(int(str(page)), 1), INBOX_MAX_PAGE)
    except ValueError:
        number = 1
    ids = police_station_ids_for_user(user) if station_ids is None else station_ids
    offset = (number - 1) * per_page
    wanted = offset + per_page + 1
    alerts = Alert.objects.all()
    if source_kind:
        alerts = alerts.filter(source_kind=source_kind)
    if status:
        alerts = alerts.filter(status=status)
    if not ids:
        return AlertPage(object_list=[], number=number, has_next_page=False)
    if len(ids) == 1 or len(ids) > MERGE_MAX_STATIONS:
        merged = alerts.filter(station_id__in=ids).values_list("id", "created_at")
        rows = list(merged.order_by("-created_at", "-id")[offset : offset + per_page + 1])
    else:
        rows = _merged_newest(alerts, ids, wanted=wanted, offset=offset, limit=per_page + 1)
    page_ids = [pk for pk, _created in rows[:per_page]]
    loaded = Alert.objects.filter(pk__in=page_ids).select_related("station").in_bulk()
    return AlertPage(
        object_list=[loaded[pk] for pk in page_ids],
        number=number,
        has_next_page=len(rows) > per_page and number < INBOX_MAX_PAGE,
    )


def alerts_of_source(source_type_id: int, source_ids: list[int]) -> QuerySet[Alert]:
    """Return the alerts raised by the given source rows (police views of an intake only)."""
    return Alert.objects.filter(source_type_id=source_type_id, source_id__in=source_ids)
