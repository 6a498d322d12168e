"""Declarations and signatures: who signs, what is kept, and voiding on a later change."""

import base64
import io
import re

import pytest
from django.contrib.messages import get_messages
from PIL import Image

from applications.models import Application, EmployerPart, Signature
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(client, trade):
    group = wc.open_draft(client, trade)
    rows = [
        wc.dependant("spouse"),
        wc.dependant("child", wc.years_ago(7), given_names="Ka Ho"),
        wc.dependant("child", wc.years_ago(17), given_names="Ka Yan"),
    ]
    wc.fill_to(client, group, trade, "check", rows=rows)
    return group


def everyone_signs(client, group, **drawn):
    people = {a.given_names: a.position for a in Application.objects.filter(group=group)}
    values = {
        **wc.signing("0", "CHAN Tai Man", drawn=True),
        **wc.signing(str(people["Siu Ling"]), "CHAN Siu Ling"),
        **wc.signing(str(people["Ka Ho"]), "Chan Tai Man", capacity="legal_guardian"),
        **wc.signing(str(people["Ka Yan"]), "CHAN Ka Yan", drawn=True),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    response = wc.post(client, group, "declarations", values)
    assert response.status_code == 302, response.context and response.context["errors"]
    return people


def valid(group):
    return {
        (s.role, s.application_id)
        for s in Signature.objects.filter(group=group, voided_at__isnull=True)
    }


def test_who_signs_and_what_is_kept(client, group):
    page = client.get(wc.url(group, "declarations")).content.decode()
    assert "Parent or legal guardian of CHAN Ka Ho (under 16)" in page
    assert "Dependant: CHAN Ka Yan" in page
    assert "The employing company&#x27;s authorised person" in page
    assert page.count("data-signature-pad") == 5
    people = everyone_signs(client, group)
    applicant = Signature.objects.get(group=group, role="applicant")
    assert applicant.method == "drawn" and applicant.drawn_image.startswith("data:image/png")
    assert applicant.signer_name == "CHAN Tai Man" and applicant.ip_address == "127.0.0.1"
    assert applicant.signed_at is not None and len(applicant.fingerprint) == 64
    typed = Signature.objects.get(group=group, role="dependant", typed_name__gt="")
    assert typed.method == "typed" and typed.typed_name == "CHAN Siu Ling"
    guardian = Signature.objects.get(group=group, role="guardian")
    assert guardian.application.position == people["Ka Ho"]
    assert guardian.capacity == "legal_guardian" and guardian.signer_name == "Chan Tai Man"
    assert EmployerPart.objects.get(group=group).completed_at is not None
    # Once signed, the page shows who signed and asks nothing more.
    page = client.get(wc.url(group, "declarations")).content.decode()
    assert "data-signature-pad" not in page and "Signed by CHAN Tai Man" in page


def test_changing_a_dependant_voids_only_that_signature_and_says_so(client, group):
    people = everyone_signs(client, group)
    before = valid(group)
    rows = []
    for given, position in sorted(people.items(), key=lambda item: item[1]):
        if position == 0:
            continue
        relationship = "spouse" if given == "Siu Ling" else "child"
        born = {"Siu Ling": wc.years_ago(29), "Ka Ho": wc.years_ago(7), "Ka Yan": wc.years_ago(17)}[
            given
        ]
        row = wc.dependant(relationship, born, given_names=given, position=str(position))
        if given == "Siu Ling":
            row["place_of_birth"] = "ignored"
            row["travel_document_number"] = "NEW12345"
        rows.append(row)
    response = wc.post(client, group, "dependants", wc.dependants(rows, initial=3))
    assert response.status_code == 302
    spouse = Application.objects.get(group=group, given_names="Siu Ling")
    assert valid(group) == before - {("dependant", spouse.pk)}
    voided = Signature.objects.get(group=group, application=spouse)
    assert voided.voided_at is not None and voided.void_reason == "data changed after signing"
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("no longer valid" in m and "CHAN Siu Ling" in m for m in shown)


def test_changing_employment_terms_voids_the_applicant_and_the_company(client, group, trade):
    everyone_signs(client, group)
    response = wc.post(
        client, group, "employment", wc.employment(trade, monthly_salary_hkd="35000")
    )
    assert response.status_code == 302
    roles = {role for role, _id in valid(group)}
    assert roles == {"dependant", "guardian"}
    assert EmployerPart.objects.get(group=group).completed_at is None
    # The declarations page asks the two of them again.
    page = client.get(wc.url(group, "declarations")).content.decode()
    assert page.count("data-signature-pad") == 2


def test_saving_unchanged_answers_voids_nothing(client, group):
    everyone_signs(client, group)
    before = valid(group)
    assert wc.post(client, group, "applicant", wc.applicant()).status_code == 302
    assert valid(group) == before


def test_a_child_removed_takes_its_signature_with_it(client, group):
    people = everyone_signs(client, group)
    rows = [
        wc.dependant("spouse", given_names="Siu Ling", position=str(people["Siu Ling"])),
        wc.dependant("child", wc.years_ago(7), given_names="Ka Ho", position=str(people["Ka Ho"]))
        | {"DELETE": "on"},
        wc.dependant(
            "child", wc.years_ago(17), given_names="Ka Yan", position=str(people["Ka Yan"])
        ),
    ]
    assert wc.post(client, group, "dependants", wc.dependants(rows, initial=3)).status_code == 302
    assert not Application.objects.filter(group=group, given_names="Ka Ho").exists()
    assert not Signature.objects.filter(group=group, role="guardian").exists()
    assert Signature.objects.filter(group=group, voided_at__isnull=True).count() == 4


def png(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize(
    "drawn, text",
    [
        (png(Image.new("RGBA", (300, 100), (0, 0, 0, 0))), "The signature box is empty"),
        ("data:image/png;base64,not-base64!", "The drawn signature could not be read"),
        ("data:image/jpeg;base64,AAAA", "The drawn signature could not be read"),
        (
            "data:image/png;base64," + base64.b64encode(b"GIF89a" + b"0" * 50).decode(),
            "The drawn signature could not be read",
        ),
    ],
)
def test_bad_drawn_signatures_are_refused(client, group, drawn, text):
    values = wc.signing("0", "CHAN Tai Man")
    values["sig0_typed"] = ""
    values["sig0_drawn"] = drawn
    response = wc.post(client, group, "declarations", values)
    assert response.status_code == 200 and text in response.content.decode()
    assert not Signature.objects.filter(group=group).exists()


def test_typed_signature_must_match_the_name_and_the_declaration_be_confirmed(client, group):
    values = wc.signing("0", "CHAN Tai Man")
    values["sig0_typed"] = "Somebody Else"
    del values["sig0_confirm"]
    response = wc.post(client, group, "declarations", values)
    html = response.content.decode()
    assert "The typed signature must be the same as the full name" in html
    assert "Confirm the declaration" in html
    assert 'href="#id_declarations-sig0_typed"' in html
    values = wc.signing("0", "CHAN Tai Man")
    values["sig0_typed"] = ""
    response = wc.post(client, group, "declarations", values)
    assert "Draw the signature in the box, or type the full name instead" in (
        response.content.decode()
    )
    assert not Signature.objects.filter(group=group).exists()


def test_a_guardian_must_say_parent_or_legal_guardian(client, group):
    people = {a.given_names: a.position for a in Application.objects.filter(group=group)}
    key = str(people["Ka Ho"])
    values = wc.signing(key, "Chan Tai Man")
    response = wc.post(client, group, "declarations", values)
    assert "Select parent or legal guardian" in response.content.decode()


def drawn_value_shown(html: str, key: str) -> str:
    tag = re.search(r'<input[^>]*name="declarations-sig' + key + '_drawn"[^>]*>', html)
    assert tag is not None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_a_drawn_signature_is_kept_on_the_page_after_an_error_elsewhere(client, group):
    values = wc.signing("0", "CHAN Tai Man", drawn=True)
    del values["sig0_confirm"]  # the error: the declaration not confirmed
    response = wc.post(client, group, "declarations", values)
    html = response.content.decode()
    assert response.status_code == 200 and "Confirm the declaration" in html
    # Rendered back exactly as drawn, for signature-pad.js to draw it on the canvas again.
    assert drawn_value_shown(html, "0") == values["sig0_drawn"]
    assert not Signature.objects.filter(group=group).exists()
    # Sent again as the page has it, the drawing is the signature recorded.
    everyone_signs(client, group)
    principal = Signature.objects.get(group=group, application__position=0)
    assert principal.method == "drawn"
    assert principal.drawn_image == drawn_value_shown(html, "0")


@pytest.mark.parametrize(
    "drawn",
    [
        png(Image.new("RGBA", (300, 100), (0, 0, 0, 0))),
        "data:image/png;base64,not-base64!",
        'data:image/png;base64,"><script>alert(1)</script>',
    ],
)
def test_an_unusable_drawing_is_not_rendered_back(client, group, drawn):
    values = wc.signing("0", "CHAN Tai Man")
    values["sig0_typed"] = ""
    values["sig0_drawn"] = drawn
    html = wc.post(client, group, "declarations", values).content.decode()
    assert drawn_value_shown(html, "0") == ""
    assert "<script>alert" not in html
