"""Resuming a draft: by the emailed link (valid, tampered, expired) and by the temporary
reference with the applicant's date of birth, with the limit on failed attempts."""

import datetime
import time as real_time

import pytest
from django.core import signing
from django.core.cache.backends import locmem
from django.utils import timezone

from applications import references
from applications.models import ApplicationGroup
from applications.services import drafts
from tests.applications.wizard_client import date_parts

from .drafting import start, trade_with_pool, years_ago

pytestmark = pytest.mark.django_db

BORN = years_ago(30)
SAME_MESSAGE = str(drafts.ResumeDetailsWrong.default_message)


@pytest.fixture
def group():
    return start(trade_with_pool(), date_of_birth=BORN)


class Clock:
    """Stands in for the `time` module of the local-memory cache, so the window can pass."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return real_time.time() + self.offset


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(locmem, "time", fake)
    return fake


def other_reference(group: ApplicationGroup) -> str:
    while True:
        candidate = references.new_reference()
        if candidate != group.temporary_reference:
            return candidate


def resume(reference: str, born: datetime.date = BORN, address: str = "203.0.113.5"):
    return drafts.resume_by_reference(
        reference=reference, date_of_birth=born, client_address=address
    )


# By link


def test_the_link_opens_its_draft(group):
    token = drafts.resume_token(group)
    assert drafts.resume_by_link(token=token) == group


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: str(ApplicationGroup().public_id) + token[36:],
        lambda token: "",
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused(group, tamper):
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=tamper(drafts.resume_token(group)))


def test_a_link_signed_for_another_purpose_is_refused(group):
    token = signing.TimestampSigner(salt="applications.access.employer-link").sign(
        str(group.public_id)
    )
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=token)


def test_the_link_expires_with_the_draft(group, monkeypatch):
    token = drafts.resume_token(group)
    later = real_time.time() + drafts.DRAFT_LIFETIME.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=token)


def test_the_link_of_an_abandoned_or_deleted_draft_is_refused(group):
    token = drafts.resume_token(group)
    ApplicationGroup.objects.filter(pk=group.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=15)
    )
    group.applications.update(updated_at=timezone.now() - datetime.timedelta(days=15))
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=token)
    group.delete()
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=token)


def test_the_link_of_a_submitted_group_is_refused(group):
    token = drafts.resume_token(group)
    ApplicationGroup.objects.filter(pk=group.pk).update(status=ApplicationGroup.Status.SUBMITTED)
    with pytest.raises(drafts.ResumeLinkInvalid):
        drafts.resume_by_link(token=token)


# By reference and date of birth


def test_the_reference_and_date_of_birth_open_the_draft(group):
    assert resume(group.temporary_reference) == group
    assert resume(references.display(group.temporary_reference).lower()) == group


def test_wrong_date_of_birth_and_wrong_reference_get_the_same_message(group):
    with pytest.raises(drafts.ResumeDetailsWrong) as wrong_birth:
        resume(group.temporary_reference, born=BORN - datetime.timedelta(days=1))
    with pytest.raises(drafts.ResumeDetailsWrong) as wrong_reference:
        resume(other_reference(group))
    assert str(wrong_birth.value.message) == str(wrong_reference.value.message) == SAME_MESSAGE


def test_a_dependants_date_of_birth_does_not_open_the_draft(group):
    from tests.factories import DependantFactory

    DependantFactory(group=group, position=1, date_of_birth=BORN - datetime.timedelta(days=900))
    with pytest.raises(drafts.ResumeDetailsWrong):
        resume(group.temporary_reference, born=BORN - datetime.timedelta(days=900))


def test_the_sixth_attempt_on_a_reference_is_refused_even_when_right(group, clock):
    for attempt in range(drafts.RESUME_ATTEMPTS):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(
                group.temporary_reference,
                born=BORN - datetime.timedelta(days=1),
                address="198.51.100." + str(attempt),  # a new address each time
            )
    with pytest.raises(drafts.TooManyAttempts):
        resume(group.temporary_reference, address="198.51.100.99")
    clock.offset = drafts.RESUME_WINDOW_SECONDS + 1
    assert resume(group.temporary_reference, address="198.51.100.99") == group


def test_the_sixth_attempt_from_an_address_is_refused_even_when_right(group, clock):
    for _ in range(drafts.RESUME_ATTEMPTS):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(other_reference(group))  # a different reference each time
    with pytest.raises(drafts.TooManyAttempts):
        resume(group.temporary_reference)
    assert resume(group.temporary_reference, address="192.0.2.1") == group
    clock.offset = drafts.RESUME_WINDOW_SECONDS - 60
    with pytest.raises(drafts.TooManyAttempts):
        resume(group.temporary_reference)
    clock.offset = drafts.RESUME_WINDOW_SECONDS + 1
    assert resume(group.temporary_reference) == group


def test_refused_attempts_do_not_extend_the_window(group, clock):
    for _ in range(drafts.RESUME_ATTEMPTS):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(other_reference(group))
    clock.offset = 600
    for _ in range(3):
        with pytest.raises(drafts.TooManyAttempts):
            resume(group.temporary_reference)
    clock.offset = drafts.RESUME_WINDOW_SECONDS + 1
    assert resume(group.temporary_reference) == group


def test_four_failures_still_let_the_right_answer_in(group):
    for _ in range(drafts.RESUME_ATTEMPTS - 1):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(group.temporary_reference, born=BORN + datetime.timedelta(days=3))
    assert resume(group.temporary_reference) == group


def test_right_answers_do_not_use_up_the_allowance(group):
    """Every attempt is counted before its look-up; a right one is uncounted afterwards."""
    for _ in range(drafts.RESUME_ATTEMPTS * 2):
        assert resume(group.temporary_reference) == group
    for _ in range(drafts.RESUME_ATTEMPTS):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(group.temporary_reference, born=BORN + datetime.timedelta(days=3))
    with pytest.raises(drafts.TooManyAttempts):
        resume(group.temporary_reference)


def test_resuming_touches_the_draft(group):
    old = timezone.now() - datetime.timedelta(days=10)
    ApplicationGroup.objects.filter(pk=group.pk).update(updated_at=old)
    resume(group.temporary_reference)
    group.refresh_from_db()
    assert group.updated_at > old + datetime.timedelta(days=9)


def test_a_submitted_group_is_not_resumed_by_reference(group):
    ApplicationGroup.objects.filter(pk=group.pk).update(status=ApplicationGroup.Status.SUBMITTED)
    with pytest.raises(drafts.ResumeDetailsWrong):
        resume(group.temporary_reference)


def test_the_limit_holds_on_redis_and_lifts_when_the_keys_expire(group, redis_cache):
    for _ in range(drafts.RESUME_ATTEMPTS):
        with pytest.raises(drafts.ResumeDetailsWrong):
            resume(group.temporary_reference, born=BORN - datetime.timedelta(days=2))
    with pytest.raises(drafts.TooManyAttempts):
        resume(group.temporary_reference, address="192.0.2.77")
    keys = (
        drafts.RESUME_BY_REFERENCE.key(group.temporary_reference),
        drafts.RESUME_FROM_ADDRESS.key("203.0.113.5"),
    )
    client = redis_cache._cache.get_client(write=True)
    for key in keys:
        stored = redis_cache.make_key(key)
        assert 0 < client.ttl(stored) <= drafts.RESUME_WINDOW_SECONDS
        client.pexpire(stored, 50)  # the window passes
    real_time.sleep(0.2)
    assert resume(group.temporary_reference) == group


def test_resume_pages_use_a_bounded_number_of_queries(client, group, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.post(
            "/en/apply/resume/",
            {"reference": group.temporary_reference, **date_parts("date_of_birth", BORN)},
        )
    # This browser now has a session: opening the draft again renews its key (session
    # fixation), which writes the new session row and deletes the old one (six queries more).
    with django_assert_max_num_queries(16):
        client.get("/en/apply/resume/" + drafts.resume_token(group) + "/")
