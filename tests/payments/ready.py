"""A group ready to pay, built as an applicant builds it: every step through the test client,
the declarations signed, a valid file uploaded and inspected for every item needed."""

from django.test import Client

from applications.models import ApplicationGroup
from applications.services import readiness
from quota.models import SkilledTrade
from tests.applications import wizard_client as wc
from tests.applications.test_wizard_flow import upload_everything


def ready_group(client: Client, trade: SkilledTrade, **changes: object) -> ApplicationGroup:
    group = wc.open_draft(client, trade, **changes)
    wc.fill_to(client, group, trade, "check", mode="applicant")
    signing = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    response = wc.post(client, group, "declarations", signing)
    assert response.status_code == 302, response.context and response.context.get("errors")
    upload_everything(group)
    group.refresh_from_db()
    found = readiness(group)
    assert found.ready, found.missing
    return group
