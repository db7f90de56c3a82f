"""Demo organisation: the five pilot cities of the 2022 roll-out, with real police stations.

Station names are real stations of each city; coordinates are approximate
(city-area level) and codes are CASP's own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from casp.models import User
from casp.roles import Role
from stations.models import District, PoliceStation, Posting, Province, Region, SubDivision

PROVINCES = [
    ("ICT", "Islamabad Capital Territory", "اسلام آباد دارالحکومت"),
    ("SD", "Sindh", "سندھ"),
    ("BL", "Balochistan", "بلوچستان"),
    ("GB", "Gilgit-Baltistan", "گلگت بلتستان"),
    ("AJK", "Azad Jammu and Kashmir", "آزاد جموں و کشمیر"),
]

# district code, province code, name, Urdu name, stations (code, name, Urdu name, lat, lon)
DISTRICTS = [
    (
        "ISB",
        "ICT",
        "Islamabad",
        "اسلام آباد",
        [
            ("ISB-KOH", "Kohsar", "کوہسار", "33.7294", "73.0931"),
            ("ISB-SEC", "Secretariat", "سیکرٹریٹ", "33.7294", "73.0990"),
            ("ISB-MAR", "Margalla", "مارگلہ", "33.7077", "73.0498"),
            ("ISB-AAB", "Aabpara", "آبپارہ", "33.7060", "73.0880"),
        ],
    ),
    (
        "KHI",
        "SD",
        "Karachi",
        "کراچی",
        [
            ("KHI-CLF", "Clifton", "کلفٹن", "24.8138", "67.0300"),
            ("KHI-DRK", "Darakhshan", "درخشاں", "24.8050", "67.0650"),
            ("KHI-SDR", "Saddar", "صدر", "24.8556", "67.0290"),
            ("KHI-GIQ", "Gulshan-e-Iqbal", "گلشن اقبال", "24.9210", "67.0940"),
        ],
    ),
    (
        "QTA",
        "BL",
        "Quetta",
        "کوئٹہ",
        [
            ("QTA-CTY", "City Quetta", "سٹی کوئٹہ", "30.1920", "67.0080"),
            ("QTA-BJR", "Bijli Road", "بجلی روڈ", "30.1980", "67.0150"),
            ("QTA-STN", "Satellite Town", "سیٹلائٹ ٹاؤن", "30.2050", "67.0350"),
        ],
    ),
    (
        "GLT",
        "GB",
        "Gilgit",
        "گلگت",
        [
            ("GLT-CTY", "City Gilgit", "سٹی گلگت", "35.9208", "74.3144"),
            ("GLT-JTL", "Jutial", "جوٹیال", "35.9000", "74.3500"),
            ("GLT-DNY", "Danyore", "دنیور", "35.9300", "74.3800"),
        ],
    ),
    (
        "MZD",
        "AJK",
        "Muzaffarabad",
        "مظفرآباد",
        [
            ("MZD-CTY", "City Muzaffarabad", "سٹی مظفرآباد", "34.3700", "73.4700"),
            ("MZD-SDR", "Saddar Muzaffarabad", "صدر مظفرآباد", "34.3600", "73.4800"),
            ("MZD-CHT", "Chattar", "چھتر", "34.3900", "73.4900"),
        ],
    ),
]

# Circles (SDPOs) of the demo districts: code, name, Urdu name, station codes. A district not listed
# here has one sub-division named after it (as the migration gives every existing district).
SUBDIVISIONS = {
    "ISB": [
        ("ISB-CTY", "City", "سٹی", ["ISB-KOH", "ISB-SEC"]),
        ("ISB-SDR", "Saddar", "صدر", ["ISB-MAR", "ISB-AAB"]),
    ],
    "KHI": [
        ("KHI-CLF-SD", "Clifton", "کلفٹن", ["KHI-CLF", "KHI-DRK"]),
        ("KHI-SDR-SD", "Saddar", "صدر", ["KHI-SDR"]),
        ("KHI-GIQ-SD", "Gulshan", "گلشن", ["KHI-GIQ"]),
    ],
}
# Regions (ranges, RPO/DIG): district code -> (region code, name, Urdu name). Islamabad has none.
REGIONS = {
    "KHI": ("KHI-RGN", "Karachi Region", "ریجن کراچی"),
    "QTA": ("QTA-RGN", "Quetta Region", "ریجن کوئٹہ"),
    "GLT": ("GLT-RGN", "Gilgit Region", "ریجن گلگت"),
    "MZD": ("MZD-RGN", "Muzaffarabad Region", "ریجن مظفرآباد"),
}


def _seed_circles(district: District) -> None:
    """Put ``district``'s stations into its demo sub-divisions (or one named after it) and its region."""
    if district.code in REGIONS:
        code, name, name_ur = REGIONS[district.code]
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"province": district.province, "name": name, "name_ur": name_ur}
        )
        District.objects.filter(pk=district.pk).update(region=region)
    default = [(f"{district.code}-SD", district.name, district.name_ur, None)]
    for code, name, name_ur, station_codes in SUBDIVISIONS.get(district.code, default):
        sub, _ = SubDivision.objects.update_or_create(
            code=code, defaults={"district": district, "name": name, "name_ur": name_ur}
        )
        stations = PoliceStation.objects.filter(district=district)
        if station_codes is not None:
            stations = stations.filter(code__in=station_codes)
        stations.update(subdivision=sub)


# username, role, station code or district code, first name, last name, rank
DEMO_USERS = [
    ("admin", Role.SYSTEM_ADMIN, None, "System", "Administrator", ""),
    ("dpo.islamabad", Role.DISTRICT_OFFICER, "ISB", "Ayesha", "Malik", "SSP"),
    ("sho.kohsar", Role.SHO, "ISB-KOH", "Imran", "Qureshi", "Inspector"),
    ("clerk.kohsar", Role.STATION_CLERK, "ISB-KOH", "Tariq", "Mehmood", "Head Constable"),
    ("io.kohsar", Role.INVESTIGATING_OFFICER, "ISB-KOH", "Sana", "Butt", "Sub-Inspector"),
    ("clerk.clifton", Role.STATION_CLERK, "KHI-CLF", "Rashid", "Memon", "Head Constable"),
    ("cro.islamabad", Role.CRO_OFFICER, "ISB", "Nadia", "Hussain", "Inspector"),
    ("khidmat.kohsar", Role.KHIDMAT_STAFF, "ISB-KOH", "Bilal", "Ahmed", "ASI"),
    ("hotel.demo", Role.HOTEL_STAFF, None, "Hina", "Javed", ""),
]


@transaction.atomic
def seed_organisation() -> list[str]:
    """Create the demo provinces, districts, stations and users; return a line per demo login."""
    provinces = {}
    for code, name, name_ur in PROVINCES:
        provinces[code], _ = Province.objects.update_or_create(code=code, defaults={"name": name, "name_ur": name_ur})
    for code, province_code, name, name_ur, stations in DISTRICTS:
        district, _ = District.objects.update_or_create(
            code=code, defaults={"province": provinces[province_code], "name": name, "name_ur": name_ur}
        )
        for s_code, s_name, s_name_ur, lat, lon in stations:
            PoliceStation.objects.update_or_create(
                code=s_code,
                defaults={
                    "district": district,
                    "name": s_name,
                    "name_ur": f"تھانہ {s_name_ur}",
                    "address": f"Police Station {s_name}, {name}",
                    "latitude": lat,
                    "longitude": lon,
                },
            )
        _seed_circles(district)
    lines = []
    for username, role, place, first, last, rank in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, rank=rank)
            user.set_password(settings.DEMO_PASSWORD)
            if role == Role.SYSTEM_ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        if place and not Posting.objects.filter(user=user).exists():
            if "-" in place:
                Posting.objects.create(user=user, station=PoliceStation.objects.get(code=place), role=role)
            else:
                Posting.objects.create(user=user, district=District.objects.get(code=place), role=role)
        lines.append(f"{username:<16} {role.label}")
    return lines
