from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casp import audit, health
from casp.audit_display import event_rows, events_csv_lines
from casp.forms import AuditFilterForm
from casp.middleware import EXPIRED_COOKIE
from casp.models import AuditEvent
from casp.runtime import redis_answers


class LoginView(auth_views.LoginView):
    """The sign-in page; it explains when a session has expired."""

    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        expired = EXPIRED_COOKIE in request.COOKIES
        if expired:
            messages.warning(request, _("Your session has expired. Please sign in again; nothing you saved was lost."))
        response = super().get(request, *args, **kwargs)
        if expired:
            response.delete_cookie(EXPIRED_COOKIE)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; a wrong current password counts as a failed sign-in (django-axes).

    Without this, the form would let anyone at an unlocked screen guess the current password
    without limit. After AXES_FAILURE_LIMIT wrong guesses both this form and the sign-in page
    are locked for that user from that address, and the form answers with the lockout page.
    """

    def _credentials(self) -> dict[str, str]:
        return {"username": self.request.user.get_username()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if AxesProxyHandler.is_locked(request, self._credentials()):
            return get_lockout_response(request, credentials=self._credentials())
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
            if AxesProxyHandler.is_locked(self.request, self._credentials()):
                return get_lockout_response(self.request, credentials=self._credentials())
        return super().form_invalid(form)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database, broker and background-work status; 503 when the database cannot answer or work is late.

    With workers (not in-process tasks), the age of each queue's last worker heartbeat and of the last run of
    every periodic task of the beat schedule are reported; past HEALTH_MAX_AGES the status is "unhealthy".
    """
    started = time.monotonic()
    body: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is "down"
        body["database"] = "unavailable"
        body["database_error"] = exc.__class__.__name__
    body["broker"] = "ok" if redis_answers(settings.REDIS_URL) else "unavailable"
    body["tasks"] = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "workers"
    late: list[str] = []
    if body["tasks"] == "workers":
        ages, late = health.background_report()
        body.update(ages)
        body["late"] = late
    if body["database"] != "ok":
        body["status"] = "unavailable"
    elif late:
        body["status"] = "unhealthy"
    else:
        body["status"] = "ok"
    body["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def audit_log_page(
    request: HttpRequest,
    events: QuerySet[AuditEvent],
    *,
    title: str,
    intro: str,
    actions: tuple[str, ...] = (),
) -> HttpResponse:
    """Render an already scoped audit log, filtered by user and action, as a page or (``?format=csv``) a CSV.

    Shared by every log page (the station audit log, the CRO search log); the
    caller decides which events the user may see. An export is itself audited.
    """
    form = AuditFilterForm(request.GET or None, actions=actions)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["user"]:
            events = events.filter(actor__username__iexact=form.cleaned_data["user"])
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
    elif form.is_bound:
        events = events.none()
    if request.GET.get("format") == "csv":
        audit.record_read(
            actor=request.user,
            action="casp.audit_exported",
            request=request,
            data={"log": title, **{k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}},
        )
        response = StreamingHttpResponse(events_csv_lines(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    csv_params = params.copy()
    csv_params["format"] = "csv"
    return render(
        request,
        "casp/audit_log.html",
        {
            "title": title,
            "intro": intro,
            "form": form,
            "page": page,
            "rows": event_rows(page.object_list),
            "query": params.urlencode(),
            "csv_query": csv_params.urlencode(),
        },
    )
