"""A per-group counter of finished checks, in the cache, so a page waiting for a verdict can
ask often and cheaply whether anything changed.

The inspection bumps it once a verdict is written (on commit); the checks view reads it with no
database query, so a thousand pages asking twice a second cost a thousand cache reads a
second and nothing else. A page reads it before it renders an item, so a check that ends in
between makes the next question answer "changed" (one extra item fetch, never a missed one).
The counter is only a hint: a cache that lost it reads 0, and the page then looks once.
"""

import uuid
from functools import partial

from django.core.cache import cache
from django.db import transaction

KEY = "documents:checks:"
KEEP_SECONDS = 24 * 60 * 60


def _key(group_public_id: uuid.UUID | str) -> str:
    return KEY + str(group_public_id)


def checks_finished(*, group_public_id: uuid.UUID | str) -> int:
    """The group's counter now (0 when never bumped or evicted); no database query."""
    return int(cache.get(_key(group_public_id)) or 0)


def _bump(key: str) -> None:
    cache.add(key, 0, KEEP_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, KEEP_SECONDS)
    cache.touch(key, KEEP_SECONDS)


def note_check_finished(*, group_public_id: uuid.UUID | str) -> None:
    """Bump the group's counter once the current transaction commits (now, outside one)."""
    transaction.on_commit(partial(_bump, _key(group_public_id)), robust=True)
