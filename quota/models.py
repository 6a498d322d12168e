"""Skilled trades, quota pools (overall and per trade), holds and allocations.

Only quota.services writes pools, holds and allocations; the row locks are taken in quota.locks.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SkilledTrade(models.Model):
    """A trade on the Technical Professional List; officers maintain these rows in admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200)
    minimum_contract_months = models.PositiveSmallIntegerField(
        _("minimum contract period (months)")
    )
    initial_stay_months = models.PositiveSmallIntegerField(_("initial stay (months)"), default=36)
    guidance_en = models.TextField(_("guidance on proofs (English)"), blank=True)
    guidance_zh_hant = models.TextField(_("guidance on proofs (Traditional Chinese)"), blank=True)
    guidance_zh_hans = models.TextField(_("guidance on proofs (Simplified Chinese)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ("display_order", "code")
        verbose_name = _("skilled trade")
        verbose_name_plural = _("skilled trades")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_contract_months__gte=1),
                name="trade_minimum_contract_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def _localised(self, field: str) -> str:
        language = (get_language() or "en").lower()
        if language.startswith("zh-hant") or language in {"zh-hk", "zh-tw"}:
            return getattr(self, field + "_zh_hant") or getattr(self, field + "_en")
        if language.startswith("zh"):
            return getattr(self, field + "_zh_hans") or getattr(self, field + "_en")
        return getattr(self, field + "_en")

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def guidance(self) -> str:
        return self._localised("guidance")


def count_of(holds: models.QuerySet) -> models.Func:
    """A scalar subquery counting `holds` (which filter on an OuterRef), 0 when there are none."""
    counted = holds.order_by().annotate(n=models.Func(models.F("pk"), function="COUNT"))
    return Coalesce(models.Subquery(counted.values("n")), 0)


class QuotaPoolQuerySet(models.QuerySet["QuotaPool"]):
    def current(self, today: datetime.date) -> "QuotaPoolQuerySet":
        """Pools whose period includes `today` (a local date)."""
        return self.filter(starts_on__lte=today, ends_on__gte=today)

    def current_of_trades(self, today: datetime.date) -> "QuotaPoolQuerySet":
        """Each active trade's current pool: the one whose period includes `today` and that
        started last (periods may overlap). The one rule of which pool is current; the hot
        path's SQL (quota.hotpath._CURRENT) mirrors it and the parity test holds them equal."""
        return (
            self.current(today)
            .filter(trade__isnull=False, trade__active=True)
            .order_by("trade_id", "-starts_on", "-id")
            .distinct("trade_id")
        )

    def with_held(self, now: datetime.datetime) -> "QuotaPoolQuerySet":
        """Annotate `held`: the unexpired holds on each pool, whichever kind it is."""
        unexpired = Hold.objects.unexpired(now)
        return self.annotate(
            held=count_of(
                unexpired.filter(
                    models.Q(trade_pool=models.OuterRef("pk"))
                    | models.Q(overall_pool=models.OuterRef("pk"))
                )
            )
        )


class QuotaPool(models.Model):
    """Places for one period: the overall pool, or one trade's pool inside an overall pool.

    `allocated` and `released_pending` are counters that only quota.services writes, under the
    row lock of quota.locks: the slots secured now, and the released slots that still count as
    used until the next reopening (`reopens_at`) takes effect.
    """

    trade = models.ForeignKey(
        SkilledTrade,
        verbose_name=_("skilled trade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pools",
        help_text=_("Empty for the overall pool."),
    )
    overall = models.ForeignKey(
        "self",
        verbose_name=_("overall pool"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trade_pools",
        help_text=_("The overall pool this trade pool also draws from."),
    )
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    capacity = models.PositiveIntegerField(_("capacity"))
    allocated = models.PositiveIntegerField(_("allocated"), default=0, editable=False)
    released_pending = models.PositiveIntegerField(
        _("released, awaiting reopening"), default=0, editable=False
    )
    closed = models.BooleanField(_("closed by a supervisor"), default=False)
    reopens_at = models.DateTimeField(
        _("scheduled reopening"),
        null=True,
        blank=True,
        help_text=_(
            "From this time the pool accepts applications again and released places return."
        ),
    )

    objects = QuotaPoolQuerySet.as_manager()

    # Set by the with_held() and quota.services.trade_pools() annotations, not columns.
    held: int
    overall_held: int

    class Meta:
        ordering = ("-starts_on", "id")
        verbose_name = _("quota pool")
        verbose_name_plural = _("quota pools")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trade__isnull=True, overall__isnull=True)
                | models.Q(trade__isnull=False, overall__isnull=False),
                name="quota_pool_overall_or_trade",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="quota_pool_period_ordered",
            ),
            models.UniqueConstraint(
                fields=("trade", "starts_on"), name="quota_pool_one_per_trade_and_start"
            ),
            models.UniqueConstraint(
                fields=("starts_on",),
                condition=models.Q(trade__isnull=True),
                name="quota_pool_one_overall_per_start",
            ),
        ]

    def __str__(self) -> str:
        period = str(self.starts_on) + " - " + str(self.ends_on)
        if self.trade_id is None:
            return str(_("Overall quota")) + " " + period
        return str(self.trade) + " " + period

    @property
    def is_overall(self) -> bool:
        return self.trade_id is None

    def reopening_due(self, now: datetime.datetime) -> bool:
        return self.reopens_at is not None and self.reopens_at <= now

    def used(self, now: datetime.datetime) -> int:
        """Secured slots, plus released ones until the scheduled reopening."""
        return self.allocated + (0 if self.reopening_due(now) else self.released_pending)

    def is_closed(self, now: datetime.datetime) -> bool:
        return self.closed and not self.reopening_due(now)

    def covers(self, today: datetime.date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def remaining(self, *, held: int, now: datetime.datetime) -> int:
        return max(self.capacity - self.used(now) - held, 0)

    def clean(self) -> None:
        if self.overall_id is not None and self.overall is not None:
            if self.overall.trade_id is not None:
                raise ValidationError({"overall": _("Choose an overall pool, not a trade pool.")})
            if (
                self.starts_on
                and self.ends_on
                and not (
                    self.overall.starts_on <= self.starts_on
                    and self.ends_on <= self.overall.ends_on
                )
            ):
                raise ValidationError(
                    _("A trade pool's period must lie within its overall pool's period.")
                )
        if (self.trade_id is None) != (self.overall_id is None):
            raise ValidationError(
                _("A trade pool needs its overall pool; the overall pool has neither.")
            )


class HoldQuerySet(models.QuerySet["Hold"]):
    def unexpired(self, now: datetime.datetime) -> "HoldQuerySet":
        return self.filter(expires_at__gt=now)

    def expired(self, now: datetime.datetime) -> "HoldQuerySet":
        return self.filter(expires_at__lte=now)


class Hold(models.Model):
    """A temporary claim by one principal application on a slot of its trade and overall pools."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="quota_hold",
    )
    trade_pool = models.ForeignKey(
        QuotaPool,
        on_delete=models.CASCADE,
        related_name="trade_holds",
        verbose_name=_("trade pool"),
    )
    overall_pool = models.ForeignKey(
        QuotaPool,
        on_delete=models.CASCADE,
        related_name="overall_holds",
        verbose_name=_("overall pool"),
    )
    created_at = models.DateTimeField(_("placed at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ("expires_at",)
        indexes = [
            models.Index(fields=("trade_pool", "expires_at"), name="quota_hold_trade_expiry"),
            models.Index(fields=("overall_pool", "expires_at"), name="quota_hold_overall_expiry"),
            models.Index(fields=("expires_at",), name="quota_hold_expiry"),
        ]

    def __str__(self) -> str:
        return str(self.application_id) + " → " + str(self.expires_at)


class Allocation(models.Model):
    """The secured slot of one principal application; released when refused or withdrawn."""

    class ReleaseReason(models.TextChoices):
        REFUSED = "refused", _("Application refused")
        WITHDRAWN = "withdrawn", _("Application withdrawn")

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="quota_allocation",
    )
    trade_pool = models.ForeignKey(
        QuotaPool, on_delete=models.PROTECT, related_name="+", verbose_name=_("trade pool")
    )
    overall_pool = models.ForeignKey(
        QuotaPool, on_delete=models.PROTECT, related_name="+", verbose_name=_("overall pool")
    )
    allocated_at = models.DateTimeField(_("secured at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(
        _("release reason"), max_length=20, choices=ReleaseReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ("-allocated_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, release_reason="")
                | models.Q(released_at__isnull=False) & ~models.Q(release_reason=""),
                name="quota_allocation_release_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class QuotaChange(models.Model):
    """One recorded change to a pool: who (empty for the scheduler), when, what."""

    class Action(models.TextChoices):
        CREATED = "created", _("Pool created")
        CAPACITY = "capacity", _("Capacity changed")
        PERIOD = "period", _("Period changed")
        CLOSED = "closed", _("Pool closed")
        REOPENED = "reopened", _("Pool reopened")
        REOPENING_SCHEDULED = "reopening_scheduled", _("Reopening scheduled")
        REOPENING_CANCELLED = "reopening_cancelled", _("Scheduled reopening cancelled")
        REOPENING_APPLIED = "reopening_applied", _("Scheduled reopening took effect")

    pool = models.ForeignKey(
        QuotaPool, on_delete=models.CASCADE, related_name="changes", verbose_name=_("pool")
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    old_value = models.CharField(_("before"), max_length=100, blank=True)
    new_value = models.CharField(_("after"), max_length=100, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("quota change")
        verbose_name_plural = _("quota changes")
        ordering = ("-changed_at", "-id")

    def __str__(self) -> str:
        return str(self.get_action_display())
