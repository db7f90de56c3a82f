from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem

_CRO_VIEWERS = frozenset({"cro_officer", "district_officer", "sho", "system_admin"})


class CroConfig(AppConfig):
    name = "cro"
    verbose_name = _("Criminal Record Office")
    nav_items = (
        NavItem(_("Criminal records"), "cro:search", _CRO_VIEWERS),
        NavItem(_("Search by photo"), "cro:face_search", _CRO_VIEWERS),
    )

    audit_actions = {
        "cro.record_viewed": _("CRO record viewed"),
        "cro.record_created": _("CRO record created"),
        "cro.record_updated": _("CRO record changed"),
        "cro.record_merged": _("CRO records merged"),
        "cro.record_merged_away": _("CRO record merged into another"),
        "cro.photo_added": _("Photo added to a CRO record"),
        "cro.photo_fetched": _("CRO photo viewed"),
        "cro.fingerprint_added": _("Fingerprint card added"),
        "cro.fingerprint_fetched": _("Fingerprint card viewed"),
        "cro.search_cnic": _("CRO search by CNIC"),
        "cro.search_name": _("CRO search by name"),
        "cro.search_face": _("CRO search by photo"),
    }
    audit_data_labels = {
        "name": _("name"),
        "father_name": _("father's name"),
        "date_of_birth": _("date of birth"),
        "cnic": _("CNIC"),
        "face": _("face"),
        "photo_sha256": _("photo checksum (SHA-256)"),
        "found": _("record found"),
        "results": _("records found"),
        "photo_id": _("photo"),
        "card_id": _("fingerprint card"),
        "kept": _("record kept"),
        "merged": _("record merged"),
        "photos": _("photos"),
        "cnic_moved": _("CNIC moved"),
        "aliases": _("aliases"),
    }

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from cro.demo import seed_records

        for line in seed_records():
            out.write(f"  {line}")
