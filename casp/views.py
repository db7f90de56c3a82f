from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casp import health
from casp.middleware import EXPIRED_COOKIE
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database, broker and background-work status; 503 when the database cannot answer or work is late.

    With workers (not in-process tasks), the age of the worker's last heartbeat and of the Hotel Eye
    sweep's last run are reported; past HEALTH_MAX_AGES the status is "unhealthy".
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
