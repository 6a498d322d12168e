"""Who may see a group's documents and files: everyone else gets 404, never a hint."""

import pytest
from django.urls import reverse

from applications.access import (
    Access,
    access_for,
    employer_token,
    group_for_employer_token,
    remember_group,
    session_may_open,
)
from documents.models import Upload
from documents.services import upload_document
from documents.tasks import inspect_upload_task
from tests.documents.conftest import open_group, uploaded
from tests.documents.corpus import jpeg_bytes, pdf_bytes, tiff_bytes
from tests.factories import EmployerPartFactory, PrincipalFactory
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


def add(group, code, data, name, application=None):
    upload = upload_document(
        group=group, application=application, requirement_code=code, file=uploaded(data, name)
    )
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    return upload


@pytest.fixture
def passport(group):
    return add(group, "A1", pdf_bytes(), "passport.pdf", group.principal)


@pytest.fixture
def contract(group):
    return add(group, "B1", pdf_bytes(colour=False), "contract.pdf")


def file_url(upload) -> str:
    return reverse("documents:file", args=[upload.group.public_id, upload.public_id])


def page_url(group) -> str:
    return reverse("documents:group", args=[group.public_id])


def test_owner_gets_the_file_with_safe_headers(applicant_client, passport):
    response = applicant_client.get(file_url(passport))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="passport.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    stored = passport.group.document_uploads.get().storage_key
    from django.core.files.storage import default_storage

    assert b"".join(response.streaming_content) == default_storage.open(stored).read()


def test_tiff_is_an_attachment_and_an_accepted_jpeg_is_shown_inline(applicant_client, group):
    tiff = add(group, "A1", tiff_bytes(("tiff_lzw",)), "scan.tif", group.principal)
    photo = add(group, "A2", jpeg_bytes(), "me.png", group.principal)
    tiff_response = applicant_client.get(file_url(tiff))
    assert tiff_response["Content-Type"] == "image/tiff"
    assert tiff_response["Content-Disposition"].startswith("attachment;")
    photo_response = applicant_client.get(file_url(photo))
    # The type comes from the content (JPEG), not from the name the browser sent (.png).
    assert photo_response["Content-Type"] == "image/jpeg"
    assert photo_response["Content-Disposition"].startswith("inline;")


def test_rejected_or_unchecked_file_is_sent_as_opaque_bytes(applicant_client, group):
    html = b"<html><script>alert(1)</script></html>"
    upload = upload_document(
        group=group,
        application=group.principal,
        requirement_code="A4",
        file=uploaded(html, "cv.jpg"),
    )
    response = applicant_client.get(file_url(upload))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_officer_gets_the_file(officer_client, passport):
    response = officer_client.get(file_url(passport))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_staff_user_without_an_officer_role_gets_404(client, passport, django_user_model):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    log_in_staff(client, user)
    assert client.get(file_url(passport)).status_code == 404


def test_another_applicants_session_gets_404(client, passport):
    other = PrincipalFactory().group
    open_group(client, other)
    assert client.get(file_url(passport)).status_code == 404
    assert client.get(page_url(passport.group)).status_code == 404


def test_anonymous_visitor_gets_404(client, passport):
    assert client.get(file_url(passport)).status_code == 404
    assert client.get(page_url(passport.group)).status_code == 404


def test_file_asked_under_another_groups_address_gets_404(client, passport):
    other = PrincipalFactory().group
    open_group(client, other)
    url = reverse("documents:file", args=[other.public_id, passport.public_id])
    assert client.get(url).status_code == 404


def test_employer_link_gets_company_files(client, contract, employer_query):
    response = client.get(file_url(contract) + employer_query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_employer_link_asking_for_the_applicants_files_gets_404(client, passport, employer_query):
    assert client.get(file_url(passport) + employer_query).status_code == 404


def test_employer_link_page_shows_only_the_company_section(client, group, employer_query):
    page = client.get(page_url(group) + employer_query)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="file-employer-B1"' in text and 'id="file-0-A1"' not in text
    assert employer_query.replace("?", "") in text  # the link is kept on every form


def test_employer_link_cannot_upload_for_the_applicant(client, group, employer_query):
    url = reverse("documents:upload", args=[group.public_id]) + employer_query
    data = {"person": "0", "item": "A1", "file": uploaded(jpeg_bytes())}
    assert client.post(url, data).status_code == 404
    data = {"person": "employer", "item": "B1", "file": uploaded(pdf_bytes(), "c.pdf")}
    assert client.post(url, data).status_code == 302
    assert Upload.objects.get().requirement_code == "B1"


def test_wrong_employer_link_gets_404(client, contract):
    other = PrincipalFactory().group
    for token in (employer_token(other), employer_token(contract.group) + "x", "garbage"):
        assert client.get(file_url(contract) + "?employer=" + token).status_code == 404


def test_expired_employer_link_says_so(client, contract, monkeypatch):
    import time

    from django.core import signing

    from applications.access import EMPLOYER_LINK_MAX_AGE

    signed_at = time.time() - EMPLOYER_LINK_MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signed_at)
        token = employer_token(contract.group)
    # A genuine link that expired: 410, and the page says so (no file, no checklist).
    assert client.get(file_url(contract) + "?employer=" + token).status_code == 410
    page = client.get(page_url(contract.group) + "?employer=" + token)
    assert page.status_code == 410 and "This link stopped working" in page.content.decode()
    assert group_for_employer_token(token, max_age=EMPLOYER_LINK_MAX_AGE * 2) == contract.group


def test_session_remembers_opened_groups(rf, group):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.session = SessionStore()
    assert not session_may_open(request, group)
    remember_group(request, group)
    assert session_may_open(request, group)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert access_for(request, group) is Access.APPLICANT


def test_employer_link_token_names_only_its_group():
    first, second = PrincipalFactory().group, PrincipalFactory().group
    EmployerPartFactory(group=first)
    EmployerPartFactory(group=second)  # a group without a part's nonce accepts no link
    assert group_for_employer_token(employer_token(first)) == first
    assert group_for_employer_token(employer_token(second)) == second
    assert group_for_employer_token(employer_token(first)[:-2]) is None
