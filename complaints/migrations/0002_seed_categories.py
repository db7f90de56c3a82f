"""Seed the complaint categories with the deadlines of DOMAIN.md (IG complaint line).

Contact within 24 hours; reply within 24 hours for illegal detention and
bribery, 72 hours for non-registration of FIR and wrongful arrest, 14 days
(336 hours) otherwise. Police-conduct categories go to the district.
"""

from django.db import migrations

CATEGORIES = [
    # code, name, name_ur, police conduct, contact hours, reply hours
    ("crime-report", "Crime report", "جرم کی اطلاع", False, 24, 336),
    ("fir-not-registered", "Non-registration of FIR", "ایف آئی آر درج نہ کرنا", True, 24, 72),
    ("faulty-investigation", "Faulty investigation", "ناقص تفتیش", False, 24, 336),
    ("illegal-detention", "Illegal detention", "غیر قانونی حراست", True, 24, 24),
    ("wrongful-arrest", "Arrest of an innocent person", "بے گناہ شخص کی گرفتاری", True, 24, 72),
    ("false-fir", "False FIR", "جھوٹی ایف آئی آر", True, 24, 336),
    ("misconduct-bribery", "Police misconduct or bribery", "پولیس کی بدسلوکی یا رشوت", True, 24, 24),
    ("other", "Other", "دیگر", False, 24, 336),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for position, (code, name, name_ur, conduct, contact, reply) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_ur": name_ur,
                "is_police_conduct": conduct,
                "contact_hours": contact,
                "reply_hours": reply,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
