"""An FPS payment from the Pay page to the acknowledgment through the FPS provider, with a
collecting bank double behind the CollectingBank interface: the QR code, the bank's signed
confirmation at /payments/webhooks/fps/, a late transfer after the payer cancelled."""

from __future__ import annotations

import json

import pytest

from applications.models import ApplicationGroup
from payments import fps
from payments.methods import PaymentMethod
from payments.models import AttemptStatus, Outcome
from payments.providers.base import ProviderPayment, ProviderStatus, RefundResult
from payments.providers.fps import SIGNATURE_HEADER, CollectingBank
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

from .conftest import sign

pytestmark = pytest.mark.django_db
SECRET = "fps-flow-secret"


class LedgerBank(CollectingBank):
    """A collecting bank whose ledger the test writes: reference -> cents credited."""

    credited: dict[str, int] = {}
    refunded: dict[str, int] = {}

    def lookup(self, reference: str) -> ProviderPayment:
        paid = self.credited.get(reference, 0)
        return ProviderPayment(
            provider_reference=reference,
            status=ProviderStatus.PAID if paid else ProviderStatus.PENDING,
            amount_cents=paid,
            amount_received_cents=paid,
            amount_refunded_cents=self.refunded.get(reference, 0),
        )

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> RefundResult:
        self.refunded[reference] = self.refunded.get(reference, 0) + amount_cents
        return RefundResult(
            provider_refund_reference="bank-" + idempotency_key,
            amount_cents=amount_cents,
            succeeded=True,
        )


@pytest.fixture
def trade():
    return drafting.trade_with_pool(capacity=10)


@pytest.fixture
def fps_live(settings):
    settings.PAYMENT_PROVIDERS = {"fps": "fps"}
    settings.FPS_ID = "1234567"
    settings.FPS_MERCHANT_NAME = "IMMIGRATION DEPARTMENT"
    settings.FPS_COLLECTING_BANK = "tests.payments.test_fps_flow.LedgerBank"
    settings.FPS_NOTIFICATION_SECRET = SECRET
    LedgerBank.credited, LedgerBank.refunded = {}, {}
    yield
    LedgerBank.credited, LedgerBank.refunded = {}, {}


def confirmation(client, reference: str, event_id: str, secret: str = SECRET):
    body = json.dumps({"event_id": event_id, "reference": reference, "status": "paid"}).encode()
    return client.post(
        "/payments/webhooks/fps/",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body, secret)},
    )


def test_scan_pay_and_the_banks_confirmation_submits(client, trade, fps_live):
    group = ready_group(client, trade)
    assert paying.start(client, group, PaymentMethod.FPS).status_code == 302
    attempt = paying.attempt_of(group)
    assert (attempt.provider, attempt.status) == ("fps", AttemptStatus.PENDING)
    assert attempt.provider_reference == attempt.reference
    payload = fps.parse(attempt.next_action["qr_payload"])
    assert (payload.amount_cents, payload.reference) == (60_000, attempt.reference)

    # Nothing has arrived yet: a confirmation claiming otherwise changes nothing.
    assert confirmation(client, attempt.reference, "bank-evt-1").status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING
    # A forged one is refused.
    LedgerBank.credited[attempt.reference] = 60_000
    assert confirmation(client, attempt.reference, "bank-evt-2", "forged").status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING

    assert confirmation(client, attempt.reference, "bank-evt-3").status_code == 200

    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED


def _cancelled_by_the_payer(client, group):
    paying.start(client, group, PaymentMethod.FPS)
    attempt = paying.attempt_of(group)
    client.post(f"/en/payments/attempt/{attempt.public_id}/cancel/")
    attempt.refresh_from_db()
    # Nothing can be stopped at the bank: the attempt expires, and late money is still matched.
    assert attempt.status == AttemptStatus.EXPIRED
    return attempt


def test_a_transfer_after_the_payer_cancelled_submits_while_a_place_is_left(
    client, trade, fps_live
):
    group = ready_group(client, trade)
    attempt = _cancelled_by_the_payer(client, group)

    LedgerBank.credited[attempt.reference] = 60_000
    assert confirmation(client, attempt.reference, "bank-evt-late").status_code == 200

    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    assert LedgerBank.refunded == {}


def test_a_transfer_after_the_payer_cancelled_is_refunded_when_no_place_is_left(
    client, trade, fps_live, django_capture_on_commit_callbacks
):
    group = ready_group(client, trade)
    attempt = _cancelled_by_the_payer(client, group)
    drafting.fill_pool(trade)

    LedgerBank.credited[attempt.reference] = 60_000
    with django_capture_on_commit_callbacks() as callbacks:
        assert confirmation(client, attempt.reference, "bank-evt-late").status_code == 200
    paying.run_queued_tasks(callbacks)

    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.REFUNDED, Outcome.NO_SLOT)
    assert LedgerBank.refunded == {attempt.reference: 60_000}
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
