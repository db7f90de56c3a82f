from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")
    nav_items = (
        NavItem(
            _("Complaints"),
            "complaints:inbox",
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
        "complaint.filed": _("Complaint filed"),
        "complaint.assigned": _("Complaint assigned"),
        "complaint.status_changed": _("Complaint status changed"),
        "complaint.converted_to_fir": _("Complaint converted to an FIR"),
        "complaint.note_added": _("Note added to the complaint"),
        "complaint.info_added": _("Complainant added information"),
        "complaint.feedback": _("Complainant gave feedback"),
        "complaint.reopened": _("Complaint reopened"),
        "complaint.overdue": _("Complaint overdue"),
        "complaint.attachment_viewed": _("Complaint attachment viewed"),
    }
    audit_data_labels = {
        "category": _("category"),
        "assignee": _("assigned to"),
        "handling_station": _("handling station"),
        "files": _("files"),
        "satisfied": _("satisfied"),
        "attachment": _("attachment"),
    }
    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "complaints.received": _("Complaint %(number)s received online: %(category)s, incident at %(place)s."),
    }
