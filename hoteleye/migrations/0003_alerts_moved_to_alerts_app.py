"""Hotel Eye's alerts move to the shared alerts app: copy every row (same id) into alerts_alert, then drop
hoteleye_alert.

The guest (or the companion) who matched becomes the alert's generic source; the
hotel and room are kept as the alert's place. Ids are kept, so every alert URL,
diary entry (source ``hoteleye.alert`` N) and audit event still names the same alert.
"""

from django.db import migrations

COPIED = (
    "id", "station_id", "cro_record_id", "record_photo_id", "record_name", "record_cnic", "record_status", "kind",
    "score", "distance", "reasons", "is_flagging_station", "status", "outcome", "created_at", "acknowledged_at",
    "acknowledged_by_id", "acknowledge_note", "closed_at", "closed_by_id", "close_note",
)  # fmt: skip


def copy_hotel_alerts(apps, schema_editor) -> int:
    """Copy hoteleye.Alert rows into alerts.Alert with the same ids; return how many were copied."""
    old_alert = apps.get_model("hoteleye", "Alert")
    new_alert = apps.get_model("alerts", "Alert")
    content_type = apps.get_model("contenttypes", "ContentType")
    checkin_type, _ = content_type.objects.get_or_create(app_label="hoteleye", model="checkin")
    companion_type, _ = content_type.objects.get_or_create(app_label="hoteleye", model="companion")
    copied = []
    for old in old_alert.objects.select_related("checkin__hotel", "companion").order_by("id").iterator():
        person = old.companion or old.checkin
        copied.append(
            new_alert(
                **{name: getattr(old, name) for name in COPIED},
                source_kind="hotel_checkin",
                source_type=companion_type if old.companion_id else checkin_type,
                source_id=person.pk,
                person_name=person.name[:150],
                place=old.checkin.hotel.name[:255],
                place_detail=old.checkin.room[:60],
            )
        )
    new_alert.objects.bulk_create(copied, batch_size=1000)
    with schema_editor.connection.cursor() as cursor:  # new alerts continue after the copied ids
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('alerts_alert', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL)"
            " FROM alerts_alert"
        )
    return len(copied)


class Migration(migrations.Migration):
    dependencies = [
        ("hoteleye", "0002_date_ranges"),
        ("alerts", "0001_alerts_shared_inbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_hotel_alerts, migrations.RunPython.noop),
        migrations.DeleteModel(name="Alert"),
    ]
