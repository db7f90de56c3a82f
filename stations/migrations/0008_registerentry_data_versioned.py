from django.db import migrations

# An entry's data changes only together with a new version row (who, when, why), and an entry never
# changes its station, register, year or number: refused in the database itself, so no
# code path (admin, shell, a bug, a direct UPDATE) can rewrite an entry without leaving its history.
SQL = """
CREATE FUNCTION stations_registerentry_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.station_id, NEW.register, NEW.year, NEW.number)
        IS DISTINCT FROM (OLD.station_id, OLD.register, OLD.year, OLD.number) THEN
        RAISE EXCEPTION 'stations_registerentry %: station, register, year and number never change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.data IS DISTINCT FROM OLD.data OR NEW.version IS DISTINCT FROM OLD.version THEN
        IF NEW.version <= OLD.version OR NOT EXISTS (
            SELECT 1 FROM stations_registerentryversion v
            WHERE v.entry_id = NEW.id AND v.version = NEW.version AND v.data = NEW.data
        ) THEN
            RAISE EXCEPTION 'stations_registerentry %: data changes only with a new version row (version %)',
                OLD.id, NEW.version USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER stations_registerentry_versioned BEFORE UPDATE ON stations_registerentry
    FOR EACH ROW EXECUTE FUNCTION stations_registerentry_versioned();
"""
REVERSE = """
DROP TRIGGER IF EXISTS stations_registerentry_versioned ON stations_registerentry;
DROP FUNCTION IF EXISTS stations_registerentry_versioned();
"""


class Migration(migrations.Migration):
    dependencies = [("stations", "0007_posting_role_khidmat_incharge")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
