"""Uploading, replacing and deleting files through the pages, as a browser without script does.

Every refusal names the limit, and leaves the group, its rows and the storage as they were.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from documents.catalogue import BY_CODE
from documents.exceptions import EmptyFile
from documents.models import Upload
from documents.services import person_key
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import hostile_filename, jpeg_bytes, oversize_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def page_url(group) -> str:
    return reverse("documents:group", args=[group.public_id])


def upload_url(group) -> str:
    return reverse("documents:upload", args=[group.public_id])


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


def post_file(client, group, data, *, name="passport.jpg", person="0", item="A1", next="", **extra):
    fields = {"person": person, "item": item, "file": uploaded(data, name)}
    if next:
        fields["next"] = next
    return client.post(upload_url(group), fields, **extra)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_valid_upload_is_stored_under_a_random_key_and_queued_for_inspection(
    applicant_client, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_file(applicant_client, group, jpeg_bytes())
    assert response.status_code == 302
    assert response.url == page_url(group) + "#item-0-A1"
    upload = Upload.objects.get()
    assert (upload.original_name, upload.status, upload.requirement_code) == (
        "passport.jpg",
        Upload.Status.PENDING,
        "A1",
    )
    assert upload.application == group.principal
    assert "passport" not in upload.storage_key and upload.storage_key.startswith("uploads/")
    assert [path.name for path in stored_files()] == [upload.storage_key.split("/")[-1]]
    assert len(callbacks) == 1
    assert callbacks[0].func == inspect_upload_task.delay and callbacks[0].args == (upload.pk,)
    page = applicant_client.get(page_url(group))
    assert "was uploaded and is being checked" in page.content.decode()
    assert "Being checked" in page.content.decode()


def test_file_of_five_megabytes_and_one_byte_is_refused_naming_the_limit(applicant_client, group):
    response = post_file(applicant_client, group, oversize_bytes(), follow=True)
    assert messages_of(response) == [
        "Travel document: The file is larger than 5 MB. Each file must be 5 MB or less."
    ]
    assert not Upload.objects.exists() and stored_files() == []
    # Beside the item too, where the redirect lands, tied to its file field.
    page = response.content.decode()
    assert (
        '<p class="doc-item__error" id="item-0-A1-error" role="alert" data-error>'
        "The file is larger than 5 MB. Each file must be 5 MB or less.</p>"
    ) in page
    assert re.search(r'aria-describedby="[^"]*\bitem-0-A1-error"', page)


def test_file_of_exactly_five_megabytes_is_taken(applicant_client, group):
    data = jpeg_bytes()
    post_file(applicant_client, group, data + b"\0" * (5 * 1024 * 1024 - len(data)))
    assert Upload.objects.get().size == 5 * 1024 * 1024


def test_file_over_the_items_count_is_refused_naming_the_count(applicant_client, group):
    post_file(applicant_client, group, jpeg_bytes(), item="A2", name="photo.jpg")
    before = stored_files()
    response = post_file(applicant_client, group, jpeg_bytes(), item="A2", follow=True)
    assert messages_of(response)[-1] == (
        "Recent photograph: This document takes at most 1 file. Delete or replace it first."
    )
    assert Upload.objects.count() == 1 and stored_files() == before


def test_five_files_fill_a_travel_document_and_a_sixth_is_refused(applicant_client, group):
    for number in range(5):
        post_file(applicant_client, group, jpeg_bytes(), name="page" + str(number) + ".jpg")
    response = post_file(applicant_client, group, jpeg_bytes(), follow=True)
    assert "at most 5 files" in messages_of(response)[-1]
    assert Upload.objects.count() == 5 and len(stored_files()) == 5


def test_hostile_file_name_is_kept_only_as_sanitised_text(applicant_client, group):
    # What survives the multipart encoding of such a name depends on the client; whatever
    # arrives is stored as data only, without separators or control characters.
    post_file(applicant_client, group, jpeg_bytes(), name=hostile_filename())
    upload = Upload.objects.get()
    assert upload.original_name
    assert not any(char in upload.original_name for char in "/\\\x00\r\n\x1b\x07\t\u202e")
    assert [path.name for path in stored_files()] == [upload.storage_key.split("/")[-1]]
    page = applicant_client.get(page_url(group)).content.decode()
    assert escape(upload.original_name) in page


def test_empty_file_is_refused(applicant_client, group):
    response = post_file(applicant_client, group, b"", follow=True)
    assert messages_of(response) == [
        "Travel document: The file is empty. Choose a file that has content."
    ]
    assert not Upload.objects.exists() and stored_files() == []


def test_upload_without_a_file_asks_for_one(applicant_client, group):
    response = applicant_client.post(upload_url(group), {"person": "0", "item": "A1"}, follow=True)
    assert messages_of(response) == ["Travel document: Choose a file to upload."]


def test_item_not_asked_for_this_person_is_refused(applicant_client, group):
    response = post_file(applicant_client, group, jpeg_bytes(), item="A5", follow=True)
    assert messages_of(response) == []
    assert response.status_code == 404
    assert not Upload.objects.exists() and stored_files() == []


def test_section_b_file_is_not_accepted_for_a_person(applicant_client, group):
    response = post_file(applicant_client, group, pdf_bytes(), person="0", item="B1")
    assert response.status_code == 404
    assert not Upload.objects.exists()


def test_company_documents_go_to_the_employer_key(applicant_client, group):
    post_file(
        applicant_client, group, pdf_bytes(), name="contract.pdf", person="employer", item="B1"
    )
    upload = Upload.objects.get()
    assert upload.application is None and person_key(upload.application) == "employer"


def test_submitted_group_takes_no_more_files(applicant_client, group):
    group.status = group.Status.SUBMITTED
    group.save()
    response = post_file(applicant_client, group, jpeg_bytes())
    assert response.status_code == 404
    page = applicant_client.get(page_url(group)).content.decode()
    assert "can no longer be changed" in page and 'type="file"' not in page


def test_script_upload_gets_the_items_new_html_as_json(applicant_client, group):
    response = post_file(applicant_client, group, jpeg_bytes(), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["checking"] is True
    assert "passport.jpg" in body["html"] and "Being checked" in body["html"]
    assert "was uploaded" in body["announcement"]


def test_script_upload_refusal_is_json_with_the_message(applicant_client, group):
    response = post_file(applicant_client, group, oversize_bytes(), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "The file is larger than 5 MB. Each file must be 5 MB or less."
    )
    assert not Upload.objects.exists()


def test_replace_puts_a_new_file_in_place_and_keeps_the_old_one_as_a_version(
    applicant_client, group, django_capture_on_commit_callbacks
):
    post_file(applicant_client, group, jpeg_bytes(), item="A2", name="old.jpg")
    upload = Upload.objects.get()
    old_key = upload.storage_key
    url = reverse("documents:replace", args=[group.public_id, upload.public_id])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = applicant_client.post(url, {"file": uploaded(jpeg_bytes(), "new.jpg")})
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.original_name == "new.jpg" and upload.storage_key != old_key
    assert upload.status == Upload.Status.PENDING
    assert upload.versions.get().storage_key == old_key  # kept for officers
    names = {path.name for path in stored_files()}
    assert names == {key.split("/")[-1] for key in (old_key, upload.storage_key)}
    assert len(callbacks) == 1  # the new file queued for its check


def test_replace_with_a_file_too_large_keeps_the_old_one(applicant_client, group):
    post_file(applicant_client, group, jpeg_bytes(), item="A2", name="old.jpg")
    upload = Upload.objects.get()
    before = stored_files()
    url = reverse("documents:replace", args=[group.public_id, upload.public_id])
    response = applicant_client.post(url, {"file": uploaded(oversize_bytes())}, follow=True)
    assert "larger than 5 MB" in messages_of(response)[-1]
    upload.refresh_from_db()
    assert upload.original_name == "old.jpg" and stored_files() == before


def test_delete_removes_the_row_and_the_stored_file(
    applicant_client, group, django_capture_on_commit_callbacks
):
    post_file(applicant_client, group, jpeg_bytes())
    upload = Upload.objects.get()
    url = reverse("documents:delete", args=[group.public_id, upload.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(url, follow=True)
    assert messages_of(response)[-1] == "“passport.jpg” was deleted."
    assert not Upload.objects.exists() and stored_files() == []


def test_replace_and_delete_stop_once_submitted(applicant_client, group):
    post_file(applicant_client, group, jpeg_bytes())
    upload = Upload.objects.get()
    group.status = group.Status.SUBMITTED
    group.save()
    for name in ("documents:replace", "documents:delete"):
        url = reverse(name, args=[group.public_id, upload.public_id])
        assert applicant_client.post(url, {"file": uploaded(jpeg_bytes())}).status_code == 404
    assert Upload.objects.get().storage_key == upload.storage_key


def test_page_lists_each_person_with_an_upload_form_per_item(applicant_client, group, dependant):
    page = applicant_client.get(page_url(group)).content.decode()
    for key, code in (("0", "A1"), ("employer", "B1"), ("1", "C3")):
        assert 'id="file-' + key + "-" + code + '"' in page
        assert 'for="file-' + key + "-" + code + '"' in page
    assert "documents/upload.js" in page and "<script>" not in page


def test_hostile_file_name_given_to_the_service_keeps_only_its_visible_last_part(group):
    from documents.services import upload_document

    upload_document(
        group=group,
        application=group.principal,
        requirement_code="A1",
        file=uploaded(jpeg_bytes(), hostile_filename()),
    )
    assert Upload.objects.get().original_name == "passwd [31mgpj.exe travel document.jpg"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("\x00\x01", "document"),
        ("a" * 200 + ".pdf", "a" * 116 + ".pdf"),
        ("  two   spaces\n.jpg ", "two spaces .jpg"),
    ],
)
def test_sanitised_names(given, kept):
    from documents.storage import sanitise_name

    assert sanitise_name(given) == kept


def test_deleting_the_last_file_of_an_item_no_longer_asked_removes_the_item(
    applicant_client, group
):
    group.applications.update(residence="mainland")
    post_file(applicant_client, group, pdf_bytes(), item="A5", name="consent.pdf")
    group.applications.update(residence="overseas")
    upload = Upload.objects.get()
    url = reverse("documents:delete", args=[group.public_id, upload.public_id])
    response = applicant_client.post(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["html"] == "" and not Upload.objects.exists()


def test_a_page_embedding_the_checklist_gets_the_browser_back(applicant_client, group):
    back = "/en/apply/" + str(group.public_id) + "/documents/"
    response = post_file(applicant_client, group, jpeg_bytes(), next=back)
    assert response.url == back + "#item-0-A1"
    response = post_file(
        applicant_client, group, jpeg_bytes(), next="https://elsewhere.example/phish"
    )
    assert response.url == page_url(group) + "#item-0-A1"


def test_refusal_in_chinese_names_the_item_with_a_full_width_colon(applicant_client, group):
    with translation.override("zh-hant"):
        url = reverse("documents:upload", args=[group.public_id])
        label, error = str(BY_CODE["A1"].label), str(EmptyFile().message)
    assert url.startswith("/zh-hant/") and "\N{FULLWIDTH COLON}" not in error
    response = applicant_client.post(
        url, {"person": "0", "item": "A1", "file": uploaded(b"")}, follow=True
    )
    assert messages_of(response) == [label + "\N{FULLWIDTH COLON}" + error]
    # Beside the item, the error alone.
    assert f'id="item-0-A1-error" role="alert" data-error>{escape(error)}</p>' in (
        response.content.decode()
    )
    assert not Upload.objects.exists()
