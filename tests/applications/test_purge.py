"""Drafts untouched for 14 days are deleted with their files; nothing else is."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import ApplicationGroup
from applications.services import purge as drafts
from applications.tasks import purge_abandoned_drafts_task
from documents import services as document_services
from tests.documents.corpus import jpeg_bytes
from tests.factories import EmployerPartFactory

from .drafting import start, trade_with_pool

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def draft_with_a_file(trade) -> ApplicationGroup:
    group = start(trade)
    document_services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A2",
        file=SimpleUploadedFile("photo.jpg", jpeg_bytes()),
    )
    return group


def untouched_for(group: ApplicationGroup, days: float) -> None:
    then = timezone.now() - datetime.timedelta(days=days)
    ApplicationGroup.objects.filter(pk=group.pk).update(updated_at=then)
    group.applications.update(updated_at=then)


def test_fifteen_days_untouched_is_deleted_with_its_files(
    trade, django_capture_on_commit_callbacks
):
    kept = draft_with_a_file(trade)
    gone = draft_with_a_file(trade)
    untouched_for(kept, 13)
    untouched_for(gone, 15)
    files_before = stored_files()
    assert len(files_before) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert drafts.purge_abandoned_drafts() == 1

    assert ApplicationGroup.objects.filter(pk=kept.pk).exists()
    assert not ApplicationGroup.objects.filter(pk=gone.pk).exists()
    assert kept.document_uploads.count() == 1
    assert len(stored_files()) == 1
    (left,) = stored_files()
    assert left.name == Path(kept.document_uploads.get().storage_key).name


def test_the_boundary_is_fourteen_days(trade):
    group = start(trade)
    untouched_for(group, 14 - 1 / 24)
    assert drafts.purge_abandoned_drafts() == 0
    untouched_for(group, 14 + 1 / 24)
    assert drafts.purge_abandoned_drafts() == 1


def test_submitted_and_paying_groups_are_never_deleted(trade):
    submitted = start(trade)
    paying = start(trade)
    ApplicationGroup.objects.filter(pk=submitted.pk).update(
        status=ApplicationGroup.Status.SUBMITTED
    )
    ApplicationGroup.objects.filter(pk=paying.pk).update(
        status=ApplicationGroup.Status.PAYMENT_PENDING
    )
    untouched_for(submitted, 400)
    untouched_for(paying, 400)
    assert drafts.purge_abandoned_drafts() == 0
    assert ApplicationGroup.objects.filter(pk__in=(submitted.pk, paying.pk)).count() == 2


def test_a_recent_change_to_an_application_or_the_employers_part_keeps_the_draft(trade):
    by_applicant = start(trade)
    by_employer = start(trade)
    untouched_for(by_applicant, 20)
    untouched_for(by_employer, 20)
    by_applicant.applications.update(updated_at=timezone.now() - datetime.timedelta(days=2))
    EmployerPartFactory(group=by_employer)  # updated now
    assert drafts.purge_abandoned_drafts() == 0


def test_the_task_purges_and_is_idempotent(trade):
    group = start(trade)
    untouched_for(group, 30)
    assert purge_abandoned_drafts_task() == 1
    assert purge_abandoned_drafts_task() == 0
    assert not ApplicationGroup.objects.filter(pk=group.pk).exists()


def test_the_task_runs_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["applications-purge-abandoned-drafts"]
    assert entry["task"] == purge_abandoned_drafts_task.name
    assert entry["schedule"] == 24 * 60 * 60


def test_drafts_are_purged_in_batches(trade, monkeypatch):
    monkeypatch.setattr(drafts, "PURGE_BATCH", 2)
    groups = [start(trade) for _ in range(5)]
    for group in groups:
        untouched_for(group, 20)
    assert drafts.purge_abandoned_drafts() == 5
    assert not ApplicationGroup.objects.filter(pk__in=[g.pk for g in groups]).exists()


def test_a_draft_another_row_protects_is_kept_and_the_rest_of_its_batch_purged(trade):
    from quota import services as quota_services

    protected, other = start(trade), start(trade)
    quota_services.secure(application=protected.principal)  # an allocation protects it
    for group in (protected, other):
        untouched_for(group, 20)
    assert drafts.purge_abandoned_drafts() == 1
    assert ApplicationGroup.objects.filter(pk=protected.pk).exists()
    assert not ApplicationGroup.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_locked_by_someone_else_is_skipped_and_purged_next_time():
    import threading

    from django.db import connection, transaction

    group = start(trade_with_pool())
    untouched_for(group, 20)
    locked, release, done = threading.Event(), threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                ApplicationGroup.objects.select_for_update().get(pk=group.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    try:
        assert locked.wait(10)
        assert drafts.purge_abandoned_drafts() == 0
        assert ApplicationGroup.objects.filter(pk=group.pk).exists()
    finally:
        release.set()
        thread.join(10)
    assert done.is_set()
    assert drafts.purge_abandoned_drafts() == 1
