"""Vehicle verification: look a vehicle up on the stolen list (fir.StolenVehicle) by any of its numbers.

A vehicle still on the list answers "reported stolen in FIR N/YYYY at PS X" to a
police user and raises an alert (source ``vehicle_check``) to the station of
that FIR. The citizen at a Khidmat Markaz counter gets only a neutral answer:
the vehicle is referred to the police.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from alerts.models import Alert, CheckChannel, MatchKind, SourceKind, VehicleCheck
from alerts.services import alert_create
from casp import audit
from casp.models import User
from fir.models import StolenVehicle
from fir.vehicles import CHASSIS, ENGINE, REGISTRATION, number_key, stolen_vehicles_find
from stations.models import PoliceStation


@dataclass
class VehicleCheckResult:
    check: VehicleCheck
    stolen: list[StolenVehicle] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    @property
    def police_answers(self) -> list[str]:
        """What a police user is told: one line per theft FIR."""
        return [
            _("Reported stolen in FIR %(number)s/%(year)s at %(station)s.")
            % {"number": v.fir.number, "year": v.fir.year, "station": v.fir.station}
            for v in self.stolen
        ]

    @property
    def counter_answer(self) -> str:
        """What the citizen at the counter is told: neutral, the same words whether or not it was found.

        Different words for a hit would tip off whoever brought a stolen vehicle to the counter.
        """
        return _("The vehicle's verification has been referred to the police.")


def _reasons(vehicle: StolenVehicle, check: VehicleCheck) -> list[str]:
    same = [
        label
        for label, mine, theirs in (
            ("registration number identical", check.registration_key, vehicle.registration_key),
            ("chassis number identical", check.chassis_key, vehicle.chassis_key),
            ("engine number identical", check.engine_key, vehicle.engine_key),
        )
        if mine and mine == theirs
    ]
    return same


@transaction.atomic
def vehicle_check(
    *,
    acting_user: User,
    channel: str = CheckChannel.STATION,
    registration: str = "",
    chassis: str = "",
    engine: str = "",
    station: PoliceStation | None = None,
    place: str = "",
    reference: str = "",
) -> VehicleCheckResult:
    """Check a vehicle by registration, chassis and/or engine number; alert each theft FIR's station.

    Raises ValidationError (naming the field) for a malformed number or none at all; nothing is saved then.
    The check is stored and audited; a repeated check of the same vehicle raises a new alert per check
    (each is a sighting), never two for one check.
    """
    from django.core.exceptions import ValidationError

    keys = {
        "registration_key": number_key(REGISTRATION, registration),
        "chassis_key": number_key(CHASSIS, chassis),
        "engine_key": number_key(ENGINE, engine),
    }
    if not any(keys.values()):
        raise ValidationError({"registration": _("Give the registration, chassis or engine number.")})
    stolen = list(stolen_vehicles_find(registration=registration, chassis=chassis, engine=engine))
    check = VehicleCheck.objects.create(
        channel=channel,
        checked_by=acting_user,
        station=station,
        place=place[:200],
        reference=reference[:40],
        hits=[v.pk for v in stolen],
        **keys,
    )
    alerts = []
    alerted_firs: set[int] = set()  # one alert per theft FIR for a check (two of its vehicles may match)
    for vehicle in stolen:
        fir = vehicle.fir
        if fir.pk in alerted_firs:
            continue
        alerted_firs.add(fir.pk)
        alert, created = alert_create(
            station=fir.station,
            source=check,
            source_kind=SourceKind.VEHICLE_CHECK,
            fir_id=fir.pk,
            snapshot={
                "record_name": f"{vehicle} — FIR {fir.number}/{fir.year}"[:150],
                "record_status": "stolen",
                "person_name": str(vehicle)[:150],
                "place": (place or str(CheckChannel(channel).label))[:255],
                "place_detail": reference[:60],
            },
            kind=MatchKind.VEHICLE,
            score=100.0,
            reasons=_reasons(vehicle, check),
            acting_user=acting_user,
        )
        if created:
            alerts.append(alert)
    audit.record(
        actor=acting_user,
        action="alerts.vehicle_checked",
        target=check,
        station_id=station.pk if station else None,
        data={"channel": channel, **keys, "stolen": [v.pk for v in stolen], "alerts": [a.pk for a in alerts]},
    )
    return VehicleCheckResult(check=check, stolen=stolen, alerts=alerts)
