from __future__ import annotations

from pathlib import Path

import factory
from django.contrib.auth.models import Group

from casp.models import User
from casp.roles import Role
from stations.models import District, PoliceStation, Posting, Province

# Real photographs for the face tests, carried in the project with their licence (tests/data/faces/LICENSE).
FACES = Path(__file__).resolve().parent / "data" / "faces"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "ICT"
    name = "Islamabad Capital Territory"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"District {n}")


class PoliceStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceStation

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"PS-{n:04d}")
    name = factory.Sequence(lambda n: f"Station {n}")
    name_ur = "تھانہ"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


def posted_user(role: Role, *, station: PoliceStation | None = None, district: District | None = None, **kw) -> User:
    """Create a user with ``role``'s group and an active posting to ``station`` or ``district``."""
    user = UserFactory(**kw)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if station is not None or district is not None:
        Posting.objects.create(user=user, station=station, district=district, role=role)
    return user


# --- CRO (issue 4) ---------------------------------------------------------------------------------


def cro_record(**kw):
    """Create a CRO record through the service (so its search keys are set); ``aliases`` may be given."""
    from cro.services import record_create

    aliases = kw.pop("aliases", ())
    data = {"name": "Test Person", "father_name": "Test Father", **kw}
    return record_create(acting_user=None, data=data, aliases=aliases, source="test")


# --- hoteleye ---------------------------------------------------------------------------------------------------
class HotelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hoteleye.Hotel"

    station = factory.SubFactory(PoliceStationFactory)
    district = factory.LazyAttribute(lambda o: o.station.district)
    code = factory.Sequence(lambda n: f"H{n:04d}")
    name = factory.Sequence(lambda n: f"Hotel {n}")
    licence_number = factory.Sequence(lambda n: f"LIC-{n:05d}")
    address = "Main Road"
    rooms = 20


def hotel_staff_user(hotel, **kw) -> User:
    """Create a user bound to ``hotel`` as its staff, with the hotel staff role."""
    from hoteleye.models import HotelStaff

    user = UserFactory(**kw)
    user.groups.add(Group.objects.get_or_create(name=Role.HOTEL_STAFF.value)[0])
    HotelStaff.objects.create(user=user, hotel=hotel)
    return user
