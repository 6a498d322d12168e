"""Forwarded headers are believed only from the proxies settings.TRUSTED_PROXIES names.

A client that connects directly can send X-Forwarded-Proto, X-Forwarded-For or Forwarded
itself. This middleware, the first of all, removes them from every request whose connecting
peer is not a trusted proxy, so nothing after it (SECURE_PROXY_SSL_HEADER in
request.is_secure(), the SSL redirect, CSRF's origin checks, the client address of
applications.access.client_address) can be steered by them. Without TRUSTED_PROXIES no
forwarded header is ever believed: the deployment without a proxy.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from applications.access import peer_is_trusted

FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REAL_IP",
)


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not peer_is_trusted(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
