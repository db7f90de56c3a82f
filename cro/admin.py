"""Read-only admin for the CRO: changes go through cro.services so that each one is audited."""

from django.contrib import admin

from cro.models import CriminalRecord, FaceEncoding, FingerprintCard, RecordAlias, RecordPhoto


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class AliasInline(admin.TabularInline):
    model = RecordAlias
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(CriminalRecord)
class CriminalRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "father_name", "cnic", "date_of_birth", "is_wanted", "merged_into")
    list_filter = ("is_wanted", "is_proclaimed_offender", "is_absconder", "is_under_trial", "is_convicted")
    search_fields = ("=cnic", "name", "father_name")
    list_select_related = ("merged_into",)
    inlines = [AliasInline]


@admin.register(RecordPhoto)
class RecordPhotoAdmin(ReadOnlyAdmin):
    list_display = ("id", "record", "kind", "face_status", "uploaded_at")
    list_filter = ("face_status", "kind")
    list_select_related = ("record",)
    exclude = ("file", "thumbnail")


@admin.register(FingerprintCard)
class FingerprintCardAdmin(ReadOnlyAdmin):
    list_display = ("id", "record", "taken_on", "uploaded_at")
    list_select_related = ("record",)
    exclude = ("file", "thumbnail")


@admin.register(FaceEncoding)
class FaceEncodingAdmin(ReadOnlyAdmin):
    list_display = ("id", "record", "photo", "version", "created_at")
    list_select_related = ("record", "photo")
    exclude = ("embedding",)
