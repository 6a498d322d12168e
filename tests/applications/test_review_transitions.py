"""The review workflow's services on PostgreSQL: every transition from every status, allowed
or refused, with the audit entry it writes and the email it sends; final states; repeats."""

import pytest

from applications import tasks
from applications.exceptions import (
    DecisionEmailNotSent,
    NoteRequired,
    PrincipalNotDecided,
    TransitionNotAllowed,
)
from applications.models import Application, AuditEntry, DecisionEmail
from applications.services import assignment, review
from tests.applications import reviewing as rv

pytestmark = pytest.mark.django_db

Status = Application.Status
Action = AuditEntry.Action
STATUSES = [s for s in Status.values if s != Status.DRAFT]

# What the issue asks, written out independently of the service's table: (action, from) → to.
ALLOWED = {
    (Action.REVIEW_STARTED, Status.SUBMITTED): Status.UNDER_REVIEW,
    (Action.SUPPLEMENTARY_REQUESTED, Status.UNDER_REVIEW): Status.SUPPLEMENTARY_REQUESTED,
    (Action.REVIEW_RESUMED, Status.SUPPLEMENTARY_REQUESTED): Status.UNDER_REVIEW,
    (Action.APPROVED, Status.UNDER_REVIEW): Status.APPROVED,
    (Action.REFUSED, Status.UNDER_REVIEW): Status.REFUSED,
    (Action.WITHDRAWN, Status.SUBMITTED): Status.WITHDRAWN,
    (Action.WITHDRAWN, Status.UNDER_REVIEW): Status.WITHDRAWN,
    (Action.WITHDRAWN, Status.SUPPLEMENTARY_REQUESTED): Status.WITHDRAWN,
}
EMAILED = {
    Action.REVIEW_STARTED: "Your application is being reviewed",
    Action.APPROVED: "Your application is approved",
    Action.REFUSED: "Decision on your application",
    Action.WITHDRAWN: "Your application is withdrawn",
}
CALLS = {
    Action.REVIEW_STARTED: review.start_review,
    Action.SUPPLEMENTARY_REQUESTED: review.request_supplementary,
    Action.REVIEW_RESUMED: review.resume_review,
    Action.APPROVED: review.approve,
    Action.REFUSED: review.refuse,
    Action.WITHDRAWN: review.withdraw,
}
ALL_PAIRS = [(action, status) for action in CALLS for status in STATUSES]


def test_the_table_is_the_one_the_issue_describes():
    table = {
        (t.action, source): t.target for t in review.TRANSITIONS.values() for source in t.sources
    }
    assert table == ALLOWED
    assert {Status.APPROVED, Status.REFUSED, Status.WITHDRAWN} == review.FINAL


def _act(action, application, user, note="Checked against the documents."):
    return CALLS[action](application=application, actor=rv.actor(user), note=note)


@pytest.mark.parametrize(("action", "status"), [p for p in ALL_PAIRS if p in ALLOWED])
def test_an_allowed_transition_changes_the_status_records_it_and_emails(
    action, status, trade, django_capture_on_commit_callbacks
):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), status)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = _act(action, principal, officer)

    target = ALLOWED[(action, status)]
    assert (decision.changed, decision.previous, decision.status) == (True, status, target)
    assert rv.status_of(principal) == target
    [entry] = rv.entries(principal)
    assert (entry.action, entry.actor, entry.actor_name) == (action, officer, officer.username)
    assert entry.ip_address == rv.IP and entry.group_id == principal.group_id
    assert (entry.object_type, entry.object_id) == ("applications.application", str(principal.pk))
    assert entry.detail["from"] == status and entry.detail["to"] == target
    assert entry.detail["note"] == "Checked against the documents."
    queued = rv.queued_email_ids(callbacks)
    if action in EMAILED:
        assert queued == [DecisionEmail.objects.get(entry=entry).pk]
        [email] = rv.run_email_tasks(queued)
        assert email.to == [principal.group.contact_email]
        assert EMAILED[action] in email.subject and principal.reference_number in email.subject
        assert principal.reference_number in email.body
    else:  # the supplementary request's own email is the documents request's
        assert queued == [] and not DecisionEmail.objects.exists()


@pytest.mark.parametrize(("action", "status"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_a_forbidden_transition_changes_nothing(
    action, status, trade, django_capture_on_commit_callbacks
):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), status)
    allocation = principal.quota_allocation
    target = review.TRANSITIONS[action].target

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if target == status:  # already there: a repeat, which is no error and does nothing
            assert _act(action, principal, officer).changed is False
        else:
            with pytest.raises(TransitionNotAllowed, match="not possible"):
                _act(action, principal, officer)

    assert rv.status_of(principal) == status
    assert rv.entries(principal) == [] and callbacks == []
    allocation.refresh_from_db()
    assert not allocation.is_released


@pytest.mark.parametrize("final", sorted(review.FINAL))
def test_nothing_leaves_a_final_state(final, trade):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), final)

    for action in CALLS:
        target = review.TRANSITIONS[action].target
        if target == final:
            assert _act(action, principal, officer).changed is False
        else:
            with pytest.raises(TransitionNotAllowed):
                _act(action, principal, officer)
    with pytest.raises(TransitionNotAllowed):
        assignment.assign(application=principal, officer=officer, actor=rv.actor(officer))

    assert rv.status_of(principal) == final and rv.entries(principal) == []


def test_a_second_click_does_nothing_more(trade, django_capture_on_commit_callbacks):
    officer = rv.staff_user("officer")
    principal = rv.principal_of(rv.case(trade))
    review.start_review(application=principal, actor=rv.actor(officer))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = review.start_review(application=principal, actor=rv.actor(officer))

    assert again.changed is False and again.entry_id is None
    assert len(rv.entries(principal)) == 1 and callbacks == []


def test_a_refusal_needs_a_note(trade):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), Status.UNDER_REVIEW)

    with pytest.raises(NoteRequired):
        review.refuse(application=principal, actor=rv.actor(officer), note="   ")

    assert rv.status_of(principal) == Status.UNDER_REVIEW and rv.entries(principal) == []


def test_a_dependant_is_approved_only_after_the_principal(trade):
    officer = rv.staff_user("officer")
    group = rv.case(trade, dependants=1)
    principal = rv.set_status(rv.principal_of(group), Status.UNDER_REVIEW)
    dependant = rv.set_status(rv.dependant_of(group), Status.UNDER_REVIEW)

    with pytest.raises(PrincipalNotDecided):
        review.approve(application=dependant, actor=rv.actor(officer))
    assert rv.status_of(dependant) == Status.UNDER_REVIEW and rv.entries(dependant) == []

    review.approve(application=principal, actor=rv.actor(officer))
    decision = review.approve(application=dependant, actor=rv.actor(officer))
    # A dependant's stay (and so its fee) follows the principal's trade.
    assert decision.status == Status.APPROVED and decision.visa_fee_cents == 130_000


def test_the_supplementary_request_keeps_its_id_and_the_service_resumes_the_review(trade):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), Status.UNDER_REVIEW)

    review.request_supplementary(application=principal, actor=rv.actor(officer), request_id=41)
    review.resume_review(application=principal)

    requested, resumed = rv.entries(principal)
    assert requested.detail["request_id"] == 41
    assert (resumed.action, resumed.actor, resumed.actor_name) == (Action.REVIEW_RESUMED, None, "")
    assert rv.status_of(principal) == Status.UNDER_REVIEW


def test_the_email_is_sent_once_and_again_after_a_mail_failure(trade, settings, mailoutbox):
    officer = rv.staff_user("officer")
    principal = rv.principal_of(rv.case(trade))
    decision = review.start_review(application=principal, actor=rv.actor(officer))
    email = DecisionEmail.objects.get(entry_id=decision.entry_id)

    settings.EMAIL_BACKEND = "tests.applications.test_review_transitions.RefusingBackend"
    with pytest.raises(DecisionEmailNotSent):
        tasks.send_decision_email(email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_decision_email(email.pk) is True
    assert tasks.send_decision_email(email.pk) is False

    email.refresh_from_db()
    assert len(mailoutbox) == 1 and email.sent_at is not None and email.attempts == 2


class RefusingBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("refused")


def test_the_sweep_queues_again_an_email_still_unsent_after_five_minutes(trade, monkeypatch):
    import datetime

    from django.utils import timezone

    officer = rv.staff_user("officer")
    principal = rv.principal_of(rv.case(trade))
    decision = review.start_review(application=principal, actor=rv.actor(officer))
    email = DecisionEmail.objects.get(entry_id=decision.entry_id)
    queued: list[int] = []
    monkeypatch.setattr(tasks.send_decision_email, "delay", queued.append)

    assert tasks.send_pending_decision_emails() == 0  # just queued: its own task is on the way
    DecisionEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert tasks.send_pending_decision_emails() == 1 and queued == [email.pk]
    tasks.send_decision_email(email.pk)
    assert tasks.send_pending_decision_emails() == 0  # sent: nothing left
