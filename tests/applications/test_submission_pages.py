"""The acknowledgment page, its PDF and email, and finding it again, through the test client
in the three languages."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications import references, services, tasks
from applications.exceptions import AcknowledgmentNotSent, ResumeDetailsWrong
from applications.models import AcknowledgmentOutbox, ApplicationGroup
from applications.services import drafts
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.applications.submitting import HKSCS_NAME, pdf_text, submitted_group
from tests.applications.wizard_client import date_parts
from tests.factories import ApplicationGroupFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hant", "zh-hans")
# What each language's page says, in words the translation chose.
SUBMITTED = {"en": "Application submitted", "zh-hant": "申請已遞交", "zh-hans": "申请已递交"}
FOUR_WEEKS = {"en": "4 weeks", "zh-hant": "4 星期", "zh-hans": "4 个星期"}
PDF_TITLE = {
    "en": "Acknowledgment of application",
    "zh-hant": "申請確認通知",
    "zh-hans": "申请确认通知",
}
FEE = "HK$1,200"


def ack_url(group: ApplicationGroup, name: str = "acknowledgment", language: str = "en") -> str:
    with translation.override(language):
        return reverse("applications:" + name, kwargs={"group_id": group.public_id})


def find_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("applications:find_acknowledgment")


def flat(text: str) -> str:
    """Text without whitespace (PDF extraction spaces CJK glyphs apart)."""
    return "".join(text.split())


@pytest.fixture
def group(trade):
    """A principal (with a Hong Kong supplementary character in the Chinese name) and one
    dependant, submitted and paid HK$1,200."""
    return submitted_group(trade, dependants=1, authorised_person_email="ap@harbour.example")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_lists_each_reference_and_name_the_fee_and_what_next(client, language, trade):
    group = submitted_group(trade, dependants=1, language=language)
    wc.remember(client, group)

    response = client.get(ack_url(group, language=language))

    assert response.status_code == 200
    html = response.content.decode()
    assert SUBMITTED[language] in html
    for application in group.applications.all():
        assert application.reference_number in html
    # The Chinese name in brackets: full-width ones in Chinese.
    if language == "en":
        assert "CHAN Tai Man (" + HKSCS_NAME + ")" in html
    else:
        assert "CHAN Tai Man\uff08" + HKSCS_NAME + "\uff09" in html
    assert "CHAN Child 1" in html
    assert FEE in html
    assert FOUR_WEEKS[language] in html
    assert ack_url(group, "acknowledgment_pdf", language) in html
    with translation.override(language):
        assert reverse("guide", kwargs={"slug": "supplementary-documents"}) in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_is_not_found_for_a_draft_another_session_or_a_guess(client, trade, group):
    assert client.get(ack_url(group)).status_code == 404  # not this session's
    draft = drafting.start(trade)
    wc.remember(client, draft)
    assert client.get(ack_url(draft)).status_code == 404
    assert client.get(ack_url(draft, "acknowledgment_pdf")).status_code == 404
    other = ApplicationGroupFactory.build()
    assert client.get(ack_url(other)).status_code == 404


def test_the_wizard_of_a_submitted_group_goes_to_the_acknowledgment(client, group):
    wc.remember(client, group)
    with translation.override("en"):
        pages = [
            wc.url(group, "applicant"),
            wc.url(group, "check"),
            reverse("applications:wizard_start", kwargs={"group_id": group.public_id}),
            reverse("applications:wizard_status", kwargs={"group_id": group.public_id}),
            reverse("applications:suspended", kwargs={"group_id": group.public_id}),
        ]
    for page in pages:
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, ack_url(group)), page
    response = wc.post(client, group, "applicant", wc.applicant(surname="Wong"))
    assert (response.status_code, response["Location"]) == (302, ack_url(group))
    assert group.applications.get(role="principal").surname == "Chan"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_shows_the_references_and_names_with_the_font_embedded(client, trade, language):
    group = submitted_group(trade, dependants=1, language=language)
    wc.remember(client, group)

    response = client.get(ack_url(group, "acknowledgment_pdf", language))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = flat(pdf_text(response.content))
    for application in group.applications.all():
        assert application.reference_number in text
    assert HKSCS_NAME in text
    assert flat(FEE) in text
    assert flat(PDF_TITLE[language]) in text
    (font,) = {
        f.get_object()["/BaseFont"].lstrip("/")
        for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    # A subset (its tag: six capitals and "+"), with the font program inside the file.
    assert font[6] == "+" and font[:6].isupper() and "NotoSansCJK" in font
    descriptor = (
        next(iter(reader.pages[0]["/Resources"]["/Font"].values()))
        .get_object()["/DescendantFonts"][0]
        .get_object()["/FontDescriptor"]
        .get_object()
    )
    assert "/FontFile3" in descriptor or "/FontFile2" in descriptor
    assert len(response.content) < 200_000  # the glyphs used, not the whole font


def test_the_email_goes_once_to_the_applicant_and_the_authorised_person(group):
    outbox = AcknowledgmentOutbox.objects.get(group=group)

    assert tasks.send_acknowledgment(outbox.pk) is True
    assert tasks.send_acknowledgment(outbox.pk) is False

    (message,) = mail.outbox
    assert message.to == [group.contact_email, "ap@harbour.example"]
    for application in group.applications.all():
        assert application.reference_number in message.body
    assert FEE in message.body
    assert references.display(group.temporary_reference) in message.body
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert HKSCS_NAME in flat(pdf_text(content))
    outbox.refresh_from_db()
    assert outbox.sent_at is not None
    assert outbox.sent_to == group.contact_email + ", ap@harbour.example"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_email_is_in_the_group_language(trade, language):
    group = submitted_group(trade, language=language)
    services.send_acknowledgment(outbox_id=AcknowledgmentOutbox.objects.get(group=group).pk)
    (message,) = mail.outbox
    assert message.to == [group.contact_email]  # no authorised person's address known
    assert FOUR_WEEKS[language] in message.body
    assert "/" + language + "/" in message.body  # the look-up link, in that language


def test_a_refusing_mail_server_leaves_it_to_be_sent_again(group, settings):
    settings.EMAIL_BACKEND = "tests.applications.test_submission_pages.RefusingBackend"
    outbox = AcknowledgmentOutbox.objects.get(group=group)

    with pytest.raises(AcknowledgmentNotSent):
        services.send_acknowledgment(outbox_id=outbox.pk)

    outbox.refresh_from_db()
    assert (outbox.sent_at, outbox.attempts) == (None, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_acknowledgment(outbox_id=outbox.pk) is True
    assert len(mail.outbox) == 1


class RefusingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("refused")


# Finding the acknowledgment again


def find(client: Client, group: ApplicationGroup, language: str = "en", **changes):
    principal = group.applications.get(role="principal")
    data = {
        "reference": references.display(group.temporary_reference),
        **date_parts("date_of_birth", principal.date_of_birth),
    }
    data.update(changes)
    return client.post(find_url(language), data)


@pytest.fixture
def real_reference_group(trade):
    """A submitted group with a well-formed temporary reference (the form checks it)."""
    group = submitted_group(trade)
    ApplicationGroup.objects.filter(pk=group.pk).update(
        temporary_reference=references.new_reference()
    )
    group.refresh_from_db()
    return group


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_look_up_opens_the_acknowledgment(client, real_reference_group, language):
    page = client.get(find_url(language))
    assert page.status_code == 200
    assert 'name="reference"' in page.content.decode()

    response = find(client, real_reference_group, language)

    assert response.status_code == 302
    assert response["Location"] == ack_url(real_reference_group, language=language)
    assert SUBMITTED[language] in client.get(response["Location"]).content.decode()


def test_a_draft_found_is_told_it_was_not_submitted(client, trade):
    draft = drafting.start(trade)

    response = find(client, draft)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This application has not been submitted, so there is no acknowledgment." in html
    assert reverse("applications:resume") in html
    assert client.get(ack_url(draft)).status_code == 404


def test_a_wrong_date_of_birth_is_refused_and_counted_with_resuming(
    client, real_reference_group, trade
):
    principal = real_reference_group.applications.get(role="principal")
    day = 2 if principal.date_of_birth.day == 1 else 1
    wrong = {**date_parts("date_of_birth", principal.date_of_birth.replace(day=day))}
    for _ in range(drafts.RESUME_ATTEMPTS - 1):
        response = find(client, real_reference_group, **wrong)
        assert "We could not find an application" in response.content.decode()
    # A failed resume with the same reference counts on the same keys...
    with pytest.raises(ResumeDetailsWrong):
        services.resume_by_reference(
            reference=real_reference_group.temporary_reference,
            date_of_birth=principal.date_of_birth,
            client_address="127.0.0.1",
        )
    # ...so even the right details are now refused.
    response = find(client, real_reference_group)
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()


def test_the_resume_and_home_pages_link_to_the_look_up(client):
    with translation.override("en"):
        for page in (reverse("applications:resume"), reverse("home")):
            assert find_url() in client.get(page).content.decode()


def test_a_missing_font_is_reported_at_start_up(settings, tmp_path):
    from applications.checks import acknowledgment_font_installed

    assert acknowledgment_font_installed() == []
    settings.ACKNOWLEDGMENT_FONT = str(tmp_path / "missing.ttc")
    (warning,) = acknowledgment_font_installed()
    assert warning.id == "applications.W001" and "fonts-noto-cjk" in warning.hint


def test_the_sweep_queues_again_what_is_still_unsent(group, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks.send_acknowledgment, "delay", queued.append)
    outbox = AcknowledgmentOutbox.objects.get(group=group)
    assert tasks.send_pending_acknowledgments() == 0  # just queued: its own task is on the way

    AcknowledgmentOutbox.objects.filter(pk=outbox.pk).update(
        created_at=outbox.created_at - services.acknowledgment.RESEND_AFTER
    )
    assert tasks.send_pending_acknowledgments() == 1
    assert queued == [outbox.pk]

    assert tasks.send_acknowledgment(outbox.pk) is True
    assert tasks.send_pending_acknowledgments() == 0
