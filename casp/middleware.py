from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from casp.audit import current_request

EXPIRED_COOKIE = "casp_session_expired"


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header: scripts, styles and fonts only from this site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class SessionExpiredMiddleware:
    """Tell a user whose session has expired why they are asked to sign in again.

    Django drops a stale session cookie silently; we notice it (a session cookie
    came in but no user is signed in) and leave a short-lived marker cookie that
    the login page turns into a message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stale = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
            and not request.session.session_key
        )
        response = self.get_response(request)
        if stale:
            response.set_cookie(
                EXPIRED_COOKIE, "1", max_age=120, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
            )
        return response


class AuditRequestMiddleware:
    """Make the request being served known to casp.audit.record, which records its client IP address.

    Services are called with ``acting_user`` but not the request; without this a
    change made through a page would be audited with no IP address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
