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
