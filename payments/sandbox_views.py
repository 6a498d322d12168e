"""The sandbox's payment page: the payer plays an outcome, the sandbox reports it back.

Only routed while some method is configured on the sandbox (payments.urls). It stands where a
provider's hosted page would be: it knows the sandbox's ledger, not our attempts, and reports
through the signed webhook (a Celery task, delayed where the outcome says so) before sending
the browser back to the return address, as a provider does.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import fps
from .methods import CARD_METHODS, PaymentMethod
from .models import SandboxPayment
from .providers import registry, sandbox
from .tasks import deliver_sandbox_bank_notification_task, deliver_sandbox_event_task


def _payment_or_404(reference: str) -> SandboxPayment:
    if "sandbox" not in registry.configured().values():
        raise Http404
    payment = SandboxPayment.objects.filter(provider_reference=reference[:40]).first()
    if payment is None:
        raise Http404
    return payment


def _report(payment: SandboxPayment, event_type: str) -> None:
    """Send the signed webhook after the commit; at the settling time for a delayed outcome."""
    eta = payment.settles_at

    def send() -> None:
        deliver_sandbox_event_task.apply_async((payment.pk, event_type), eta=eta)

    transaction.on_commit(send)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_page(request: HttpRequest, reference: str) -> HttpResponse:
    payment = _payment_or_404(reference)
    outcomes = sandbox.Outcome.for_method(payment.method)
    is_card = payment.method in CARD_METHODS
    error = ""
    if request.method == "POST" and payment.status == "pending":
        outcome = request.POST.get("outcome", "")
        if payment.needs_authentication:
            outcome = (
                sandbox.Outcome.SUCCESS if outcome == "authenticate" else sandbox.Outcome.DECLINE
            )
        if outcome in outcomes:
            payment = sandbox.play(
                payment, outcome, brand=sandbox.CARD_BRANDS.get(PaymentMethod(payment.method), "")
            )
            if not payment.needs_authentication:
                _report(payment, "payment.updated")
                return HttpResponseRedirect(payment.return_url)
        else:
            error = "choose"
    return render(
        request,
        "payments/sandbox.html",
        {
            "payment": payment,
            "outcomes": [(value, sandbox.Outcome.CHOICES[value]) for value in outcomes],
            "is_card": is_card,
            "method_label": PaymentMethod(payment.method).label,
            "error": error,
        },
        status=400 if error else 200,
    )


BANK_OUTCOMES = (
    sandbox.Outcome.SUCCESS,
    sandbox.Outcome.DELAYED,
    sandbox.Outcome.AFTER_HOLD,
    sandbox.Outcome.CANCEL,
)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_bank(request: HttpRequest) -> HttpResponse:
    """The payer's banking app, played: it reads the FPS QR code's payload (as scanning would),
    shows the payee, amount and reference, and sends the transfer; the sandbox bank then
    confirms it to the FPS provider through its signed notification."""
    if "sandbox_fps" not in registry.in_use():
        raise Http404
    try:
        payload = fps.parse(request.GET.get("qr", "")[:512])
    except fps.InvalidPayload:
        return render(request, "payments/sandbox_bank.html", {"invalid": True}, status=400)
    sent = None
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        if outcome in BANK_OUTCOMES:
            payment = sandbox.bank_transfer(payload, outcome)
            if payment is not None:
                eta = payment.settles_at
                transaction.on_commit(
                    lambda: deliver_sandbox_bank_notification_task.apply_async(
                        (payment.pk,), eta=eta
                    )
                )
            sent = outcome
    return render(
        request,
        "payments/sandbox_bank.html",
        {
            "payload": payload,
            "outcomes": [(value, sandbox.Outcome.CHOICES[value]) for value in BANK_OUTCOMES],
            "sent": sent,
        },
    )
