"""Form building blocks of the wizard: the base form, date fields, yes/no radios, countries.

Dates are the service's one date input (immapp.date_input): three text boxes (day, month, year)
in a fieldset; the base form renders every field through one accessible template.
"""

import functools
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, flatatt
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from immapp import money
from immapp.date_input import DateField


class WizardFormMixin:
    """Renders through the wizard's field template; `quiet()` shows typed data without errors."""

    template_name = "applications/wizard/_form.html"
    required_css_class = "field--required"

    def quiet(self) -> None:
        """Show the data as typed (kept by "Back") without validating it."""
        self._errors = ErrorDict()
        self.cleaned_data = {}


class WizardForm(WizardFormMixin, forms.Form):
    pass


@functools.cache
def _shared(make: Callable[[], dict[str, forms.Field]], language: str | None):
    fields = make()
    for field in fields.values():
        field.label = str(field.label) if isinstance(field.label, Promise) else field.label
        field.help_text = str(field.help_text)
        choices = getattr(field, "choices", None)
        if isinstance(choices, list) and all(isinstance(c[1], str | Promise) for c in choices):
            field.choices = [(value, str(label)) for value, label in choices]  # type: ignore[attr-defined]
    return fields


def shared_fields(make: Callable[[], dict[str, forms.Field]]) -> dict[str, forms.Field]:
    """The fields `make` builds (in order), built once per process and language and shared by
    every form that takes them: a new dict of the same field objects.

    For forms whose fields depend on nothing of the request or the group (no queryset, nothing
    set per form), so that the dependants' page with eight does not build some 160 fields and
    their widgets per request. Labels, hints and choices are translated once, in the language
    active when they are built (the one the page is shown in). Shared fields must not be
    changed afterwards; Django's forms change none while binding, validating or rendering (a
    formset's "Remove" box is added to the form's own dict).
    """
    return dict(_shared(make, translation.get_language()))


def error_anchor(bound_field: forms.BoundField, error: ValidationError | None = None) -> str:
    """The id the error summary links to: the field, or the first input of a fieldset (for a
    date with empty boxes, the first empty box)."""
    if bound_field.use_fieldset:
        part = (error.params or {}).get("part", 0) if error is not None else 0
        return bound_field.auto_id + "_" + str(part)
    return bound_field.id_for_label


def error_summary(form: forms.BaseForm | forms.BaseFormSet) -> list[dict[str, str]]:
    """Every error of a form or formset as {"href", "message"} for the summary at the top."""
    entries: list[dict[str, str]] = []
    if isinstance(form, forms.BaseFormSet):
        for message in form.non_form_errors():
            entries.append({"href": "#" + form.prefix + "-errors", "message": message})
        for member in form.forms:
            found = error_summary(member)
            label = getattr(member, "error_label", None)
            if label is not None and found:  # whose error it is: "Dependant 3 (CHAN Tai Man)"
                who = label()
                for entry in found:
                    entry["message"] = gettext("%(who)s: %(message)s") % {
                        "who": who,
                        "message": entry["message"],
                    }
            entries.extend(found)
        return entries
    if not form.is_bound:
        return entries
    for message in form.non_field_errors():
        entries.append({"href": "#" + (form.prefix or "form") + "-errors", "message": message})
    for name, errors in form.errors.as_data().items():
        if name == "__all__":
            continue
        bound = form[name]
        for error in errors:
            for message in error:
                entries.append({"href": "#" + error_anchor(bound, error), "message": message})
    return entries


class DollarsField(forms.Field):
    """A whole number of Hong Kong dollars, typed as people write it: "22000", "22,000",
    "HK$22,000" or "HK$ 22,000.00" (zero cents only). Each refusal says what to type."""

    default_error_messages = {
        "invalid": _("Enter the amount in Hong Kong dollars, like 22000 or HK$22,000"),
        "cents": _("Enter a whole number of dollars, without cents"),
        "min_value": _("The amount must be more than HK$0"),
        "max_value": _("Enter an amount of less than HK$%(limit)s"),
    }

    def __init__(self, *, max_value: int, **kwargs):
        self.max_value = max_value
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"class": "input input--10", "inputmode": "decimal", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        if isinstance(value, int):
            return value
        amount = money.parse_dollars(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount != amount.to_integral_value():
            raise ValidationError(self.error_messages["cents"], code="cents")
        return int(amount)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 1:
            raise ValidationError(self.error_messages["min_value"], code="min_value")
        if value >= self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": money.dollars(self.max_value * 100)},
            )


YES_NO = (("yes", _("Yes")), ("no", _("No")))


class YesNoField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None, **kwargs
        )

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


class Select(forms.Select):
    """A select rendered in Python rather than one template per option: the nationality list
    has some 250 options, on the applicant's form and on each of eight dependants' (measured
    by bench/wizard_steps.py on a busy 2-core machine: the dependants page with eight went
    from about 890 ms with Django's per-option templates to about 260 ms)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for _group, choices, _index in widget["optgroups"]:
            for option in choices:
                options.append(
                    '<option value="'
                    + escape(option["value"])
                    + ('" selected>' if option["selected"] else '">')
                    + escape(option["label"])
                    + "</option>"
                )
        return _select(name, widget["attrs"], "\n".join(options))


def _select(name: str, attrs: dict, options: str) -> str:
    return format_html(
        '<select name="{}"{}>\n{}\n</select>',
        name,
        flatatt(attrs),
        mark_safe(options),  # noqa: S308 - every part escaped by the caller
    )


@functools.cache
def _country_options(language: str | None) -> tuple[tuple[str, str, str], ...]:
    """Every option of the country list in `language`: (value, value escaped, label escaped),
    once per process and language."""
    return tuple((value, escape(value), escape(label)) for value, label in country_choices())


class CountrySelect(Select):
    """The country list: its options drawn once per process and language (the same bytes as
    Select draws; tests/applications/test_wizard_rendering.py), the chosen one marked."""

    def use_required_attribute(self, initial):
        # Select's own looks at the first choice, which builds the whole list each time; the
        # first choice here is always the empty "Choose a country or territory".
        return forms.Widget.use_required_attribute(self, initial)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, escaped, label in _country_options(translation.get_language()):
            selected = option_value in chosen
            if selected:  # the first option chosen only, as Select marks them
                chosen = set()
            options.append(
                '<option value="'
                + escaped
                + ('" selected>' if selected else '">')
                + label
                + "</option>"
            )
        return _select(name, self.build_attrs(self.attrs, attrs), "\n".join(options))


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country or territory")), *countries]


def message(text, *, invalid=None) -> dict:
    """Error messages for one field, so every message names the field in the user's words."""
    messages = {"required": text}
    if invalid is not None:
        messages["invalid"] = invalid
        messages["invalid_choice"] = invalid
    return messages


__all__ = [
    "DateField",
    "DollarsField",
    "WizardForm",
    "WizardFormMixin",
    "YesNoField",
    "country_choices",
    "error_summary",
    "message",
    "shared_fields",
]
