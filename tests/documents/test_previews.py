"""Officers' previews: every page drawn again as pixels in a child process under CPU, memory
and time limits, stored as PNG files we encoded; hostile files stopped by those limits."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from applications.models import ApplicationGroup
from documents import isolation, services, tasks
from documents.inspection import inspect_file
from documents.models import Preview, PreviewPage, Upload
from documents.previews import MAX_PREVIEW_PAGES, PAGE_SIDE, THUMB_SIDE
from documents.previews.frames import MalformedOutput, read_frames
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes, pdf_bytes
from tests.documents.preview_files import large_tiff, stroke_flood_pdf, tiff_pages

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def queued_previews(monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks.render_preview_task, "delay", queued.append)
    return queued


def accepted_upload(group, data: bytes, name: str, code: str = "A4") -> Upload:
    """An upload of the group, inspected for real; the group is then submitted."""
    ApplicationGroup.objects.filter(pk=group.pk).update(status=ApplicationGroup.Status.DRAFT)
    group.refresh_from_db()
    upload = services.upload_document(
        group=group, application=group.principal, requirement_code=code, file=uploaded(data, name)
    )
    services.inspect_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.ACCEPTED, upload.reason_code
    ApplicationGroup.objects.filter(pk=group.pk).update(
        status=ApplicationGroup.Status.SUBMITTED, submitted_at=timezone.now()
    )
    group.refresh_from_db()
    return upload


def drawn(upload: Upload, django_capture_on_commit_callbacks, queued_previews) -> Preview:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_missing_previews() >= 1
    assert upload.pk in queued_previews
    tasks.render_preview_task(upload.pk)
    return Preview.objects.get(upload=upload)


def image_url(upload: Upload, number: int) -> str:
    return reverse("documents:preview_image", args=[upload.public_id, number])


def test_a_scan_gets_a_thumbnail_and_its_page_as_png_for_officers_only(
    group, officer_client, django_capture_on_commit_callbacks, queued_previews
):
    upload = accepted_upload(group, jpeg_bytes((1600, 1200)), "scan.jpg")

    preview = drawn(upload, django_capture_on_commit_callbacks, queued_previews)

    assert preview.status == Preview.Status.READY and preview.page_count == 1
    sizes = {page.number: (page.width, page.height) for page in preview.pages.all()}
    assert sizes == {0: (THUMB_SIDE, 180), 1: (PAGE_SIDE, 900)}
    response = officer_client.get(image_url(upload, 0))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(body)).size == (THUMB_SIDE, 180)
    # The applicant's own session, a stranger and an unknown page get nothing.
    assert Client().get(image_url(upload, 0)).status_code == 404
    assert officer_client.get(image_url(upload, 2)).status_code == 404


def test_pdf_and_tiff_pages_are_drawn_up_to_the_limit(
    group, django_capture_on_commit_callbacks, queued_previews
):
    pdf = accepted_upload(group, pdf_bytes(pages=3, colour=False), "pages.pdf")
    preview = drawn(pdf, django_capture_on_commit_callbacks, queued_previews)
    assert preview.page_count == 3
    assert sorted(preview.pages.values_list("number", flat=True)) == [0, 1, 2, 3]
    # 320 x 240 points drawn at the most enlargement allowed (3x), within the page side.
    assert {(p.width, p.height) for p in preview.pages.exclude(number=0)} == {(960, 720)}

    queued_previews.clear()
    tiff = accepted_upload(group, tiff_pages(MAX_PREVIEW_PAGES + 3), "long.tif", code="A6")
    preview = drawn(tiff, django_capture_on_commit_callbacks, queued_previews)
    assert preview.status == Preview.Status.READY
    assert preview.page_count == MAX_PREVIEW_PAGES + 3
    assert preview.pages.count() == MAX_PREVIEW_PAGES + 1  # and the thumbnail


def test_the_admin_shows_the_pages_and_queues_a_missing_preview(
    group, admin_client, django_capture_on_commit_callbacks, queued_previews
):
    upload = accepted_upload(group, pdf_bytes(pages=2), "two.pdf")
    page = admin_client.get(reverse("admin:documents_upload_change", args=[upload.pk]))
    assert "The preview is being prepared." in page.content.decode()
    assert Preview.objects.get(upload=upload).status == Preview.Status.PENDING
    tasks.render_preview_task(upload.pk)
    html = admin_client.get(reverse("admin:documents_upload_change", args=[upload.pk]))
    html = html.content.decode()
    assert image_url(upload, 1) in html and image_url(upload, 2) in html
    listing = admin_client.get(reverse("admin:documents_upload_changelist")).content.decode()
    assert image_url(upload, 0) in listing


def test_a_replaced_file_is_drawn_again(group, django_capture_on_commit_callbacks, queued_previews):
    upload = accepted_upload(group, jpeg_bytes(), "first.jpg")
    first = drawn(upload, django_capture_on_commit_callbacks, queued_previews)
    old_keys = set(first.pages.values_list("storage_key", flat=True))
    Upload.objects.filter(pk=upload.pk).update(storage_key=upload.storage_key + "x")
    upload.refresh_from_db()
    assert services.preview_image(upload=upload, number=1) is None  # not the current file
    queued_previews.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_preview(upload=upload)
    assert queued_previews == [upload.pk]
    assert not PreviewPage.objects.filter(storage_key__in=old_keys).exists()


def test_a_hostile_pdf_is_stopped_by_the_cpu_limit(
    group, settings, officer_client, django_capture_on_commit_callbacks, queued_previews
):
    data = stroke_flood_pdf()
    # The upload inspection lets it through: it never draws a page.
    assert inspect_file(io.BytesIO(data), carries_photo=False).accepted
    settings.PREVIEW_CPU_SECONDS = 1
    upload = accepted_upload(group, data, "flood.pdf")

    preview = drawn(upload, django_capture_on_commit_callbacks, queued_previews)

    assert preview.status == Preview.Status.FAILED and preview.stopped_by == "cpu"
    assert not preview.pages.exists()
    assert officer_client.get(image_url(upload, 1)).status_code == 404
    # Not queued again: the same bytes would stop it again.
    queued_previews.clear()
    services.queue_missing_previews()
    assert queued_previews == []


def test_a_hostile_pdf_is_stopped_by_the_clock(settings, group):
    settings.PREVIEW_CPU_SECONDS = 60
    settings.PREVIEW_WALL_SECONDS = 1
    run = isolation.run_isolated(
        module="documents.previews.child",
        data=stroke_flood_pdf(),
        limits=services.preview_limits(),
        read=read_frames,
        args=["PDF"],
    )
    assert run.stopped_by == "wall_clock" and run.result is None
    assert run.wall_seconds < 3


def test_a_large_page_is_stopped_by_the_memory_limit(
    group, settings, admin_client, django_capture_on_commit_callbacks, queued_previews
):
    settings.PREVIEW_MEMORY_MB = 150
    upload = accepted_upload(group, large_tiff(), "large.tif")

    preview = drawn(upload, django_capture_on_commit_callbacks, queued_previews)

    assert preview.status == Preview.Status.FAILED and preview.stopped_by == "memory"
    page = admin_client.get(reverse("admin:documents_upload_change", args=[upload.pk]))
    assert "could not be drawn safely within the limits" in page.content.decode()


def test_the_child_is_given_no_secrets(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://secret")
    monkeypatch.setenv("SECRET_KEY", "secret")
    monkeypatch.setenv("PATH", "/usr/bin")
    given = isolation.child_environment()
    assert given["PATH"] == "/usr/bin"
    assert set(given) <= set(isolation.KEPT_VARIABLES)


def _header(**fields: object) -> bytes:
    return json.dumps(fields).encode() + b"\n"


@pytest.mark.parametrize(
    "output",
    [
        b"",
        b"not json\n",
        _header(number=1, width=2, height=2, mode="RGB") + b"\x00" * 11,  # cut short
        _header(number=1, width=PAGE_SIDE + 1, height=2, mode="RGB"),
        _header(number=0, width=THUMB_SIDE + 1, height=2, mode="L"),
        _header(number=1, width=2, height=2, mode="CMYK") + b"\x00" * 16,
        _header(number=2, width=1, height=1, mode="L") + b"\x00" + _header(end=True, pages=2),
        _header(number=1, width=1, height=1, mode="L")
        + b"\x00"
        + _header(end=True, pages=1)
        + b"trailing",
        _header(number=1, width=1, height=1, mode="L") + b"\x00" + _header(end=True, pages=0),
        _header(number=True, width=1, height=1, mode="L") + b"\x00" + _header(end=True, pages=1),
    ],
)
def test_output_out_of_shape_is_refused(output):
    with pytest.raises(MalformedOutput):
        read_frames(io.BytesIO(output))
