# The inbox reads each station's newest alerts from its own index (alerts.selectors.alerts_page_for_user).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0003_inbox_recent_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='alert',
            name='alerts_alert_station_idx',
        ),
        migrations.RemoveIndex(
            model_name='alert',
            name='alerts_alert_station_kind_idx',
        ),
        migrations.RemoveIndex(
            model_name='alert',
            name='alerts_alert_new_idx',
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['station', '-created_at', '-id'], name='alerts_alert_station_idx'),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['station', 'source_kind', '-created_at', '-id'], name='alerts_alert_station_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(condition=models.Q(('status', 'new')), fields=['station', 'source_kind', '-created_at', '-id'], name='alerts_alert_new_idx'),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['station', '-id'], name='alerts_alert_st_latest_idx'),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['station', 'source_kind', '-id'], name='alerts_alert_st_kind_last_idx'),
        ),
    ]
