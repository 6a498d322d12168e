"""Adding, replacing and deleting uploaded files; each new file is queued for inspection.

A replaced file is kept as a version of its upload (officers see every one); deleting an upload
deletes its versions too.

Every refusal happens before anything is stored, and a refused file leaves the group as it was.
The size is checked against `MAX_FILE_BYTES` on the uploaded file before it reaches storage;
the count is checked before storing and again under the group's row lock, so two uploads racing
for the last place cannot both take it.
"""

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import services as application_services
from applications.models import Application, ApplicationGroup

from .. import storage
from ..catalogue import BY_CODE, MAX_FILE_BYTES, Section
from ..exceptions import (
    DocumentsError,
    EmptyFile,
    FileTooLarge,
    NotApplicable,
    TooManyFiles,
    TooManyFilesChosen,
    UploadsClosed,
)
from ..models import Upload, UploadVersion
from ..tasks import inspect_upload_task
from .checklist import checklist_for_group, person_key


def check_size(*, size: int | None) -> None:
    """Refuse a file over the size limit (or of unknown size). The one size rule: the upload
    handler that stops reading an oversized request body asks here too."""
    if size is None or size > MAX_FILE_BYTES:
        raise FileTooLarge(limit_bytes=MAX_FILE_BYTES)


def check_file(file: UploadedFile) -> None:
    """Refuse an empty file or one over the size limit, before anything is stored."""
    check_size(size=file.size)
    if file.size == 0:
        raise EmptyFile


def lock_group(group: ApplicationGroup) -> ApplicationGroup:
    """Take the group's row lock (call inside a transaction) through the applications app's
    one helper, in the project's lock order; the fresh row is returned."""
    return application_services.lock_group(pk=group.pk)


def check_draft(group: ApplicationGroup) -> None:
    if not group.is_editable:
        raise UploadsClosed


def enqueue_inspection(upload: Upload) -> None:
    """Queue the content inspection once the row is committed."""
    # robust: a broker hiccup must not undo a committed upload; the periodic sweep re-queues
    # inspections left pending (cleanup.requeue_stale_inspections).
    transaction.on_commit(partial(inspect_upload_task.delay, upload.pk), robust=True)


def check_files(files: Sequence[UploadedFile]) -> None:
    """Refuse the files unless each is non-empty and within the size limit; with several, the
    message names each file refused and why (nothing is stored)."""
    if len(files) == 1:
        check_file(files[0])
        return
    refused = []
    for file in files:
        try:
            check_file(file)
        except DocumentsError as exc:
            refused.append(named(file, exc))
    if refused:
        raise DocumentsError(" ".join(refused))


def named(file: UploadedFile, exc: DocumentsError) -> str:
    # Translators: a file's name and why it was refused.
    return _("“%(name)s”: %(error)s") % {
        "name": storage.sanitise_name(file.name or ""),
        "error": exc.message,
    }


def check_room(*, taken: int, chosen: int, limit: int) -> None:
    """Refuse `chosen` more files where `taken` of at most `limit` are there already."""
    if taken + chosen <= limit:
        return
    if chosen == 1:
        raise TooManyFiles(limit=limit)
    raise TooManyFilesChosen(limit=limit, chosen=chosen, left=max(limit - taken, 0))


def store_new_uploads(
    *,
    group: ApplicationGroup,
    files: Sequence[UploadedFile],
    limit: int,
    siblings: Callable[[], QuerySet[Upload]],
    check_open: Callable[[ApplicationGroup], None],
    fields: dict[str, object],
) -> list[Upload]:
    """Store the files and create their rows, all or none, unless `siblings()` and they would
    be more than `limit` files; each new upload's inspection is queued on commit.

    Takes the group's row lock while it recounts and inserts; the stored files are deleted
    again when anything fails after storing.
    """
    if not files:
        raise DocumentsError
    check_files(files)
    check_open(group)
    check_room(taken=siblings().count(), chosen=len(files), limit=limit)
    keys: list[str] = []
    try:
        for file in files:
            keys.append(storage.save(file))
        with transaction.atomic():
            locked = lock_group(group)
            check_open(locked)
            check_room(taken=siblings().count(), chosen=len(files), limit=limit)
            uploads = []
            for file, key in zip(files, keys, strict=True):
                upload = Upload.objects.create(
                    group=locked,
                    storage_key=key,
                    original_name=storage.sanitise_name(file.name or ""),
                    size=file.size or 0,  # check_file refused an unknown size
                    **fields,
                )
                enqueue_inspection(upload)
                uploads.append(upload)
    except BaseException:
        for key in keys:
            storage.delete(key)
        raise
    return uploads


def store_new_upload(*, file: UploadedFile, **kwargs: Any) -> Upload:
    """One file: store_new_uploads with a single file."""
    return store_new_uploads(files=[file], **kwargs)[0]


def _check_person(
    group: ApplicationGroup, application: Application | None, requirement_code: str
) -> None:
    """The item must be one this person's checklist shows (the catalogue plus the conditions)."""
    requirement = BY_CODE.get(requirement_code)
    if requirement is None:
        raise NotApplicable
    if application is not None and application.group_id != group.pk:
        raise NotApplicable
    checklist = checklist_for_group(group=group, sections=[requirement.section])
    person = checklist.person(person_key(application))
    if person is None or person.item(requirement_code) is None:
        raise NotApplicable
    if (requirement.section == Section.EMPLOYER) != (application is None):
        raise NotApplicable


def upload_document(
    *,
    group: ApplicationGroup,
    application: Application | None,
    requirement_code: str,
    file: UploadedFile,
) -> Upload:
    """Add a file to one person's checklist item (application None for the employer, B).

    Raises UploadsClosed (not a draft), NotApplicable, FileTooLarge, EmptyFile, TooManyFiles;
    on any of them nothing is stored. The inspection is queued on commit.
    """
    return upload_documents(
        group=group, application=application, requirement_code=requirement_code, files=[file]
    )[0]


def upload_documents(
    *,
    group: ApplicationGroup,
    application: Application | None,
    requirement_code: str,
    files: Sequence[UploadedFile],
) -> list[Upload]:
    """Add one or more files to one person's checklist item, all or none: each file is held
    to the rules of one (size, not empty), and all of them with those already there to the
    item's maximum number of files.

    Raises UploadsClosed, NotApplicable, FileTooLarge or EmptyFile (one file), DocumentsError
    naming each file refused (several), TooManyFiles or TooManyFilesChosen; on any of them
    nothing is stored. Each inspection is queued on commit.
    """
    check_files(files)
    check_draft(group)
    _check_person(group, application, requirement_code)
    requirement = BY_CODE[requirement_code]
    return store_new_uploads(
        group=group,
        files=files,
        limit=requirement.max_files,
        siblings=lambda: Upload.objects.filter(
            group=group,
            application=application,
            requirement_code=requirement_code,
            supplementary_item__isnull=True,
        ),
        check_open=check_draft,
        fields={"application": application, "requirement_code": requirement_code},
    )


def _check_changeable(upload: Upload, group: ApplicationGroup) -> None:
    if upload.supplementary_item_id is None:
        check_draft(group)
        return
    item = upload.supplementary_item
    assert item is not None  # supplementary_item_id is set
    item.request.check_open()


def replace_upload(*, upload: Upload, file: UploadedFile) -> Upload:
    """Put a new file in an upload's place and queue its inspection; the file replaced is kept,
    with its verdict and times, as the upload's next UploadVersion (for officers).

    Raises like upload_document, and DocumentsError when the upload is gone meanwhile.
    """
    check_file(file)
    _check_changeable(upload, upload.group)
    key = storage.save(file)
    try:
        with transaction.atomic():
            locked_group = lock_group(upload.group)
            _check_changeable(upload, locked_group)
            current = Upload.objects.select_for_update(of=("self",)).filter(pk=upload.pk).first()
            if current is None:
                raise DocumentsError
            UploadVersion.objects.create(
                upload=current, number=current.version, **current.stored_file()
            )
            current.version += 1
            current.storage_key = key
            current.original_name = storage.sanitise_name(file.name or "")
            current.size = file.size or 0  # check_file refused an unknown size
            current.uploaded_at = timezone.now()
            current.status = Upload.Status.PENDING
            current.format = current.reason_code = ""
            current.page_count = current.inspected_at = None
            current.reason_params, current.warning_codes = {}, []
            current.inspection_attempts = 0
            current.save()
            enqueue_inspection(current)
    except BaseException:
        storage.delete(key)
        raise
    return current


def delete_upload(*, upload: Upload) -> None:
    """Delete an upload with its earlier versions and, once committed, their stored files.
    Deleting twice is harmless."""
    _check_changeable(upload, upload.group)
    with transaction.atomic():
        locked_group = lock_group(upload.group)
        _check_changeable(upload, locked_group)
        rows = Upload.objects.filter(pk=upload.pk)
        keys = file_keys(rows)
        deleted, _rows = rows.delete()
        if deleted:
            transaction.on_commit(partial(storage.delete_all, keys))


def file_keys(uploads: QuerySet[Upload]) -> list[str]:
    """The storage keys of these uploads' files, their earlier versions' included."""
    versions = UploadVersion.objects.filter(upload__in=uploads)
    return [
        *uploads.values_list("storage_key", flat=True),
        *versions.values_list("storage_key", flat=True),
    ]
