"""Pages of Hotel Eye: hotel staff (check-in, check-out, occupancy, history, CSV) and officers (hotels, alerts)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from alerts.forms import AlertCloseForm, AlertNoteForm
from alerts.models import AlertStatus
from alerts.views import acknowledge_response, close_response
from casp import audit
from casp.decorators import role_required
from casp.files import private_file_read, private_file_response
from casp.forms import errors_to_form
from casp.roles import Role
from hoteleye import selectors, services
from hoteleye.forms import (
    CheckInForm,
    CheckOutForm,
    CompanionFormSet,
    CsvUploadForm,
    GuestSearchForm,
    HotelForm,
    HotelStaffForm,
)

OFFICER_ROLES = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER, Role.CRO_OFFICER)
HOTEL_ADMIN_ROLES = (Role.SHO, Role.STATION_CLERK, Role.DISTRICT_OFFICER)


def hotel_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in user bound to an active hotel; pass that hotel to the view."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        hotel = selectors.hotel_for_staff(request.user)
        if hotel is None:
            raise PermissionDenied
        return view(request, hotel, *args, **kwargs)

    return wrapper


# --- hotel staff --------------------------------------------------------------------------------------------------
@hotel_staff_required
def occupancy(request: HttpRequest, hotel: Any) -> HttpResponse:
    checkins = selectors.checkins_for_hotel(hotel, open_only=True)
    page = Paginator(checkins, 50).get_page(request.GET.get("page"))
    return render(request, "hoteleye/occupancy.html", {"hotel": hotel, "page": page, "count": page.paginator.count})


@hotel_staff_required
def guest_history(request: HttpRequest, hotel: Any) -> HttpResponse:
    form = GuestSearchForm(request.GET or None)
    query, open_only = "", False
    if form.is_valid():
        query, open_only = form.cleaned_data["q"], form.cleaned_data["open_only"]
    page = Paginator(selectors.checkins_for_hotel(hotel, query=query, open_only=open_only), 50).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "hoteleye/history.html", {"hotel": hotel, "page": page, "form": form, "query": params.urlencode()}
    )


@hotel_staff_required
def checkin_new(request: HttpRequest, hotel: Any) -> HttpResponse:
    if request.method == "POST":
        form = CheckInForm(request.POST, request.FILES)
        formset = CompanionFormSet(request.POST, prefix="companions")
        if form.is_valid() and formset.is_valid():
            companions = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
            try:
                checkin = services.checkin_create(
                    hotel=hotel,
                    acting_user=request.user,
                    data=form.cleaned_data,
                    companions=companions,
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("Check-in saved."))
                return redirect("hoteleye:checkin_detail", checkin_id=checkin.pk)
    else:
        form = CheckInForm()
        formset = CompanionFormSet(prefix="companions")
    return render(request, "hoteleye/checkin_form.html", {"hotel": hotel, "form": form, "formset": formset})


@hotel_staff_required
def checkin_detail(request: HttpRequest, hotel: Any, checkin_id: int) -> HttpResponse:
    checkin = selectors.checkin_get_for_hotel(hotel, checkin_id=checkin_id)
    return render(
        request, "hoteleye/checkin_detail.html", {"hotel": hotel, "checkin": checkin, "checkout_form": CheckOutForm()}
    )


@require_POST
@hotel_staff_required
def checkin_checkout(request: HttpRequest, hotel: Any, checkin_id: int) -> HttpResponse:
    checkin = selectors.checkin_get_for_hotel(hotel, checkin_id=checkin_id)
    form = CheckOutForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_checkout(
                checkin=checkin, acting_user=request.user, checked_out_at=form.cleaned_data["checked_out_at"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc, rename=dict.fromkeys(exc.message_dict, "checked_out_at"))
        else:
            messages.success(request, _("Check-out recorded."))
            return redirect("hoteleye:checkin_detail", checkin_id=checkin.pk)
    return render(
        request,
        "hoteleye/checkin_detail.html",
        {"hotel": hotel, "checkin": checkin, "checkout_form": form},
        status=400,
    )


@hotel_staff_required
def checkin_import(request: HttpRequest, hotel: Any) -> HttpResponse:
    reports = None
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            reports = services.checkins_import_csv(
                hotel=hotel, acting_user=request.user, text=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
    saved = sum(r.ok for r in reports) if reports else 0
    return render(
        request,
        "hoteleye/import.html",
        {"hotel": hotel, "form": form, "reports": reports, "saved": saved, "columns": services.CSV_COLUMNS},
    )


@require_GET
@hotel_staff_required
def checkin_import_template(request: HttpRequest, hotel: Any) -> HttpResponse:
    """Return the batch upload's template: a CSV whose first row names every column the import reads."""
    response = HttpResponse(",".join(services.CSV_COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hotel-eye-guests-template.csv"'
    return response


@login_required
@require_GET
def checkin_photo(request: HttpRequest, checkin_id: int, thumb: bool = False) -> FileResponse:
    """Serve a guest photo to its hotel's staff or to officers whose jurisdiction holds the hotel."""
    hotel = selectors.hotel_for_staff(request.user)
    if hotel is not None:
        checkin = selectors.checkin_get_for_hotel(hotel, checkin_id=checkin_id)
        return private_file_response((checkin.photo_thumbnail if thumb else checkin.photo).name)
    checkin = selectors.checkins_for_officer(request.user).filter(pk=checkin_id).first()
    if checkin is None:
        raise Http404("No such check-in.")
    name = (checkin.photo_thumbnail if thumb else checkin.photo).name
    return private_file_read(request, name, action="hoteleye.photo_viewed", target=checkin)


# --- officers: hotels and staff -----------------------------------------------------------------------------------
@role_required(*OFFICER_ROLES)
def hotel_list(request: HttpRequest) -> HttpResponse:
    hotels = selectors.hotels_for_user(request.user).select_related("station", "district").order_by("name")
    page = Paginator(hotels, 50).get_page(request.GET.get("page"))
    return render(request, "hoteleye/hotel_list.html", {"page": page})


@role_required(*HOTEL_ADMIN_ROLES)
def hotel_new(request: HttpRequest) -> HttpResponse:
    stations = selectors.police_stations_for_user(request.user)
    form = HotelForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        hotel = services.hotel_register(acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("Hotel registered."))
        return redirect("hoteleye:hotel_detail", code=hotel.code)
    return render(request, "hoteleye/hotel_form.html", {"form": form})


@role_required(*OFFICER_ROLES)
def hotel_detail(request: HttpRequest, code: str) -> HttpResponse:
    hotel = selectors.hotel_get_for_user(request.user, code=code)
    staff = hotel.staff.select_related("user").order_by("user__username")
    checkins = selectors.checkins_for_hotel(hotel, late_only=bool(request.GET.get("late")))
    page = Paginator(checkins, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "hoteleye/hotel_detail.html",
        {"hotel": hotel, "staff": staff, "page": page, "late": bool(request.GET.get("late"))},
    )


@role_required(*HOTEL_ADMIN_ROLES)
def hotel_staff_new(request: HttpRequest, code: str) -> HttpResponse:
    hotel = selectors.hotel_get_for_user(request.user, code=code)
    form = HotelStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hotel_staff_create(acting_user=request.user, hotel=hotel, data=form.cleaned_data)
        messages.success(request, _("Hotel staff account created."))
        return redirect("hoteleye:hotel_detail", code=hotel.code)
    return render(request, "hoteleye/staff_form.html", {"form": form, "hotel": hotel})


# --- officers: alerts ---------------------------------------------------------------------------------------------
@role_required(*OFFICER_ROLES)
def alert_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    alerts = selectors.alerts_for_user(request.user)
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    latest, new = selectors.alerts_inbox_state(request.user)
    return render(
        request,
        "hoteleye/alert_inbox.html",
        {
            "page": page,
            "latest": latest,
            "new_count": new,
            "status": status,
            "statuses": AlertStatus.choices,
            "query": f"status={status}" if status else "",
        },
    )


@never_cache
@role_required(*OFFICER_ROLES)
@require_GET
def alert_inbox_poll(request: HttpRequest) -> HttpResponse:
    """Answer 204 (one aggregate query) when nothing changed since ``after``; else the newest alerts' rows."""
    latest, new = selectors.alerts_inbox_state(request.user)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    if latest == after:
        return HttpResponse(status=204)
    alerts = selectors.alerts_for_user(request.user)[:20]
    response = render(
        request, "hoteleye/_alert_rows.html", {"alerts": alerts, "latest": latest, "new_count": new, "after": after}
    )
    response["X-Alerts-Latest"] = str(latest)
    response["X-Alerts-New"] = str(new)
    return response


@role_required(*OFFICER_ROLES)
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for_user(request.user, alert_id=alert_id)
    return _render_alert_detail(request, alert, close_form=AlertCloseForm())


def _render_alert_detail(
    request: HttpRequest, alert: Any, *, close_form: AlertCloseForm, status: int = 200
) -> HttpResponse:
    """Render the alert page with the given close form (bound with its errors after a refused close); logged."""
    audit.record_read(actor=request.user, action="hoteleye.alert_viewed", target=alert, request=request)
    record = _cro_record(request, alert)
    checkin = selectors.alert_checkin(alert)
    return render(
        request,
        "hoteleye/alert_detail.html",
        {
            "alert": alert,
            "person": alert.person,
            "checkin": checkin,
            "companion": None if alert.person == checkin else alert.person,
            "record": record,
            "ack_form": AlertNoteForm(),
            "close_form": close_form,
        },
        status=status,
    )


def _cro_record(request: HttpRequest, alert: Any) -> Any:
    """Return the alert's CRO record with its photos; the officer's view of the record is logged."""
    record = alert.cro_record
    audit.record_read(actor=request.user, action="cro.record_viewed", target=record, request=request)
    return record


@login_required
@require_GET
def alert_record_photo(request: HttpRequest, alert_id: int) -> FileResponse:
    """Serve the CRO photo shown beside the guest: the photo the face matched, else the record's latest photo.

    Whoever may open the alert may see its photo (police postings holding the station, system administrators);
    anyone else gets 404 from the selector.
    """
    alert = selectors.alert_get_for_user(request.user, alert_id=alert_id)
    photo = alert.record_photo or alert.cro_record.photos.order_by("kind", "-uploaded_at").first()
    if photo is None:
        raise Http404("No photo.")
    return private_file_read(
        request,
        photo.file,
        action="cro.photo_fetched",
        target=alert.cro_record,
        data={"photo": photo.pk, "alert": alert.pk},
    )


@require_POST
@role_required(*OFFICER_ROLES)
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    return acknowledge_response(request, selectors.alert_get_for_user(request.user, alert_id=alert_id))


@require_POST
@role_required(*OFFICER_ROLES)
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for_user(request.user, alert_id=alert_id)
    return close_response(
        request, alert, lambda form: _render_alert_detail(request, alert, close_form=form, status=400)
    )
