from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from casp.dates import SYSTEM, range_check
from casp.formats import datetime_text


class User(AbstractUser):
    """A person who signs in: officer, clerk, CRO or Khidmat staff, hotel staff or administrator."""

    rank = models.CharField(_("rank"), max_length=60, blank=True, help_text=_("e.g. Inspector, ASI, Constable"))
    belt_number = models.CharField(_("belt number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            range_check("casp_user", "date_joined", SYSTEM),
            range_check("casp_user", "last_login", SYSTEM, null=True),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


class AuditEvent(models.Model):
    """One change to a record, or one view of a sensitive record. Append-only.

    ``station_id`` is a plain integer, not a foreign key: the kernel app must not
    depend on ``stations``, and audit rows must outlive whatever they mention.
    A database trigger (migration 0002) refuses UPDATE and DELETE on this table.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "casp.User",
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=80, help_text=_("e.g. fir.registered"))
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    station_id = models.BigIntegerField(_("station id"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    is_read = models.BooleanField(
        _("read event"), default=False, help_text=_("A view, search or download, not a change.")
    )
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        constraints = [range_check("casp_auditevent", "created_at", SYSTEM)]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="casp_audit_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="casp_audit_actor_idx"),
            models.Index(fields=["station_id", "-created_at"], name="casp_audit_station_idx"),
            models.Index(fields=["action", "-created_at"], name="casp_audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{datetime_text(self.created_at) if self.created_at else ''} {self.action} {self.target_repr}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")
