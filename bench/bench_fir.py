"""FIRs and station registers at scale.

1. Concurrent FIR registration: 20 writers on one station through fir_register
   (locked counter). All numbers 1..N must be present exactly once; prints
   registrations per second. The naive approach, max(number)+1 without a lock,
   runs in the same way and its collisions (refused by the unique constraint)
   are counted.
2. The FIR list page and a register list page, rendered through the real
   views, at 200,000 FIRs and 1,000,000 register entries (national) or a
   tenth of that (small): median and 95th percentile server time, then the
   same pages with the indexes this issue added dropped (inside a
   transaction that is rolled back) for comparison.
3. The clerk's complainant-name search (one station, ~1,000-2,000 FIRs):
   as built (station first, the name in a shape the trigram index cannot
   serve) against the trigram-indexable shape the planner used to prefer,
   with a name the station does not have and one it has, and the ratio.
   The 1-minute load average is printed at the start and the end.
"""

from __future__ import annotations

import os
import time
import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (20_000, 100_000, 20), "national": (200_000, 1_000_000, 100)}  # FIRs, entries, stations
WRITERS = 20
PER_WRITER = {"small": 5, "national": 25}
REPEAT = {"small": 20, "national": 40}
# Indexes added by this issue that serve the measured pages (dropped for the "without" run).
FIR_INDEXES = [
    "fir_fir_station_list_idx",
    "fir_fir_list_idx",
    "fir_fir_station_status_idx",
    "fir_fir_complainant_cnic_idx",
    "fir_fir_complainant_trgm",
    "fir_fir_io_status_idx",
    "fir_accused_cnic_idx",
    "fir_accused_name_trgm",
]
REGISTER_INDEXES = ["stations_entry_time_idx", "stations_entry_search_trgm", "stations_entry_unique_source"]
# The (station, register, year, number) unique constraint is the register list's index.
REGISTER_CONSTRAINTS = ["stations_entry_unique_number"]

FIRST = ["Muhammad", "Ali", "Ahmad", "Bilal", "Imran", "Kashif", "Nadeem", "Shahid", "Tariq", "Usman",
         "Ayesha", "Fatima", "Hina", "Maryam", "Nadia", "Rabia", "Sadia", "Shazia", "Sana", "Zainab"]  # fmt: skip
LAST = ["Khan", "Butt", "Malik", "Qureshi", "Sheikh", "Chaudhry", "Awan", "Raja", "Mirza", "Abbasi",
        "Baig", "Hashmi", "Gondal", "Cheema", "Warraich", "Bhatti", "Javed", "Iqbal", "Aslam", "Parveen"]  # fmt: skip


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _setup(scale: str) -> dict:
    from casp.models import User
    from casp.roles import Role
    from fir.catalogue import sections_seed
    from fir.models import Fir, Section
    from stations.models import District, PoliceStation, Posting, Province, RegisterEntry

    n_firs, n_entries, n_stations = SIZES[scale]
    sections_seed(Section)
    province, _ = Province.objects.get_or_create(code="BFP", defaults={"name": "Bench FIR"})
    district, _ = District.objects.get_or_create(code="BF", defaults={"province": province, "name": "Bench FIR"})
    PoliceStation.objects.bulk_create(
        [PoliceStation(district=district, code=f"BF-{i:04d}", name=f"Bench {i}") for i in range(n_stations)],
        ignore_conflicts=True,
    )
    stations = list(PoliceStation.objects.filter(code__startswith="BF-").order_by("code")[:n_stations])
    clerk, created = User.objects.get_or_create(username="bench-fir-clerk")
    if created:
        clerk.set_password("bench")
        clerk.save(update_fields=["password"])
        from django.contrib.auth.models import Group

        clerk.groups.add(Group.objects.get_or_create(name=Role.STATION_CLERK.value)[0])
        Posting.objects.create(user=clerk, station=stations[0], role=Role.STATION_CLERK)
    dpo, created = User.objects.get_or_create(username="bench-fir-dpo")
    if created:
        from django.contrib.auth.models import Group

        dpo.groups.add(Group.objects.get_or_create(name=Role.DISTRICT_OFFICER.value)[0])
        Posting.objects.create(user=dpo, district=district, role=Role.DISTRICT_OFFICER)
    ids = [s.pk for s in stations]
    station_filter = Fir.objects.filter(station_id__in=ids)
    if station_filter.count() != n_firs or RegisterEntry.objects.filter(station_id__in=ids).count() != n_entries:
        _generate(n_firs, n_entries, ids, clerk.pk)
    with connection.cursor() as cur:  # fresh statistics, also for indexes added by later migrations
        for table in ("fir_fir", "fir_fir_sections", "fir_accused", "stations_registerentry"):
            cur.execute(f"ANALYZE {table}")
    return {"stations": stations, "clerk": clerk, "dpo": dpo}


def _generate(n_firs: int, n_entries: int, station_ids: list[int], user_id: int) -> None:
    """Fill the FIR and register tables with generate_series (TRUNCATE: the tables refuse DELETE)."""
    from fir.models import Section

    section_ids = list(Section.objects.values_list("pk", flat=True))
    s = len(station_ids)
    name = f"({_sql_array(FIRST)})[1 + g %% 20] || ' ' || ({_sql_array(LAST)})[1 + (g / 20) %% 20]"
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE fir_fir, fir_fir_sections, fir_accused, fir_arrest, fir_statuschange, fir_casenote, "
            "stations_registerentry, stations_registerentryversion CASCADE"
        )
        cur.execute(
            f"""
            INSERT INTO fir_fir (station_id, year, number, reported_at, occurred_from, place, direction,
                complainant_name, complainant_father_name, complainant_cnic, complainant_address, complainant_phone,
                facts, weapons, property_involved, delay_reason, action_taken, writing_officer_id,
                writing_officer_name, registered_at, submission_key, status, challan_kind, status_changed_at)
            SELECT (%(stations)s)[1 + g %% {s}], 2026, g / {s} + 1,
                now() - (({n_firs} - g) * interval '2 minutes') - interval '1 hour',
                now() - (({n_firs} - g) * interval '2 minutes') - interval '3 hours',
                'Mohalla ' || (g %% 500), '',
                {name},
                ({_sql_array(FIRST)})[1 + (g / 7) %% 20], lpad((3520100000000 + g)::text, 13, '0'), '', '',
                'Generated facts of case ' || g, '', '', '', '', %(user)s, 'Bench clerk',
                now() - (({n_firs} - g) * interval '2 minutes'), md5(g::text)::uuid,
                (ARRAY['registered','under_investigation','untraced'])[1 + g %% 3], '', now()
            FROM generate_series(0, {n_firs - 1}) AS g
            """,
            {"stations": station_ids, "user": user_id},
        )
        cur.execute(
            "INSERT INTO fir_fir_sections (fir_id, section_id) SELECT id, (%(sections)s)[1 + id %% %(k)s] FROM fir_fir",
            {"sections": section_ids, "k": len(section_ids)},
        )
        cur.execute(
            f"""INSERT INTO fir_accused (fir_id, name, father_name, cnic, address, is_unknown, description, added_at)
            SELECT id, ({_sql_array(FIRST)})[1 + (id / 3) %% 20] || ' ' || ({_sql_array(LAST)})[1 + id %% 20],
                '', NULL, '', false, '', now() FROM fir_fir""",
            {},
        )
        from stations.registers import REGISTERS

        codes = [r.code for r in REGISTERS if r.is_generic]
        r = len(codes)
        cur.execute(
            f"""
            INSERT INTO stations_registerentry (station_id, register, year, number, data, search_text, kind,
                created_at, received_at, created_by_id, source_type, source_id, version, is_void, void_reason, fact)
            SELECT (%(stations)s)[1 + g %% {s}], (%(codes)s::text[])[1 + (g / {s}) %% {r}], 2026, g / ({s} * {r}) + 1,
                jsonb_build_object('name', {name},
                                   'reason', 'entry ' || g, 'text', 'entry ' || g),
                lower({name} || ' entry ' || g),
                '', now() - (({n_entries} - g) * interval '20 seconds'), NULL, %(user)s, '', '', 1, false, '',
                '{{}}'::jsonb
            FROM generate_series(0, {n_entries - 1}) AS g
            """,
            {"stations": station_ids, "codes": codes, "user": user_id},
        )
        for table in ("fir_fir", "fir_fir_sections", "fir_accused", "stations_registerentry"):
            cur.execute(f"ANALYZE {table}")


def _pages(ctx: dict) -> dict[str, str]:
    station = ctx["stations"][0]
    return {
        "fir.list_page": reverse("fir:list"),
        "fir.district_list_page": reverse("fir:list"),
        "fir.search_complainant_page": reverse("fir:list") + "?complainant=shazia+parv",
        "register.list_page": reverse("stations:register_list", args=[station.code, "xi"]),
        "register.search_page": reverse("stations:register_list", args=[station.code, "xi"]) + "?q=rabia+cheema",
    }


def _trigram_shape(user: object, value: str) -> list:
    """The clerk's complainant search as it was before: the trigram-indexable shape over the user's stations."""
    from fir.selectors import _person_q, firs_for_user
    from stations.selectors import stations_for_user

    len(stations_for_user(user).order_by("name"))  # the page loads them too
    qs = firs_for_user(user).filter(_person_q(value, "complainant_name", "complainant_cnic", indexed=True))
    return list(
        qs.select_related("station", "investigating_officer")
        .prefetch_related("sections")
        .order_by("-registered_at", "-id")[:51]
    )


def _queries(ctx: dict) -> dict[str, object]:
    """The list queries alone (what the indexes serve), without template rendering."""
    from fir.selectors import firs_search
    from stations.selectors import register_entries_for_station

    station = ctx["stations"][0]
    from stations.selectors import stations_for_user

    def search(user: object, value: str) -> list:
        """As the list view searches: the user's stations are already loaded for the page."""
        stations = stations_for_user(user).order_by("name")
        len(stations)
        return list(firs_search(user, {"complainant": value}, stations=stations)[:51])

    return {
        "fir.list_query": lambda: list(firs_search(ctx["clerk"], {})[:51]),
        "fir.district_list_query": lambda: list(firs_search(ctx["dpo"], {})[:51]),
        "fir.search_complainant_query": lambda: search(ctx["clerk"], "shazia parv"),
        "fir.search_complainant_trigram_shape_query": lambda: _trigram_shape(ctx["clerk"], "shazia parv"),
        "fir.search_complainant_found_query": lambda: search(ctx["clerk"], "muhammad qures"),
        "fir.search_complainant_found_trigram_shape_query": lambda: _trigram_shape(ctx["clerk"], "muhammad qures"),
        "fir.district_search_complainant_query": lambda: search(ctx["dpo"], "shazia parv"),
        "fir.district_search_accused_query": lambda: list(firs_search(ctx["dpo"], {"accused": "rabia chaud"})[:51]),
        "register.list_query": lambda: list(
            register_entries_for_station(ctx["clerk"], station=station, register="xi")[:51]
        ),
        "register.search_query": lambda: list(
            register_entries_for_station(ctx["clerk"], station=station, register="xi", query="rabia cheema")[:51]
        ),
    }


def _time_all(clients: dict[str, Client], pages: dict[str, str], queries: dict, repeat: int) -> dict[str, list[float]]:
    out = {}
    for name, url in pages.items():
        client = clients["dpo"] if name.startswith("fir.district") else clients["clerk"]
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = timings_ms(lambda url=url, client=client: client.get(url), repeat)
    for name, fn in queries.items():
        fn()
        out[name] = timings_ms(fn, repeat)
    return out


def _drop_indexes() -> None:
    with connection.cursor() as cur:
        for name in FIR_INDEXES + REGISTER_INDEXES:
            cur.execute(f'DROP INDEX "{name}"')
        for name in REGISTER_CONSTRAINTS:
            cur.execute(f'ALTER TABLE stations_registerentry DROP CONSTRAINT "{name}"')
        cur.execute("ANALYZE fir_fir")
        cur.execute("ANALYZE stations_registerentry")


class _Rollback(Exception):
    pass


def _concurrent_registration(scale: str) -> list[tuple[str, float, str]]:
    from casp.models import User
    from fir.models import Fir
    from fir.services import fir_register
    from stations.models import PoliceStation
    from tests.concurrency import run_concurrently
    from tests.fir.factories import fir_data

    district = PoliceStation.objects.filter(code__startswith="BF-").first().district
    tag = uuid.uuid4().hex[:8]
    station = PoliceStation.objects.create(district=district, code=f"BFC-{tag}", name=f"Concurrency {tag}")
    naive_station = PoliceStation.objects.create(district=district, code=f"BFN-{tag}", name=f"Naive {tag}")
    clerk = User.objects.get(username="bench-fir-clerk")
    per = PER_WRITER[scale]

    def locked() -> None:
        for _ in range(per):
            fir_register(station=station, acting_user=clerk, data=fir_data(sections="379 PPC", accused=[]))

    started = time.perf_counter()
    _results, errors = run_concurrently(WRITERS, locked)
    elapsed = time.perf_counter() - started
    numbers = sorted(Fir.objects.filter(station=station).values_list("number", flat=True))
    total = WRITERS * per
    gap_free = numbers == list(range(1, total + 1)) and not errors

    collisions = 0

    def naive() -> int:
        failed = 0
        for _ in range(per):
            try:
                with transaction.atomic():
                    last = Fir.objects.filter(station=naive_station, year=2026).aggregate(m=Max("number"))["m"] or 0
                    data = fir_data(sections="379 PPC", accused=[])
                    Fir.objects.create(
                        station=naive_station, year=2026, number=last + 1, writing_officer=clerk,
                        writing_officer_name="x", **{k: data[k] for k in ("reported_at", "occurred_from", "place",
                        "complainant_name", "facts")},
                    )  # fmt: skip
            except IntegrityError:
                failed += 1
        return failed

    results, _errors = run_concurrently(WRITERS, naive)
    collisions = sum(int(r) for r in results)
    return [
        ("fir.concurrent.writers", WRITERS, "threads"),
        ("fir.concurrent.registered", total, "FIRs"),
        ("fir.concurrent.numbers_1_to_n_exactly_once", 1.0 if gap_free else 0.0, "bool"),
        ("fir.concurrent.registrations_per_second", total / elapsed, "FIR/s"),
        ("fir.concurrent.naive_max_plus_one_collisions", collisions, f"refused of {total}"),
    ]


def run(scale: str) -> list[tuple[str, float, str]]:
    ensure_bench_database()
    ctx = _setup(scale)
    n_firs, n_entries, n_stations = SIZES[scale]
    out: list[tuple[str, float, str]] = [
        ("fir.loadavg_1min_at_start", os.getloadavg()[0], "load"),
        ("fir.rows", n_firs, "FIRs"),
        ("register.rows", n_entries, "entries"),
        ("fir.stations", n_stations, "stations"),
    ]
    out += _concurrent_registration(scale)
    clients = {"clerk": Client(), "dpo": Client()}
    clients["clerk"].force_login(ctx["clerk"])
    clients["dpo"].force_login(ctx["dpo"])
    pages, queries = _pages(ctx), _queries(ctx)
    repeat = REPEAT[scale]
    with_idx = _time_all(clients, pages, queries, repeat)
    try:
        with transaction.atomic():
            _drop_indexes()
            without = _time_all(clients, pages, queries, max(5, repeat // 4))
            raise _Rollback
    except _Rollback:
        pass
    for name in [*pages, *queries]:
        out += [
            (f"{name}.p50", p50(with_idx[name]), "ms"),
            (f"{name}.p95", p95(with_idx[name]), "ms"),
            (f"{name}.without_indexes_p50", p50(without[name]), "ms"),
            (f"{name}.without_indexes_p95", p95(without[name]), "ms"),
            (f"{name}.speedup_vs_no_index", p50(without[name]) / p50(with_idx[name]), "x"),
        ]
    # A single station's complainant search keeps out of the trigram index (fir.selectors.firs_search):
    # the trigram shape's time over the station-first shape's, both with every index in place.
    for name in ("fir.search_complainant_query", "fir.search_complainant_found_query"):
        trigram = name.replace("_query", "_trigram_shape_query")
        out += [
            (f"{name}.trigram_shape_vs_station_first_p50", p50(with_idx[trigram]) / p50(with_idx[name]), "x"),
            (f"{name}.trigram_shape_vs_station_first_p95", p95(with_idx[trigram]) / p95(with_idx[name]), "x"),
        ]
    out.append(("fir.loadavg_1min_at_end", os.getloadavg()[0], "load"))
    return out
