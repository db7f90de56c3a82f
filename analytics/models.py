"""Daily aggregates (date x station x crime head), frozen weekly snapshots of them, and their monthly roll-up.

Reports read these tables only, never the FIR table: analytics.services.aggregates_refresh recomputes
days (idempotent), and snapshot_take copies a finished week's rows into SnapshotRow, where they never
change again, so a report rerun for a past week gives the numbers it gave then. MonthlyAggregate sums
the days of a month per district, so that region, province and country reports read far fewer rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casp.dates import SYSTEM, range_check

# The counted columns, in the order reports show them. FIR columns are per crime head; complaint and
# alert columns sit on the row whose head is empty.
MEASURES = (
    "firs",
    "firs_any",
    "traced",
    "cancelled",
    "arrests",
    "challans",
    "convictions",
    "complaints",
    "complaints_decided",
    "complaints_on_time",
    "alerts",
    "alerts_arrest",
)


def counts_source(where: str) -> str:
    """Return SQL reading (day, station_id, head_id, measures...) of the days matching ``where``.

    With the parameter ``%(frozen)s`` true, the days of frozen weeks come from their snapshot and the
    other days from the live aggregates ("as recorded"); false reads every day live.
    """
    cols = ", ".join(MEASURES)
    return (
        f"SELECT day, station_id, head_id, {cols} FROM analytics_snapshotrow WHERE {where} AND %(frozen)s "  # noqa: S608
        f"UNION ALL SELECT day, station_id, head_id, {cols} FROM analytics_dailyaggregate d WHERE {where} "
        "AND NOT (%(frozen)s AND EXISTS (SELECT 1 FROM analytics_snapshotweek w "
        "WHERE w.week_start = d.day - (EXTRACT(ISODOW FROM d.day)::int - 1)))"
    )


class Measures(models.Model):
    """The counted columns shared by the daily aggregate, the frozen snapshot and the monthly roll-up."""

    head = models.ForeignKey(
        "fir.CrimeHead", verbose_name=_("crime head"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    firs = models.PositiveIntegerField(_("FIRs registered (most serious head)"), default=0)
    firs_any = models.PositiveIntegerField(_("FIRs registered (every head charged)"), default=0)
    traced = models.PositiveIntegerField(_("cases traced"), default=0)
    cancelled = models.PositiveIntegerField(_("FIRs cancelled"), default=0)
    arrests = models.PositiveIntegerField(_("arrests"), default=0)
    challans = models.PositiveIntegerField(_("challans submitted"), default=0)
    convictions = models.PositiveIntegerField(_("convictions"), default=0)
    complaints = models.PositiveIntegerField(_("complaints received"), default=0)
    complaints_decided = models.PositiveIntegerField(_("complaints decided"), default=0)
    complaints_on_time = models.PositiveIntegerField(_("complaints resolved on time"), default=0)
    alerts = models.PositiveIntegerField(_("alerts raised"), default=0)
    alerts_arrest = models.PositiveIntegerField(_("alerts closed with an arrest"), default=0)

    class Meta:
        abstract = True


class Counts(Measures):
    """The counts of one day at one station under one head."""

    day = models.DateField(_("day"))
    station = models.ForeignKey(
        "stations.PoliceStation", verbose_name=_("police station"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


class DailyAggregate(Counts):
    """Live counts of one day at one station under one head (recomputed by analytics.services)."""

    class Meta:
        verbose_name = _("daily aggregate")
        verbose_name_plural = _("daily aggregates")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "station", "head"], nulls_distinct=False, name="analytics_dailyaggregate_unique"
            ),
            range_check("analytics_dailyaggregate", "day", SYSTEM, date=True),
        ]
        indexes = [models.Index(fields=["station", "day"], name="analytics_daily_stn_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id} {self.head_id}"


class SnapshotWeek(models.Model):
    """A Monday-to-Sunday week whose aggregates were frozen (SnapshotRow) when it had ended."""

    week_start = models.DateField(_("week starting"), unique=True)
    taken_at = models.DateTimeField(_("frozen at"))

    class Meta:
        verbose_name = _("weekly snapshot")
        verbose_name_plural = _("weekly snapshots")
        ordering = ["-week_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week_start__iso_week_day=1), name="analytics_snapshotweek_starts_monday"
            ),
            range_check("analytics_snapshotweek", "week_start", SYSTEM, date=True),
            range_check("analytics_snapshotweek", "taken_at", SYSTEM),
        ]

    def __str__(self) -> str:
        return str(self.week_start)


class SnapshotRow(Counts):
    """The counts of one day as they stood when its week was frozen. Never updated."""

    week = models.ForeignKey(SnapshotWeek, verbose_name=_("week"), on_delete=models.CASCADE, related_name="rows")

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "station", "head"], nulls_distinct=False, name="analytics_snapshotrow_unique"
            ),
            range_check("analytics_snapshotrow", "day", SYSTEM, date=True),
        ]
        indexes = [models.Index(fields=["station", "day"], name="analytics_snap_stn_day_idx")]

    def __str__(self) -> str:
        return f"{self.week_id} {self.day} {self.station_id}"


class MonthlyAggregate(Measures):
    """The days of one calendar month summed per district and head: the roll-up above district level.

    Two rows per month, district and head: ``recorded`` sums the days as a report "as recorded" reads
    them (frozen weeks from their snapshot), the other one the live daily aggregates. Recomputed from
    those tables, for the months touched, by every refresh (analytics.services.rollup_refresh).
    """

    month = models.DateField(_("month"))
    district = models.ForeignKey(
        "stations.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="+"
    )
    recorded = models.BooleanField(_("as recorded (frozen weeks from their snapshot)"))

    class Meta:
        verbose_name = _("monthly aggregate")
        verbose_name_plural = _("monthly aggregates")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "recorded", "month", "head"],
                nulls_distinct=False,
                name="analytics_monthlyaggregate_unique",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="analytics_monthlyaggregate_first_of_month"),
            range_check("analytics_monthlyaggregate", "month", SYSTEM, date=True),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id} {self.head_id}"


class RefreshState(models.Model):
    """Where the last refresh of the aggregates stopped (one row): the freshness every report shows."""

    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    last_section_row = models.BigIntegerField(_("last FIR section row seen"), default=0)
    last_status_change = models.BigIntegerField(_("last status change seen"), default=0)

    class Meta:
        verbose_name = _("refresh state")
        verbose_name_plural = _("refresh state")
        constraints = [range_check("analytics_refreshstate", "refreshed_at", SYSTEM, null=True)]

    def __str__(self) -> str:
        return str(self.refreshed_at)
