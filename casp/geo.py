"""Map points: where an offence happened, checked against Pakistan's bounding box in forms, services and the database.

A point is a (latitude, longitude) pair in WGS 84 degrees. It is optional, but
both halves or neither: a latitude without a longitude maps to nothing and is
refused. The box is deliberately loose (a rectangle around the country, not its
border); it catches swapped coordinates, a sign dropped or a point typed for
another country, which is what clerks get wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LAT_MIN, LAT_MAX = Decimal("23.5"), Decimal("37.2")
LON_MIN, LON_MAX = Decimal("60.8"), Decimal("77.9")

OUTSIDE = _("This is a map point outside Pakistan: latitude must be 23.5 to 37.2 and longitude 60.8 to 77.9.")
HALF = _("Give both the latitude and the longitude of the point, or neither.")


def point_checks(table: str, lat: str = "latitude", lon: str = "longitude") -> list[models.CheckConstraint]:
    """Return the named CHECKs of a nullable point: both or neither, and inside Pakistan."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True}, **{f"{lon}__isnull": True})
            | Q(**{f"{lat}__isnull": False}, **{f"{lon}__isnull": False}),
            name=f"{table}_point_both_or_neither",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True})
            | Q(**{f"{lat}__gte": LAT_MIN, f"{lat}__lte": LAT_MAX, f"{lon}__gte": LON_MIN, f"{lon}__lte": LON_MAX}),
            name=f"{table}_point_in_pakistan",
        ),
    ]


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError(_("Enter a number in decimal degrees, e.g. 33.6844.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number in decimal degrees, e.g. 33.6844."))
    return number.quantize(Decimal("0.000001"))


def point_errors(latitude: Any, longitude: Any) -> dict[str, str]:
    """Return the point's errors by field ("latitude", "longitude"); empty if it is absent or valid."""
    errors: dict[str, str] = {}
    values: dict[str, Decimal | None] = {}
    for name, value in (("latitude", latitude), ("longitude", longitude)):
        try:
            values[name] = _decimal(value)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if errors:
        return errors
    lat, lon = values["latitude"], values["longitude"]
    if (lat is None) != (lon is None):
        errors["longitude" if lon is None else "latitude"] = str(HALF)
    elif lat is not None and lon is not None:
        if not LAT_MIN <= lat <= LAT_MAX:
            errors["latitude"] = str(OUTSIDE)
        if not LON_MIN <= lon <= LON_MAX:
            errors["longitude"] = str(OUTSIDE)
    return errors


def point_normalise(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Return the point as two Decimals of 6 places (or two Nones); raise ValidationError naming the bad field."""
    errors = point_errors(latitude, longitude)
    if errors:
        raise ValidationError(errors)
    return _decimal(latitude), _decimal(longitude)


def map_data(
    *,
    stations: Iterable[Any] = (),
    points: Iterable[tuple[float, float, str]] = (),
    cells: Iterable[dict[str, Any]] = (),
    boundary: list[tuple[float, float]] | None = None,
    picker: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return what static/js/casp-map.js draws (pass it to the ``json_script`` filter).

    ``stations`` are objects with ``latitude``, ``longitude`` and a ``str()``
    (those without a point are skipped); ``points`` are (lat, lon, label).
    """
    return {
        "tile_url": settings.MAP_TILE_URL,
        "center": [30.4, 69.3],
        "zoom": 5,
        "stations": [
            {"name": str(s), "lat": float(s.latitude), "lon": float(s.longitude)}
            for s in stations
            if s.latitude is not None and s.longitude is not None
        ],
        "points": [[round(float(lat), 6), round(float(lon), 6), label] for lat, lon, label in points],
        "cells": list(cells),
        "boundary": boundary,
        "picker": picker,
    }
