"""Demo data: a Khidmat Markaz at PS Kohsar, Islamabad, with its counter staff and in-charge."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from casp.cnic import CNIC
from casp.models import User
from casp.roles import Role
from khidmat.models import Application, CentreStaff, KhidmatCentre, ServiceType
from khidmat.services import ApplicationData, application_create
from stations.models import District, PoliceStation

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
    if not Application.objects.filter(centre=centre).exists():
        lines.extend(_seed_applications(centre))
    return lines


def _seed_applications(centre: KhidmatCentre) -> list[str]:
    """File two demo applications through the services: a loss report (issued at once) and a character
    certificate waiting for its CRO check and the verifications of PS Kohsar and PS Margalla."""
    clerk = User.objects.get(username="khidmat.kohsar")
    kohsar = PoliceStation.objects.get(code="ISB-KOH")
    margalla = PoliceStation.objects.get(code="ISB-MAR")
    loss = ServiceType.objects.get(code="loss-report")
    character = ServiceType.objects.get(code="character-certificate")
    common = {
        "applicant_cnic": CNIC("61101-2345678-9"),
        "applicant_name": "Usman Ghani",
        "applicant_phone": "03001112233",
    }
    filed = [
        application_create(
            centre=centre, acting_user=clerk,
            data=ApplicationData(service=loss, fee=loss.fee, documents=list(loss.documents.all()),
                                 details="Wallet with CNIC and ATM card lost in Jinnah Super, F-7.", **common),
        ),
        application_create(
            centre=centre, acting_user=clerk,
            data=ApplicationData(
                service=character, fee=character.fee,
                documents=[d for d in character.documents.all() if d.is_required],
                subject_name="Usman Ghani", subject_father_name="Abdul Ghani", subject_dob=datetime.date(1994, 8, 14),
                present_address="House 12, Street 5, F-6/3", present_station=kohsar,
                permanent_address="Mohalla Qazian, Chakwal", permanent_station=margalla, **common,
            ),
        ),
    ]  # fmt: skip
    return [f"{a.service.name}: tracking number {a.tracking_number}, mobile 03001112233" for a in filed]
