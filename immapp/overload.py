"""Load shedding: when the web tier is saturated, answer fast and honestly instead of late.

A request that waited in the queue in front of the application longer than
``OVERLOAD_MAX_QUEUE_MS`` is answered at once with the "busy, please try again in a minute" page,
``503`` and ``Retry-After``, before any session, database or form work is done, so nothing is
half-saved. The wait is read from a request-start header that the proxy in front of gunicorn sets
on every request (nginx: ``proxy_set_header X-Request-Start "t=${msec}";``), named by
``OVERLOAD_REQUEST_START_HEADER``. Without that setting (no proxy, the development server)
nothing is ever shed.

The proxy overwrites any header of that name a client sends. A client that forges an old
timestamp only gets its own request refused; one that forges a future timestamp is served as if it
had not waited, which is what happens without shedding at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# Health probes are never shed: a load balancer must see a busy instance as alive.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})


def request_start(value: str) -> float | None:
    """The epoch time in seconds of a request-start header value, or None if unreadable.

    Accepts the forms proxies write: ``t=1700000000.123`` (nginx ``${msec}``, seconds),
    milliseconds (``t=1700000000123``, Heroku) and microseconds (``t=1700000000123456``,
    Apache ``%t``), with or without the ``t=`` prefix.
    """
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    if not text or len(text) > 32:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number > 1e14:
        return number / 1e6
    if number > 1e11:
        return number / 1e3
    return number


def queued_ms(request: HttpRequest, header: str, now: float) -> float | None:
    """How long the request waited before reaching the application, or None if not known."""
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"))
    if not raw:
        return None
    started = request_start(raw)
    if started is None:
        return None
    return (now - started) * 1000


def busy_response(request: HttpRequest) -> HttpResponse:
    """The busy page in the language of the address (or the browser), with 503 and Retry-After.

    Rendered without the request context: no session, no user, no database.
    """
    language = translation.get_language_from_path(
        request.path_info
    ) or translation.get_language_from_request(request, check_path=False)
    retry_url = request.get_full_path() if request.method == "GET" else ""
    with translation.override(language):
        body = render_to_string("503.html", {"retry_url": retry_url})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.OVERLOAD_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class LoadSheddingMiddleware:
    """Refuse, before any work, the requests that already waited too long to be served in time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = settings.OVERLOAD_REQUEST_START_HEADER
        self.limit_ms = settings.OVERLOAD_MAX_QUEUE_MS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.header and request.path_info not in EXEMPT_PATHS:
            waited = queued_ms(request, self.header, time.time())
            if waited is not None and waited > self.limit_ms:
                logger.warning(
                    "shed %s %s after %.0f ms in the queue", request.method, request.path, waited
                )
                return busy_response(request)
        return self.get_response(request)
