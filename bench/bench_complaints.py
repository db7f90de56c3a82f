"""Complaints at the pilot's scale (895,899): tracking lookup, station inbox, overdue list, overdue sweep.

Rows are generated in SQL with generate_series (tens of seconds at national
scale). Each measurement runs twice: with the complaint app's indexes, and
inside a rolled-back transaction with those indexes dropped (Django's plain
foreign-key indexes stay), so the ratio shows what the indexes buy.
"""

from __future__ import annotations

import random
import time

from django.db import connection, transaction

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (50, 20_000), "national": (713, 895_899)}  # stations, complaints
REPEAT = {"small": (60, 10), "national": (200, 10)}  # with indexes, without
PREFIX = "BC-"
# Indexes this app adds for its queries (see complaints/models.py), and the unique tracking-number index.
APP_INDEXES = [
    "complaints_open_station_idx",
    "complaints_open_district_idx",
    "complaints_station_status_idx",
    "complaints_district_status_idx",
    "complaints_assignee_idx",
    "complaints_sweep_reply_idx",
    "complaints_sweep_contact_idx",
    "complaints_phone_category_idx",
]


def _seed(n_stations: int, n_complaints: int) -> None:
    from complaints.models import Complaint
    from stations.models import District, PoliceStation, Province

    with transaction.atomic():
        province, _ = Province.objects.get_or_create(code="BCP", defaults={"name": "Bench complaints"})
        districts = [
            District.objects.get_or_create(code=f"BC{d:02d}", defaults={"province": province, "name": f"BC D{d}"})[0]
            for d in range(36)
        ]
        PoliceStation.objects.bulk_create(
            [
                PoliceStation(district=districts[i % 36], code=f"{PREFIX}{i:04d}", name=f"BC S{i}")
                for i in range(n_stations)
            ],
            ignore_conflicts=True,
        )
    stations = PoliceStation.objects.filter(code__startswith=PREFIX)
    if Complaint.objects.filter(station__in=stations).count() == n_complaints and (stations.count() == n_stations):
        return
    with connection.cursor() as cur:
        cur.execute("TRUNCATE complaints_complaintevent, complaints_attachment, complaints_complaint")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            WITH s AS (
                SELECT id, district_id, row_number() OVER (ORDER BY code) - 1 AS rn
                FROM stations_policestation WHERE code LIKE %(prefix)s AND code < %(last)s
            ), c AS (
                SELECT id, is_police_conduct, contact_hours, reply_hours, row_number() OVER (ORDER BY id) - 1 AS rn
                FROM complaints_category
            ), g AS (
                SELECT i,
                       now() - make_interval(days => (i * 37) %% 730, mins => (i * 13) %% 1440) AS created,
                       (i * 37) %% 730 AS age
                FROM generate_series(1, %(n)s) AS i
            )
            INSERT INTO complaints_complaint (
                tracking_number, name, cnic, phone, email, address, name_withheld, district_id, station_id,
                handling_station_id, category_id, incident_place, incident_at, description, status,
                created_at, status_changed_at, contact_due_at, reply_due_at, contacted_at, decided_at,
                is_overdue, escalated_at, outcome, reopen_count, feedback_comment)
            SELECT
                upper(substr(t, 1, 4) || '-' || substr(t, 5, 4) || '-' || substr(t, 9, 4)),
                'Bench ' || g.i, '35202' || lpad(g.i::text, 8, '0'), '03' || lpad((g.i * 7)::text, 9, '0'),
                '', 'Bench address', false, s.district_id, s.id,
                CASE WHEN c.is_police_conduct THEN NULL ELSE s.id END, c.id,
                'Bench place', g.created - interval '1 day', 'Bench complaint ' || g.i,
                st.status, g.created, g.created,
                g.created + make_interval(hours => c.contact_hours),
                g.created + make_interval(hours => c.reply_hours),
                CASE WHEN st.status IN ('received', 'assigned') THEN NULL ELSE g.created + interval '2 hours' END,
                CASE WHEN st.status IN ('resolved', 'rejected', 'closed') THEN g.created + interval '5 days' END,
                st.status NOT IN ('resolved', 'rejected', 'closed') AND g.age > 30 AND g.i %% 2 = 0,
                CASE WHEN st.status NOT IN ('resolved', 'rejected', 'closed') AND g.age > 30 AND g.i %% 2 = 0
                     THEN g.created + make_interval(hours => c.reply_hours) END,
                '', 0, ''
            FROM g
            CROSS JOIN LATERAL (SELECT lpad(to_hex(g.i), 5, '0') || substr(md5(g.i::text), 1, 7) AS t) AS tn
            JOIN s ON s.rn = g.i %% %(stations)s
            JOIN c ON c.rn = (g.i / 7) %% 8
            CROSS JOIN LATERAL (SELECT CASE
                WHEN g.age <= 30
                THEN (ARRAY['received', 'assigned', 'contacted', 'under_enquiry', 'resolved'])[1 + g.i %% 5]
                WHEN g.i %% 50 = 0 THEN 'under_enquiry'
                WHEN g.i %% 10 = 1 THEN 'rejected'
                WHEN g.i %% 10 = 2 THEN 'resolved'
                ELSE 'closed' END AS status) AS st
            """,
            {"prefix": PREFIX + "%", "last": f"{PREFIX}{n_stations:04d}", "n": n_complaints, "stations": n_stations},
        )
        cur.execute(
            """
            INSERT INTO complaints_complaintevent (complaint_id, kind, from_status, to_status, created_at,
                                                   public_note, internal_note)
            SELECT id, 'filed', '', 'received', created_at, '', '' FROM complaints_complaint
            """
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE complaints_complaint")
        cur.execute("ANALYZE complaints_complaintevent")
    print(f"complaints.seed_seconds: {time.monotonic() - started:.1f} s", flush=True)


def _officers() -> tuple[object, object]:
    from django.contrib.auth.models import Group

    from casp.models import User
    from casp.roles import Role
    from stations.models import District, PoliceStation, Posting

    station = PoliceStation.objects.filter(code=f"{PREFIX}0001").get()
    sho, _ = User.objects.get_or_create(username="bench-complaints-sho")
    Posting.objects.get_or_create(user=sho, station=station, role=Role.SHO)
    dpo, _ = User.objects.get_or_create(username="bench-complaints-dpo")
    Posting.objects.get_or_create(user=dpo, district=District.objects.get(code="BC01"), role=Role.DISTRICT_OFFICER)
    for user, role in ((sho, Role.SHO), (dpo, Role.DISTRICT_OFFICER)):
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return sho, dpo


def _measure(scale: str, samples: list[tuple[str, str]], sho: object, dpo: object, repeat: int) -> dict:
    from django.core.paginator import Paginator

    from complaints.selectors import (
        InboxFilter,
        complaint_lookup,
        complaint_public_timeline,
        complaints_inbox,
        complaints_status_counts,
    )

    picks = iter(samples * (repeat // len(samples) + 1))

    def lookup() -> None:
        number, phone = next(picks)
        complaint = complaint_lookup(tracking_number=number, phone_or_cnic=phone)
        assert complaint is not None
        list(complaint_public_timeline(complaint))

    def inbox(user: object, box: str) -> object:
        def page() -> None:
            user.__dict__.pop("_complaint_scope", None)  # a new request reads the jurisdiction again
            flt = InboxFilter(box=box)
            p = Paginator(complaints_inbox(user, flt), 50).page(1)
            list(p.object_list)
            complaints_status_counts(user, flt)

        return page

    return {
        "tracking_lookup": timings_ms(lookup, repeat),
        "station_inbox": timings_ms(inbox(sho, "inbox"), repeat),
        "district_overdue_list": timings_ms(inbox(dpo, "overdue"), repeat),
    }


def _sweep_ms() -> tuple[float, int, float]:
    """Return (steady-state sweep ms, backlog escalated, backlog sweep ms), all rolled back.

    Steady state: the table as a 5-minute sweep leaves it, so a run finds only
    what fell due since, and its cost is looking through the whole table.
    Backlog: every overdue complaint unflagged first (as if the workers had been
    down for months), then one sweep escalates them all.
    """
    from complaints.services import complaints_sweep_overdue

    with transaction.atomic():
        started = time.perf_counter()
        complaints_sweep_overdue()
        steady = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE complaints_complaint SET is_overdue = false, escalated_at = NULL WHERE is_overdue")
        started = time.perf_counter()
        count = complaints_sweep_overdue()
        backlog = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return steady, count, backlog


def run(scale: str) -> list[tuple[str, float, str]]:
    from complaints.models import OPEN_STATUSES, UNCONTACTED_STATUSES, Complaint

    ensure_bench_database()
    n_stations, n_complaints = SIZES[scale]
    _seed(n_stations, n_complaints)
    with connection.cursor() as cur:
        # The state a running sweep keeps the table in: whatever was due when the data was made is flagged.
        cur.execute(
            "UPDATE complaints_complaint SET is_overdue = true, escalated_at = reply_due_at "
            "WHERE NOT is_overdue AND ((status = ANY(%s) AND reply_due_at <= now()) "
            "OR (status = ANY(%s) AND contact_due_at <= now()))",
            [[str(s) for s in OPEN_STATUSES], [str(s) for s in UNCONTACTED_STATUSES]],
        )
        # What autovacuum keeps up to date in production: statistics and the visibility map.
        cur.execute("VACUUM ANALYZE complaints_complaint")
    sho, dpo = _officers()
    rng = random.Random(6)
    ids = list(Complaint.objects.order_by("?").values_list("tracking_number", "phone")[:200])
    samples = [(n.lower().replace("-", ""), f"+92 {p[1:4]} {p[4:]}") for n, p in rng.sample(ids, min(200, len(ids)))]
    fast_n, slow_n = REPEAT[scale]

    with_idx = _measure(scale, samples, sho, dpo, fast_n)
    sweep_with = [_sweep_ms() for _ in range(2)]
    with transaction.atomic():
        with connection.cursor() as cur:
            for name in APP_INDEXES:
                cur.execute(f"DROP INDEX {name}")  # noqa: S608 - names are constants above
            cur.execute(
                "ALTER TABLE complaints_complaint DROP CONSTRAINT IF EXISTS complaints_complaint_tracking_number_key"
            )
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints_complaint' "
                "AND indexdef ILIKE '%%tracking_number%%'"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')  # noqa: S608 - names from the catalogue
        without_idx = _measure(scale, samples, sho, dpo, slow_n)
        sweep_without = [_sweep_ms() for _ in range(1)]
        transaction.set_rollback(True)

    open_count = Complaint.objects.filter(status__in=OPEN_STATUSES).count()
    out: list[tuple[str, float, str]] = [
        ("complaints.rows", Complaint.objects.count(), "complaints"),
        ("complaints.stations", n_stations, "stations"),
        ("complaints.open", open_count, "complaints"),
    ]
    for key, values in with_idx.items():
        slow = without_idx[key]
        out += [
            (f"complaints.{key}_p50", p50(values), "ms"),
            (f"complaints.{key}_p95", p95(values), "ms"),
            (f"complaints.{key}_no_app_indexes_p50", p50(slow), "ms"),
            (f"complaints.{key}_no_app_indexes_p95", p95(slow), "ms"),
            (f"complaints.{key}_speedup", p50(slow) / p50(values), "x"),
        ]
    steady = min(st for st, _, _ in sweep_with)
    backlog = min(b for _, _, b in sweep_with)
    out += [
        ("complaints.sweep_steady_whole_table", steady, "ms"),
        ("complaints.sweep_steady_no_app_indexes", sweep_without[0][0], "ms"),
        ("complaints.sweep_steady_speedup", sweep_without[0][0] / steady, "x"),
        ("complaints.sweep_backlog_escalated", sweep_with[0][1], "complaints"),
        ("complaints.sweep_backlog_whole_table", backlog, "ms"),
        ("complaints.sweep_backlog_no_app_indexes", sweep_without[0][2], "ms"),
    ]
    return out
