"""Turn the daily diary entries the system wrote as English text into facts (stations.diary).

Each old text is matched against the English wording it was written with; a
row that does not match (typed by a person, corrected, or written while the
interface was in Urdu) keeps its text, which stays its fallback.
"""

import re

from django.db import migrations

# The wordings as they were when these rows were written; frozen here on purpose.
OLD_WORDINGS = {
    "stations.custody_none": "Opening entry. No person is in custody.",
    "stations.custody_list": "Opening entry. Persons in custody: %(count)s.\n%(people)s",
    "fir.registered": "FIR No. %(number)s/%(year)s registered under sections %(sections)s on the report of %(name)s.",
    "fir.arrest": "%(accused)s arrested in FIR No. %(number)s/%(year)s at %(place)s.",
    "complaints.received": "Complaint %(number)s received online: %(category)s, incident at %(place)s.",
    "hoteleye.alert": (
        "Hotel Eye alert %(id)s: guest %(guest)s at %(hotel)s, room %(room)s, matched CRO record %(record)s "
        "(%(name)s) by %(kind)s."
    ),
}
KINDS = {
    "custody": ("stations.custody_none", "stations.custody_list"),
    "fir_registered": ("fir.registered",),
    "arrest": ("fir.arrest",),
    "complaint_received": ("complaints.received",),
    "hotel_alert": ("hoteleye.alert",),
}


def _pattern(wording: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", wording)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
    return re.compile(regex + r"\Z", re.DOTALL)


PATTERNS = {key: _pattern(wording) for key, wording in OLD_WORDINGS.items()}


def parse(kind: str, text: str) -> dict | None:
    """Return the fact an old text states, or None if it is not in a known wording."""
    for key in KINDS.get(kind, ()):
        match = PATTERNS[key].match(text)
        if match:
            params = match.groupdict()
            if "sections" in params:
                params["sections"] = params["sections"].split(", ")
            return {"template": key, "params": params}
    return None


def forwards(apps, schema_editor):
    RegisterEntry = apps.get_model("stations", "RegisterEntry")
    rows = RegisterEntry.objects.filter(register="ii", version=1, fact={}, kind__in=list(KINDS)).only(
        "pk", "kind", "data"
    )
    for entry in rows.iterator(chunk_size=2000):
        fact = parse(entry.kind, str(entry.data.get("text", "")))
        if fact is not None:
            RegisterEntry.objects.filter(pk=entry.pk).update(fact=fact)


class Migration(migrations.Migration):
    dependencies = [("stations", "0005_registerentry_fact")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
