"""The alert pipeline at scale: stolen-vehicle look-ups and a district's alert inbox.

1. Vehicle look-up (fir.vehicles.stolen_vehicles_find, the query behind the
   officers' page and the Khidmat counter) by registration, chassis and engine
   number among 200,000 stolen vehicles (national; 20,000 small), a tenth of
   them recovered: p50/p95 through the partial indexes on the normalised keys,
   then the same queries with index scans disabled (a sequential scan) in a
   transaction that is rolled back, and the ratio; both as the caller sees them
   (round trip included) and inside PostgreSQL (EXPLAIN ANALYZE execution time),
   since on a loaded machine the round trip dominates.
2. The district alert inbox (/alerts/) of a district officer over 20 stations
   holding 200,000 alerts (national; 20,000 small), all sources and filtered by
   one source, served through the real view: p50/p95.

Rows are generated with generate_series; a later run reuses them when the counts match.
"""

from __future__ import annotations

import random
import uuid

from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (20_000, 20_000), "national": (200_000, 200_000)}  # stolen vehicles, alerts
STATIONS = 20
FIRS = 40
REPEAT = {"small": 100, "national": 200}
PAGE_REPEAT = {"small": 20, "national": 40}


class _Rollback(Exception):
    pass


def _setup(scale: str) -> dict:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from alerts.models import Alert, VehicleCheck
    from casp.models import User
    from casp.roles import Role
    from fir.catalogue import sections_seed
    from fir.models import Fir, Section, StolenVehicle
    from fir.services import fir_register
    from stations.models import District, PoliceStation, Posting, Province

    n_vehicles, n_alerts = SIZES[scale]
    sections_seed(Section)
    province, _ = Province.objects.get_or_create(code="BAP", defaults={"name": "Bench alerts"})
    district, _ = District.objects.get_or_create(code="BA", defaults={"province": province, "name": "Bench alerts"})
    PoliceStation.objects.bulk_create(
        [PoliceStation(district=district, code=f"BA-{i:03d}", name=f"Bench alerts {i}") for i in range(STATIONS)],
        ignore_conflicts=True,
    )
    stations = list(PoliceStation.objects.filter(code__startswith="BA-").order_by("code"))
    sho, created = User.objects.get_or_create(username="bench-alerts-sho")
    if created:
        sho.groups.add(Group.objects.get_or_create(name=Role.SHO.value)[0])
        Posting.objects.create(user=sho, station=stations[0], role=Role.SHO)
    dpo, created = User.objects.get_or_create(username="bench-alerts-dpo")
    if created:
        dpo.groups.add(Group.objects.get_or_create(name=Role.DISTRICT_OFFICER.value)[0])
        Posting.objects.create(user=dpo, district=district, role=Role.DISTRICT_OFFICER)
    firs = list(
        Fir.objects.filter(station=stations[0], facts__startswith="Bench vehicle theft").values_list("pk", flat=True)
    )
    now = timezone.now()
    for i in range(len(firs), FIRS):
        firs.append(
            fir_register(
                station=stations[0],
                acting_user=sho,
                data={
                    "submission_key": uuid.uuid4(), "reported_at": now,
                    "occurred_from": now - timezone.timedelta(hours=2),
                    "occurred_to": None, "place": "Market", "distance_km": "1", "direction": "N",
                    "complainant_name": f"Owner {i}", "complainant_father_name": "", "complainant_cnic": "",
                    "complainant_address": "", "complainant_phone": "", "sections": "381-A PPC",
                    "facts": f"Bench vehicle theft {i}", "weapons": "", "property_involved": "", "delay_reason": "",
                    "action_taken": "", "accused": [],
                },
            ).pk
        )  # fmt: skip
    if StolenVehicle.objects.filter(fir_id__in=firs).count() != n_vehicles:
        with connection.cursor() as cur:
            # Benchmark rows only: alerts are never deleted by the application (trigger alerts_alert_no_delete).
            cur.execute("ALTER TABLE alerts_alert DISABLE TRIGGER alerts_alert_no_delete")
            cur.execute("DELETE FROM alerts_alert WHERE fir_id = ANY(%s)", [firs])
            cur.execute("ALTER TABLE alerts_alert ENABLE TRIGGER alerts_alert_no_delete")
            cur.execute("DELETE FROM fir_stolenvehicle WHERE fir_id = ANY(%s)", [firs])
            cur.execute(
                f"""
                INSERT INTO fir_stolenvehicle (fir_id, kind, registration_number, registration_key, chassis_number,
                    chassis_key, engine_number, engine_key, make, model, colour, year, recorded_by_id, recorded_at,
                    recovered_on, recovery_place)
                SELECT (%(firs)s)[1 + g %% {FIRS}], 'car', 'ABC-' || g, 'ABC' || g,
                    'NZE' || lpad(g::text, 9, '0'), 'NZE' || lpad(g::text, 9, '0'),
                    '1NZ' || lpad((g * 7)::text, 9, '0'), '1NZ' || lpad((g * 7)::text, 9, '0'),
                    'Toyota', 'Corolla', 'White', 2015, %(user)s, now(),
                    CASE WHEN g %% 10 = 0 THEN current_date END, CASE WHEN g %% 10 = 0 THEN 'Recovered' ELSE '' END
                FROM generate_series(1, {n_vehicles}) AS g
                """,
                {"firs": firs, "user": sho.pk},
            )
    check_type = ContentType.objects.get_for_model(VehicleCheck)
    ids = [s.pk for s in stations]
    if Alert.objects.filter(station_id__in=ids).count() != n_alerts:
        with connection.cursor() as cur:
            # Benchmark rows only: alerts are never deleted by the application (trigger alerts_alert_no_delete).
            cur.execute("ALTER TABLE alerts_alert DISABLE TRIGGER alerts_alert_no_delete")
            cur.execute("DELETE FROM alerts_alert WHERE station_id = ANY(%s)", [ids])
            cur.execute("ALTER TABLE alerts_alert ENABLE TRIGGER alerts_alert_no_delete")
            cur.execute(
                f"""
                INSERT INTO alerts_alert (station_id, source_kind, source_type_id, source_id, person_name, place,
                    place_detail, fir_id, record_name, record_cnic, record_status, kind, score, reasons,
                    is_flagging_station, status, outcome, created_at, acknowledge_note, close_note)
                SELECT (%(stations)s)[1 + g %% {STATIONS}],
                    (ARRAY['vehicle_check','hotel_checkin','tenant','servant'])[1 + g %% 4], %(ct)s, g,
                    'ABC-' || g, 'Bench', '', (%(firs)s)[1 + g %% {FIRS}], 'ABC-' || g, '', 'stolen', 'vehicle', 100,
                    '[]'::jsonb, false, (ARRAY['new','acknowledged'])[1 + g %% 2], '',
                    now() - (g * interval '1 minute'), '', ''
                FROM generate_series(1, {n_alerts}) AS g
                """,
                {"stations": ids, "ct": check_type.pk, "firs": firs},
            )
    with connection.cursor() as cur:
        # As autovacuum leaves a table at rest: statistics and the visibility map (index-only scans).
        cur.execute("VACUUM ANALYZE fir_stolenvehicle")
        cur.execute("VACUUM ANALYZE alerts_alert")
    return {"dpo": dpo, "n_vehicles": n_vehicles}


def _server_ms(fn_qs) -> float:  # noqa: ANN001
    """Execution time of a look-up's query inside PostgreSQL (EXPLAIN ANALYZE), free of client overhead."""
    import json

    plan = fn_qs().explain(analyze=True, format="json")
    return float(json.loads(plan)[0]["Execution Time"])


def _querysets(n: int, repeat: int) -> dict:
    from fir.vehicles import stolen_vehicles_find

    rng = random.Random(11)
    return {
        "vehicle.by_registration": lambda: stolen_vehicles_find(registration=f"abc {rng.randint(1, n)}"),
        "vehicle.by_chassis": lambda: stolen_vehicles_find(chassis=f"NZE-{rng.randint(1, n):09d}"),
        "vehicle.by_engine": lambda: stolen_vehicles_find(engine=f"1NZ {rng.randint(1, n) * 7:09d}"),
    }


def _lookups(n: int, repeat: int) -> dict:
    from fir.vehicles import stolen_vehicles_find

    rng = random.Random(10)
    picks = [rng.randint(1, n) for _ in range(repeat)]
    it = {k: iter(picks * 2) for k in ("registration", "chassis", "engine")}
    return {
        "vehicle.by_registration": lambda: list(stolen_vehicles_find(registration=f"abc {next(it['registration'])}")),
        "vehicle.by_chassis": lambda: list(stolen_vehicles_find(chassis=f"NZE-{next(it['chassis']):09d}")),
        "vehicle.by_engine": lambda: list(stolen_vehicles_find(engine=f"1NZ {next(it['engine']) * 7:09d}")),
    }


def _page_posts(client: Client, n: int, repeat: int, *, missing: bool = False) -> dict:
    """The officers' look-up page end to end (POST /alerts/vehicles/check/): one number per request.

    ``missing``: numbers not on the stolen list (the common answer); else vehicles drawn from the list,
    nine in ten still stolen, each of which stores the check and raises an alert with its diary entry.
    """
    url = reverse("alerts:vehicle_check")
    rng = random.Random(12)
    picks = [rng.randint(1, n) + (n if missing else 0) for _ in range(repeat)]
    numbers = {
        "registration": lambda g: f"abc {g}",
        "chassis": lambda g: f"NZE-{g:09d}",
        "engine": lambda g: f"1NZ {g * 7:09d}",
    }

    def post(field: str) -> object:
        it = iter(picks * 2)
        return lambda: client.post(url, {field: numbers[field](next(it))})

    return {f"vehicle.page_by_{field}": post(field) for field in numbers}


def _page_timings(client: Client, n: int, repeat: int, *, seq_scan: bool) -> dict:
    """Time the look-up page in a transaction that is rolled back (the checks and alerts it raises are not
    kept, so a later run finds the same rows; the commit itself is therefore not timed)."""
    out: dict = {}
    try:
        with transaction.atomic():
            if seq_scan:
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL enable_indexscan = off")
                    cur.execute("SET LOCAL enable_bitmapscan = off")
                    cur.execute("SET LOCAL enable_indexonlyscan = off")
            for missing in (False, True):
                for name, fn in _page_posts(client, n, repeat, missing=missing).items():
                    response = fn()  # the first request of each kind is checked, not timed
                    assert response.status_code == 200, (name, response.status_code)
                    assert (b"vehicle-check-result" in response.content) and (
                        (b"alert-danger" in response.content) != missing
                    ), name
                    out[f"{name}{'_not_stolen' if missing else ''}"] = timings_ms(fn, repeat)
            raise _Rollback
    except _Rollback:
        pass
    return out


def run(scale: str) -> list[tuple[str, float, str]]:
    ensure_bench_database()
    ctx = _setup(scale)
    n_vehicles, n_alerts = SIZES[scale]
    repeat = REPEAT[scale]
    out: list[tuple[str, float, str]] = [
        ("vehicle.stolen_rows", n_vehicles, "vehicles"),
        ("alerts.rows", n_alerts, "alerts"),
    ]
    indexed = {name: timings_ms(fn, repeat) for name, fn in _lookups(n_vehicles, repeat).items()}
    server = {name: [_server_ms(qs) for _ in range(repeat)] for name, qs in _querysets(n_vehicles, repeat).items()}
    scans: dict = {}
    server_scans: dict = {}
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL enable_indexscan = off")
                cur.execute("SET LOCAL enable_bitmapscan = off")
                cur.execute("SET LOCAL enable_indexonlyscan = off")
            scans = {name: timings_ms(fn, max(10, repeat // 10)) for name, fn in _lookups(n_vehicles, repeat).items()}
            server_scans = {
                name: [_server_ms(qs) for _ in range(max(10, repeat // 10))]
                for name, qs in _querysets(n_vehicles, repeat).items()
            }
            raise _Rollback
    except _Rollback:
        pass
    for name in indexed:
        out += [
            (f"{name}.p50", p50(indexed[name]), "ms"),
            (f"{name}.p95", p95(indexed[name]), "ms"),
            (f"{name}.seq_scan_p95", p95(scans[name]), "ms"),
            (f"{name}.speedup_vs_seq_scan", p95(scans[name]) / p95(indexed[name]), "x"),
            (f"{name}.server_p95", p95(server[name]), "ms"),
            (f"{name}.server_seq_scan_p95", p95(server_scans[name]), "ms"),
            (f"{name}.server_speedup_vs_seq_scan", p95(server_scans[name]) / p95(server[name]), "x"),
        ]
    client = Client()
    client.force_login(ctx["dpo"])
    page_repeat = PAGE_REPEAT[scale] * 2
    pages = _page_timings(client, n_vehicles, page_repeat, seq_scan=False)
    page_scans = _page_timings(client, n_vehicles, max(10, page_repeat // 4), seq_scan=True)
    # The page's fixed cost, without a look-up: session, user, roles, middleware, the form rendered.
    floor = timings_ms(lambda: client.get(reverse("alerts:vehicle_check")), page_repeat)
    out += [("vehicle.page_get_no_lookup.p50", p50(floor), "ms"), ("vehicle.page_get_no_lookup.p95", p95(floor), "ms")]
    for name in pages:
        out += [
            (f"{name}.p50", p50(pages[name]), "ms"),
            (f"{name}.p95", p95(pages[name]), "ms"),
            (f"{name}.seq_scan_p95", p95(page_scans[name]), "ms"),
            (f"{name}.speedup_vs_seq_scan", p95(page_scans[name]) / p95(pages[name]), "x"),
            (f"{name}.vs_aim_20ms", p95(pages[name]) / 20, "ratio"),
        ]
    url = reverse("alerts:inbox")
    for label, params in (("all", {}), ("one_source", {"source": "tenant"})):
        times = timings_ms(lambda p=params: client.get(url, p), PAGE_REPEAT[scale])
        out += [
            (f"alerts.district_inbox_{label}.p50", p50(times), "ms"),
            (f"alerts.district_inbox_{label}.p95", p95(times), "ms"),
            (f"alerts.district_inbox_{label}.vs_aim_100ms", p95(times) / 100, "ratio"),
        ]
    return out
