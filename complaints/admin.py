from django.contrib import admin

from casp.admin import AuditedModelAdmin
from complaints.models import Attachment, Category, Complaint, ComplaintEvent


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    """Categories and their deadlines; changes apply to complaints filed afterwards and are audited."""

    list_display = ("name", "name_ur", "code", "is_police_conduct", "contact_hours", "reply_hours", "is_active")
    list_editable = ("contact_hours", "reply_hours", "is_active")
    list_filter = ("is_police_conduct", "is_active")
    search_fields = ("code", "name", "name_ur")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "public_note", "internal_note")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("kind", "original_name", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Look complaints up; every change goes through the officers' workflow (audited), not the admin."""

    list_display = ("tracking_number", "category", "status", "station", "handling_station", "is_overdue", "created_at")
    list_filter = ("status", "is_overdue", "category", "district")
    search_fields = ("=tracking_number", "=phone", "=cnic")
    list_select_related = ("category", "station", "handling_station")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Complaint._meta.fields]
    inlines = [EventInline, AttachmentInline]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
