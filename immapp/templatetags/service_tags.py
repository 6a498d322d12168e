"""Template tags of the page layout.

They work with or without a request in the context, because Django renders some error pages
(400, 500, CSRF failure) from a bare context: the layout must never depend on the request, the
session or the database to draw itself.
"""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.functional import Promise
from django.utils.translation import get_language, override

from immapp import money

register = template.Library()


@register.simple_tag
def service_name() -> Promise:
    """The service's name in the active language."""
    return settings.SERVICE_NAME


def _same_page(path: str, *, current: str, code: str) -> str:
    """`path` in language `code`; a path that resolves nowhere (a 404) keeps its own rest."""
    translated = translate_url(path, code)
    if translated != path or code == current:
        return translated
    prefix = "/" + current + "/"
    if path.startswith(prefix):
        return "/" + code + "/" + path[len(prefix) :]
    with override(code):
        return reverse("home")


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, object]]:
    """The same page in each language, for the language switch.

    Without a request (bare error pages) each link goes to the home page in that language.
    """
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, name in settings.LANGUAGES:
        if request is None:
            with override(code):
                url = reverse("home")
        else:
            url = _same_page(request.get_full_path(), current=current, code=code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def hkd_dollars(amount: int | None) -> str:
    """A whole number of dollars as the service writes it: 22000 -> "HK$22,000"."""
    if amount is None or amount == "":
        return ""
    return money.hkd_dollars(int(amount))
