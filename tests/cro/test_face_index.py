"""The compact face index: product-quantised codes above FACE_PQ_MIN_ROWS, exact re-rank by the database."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from cro.faces import MemoryFaceIndex, encode_face, face_search_many, memory_search
from tests.factories import cro_record

pytestmark = pytest.mark.django_db

TABLE = "test_face_index_rows"


def _make_table(rows: list[tuple[int, int, int, np.ndarray]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TABLE} (id bigint PRIMARY KEY, record_id bigint NOT NULL, "
            "photo_id bigint NOT NULL, version bigint NOT NULL, embedding vector(128) NOT NULL)"
        )
        cursor.executemany(
            f"INSERT INTO {TABLE} VALUES (%s, %s, %s, 0, %s::vector)",  # noqa: S608
            [(i, record, photo, "[" + ",".join(f"{x:.7g}" for x in vec) + "]") for i, record, photo, vec in rows],
        )


@pytest.fixture
def crowd(faces_dir, settings):
    """1,500 synthetic faces around the real photos' encodings: enough to switch to quantised codes."""
    settings.FACE_PQ_MIN_ROWS = 1000
    people = {}
    for file in ("obama.jpg", "biden.jpg", "alex-lacamoire.png"):
        people[file] = (cro_record(name=file), np.asarray(encode_face((faces_dir / file).read_bytes()).encoding))
    filler = cro_record(name="Filler")
    rng = np.random.default_rng(7)
    centre = np.mean([enc for _r, enc in people.values()], axis=0)
    rows = [(i + 1, filler.pk, 10_000 + i, centre + rng.normal(0, 0.07, 128)) for i in range(1500)]
    rows += [(5000 + n, record.pk, 20_000 + n, enc) for n, (record, enc) in enumerate(people.values())]
    _make_table(rows)
    return people, rows


def test_large_table_is_held_as_128_bytes_of_codes_and_still_finds_the_same_person(crowd, faces_dir):
    people, rows = crowd
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    assert index.stage.kind == "pq"
    assert index.size == len(rows)
    # 32 bytes of product-quantised codes, 96 of refining codes and 2 of their error bound, against 512 bytes
    # per float32 encoding.
    assert index.stage.nbytes == 130 * len(rows)

    query = encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding
    found = memory_search(index, [query], limit=5, tolerance=0.6)[0]
    obama, obama_enc = people["obama.jpg"]
    assert found[0].record_id == obama.pk
    # Distances come from the database, exact (not the codes' approximation).
    assert found[0].distance == pytest.approx(float(np.linalg.norm(obama_enc - np.asarray(query))), abs=1e-5)
    assert people["biden.jpg"][0].pk not in [c.record_id for c in found]


def test_quantised_search_finds_every_record_an_exact_scan_finds(crowd):
    _people, rows = crowd
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    vectors = np.asarray([vec for *_ids, vec in rows])
    records = np.asarray([record for _i, record, _p, _v in rows])
    rng = np.random.default_rng(3)
    queries = vectors[rng.choice(len(vectors), 20, replace=False)] + rng.normal(0, 0.02, (20, 128))
    results = memory_search(index, list(queries), limit=10, tolerance=0.45)
    for query, found in zip(queries, results, strict=True):
        distances = np.linalg.norm(vectors - query, axis=1)
        expected = set(records[distances <= 0.45].tolist())
        assert {c.record_id for c in found} == expected


def test_codes_beyond_tolerance_and_margin_are_not_sent_to_the_database(crowd, faces_dir, settings):
    """Only codes whose approximate distance could still be a match are re-ranked exactly."""
    _people, rows = crowd
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    query = np.asarray(encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding, np.float32)
    vectors = np.asarray([vec for *_ids, vec in rows])
    photos = np.asarray([photo for _i, _r, photo, _v in rows])
    distances = np.linalg.norm(vectors - query, axis=1)
    settings.FACE_REFINE_KEEP = 10**6  # the fast scan's codes alone (the refining codes are tested below)
    assert len(index.candidate_photos(query[None], limit=10, tolerance=0.45)[0]) >= settings.FACE_PQ_KEEP
    settings.FACE_PQ_KEEP = 0  # beyond the always-kept nearest codes:
    proposed = set(index.candidate_photos(query[None], limit=10, tolerance=0.45)[0])
    assert set(photos[distances <= 0.45].tolist()) <= proposed  # nothing within tolerance is dropped
    reach = 0.45 + settings.FACE_PQ_MARGIN + 0.02  # the codes' error on this data stays under 0.02
    assert not proposed & set(photos[distances > reach].tolist())
    assert len(proposed) < settings.FACE_CANDIDATES
    settings.FACE_PQ_MARGIN = 10.0  # no cut: the FACE_CANDIDATES nearest codes, as before
    assert len(index.candidate_photos(query[None], limit=10, tolerance=0.45)[0]) == settings.FACE_CANDIDATES


def test_refining_codes_send_only_candidates_near_the_tolerance_to_the_database(crowd, faces_dir, settings):
    """The fast scan's candidates are narrowed by the refining codes before the database re-ranks them."""
    _people, rows = crowd
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    vectors = np.asarray([vec for *_ids, vec in rows])
    photos = np.asarray([photo for _i, _r, photo, _v in rows])
    query = np.asarray(encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding, np.float32)
    distances = np.linalg.norm(vectors - query, axis=1)
    settings.FACE_REFINE_KEEP = 10**6
    unrefined = index.candidate_photos(query[None], limit=10, tolerance=0.45)[0]
    settings.FACE_REFINE_KEEP = 0
    refined = set(index.candidate_photos(query[None], limit=10, tolerance=0.45)[0])
    assert set(photos[distances <= 0.45].tolist()) <= refined  # nothing within tolerance is dropped
    # A kept code's refined distance less its error bound is within the tolerance, so its exact distance is
    # within the tolerance plus twice the bound.
    reach = 0.45 + 2 * float(index.stage.refine_error[: index.size].max())
    assert not refined & set(photos[distances > reach].tolist())
    assert len(refined) < len(unrefined) / 2
    settings.FACE_REFINE_KEEP = 10  # the nearest ten by refined distance always go on
    kept = index.candidate_photos(query[None], limit=10, tolerance=0.45)[0]
    assert refined <= set(kept) and len(kept) >= 10


def test_a_face_unlike_the_codes_training_data_is_still_found(faces_dir, settings):
    """Codes trained on other faces misjudge this one's distance by more than the margin: the nearest
    FACE_PQ_KEEP codes are re-ranked anyway, so the match is not lost."""
    settings.FACE_PQ_MIN_ROWS = 1000
    obama = cro_record(name="Obama")
    encoding = np.asarray(encode_face((faces_dir / "obama.jpg").read_bytes()).encoding)
    filler = cro_record(name="Filler")
    rng = np.random.default_rng(11)
    elsewhere = encoding + 0.25  # a population the real photo does not belong to
    rows = [(i + 1, filler.pk, 10_000 + i, elsewhere + rng.normal(0, 0.03, 128)) for i in range(1500)]
    rows.append((5000, obama.pk, 20_000, encoding))
    _make_table(rows)
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    query = np.asarray(encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding, np.float32)
    distances, positions = index.stage.index.search(query[None], 5)
    code_error = abs(float(np.sqrt(distances[0][0])) - float(np.linalg.norm(encoding - query)))
    assert positions[0][0] == len(rows) - 1 and code_error > settings.FACE_PQ_MARGIN  # ranked first, misjudged
    assert [c.record_id for c in memory_search(index, [query], limit=5, tolerance=0.6)[0]] == [obama.pk]
    settings.FACE_PQ_KEEP = 0  # the margin alone would have dropped it
    assert memory_search(index, [query], limit=5, tolerance=0.6)[0] == []


def test_small_table_stays_exact_float32(faces_dir, settings):
    settings.FACE_PQ_MIN_ROWS = 1000
    record = cro_record(name="Only")
    enc = np.asarray(encode_face((faces_dir / "obama.jpg").read_bytes()).encoding)
    _make_table([(1, record.pk, 1, enc)])
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    assert index.stage.kind == "exact"
    assert memory_search(index, [enc], limit=3, tolerance=0.6)[0][0].record_id == record.pk


def test_a_batch_of_searches_answers_each_in_order(faces_dir, django_capture_on_commit_callbacks, cro_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cro import services

    made = {}
    for file in ("obama.jpg", "biden.jpg"):
        made[file] = cro_record(name=file)
        with django_capture_on_commit_callbacks(execute=True):
            services.photo_add(
                record=made[file],
                acting_user=cro_officer,
                upload=SimpleUploadedFile(file, (faces_dir / file).read_bytes()),
            )
    queries = [encode_face((faces_dir / f).read_bytes()).encoding for f in ("obama2.jpg", "lin-manuel-miranda.png")]
    obama_hits, lin_hits = face_search_many(queries)
    assert [c.record_id for c in obama_hits] == [made["obama.jpg"].pk]
    assert lin_hits == []


@pytest.fixture
def crowded(faces_dir, settings):
    """A query with 40 look-alikes within the tolerance, each its own record, among 1,200 other faces."""
    settings.FACE_PQ_MIN_ROWS = 1000
    rng = np.random.default_rng(5)
    query = np.asarray(encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding)
    filler = cro_record(name="Filler")
    rows = [(i + 1, filler.pk, 10_000 + i, query + rng.normal(0, 0.12, 128)) for i in range(1200)]
    alike = []
    for n in range(40):
        record = cro_record(name=f"Look-alike {n}")
        direction = rng.normal(0, 1, 128)
        vector = query + direction / np.linalg.norm(direction) * (0.15 + 0.01 * n)  # 0.15 .. 0.54 away
        rows.append((5000 + n, record.pk, 20_000 + n, vector))
        alike.append(record)
    _make_table(rows)
    index = MemoryFaceIndex(table=TABLE, state_table=None)
    index.load_full()
    return index, query.astype(np.float32), rows, alike


def _exact_nearest(rows, query, limit, tolerance, survivor=lambda record_id: record_id):  # noqa: ANN001, ANN202
    best: dict[int, float] = {}
    for _i, record_id, _photo, vector in rows:
        distance = float(np.linalg.norm(vector - query))
        if distance <= tolerance:
            key = survivor(record_id)
            best[key] = min(best.get(key, distance), distance)
    return sorted(best, key=best.get)[:limit]


def test_a_crowded_query_sends_only_candidates_that_can_be_among_the_nearest_records(crowded):
    """40 records lie within the tolerance; asked for 5, the database re-ranks only those that can still
    be among the 5 nearest (the refined distances' error allowed twice), and the answer is the exact one."""
    index, query, rows, _alike = crowded
    assert index.stage.kind == "pq"
    proposal = index.proposals(query[None], limit=5, tolerance=0.6)[0]
    assert len(proposal.photos) + len(proposal.cut) >= 40  # every look-alike was a candidate ...
    assert len(proposal.photos) < 20 and len(proposal.cut) > 20  # ... but most never reach the database
    found = memory_search(index, [query], limit=5, tolerance=0.6)[0]
    assert [c.record_id for c in found] == _exact_nearest(rows, query, 5, 0.6)
    # Asked for all of them, nothing is left out.
    assert [c.record_id for c in memory_search(index, [query], limit=40, tolerance=0.6)[0]] == _exact_nearest(
        rows, query, 40, 0.6
    )


def test_merged_records_do_not_make_the_limit_bound_lose_a_nearer_record(crowded):
    """The bound counts records as the index holds them; when the nearest ones were merged into one
    survivor, the answer is short of the limit and is re-ranked with every candidate."""
    from cro.models import CriminalRecord

    index, query, rows, alike = crowded
    # The ten nearest (always re-ranked, FACE_REFINE_KEEP) are one person now.
    CriminalRecord.objects.filter(pk__in=[r.pk for r in alike[1:10]]).update(merged_into=alike[0])
    survivors = {r.pk: alike[0].pk for r in alike[1:10]}
    found = memory_search(index, [query], limit=5, tolerance=0.6)[0]
    expected = _exact_nearest(rows, query, 5, 0.6, survivor=lambda pk: survivors.get(pk, pk))
    assert [c.record_id for c in found] == expected and len(expected) == 5


def test_asked_for_more_records_than_the_fast_scan_holds_every_refining_code_is_read(crowded, settings):
    """Asked for many records while even the last of the fast scan's candidates is within reach, more may lie
    beyond them: every refining code is read instead, and every look-alike within the tolerance is found."""
    index, query, rows, alike = crowded
    looks = {r.pk for r in alike}
    # 20 fast-scan candidates, all within reach: asked for 10 records they serve; asked for 40, every code is read.
    few = index.stage.candidates(query[None], count=20, tolerance=0.6, limit=10)[0]
    assert len(looks & set(index.record_ids[few.positions].tolist())) <= 20
    wide = index.stage.candidates(query[None], count=20, tolerance=0.6, limit=40)[0]
    assert looks <= set(index.record_ids[wide.positions].tolist())
    found = memory_search(index, [query], limit=40, tolerance=0.6)[0]
    assert [c.record_id for c in found] == _exact_nearest(rows, query, 40, 0.6)
