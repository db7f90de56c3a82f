"""Reads scoped to the acting user's jurisdiction."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from casp.models import User
from casp.roles import Role, user_roles
from stations.models import PoliceStation, Posting


def postings_active_for_user(user: User) -> list[Posting]:
    """Return the user's postings in force today, with station and district loaded."""
    if not user.is_authenticated:
        return []
    return list(Posting.objects.active().filter(user=user).select_related("station__district", "district"))


def stations_for_user(user: User) -> QuerySet[PoliceStation]:
    """Return the stations ``user`` may see: their posted stations and every station of their districts.

    A system administrator sees all stations; anyone else without an active
    posting sees none. Returns a lazy queryset (one query when evaluated).
    """
    if not user.is_authenticated:
        return PoliceStation.objects.none()
    if user.is_superuser or Role.SYSTEM_ADMIN in user_roles(user):
        return PoliceStation.objects.all()
    active = Posting.objects.active().filter(user=user)
    return PoliceStation.objects.filter(
        Q(pk__in=active.filter(station__isnull=False).values("station_id"))
        | Q(district_id__in=active.filter(district__isnull=False).values("district_id"))
    )


def station_get_for_user(user: User, *, code: str) -> PoliceStation:
    """Return the station ``code`` if ``user`` may see it, else raise Http404 (never 403)."""
    station = stations_for_user(user).select_related("district__province").filter(code=code).first()
    if station is None:
        raise Http404("No such police station.")
    return station
