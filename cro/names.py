"""Normalisation of Pakistani names in Latin script, and their phonetic codes.

Layer 1 of the name matcher (cro.matching): lower-case, strip accents and
punctuation, expand abbreviations and map common spelling variants to one
canonical word (the alias table below), split glued prefixes ("abdulrehman"),
join "ullah" to the word before it. Layer 2: double-metaphone codes per word,
stored in an indexed array on the record.

The variant table was compiled from common transliterations of Urdu/Arabic
names (Muhammad, Yusuf, Chaudhry, ...); add variants here, never in queries.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from metaphone import doublemetaphone

# canonical -> variants (the canonical spelling maps to itself too).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "muhammad": (
        "mohammad",
        "mohammed",
        "muhammed",
        "mohamed",
        "mohamad",
        "muhamad",
        "mohd",
        "muhd",
        "md",
        "m",
        "mohamamd",
        "mohmmad",
        "muhmmad",
        "mohammd",
        "mhd",
    ),
    "yusuf": ("yousaf", "yousuf", "yusaf", "yousef", "yusof", "yosuf", "yousif"),
    "chaudhry": ("choudhary", "chaudhary", "chaudhri", "choudhry", "chaudry", "chowdhury", "ch", "chaud"),
    "syed": ("sayed", "sayyid", "sayyed", "saiyed", "sd"),
    "sheikh": ("shaikh", "shaykh", "shiekh", "sh"),
    "ahmad": ("ahmed", "ahmd"),
    "hussain": ("husain", "hussein", "hosain", "husayn", "hossain"),
    "hassan": ("hasan",),
    "rehman": ("rahman", "rehmaan", "rahmaan"),
    "abdul": ("abd", "abdal", "abdel", "abdool"),
    "ghulam": ("gulam", "gh"),
    "qureshi": ("qurashi", "kureshi", "quraishi", "qureishi"),
    "farooq": ("farook", "faruq", "faruk", "farouk"),
    "zulfiqar": ("zulfikar", "zulfiqaar"),
    "siddiqui": ("siddiqi", "sadiqui", "siddiqui", "sidiqui"),
    "usman": ("osman", "othman", "uthman"),
    "umar": ("omar", "omer", "umer"),
    "ijaz": ("ejaz", "aijaz", "ejaaz"),
    "naveed": ("navid", "naved"),
    "tariq": ("tarik", "tareq"),
    "javed": ("javaid", "jawed", "javid"),
    "pervaiz": ("parvez", "pervez", "perwaiz", "parvaiz", "pervaz"),
    "saleem": ("salim",),
    "kareem": ("karim",),
    "rasheed": ("rashid",),
    "majeed": ("majid",),
    "hameed": ("hamid",),
    "waheed": ("wahid",),
    "nadeem": ("nadim",),
    "shahzad": ("shehzad", "shahzaad"),
    "ayesha": ("aisha", "aysha", "ayisha"),
    "fatima": ("fatimah", "fatma"),
    "iqbal": ("ikbal",),
    "mian": ("mein", "miyan"),
    "haji": ("hajji", "alhaj"),
    "hafiz": ("hafeez",),
    "zubair": ("zubeir", "zobair"),
    "qasim": ("kasim", "qaasim"),
    "khalid": ("khaled",),
    "akhtar": ("akhter", "akthar"),
    "anwar": ("anwer", "anver"),
    "aslam": ("asslam",),
    "mehmood": ("mahmood", "mahmud", "mehmud", "mahmoud"),
    "masood": ("masud", "masoud"),
    "mustafa": ("mustapha", "mustafah"),
    "ibrahim": ("ebrahim", "ibraheem"),
    "ismail": ("ismael", "esmail"),
    "rafique": ("rafiq", "rafeeq"),
    "shafique": ("shafiq", "shafeeq"),
    "sadiq": ("saddiq", "sadique"),
    "ashraf": ("ashrif",),
    "nawaz": ("nawaaz",),
    "riaz": ("riyaz", "riyaz"),
    "ilyas": ("elias", "ilyaas"),
}
ALIASES: dict[str, str] = {v: canon for canon, variants in _VARIANTS.items() for v in (canon, *variants)}

# Honorifics and very common words: kept for scoring, but too frequent to find candidates by.
COMMON_WORDS = frozenset(
    {
        "muhammad",
        "syed",
        "chaudhry",
        "sheikh",
        "mian",
        "haji",
        "hafiz",
        "rana",
        "raja",
        "malik",
        "mr",
        "mst",
        "mrs",
        "bibi",
        "begum",
        "bin",
        "binte",
        "bint",
        "so",
        "do",
        "wo",
        "alias",
        "urf",
        "ghulam",
        "abdul",
    }
)
_GLUED_PREFIXES = ("abdul", "ghulam", "muhammad", "mohammad", "mohammed", "syed")
_NON_LETTERS = re.compile(r"[^a-z ]+")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=65536)
def canonical_words(name: str) -> tuple[str, ...]:
    """Return the canonical words of ``name``: lower-case ASCII, variants mapped, prefixes split."""
    text = _NON_LETTERS.sub(" ", _ascii(name).replace("'", ""))
    words: list[str] = []
    for raw in text.split():
        for prefix in _GLUED_PREFIXES:
            if raw.startswith(prefix) and len(raw) > len(prefix) + 2:
                words.extend([prefix, raw[len(prefix) :]])
                break
        else:
            words.append(raw)
    out: list[str] = []
    for word in words:
        if word in {"ullah", "ulla", "allah"} and out:
            out[-1] = out[-1] + "ullah"
            continue
        out.append(ALIASES.get(word, word))
    return tuple(out)


def normalise(name: str) -> str:
    """Return ``name`` as canonical words joined by spaces (what is stored in search_text)."""
    return " ".join(canonical_words(name))


@lru_cache(maxsize=65536)
def word_codes(word: str) -> tuple[str, ...]:
    """Return the double-metaphone codes (primary, and secondary when different) of one word."""
    primary, secondary = doublemetaphone(word)
    codes = [c for c in (primary, secondary) if c]
    return tuple(dict.fromkeys(codes)) or (word[:8].upper(),)


def name_codes(*names: str) -> list[str]:
    """Return the sorted, distinct codes of every word of ``names`` (stored in CriminalRecord.name_codes)."""
    codes: set[str] = set()
    for name in names:
        for word in canonical_words(name):
            codes.update(word_codes(word))
    return sorted(codes)


def distinctive_words(name: str) -> list[str]:
    """Return the canonical words of ``name`` that are not honorifics or very common; all words if none is."""
    words = list(dict.fromkeys(canonical_words(name)))
    rare = [w for w in words if w not in COMMON_WORDS and len(w) > 1]
    return rare or words
