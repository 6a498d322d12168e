"""The audit trail is append-only: the table refuses UPDATE and DELETE whoever sends them (the
ORM, SQL), admin offers no change or deletion to anyone, and only supervisors read it."""

import pytest
from django.contrib.auth import get_user_model
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse

from applications.models import AuditEntry
from applications.services import assignment, audit, review
from tests.applications import reviewing as rv
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(trade):
    officer = rv.staff_user("officer")
    principal = rv.principal_of(rv.case(trade))
    # An assignment: no decision email refers to its entry (which would PROTECT it in Python
    # already), so the deletion reaches the table.
    decision = assignment.assign(
        application=principal, officer=officer, actor=rv.actor(officer), note="Hi."
    )
    return AuditEntry.objects.get(pk=decision.entry_id)


def _refused(change) -> str:
    with pytest.raises(ProgrammingError) as raised, transaction.atomic():
        change()
    return str(raised.value)


def test_the_orm_cannot_update_or_delete_an_entry(entry):
    def save_changed():
        entry.detail = {"note": "Rewritten."}
        entry.save()

    messages = [
        _refused(save_changed),
        _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone")),
        _refused(entry.delete),
        _refused(lambda: AuditEntry.objects.all().delete()),
    ]

    assert all("the audit trail is append-only" in message for message in messages)
    assert "UPDATE refused" in messages[0] and "DELETE refused" in messages[2]
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.detail["note"] == "Hi." and kept.actor_name == entry.actor_name


def test_sql_cannot_either(entry):
    def run(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    _refused(lambda: run("UPDATE applications_auditentry SET action = 'approved' WHERE id = %s"))
    _refused(lambda: run("DELETE FROM applications_auditentry WHERE id = %s"))

    assert AuditEntry.objects.get(pk=entry.pk).action == AuditEntry.Action.ASSIGNED


def test_entries_are_still_added(entry, rf):
    request = rf.get("/")
    request.user = entry.actor

    added = audit.record_export(request, what="cases", criteria="status=refused&q=chan", count=3)

    assert AuditEntry.objects.count() == 2
    assert added.detail == {"criteria": "status=refused&q=chan", "rows": 3}
    assert (added.object_type, added.object_id, added.ip_address) == (
        "export",
        "cases",
        "127.0.0.1",
    )


def test_an_unknown_action_is_refused(entry):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(actor=audit.SERVICE, action="rewritten", target=entry)


def test_the_officer_who_acted_cannot_be_deleted(entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.actor.delete()


def test_admin_is_read_only_for_supervisors_and_superusers(client, entry):
    list_url = reverse("admin:applications_auditentry_changelist")
    change_url = reverse("admin:applications_auditentry_change", args=[entry.pk])
    delete_url = reverse("admin:applications_auditentry_delete", args=[entry.pk])
    root = get_user_model().objects.create_superuser("root", password="not-used")

    for user in (rv.staff_user("supervisor"), root):
        log_in_staff(client, user)
        listed = client.get(list_url)
        page = client.get(change_url)
        changed = client.post(change_url, {"actor_name": "someone", "action": "approved"})
        deleted = client.post(delete_url, {"post": "yes"})
        bulk = client.post(list_url, {"action": "delete_selected", "_selected_action": [entry.pk]})

        assert listed.status_code == 200 and entry.actor_name in listed.content.decode()
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert changed.status_code == 403 and deleted.status_code == 403
        assert b"delete_selected" not in listed.content and bulk.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == entry.actor_name
    assert client.get(reverse("admin:applications_auditentry_add")).status_code == 403


def test_officers_do_not_read_the_audit_trail(client, entry):
    log_in_staff(client, rv.staff_user("officer"))

    response = client.get(reverse("admin:applications_auditentry_changelist"))

    assert response.status_code == 403


def test_the_history_gives_the_groups_workflow_in_order(trade, rf):
    officer = rv.staff_user("officer", name="officer-h")
    group = rv.case(trade, dependants=1)
    principal, dependant = rv.principal_of(group), rv.dependant_of(group)
    review.start_review(application=principal, actor=rv.actor(officer))
    assignment.assign(application=dependant, officer=officer, actor=rv.actor(officer))
    review.withdraw(application=dependant, actor=rv.actor(officer), note="By letter.")
    request = rf.get("/")
    request.user = officer
    audit.record_view(request, principal)  # a look at the case is no step of the workflow

    lines = [text for _at, text in audit.history(group_id=group.pk)]

    assert lines == [
        "Review started: " + principal.reference_number + ", by officer-h",
        "Assigned: " + dependant.reference_number + ", by officer-h → officer-h",
        "Withdrawn at the applicant's request: "
        + dependant.reference_number
        + ", by officer-h Note: By letter.",
    ]
