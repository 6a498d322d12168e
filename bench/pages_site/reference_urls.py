"""The reference page: reads and writes the database-backed session, renders a CSRF token in
a small template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


def reference(request: HttpRequest) -> HttpResponse:
    visits = request.session.get("visits", 0) + 1
    request.session["visits"] = visits
    return render(request, "reference.html", {"visits": visits})


urlpatterns = [path("", reference)]
