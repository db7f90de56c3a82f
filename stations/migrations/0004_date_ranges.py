# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    # An end date is never nulled: that would make an ended posting (and its access) active again.
    Repair("stations_posting", "starts_on", "1947-01-01", date=True),
    Repair("stations_posting", "ends_on", "1947-01-01", date=True),
    Repair("stations_registerentry", "created_at", "2000-01-01"),
    Repair("stations_registerentry", "received_at", "1947-01-01", action=NULL),  # empty: the hour of the entry
    Repair("stations_registerentry", "voided_at", "2000-01-01", action=NULL),
    Repair("stations_registerentryversion", "created_at", "2000-01-01", hint="versions are append-only"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0003_registers_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="posting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("starts_on__gte", datetime.date(1947, 1, 1)), ("starts_on__lt", datetime.date(2200, 1, 1))
                ),
                name="stations_posting_starts_on_range",
                violation_error_message="starts_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="posting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends_on__isnull", True),
                    models.Q(("ends_on__gte", datetime.date(1947, 1, 1)), ("ends_on__lt", datetime.date(2200, 1, 1))),
                    _connector="OR",
                ),
                name="stations_posting_ends_on_range",
                violation_error_message="ends_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="stations_registerentry_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("received_at__isnull", True),
                    models.Q(
                        ("received_at__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("received_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="stations_registerentry_received_at_range",
                violation_error_message="received_at is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("voided_at__isnull", True),
                    models.Q(
                        ("voided_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("voided_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="stations_registerentry_voided_at_range",
                violation_error_message="voided_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentryversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="stations_registerentryversion_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
