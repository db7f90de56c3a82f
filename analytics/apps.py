from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from analytics.spatial_labels import SPATIAL_AUDIT_ACTIONS, SPATIAL_NAV_ITEM
from casp.context_processors import NavItem
from casp.roles import Role


class AnalyticsConfig(AppConfig):
    """Crime analytics: CompStat reports, trends, hotspot maps and rankings, on top of every other app."""

    name = "analytics"
    verbose_name = _("Crime analytics")
    nav_items = (
        NavItem(_("CompStat"), "analytics:index", frozenset({Role.SHO.value, Role.DISTRICT_OFFICER.value})),
        SPATIAL_NAV_ITEM,
    )
    audit_actions = {"analytics.report_run": _("CompStat report run"), **SPATIAL_AUDIT_ACTIONS}
    audit_data_labels = {"area": _("area"), "as_of": _("figures up to"), "format": _("format")}

    def home_for(self, user) -> str | None:  # noqa: ANN001
        """Open a district officer's home page on their district's CompStat dashboard."""
        from django.urls import reverse

        from casp.roles import has_role
        from stations.models import Posting

        if not has_role(user, Role.DISTRICT_OFFICER):
            return None
        posting = (
            Posting.objects.active()
            .filter(user=user, role=Role.DISTRICT_OFFICER, district__isnull=False)
            .select_related("district")
            .first()
        )
        return reverse("analytics:compstat", args=["district", posting.district.code]) if posting else None

    def dashboard_panels(self, request, station) -> list[dict]:  # noqa: ANN001
        """The station dashboard's CompStat panel (SHOs and district officers): this week and the year so far."""
        from django.utils import timezone

        from analytics.periods import compstat_periods
        from analytics.selectors import area_get_for_user, compstat_report, freshness
        from casp.roles import has_role

        if not (request.user.is_superuser or has_role(request.user, Role.SHO, Role.DISTRICT_OFFICER)):
            return []
        area = area_get_for_user(request.user, level="station", code=station.code)
        today = timezone.localdate()
        report = compstat_report(area, compstat_periods(today, week=today))
        return [
            {
                "template": "analytics/_dashboard_panel.html",
                "context": {"station": station, "summary": report["summary"][:6], "fresh_at": freshness()},
            }
        ]

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from analytics.demo import seed_analytics
        from analytics.spatial_demo import seed_spatial_demo

        for line in [*seed_analytics(), *seed_spatial_demo()]:
            out.write(f"  {line}")
