"""JSON API: check-ins for hotel software (hotel token) and alerts for officers (session or user token).

Authentication: ``Authorization: Token <key>``. An unknown or revoked key is a
401; another hotel's check-in id is a 404. See docs/hoteleye.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from alerts import selectors as alerts_selectors
from alerts.models import Alert, SourceKind
from casp import audit
from hoteleye import selectors, services
from hoteleye.forms import CheckInForm, CheckOutForm, errors_json
from hoteleye.models import ApiToken, Source


def _unauthorised(message: str) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Token realm="casp"'
    return response


def _token_from(request: HttpRequest) -> tuple[bool, ApiToken | None]:
    """Return (header present, live token or None)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return False, None
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() != "token":
        return True, None
    return True, services.token_authenticate(key.strip())


def hotel_token_required(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Require a live hotel token; pass the token's hotel to the view."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        _present, token = _token_from(request)
        if token is None or token.hotel is None or not token.hotel.is_active:
            return _unauthorised(_("Send a valid hotel API token: Authorization: Token <key>."))
        return view(request, token.hotel, *args, **kwargs)

    return wrapper


@require_POST
@hotel_token_required
def checkin_create(request: HttpRequest, hotel: Any) -> JsonResponse:
    form = CheckInForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": errors_json(form)}, status=400)
    try:
        checkin = services.checkin_create(
            hotel=hotel,
            acting_user=None,
            data=form.cleaned_data,
            photo=form.cleaned_data.get("photo"),
            source=Source.API,
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=400)
    return JsonResponse({"id": checkin.pk, "received_at": checkin.received_at.isoformat()}, status=201)


@require_POST
@hotel_token_required
def checkin_checkout(request: HttpRequest, hotel: Any, checkin_id: int) -> JsonResponse:
    try:
        checkin = selectors.checkin_get_for_hotel(hotel, checkin_id=checkin_id)
    except Http404:
        return JsonResponse({"detail": _("No such check-in at this hotel.")}, status=404)
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": errors_json(form)}, status=400)
    try:
        checkin = services.checkin_checkout(
            checkin=checkin, acting_user=None, checked_out_at=form.cleaned_data["checked_out_at"]
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=400)
    return JsonResponse({"id": checkin.pk, "checked_out_at": checkin.checked_out_at.isoformat()})


def _guest_json(alert: Alert) -> dict[str, Any] | None:
    checkin = selectors.alert_checkin(alert)
    if checkin is None:
        return None
    person = alert.person
    return {
        "name": person.name,
        "cnic": person.cnic.formatted if person.cnic else None,
        "passport_number": person.passport_number or None,
        "hotel": checkin.hotel.code,
        "room": checkin.room,
    }


def _alert_json(alert: Alert) -> dict[str, Any]:
    record, fir = alert.cro_record, alert.fir
    return {
        "id": alert.pk,
        "station": alert.station.code,
        "source": {
            "kind": alert.source_kind,
            "label": str(alert.get_source_kind_display()),
            "person": alert.person_name,
            "place": alert.place,
            "place_detail": alert.place_detail,
        },
        "kind": alert.kind,
        "score": alert.score,
        "status": alert.status,
        "created_at": alert.created_at.isoformat(),
        "guest": _guest_json(alert) if alert.source_kind == SourceKind.HOTEL_CHECKIN else None,
        "cro_record": None
        if record is None
        else {
            "id": record.pk,
            "name": record.name,
            "cnic": record.cnic.formatted if record.cnic else None,
            "status": ", ".join(str(label) for _key, label, _day in record.statuses) or alert.record_status,
        },
        "fir": None if fir is None else {"id": fir.pk, "number": str(fir), "station": fir.station.code},
    }


@csrf_exempt
@require_GET
def alert_list(request: HttpRequest) -> JsonResponse:
    """Return the alerts of every source in the caller's jurisdiction, newest first, 100 a page
    (``?page=``, ``?status=``, ``?source=`` a source kind such as ``hotel_checkin`` or ``vehicle_check``)."""
    present, token = _token_from(request)
    if present:
        if token is None:
            return _unauthorised(_("Send a valid API token: Authorization: Token <key>."))
        if token.user is None:
            return JsonResponse({"detail": _("A hotel token cannot read alerts.")}, status=403)
        user = token.user
    elif request.user.is_authenticated:
        user = request.user
    else:
        return _unauthorised(_("Sign in or send an API token: Authorization: Token <key>."))
    status = request.GET.get("status") or ""
    source = request.GET.get("source") or ""
    alerts = alerts_selectors.alerts_for_user(user, source_kind=source, status=status).prefetch_related("source")
    page = Paginator(alerts, 100).get_page(request.GET.get("page"))
    # The answer carries guests' identities and CRO records: who read which, and from where, is logged.
    audit.record_read(
        actor=user,
        action="hoteleye.alerts_listed",
        request=request,
        data={
            "via": "token" if present else "session",
            "page": page.number,
            "status": status,
            "alerts": [a.pk for a in page],
            "cro_records": sorted({a.cro_record_id for a in page if a.cro_record_id}),
            **({"source": source} if source else {}),
            **({"firs": sorted({a.fir_id for a in page if a.fir_id})} if any(a.fir_id for a in page) else {}),
        },
    )
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_alert_json(a) for a in page],
        }
    )
