"""Employer HR's wizard, opened by the emailed signed link only: the company's particulars,
its section B documents and the authorised person's declaration."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from documents import services as document_services

from .. import services
from ..access import (
    Access,
    employer_group_or_404,
    employer_link_expires_at,
    employer_link_refusal,
    group_for_employer_token,
)
from ..models import ApplicationGroup
from . import steps
from .base import DraftWizardView, signed_list
from .storage import EMPLOYER_PREFIX


class EmployerWizardView(DraftWizardView):
    """Employer HR's steps, opened by the emailed signed link only."""

    form_list = list(steps.EMPLOYER_FORMS)
    prefix_name = EMPLOYER_PREFIX

    def find_group(self, request: HttpRequest, **kwargs: Any) -> ApplicationGroup:
        group = employer_group_or_404(kwargs["token"])
        self.token = kwargs["token"]
        return group

    def get_step_url(self, step: str) -> str:
        return reverse("applications:employer_wizard", kwargs={"token": self.token, "step": step})

    def signers_for(self, step: str) -> list[services.Signer]:
        return [services.Signer(services.EMPLOYER_KEY, "employer", None)]

    def finished(self) -> HttpResponse:
        return redirect("applications:employer_done", token=self.token)

    def save_and_exit(self) -> HttpResponse:
        """What was typed is kept with the draft (the wizard saved it); the same link brings
        HR back to it while the link works."""
        context = {
            "group": self.group,
            "link_expires_at": employer_link_expires_at(self.token),
            "continue_url": self.get_step_url(self.first_open_step()),
        }
        return render(self.request, "applications/wizard/employer_saved.html", context)

    def step_context(self, step: str, form: Any) -> dict[str, Any]:
        principal = self.group.principal
        context: dict[str, Any] = {
            "employer_view": True,
            "save_and_exit": True,
            "applicant": principal,
            "employment": self.group.employer_part,
        }
        if step == steps.COMPANY:
            context["employer_intro"] = True
            context["link_expires_at"] = employer_link_expires_at(self.token)
            checklist = document_services.checklist_for_group(
                group=self.group, sections=[document_services.EMPLOYER_SECTION]
            )
            items = [item for person in checklist.people for item in person.items]
            context["documents_always"] = [i for i in items if i.needed and not i.requirement.note]
            context["documents_unless_exempt"] = [i for i in items if i.requirement.note]
            context["documents_optional"] = [i for i in items if not i.requirement.mandatory]
            context["max_file_mb"] = document_services.MAX_FILE_BYTES // (1024 * 1024)
        if step == steps.EMPLOYER_DOCUMENTS:
            context["documents_access"] = Access.EMPLOYER
            context["documents_token"] = self.token
            context["documents_return_url"] = self.get_step_url(step)  # changes come back here
        if step == steps.EMPLOYER_DECLARATION:
            context["signed"] = signed_list(
                self.group, self.signers_for(step), self.valid_signatures
            )
        return context


# Personal data: never kept in a browser's or a proxy's cache.
employer_wizard = never_cache(
    EmployerWizardView.as_view(url_name="applications:employer_wizard", done_step_name="finished")
)


def employer_done(request: HttpRequest, token: str) -> HttpResponse:
    found = group_for_employer_token(token)
    if found is None:
        raise employer_link_refusal(token)
    signer = services.Signer(services.EMPLOYER_KEY, "employer", None)
    signature = services.signature_for(signer, services.valid_signatures(found))
    context = {"group": found, "signer": signer, "signature": signature}
    return render(request, "applications/wizard/employer_done.html", context)
