from django.db import migrations

# The accused named at registration are part of the FIR's text: refuse UPDATE as
# well as DELETE (0002 refused DELETE). Accused named later are new rows.
SQL = """
DROP TRIGGER IF EXISTS fir_accused_no_delete ON fir_accused;
CREATE TRIGGER fir_accused_append_only BEFORE UPDATE OR DELETE ON fir_accused
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS fir_accused_append_only ON fir_accused;
CREATE TRIGGER fir_accused_no_delete BEFORE DELETE ON fir_accused
    FOR EACH ROW EXECUTE FUNCTION fir_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("fir", "0003_name_search_indexes")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
