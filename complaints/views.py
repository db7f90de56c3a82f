"""Views: the public portal (no login) and the officers' inbox and workflow."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp.bidi import ltr_text
from casp.decorators import role_required
from casp.files import private_file_read
from casp.forms import errors_to_form
from casp.replica import using_replica
from complaints.forms import (
    AssignForm,
    ComplaintForm,
    FeedbackForm,
    InboxFilterForm,
    InfoForm,
    NoteForm,
    ReopenForm,
    StatusForm,
    TrackForm,
)
from complaints.models import OPEN_STATUSES, Complaint, Status
from complaints.selectors import (
    BOXES,
    COMPLAINT_ROLES,
    InboxFilter,
    complaint_for_citizen,
    complaint_get_for_user,
    complaint_lookup,
    complaint_public_timeline,
    complaint_similar_recent,
    complaint_timeline,
    complaints_inbox,
    complaints_status_counts,
    officers_for_complaint,
    user_is_district_officer,
)
from complaints.services import (
    TRANSITIONS,
    ComplaintData,
    complaint_assign,
    complaint_feedback_give,
    complaint_file,
    complaint_fir_register,
    complaint_info_add,
    complaint_note_add,
    complaint_reopen,
    complaint_transition,
)
from complaints.throttle import filing_counted, filing_limited, info_limited, tracking_limited
from fir.forms import FirRegistration, register_context
from fir.selectors import investigating_officers
from stations.models import PoliceStation
from stations.selectors import station_get_for_user, stations_for_user

SESSION_FILED = "complaints_filed"
SESSION_TRACKED = "complaints_tracked"

# --- Public portal ---


def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint (no login). Limited per IP and mobile number; a honeypot stops simple robots."""
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if filing_limited(request):
            return render(request, "complaints/limited.html", status=429)
        if form.is_honeypot_filled:
            return render(request, "complaints/refused.html", status=400)
        if form.is_valid():
            data = form.cleaned_data
            similar = complaint_similar_recent(phone=data["phone"], cnic=data["cnic"], category=data["category"])
            if similar is not None and not data["confirm_new"]:
                # Says nothing of the earlier complaint (not its kind, not its date): whoever typed someone
                # else's number and CNIC learns nothing that the tracking number would not tell them.
                form.add_error(
                    "confirm_new",
                    _(
                        "If you have already filed a complaint about this matter, follow it with its tracking "
                        "number instead. If this is a new matter, tick this box and send the form again."
                    ),
                )
            else:
                try:
                    complaint = complaint_file(data=_complaint_data(data), request=request)
                except ValidationError as exc:
                    errors_to_form(form, exc)
                else:
                    filing_counted(request, complaint.phone)
                    request.session[SESSION_FILED] = complaint.pk
                    request.session[SESSION_TRACKED] = complaint.pk
                    return redirect("complaints:filed")
    return render(request, "complaints/new.html", {"form": form}, status=400 if form.errors else 200)


def _complaint_data(data: dict) -> ComplaintData:
    return ComplaintData(
        name=data["name"].strip(),
        cnic=data["cnic"],
        phone=data["phone"],
        email=data["email"],
        address=data["address"].strip(),
        station=data["station"],
        category=data["category"],
        incident_place=data["incident_place"].strip(),
        incident_at=data["incident_at"],
        description=data["description"].strip(),
        name_withheld=data["name_withheld"],
        files=data["attachments"],
    )


def complaint_filed(request: HttpRequest) -> HttpResponse:
    """Show the tracking number once, right after filing."""
    pk = request.session.pop(SESSION_FILED, None)
    complaint = complaint_for_citizen(pk) if pk else None
    if complaint is None:
        return redirect("complaints:new")
    return render(request, "complaints/filed.html", {"complaint": complaint})


def complaint_track(request: HttpRequest) -> HttpResponse:
    """Look a complaint up by tracking number and phone or CNIC; wrong pairs look exactly like unknown numbers."""
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if tracking_limited(request):
            return render(request, "complaints/limited.html", status=429)
        if form.is_valid():
            complaint = complaint_lookup(
                tracking_number=form.cleaned_data["tracking_number"],
                phone_or_cnic=form.cleaned_data["phone_or_cnic"],
            )
            if complaint is not None:
                request.session[SESSION_TRACKED] = complaint.pk
                return redirect("complaints:status")
            form.add_error(None, _("No complaint matches this tracking number and mobile number or CNIC."))
    return render(request, "complaints/track.html", {"form": form})


def _tracked(request: HttpRequest) -> Complaint | None:
    pk = request.session.get(SESSION_TRACKED)
    if not pk:
        return None
    return complaint_for_citizen(pk)


def complaint_status(request: HttpRequest) -> HttpResponse:
    """The citizen's view of the complaint they looked up: status, office, expected date, public timeline."""
    complaint = _tracked(request)
    if complaint is None:
        return redirect("complaints:track")
    return render(request, "complaints/status.html", _status_context(complaint))


def _status_context(complaint: Complaint, **forms: object) -> dict:
    decided = complaint.status in (Status.RESOLVED, Status.REJECTED, Status.CLOSED)
    return {
        "complaint": complaint,
        "timeline": complaint_public_timeline(complaint),
        "info_form": forms.get("info_form") or (InfoForm() if complaint.is_open else None),
        "feedback_form": forms.get("feedback_form") or (FeedbackForm() if decided else None),
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if decided and complaint.decided_at else None),
    }


def _citizen_action(request: HttpRequest, form_class: type, form_key: str, action: object, done: str) -> HttpResponse:
    complaint = _tracked(request)
    if complaint is None:
        return redirect("complaints:track")
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(complaint, form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("complaints:status")
    return render(request, "complaints/status.html", _status_context(complaint, **{form_key: form}), status=400)


@require_POST
def complaint_add_info(request: HttpRequest) -> HttpResponse:
    """Add the citizen's text and files to the tracked complaint; limited per IP and per complaint."""
    complaint_id = request.session.get(SESSION_TRACKED)
    if complaint_id and info_limited(request, complaint_id):
        return render(request, "complaints/limited.html", status=429)
    return _citizen_action(
        request,
        InfoForm,
        "info_form",
        lambda c, d: complaint_info_add(complaint=c, text=d["text"], files=d["attachments"], request=request),
        _("Your information was added to the complaint."),
    )


@require_POST
def complaint_feedback(request: HttpRequest) -> HttpResponse:
    return _citizen_action(
        request,
        FeedbackForm,
        "feedback_form",
        lambda c, d: complaint_feedback_give(
            complaint=c, satisfied=d["satisfied"], comment=d["comment"], request=request
        ),
        _("Thank you for your feedback."),
    )


@require_POST
def complaint_reopen_request(request: HttpRequest) -> HttpResponse:
    return _citizen_action(
        request,
        ReopenForm,
        "reopen_form",
        lambda c, d: complaint_reopen(complaint=c, reason=d["reason"], request=request),
        _("Your complaint was reopened and is under enquiry again."),
    )


# --- Officers ---


@role_required(*COMPLAINT_ROLES)
@using_replica
def complaint_inbox(request: HttpRequest) -> HttpResponse:
    """Inbox, my assigned, overdue and resolved boxes with filters and counts per status; overdue first."""
    box = request.GET.get("box", "inbox")
    if box not in BOXES:
        box = "inbox"
    stations = stations_for_user(request.user).order_by("name")
    form = InboxFilterForm(request.GET or None, stations=stations)
    flt = InboxFilter(box=box)
    if form.is_valid():
        d = form.cleaned_data
        flt = InboxFilter(
            box=box,
            category_id=d["category"].pk if d["category"] else None,
            status=d["status"],
            station_id=d["station"].pk if d["station"] else None,
            district_office=d["district_office"],
            filed_from=d["filed_from"],
            filed_to=d["filed_to"],
        )
    page = Paginator(complaints_inbox(request.user, flt), 50).get_page(request.GET.get("page"))
    counts = complaints_status_counts(request.user, flt)
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    return render(
        request,
        "complaints/inbox.html",
        {
            "page": page,
            "form": form,
            "box": box,
            "boxes": _box_links(request, box),
            "counts": [(Status(s).label, n) for s, n in counts.items()],
            "query": query,
        },
    )


def _box_links(request: HttpRequest, current: str) -> list[dict]:
    labels = {"inbox": _("Inbox"), "mine": _("My assigned"), "overdue": _("Overdue"), "resolved": _("Resolved")}
    rest = [(k, v) for k, v in request.GET.items() if k not in ("box", "page") and v]
    return [
        {"key": k, "label": labels[k], "query": urlencode([("box", k), *rest]), "active": k == current} for k in BOXES
    ]


@role_required(*COMPLAINT_ROLES)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_get_for_user(request.user, pk=pk)
    return render(request, "complaints/detail.html", _detail_context(complaint))


def _detail_context(complaint: Complaint, **forms: object) -> dict:
    allowed = TRANSITIONS.get(complaint.status, ())
    return {
        "complaint": complaint,
        "timeline": complaint_timeline(complaint),
        "attachments": complaint.attachments.all(),
        "assign_form": forms.get("assign_form")
        or (AssignForm(officers=officers_for_complaint(complaint)) if complaint.status in OPEN_STATUSES else None),
        "status_form": forms.get("status_form") or (StatusForm(allowed=allowed) if allowed else None),
        "note_form": forms.get("note_form") or NoteForm(),
    }


def _officer_action(
    request: HttpRequest, pk: int, form_key: str, make_form: object, action: object, done: str
) -> HttpResponse:
    complaint = complaint_get_for_user(request.user, pk=pk)
    form = make_form(complaint)
    if form.is_valid():
        try:
            action(complaint, form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("complaints:detail", pk=complaint.pk)
    return render(request, "complaints/detail.html", _detail_context(complaint, **{form_key: form}), status=400)


@require_POST
@role_required(*COMPLAINT_ROLES)
def complaint_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(
        request,
        pk,
        "assign_form",
        lambda c: AssignForm(request.POST, officers=officers_for_complaint(c)),
        lambda c, d: complaint_assign(
            complaint=c,
            assignee=d["assignee"],
            acting_user=request.user,
            public_note=d["public_note"],
            internal_note=d["internal_note"],
        ),
        _("The complaint was assigned."),
    )


@require_POST
@role_required(*COMPLAINT_ROLES)
def complaint_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(
        request,
        pk,
        "status_form",
        lambda c: StatusForm(request.POST, allowed=TRANSITIONS.get(c.status, ())),
        lambda c, d: complaint_transition(
            complaint=c,
            to_status=d["to_status"],
            acting_user=request.user,
            public_note=d["public_note"],
            internal_note=d["internal_note"],
            outcome=d["outcome"],
        ),
        _("The status was changed."),
    )


@require_POST
@role_required(*COMPLAINT_ROLES)
def complaint_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(
        request,
        pk,
        "note_form",
        lambda c: NoteForm(request.POST),
        lambda c, d: complaint_note_add(
            complaint=c, acting_user=request.user, public_note=d["public_note"], internal_note=d["internal_note"]
        ),
        _("The note was added."),
    )


def _fir_station(request: HttpRequest, complaint: Complaint) -> PoliceStation:
    """Return the station the FIR is registered at, if this user may register it there; else 404.

    The handling station, or for a police-conduct complaint the station named
    in it, registered by the district officer (never by that station's staff,
    who cannot see the complaint).
    """
    by_district = complaint.handled_by_district and user_is_district_officer(request.user)
    return station_get_for_user(
        request.user, code=(complaint.handling_station or complaint.station).code, write=not by_district
    )


@role_required(*COMPLAINT_ROLES)
def complaint_register_fir(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an FIR from this complaint: the FIR app's form, prefilled from the complaint; links the FIR."""
    complaint = complaint_get_for_user(request.user, pk=pk)
    if complaint.status not in OPEN_STATUSES:
        messages.error(request, _("Only an open complaint can become an FIR."))
        return redirect("complaints:detail", pk=complaint.pk)
    station = _fir_station(request, complaint)
    officers = investigating_officers(station)
    if request.method == "POST":
        registration = FirRegistration(request.POST, officers=officers)
        if registration.is_valid():
            try:
                fir = complaint_fir_register(
                    complaint=complaint, station=station, acting_user=request.user, data=registration.data()
                )
            except ValidationError as exc:
                registration.add_errors(getattr(exc, "message_dict", None) or {"__all__": exc.messages})
            else:
                messages.success(
                    request,
                    _("%(fir)s registered from complaint %(number)s.")
                    % {"fir": ltr_text(fir), "number": ltr_text(complaint.tracking_number)},
                )
                return redirect(fir.get_absolute_url())
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        registration = FirRegistration(officers=officers, initial=_fir_prefill(complaint, now))
    more_rows = request.method == "POST" and registration.more_rows
    return render(
        request,
        "fir/register.html",
        register_context(station, registration),
        status=400 if request.method == "POST" and not more_rows else 200,
    )


def _fir_prefill(complaint: Complaint, now: object) -> dict:
    return {
        "submission_key": uuid.uuid4(),
        "reported_at": now,
        "occurred_from": timezone.localtime(complaint.incident_at).replace(second=0, microsecond=0),
        "place": complaint.incident_place,
        "complainant_name": complaint.name,
        "complainant_cnic": complaint.cnic,
        "complainant_address": complaint.address,
        "complainant_phone": complaint.phone,
        "facts": complaint.description,
    }


@role_required(*COMPLAINT_ROLES)
def complaint_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Serve an attachment to an officer who may see the complaint; the download is audited."""
    complaint = complaint_get_for_user(request.user, pk=pk)
    attachment = complaint.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return private_file_read(
        request,
        attachment.path,
        action="complaint.attachment_viewed",
        target=complaint,
        data={"attachment": attachment.pk},
        download=attachment.kind == "pdf",
    )
