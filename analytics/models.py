"""Daily aggregates (date x station x crime head) and frozen weekly snapshots of them.

Reports read these tables only, never the FIR table: analytics.services.aggregates_refresh recomputes
days (idempotent), and snapshot_take copies a finished week's rows into SnapshotRow, where they never
change again, so a report rerun for a past week gives the numbers it gave then.
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


class Counts(models.Model):
    """The counted columns shared by the live daily aggregate and the frozen snapshot."""

    day = models.DateField(_("day"))
    station = models.ForeignKey(
        "stations.PoliceStation", verbose_name=_("police station"), on_delete=models.CASCADE, related_name="+"
    )
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


class RefreshState(models.Model):
    """Where the last refresh of the aggregates stopped (one row): the freshness every report shows."""

    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    last_section_row = models.BigIntegerField(_("last FIR section row seen"), default=0)
    last_status_change = models.BigIntegerField(_("last status change seen"), default=0)

    class Meta:
        verbose_name = _("refresh state")
        verbose_name_plural = _("refresh state")

    def __str__(self) -> str:
        return str(self.refreshed_at)
