"""Numbers typed with an Urdu or Arabic keyboard are the same numbers: every CNIC, phone, tracking-number,
FIR-number and search input accepts them (casp.text.normalize_digits)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casp.cnic import CNIC, CNICFormField
from casp.phone import PhoneFormField, phone_normalise
from casp.roles import Role
from casp.text import normalize_digits

URDU = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SCRIPTS = pytest.mark.parametrize("script", [URDU, ARABIC], ids=["urdu", "arabic-indic"])


def test_normalize_digits_maps_urdu_arabic_indic_and_fullwidth_digits():
    assert normalize_digits("۳۷۴۰۵-۱۲۳۴۵۶۷-۱") == "37405-1234567-1"
    assert normalize_digits("٠٣٠٠١٢٣٤٥٦٧") == "03001234567"
    assert normalize_digits("０３００") == "0300"
    assert normalize_digits("\u200e0300\u200f") == "0300"  # invisible direction marks dropped
    assert normalize_digits(None) is None


@SCRIPTS
def test_cnic_in_urdu_or_arabic_digits_is_accepted(script):
    assert CNIC("37405-1234567-1".translate(script)) == "3740512345671"
    assert CNICFormField().clean("3740512345671".translate(script)) == "3740512345671"


@pytest.mark.parametrize("text", ["37405 1234567 1", "37405 - 1234567 - 1", " 37405-1234567 1 "])
def test_cnic_with_spaces_between_the_groups_is_accepted(text):
    assert CNIC(text) == "3740512345671"


def test_cnic_error_names_an_ascii_digit_never_the_urdu_one():
    with pytest.raises(ValidationError, match="this one begins with 9"):
        CNIC("۹۷۴۰۵-۱۲۳۴۵۶۷-۱")


@SCRIPTS
def test_phone_in_urdu_or_arabic_digits_is_accepted(script):
    assert phone_normalise("0300-1234567".translate(script)) == "03001234567"
    assert PhoneFormField().clean("+92 300 1234567".translate(script)) == "03001234567"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("051-1234567", "0511234567"), ("021 3456 7890", "02134567890"), ("+44 20 7946 0958", "+442079460958")],
)
def test_a_phone_field_that_is_not_mobile_only_takes_landlines_and_foreign_numbers(raw, stored):
    assert PhoneFormField(mobile_only=False).clean(raw) == stored


@pytest.mark.parametrize("raw", ["abc", "12", "0300-12345678901", "call me"])
def test_a_phone_that_is_not_a_number_is_refused_with_what_is_expected(raw):
    with pytest.raises(ValidationError, match="Enter a phone number in digits"):
        PhoneFormField(mobile_only=False, required=False).clean(raw)


# --- each input ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@SCRIPTS
def test_public_complaint_filed_with_urdu_cnic_and_phone(client, station_a, script):
    from complaints.models import Complaint
    from tests.complaints.conftest import form_data

    data = form_data(station_a, cnic="35202-1234567-2".translate(script), phone="0300-1234567".translate(script))
    response = client.post("/complaints/new/", data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.cnic == "3520212345672" and complaint.phone == "03001234567"


@pytest.mark.django_db
@SCRIPTS
def test_tracking_with_urdu_digits_finds_the_complaint(client, station_a, script):
    from tests.complaints.factories import filed

    complaint = filed(station_a)
    response = client.post(
        "/complaints/track/",
        {
            "tracking_number": complaint.tracking_number.translate(script),
            "phone_or_cnic": "0300-1234567".translate(script),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/complaints/track/status/"


@pytest.mark.django_db
def test_fir_form_refuses_a_complainant_phone_of_abc(client_a, station_a):
    from fir.models import Fir
    from tests.fir.test_views import _form as _post_body

    response = client_a.post(reverse("fir:register", args=[station_a.code]), _post_body(complainant_phone="abc"))
    assert "Enter a phone number in digits" in response.content.decode()
    assert not Fir.objects.exists()


@pytest.mark.django_db
@SCRIPTS
def test_fir_form_stores_an_urdu_phone_and_cnic_as_ascii(client_a, station_a, script):
    from fir.models import Fir
    from tests.fir.test_views import _form as _post_body

    body = _post_body(
        complainant_phone="0300-1234567".translate(script), complainant_cnic="61101-1111111-2".translate(script)
    )
    client_a.post(reverse("fir:register", args=[station_a.code]), body)
    fir = Fir.objects.get()
    assert fir.complainant_phone == "03001234567" and fir.complainant_cnic == "6110111111112"


@pytest.mark.django_db
@SCRIPTS
def test_fir_search_with_urdu_digits(client_a, station_a, officer_a, script):
    from tests.fir.factories import register

    fir = register(station_a, officer_a, complainant_cnic="61101-1111111-2")
    url = reverse("fir:list")

    def found(**params):
        return [f.pk for f in client_a.get(url, params).context["firs"]]

    assert found(number=str(fir.number).translate(script), year=str(fir.year).translate(script)) == [fir.pk]
    assert found(complainant="61101-1111111-2".translate(script)) == [fir.pk]


@pytest.mark.django_db
@SCRIPTS
def test_cro_search_with_urdu_cnic_finds_the_record(client, district_a, roles, script):
    from tests.factories import cro_record, posted_user

    record = cro_record(name="Muhammad Yousaf", cnic="35202-1234567-1")
    client.force_login(posted_user(Role.CRO_OFFICER, district=district_a, username="cro1"))
    page = client.get(reverse("cro:search"), {"q": "35202-1234567-1".translate(script)}).content.decode()
    assert record.get_absolute_url() in page


@pytest.mark.django_db
def test_cro_search_accepts_a_cnic_with_spaces_and_refuses_a_partial_one(cro_officer_client):
    from casp.models import AuditEvent
    from tests.factories import cro_record

    record = cro_record(name="Muhammad Yousaf", cnic="35202-1234567-1")
    page = cro_officer_client.get(reverse("cro:search"), {"q": "35202 1234567 1"}).content.decode()
    assert record.get_absolute_url() in page
    page = cro_officer_client.get(reverse("cro:search"), {"q": "12345-123"}).content.decode()
    assert "A CNIC has 13 digits; 8 were entered" in page
    assert not AuditEvent.objects.filter(action="cro.search_name").exists()  # never searched as a name


@pytest.mark.django_db
@SCRIPTS
def test_register_search_finds_a_cnic_with_or_without_dashes_in_any_digits(client_a, station_a, officer_a, script):
    from stations.registers import BY_CODE
    from stations.services import register_entry_add

    register_entry_add(
        station=station_a,
        register=BY_CODE["xi"],
        acting_user=officer_a,
        data={"name": "Aslam", "cnic": CNIC("35202-1234567-1"), "reason": "loitering"},
    )
    url = reverse("stations:register_list", args=[station_a.code, "xi"])
    for q in ("3520212345671", "35202-1234567-1", "35202 1234567 1", "35202-1234567-1".translate(script)):
        rows = client_a.get(url, {"q": q}).context["rows"]
        assert [e.data["name"] for e, _ in rows] == ["Aslam"], q


@pytest.fixture
def cro_officer_client(client, district_a, roles):
    from tests.factories import posted_user

    client.force_login(posted_user(Role.CRO_OFFICER, district=district_a, username="cro1"))
    return client


@pytest.mark.django_db
@SCRIPTS
def test_fir_sections_typed_in_urdu_digits_are_found(client_a, station_a, script):
    from fir.models import Fir
    from tests.fir.test_views import _form

    client_a.post(reverse("fir:register", args=[station_a.code]), _form(sections="392 PPC".translate(script)))
    assert [str(s) for s in Fir.objects.get().sections.all()] == ["392 PPC"]
    sections = client_a.get(reverse("fir:sections"), {"q": "392".translate(script)}).context["sections"]
    assert [s.title for s in sections] == ["Robbery"]


def test_number_boxes_are_text_inputs_that_take_urdu_digits():
    """Chromium drops Urdu digits typed into <input type="number">, so FIR numbers and years are text boxes."""
    from fir.forms import FirSearchForm, StolenVehicleForm
    from khidmat.forms import ApplicationForm
    from stations.forms import RegisterSearchForm

    boxes = [
        FirSearchForm(stations=None).fields["number"],
        FirSearchForm(stations=None).fields["year"],
        StolenVehicleForm().fields["year"],
        RegisterSearchForm().fields["year"],
        ApplicationForm.base_fields["fir_number"],
        ApplicationForm.base_fields["fir_year"],
    ]
    for field in boxes:
        html = field.widget.render("n", None, attrs=field.widget_attrs(field.widget))
        assert 'type="text"' in html and 'inputmode="numeric"' in html and 'dir="ltr"' in html, html
        assert field.clean("۲۰۲۶") == 2026 and field.clean("٢٠٢٦") == 2026
