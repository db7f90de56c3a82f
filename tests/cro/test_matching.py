"""The layered name matcher and CNIC lookup (the functions Hotel Eye and Khidmat Markaz call)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from casp import names
from cro.matching import candidate_query, match_cnic, match_cnics, match_names
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Ali", "Mohammad Ali"),
        ("Muhammad Ali", "Mohammed Ali"),
        ("Muhammad Ali", "Mohd. Ali"),
        ("Yousaf Khan", "Yusuf Khan"),
        ("Chaudhry Aslam", "Choudhary Aslam"),
        ("Ch. Aslam", "Chaudhry Aslam"),
        ("Abdulrehman", "Abdul Rahman"),
        ("Inam Ullah", "Inamullah"),
    ],
)
def test_normalisation_maps_variants_to_one_spelling(a, b):
    assert names.normalise(a) == names.normalise(b)


@pytest.mark.parametrize(
    "query", ["Mohammad Yusuf", "Mohd Yousuf", "Muhammed Yousaf", "Yousaf Muhammad", "muhammad  YOUSAF"]
)
def test_spelling_variants_and_word_order_find_the_record(query):
    target = cro_record(name="Muhammad Yousaf")
    cro_record(name="Muhammad Akram")
    cro_record(name="Bilal Yasin")
    found = match_names(name=query)
    assert found and found[0].record_id == target.pk
    assert found[0].score >= 90
    assert found[0].reasons


def test_chaudhry_variants_match():
    target = cro_record(name="Chaudhry Shujaat Hussain")
    assert match_names(name="Choudhary Shujat Husain")[0].record_id == target.pk


def test_alias_is_matched():
    target = cro_record(name="Khalid Mehmood", aliases=["Kala Bhai"])
    found = match_names(name="Kala Bhai")
    assert found[0].record_id == target.pk and "kala bhai" in found[0].reasons[0]


def test_father_name_and_date_of_birth_rank_the_right_person_first():
    other = cro_record(name="Muhammad Imran", father_name="Ghulam Sarwar", date_of_birth=datetime.date(1980, 5, 5))
    target = cro_record(name="Muhammad Imran", father_name="Abdul Rehman", date_of_birth=datetime.date(1992, 3, 14))
    found = match_names(name="Mohd Imran", father_name="Abdul Rahman", date_of_birth=datetime.date(1992, 3, 14))
    assert [m.record_id for m in found[:2]] == [target.pk, other.pk]
    assert found[0].score > found[1].score
    assert any("same date of birth" in r for r in found[0].reasons)
    assert any("father's name" in r for r in found[0].reasons)


def test_unrelated_name_is_not_matched():
    cro_record(name="Muhammad Yousaf")
    assert match_names(name="Zahid Perveen") == []


def test_merged_duplicates_are_not_returned(cro_officer):
    from cro.services import records_merge

    keep = cro_record(name="Asif Iqbal")
    dup = cro_record(name="Aasif Ikbal")
    records_merge(keep=keep, duplicate=dup, acting_user=cro_officer)
    assert [m.record_id for m in match_names(name="Asif Iqbal")] == [keep.pk]


def test_candidate_query_is_answered_from_the_indexes():
    """The candidate query is answered from the GIN index of phonetic codes, not a full scan."""
    from cro.models import CriminalRecord

    first = ["Asif", "Bilal", "Kashif", "Naveed", "Tariq", "Imran", "Zahid", "Faisal", "Usman", "Hamza"]
    last = ["Khan", "Butt", "Qureshi", "Malik", "Awan", "Bhatti", "Cheema", "Gondal", "Warraich", "Niazi"]
    rows = []
    for i in range(3000):
        name = f"{first[i % 10]} {last[(i // 10) % 10]} {i}"
        rows.append(CriminalRecord(name=name, search_text=names.normalise(name), name_codes=names.name_codes(name)))
    CriminalRecord.objects.bulk_create(rows)
    target = cro_record(name="Muhammad Yousaf Khan")
    sql, params = candidate_query("Mohd Yusuf Khan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cro_criminalrecord")
        # A table this small is cheaper to scan; forbid that to see which indexes the query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cro_record_name_codes_gin" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert match_names(name="Mohd Yusuf Khan")[0].record_id == target.pk


@pytest.mark.parametrize("text", ["35202-1234567-1", "3520212345671", " 35202-1234567-1 "])
def test_match_cnic_accepts_any_format(text):
    record = cro_record(name="A", cnic="3520212345671")
    assert match_cnic(text) == record


def test_match_cnic_unknown_or_malformed_is_none():
    cro_record(name="A", cnic="3520212345671")
    assert match_cnic("35202-1234567-3") is None
    assert match_cnic("12") is None


def test_match_cnic_of_merged_duplicate_leads_to_survivor(cro_officer):
    from cro.services import records_merge

    keep = cro_record(name="A", cnic="3520212345671")
    dup = cro_record(name="A", cnic="3520212345673")
    records_merge(keep=keep, duplicate=dup, acting_user=cro_officer)
    assert match_cnic("35202-1234567-3") == keep


def test_match_cnics_reads_each_record_with_its_flagging_station_in_one_query(cro_officer, station_b):
    """The alert goes to the flagging station too: it comes with the record, and only a merged duplicate's
    survivor costs a second query."""
    from django.test.utils import CaptureQueriesContext

    from cro.services import records_merge

    wanted = cro_record(name="B", cnic="3520212345675", is_wanted=True, wanted_by_station=station_b)
    plain = cro_record(name="C", cnic="3520212345677")
    given = ["35202-1234567-5", "3520212345677", "3520299999991", "12"]
    with CaptureQueriesContext(connection) as queries:
        found = match_cnics(given)
        assert found["35202-1234567-5"].wanted_by_station == station_b
    assert found == {"35202-1234567-5": wanted, "3520212345677": plain}
    assert len(queries) == 1

    keep = cro_record(name="A", cnic="3520212345671", is_wanted=True, wanted_by_station=station_b)
    dup = cro_record(name="A", cnic="3520212345673")
    records_merge(keep=keep, duplicate=dup, acting_user=cro_officer)
    with CaptureQueriesContext(connection) as queries:
        found = match_cnics(["35202-1234567-3", *given])
        assert found["35202-1234567-3"].wanted_by_station == station_b
    assert found["35202-1234567-3"] == keep and found["3520212345677"] == plain
    assert len(queries) == 2


def test_spelling_that_breaks_the_phonetic_codes_falls_back_to_trigrams():
    target = cro_record(name="Zubair Khan")
    cro_record(name="Kashif Butt")
    found = match_names(name="Jubair Khan")  # J and Z sound apart to double metaphone
    assert found and found[0].record_id == target.pk


def test_one_broken_word_of_three_is_let_go_before_the_trigram_fallback():
    """No record shares the codes of every word: records sharing all words but one are the candidates,
    found in the GIN index of codes (the trigram query over the whole CRO is what made names slow)."""
    from cro.matching import _candidates_many, relaxed_query

    target = cro_record(name="Zubair Akram Niazi")
    cro_record(name="Zubair Khan Tareen")  # shares one word only
    cro_record(name="Kashif Butt")
    found = match_names(name="Jubair Akram Niazi")  # J and Z sound apart to double metaphone
    assert [m.record_id for m in found] == [target.pk]
    assert [[row[0] for row in rows] for rows in _candidates_many([("Jubair Akram Niazi", "")])] == [[target.pk]]
    sql, params = relaxed_query("Jubair Akram Niazi")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cro_record_name_codes_gin" in plan and "similarity(search_text" in sql, plan
    assert "%%" not in sql  # not the trigram operator


def test_under_three_words_no_word_is_let_go():
    from cro.matching import relaxed_query

    assert relaxed_query("Jubair Khan") is None  # one word alone would match much of the CRO
    target = cro_record(name="Zubair Khan")
    assert match_names(name="Jubair Khan")[0].record_id == target.pk  # the trigram fallback finds it


def test_common_surname_narrows_a_single_distinctive_word():
    from cro.matching import _required_words

    assert _required_words("Ahmad Malik") == ["ahmad", "malik"]
    assert _required_words("Muhammad Ahmad Malik") == ["ahmad", "malik"]
    assert _required_words("Mohd Ali Khan Niazi") == ["ali", "khan", "niazi"]


def test_father_name_orders_candidates_of_a_common_name():
    for i in range(5):
        cro_record(name="Ahmad Malik", father_name=f"Other Father {i}")
    target = cro_record(name="Ahmad Malik", father_name="Sher Zaman")
    assert match_names(name="Ahmed Malik", father_name="Sher Zaman", limit=1)[0].record_id == target.pk
