"""Views of the Khidmat Markaz: thin (parse -> selector/service -> render)."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from casp import audit
from casp.decorators import role_required
from casp.files import private_file_read
from casp.forms import form_errors_to_messages, validation_error_to_messages
from casp.http import client_ip
from casp.roles import Role
from fir.pdf import fir_copy_pdf
from khidmat import selectors
from khidmat.forms import (
    ApplicationForm,
    CallNextForm,
    DayForm,
    DecisionForm,
    ReviewForm,
    RevokeForm,
    TokenForm,
    TrackForm,
    VerificationForm,
)
from khidmat.models import Application, Output, Status
from khidmat.pdf import certificate_pdf, receipt_pdf
from khidmat.services import (
    application_create,
    application_decide,
    application_findings,
    certificate_revoke,
    cro_check_review,
    token_call_next,
    token_take,
    verification_complete,
)

CENTRE_ROLES = (Role.KHIDMAT_STAFF, Role.KHIDMAT_INCHARGE, Role.DISTRICT_OFFICER)
COUNTER_ROLES = (Role.KHIDMAT_STAFF, Role.KHIDMAT_INCHARGE)
STATION_ROLES = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER)
SESSION_TRACKED = "khidmat_tracked"
LANGS = ("en", "ur")


def _errors_to_form(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)  # type: ignore[attr-defined]
    else:
        form.add_error(None, exc)  # type: ignore[attr-defined]


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- centre: counter, tokens, applications ---------------------------------------------------


@role_required(*CENTRE_ROLES)
def centre_list(request: HttpRequest) -> HttpResponse:
    centres = list(selectors.centres_for_user(request.user).select_related("district"))
    if len(centres) == 1:
        return redirect("khidmat:counter", code=centres[0].code)
    return render(request, "khidmat/centre_list.html", {"centres": centres})


@role_required(*CENTRE_ROLES)
def counter(request: HttpRequest, code: str) -> HttpResponse:
    """The counter screen: take a token for a citizen, call the next token (htmx), start the application."""
    centre = selectors.centre_get_for_user(request.user, code=code)
    return render(
        request,
        "khidmat/counter.html",
        {"centre": centre, "token_form": TokenForm(), "call_form": CallNextForm(initial={"counter": 1}),
         **_queue(centre)},
    )  # fmt: skip


def _queue(centre: object) -> dict:
    return {
        "centre": centre,
        "waiting": list(selectors.tokens_waiting(centre)),  # type: ignore[arg-type]
        "serving": list(selectors.tokens_serving(centre)),  # type: ignore[arg-type]
    }


@require_POST
@role_required(*COUNTER_ROLES)
def token_take_view(request: HttpRequest, code: str) -> HttpResponse:
    centre = selectors.centre_get_for_user(request.user, code=code)
    form = TokenForm(request.POST)
    token = None
    if form.is_valid():
        try:
            token = token_take(centre=centre, service=form.cleaned_data["service"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
    template = "khidmat/_queue.html" if request.headers.get("HX-Request") else "khidmat/counter.html"
    context = {"centre": centre, "token_form": form, "call_form": CallNextForm(initial={"counter": 1}),
               "taken": token, **_queue(centre)}  # fmt: skip
    return render(request, template, context)


@require_POST
@role_required(*COUNTER_ROLES)
def token_call_view(request: HttpRequest, code: str) -> HttpResponse:
    centre = selectors.centre_get_for_user(request.user, code=code)
    form = CallNextForm(request.POST)
    called = None
    nobody = False
    if form.is_valid():
        try:
            called = token_call_next(
                centre=centre, counter_number=form.cleaned_data["counter"], acting_user=request.user
            )
            nobody = called is None
        except ValidationError as exc:
            _errors_to_form(form, exc)
    template = "khidmat/_queue.html" if request.headers.get("HX-Request") else "khidmat/counter.html"
    context = {"centre": centre, "token_form": TokenForm(), "call_form": form, "called": called, "nobody": nobody,
               **_queue(centre)}  # fmt: skip
    return render(request, template, context)


@role_required(*COUNTER_ROLES)
def application_new(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    centre = selectors.centre_get_for_user(request.user, code=code)
    service = selectors.service_get_active(code=service_code)
    token = None
    token_id = request.POST.get("token") or request.GET.get("token")
    if token_id:
        if not str(token_id).isdigit():
            raise Http404("No such token.")
        token = selectors.token_get_for_user(request.user, pk=int(token_id))
        if token.centre_id != centre.pk:
            raise Http404("No such token.")
    form = ApplicationForm(request.POST or None, request.FILES or None, service=service, token=token)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(centre=centre, acting_user=request.user, data=form.to_data())
        except ValidationError as exc:
            form.service_errors_add(exc)
        else:
            messages.success(
                request,
                _("Application received. Tracking number %(number)s.") % {"number": application.tracking_number},
            )
            return redirect("khidmat:detail", pk=application.pk)
    return render(request, "khidmat/application_form.html", {"centre": centre, "service": service, "form": form,
                                                              "token": token})  # fmt: skip


@role_required(*CENTRE_ROLES)
def application_list(request: HttpRequest, code: str) -> HttpResponse:
    from django.core.paginator import Paginator

    centre = selectors.centre_get_for_user(request.user, code=code)
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        status = ""
    page = Paginator(selectors.applications_list(request.user, centre=centre, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "khidmat/application_list.html",
                  {"centre": centre, "page": page, "status": status, "statuses": Status.choices})  # fmt: skip


@role_required(*CENTRE_ROLES)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk=pk)
    is_incharge = selectors.user_is_incharge(request.user, application.centre)
    certificate = getattr(application, "certificate", None)
    return render(
        request,
        "khidmat/application_detail.html",
        {
            "a": application,
            "is_incharge": is_incharge,
            "certificate": certificate,
            # The in-charge decides on what the checks found; the counter clerk's page reads the same with and
            # without a finding (a stolen vehicle is "referred to the police", never "found stolen").
            "findings": application_findings(application) if is_incharge else [],
            "decision_form": DecisionForm(),
            "revoke_form": RevokeForm(),
        },
    )


@require_POST
@role_required(Role.KHIDMAT_INCHARGE)
def application_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk=pk)
    if not selectors.user_is_incharge(request.user, application.centre):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            application_decide(
                application=application, acting_user=request.user,
                issue=form.cleaned_data["decision"] == "issue", reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        form_errors_to_messages(request, form)
    return redirect("khidmat:detail", pk=pk)


@require_POST
@role_required(Role.KHIDMAT_INCHARGE)
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk=pk)
    certificate = getattr(application, "certificate", None)
    if certificate is None or not selectors.user_is_incharge(request.user, application.centre):
        raise Http404("No certificate.")
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the reason for revoking the certificate."))
        certificate_revoke(certificate=certificate, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("khidmat:detail", pk=pk)


def _document_pdf(request: HttpRequest, application: Application, kind: str, lang: str) -> HttpResponse:
    """Return the receipt, the certificate/report or the FIR copy of ``application`` in ``lang``."""
    if lang not in LANGS or kind not in ("receipt", "document"):
        raise Http404("No such document.")
    if kind == "receipt":
        return _pdf(
            receipt_pdf(application, lang=lang, request=request), f"receipt-{application.tracking_number}-{lang}.pdf"
        )
    if application.status != Status.ISSUED:
        raise Http404("Not issued.")
    if application.service.output == Output.FIR_COPY and application.fir is not None:
        # The FIR app's own copy. The complainant's CNIC was matched when the application was taken;
        # the centre need not be in the FIR station's jurisdiction.
        fir = application.fir
        audit.record(actor=request.user, action="fir.copy_printed", target=fir, request=request,
                     data={"lang": lang, "khidmat_application": application.pk})  # fmt: skip
        return _pdf(fir_copy_pdf(fir, lang=lang, request=request), f"FIR-{fir.number}-{fir.year}-{lang}.pdf")
    certificate = getattr(application, "certificate", None)
    if certificate is None:
        raise Http404("No certificate.")
    return _pdf(certificate_pdf(certificate, lang=lang, request=request), f"{certificate.serial}-{lang}.pdf")


@role_required(*CENTRE_ROLES)
def application_pdf(request: HttpRequest, pk: int, kind: str, lang: str) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk=pk)
    response = _document_pdf(request, application, kind, lang)
    audit.record_read(actor=request.user, action=f"khidmat.{kind}_printed", target=application, request=request)
    return response


@role_required(*CENTRE_ROLES)
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    centre = selectors.centre_get_for_user(request.user, code=code)
    day = _day(request)
    return render(request, "khidmat/dashboard.html",
                  {"centre": centre, "day": day, "d": selectors.centre_dashboard(centre, day)})  # fmt: skip


def _day(request: HttpRequest) -> datetime.date:
    """The day asked for (casp.dates.SEARCH); a day refused is said, naming the field, and today is shown."""
    form = DayForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return timezone.localdate()
    return form.cleaned_data["day"] or timezone.localdate()


@role_required(*CENTRE_ROLES)
def fees_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The day's receipts for the cash reconciliation, one row per receipt, then totals per service."""
    centre = selectors.centre_get_for_user(request.user, code=code)
    day = _day(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fees-{centre.code}-{day.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(["receipt", "paid_at", "service", "tracking_number", "fee"])
    for a in selectors.fee_receipts(centre, day):
        writer.writerow([a.receipt_number, timezone.localtime(a.paid_at).isoformat(timespec="seconds"),
                         a.service.code, a.tracking_number, a.fee])  # fmt: skip
    writer.writerow([])
    writer.writerow(["service", "count", "total"])
    for row in selectors.fees_by_service(centre, day):
        writer.writerow([row["service__code"], row["count"], row["total"]])
    audit.record_read(actor=request.user, action="khidmat.fees_exported", data={"centre": centre.code, "day": str(day)})
    return response


# --- stations: verification tasks; CRO: reviews --------------------------------------------------


@role_required(*STATION_ROLES)
def verification_inbox(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "open")
    tasks = selectors.verification_inbox(request.user, box=box)[:200]
    return render(request, "khidmat/verification_inbox.html", {"tasks": tasks, "box": box})


@role_required(*STATION_ROLES)
def verification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.verification_get_for_user(request.user, pk=pk)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification_complete(task=task, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Verification recorded."))
            return redirect("khidmat:verifications")
    audit.record_read(actor=request.user, action="khidmat.verification_viewed", target=task, request=request)
    return render(request, "khidmat/verification_detail.html", {"task": task, "a": task.application, "form": form})


@role_required(*CENTRE_ROLES, Role.CRO_OFFICER)
def application_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Serve the applicant's counter photo to the centre's staff or to the CRO officer reviewing it (logged)."""
    application = selectors.applications_for_user(request.user).filter(pk=pk).first()
    if application is None:
        check = selectors.cro_checks_for_user(request.user).select_related("application").filter(
            application_id=pk
        ).first()  # fmt: skip
        application = check.application if check is not None else None
    if application is None or not application.photo:
        raise Http404("No photo.")
    return private_file_read(request, application.photo, action="khidmat.photo_viewed", target=application)


@role_required(Role.CRO_OFFICER)
def cro_review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "khidmat/cro_review_list.html", {"checks": selectors.cro_review_queue(request.user)[:200]})


@role_required(Role.CRO_OFFICER)
def cro_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.cro_check_get_for_user(request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cro_check_review(check=check, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("khidmat:cro_reviews")
    audit.record_read(actor=request.user, action="khidmat.cro_check_viewed", target=check.application, request=request)
    return render(request, "khidmat/cro_review_detail.html", {"check": check, "a": check.application, "form": form})


# --- public: tracking, the citizen's documents, QR verification -----------------------------------


def _tracking_limited(request: HttpRequest) -> bool:
    from django.conf import settings

    return is_ratelimited(
        request, group="khidmat.track.ip", key=lambda _g, r: client_ip(r) or "unknown",
        rate=getattr(settings, "KHIDMAT_RATE_TRACK_IP", "30/h"), method="POST", increment=True,
    )  # fmt: skip


def track(request: HttpRequest) -> HttpResponse:
    """Look an application up by tracking number and phone; wrong pairs look exactly like unknown numbers."""
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if _tracking_limited(request):
            return render(request, "complaints/limited.html", status=429)
        if form.is_valid():
            application = selectors.application_lookup(
                tracking_number=form.cleaned_data["tracking_number"], phone=form.cleaned_data["phone"]
            )
            if application is not None:
                request.session[SESSION_TRACKED] = application.pk
                return redirect("khidmat:status")
            form.add_error(None, _("No application matches this tracking number and mobile number."))
    return render(request, "khidmat/track.html", {"form": form})


def _tracked(request: HttpRequest) -> Application | None:
    pk = request.session.get(SESSION_TRACKED)
    if not pk:
        return None
    return selectors.application_tracked(pk=pk)


def status(request: HttpRequest) -> HttpResponse:
    application = _tracked(request)
    if application is None:
        return redirect("khidmat:track")
    received = {d.document_id for d in application.documents.all()}
    missing = [d for d in application.service.documents.all() if d.is_required and d.pk not in received]
    pending = [t for t in application.verifications.all() if not t.is_done]
    return render(request, "khidmat/status.html",
                  {"a": application, "missing": missing, "pending_verifications": len(pending),
                   "certificate": getattr(application, "certificate", None)})  # fmt: skip


def status_pdf(request: HttpRequest, kind: str, lang: str) -> HttpResponse:
    application = _tracked(request)
    if application is None:
        raise Http404("Look the application up first.")
    return _document_pdf(request, application, kind, lang)


def verify(request: HttpRequest, key: str) -> HttpResponse:
    """Public QR page: serial, name, issue date, validity and valid/revoked; nothing else."""
    certificate = selectors.certificate_by_key(key)
    return render(request, "khidmat/verify.html",
                  {"c": certificate, "valid": certificate.is_valid_on(timezone.localdate())})  # fmt: skip
