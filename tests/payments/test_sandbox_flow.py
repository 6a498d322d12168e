"""The whole payment through the test client, as a payer plays it on the sandbox: every method
in the three languages, and every outcome the sandbox offers."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationGroup
from payments.methods import CARD_METHODS, PaymentMethod
from payments.models import AttemptStatus, AttemptTransition, Outcome, Refund, SandboxPayment
from quota.models import Allocation, Hold
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "zh-hant", "zh-hans"]


@pytest.fixture
def trade():
    return drafting.trade_with_pool(capacity=10)


def _submitted(group: ApplicationGroup) -> None:
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED
    assert group.fee_paid_cents == 60000
    principal = group.applications.get(role=Application.Role.PRINCIPAL)
    assert principal.reference_number
    assert Allocation.objects.filter(application=principal, released_at__isnull=True).count() == 1
    assert not Hold.objects.filter(application=principal).exists()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("method", PaymentMethod.values)
def test_every_method_pays_and_submits(client, trade, method, language):
    group = ready_group(client, trade)
    page = client.get(paying.pay_url(group, language))
    assert page.status_code == 200
    assert "HK$600" in page.content.decode()
    response = paying.start(client, group, method, language)
    assert response.status_code == 302, response.content.decode()[:2000]
    attempt = paying.attempt_of(group)
    assert (attempt.method, attempt.status, attempt.amount_cents) == (method, "pending", 60000)
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.PAYMENT_PENDING
    assert Hold.objects.filter(application__group=group).count() == 1
    # The wizard is read-only meanwhile and says so.
    assert "in progress" in client.get(f"/en/apply/{group.public_id}/applicant/").content.decode()

    sandbox_page = client.get(response.url)
    assert sandbox_page.status_code == 200
    back = paying.play(client, attempt, "success")
    if method == PaymentMethod.PPS:  # confirmed on the next working day
        waiting = paying.follow_return(client, back)
        assert waiting.status_code == 302 and "/attempt/" in waiting.url
        SandboxPayment.objects.filter(pk=paying.sandbox_of(attempt).pk).update(
            settles_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert paying.deliver(attempt) == 200
    else:
        if method == PaymentMethod.FPS:  # the payer's bank app sent it; "I have paid"
            assert back.status_code == 200 and "The transfer was sent" in back.content.decode()
            done = client.get(paying.return_url(attempt, language))
        else:
            done = paying.follow_return(client, back)
        assert done.status_code == 302 and done.url.endswith("/acknowledgment/"), done.url
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    history = list(
        AttemptTransition.objects.filter(attempt=attempt).values_list("to_status", flat=True)
    )
    if method in CARD_METHODS:
        assert history == ["pending", "authorised", "capturing", "paid"]
        assert paying.sandbox_of(attempt).status == "paid"  # captured after the slot
    else:
        assert history == ["pending", "paid"]
    _submitted(group)
    # The webhook arriving afterwards changes nothing.
    assert paying.deliver(attempt) == 200
    assert AttemptTransition.objects.filter(attempt=attempt).count() == len(history)
    # Paying again is impossible: the Pay page sends to the acknowledgment.
    again = paying.start(client, group, PaymentMethod.VISA)
    assert again.status_code == 302 and again.url.endswith("/acknowledgment/")


def test_the_pay_page_shows_who_pays_what_and_that_it_is_not_refundable(client, trade):
    group = ready_group(client, trade)
    for language, words in [
        ("en", "not refundable"),
        ("zh-hant", "概不退還"),
        ("zh-hans", "概不退还"),
    ]:
        body = client.get(paying.pay_url(group, language)).content.decode()
        assert "CHAN Tai Man" in body and "HK$600" in body
        assert words in body, language


def test_no_method_chosen_is_an_error_and_starts_nothing(client, trade):
    group = ready_group(client, trade)
    response = client.post(paying.pay_url(group), {"method": "bitcoin"})
    assert response.status_code == 400
    assert "Choose one of the payment methods" in response.content.decode()
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()


@pytest.mark.parametrize("outcome", ["decline", "cancel"])
def test_a_failed_or_cancelled_payment_brings_the_payer_back_with_the_draft_intact(
    client, trade, outcome
):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.MASTERCARD)
    attempt = paying.attempt_of(group)
    back = paying.follow_return(client, paying.play(client, attempt, outcome))
    assert back.status_code == 302 and back.url == paying.pay_url(group)
    attempt.refresh_from_db()
    assert attempt.status == (
        AttemptStatus.FAILED if outcome == "decline" else AttemptStatus.CANCELLED
    )
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()
    # And the payer can pay again.
    assert paying.start(client, group, PaymentMethod.VISA).status_code == 302


def test_the_payer_cancels_on_our_page(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.ALIPAY)
    attempt = paying.attempt_of(group)
    response = client.post(f"/en/payments/attempt/{attempt.public_id}/cancel/")
    assert response.status_code == 302 and response.url == paying.pay_url(group)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CANCELLED
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()


def test_three_d_secure_challenge(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.JCB)
    attempt = paying.attempt_of(group)
    challenge = paying.play(client, attempt, "challenge")
    assert challenge.status_code == 200 and "3-D Secure" in challenge.content.decode()
    back = client.post(attempt.next_action["url"], {"outcome": "authenticate"})
    done = paying.follow_return(client, back)
    assert done.url.endswith("/acknowledgment/")
    _submitted(group)


def test_a_card_brand_outside_the_four_is_cancelled_before_capture(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.VISA)
    attempt = paying.attempt_of(group)
    back = paying.follow_return(client, paying.play(client, attempt, "other_brand"))
    assert back.url == paying.pay_url(group)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.CANCELLED, Outcome.REFUSED_BRAND)
    assert paying.sandbox_of(attempt).status == "cancelled"  # never captured
    page = client.get(back.url)
    assert "Only VISA, Mastercard, UnionPay and JCB cards are accepted" in page.content.decode()
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT


def test_a_delayed_confirmation_waits_then_submits_by_the_webhook(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.WECHAT_PAY)
    attempt = paying.attempt_of(group)
    waiting = paying.follow_return(client, paying.play(client, attempt, "delayed"))
    page = client.get(waiting.url)
    assert (
        page.status_code == 200
        and "waiting for the payment to be confirmed" in page.content.decode()
    )
    SandboxPayment.objects.filter(pk=paying.sandbox_of(attempt).pk).update(
        settles_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert paying.deliver(attempt) == 200
    _submitted(group)
    assert client.get(waiting.url).url.endswith("/acknowledgment/")


def test_a_wallet_payment_after_the_hold_expired_with_the_quota_gone_is_refunded(
    client, trade, mailoutbox, django_capture_on_commit_callbacks
):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.ALIPAY)
    attempt = paying.attempt_of(group)
    paying.follow_return(client, paying.play(client, attempt, "after_hold"))
    # The hold expires; the last places go to others meanwhile.
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    drafting.fill_pool(trade)
    SandboxPayment.objects.filter(pk=paying.sandbox_of(attempt).pk).update(
        settles_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        assert paying.deliver(attempt) == 200
    paying.run_queued_tasks(callbacks)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.REFUNDED, Outcome.NO_SLOT)
    refund = Refund.objects.get(attempt=attempt)
    assert (refund.status, refund.amount_cents) == (Refund.Status.SUCCEEDED, 60000)
    assert paying.sandbox_of(attempt).amount_refunded_cents == 60000
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Allocation.objects.filter(application__group=group).exists()
    # The payer is told on the page and by email.
    page = client.get(f"/en/payments/attempt/{attempt.public_id}/")
    assert "No quota place was left" in page.content.decode()
    assert any(group.contact_email in m.to for m in mailoutbox)


def test_pressing_pay_and_cancel_in_a_loop_is_stopped(client, trade, settings):
    settings.PAYMENT_ATTEMPTS_PER_GROUP_PER_HOUR = 3
    group = ready_group(client, trade)
    for _ in range(3):
        assert paying.start(client, group, PaymentMethod.VISA).status_code == 302
        attempt = paying.attempt_of(group)
        client.post(f"/en/payments/attempt/{attempt.public_id}/cancel/")
    refused = paying.start(client, group, PaymentMethod.VISA)
    assert refused.status_code == 400
    assert "Too many payment attempts" in refused.content.decode()
    assert SandboxPayment.objects.count() == 3  # no fourth payment at the provider
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()
