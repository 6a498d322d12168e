"""Receiving a provider's webhook: verify, store the event once, re-fetch, settle.

The body is only a trigger: the hint names the payment, and payments.services.confirm_attempt
re-fetches the provider's truth. So a replayed event, or events in any order, end in the same
state. Answers: 400 for a bad or stale signature (nothing stored), 200 for an event handled or
ignored (unknown type or payment), 503 when the provider or the quota is busy (the provider
retries; the event stays unprocessed so the retry is handled).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .exceptions import TryAgainLater
from .models import PaymentAttempt, ProviderEvent
from .providers import registry
from .providers.base import WebhookRejected

logger = logging.getLogger(__name__)


def receive(provider_name: str, *, body: bytes, headers: Mapping[str, str]) -> int:
    """Handle one webhook; returns the HTTP status to answer with."""
    try:
        provider = registry.provider_named(provider_name)
    except LookupError:
        return 404
    try:
        hint = provider.parse_webhook(body=body, headers=headers)
    except WebhookRejected:
        logger.warning("%s webhook refused: bad or stale signature", provider_name)
        return 400
    event = _store_once(provider_name, hint.event_id, hint.event_type, hint.provider_reference)
    if event.processed_at is not None:
        return 200  # a replay: handled already
    attempt = None
    if hint.provider_reference:
        attempt = PaymentAttempt.objects.filter(
            provider=provider_name, provider_reference=hint.provider_reference
        ).first()
    if attempt is not None:
        if hint.disputed:
            PaymentAttempt.objects.filter(pk=attempt.pk).update(disputed=True)
            logger.warning("payment %s: dispute opened", attempt.reference)
        try:
            services.confirm_attempt(attempt=attempt)
        except TryAgainLater:
            return 503
    ProviderEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), attempt=attempt
    )
    return 200


def _store_once(provider: str, event_id: str, event_type: str, reference: str) -> ProviderEvent:
    try:
        with transaction.atomic():
            return ProviderEvent.objects.create(
                provider=provider,
                event_id=event_id[:100],
                event_type=event_type[:80],
                provider_reference=reference[:100],
            )
    except IntegrityError:
        return ProviderEvent.objects.get(provider=provider, event_id=event_id[:100])
