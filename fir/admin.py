from django.contrib import admin

from casp.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from fir.models import CrimeHead, Fir, Section


@admin.register(CrimeHead)
class CrimeHeadAdmin(AuditedModelAdmin):
    list_display = ("rank", "code", "name", "name_ur")
    search_fields = ("code", "name", "name_ur")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "law", "title", "title_ur", "head", "is_active")
    list_filter = ("law", "head", "is_active")
    list_select_related = ("head",)
    search_fields = ("number", "title", "title_ur")


@admin.register(Fir)
class FirAdmin(ReadOnlyModelAdmin):
    """Read-only: FIRs are registered and moved through their life cycle by fir.services only."""

    list_display = ("__str__", "station", "registered_at", "status", "complainant_name")
    list_filter = ("status",)
    search_fields = ("complainant_name",)
    list_select_related = ("station",)
