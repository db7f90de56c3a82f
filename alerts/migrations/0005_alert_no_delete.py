from django.db import migrations

# Alerts are records: officers acknowledge and close them, nobody deletes them (docs/security.md). The admin
# offers no delete; this trigger refuses DELETE in the database itself, and its name (``*_no_delete``) takes
# DELETE away from the application role (casp/dbroles.py).
SQL = """
CREATE FUNCTION alerts_alert_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are closed, never deleted: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER alerts_alert_no_delete
    BEFORE DELETE ON alerts_alert
    FOR EACH ROW EXECUTE FUNCTION alerts_alert_refuse_delete();
"""
REVERSE = """
DROP TRIGGER IF EXISTS alerts_alert_no_delete ON alerts_alert;
DROP FUNCTION IF EXISTS alerts_alert_refuse_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("alerts", "0004_inbox_station_indexes")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
