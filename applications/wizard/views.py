"""The applicant's wizard, and the pages around it: where a draft resumes, whether it is
ready to pay, sending the employer's link again."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import references, services
from ..access import Access, acknowledgment_when_submitted, applicant_group_or_404, client_address
from ..exceptions import EmployerLinkError
from ..models import ApplicationGroup, EmployerPart
from . import steps, summary
from .base import DraftWizardView, payment_in_flight_page, signed_list
from .storage import completed_steps


def company_by_applicant(wizard: "ApplicantWizardView") -> bool:
    return not wizard.group.handed_to_employer


class ApplicantWizardView(DraftWizardView):
    form_list = list(steps.APPLICANT_FORMS)
    condition_dict = {steps.COMPANY: company_by_applicant}

    def find_group(self, request: HttpRequest, **kwargs: Any) -> ApplicationGroup:
        return applicant_group_or_404(request, kwargs["group_id"])

    def get_step_url(self, step: str) -> str:
        return reverse(
            "applications:wizard", kwargs={"group_id": self.group.public_id, "step": step}
        )

    def signers_for(self, step: str) -> list[services.Signer]:
        return services.required_signers(self.group, employer=company_by_applicant(self))

    def read_only_sections(self) -> list[Any]:
        return summary.sections(self.group, company_editable=False)

    def save_and_exit(self) -> HttpResponse:
        from ..entry_views import exit_after_saving

        return exit_after_saving(self.request, self.group)

    def finished(self) -> HttpResponse:
        return redirect("applications:wizard_status", group_id=self.group.public_id)

    def switch_language(self, step: str, language: str) -> HttpResponse:
        """The applicant's emails follow the language they now use."""
        services.choose_language(group=self.group, language=language)
        return super().switch_language(step, language)

    def save(self, step: str, form: Any) -> HttpResponse | None:
        response = super().save(step, form)
        if response is None and step == steps.DEPENDANTS:
            self.tell_left_empty(form)
        if response is not None or step != steps.EMPLOYER:
            return response
        if form.cleaned_data["completed_by"] != EmployerPart.CompletedBy.EMPLOYER:
            return None
        to = form.cleaned_data["hr_email"]
        try:
            sent = services.hand_to_employer(
                group=self.group, to=to, client_address=client_address(self.request)
            )
        except EmployerLinkError as exc:
            form.add_error("hr_email", exc.message)
            return self.render(form)
        if sent:
            messages.success(
                self.request,
                _("We emailed the link to the company's part to %(email)s.") % {"email": to},
            )
        return None

    def tell_left_empty(self, formset: Any) -> None:
        """Nothing is dropped silently: say how many empty dependant forms were not saved."""
        empty = formset.left_empty()
        if empty:
            messages.info(
                self.request,
                ngettext(
                    "%(count)d empty dependant form was not saved: nothing had been entered in it.",
                    "%(count)d empty dependant forms were not saved: nothing had been entered "
                    "in them.",
                    empty,
                )
                % {"count": empty},
            )

    def step_context(self, step: str, form: Any) -> dict[str, Any]:
        context: dict[str, Any] = {
            "save_and_exit": True,
            "reference": references.display(self.group.temporary_reference),
        }
        if step in (steps.EMPLOYER, steps.CHECK, steps.DECLARATIONS):
            context["employer_status"] = services.employer_status(
                self.group, completed=self.storage.completed, signatures=self.valid_signatures
            )
        if step == steps.QUALIFICATIONS and self.group.principal is not None:
            work = self.group.principal.work_experience
            if work:
                context["total_experience"] = summary.experience_text(
                    summary.experience_months(work)
                )
        if step == steps.DOCUMENTS:
            context["documents_access"] = Access.APPLICANT
            context["documents_return_url"] = self.get_step_url(step)  # changes come back here
        if step == steps.CHECK:
            context["sections"] = summary.sections(
                self.group, company_editable=company_by_applicant(self)
            )
            context["readiness"] = services.readiness(
                self.group, displayed=True, valid=self.valid_signatures
            )
        if step == steps.DECLARATIONS:
            context["signed"] = signed_list(
                self.group, self.signers_for(step), self.valid_signatures
            )
        return context


# Personal data: never kept in a browser's or a proxy's cache. A submitted group's pages
# redirect to its acknowledgment.
applicant_wizard = never_cache(
    acknowledgment_when_submitted(
        ApplicantWizardView.as_view(url_name="applications:wizard", done_step_name="finished")
    )
)


@acknowledgment_when_submitted
def wizard_start(request: HttpRequest, group_id: object) -> HttpResponse:
    """The draft's address without a step: its first step not yet completed."""
    group = applicant_group_or_404(request, group_id)
    completed = completed_steps(group)
    for step in services.applicant_steps(group):
        if step not in completed:
            break
    return redirect("applications:wizard", group_id=group.public_id, step=step)


def task_url(group: ApplicationGroup, step: str) -> str:
    """Where a row of the task list opens: a step of the wizard, or the payment status."""
    if step == services.PAY:
        return reverse("applications:wizard_status", kwargs={"group_id": group.public_id})
    return reverse("applications:wizard", kwargs={"group_id": group.public_id, "step": step})


@never_cache
@require_GET
@acknowledgment_when_submitted
def task_list(request: HttpRequest, group_id: object) -> HttpResponse:
    """The overview: every section with its status; a resumed draft lands here."""
    group = applicant_group_or_404(request, group_id)
    if group.payment_in_flight:
        return payment_in_flight_page(
            request, group, sections=summary.sections(group, company_editable=False)
        )
    found = services.task_list(group)
    rows = [(task, task_url(group, task.step) if task.can_open else "") for task in found.tasks]
    return render(
        request,
        "applications/wizard/task_list.html",
        {
            "group": group,
            "tasks": found,
            "rows": rows,
            "resume_url": task_url(group, found.resume_step) if found.resume_step else "",
            "resume_title": steps.title(found.resume_step)
            if found.resume_step in steps.TITLES
            else "",
            "reference": references.display(group.temporary_reference),
            "deletion_date": services.deletion_date(group),
            "suspension": services.suspension_reason(group=group, displayed=True),
        },
    )


@never_cache
@acknowledgment_when_submitted
def wizard_status(request: HttpRequest, group_id: object) -> HttpResponse:
    """After the declarations: ready to pay, or the list of what is missing."""
    group = applicant_group_or_404(request, group_id)
    if group.payment_in_flight:
        return payment_in_flight_page(
            request, group, sections=summary.sections(group, company_editable=False)
        )
    valid = services.valid_signatures(group)
    return render(
        request,
        "applications/wizard/status.html",
        {
            "group": group,
            "readiness": services.readiness(group, displayed=True, valid=valid),
            "employer_status": services.employer_status(
                group, completed=completed_steps(group), signatures=valid
            ),
            "signed": signed_list(group, services.required_signers(group), valid),
        },
    )


@require_POST
@acknowledgment_when_submitted
def send_employer_link(request: HttpRequest, group_id: object) -> HttpResponse:
    """Send (again) the employer's link to the address saved on the employer step."""
    group = applicant_group_or_404(request, group_id)
    employer_part = group.employer_part
    to = employer_part.link_sent_to if employer_part else ""
    if not to:
        raise Http404
    try:
        services.send_employer_link(group=group, to=to, client_address=client_address(request))
    except EmployerLinkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("We sent the link again to %(email)s.") % {"email": to})
    return HttpResponseRedirect(
        reverse("applications:wizard", kwargs={"group_id": group.public_id, "step": steps.EMPLOYER})
    )
