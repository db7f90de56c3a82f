from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp.decorators import role_required
from casp.forms import errors_to_form, form_errors_to_messages, validation_error_to_messages
from casp.replica import using_replica
from casp.roles import Role, has_role
from casp.views import audit_log_page
from stations.columns import column_display
from stations.forms import RegisterCorrectionForm, RegisterEntryForm, RegisterSearchForm, VoidForm
from stations.models import PoliceStation
from stations.registers import REGISTERS, Register, register_get
from stations.selectors import (
    audit_events_for_user,
    diary_for_day,
    postings_active_for_user,
    register_entries_for_station,
    register_entry_get_for_user,
    station_get_for_user,
    stations_for_user,
)
from stations.services import register_entry_add, register_entry_correct, register_entry_void


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page: their postings, each with the actions other apps offer at its station.

    An app that owns a kind of user (hoteleye's hotel staff) declares
    ``AppConfig.home_for(user) -> url | None``; the first url given wins, so
    this app never needs to know the higher apps.
    """
    for config in apps.get_app_configs():
        hook = getattr(config, "home_for", None)
        url = hook(request.user) if hook is not None else None
        if url:
            return redirect(url)
    postings = postings_active_for_user(request.user)
    for posting in postings:
        posting.actions = station_actions(request, posting.station) if posting.station else []
    return render(request, "casp/home.html", {"postings": postings})


def station_actions(request: HttpRequest, station: PoliceStation) -> list[dict[str, str]]:
    """Return the buttons (``label``, ``url``) that apps offer at ``station`` through ``AppConfig.station_actions``.

    Each app decides whether the user may act there (e.g. fir: "Register FIR"
    for an SHO or clerk posted at the station).
    """
    actions: list[dict[str, str]] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "station_actions", None)
        if hook is not None:
            actions.extend(hook(request, station))
    return actions


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = stations_for_user(request.user).select_related("district__province").order_by("district__name", "name")
    page = Paginator(stations, 50).get_page(request.GET.get("page"))
    return render(request, "stations/list.html", {"page": page})


@login_required
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    postings = station.postings.active().select_related("user").order_by("role")
    return render(request, "stations/detail.html", {"station": station, "postings": postings})


# --- Registers: one set of views for every declared register ---------------------------------

REGISTER_READERS = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER)
REGISTER_WRITERS = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER)
PAGE_SIZE = 50


def _register_or_404(code: str) -> Register:
    register = register_get(code)
    if register is None or not register.is_generic:
        raise Http404("No such register.")
    return register


@role_required(*REGISTER_READERS)
def register_catalogue(request: HttpRequest, code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    return render(
        request,
        "stations/registers/catalogue.html",
        {"station": station, "registers": REGISTERS, "show_sources": has_role(request.user, Role.SYSTEM_ADMIN)},
    )


@role_required(*REGISTER_READERS)
@using_replica
def register_list(request: HttpRequest, code: str, register_code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    form = RegisterSearchForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"],
            "year": form.cleaned_data["year"],
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
            "include_void": not form.cleaned_data["hide_void"],
        }
    before = _cursor(request.GET.get("before"))
    entries = list(
        register_entries_for_station(request.user, station=station, register=register.code, before=before, **filters)[
            : PAGE_SIZE + 1
        ]
    )
    next_cursor = f"{entries[PAGE_SIZE - 1].year}-{entries[PAGE_SIZE - 1].number}" if len(entries) > PAGE_SIZE else ""
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "stations/registers/list.html",
        {
            "station": station,
            "register": register,
            "form": form,
            "rows": [(e, _shown(register, e.display_data)) for e in entries[:PAGE_SIZE]],
            "next_cursor": next_cursor,
            "query": params.urlencode(),
        },
    )


def _shown(register: Register, data: dict) -> list[str]:
    """Return an entry's column values as shown: dates d-m-Y, times d-m-Y H:i (Asia/Karachi)."""
    return [column_display(c, data.get(c.name, "")) for c in register.columns]


def _cursor(value: str | None) -> tuple[int, int] | None:
    try:
        year, number = (value or "").split("-")
        return int(year), int(number)
    except ValueError:
        return None


@role_required(*REGISTER_WRITERS)
def register_add(request: HttpRequest, code: str, register_code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code, write=True)
    register = _register_or_404(register_code)
    form = RegisterEntryForm(request.POST or None, register=register, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            entry = register_entry_add(
                station=station,
                register=register,
                acting_user=request.user,
                data=form.column_data(),
                received_at=form.cleaned_data.get("received_at"),
                kind=form.cleaned_data.get("kind", ""),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Entry %(number)s/%(year)s added.") % {"number": entry.number, "year": entry.year}
            )
            return redirect("stations:register_list", code=station.code, register_code=register.code)
    return render(request, "stations/registers/form.html", {"station": station, "register": register, "form": form})


@role_required(*REGISTER_READERS)
def register_entry_detail(request: HttpRequest, code: str, register_code: str, pk: int) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    labels = [c.label for c in register.columns]
    versions = [(v, list(zip(labels, _shown(register, v.data), strict=True))) for v in entry.versions.all()]
    template = "stations/registers/print.html" if request.GET.get("print") else "stations/registers/detail.html"
    return render(
        request,
        template,
        {
            "station": station,
            "register": register,
            "entry": entry,
            "current": list(zip(labels, _shown(register, entry.display_data), strict=True)),
            "versions": versions,
            "can_void": has_role(request.user, Role.SHO, Role.SYSTEM_ADMIN) and not entry.is_void,
            "void_form": VoidForm(),
        },
    )


@role_required(*REGISTER_WRITERS)
def register_entry_correct_view(request: HttpRequest, code: str, register_code: str, pk: int) -> HttpResponse:
    station = station_get_for_user(request.user, code=code, write=True)
    register = _register_or_404(register_code)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    form = RegisterCorrectionForm(request.POST or None, register=register, station=station, initial=entry.data)
    if request.method == "POST" and form.is_valid():
        try:
            register_entry_correct(
                entry=entry,
                register=register,
                acting_user=request.user,
                data=form.column_data(),
                reason=form.cleaned_data["correction_reason"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc, rename={"reason": "correction_reason"})
        else:
            messages.success(request, _("Correction recorded; the earlier text stays visible."))
            return redirect("stations:register_entry", code=station.code, register_code=register.code, pk=entry.pk)
    return render(
        request,
        "stations/registers/form.html",
        {"station": station, "register": register, "form": form, "entry": entry},
    )


@require_POST
@role_required(Role.SHO)
def register_entry_void_view(request: HttpRequest, code: str, register_code: str, pk: int) -> HttpResponse:
    station = station_get_for_user(request.user, code=code, write=True)
    register = _register_or_404(register_code)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            register_entry_void(entry=entry, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Entry voided; it stays listed."))
    else:
        form_errors_to_messages(request, form)
    return redirect("stations:register_entry", code=station.code, register_code=register.code, pk=entry.pk)


# --- Station dashboard -----------------------------------------------------------------------


@role_required(*REGISTER_READERS)
def station_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """Today's diary plus the panels other apps contribute through ``AppConfig.dashboard_panels``."""
    station = station_get_for_user(request.user, code=code)
    panels = []
    for config in apps.get_app_configs():
        hook = getattr(config, "dashboard_panels", None)
        if hook is not None:
            panels.extend(hook(request, station))
    today = timezone.localdate()
    return render(
        request,
        "stations/dashboard.html",
        {
            "station": station,
            "diary": list(diary_for_day(station, today)),
            "today": today,
            "panels": panels,
            "actions": station_actions(request, station),
        },
    )


@role_required(Role.SHO, Role.DISTRICT_OFFICER)
@using_replica
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, when and from where, at the stations of the user's jurisdiction (everything for admins)."""
    return audit_log_page(
        request,
        audit_events_for_user(request.user),
        title=_("Audit log"),
        intro=_("Every change and every view of a sensitive record at your stations. Entries cannot be edited."),
    )
