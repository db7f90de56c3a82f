# The analytics' refresh time under the kernel's SYSTEM range (casp.dates, docs/security.md), the one date
# column of the project that had no named CHECK. A stored time outside it is emptied: the next refresh
# sets it again.

import datetime
from django.db import migrations, models

from casp.dates import NULL, Repair, bad_rows_repair

REPAIRS = [Repair("analytics_refreshstate", "refreshed_at", "2000-01-01", action=NULL)]


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0002_monthly_rollup'),
    ]

    operations = [
        migrations.RunPython(bad_rows_repair(REPAIRS), migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='refreshstate',
            constraint=models.CheckConstraint(condition=models.Q(('refreshed_at__isnull', True), models.Q(('refreshed_at__gte', datetime.datetime(1999, 12, 31, 19, 0, tzinfo=datetime.timezone.utc)), ('refreshed_at__lt', datetime.datetime(2199, 12, 31, 19, 0, tzinfo=datetime.timezone.utc))), _connector='OR'), name='analytics_refreshstate_refreshed_at_range', violation_error_message='refreshed_at is outside its plausible range: from 2000-01-01, before 2200-01-01.'),
        ),
    ]
