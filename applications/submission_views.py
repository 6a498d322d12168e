"""The pages after payment: the acknowledgment, its PDF, and finding it again by temporary
reference and date of birth."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .access import client_address, remember_group, submitted_group_or_404
from .exceptions import DraftError, TooManyAttempts
from .forms_entry import ResumeForm
from .models import ApplicationGroup

TEMPLATES = "applications/submission/"


def _acknowledgment_or_404(request: HttpRequest, group_id: object) -> services.Acknowledgment:
    group = submitted_group_or_404(request, group_id)
    acknowledgment = services.acknowledgment_for(group)
    if acknowledgment is None:
        raise Http404
    return acknowledgment


@never_cache
@require_GET
def acknowledgment(request: HttpRequest, group_id: object) -> HttpResponse:
    """Each application's reference number and name, the fee paid and what happens next."""
    found = _acknowledgment_or_404(request, group_id)
    return render(request, TEMPLATES + "acknowledgment.html", {"acknowledgment": found})


@never_cache
@require_GET
def acknowledgment_pdf(request: HttpRequest, group_id: object) -> HttpResponse:
    """The PDF acknowledgment, in the group's language, as a download."""
    found = _acknowledgment_or_404(request, group_id)
    response = HttpResponse(services.acknowledgment_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="' + services.pdf_filename(found) + '"'
    return response


NOT_SUBMITTED = {
    ApplicationGroup.Status.DRAFT: _(
        "This application has not been submitted, so there is no acknowledgment. You can "
        "resume it, finish it and pay the fee."
    ),
    ApplicationGroup.Status.PAYMENT_PENDING: _(
        "This application has not been submitted yet: a payment for it is in progress. Once "
        "the payment is confirmed, you can find the acknowledgment here."
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def find_acknowledgment(request: HttpRequest) -> HttpResponse:
    """Find a submitted group's acknowledgment by temporary reference and date of birth
    (counted and limited like resuming)."""
    form = ResumeForm(request.POST or None)
    status = 200
    not_submitted = None
    if request.method == "POST" and form.is_valid():
        try:
            group = services.find_by_reference(
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                client_address=client_address(request),
            )
        except TooManyAttempts as error:
            form.add_error(None, error.message)
            status = 429
        except DraftError as error:
            form.add_error(None, error.message)
        else:
            if group.status == ApplicationGroup.Status.SUBMITTED:
                remember_group(request, group)
                return redirect("applications:acknowledgment", group_id=group.public_id)
            not_submitted = NOT_SUBMITTED.get(group.status, NOT_SUBMITTED["draft"])
    context = {"form": form, "not_submitted": not_submitted}
    return render(request, TEMPLATES + "find.html", context, status=status)
