"""The fee, payment attempts and their history, provider events, refunds, the sandbox's ledger.

A payment attempt moves only along `TRANSITIONS` (payments.states), by conditional updates that
name the state it leaves, so two writers never both move it and nothing leaves a final state.
Every move writes an AttemptTransition row: the history officers read.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationGroup

from .methods import PaymentMethod


class FeeQuerySet(models.QuerySet["Fee"]):
    def in_force(self, at: datetime.datetime | None = None) -> Fee:
        """The fee in force at `at` (now): the latest one whose effective time has come."""
        fee = (
            self.filter(effective_from__lte=at or timezone.now())
            .order_by("-effective_from")
            .first()
        )
        if fee is None:
            raise Fee.DoesNotExist("No application fee is in force.")
        return fee


class Fee(models.Model):
    """The application fee per application (the principal and each dependant alike), in HKD
    cents, from a time officers choose. A new row changes the fee; old rows stay as history."""

    amount_cents = models.PositiveIntegerField(_("fee per application (HKD cents)"))
    effective_from = models.DateTimeField(_("in force from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("application fee")
        verbose_name_plural = _("application fees")
        ordering = ("-effective_from",)
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="fee_positive"),
        ]

    def __str__(self) -> str:
        return f"HK${self.amount_cents / 100:,.2f} ({self.effective_from:%Y-%m-%d})"


class AttemptStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("Waiting for the payer")
    AUTHORISED = "authorised", _("Authorised (funds held)")
    CAPTURING = "capturing", _("Being captured")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REFUNDING = "refunding", _("Being refunded")
    REFUNDED = "refunded", _("Refunded")
    NEEDS_REVIEW = "needs_review", _("Needs review by an officer")


class Outcome(models.TextChoices):
    """What the attempt did for its group, set with the confirmation."""

    NONE = "", _("Not settled")
    SUBMITTED = "submitted", _("Paid the group's fee; the group is submitted")
    NO_SLOT = "no_slot", _("No quota place was left; nothing was submitted")
    DUPLICATE = "duplicate", _("The group was already submitted; a second payment")
    REFUSED_BRAND = "refused_brand", _("Card brand not accepted")
    INCOMPLETE = "incomplete", _("The application was no longer complete; nothing was submitted")


class SettleAction(models.TextChoices):
    """The provider call still owed after a commit; reconciliation retries it until done."""

    NONE = "", _("None")
    CAPTURE = "capture", _("Capture")
    CANCEL = "cancel", _("Cancel")
    REFUND = "refund", _("Refund")


class PaymentAttemptQuerySet(models.QuerySet["PaymentAttempt"]):
    def active(self) -> PaymentAttemptQuerySet:
        from .states import ACTIVE

        return self.filter(status__in=ACTIVE)

    def unsettled(self) -> PaymentAttemptQuerySet:
        """Not final, or still owing a provider call."""
        from .states import FINAL

        return self.exclude(Q(status__in=FINAL) & Q(settle_action=SettleAction.NONE))


class PaymentAttempt(models.Model):
    """One try at paying one group's fee through one method and provider."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        ApplicationGroup,
        verbose_name=_("application group"),
        on_delete=models.PROTECT,
        related_name="payment_attempts",
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    provider = models.CharField(_("provider"), max_length=20)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (HKD cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="HKD")
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.CREATED
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    settle_action = models.CharField(
        _("provider call owed"),
        max_length=10,
        choices=SettleAction.choices,
        blank=True,
        default=SettleAction.NONE,
    )
    # What the payer does next (a redirect, a client secret or a QR payload), as the provider
    # said at the start; kept so the payer can come back to it.
    next_action = models.JSONField(_("next action"), default=dict, blank=True)
    card_brand = models.CharField(_("card brand"), max_length=20, blank=True)
    failure_message = models.CharField(_("failure message"), max_length=300, blank=True)
    disputed = models.BooleanField(_("disputed"), default=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    window_ends_at = models.DateTimeField(_("payment window ends at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now, db_index=True)

    objects = PaymentAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ("-created_at",)
        permissions = [("refund_duplicate", _("Can refund a duplicate payment"))]
        constraints = [
            # At most one active attempt per group: a second Pay press cannot start another.
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status__in=["created", "pending", "authorised", "capturing"]),
                name="one_active_attempt_per_group",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="provider_reference_unique",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="attempt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        """Our public reference for this attempt: shown to the payer, put in FPS payloads."""
        return "P" + self.public_id.hex[:15].upper()

    @property
    def is_final(self) -> bool:
        from .states import FINAL

        return self.status in FINAL


class AttemptTransition(models.Model):
    """One move of an attempt: the history officers read. Written with every move."""

    attempt = models.ForeignKey(
        PaymentAttempt, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=AttemptStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AttemptStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("attempt history entry")
        verbose_name_plural = _("attempt history")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ProviderEvent(models.Model):
    """A verified webhook, stored once per provider and event id."""

    provider = models.CharField(_("provider"), max_length=20)
    event_id = models.CharField(_("event id"), max_length=100)
    event_type = models.CharField(_("event type"), max_length=80)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    attempt = models.ForeignKey(
        PaymentAttempt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        ordering = ("-received_at",)
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.event_id}"


class Refund(models.Model):
    """A refund of an attempt's payment. One per attempt: our row, not the provider, prevents
    a double refund (localstripe, for one, ignores idempotency keys)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PENDING = "pending", _("Pending at the provider")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="refund")
    amount_cents = models.PositiveIntegerField(_("amount (HKD cents)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    provider_refund_reference = models.CharField(
        _("provider refund reference"), max_length=100, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.attempt.reference} {self.get_status_display()}"

    @property
    def idempotency_key(self) -> str:
        return f"refund:{self.attempt_id}"


class SandboxPayment(models.Model):
    """The sandbox provider's own ledger: what a real provider would keep on its side.

    Only payments.providers.sandbox reads and writes it. `settles_at`/`settles_to` let a
    payment confirm later (after a delay, after the hold expired, PPS on the next working day):
    the sandbox reports it then, through the signed webhook, as a real provider would.
    """

    provider_reference = models.CharField(max_length=40, unique=True)
    our_reference = models.CharField(max_length=40)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=20, default="pending")
    capture_later = models.BooleanField(default=False)
    card_brand = models.CharField(max_length=20, blank=True)
    needs_authentication = models.BooleanField(default=False)
    amount_received_cents = models.PositiveIntegerField(default=0)
    amount_refunded_cents = models.PositiveIntegerField(default=0)
    settles_at = models.DateTimeField(null=True, blank=True)
    settles_to = models.CharField(max_length=20, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    return_url = models.CharField(max_length=500)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sandbox payment")
        verbose_name_plural = _("sandbox payments")

    def __str__(self) -> str:
        return self.provider_reference
