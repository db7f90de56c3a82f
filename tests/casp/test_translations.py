from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_catalogue_has_an_urdu_translation():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural and not e.obsolete} == {
        e.msgid: e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }


def test_no_latin_word_number_or_placeholder_runs_into_an_urdu_word():
    """ "CSV batch" once read "CSVبیچ": a Latin run and an Urdu word need a space between them, or the two
    scripts run together on the screen. Urdu punctuation (، ۔) right after a Latin run is fine."""
    import re

    letters = "\u0621-\u064a\u0671-\u06d3"  # Arabic-script letters, not its punctuation or digits
    glued = re.compile(rf"[A-Za-z0-9)][{letters}]|[{letters}][A-Za-z0-9%(]")
    po = polib.pofile(str(PO))
    bad = [
        text
        for entry in po
        if not entry.obsolete
        for text in (entry.msgstr, *entry.msgstr_plural.values())
        if glued.search(text)
    ]
    assert bad == []
