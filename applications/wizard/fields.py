"""Form building blocks of the wizard: the base form, date fields, yes/no radios, countries.

Dates are three text boxes (day, month, year) in a fieldset, as people type them faster and more
reliably than a date picker; the base form renders every field through one accessible template.
"""

import functools
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, flatatt
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

DATE_PART_ATTRS = {"inputmode": "numeric", "pattern": "[0-9]*", "spellcheck": "false"}


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


def error_anchor(bound_field: forms.BoundField) -> str:
    """The id the error summary links to: the field, or the first input of a fieldset."""
    if bound_field.use_fieldset:
        return bound_field.auto_id + "_0"
    return bound_field.id_for_label


def error_summary(form: forms.BaseForm | forms.BaseFormSet) -> list[dict[str, str]]:
    """Every error of a form or formset as {"href", "message"} for the summary at the top."""
    entries: list[dict[str, str]] = []
    if isinstance(form, forms.BaseFormSet):
        for message in form.non_form_errors():
            entries.append({"href": "#" + form.prefix + "-errors", "message": message})
        for member in form.forms:
            entries.extend(error_summary(member))
        return entries
    if not form.is_bound:
        return entries
    for message in form.non_field_errors():
        entries.append({"href": "#" + (form.prefix or "form") + "-errors", "message": message})
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        for message in messages:
            entries.append({"href": "#" + error_anchor(bound), "message": message})
    return entries


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes; `parts` may drop the day for a month-and-year date."""

    template_name = "applications/wizard/widgets/date.html"

    def __init__(
        self,
        attrs=None,
        *,
        parts: tuple[str, ...] = ("day", "month", "year"),
        autocomplete: str = "",
    ):
        self.parts = parts
        widgets = []
        for part in parts:
            part_attrs = dict(DATE_PART_ATTRS)
            part_attrs["class"] = "input input--year" if part == "year" else "input input--2"
            part_attrs["maxlength"] = "4" if part == "year" else "2"
            if autocomplete:
                part_attrs["autocomplete"] = autocomplete + "-" + part
            widgets.append(forms.TextInput(attrs=part_attrs))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            values = {"day": value.day, "month": value.month, "year": value.year}
            return [values[part] for part in self.parts]
        return [None] * len(self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        for subwidget, part in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            subwidget["part_label"] = labels[part]
        return context


class DateField(forms.MultiValueField):
    """A date typed as day, month and year; `parts=("month", "year")` gives the 1st."""

    widget = DateWidget

    def __init__(
        self, *, parts: tuple[str, ...] = ("day", "month", "year"), autocomplete: str = "", **kwargs
    ):
        self.parts = parts
        fields = [forms.CharField(required=False) for _part in parts]
        kwargs.setdefault("error_messages", {})
        super().__init__(
            fields,
            widget=DateWidget(parts=parts, autocomplete=autocomplete),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or all(not (v or "").strip() for v in data_list):
            return None
        values = dict(zip(self.parts, [(v or "").strip() for v in data_list], strict=True))
        values.setdefault("day", "1")
        if not all(values[part] for part in self.parts):
            raise ValidationError(
                _("Enter a complete date: %(parts)s"),
                code="incomplete_date",
                params={"parts": ", ".join(str(p) for p in self._part_names())},
            )
        try:
            year, month, day = (int(values[k]) for k in ("year", "month", "day"))
            if year < 1900:
                raise ValueError(year)
            return date(year, month, day)
        except ValueError:
            if "day" not in self.parts:
                raise ValidationError(
                    _("Enter a real month and year, for example 9 2018"), code="invalid_date"
                ) from None
            raise ValidationError(
                _("Enter a real date, for example 27 3 1990"), code="invalid_date"
            ) from None

    def _part_names(self):
        labels = {"day": _("day"), "month": _("month"), "year": _("year")}
        return [labels[part] for part in self.parts]

    def clean(self, value):
        # MultiValueField reports a blank required field per part; say it once, for the date.
        if self.required and (not value or all(not (v or "").strip() for v in value)):
            raise ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


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
    "WizardForm",
    "WizardFormMixin",
    "YesNoField",
    "country_choices",
    "error_summary",
    "message",
]
