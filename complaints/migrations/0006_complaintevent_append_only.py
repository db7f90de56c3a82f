import django.db.models.deletion
from django.db import migrations, models

# A complaint's events are its history, shown to the citizen and relied on by the deadlines: like the
# audit log, refuse UPDATE and DELETE in the database itself (and a complaint with events is never
# deleted: PROTECT instead of CASCADE).
SQL = """
CREATE FUNCTION complaints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER complaints_complaintevent_append_only BEFORE UPDATE OR DELETE ON complaints_complaintevent
    FOR EACH ROW EXECUTE FUNCTION complaints_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS complaints_complaintevent_append_only ON complaints_complaintevent;
DROP FUNCTION IF EXISTS complaints_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_complaint_womens_desk"),
    ]

    operations = [
        migrations.AlterField(
            model_name="complaintevent",
            name="complaint",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
