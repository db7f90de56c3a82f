"""Writes for station registers and the daily diary. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casp import audit
from casp.bidi import LRI, PDI
from casp.dates import OFFENCE
from casp.models import User
from casp.roles import Role, has_role
from stations.columns import register_data_clean
from stations.diary import CUSTODY_LIST, CUSTODY_NONE, Fact, fact_make, fact_render
from stations.models import DiaryEntry, DiaryKind, PoliceStation, RegisterCounter, RegisterEntry, RegisterEntryVersion
from stations.registers import DIARY, Register


def register_number_next(*, station: PoliceStation, register: str, year: int) -> int:
    """Take the next serial number of ``register`` at ``station`` for ``year`` under a row lock.

    Must run inside the caller's transaction: the lock is held until it
    commits, so a rolled-back caller gives its number back and concurrent
    callers queue on the row (no gaps, no duplicates). One statement (see ``_counter_upsert``).
    """
    return _counter_upsert(station=station, register=register, year=year, take=1)[1]


def register_counter_lock(*, station: PoliceStation, register: str, year: int) -> RegisterCounter:
    """Lock and return the counter row without taking a number (to check for a duplicate first)."""
    pk, last_number = _counter_upsert(station=station, register=register, year=year, take=0)
    return RegisterCounter(id=pk, station=station, register=register, year=year, last_number=last_number)


def _counter_upsert(*, station: PoliceStation, register: str, year: int, take: int) -> tuple[int, int]:
    """Lock the counter row, creating it when missing, add ``take`` to it; return (its id, its last number).

    One statement instead of an insert, a SELECT ... FOR UPDATE and an update: ON CONFLICT DO UPDATE locks the
    existing row until the caller commits (after waiting for a concurrent holder) and returns its latest number.
    Every numbered entry takes this path.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register counters must be locked inside a transaction")
    table = RegisterCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS c (station_id, register, year, last_number) VALUES (%s, %s, %s, %s) "  # noqa: S608
            "ON CONFLICT (station_id, register, year) DO UPDATE SET last_number = c.last_number + %s "
            "RETURNING c.id, c.last_number",
            [station.pk, register, year, take, take],
        )
        return cursor.fetchone()


def _search_text(register: Register, data: dict[str, Any]) -> str:
    return " ".join(str(data.get(name, "")) for name in register.searchable).lower()[:4000]


def _entry_create(
    *,
    station: PoliceStation,
    register: Register,
    acting_user: User | None,
    data: dict[str, Any],
    kind: str = "",
    received_at: dt.datetime | None = None,
    source: models.Model | None = None,
    now: dt.datetime | None = None,
    counter: RegisterCounter | None = None,
    fact: Fact | None = None,
) -> RegisterEntry:
    """Create the entry and its first version; ``counter``, if given, is the already locked counter row.

    A ``fact`` (stations.diary) is stored with the entry; its English text goes
    in ``data`` and the search text holds it in every language.
    """
    now = now or timezone.now()
    if fact:
        data = {**data, "text": fact_render(fact, "en")}
    cleaned = register_data_clean(register, data, station=station, now=now)
    search_text = _search_text(register, cleaned)
    if fact:
        urdu = (fact_render(fact, "ur") or "").replace(LRI, "").replace(PDI, "")  # searched without isolates
        search_text = f"{search_text} {urdu.lower()}"[:4000]
    model = DiaryEntry if register.code == DIARY.code else RegisterEntry
    year = timezone.localtime(now).year
    if counter is not None:
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        number = counter.last_number
    else:
        number = register_number_next(station=station, register=register.code, year=year)
    entry = model.objects.create(
        station=station,
        register=register.code,
        year=year,
        number=number,
        data=cleaned,
        search_text=search_text,
        fact=fact or {},
        kind=kind,
        created_at=now,
        received_at=received_at,
        created_by=acting_user,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    RegisterEntryVersion.objects.create(entry=entry, version=1, data=cleaned, created_at=now, created_by=acting_user)
    audit.record(
        actor=acting_user,
        action=f"stations.register_{register.code}.entry_added",
        target=entry,
        data={"register": register.roman, "number": entry.number, "year": entry.year, "kind": kind},
    )
    return entry


@transaction.atomic
def register_entry_add(
    *,
    station: PoliceStation,
    register: Register,
    acting_user: User,
    data: dict[str, Any],
    received_at: dt.datetime | None = None,
    kind: str = "",
) -> RegisterEntry:
    """Append a numbered entry to ``register`` at ``station``; the diary goes through diary_record."""
    if register.code == DIARY.code:
        return diary_record(
            station=station,
            acting_user=acting_user,
            kind=kind or DiaryKind.GENERAL,
            text=str(data.get("text", "")),
            received_at=received_at,
        )
    if not register.is_generic:
        raise ValueError(f"Register {register.roman} is kept by its own app")
    return _entry_create(station=station, register=register, acting_user=acting_user, data=data)


# The opening entry names at most this many people (an entry holds 10,000 characters); the rest are counted.
CUSTODY_LINES_MAX = 60


def _persons_in_custody(station: PoliceStation) -> list[str]:
    """Ask every app that keeps custody (e.g. fir's arrests) who is held at ``station``."""
    people: list[str] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "persons_in_custody", None)
        if hook is not None:
            people.extend(hook(station))
    return people


def _custody_lines(people: list[str]) -> list[str]:
    """Return the lines of the opening entry: the first CUSTODY_LINES_MAX people, then how many more."""
    if len(people) <= CUSTODY_LINES_MAX:
        return people
    more = len(people) - CUSTODY_LINES_MAX
    return [*people[:CUSTODY_LINES_MAX], _("… and %(count)s more (see the arrests of each FIR).") % {"count": more}]


# The last day whose opening entry (persons in custody) this process has seen committed, per station. The
# diary is append-only, so a day that has its opening entry keeps it: later entries of that day skip both the
# look-up and the lock taken before it, and take their number in one statement. Set only after commit.
_custody_written: dict[int, dt.date] = {}


def _custody_entry_ensure(*, station: PoliceStation, now: dt.datetime, counter: RegisterCounter) -> None:
    """Write the day's opening entry (persons in custody) unless today already has one.

    Called with the diary counter locked, so two first-entries of a day cannot
    both write it.
    """
    day = timezone.localdate(now)
    station_id = station.pk
    transaction.on_commit(lambda: _custody_written.__setitem__(station_id, day))
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    if DiaryEntry.objects.filter(station=station, kind=DiaryKind.CUSTODY, created_at__gte=start).exists():
        return
    people, custody_count = {}, 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            held = _persons_in_custody(station)
            custody_count = len(held)
            people[language] = _custody_lines(held)
    if people[settings.LANGUAGE_CODE]:
        fact = fact_make(
            CUSTODY_LIST,
            count=custody_count,
            people={language: "\n".join(lines) for language, lines in people.items()},
        )
    else:
        fact = fact_make(CUSTODY_NONE)
    _entry_create(
        station=station,
        register=DIARY,
        acting_user=None,
        data={},
        fact=fact,
        kind=DiaryKind.CUSTODY,
        now=now,
        counter=counter,
    )


@transaction.atomic
def diary_record(
    *,
    station: PoliceStation,
    acting_user: User | None,
    kind: str,
    text: str = "",
    fact: Fact | None = None,
    received_at: dt.datetime | None = None,
    source: models.Model | None = None,
    source_is_new: bool = False,
) -> DiaryEntry:
    """Append a numbered daily diary (Register II) entry, stamped with the hour entered and ``received_at``.

    Call it inside the transaction that makes the change it records. The first
    entry of each day is preceded by the opening entry listing persons in
    custody. With a ``source`` the call is idempotent: a second call for the
    same kind and source returns the first entry (``source_is_new``: the source was created in the caller's
    transaction, so no entry can name it and the look-up is skipped). A system-made entry passes a
    ``fact`` (stations.diary.fact_make) instead of ``text``, so each reader sees
    it in their own language.
    """
    if kind not in DiaryKind.values:
        raise ValidationError({"kind": _("Unknown diary entry kind %(kind)s.") % {"kind": kind}})
    now = timezone.now()
    try:
        OFFENCE.check(received_at, field=RegisterEntry._meta.get_field("received_at").verbose_name, now=now)
    except ValidationError as exc:
        raise ValidationError({"received_at": exc.messages}) from None
    year = timezone.localtime(now).year
    look_up = source is not None and not source_is_new
    opened = kind != DiaryKind.CUSTODY and _custody_written.get(station.pk) == timezone.localdate(now)
    counter = None  # nothing to check under the counter's lock: the number is taken as the entry is made
    if look_up or not opened:
        counter = register_counter_lock(station=station, register=DIARY.code, year=year)
        if look_up:
            existing = DiaryEntry.objects.filter(
                station=station, kind=kind, source_type=source._meta.label_lower, source_id=str(source.pk)
            ).first()
            if existing is not None:
                return existing
        if kind != DiaryKind.CUSTODY:
            _custody_entry_ensure(station=station, now=now, counter=counter)
    return _entry_create(  # type: ignore[return-value]
        station=station,
        register=DIARY,
        acting_user=acting_user,
        data={"text": text},
        fact=fact,
        kind=kind,
        received_at=received_at,
        source=source,
        now=now,
        counter=counter,
    )


@transaction.atomic
def register_entry_correct(
    *, entry: RegisterEntry, register: Register, acting_user: User, data: dict[str, Any], reason: str
) -> RegisterEntry:
    """Record a correction as a new version (who, when, why); earlier versions stay readable."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction; the rules forbid silent changes.")})
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_void:
        raise ValidationError({"reason": _("A voided entry cannot be corrected.")})
    cleaned = register_data_clean(register, data, station=entry.station)
    if cleaned == entry.data:
        raise ValidationError({"reason": _("The correction changes nothing; edit at least one column.")})
    # The version row first: the database refuses new data on the entry without it (migration 0008).
    RegisterEntryVersion.objects.create(
        entry=entry, version=entry.version + 1, data=cleaned, reason=reason, created_by=acting_user
    )
    entry.version += 1
    entry.data = cleaned
    entry.search_text = _search_text(register, cleaned)
    # A person's correction replaces the system's wording: the entry now reads as corrected.
    entry.fact = {}
    entry.save(update_fields=["version", "data", "search_text", "fact"])
    audit.record(
        actor=acting_user,
        action=f"stations.register_{register.code}.entry_corrected",
        target=entry,
        data={"version": entry.version, "reason": reason},
    )
    return entry


@transaction.atomic
def register_entry_void(*, entry: RegisterEntry, acting_user: User, reason: str) -> RegisterEntry:
    """Void an entry (SHO only) with a reason; it stays listed, marked void."""
    if not has_role(acting_user, Role.SHO, Role.SYSTEM_ADMIN):
        raise ValidationError({"reason": _("Only the SHO may void an entry.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding the entry.")})
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_void:
        raise ValidationError({"reason": _("This entry is already void.")})
    entry.is_void = True
    entry.void_reason = reason
    entry.voided_at = timezone.now()
    entry.voided_by = acting_user
    entry.save(update_fields=["is_void", "void_reason", "voided_at", "voided_by"])
    audit.record(
        actor=acting_user,
        action=f"stations.register_{entry.register}.entry_voided",
        target=entry,
        data={"reason": reason},
    )
    return entry
