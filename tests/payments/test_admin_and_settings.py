"""Officers read payments in admin; only supervisors refund a duplicate payment, with a
confirmation page and a reason; production never starts on the sandbox."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from applications.roles import OFFICER, SUPERVISOR, ensure_roles
from payments.apps import refuse_sandbox_in_production
from payments.methods import PaymentMethod
from payments.models import AttemptStatus, Outcome, PaymentAttempt, Refund
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db
_users = itertools.count(1)


def _staff(client, role):
    user = get_user_model().objects.create_user(
        username=f"{role}-{next(_users)}", password="not-used", is_staff=True
    )
    user.groups.set([ensure_roles()[role]])
    log_in_staff(client, user)
    return user


@pytest.fixture
def duplicate(client):
    """A paid attempt that did not submit its group (a second payment, not yet refunded)."""
    group = ready_group(client, drafting.trade_with_pool(capacity=5))
    paying.start(client, group, PaymentMethod.ALIPAY)
    attempt = paying.attempt_of(group)
    paying.follow_return(client, paying.play(client, attempt, "success"))
    PaymentAttempt.objects.filter(pk=attempt.pk).update(outcome=Outcome.DUPLICATE)
    client.logout()
    return PaymentAttempt.objects.get(pk=attempt.pk)


def test_an_officer_reads_attempts_with_their_history_but_changes_nothing(client, duplicate):
    _staff(client, OFFICER)
    listing = client.get("/admin/payments/paymentattempt/")
    assert listing.status_code == 200 and duplicate.reference in listing.content.decode()
    page = client.get(f"/admin/payments/paymentattempt/{duplicate.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "pending" in body and "paid" in body  # the history
    assert "Refund this duplicate payment" not in body
    refund_url = f"/admin/payments/paymentattempt/{duplicate.pk}/refund/"
    assert client.get(refund_url).status_code == 403
    assert client.post(refund_url, {"reason": "crafted"}).status_code == 403
    assert not Refund.objects.exists()


def test_a_supervisor_refunds_a_duplicate_after_confirming_with_a_reason(client, duplicate):
    supervisor = _staff(client, SUPERVISOR)
    page = client.get(f"/admin/payments/paymentattempt/{duplicate.pk}/change/")
    assert "Refund this duplicate payment" in page.content.decode()
    refund_url = f"/admin/payments/paymentattempt/{duplicate.pk}/refund/"
    confirm = client.get(refund_url)
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert client.post(refund_url, {"reason": ""}).status_code == 200  # the reason is required
    assert not Refund.objects.exists()
    response = client.post(refund_url, {"reason": "Paid twice from two tabs"})
    assert response.status_code == 302
    refund = Refund.objects.get(attempt=duplicate)
    assert (refund.requested_by, refund.reason, refund.status) == (
        supervisor,
        "Paid twice from two tabs",
        Refund.Status.SUCCEEDED,
    )
    duplicate.refresh_from_db()
    assert duplicate.status == AttemptStatus.REFUNDED
    # Asking again refunds nothing more.
    client.post(refund_url, {"reason": "again"})
    assert paying.sandbox_of(duplicate).amount_refunded_cents == 60000


def test_the_payment_that_submitted_its_group_cannot_be_refunded(client, duplicate):
    PaymentAttempt.objects.filter(pk=duplicate.pk).update(outcome=Outcome.SUBMITTED)
    _staff(client, SUPERVISOR)
    client.post(f"/admin/payments/paymentattempt/{duplicate.pk}/refund/", {"reason": "try"})
    assert not Refund.objects.exists()


def test_the_sandbox_is_refused_with_debug_off_unless_allowed(settings):
    settings.DEBUG = False
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.PAYMENT_SANDBOX_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="sandbox"):
        refuse_sandbox_in_production()
    settings.PAYMENT_SANDBOX_ALLOWED = True
    refuse_sandbox_in_production()
    settings.PAYMENT_SANDBOX_ALLOWED = False
    settings.PAYMENT_PROVIDER = "stripe"
    settings.PAYMENT_PROVIDERS = {"fps": "fps", "pps": "sandbox"}
    with pytest.raises(ImproperlyConfigured, match="pps"):
        refuse_sandbox_in_production()
    settings.PAYMENT_PROVIDERS = {"fps": "fps", "pps": "stripe", "unionpay_app": "stripe"}
    refuse_sandbox_in_production()
    settings.DEBUG = True
    settings.PAYMENT_PROVIDER = "sandbox"
    refuse_sandbox_in_production()


def test_the_service_does_not_start_on_the_sandbox_in_production(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PAYMENT_SANDBOX_ALLOWED", "DEBUG", "PAYMENT_PROVIDER")
    }
    env.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="immapp.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "PAYMENT_SANDBOX_ALLOWED" in result.stderr
