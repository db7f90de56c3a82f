from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casp.roles import Role


class Province(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A police district, led by a DPO/SSP."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoliceStation(models.Model):
    """A police station: the unit that owns registers, FIRs, complaints and alerts."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="stations"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["district__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="stations_policestation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="stations_policestation_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"PS {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stations:detail", args=[self.code])


class PostingQuerySet(models.QuerySet["Posting"]):
    def active(self, on: object = None) -> PostingQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Posting(models.Model):
    """An officer's posting to one station or to one district, with a role and dates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="postings"
    )
    station = models.ForeignKey(
        PoliceStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(station__isnull=False, district__isnull=True) | Q(station__isnull=True, district__isnull=False)
                ),
                name="stations_posting_station_xor_district",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="stations_posting_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_on"], name="stations_posting_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.station or self.district}"
