"""Hotel Eye: check-in -> alert latency through a real worker, throughput, and recovery by the sweep.

The CRO is bench_cro's (524,030 generated records at national scale) and every
record photo carries an encoding from bench_cro's generator (isotropic shape,
524,030 encodings), so a guest's photo is searched against all of them. This
starts one Celery worker process (solo pool) on the Redis at REDIS_URL,
database 12, against the benchmark database, and measures:

- end-to-end time from a check-in committed to its alert visible through the
  station inbox query (``alerts_inbox_state``), median and p95, with a photo
  (face encoding and search) and without (CNIC + name matching), guests with
  generated Pakistani names (and, for comparison with earlier runs, the
  "Bench Guest <i>" names of the benchmark before);
- check-ins matched per second by that one worker: today's path (one task per
  check-in) against batches of MATCH_BATCH (hoteleye.tasks.checkins_match_batch),
  without photos and with a stored face encoding, in the same run, and batches
  with a second worker process on the same host;
- the same latency when the broker is unreachable at check-in time and comes
  back: the check-in stays pending until the sweep re-queues it. The shared
  Redis is not stopped (other processes use it); the producer is pointed at a
  dead address for the outage, and the worker is stopped and restarted;
- the sweep's work-queue query on the partial index versus a full scan of
  ~1.3M check-ins (national), the naive approach.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bench.db import alert_ids_past_diary, ensure_bench_database, p50, p95, timings_ms

# Faces: every record photo of the CRO carries an encoding (bench_cro's isotropic shape, 1-4 photos per person).
# Latencies: 100 check-ins without a photo and 40 with one at national scale, so that a p95 is not decided by
# the second-slowest of a handful (each costs well under a second).
SIZES = {
    "small": {"cro": 20_000, "faces": 20_000, "checkins": 50_000, "e2e": 20, "e2e_photo": 10, "burst": 200},
    "national": {"cro": 524_030, "faces": 524_030, "checkins": 1_300_000, "e2e": 100, "e2e_photo": 40, "burst": 600},
}
FACES = Path(settings.BASE_DIR) / "tests" / "data" / "faces"
DEAD_BROKER = "redis://127.0.0.1:1/12"


def _redis_url() -> str:
    return settings.REDIS_URL.rsplit("/", 1)[0] + "/12"


# --- data -------------------------------------------------------------------------------------------------------
def _seed_hotel() -> tuple[object, object]:
    from casp.models import User
    from casp.roles import Role
    from hoteleye.models import Hotel
    from stations.models import District, PoliceStation, Posting, Province

    province, _ = Province.objects.get_or_create(code="BHP", defaults={"name": "Bench Hotels"})
    district, _ = District.objects.get_or_create(code="BHD", defaults={"province": province, "name": "Bench"})
    station, _ = PoliceStation.objects.get_or_create(code="BH-PS", defaults={"district": district, "name": "Bench"})
    hotel, _ = Hotel.objects.get_or_create(
        code="BH-H1",
        defaults={"name": "Bench Hotel", "licence_number": "BH-1", "address": "-", "district": district,
                  "station": station, "rooms": 500},
    )  # fmt: skip
    officer, _ = User.objects.get_or_create(username="bench-hotel-officer")
    Posting.objects.get_or_create(user=officer, station=station, role=Role.STATION_CLERK)
    return hotel, officer


def _seed_checkins(hotel: object, n: int) -> None:
    """Fill the check-in table to ``n`` rows of past, matched and checked-out stays (one SQL statement)."""
    from hoteleye.models import CheckIn

    have = CheckIn.objects.count()
    if have >= n:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO hoteleye_checkin (hotel_id, guest_type, cnic, passport_number, nationality, name, father_name,
                gender, visa_number, phone, address, arriving_from, purpose, room, vehicle_number, checked_in_at,
                checked_out_at, received_at, is_late, photo, photo_thumbnail, source, nadra_status, match_status,
                matched_at, match_attempts)
            SELECT %s, 'pakistani', (3000000000000 + g)::text, '', '', 'Guest ' || g, 'Father ' || g, 'male', '', '',
                '', '', '', (g %% 500)::text, '', now() - (g || ' minutes')::interval,
                now() - (g || ' minutes')::interval + interval '1 day', now() - (g || ' minutes')::interval, false,
                '', '', 'csv', 'not_verified', 'no_match', now(), 1
            FROM generate_series(%s, %s) AS g
            """,
            [hotel.pk, have + 1, n],
        )
        cursor.execute("ANALYZE hoteleye_checkin")


TARGET_NAMES = ("Bench Wanted Person", "Bench Face Person")


def _cro_ready(n: int) -> bool:
    """Return whether the CRO holds bench_cro's generated records 1..n (and at most the two targets besides)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE id BETWEEN 1 AND %s), "
            "count(*) FILTER (WHERE id > %s AND NOT name = ANY(%s)) FROM cro_criminalrecord",
            [n, n, list(TARGET_NAMES)],
        )
        inside, extra = cursor.fetchone()
    return inside == n and extra == 0


def _seed_cro(n: int, n_faces: int) -> list[tuple[str, float, str]]:
    """Fill the CRO with bench_cro's ``n`` generated records and ``n_faces`` encodings (its isotropic shape).

    The records (names, fathers, dates of birth, CNICs) and encodings come from bench_cro's generators, so both
    benchmarks search the same CRO; the encodings are copied from its table into cro_recordphoto and
    cro_faceencoding by two INSERT ... SELECT. Returns the time each step took (nothing when the data is there).
    """
    from bench import bench_cro

    out: list[tuple[str, float, str]] = []
    if not _cro_ready(n):
        copy_s, index_s = bench_cro._generate_records(n)  # TRUNCATE ... CASCADE: photos, encodings, alerts go too
        out += [("hoteleye.seed_cro_records", copy_s, "s"), ("hoteleye.seed_cro_record_indexes", index_s, "s")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cro_faceencoding WHERE version = 0")
        if cursor.fetchone()[0] == n_faces:
            return out
    started = time.monotonic()
    vectors, identity, _centres, _basis = bench_cro._encodings("isotropic", n_faces)
    record_ids = (identity % n + 1).astype("int64")  # as bench_cro: identity i is record i + 1
    table = bench_cro._table("isotropic", n_faces)
    if not bench_cro._table_ready("isotropic", n_faces):
        bench_cro._load_table("isotropic", vectors, record_ids)
    del vectors
    out.append(("hoteleye.seed_face_generate_and_copy", time.monotonic() - started, "s"))
    started = time.monotonic()
    with connection.cursor() as cursor:
        # The memory backend never reads pgvector's HNSW index, and keeping it up to date would make this
        # insert take ~10 minutes at 524,030 rows: the benchmark database goes without it.
        cursor.execute("DROP INDEX IF EXISTS cro_faceencoding_hnsw")
        cursor.execute("DELETE FROM cro_faceencoding WHERE version = 0")
        cursor.execute("DELETE FROM cro_recordphoto WHERE file = 'bench/none.jpg'")
        cursor.execute(
            f"""
            INSERT INTO cro_recordphoto (record_id, kind, file, thumbnail, sha256, width, height, face_status,
                face_message, uploaded_at)
            SELECT record_id, 'front', 'bench/none.jpg', 'bench/none.jpg', md5(id::text), 1, 1, 'ok', '', now()
            FROM {table} ORDER BY id
            """  # noqa: S608
        )
        cursor.execute(
            f"""
            INSERT INTO cro_faceencoding (photo_id, record_id, embedding, version, created_at)
            SELECT p.id, b.record_id, b.embedding, 0, now()
            FROM {table} b JOIN cro_recordphoto p ON p.record_id = b.record_id AND p.sha256 = md5(b.id::text)
            ORDER BY b.id
            """  # noqa: S608
        )
        cursor.execute(
            "INSERT INTO cro_faceindexstate (id, version) VALUES (1, 1) "
            "ON CONFLICT (id) DO UPDATE SET version = cro_faceindexstate.version + 1"
        )
        cursor.execute("ANALYZE cro_recordphoto")
        cursor.execute("ANALYZE cro_faceencoding")
    out.append(("hoteleye.seed_face_rows", time.monotonic() - started, "s"))
    return out


def _targets() -> tuple[object, object]:
    """Return (a wanted record matched by CNIC, the record made from obama.jpg)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cro import services as cro_services
    from cro.models import CriminalRecord

    wanted = CriminalRecord.objects.filter(name="Bench Wanted Person").first()
    if wanted is None:
        wanted = cro_services.record_create(
            acting_user=None,
            data={"name": "Bench Wanted Person", "father_name": "X", "cnic": "6110112345671", "is_wanted": True},
            aliases=(),
            source="bench",
        )
    face = CriminalRecord.objects.filter(name="Bench Face Person").first()
    if face is None:
        face = cro_services.record_create(
            acting_user=None, data={"name": "Bench Face Person", "father_name": "Y"}, aliases=(), source="bench"
        )
        from cro.faces import encode_face
        from cro.services import photo_store_face

        upload = SimpleUploadedFile("obama.jpg", (FACES / "obama.jpg").read_bytes())
        photo = cro_services.photo_add(record=face, acting_user=None, upload=upload)
        result = encode_face((FACES / "obama.jpg").read_bytes())
        photo_store_face(photo_id=photo.pk, status=result.status, encoding=result.encoding, message=result.message)
    return wanted, face


# --- worker -----------------------------------------------------------------------------------------------------
def _start_worker(log: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    # As in production (DATABASE_URL, DB_CONN_MAX_AGE=60): the worker keeps its database connection between tasks.
    url = f"postgresql://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings_bench",
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": _redis_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NOTIFIER": "console",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "celery"), "-A", "casp", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, cwd=settings.BASE_DIR, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc


def _use_broker(url: str) -> None:
    from casp.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


_GUEST_NAMES = random.Random(99)  # guests named like the CRO's people (bench_cro's generator), other draws


def _checkin(
    hotel: object, i: int, *, cnic: str, photo: object = None, queue_match: bool = True, synthetic: bool = False
) -> object:
    """Save a check-in as the intake does; its matching is queued on commit unless ``queue_match`` is false.

    The guest has a generated Pakistani name and father's name, or with ``synthetic`` the "Bench Guest <i>"
    of the earlier benchmark (words no CRO name shares: a cheap trigram fallback).
    """
    from bench.bench_cro import _person_name
    from hoteleye.services import checkin_create

    name = f"Bench Guest {i}" if synthetic else _person_name(_GUEST_NAMES, False)
    father = "Someone" if synthetic else _person_name(_GUEST_NAMES, False)
    data = {
        "guest_type": "pakistani", "cnic": cnic, "name": name,
        "father_name": father, "gender": "male", "room": str(i % 500),
        "checked_in_at": timezone.now(), "date_of_birth": None,
    }  # fmt: skip
    return checkin_create(hotel=hotel, acting_user=None, data=data, photo=photo, queue_match=queue_match)


def _wait_alert(officer: object, checkin: object, started: float, timeout: float = 120) -> float:
    """Return seconds from ``started`` until the check-in's alert is visible in the inbox query.

    Polls what an open inbox polls (``alerts_inbox_state``); only when its latest id moves is the check-in's
    own alert looked up, to tell it from another's.
    """
    from hoteleye.selectors import alerts_inbox_state, checkin_alerts

    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        latest = alerts_inbox_state(officer)[0]
        if latest > seen:
            alert_id = checkin_alerts(checkin).values_list("id", flat=True).first()
            if alert_id is not None and latest >= alert_id:
                return time.monotonic() - started
            seen = latest
        time.sleep(0.005)
    raise RuntimeError(f"no alert for check-in {checkin.pk} within {timeout} s")


def _checkout_all(hotel: object) -> None:
    from hoteleye.models import CheckIn

    CheckIn.objects.filter(hotel=hotel, checked_out_at__isnull=True).update(checked_out_at=timezone.now())


def _wait_matched(ids: list[int], timeout: float = 600) -> None:
    from hoteleye.models import CheckIn, MatchStatus

    deadline = time.monotonic() + timeout
    while CheckIn.objects.filter(pk__in=ids, match_status=MatchStatus.PENDING).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"check-ins still pending after {timeout} s")
        time.sleep(0.02)


def _throughput(hotel: object, n: int, *, batched: bool, first: int, face: list[float] | None = None) -> float:
    """Save ``n`` pending check-ins, queue their matching (one task each, or batches), return matched per second.

    With ``face``, every check-in carries that stored encoding (as after its first match: a re-match reuses it).
    """
    from hoteleye.models import CheckIn, FaceStatus
    from hoteleye.tasks import checkin_match_queue, checkins_match_queue

    ids = [_checkin(hotel, i, cnic=f"{first + i:013d}", queue_match=False).pk for i in range(n)]
    if face is not None:
        CheckIn.objects.filter(pk__in=ids).update(
            photo="bench/stored.jpg", face_status=FaceStatus.OK, face_encoding=face
        )
    t0 = time.monotonic()
    if batched:
        checkins_match_queue(ids)
    else:
        for checkin_id in ids:
            checkin_match_queue(checkin_id)
    _wait_matched(ids)
    rate = n / (time.monotonic() - t0)
    _checkout_all(hotel)
    return rate


def run(scale: str) -> list[tuple[str, float, str]]:
    from casp.runtime import redis_answers, startup_objects_freeze
    from casp.uploads import process_image
    from cro.faces import face_index_reset
    from hoteleye.models import CheckIn, MatchStatus
    from hoteleye.tasks import MATCH_BATCH, checkins_match_queue, sweep_unmatched_task

    ensure_bench_database()
    alert_ids_past_diary()  # a database seeded before this was kept may have restarted them
    size = SIZES[scale]
    out: list[tuple[str, float, str]] = [("hoteleye.loadavg_1min_at_start", os.getloadavg()[0], "load")]
    started = time.monotonic()
    out += _seed_cro(size["cro"], size["faces"])
    with transaction.atomic():
        hotel, officer = _seed_hotel()
    _seed_checkins(hotel, size["checkins"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cro_faceencoding")
        encodings = cursor.fetchone()[0]
    out.append(("hoteleye.cro_records", size["cro"], "records"))
    out.append(("hoteleye.cro_face_encodings_searched", encodings, "encodings"))
    out.append(("hoteleye.checkins_in_table", CheckIn.objects.count(), "rows"))
    out.append(("hoteleye.seed_time", time.monotonic() - started, "s"))

    # The sweep's work queue: the partial index versus a scan of every check-in.
    def pending() -> object:
        cutoff = timezone.now() - timezone.timedelta(minutes=2)
        return list(
            CheckIn.objects.filter(match_status=MatchStatus.PENDING, received_at__lt=cutoff)
            .order_by("received_at")
            .values_list("id", flat=True)[:500]
        )

    def pending_naive() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            with transaction.atomic():
                return pending()

    with transaction.atomic():
        fast = timings_ms(pending, 30)
        slow = timings_ms(pending_naive, 5)
    out += [
        ("hoteleye.sweep_query_p50", p50(fast), "ms"),
        ("hoteleye.sweep_query_full_scan_p50", p50(slow), "ms"),
        ("hoteleye.sweep_query_speedup_vs_scan", p50(slow) / p50(fast), "x"),
    ]

    if not redis_answers(settings.REDIS_URL) or not (FACES / "obama2.jpg").exists():
        out.append(("hoteleye.e2e_skipped_no_redis_or_photos", 1, "flag"))
        return out
    wanted, _face = _targets()
    face_index_reset()
    # The poll below stands for an officer's inbox, served by a web process that froze its start-up objects
    # (casp.runtime.startup_objects_freeze): so does this process, holding the benchmark's generated data.
    startup_objects_freeze()
    import redis

    redis.Redis.from_url(_redis_url()).flushdb()
    _checkout_all(hotel)
    log = Path(settings.BASE_DIR) / "var" / "bench-hoteleye-worker.log"
    log.parent.mkdir(exist_ok=True)
    _use_broker(_redis_url())
    worker = _start_worker(log)
    try:
        # Warm-up: the worker loads face_recognition and the in-memory face index on its first photo.
        photo_bytes = (FACES / "obama2.jpg").read_bytes()
        from django.core.files.uploadedfile import SimpleUploadedFile

        def photo() -> object:
            return process_image(SimpleUploadedFile("obama2.jpg", photo_bytes))

        warm = _checkin(hotel, 0, cnic="6220000000001", photo=photo())
        warm_time = _wait_alert(officer, warm, time.monotonic(), timeout=600)
        out.append(("hoteleye.worker_first_photo_warmup", warm_time, "s"))
        _checkout_all(hotel)

        no_photo = []
        for i in range(size["e2e"]):
            t0 = time.monotonic()
            checkin = _checkin(hotel, i, cnic=str(wanted.cnic))
            no_photo.append(_wait_alert(officer, checkin, t0) * 1000)
            _checkout_all(hotel)
        no_photo_synthetic = []
        for i in range(size["e2e"]):
            t0 = time.monotonic()
            checkin = _checkin(hotel, i, cnic=str(wanted.cnic), synthetic=True)
            no_photo_synthetic.append(_wait_alert(officer, checkin, t0) * 1000)
            _checkout_all(hotel)
        with_photo = []
        for i in range(size["e2e_photo"]):
            image = photo()
            t0 = time.monotonic()
            checkin = _checkin(hotel, i, cnic=f"62200{i:08d}", photo=image)
            with_photo.append(_wait_alert(officer, checkin, t0) * 1000)
        _checkout_all(hotel)
        out += [
            ("hoteleye.e2e_no_photo_p50", p50(no_photo), "ms"),
            ("hoteleye.e2e_no_photo_p95", p95(no_photo), "ms"),
            ("hoteleye.e2e_no_photo_bench_guest_names_p50", p50(no_photo_synthetic), "ms"),
            ("hoteleye.e2e_no_photo_bench_guest_names_p95", p95(no_photo_synthetic), "ms"),
            ("hoteleye.e2e_photo_p50", p50(with_photo), "ms"),
            ("hoteleye.e2e_photo_p95", p95(with_photo), "ms"),
        ]

        # Sustained: check-ins saved pending, then matched by the one worker: today's path (one task per
        # check-in, as the intake queues it) against batches of MATCH_BATCH (the sweep, a CSV batch), same run.
        n = size["burst"]
        single = _throughput(hotel, n, batched=False, first=6330000000000)
        batched = _throughput(hotel, n, batched=True, first=6340000000000)
        out += [
            ("hoteleye.checkins_matched_per_s_one_worker_single", single, "checkins/s"),
            (f"hoteleye.checkins_matched_per_s_one_worker_batch{MATCH_BATCH}", batched, "checkins/s"),
            ("hoteleye.checkins_matched_batch_vs_single", batched / single, "x"),
        ]
        # Per host (2 cores here): a second worker process beside the first, batches shared between them.
        second = _start_worker(log.with_name("bench-hoteleye-worker-2.log"))
        try:
            _warm = _throughput(hotel, MATCH_BATCH * 2, batched=True, first=6341000000000)  # the second one starts
            two = _throughput(hotel, n, batched=True, first=6342000000000)
        finally:
            second.terminate()
            second.wait(timeout=60)
        out.append((f"hoteleye.checkins_matched_per_s_two_workers_batch{MATCH_BATCH}", two, "checkins/s"))
        # The same with a photo whose encoding is stored (a stranger's face: searched, no alert).
        from cro.faces import encode_face

        stranger = encode_face((FACES / "biden.jpg").read_bytes()).encoding
        single_f = _throughput(hotel, n // 2, batched=False, first=6350000000000, face=stranger)
        batched_f = _throughput(hotel, n // 2, batched=True, first=6360000000000, face=stranger)
        out += [
            ("hoteleye.checkins_with_face_matched_per_s_one_worker_single", single_f, "checkins/s"),
            (f"hoteleye.checkins_with_face_matched_per_s_one_worker_batch{MATCH_BATCH}", batched_f, "checkins/s"),
            ("hoteleye.checkins_with_face_matched_batch_vs_single", batched_f / single_f, "x"),
        ]
        # A batch's latency: MATCH_BATCH pending check-ins, one of them wanted, queued as one task.
        batch_ms = []
        for rep in range(5):
            ids = [
                _checkin(hotel, i, cnic=f"637{rep:02d}{i:08d}", queue_match=False).pk for i in range(MATCH_BATCH - 1)
            ]
            wanted_in = _checkin(hotel, MATCH_BATCH, cnic=str(wanted.cnic), queue_match=False)
            t0 = time.monotonic()
            checkins_match_queue([*ids, wanted_in.pk])
            batch_ms.append(_wait_alert(officer, wanted_in, t0) * 1000)
            _wait_matched(ids)
            _checkout_all(hotel)
        out += [
            (f"hoteleye.batch{MATCH_BATCH}_queued_to_alert_p50", p50(batch_ms), "ms"),
            (f"hoteleye.batch{MATCH_BATCH}_queued_to_alert_p95", p95(batch_ms), "ms"),
        ]

        # Broker outage: the check-in is saved while no broker answers and no worker runs; then both come back
        # and the sweep (run here as beat would) re-queues it.
        worker.terminate()
        worker.wait(timeout=60)
        _use_broker(DEAD_BROKER)
        outage_started = time.monotonic()
        lost = _checkin(hotel, 1, cnic=str(wanted.cnic))
        time.sleep(2.0)
        _use_broker(_redis_url())
        worker = _start_worker(log)
        restarted = time.monotonic()
        swept = sweep_unmatched_task(older_than_seconds=0)
        recovered = _wait_alert(officer, lost, outage_started, timeout=600)
        out += [
            ("hoteleye.outage_checkins_swept", swept, "checkins"),
            ("hoteleye.outage_checkin_to_alert", recovered, "s"),
            ("hoteleye.outage_restart_to_alert", time.monotonic() - restarted, "s"),
        ]
        _checkout_all(hotel)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    out.append(("hoteleye.loadavg_1min_at_end", os.getloadavg()[0], "load"))
    return out
