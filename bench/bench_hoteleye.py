"""Hotel Eye: check-in -> alert latency through a real worker, throughput, and recovery by the sweep.

With the CRO at the issue's size (524,030 records at national scale), this
starts one Celery worker process (solo pool) on the Redis at REDIS_URL,
database 12, against the benchmark database, and measures:

- end-to-end time from a check-in committed to its alert visible through the
  station inbox query (``alerts_inbox_state``), median and p95, with a photo
  (face search) and without (CNIC + name matching);
- sustained check-ins matched per second by that one worker;
- the same latency when the broker is unreachable at check-in time and comes
  back: the check-in stays pending until the sweep re-queues it. The shared
  Redis is not stopped (other processes use it); the producer is pointed at a
  dead address for the outage, and the worker is stopped and restarted;
- the sweep's work-queue query on the partial index versus a full scan of
  ~1.3M check-ins (national), the naive approach.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {
    "small": {"cro": 20_000, "faces": 5_000, "checkins": 50_000, "e2e": 20, "e2e_photo": 10, "burst": 100},
    "national": {"cro": 524_030, "faces": 131_000, "checkins": 1_300_000, "e2e": 40, "e2e_photo": 20, "burst": 300},
}
FACES = Path(settings.BASE_DIR).parent / "shared" / "faces"
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


def _seed_cro(n: int, n_faces: int) -> None:
    """Fill the CRO to ``n`` records, ``n_faces`` of them with a face encoding (random, far from real faces)."""
    from casp import names
    from cro.models import CriminalRecord

    have = CriminalRecord.objects.count()
    if have < n:
        first = [
            "Muhammad",
            "Ali",
            "Ahmed",
            "Imran",
            "Bilal",
            "Usman",
            "Hassan",
            "Kamran",
            "Naveed",
            "Tariq",
            "Zahid",
            "Sajid",
            "Fahad",
            "Asif",
            "Khalid",
            "Rashid",
            "Shahid",
            "Javed",
            "Nadeem",
            "Waqas",
        ]
        last = [
            "Khan",
            "Butt",
            "Malik",
            "Chaudhry",
            "Qureshi",
            "Sheikh",
            "Awan",
            "Raja",
            "Abbasi",
            "Mirza",
            "Gill",
            "Cheema",
            "Bhatti",
            "Siddiqui",
            "Hashmi",
            "Rizvi",
            "Jatoi",
            "Baloch",
            "Memon",
            "Shah",
        ]
        middle = ["", "Ahmad", "Hussain", "Iqbal", "Aslam", "Akram", "Nawaz", "Latif", "Saleem", "Rafiq"]
        codes_cache: dict[str, list[str]] = {}
        batch = []
        for i in range(have, n):
            name = " ".join(p for p in (first[i % 20], middle[(i // 20) % 10], last[(i // 200) % 20]) if p)
            name = f"{name} {i}"  # a distinct record per row; the number is not a name word
            father = f"{first[(i // 7) % 20]} {last[(i // 3) % 20]}"
            key = name.rsplit(" ", 1)[0]
            if key not in codes_cache:
                codes_cache[key] = names.name_codes(key)
            batch.append(
                CriminalRecord(
                    cnic=str(4000000000000 + i) if i % 3 else None,
                    name=name, father_name=father, is_wanted=i % 5 == 0,
                    search_text=names.normalise(key), name_codes=codes_cache[key],
                    father_search_text=names.normalise(father),
                )
            )  # fmt: skip
            if len(batch) == 10_000:
                CriminalRecord.objects.bulk_create(batch)
                batch = []
        CriminalRecord.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cro_faceencoding")
        have_faces = cursor.fetchone()[0]
        if have_faces < n_faces:
            cursor.execute(
                """
                INSERT INTO cro_recordphoto (record_id, kind, file, thumbnail, sha256, width, height, face_status,
                    face_message, uploaded_at)
                SELECT r.id, 'front', 'bench/none.jpg', 'bench/none.jpg', md5(r.id::text), 1, 1, 'ok', '', now()
                FROM cro_criminalrecord r
                WHERE NOT EXISTS (SELECT 1 FROM cro_recordphoto p WHERE p.record_id = r.id)
                ORDER BY r.id LIMIT %s
                """,
                [n_faces - have_faces],
            )
            cursor.execute(
                """
                INSERT INTO cro_faceencoding (photo_id, record_id, embedding, version, created_at)
                SELECT p.id, p.record_id,
                    (SELECT array_agg((random() - 0.5) * 0.3) FROM generate_series(1, 128) d WHERE p.id > 0)::vector,
                    1, now()
                FROM cro_recordphoto p
                WHERE NOT EXISTS (SELECT 1 FROM cro_faceencoding e WHERE e.photo_id = p.id)
                """
            )
            cursor.execute(
                "INSERT INTO cro_faceindexstate (id, version) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET version = cro_faceindexstate.version + 1"
            )
        cursor.execute("ANALYZE cro_criminalrecord")
        cursor.execute("ANALYZE cro_faceencoding")


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


def _checkin(hotel: object, i: int, *, cnic: str, photo: object = None) -> object:
    from hoteleye.services import checkin_create

    data = {
        "guest_type": "pakistani", "cnic": cnic, "name": f"Bench Guest {i}", "father_name": "Someone",
        "gender": "male", "room": str(i % 500), "checked_in_at": timezone.now(), "date_of_birth": None,
    }  # fmt: skip
    checkin = checkin_create(hotel=hotel, acting_user=None, data=data, photo=photo)
    return checkin


def _wait_alert(officer: object, checkin: object, started: float, timeout: float = 120) -> float:
    """Return seconds from ``started`` until the check-in's alert is visible in the inbox query."""
    from hoteleye.selectors import alerts_inbox_state, checkin_alerts

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alert_id = checkin_alerts(checkin).values_list("id", flat=True).first()
        if alert_id is not None and alerts_inbox_state(officer)[0] >= alert_id:
            return time.monotonic() - started
        time.sleep(0.005)
    raise RuntimeError(f"no alert for check-in {checkin.pk} within {timeout} s")


def _checkout_all(hotel: object) -> None:
    from hoteleye.models import CheckIn

    CheckIn.objects.filter(hotel=hotel, checked_out_at__isnull=True).update(checked_out_at=timezone.now())


def run(scale: str) -> list[tuple[str, float, str]]:
    from casp.runtime import redis_answers
    from casp.uploads import process_image
    from cro.faces import face_index_reset
    from hoteleye.models import CheckIn, MatchStatus
    from hoteleye.tasks import sweep_unmatched_task

    ensure_bench_database()
    size = SIZES[scale]
    out: list[tuple[str, float, str]] = []
    with transaction.atomic():
        hotel, officer = _seed_hotel()
    started = time.monotonic()
    _seed_cro(size["cro"], size["faces"])
    _seed_checkins(hotel, size["checkins"])
    out.append(("hoteleye.cro_records", size["cro"], "records"))
    out.append(("hoteleye.cro_face_encodings", size["faces"], "encodings"))
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
            ("hoteleye.e2e_photo_p50", p50(with_photo), "ms"),
            ("hoteleye.e2e_photo_p95", p95(with_photo), "ms"),
        ]

        # Sustained: a burst of check-ins without photos (most match nothing), matched by the one worker.
        t0 = time.monotonic()
        burst = [_checkin(hotel, i, cnic=f"63300{i:08d}").pk for i in range(size["burst"])]
        saved = time.monotonic() - t0
        while CheckIn.objects.filter(pk__in=burst, match_status=MatchStatus.PENDING).exists():
            time.sleep(0.05)
        matched = time.monotonic() - t0
        _checkout_all(hotel)
        out += [
            ("hoteleye.checkins_saved_per_s", len(burst) / saved, "checkins/s"),
            ("hoteleye.checkins_matched_per_s_one_worker", len(burst) / matched, "checkins/s"),
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
    return out
