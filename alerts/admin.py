from django.contrib import admin

from alerts.models import Alert
from casp.admin import ReadOnlyModelAdmin


@admin.register(Alert)
class AlertAdmin(ReadOnlyModelAdmin):
    """Look alerts up: an alert is a record, acknowledged and closed by officers (audited), never deleted."""

    list_display = ("id", "station", "source_kind", "kind", "score", "status", "record_name", "created_at")
    list_filter = ("status", "source_kind", "kind")
    list_select_related = ("station",)
    readonly_fields = [f.name for f in Alert._meta.fields]
