from django.contrib import admin

from casp.admin import AuditedModelAdmin
from stations.models import District, PoliceStation, Posting, Province


@admin.register(Province)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur")
    search_fields = ("code", "name", "name_ur")


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "province")
    list_filter = ("province",)
    search_fields = ("code", "name", "name_ur")
    list_select_related = ("province",)


@admin.register(PoliceStation)
class PoliceStationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_ur", "district", "phone", "is_active")
    list_filter = ("is_active", "district__province", "district")
    search_fields = ("code", "name", "name_ur", "address")
    list_select_related = ("district",)


@admin.register(Posting)
class PostingAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "station", "district", "starts_on", "ends_on")
    list_filter = ("role", "district", "station__district")
    search_fields = ("user__username", "user__first_name", "user__last_name", "station__name", "district__name")
    autocomplete_fields = ("user", "station", "district")
    list_select_related = ("user", "station", "district")
    date_hierarchy = "starts_on"
