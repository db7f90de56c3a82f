from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

_OFFICERS = frozenset(
    {
        Role.SHO.value,
        Role.STATION_CLERK.value,
        Role.INVESTIGATING_OFFICER.value,
        Role.DISTRICT_OFFICER.value,
        Role.CRO_OFFICER.value,
        Role.SYSTEM_ADMIN.value,
    }
)


class HoteleyeConfig(AppConfig):
    name = "hoteleye"
    verbose_name = _("Hotel Eye")
    nav_items = (
        NavItem(_("Guests"), "hoteleye:occupancy", frozenset({Role.HOTEL_STAFF.value})),
        NavItem(_("Hotels"), "hoteleye:hotel_list", _OFFICERS),
        NavItem(_("Hotel alerts"), "hoteleye:alert_inbox", _OFFICERS),
    )

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from hoteleye.demo import seed_hotels

        for line in seed_hotels():
            out.write(f"  {line}")

    audit_actions = {
        "hoteleye.hotel_registered": _("Hotel registered"),
        "hoteleye.staff_bound": _("Hotel staff account created"),
        "hoteleye.token_rotated": _("Hotel API key replaced"),
        "hoteleye.checkin_created": _("Guest checked in"),
        "hoteleye.checkin_checked_out": _("Guest checked out"),
        "hoteleye.checkin_matched": _("Guest checked against the CRO"),
        "hoteleye.csv_imported": _("Guests uploaded from a CSV file"),
        "hoteleye.alert_raised": _("Hotel alert raised"),
        "hoteleye.alert_viewed": _("Hotel alert viewed"),
        "hoteleye.alert_acknowledged": _("Hotel alert acknowledged"),
        "hoteleye.alert_closed": _("Hotel alert closed"),
        "hoteleye.photo_viewed": _("Guest photo viewed"),
    }
    audit_data_labels = {
        "hotel": _("hotel"),
        "companions": _("companions"),
        "late": _("reported late"),
        "rows": _("rows"),
        "saved": _("saved"),
        "revoked": _("keys revoked"),
        "outcome": _("outcome"),
        "candidates": _("candidates"),
        "alerts": _("alerts"),
        "photo": _("photo"),
        "alert": _("alert"),
    }
    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "hoteleye.alert": _(
            "Hotel Eye alert %(id)s: guest %(guest)s at %(hotel)s, room %(room)s, matched CRO record %(record)s "
            "(%(name)s) by %(kind)s."
        ),
    }

    def home_for(self, user) -> str | None:  # noqa: ANN001
        """Send hotel staff to their hotel's guests page instead of the officers' postings page."""
        from django.urls import reverse

        from casp.roles import has_role
        from hoteleye.selectors import hotel_for_staff

        if has_role(user, *_OFFICERS) or hotel_for_staff(user) is None:
            return None
        return reverse("hoteleye:occupancy")

    def dashboard_panels(self, request, station) -> list[dict]:  # noqa: ANN001
        """Return the station dashboard's Hotel Eye panel: open alerts, late check-ins and a warning when
        matching is behind (four queries)."""
        from datetime import timedelta

        from django.utils import timezone

        from alerts.models import Alert, AlertStatus, SourceKind
        from hoteleye.models import CheckIn
        from hoteleye.selectors import matching_delay

        open_alerts = list(
            Alert.objects.filter(station=station, source_kind=SourceKind.HOTEL_CHECKIN)
            .exclude(status=AlertStatus.CLOSED)
            .order_by("-created_at")[:5]
        )
        since = timezone.now() - timedelta(days=1)
        late = CheckIn.objects.filter(hotel__station=station, is_late=True, received_at__gte=since).count()
        new = Alert.objects.filter(
            station=station, source_kind=SourceKind.HOTEL_CHECKIN, status=AlertStatus.NEW
        ).count()
        delay = matching_delay()
        return [
            {
                "template": "hoteleye/_dashboard_panel.html",
                "context": {
                    "alerts": open_alerts,
                    "new_count": new,
                    "late_count": late,
                    "station": station,
                    "matching_behind_minutes": None if delay is None else int(delay.total_seconds() // 60),
                },
            }
        ]
