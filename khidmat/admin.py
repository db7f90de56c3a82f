"""Admin: the catalogue and the centres are edited here (audited); applications are browsed only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest

from casp import audit
from casp.admin import ReadOnlyModelAdmin
from khidmat.models import Application, CentreStaff, Certificate, KhidmatCentre, ServiceDocument, ServiceType


class AuditedAdmin(admin.ModelAdmin):
    """Every change made through the admin is audited like a change made through a service."""

    def save_model(self, request: HttpRequest, obj: Model, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = "changed" if change else "added"
        audit.record(
            actor=request.user, action=f"khidmat.{obj._meta.model_name}_{action}", target=obj, request=request,
            data={"fields": list(form.changed_data)},
        )  # fmt: skip

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(actor=request.user, action=f"khidmat.{obj._meta.model_name}_deleted", target=obj, request=request)
        super().delete_model(request, obj)


class ServiceDocumentInline(admin.TabularInline):
    model = ServiceDocument
    extra = 1


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_ur", "fee", "turnaround_days", "output", "needs_cro_check",
                    "needs_station_verification", "registration_kind", "is_active")  # fmt: skip
    list_editable = ("fee", "turnaround_days", "is_active")
    inlines = [ServiceDocumentInline]

    def save_formset(self, request: HttpRequest, form: Form, formset: object, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[arg-type]
        if formset.has_changed():  # type: ignore[attr-defined]
            audit.record(actor=request.user, action="khidmat.service_documents_changed", target=form.instance,
                         request=request)  # fmt: skip


class CentreStaffInline(admin.TabularInline):
    model = CentreStaff
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(KhidmatCentre)
class KhidmatCentreAdmin(AuditedAdmin):
    list_display = ("code", "name", "district", "counters", "is_active")
    inlines = [CentreStaffInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ("tracking_number", "service", "centre", "status", "created_at")
    list_filter = ("status", "service", "centre")
    search_fields = ("tracking_number", "receipt_number")


@admin.register(Certificate)
class CertificateAdmin(ApplicationAdmin):
    list_display = ("serial", "holder_name", "issued_at", "valid_until", "revoked_at")
    list_filter = ()
    search_fields = ("serial",)
