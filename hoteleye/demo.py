"""Demo hotels at the demo stations, each with a staff account; ``hotel.demo`` works at a hotel in PS Kohsar."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from casp.models import User
from hoteleye.models import Hotel, HotelStaff
from hoteleye.services import hotel_staff_bind
from stations.models import PoliceStation

# code, name, licence, station code, address, lat, lon, rooms, staff username (None: hotel.demo)
HOTELS = [
    (
        "ISB-H001",
        "Kohsar Residency",
        "ICT-HL-0001",
        "ISB-KOH",
        "Street 4, F-6/3, Islamabad",
        "33.7290",
        "73.0905",
        24,
        "hotel.demo",
    ),
    (
        "ISB-H002",
        "Margalla View Guest House",
        "ICT-HL-0002",
        "ISB-MAR",
        "F-7/2, Islamabad",
        "33.7180",
        "73.0520",
        12,
        "hotel.margalla",
    ),
    (
        "KHI-H001",
        "Clifton Seaview Hotel",
        "SD-HL-0001",
        "KHI-CLF",
        "Block 5, Clifton, Karachi",
        "24.8140",
        "67.0310",
        60,
        "hotel.clifton",
    ),
    (
        "QTA-H001",
        "Quetta Serena Lodge",
        "BL-HL-0001",
        "QTA-CTY",
        "Zarghoon Road, Quetta",
        "30.1925",
        "67.0085",
        30,
        "hotel.quetta",
    ),
]


@transaction.atomic
def seed_hotels() -> list[str]:
    """Create the demo hotels and bind a staff account to each (idempotent); return a line per hotel."""
    lines = []
    for code, name, licence, station_code, address, lat, lon, rooms, username in HOTELS:
        station = PoliceStation.objects.filter(code=station_code).first()
        if station is None:
            continue
        hotel, _created = Hotel.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "licence_number": licence,
                "station": station,
                "district_id": station.district_id,
                "address": address,
                "latitude": lat,
                "longitude": lon,
                "rooms": rooms,
            },
        )
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=name.split()[0], last_name="Reception")
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        if not HotelStaff.objects.filter(user=user, hotel=hotel).exists():
            hotel_staff_bind(acting_user=None, hotel=hotel, user=user)
        lines.append(f"{username:<16} hotel staff at {hotel.name} ({code}, PS {station.name})")
    return lines
