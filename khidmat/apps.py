from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role


class KhidmatConfig(AppConfig):
    name = "khidmat"
    verbose_name = _("Khidmat Markaz")
    nav_items = (
        NavItem(
            _("Khidmat Markaz"),
            "khidmat:centres",
            frozenset({Role.KHIDMAT_STAFF.value, Role.KHIDMAT_INCHARGE.value, Role.DISTRICT_OFFICER.value}),
        ),
        NavItem(
            _("Verifications"),
            "khidmat:verifications",
            frozenset(
                {
                    Role.SHO.value,
                    Role.STATION_CLERK.value,
                    Role.INVESTIGATING_OFFICER.value,
                    Role.DISTRICT_OFFICER.value,
                }
            ),
        ),  # fmt: skip
        NavItem(_("CRO reviews"), "khidmat:cro_reviews", frozenset({Role.CRO_OFFICER.value})),
    )

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from khidmat.demo import seed_centres

        for line in seed_centres():
            out.write(f"  {line}")

    def dashboard_panels(self, request, station) -> list[dict]:  # noqa: ANN001
        """Hook read by the station dashboard: the station's open verification tasks (two queries)."""
        from khidmat.models import Outcome, VerificationTask

        open_tasks = VerificationTask.objects.filter(station=station, outcome=Outcome.PENDING)
        return [
            {
                "template": "khidmat/_dashboard_panel.html",
                "context": {
                    "tasks": list(open_tasks.select_related("application__service").order_by("due_at")[:5]),
                    "overdue": open_tasks.filter(is_overdue=True).count(),
                    "station": station,
                },
            }
        ]
