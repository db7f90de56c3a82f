"""Normalisation of Pakistani names, their phonetic codes and consonant skeletons.

In the kernel so that every app searches names the same way: the CRO matcher
(cro.matching) and the FIR search (fir.selectors) both use it.

Layer 1: lower-case, strip accents and punctuation, expand abbreviations and
map common spelling variants to one canonical word (the alias table below),
split glued prefixes ("abdulrehman") and compound names ("Noorulhaq" ->
noor haq, "Ziauddin" -> zia din, "Abdurrehman" -> abdul rehman), drop the
Arabic particles ul/ur/ud/... (optional, never required words), join "ullah"
to the word before it. Layer 2: double-metaphone codes per word, stored in an
indexed array on the record, with each word's consonant skeleton ("=aslm"),
which is what a name typed in Urdu script is transliterated to
(``skeleton_words``): "محمد اسلم" and "Muhammad Aslam" both give md aslm.

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
# The Arabic article in compound names, assimilated to the next word (ul-haq, ud-din, ur-rehman, us-salam,
# un-nisa, uz-zaman): optional, so "Noor ul Haq", "Noor-ul-Haq" and "Noorulhaq" are one name.
PARTICLES = frozenset({"ul", "ur", "ud", "us", "un", "uz", "ush", "ut", "al", "ar", "ad", "as", "an", "az", "e", "el"})
# Particles ordered longest first for splitting glued words; "u" covers a doubled consonant written once
# ("Abdurahman"), "e"/"i" the izafat ("Rooh-e-...").
_GLUED_PARTICLES = ("ush", "ul", "ur", "ud", "us", "un", "uz", "ut", "al", "ar", "ad", "as", "an", "az", "u", "e", "i")
# Second halves of compound names: a glued word is split only before one of these, so "Mansur" or "Iqbal"
# (which merely end like a particle) stay whole.
_COMPOUND_TAILS = tuple(
    sorted(
        {
            "haq",
            "haque",
            "din",
            "deen",
            "rehman",
            "rahman",
            "rahim",
            "raheem",
            "rasool",
            "islam",
            "amin",
            "ameen",
            "zaman",
            "aziz",
            "qadir",
            "ghani",
            "hameed",
            "majeed",
            "kareem",
            "karim",
            "jabbar",
            "wahab",
            "salam",
            "sattar",
            "ghaffar",
            "latif",
            "khaliq",
            "razzaq",
            "hassan",
            "hussain",
            "nabi",
            "mulk",
            "hadi",
            "bari",
            "qayyum",
            "wahid",
            "nisa",
            "nissa",
            "noor",
            "nur",
        },  # fmt: skip
        key=len,
        reverse=True,
    )
)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _split_compound(word: str) -> list[str]:
    """Split a glued compound ("noorulhaq", "ziauddin", "uddin") at its particle, dropping the particle."""
    for tail in _COMPOUND_TAILS:
        if not word.endswith(tail) or word == tail:
            continue
        left = word[: -len(tail)]
        if left in PARTICLES or left == "u":  # "uddin", "ulhaq": particle and tail only
            return [tail]
        for particle in _GLUED_PARTICLES:
            if left.endswith(particle) and len(left) - len(particle) >= 2:
                return [left[: -len(particle)], tail]
    return [word]


def _split_words(raw_words: list[str]) -> list[str]:
    words: list[str] = []
    for raw in raw_words:
        for prefix in _GLUED_PREFIXES:
            if raw.startswith(prefix) and len(raw) > len(prefix) + 2:
                words.extend([prefix, *_split_compound(raw[len(prefix) :])])
                break
        else:
            words.extend(_split_compound(raw))
    return [w for w in words if w not in PARTICLES]


_TRAILING_PARTICLES = ("ush", "ul", "ur", "ud", "us", "un", "uz")


def _strip_trailing_particles(raw_words: list[str]) -> list[str]:
    """Strip a particle written on the end of a word before a compound tail: "Abdur Rehman", "Ziaul Haq"."""
    out: list[str] = []
    for i, word in enumerate(raw_words):
        following = raw_words[i + 1] if i + 1 < len(raw_words) else ""
        if following in _COMPOUND_TAILS and word not in ALIASES:
            for particle in _TRAILING_PARTICLES:
                if word.endswith(particle) and len(word) - len(particle) >= 3:
                    word = word[: -len(particle)]
                    break
        out.append(word)
    return out


@lru_cache(maxsize=65536)
def canonical_words(name: str) -> tuple[str, ...]:
    """Return the canonical words of ``name``: lower-case ASCII, variants mapped, prefixes and compounds split,
    particles dropped."""
    text = _NON_LETTERS.sub(" ", _ascii(name).replace("'", ""))
    words = _split_words(_strip_trailing_particles(text.split()))
    out: list[str] = []
    for word in words:
        if word in {"ullah", "ulla", "allah"} and out:
            out[-1] = out[-1] + "ullah"
            continue
        out.append(ALIASES.get(word, word))
    return tuple(out)


_SPELLINGS: dict[str, tuple[str, ...]] = {canon: (canon, *variants) for canon, variants in _VARIANTS.items()}


def search_spellings(name: str) -> list[tuple[str, ...]]:
    """Return, for each word of ``name``, the spellings a stored name may hold it in (for substring search).

    "Mohammad Aslam" gives (muhammad, mohammad, mohammed, ...), (aslam, asslam);
    "Noorulhaq" gives (noor,), (haq,), so "Noor ul Haq" and "Noor-ul-Haq" are
    found; particles are not required. Spellings shorter than three letters
    ("m", "md") would match nearly every name and are left out. A name typed
    in Urdu script is searched by its own words.
    """
    if is_urdu(name):
        return [(w,) for w in dict.fromkeys(re.split(r"[^\w]+", name)) if w]
    out: list[tuple[str, ...]] = []
    for word in dict.fromkeys(canonical_words(name)):
        if word.endswith("ullah") and len(word) > 7:
            word = word[: -len("ullah")]  # "Inamullah" is also written "Inam Ullah"
        spellings = [s for s in _SPELLINGS.get(word, (word,)) if len(s) >= 3]
        out.append(tuple(spellings) or (word,))
    return out


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
    """Return the sorted, distinct codes of every word of ``names`` (stored in CriminalRecord.name_codes).

    Each word gives its double-metaphone codes and its consonant skeleton
    prefixed "=" (what a name typed in Urdu is compared by).
    """
    codes: set[str] = set()
    for name in names:
        for word in canonical_words(name):
            codes.update(word_codes(word))
        codes.update(skeleton_code(s) for s in skeleton_words(name))
    return sorted(codes)


def skeleton_code(skeleton: str) -> str:
    """Return the stored code of a word's skeleton: marked "=" and cut to the 8 characters a code holds."""
    return (SKELETON_MARK + skeleton)[:8]


# --- Urdu script: a Latin consonant skeleton --------------------------------------------------------------
# Urdu writes few vowels, so a name typed in Urdu is compared by its consonants: each letter maps to one Latin
# consonant (aspiration and h dropped, sh/kh/gh/ch reduced to s/k/g/c), a leading alif or ain is "a", the
# letters that are also long vowels (alif, waw, yeh) are dropped elsewhere, doubled letters collapse.
# Latin names get the same treatment, so "Muhammad Aslam" and "محمد اسلم" both read "md aslm".
SKELETON_MARK = "="
_URDU_CONSONANTS = {
    "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "c", "خ": "k", "د": "d", "ڈ": "d",
    "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "z", "س": "s", "ش": "s", "ص": "s", "ض": "z", "ط": "t",
    "ظ": "z", "غ": "g", "ف": "f", "ق": "q", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "ں": "n",
}  # fmt: skip
_URDU_OPENING_VOWELS = {"ا": "a", "آ": "a", "أ": "a", "إ": "a", "ع": "a", "و": "w", "ی": "y", "ي": "y", "ى": "y"}
_URDU_SILENT = frozenset("اآأإعوؤیيىےئءحہھةۃ")  # vowels, hamza and the h-letters inside a word
_URDU_LETTERS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_SKELETON = str.maketrans({"h": None, "a": None, "e": None, "i": None, "o": None, "u": None, "w": None,
                                 "y": None, "x": "ks"})  # fmt: skip


def is_urdu(text: str) -> bool:
    """Return True if ``text`` contains Arabic-script (Urdu) letters."""
    return bool(_URDU_LETTERS.search(text or ""))


def _collapse(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


_URDU_WORDS = {"عبد": "abdl"}  # "Abd" is written "Abdul" in Latin names


def _urdu_split(word: str) -> list[str]:
    at = word.find("ال", 2)
    if at >= 2 and len(word) - at - 2 >= 2:
        return [word[:at], word[at + 2 :]]
    return [word]


def _urdu_word_skeleton(word: str) -> str:
    if word in _URDU_WORDS:
        return _URDU_WORDS[word]
    if len(word) > 3 and word.startswith("ال"):  # the article: الحق -> حق, as "ul" is dropped in Latin
        word = word[2:]
    out = [_URDU_OPENING_VOWELS.get(word[:1], "")] if word[:1] in _URDU_OPENING_VOWELS else []
    rest = word[1:] if out else word
    out += [_URDU_CONSONANTS.get(ch, "") for ch in rest if ch not in _URDU_SILENT]
    return _collapse("".join(out))


def _latin_word_skeleton(word: str) -> str:
    first = word[:1]
    opening = "a" if first in "aeiou" else first if first in "wy" else ""
    rest = word[1:] if opening else word
    return _collapse(opening + rest.translate(_LATIN_SKELETON))


def skeleton_words(name: str) -> tuple[str, ...]:
    """Return the consonant skeleton of each word of ``name``, written in Urdu or in Latin script."""
    if is_urdu(name):
        text = unicodedata.normalize("NFC", name)
        words = [w for w in re.split(r"[^\w]+", text) if w and not w.isdigit()]
        # A compound glued at the article (عبدالرحمن, نورالحق) is two words, as in Latin.
        words = [part for w in words for part in _urdu_split(w)]
        return tuple(s for s in (_urdu_word_skeleton(w) for w in words) if s)
    return tuple(s for s in (_latin_word_skeleton(w) for w in canonical_words(name)) if s)


def distinctive_words(name: str) -> list[str]:
    """Return the canonical words of ``name`` that are not honorifics or very common; all words if none is."""
    words = list(dict.fromkeys(canonical_words(name)))
    rare = [w for w in words if w not in COMMON_WORDS and len(w) > 1]
    return rare or words
