"""Switching language in the middle of a form without losing what was typed.

On a page with a form, the language switch is a set of submit buttons of that form
(`SWITCH_FIELD`, the chosen language as value; base.html draws them when the page names its
form in `language_form`): the page keeps what was typed, unvalidated, and sends the browser to
the same page in the chosen language, which shows it again. Without JavaScript too.
"""

from django import forms
from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import translation

SWITCH_FIELD = "switch_language"
TYPED_SESSION_KEY = "applications.typed_before_language_switch"
MAX_VALUE_LENGTH = 1000  # longer than any field of these pages takes


def chosen_language(request: HttpRequest) -> str:
    """The language a POST asks to switch to, or "" (also for one the site does not offer)."""
    code = request.POST.get(SWITCH_FIELD, "")
    return code if code in dict(settings.LANGUAGES) else ""


def in_language(language: str, url_name: str, **kwargs: object) -> str:
    """The address of `url_name` in `language`."""
    with translation.override(language):
        return reverse(url_name, kwargs=kwargs or None)


def posted_names(form_class: type[forms.BaseForm]) -> list[str]:
    """The names under which `form_class`'s inputs post: a field's name, or one per box of a
    field drawn by several (a date's NAME_0, NAME_1 and NAME_2)."""
    names: list[str] = []
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            names.extend(name + suffix for suffix in widget.widgets_names)
        else:
            names.append(name)
    return names


def keep_typed(request: HttpRequest, *, page: str, fields: list[str]) -> None:
    """Keep the POST's values of `fields` (one each, bounded) in the session for `page`."""
    typed = {
        name: request.POST.get(name, "")[:MAX_VALUE_LENGTH]
        for name in fields
        if name in request.POST
    }
    request.session[TYPED_SESSION_KEY] = {"page": page, "data": typed}


def typed_initial(form_class: type[forms.BaseForm], typed: QueryDict) -> dict[str, object]:
    """What keep_typed kept, as a form's initial values: each field's value read from the
    kept data by its widget (a date's boxes as one list of three)."""
    initial: dict[str, object] = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.MultiWidget):
            initial[name] = field.widget.value_from_datadict(typed, {}, name)
        elif name in typed:
            initial[name] = typed[name]
    return initial


def typed_again(request: HttpRequest, *, page: str) -> QueryDict | None:
    """What keep_typed kept for `page`, once (as the data of a form), or None."""
    kept = request.session.get(TYPED_SESSION_KEY)
    if not kept or kept.get("page") != page:
        return None
    del request.session[TYPED_SESSION_KEY]
    data = QueryDict(mutable=True)
    for name, value in (kept.get("data") or {}).items():
        data[name] = str(value)
    return data
