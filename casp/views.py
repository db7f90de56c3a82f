from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    """Report database and broker status; 503 when the database cannot answer."""
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
    body["status"] = "ok" if body["database"] == "ok" else "unavailable"
    body["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
