"""Employer HR's wizard, opened by the emailed signed link only: the company's particulars,
its section B documents and the authorised person's declaration."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from documents.viewer import Viewer
from documents.views import checklist_context

from ..access import Access, group_for_employer_token
from ..models import ApplicationGroup, EmployerPart
from . import answers, signatures, steps
from .base import DraftWizardView, signed_list


class EmployerWizardView(DraftWizardView):
    """Employer HR's steps, opened by the emailed signed link only."""

    form_list = list(steps.EMPLOYER_FORMS)
    prefix_name = "employer"

    def find_group(self, request, **kwargs):
        found = group_for_employer_token(kwargs["token"])
        if found is None:
            raise Http404
        group = answers.load_group(pk=found.pk)
        employer_part = answers.employer_of(group)
        if (
            group.status != ApplicationGroup.Status.DRAFT
            or employer_part is None
            or employer_part.completed_by != EmployerPart.CompletedBy.EMPLOYER
        ):
            raise Http404
        self.token = kwargs["token"]
        return group

    def get_step_url(self, step):
        return reverse("applications:employer_wizard", kwargs={"token": self.token, "step": step})

    def signers_for(self, step):
        return [signatures.Signer(signatures.EMPLOYER_KEY, "employer", None)]

    def finished(self):
        return redirect("applications:employer_done", token=self.token)

    def step_context(self, step, form):
        principal = self.group.principal
        context = {
            "employer_view": True,
            "applicant": principal,
            "employment": answers.employer_of(self.group),
        }
        if step == steps.EMPLOYER_DOCUMENTS:
            context.update(
                checklist_context(
                    self.request,
                    Viewer(self.group, Access.EMPLOYER, self.token),
                    return_url=self.get_step_url(step),  # a change comes back to this step
                )
            )
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
        raise Http404
    return render(request, "applications/wizard/employer_done.html", {"group": found})
