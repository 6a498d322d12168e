"""Payment use cases: the fee, starting an attempt, the one confirmation path, refunds.

One confirmation path serves the webhook, the payer's return and reconciliation
(`confirm_attempt`): the provider's truth is fetched outside any transaction; then one durable
transaction locks the attempt (and returns early if it already moved on), and asks
applications.services to submit the group, which locks the group and secures the quota slot
last; then, after the commit, the provider call still owed (capture, cancel or refund) is made,
again outside any transaction. The call owed is written on the attempt (`settle_action`) in the
same transaction, so a crash between the commit and the call leaves work reconciliation finds.

Lock order, as everywhere: payment attempt, application group, quota pools.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import services as application_services
from applications.exceptions import AlreadySubmitted, PaymentBlocked, SlotLost
from applications.models import ApplicationGroup
from immapp import money
from quota.exceptions import QuotaBusy, QuotaError

from . import card_brands, states
from .exceptions import NotPayable, PaymentError, TryAgainLater, UnknownMethod
from .methods import PaymentMethod
from .models import (
    AttemptStatus,
    Fee,
    Outcome,
    PaymentAttempt,
    Refund,
    SettleAction,
)
from .providers import registry
from .providers.base import (
    PaymentProvider,
    PaymentRefused,
    ProviderError,
    ProviderPayment,
    ProviderStatus,
    ProviderUnavailable,
    StartRequest,
)

logger = logging.getLogger(__name__)
S = AttemptStatus


# The fee


@dataclass(frozen=True)
class FeeLine:
    name: str
    role: str
    amount_cents: int


@dataclass(frozen=True)
class FeeQuote:
    lines: tuple[FeeLine, ...]
    per_application_cents: int

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def fee_in_force(*, at: datetime.datetime | None = None) -> Fee:
    return Fee.objects.in_force(at)


def fee_cents_now() -> int | None:
    """The fee per application in force now, in HKD cents (None while officers set none): what
    the public pages show. Cached for a minute; a new fee shows within that minute."""
    from django.core.cache import cache

    key = "payments:fee-now"
    cents = cache.get(key)
    if cents is None:
        fee = (
            Fee.objects.filter(effective_from__lte=timezone.now())
            .order_by("-effective_from")
            .first()
        )
        cents = fee.amount_cents if fee else 0
        cache.set(key, cents, 60)
    return cents or None


def dollars(cents: int) -> str:
    """HKD cents as the pages write dollars: 60000 -> "600", 120050 -> "1,200.50"."""
    return money.dollars(cents)


def quote(*, group: ApplicationGroup) -> FeeQuote:
    """The fee for every application of the group (the principal and each dependant alike).
    Raises NotPayable while no fee is in force (officers have not set one)."""
    try:
        fee = fee_in_force()
    except Fee.DoesNotExist:
        logger.error("no application fee is in force")
        raise NotPayable(
            _("Payment is not available at the moment. Please try again later.")
        ) from None
    lines = tuple(
        FeeLine(
            name=person.full_name or str(person.get_role_display()),
            role=str(person.get_role_display()),
            amount_cents=fee.amount_cents,
        )
        for person in group.applications.all()
    )
    return FeeQuote(lines=lines, per_application_cents=fee.amount_cents)


# Starting


def active_attempt(*, group: ApplicationGroup) -> PaymentAttempt | None:
    return PaymentAttempt.objects.active().filter(group=group).first()


def start_payment(*, group: ApplicationGroup, method: str, return_url: str) -> PaymentAttempt:
    """Place the quota hold, create the attempt and start it at the provider.

    `return_url` is where the payer's browser comes back to; its "{attempt}" is replaced by the
    attempt's public id. Raises UnknownMethod, NotPayable (with the reason: not ready, quota
    shut or full, already paid or being paid) or TryAgainLater. Nothing is locked while the
    provider is called; if the provider refuses, the hold is released and the group is a draft
    again.
    """
    if method not in PaymentMethod.values:
        raise UnknownMethod()
    _refuse_too_many_attempts(group)
    provider = registry.provider_for(method)
    window = provider.capabilities(method).confirmation_window
    amount = quote(group=group).total_cents
    try:
        application_services.begin_payment(group=group, hold_for=window)
    except QuotaBusy:
        raise TryAgainLater() from None
    except (PaymentBlocked, QuotaError) as exc:
        raise NotPayable(str(getattr(exc, "message", exc))) from None
    try:
        attempt = _create_attempt(group, method, provider, amount, window)
    except IntegrityError:  # the partial unique index: another attempt is active
        application_services.end_payment(group_id=group.pk)
        raise NotPayable(_("A payment for this application is already in progress.")) from None
    try:
        started = provider.start(
            StartRequest(
                reference=attempt.reference,
                method=method,
                amount_cents=amount,
                currency=attempt.currency,
                idempotency_key=f"start:{attempt.pk}",
                return_url=return_url.replace("{attempt}", str(attempt.public_id)),
                language=attempt.language,
                description=str(_("TP Stream application fee %(reference)s"))
                % {"reference": group.shown_reference},
            )
        )
    except ProviderError as exc:
        states.move(attempt, S.FAILED, reason="start refused", failure_message=str(exc.message))
        application_services.end_payment(group_id=group.pk)
        if isinstance(exc, ProviderUnavailable):
            raise TryAgainLater() from None
        raise NotPayable(str(exc.message)) from None
    states.move(
        attempt,
        S.PENDING,
        reason="started",
        provider_reference=started.provider_reference,
        next_action=dataclasses.asdict(started.next_action),
    )
    return attempt


def _refuse_too_many_attempts(group: ApplicationGroup) -> None:
    """Each attempt starts a payment at a provider: a session pressing Pay and Cancel in a loop
    is stopped after PAYMENT_ATTEMPTS_PER_GROUP_PER_HOUR attempts in the last hour."""
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = PaymentAttempt.objects.filter(group=group, created_at__gte=since).count()
    if recent >= settings.PAYMENT_ATTEMPTS_PER_GROUP_PER_HOUR:
        raise NotPayable(
            _("Too many payment attempts for this application. Please try again in an hour.")
        )


def _create_attempt(
    group: ApplicationGroup,
    method: str,
    provider: PaymentProvider,
    amount: int,
    window: datetime.timedelta,
) -> PaymentAttempt:
    now = timezone.now()
    with transaction.atomic():
        attempt = PaymentAttempt(
            group=group,
            method=method,
            provider=provider.name,
            amount_cents=amount,
            language=group.language,
            window_ends_at=now + window,
            updated_at=now,
        )
        attempt.idempotency_key = f"start:{attempt.public_id}"
        attempt.save()
        return attempt


# The one confirmation path


def confirm_attempt(*, attempt: PaymentAttempt) -> PaymentAttempt:
    """Bring the attempt in line with the provider's truth; submit the group when paid.

    Safe to call any number of times, concurrently, in any order of events. Raises
    TryAgainLater when the provider or the quota is busy (a webhook answers 503 then).
    """
    if not attempt.provider_reference:
        return attempt
    provider = registry.provider_named(attempt.provider)
    try:
        truth = provider.retrieve(attempt.provider_reference)
    except ProviderUnavailable:
        raise TryAgainLater() from None
    try:
        with transaction.atomic(durable=True):
            locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            _apply(locked, truth)
    except QuotaBusy:
        raise TryAgainLater() from None
    return settle(attempt=PaymentAttempt.objects.get(pk=attempt.pk))


def _apply(attempt: PaymentAttempt, truth: ProviderPayment) -> None:
    """Under the attempt's lock: record the truth and, when the money is there, submit."""
    if truth.disputed and not attempt.disputed:
        PaymentAttempt.objects.filter(pk=attempt.pk).update(disputed=True)
        logger.warning("payment %s disputed at the provider", attempt.reference)
    if attempt.status in states.FINAL:
        return
    if attempt.outcome:  # already settled: only the provider call owed may still move it
        _note_settled_truth(attempt, truth)
        return
    money = truth.status in (ProviderStatus.AUTHORISED, ProviderStatus.PAID)
    if not money:
        _note_unpaid_truth(attempt, truth)
        return
    if truth.card_brand and not card_brands.is_accepted(truth.card_brand):
        _give_back(attempt, truth, Outcome.REFUSED_BRAND, card_brands.refused_message())
        application_services.end_payment(group_id=attempt.group_id)
        return
    try:
        with transaction.atomic():  # a savepoint: a lost slot undoes the submission only
            application_services.submit_paid_group(
                group_id=attempt.group_id, fee_paid_cents=attempt.amount_cents
            )
    except AlreadySubmitted:
        _give_back(
            attempt,
            truth,
            Outcome.DUPLICATE,
            _("This application was already paid for; this payment is returned in full."),
        )
        return
    except PaymentBlocked as exc:  # a draft again (its payment had expired), no longer complete
        _give_back(attempt, truth, Outcome.INCOMPLETE, exc.message)
        return
    except SlotLost:
        application_services.end_payment(group_id=attempt.group_id, slot_lost=True)
        _give_back(
            attempt,
            truth,
            Outcome.NO_SLOT,
            _(
                "No quota place was left when the payment was confirmed. Nothing was "
                "submitted and the payment is cancelled or refunded in full."
            ),
        )
        return
    fields = {"outcome": Outcome.SUBMITTED, "card_brand": truth.card_brand}
    if truth.status == ProviderStatus.AUTHORISED:
        _move_through(
            attempt, [S.AUTHORISED, S.CAPTURING], settle_action=SettleAction.CAPTURE, **fields
        )
    else:
        _move_through(attempt, [S.PAID], **fields)


def _move_through(
    attempt: PaymentAttempt, path: list[str], *, reason: str = "", **fields: object
) -> None:
    """Move along `path`, skipping the statuses the attempt has passed; fields go with the last."""
    for index, status in enumerate(path):
        last = index == len(path) - 1
        if attempt.status == status and not last:
            continue
        if attempt.status != status and not states.allowed(attempt.status, status):
            continue
        states.move(attempt, status, reason=reason, **(fields if last else {}))


def _give_back(
    attempt: PaymentAttempt, truth: ProviderPayment, outcome: str, message: object
) -> None:
    """The money must go back: cancel an authorisation, refund a payment (one Refund row)."""
    fields = {"outcome": outcome, "failure_message": str(message), "card_brand": truth.card_brand}
    if truth.status == ProviderStatus.AUTHORISED:
        _move_through(attempt, [S.AUTHORISED], settle_action=SettleAction.CANCEL, **fields)
        return
    Refund.objects.get_or_create(
        attempt=attempt,
        defaults={
            "amount_cents": truth.amount_received_cents or attempt.amount_cents,
            "reason": str(message),
        },
    )
    _move_through(attempt, [S.PAID, S.REFUNDING], settle_action=SettleAction.REFUND, **fields)


def _note_unpaid_truth(attempt: PaymentAttempt, truth: ProviderPayment) -> None:
    if truth.status in (ProviderStatus.PENDING, ProviderStatus.PROCESSING):
        if attempt.status == S.CREATED:
            states.move(attempt, S.PENDING, reason="provider pending")
        return
    if attempt.status not in (S.CREATED, S.PENDING, S.EXPIRED):
        # Money was there before (authorised) and is gone now: officers look.
        states.move(
            attempt, S.NEEDS_REVIEW, reason=f"provider says {truth.raw_status or truth.status}"
        )
        return
    if attempt.status == S.EXPIRED:
        return
    target = S.FAILED if truth.status == ProviderStatus.FAILED else S.CANCELLED
    states.move(
        attempt,
        target,
        reason="provider " + truth.status,
        failure_message=truth.failure_message[:300],
    )
    application_services.end_payment(group_id=attempt.group_id)


def _note_settled_truth(attempt: PaymentAttempt, truth: ProviderPayment) -> None:
    """After the outcome: a capture, cancel or refund seen at the provider finishes the move."""
    if attempt.status == S.CAPTURING and truth.status == ProviderStatus.PAID:
        states.move(attempt, S.PAID, reason="captured", settle_action=SettleAction.NONE)
    elif attempt.status == S.AUTHORISED and truth.status == ProviderStatus.CANCELLED:
        states.move(
            attempt, S.CANCELLED, reason="authorisation cancelled", settle_action=SettleAction.NONE
        )
    elif (
        attempt.status == S.REFUNDING
        and truth.amount_received_cents
        and truth.amount_refunded_cents >= truth.amount_received_cents
    ):
        Refund.objects.filter(attempt=attempt).update(status=Refund.Status.SUCCEEDED)
        states.move(attempt, S.REFUNDED, reason="refunded", settle_action=SettleAction.NONE)


# The provider calls owed after a commit


def settle(*, attempt: PaymentAttempt) -> PaymentAttempt:
    """Make the provider call the attempt still owes (capture, cancel, refund), outside any
    transaction, with a key derived from our row; then record what it did. Idempotent."""
    action = attempt.settle_action
    if not action:
        return attempt
    provider = registry.provider_named(attempt.provider)
    reference = attempt.provider_reference
    try:
        if action == SettleAction.CAPTURE:
            result = provider.capture(
                reference,
                amount_cents=attempt.amount_cents,
                idempotency_key=f"capture:{attempt.pk}",
            )
            if result.status == ProviderStatus.PAID:
                states.move(attempt, S.PAID, reason="captured", settle_action=SettleAction.NONE)
        elif action == SettleAction.CANCEL:
            result = provider.cancel(reference, idempotency_key=f"cancel:{attempt.pk}")
            if result.status == ProviderStatus.CANCELLED:
                states.move(
                    attempt,
                    S.CANCELLED,
                    reason="authorisation cancelled",
                    settle_action=SettleAction.NONE,
                )
        elif action == SettleAction.REFUND:
            _refund(attempt, provider)
    except ProviderUnavailable:
        logger.warning("payment %s: %s deferred, provider unavailable", attempt.reference, action)
    except PaymentRefused as exc:
        logger.error("payment %s: %s refused: %s", attempt.reference, action, exc)
        states.move(
            attempt,
            S.NEEDS_REVIEW,
            reason=f"{action} refused by the provider",
            settle_action=SettleAction.NONE,
        )
    return PaymentAttempt.objects.get(pk=attempt.pk)


def _refund(attempt: PaymentAttempt, provider: PaymentProvider) -> None:
    refund = Refund.objects.get(attempt=attempt)
    if refund.status == Refund.Status.SUCCEEDED:
        states.move(attempt, S.REFUNDED, reason="refunded", settle_action=SettleAction.NONE)
        return
    # Our row, not the provider, guarantees one refund: claim it before calling.
    claimed = Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
        status=Refund.Status.PENDING
    )
    if not claimed:
        return  # another worker is calling, or the provider said pending: its event will come
    try:
        result = provider.refund(
            attempt.provider_reference,
            amount_cents=refund.amount_cents,
            idempotency_key=refund.idempotency_key,
        )
    except ProviderUnavailable:
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.REQUESTED)
        raise
    Refund.objects.filter(pk=refund.pk).update(
        provider_refund_reference=result.provider_refund_reference,
        status=Refund.Status.SUCCEEDED if result.succeeded else Refund.Status.PENDING,
    )
    if result.succeeded:
        states.move(attempt, S.REFUNDED, reason="refunded", settle_action=SettleAction.NONE)


# The payer gives up; the window ends


def cancel_attempt(*, attempt: PaymentAttempt, expired: bool = False) -> PaymentAttempt:
    """The payer cancelled (or the window ended): stop the payment at the provider if it can be
    stopped, then follow the truth. A payment already made is confirmed instead. A method that
    cannot be stopped (a transfer the payer may still make) ends as expired, so money that
    arrives later is still matched (and submitted or refunded)."""
    if attempt.status not in states.ACTIVE or attempt.outcome:
        return attempt
    provider = registry.provider_named(attempt.provider)
    truth = None
    if attempt.provider_reference:
        try:
            truth = provider.cancel(
                attempt.provider_reference, idempotency_key=f"cancel:{attempt.pk}"
            )
        except ProviderUnavailable:
            raise TryAgainLater() from None
        except PaymentRefused:
            truth = None
    if truth is not None and truth.status in (ProviderStatus.AUTHORISED, ProviderStatus.PAID):
        return confirm_attempt(attempt=attempt)
    with transaction.atomic(durable=True):
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status not in states.ACTIVE or locked.outcome:
            return locked
        stopped = truth is None or truth.status in (ProviderStatus.CANCELLED, ProviderStatus.FAILED)
        target = S.EXPIRED if (expired or not stopped) else S.CANCELLED
        states.move(locked, target, reason="window ended" if expired else "cancelled by the payer")
        application_services.end_payment(group_id=locked.group_id)
    return PaymentAttempt.objects.get(pk=attempt.pk)


def refund_duplicate(*, attempt: PaymentAttempt, by: User, reason: str) -> Refund:
    """A supervisor refunds a payment the group did not need (recorded with who and why).
    Raises PaymentError unless the attempt is paid and is not the one that submitted its group."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Give the reason for the refund."))
    with transaction.atomic(durable=True):
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != S.PAID or locked.outcome == Outcome.SUBMITTED:
            raise PaymentError(
                _("Only a paid payment that did not submit its application can be refunded.")
            )
        refund, _created = Refund.objects.get_or_create(
            attempt=locked,
            defaults={
                "amount_cents": locked.amount_cents,
                "reason": reason[:300],
                "requested_by": by,
            },
        )
        states.move(
            locked,
            S.REFUNDING,
            reason=f"refund by {by}: {reason}"[:300],
            settle_action=SettleAction.REFUND,
        )
    settle(attempt=PaymentAttempt.objects.get(pk=attempt.pk))
    return Refund.objects.get(pk=refund.pk)


# Reconciliation: a lost webhook never strands a payment or a hold


@dataclass(frozen=True)
class Reconciled:
    confirmed: int = 0
    expired: int = 0
    settled: int = 0
    failed: int = 0


def reconcile(*, now: datetime.datetime | None = None) -> Reconciled:
    """Re-fetch attempts still not final RECONCILE_AFTER after their last change and settle
    them; end those pending past their window (and its grace); finish captures, cancels and
    refunds still owed; send to review authorisations near the end of their hold."""
    now = now or timezone.now()
    quiet_since = now - datetime.timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER_SECONDS)
    grace = datetime.timedelta(minutes=settings.PAYMENT_EXPIRY_GRACE_MINUTES)
    counts = {"confirmed": 0, "expired": 0, "settled": 0, "failed": 0}
    due = (
        PaymentAttempt.objects.unsettled().filter(updated_at__lt=quiet_since).order_by("updated_at")
    )
    for attempt in due[: settings.PAYMENT_RECONCILE_BATCH]:
        try:
            after = confirm_attempt(attempt=attempt)
            if after.status in (S.CREATED, S.PENDING) and after.window_ends_at + grace < now:
                cancel_attempt(attempt=after, expired=True)
                counts["expired"] += 1
            elif after.settle_action:
                settle(attempt=after)
                counts["settled"] += 1
            else:
                counts["confirmed"] += 1
            _review_old_authorisation(PaymentAttempt.objects.get(pk=attempt.pk), now=now)
        except (TryAgainLater, ProviderError):
            counts["failed"] += 1
            logger.warning("reconciliation of %s deferred", attempt.reference)
    return Reconciled(**counts)


def _review_old_authorisation(attempt: PaymentAttempt, *, now: datetime.datetime) -> None:
    """An authorisation or capture still unfinished well inside the card hold goes to review."""
    if attempt.status not in (S.AUTHORISED, S.CAPTURING):
        return
    limit = datetime.timedelta(hours=settings.PAYMENT_CAPTURE_REVIEW_HOURS)
    if attempt.created_at + limit < now:
        states.move(attempt, S.NEEDS_REVIEW, reason="authorisation not finished in time")


@dataclass(frozen=True)
class Mismatch:
    provider: str
    provider_reference: str
    ours: str
    theirs: str


def daily_check(*, day: datetime.date) -> list[Mismatch]:
    """Compare our paid attempts of `day` (Hong Kong time) with each provider's records; every
    mismatch is logged for officers and returned."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    mismatches: list[Mismatch] = []
    for name in sorted(registry.in_use()):
        provider = registry.provider_named(name)
        try:
            theirs = {p.provider_reference: p for p in provider.paid_between(start, end)}
        except NotImplementedError:
            continue
        ours = {
            a.provider_reference: a
            for a in PaymentAttempt.objects.filter(
                provider=name,
                status__in=[S.PAID, S.REFUNDING, S.REFUNDED],
                updated_at__gte=start,
                updated_at__lt=end,
            )
        }
        for reference in sorted(set(theirs) | set(ours)):
            mine, their = ours.get(reference), theirs.get(reference)
            if mine is None:
                assert their is not None  # the reference came from one side or the other
                if PaymentAttempt.objects.filter(
                    provider=name,
                    provider_reference=reference,
                    status__in=[S.PAID, S.REFUNDING, S.REFUNDED],
                ).exists():
                    continue  # ours was settled on another day
                mismatches.append(Mismatch(name, reference, "not paid", str(their.status)))
            elif their is None:
                mismatches.append(Mismatch(name, reference, mine.status, "no payment"))
            elif their.amount_received_cents != mine.amount_cents:
                mismatches.append(
                    Mismatch(
                        name, reference, str(mine.amount_cents), str(their.amount_received_cents)
                    )
                )
    for mismatch in mismatches:
        logger.error("payments daily check mismatch: %s", mismatch)
    return mismatches
