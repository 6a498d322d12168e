"""Rate limits: counters in the shared cache (Redis in production, so every web process sees
the same counts), one per thing limited and per value it is counted against (a reference, a
client address, an email address, a draft).

`take` counts the attempt before the work it limits is done, atomically (the cache's add and
incr), so requests sent at the same moment cannot all pass a check that none of them has been
counted in yet. The window starts with the first attempt counted and is not extended by later
ones. Values are hashed into the key: no address or reference is kept in the cache.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

KEY_PREFIX = "limits:"


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `window_seconds` for each value, under `name`."""

    name: str
    count: int
    window_seconds: int

    def key(self, value: str) -> str:
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return KEY_PREFIX + self.name + ":" + digest


def _count(key: str, window_seconds: int) -> int:
    """Add one to the counter, creating it with the window's lifetime; the new count."""
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # it expired between add and incr: this attempt starts a new window
        cache.add(key, 1, timeout=window_seconds)
        return 1
    if count == 1:
        # incr found no key after all (it expired in between) and made one that never
        # expires: give it the window's lifetime.
        cache.touch(key, window_seconds)
    return count


def take(checks: Iterable[tuple[Limit, str]]) -> bool:
    """Count one attempt against each (limit, value); True when every count is within its
    limit. An attempt refused by one limit is uncounted from all of them again, so it uses
    nobody's allowance (and never lengthens a window); meanwhile the counts it added can only
    refuse others, never let more through."""
    checks = list(checks)
    over = False
    for limit, value in checks:
        if _count(limit.key(value), limit.window_seconds) > limit.count:
            over = True
    if over:
        give_back(checks)
    return not over


def give_back(checks: Iterable[tuple[Limit, str]]) -> None:
    """Uncount an attempt `take` counted, when what it limits turned out not to count (a
    right answer where only failures are limited; an email that could not be sent)."""
    for limit, value in checks:
        key = limit.key(value)
        try:
            count = cache.decr(key)
        except ValueError:  # the window ended meanwhile: nothing left to give back
            continue
        if count <= 0:
            cache.delete(key)
