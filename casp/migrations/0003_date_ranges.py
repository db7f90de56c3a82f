# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    Repair("casp_auditevent", "created_at", "2000-01-01", hint="audit rows are append-only and never repaired"),
    Repair("casp_user", "date_joined", "2000-01-01"),
    Repair("casp_user", "last_login", "2000-01-01", action=NULL),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("casp", "0002_audit_append_only"),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="casp_auditevent_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_joined__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("date_joined__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="casp_user_date_joined_range",
                violation_error_message="date_joined is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("last_login__isnull", True),
                    models.Q(
                        ("last_login__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("last_login__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="casp_user_last_login_range",
                violation_error_message="last_login is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
