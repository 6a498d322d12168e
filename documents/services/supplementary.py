"""Officers' requests for supplementary documents: asking, the applicant's uploads and
submission, and closing a request whose deadline has passed.

An officer asks from admin (documents.admin), the applicant answers on /supplementary/
(documents.supplementary_views); both call these. Uploads go through the same size and count
checks and the same content inspection as the checklist's. One request per application is open
at a time (a partial unique constraint), so the applicant's page shows "the" open request. The
emails go through documents.services.notifications, queued on commit.

Locks: the group's row (applications' one helper, in the project's lock order), then the
request's; replacing or deleting a file takes the group's lock too, so a file cannot change
under a submission that is checking it.
"""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import services as application_services
from applications.exceptions import ReviewError
from applications.models import Application, ApplicationGroup
from applications.services import audit

from ..catalogue import BY_CODE, Section
from ..exceptions import InvalidRequest
from ..models import SupplementaryItem, SupplementaryRequest, Upload
from ..tasks import notify_officers_task, send_supplementary_request_email_task
from .checklist import ItemState
from .uploads import lock_group, store_new_upload

MAX_DESCRIPTION_LENGTH = 300
OPEN_REQUEST_CONSTRAINT = "one_open_supplementary_request_per_application"
# Documents are asked while an officer reviews the case (the review workflow's table:
# under review -> supplementary documents requested -> under review).
REQUESTABLE = frozenset({Application.Status.UNDER_REVIEW})


def sections_for(application: Application) -> set[str]:
    """The catalogue sections an officer may ask this person for."""
    if application.is_principal:
        return {Section.APPLICANT.value, Section.EMPLOYER.value}
    return {Section.DEPENDANT.value}


def _check_request(
    application: Application,
    requirement_codes: Sequence[str],
    descriptions: list[str],
    message: str,
    deadline: date,
) -> None:
    if application.group.status != ApplicationGroup.Status.SUBMITTED:
        raise InvalidRequest(_("Documents can only be requested for a submitted application."))
    if application.status == Application.Status.SUPPLEMENTARY_REQUESTED:
        raise InvalidRequest(_("A request for documents is already open for this application."))
    if application.status not in REQUESTABLE:
        raise InvalidRequest(
            _("Documents can be requested only while the application is under review.")
        )
    if not message:
        raise InvalidRequest(_("Write a message to the applicant."))
    if not requirement_codes and not descriptions:
        raise InvalidRequest(_("Choose at least one document to request."))
    if deadline < timezone.localdate():
        raise InvalidRequest(_("The deadline cannot be in the past."))
    allowed = sections_for(application)
    for code in requirement_codes:
        requirement = BY_CODE.get(code)
        if requirement is None or requirement.section not in allowed:
            raise InvalidRequest(_("This document cannot be requested for this person."))
    if any(len(text) > MAX_DESCRIPTION_LENGTH for text in descriptions):
        raise InvalidRequest(
            _("Describe each document in at most %(limit)d characters.")
            % {"limit": MAX_DESCRIPTION_LENGTH}
        )


def _is_open_request_clash(error: IntegrityError) -> bool:
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""
    return constraint == OPEN_REQUEST_CONSTRAINT


def request_supplementary_documents(
    *,
    application: Application,
    requirement_codes: Sequence[str] = (),
    descriptions: Sequence[str] = (),
    message: str,
    deadline: date,
    officer: AbstractBaseUser | None = None,
    actor: audit.Actor | None = None,
) -> SupplementaryRequest:
    """Open a request for the listed catalogue items and free-text items, and queue the email
    to the applicant (in the group's language) on commit.

    Raises InvalidRequest for an application not submitted or already decided, one with a
    request still open, no items, an unknown item or one of another person's section, a blank
    message, an over-long description or a deadline in the past; nothing is saved then. A
    request left open past its deadline is closed first, so it never blocks a new one.
    """
    message = message.strip()
    cleaned = [text.strip() for text in descriptions if text.strip()]
    for overdue in SupplementaryRequest.objects.filter(
        application=application, status=SupplementaryRequest.Status.OPEN
    ):
        close_if_overdue(request=overdue)
    application.refresh_from_db(fields=["status"])  # closing one sends the case back to review
    _check_request(application, requirement_codes, cleaned, message, deadline)
    try:
        with transaction.atomic():
            request = SupplementaryRequest.objects.create(
                application=application,
                message=message,
                deadline=deadline,
                requested_by=officer,  # type: ignore[misc]  # the project's user model
            )
            codes = dict.fromkeys(requirement_codes)
            items = [SupplementaryItem(requirement_code=code) for code in codes]
            items += [SupplementaryItem(description=text) for text in cleaned]
            for position, item in enumerate(items):
                item.request, item.position = request, position
                item.full_clean(exclude=["request"])
            SupplementaryItem.objects.bulk_create(items)
            # The case moves to "supplementary documents requested" in the same transaction.
            try:
                application_services.review.request_supplementary(
                    application=application,
                    actor=actor or audit.Actor(officer),
                    note=message,
                    request_id=request.pk,
                )
            except ReviewError as error:
                raise InvalidRequest(error.message) from None
            # robust: the row is the truth; the periodic sweep sends what a lost task did not.
            transaction.on_commit(
                partial(send_supplementary_request_email_task.delay, request.pk), robust=True
            )
    except IntegrityError as error:
        if not _is_open_request_clash(error):
            raise
        raise InvalidRequest(
            _("A request for documents is already open for this application.")
        ) from None
    return request


def upload_supplementary_document(*, item: SupplementaryItem, file: UploadedFile) -> Upload:
    """Add a file against a requested item; raises like upload_document, and RequestClosed or
    DeadlinePassed. The inspection is queued on commit."""
    request = item.request
    application = request.application

    def check_open(_group: object) -> None:
        SupplementaryRequest.objects.get(pk=request.pk).check_open()

    return store_new_upload(
        group=application.group,
        file=file,
        limit=item.max_files,
        siblings=lambda: Upload.objects.filter(supplementary_item=item),
        check_open=check_open,
        fields={
            "application": application,
            "requirement_code": item.requirement_code,
            "supplementary_item": item,
        },
    )


@dataclass(frozen=True)
class RequestedItem:
    """A requested document with its files, shaped as the checklist's items are, so the
    applicant's page renders it with the same partial (documents/_item.html)."""

    item: SupplementaryItem
    uploads: tuple[Upload, ...]

    needed = True

    @property
    def code(self) -> str:
        return str(self.item.pk)

    @property
    def label(self) -> str:
        return self.item.label

    @property
    def guidance(self) -> tuple[object, ...]:
        requirement = self.item.requirement
        return (requirement.guidance,) if requirement and requirement.guidance else ()

    @property
    def max_files(self) -> int:
        return self.item.max_files

    @property
    def can_add(self) -> bool:
        return len(self.uploads) < self.item.max_files

    @property
    def state(self) -> str:
        statuses = {upload.status for upload in self.uploads}
        if Upload.Status.REJECTED in statuses:
            return ItemState.NOT_ACCEPTED
        if Upload.Status.PENDING in statuses:
            return ItemState.CHECKING
        return ItemState.ACCEPTED if statuses else ItemState.MISSING

    @property
    def state_label(self) -> str:
        return str(ItemState(self.state).label)

    @property
    def is_done(self) -> bool:
        return self.state == ItemState.ACCEPTED


def requested_items(*, request: SupplementaryRequest) -> list[RequestedItem]:
    """The request's items in order, each with its files: two queries."""
    uploads = Prefetch("uploads", queryset=Upload.objects.order_by("uploaded_at", "pk"))
    return [
        RequestedItem(item, tuple(item.uploads.all()))
        for item in request.items.prefetch_related(uploads)
    ]


def outstanding_items(*, request: SupplementaryRequest) -> list[SupplementaryItem]:
    """Items with no file yet, or with a file not (yet) accepted."""
    return [entry.item for entry in requested_items(request=request) if not entry.is_done]


def latest_request(*, application: Application) -> SupplementaryRequest | None:
    """The application's most recent request (open, answered or closed), or None."""
    return (
        SupplementaryRequest.objects.filter(application=application)
        .order_by("-created_at", "-pk")
        .first()
    )


def open_requests_for(*, application_ids: Sequence[int]) -> dict[int, SupplementaryRequest]:
    """The open requests (deadline not passed) of these applications, by application id, with
    their items: two queries."""
    found = SupplementaryRequest.objects.filter(
        application_id__in=application_ids,
        status=SupplementaryRequest.Status.OPEN,
        deadline__gte=timezone.localdate(),
    ).prefetch_related("items")
    return {request.application_id: request for request in found}


def _locked(request: SupplementaryRequest) -> SupplementaryRequest:
    """Lock the group's row, then the request's, and return the request fresh (call inside a
    transaction)."""
    lock_group(request.application.group)
    return (
        SupplementaryRequest.objects.select_for_update(of=("self",))
        .select_related("application__group")
        .get(pk=request.pk)
    )


def _queue_officers_email(request: SupplementaryRequest) -> None:
    transaction.on_commit(partial(notify_officers_task.delay, request.pk), robust=True)


def submit_supplementary_documents(*, request: SupplementaryRequest) -> SupplementaryRequest:
    """The applicant sends the documents: the request is answered and the officers are told
    (email on commit). Idempotent for a request already answered.

    Raises InvalidRequest while an item has no accepted file (one being checked included),
    RequestClosed or DeadlinePassed.
    """
    with transaction.atomic():
        locked = _locked(request)
        if locked.status == SupplementaryRequest.Status.ANSWERED:
            return locked
        locked.check_open()
        if outstanding_items(request=locked):
            raise InvalidRequest(_("Every requested document needs an accepted file first."))
        locked.status = SupplementaryRequest.Status.ANSWERED
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        _back_to_review(locked, note="Supplementary documents sent by the applicant")
        _queue_officers_email(locked)
    return locked


def close_if_overdue(
    *, request: SupplementaryRequest, today: date | None = None
) -> SupplementaryRequest:
    """Close an open request whose deadline has passed, and tell the officers (email on
    commit); any other request is returned as it is. Idempotent."""
    today = today or timezone.localdate()
    if not (request.status == SupplementaryRequest.Status.OPEN and request.deadline < today):
        return request
    with transaction.atomic():
        locked = _locked(request)
        if locked.status != SupplementaryRequest.Status.OPEN or locked.deadline >= today:
            return locked
        locked.status = SupplementaryRequest.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _back_to_review(locked, note="Supplementary documents request closed at its deadline")
        _queue_officers_email(locked)
    return locked


def _back_to_review(request: SupplementaryRequest, *, note: str) -> None:
    """The case returns to review (the workflow's move, audited), unless it has moved on
    meanwhile (withdrawn, say): the request's own state is what this records."""
    with contextlib.suppress(ReviewError):
        application_services.review.resume_review(application=request.application, note=note)


def close_overdue_requests(*, today: date | None = None) -> int:
    """Close every open request whose deadline has passed (the periodic sweep). Returns how
    many were closed now; running it again closes none."""
    today = today or timezone.localdate()
    overdue = SupplementaryRequest.objects.filter(
        status=SupplementaryRequest.Status.OPEN, deadline__lt=today
    ).select_related("application__group")
    closed = 0
    for request in overdue.order_by("pk"):
        if close_if_overdue(request=request, today=today).status == request.Status.CLOSED:
            closed += 1
    return closed
