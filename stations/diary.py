"""Daily diary entries written by the system, stored as facts and told in the reader's language.

A generated entry keeps a *fact*: ``{"template": key, "params": {...}}``. The
template is a translatable message declared once (here for the station's own
entries, in ``AppConfig.diary_templates`` for the apps that write to the
diary); each param is either a plain value (a number, a name as written) or a
``{language: text}`` mapping made by :func:`in_every_language` at write time,
so rendering needs no query and no knowledge of the app that wrote it.
The English text is still stored in ``data["text"]``: it is the fallback for
an unknown template and what an old row (written before facts) shows.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casp.bidi import LRI, PDI
from casp.hooks import declared

Fact = dict[str, Any]

CUSTODY_NONE = "stations.custody_none"
CUSTODY_LIST = "stations.custody_list"

# The opening entry is written before the day's first entry, so it states custody as the day began;
# an arrest later that day has its own entry after it.
_STATION_TEMPLATES = {
    CUSTODY_NONE: _("Opening entry of the day: no person was in custody when the day began."),
    CUSTODY_LIST: _("Opening entry of the day: persons in custody when the day began: %(count)s.\n%(people)s"),
}


def in_every_language(value: object) -> dict[str, str]:
    """Return ``value`` (a lazy translation, a model with a per-language name) as text in each language."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(value)
    return texts


def named(english: str, urdu: str = "") -> dict[str, str] | str:
    """Return a name kept in both languages (e.g. a station's ``name``/``name_ur``); English alone if no Urdu."""
    return {"en": english, "ur": urdu} if urdu else english


@cache
def diary_templates() -> dict[str, Any]:
    """Return every declared template: the station's own and each app's ``AppConfig.diary_templates``."""
    return {**_STATION_TEMPLATES, **declared("diary_templates")}


_CODE = re.compile(r"\d.*[A-Za-z\-]|[A-Za-z\-].*\d", re.S)  # "381-A PPC", "LEA-1234": digits with letters or dashes
_URDU_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


def _isolated(text: str, language: str) -> str:
    """Return a code (a section, a plate) between LRI and PDI inside right-to-left text, else ``text``.

    Without it "381-A PPC" in an Urdu entry is drawn "A PPC ... -381". Plain numbers stay as they are, so
    "%(number)s/%(year)s" still reads 1/2026, and Urdu text is never forced left to right."""
    if translation.get_language_info(language)["bidi"] and _CODE.search(text) and not _URDU_LETTER.search(text):
        return f"{LRI}{text}{PDI}"
    return text


def _param(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    if isinstance(value, list):
        separator = "، " if language == "ur" else ", "
        return separator.join(_param(v, language) for v in value)
    return _isolated(str(value), language)


def fact_render(fact: Fact | None, language: str | None = None) -> str | None:
    """Return the fact as text in ``language`` (default: the active one), or None if it cannot be told."""
    if not fact:
        return None
    template = diary_templates().get(fact.get("template", ""))
    if template is None:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    with translation.override(language):
        params = {k: _param(v, language) for k, v in (fact.get("params") or {}).items()}
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return None


def fact_make(template: str, **params: Any) -> Fact:
    """Return a fact for ``template``; refuse a template nobody declared (a typo would show raw text)."""
    if template not in diary_templates():
        raise ValueError(f"Unknown diary template {template!r}")
    return {"template": template, "params": params}
