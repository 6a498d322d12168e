"""Starting a draft, save and exit (its email, through locmem and a real SMTP peer), and
suspension while the trade's quota is used up."""

import re
import socket

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone, translation

from applications import references
from applications import services as suspension
from applications.models import Application, ApplicationGroup, Residence, Scheme
from applications.services import drafts
from quota import supervision
from quota.models import QuotaPool
from tests.factories import ApplicationGroupFactory

from .drafting import answers, client_address, fill_pool, start, trade_with_pool, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade():
    return trade_with_pool(capacity=5)


def test_start_creates_the_group_and_the_principal_with_the_answers(trade):
    born = years_ago(25)
    acknowledged = timezone.now()
    group = drafts.start_draft(
        answers=answers(
            trade,
            date_of_birth=born,
            nationality="CN",
            residence=Residence.OVERSEAS,
            holds_prc_passport=True,
            overseas_permanent_residence=True,
        ),
        contact_email="  mei@example.com ",
        language="zh-hant",
        pics_acknowledged_at=acknowledged,
        client_address=client_address(),
    )
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert references.is_valid(group.temporary_reference)
    assert group.contact_email == "mei@example.com"
    assert group.language == "zh-hant"
    assert group.scheme == Scheme.GEP
    assert group.pics_acknowledged_at == acknowledged
    (principal,) = group.applications.all()
    assert principal.role == Application.Role.PRINCIPAL
    assert principal.position == 0
    assert principal.trade == trade
    assert principal.date_of_birth == born
    assert principal.nationality == "CN"
    assert principal.residence == Residence.OVERSEAS
    assert principal.overseas_chinese_prc_passport


def test_a_mainland_resident_starts_under_asmtp(trade):
    group = start(trade, nationality="CN", residence=Residence.MAINLAND)
    assert group.scheme == Scheme.ASMTP


def test_start_needs_the_collection_statement_acknowledged(trade):
    with pytest.raises(drafts.CollectionStatementNotAcknowledged):
        drafts.start_draft(
            answers=answers(trade),
            contact_email="a@example.com",
            language="en",
            pics_acknowledged_at=None,
            client_address=client_address(),
        )
    assert not ApplicationGroup.objects.exists()


@pytest.mark.parametrize("email", ["", "   ", "not-an-email", "a@", "@example.com"])
def test_start_needs_a_contact_email(trade, email):
    with pytest.raises(drafts.InvalidContactEmail) as raised:
        drafts.start_draft(
            answers=answers(trade),
            contact_email=email,
            language="en",
            pics_acknowledged_at=timezone.now(),
            client_address=client_address(),
        )
    assert "name@example.com" in str(raised.value.message)
    assert not ApplicationGroup.objects.exists()


def test_start_checks_eligibility_again_and_creates_nothing_when_it_fails(trade):
    fill_pool(trade)
    groups_before = ApplicationGroup.objects.count()
    with pytest.raises(drafts.NotEligible) as raised:
        start(trade)
    assert [failure.code for failure in raised.value.failures] == ["quota"]
    assert ApplicationGroup.objects.count() == groups_before


def test_a_reference_that_is_already_taken_is_replaced(trade, monkeypatch):
    taken = ApplicationGroupFactory(temporary_reference=references.new_reference())
    fresh = references.new_reference()
    offered = iter([taken.temporary_reference, taken.temporary_reference, fresh])
    monkeypatch.setattr(references, "new_reference", lambda: next(offered))
    group = start(trade)
    assert group.temporary_reference == fresh


def test_references_that_keep_clashing_give_up_cleanly(trade, monkeypatch):
    taken = ApplicationGroupFactory(temporary_reference=references.new_reference())
    monkeypatch.setattr(references, "new_reference", lambda: taken.temporary_reference)
    with pytest.raises(drafts.ReferenceUnavailable):
        start(trade)
    assert ApplicationGroup.objects.count() == 1


def test_other_integrity_errors_are_not_mistaken_for_a_clash(trade, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("another constraint")

    monkeypatch.setattr(Application.objects, "create", broken)
    with pytest.raises(IntegrityError):
        start(trade)


# Save and exit


def test_save_and_exit_emails_the_reference_link_and_deletion_date(trade):
    group = start(trade)
    drafts.save_and_exit(group=group)
    (message,) = mail.outbox
    assert message.to == ["applicant@example.com"]
    shown = references.display(group.temporary_reference)
    assert shown in message.subject
    assert shown in message.body
    link = re.search(r"http://127\.0\.0\.1:8000/en/apply/resume/\S+/", message.body).group(0)
    token = link.rsplit("/", 2)[-2]
    assert drafts.resume_by_link(token=token) == group
    assert "14 days after they were last saved" in message.body
    assert drafts.deletion_date(group).strftime("%Y") in message.body
    (html, kind) = message.alternatives[0]
    assert kind == "text/html"
    assert shown in html
    assert 'href="' + link + '"' in html
    assert "14 days after they were last saved" in html


def test_the_email_is_in_the_groups_language(trade):
    group = start(trade)
    group.language = "zh-hant"
    group.save()
    with translation.override("en"):
        drafts.save_and_exit(group=group)
    (message,) = mail.outbox
    assert "/zh-hant/apply/resume/" in message.body
    assert "14 days after they were last saved" not in message.body
    assert "14" in message.body


def test_save_and_exit_restarts_the_fourteen_days(trade):
    group = start(trade)
    ApplicationGroup.objects.filter(pk=group.pk).update(
        updated_at=timezone.now() - drafts.DRAFT_LIFETIME + timezone.timedelta(hours=1)
    )
    drafts.save_and_exit(group=group)
    group.refresh_from_db()
    assert timezone.now() - group.updated_at < timezone.timedelta(minutes=1)


def test_a_submitted_group_cannot_be_saved_as_a_draft(trade):
    group = start(trade)
    group.status = ApplicationGroup.Status.SUBMITTED
    group.save()
    with pytest.raises(drafts.DraftError):
        drafts.save_and_exit(group=group)
    assert mail.outbox == []


def test_a_mail_server_that_refuses_raises_email_not_sent(trade, settings):
    group = start(trade)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(drafts.EmailNotSent):
        drafts.save_and_exit(group=group)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_email_goes_through_a_real_smtp_server(trade, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 Message accepted for delivery"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        group = start(trade)
        drafts.save_and_exit(group=group)
    finally:
        controller.stop()
    (envelope,) = received
    assert envelope.rcpt_tos == ["applicant@example.com"]
    content = envelope.content.decode()
    assert "multipart/alternative" in content
    assert "text/html" in content
    assert "/en/apply/resume/" in content


# Suspension


def test_a_draft_is_suspended_while_its_trades_quota_is_used_up_and_resumes_after():
    trade = trade_with_pool(capacity=1)
    group = start(trade)
    assert not suspension.drafts_suspended(group=group)
    assert suspension.suspension_reason(group=group) is None

    fill_pool(trade)
    assert suspension.drafts_suspended(group=group)
    reason = suspension.suspension_reason(group=group)
    assert "The quota for " + trade.name_en + " is used up" in reason
    assert "cannot go on to payment" in reason

    pool = QuotaPool.objects.get(trade=trade)
    supervision.change_pool(
        pool_id=pool.pk,
        edit=supervision.PoolEdit(
            capacity=2,
            starts_on=pool.starts_on,
            ends_on=pool.ends_on,
            closed=False,
            reopens_at=None,
        ),
        by=None,
    )
    assert not suspension.drafts_suspended(group=group)


def test_a_closed_pool_suspends_with_its_own_wording(trade):
    group = start(trade)
    QuotaPool.objects.filter(trade=trade).update(closed=True)
    assert "not being accepted at the moment" in suspension.suspension_reason(group=group)


def test_a_used_up_overall_quota_is_named(trade):
    group = start(trade)
    overall = QuotaPool.objects.get(trade=trade).overall
    QuotaPool.objects.filter(pk=overall.pk).update(capacity=0)
    assert "The overall quota is used up" in suspension.suspension_reason(group=group)


def test_only_drafts_are_suspended(trade):
    group = start(trade)
    QuotaPool.objects.filter(trade=trade).update(closed=True)
    group.status = ApplicationGroup.Status.SUBMITTED
    group.save()
    assert not suspension.drafts_suspended(group=group)
