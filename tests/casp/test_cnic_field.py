"""The CNIC model field on a real PostgreSQL table."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps

from casp.cnic import CNIC, CNICField


@pytest.fixture
def person_model(db):
    # An isolated app registry keeps this throwaway model out of makemigrations.
    with isolate_apps("casp"):

        class Person(models.Model):  # noqa: DJ008
            cnic = CNICField(unique=True, null=True, blank=True)

            class Meta:
                app_label = "casp"
                db_table = "test_cnic_person"

        with connection.schema_editor() as editor:
            editor.create_model(Person)
        yield Person
        with connection.schema_editor() as editor:
            editor.delete_model(Person)


def test_cnic_field_stores_digits_and_finds_them_in_any_accepted_format(person_model):
    person_model.objects.create(cnic="61101-1234567-2")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cnic FROM test_cnic_person")
        assert cursor.fetchone()[0] == "6110112345672"
    found = person_model.objects.get(cnic="6110112345672")
    assert isinstance(found.cnic, CNIC)
    assert person_model.objects.filter(cnic="61101-1234567-2").count() == 1


def test_cnic_field_full_clean_refuses_a_malformed_cnic(person_model):
    with pytest.raises(ValidationError) as excinfo:
        person_model(cnic="99999-1234567-1").full_clean()
    assert "begins with a province digit" in excinfo.value.message_dict["cnic"][0]
    assert person_model.objects.count() == 0
