"""CRO pages: thin views over cro.selectors, cro.services, cro.matching and cro.faces.

Every record view, search (with its terms) and photo or fingerprint fetch is
written to the audit log with user, time and IP (casp.audit.record_read).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casp import audit
from casp.decorators import role_required
from casp.files import private_file_read
from casp.forms import errors_to_form, form_errors_to_messages, validation_error_to_messages
from casp.replica import using_replica
from casp.uploads import process_image
from casp.views import audit_log_page
from cro import faces, matching, selectors, services
from cro.forms import FaceSearchForm, FingerprintForm, MergeForm, PhotoForm, RecordForm, SearchForm
from cro.models import CriminalRecord

view_required = role_required(*selectors.VIEW_ROLES)
edit_required = role_required(*selectors.EDIT_ROLES)
RESULT_LIMIT = 20


@view_required
@using_replica
def record_search(request: HttpRequest) -> HttpResponse:
    """Search by CNIC or name; without a query, list the latest records (both logged by the service)."""
    form = SearchForm(request.GET or None)
    results: list[services.SearchHit] = []
    page = None
    if form.is_bound and form.is_valid():
        try:
            results = services.records_search(
                acting_user=request.user,
                query=form.cleaned_data["q"],
                father_name=form.cleaned_data["father_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                limit=RESULT_LIMIT,
                request=request,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    elif not form.is_bound:
        page = services.records_latest_read(
            acting_user=request.user, page_number=request.GET.get("page"), request=request
        )
    return render(
        request,
        "cro/search.html",
        {"form": form, "results": results, "page": page, "can_edit": selectors.can_edit_records(request.user)},
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for_user(request.user, pk=pk)
    audit.record_read(actor=request.user, action="cro.record_viewed", target=record, request=request)
    if record.merged_into_id:
        messages.info(request, _("This record was merged into record %(pk)s.") % {"pk": record.merged_into_id})
    can_edit = selectors.can_edit_records(request.user)
    context = {
        "record": record,
        "aliases": list(record.aliases.all()),
        "photos": list(record.photos.select_related("encoding").order_by("kind", "-uploaded_at")),
        "fingerprints": list(record.fingerprint_cards.all()),
        "merged_records": list(record.merged_records.only("pk", "name", "cnic")),
        "history": selectors.record_history(record=record),
        "access_log": selectors.record_access_log(request.user, record=record),
        "can_edit": can_edit,
        "photo_form": PhotoForm() if can_edit else None,
        "fingerprint_form": FingerprintForm() if can_edit else None,
        "merge_form": MergeForm() if can_edit else None,
    }
    return render(request, "cro/detail.html", context)


@edit_required
def record_create(request: HttpRequest) -> HttpResponse:
    """Create a record; an existing CNIC leads to its record, similar names are shown first as possible duplicates."""
    form = RecordForm(request.POST or None)
    duplicates: list[tuple[CriminalRecord, float, list[str]]] = []
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        if data.get("cnic"):
            existing = matching.match_cnic(data["cnic"])
            if existing is not None:
                messages.warning(request, _("A record with this CNIC already exists; here it is."))
                return redirect(existing)
        if not form.cleaned_data.get("confirm_new"):
            found = [
                m
                for m in matching.match_names(
                    name=data["name"], father_name=data.get("father_name", ""), date_of_birth=data.get("date_of_birth")
                )
                if m.score >= 80
            ]
            by_id = selectors.records_by_ids_for_user(request.user, [m.record_id for m in found])
            duplicates = [(by_id[m.record_id], m.score, m.reasons) for m in found if m.record_id in by_id]
        if not duplicates:
            record = services.record_create(acting_user=request.user, data=data, aliases=form.alias_list())
            messages.success(request, _("Record created."))
            return redirect(record)
    return render(request, "cro/form.html", {"form": form, "duplicates": duplicates, "record": None})


@edit_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for_user(request.user, pk=pk)
    if request.method != "POST":
        # The form shows the whole record: opening it is a view of the record.
        audit.record_read(
            actor=request.user, action="cro.record_viewed", target=record, request=request, data={"form": "edit"}
        )
    form = RecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        if data.get("cnic"):
            other = selectors.record_with_cnic(data["cnic"], exclude_pk=record.pk)
            if other is not None:
                form.add_error(
                    "cnic", _("Record %(pk)s already has this CNIC; merge the two instead.") % {"pk": other.pk}
                )
        if form.is_valid():
            # The form has already changed ``record`` in memory: the service compares against the stored row.
            fresh = selectors.record_get_for_user(request.user, pk=record.pk)
            services.record_update(record=fresh, acting_user=request.user, data=data, aliases=form.alias_list())
            messages.success(request, _("Record saved."))
            return redirect(record)
    return render(request, "cro/form.html", {"form": form, "duplicates": [], "record": record})


def _call_with_messages(request: HttpRequest, label: str, fn: object, success: str, **kwargs: object) -> None:
    try:
        fn(**kwargs)
    except ValidationError as exc:
        validation_error_to_messages(request, exc, label)
    else:
        messages.success(request, success)


@edit_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for_user(request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        _call_with_messages(
            request,
            _("Photo"),
            services.photo_add,
            _("Photo added; the face encoding follows in a moment."),
            record=record,
            acting_user=request.user,
            upload=form.cleaned_data["photo"],
            kind=form.cleaned_data["kind"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(record)


@edit_required
@require_POST
def fingerprint_upload(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for_user(request.user, pk=pk)
    form = FingerprintForm(request.POST, request.FILES)
    if form.is_valid():
        _call_with_messages(
            request,
            _("Fingerprint card"),
            services.fingerprint_add,
            _("Fingerprint card added."),
            record=record,
            acting_user=request.user,
            upload=form.cleaned_data["scan"],
            note=form.cleaned_data["note"],
            taken_on=form.cleaned_data["taken_on"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(record)


@edit_required
@require_POST
def record_merge(request: HttpRequest, pk: int) -> HttpResponse:
    keep = selectors.record_get_for_user(request.user, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = selectors.records_for_user(request.user).filter(pk=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            messages.error(request, _("Duplicate record number: no live record has this number."))
            return redirect(keep)
        _call_with_messages(
            request,
            "",
            services.records_merge,
            _("Record %(pk)s merged into this record.") % {"pk": duplicate.pk},
            keep=keep,
            duplicate=duplicate,
            acting_user=request.user,
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(keep)


@login_required
def photo_file(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """Serve a photo (full or thumbnail) to a user who may see its record; 404 for anyone else. Logged."""
    if size not in {"full", "thumb"}:
        raise Http404("No such size.")
    photo = selectors.photo_get_for_user(request.user, pk=pk)
    return private_file_read(
        request,
        photo.thumbnail if size == "thumb" else photo.file,
        action="cro.photo_fetched",
        target=photo.record,
        data={"photo_id": photo.pk, "size": size},
    )


@login_required
def fingerprint_file(request: HttpRequest, pk: int, size: str) -> FileResponse:
    if size not in {"full", "thumb"}:
        raise Http404("No such size.")
    card = selectors.fingerprint_get_for_user(request.user, pk=pk)
    return private_file_read(
        request,
        card.thumbnail if size == "thumb" else card.file,
        action="cro.fingerprint_fetched",
        target=card.record,
        data={"card_id": card.pk, "size": size},
    )


@view_required
def face_search(request: HttpRequest) -> HttpResponse:
    """Search by photo: the ten nearest records within the tolerance, as candidates for human review."""
    form = FaceSearchForm(request.POST or None, request.FILES or None)
    candidates: list[tuple[CriminalRecord, faces.FaceCandidate]] | None = None
    notice = ""
    if request.method == "POST" and form.is_valid():
        try:
            processed = process_image(form.cleaned_data["photo"])
        except ValidationError as exc:
            form.add_error("photo", exc)
        else:
            result = faces.encode_face(processed.content)
            found: list[faces.FaceCandidate] = []
            if result.status == "ok":
                found = faces.face_search(result.encoding, limit=10)
            else:
                notice = result.message
            audit.record_read(
                actor=request.user,
                action="cro.search_face",
                request=request,
                data={
                    "photo_sha256": processed.sha256,
                    "face": result.status,
                    "results": [[c.record_id, round(c.distance, 4)] for c in found],
                },
            )
            by_id = selectors.records_by_ids_for_user(request.user, [c.record_id for c in found])
            candidates = [(by_id[c.record_id], c) for c in found if c.record_id in by_id]
    return render(
        request,
        "cro/face_search.html",
        {"form": form, "candidates": candidates, "notice": notice, "tolerance": settings.FACE_TOLERANCE},
    )


@edit_required
def search_log(request: HttpRequest) -> HttpResponse:
    """The CRO searches with their terms (CRO officers only; read-only)."""
    if not selectors.can_edit_records(request.user):
        raise PermissionDenied
    return audit_log_page(
        request,
        selectors.search_log_for_user(request.user),
        title=_("CRO search log"),
        intro=_("Every search of the CRO with its terms. Entries cannot be edited or deleted."),
        actions=("cro.search",),
    )
