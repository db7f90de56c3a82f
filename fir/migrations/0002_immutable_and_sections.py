from django.db import migrations

# An FIR's text is never edited after registration (s.154 CrPC; DOMAIN.md):
# the database refuses any UPDATE that touches more than the life-cycle columns,
# and refuses DELETE of FIRs, accused, sections charged, status changes and
# case notes. Later information goes into case notes.
SQL = """
CREATE FUNCTION fir_fir_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mutable text[] := ARRAY['status', 'challan_kind', 'status_changed_at', 'investigating_officer_id'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'FIRs are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
        RAISE EXCEPTION 'An FIR is immutable once registered; add a supplementary statement instead'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER fir_fir_immutable BEFORE UPDATE OR DELETE ON fir_fir
    FOR EACH ROW EXECUTE FUNCTION fir_fir_immutable();

CREATE FUNCTION fir_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER fir_fir_sections_append_only BEFORE UPDATE OR DELETE ON fir_fir_sections
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
CREATE TRIGGER fir_statuschange_append_only BEFORE UPDATE OR DELETE ON fir_statuschange
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
CREATE TRIGGER fir_casenote_append_only BEFORE UPDATE OR DELETE ON fir_casenote
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
CREATE TRIGGER fir_accused_no_delete BEFORE DELETE ON fir_accused
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS fir_fir_immutable ON fir_fir;
DROP TRIGGER IF EXISTS fir_fir_sections_append_only ON fir_fir_sections;
DROP TRIGGER IF EXISTS fir_statuschange_append_only ON fir_statuschange;
DROP TRIGGER IF EXISTS fir_casenote_append_only ON fir_casenote;
DROP TRIGGER IF EXISTS fir_accused_no_delete ON fir_accused;
DROP FUNCTION IF EXISTS fir_fir_immutable();
DROP FUNCTION IF EXISTS fir_append_only();
"""

def seed(apps, schema_editor):
    from fir.catalogue import sections_seed

    sections_seed(apps.get_model("fir", "Section"))


class Migration(migrations.Migration):
    dependencies = [("fir", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE), migrations.RunPython(seed, migrations.RunPython.noop)]
