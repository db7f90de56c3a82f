"""Demo data: a Khidmat Markaz at PS Kohsar, Islamabad, with its counter staff and in-charge."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from casp.models import User
from casp.roles import Role
from khidmat.models import CentreStaff, KhidmatCentre
from stations.models import District

CENTRE_CODE = "KHM-ISB-01"


@transaction.atomic
def seed_centres() -> list[str]:
    """Create the demo centre and bind ``khidmat.kohsar`` (counter) and ``khidmat.incharge`` to it (idempotent)."""
    district = District.objects.filter(code="ISB").first()
    if district is None:
        return ["Khidmat Markaz: no Islamabad district (seed stations first)."]
    centre, _created = KhidmatCentre.objects.update_or_create(
        code=CENTRE_CODE,
        defaults={
            "name": "Police Khidmat Markaz Kohsar",
            "name_ur": "پولیس خدمت مرکز کوہسار",
            "district": district,
            "address": "PS Kohsar, Kohsar Market, F-6/3, Islamabad",
            "counters": 4,
        },
    )
    lines = []
    for username, first, last, rank, incharge in (
        ("khidmat.kohsar", "Bilal", "Ahmed", "ASI", False),
        ("khidmat.incharge", "Farah", "Naz", "Inspector", True),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, rank=rank)
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        role = Role.KHIDMAT_INCHARGE if incharge else Role.KHIDMAT_STAFF
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        CentreStaff.objects.get_or_create(user=user, centre=centre, defaults={"is_incharge": incharge})
        lines.append(f"{username:<16} {role.label}, {centre.name}")
    return lines
