from django.db import migrations


def seed(apps, schema_editor):
    from khidmat.catalogue import services_seed

    services_seed(apps.get_model("khidmat", "ServiceType"), apps.get_model("khidmat", "ServiceDocument"))


class Migration(migrations.Migration):
    dependencies = [("khidmat", "0001_catalogue_centres_applications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
