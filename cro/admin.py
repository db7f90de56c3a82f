"""Read-only admin for the CRO: changes go through cro.services so that each one is audited."""

from django.contrib import admin

from casp.admin import ReadOnlyInline, ReadOnlyModelAdmin
from cro.models import CriminalRecord, FaceEncoding, FingerprintCard, RecordAlias, RecordPhoto


class AliasInline(ReadOnlyInline):
    model = RecordAlias


@admin.register(CriminalRecord)
class CriminalRecordAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "name", "father_name", "cnic", "date_of_birth", "is_wanted", "merged_into")
    list_filter = ("is_wanted", "is_proclaimed_offender", "is_absconder", "is_under_trial", "is_convicted")
    search_fields = ("=cnic", "name", "father_name")
    list_select_related = ("merged_into",)
    inlines = [AliasInline]


@admin.register(RecordPhoto)
class RecordPhotoAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "record", "kind", "face_status", "uploaded_at")
    list_filter = ("face_status", "kind")
    list_select_related = ("record",)
    exclude = ("file", "thumbnail")


@admin.register(FingerprintCard)
class FingerprintCardAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "record", "taken_on", "uploaded_at")
    list_select_related = ("record",)
    exclude = ("file", "thumbnail")


@admin.register(FaceEncoding)
class FaceEncodingAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "record", "photo", "version", "created_at")
    list_select_related = ("record", "photo")
    exclude = ("embedding",)
