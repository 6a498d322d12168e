"""What the wizard keeps of input that is not yet valid ("Back", "Save and exit", a Continue
that failed, "Add a dependant"): the step's own fields only, one value each, each no longer
than its field allows. Anything else a request carries (unknown names, repeated values, a
forged dependant count past the maximum) is dropped, so a draft's stored state stays small.

Input with characters no answer may hold (validators.has_unusable_characters: control
characters, which jsonb cannot even store in the case of NUL, and bidirectional overrides) is
never kept: the step is shown again with a message on each field that has them.
"""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from . import validators

# For fields with no maximum of their own (choices, numbers, date parts): as long as the
# longest value any of them can validly hold (an email address's 320).
DEFAULT_MAX_CHARS = 320

Form = forms.BaseForm | forms.BaseFormSet


def _members(form: Form) -> Iterator[tuple[forms.BaseForm, str]]:
    """(form, field name) of every field the step's page posts."""
    if isinstance(form, forms.BaseFormSet):
        management = form.management_form
        yield from ((management, name) for name in management.fields)
        for member in form.forms:  # at most the formset's absolute_max, whatever is posted
            yield from _members(member)
        return
    yield from ((form, name) for name in form.fields)


def _posted_names(form: forms.BaseForm, name: str) -> list[tuple[str, int]]:
    """The names a field's widget posts, with the longest value kept for each."""
    bound = form[name]
    field = bound.field
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        subfields = getattr(field, "fields", [])
        limits = [getattr(f, "max_length", None) or DEFAULT_MAX_CHARS for f in subfields]
        limits += [DEFAULT_MAX_CHARS] * (len(widget.widgets_names) - len(limits))
        return [
            (bound.html_name + suffix, limit)
            for suffix, limit in zip(widget.widgets_names, limits, strict=True)
        ]
    return [(bound.html_name, getattr(field, "max_length", None) or DEFAULT_MAX_CHARS)]


def kept_input(
    form: Form, posted: QueryDict
) -> tuple[dict[str, list[str]], list[tuple[forms.BaseForm, str]]]:
    """What may be kept of `posted` for `form` (a step's form or formset, bound to it), and
    the (form, field name) of each field whose value has unusable characters."""
    kept: dict[str, list[str]] = {}
    unusable: list[tuple[forms.BaseForm, str]] = []
    for member, name in _members(form):
        for key, limit in _posted_names(member, name):
            if key not in posted:
                continue
            value = str(posted.get(key, ""))  # one value: the last, as Django's forms read it
            if validators.has_unusable_characters(value):
                if (member, name) not in unusable:
                    unusable.append((member, name))
                continue
            kept[key] = [value[:limit]]
    return kept, unusable


def show_unusable(form: Form, unusable: list[tuple[forms.BaseForm, str]]) -> Any:
    """Put the message on each field with unusable characters, and no other error."""
    form.quiet()  # type: ignore[union-attr]
    management = form.management_form if isinstance(form, forms.BaseFormSet) else None
    for member, name in unusable:
        error = ValidationError(validators.UNUSABLE_CHARACTERS, code="unusable_characters")
        if member is management:  # not shown on the page: say it for the whole step
            form.non_form_errors().append(error.message)  # type: ignore[union-attr]
        else:
            member.add_error(name, error)
    return form
