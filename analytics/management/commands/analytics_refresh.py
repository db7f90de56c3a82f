"""Recompute the daily aggregates on demand: the recent and changed days (as the beat task does), or a range;
with --rollup, sum every month of the monthly roll-up again (after stations moved to another district)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.services import aggregates_refresh, aggregates_refresh_changed, rollup_refresh, snapshots_catch_up


class Command(BaseCommand):
    help = "Recompute analytics' daily aggregates (recent and changed days, or --from/--to) and freeze finished weeks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="last day, YYYY-MM-DD")
        parser.add_argument("--weeks", type=int, default=8, help="finished weeks to freeze if not yet frozen")
        parser.add_argument(
            "--rollup", action="store_true", help="also sum every month of the district x month roll-up again"
        )

    def handle(
        self, *args: object, start: dt.date | None, end: dt.date | None, weeks: int, rollup: bool, **options: object
    ) -> None:
        if bool(start) != bool(end):
            raise CommandError("Give both --from and --to, or neither.")
        if start and end:
            if end < start:
                raise CommandError("--to is before --from: the range must end on or after its start.")
            rows = aggregates_refresh(start=start, end=end)
            self.stdout.write(f"{start}..{end}: {rows} aggregate rows")
        else:
            for run in aggregates_refresh_changed():
                self.stdout.write(f"refreshed {run}")
        for monday in snapshots_catch_up(weeks=weeks):
            self.stdout.write(f"froze the week of {monday}")
        if rollup:
            self.stdout.write(f"roll-up: {rollup_refresh()} rows")
