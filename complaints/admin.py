from django.contrib import admin

from casp.admin import AuditedModelAdmin, ReadOnlyInline, ReadOnlyModelAdmin
from complaints.models import Attachment, Category, Complaint, ComplaintEvent


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    """Categories and their deadlines; changes apply to complaints filed afterwards and are audited."""

    list_display = ("name", "name_ur", "code", "is_police_conduct", "contact_hours", "reply_hours", "is_active")
    list_editable = ("contact_hours", "reply_hours", "is_active")
    list_filter = ("is_police_conduct", "is_active")
    search_fields = ("code", "name", "name_ur")


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "public_note", "internal_note")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("kind", "original_name", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyModelAdmin):
    """Look complaints up; every change goes through the officers' workflow (audited), not the admin."""

    list_display = ("tracking_number", "category", "status", "station", "handling_station", "is_overdue", "created_at")
    list_filter = ("status", "is_overdue", "category", "district")
    search_fields = ("=tracking_number", "=phone", "=cnic")
    list_select_related = ("category", "station", "handling_station")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Complaint._meta.fields]
    inlines = [EventInline, AttachmentInline]
