"""The public quota status page."""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from . import status_cache
from .status import status_board


@require_safe
def status(request: HttpRequest) -> HttpResponse:
    """Per trade, whether applications are accepted and how many places remain.

    Everyone refreshes it when a quota opens: the page, the same for every visitor, is rendered
    once per language and kept in the cache until the next quota change (quota.status_cache),
    for no longer than the board it shows. A visitor with messages waiting gets it rendered
    for them, with their messages.
    """
    if len(get_messages(request)):
        return HttpResponse(render_to_string("quota/status.html", request=request))
    key = status_cache.page_key(translation.get_language() or "")
    content = cache.get(key)
    if content is None:
        board = status_board()  # the one the page's fragment shows ({% quota_status %})
        content = render_to_string("quota/status.html", request=request)
        age = (timezone.now() - board.as_of).total_seconds()
        cache.set(key, content, max(1.0, status_cache.STATUS_CACHE_SECONDS - age))
    return HttpResponse(content)
