from django.contrib import admin

from casp.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from hoteleye.models import ApiToken, CheckIn, Hotel, HotelStaff


@admin.register(Hotel)
class HotelAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "station", "district", "rooms", "is_active")
    list_filter = ("is_active", "district")
    search_fields = ("code", "name", "licence_number")
    list_select_related = ("station", "district")


@admin.register(HotelStaff)
class HotelStaffAdmin(AuditedModelAdmin):
    list_display = ("user", "hotel", "is_active", "created_at")
    list_select_related = ("user", "hotel")
    raw_id_fields = ("user", "hotel", "created_by")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("prefix", "hotel", "user", "created_at", "revoked_at")
    list_select_related = ("hotel", "user")
    readonly_fields = ("key_hash", "prefix", "hotel", "user", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001 - keys are made by hoteleye_token
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyModelAdmin):
    """Read-only: a check-in is the guest record an alert and its match results stand on.

    It changes only through hoteleye.services (check-out, matching), audited; deleting it in
    the admin would take the guest's identity away from an alert that must be kept.
    """

    list_display = ("name", "hotel", "room", "checked_in_at", "checked_out_at", "is_late", "match_status")
    list_filter = ("is_late", "match_status", "source")
    search_fields = ("name", "cnic", "passport_number")
    list_select_related = ("hotel",)
    raw_id_fields = ("hotel", "entered_by")
