# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    # An unknown date is better than an impossible one: optional dates are emptied (the flags stay).
    Repair("cro_criminalrecord", "date_of_birth", "1900-01-01", date=True, action=NULL),
    *(
        Repair("cro_criminalrecord", column, "1947-01-01", date=True, action=NULL)
        for column in (
            "wanted_since",
            "proclaimed_on",
            "absconding_since",
            "under_trial_since",
            "convicted_on",
            "released_on",
        )
    ),
    Repair("cro_criminalrecord", "created_at", "2000-01-01"),
    Repair("cro_criminalrecord", "updated_at", "2000-01-01"),
    Repair("cro_recordphoto", "uploaded_at", "2000-01-01"),
    Repair("cro_fingerprintcard", "taken_on", "1947-01-01", date=True, action=NULL),
    Repair("cro_fingerprintcard", "uploaded_at", "2000-01-01"),
    Repair("cro_faceencoding", "created_at", "2000-01-01"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cro", "0001_initial"),
        ("stations", "0004_date_ranges"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_of_birth__isnull", True),
                    models.Q(
                        ("date_of_birth__gte", datetime.date(1900, 1, 1)),
                        ("date_of_birth__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_date_of_birth_range",
                violation_error_message="date_of_birth is outside its plausible range: from 1900-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("wanted_since__isnull", True),
                    models.Q(
                        ("wanted_since__gte", datetime.date(1947, 1, 1)),
                        ("wanted_since__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_wanted_since_range",
                violation_error_message="wanted_since is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("proclaimed_on__isnull", True),
                    models.Q(
                        ("proclaimed_on__gte", datetime.date(1947, 1, 1)),
                        ("proclaimed_on__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_proclaimed_on_range",
                violation_error_message="proclaimed_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("absconding_since__isnull", True),
                    models.Q(
                        ("absconding_since__gte", datetime.date(1947, 1, 1)),
                        ("absconding_since__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_absconding_since_range",
                violation_error_message="absconding_since is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("under_trial_since__isnull", True),
                    models.Q(
                        ("under_trial_since__gte", datetime.date(1947, 1, 1)),
                        ("under_trial_since__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_under_trial_since_range",
                violation_error_message="under_trial_since is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("convicted_on__isnull", True),
                    models.Q(
                        ("convicted_on__gte", datetime.date(1947, 1, 1)),
                        ("convicted_on__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_convicted_on_range",
                violation_error_message="convicted_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("released_on__isnull", True),
                    models.Q(
                        ("released_on__gte", datetime.date(1947, 1, 1)), ("released_on__lt", datetime.date(2200, 1, 1))
                    ),
                    _connector="OR",
                ),
                name="cro_criminalrecord_released_on_range",
                violation_error_message="released_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="cro_criminalrecord_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="criminalrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("updated_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("updated_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="cro_criminalrecord_updated_at_range",
                violation_error_message="updated_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="faceencoding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="cro_faceencoding_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fingerprintcard",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("taken_on__isnull", True),
                    models.Q(("taken_on__gte", datetime.date(1947, 1, 1)), ("taken_on__lt", datetime.date(2200, 1, 1))),
                    _connector="OR",
                ),
                name="cro_fingerprintcard_taken_on_range",
                violation_error_message="taken_on is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fingerprintcard",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("uploaded_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("uploaded_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="cro_fingerprintcard_uploaded_at_range",
                violation_error_message="uploaded_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="recordphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("uploaded_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("uploaded_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="cro_recordphoto_uploaded_at_range",
                violation_error_message="uploaded_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
