from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp.decorators import role_required
from casp.roles import Role, has_role
from casp.views import audit_log_page
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
    station_is_posted,
    stations_for_user,
)
from stations.services import register_entry_add, register_entry_correct, register_entry_void


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page: their postings, unless an app claims the user.

    An app that owns a kind of user (hoteleye's hotel staff) declares
    ``AppConfig.home_for(user) -> url | None``; the first url given wins, so
    this app never needs to know the higher apps.
    """
    for config in apps.get_app_configs():
        hook = getattr(config, "home_for", None)
        url = hook(request.user) if hook is not None else None
        if url:
            return redirect(url)
    return render(request, "casp/home.html", {"postings": postings_active_for_user(request.user)})


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


def _station_writable(request: HttpRequest, station: PoliceStation) -> None:
    """Refuse writes by readers posted elsewhere (a district officer reads, the station's staff write)."""
    if not (request.user.is_superuser or station_is_posted(request.user, station)):
        raise PermissionDenied


@role_required(*REGISTER_READERS)
def register_catalogue(request: HttpRequest, code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    return render(
        request,
        "stations/registers/catalogue.html",
        {"station": station, "registers": REGISTERS, "show_sources": has_role(request.user, Role.SYSTEM_ADMIN)},
    )


@role_required(*REGISTER_READERS)
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
            "rows": [(e, [e.display_data.get(c.name, "") for c in register.columns]) for e in entries[:PAGE_SIZE]],
            "next_cursor": next_cursor,
            "query": params.urlencode(),
        },
    )


def _cursor(value: str | None) -> tuple[int, int] | None:
    try:
        year, number = (value or "").split("-")
        return int(year), int(number)
    except ValueError:
        return None


@role_required(*REGISTER_WRITERS)
def register_add(request: HttpRequest, code: str, register_code: str) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    _station_writable(request, station)
    form = RegisterEntryForm(request.POST or None, register=register)
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
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Entry %(number)s/%(year)s added.") % {"number": entry.number, "year": entry.year}
            )
            return redirect("stations:register_list", code=station.code, register_code=register.code)
    return render(request, "stations/registers/form.html", {"station": station, "register": register, "form": form})


def _errors_to_form(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    for field, errors in exc.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


@role_required(*REGISTER_READERS)
def register_entry_detail(request: HttpRequest, code: str, register_code: str, pk: int) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    versions = [(v, [(c.label, v.data.get(c.name, "")) for c in register.columns]) for v in entry.versions.all()]
    template = "stations/registers/print.html" if request.GET.get("print") else "stations/registers/detail.html"
    return render(
        request,
        template,
        {
            "station": station,
            "register": register,
            "entry": entry,
            "current": [(c.label, entry.display_data.get(c.name, "")) for c in register.columns],
            "versions": versions,
            "can_void": has_role(request.user, Role.SHO, Role.SYSTEM_ADMIN) and not entry.is_void,
            "void_form": VoidForm(),
        },
    )


@role_required(*REGISTER_WRITERS)
def register_entry_correct_view(request: HttpRequest, code: str, register_code: str, pk: int) -> HttpResponse:
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    _station_writable(request, station)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    form = RegisterCorrectionForm(request.POST or None, register=register, initial=entry.data)
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
            _errors_to_form(form, exc, rename={"reason": "correction_reason"})
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
    station = station_get_for_user(request.user, code=code)
    register = _register_or_404(register_code)
    _station_writable(request, station)
    entry = register_entry_get_for_user(request.user, station=station, register=register.code, pk=pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            register_entry_void(entry=entry, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Entry voided; it stays listed."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
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
        {"station": station, "diary": list(diary_for_day(station, today)), "today": today, "panels": panels},
    )


@role_required(Role.SHO, Role.DISTRICT_OFFICER)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, when and from where, at the stations of the user's jurisdiction (everything for admins)."""
    return audit_log_page(
        request,
        audit_events_for_user(request.user),
        title=_("Audit log"),
        intro=_("Every change and every view of a sensitive record at your stations. Entries cannot be edited."),
    )
