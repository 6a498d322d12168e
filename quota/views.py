"""The public quota status page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def status(request: HttpRequest) -> HttpResponse:
    """Per trade, whether applications are accepted and how many places remain."""
    return render(request, "quota/status.html")
