"""Going to payment, and submitting a group once its fee is paid.

The payments app calls these (it never touches the group's rows itself); only this app calls
quota. The lock order is the project's (applications.services.groups): the payment attempt (the
caller's), then the group, then the quota pools, which quota.services takes last.

- begin_payment: a ready draft goes to PAYMENT_PENDING with the principal's quota hold placed
  for the payment window; the wizard shows it read-only meanwhile.
- end_payment: a payment that failed, was cancelled or expired, or whose slot was lost: back
  to DRAFT, the hold deleted; optionally the payer is emailed that nothing was submitted.
- submit_paid_group: inside the caller's confirmation transaction, every application is
  submitted with its reference number, the acknowledgment is queued and the quota slot is
  secured last, so the pool rows stay locked only for that statement and the commit.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from quota import services as quota_services
from quota.exceptions import QuotaBusy, QuotaError

from .. import application_references
from ..exceptions import AlreadySubmitted, PaymentBlocked, SlotLost
from ..models import AcknowledgmentOutbox, Application, ApplicationGroup
from .groups import load_group, lock_group
from .readiness import Missing, readiness
from .suspension import suspension_reason

REFERENCE_TRIES = 5


@dataclass(frozen=True)
class Submission:
    """What submitting a group gave: each application's reference number and name (the
    principal first), the fee recorded and when."""

    group_id: int
    public_id: str
    references: tuple[tuple[str, str], ...]
    fee_paid_cents: int
    submitted_at: datetime.datetime
    acknowledgment_id: int


# Going to payment


def _not_ready(missing: tuple[Missing, ...]) -> PaymentBlocked:
    separator = pgettext("separator between the items of a list", "; ")
    message = _("The application is not ready for payment yet. Still to be done: %(items)s") % {
        "items": separator.join(item.text for item in missing)
    }
    return PaymentBlocked(message, missing=missing)


def _refuse_unless_draft(group: ApplicationGroup) -> None:
    if group.status == ApplicationGroup.Status.SUBMITTED:
        raise PaymentBlocked(
            _("This application has already been submitted. It cannot be paid for again.")
        )
    if group.status == ApplicationGroup.Status.PAYMENT_PENDING:
        raise PaymentBlocked(
            _(
                "A payment for this application is already in progress. Finish or cancel it "
                "before you start another one."
            )
        )


def begin_payment(*, group: ApplicationGroup, hold_for: datetime.timedelta) -> None:
    """Take a ready draft to payment: its principal's quota hold, lasting `hold_for` (the
    chosen method's payment window), and the status PAYMENT_PENDING, in one short transaction.

    Under the group's lock it refuses with PaymentBlocked a group already submitted or being
    paid, one suspended because its trade's quota is closed (with that reason), and one not
    ready (listing what remains, also as `missing`). A QuotaError of the hold (QuotaExhausted,
    QuotaClosed, QuotaBusy) propagates with its message, and nothing changes. Sets
    `group.status` on success. Call outside any transaction or at its start: the pool rows
    stay locked until it commits.
    """
    with transaction.atomic():
        _refuse_unless_draft(lock_group(pk=group.pk))
        loaded = load_group(pk=group.pk)
        if loaded is None:  # deleted between the lock and the read: impossible under the lock
            raise PaymentBlocked()
        reason = suspension_reason(group=loaded)
        if reason is not None:
            raise PaymentBlocked(reason)
        found = readiness(loaded)
        if not found.ready:
            raise _not_ready(found.missing)
        principal = loaded.principal
        if principal is None:
            raise PaymentBlocked()
        # The pool rows are locked from here to the commit: nothing else follows but one
        # UPDATE of the group.
        quota_services.hold(application=principal, duration=hold_for)
        ApplicationGroup.objects.filter(pk=group.pk).update(
            status=ApplicationGroup.Status.PAYMENT_PENDING, updated_at=timezone.now()
        )
    group.status = ApplicationGroup.Status.PAYMENT_PENDING


def end_payment(*, group_id: int, slot_lost: bool = False) -> None:
    """A payment failed, was cancelled or expired, or its slot was lost: a group being paid
    goes back to DRAFT (editable again) and its principal's hold is deleted. Idempotent; a
    group in any other state, or deleted, is left as it is.

    With `slot_lost`, and unless the group was submitted meanwhile, the contact address is
    emailed (in the group's language, by a Celery task once this commits) that the places ran
    out, nothing was submitted and the payment was cancelled or refunded in full. The caller
    asks for that once per attempt (its own state change is conditional).
    """
    from .. import tasks  # the tasks module imports the services package

    with transaction.atomic():
        try:
            group = lock_group(pk=group_id)
        except ApplicationGroup.DoesNotExist:
            return
        if group.status == ApplicationGroup.Status.PAYMENT_PENDING:
            ApplicationGroup.objects.filter(pk=group.pk).update(
                status=ApplicationGroup.Status.DRAFT, updated_at=timezone.now()
            )
            principal = Application.objects.filter(
                group_id=group.pk, role=Application.Role.PRINCIPAL
            ).first()
            if principal is not None:
                quota_services.release_hold(application=principal)
        if slot_lost and group.status != ApplicationGroup.Status.SUBMITTED:
            transaction.on_commit(partial(tasks.send_slot_lost_email.delay, group_id), robust=True)


# Submitting a paid group


def _is_reference_clash(error: IntegrityError) -> bool:
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""
    return "reference_number" in constraint


def _give_references(
    applications: list[Application], *, scheme: str, now: datetime.datetime
) -> None:
    """Mark the applications submitted, each with a fresh reference number: one UPDATE, in a
    savepoint so that a clash with an existing number (the unique constraint) draws again."""
    year = timezone.localdate(now).year
    for _attempt in range(REFERENCE_TRIES):
        drawn: set[str] = set()
        while len(drawn) < len(applications):
            drawn.add(application_references.new_reference(scheme=scheme, year=year))
        for application, reference in zip(applications, sorted(drawn), strict=True):
            application.reference_number = reference
            application.status = Application.Status.SUBMITTED
            application.submitted_at = now
            application.updated_at = now
        try:
            with transaction.atomic():
                Application.objects.bulk_update(
                    applications, ["reference_number", "status", "submitted_at", "updated_at"]
                )
        except IntegrityError as error:
            if not _is_reference_clash(error):
                raise
            continue
        return
    raise IntegrityError("no free application reference number after several draws")


def _refuse_unless_submittable(group: ApplicationGroup) -> None:
    if group.status == ApplicationGroup.Status.SUBMITTED:
        raise AlreadySubmitted()
    if group.status == ApplicationGroup.Status.DRAFT:
        # Its payment ended (expired) before this confirmation came, and the draft may have
        # been changed since: submitted only if it is still complete and signed. A quota
        # used up meanwhile is not a reason here: secure() decides that, as SlotLost.
        suspended = suspension_reason(group=group)
        missing = tuple(m for m in readiness(group).missing if m.text != suspended)
        if missing:
            raise _not_ready(missing)


def submit_paid_group(*, group_id: int, fee_paid_cents: int) -> Submission:
    """Submit the group whose fee was paid: call inside the caller's confirmation transaction,
    after it locked its payment attempt.

    Locks the group; raises AlreadySubmitted for a group already submitted (a second payment:
    the caller refunds it), PaymentBlocked for a group that went back to being a draft and is
    no longer complete, and ApplicationGroup.DoesNotExist for one deleted. Then marks every
    application submitted with its application reference number, records the fee and the
    time on the group, queues the acknowledgment (an outbox row, sent by a task once the
    caller commits) and, last, secures the principal's quota slot: a QuotaError there (the
    hold expired and the places are gone, or the quota closed) raises SlotLost, and the
    caller's transaction must roll back, leaving nothing submitted. QuotaBusy propagates as
    it is: nothing is decided, and the caller tries again later.
    """
    from .. import tasks  # the tasks module imports the services package

    assert connection.in_atomic_block, "submit_paid_group runs inside the caller's transaction"
    lock_group(pk=group_id)
    group = load_group(pk=group_id)
    if group is None:  # the lock found it; nothing deletes it while it is held
        raise ApplicationGroup.DoesNotExist()
    _refuse_unless_submittable(group)
    applications = list(group.applications.all())
    principal = group.principal
    if principal is None:
        raise PaymentBlocked()
    now = timezone.now()
    _give_references(applications, scheme=group.scheme, now=now)
    ApplicationGroup.objects.filter(pk=group.pk).update(
        status=ApplicationGroup.Status.SUBMITTED,
        submitted_at=now,
        updated_at=now,
        fee_paid_cents=fee_paid_cents,
    )
    outbox = AcknowledgmentOutbox.objects.create(group_id=group.pk)
    try:
        quota_services.secure(application=principal)
    except QuotaBusy:
        raise
    except QuotaError as error:
        raise SlotLost(error) from error
    # robust: a broker that is down must not fail the confirmation after its commit; the
    # periodic sweep (send_pending_acknowledgments) queues what was missed.
    transaction.on_commit(partial(tasks.send_acknowledgment.delay, outbox.pk), robust=True)
    return Submission(
        group_id=group.pk,
        public_id=str(group.public_id),
        references=tuple(
            (str(application.reference_number), display_name(application))
            for application in applications
        ),
        fee_paid_cents=fee_paid_cents,
        submitted_at=now,
        acknowledgment_id=outbox.pk,
    )


def is_submitted(group_id: int) -> bool:
    """True once the group is submitted (its fee paid and its slot secured)."""
    return ApplicationGroup.objects.filter(
        pk=group_id, status=ApplicationGroup.Status.SUBMITTED
    ).exists()


def display_name(application: Application) -> str:
    """The name shown on the acknowledgment: SURNAME Given names, then the Chinese name."""
    english = application.full_name
    if application.chinese_name and english:
        return str(pgettext("a name in English, then in Chinese", "%(english)s (%(chinese)s)")) % {
            "english": english,
            "chinese": application.chinese_name,
        }
    return english or application.chinese_name or str(application.get_role_display())
