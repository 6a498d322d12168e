"""The public information pages: the home page and the service guide."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from payments import services as payments

from .guide import BY_SLUG, GUIDE_PAGES, guide_context


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"guide_pages": GUIDE_PAGES, "fee_hkd": payments.dollars(payments.fee_cents_now() or 0)},
    )


def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = BY_SLUG.get(slug)
    if page is None:
        raise Http404
    context = {"page": page, "guide_pages": GUIDE_PAGES, **guide_context(slug)}
    return render(request, "guide/" + slug + ".html", context)
