from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role, has_role


class FirConfig(AppConfig):
    name = "fir"
    verbose_name = _("First Information Reports")
    nav_items = (
        NavItem(
            _("FIRs"),
            "fir:list",
            frozenset(
                {
                    Role.SHO.value,
                    Role.STATION_CLERK.value,
                    Role.INVESTIGATING_OFFICER.value,
                    Role.DISTRICT_OFFICER.value,
                }
            ),
        ),
    )

    audit_actions = {
        "fir.registered": _("FIR registered"),
        "fir.vehicle_recorded": _("Stolen vehicle recorded on an FIR"),
        "fir.vehicle_recovered": _("Stolen vehicle recovered"),
        "fir.status_changed": _("FIR status changed"),
        "fir.io_assigned": _("Investigating officer assigned"),
        "fir.note_added.*": _("Note added to the FIR"),
        "fir.accused_added": _("Accused added to the FIR"),
        "fir.arrest_recorded": _("Arrest recorded"),
        "fir.custody_ended": _("Custody ended"),
        "fir.copy_printed": _("FIR copy printed"),
    }
    audit_data_labels = {
        "sections": _("sections"),
        "challan": _("challan"),
        "order": _("order"),
        "accused": _("accused"),
        "arrest": _("arrest"),
        "fir": _("FIR"),
    }
    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "fir.registered": _(
            "FIR No. %(number)s/%(year)s registered under sections %(sections)s on the report of %(name)s."
        ),
        "fir.arrest": _("%(accused)s arrested in FIR No. %(number)s/%(year)s at %(place)s."),
    }

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from fir.demo import seed_firs

        for line in seed_firs():
            out.write(f"  {line}")

    def persons_in_custody(self, station) -> list[str]:  # noqa: ANN001
        """Hook read by stations.services for the daily diary's opening entry."""
        from fir.services import persons_in_custody

        return persons_in_custody(station)

    def fir_exists(self, station, number: int, year: int) -> bool:  # noqa: ANN001
        """Hook read by stations.columns: does FIR number/year exist at ``station`` (a register's FIR column)?"""
        from fir.models import Fir

        return Fir.objects.filter(station=station, number=number, year=year).exists()

    def station_actions(self, request, station) -> list[dict[str, str]]:  # noqa: ANN001
        """Hook read by the home page and station dashboard: "Register FIR" where this user may register one."""
        from django.urls import reverse

        from fir.views import REGISTRARS
        from stations.selectors import station_is_posted

        user = request.user
        if not (user.is_superuser or (has_role(user, *REGISTRARS) and station_is_posted(user, station))):
            return []
        return [{"label": _("Register FIR"), "url": reverse("fir:register", args=[station.code])}]

    def dashboard_panels(self, request, station) -> list[dict]:  # noqa: ANN001
        """Hook read by the station dashboard: FIRs by status and investigating officers' workload."""
        from fir.models import FirStatus
        from fir.selectors import firs_status_counts, io_workload

        counts = firs_status_counts(station)
        return [
            {
                "template": "fir/_dashboard_panel.html",
                "context": {
                    "station": station,
                    "by_status": [(FirStatus(s).label, s, n) for s, n in counts.items()],
                    "workload": io_workload(station),
                },
            }
        ]
