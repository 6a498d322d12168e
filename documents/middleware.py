"""The finished-checks counter (documents.views.checks), answered before the session.

A page waiting for a verdict asks the counter a few times a second. Through the whole stack
each question would read the session row and, with SESSION_SAVE_EVERY_REQUEST, write it again
(and push its idle expiry on, so a page left open would never time out): with 1,000 pages
waiting, thousands of database writes a second for a number that lives in the cache. So this
middleware, placed before SessionMiddleware, answers those GETs itself: no session, no user,
no database, just the cache read. Everything else passes on untouched.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .views import checks

# /<language>/documents/<group public id>/checks/, as documents.urls names it "checks".
CHECKS_PATH = re.compile(r"^/[a-z]{2}(?:-[a-z]+)?/documents/(?P<group_id>[0-9a-f-]{36})/checks/$")


class ChecksCounterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            found = CHECKS_PATH.match(request.path_info)
            if found is not None:
                return checks(request, found["group_id"])
        return self.get_response(request)
