"""The payer's pages (the Pay page, the attempt's page and the return) and the webhooks.

Thin: each loads what the applicant's session may open (applications.access), calls one service
and answers. The webhooks read the raw body, capped at WEBHOOK_MAX_BYTES, and answer with the
status payments.webhooks decides.
"""

from __future__ import annotations

import contextlib
import uuid

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from applications import services as application_services
from applications.access import (
    GroupSubmitted,
    acknowledgment_when_submitted,
    applicant_group_or_404,
)
from applications.models import ApplicationGroup

from . import fps, services, webhooks
from .exceptions import PaymentError
from .methods import METHOD_GROUPS
from .models import AttemptStatus, Outcome, PaymentAttempt
from .providers import registry
from .providers.base import NextActionKind

WEBHOOK_MAX_BYTES = 256 * 1024


def _acknowledgment(group: ApplicationGroup) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("applications:acknowledgment", kwargs={"group_id": group.public_id})
    )


@never_cache
@require_http_methods(["GET", "POST"])
@acknowledgment_when_submitted
def pay(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """The fee, who it is for, the methods; POST starts the payment with the chosen method."""
    group = applicant_group_or_404(request, group_id)
    active = services.active_attempt(group=group)
    if active is not None:
        return HttpResponseRedirect(active_url(active))
    readiness = application_services.readiness(group)
    error = ""
    chosen = ""
    try:
        quote = services.quote(group=group)
    except PaymentError as exc:
        return render(
            request, "payments/unavailable.html", {"group": group, "error": exc.message}, status=503
        )
    if request.method == "POST" and readiness.ready:
        chosen = request.POST.get("method", "")[:40]
        return_url = request.build_absolute_uri(
            reverse(
                "payments:return", kwargs={"attempt_id": "00000000-0000-0000-0000-000000000000"}
            )
        ).replace("00000000-0000-0000-0000-000000000000", "{attempt}")
        try:
            attempt = services.start_payment(group=group, method=chosen, return_url=return_url)
        except PaymentError as exc:
            error = str(exc.message)
        else:
            return HttpResponseRedirect(next_url(attempt))
    return render(
        request,
        "payments/pay.html",
        {
            "group": group,
            "quote": quote,
            "readiness": readiness,
            "suspension": application_services.suspension_reason(group=group, displayed=True),
            "method_groups": METHOD_GROUPS,
            "chosen": chosen,
            "error": error,
            "last": group.payment_attempts.exclude(failure_message="").first(),
        },
        status=400 if error else 200,
    )


def next_url(attempt: PaymentAttempt) -> str:
    """Where the payer goes after starting: the provider's page, or our page for the rest."""
    action = attempt.next_action or {}
    if action.get("kind") == NextActionKind.REDIRECT and action.get("url"):
        return str(action["url"])
    return active_url(attempt)


def active_url(attempt: PaymentAttempt) -> str:
    return reverse("payments:attempt", kwargs={"attempt_id": attempt.public_id})


def _attempt_or_404(request: HttpRequest, attempt_id: uuid.UUID) -> PaymentAttempt:
    attempt = PaymentAttempt.objects.select_related("group").filter(public_id=attempt_id).first()
    if attempt is None:
        raise Http404
    # The payer's session only; a submitted group too (by this attempt, or by another one,
    # and this one is then being returned).
    with contextlib.suppress(GroupSubmitted):
        applicant_group_or_404(request, attempt.group.public_id)
    return attempt


# Stripe's card form (the Payment Element) is Stripe.js in frames from Stripe's origins: allowed
# on the attempt's page only, and only those origins.
STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


@never_cache
@csp_update(STRIPE_CSP)  # type: ignore[arg-type]  # django-csp types views without URL arguments
def attempt_page(request: HttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """One attempt: what to do next (scan the QR code, pay on the provider's page), or how it
    ended. A payment still being confirmed refreshes itself."""
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.outcome == Outcome.SUBMITTED:
        return _acknowledgment(attempt.group)
    return render(request, "payments/attempt.html", _attempt_context(attempt))


def _attempt_context(attempt: PaymentAttempt) -> dict[str, object]:
    action = attempt.next_action or {}
    qr_svg = ""
    if action.get("kind") == NextActionKind.QR and action.get("qr_payload"):
        # segno's own drawing of our (or Stripe's) payload: no markup of anyone else's.
        qr_svg = mark_safe(fps.svg(str(action["qr_payload"]), title=str(_qr_title())))  # noqa: S308
    stripe_card = None
    if action.get("kind") == NextActionKind.CLIENT_SECRET and action.get("client_secret"):
        stripe_card = {
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "client_secret": action["client_secret"],
            "locale": {"zh-hant": "zh-HK", "zh-hans": "zh"}.get(attempt.language, "en"),
        }
    return {
        "stripe_card": stripe_card,
        "qr_svg": qr_svg,
        "action_url": action.get("url", ""),
        "attempt": attempt,
        "group": attempt.group,
        "active": attempt.status in (AttemptStatus.CREATED, AttemptStatus.PENDING),
        "next_url": next_url(attempt),
        "qr": (attempt.next_action or {}).get("kind") == NextActionKind.QR,
        "refresh_seconds": 5,
    }


@never_cache
def return_view(request: HttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """The payer's browser back from the provider: confirm now rather than wait for the
    webhook (whichever comes first; the other changes nothing)."""
    attempt = _attempt_or_404(request, attempt_id)
    try:
        attempt = services.confirm_attempt(attempt=attempt)
    except PaymentError as exc:
        messages.warning(request, str(exc.message))
    if attempt.outcome == Outcome.SUBMITTED:
        return _acknowledgment(attempt.group)
    if attempt.status in (AttemptStatus.FAILED, AttemptStatus.CANCELLED, AttemptStatus.EXPIRED) or (
        attempt.outcome and attempt.outcome != Outcome.SUBMITTED
    ):
        if attempt.failure_message:
            messages.error(request, attempt.failure_message)
        return HttpResponseRedirect(
            reverse("payments:pay", kwargs={"group_id": attempt.group.public_id})
        )
    return HttpResponseRedirect(active_url(attempt))


@require_POST
def cancel(request: HttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """The payer gives up this attempt: the hold is released and the draft is editable again,
    unless the payment had already gone through (then it is confirmed)."""
    attempt = _attempt_or_404(request, attempt_id)
    try:
        attempt = services.cancel_attempt(attempt=attempt)
    except PaymentError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(active_url(attempt))
    if attempt.outcome == Outcome.SUBMITTED:
        return _acknowledgment(attempt.group)
    messages.info(request, _cancelled_message())
    return HttpResponseRedirect(
        reverse("payments:pay", kwargs={"group_id": attempt.group.public_id})
    )


def _qr_title() -> str:
    from django.utils.translation import gettext

    return gettext("QR code for this payment")


def _cancelled_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "The payment was cancelled. Nothing was taken and your application is as you left it."
    )


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's notification. Verified on the raw body; never trusted beyond a trigger."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > WEBHOOK_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(WEBHOOK_MAX_BYTES + 1)
    if len(body) > WEBHOOK_MAX_BYTES:
        return HttpResponse(status=413)
    if provider not in registry.in_use():
        raise Http404  # a provider this deployment does not use has no webhook
    status = webhooks.receive(provider, body=body, headers=request.headers)
    if status == 404:
        raise Http404
    if status == 400:
        return HttpResponseBadRequest("bad signature")
    return HttpResponse(status=status)
