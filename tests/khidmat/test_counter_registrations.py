"""The counter files the registrations app's registration for the registration services (matched against the
CRO like an online one), and checks a vehicle on the stolen list by registration, chassis or engine number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, VehicleCheck
from casp.models import AuditEvent
from fir.vehicles import stolen_vehicle_add, stolen_vehicle_recover
from khidmat.models import Application, Counter, ServiceType
from khidmat.services import ApplicationData, application_create
from registrations.models import Channel, Kind, MatchStatus, RegisteredPerson, Registration
from tests.factories import cro_record
from tests.fir.factories import register
from tests.khidmat.conftest import form_body, service

pytestmark = pytest.mark.django_db

TENANT_CNIC = "61101-1234567-1"
MOTORCYCLE = {
    "kind": "motorcycle", "registration_number": "LEC-1234", "chassis_number": "CD70-ABC-123456",
    "engine_number": "HE-7654321", "make": "Honda", "model": "CD 70", "colour": "Red", "year": 2021,
}  # fmt: skip


def _url(centre, code):
    return reverse("khidmat:new", args=[centre.code, code])


def _registration_body(svc, station, **overrides):
    today = timezone.localdate()
    body = form_body(
        svc, station_present=station, station_permanent=station,
        subject_name="Shakeel Ahmed", subject_father_name="Nazir Ahmed", subject_cnic=TENANT_CNIC,
        reg_registrant_name="Landlord Khan", reg_registrant_cnic="35202-7654321-3",
        reg_registrant_phone="0300-7654321", reg_start_date=today.isoformat(),
        reg_address="Office 7, Jinnah Avenue", reg_station=str(station.pk),
        reg_passport_number="AB1234567", reg_nationality="China", reg_visa_type="Work",
        reg_visa_expiry=(today + dt.timedelta(days=200)).isoformat(),
    )  # fmt: skip
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _person_alerts(registration):
    return Alert.objects.filter(
        source_type=ContentType.objects.get_for_model(RegisteredPerson),
        source_id__in=registration.persons.values("pk"),
    )


def _nothing_saved():
    assert not Application.objects.exists()
    assert not Registration.objects.exists() and not RegisteredPerson.objects.exists()
    assert not Alert.objects.exists() and not VehicleCheck.objects.exists()
    assert not Counter.objects.filter(kind="receipt").exclude(last=0).exists()
    assert not AuditEvent.objects.filter(action__in=["khidmat.application_received", "registrations.filed"]).exists()


def test_the_catalogue_says_which_services_register_whom():
    kinds = dict(ServiceType.objects.exclude(registration_kind="").values_list("code", "registration_kind"))
    assert kinds == {
        "tenant-registration": Kind.TENANT, "domestic-servant-registration": Kind.SERVANT,
        "employee-registration": Kind.EMPLOYEE, "private-employee-verification": Kind.EMPLOYEE,
        "foreigner-registration": Kind.FOREIGNER,
    }  # fmt: skip


def test_a_counter_tenancy_of_a_proclaimed_offender_files_the_registration_and_alerts_both_stations(
    clerk_client, clerk, centre, station_a, station_b, django_capture_on_commit_callbacks
):
    record = cro_record(
        name="Shakeel Ahmed", father_name="Nazir Ahmed", cnic=TENANT_CNIC, is_proclaimed_offender=True,
        wanted_by_station=station_b,
    )  # fmt: skip
    svc = service("tenant-registration")
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(_url(centre, svc.code), _registration_body(svc, station_a))
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    tenancy = application.registration
    assert tenancy.kind == Kind.TENANT and tenancy.channel == Channel.COUNTER and tenancy.entered_by == clerk
    assert tenancy.station == station_a and tenancy.registrant_name == "Landlord Khan"
    assert tenancy.address == application.present_address
    assert tenancy.persons.get().cnic == TENANT_CNIC.replace("-", "")
    assert tenancy.match_status == MatchStatus.DONE
    alerts = _person_alerts(tenancy)
    assert {a.station_id for a in alerts} == {station_a.pk, station_b.pk}
    assert {(a.cro_record_id, a.kind, a.source_kind) for a in alerts} == {(record.pk, "cnic", "tenant")}
    assert AuditEvent.objects.filter(action="khidmat.registration_filed", target_id=str(application.pk)).exists()
    # The counter's page says nothing of the hit.
    page = clerk_client.get(reverse("khidmat:detail", args=[application.pk])).content.decode()
    assert "proclaimed" not in page.lower() and "record" not in page.lower()


def test_a_servant_at_the_counter_is_registered_with_the_work_and_home_stations(
    clerk_client, centre, station_a, station_b, django_capture_on_commit_callbacks
):
    svc = service("domestic-servant-registration")
    body = _registration_body(svc, station_b, reg_station=str(station_a.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert clerk_client.post(_url(centre, svc.code), body).status_code == 302
    servant = Application.objects.get().registration
    assert (servant.kind, servant.station, servant.home_station) == (Kind.SERVANT, station_a, station_b)
    assert servant.address == "Office 7, Jinnah Avenue" and servant.persons.get().photo


def test_a_foreigner_is_registered_by_passport(clerk_client, centre, station_a, django_capture_on_commit_callbacks):
    svc = service("foreigner-registration")
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(_url(centre, svc.code), _registration_body(svc, station_a, subject_cnic=""))
    assert response.status_code == 302, response.context["form"].errors
    person = Application.objects.get().registration.persons.get()
    assert (person.cnic, person.passport_number, person.nationality) == (None, "AB1234567", "China")


FUTURE = (dt.date.today() + dt.timedelta(days=90)).isoformat()


@pytest.mark.parametrize(
    ("code", "overrides", "field"),
    [
        ("tenant-registration", {"reg_start_date": FUTURE}, "reg_start_date"),
        ("tenant-registration", {"reg_start_date": "1949-12-31"}, "reg_start_date"),
        ("tenant-registration", {"reg_start_date": "31-31-2026"}, "reg_start_date"),
        ("tenant-registration", {"reg_registrant_cnic": "12345"}, "reg_registrant_cnic"),
        ("tenant-registration", {"reg_registrant_phone": "12"}, "reg_registrant_phone"),
        ("tenant-registration", {"reg_registrant_name": ""}, "reg_registrant_name"),
        ("tenant-registration", {"subject_father_name": ""}, "subject_father_name"),
        ("tenant-registration", {"subject_dob": "1890-01-01"}, "subject_dob"),
        ("domestic-servant-registration", {"reg_station": ""}, "reg_station"),
        ("employee-registration", {"reg_address": ""}, "reg_address"),
        ("foreigner-registration", {"reg_passport_number": "A-1"}, "reg_passport_number"),
        ("foreigner-registration", {"reg_visa_expiry": ""}, "reg_visa_expiry"),
        ("foreigner-registration", {"reg_nationality": ""}, "reg_nationality"),
    ],
)
def test_a_bad_registration_field_refuses_the_whole_application_and_keeps_the_input(
    clerk_client, centre, station_a, code, overrides, field
):
    svc = service(code)
    response = clerk_client.post(_url(centre, svc.code), _registration_body(svc, station_a, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert set(form.errors) == {field}, form.errors
    page = response.content.decode()
    assert 'value="Landlord Khan"' in page or field == "reg_registrant_name"
    assert 'value="House 1, Street 2"' in page  # the present address (the tenancy's address)
    _nothing_saved()


def test_the_same_tenant_at_the_same_address_twice_is_refused_naming_the_address(
    clerk_client, centre, station_a, django_capture_on_commit_callbacks
):
    svc = service("tenant-registration")
    with django_capture_on_commit_callbacks(execute=True):
        assert clerk_client.post(_url(centre, svc.code), _registration_body(svc, station_a)).status_code == 302
    receipts = Counter.objects.get(kind="receipt").last
    response = clerk_client.post(_url(centre, svc.code), _registration_body(svc, station_a))
    assert response.status_code == 200
    assert "already registered at this address" in str(response.context["form"].errors["present_address"])
    assert Application.objects.count() == Registration.objects.count() == 1
    assert Counter.objects.get(kind="receipt").last == receipts  # the second receipt number was given back


def test_a_registration_service_called_without_the_registration_is_refused(clerk, centre, station_a):
    svc = service("tenant-registration")
    data = ApplicationData(
        service=svc, applicant_cnic="3520212345671", applicant_name="A", applicant_phone="03001234567", fee=svc.fee,
        documents=[d for d in svc.documents.all() if d.is_required], subject_name="A", subject_dob=dt.date(1990, 1, 1),
        present_station=station_a, permanent_station=station_a,
    )  # fmt: skip
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        application_create(centre=centre, acting_user=clerk, data=data)
    assert "registration" in exc.value.message_dict
    _nothing_saved()


# --- vehicle verification at the counter ----------------------------------------------------------------------


@pytest.fixture
def stolen_motorcycle(station_a, colleague_a):
    fir = register(station_a, colleague_a, sections="381-A PPC", facts="My motorcycle was stolen outside a shop.")
    return stolen_vehicle_add(fir=fir, acting_user=colleague_a, data=MOTORCYCLE)


def _vehicle_body(svc, station, **numbers):
    body = form_body(svc, station_present=station, station_permanent=station)
    body.update({"vehicle_number": "", "chassis_number": "", "engine_number": "", **numbers})
    return body


def _check(client, centre, station, capture, **numbers):
    svc = service("vehicle-verification")
    with capture(execute=True):
        response = client.post(_url(centre, svc.code), _vehicle_body(svc, station, **numbers))
    assert response.status_code == 302, response.context["form"].errors
    return Application.objects.latest("pk")


def _counter_page(client, application):
    """The detail page the clerk sees, without what differs between any two applications."""
    page = client.get(reverse("khidmat:detail", args=[application.pk])).content.decode()
    for variable in (application.tracking_number, application.receipt_number, application.chassis_number,
                     f"/{application.pk}/"):  # fmt: skip
        page = page.replace(variable, "X")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_stolen_motorcycle_checked_by_its_chassis_number_alerts_the_theft_firs_station(
    clerk_client, centre, station_a, stolen_motorcycle, django_capture_on_commit_callbacks
):
    fir = stolen_motorcycle.fir
    application = _check(
        clerk_client, centre, station_a, django_capture_on_commit_callbacks, chassis_number="cd70 abc 123456"
    )
    assert application.chassis_number == "CD70 ABC 123456" and application.vehicle_hits == [fir.pk]
    alert = Alert.objects.get()
    assert alert.station == fir.station and alert.fir == fir and alert.source_kind == "vehicle_check"
    assert alert.reasons == ["chassis number identical"]
    assert VehicleCheck.objects.get().chassis_key == "CD70ABC123456"


def test_a_recovered_motorcycle_does_not_alert(
    clerk_client, centre, station_a, colleague_a, stolen_motorcycle, django_capture_on_commit_callbacks
):
    stolen_vehicle_recover(vehicle=stolen_motorcycle, acting_user=colleague_a, recovered_on=dt.date.today(),
                           place="Sabzi Mandi")  # fmt: skip
    application = _check(clerk_client, centre, station_a, django_capture_on_commit_callbacks, engine_number="HE7654321")
    assert application.vehicle_hits == [] and not Alert.objects.exists()


def test_the_counter_page_reads_the_same_with_and_without_a_hit(
    clerk_client, centre, station_a, stolen_motorcycle, django_capture_on_commit_callbacks
):
    hit = _check(clerk_client, centre, station_a, django_capture_on_commit_callbacks, chassis_number="CD70-ABC-123456")
    hit_page = _counter_page(clerk_client, hit)  # right after taking it, as the clerk sees it
    miss = _check(clerk_client, centre, station_a, django_capture_on_commit_callbacks, chassis_number="YBR-99887766")
    miss_page = _counter_page(clerk_client, miss)
    assert hit.vehicle_hits and not miss.vehicle_hits
    assert "referred to the police" in hit_page
    assert "stolen" not in hit_page.lower() and f"{stolen_motorcycle.fir.number}/" not in hit_page
    assert hit_page == miss_page


@pytest.mark.parametrize(
    ("numbers", "field", "message"),
    [
        ({}, "vehicle_number", "registration, chassis or engine number"),
        ({"chassis_number": "- - -"}, "chassis_number", "has no letters or digits"),
        ({"engine_number": "HE*76"}, "engine_number", "only letters, digits"),
        ({"vehicle_number": "ABCDEF"}, "vehicle_number", "letters and digits"),
        ({"chassis_number": "AB1"}, "chassis_number", "letters and digits"),
    ],
)
def test_bad_vehicle_numbers_are_refused_naming_the_field(clerk_client, centre, station_a, numbers, field, message):
    svc = service("vehicle-verification")
    response = clerk_client.post(_url(centre, svc.code), _vehicle_body(svc, station_a, **numbers))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {field} and message in str(errors[field]), errors
    _nothing_saved()


def test_the_counter_form_asks_for_the_registration_in_the_registrations_words(clerk_client, centre):
    tenant = clerk_client.get(_url(centre, "tenant-registration")).content.decode()
    assert "Address of the rented property" in tenant and "Name of the landlord or employer" in tenant
    assert 'name="reg_start_date"' in tenant and 'name="reg_address"' not in tenant
    servant = clerk_client.get(_url(centre, "domestic-servant-registration")).content.decode()
    assert "Address of work" in servant and "home address" in servant and 'name="reg_station"' in servant
    foreigner = clerk_client.get(_url(centre, "foreigner-registration")).content.decode()
    assert 'name="reg_passport_number"' in foreigner and 'name="reg_visa_expiry"' in foreigner
    vehicle = clerk_client.get(_url(centre, "vehicle-verification")).content.decode()
    assert all(f'name="{n}"' in vehicle for n in ("vehicle_number", "chassis_number", "engine_number"))
