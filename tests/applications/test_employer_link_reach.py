"""Where the employer link stops: a part without a link nonce accepts no link, and a submitted
group's link opens nothing, neither the employer's steps nor the documents pages."""

import pytest
from django.test import Client
from django.urls import reverse

from applications import access
from applications.models import ApplicationGroup, EmployerPart
from tests.applications import wizard_client as wc
from tests.applications.submitting import submit
from tests.factories import ApplicationGroupFactory, EmployerPartFactory, PrincipalFactory

pytestmark = pytest.mark.django_db


def _handed_over(*, nonce: str, status: str = ApplicationGroup.Status.DRAFT) -> ApplicationGroup:
    group = ApplicationGroupFactory(status=status)
    PrincipalFactory(group=group)
    EmployerPartFactory(
        group=group,
        completed_by=EmployerPart.CompletedBy.EMPLOYER,
        link_sent_to="hr@harbour-aero.example",
        link_nonce=nonce,
    )
    return ApplicationGroup.objects.with_parts().get(pk=group.pk)


def _documents_url(group: ApplicationGroup, token: str) -> str:
    return reverse("documents:group", args=[group.public_id]) + "?employer=" + token


def test_a_part_without_a_nonce_accepts_no_link():
    # A part made before link nonces existed, and a link signed then: the group's id alone.
    group = _handed_over(nonce="")
    token = access.employer_token(group, nonce="")
    hr = Client()
    assert access.group_for_employer_token(token) is None
    assert hr.get(wc.employer_url(token, "company")).status_code == 404
    assert hr.get(_documents_url(group, token)).status_code == 404


def test_a_part_with_a_nonce_still_opens_by_its_link():
    group = _handed_over(nonce=access.new_link_nonce())
    token = access.employer_token(group)
    assert Client().get(wc.employer_url(token, "company")).status_code == 200
    assert Client().get(_documents_url(group, token)).status_code == 200


def test_the_link_opens_nothing_once_the_group_is_submitted(trade):
    group = _handed_over(
        nonce=access.new_link_nonce(), status=ApplicationGroup.Status.PAYMENT_PENDING
    )
    principal = group.applications.get()
    principal.trade = trade
    principal.save()
    token = access.employer_token(group)
    hr = Client()
    assert hr.get(_documents_url(group, token)).status_code == 200  # while being paid
    submit(group)
    assert access.group_for_employer_token(token) is None
    # A genuine link that no longer works says why (410) and opens nothing of the group.
    for url in (
        wc.employer_url(token, "company"),
        _documents_url(group, token),
        reverse("applications:employer_done", kwargs={"token": token}),
    ):
        response = hr.get(url)
        assert response.status_code in (404, 410), url
        assert "CHAN" not in response.content.decode()
