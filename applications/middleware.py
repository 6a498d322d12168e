"""Pages for errors the applications app raises from any view."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import references
from .access import EmployerLinkRefused, GroupSavedAndLeft
from .forms_entry import ResumeForm


def employer_link_refused(request: HttpRequest, refused: EmployerLinkRefused) -> HttpResponse:
    """A genuine employer link that no longer works: why, since when, and who can send a new
    one (410: it will not work again)."""
    context = {"reason": refused.reason, "at": refused.at}
    return render(request, "applications/wizard/employer_link_refused.html", context, status=410)


class SavedAndLeftMiddleware:
    """Employer HR following a link that no longer works is told why (employer_link_refused).

    A page of a group this session saved and left (Back after "Save and exit", the old
    address, its documents) answers 403 with "You saved and left this application" and the
    way back in, rather than a bare 404. Only that session sees it: it already knew the
    reference, and to anyone else the group stays a 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, EmployerLinkRefused):
            return employer_link_refused(request, exception)
        if not isinstance(exception, GroupSavedAndLeft):
            return None
        reference = references.display(exception.group.temporary_reference)
        form = ResumeForm(initial={"reference": reference})
        context = {"reference": reference, "form": form, "email": exception.group.contact_email}
        return render(request, "applications/entry/left.html", context, status=403)
