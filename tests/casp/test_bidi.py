"""Numbers, CNICs, phone numbers, dates and codes read left to right inside Urdu text (casp.bidi)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from casp.bidi import LRI, PDI, ltr, ltr_text
from casp.cnic import CNIC, CNICFormField
from casp.phone import phone_normalise

ISOLATED_CNIC = '<bdi dir="ltr" class="ltr">35202-1234567-1</bdi>'


@pytest.fixture(autouse=True)
def english_afterwards():
    """Requests in Urdu leave Urdu active in this thread (LocaleMiddleware); later tests expect English."""
    yield
    translation.activate("en")


def test_ltr_escapes_and_isolates_a_value():
    assert ltr("<b>1</b>") == '<bdi dir="ltr" class="ltr">&lt;b&gt;1&lt;/b&gt;</bdi>'
    assert Template("{{ v|ltr }}").render(Context({"v": "0300-1234567"})) == (
        '<bdi dir="ltr" class="ltr">0300-1234567</bdi>'
    )


def test_plain_text_values_are_isolated_only_in_a_right_to_left_language():
    with translation.override("ur"):
        assert ltr_text("35202-1234567-1") == f"{LRI}35202-1234567-1{PDI}"
    with translation.override("en"):
        assert ltr_text("35202-1234567-1") == "35202-1234567-1"


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_cnic_help_text_sets_its_example_in_a_left_to_right_isolate(lang):
    field = CNICFormField()
    with translation.override(lang):
        help_text = str(field.help_text)
    assert ISOLATED_CNIC in help_text
    if lang == "ur":
        assert "مثلاً" in help_text


@pytest.mark.parametrize(
    ("value", "isolated"),
    [("35202-12345", "35202-1234567-1"), ("abc", "35202-1234567-1"), ("8520212345671", "8")],
)
def test_cnic_errors_in_urdu_isolate_their_numbers(value, isolated):
    with translation.override("ur"), pytest.raises(ValidationError) as excinfo:
        CNIC(value)
    assert f"{LRI}{isolated}{PDI}" in excinfo.value.messages[0]


def test_phone_error_in_urdu_isolates_both_examples():
    with translation.override("ur"), pytest.raises(ValidationError) as excinfo:
        phone_normalise("12345")
    message = excinfo.value.messages[0]
    assert f"{LRI}0300-1234567{PDI}" in message and f"{LRI}+92 300 1234567{PDI}" in message


def test_urdu_complaint_form_sets_cnic_and_phone_examples_left_to_right(client, db):
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    html = client.get(reverse("complaints:new")).content.decode()
    assert 'dir="rtl"' in html
    assert ISOLATED_CNIC in html
    assert '<bdi dir="ltr" class="ltr">0300-1234567</bdi>' in html


def test_urdu_fir_form_sets_section_examples_left_to_right(client_a, station_a):
    client_a.post(reverse("set_language"), {"language": "ur", "next": "/"})
    html = client_a.get(reverse("fir:register", args=[station_a.code])).content.decode()
    assert '<bdi dir="ltr" class="ltr">302 PPC, 324 PPC, 13-20-65 AO</bdi>' in html
    assert ISOLATED_CNIC in html


def test_urdu_fir_page_sets_sections_left_to_right_with_urdu_titles(client_a, station_a, officer_a):
    from tests.fir.factories import register

    fir = register(station_a, officer_a)
    client_a.post(reverse("set_language"), {"language": "ur", "next": "/"})
    html = client_a.get(reverse("fir:detail", args=[fir.pk])).content.decode()
    assert '<bdi dir="ltr" class="ltr">379 PPC</bdi> — چوری' in html
