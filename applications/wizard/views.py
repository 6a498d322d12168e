"""The applicant's wizard, and the pages around it: where a draft resumes, whether it is
ready to pay, sending the employer's link again."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from documents.viewer import Viewer
from documents.views import checklist_context

from ..access import Access, session_may_open
from ..models import ApplicationGroup, EmployerPart
from . import answers, employer, readiness, signatures, steps, summary
from .base import DraftWizardView, signed_list


def _applicant_group(request: HttpRequest, group_id) -> ApplicationGroup:
    group = answers.load_group(public_id=group_id)
    if group is None or not session_may_open(request, group):
        raise Http404
    if group.status != ApplicationGroup.Status.DRAFT:
        raise Http404
    return group


def company_by_applicant(wizard: "ApplicantWizardView") -> bool:
    employer = answers.employer_of(wizard.group)
    return employer is None or employer.completed_by != EmployerPart.CompletedBy.EMPLOYER


class ApplicantWizardView(DraftWizardView):
    form_list = list(steps.APPLICANT_FORMS)
    condition_dict = {steps.COMPANY: company_by_applicant}

    def find_group(self, request, **kwargs):
        return _applicant_group(request, kwargs["group_id"])

    def get_step_url(self, step):
        return reverse(
            "applications:wizard", kwargs={"group_id": self.group.public_id, "step": step}
        )

    def signers_for(self, step):
        return signatures.required_signers(self.group, employer=company_by_applicant(self))

    def save_and_exit(self):
        from ..entry_views import exit_after_saving

        return exit_after_saving(self.request, self.group)

    def finished(self):
        return redirect("applications:wizard_status", group_id=self.group.public_id)

    def save(self, step, form):
        response = super().save(step, form)
        if response is not None or step != steps.EMPLOYER:
            return response
        chosen = form.cleaned_data
        if chosen["completed_by"] != EmployerPart.CompletedBy.EMPLOYER:
            return None
        part = EmployerPart.objects.get(group=self.group)
        if part.link_sent_at is not None and part.link_sent_to == chosen["hr_email"]:
            return None
        try:
            employer.send_employer_link(group=self.group, to=chosen["hr_email"])
        except employer.EmployerLinkError as exc:
            form.add_error("hr_email", exc.message)
            return self.render(form)
        messages.success(
            self.request,
            _("We emailed the link to the company's part to %(email)s.")
            % {"email": chosen["hr_email"]},
        )
        return None

    def step_context(self, step, form):
        context: dict = {"save_and_exit": True}
        if step in (steps.EMPLOYER, steps.CHECK, steps.DECLARATIONS):
            context["employer_status"] = employer.status(
                self.group, completed=self.storage.completed, signatures=self.valid_signatures
            )
        if step == steps.QUALIFICATIONS and self.group.principal is not None:
            work = self.group.principal.work_experience
            if work:
                context["total_experience"] = summary.experience_text(
                    summary.experience_months(work)
                )
        if step == steps.DOCUMENTS:
            context.update(
                checklist_context(
                    self.request,
                    Viewer(self.group, Access.APPLICANT),
                    return_url=self.get_step_url(step),  # a change comes back to this step
                )
            )
        if step == steps.CHECK:
            context["sections"] = summary.sections(
                self.group, company_editable=company_by_applicant(self)
            )
            context["readiness"] = readiness.readiness(self.group)
        if step == steps.DECLARATIONS:
            context["signed"] = signed_list(
                self.group, self.signers_for(step), self.valid_signatures
            )
        return context


# Personal data: never kept in a browser's or a proxy's cache.
applicant_wizard = never_cache(
    ApplicantWizardView.as_view(url_name="applications:wizard", done_step_name="finished")
)


def wizard_start(request: HttpRequest, group_id) -> HttpResponse:
    """The draft's address without a step: its first step not yet completed."""
    group = _applicant_group(request, group_id)
    completed = set((group.wizard_state or {}).get("completed") or [])
    for step in readiness.applicant_steps(group):
        if step not in completed:
            break
    return redirect("applications:wizard", group_id=group.public_id, step=step)


@never_cache
def wizard_status(request: HttpRequest, group_id) -> HttpResponse:
    """After the declarations: ready to pay, or the list of what is missing."""
    group = _applicant_group(request, group_id)
    return render(
        request,
        "applications/wizard/status.html",
        {
            "group": group,
            "readiness": readiness.readiness(group),
            "employer_status": employer.status(
                group,
                completed=frozenset((group.wizard_state or {}).get("completed") or []),
                signatures=signatures.valid_signatures(group),
            ),
        },
    )


@require_POST
def send_employer_link(request: HttpRequest, group_id) -> HttpResponse:
    """Send (again) the employer's link to the address saved on the employer step."""
    group = _applicant_group(request, group_id)
    employer_part = answers.employer_of(group)
    to = employer_part.link_sent_to if employer_part else ""
    if not to:
        raise Http404
    try:
        employer.send_employer_link(group=group, to=to)
    except employer.EmployerLinkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("We sent the link again to %(email)s.") % {"email": to})
    return HttpResponseRedirect(
        reverse("applications:wizard", kwargs={"group_id": group.public_id, "step": steps.EMPLOYER})
    )
