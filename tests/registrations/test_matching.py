"""Registered people run through the shared matching after commit; a hit alerts the right stations, silently."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cro import services as cro_services
from cro.faces import face_index_reset
from registrations.models import MatchStatus, Registration
from registrations.tasks import registration_match_task, sweep_unmatched_task
from tests.factories import FACES, cro_record
from tests.registrations.conftest import CNIC_TENANT, form_body, registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_face_index(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    face_index_reset()
    yield
    face_index_reset()


def _alert_stations(registration_obj):
    from django.contrib.contenttypes.models import ContentType

    from alerts.models import Alert
    from registrations.models import RegisteredPerson

    alerts = Alert.objects.filter(
        source_type=ContentType.objects.get_for_model(RegisteredPerson),
        source_id__in=registration_obj.persons.values("pk"),
    )
    return alerts, {a.station_id for a in alerts}


def _face(name):
    return SimpleUploadedFile(name, (FACES / name).read_bytes(), content_type="image/jpeg")


def test_a_tenant_with_a_wanted_cnic_alerts_the_address_station_and_the_flagging_station(
    client, station_a, station_b, roles, django_capture_on_commit_callbacks
):
    record = cro_record(name="Shakeel Ahmed", cnic=CNIC_TENANT, is_wanted=True, wanted_by_station=station_b)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("registrations:new", args=["tenant"]), form_body(station_a)).status_code == 302
    tenancy = Registration.objects.get()
    assert tenancy.match_status == MatchStatus.DONE and tenancy.matched_at is not None
    alerts, stations = _alert_stations(tenancy)
    assert stations == {station_a.pk, station_b.pk}
    assert {a.cro_record_id for a in alerts} == {record.pk}
    # Running the task again raises nothing new.
    count = alerts.count()
    Registration.objects.filter(pk=tenancy.pk).update(match_status=MatchStatus.PENDING)
    registration_match_task.apply(kwargs={"registration_id": tenancy.pk})
    assert _alert_stations(tenancy)[0].count() == count


def test_a_servants_photo_matches_a_cro_photo_and_alerts_work_and_home_stations(
    station_a, station_b, roles, django_capture_on_commit_callbacks
):
    record = cro_record(name="Barack Obama", father_name="Barack Obama Sr", is_wanted=True)
    with django_capture_on_commit_callbacks(execute=True):
        cro_services.photo_add(record=record, acting_user=None, upload=_face("obama.jpg"))
    from casp.uploads import process_image

    with django_capture_on_commit_callbacks(execute=True):
        servant = registration(
            station_a, kind="servant", cnic="4210112345671", name="Someone Else", father_name="Other Father",
            home_station=station_b, photo=process_image(_face("obama2.jpg")),
        )  # fmt: skip
    alerts, stations = _alert_stations(servant)
    assert stations == {station_a.pk, station_b.pk}
    assert {(a.cro_record_id, a.kind) for a in alerts} == {(record.pk, "face")}


def test_the_landlords_pages_are_identical_with_and_without_a_hit(
    client, station_a, roles, django_capture_on_commit_callbacks
):
    cro_record(name="Shakeel Ahmed", cnic=CNIC_TENANT, is_wanted=True)

    def register(cnic):
        with django_capture_on_commit_callbacks(execute=True):
            posted = client.post(
                reverse("registrations:new", args=["tenant"]), form_body(station_a, **{"person-cnic": cnic})
            )
        shown = client.get(posted["Location"])
        tenancy = Registration.objects.latest("id")
        pages = [posted.content, shown.content]
        return tenancy, [
            re.sub(rb'value="[^"]{20,}"', b"", p).replace(tenancy.tracking_number.encode(), b"X") for p in pages
        ]

    hit, hit_pages = register(CNIC_TENANT)
    plain, plain_pages = register("4210199999991")
    assert _alert_stations(hit)[1] and not _alert_stations(plain)[1]
    assert hit_pages == plain_pages


def test_the_sweep_recovers_a_registration_whose_task_was_lost(station_a, roles, django_capture_on_commit_callbacks):
    cro_record(name="Shakeel Ahmed", cnic=CNIC_TENANT, is_wanted=True)
    with django_capture_on_commit_callbacks(execute=False) as lost:
        tenancy = registration(station_a)
    assert len(lost) == 1 and tenancy.match_status == MatchStatus.PENDING
    assert sweep_unmatched_task() == 0  # too recent: its task may still be on the way
    Registration.objects.filter(pk=tenancy.pk).update(received_at=timezone.now() - timezone.timedelta(minutes=5))
    assert sweep_unmatched_task() == 1
    tenancy.refresh_from_db()
    assert tenancy.match_status == MatchStatus.DONE and _alert_stations(tenancy)[1] == {station_a.pk}
