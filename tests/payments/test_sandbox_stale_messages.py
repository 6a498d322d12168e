"""The sandbox's delivery tasks meet a message whose payment is not in this database (left in
Redis by an earlier run, or deleted since): a warning, no exception, no retry, nothing changed."""

import logging

import pytest

from payments.models import PaymentAttempt, SandboxPayment
from payments.tasks import deliver_sandbox_bank_notification_task, deliver_sandbox_event_task

pytestmark = pytest.mark.django_db


def _missing_id() -> int:
    last = SandboxPayment.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1000


@pytest.mark.parametrize(
    "deliver",
    [
        lambda payment_id: deliver_sandbox_event_task.apply((payment_id, "payment.updated")),
        lambda payment_id: deliver_sandbox_bank_notification_task.apply((payment_id,)),
    ],
    ids=["card_event", "bank_notification"],
)
def test_a_message_for_a_payment_not_in_the_ledger_is_logged_and_dropped(deliver, caplog):
    payment_id = _missing_id()
    with caplog.at_level(logging.WARNING, logger="payments.tasks"):
        result = deliver(payment_id)
    assert result.successful(), result.traceback
    assert result.result is None
    assert result.state == "SUCCESS"  # not RETRY: waiting would not make the row appear
    warnings = [r for r in caplog.records if r.name == "payments.tasks"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert str(payment_id) in warnings[0].getMessage()
    assert not PaymentAttempt.objects.exists()
