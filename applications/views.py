"""Pages of the applications app. The wizard's steps come in a later issue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from documents.services import MAX_FILE_BYTES

from .models import MAX_APPLICATIONS_PER_GROUP, MAX_DEPENDANTS


def start(request: HttpRequest) -> HttpResponse:
    """'Before you start': what the applicant and the employer need ready."""
    return render(
        request,
        "applications/start.html",
        {
            "max_applications": MAX_APPLICATIONS_PER_GROUP,
            "max_dependants": MAX_DEPENDANTS,
            "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
        },
    )
