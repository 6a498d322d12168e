"""Helpers of the review workflow tests: submitted cases, staff in each role, the decision
emails run as the task runs them."""

from django.contrib.auth import get_user_model
from django.core import mail

from applications import tasks
from applications.models import Application, ApplicationGroup, AuditEntry
from applications.roles import ensure_roles
from applications.services.audit import Actor
from quota.models import SkilledTrade
from tests.applications.submitting import submitted_group

IP = "203.0.113.7"


def staff_user(role: str | None, name: str = ""):
    """An active staff user in `role` ("officer", "supervisor"), or in none."""
    user = get_user_model().objects.create_user(
        username=name or (role or "staff") + "-" + str(get_user_model().objects.count()),
        password="not-used",
        is_staff=True,
    )
    if role is not None:
        user.groups.set([ensure_roles()[role]])
    return user


def actor(user) -> Actor:
    return Actor(user, IP)


def case(trade: SkilledTrade, *, language: str = "en", dependants: int = 0) -> ApplicationGroup:
    """A submitted group (its principal's slot secured), as the payments app leaves it."""
    return submitted_group(trade, language=language, dependants=dependants)


def principal_of(group: ApplicationGroup) -> Application:
    return Application.objects.get(group=group, role=Application.Role.PRINCIPAL)


def dependant_of(group: ApplicationGroup) -> Application:
    return Application.objects.filter(group=group, role=Application.Role.DEPENDANT).first()


def set_status(application: Application, status: str) -> Application:
    """Put the case in `status` directly (the start of a transition's test)."""
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def status_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


def entries(application: Application, action: str | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(application_id=application.pk).order_by("id")
    if action is not None:
        found = found.filter(action=action)
    return list(found)


def queued_email_ids(callbacks) -> list[int]:
    """The decision emails the on-commit callbacks queue (partial(task.delay, id))."""
    return [
        callback.args[0]
        for callback in callbacks
        if getattr(callback, "func", None) == tasks.send_decision_email.delay
    ]


def run_email_tasks(email_ids: list[int]) -> list:
    """Run the task for each queued email, as the worker would; return the emails sent."""
    before = len(mail.outbox)
    for email_id in email_ids:
        tasks.send_decision_email(email_id)
    return mail.outbox[before:]
