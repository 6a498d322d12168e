"""A signature covers what the signer was shown: signing locks the group and refuses when the
data changed since the page showed it; a change after signing voids it; readiness checks every
signature's fingerprint against the data again."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from applications.exceptions import SignatureError
from applications.models import ApplicationGroup, EmployerPart, Signature
from applications.services import SignatureEntry, Signer, readiness, save_step, sign
from applications.services.signatures import fingerprint
from applications.wizard.forms import EmploymentForm
from tests.applications import wizard_client as wc

STEP = "employer_declaration"


def hr_ready_to_sign(client: Client, trade) -> tuple[ApplicationGroup, str]:
    """A draft handed to HR, whose company particulars and documents HR has done."""
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    from django.core import mail

    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    hr = Client()
    for step, values in (("company", wc.company()), ("employer_documents", {})):
        data = {**wc.management(group, step, "employer"), **wc.prefixed(step, values)}
        assert hr.post(wc.employer_url(token, step), data).status_code == 302, step
    return group, token


def valid_employer_signatures(group) -> int:
    return Signature.objects.filter(
        group=group, role=Signature.Role.EMPLOYER, voided_at__isnull=True
    ).count()


@pytest.mark.django_db
def test_hr_cannot_sign_terms_that_changed_after_the_page_showed_them(client, trade):
    group, token = hr_ready_to_sign(client, trade)
    hr = Client()
    address = wc.employer_url(token, STEP)
    page = hr.get(address).content.decode()
    assert "HK$32,000" in page
    shown = wc.shown_fields(page)
    assert list(shown) == [STEP + "-sigemployer_shown"]

    # The applicant raises the salary in the meantime (nobody has signed: nothing to void).
    changed = wc.employment(trade, monthly_salary_hkd="99000")
    assert wc.post(client, group, "employment", changed).status_code == 302

    values = wc.prefixed(STEP, wc.signing("employer", "Wong Mei Ling", capacity="HR Director"))
    data = {**wc.management(group, STEP, "employer"), **values, **shown}
    response = hr.post(address, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed since this page was opened" in html
    assert "HK$99,000" in html  # the page now shows the terms as they are
    assert valid_employer_signatures(group) == 0

    # Signing the page as shown now is accepted, and covers the terms HR saw.
    again = {**data, **wc.shown_fields(html)}
    assert hr.post(address, again).status_code == 302
    signature = Signature.objects.get(group=group, role=Signature.Role.EMPLOYER)
    group = ApplicationGroup.objects.with_parts().get(pk=group.pk)
    employer = Signer("employer", Signature.Role.EMPLOYER, None)
    assert signature.fingerprint == fingerprint(group, employer)
    assert group.employer_part.monthly_salary_hkd == 99000


@pytest.mark.django_db
def test_a_declarations_post_without_what_was_shown_is_refused(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    values = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    data = {**wc.management(group, "declarations"), **wc.prefixed("declarations", values)}
    response = client.post(wc.url(group, "declarations"), data)
    assert response.status_code == 200
    assert "changed since this page was opened" in response.content.decode()
    assert not Signature.objects.filter(group=group).exists()


@pytest.mark.django_db
def test_readiness_checks_each_signatures_fingerprint_again(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    values = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    assert wc.post(client, group, "declarations", values).status_code == 302
    assert not [m for m in readiness(group).missing if "sign" in m.text]
    # The salary changes by a path that did not void the signatures (a bulk update).
    EmployerPart.objects.filter(group=group).update(monthly_salary_hkd=1)
    missing = [m.text for m in readiness(group).missing]
    again = "must sign the declaration again: the answers changed after signing"
    assert "The employing company's authorised person " + again in missing
    assert "Applicant: CHAN Tai Man " + again in missing


def employment_cleaned(trade, salary: int) -> dict:
    form = EmploymentForm(data=wc.employment(trade, monthly_salary_hkd=str(salary)))
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.django_db(transaction=True)
def test_a_salary_change_while_hr_signs_never_leaves_a_signature_over_it(trade):
    """HR's page showed one salary; the applicant saves another while HR's signature is being
    recorded. Whichever wins the group's lock, no valid signature covers a salary other than
    the one it was given over."""
    client = Client()
    group, _token = hr_ready_to_sign(client, trade)
    employer = Signer("employer", Signature.Role.EMPLOYER, None)
    outcomes = []
    for trial in range(12):
        Signature.objects.filter(group=group).delete()
        shown_group = ApplicationGroup.objects.with_parts().get(pk=group.pk)  # the HR page
        entry = SignatureEntry(
            signer=employer,
            signer_name="Wong Mei Ling",
            capacity="HR Director",
            drawn_image="",
            typed_name="Wong Mei Ling",
            shown_fingerprint=fingerprint(shown_group, employer),
        )
        cleaned = employment_cleaned(trade, 40000 + trial)
        barrier = threading.Barrier(2)
        result = {}

        def hr_signs(entry=entry, shown_group=shown_group, result=result, barrier=barrier):
            try:
                barrier.wait()
                sign(group=shown_group, entries=[entry], ip_address="203.0.113.9")
                result["signed"] = True
            except SignatureError:
                result["signed"] = False
            finally:
                connection.close()

        def applicant_saves(cleaned=cleaned, barrier=barrier):
            try:
                mine = ApplicationGroup.objects.with_parts().get(pk=group.pk)
                barrier.wait()
                save_step(group=mine, step="employment", cleaned=cleaned)
            finally:
                connection.close()

        threads = [threading.Thread(target=hr_signs), threading.Thread(target=applicant_saves)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(result.get("signed"))
        current = ApplicationGroup.objects.with_parts().get(pk=group.pk)
        assert current.employer_part.monthly_salary_hkd == 40000 + trial
        for signature in Signature.objects.filter(group=group, voided_at__isnull=True):
            assert signature.fingerprint == fingerprint(current, employer), trial
        assert valid_employer_signatures(group) == 0, trial  # refused, or voided by the change
    assert None not in outcomes
