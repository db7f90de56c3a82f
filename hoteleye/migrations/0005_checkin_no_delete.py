from django.db import migrations

# A check-in is the guest record that alerts (by source), match results and companions stand on; it is checked
# out, never deleted (docs/security.md, docs/hoteleye.md). The admin offers no delete; these triggers refuse
# DELETE in the database itself. Companions and match results hang off the check-in by CASCADE in Django, so
# they are guarded too: a companion is an alert's source as well, and a match result is the evidence behind it.
# The triggers' names (``*_no_delete``) take DELETE away from the application role (casp/dbroles.py).
SQL = """
CREATE FUNCTION hoteleye_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept, never deleted: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER hoteleye_checkin_no_delete
    BEFORE DELETE ON hoteleye_checkin
    FOR EACH ROW EXECUTE FUNCTION hoteleye_refuse_delete();
CREATE TRIGGER hoteleye_companion_no_delete
    BEFORE DELETE ON hoteleye_companion
    FOR EACH ROW EXECUTE FUNCTION hoteleye_refuse_delete();
CREATE TRIGGER hoteleye_matchresult_no_delete
    BEFORE DELETE ON hoteleye_matchresult
    FOR EACH ROW EXECUTE FUNCTION hoteleye_refuse_delete();
"""
REVERSE = """
DROP TRIGGER IF EXISTS hoteleye_matchresult_no_delete ON hoteleye_matchresult;
DROP TRIGGER IF EXISTS hoteleye_companion_no_delete ON hoteleye_companion;
DROP TRIGGER IF EXISTS hoteleye_checkin_no_delete ON hoteleye_checkin;
DROP FUNCTION IF EXISTS hoteleye_refuse_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("hoteleye", "0004_checkin_face_encoding")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
