from django.urls import reverse

from casp.roles import Role
from stations.selectors import stations_for_user
from tests.factories import PoliceStationFactory, posted_user


def test_clerk_sees_own_station_page(client, officer_a, station_a):
    client.force_login(officer_a)
    response = client.get(reverse("stations:detail", args=[station_a.code]))
    assert response.status_code == 200
    assert b"Alpha" in response.content


def test_clerk_of_other_station_gets_404(client, officer_b, station_a):
    client.force_login(officer_b)
    response = client.get(reverse("stations:detail", args=[station_a.code]))
    assert response.status_code == 404
    assert b"Alpha" not in response.content


def test_unknown_station_and_foreign_station_answer_alike(client, officer_b, station_a):
    client.force_login(officer_b)
    foreign = client.get(reverse("stations:detail", args=[station_a.code]))
    unknown = client.get(reverse("stations:detail", args=["NO-SUCH"]))
    assert foreign.status_code == unknown.status_code == 404

    def strip_tokens(html: bytes) -> str:
        import re

        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
        return text.replace(station_a.code, "X").replace("NO-SUCH", "X")  # the page echoes its own address

    assert strip_tokens(foreign.content) == strip_tokens(unknown.content)


def test_station_list_shows_only_the_users_stations(client, officer_a, station_a, station_b):
    client.force_login(officer_a)
    response = client.get(reverse("stations:list"))
    codes = [s.code for s in response.context["page"]]
    assert codes == ["PS-A"]


def test_district_officer_sees_every_station_of_the_district_only(district_a, station_a, station_b, roles):
    second = PoliceStationFactory(district=district_a, code="PS-A2")
    dpo = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo")
    assert set(stations_for_user(dpo).values_list("code", flat=True)) == {"PS-A", second.code}


def test_ended_posting_gives_no_jurisdiction(officer_a):
    from datetime import timedelta

    from django.utils import timezone

    posting = officer_a.postings.get()
    posting.starts_on = timezone.localdate() - timedelta(days=30)
    posting.ends_on = timezone.localdate() - timedelta(days=1)
    posting.save(update_fields=["starts_on", "ends_on"])
    assert not stations_for_user(officer_a).exists()


def test_station_list_runs_a_fixed_number_of_queries(client, officer_a, district_a, django_assert_max_num_queries):
    for n in range(30):
        posted = PoliceStationFactory(district=district_a, code=f"PS-X{n}")
        officer_a.postings.create(station=posted, role=Role.STATION_CLERK)
    client.force_login(officer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("stations:list"))
    assert len(response.context["page"]) == 31
