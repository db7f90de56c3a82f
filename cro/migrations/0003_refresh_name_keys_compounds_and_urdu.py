"""Recompute the records' name search keys: compounds split, particles dropped, Urdu skeleton codes added.

casp.names changed how names are normalised ("Noorulhaq" = "Noor ul Haq") and
added each word's consonant skeleton to the codes (for names typed in Urdu);
keys stored before must be rebuilt or those records would not be found.
"""

from django.db import migrations

BATCH = 2000


def refresh(apps, schema_editor):
    from casp import names

    record_model = apps.get_model("cro", "CriminalRecord")
    alias_model = apps.get_model("cro", "RecordAlias")
    last = 0
    while True:
        batch = list(record_model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        aliases: dict[int, list[str]] = {}
        for record_id, alias in alias_model.objects.filter(record__in=batch).values_list("record_id", "name"):
            aliases.setdefault(record_id, []).append(alias)
        for record in batch:
            every = [record.name, *aliases.get(record.pk, [])]
            record.search_text = " | ".join(dict.fromkeys(names.normalise(n) for n in every if n))
            record.name_codes = names.name_codes(*every)
            record.father_search_text = names.normalise(record.father_name)
        record_model.objects.bulk_update(batch, ["search_text", "name_codes", "father_search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cro", "0002_date_ranges")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
