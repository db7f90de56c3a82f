"""Add section 381-A PPC (theft of a motor vehicle) and other commonly used sections the catalogue lacked.

The catalogue stays data: the admin adds, retitles and retires sections.
"""

from django.db import migrations


def sections_add(apps, schema_editor) -> None:
    from fir.catalogue import sections_seed

    sections_seed(apps.get_model("fir", "Section"))


class Migration(migrations.Migration):
    dependencies = [("fir", "0009_stolen_vehicles")]

    operations = [migrations.RunPython(sections_add, migrations.RunPython.noop)]
