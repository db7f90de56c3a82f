"""Pages of registrations: the public intake (form, CSV batch) and the station's list, detail and end."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp import audit
from casp.decorators import role_required
from casp.forms import errors_to_form, validation_error_to_messages
from casp.roles import POLICE_ROLES
from casp.throttle import ip_limited
from registrations import selectors, services
from registrations.forms import CsvUploadForm, EndForm, OccupantFormSet, PersonForm, RegistrationForm, SearchForm
from registrations.models import Kind

SESSION_FILED = "registrations_filed"


def _limited(request: HttpRequest) -> bool:
    return ip_limited(request, group="registrations.file.ip", rate=getattr(settings, "REGISTRATIONS_RATE_IP", "20/h"))


# --- public intake (no login) -------------------------------------------------------------------------------------
def start(request: HttpRequest) -> HttpResponse:
    """Offer the four kinds of registration and the CSV batch."""
    return render(request, "registrations/start.html", {"kinds": Kind.choices})


def new(request: HttpRequest, kind: str) -> HttpResponse:
    """Register a tenant (with adult occupants), servant, employee or foreigner. Limited per IP; honeypot."""
    if kind not in Kind.values:
        raise Http404
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = RegistrationForm(post, kind=kind)
    person = PersonForm(post, files, kind=kind, prefix="person")
    occupants = (
        OccupantFormSet(post, files, prefix="occupant", form_kwargs={"kind": kind}) if kind == Kind.TENANT else None
    )
    refused = False
    if request.method == "POST":
        if _limited(request):
            return render(request, "registrations/limited.html", status=429)
        if form.is_honeypot_filled:
            return render(request, "registrations/refused.html", status=400)
        refused = True
        valid = [form.is_valid(), person.is_valid(), occupants is None or occupants.is_valid()]
        if all(valid):
            extra = [f.cleaned_data for f in (occupants or []) if f.has_changed()]
            people = [services.person_data(person.cleaned_data), *map(services.person_data, extra)]
            try:
                registration = services.registration_file(
                    data=services.registration_data(kind, form.cleaned_data, people)
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                request.session[SESSION_FILED] = registration.pk
                return redirect("registrations:filed")
    context = {"form": form, "person": person, "occupants": occupants, "kind": kind, "kind_label": Kind(kind).label}
    # A POST that reaches here was refused: something is wrong with it and nothing was saved.
    return render(request, "registrations/new.html", context, status=400 if refused else 200)


def filed(request: HttpRequest) -> HttpResponse:
    """Show the tracking number once, right after filing; the same page whatever the matching finds."""
    registration = selectors.registration_for_registrant(request.session.pop(SESSION_FILED, None))
    if registration is None:
        return redirect("registrations:start")
    return render(request, "registrations/filed.html", {"registration": registration})


def batch(request: HttpRequest) -> HttpResponse:
    """Register many people from a CSV file (estate agents, employers); report every row."""
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    reports = None
    if request.method == "POST":
        if _limited(request):
            return render(request, "registrations/limited.html", status=429)
        if form.is_honeypot_filled:
            return render(request, "registrations/refused.html", status=400)
        if form.is_valid():
            registrant = {k: form.data[k] for k in ("registrant_name", "registrant_cnic", "registrant_phone")}
            try:
                reports = services.registrations_import_csv(
                    kind=form.cleaned_data["kind"], registrant=registrant, text=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                form.add_error("file", exc)
    context = {"form": form, "reports": reports, "columns": services.CSV_COLUMNS}
    return render(request, "registrations/batch.html", context, status=400 if form.errors else 200)


# --- the station --------------------------------------------------------------------------------------------------
@role_required(*POLICE_ROLES)
def registration_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.registrations_search(
        request.user, q=data.get("q", ""), kind=data.get("kind", ""), active_only=data.get("active", False)
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    if data.get("q"):
        audit.record_read(actor=request.user, action="registrations.searched", request=request, data={"q": data["q"]})
    return render(request, "registrations/list.html", {"form": form, "page": page})


@role_required(*POLICE_ROLES)
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get_for_user(request.user, pk)
    audit.record_read(
        actor=request.user, action="registrations.viewed", target=registration, request=request,
        station_id=registration.station_id,
    )  # fmt: skip
    return render(request, "registrations/detail.html", {"registration": registration, "end_form": EndForm()})


@role_required(*POLICE_ROLES)
@require_POST
def registration_end(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get_for_user(request.user, pk)
    form = EndForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.registration_end(registration=registration, acting_user=request.user, note=note)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The registration has ended; it stays on record."))
    return redirect("registrations:detail", pk=registration.pk)
