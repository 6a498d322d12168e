"""Back office for payments: attempts with their history and provider events, read-only for
officers; the fee (supervisors add a new fee with the time it takes effect); a supervisor's
refund of a duplicate payment, with a confirmation page and the reason, through
payments.services.refund_duplicate."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from applications import services as application_services

from . import services
from .exceptions import PaymentError
from .models import AttemptTransition, Fee, Outcome, PaymentAttempt, ProviderEvent, Refund
from .templatetags.payments import hkd


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = AttemptTransition
    fields = ("at", "from_status", "to_status", "reason")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ProviderEvent
    fields = ("received_at", "event_type", "event_id", "processed_at")
    readonly_fields = fields


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = (
        "amount_cents",
        "status",
        "reason",
        "requested_by",
        "provider_refund_reference",
        "created_at",
    )
    readonly_fields = fields


class RefundForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this payment refunded?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "group",
        "method",
        "provider",
        "amount",
        "status",
        "outcome",
        "disputed",
        "updated_at",
    )
    list_filter = ("status", "outcome", "method", "provider", "disputed")
    search_fields = (
        "provider_reference",
        "group__temporary_reference",
        "group__applications__reference_number",
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # A reference typed as people read it (GGQP-KJRR-N, tp26gep7kq3mxr) finds its stored form.
        return super().get_search_results(
            request, queryset, application_services.reference_search_term(search_term)
        )

    date_hierarchy = "created_at"
    inlines = (TransitionInline, EventInline, RefundInline)
    exclude = ("next_action",)
    list_select_related = ("group",)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name != "next_action"] + ["reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("amount"))
    def amount(self, attempt: PaymentAttempt) -> str:
        return hkd(attempt.amount_cents)

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="payments_paymentattempt_refund",
            ),
            *super().get_urls(),
        ]

    def may_refund(self, request: HttpRequest, attempt: PaymentAttempt) -> bool:
        return (
            request.user.has_perm("payments.refund_duplicate")
            and attempt.status == "paid"
            and attempt.outcome != Outcome.SUBMITTED
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        attempt = get_object_or_404(PaymentAttempt, pk=object_id)
        extra = dict(extra_context or {})
        if self.may_refund(request, attempt):
            extra["refund_url"] = reverse("admin:payments_paymentattempt_refund", args=[attempt.pk])
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def refund_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        attempt = get_object_or_404(PaymentAttempt, pk=pk)
        if not request.user.has_perm("payments.refund_duplicate"):
            raise PermissionDenied
        form = RefundForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.refund_duplicate(
                    attempt=attempt, by=cast(User, request.user), reason=form.cleaned_data["reason"]
                )
            except PaymentError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The refund was requested."))
            return HttpResponseRedirect(
                reverse("admin:payments_paymentattempt_change", args=[attempt.pk])
            )
        return TemplateResponse(
            request,
            "admin/payments/refund_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refund a duplicate payment"),
                "attempt": attempt,
                "form": form,
                "opts": self.model._meta,
                "may_refund": self.may_refund(request, attempt),
            },
        )


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    """A new fee takes effect at its time; fees already in force are history and stay."""

    list_display = ("effective_from", "amount", "note")

    @admin.display(description=_("fee per application"))
    def amount(self, fee: Fee) -> str:
        return hkd(fee.amount_cents)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
