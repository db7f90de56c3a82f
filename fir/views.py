from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp import audit
from casp.decorators import role_required
from casp.forms import errors_to_form, form_errors_to_messages, validation_error_to_messages
from casp.replica import using_replica
from casp.roles import Role
from casp.text import normalize_digits
from fir.forms import (
    AccusedFormSet,
    ArrestForm,
    CustodyEndForm,
    FirRegistration,
    FirSearchForm,
    NoteForm,
    StatusForm,
    StolenVehicleForm,
    VehicleRecoveryForm,
    register_context,
)
from fir.pdf import fir_copy_pdf
from fir.selectors import fir_find_by_reference, fir_get_for_user, firs_search, investigating_officers, sections_active
from fir.services import (
    accused_add,
    arrest_custody_end,
    arrest_record,
    fir_assign_io,
    fir_can_edit,
    fir_note_add,
    fir_status_change,
    fir_submit,
)
from fir.vehicles import fir_is_vehicle_theft, stolen_vehicle_add, stolen_vehicle_recover
from fir.verification import fir_from_token
from stations.selectors import station_get_for_user, station_writable, stations_for_user

READERS = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER)
WRITERS = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER)
REGISTRARS = (Role.SHO, Role.STATION_CLERK)
PAGE_SIZE = 50


@role_required(*READERS)
@using_replica
def fir_list(request: HttpRequest) -> HttpResponse:
    stations = stations_for_user(request.user).order_by("name")
    len(stations)  # loaded once: the page lists them and the search reads how many there are
    form = FirSearchForm(request.GET or None, stations=stations)
    filters = form.cleaned_data if form.is_valid() else {}
    before = None
    if request.GET.get("before"):
        at, _sep, pk = request.GET["before"].rpartition("_")
        parsed = parse_datetime(at)
        if parsed is not None and pk.isdigit():
            before = (parsed, int(pk))
    firs = list(firs_search(request.user, filters, before=before, stations=stations)[: PAGE_SIZE + 1])
    next_cursor = ""
    if len(firs) > PAGE_SIZE:
        last = firs[PAGE_SIZE - 1]
        next_cursor = f"{last.registered_at.isoformat()}_{last.pk}"
    params = request.GET.copy()
    params.pop("before", None)
    posted = [s for s in stations if station_writable(request.user, s)] if len(stations) <= 5 else []
    return render(
        request,
        "fir/list.html",
        {
            "form": form,
            "firs": firs[:PAGE_SIZE],
            "next_cursor": next_cursor,
            "query": params.urlencode(),
            "posted_stations": posted,
        },
    )


@role_required(*REGISTRARS)
def fir_register_view(request: HttpRequest, code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code, write=True)
    officers = investigating_officers(station)
    if request.method == "POST":
        registration = FirRegistration(request.POST, officers=officers)
        if registration.is_valid():
            try:
                submission = fir_submit(station=station, acting_user=request.user, data=registration.data())
            except ValidationError as exc:
                registration.add_errors(getattr(exc, "message_dict", None) or {"__all__": exc.messages})
            else:
                fir = submission.fir
                if submission.created:
                    messages.success(request, _("%(fir)s registered.") % {"fir": fir})
                else:
                    # Back button or a second click: nothing new was saved, whatever this form held.
                    messages.warning(
                        request,
                        _("This form was already submitted; here is what was saved: %(fir)s.") % {"fir": fir},
                    )
                return redirect("fir:detail", pk=fir.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"submission_key": uuid.uuid4(), "reported_at": now}
        registration = FirRegistration(officers=officers, initial=initial)
    return render(request, "fir/register.html", register_context(station, registration))


@role_required(*READERS)
def fir_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fir = fir_get_for_user(request.user, pk)
    can_edit = fir_can_edit(request.user, fir)
    return render(
        request,
        "fir/detail.html",
        {
            "fir": fir,
            "can_edit": can_edit,
            "status_form": StatusForm(initial={"to_status": (fir.allowed_next() or [""])[0]}),
            "note_form": NoteForm(),
            "arrest_form": ArrestForm(fir=fir, initial={"arrested_at": timezone.localtime()}),
            "accused_form": AccusedFormSet(prefix="accused").empty_form,
            "custody_form": CustodyEndForm(),
            "vehicle_form": StolenVehicleForm(),
            "recovery_form": VehicleRecoveryForm(),
            "vehicle_theft": fir_is_vehicle_theft(fir),
            "officers": investigating_officers(fir.station) if can_edit else [],
        },
    )


def _fir_action(
    request: HttpRequest, pk: int, form_class: type[forms.Form], act: Callable[..., Any], done: str, **form_kw: Any
) -> HttpResponse:
    """Run one POSTed change on an FIR: validate the form, call the service, report errors by field."""
    fir = fir_get_for_user(request.user, pk)
    form = form_class(request.POST, **({"fir": fir} if "fir" in form_kw else {}))
    if form.is_valid():
        try:
            act(fir, form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
            form_errors_to_messages(request, form)
        else:
            messages.success(request, done)
    else:
        form_errors_to_messages(request, form)
    return redirect("fir:detail", pk=fir.pk)


@require_POST
@role_required(*WRITERS)
def fir_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _fir_action(
        request,
        pk,
        StatusForm,
        lambda fir, d: fir_status_change(fir=fir, acting_user=request.user, **d),
        _("Status changed."),
    )


@require_POST
@role_required(*WRITERS)
def fir_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _fir_action(
        request,
        pk,
        NoteForm,
        lambda fir, d: fir_note_add(fir=fir, acting_user=request.user, **d),
        _("Statement recorded."),
    )


@require_POST
@role_required(*WRITERS)
def fir_accused_view(request: HttpRequest, pk: int) -> HttpResponse:
    from fir.forms import AccusedForm

    return _fir_action(
        request,
        pk,
        AccusedForm,
        lambda fir, d: accused_add(fir=fir, acting_user=request.user, person=d),
        _("Accused added."),
    )


@require_POST
@role_required(*WRITERS)
def fir_arrest_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _fir_action(
        request,
        pk,
        ArrestForm,
        lambda fir, d: arrest_record(fir=fir, acting_user=request.user, **d),
        _("Arrest recorded and entered in the daily diary."),
        fir=True,
    )


@require_POST
@role_required(*WRITERS)
def arrest_custody_end_view(request: HttpRequest, pk: int, arrest_pk: int) -> HttpResponse:
    def act(fir: Any, data: dict[str, Any]) -> None:
        arrest = fir.arrests.filter(pk=arrest_pk).first()
        if arrest is None:
            raise Http404("No such arrest.")
        arrest_custody_end(arrest=arrest, acting_user=request.user, reason=data["reason"])

    return _fir_action(request, pk, CustodyEndForm, act, _("Custody ended."))


@require_POST
@role_required(Role.SHO)
def fir_assign_io_view(request: HttpRequest, pk: int) -> HttpResponse:
    fir = fir_get_for_user(request.user, pk)
    officer = investigating_officers(fir.station).filter(pk=request.POST.get("officer") or 0).first()
    if officer is None:
        messages.error(request, _("Choose an investigating officer posted at this station."))
    else:
        try:
            fir_assign_io(fir=fir, acting_user=request.user, officer=officer)
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Investigating officer assigned."))
    return redirect("fir:detail", pk=fir.pk)


@role_required(*READERS)
def fir_copy(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    if lang not in ("en", "ur"):
        raise Http404("No such language.")
    fir = fir_get_for_user(request.user, pk)
    pdf = fir_copy_pdf(fir, lang=lang, request=request)
    audit.record(actor=request.user, action="fir.copy_printed", target=fir, request=request, data={"lang": lang})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="FIR-{fir.station.code}-{fir.number}-{fir.year}-{lang}.pdf"'
    return response


def fir_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: confirm an FIR copy is genuine (station, number, date, sections) and show nothing private."""
    fir = fir_from_token(token)
    return render(request, "fir/verify.html", {"fir": fir})


@role_required(*READERS)
def section_list(request: HttpRequest) -> HttpResponse:
    q = normalize_digits(request.GET.get("q") or "").strip()
    return render(request, "fir/sections.html", {"sections": sections_active(q), "q": q})


@require_POST
@role_required(*WRITERS)
def fir_vehicle_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a vehicle the FIR reports stolen (an FIR under 379, 381-A, 382 or 392 PPC)."""

    def act(fir: Any, data: dict[str, Any]) -> None:
        stolen_vehicle_add(fir=fir, acting_user=request.user, data=data)

    return _fir_action(request, pk, StolenVehicleForm, act, _("Stolen vehicle recorded."))


@require_POST
@role_required(*WRITERS)
def fir_vehicle_recovered_view(request: HttpRequest, pk: int, vehicle_pk: int) -> HttpResponse:
    """Record the recovery of one of the FIR's vehicles: it leaves the stolen list."""

    def act(fir: Any, data: dict[str, Any]) -> None:
        vehicle = fir.stolen_vehicles.filter(pk=vehicle_pk).first()
        if vehicle is None:
            raise Http404("No such vehicle.")
        recovery_fir = None
        if data.get("recovery_fir"):
            recovery_fir = fir_find_by_reference(request.user, data["recovery_fir"])
            if recovery_fir is None:
                raise ValidationError({"recovery_fir": _("No FIR with that number and year in your jurisdiction.")})
        stolen_vehicle_recover(
            vehicle=vehicle,
            acting_user=request.user,
            recovered_on=data["recovered_on"],
            place=data["place"],
            recovery_fir=recovery_fir,
        )

    return _fir_action(
        request, pk, VehicleRecoveryForm, act, _("Recovery recorded; the vehicle is off the stolen list.")
    )
