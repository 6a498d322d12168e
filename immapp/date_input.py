"""The service's one date input: day, month and year boxes in a fieldset (GOV.UK's date
input), used by the wizard and by every page that asks for a date of birth (eligibility,
resume, the status, acknowledgment and supplementary look-ups).

Three boxes, as people type a date faster and more reliably than with a date picker; they post
as NAME_0, NAME_1 and NAME_2 (day, month, year). Shared by the applications and documents apps,
so it lives in the project package.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DATE_PART_ATTRS = {"inputmode": "numeric", "pattern": "[0-9]*", "spellcheck": "false"}


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes; `parts` may drop the day for a month-and-year date."""

    template_name = "immapp/date_input.html"

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
        if isinstance(value, str):  # an ISO date kept in the session
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
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


# What to say when some boxes of a date are empty, by the empty boxes (all empty is "required").
MISSING_PARTS = {
    ("day",): _("%(what)s must include a day"),
    ("month",): _("%(what)s must include a month"),
    ("year",): _("%(what)s must include a year"),
    ("day", "month"): _("%(what)s must include a day and month"),
    ("day", "year"): _("%(what)s must include a day and year"),
    ("month", "year"): _("%(what)s must include a month and year"),
}


class DateField(forms.MultiValueField):
    """A date typed as day, month and year boxes (posted as NAME_0, NAME_1, NAME_2);
    `parts=("month", "year")` gives the 1st of the month.

    One message for each way it goes wrong: nothing typed (the "required" message), some boxes
    left empty (which ones, naming the date by `name` or else by its label), not a real date
    ("invalid_date", which a form may word for its field).
    """

    widget = DateWidget

    def __init__(
        self,
        *,
        parts: tuple[str, ...] = ("day", "month", "year"),
        autocomplete: str = "",
        name: str | Promise = "",
        **kwargs,
    ):
        self.parts = parts
        self.name = name  # what the messages call the date, where its label does not fit
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
        missing = tuple(part for part in self.parts if not values[part])
        if missing:
            raise ValidationError(
                MISSING_PARTS[missing],
                code="incomplete_date",
                params={"what": self.name or self.label, "part": self.parts.index(missing[0])},
            )
        values.setdefault("day", "1")
        try:
            year, month, day = (int(values[k]) for k in ("year", "month", "day"))
            if year < 1900:
                raise ValueError(year)
            return date(year, month, day)
        except ValueError:
            raise ValidationError(self._invalid_message(), code="invalid_date") from None

    def _invalid_message(self):
        if "invalid_date" in self.error_messages:
            return self.error_messages["invalid_date"]
        if "day" not in self.parts:
            return _("Enter a real month and year, for example 9 2018")
        return _("Enter a real date, for example 27 3 1990")

    def clean(self, value):
        # MultiValueField reports a blank required field per part; say it once, for the date.
        if self.required and (not value or all(not (v or "").strip() for v in value)):
            raise ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


def birth_date_field(
    label: str | Promise, *, required: str | Promise, help_text: str | Promise = ""
) -> DateField:
    """A date of birth: `label` names it (in its messages too), `required` says to enter it."""
    return DateField(
        label=label,
        help_text=help_text or _("For example, 27 3 1990"),
        autocomplete="bday",
        error_messages={"required": required},
    )
