from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

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


API_PREFIX = "/api/"


class ApiErrorMiddleware:
    """Answer JSON, never an HTML page (nor the debug page), when an /api/ request's body cannot be read.

    Django raises these while the view reads ``request.POST``/``FILES``; its own handler would answer
    them with an HTML 400 page (or the debug page under DEBUG). Hotel software expects JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            status, detail = (
                413,
                _("The request body is too large; the limit is %(limit)d bytes.")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            )
        elif isinstance(exception, TooManyFieldsSent):
            status, detail = (
                400,
                _("The request has too many fields; the limit is %(limit)d.")
                % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
            )
        elif isinstance(exception, TooManyFilesSent):
            status, detail = (
                400,
                _("The request has too many files; the limit is %(limit)d.")
                % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
            )
        elif isinstance(exception, MultiPartParserError):
            status, detail = (
                400,
                _("The multipart/form-data body cannot be read (%(error)s); send it with its boundary.")
                % {"error": exception},
            )
        elif isinstance(exception, (BadRequest, SuspiciousOperation, UnreadablePostError)):
            status, detail = 400, _("The request cannot be read.")
        else:
            return None
        return JsonResponse({"detail": detail}, status=status)


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
