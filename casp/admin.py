from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from casp import audit
from casp.audit_display import action_label, station_names
from casp.models import AuditEvent, User


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions are written to the audit log.

    Django calls the log_* hooks inside the same transaction as the save, so the
    audit event and the change commit or roll back together.
    """

    def _audit(self, request, obj, verb: str, message: object) -> None:  # noqa: ANN001
        audit.record(
            actor=request.user,
            action=f"{obj._meta.label_lower}.admin_{verb}",
            target=obj,
            request=request,
            data={"change": str(message)} if message else None,
        )

    def log_addition(self, request, obj, message):  # noqa: ANN001, ANN201
        self._audit(request, obj, "added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):  # noqa: ANN001, ANN201
        self._audit(request, obj, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):  # noqa: ANN001, ANN201
        for obj in queryset:
            self._audit(request, obj, "deleted", None)
        return super().log_deletions(request, queryset)


class ReadOnlyAdminMixin:
    """Look records up in the admin, never add, change or delete them: services write them, audited.

    Used for records that are closed rather than deleted (alerts, complaints,
    CRO records, register entries) and for the audit log itself. Without the
    delete permission Django also drops the "delete selected" action.
    """

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    show_full_result_count = False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


admin.site.site_header = _("CASP administration")
admin.site.site_title = _("CASP")


def _password_change(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """Send staff to the one password form (casp.views.PasswordChangeView), whose wrong current passwords
    count towards the sign-in lockout (django-axes); the admin's own form did not count them."""
    return redirect("password_change")


admin.site.password_change = _password_change  # the admin's URLs are built from this attribute


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Police details"), {"fields": ("rank", "belt_number", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "rank", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "groups", "rank")
    search_fields = ("username", "first_name", "last_name", "belt_number", "phone", "email")


class _AuditChangeList(ChangeList):
    """Name the stations of a page of events with one query (the kernel holds only their ids)."""

    def get_results(self, request) -> None:  # noqa: ANN001
        super().get_results(request)
        names = station_names(e.station_id for e in self.result_list)
        for event in self.result_list:
            event.station_name = names.get(event.station_id, event.station_id or "")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """Browse and filter audit events; nobody can add, change or delete them."""

    list_display = (
        "created_at",
        "action_label",
        "action",
        "actor",
        "target_repr",
        "station",
        "ip_address",
        "is_read",
    )
    list_filter = ("is_read", "action", "created_at", "target_type")
    search_fields = ("action", "target_repr", "target_id", "actor__username", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_changelist(self, request, **kwargs) -> type[ChangeList]:  # noqa: ANN001
        return _AuditChangeList

    @admin.display(description=_("station"), ordering="station_id")
    def station(self, obj: AuditEvent) -> object:
        return getattr(obj, "station_name", obj.station_id)

    @admin.display(description=_("what happened"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return action_label(obj.action)
