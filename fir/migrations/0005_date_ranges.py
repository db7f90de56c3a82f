# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    *(
        Repair(
            "fir_fir", column, low, hint="FIR text is immutable: only a superuser, trigger disabled, on a written order"
        )
        for column, low in (
            ("reported_at", "1947-01-01"),
            ("occurred_from", "1947-01-01"),
            ("occurred_to", "1947-01-01"),
            ("registered_at", "2000-01-01"),
            ("status_changed_at", "2000-01-01"),
        )
    ),
    Repair("fir_accused", "added_at", "2000-01-01", hint="append-only"),
    Repair("fir_arrest", "arrested_at", "1947-01-01"),
    # Never nulled: that would put the person back in custody.
    Repair("fir_arrest", "custody_ended_at", "2000-01-01"),
    Repair("fir_statuschange", "changed_at", "2000-01-01", hint="append-only"),
    Repair("fir_casenote", "recorded_at", "2000-01-01", hint="append-only"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("fir", "0004_accused_append_only"),
        ("stations", "0004_date_ranges"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="accused",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("added_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("added_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_accused_added_at_range",
                violation_error_message="added_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="arrest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("arrested_at__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("arrested_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_arrest_arrested_at_range",
                violation_error_message="arrested_at is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="arrest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("custody_ended_at__isnull", True),
                    models.Q(
                        ("custody_ended_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("custody_ended_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="fir_arrest_custody_ended_at_range",
                violation_error_message="custody_ended_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="arrest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("custody_ended_at__isnull", True),
                    ("custody_ended_at__gte", models.F("arrested_at")),
                    _connector="OR",
                ),
                name="fir_arrest_custody_ends_after_arrest",
            ),
        ),
        migrations.AddConstraint(
            model_name="casenote",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("recorded_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("recorded_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_casenote_recorded_at_range",
                violation_error_message="recorded_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fir",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reported_at__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("reported_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_fir_reported_at_range",
                violation_error_message="reported_at is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fir",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("occurred_from__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("occurred_from__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_fir_occurred_from_range",
                violation_error_message="occurred_from is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fir",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("occurred_to__isnull", True),
                    models.Q(
                        ("occurred_to__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("occurred_to__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="fir_fir_occurred_to_range",
                violation_error_message="occurred_to is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fir",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("registered_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("registered_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_fir_registered_at_range",
                violation_error_message="registered_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fir",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status_changed_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("status_changed_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_fir_status_changed_at_range",
                violation_error_message="status_changed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="statuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("changed_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("changed_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="fir_statuschange_changed_at_range",
                violation_error_message="changed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
