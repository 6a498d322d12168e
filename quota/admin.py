"""Back office for trades and quota pools.

Officers look (view permissions); supervisors change capacities and periods, close or reopen
pools and schedule reopenings. Every pool change goes through quota.supervision, which takes the
row lock and records who changed what and when (QuotaChange, shown on each pool's page).
Closing and reopening by the list's actions asks for confirmation first, and goes to the
back office's audit trail too. Holds and allocations are written only by quota.services and
are read-only here.
"""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import AuditEntry
from applications.services import audit

from . import supervision
from .exceptions import QuotaError
from .models import Allocation, Hold, QuotaChange, QuotaPool, QuotaPoolQuerySet, SkilledTrade


class TradePoolInline(admin.TabularInline):
    """The trade's pools with their figures; changes are made on each pool's own page."""

    model = QuotaPool
    fk_name = "trade"
    fields = ("pool_link", "capacity", "allocated", "held_now", "remaining_now", "closed")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuotaPool]:
        return cast(QuotaPoolQuerySet, super().get_queryset(request)).with_held(timezone.now())

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("pool"))
    def pool_link(self, pool: QuotaPool) -> str:
        url = reverse("admin:quota_quotapool_change", args=[pool.pk])
        return format_html('<a href="{}">{}</a>', url, pool)

    @admin.display(description=_("held"))
    def held_now(self, pool: QuotaPool) -> int:
        return pool.held

    @admin.display(description=_("remaining"))
    def remaining_now(self, pool: QuotaPool) -> int:
        return pool.remaining(held=pool.held, now=timezone.now())


@admin.register(SkilledTrade)
class SkilledTradeAdmin(admin.ModelAdmin):
    inlines = (TradePoolInline,)
    list_display = (
        "code",
        "name_en",
        "name_zh_hant",
        "minimum_contract_months",
        "initial_stay_months",
        "active",
    )
    list_filter = ("active",)
    search_fields = ("code", "name_en", "name_zh_hant", "name_zh_hans")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # applications and pools refer to trades; deactivate instead


class QuotaChangeInline(admin.TabularInline):
    model = QuotaChange
    template = "admin/edit_inline/read_only_table.html"  # a history: no edit columns
    fields = ("changed_at", "action", "old_value", "new_value", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("changes (who, when, what)")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class QuotaPoolForm(forms.ModelForm):
    class Meta:
        model = QuotaPool
        fields = ("trade", "overall", "starts_on", "ends_on", "capacity", "closed", "reopens_at")
        help_texts = {
            "reopens_at": _(
                "From this time the pool accepts applications again and its released places "
                "return. A released place also counts on the overall pool: for a trade pool, "
                "schedule a reopening of the overall pool as well."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The date and time boxes of the reopening share one label: each gets its own name.
        field = self.fields.get("reopens_at")  # absent when the page is read-only
        widget = field.widget if field is not None else None
        if isinstance(widget, forms.MultiWidget):
            date_box, time_box = widget.widgets
            date_box.attrs["aria-label"] = _("Scheduled reopening: date")
            time_box.attrs["aria-label"] = _("Scheduled reopening: time")

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            used = self.instance.used(timezone.now())
            if capacity < used:
                self.add_error("capacity", supervision.capacity_below_used(used))
        return cleaned


def _edit(data: dict) -> supervision.PoolEdit:
    return supervision.PoolEdit(
        capacity=data["capacity"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        closed=data["closed"],
        reopens_at=data["reopens_at"],
    )


# Changes after which a trade pool's released places come back (now or at the set time).
_GIVES_BACK = {QuotaChange.Action.REOPENING_SCHEDULED, QuotaChange.Action.REOPENED}


@admin.register(QuotaPool)
class QuotaPoolAdmin(admin.ModelAdmin):
    form = QuotaPoolForm
    list_display = (
        "__str__",
        "capacity",
        "allocated",
        "held_now",
        "released_pending",
        "remaining_now",
        "state",
    )
    list_select_related = ("trade", "overall")
    list_filter = ("closed", "starts_on")
    inlines = (QuotaChangeInline,)
    actions = ("close_pools", "reopen_pools")

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuotaPool]:
        return cast(QuotaPoolQuerySet, super().get_queryset(request)).with_held(timezone.now())

    def get_readonly_fields(self, request: HttpRequest, obj: QuotaPool | None = None):
        counters = ("allocated", "held_now", "released_pending", "remaining_now")
        if obj is None:
            return ()
        return ("trade", "overall", *counters)

    @admin.display(description=_("held"))
    def held_now(self, pool: QuotaPool) -> int:
        return pool.held

    @admin.display(description=_("remaining"))
    def remaining_now(self, pool: QuotaPool) -> int:
        return pool.remaining(held=pool.held, now=timezone.now())

    @admin.display(description=_("state"))
    def state(self, pool: QuotaPool) -> str:
        now = timezone.now()
        if pool.is_closed(now):
            return str(_("closed"))
        if not pool.covers(timezone.localdate(now)):
            return str(_("outside its period"))
        if pool.remaining(held=pool.held, now=now) == 0:
            return str(_("used up"))
        return str(_("open"))

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # allocations keep their pools; close a pool instead

    def save_model(self, request: HttpRequest, obj: QuotaPool, form: forms.ModelForm, change: bool):
        try:
            if change:
                changes = supervision.change_pool(
                    pool_id=obj.pk, edit=_edit(form.cleaned_data), by=request.user
                )
                self._warn_overall_pending(request, obj.pk, changes)
            else:
                created = supervision.create_pool(
                    trade=form.cleaned_data["trade"],
                    overall=form.cleaned_data["overall"],
                    edit=_edit(form.cleaned_data),
                    by=request.user,
                )
                obj.pk = created.pk
        except QuotaError as error:
            request._quota_error = True  # type: ignore[attr-defined]  # read by response_add
            self.message_user(request, error.message, messages.ERROR)

    def message_user(self, request: HttpRequest, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_quota_error", False) and level == messages.SUCCESS:
            return  # the change was refused: do not also say it succeeded
        super().message_user(request, message, level, *args, **kwargs)

    def _warn_overall_pending(
        self, request: HttpRequest, pool_id: int, changes: list[QuotaChange]
    ) -> None:
        """After a trade pool's reopening, say if its overall pool keeps released places."""
        if not any(change.action in _GIVES_BACK for change in changes):
            return
        count = supervision.overall_places_left_pending(pool_id=pool_id)
        if count:
            message = ngettext(
                "The overall pool still counts %(count)d released place as used: this "
                "reopening does not give it back. Schedule a reopening of the overall pool too.",
                "The overall pool still counts %(count)d released places as used: this "
                "reopening does not give them back. Schedule a reopening of the overall pool too.",
                count,
            ) % {"count": count}
            self.message_user(request, message, messages.WARNING)

    def _set_closed(self, request: HttpRequest, queryset: QuerySet, *, closed: bool) -> None:
        action = AuditEntry.Action.QUOTA_CLOSED if closed else AuditEntry.Action.QUOTA_REOPENED
        actor = audit.Actor.of(request)
        done = 0
        for pool in queryset:
            try:
                # The change and its audit entry commit together.
                with transaction.atomic():
                    changes = supervision.set_closed(
                        pool_id=pool.pk, closed=closed, by=request.user
                    )
                    audit.record(
                        actor=actor,
                        action=action,
                        target=pool,
                        detail={"pool": str(pool), "changes": [c.action for c in changes]},
                    )
                done += 1
                self._warn_overall_pending(request, pool.pk, changes)
            except QuotaError as error:
                self.message_user(request, error.message, messages.ERROR)
        message = ngettext("%(count)d pool updated.", "%(count)d pools updated.", done)
        self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _confirm(
        self, request: HttpRequest, queryset: QuerySet, *, closed: bool
    ) -> TemplateResponse | None:
        """The confirmation page of closing or reopening (None once confirmed: go ahead).

        Django's action machinery posts the page back with the same action and selection, so
        the second POST passes the same permission check as the first."""
        if request.POST.get("post") == "yes":
            return None
        title = _("Close these pools?") if closed else _("Reopen these pools now?")
        return TemplateResponse(
            request,
            "admin/quota/quotapool/confirm_closing.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "pools": list(queryset),
                "closed": closed,
                "action": "close_pools" if closed else "reopen_pools",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Close the selected pools"), permissions=["change"])
    def close_pools(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        page = self._confirm(request, queryset, closed=True)
        if page is None:
            self._set_closed(request, queryset, closed=True)
        return page

    @admin.action(
        description=_("Reopen the selected pools now (released places return)"),
        permissions=["change"],
    )
    def reopen_pools(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        page = self._confirm(request, queryset, closed=False)
        if page is None:
            self._set_closed(request, queryset, closed=False)
        return page


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by quota.services only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("application", "trade_pool", "created_at", "expires_at")
    list_select_related = ("application", "trade_pool__trade")


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("application", "trade_pool", "allocated_at", "released_at", "release_reason")
    list_select_related = ("application", "trade_pool__trade")
    list_filter = ("release_reason",)


@admin.register(QuotaChange)
class QuotaChangeAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "pool", "action", "old_value", "new_value", "changed_by")
    list_select_related = ("pool__trade", "changed_by")
    list_filter = ("action",)
