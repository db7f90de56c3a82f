from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from complaints.models import Category, Complaint
from tests.complaints.factories import filed


@pytest.mark.django_db
def test_categories_are_seeded_with_the_domain_deadlines():
    hours = {c.code: (c.contact_hours, c.reply_hours, c.is_police_conduct) for c in Category.objects.all()}
    assert hours["illegal-detention"] == (24, 24, True)
    assert hours["misconduct-bribery"] == (24, 24, True)
    assert hours["fir-not-registered"] == (24, 72, True)
    assert hours["wrongful-arrest"] == (24, 72, True)
    assert hours["false-fir"][2] is True
    assert hours["crime-report"] == (24, 336, False)
    assert hours["faulty-investigation"] == (24, 336, False)
    assert hours["other"] == (24, 336, False)


@pytest.mark.django_db
def test_a_reply_deadline_shorter_than_the_contact_deadline_is_refused_by_the_database():
    category = Category.objects.get(code="other")
    category.reply_hours = 10
    with pytest.raises(IntegrityError), transaction.atomic():
        category.save(update_fields=["reply_hours"])


@pytest.mark.django_db
def test_database_refuses_a_malformed_phone(station_a):
    complaint = filed(station_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(phone="12345")


@pytest.mark.django_db
def test_database_refuses_an_incident_after_filing(station_a):
    complaint = filed(station_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(incident_at=complaint.created_at + timedelta(days=1))
