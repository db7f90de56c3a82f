import pytest
from django import forms
from django.core.exceptions import ValidationError

from casp.cnic import CNIC, CNICFormField


@pytest.mark.parametrize("raw", ["35202-1234567-1", "3520212345671", "  35202-1234567-1 "])
def test_cnic_accepts_dashed_and_plain_forms_and_stores_13_digits(raw):
    cnic = CNIC(raw)
    assert cnic == "3520212345671"
    assert cnic.formatted == "35202-1234567-1"


def test_cnic_tells_province_from_first_digit():
    assert CNIC("35202-1234567-1").province == "Punjab"
    assert CNIC("61101-1234567-2").province == "Islamabad"
    assert CNIC("42101-1234567-3").province == "Sindh"


def test_cnic_odd_last_digit_is_male_even_is_female():
    assert CNIC("3520212345671").gender == "male"
    assert CNIC("3520212345672").gender == "female"


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("35202-123456-1", "length", "13 digits; 12 were entered"),
        ("352021234567123", "length", "15 were entered"),
        ("35202/1234567/1", "format", "5-7-1"),
        ("3520-21234567-1", "format", "5-7-1"),
        ("ABCDE-1234567-1", "format", "13 digits"),
        ("05202-1234567-1", "province", "from 1 to 7; this one begins with 0"),
        ("85202-1234567-1", "province", "begins with 8"),
        ("", "required", "Enter a CNIC"),
    ],
)
def test_malformed_cnic_is_refused_with_a_message_saying_what_is_expected(raw, code, fragment):
    with pytest.raises(ValidationError) as excinfo:
        CNIC(raw)
    error = excinfo.value
    assert error.code == code
    assert fragment in str(error.message % error.params if error.params else error.message)


class _Form(forms.Form):
    cnic = CNICFormField()


def test_form_field_cleans_to_cnic_and_names_the_error():
    form = _Form(data={"cnic": "61101-1234567-2"})
    assert form.is_valid()
    assert isinstance(form.cleaned_data["cnic"], CNIC)
    bad = _Form(data={"cnic": "61101-12345"})
    assert not bad.is_valid()
    assert "A CNIC has 13 digits; 10 were entered" in bad.errors["cnic"][0]


def test_form_field_shows_a_stored_cnic_with_dashes():
    form = _Form(initial={"cnic": CNIC("6110112345672")})
    assert 'value="61101-1234567-2"' in str(form["cnic"])


def test_form_field_help_text_follows_the_language_of_the_request():
    from django.utils import translation

    class Later(forms.Form):
        cnic = CNICFormField()

    with translation.override("ur"):
        assert "ہندسے" in str(Later()["cnic"].help_text)
    with translation.override("en"):
        assert str(Later()["cnic"].help_text).startswith("13 digits")
