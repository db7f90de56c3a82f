"""CRO at national scale: face search (two shapes of data), name search and CNIC lookup.

Data: N synthetic records with Pakistani names, father's names, dates of birth
and CNICs, and N 128-d face encodings grouped by identity (1 to 4 photos per
person; same person 0.3-0.5 apart, different people 0.7-1.0 on average), in
two shapes, each in its own table:

- isotropic: identity centres spread over all 128 dimensions (the worst case
  for graph indexes: no structure to exploit);
- low-rank: centres in a 64-dimensional subspace, photo noise mostly in it too.

Generated once with NumPy and loaded with binary COPY; a later run reuses the
tables (and their indexes) if they hold the expected row count.

Face search options measured against the exact answer (a float64 scan):
- "as built": cro.faces.memory_search: product-quantised codes in memory
  (64 bytes per encoding) propose FACE_CANDIDATES photos and the database
  re-ranks them exactly in one query (which also checks the index version);
  also measured in a fresh process for its memory, and in batches of 20;
- the path before it: a float32 copy of every encoding (512 bytes), exact scan;
- pgvector HNSW (m=16, ef_construction=64) at several ef_search with
  iterative scan;
- a quantised scan in PostgreSQL (binary_quantize Hamming order, exact
  re-rank of the first 400), a few queries;
- naive: face_recognition.face_distance over all encodings, the same NumPy
  matrix product without the index's bookkeeping, and SQL exact without index.
"""

from __future__ import annotations

import datetime
import gc
import os
import random
import resource
import time
from collections.abc import Iterator

import numpy as np
from django.db import connection, transaction

from bench.db import alert_ids_past_diary, ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": 20_000, "national": 524_030}
QUERIES = {"small": 100, "national": 200}
DIM = 128
TOL = 0.6
SHAPES = ("isotropic", "lowrank")
HNSW_EF = (40, 100, 200, 400)
SEED = 4
# Low-rank shape: identities in a 64-dimensional subspace; spread chosen so that different people
# are 0.72-1.07 apart (1st-99th percentile) and the same person 0.33-0.48, as on real photos.
RANK = 64
LOWRANK_SPREAD = 0.0713

MALE = """Ahmad Ali Asif Bilal Danish Ehsan Faisal Farhan Fahad Ghulam Hamza Haris Hassan Hussain Imran Irfan
Ijaz Jamal Junaid Kamran Kashif Khalid Khurram Mansoor Naveed Nadeem Noman Omer Qasim Rashid Rizwan Saad Sajid
Salman Shahid Shahzad Shoaib Sohail Tahir Talha Tariq Usman Waqar Waqas Yasir Yousaf Zafar Zahid Zain Zubair
Adeel Aamir Abid Akram Amjad Anwar Arshad Asad Atif Azhar Babar Fawad Hafeez Hamid Iqbal Jawad Liaqat Majid
Mehmood Mubashir Mudassar Naeem Nasir Nauman Rafique Rehan Sabir Saleem Sarfraz Shafique Shakeel Sharif Tanveer
Umair Wajid Waseem Yasin Zeeshan Zulfiqar Aslam Ashraf Azam Ilyas Ismail Javed Kabir Latif Mushtaq Nawaz Pervaiz
Riaz Saeed Sultan Younis""".split()
FEMALE = """Ayesha Fatima Zainab Maryam Amina Sana Hina Nadia Rabia Saima Shazia Uzma Sadia Farah Kiran Bushra
Nazia Rubina Samina Shabana Tahira Yasmin Asma Iram Mehwish Nimra Sidra Sobia Hira Komal""".split()
SURNAMES = """Khan Butt Qureshi Malik Awan Bhatti Cheema Gondal Warraich Niazi Abbasi Afridi Baloch Chaudhry Dar
Gill Gujjar Jatoi Javed Kiani Lodhi Mughal Naqvi Rajput Rana Sheikh Siddiqui Soomro Syed Tarar Virk Wattoo
Yousafzai Zaidi Memon Shah Hashmi Jafri Khokhar Sandhu Sial Bajwa Randhawa Sahi Sipra Mirza Kazmi Bukhari
Ansari Farooqi Durrani Marwat Khattak Mengal Bugti Leghari Mazari Talpur""".split()
PREFIX = [("Muhammad", 0.35), ("Syed", 0.05), ("Ch.", 0.04), ("Malik", 0.03), ("Rana", 0.02)]
SPELLINGS = {
    "Muhammad": ["Mohammad", "Mohd", "Muhammed", "Mohammed"],
    "Yousaf": ["Yusuf", "Yousuf"],
    "Chaudhry": ["Choudhary", "Chaudhary"],
    "Ch.": ["Chaudhry", "Choudhary"],
    "Hussain": ["Husain", "Hussein"],
    "Ahmad": ["Ahmed"],
    "Usman": ["Osman"],
    "Omer": ["Umar", "Omar"],
    "Mehmood": ["Mahmood"],
    "Pervaiz": ["Parvez", "Pervez"],
    "Siddiqui": ["Siddiqi"],
    "Qureshi": ["Kureshi"],
}


def _cache_dir() -> str:
    from django.conf import settings

    path = settings.VAR_DIR / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


# --- synthetic people ----------------------------------------------------------------------------


def _person_name(rng: random.Random, female: bool) -> str:
    words = []
    if not female:
        for prefix, p in PREFIX:
            if rng.random() < p:
                words.append(prefix)
                break
    words.append(rng.choice(FEMALE if female else MALE))
    if rng.random() < 0.5:
        words.append(rng.choice(MALE if not female else FEMALE))
    words.append(rng.choice(SURNAMES))
    return " ".join(dict.fromkeys(words))


def _respell(rng: random.Random, name: str) -> str:
    """Return ``name`` as a clerk might write it: other spellings, sometimes another word order."""
    words = [rng.choice(SPELLINGS[w]) if w in SPELLINGS and rng.random() < 0.7 else w for w in name.split()]
    if len(words) > 2 and rng.random() < 0.3:
        words = words[1:] + words[:1]
    return " ".join(words)


def _records_ready(n: int) -> bool:
    """Return whether the records are ids 1..n (face tables refer to them by those ids)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM cro_criminalrecord")
        return tuple(cursor.fetchone()) == (n, 1, n)


def _generate_records(n: int) -> tuple[float, float]:
    """Insert ``n`` records with one text COPY, then build their indexes; return both durations."""
    from casp import names
    from cro.models import CriminalRecord

    started = time.perf_counter()
    rng = random.Random(SEED)
    fields = [f for f in CriminalRecord._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = datetime.datetime.now(datetime.UTC)
    defaults = {f.column: f.get_default() for f in fields}
    defaults.update({"created_at": now, "updated_at": now})
    cnics = rng.sample(range(10**10, 10**11), n)  # 11 unique middle digits
    # Build the search indexes once after loading rather than row by row during COPY.
    with connection.schema_editor() as editor:
        for index in CriminalRecord._meta.indexes:
            editor.execute(f"DROP INDEX IF EXISTS {index.name}")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cro_criminalrecord RESTART IDENTITY CASCADE")
        alert_ids_past_diary()
        raw = cursor.cursor
        sql = f"COPY cro_criminalrecord ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        with raw.copy(sql) as copy:
            for i in range(n):
                female = rng.random() < 0.12
                name = _person_name(rng, female)
                father = _person_name(rng, False)
                row = dict(defaults)
                row.update(
                    {
                        "cnic": f"{rng.choice('1234567')}{cnics[i]}{rng.choice('02468' if female else '13579')}",
                        "name": name,
                        "father_name": father,
                        "date_of_birth": datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20_000)),
                        "gender": "female" if female else "male",
                        "is_wanted": rng.random() < 0.05,
                        "search_text": names.normalise(name),
                        "name_codes": names.name_codes(name),
                        "father_search_text": names.normalise(father),
                    }
                )
                copy.write_row([row[c] for c in columns])
    loaded = time.perf_counter()
    with connection.schema_editor() as editor:
        for index in CriminalRecord._meta.indexes:
            editor.add_index(CriminalRecord, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cro_criminalrecord")
    return loaded - started, time.perf_counter() - loaded


# --- synthetic encodings ------------------------------------------------------------------------


def _encodings(shape: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (vectors float32 [n,128], identity per vector, identity centres, noise model) for ``shape``."""
    path = os.path.join(_cache_dir(), f"cro_faces_{shape}_{n}_v{DATA_VERSION}.npz")
    if os.path.exists(path):
        data = np.load(path)
        return data["vectors"], data["identity"], data["centres"], data["basis"]
    rng = np.random.default_rng(SEED + (shape == "lowrank"))
    photos = rng.integers(1, 5, size=n)  # 1-4 photos per person
    photos = photos[np.cumsum(photos) <= n]
    if photos.sum() < n:
        photos = np.append(photos, n - photos.sum())
    identity = np.repeat(np.arange(len(photos)), photos)
    offset = rng.normal(0, 0.05, DIM).astype(np.float32)  # real encodings are not centred on zero
    if shape == "isotropic":
        basis = np.eye(DIM, dtype=np.float32)
        centres = rng.normal(0, 0.0469, (len(photos), DIM)).astype(np.float32) + offset
    else:
        basis = np.linalg.qr(rng.normal(size=(DIM, RANK)))[0].astype(np.float32)  # 128xRANK orthonormal
        centres = (rng.normal(0, LOWRANK_SPREAD, (len(photos), RANK)).astype(np.float32) @ basis.T) + offset
    vectors = centres[identity] + _noise(rng, shape, basis, len(identity))
    np.savez(path, vectors=vectors, identity=identity, centres=centres, basis=basis)
    return vectors, identity, centres, basis


def _noise(rng: np.random.Generator, shape: str, basis: np.ndarray, count: int) -> np.ndarray:
    """Photo-to-photo variation: same person ~0.40 apart (0.3-0.5)."""
    if shape == "isotropic":
        return rng.normal(0, 0.025, (count, DIM)).astype(np.float32)
    inside = rng.normal(0, 0.0306, (count, basis.shape[1])).astype(np.float32) @ basis.T
    return inside + rng.normal(0, 0.0125, (count, DIM)).astype(np.float32)


DATA_VERSION = 3  # bump when the generator changes, so stale tables and caches are not reused


def _table(shape: str, n: int) -> str:
    return f"bench_cro_faces_{shape}_{n}_v{DATA_VERSION}"


def _table_ready(shape: str, n: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [_table(shape, n)])
        if cursor.fetchone()[0] is None:
            return False
        cursor.execute(f"SELECT count(*) FROM {_table(shape, n)}")  # noqa: S608
        return cursor.fetchone()[0] == n


def _load_table(shape: str, vectors: np.ndarray, record_ids: np.ndarray) -> float:
    """Create the shape's table and fill it with one binary COPY built by NumPy; return seconds."""
    from cro.faces import _ROW

    started = time.perf_counter()
    n = len(vectors)
    table = _table(shape, n)
    rows = np.zeros(n, dtype=_ROW)
    rows["nfields"] = 5
    rows["l0"] = rows["l1"] = rows["l2"] = rows["l3"] = 8
    rows["l4"] = 4 + 4 * DIM
    rows["id"] = np.arange(1, n + 1)
    rows["photo_id"] = rows["id"]
    rows["record_id"] = record_ids
    rows["version"] = 0
    rows["dim"] = DIM
    rows["vec"] = vectors
    payload = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + rows.tobytes() + b"\xff\xff"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, record_id bigint NOT NULL, "
            "photo_id bigint NOT NULL, version bigint NOT NULL, embedding vector(128) NOT NULL)"
        )
        with cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
            view = memoryview(payload)
            for start in range(0, len(view), 1 << 22):
                copy.write(view[start : start + (1 << 22)])
        cursor.execute(f"CREATE UNIQUE INDEX {table}_photo ON {table} (photo_id)")
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def _hnsw_ready(shape: str, n: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{_table(shape, n)}_hnsw"])
        return cursor.fetchone()[0] is not None


def _build_hnsw(shape: str, n: int) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        # Parallel HNSW builds crawl when the CPUs are shared (measured: ~80 tuples/s with one
        # worker under load, ~1,600/s without); build in one process.
        cursor.execute("SET max_parallel_maintenance_workers = 0")
        cursor.execute(
            f"CREATE INDEX {_table(shape, n)}_hnsw ON {_table(shape, n)} USING hnsw (embedding vector_l2_ops) "
            "WITH (m = 16, ef_construction = 64)"
        )
    return time.perf_counter() - started


# --- measuring -----------------------------------------------------------------------------------


def _queries(shape: str, centres: np.ndarray, basis: np.ndarray, count: int) -> np.ndarray:
    """New photos: 80% of people already on record, 20% of strangers."""
    rng = np.random.default_rng(SEED + 100)
    known = centres[rng.integers(0, len(centres), int(count * 0.8))]
    strangers_src = rng.normal(0, 1, (count - len(known), DIM if shape == "isotropic" else RANK))
    if shape == "isotropic":
        strangers = strangers_src.astype(np.float32) * 0.0469 + centres.mean(axis=0)
    else:
        strangers = (strangers_src.astype(np.float32) * LOWRANK_SPREAD) @ basis.T + centres.mean(axis=0)
    base = np.vstack([known, strangers]).astype(np.float32)
    return base + _noise(rng, shape, basis, len(base))


def _exact(vectors64: np.ndarray, record_ids: np.ndarray, q: np.ndarray) -> list[int]:
    """Return every record within TOL, nearest first, by a float64 scan (the ground truth)."""
    d = np.linalg.norm(vectors64 - q.astype(np.float64), axis=1)
    within = np.flatnonzero(d <= TOL)
    return list(dict.fromkeys(int(record_ids[pos]) for pos in within[np.argsort(d[within])]))


def _evaluate(name: str, search: object, queries: np.ndarray, truth: list[list[int]]) -> list[tuple[str, float, str]]:
    """Time ``search(q, limit)`` at limit 10 (the product) and measure recall.

    recall_at10: of the exact ten nearest within the tolerance, the share returned at limit 10.
    recall_within_tol: of every record the exact search finds within the tolerance, the share
    returned when asked for that many (a second pass, not timed).
    """
    got10: list[list[int]] = []
    # A first pass, timed apart: it pays for database pages and CPU caches not yet warm, as a process's first
    # searches after it loads the index do; the figures are the second pass (a searching process runs for hours).
    first = iter(queries)
    first_ms = timings_ms(lambda: search(next(first), 10), len(queries))
    qi = iter(queries)
    ms = timings_ms(lambda: got10.append(search(next(qi), 10)), len(queries))
    got_all = [g if len(t) <= 10 else search(q, len(t)) for q, t, g in zip(queries, truth, got10, strict=True)]
    inside = sum(len(t) for t in truth)
    found = sum(len(set(t) & set(g)) for t, g in zip(truth, got_all, strict=True))
    top = sum(min(len(t), 10) for t in truth)
    found10 = sum(len(set(t[:10]) & set(g)) for t, g in zip(truth, got10, strict=True))
    return [
        (f"{name}_p50", p50(ms), "ms"),
        (f"{name}_p95", p95(ms), "ms"),
        (f"{name}_first_pass_p95", p95(first_ms), "ms"),
        (f"{name}_recall_within_tol", found / inside if inside else 1.0, "ratio"),
        (f"{name}_recall_at10", found10 / top if top else 1.0, "ratio"),
    ]


def _pq_error(index, vectors: np.ndarray, queries: np.ndarray, prefix: str) -> list[tuple[str, float, str]]:  # noqa: ANN001
    """How far a code's distance lies from the true one over the FACE_CANDIDATES nearest codes of each query.

    Codes farther than tolerance + FACE_PQ_MARGIN are not re-ranked, so the margin must exceed the maximum.
    """
    from django.conf import settings

    distances, positions = index.stage.index.search(np.ascontiguousarray(queries, np.float32), settings.FACE_CANDIDATES)
    ids = index.ids[positions]  # table ids are 1..n in the order of ``vectors``
    true = np.linalg.norm(vectors[ids - 1] - queries[:, None, :], axis=2)
    error = np.abs(true - np.sqrt(np.maximum(distances, 0)))
    reach = distances <= (TOL + settings.FACE_PQ_MARGIN) ** 2
    # The refining codes' distance error over the same candidates (they decide what reaches the database).
    stage = index.stage
    decoded = stage.refiner.sa_decode(stage.refine_codes[positions.ravel()]).reshape(*positions.shape, -1)
    refine_error = np.abs(true - np.linalg.norm(decoded - queries[:, None, :], axis=2))
    to_database = [len(c) for c in index.candidate_photos(queries, limit=10, tolerance=TOL)]
    return [
        (f"{prefix}.pq_distance_error_p99", float(np.percentile(error, 99)), "distance"),
        (f"{prefix}.pq_distance_error_max", float(error.max()), "distance"),
        (f"{prefix}.pq_margin", settings.FACE_PQ_MARGIN, "distance"),
        (f"{prefix}.pq_within_margin_per_search", float(reach.sum() / len(queries)), "candidates"),
        (f"{prefix}.refine_distance_error_p99", float(np.percentile(refine_error, 99)), "distance"),
        (f"{prefix}.refine_distance_error_max", float(refine_error.max()), "distance"),
        (f"{prefix}.refine_error_bound_p50", float(np.median(stage.refine_error[: index.size])), "distance"),
        (f"{prefix}.refine_error_bound_max", float(stage.refine_error[: index.size].max()), "distance"),
        (f"{prefix}.reranked_by_database_per_search_mean", float(np.mean(to_database)), "candidates"),
        (f"{prefix}.reranked_by_database_per_search_p95", p95([float(x) for x in to_database]), "candidates"),
    ]


def _searching_process_rss(table: str, prefix: str) -> list[tuple[str, float, str]]:
    """Load the index in a fresh process, as a web or worker process would, and report its memory."""
    import json
    import subprocess
    import sys

    # VmHWM (peak RSS) starts afresh at exec, unlike ru_maxrss, which keeps the forking parent's peak.
    probe = (
        "import re, django, psutil, json; django.setup(); "
        "import faiss; from cro import faces; p = psutil.Process(); before = p.memory_info().rss; "
        f"i = faces.MemoryFaceIndex(table={table!r}, state_table='cro_faceindexstate'); i.load_full(); "
        "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) * 1024; "
        "print(json.dumps([before, p.memory_info().rss, hwm]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casp.settings_bench"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    before, after, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        # After importing faiss (its library, ~40 MB of pages shared by every process on the host).
        (f"{prefix}.searching_process_rss_added_by_index", (after - before) / 2**20, "MB"),
        (f"{prefix}.searching_process_peak_rss_while_loading", peak / 2**20, "MB"),
    ]


def _measure_shape(shape: str, n: int, q_count: int, record_ids: np.ndarray) -> list[tuple[str, float, str]]:
    import face_recognition

    from casp.runtime import startup_objects_freeze
    from cro import faces

    prefix = f"cro.face.{shape}"
    out: list[tuple[str, float, str]] = []
    started = time.perf_counter()
    vectors, identity, centres, basis = _encodings(shape, n)
    out.append((f"{prefix}.generate", time.perf_counter() - started, "s"))
    ids_for_rows = record_ids[identity % len(record_ids)]
    if not _table_ready(shape, n):
        out.append((f"{prefix}.copy_load", _load_table(shape, vectors, ids_for_rows), "s"))
    # BENCH_CRO_FACE_OPTIONS=built measures the product and the naive scans only (no HNSW build).
    all_options = os.environ.get("BENCH_CRO_FACE_OPTIONS", "all") == "all"
    if all_options and not _hnsw_ready(shape, n):
        out.append((f"{prefix}.hnsw_build_m16_ef64", _build_hnsw(shape, n), "s"))
    queries = _queries(shape, centres, basis, q_count)
    vectors64 = vectors.astype(np.float64)
    truth = [_exact(vectors64, ids_for_rows, q) for q in queries]
    del vectors64
    out.append((f"{prefix}.records_within_tol_mean", float(np.mean([len(t) for t in truth])), "records"))
    out.append((f"{prefix}.records_within_tol_max", max(len(t) for t in truth), "records"))

    # As built: the compact index (product-quantised codes above FACE_PQ_MIN_ROWS) proposing
    # FACE_CANDIDATES that the database re-ranks exactly; loaded by one streamed binary COPY.
    index = faces.MemoryFaceIndex(table=_table(shape, n), state_table="cro_faceindexstate")
    started = time.perf_counter()
    index.load_full()
    out.append((f"{prefix}.memory_index_load", time.perf_counter() - started, "s"))
    # As in a web or worker process (casp.runtime.startup_objects_freeze): the objects alive now (here the
    # benchmark's own generated data) are left out of the full collections that would land on a timed search.
    startup_objects_freeze()
    out.append((f"{prefix}.memory_index_kind_is_pq", float(index.stage.kind == "pq"), "bool"))
    out.append((f"{prefix}.memory_index_size", index.nbytes / 2**20, "MB"))
    out += _searching_process_rss(_table(shape, n), prefix)

    if index.stage.kind == "pq":
        out += _pq_error(index, vectors, queries, prefix)

    def built(q: np.ndarray, limit: int) -> list[int]:
        return [c.record_id for c in faces.memory_search(index, [q], limit=limit, tolerance=TOL)[0]]

    evaluated = _evaluate(f"{prefix}.built", built, queries, truth)
    out += evaluated
    built_p50, built_p95 = evaluated[0][1], evaluated[1][1]

    if index.stage.kind == "pq":
        # A caller asking for more than FACE_WIDE_LIMIT records with the fast scan saturated reads every code.
        few = iter(queries[:10])
        wide_ms = timings_ms(lambda: index.stage._within(next(few), TOL), 10)
        out.append((f"{prefix}.wide_read_p50", p50(wide_ms), "ms"))

    # Where a search's time goes: the in-memory stage (fast scan, refining codes, bounds) and the re-rank query.
    memory_ms, query_ms = [], []
    for q in queries:
        started = time.perf_counter()
        proposed = index.proposals(q[None, :], limit=10, tolerance=TOL)
        memory_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        faces._exact_confirm(index, q[None, :], [proposed[0].photos], limit=10, tolerance=TOL)
        query_ms.append((time.perf_counter() - started) * 1000)
    out += [
        (f"{prefix}.built_memory_stage_p50", p50(memory_ms), "ms"),
        (f"{prefix}.built_memory_stage_p95", p95(memory_ms), "ms"),
        (f"{prefix}.built_rerank_query_p50", p50(query_ms), "ms"),
        (f"{prefix}.built_rerank_query_p95", p95(query_ms), "ms"),
    ]

    # Batched: 20 check-ins' photos searched at once (one index pass, one query).
    batches = [queries[i : i + 20] for i in range(0, len(queries), 20)]
    batch_iter = iter(batches)
    batch_ms = timings_ms(
        lambda: faces.memory_search(index, list(next(batch_iter)), limit=5, tolerance=TOL), len(batches)
    )
    out.append((f"{prefix}.built_batch20_per_search", p50(batch_ms) / 20, "ms"))
    index.stage = None
    gc.collect()

    # Today's path before this change: a float32 copy of every encoding (512 bytes each), exact scan.
    from django.test import override_settings

    with override_settings(FACE_PQ_MIN_ROWS=10**9):
        exact_index = faces.MemoryFaceIndex(table=_table(shape, n), state_table="cro_faceindexstate")
        exact_index.load_full()
    out.append((f"{prefix}.float32_index_size", exact_index.nbytes / 2**20, "MB"))

    def float32(q: np.ndarray, limit: int) -> list[int]:
        return [c.record_id for c in faces.memory_search(exact_index, [q], limit=limit, tolerance=TOL)[0]]

    f32 = _evaluate(f"{prefix}.float32_exact", float32, queries, truth)
    out += f32
    out.append((f"{prefix}.float32_exact_p95_vs_built", f32[1][1] / built_p95, "x"))

    # Naive: face_recognition.face_distance (float64 linear scan) and a bare NumPy matrix product.
    matrix, norms = exact_index.stage.matrix[: exact_index.size], exact_index.stage.norms[: exact_index.size]
    few = iter(queries[:20])
    fr_ms = timings_ms(lambda: np.flatnonzero(face_recognition.face_distance(matrix, next(few)) <= TOL), 20)
    qi = iter(queries)

    def numpy_scan() -> None:
        q = next(qi)
        np.flatnonzero(norms - 2.0 * (matrix @ q) + float(q @ q) <= TOL * TOL)

    np_ms = timings_ms(numpy_scan, len(queries))
    out += [
        (f"{prefix}.naive_face_distance_p50", p50(fr_ms), "ms"),
        (f"{prefix}.naive_face_distance_vs_built", p50(fr_ms) / built_p50, "x"),
        (f"{prefix}.numpy_matmul_only_p50", p50(np_ms), "ms"),
        (f"{prefix}.numpy_matmul_only_p95", p95(np_ms), "ms"),
    ]
    exact_index.stage = matrix = norms = None  # free ~N*512 bytes before the next options
    gc.collect()
    if not all_options:
        return out

    # Option: pgvector HNSW (m=16, ef_construction=64) with iterative scan at several ef_search.
    for ef in HNSW_EF:

        def hnsw(q: np.ndarray, limit: int, ef: int = ef) -> list[int]:
            found = faces.hnsw_nearest(q, limit=limit, tolerance=TOL, table=_table(shape, n), ef_search=ef)
            return [c.record_id for c in found]

        out += _evaluate(f"{prefix}.hnsw_ef{ef}", hnsw, queries, truth)

    # Option: quantised scan in PostgreSQL (Hamming order on binary_quantize, exact re-rank of 400).
    def quantised(q: np.ndarray, limit: int) -> list[int]:
        vec = "[" + ",".join(f"{x:.7g}" for x in q) + "]"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT record_id FROM (SELECT record_id, embedding <-> %s::vector AS d FROM {_table(shape, n)} "  # noqa: S608
                "ORDER BY binary_quantize(embedding)::bit(128) <~> binary_quantize(%s::vector) LIMIT 400) s "
                "WHERE d <= %s ORDER BY d LIMIT %s",
                [vec, vec, TOL, limit],
            )
            return list(dict.fromkeys(r[0] for r in cursor.fetchall()))

    out += _evaluate(f"{prefix}.pg_binary_quantised", quantised, queries[:10], truth[:10])

    # Naive in SQL: exact order by a sequential scan (indexes off).
    def sql_exact(q: np.ndarray, limit: int) -> list[int]:
        vec = "[" + ",".join(f"{x:.7g}" for x in q) + "]"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(
                f"SELECT record_id FROM {_table(shape, n)} WHERE embedding <-> %s::vector <= %s "  # noqa: S608
                "ORDER BY embedding <-> %s::vector LIMIT %s",
                [vec, TOL, vec, limit * 4],
            )
            return list(dict.fromkeys(r[0] for r in cursor.fetchall()))[:limit]

    sql = _evaluate(f"{prefix}.naive_sql_seqscan", sql_exact, queries[:5], truth[:5])
    out += sql
    out.append((f"{prefix}.naive_sql_seqscan_vs_built", sql[0][1] / built_p50, "x"))
    return out


def _measure_five_million(q_count: int) -> Iterator[tuple[str, float, str]]:
    """The in-memory stage at 5 million encodings (isotropic, the harder shape), without a 5M-row table.

    Measures what grows with N: the codes' size, the candidate pass, and recall at 10 of the
    candidates against an exact float32 scan. The exact re-rank query that follows reads
    FACE_CANDIDATES rows by primary key whatever N is; its cost is in the 524,030 figures.
    """
    from django.conf import settings

    from cro import faces

    n = 5_000_000
    rng = np.random.default_rng(SEED + 50)
    started = time.perf_counter()
    photos = rng.integers(1, 5, size=n)
    photos = photos[np.cumsum(photos) <= n]
    identity = np.repeat(np.arange(len(photos)), photos)
    centres = rng.normal(0, 0.0469, (len(photos), DIM)).astype(np.float32)
    vectors = np.empty((len(identity), DIM), np.float32)
    for start in range(0, len(identity), 500_000):
        part = identity[start : start + 500_000]
        vectors[start : start + len(part)] = centres[part] + rng.normal(0, 0.025, (len(part), DIM)).astype(np.float32)
    yield ("cro.face.5m.generate", time.perf_counter() - started, "s")
    started = time.perf_counter()
    stage = faces._QuantisedStage(vectors[rng.choice(len(vectors), 65_536, replace=False)])
    for start in range(0, len(vectors), 500_000):
        stage.add(vectors[start : start + 500_000])
    yield ("cro.face.5m.build", time.perf_counter() - started, "s")
    yield ("cro.face.5m.codes_size", stage.nbytes / 2**20, "MB")
    known = centres[rng.integers(0, len(centres), q_count)] + rng.normal(0, 0.025, (q_count, DIM)).astype(np.float32)
    count = settings.FACE_CANDIDATES
    qi = iter(known)
    ms = timings_ms(lambda: stage.candidates(next(qi)[None, :], count=count, tolerance=TOL, limit=10), q_count)
    yield ("cro.face.5m.candidates_p50", p50(ms), "ms")
    yield ("cro.face.5m.candidates_p95", p95(ms), "ms")
    norms = np.einsum("ij,ij->i", vectors, vectors)
    found = inside = 0
    for q in known[:50]:
        d2 = norms - 2.0 * (vectors @ q) + float(q @ q)
        within = np.flatnonzero(d2 <= TOL * TOL)
        top = within[np.argsort(d2[within])][:10]
        proposed = set(stage.candidates(q[None, :], count=count, tolerance=TOL, limit=10)[0].positions.tolist())
        inside += len(top)
        found += len(set(top.tolist()) & proposed)
    yield ("cro.face.5m.candidates_recall_at10", found / inside if inside else 1.0, "ratio")
    naive = iter(known[:10])
    scan_ms = timings_ms(lambda: np.flatnonzero(norms - 2.0 * (vectors @ next(naive)) <= TOL * TOL), 10)
    yield ("cro.face.5m.float32_scan_p50", p50(scan_ms), "ms")
    yield ("cro.face.5m.float32_scan_vs_candidates", p50(scan_ms) / p50(ms), "x")


def _measure_names(n: int, q_count: int) -> list[tuple[str, float, str]]:
    from cro.matching import candidate_query, match_cnic, match_names

    rng = random.Random(SEED + 7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, father_name, date_of_birth, cnic FROM cro_criminalrecord ORDER BY random() LIMIT %s",
            [q_count],
        )
        sample = cursor.fetchall()
    hits1 = hits10 = 0
    got_ms = []
    for rid, name, father, dob, _cnic in sample:
        query = _respell(rng, name)
        fquery = _respell(rng, father)
        started = time.perf_counter()
        found = match_names(name=query, father_name=fquery, date_of_birth=dob)
        got_ms.append((time.perf_counter() - started) * 1000)
        ids = [m.record_id for m in found]
        hits1 += bool(ids) and ids[0] == rid
        hits10 += rid in ids
    # The same candidate query with the indexes switched off (a full scan), a few times.
    slow = []
    for _rid, name, *_ in sample[:5]:
        sql, params = candidate_query(_respell(rng, name))
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            slow.append((time.perf_counter() - started) * 1000)
            cursor.execute("COMMIT")
    cnics = [row[4] for row in sample]
    ci = iter(cnics * 3)
    cnic_ms = timings_ms(lambda: match_cnic(next(ci)), len(cnics) * 3)
    naive_cnic = []
    for cnic in cnics[:5]:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
            started = time.perf_counter()
            cursor.execute("SELECT id FROM cro_criminalrecord WHERE cnic = %s", [cnic])
            cursor.fetchall()
            naive_cnic.append((time.perf_counter() - started) * 1000)
            cursor.execute("COMMIT")
    # Guests' names (generated, not on record): those no record shares every word's codes with take the
    # relaxed query (all words but one); against the trigram query over the whole CRO they took before.
    from cro.matching import TRIGRAM_THRESHOLD, _trigram_query, relaxed_query

    guests = random.Random(99)
    guest_ms, relaxed_ms, trigram_ms = [], [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_limit(%s)", [TRIGRAM_THRESHOLD])
        for _ in range(q_count):
            name, father = _person_name(guests, False), _person_name(guests, False)
            started = time.perf_counter()
            match_names(name=name, father_name=father)
            guest_ms.append((time.perf_counter() - started) * 1000)
            cursor.execute(*candidate_query(name, father))
            if cursor.fetchall() or (relaxed := relaxed_query(name, father)) is None:
                continue
            for sql, times in ((relaxed, relaxed_ms), (_trigram_query(name), trigram_ms)):
                started = time.perf_counter()
                cursor.execute(*sql)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
    guests_figures = [
        ("cro.names.guest_names_match_p50", p50(guest_ms), "ms"),
        ("cro.names.guest_names_match_p95", p95(guest_ms), "ms"),
        ("cro.names.guest_names_relaxed", len(relaxed_ms), "queries"),
    ]
    if relaxed_ms:
        guests_figures += [
            ("cro.names.relaxed_query_p95", p95(relaxed_ms), "ms"),
            ("cro.names.trigram_query_instead_p95", p95(trigram_ms), "ms"),
            ("cro.names.trigram_vs_relaxed_p95", p95(trigram_ms) / p95(relaxed_ms), "x"),
        ]
    return [
        *guests_figures,
        ("cro.names.queries", len(sample), "queries"),
        ("cro.names.match_p50", p50(got_ms), "ms"),
        ("cro.names.match_p95", p95(got_ms), "ms"),
        ("cro.names.respelled_found_first", hits1 / len(sample), "ratio"),
        ("cro.names.respelled_found_top10", hits10 / len(sample), "ratio"),
        ("cro.names.candidate_query_without_index_p50", p50(slow), "ms"),
        ("cro.names.without_index_vs_built", p50(slow) / p50(got_ms), "x"),
        ("cro.cnic.match_p50", p50(cnic_ms), "ms"),
        ("cro.cnic.match_p95", p95(cnic_ms), "ms"),
        ("cro.cnic.seqscan_p50", p50(naive_cnic), "ms"),
        ("cro.cnic.seqscan_vs_built", p50(naive_cnic) / p50(cnic_ms), "x"),
    ]


def run(scale: str) -> Iterator[tuple[str, float, str]]:
    """Yield the figures as they are measured (the runner prints each line at once)."""
    ensure_bench_database()
    n = SIZES[scale]
    yield ("cro.records", n, "records")
    yield ("cro.face.encodings_per_shape", n, "rows")
    yield ("cro.loadavg_1min_at_start", os.getloadavg()[0], "load")
    if os.environ.get("BENCH_CRO_FRESH_RECORDS") == "1" or not _records_ready(n):
        copy_s, index_s = _generate_records(n)
        yield ("cro.records.generate_and_copy", copy_s, "s")
        yield ("cro.records.build_search_indexes", index_s, "s")
    record_ids = np.arange(1, n + 1, dtype=np.int64)  # _records_ready guarantees ids 1..n
    parts = os.environ.get("BENCH_CRO_PARTS", "names,faces,faces5m").split(",")
    if "names" in parts:
        yield from _measure_names(n, QUERIES[scale])
    for shape in SHAPES if "faces" in parts else ():
        yield from _measure_shape(shape, n, QUERIES[scale], record_ids)
        gc.collect()
    if scale == "national" and "faces5m" in parts:
        yield from _measure_five_million(QUERIES[scale])
        gc.collect()
    yield ("cro.peak_rss_python", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
    yield ("cro.loadavg_1min_at_end", os.getloadavg()[0], "load")
