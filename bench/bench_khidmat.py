"""Khidmat Markaz at Punjab's yearly volume: tracking lookup, a centre's application list, 20 counters taking
tokens at once, and the CRO check per application against the CRO.

Applications are generated in SQL with generate_series in Punjab's 2024 mix
(2.6 M served: 1.14 M verifications, 733 k character certificates, 231 k
tenancies, 120 k FIR copies, 81 k loss reports, 31 k vehicle verifications).
Each measurement is compared with the naive way in the same run: lookups and
lists with the app's indexes dropped (inside a rolled-back transaction),
tokens numbered as max()+1 without the counter lock, and the CRO check with
index scans switched off (full scans).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator

from django.db import IntegrityError, connection, transaction

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (5, 20_000, 20_000), "national": (120, 2_600_000, 524_030)}  # centres, applications, CRO
REPEAT = {"small": (60, 10), "national": (200, 10)}
PREFIX = "BK-"
# Per mille of the applications (Punjab 2024); the rest is spread over the other services.
MIX = {
    "police-verification": 438, "character-certificate": 282, "tenant-registration": 89, "fir-copy": 46,
    "loss-report": 31, "vehicle-verification": 12, "employee-registration": 30, "licence-renewal": 25,
    "learner-licence": 20, "domestic-servant-registration": 10, "crime-report": 8, "vaw-report": 4,
    "duplicate-licence": 2, "international-licence": 1, "licence-endorsement": 1, "foreigner-registration": 1,
}  # fmt: skip
APP_INDEXES = ["khidmat_app_centre_idx", "khidmat_app_centre_status_idx"]
COUNTERS = 20
TOKENS_EACH = 20


def _centres(n_centres: int) -> list[object]:
    from django.contrib.auth.models import Group

    from casp.models import User
    from casp.roles import Role
    from khidmat.models import CentreStaff, KhidmatCentre
    from stations.models import District, Province

    province, _ = Province.objects.get_or_create(code="BKP", defaults={"name": "Bench Khidmat"})
    district, _ = District.objects.get_or_create(code="BK01", defaults={"province": province, "name": "BK D1"})
    KhidmatCentre.objects.bulk_create(
        [KhidmatCentre(code=f"{PREFIX}{i:03d}", name=f"BK {i}", district=district, address="-", counters=COUNTERS)
         for i in range(n_centres)],
        ignore_conflicts=True,
    )  # fmt: skip
    centres = list(KhidmatCentre.objects.filter(code__startswith=PREFIX).order_by("code")[:n_centres])
    clerk, _ = User.objects.get_or_create(username="bench-khidmat-clerk")
    clerk.groups.add(Group.objects.get_or_create(name=Role.KHIDMAT_STAFF.value)[0])
    CentreStaff.objects.get_or_create(user=clerk, centre=centres[0])
    return [clerk, *centres]


def _seed(centres: list[object], clerk: object, n: int) -> None:
    from khidmat.models import Application, ServiceType

    ids = {s.code: s.pk for s in ServiceType.objects.all()}
    mix = [ids[code] for code, share in MIX.items() for _ in range(share)]
    centre_ids = [c.pk for c in centres]
    if Application.objects.filter(centre_id__in=centre_ids).count() == n:
        return
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE khidmat_crocandidate, khidmat_crocheck, khidmat_verificationtask, khidmat_certificate, "
            "khidmat_applicationdocument, khidmat_application CASCADE"
        )
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            WITH g AS (
                SELECT i, (i * 37) %% 365 AS age,
                       now() - make_interval(days => ((i * 37) %% 365)::int, mins => ((i * 13) %% 600)::int) AS created
                FROM generate_series(1::bigint, %(n)s::bigint) AS i
            )
            INSERT INTO khidmat_application (
                tracking_number, centre_id, service_id, applicant_cnic, applicant_name, applicant_phone,
                for_someone_else, relation, authority_letter, subject_name, subject_father_name, subject_cnic,
                subject_dob, present_address, permanent_address, photo, details, vehicle_number, fee,
                receipt_number, paid_at, status, created_at, created_by_id, promised_on, outcome,
                forwarded_reference, vehicle_hits)
            SELECT
                upper(substr(t, 1, 4) || '-' || substr(t, 5, 4) || '-' || substr(t, 9, 4)),
                (%(centres)s::bigint[])[1 + g.i %% %(n_centres)s], (%(mix)s::bigint[])[1 + (g.i * 7919) %% 1000],
                '35202' || lpad(g.i::text, 8, '0'), 'Bench ' || g.i, '03' || lpad((g.i * 7)::text, 9, '0'),
                false, '', '', 'Bench ' || g.i, '', '35202' || lpad(g.i::text, 8, '0'),
                date '1960-01-01' + (g.i %% 15000)::int, '', '', '', '', '', 500,
                'R-BK-' || g.i, g.created,
                CASE WHEN g.age > 7 THEN (ARRAY['issued', 'issued', 'issued', 'refused', 'forwarded'])[1 + g.i %% 5]
                     ELSE (ARRAY['checks', 'decision', 'received'])[1 + g.i %% 3] END,
                g.created, %(clerk)s, (g.created + interval '4 days')::date, 'Bench outcome', '', '[]'::jsonb
            FROM g CROSS JOIN LATERAL (SELECT lpad(to_hex(g.i), 6, '0') || substr(md5(g.i::text), 1, 6) AS t) AS tn
            """,
            {"n": n, "centres": centre_ids, "n_centres": len(centre_ids), "mix": mix, "clerk": clerk.pk},
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE khidmat_application")
    print(f"khidmat.seed_seconds: {time.monotonic() - started:.1f} s", flush=True)


def _measure(samples: list[tuple[str, str]], clerk: object, centre: object, repeat: int) -> dict[str, list[float]]:
    from django.core.paginator import Paginator

    from khidmat.selectors import application_lookup, applications_list

    picks = iter(samples * (repeat // len(samples) + 1))

    def lookup() -> None:
        number, phone = next(picks)
        assert application_lookup(tracking_number=number, phone=phone) is not None

    def centre_list() -> None:
        page = Paginator(applications_list(clerk, centre=centre, status="checks"), 50).page(1)
        list(page.object_list)

    return {"tracking_lookup": timings_ms(lookup, repeat), "centre_list": timings_ms(centre_list, repeat)}


def _threads(fn: Callable[[], object]) -> tuple[list[object], int, float]:
    """Run ``fn`` in COUNTERS threads started together; return (results, errors, seconds)."""
    barrier = threading.Barrier(COUNTERS)
    results: list[object] = []
    errors = [0]

    def work() -> None:
        barrier.wait()
        try:
            for _ in range(TOKENS_EACH):
                try:
                    results.append(fn())
                except IntegrityError:
                    errors[0] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(COUNTERS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors[0], time.perf_counter() - started


def _tokens(centre: object) -> list[tuple[str, float, str]]:
    from django.db.models import Max
    from django.utils import timezone

    from khidmat.models import Counter, ServiceType, Token
    from khidmat.services import token_take

    service = ServiceType.objects.get(code="loss-report")
    Token.objects.filter(centre=centre).delete()
    Counter.objects.filter(centre=centre, kind="token").delete()
    numbers, errors, seconds = _threads(lambda: token_take(centre=centre, service=service).number)
    total = COUNTERS * TOKENS_EACH
    gap_free = sorted(numbers) == list(range(1, total + 1)) and errors == 0

    def naive() -> int:
        # max()+1 without a lock: two counters read the same maximum; the unique constraint refuses one.
        with transaction.atomic():
            day = timezone.localdate()
            last = Token.objects.filter(centre=centre, day=day).aggregate(m=Max("number"))["m"] or 0
            return Token.objects.create(centre=centre, day=day, number=last + 1, service=service).number

    Token.objects.filter(centre=centre).delete()
    naive_numbers, naive_errors, naive_seconds = _threads(naive)
    Token.objects.filter(centre=centre).delete()
    return [
        ("khidmat.tokens.counters", COUNTERS, "threads"),
        ("khidmat.tokens.taken", len(numbers), "tokens"),
        ("khidmat.tokens.gap_free", float(gap_free), "bool"),
        ("khidmat.tokens.throughput", total / seconds, "tokens/s"),
        ("khidmat.tokens.naive_max_plus_one_refused", naive_errors, "tokens"),
        ("khidmat.tokens.naive_throughput", len(naive_numbers) / naive_seconds, "tokens/s"),
    ]


def _cro_check(n_records: int) -> list[tuple[str, float, str]]:
    from bench import bench_cro
    from khidmat.matching import candidates_find

    if not bench_cro._records_ready(n_records):
        bench_cro._generate_records(n_records)
    rng = random.Random(9)
    with connection.cursor() as cur:
        cur.execute("SELECT name, father_name, date_of_birth, cnic FROM cro_criminalrecord ORDER BY random() LIMIT 100")
        sample = cur.fetchall()
    # Half are people with a record (respelled names), half clean applicants with new CNICs.
    clean = ("Zarrar Qizilbash", "Oghuz Khan")
    people = [
        (bench_cro._respell(rng, name), father, dob, cnic) if i % 2 else (*clean, dob, f"7{i:012d}")
        for i, (name, father, dob, cnic) in enumerate(sample)
    ]
    picks = iter(people * 2)

    def check() -> None:
        name, father, dob, cnic = next(picks)
        candidates_find(cnic=cnic, name=name, father_name=father, date_of_birth=dob, photo=None)

    built = timings_ms(check, len(people))
    naive = []
    for name, father, dob, cnic in people[:6]:
        with transaction.atomic(), connection.cursor() as cur:
            for setting in ("enable_bitmapscan", "enable_indexscan", "enable_indexonlyscan"):
                cur.execute(f"SET LOCAL {setting} = off")
            started = time.perf_counter()
            candidates_find(cnic=cnic, name=name, father_name=father, date_of_birth=dob, photo=None)
            naive.append((time.perf_counter() - started) * 1000)
    return [
        ("khidmat.cro_check.records", n_records, "records"),
        ("khidmat.cro_check_p50", p50(built), "ms"),
        ("khidmat.cro_check_p95", p95(built), "ms"),
        ("khidmat.cro_check_full_scan_p50", p50(naive), "ms"),
        ("khidmat.cro_check_full_scan_p95", p95(naive), "ms"),
        ("khidmat.cro_check_full_scan_vs_built", p50(naive) / p50(built), "x"),
    ]


def run(scale: str) -> Iterator[tuple[str, float, str]]:
    from khidmat.models import Application

    ensure_bench_database()
    n_centres, n_apps, n_records = SIZES[scale]
    clerk, *centres = _centres(n_centres)
    _seed(centres, clerk, n_apps)
    rng = random.Random(9)
    from django.db.models import Max, Min

    bounds = Application.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    picks = [rng.randrange(bounds["lo"], bounds["hi"] + 1) for _ in range(400)]
    rows = list(Application.objects.filter(pk__in=picks).values_list("tracking_number", "applicant_phone"))
    samples = [(t.lower().replace("-", ""), f"+92 {p[1:4]} {p[4:]}") for t, p in rows[:200]]
    fast, slow = REPEAT[scale]
    yield ("khidmat.applications", Application.objects.count(), "applications")
    yield ("khidmat.centres", n_centres, "centres")
    built = _measure(samples, clerk, centres[0], fast)
    with transaction.atomic():
        with connection.cursor() as cur:
            for name in APP_INDEXES:
                cur.execute(f"DROP INDEX {name}")  # noqa: S608 - names are constants above
            cur.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'khidmat_application'::regclass "
                "AND contype = 'u' AND pg_get_constraintdef(oid) LIKE '%%tracking_number%%'"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'ALTER TABLE khidmat_application DROP CONSTRAINT "{name}"')  # noqa: S608
            cur.execute("DROP INDEX IF EXISTS khidmat_application_tracking_number_like")
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'khidmat_application' "
                "AND (indexdef ILIKE '%%tracking_number%%' OR indexdef ILIKE '%%(centre_id)%%')"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')  # noqa: S608 - names from the catalogue
        naive = _measure(samples, clerk, centres[0], slow)
        transaction.set_rollback(True)
    for key, values in built.items():
        yield (f"khidmat.{key}_p50", p50(values), "ms")
        yield (f"khidmat.{key}_p95", p95(values), "ms")
        yield (f"khidmat.{key}_no_app_indexes_p50", p50(naive[key]), "ms")
        yield (f"khidmat.{key}_no_app_indexes_p95", p95(naive[key]), "ms")
        yield (f"khidmat.{key}_no_app_indexes_vs_built", p50(naive[key]) / p50(values), "x")
    yield from _tokens(centres[0])
    yield from _cro_check(n_records)
