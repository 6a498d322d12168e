"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and in any case
STAFF_SESSION_MAX_HOURS after they began; applicants' sessions keep SESSION_COOKIE_AGE.

The idle limit is the session's own expiry (set again at each request: the session row and the
cookie expire together, server-side). The maximum counts from the first request the session
made as a staff member's, kept in the session.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED_KEY = "immapp.staff_session_started"


class StaffSessionMiddleware:
    """After AuthenticationMiddleware (and django-otp's): applies to authenticated staff only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            started = request.session.setdefault(STARTED_KEY, now)
            if now - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
                logout(request)  # the next page asks to log in again
            else:
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)
        return self.get_response(request)
