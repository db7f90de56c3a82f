"""CNIC and name matching against the CRO: pure functions with no user (Hotel Eye, Khidmat Markaz call them).

``match_names`` is layered:
1. normalisation and the alias table of Pakistani name variants (casp.names),
   with compounds split and particles optional; a name typed in Urdu script is
   compared by its consonant skeleton, stored among the record's codes;
2. one indexed candidate query: every distinctive word of the name must share a
   double-metaphone code with the record (GIN on ``name_codes``, any word order),
   ordered by pg_trgm similarity of name and father's name; when no record
   shares the codes of every word, the same query letting any one of three or
   more words go, and only when that finds none either (a short name whose
   spelling broke the codes), a trigram query (GIN pg_trgm on ``search_text``);
3. re-ranking with rapidfuzz on the canonical names and aliases, weighing
   father's name and date of birth.
Scores are 0-100; ``reasons`` say what matched. Hits are candidates for a
human to review, never an identification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from casp import names
from casp.cnic import CNIC
from cro.models import CriminalRecord

CANDIDATE_LIMIT = 60
TRIGRAM_THRESHOLD = 0.55
# Weights of the re-ranking; father's name and date of birth count only when both sides have them.
WEIGHT_NAME, WEIGHT_FATHER, WEIGHT_DOB = 0.6, 0.25, 0.15


@dataclass(frozen=True)
class NameMatch:
    record_id: int
    score: float  # 0-100
    reasons: list[str] = field(default_factory=list)
    date_of_birth: date | None = None  # the record's, as the candidate query read it


def match_cnic(cnic: str) -> CriminalRecord | None:
    """Return the live record with ``cnic`` (any accepted format; a merged duplicate leads to its survivor).

    Returns None for an unknown or malformed CNIC. One indexed query.
    """
    try:
        digits = CNIC.normalise(cnic)
    except ValidationError:
        return None
    record = CriminalRecord.objects.select_related("merged_into").filter(cnic=digits).first()
    if record is not None and record.merged_into_id:
        return record.merged_into
    return record


def match_cnics(cnics: Sequence[str]) -> dict[str, CriminalRecord]:
    """Return, for each CNIC of ``cnics`` found on a live record, that record (merged duplicates to the survivor).

    Keys are the CNICs as given; unknown or malformed ones are left out. One indexed query for all, which
    also loads the station that flagged each record (an alert goes there too); a merged duplicate's survivor
    is read by one more query, only when there is one (joining every hit to its survivor doubled the cost).
    """
    digits: dict[str, str] = {}
    for cnic in cnics:
        try:
            digits[cnic] = CNIC.normalise(cnic)
        except ValidationError:
            continue
    if not digits:
        return {}
    found = list(CriminalRecord.objects.select_related("wanted_by_station").filter(cnic__in=set(digits.values())))
    merged = {r.merged_into_id for r in found if r.merged_into_id}
    survivors = CriminalRecord.objects.select_related("wanted_by_station").in_bulk(merged) if merged else {}
    by_digits = {CNIC.normalise(r.cnic): (survivors[r.merged_into_id] if r.merged_into_id else r) for r in found}
    return {cnic: by_digits[d] for cnic, d in digits.items() if d in by_digits}


# Skeletons of the honorifics and very common words: too frequent to find candidates by.
_COMMON_SKELETONS = frozenset(s for w in names.COMMON_WORDS for s in names.skeleton_words(w))


def _required_codes(name: str) -> list[list[str]]:
    """Return one group of codes per word every candidate must share a code with.

    A name in Latin script: the double-metaphone codes of its required words.
    A name typed in Urdu script: the consonant skeletons of its words (stored
    among the record's codes with a "=" mark), the very common ones ("md",
    for Muhammad) only where fewer than two others are left.
    """
    if not names.is_urdu(name):
        return [list(names.word_codes(w)) for w in _required_words(name)]
    skeletons = list(dict.fromkeys(names.skeleton_words(name)))
    required = [s for s in skeletons if s not in _COMMON_SKELETONS and len(s) > 1]
    if len(required) < 2:
        required += [s for s in skeletons if s not in required][: 2 - len(required)]
    return [[names.skeleton_code(s)] for s in required]


def _comparable(name: str) -> str:
    """Return ``name`` in the form candidates are scored in: canonical words, or skeletons for an Urdu name."""
    return " ".join(names.skeleton_words(name)) if names.is_urdu(name) else names.normalise(name)


def _required_words(name: str) -> list[str]:
    """Return the words every candidate must share a code with: the distinctive ones, topped up with
    common words ("Malik", "Syed", but "Muhammad" last) when fewer than two are distinctive."""
    words = list(dict.fromkeys(names.canonical_words(name)))
    required = names.distinctive_words(name)
    if len(required) < 2:
        extra = sorted((w for w in words if w not in required), key=lambda w: w == "muhammad")
        required += extra[: 2 - len(required)]
    return required


def candidate_query(name: str, father_name: str = "") -> tuple[str, list[object]] | None:
    """Return the one indexed candidate query for ``name`` (SQL and parameters), or None for an empty name.

    Every required word must share a double-metaphone code with the record (GIN on ``name_codes``,
    any word order); the candidates are ordered by pg_trgm similarity of the name (and of the
    father's name, when given) so that the best CANDIDATE_LIMIT reach the re-ranking.
    """
    code_groups = _required_codes(name)
    if not code_groups:
        return None
    code_sql = " AND ".join(["name_codes && %s::varchar[]"] * len(code_groups))
    father = names.normalise(father_name)
    sql = (
        "SELECT id, search_text, father_search_text, date_of_birth, merged_into_id "  # noqa: S608
        f"FROM cro_criminalrecord WHERE {code_sql} "
        "ORDER BY similarity(search_text, %s) + %s * similarity(father_search_text, %s) DESC LIMIT %s"
    )
    return sql, [*code_groups, names.normalise(name), 0.5 if father else 0.0, father, CANDIDATE_LIMIT]


def relaxed_query(name: str, father_name: str = "") -> tuple[str, list[object]] | None:
    """Return the candidate query that lets one required word go (SQL and parameters), or None under three words.

    For a name whose every required word found no record together (one word's spelling broke its
    phonetic codes, or the person is not on record): records sharing codes with all the required words
    but one, any one, in the same GIN index (a BitmapOr of BitmapAnds), ordered as ``candidate_query``.
    Under three required words, one word left alone would match a large part of the CRO: the trigram
    query takes those.
    """
    code_groups = _required_codes(name)
    if len(code_groups) < 3:
        return None
    alternatives = []
    params: list[object] = []
    for skip in range(len(code_groups)):
        kept = [g for i, g in enumerate(code_groups) if i != skip]
        alternatives.append("(" + " AND ".join(["name_codes && %s::varchar[]"] * len(kept)) + ")")
        params += kept
    father = names.normalise(father_name)
    sql = (
        "SELECT id, search_text, father_search_text, date_of_birth, merged_into_id "  # noqa: S608
        f"FROM cro_criminalrecord WHERE {' OR '.join(alternatives)} "
        "ORDER BY similarity(search_text, %s) + %s * similarity(father_search_text, %s) DESC LIMIT %s"
    )
    return sql, [*params, names.normalise(name), 0.5 if father else 0.0, father, CANDIDATE_LIMIT]


def _trigram_query(name: str) -> tuple[str, list[object]]:
    sql = (
        "SELECT id, search_text, father_search_text, date_of_birth, merged_into_id FROM cro_criminalrecord "
        "WHERE search_text %% %s ORDER BY similarity(search_text, %s) DESC LIMIT %s"
    )
    canonical = names.normalise(name)
    return sql, [canonical, canonical, CANDIDATE_LIMIT]


def _candidates(name: str, father_name: str = "") -> list[tuple]:
    query = candidate_query(name, father_name)
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*query)
        rows = cursor.fetchall()
        relaxed = None if rows else relaxed_query(name, father_name)
        if relaxed is not None:
            # No record shares the sounds of every word: let any one word go (same GIN index).
            cursor.execute(*relaxed)
            rows = cursor.fetchall()
        if not rows:
            # Still none: a spelling that broke the phonetic codes of a short name. Fall back to
            # trigram similarity (GIN pg_trgm on search_text).
            cursor.execute("SELECT set_limit(%s)", [TRIGRAM_THRESHOLD])
            cursor.execute(*_trigram_query(name))
            rows = cursor.fetchall()
    # Merged duplicates are dropped here, not in SQL: a "merged_into_id IS NULL" condition
    # tempts the planner into scanning that index instead of the GIN index.
    return [row[:4] for row in rows if row[4] is None]


def _candidates_many(queries: Sequence[tuple[str, str]]) -> list[list[tuple]]:
    """Return the candidates of each (name, father's name) as ``_candidates`` would, in one query per stage.

    Each name keeps its own indexed candidate query (a parenthesised branch of one UNION ALL), so
    the plans are those of the single search; names whose codes found no record take the relaxed
    query, then the trigram fallback, each stage in one query for all.
    """
    out: list[list[tuple]] = [[] for _ in queries]
    branches: list[tuple[int, tuple[str, list[object]]]] = []
    for i, (name, father_name) in enumerate(queries):
        query = candidate_query(name, father_name)
        if query is not None:
            branches.append((i, query))
    if not branches:
        return out
    found = _union_rows(branches)
    relaxed = [(i, q) for i, _q in branches if not found.get(i) and (q := relaxed_query(*queries[i])) is not None]
    if relaxed:
        found.update(_union_rows(relaxed))
    fallback = [(i, _trigram_query(queries[i][0])) for i, _q in branches if not found.get(i)]
    if fallback:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_limit(%s)", [TRIGRAM_THRESHOLD])
        found.update(_union_rows(fallback))
    for i, rows in found.items():
        out[i] = [row[:4] for row in rows if row[4] is None]  # merged duplicates dropped, as in _candidates
    return out


def _union_rows(branches: list[tuple[int, tuple[str, list[object]]]]) -> dict[int, list[tuple]]:
    """Run each branch's query as one parenthesised part of a UNION ALL, tagged by its index; rows by index."""
    sql = " UNION ALL ".join(f"(SELECT {int(i)} AS q, c.* FROM ({query}) c)" for i, (query, _p) in branches)  # noqa: S608 - our own queries
    params = [p for _i, (_q, ps) in branches for p in ps]
    found: dict[int, list[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


def _dob_score(wanted: date, have: date) -> tuple[float, str]:
    if wanted == have:
        return 100.0, _("same date of birth")
    if wanted.year == have.year:
        return 60.0, _("same year of birth")
    if abs(wanted.year - have.year) <= 1:
        return 30.0, _("year of birth one apart")
    return 0.0, _("different date of birth")


def match_names(
    *, name: str, father_name: str = "", date_of_birth: date | None = None, limit: int = 10
) -> list[NameMatch]:
    """Return up to ``limit`` records whose name matches ``name``, best first, with scores and reasons.

    One indexed candidate query (no full scan), then re-ranking in Python.
    """
    if not _comparable(name):
        return []
    return _ranked(name, father_name, date_of_birth, _candidates(name, father_name), limit)


@dataclass(frozen=True)
class NameQuery:
    name: str
    father_name: str = ""
    date_of_birth: date | None = None


def match_names_many(queries: Sequence[NameQuery], *, limit: int = 10) -> list[list[NameMatch]]:
    """Return ``match_names`` for each query, with the candidates of all of them read in one query.

    The same candidates and scores as one ``match_names`` per query (a batch of check-ins).
    """
    wanted = [i for i, q in enumerate(queries) if _comparable(q.name)]
    rows = _candidates_many([(queries[i].name, queries[i].father_name) for i in wanted])
    out: list[list[NameMatch]] = [[] for _ in queries]
    for i, candidates in zip(wanted, rows, strict=True):
        q = queries[i]
        out[i] = _ranked(q.name, q.father_name, q.date_of_birth, candidates, limit)
    return out


def _ranked(
    name: str, father_name: str, date_of_birth: date | None, candidates: list[tuple], limit: int
) -> list[NameMatch]:
    """Re-rank the candidate rows with rapidfuzz; best first, at most ``limit``.

    Every candidate is scored; only the ``limit`` kept are given their reasons (each a translated sentence).
    """
    query = _comparable(name)
    urdu = names.is_urdu(name)
    father = _comparable(father_name)
    scored: list[tuple[float, int, float, str, float | None, date | None]] = []
    for record_id, search_text, father_text, dob in candidates:
        variants = [v for v in (search_text or "").split(" | ") if v]
        best, best_variant = 0.0, ""
        for variant in variants:
            # A name typed in Urdu is compared by consonant skeletons ("md aslm"), a Latin one by its words.
            compared = " ".join(names.skeleton_words(variant)) if urdu else variant
            score = fuzz.token_sort_ratio(query, compared)
            # A name written with or without honorifics ("Ch.", "Muhammad") is still the same name.
            score = max(score, 0.95 * fuzz.token_set_ratio(query, compared))
            if score > best:
                best, best_variant = score, variant
        total, weight = WEIGHT_NAME * best, WEIGHT_NAME
        fscore = None
        if father and father_text:
            if names.is_urdu(father_name):
                father_text = " ".join(names.skeleton_words(father_text))
            fscore = max(fuzz.token_sort_ratio(father, father_text), 0.95 * fuzz.token_set_ratio(father, father_text))
            total += WEIGHT_FATHER * fscore
            weight += WEIGHT_FATHER
        if date_of_birth and dob:
            total += WEIGHT_DOB * _dob_score(date_of_birth, dob)[0]
            weight += WEIGHT_DOB
        scored.append((round(total / weight, 1), int(record_id), best, best_variant, fscore, dob))
    scored.sort(key=lambda s: (-s[0], s[1]))
    matches = []
    for score, record_id, best, best_variant, fscore, dob in scored[:limit]:
        reasons = [_("name %(score).0f%% like “%(variant)s”") % {"score": best, "variant": best_variant}]
        if fscore is not None:
            reasons.append(_("father's name %(score).0f%% alike") % {"score": fscore})
        if date_of_birth and dob:
            reasons.append(_dob_score(date_of_birth, dob)[1])
        matches.append(NameMatch(record_id=record_id, score=score, reasons=reasons, date_of_birth=dob))
    return matches
