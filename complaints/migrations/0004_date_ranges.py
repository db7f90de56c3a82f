# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    Repair("complaints_complaint", "incident_at", "1947-01-01", hint="ask the complainant for the time"),
    *(
        Repair("complaints_complaint", column, "2000-01-01")
        for column in ("created_at", "status_changed_at", "contact_due_at", "reply_due_at")
    ),
    *(
        Repair("complaints_complaint", column, "2000-01-01", action=NULL)
        for column in ("contacted_at", "decided_at", "escalated_at", "feedback_at")
    ),
    Repair("complaints_complaintevent", "created_at", "2000-01-01"),
    Repair("complaints_attachment", "uploaded_at", "2000-01-01"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_complaint_fir"),
        ("fir", "0005_date_ranges"),
        ("stations", "0004_date_ranges"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("uploaded_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("uploaded_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_attachment_uploaded_at_range",
                violation_error_message="uploaded_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("incident_at__gte", datetime.datetime(1946, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("incident_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaint_incident_at_range",
                violation_error_message="incident_at is outside its plausible range: from 1947-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaint_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status_changed_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("status_changed_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaint_status_changed_at_range",
                violation_error_message="status_changed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("contact_due_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("contact_due_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaint_contact_due_at_range",
                violation_error_message="contact_due_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reply_due_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("reply_due_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaint_reply_due_at_range",
                violation_error_message="reply_due_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("contacted_at__isnull", True),
                    models.Q(
                        ("contacted_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("contacted_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="complaints_complaint_contacted_at_range",
                violation_error_message="contacted_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_at__isnull", True),
                    models.Q(
                        ("decided_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("decided_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="complaints_complaint_decided_at_range",
                violation_error_message="decided_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("escalated_at__isnull", True),
                    models.Q(
                        ("escalated_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("escalated_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="complaints_complaint_escalated_at_range",
                violation_error_message="escalated_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("feedback_at__isnull", True),
                    models.Q(
                        ("feedback_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("feedback_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="complaints_complaint_feedback_at_range",
                violation_error_message="feedback_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaintevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="complaints_complaintevent_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
