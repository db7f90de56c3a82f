"""Pages of the shared alert inbox (every source, filtered by source and status) and the vehicle look-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import selectors, services
from alerts.forms import AlertCloseForm, AlertNoteForm, InboxFilterForm, VehicleCheckForm
from alerts.models import Alert, CheckChannel
from alerts.vehicles import vehicle_check
from casp import audit
from casp.decorators import role_required
from casp.forms import errors_to_form, validation_error_to_messages
from casp.roles import Role

OFFICER_ROLES = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER, Role.CRO_OFFICER)


# --- the workflow steps, shared with Hotel Eye's alert pages -------------------------------------------------------
def acknowledge_response(request: HttpRequest, alert: Alert) -> HttpResponse:
    """Acknowledge ``alert`` with the POSTed note (errors as messages); back to the alert's page."""
    form = AlertNoteForm(request.POST)
    if form.is_valid():
        try:
            services.alert_acknowledge(alert=alert, acting_user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Alert acknowledged."))
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
    return redirect(alert.get_absolute_url())


def close_response(
    request: HttpRequest, alert: Alert, render_detail: Callable[[AlertCloseForm], HttpResponse]
) -> HttpResponse:
    """Close ``alert`` with the POSTed outcome; a refused form is shown again on the alert's page (400)."""
    form = AlertCloseForm(request.POST)
    if form.is_valid():
        try:
            services.alert_close(
                alert=alert,
                acting_user=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Alert closed."))
        return redirect(alert.get_absolute_url())
    # Shown again with the officer's note kept and each missing choice named beside its field.
    return render_detail(form)


# --- the shared inbox --------------------------------------------------------------------------------------------
@role_required(*OFFICER_ROLES)
def inbox(request: HttpRequest) -> HttpResponse:
    """Every alert of the user's stations (a district officer: the district), filtered by source and status."""
    form = InboxFilterForm(request.GET or None)
    source = status = ""
    if form.is_valid():
        source, status = form.cleaned_data["source"], form.cleaned_data["status"]
    # No count of every alert of a district: the page knows whether a next one exists (alerts/selectors.py).
    stations = selectors.police_station_ids_for_user(request.user)
    page = selectors.alerts_page_for_user(
        request.user, source_kind=source, status=status, page=request.GET.get("page"), station_ids=stations
    )
    latest, new = selectors.alerts_inbox_state(request.user, source_kind=source, station_ids=stations)
    query = "&".join(f"{k}={v}" for k, v in (("source", source), ("status", status)) if v)
    return render(
        request,
        "alerts/inbox.html",
        {"form": form, "page": page, "latest": latest, "new_count": new, "query": query},
    )


def _detail(request: HttpRequest, alert: Alert, *, close_form: AlertCloseForm, status: int = 200) -> HttpResponse:
    audit.record_read(actor=request.user, action="alerts.alert_viewed", target=alert, request=request)
    if alert.cro_record_id:
        audit.record_read(actor=request.user, action="cro.record_viewed", target=alert.cro_record, request=request)
    return render(
        request,
        "alerts/alert_detail.html",
        {"alert": alert, "ack_form": AlertNoteForm(), "close_form": close_form},
        status=status,
    )


@role_required(*OFFICER_ROLES)
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for_user(request.user, alert_id=alert_id)
    return _detail(request, alert, close_form=AlertCloseForm())


@require_POST
@role_required(*OFFICER_ROLES)
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    return acknowledge_response(request, selectors.alert_get_for_user(request.user, alert_id=alert_id))


@require_POST
@role_required(*OFFICER_ROLES)
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for_user(request.user, alert_id=alert_id)
    return close_response(request, alert, lambda form: _detail(request, alert, close_form=form, status=400))


# --- vehicle verification ------------------------------------------------------------------------------------------
@role_required(*OFFICER_ROLES)
def vehicle_check_view(request: HttpRequest) -> HttpResponse:
    """Look a vehicle up by registration, chassis or engine number; a stolen one alerts the theft FIR's station."""
    form = VehicleCheckForm(request.POST or None)
    result: Any = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            station = selectors.police_stations_for_user(request.user).order_by("pk").first()
            try:
                result = vehicle_check(
                    acting_user=request.user,
                    channel=CheckChannel.STATION,
                    station=station,
                    place=str(station or ""),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
        if not form.is_valid() or form.errors:
            status = 400
    return render(request, "alerts/vehicle_check.html", {"form": form, "result": result}, status=status)
