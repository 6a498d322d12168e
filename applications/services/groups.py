"""Loading a group with its parts, and the one helper that locks a group's row.

Lock order, across every app (the one place it is written; quota/locks.py and the payments app
follow it): first the payment attempt, then the application group (`lock_group`), then the
quota pools in primary-key order (quota.locks). Each lock is taken inside the caller's
transaction and held to its end; nothing slow (a provider call, a file read, an email) happens
while one is held.
"""

from typing import Any

from ..models import ApplicationGroup


def load_group(**lookup: Any) -> ApplicationGroup | None:
    """The group matching `lookup` with its applications (and their trades) and employer's
    part, or None: three queries."""
    return ApplicationGroup.objects.with_parts().filter(**lookup).first()


def lock_group(*, pk: int) -> ApplicationGroup:
    """Lock the group's row (SELECT ... FOR NO KEY UPDATE) and return it fresh.

    Call inside a transaction, after any payment attempt's lock and before any quota pool's.
    NO KEY: rows that only refer to the group (holds, uploads, signatures) can still be
    inserted meanwhile, while a second writer of the group itself waits. Raises
    ApplicationGroup.DoesNotExist when the group was deleted.
    """
    return ApplicationGroup.objects.select_for_update(no_key=True, of=("self",)).get(pk=pk)
