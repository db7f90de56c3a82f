from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from casp.roles import Role
from fir.models import Fir, FirStatus
from fir.services import fir_status_change
from fir.verification import fir_token
from tests.factories import posted_user
from tests.fir.factories import register

pytestmark = pytest.mark.django_db


def _form(**overrides):
    now = timezone.localtime()
    data = {
        "submission_key": str(uuid.uuid4()),
        "reported_at": (now - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_from": (now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Sabzi mandi",
        "complainant_name": "Razia Bibi",
        "complainant_cnic": "",
        "sections": "392 PPC",
        "facts": "Two men on a motorcycle snatched my purse at gunpoint.",
        "accused-TOTAL_FORMS": "2",
        "accused-INITIAL_FORMS": "0",
        "accused-MIN_NUM_FORMS": "0",
        "accused-MAX_NUM_FORMS": "50",
        "accused-0-is_unknown": "on",
        "accused-0-description": "young man, black helmet",
    }
    data.update(overrides)
    return data


def test_clerk_registers_an_fir_through_the_form(client_a, station_a):
    url = reverse("fir:register", args=[station_a.code])
    assert client_a.get(url).status_code == 200
    data = _form()
    response = client_a.post(url, data)
    fir = Fir.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("fir:detail", args=[fir.pk])
    assert fir.accused.get().is_unknown
    client_a.post(url, data)  # the same form submitted twice
    assert Fir.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        # Times as offsets from when the test runs (a collection-time "now" is minutes old by then).
        ({"occurred_from": dt.timedelta(minutes=-1)}, "occurred_from", "after the report time"),
        ({"reported_at": dt.timedelta(days=1)}, "reported_at", "future"),
        ({"sections": "392 PPC, 12345"}, "sections", "Unknown section: 12345"),
        ({"complainant_cnic": "1234"}, "complainant_cnic", "13 digits"),
        ({"facts": "   "}, "facts", "cannot be empty"),
    ],
    ids=["occurrence_after_report", "report_in_future", "unknown_section", "malformed_cnic", "empty_facts"],
)
def test_form_shows_the_error_on_the_field_and_saves_nothing(client_a, station_a, overrides, field, text):
    overrides = {
        k: (timezone.localtime() + v).strftime("%Y-%m-%dT%H:%M") if isinstance(v, dt.timedelta) else v
        for k, v in overrides.items()
    }
    response = client_a.post(reverse("fir:register", args=[station_a.code]), _form(**overrides))
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert not Fir.objects.exists()


def test_every_error_is_reported_in_one_round(client_a, station_a):
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = _form(
        complainant_cnic="1234",
        reported_at=future,
        sections="392 PPC, 12345",
        **{"accused-1-name": "Kaloo", "accused-1-cnic": "99"},
    )
    response = client_a.post(reverse("fir:register", args=[station_a.code]), data)
    errors = response.context["form"].errors
    assert "13 digits" in " ".join(errors["complainant_cnic"])
    assert "future" in " ".join(errors["reported_at"])
    assert "Unknown section: 12345" in " ".join(errors["sections"])
    assert "13 digits" in " ".join(response.context["accused"][1].errors["cnic"])
    page = response.content.decode()
    assert "Unknown section: 12345" in page and "cannot be in the future" in page
    assert not Fir.objects.exists()


def test_an_accused_error_from_the_rules_shows_on_its_own_row(client_a, station_a):
    # Row 0 is blank and skipped; the unnamed accused of row 2 is the service's accused-0.
    data = _form(**{"accused-TOTAL_FORMS": "3", "accused-0-is_unknown": "", "accused-0-description": ""})
    data.update({"accused-2-address": "Mohalla Qasaban"})
    response = client_a.post(reverse("fir:register", args=[station_a.code]), data)
    assert "Name the accused" in " ".join(response.context["accused"][2].errors["name"])
    assert not Fir.objects.exists()


def test_more_rows_without_javascript_keeps_what_was_typed_and_adds_an_empty_row(client_a, station_a):
    url = reverse("fir:register", args=[station_a.code])
    rows = {f"accused-{i}-name": f"Accused number {i}" for i in range(3)}
    response = client_a.post(
        url, _form(**{"accused-TOTAL_FORMS": "3", "accused-0-is_unknown": "", **rows}, more_accused="1")
    )
    assert response.status_code == 200 and not Fir.objects.exists()
    assert not response.context["form"].errors
    accused = response.context["accused"]
    assert accused.total_form_count() == 4
    page = response.content.decode()
    assert 'value="Accused number 2"' in page and 'name="accused-3-name"' in page and "Razia Bibi" in page
    data = _form(**{"accused-TOTAL_FORMS": "5", "accused-0-is_unknown": "", **rows})
    data.update({"accused-3-name": "Fourth Accused", "accused-4-name": "Fifth Accused"})
    assert client_a.post(url, data).status_code == 302
    assert list(Fir.objects.get().accused.order_by("id").values_list("name", flat=True))[3:] == [
        "Fourth Accused",
        "Fifth Accused",
    ]


def test_officer_of_other_station_gets_404(client, officer_b, station_a, officer_a):
    fir = register(station_a, officer_a)
    client.force_login(officer_b)
    for url in (
        reverse("fir:detail", args=[fir.pk]),
        reverse("fir:copy", args=[fir.pk, "en"]),
        reverse("fir:register", args=[station_a.code]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("fir:status", args=[fir.pk]), {"to_status": "under_investigation"}).status_code == 404
    assert fir not in client.get(reverse("fir:list")).context["firs"]


def test_district_officer_sees_the_district_but_cannot_register(client, station_a, district_a, officer_a, roles):
    dpo = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo_a")
    fir = register(station_a, officer_a)
    client.force_login(dpo)
    assert client.get(reverse("fir:detail", args=[fir.pk])).status_code == 200
    assert client.get(reverse("fir:register", args=[station_a.code])).status_code == 403


def test_transition_not_allowed_shows_a_message(client_a, station_a, officer_a):
    fir = register(station_a, officer_a)
    response = client_a.post(reverse("fir:status", args=[fir.pk]), {"to_status": "convicted"}, follow=True)
    assert "cannot become Convicted" in response.content.decode()
    fir.refresh_from_db()
    assert fir.status == FirStatus.REGISTERED


def test_arrest_through_the_page(client_a, station_a, officer_a):
    fir = register(station_a, officer_a)
    accused = fir.accused.get()
    at = (timezone.localtime() - dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    client_a.post(reverse("fir:arrest", args=[fir.pk]), {"accused": accused.pk, "arrested_at": at, "place": "Chowk"})
    assert fir.arrests.get().place == "Chowk"


def test_list_query_count_does_not_grow_with_rows(client_a, station_a, officer_a):
    url = reverse("fir:list")
    register(station_a, officer_a)
    client_a.get(url)
    with CaptureQueriesContext(connection) as one:
        client_a.get(url)
    for _ in range(12):
        register(station_a, officer_a)
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url)
    assert len(response.context["firs"]) == 13
    assert len(many) == len(one)


def test_search_by_number_section_status_names_cnic_and_dates(client_a, station_a, officer_a):
    first = register(station_a, officer_a)
    second = register(
        station_a,
        officer_a,
        sections="302 PPC",
        complainant_name="Shazia Parveen",
        complainant_cnic="61101-1111111-2",
        accused=[{"name": "Kaloo Khan", "cnic": "61101-2222222-1"}],
    )
    fir_status_change(fir=second, acting_user=officer_a, to_status=FirStatus.UNDER_INVESTIGATION)
    url = reverse("fir:list")
    from fir.models import Section

    def found(**params):
        return [f.pk for f in client_a.get(url, params).context["firs"]]

    assert found(number=1, year=first.year) == [first.pk]
    assert found(section=Section.objects.get(number="302").pk) == [second.pk]
    assert found(status="under_investigation") == [second.pk]
    assert found(complainant="shazia") == [second.pk]
    assert found(complainant="61101-1111111-2") == [second.pk]
    assert found(accused="kaloo") == [second.pk]
    assert found(accused="6110122222221") == [second.pk]
    today = timezone.localdate().isoformat()
    assert found(date_from=today, date_to=today) == [second.pk, first.pk]
    assert found(date_to="2000-01-01") == []


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Muhammad Aslam", "Mohammad"),
        ("Mohammed Aslam", "Muhammad Aslam"),
        ("Aslam Muhammad", "Mohd Aslam"),
        ("Noor ul Haq", "Noorulhaq"),
        ("Noorulhaq", "Noor-ul-Haq"),
        ("Zia ud Din", "Ziauddin"),
        ("Abdur Rehman", "Abd-ur-Rehman"),
        ("Abdul Rahman", "Abdur Rehman"),
        ("Inam Ullah", "Inamullah"),
        ("محمد اسلم", "محمد اسلم"),
    ],
)
def test_name_search_reads_names_as_the_cro_search_does(client_a, station_a, officer_a, stored, query):
    target = register(station_a, officer_a, complainant_name=stored, accused=[{"name": stored}])
    register(station_a, officer_a, complainant_name="Bashir Ahmad", accused=[{"name": "Nazir Hussain"}])
    url = reverse("fir:list")
    assert [f.pk for f in client_a.get(url, {"complainant": query}).context["firs"]] == [target.pk]
    assert [f.pk for f in client_a.get(url, {"accused": query}).context["firs"]] == [target.pk]


def test_list_pages_by_keyset(client_a, station_a, officer_a, monkeypatch):
    monkeypatch.setattr("fir.views.PAGE_SIZE", 2)
    firs = [register(station_a, officer_a) for _ in range(3)]
    first_page = client_a.get(reverse("fir:list"))
    assert [f.pk for f in first_page.context["firs"]] == [firs[2].pk, firs[1].pk]
    second_page = client_a.get(reverse("fir:list"), {"before": first_page.context["next_cursor"]})
    assert [f.pk for f in second_page.context["firs"]] == [firs[0].pk]


def test_public_verification_page_shows_no_private_details(client, station_a, officer_a):
    fir = register(station_a, officer_a)
    response = client.get(reverse("fir:verify", args=[fir_token(fir)]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{fir.number}/{fir.year}" in html and station_a.name in html and "379 PPC" in html
    for private in ("Muhammad Aslam", "3520212345671", "35202-1234567-1", "motorcycle", "Bashir", "House 4"):
        assert private not in html


def test_verification_token_cannot_be_forged_or_enumerated(client, station_a, officer_a):
    fir = register(station_a, officer_a)
    token = fir_token(fir)
    assert str(fir.pk) not in token.split(":")[-1]
    assert client.get(reverse("fir:verify", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("fir:verify", args=["1"])).status_code == 404


def test_station_dashboard_shows_diary_firs_by_status_and_workload(client_a, station_a, officer_a, colleague_a):
    io = posted_user(Role.INVESTIGATING_OFFICER, station=station_a, username="io_dash", first_name="Imran")
    fir = register(station_a, officer_a)
    from fir.services import fir_assign_io

    fir_assign_io(fir=fir, acting_user=colleague_a, officer=io)
    response = client_a.get(reverse("stations:dashboard", args=[station_a.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "FIR No. 1/" in html  # today's diary holds the registration entry
    assert 'id="firs-by-status"' in html and "io_dash" in html


def test_register_fir_button_on_home_and_dashboard_for_those_who_may_register(client, station_a, officer_a, roles):
    url = reverse("fir:register", args=[station_a.code])
    dashboard = reverse("stations:dashboard", args=[station_a.code])
    client.force_login(officer_a)  # station clerk posted at A
    assert f'href="{url}"' in client.get("/").content.decode()
    assert f'href="{url}"' in client.get(dashboard).content.decode()
    io = posted_user(Role.INVESTIGATING_OFFICER, station=station_a, username="io_a")
    client.force_login(io)  # may read FIRs, may not register them
    assert "Register FIR" not in client.get("/").content.decode()
    assert "Register FIR" not in client.get(dashboard).content.decode()
    assert client.get(url).status_code == 403


def test_resubmitted_form_with_other_content_says_already_submitted_and_shows_the_saved_fir(client_a, station_a):
    url = reverse("fir:register", args=[station_a.code])
    data = _form()
    first = client_a.post(url, data, follow=True)
    assert "registered" in first.content.decode()
    fir = Fir.objects.get()
    again = client_a.post(url, {**data, "complainant_name": "Someone Else", "place": "Another place"}, follow=True)
    page = again.content.decode()
    assert again.redirect_chain == [(reverse("fir:detail", args=[fir.pk]), 302)]
    assert "This form was already submitted; here is what was saved" in page
    assert f"{fir} registered." not in page
    assert "Razia Bibi" in page and "Someone Else" not in page
    assert Fir.objects.count() == 1
    fir.refresh_from_db()
    assert fir.complainant_name == "Razia Bibi"


def test_already_submitted_message_is_in_urdu_for_an_urdu_reader(client_a, station_a):
    url = reverse("fir:register", args=[station_a.code])
    data = _form()
    client_a.post(url, data)
    client_a.cookies["django_language"] = "ur"
    # LocaleMiddleware leaves Urdu active in this thread; the override puts the previous language back after.
    with translation.override(translation.get_language()):
        page = client_a.post(url, {**data, "place": "Another place"}, follow=True).content.decode()
    assert "یہ فارم پہلے ہی جمع ہو چکا ہے" in page
