"""The 14-day purge of abandoned drafts, with their uploaded files (a daily task)."""

import datetime
import logging

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from documents import services as document_services

from ..models import ApplicationGroup
from .drafts import abandoned_drafts

logger = logging.getLogger(__name__)

PURGE_BATCH = 200


def _purge_batch(pks: list[int], *, now: datetime.datetime) -> list[int]:
    """Delete, in one transaction, those of `pks` that are still abandoned and not locked by
    anyone (re-checked under their row locks); returns the ids deleted."""
    with transaction.atomic():
        # FOR UPDATE with SKIP LOCKED, not the shared lock_group helper: a draft whose row
        # anyone holds (an upload, a wizard save, a payment) is in use, so it is skipped for
        # this run rather than waited for, and FOR UPDATE is the mode that conflicts with every
        # other lock on the row (FOR NO KEY UPDATE included).
        groups = list(
            abandoned_drafts(now=now)
            .filter(pk__in=pks)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk")
        )
        for group in groups:
            document_services.delete_group_documents(group=group)
        ids = [group.pk for group in groups]
        ApplicationGroup.objects.filter(pk__in=ids).delete()
    return ids


def purge_abandoned_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for 14 days, with their uploaded files; returns how many.

    Works in batches of PURGE_BATCH drafts, each batch in one transaction under the drafts' row
    locks (skipping any that someone holds right now) and re-checked there, so a draft touched
    meanwhile is kept. A batch that cannot be deleted because another row refers to one of its
    drafts is retried draft by draft, and such a draft is kept and logged. Submitted groups and
    groups waiting for payment are never deleted. The files go once each deletion commits
    (documents.services.delete_group_documents). Idempotent.
    """
    now = now or timezone.now()
    candidates = list(abandoned_drafts(now=now).order_by("pk").values_list("pk", flat=True))
    deleted = 0
    for start in range(0, len(candidates), PURGE_BATCH):
        batch = candidates[start : start + PURGE_BATCH]
        try:
            deleted += len(_purge_batch(batch, now=now))
            continue
        except ProtectedError:
            pass
        for pk in batch:
            try:
                deleted += len(_purge_batch([pk], now=now))
            except ProtectedError:
                logger.warning("abandoned draft %s is referred to and was kept", pk)
    if deleted:
        logger.info("deleted %d abandoned drafts", deleted)
    return deleted
