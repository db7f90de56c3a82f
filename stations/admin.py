from django.contrib import admin

from casp.admin import AuditedModelAdmin, ReadOnlyInline, ReadOnlyModelAdmin
from stations.models import (
    District,
    PoliceStation,
    Posting,
    Province,
    Region,
    RegisterEntry,
    RegisterEntryVersion,
    SubDivision,
)


@admin.register(Province)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur")
    search_fields = ("code", "name", "name_ur")


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "province")
    list_filter = ("province",)
    search_fields = ("code", "name", "name_ur")
    list_select_related = ("province",)


@admin.register(SubDivision)
class SubDivisionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "district")
    list_filter = ("district__province", "district")
    search_fields = ("code", "name", "name_ur")
    list_select_related = ("district",)


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "province", "region")
    list_filter = ("province", "region")
    search_fields = ("code", "name", "name_ur")
    list_select_related = ("province",)


@admin.register(PoliceStation)
class PoliceStationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "district", "subdivision", "phone", "is_active")
    list_filter = ("is_active", "district__province", "district", "subdivision")
    search_fields = ("code", "name", "name_ur", "address")
    list_select_related = ("district", "subdivision")


@admin.register(Posting)
class PostingAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "station", "district", "starts_on", "ends_on")
    list_filter = ("role", "district", "station__district")
    search_fields = ("user__username", "user__first_name", "user__last_name", "station__name", "district__name")
    autocomplete_fields = ("user", "station", "district")
    list_select_related = ("user", "station", "district")
    date_hierarchy = "starts_on"


class RegisterEntryVersionInline(ReadOnlyInline):
    model = RegisterEntryVersion
    readonly_fields = ("version", "data", "reason", "created_at", "created_by")


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyModelAdmin):
    """Read-only: entries are written through the services (numbering, versions, audit)."""

    list_display = ("__str__", "station", "kind", "created_at", "created_by", "version", "is_void")
    list_filter = ("register", "is_void", "kind")
    search_fields = ("search_text", "station__code")
    list_select_related = ("station", "created_by")
    inlines = [RegisterEntryVersionInline]
