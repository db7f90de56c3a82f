from django.db import migrations

# Audit rows are evidence: refuse UPDATE and DELETE in the database itself, so
# no code path (admin, shell, a bug) can rewrite history. TRUNCATE, used only
# by test teardown and by a DBA, is not a row operation and is not blocked.
SQL = """
CREATE FUNCTION casp_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'casp_auditevent is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER casp_auditevent_append_only
    BEFORE UPDATE OR DELETE ON casp_auditevent
    FOR EACH ROW EXECUTE FUNCTION casp_auditevent_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS casp_auditevent_append_only ON casp_auditevent;
DROP FUNCTION IF EXISTS casp_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("casp", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
