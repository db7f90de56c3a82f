"""Records merged into a record that was itself merged later now lead to the survivor in one step.

Before, records_merge left such records pointing at the merged record (A -> B -> C), and a CNIC match
followed one step only, landing on B. records_merge now re-points them as it merges; this does the same
for rows merged before, until no link leads to a merged record.
"""

from django.db import migrations

FLATTEN = """
DO $$
BEGIN
    LOOP
        UPDATE cro_criminalrecord r SET merged_into_id = s.merged_into_id, updated_at = now()
        FROM cro_criminalrecord s
        WHERE r.merged_into_id = s.id AND s.merged_into_id IS NOT NULL AND s.merged_into_id <> r.id;
        EXIT WHEN NOT FOUND;
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("cro", "0003_refresh_name_keys_compounds_and_urdu")]

    operations = [migrations.RunSQL(FLATTEN, migrations.RunSQL.noop)]
