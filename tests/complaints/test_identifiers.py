import pytest
from django.core.exceptions import ValidationError

from casp.phone import phone_normalise
from complaints.identifiers import tracking_number_new, tracking_number_normalise


@pytest.mark.parametrize("raw", ["0300-1234567", "03001234567", "+92 300 1234567", "923001234567", "0092-300-1234567"])
def test_mobile_numbers_in_every_usual_spelling_become_11_digits(raw):
    assert phone_normalise(raw) == "03001234567"


@pytest.mark.parametrize("raw", ["12345", "0300-123456", "051-1234567", "0300-1234567x", "+44 7700 900123"])
def test_anything_else_is_not_a_mobile_number(raw):
    with pytest.raises(ValidationError, match="11 digits starting with 03"):
        phone_normalise(raw)


def test_tracking_numbers_read_back_forgivingly():
    number = tracking_number_new()
    assert tracking_number_normalise(number.lower().replace("-", " ")) == number
    assert tracking_number_normalise("k7qh m2xd 9rta") == "K7QH-M2XD-9RTA"
    assert tracking_number_normalise("O1IL-0000-0000") == "0111-0000-0000"
    assert tracking_number_normalise("short") == ""
    assert tracking_number_normalise("UUUU-UUUU-UUUU") == ""  # U is not in the alphabet
