"""manage.py backup and restore: a restore drill into a fresh database, compared table by table."""

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from psycopg import sql

from casp.backup import _conninfo, table_counts
from tests.factories import HotelFactory, cro_record
from tests.hoteleye.conftest import make_checkin

pytestmark = pytest.mark.django_db(transaction=True)

FRESH = "test_casp_restore_drill"


@pytest.fixture
def fresh_database():
    def drop():
        with psycopg.connect(**_conninfo("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(FRESH)))

    drop()
    yield FRESH
    drop()


def test_backup_then_restore_into_a_fresh_database_keeps_every_row_and_file(
    tmp_path, station_a, roles, fresh_database, settings
):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    make_checkin(HotelFactory(station=station_a, code="HX", name="Drill Inn"), name="Ali Raza")
    name = default_storage.save("drill/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    call_command("backup", output_dir=tmp_path / "backups")
    [folder] = (tmp_path / "backups").iterdir()
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    call_command("restore", str(folder), database=fresh_database, create=True, media_root=tmp_path / "restored")

    source, restored = table_counts(), table_counts(fresh_database)
    assert len(source) > 40 and restored == source
    assert source["hoteleye_checkin"] == 1 and source["cro_criminalrecord"] >= 1
    assert (tmp_path / "restored" / name).read_bytes() == b"\xff\xd8 a photo"
    # The application role can work in the restored database (its privileges were granted).
    info = {**_conninfo(fresh_database), "user": settings.DATABASE_APP_ROLE, "password": settings.DATABASE_APP_PASSWORD}
    with psycopg.connect(**info) as conn:
        assert conn.execute("SELECT count(*) FROM hoteleye_checkin").fetchone()[0] == 1


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    call_command("backup", output_dir=tmp_path)
    [folder] = tmp_path.iterdir()
    with pytest.raises(CommandError, match="already has .* tables: restore only into a fresh, empty database"):
        call_command("restore", str(folder))  # the configured (test) database


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a CASP backup: database.dump, media.tar.gz, manifest.json missing"):
        call_command("restore", str(tmp_path), database=FRESH)
