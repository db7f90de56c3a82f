"""Reads of FIRs scoped to the acting user's jurisdiction (stations.selectors.stations_for_user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.http import Http404

from casp import names
from casp.cnic import CNIC
from casp.models import User
from casp.roles import Role
from fir.models import Accused, Arrest, CaseNote, Fir, FirStatus, Section, StatusChange
from stations.models import PoliceStation
from stations.selectors import officers_at_station, stations_for_user

ACCUSED_MATCH_CAP = 1000


def investigating_officers(station: PoliceStation) -> QuerySet[User]:
    """Return the active investigating officers posted at ``station`` (the FIR form's and the SHO's choice)."""
    return officers_at_station(station, roles=[Role.INVESTIGATING_OFFICER])


def sections_active(query: str = "") -> QuerySet[Section]:
    """Return the active PPC/special-law sections, optionally those whose number or title contains ``query``."""
    sections = Section.objects.filter(is_active=True)
    query = query.strip()
    if query:
        sections = sections.filter(
            Q(number__icontains=query) | Q(title__icontains=query) | Q(title_ur__icontains=query)
        )
    return sections


def firs_for_user(user: User) -> QuerySet[Fir]:
    """Return the FIRs of every station ``user`` may see (lazy; no rows loaded)."""
    return Fir.objects.filter(station__in=stations_for_user(user))


def fir_get_for_user(user: User, pk: int) -> Fir:
    """Return FIR ``pk`` with its station, sections, accused, arrests, notes and status history, or raise Http404."""
    fir = (
        firs_for_user(user)
        .filter(pk=pk)
        .select_related("station__district", "writing_officer", "investigating_officer")
        .prefetch_related(
            "sections",
            "accused",
            Prefetch("arrests", queryset=Arrest.objects.select_related("accused", "arrested_by")),
            Prefetch("notes", queryset=CaseNote.objects.select_related("recorded_by")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
        )
        .first()
    )
    if fir is None:
        raise Http404("No such FIR.")
    return fir


def firs_search(
    user: User,
    filters: dict[str, Any],
    *,
    before: tuple[dt.datetime, int] | None = None,
    stations: QuerySet[PoliceStation] | None = None,
) -> QuerySet[Fir]:
    """Return the user's FIRs matching ``filters``, newest first, for keyset pagination on the list index.

    Filters: number, year, station (a PoliceStation), section (a Section),
    status, complainant (name or CNIC), accused (name or CNIC), date_from,
    date_to (dates of registration). ``before`` is the (registered_at, id)
    of the last row of the previous page. The list is select_related and
    prefetches sections: a fixed number of queries whatever the page length.
    ``stations``: the user's stations (stations_for_user) when the caller has already
    loaded them, which spares the name search a query.
    """
    qs = firs_for_user(user)
    if filters.get("station"):
        qs = qs.filter(station=filters["station"])
    if filters.get("number"):
        qs = qs.filter(number=filters["number"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("section"):
        qs = qs.filter(sections=filters["section"])
    if filters.get("date_from"):
        qs = qs.filter(registered_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(registered_at__date__lte=filters["date_to"])
    if filters.get("complainant"):
        # One station holds a few thousand FIRs: its list index finds them faster than the trigram index over
        # every station, which the planner would otherwise prefer (docs/fir.md), so there the name is matched
        # in a shape the trigram index cannot serve. A district's or a province's search uses the index.
        station_id = filters["station"].pk if filters.get("station") else _only_station_id(user, stations)
        if station_id is not None:
            qs = qs.filter(station_id=station_id)
        qs = qs.filter(
            _person_q(filters["complainant"], "complainant_name", "complainant_cnic", indexed=station_id is None)
        )
    if filters.get("accused"):
        matches = Accused.objects.filter(_person_q(filters["accused"], "name", "cnic"))
        # A rare name: fetch its FIR ids first (trigram index), or the planner may walk the whole
        # newest-first index probing each FIR. A common one: the semi-join finds a page quickly.
        fir_ids = list(matches.values_list("fir_id", flat=True)[: ACCUSED_MATCH_CAP + 1])
        if len(fir_ids) <= ACCUSED_MATCH_CAP:
            qs = qs.filter(pk__in=fir_ids)
        else:
            qs = qs.filter(Exists(matches.filter(fir=OuterRef("pk"))))
    if before is not None:
        qs = qs.filter(Q(registered_at__lt=before[0]) | Q(registered_at=before[0], id__lt=before[1]))
    return (
        qs.select_related("station", "investigating_officer")
        .prefetch_related("sections")
        .order_by("-registered_at", "-id")
    )


def _only_station_id(user: User, stations: QuerySet[PoliceStation] | None) -> int | None:
    """Return the id of the one station ``user`` sees, or None when they see several (or none)."""
    if stations is not None and stations._result_cache is not None:  # already loaded: no query
        ids = [s.pk for s in stations[:2]]
    else:
        ids = list(stations_for_user(user).values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def _person_q(value: str, name_field: str, cnic_field: str, *, indexed: bool = True) -> Q:
    """Match a CNIC exactly when ``value`` is one, else the name word by word (trigram index on each substring).

    Names are read through casp.names, as the CRO search does: every word must
    appear in one of its spellings ("Mohammad" finds "Muhammad"), in any
    order, and particles are optional ("Noorulhaq" finds "Noor ul Haq").
    ``indexed=False`` compares LOWER(name) instead of the indexed UPPER(name): the same
    case-insensitive match, which the trigram index cannot serve (for a single station's rows).
    """
    try:
        return Q(**{cnic_field: CNIC.normalise(value)})
    except Exception:  # noqa: BLE001, S110 - not a CNIC: search by name below
        pass

    def contains(text: str) -> Q:
        if indexed:
            return Q(**{f"{name_field}__icontains": text})
        return Q(Contains(Lower(F(name_field)), text.lower()))

    words = names.search_spellings(value)
    if not words:
        return contains(value.strip())
    query = Q()
    for spellings in words:
        either = Q()
        for spelling in spellings:
            either |= contains(spelling)
        query &= either
    return query


def firs_status_counts(station: PoliceStation) -> dict[str, int]:
    """Return {status: count} of ``station``'s FIRs (one grouped query on the station/status index)."""
    rows = Fir.objects.filter(station=station).values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in FirStatus.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def io_workload(station: PoliceStation) -> list[dict[str, Any]]:
    """Return the open cases per investigating officer of ``station`` (one grouped query)."""
    open_statuses = [FirStatus.REGISTERED, FirStatus.UNDER_INVESTIGATION, FirStatus.UNTRACED]
    return list(
        Fir.objects.filter(station=station, status__in=open_statuses, investigating_officer__isnull=False)
        .values(
            "investigating_officer__username", "investigating_officer__first_name", "investigating_officer__last_name"
        )
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases")
    )


def fir_find_by_reference(user: User, reference: str) -> Fir | None:
    """Return the FIR "N/YYYY" of a station in the user's jurisdiction (the first by station), or None."""
    import re

    from casp.text import normalize_digits

    found = re.fullmatch(r"\s*(\d{1,7})\s*/\s*(\d{4})\s*", str(normalize_digits(reference or "")))
    if found is None:
        return None
    return firs_for_user(user).filter(number=int(found[1]), year=int(found[2])).order_by("station_id").first()
