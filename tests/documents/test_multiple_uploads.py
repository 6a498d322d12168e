"""Several files chosen at once, as a browser without script sends them: each held to the rules
of one file, all of them to the item's maximum; a hostile post (many files, an oversized one,
a NUL in a name) gets a clear answer and changes nothing. Sizes read as people read them; the
page learns of a finished check from a counter that costs no database query."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from documents import sizes
from documents.models import Upload
from documents.services import checks_finished
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes, oversize_bytes
from tests.documents.test_uploads import messages_of, page_url, stored_files, upload_url

pytestmark = pytest.mark.django_db


def post_files(client, group, files, *, item="A1", person="0", **extra):
    fields = {"person": person, "item": item, "file": files}
    return client.post(upload_url(group), fields, **extra)


def scans(count, *, stem="page"):
    return [uploaded(jpeg_bytes(), stem + str(n) + ".jpg") for n in range(1, count + 1)]


def test_the_input_takes_several_files_only_where_the_item_does(applicant_client, group):
    html = applicant_client.get(page_url(group)).content.decode()
    travel = re.search(r'<input type="file" id="file-0-A1"[^>]*>', html).group(0)
    photo = re.search(r'<input type="file" id="file-0-A2"[^>]*>', html).group(0)
    assert " multiple" in travel and "You can choose up to 5 files at once." in html
    assert " multiple" not in photo
    assert 'aria-describedby="file-0-A1-hint"' in travel


def test_three_files_at_once_are_stored_and_each_queued_for_inspection(
    applicant_client, group, _queued_inspections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_files(applicant_client, group, scans(3), follow=True)

    names = sorted(Upload.objects.values_list("original_name", flat=True))
    assert names == ["page1.jpg", "page2.jpg", "page3.jpg"]
    assert sorted(_queued_inspections) == sorted(Upload.objects.values_list("pk", flat=True))
    assert messages_of(response) == [
        "3 files were uploaded and are being checked: “page1.jpg”, “page2.jpg”, “page3.jpg”."
    ]
    # Two places left: the input now says so.
    assert "You can choose up to 2 files at once." in response.content.decode()


def test_more_files_than_the_item_has_room_for_are_refused_and_none_kept(
    applicant_client, group, _queued_inspections
):
    post_files(applicant_client, group, scans(2))
    before = stored_files()

    response = post_files(applicant_client, group, scans(4, stem="more"), follow=True)

    assert messages_of(response)[-1:] == [
        "Travel document: You chose 4 files, but this document takes at most 5 files. "
        "It has room for 3 more."
    ]
    assert Upload.objects.count() == 2 and stored_files() == before


def test_one_bad_file_among_several_refuses_them_all_naming_it(applicant_client, group):
    files = [*scans(2), uploaded(b"", "blank.pdf")]

    response = post_files(applicant_client, group, files, follow=True)

    assert messages_of(response) == [
        "Travel document: “blank.pdf”: The file is empty. Choose a file that has content."
    ]
    assert not Upload.objects.exists() and stored_files() == []


def test_an_oversized_file_among_several_is_named(applicant_client, group):
    files = [*scans(1), uploaded(oversize_bytes(), "huge.jpg")]

    response = post_files(applicant_client, group, files, follow=True)

    assert messages_of(response) == [
        "Travel document: “huge.jpg”: The file is larger than 5 MB. Each file must be 5 MB or less."
    ]
    assert not Upload.objects.exists() and stored_files() == []


def test_six_files_in_one_post_are_refused_before_any_is_kept(applicant_client, group):
    response = post_files(applicant_client, group, scans(6), follow=True)

    assert messages_of(response) == [
        "Travel document: You sent 6 files at once. Choose at most 5 files at a time."
    ]
    assert not Upload.objects.exists() and stored_files() == []


def test_a_flood_of_files_gets_a_bad_request_and_changes_nothing(applicant_client, group):
    files = [uploaded(b"x", "f" + str(n) + ".jpg") for n in range(1000)]

    response = post_files(applicant_client, group, files)

    assert response.status_code == 400
    assert not Upload.objects.exists() and stored_files() == []


def test_a_nul_in_a_name_among_several_is_dropped_from_the_stored_name(applicant_client, group):
    files = [uploaded(jpeg_bytes(), "scan\x00.jpg"), uploaded(jpeg_bytes(), "b.jpg")]
    post_files(applicant_client, group, files)
    names = sorted(Upload.objects.values_list("original_name", flat=True))
    assert names and all("\x00" not in name for name in names)


def test_the_script_gets_the_item_back_for_several_files(applicant_client, group):
    response = post_files(applicant_client, group, scans(2), headers={"Accept": "application/json"})
    payload = response.json()
    assert response.status_code == 200 and payload["checking"] is True
    assert payload["html"].count('class="doc-file doc-file--pending"') == 2
    assert isinstance(payload["checks"], int)


# Sizes


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (340 * 1024 + 100, "340 KB"),
        (1024 * 1024 - 1, "1 MB"),
        (int(2.3 * 1024 * 1024), "2.3 MB"),
        (12 * 1024 * 1024, "12 MB"),
    ],
)
def test_sizes_read_as_people_read_them(size, shown):
    with translation.override("en"):
        assert sizes.human_size(size) == shown


def test_the_page_shows_a_files_size_that_way(applicant_client, group):
    data = jpeg_bytes() + b"\0" * (1536 * 1024)
    post_files(applicant_client, group, [uploaded(data, "big.jpg")])
    upload = Upload.objects.get()
    html = applicant_client.get(page_url(group)).content.decode()
    assert "(" + sizes.human_size(upload.size) + ")" in html
    assert re.search(r"\(1\.\d MB\)", html)


# The verdict, as soon as it is there


def test_the_counter_answers_without_a_database_query(
    applicant_client, group, django_assert_num_queries
):
    """Asked by the applicant's own browser (with its session cookie): the session row is
    neither read nor written, so polling never keeps an idle session alive either."""
    from django.contrib.sessions.models import Session

    url = reverse("documents:checks", args=[group.public_id])
    key = applicant_client.cookies["sessionid"].value
    expiry = Session.objects.get(session_key=key).expire_date
    with django_assert_num_queries(0):
        response = applicant_client.get(url)
    assert response.json() == {"checks": checks_finished(group_public_id=group.public_id)}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    assert Session.objects.get(session_key=key).expire_date == expiry
    assert applicant_client.get("/zh-hant" + url[3:]).json() == response.json()
    assert applicant_client.post(url).status_code == 405


@override_settings(INSPECTION_WALL_SECONDS=30)
def test_a_finished_check_moves_the_counter_the_page_reads(
    applicant_client, group, django_capture_on_commit_callbacks
):
    post_files(applicant_client, group, scans(1))
    url = reverse("documents:checks", args=[group.public_id])
    before = applicant_client.get(url).json()["checks"]
    item = applicant_client.get(
        reverse("documents:item_status", args=[group.public_id, "0", "A1"])
    ).json()
    assert item["checking"] is True and item["checks"] == before

    with django_capture_on_commit_callbacks(execute=True):
        inspect_upload_task(Upload.objects.get().pk)

    assert applicant_client.get(url).json()["checks"] == before + 1
    item = applicant_client.get(
        reverse("documents:item_status", args=[group.public_id, "0", "A1"])
    ).json()
    assert item["checking"] is False and item["checks"] == before + 1


def test_the_wizards_documents_step_takes_several_files_too(client):
    from tests.applications import drafting
    from tests.applications import wizard_client as wc

    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "dependants")
    html = client.get(wc.url(group, "documents")).content.decode()
    travel = re.search(r'<input type="file" id="file-0-A1"[^>]*>', html).group(0)
    assert " multiple" in travel and 'data-checks-url="/en/documents/' in html
