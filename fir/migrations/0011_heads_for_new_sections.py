"""Give the sections added for stolen vehicles and other common offences (0010) their crime head."""

from django.db import migrations


def _heads(apps, schema_editor):
    from fir.catalogue import crime_heads_seed

    crime_heads_seed(apps.get_model("fir", "CrimeHead"), apps.get_model("fir", "Section"))


class Migration(migrations.Migration):
    dependencies = [("fir", "0010_sections_vehicle_theft_and_common")]
    operations = [migrations.RunPython(_heads, migrations.RunPython.noop)]
