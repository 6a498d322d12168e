"""Where the public quota status is cached, and its forgetting on every quota change.

The status board (quota.status) and the status page rendered in each language (quota.views) are
kept in the cache for at most STATUS_CACHE_SECONDS, so a crowd refreshing the page costs neither
the database nor the templates anything. Every writer of pools, holds and allocations forgets
them once its transaction commits (quota.locks for the locked writers, quota.services and
quota.supervision for the others), so the page shows a change at once; the lifetime bounds what
no write announces (a hold expiring before the sweep deletes it, a period starting at midnight).
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

STATUS_CACHE_KEY = "quota:status-board:2"
PAGE_CACHE_KEY = "quota:status-page:2:"
STATUS_CACHE_SECONDS = 5


def page_key(language: str) -> str:
    return PAGE_CACHE_KEY + language


def forget() -> None:
    """Drop the cached board and every language's page now."""
    cache.delete_many([STATUS_CACHE_KEY, *(page_key(code) for code, _name in settings.LANGUAGES)])


def forget_on_commit() -> None:
    """Drop them when the current transaction commits (at once outside a transaction); nothing
    when it rolls back, as nothing changed. A cache that does not answer is logged, never
    raised to the writer, whose change is made: the lifetime then bounds the staleness."""
    transaction.on_commit(functools.partial(forget), robust=True)
