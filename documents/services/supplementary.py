"""Officers' requests for supplementary documents, and the uploads made against them.

The officer's action and the applicant's page come with the back-office issue; they call these.
Uploads go through the same size and count checks and the same content inspection as the
checklist's.
"""

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application

from ..catalogue import BY_CODE, Section
from ..exceptions import InvalidRequest
from ..models import SupplementaryItem, SupplementaryRequest, Upload
from .uploads import store_new_upload

MAX_DESCRIPTION_LENGTH = 300


def _sections_for(application: Application) -> set[str]:
    if application.is_principal:
        return {Section.APPLICANT.value, Section.EMPLOYER.value}
    return {Section.DEPENDANT.value}


def request_supplementary_documents(
    *,
    application: Application,
    requirement_codes: Sequence[str] = (),
    descriptions: Sequence[str] = (),
    message: str,
    deadline: date,
    officer: AbstractBaseUser | None = None,
) -> SupplementaryRequest:
    """Open a request for the listed catalogue items and free-text items.

    Raises InvalidRequest for no items, an unknown item or one of another person's section,
    a blank message, an over-long description or a deadline in the past; nothing is saved then.
    """
    message = message.strip()
    cleaned = [text.strip() for text in descriptions if text.strip()]
    if not message:
        raise InvalidRequest(_("Write a message to the applicant."))
    if not requirement_codes and not cleaned:
        raise InvalidRequest(_("Choose at least one document to request."))
    if deadline < timezone.localdate():
        raise InvalidRequest(_("The deadline cannot be in the past."))
    allowed = _sections_for(application)
    for code in requirement_codes:
        requirement = BY_CODE.get(code)
        if requirement is None or requirement.section not in allowed:
            raise InvalidRequest(_("This document cannot be requested for this person."))
    if any(len(text) > MAX_DESCRIPTION_LENGTH for text in cleaned):
        raise InvalidRequest(
            _("Describe each document in at most %(limit)d characters.")
            % {"limit": MAX_DESCRIPTION_LENGTH}
        )
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


def outstanding_items(*, request: SupplementaryRequest) -> list[SupplementaryItem]:
    """Items with no file yet, or with a file not (yet) accepted."""
    outstanding = []
    for item in request.items.prefetch_related("uploads"):
        statuses = {upload.status for upload in item.uploads.all()}
        if not statuses or statuses != {Upload.Status.ACCEPTED}:
            outstanding.append(item)
    return outstanding


def mark_request_answered(*, request: SupplementaryRequest) -> SupplementaryRequest:
    """Close the request as answered; raises InvalidRequest while items are outstanding.
    Idempotent for a request already answered."""
    with transaction.atomic():
        locked = SupplementaryRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == SupplementaryRequest.Status.ANSWERED:
            return locked
        locked.check_open()
        if outstanding_items(request=locked):
            raise InvalidRequest(_("Every requested document needs an accepted file first."))
        locked.status = SupplementaryRequest.Status.ANSWERED
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
    return locked
