"""Fill locale/ur/LC_MESSAGES/django.po from the per-app glossaries in locale/ur/strings/*.json.

Each JSON file maps an English msgid to its Urdu text (a list of forms for a
plural). Run by `make messages` after makemessages; prints what is still
untranslated so no string ships in English by accident.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def main() -> int:
    glossary: dict[str, object] = {}
    for path in sorted((ROOT / "locale" / "ur" / "strings").glob("*.json")):
        glossary.update(json.loads(path.read_text(encoding="utf-8")))
    po = polib.pofile(str(PO))
    po.metadata.update(
        {"Language": "ur", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    )
    missing = []
    for entry in po:
        text = glossary.get(entry.msgid)
        if text is None:
            # A fuzzy entry is makemessages' guess from a similar msgid: not compiled, so still untranslated.
            if "fuzzy" in entry.flags or (not entry.msgstr and not any(entry.msgstr_plural.values())):
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text, text]
            entry.msgstr_plural = {i: f for i, f in enumerate(forms)}
        else:
            entry.msgstr = str(text)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    print(f"{len(po) - len(missing)} of {len(po)} strings translated into Urdu")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
