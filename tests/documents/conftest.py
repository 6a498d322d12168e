"""Fixtures of the documents tests: a draft group, its people, and clients that may open it."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.access import SESSION_KEY, employer_token
from applications.roles import OFFICER
from tests.factories import DependantFactory, EmployerPartFactory, PrincipalFactory
from tests.staff import log_in_staff


@pytest.fixture
def principal(db):
    return PrincipalFactory()


@pytest.fixture
def group(principal):
    EmployerPartFactory(group=principal.group)
    return principal.group


@pytest.fixture
def dependant(group):
    return DependantFactory(group=group, position=1)


def open_group(client, group) -> None:
    """What the wizard does when this browser starts or resumes the group."""
    session = client.session
    session[SESSION_KEY] = [*session.get(SESSION_KEY, []), str(group.public_id)]
    session.save()


@pytest.fixture
def applicant_client(client, group):
    open_group(client, group)
    return client


@pytest.fixture
def employer_query(group) -> str:
    return "?employer=" + employer_token(group)


@pytest.fixture
def officer_client(client, db):
    user = User.objects.create_user("officer1", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=OFFICER)[0])
    log_in_staff(client, user)
    return client


def uploaded(data: bytes, name: str = "scan.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture(autouse=True)
def _queued_inspections(request, monkeypatch):
    """Inspections queued by a test are recorded here instead of reaching the shared broker
    (only the real-worker test, which asks for `real_broker`, sends them)."""
    if "real_broker" in request.fixturenames:
        yield None
        return
    from documents.tasks import inspect_upload_task

    queued: list[int] = []
    monkeypatch.setattr(inspect_upload_task, "delay", queued.append)
    yield queued


@pytest.fixture
def real_broker(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: devstack sets REDIS_URL when Redis answers")
    return settings.REDIS_URL


@pytest.fixture(autouse=True)
def _english_addresses():
    """Each test starts in English: a request through the test client leaves its language active
    in this thread (LocaleMiddleware), which would otherwise prefix the next test's addresses."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
