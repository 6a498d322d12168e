"""The applicant's status look-up: a reference and a date of birth give the status of each
application and what happens next (counted and limited like resuming a draft)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from documents import services as documents_services

from . import services
from .access import client_address
from .exceptions import DraftError, TooManyAttempts
from .forms_entry import StatusForm

TOO_MANY_ATTEMPTS = _(
    "There have been too many attempts to look up an application. Wait 15 minutes and try again."
)


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The form; on a right answer, the report on the same page (nothing kept in the session)."""
    form = StatusForm(request.POST or None)
    report = None
    http_status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.look_up_status(
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                client_address=client_address(request),
            )
        except TooManyAttempts:
            form.add_error(None, TOO_MANY_ATTEMPTS)
            http_status = 429
        except DraftError as error:
            form.add_error(None, error.message)
    requests = {}
    if report is not None:
        ids = [line.application_id for line in report.lines]
        requests = documents_services.open_requests_for(application_ids=ids)
    context = {
        "form": form,
        "report": report,
        "lines": [(line, requests.get(line.application_id)) for line in report.lines]
        if report
        else [],
    }
    return render(request, "applications/status/status.html", context, status=http_status)
