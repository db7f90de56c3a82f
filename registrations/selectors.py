"""Reads of registrations, scoped to the acting user's stations (stations.selectors.stations_for_user)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casp.cnic import CNIC
from casp.models import User
from casp.roles import POLICE_ROLES
from registrations.forms import passport_normalise
from registrations.models import RegisteredPerson, Registration
from stations.selectors import stations_for_user


def registrations_for_user(user: User) -> QuerySet[Registration]:
    """Return the registrations whose address or worker's home lies in the user's stations (lazy)."""
    stations = stations_for_user(user, roles=POLICE_ROLES).values("pk")
    return Registration.objects.filter(Q(station__in=stations) | Q(home_station__in=stations))


def registrations_search(
    user: User, *, q: str = "", kind: str = "", active_only: bool = False
) -> QuerySet[Registration]:
    """Return the user's registrations matching ``q`` (CNIC, passport, name or address), newest first.

    ``q`` comes with Latin digits (the search form normalises Urdu digits). One query, stations joined.
    """
    expired = RegisteredPerson.objects.filter(registration=OuterRef("pk"), visa_expired=True)
    found = (
        registrations_for_user(user).select_related("station", "home_station").annotate(visa_expired=Exists(expired))
    )
    if kind:
        found = found.filter(kind=kind)
    if active_only:
        found = found.filter(ended_at__isnull=True)
    if q:
        try:
            cnic = CNIC.normalise(q)
        except Exception:  # noqa: BLE001 - not a CNIC: search the other fields
            cnic = None
        if cnic:
            match = Q(persons__cnic=cnic) | Q(registrant_cnic=cnic)
        else:
            match = (
                Q(persons__name__icontains=q)
                | Q(persons__passport_number=passport_normalise(q))
                | Q(address__icontains=q)
                | Q(home_address__icontains=q)
            )
        found = found.filter(pk__in=Registration.objects.filter(match).values("pk"))
    return found.order_by("-received_at", "-id")


def registration_get_for_user(user: User, pk: int) -> Registration:
    """Return registration ``pk`` if it is in the user's stations, with its people; else raise Http404."""
    registration = (
        registrations_for_user(user)
        .select_related("station", "home_station", "entered_by", "ended_by")
        .prefetch_related("persons")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def registration_for_registrant(pk: int | None) -> Registration | None:
    """Return the registration the registrant just filed (its id held in their session), or None."""
    return Registration.objects.select_related("station").filter(pk=pk).first() if pk else None
