# Date and time ranges (casp.dates, docs/security.md): repair or refuse stored rows, then add the CHECKs.

import datetime
from django.conf import settings
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

# Rows stored before these constraints: repaired (NULL or another column) or refused, by id.
REPAIRS = [
    Repair("hoteleye_hotel", "created_at", "2000-01-01"),
    Repair("hoteleye_hotelstaff", "created_at", "2000-01-01"),
    Repair("hoteleye_apitoken", "created_at", "2000-01-01"),
    # Never nulled: that would make a revoked token live again; revoked at its creation instead.
    Repair("hoteleye_apitoken", "revoked_at", "2000-01-01", action="created_at"),
    Repair("hoteleye_checkin", "date_of_birth", "1900-01-01", date=True, action=NULL),
    # The hotel's time is implausible; the time the police received the check-in is not.
    Repair("hoteleye_checkin", "checked_in_at", "2000-01-01", action="received_at"),
    Repair("hoteleye_checkin", "checked_out_at", "2000-01-01"),
    Repair("hoteleye_checkin", "received_at", "2000-01-01"),
    Repair("hoteleye_checkin", "matched_at", "2000-01-01", action=NULL),
    Repair("hoteleye_companion", "date_of_birth", "1900-01-01", date=True, action=NULL),
    Repair("hoteleye_matchresult", "created_at", "2000-01-01"),
    Repair("hoteleye_alert", "created_at", "2000-01-01"),
    Repair("hoteleye_alert", "acknowledged_at", "2000-01-01", action=NULL),
    Repair("hoteleye_alert", "closed_at", "2000-01-01"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cro", "0002_date_ranges"),
        ("hoteleye", "0001_initial"),
        ("stations", "0004_date_ranges"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_alert_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("acknowledged_at__isnull", True),
                    models.Q(
                        ("acknowledged_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("acknowledged_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_alert_acknowledged_at_range",
                violation_error_message="acknowledged_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("closed_at__isnull", True),
                    models.Q(
                        ("closed_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("closed_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_alert_closed_at_range",
                violation_error_message="closed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_apitoken_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revoked_at__isnull", True),
                    models.Q(
                        ("revoked_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("revoked_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_apitoken_revoked_at_range",
                violation_error_message="revoked_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_of_birth__isnull", True),
                    models.Q(
                        ("date_of_birth__gte", datetime.date(1900, 1, 1)),
                        ("date_of_birth__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_checkin_date_of_birth_range",
                violation_error_message="date_of_birth is outside its plausible range: from 1900-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("checked_in_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("checked_in_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_checkin_checked_in_at_range",
                violation_error_message="checked_in_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("checked_out_at__isnull", True),
                    models.Q(
                        ("checked_out_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("checked_out_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_checkin_checked_out_at_range",
                violation_error_message="checked_out_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("received_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("received_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_checkin_received_at_range",
                violation_error_message="received_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("matched_at__isnull", True),
                    models.Q(
                        ("matched_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                        ("matched_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_checkin_matched_at_range",
                violation_error_message="matched_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="companion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_of_birth__isnull", True),
                    models.Q(
                        ("date_of_birth__gte", datetime.date(1900, 1, 1)),
                        ("date_of_birth__lt", datetime.date(2200, 1, 1)),
                    ),
                    _connector="OR",
                ),
                name="hoteleye_companion_date_of_birth_range",
                violation_error_message="date_of_birth is outside its plausible range: from 1900-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="hotel",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_hotel_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="hotelstaff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_hotelstaff_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
        migrations.AddConstraint(
            model_name="matchresult",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_at__gte", datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                    ("created_at__lt", datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)),
                ),
                name="hoteleye_matchresult_created_at_range",
                violation_error_message="created_at is outside its plausible range: from 2000-01-01, before 2200-01-01.",
            ),
        ),
    ]
