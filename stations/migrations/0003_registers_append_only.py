from django.db import migrations

# Registers are never torn or overwritten (Police Rules 22.x): refuse DELETE of
# entries, and UPDATE or DELETE of their versions, in the database itself. An
# entry's row changes only to point at its newest version or to be voided.
SQL = """
CREATE FUNCTION stations_register_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER stations_registerentry_no_delete
    BEFORE DELETE ON stations_registerentry
    FOR EACH ROW EXECUTE FUNCTION stations_register_append_only();
CREATE TRIGGER stations_registerentryversion_append_only
    BEFORE UPDATE OR DELETE ON stations_registerentryversion
    FOR EACH ROW EXECUTE FUNCTION stations_register_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS stations_registerentry_no_delete ON stations_registerentry;
DROP TRIGGER IF EXISTS stations_registerentryversion_append_only ON stations_registerentryversion;
DROP FUNCTION IF EXISTS stations_register_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("stations", "0002_registerentry_diaryentry_registerentryversion_and_more")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
