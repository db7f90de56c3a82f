"""Demo data for CompStat: about two years of FIRs at the pilot stations of Islamabad, Karachi and Quetta,
with their status changes, arrests and some complaints, inserted in bulk; a few Hotel Eye alerts in
Islamabad through the real check-in, matching and alert services; then the daily aggregates and the
weekly snapshots computed. Idempotent: a second run finds its first FIR and its alerts and does nothing."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from analytics.services import aggregates_refresh_changed, snapshots_catch_up
from casp.models import User
from fir.catalogue import crime_heads_seed
from fir.models import Accused, Arrest, CrimeHead, Fir, FirStatus, Section, StatusChange
from stations.models import PoliceStation, RegisterCounter

DISTRICTS = ("ISB", "KHI", "QTA")
DAYS = 700
NAMESPACE = uuid.UUID("6b0c53e4-3f8a-4c36-9a3e-2f1d7c7b0d13")
# (law, number) charged, weight: the mix of a city's FIR register.
MIX = [
    (("PPC", "379"), 24), (("PPC", "381-A"), 15), (("PPC", "337-A"), 11), (("PPC", "457"), 8),
    (("PPC", "392"), 8), (("CNSA", "9(c)"), 8), (("AO", "13"), 7), (("PPC", "354"), 3), (("PPC", "509"), 1),
    (("PPC", "365"), 3), (("PPC", "324"), 3), (("PPC", "302"), 2), (("PPC", "395"), 1), (("PPC", "376"), 1),
    (("OTHER", "Cattle 379"), 1), (("OTHER", "3/4 LSO"), 2), (("PPC", "420"), 3), (("PPC", "506"), 2),
]  # fmt: skip
NAMES = ["Muhammad Aslam", "Ghulam Abbas", "Naseem Akhtar", "Zahid Hussain", "Shazia Parveen", "Abdul Qadir"]


def _demo_key(station: PoliceStation, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{station.code}/{n}")


@transaction.atomic
def seed_analytics(*, days: int = DAYS, per_day: float = 0.45, seed: int = 13) -> list[str]:
    """Create the demo FIRs (once), then refresh the aggregates and freeze the finished weeks."""
    crime_heads_seed(CrimeHead, Section)
    stations = list(PoliceStation.objects.filter(district__code__in=DISTRICTS).order_by("code"))
    officer = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    if not stations or officer is None:
        return ["analytics: no pilot stations or administrator; nothing seeded"]
    today = timezone.localdate()
    if not Fir.objects.filter(station=stations[0], submission_key=_demo_key(stations[0], 0)).exists():
        created = _seed_firs(stations, officer, today=today, days=days, per_day=per_day, rng=random.Random(seed))
    else:
        created = 0
    alerts = _seed_alerts(officer)
    aggregates_refresh_changed(recent_days=days + 2, today=today)  # every demo day; moves the watermark
    frozen = snapshots_catch_up(weeks=days // 7 + 1, today=today)
    return [
        f"analytics: {created} demo FIRs and {alerts} hotel alerts added; aggregates refreshed; "
        f"{len(frozen)} weeks frozen"
    ]


# Guests who check in at an Islamabad demo hotel under the CNIC of a demo CRO record (cro/demo.py), hours
# ago, and whether the station closed the alert with an arrest.
ALERT_GUESTS = [
    ("35202-1234567-1", "Muhammad Yousaf", "Abdul Rehman", 30, True),
    ("61101-7654321-3", "Ch. Aslam Gujjar", "Ghulam Nabi", 5, False),
]


def _seed_alerts(officer: User) -> int:
    """Check the guests in, match them against the CRO and close the arrested ones; return alerts raised.

    Uses the Hotel Eye and alerts services, so every alert is audited and entered in the station diary as
    a real one would be. Does nothing when Islamabad already has alerts or the hotels or records are missing.
    """
    from alerts.models import Alert, AlertOutcome
    from alerts.services import alert_acknowledge, alert_close
    from cro.models import CriminalRecord
    from hoteleye.matching import checkin_match
    from hoteleye.models import Hotel
    from hoteleye.services import checkin_create

    hotel = Hotel.objects.filter(station__district__code="ISB").order_by("code").first()
    cnics = [cnic.replace("-", "") for cnic, *_rest in ALERT_GUESTS]
    if hotel is None or Alert.objects.filter(station__district__code="ISB").exists():
        return 0
    if CriminalRecord.objects.filter(cnic__in=cnics).count() < len(cnics):
        return 0
    raised = 0
    for n, (cnic, name, father, hours, arrested) in enumerate(ALERT_GUESTS, start=1):
        data = {"guest_type": "pakistani", "cnic": cnic, "name": name, "father_name": father, "gender": "male",
                "date_of_birth": None, "room": f"{200 + n}", "arriving_from": "Lahore", "purpose": "business",
                "checked_in_at": timezone.now() - dt.timedelta(hours=hours)}  # fmt: skip
        checkin = checkin_create(hotel=hotel, acting_user=None, data=data)
        checkin_match(checkin_id=checkin.pk)
        alerts = list(Alert.objects.filter(source_id=checkin.pk, source_kind="hotel_checkin"))
        raised += len(alerts)
        for alert in alerts if arrested else []:
            alert = alert_acknowledge(alert=alert, acting_user=officer, note="Team sent to the hotel.")
            alert_close(
                alert=alert, acting_user=officer, outcome=AlertOutcome.ARRESTED, note="Arrested in room; FIR 112/2025."
            )
    return raised


def _seed_firs(
    stations: list[PoliceStation], officer: User, *, today: dt.date, days: int, per_day: float, rng: random.Random
) -> int:
    sections = {(s.law, s.number): s for s in Section.objects.all()}
    mix = [(sections[key], w) for key, w in MIX if key in sections]
    choices, weights = [s for s, _w in mix], [w for _s, w in mix]
    tz = timezone.get_default_timezone()
    now = timezone.now()
    firs: list[Fir] = []
    charged: list[tuple[int, Section]] = []
    numbers: dict[tuple[int, int], int] = {}
    for station in stations:
        for year in {today.year, today.year - 1, today.year - 2}:
            counter = RegisterCounter.objects.filter(station=station, register="i", year=year).first()
            numbers[(station.pk, year)] = counter.last_number if counter else 0
        busy = 1.6 if station.district.code == "KHI" else 1.0
        n = 0
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            season = 1.15 if day.month in (5, 6, 7) else 1.0
            for _i in range(_poisson(rng, per_day * busy * season)):
                at = dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=tz)
                section = rng.choices(choices, weights)[0]
                numbers[(station.pk, day.year)] += 1
                firs.append(
                    Fir(
                        station=station,
                        year=day.year,
                        number=numbers[(station.pk, day.year)],
                        reported_at=at,
                        occurred_from=at - dt.timedelta(hours=rng.randint(1, 12)),
                        place=f"Demo place {rng.randint(1, 99)}, {station.name}",
                        complainant_name=rng.choice(NAMES),
                        facts="Demo FIR for CompStat figures.",
                        writing_officer=officer,
                        writing_officer_name="Demo",
                        registered_at=at,
                        status_changed_at=at,
                        submission_key=_demo_key(station, n),
                    )
                )
                charged.append((len(firs) - 1, section))
                n += 1
    Fir.objects.bulk_create(firs, batch_size=2000)
    Fir.sections.through.objects.bulk_create(
        [Fir.sections.through(fir_id=firs[i].pk, section_id=s.pk) for i, s in charged], batch_size=5000
    )
    for station in stations:
        for year in {today.year, today.year - 1, today.year - 2}:
            if numbers[(station.pk, year)]:
                RegisterCounter.objects.update_or_create(
                    station=station, register="i", year=year, defaults={"last_number": numbers[(station.pk, year)]}
                )
    _seed_life(firs, officer, now=now, rng=rng)
    _seed_complaints(stations, today=today, days=days, rng=rng)
    return len(firs)


def _seed_complaints(stations: list[PoliceStation], *, today: dt.date, days: int, rng: random.Random) -> None:
    """About one complaint per station every four days, most decided, some after their reply deadline."""
    from complaints.identifiers import tracking_number_new
    from complaints.models import Category, Complaint, Status

    categories = [c for c in Category.objects.filter(is_police_conduct=False)]
    if not categories:
        return
    tz = timezone.get_default_timezone()
    now = timezone.now()
    complaints = []
    for station in stations:
        for back in range(days, 0, -1):
            if rng.random() > 0.25:
                continue
            category = rng.choice(categories)
            filed = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(rng.randint(8, 20)), tzinfo=tz)
            decided = filed + dt.timedelta(hours=rng.randint(12, int(category.reply_hours * 1.4) + 12))
            done = decided < now and rng.random() < 0.85
            complaints.append(
                Complaint(
                    tracking_number=tracking_number_new(),
                    name=rng.choice(NAMES),
                    cnic=f"35202{rng.randint(10**7, 10**8 - 1)}",
                    phone=f"0300{rng.randint(10**6, 10**7 - 1)}",
                    address="Demo address",
                    district=station.district,
                    station=station,
                    handling_station=station,
                    category=category,
                    incident_place="Demo place",
                    incident_at=filed - dt.timedelta(hours=3),
                    description="Demo complaint for CompStat figures.",
                    status=Status.RESOLVED if done else Status.UNDER_ENQUIRY,
                    created_at=filed,
                    status_changed_at=decided if done else filed,
                    contact_due_at=filed + dt.timedelta(hours=category.contact_hours),
                    reply_due_at=filed + dt.timedelta(hours=max(category.reply_hours, category.contact_hours)),
                    decided_at=decided if done else None,
                )
            )
    Complaint.objects.bulk_create(complaints, batch_size=2000)


def _poisson(rng: random.Random, mean: float) -> int:
    n, limit, p = 0, pow(2.718281828, -mean), 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return n
        n += 1


def _seed_life(firs: list[Fir], officer: User, *, now: dt.datetime, rng: random.Random) -> None:
    """Move each demo FIR along its life cycle: investigation, then challan (with an arrest), untraced or cancelled."""
    changes: list[StatusChange] = []
    accused: list[Accused] = []
    arrests_at: list[tuple[int, dt.datetime]] = []
    final: dict[int, tuple[str, str, dt.datetime]] = {}

    def step(fir: Fir, frm: str, to: str, at: dt.datetime, kind: str = "") -> None:
        changes.append(StatusChange(fir=fir, from_status=frm, to_status=to, changed_at=at, changed_by=officer,
                                    challan_kind=kind))  # fmt: skip
        final[fir.pk] = (to, kind, at)

    for fir in firs:
        at = fir.registered_at + dt.timedelta(hours=rng.randint(1, 20))
        if at >= now:
            continue
        step(fir, FirStatus.REGISTERED, FirStatus.UNDER_INVESTIGATION, at)
        roll = rng.random()
        later = at + dt.timedelta(days=rng.randint(10, 60))
        if later >= now:
            continue
        if roll < 0.45:
            arrest_at = at + dt.timedelta(days=rng.randint(1, 9))
            accused.append(Accused(fir=fir, name=rng.choice(NAMES), added_at=at))
            arrests_at.append((len(accused) - 1, arrest_at))
            step(fir, FirStatus.UNDER_INVESTIGATION, FirStatus.CHALLAN_SUBMITTED, later, "complete")
            verdict = later + dt.timedelta(days=rng.randint(60, 200))
            if verdict < now and rng.random() < 0.4:
                step(fir, FirStatus.CHALLAN_SUBMITTED, FirStatus.CONVICTED, verdict, "complete")
        elif roll < 0.5:
            step(fir, FirStatus.UNDER_INVESTIGATION, FirStatus.CANCELLED, later)
        elif roll < 0.75:
            step(fir, FirStatus.UNDER_INVESTIGATION, FirStatus.UNTRACED, later)
    StatusChange.objects.bulk_create(changes, batch_size=5000)
    Accused.objects.bulk_create(accused, batch_size=5000)
    Arrest.objects.bulk_create(
        [
            Arrest(fir=accused[i].fir, accused=accused[i], arrested_at=when, place="Demo", arrested_by=officer)
            for i, when in arrests_at
        ],
        batch_size=5000,
    )
    by_status: dict[tuple[str, str, dt.datetime], list[int]] = {}
    for pk, key in final.items():
        by_status.setdefault(key, []).append(pk)
    for (status, kind, at), pks in by_status.items():
        Fir.objects.filter(pk__in=pks).update(status=status, challan_kind=kind, status_changed_at=at)
