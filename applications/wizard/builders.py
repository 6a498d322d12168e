"""Field builders with the wizard's messages and attributes, and the travel document fields
that the applicant's and each dependant's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Residence, TravelDocumentType
from . import validators
from .fields import CountrySelect, DateField, YesNoField, country_choices, message


class NameField(forms.CharField):
    """A person's name, normalised (NFC) and checked by `rule` (validators.clean_english_name
    or clean_chinese_name), which raises ValidationError with a message saying what it may
    hold."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.rule(value) if value else value


def _required_message(label, *, required: bool, error) -> dict:
    """The field's error messages. A required field must bring its own message, written for
    it ("Enter your surname in English"): one built from the label ("Enter Surname in
    English") reads badly in every language, so there is no such fallback."""
    if required and not error:
        raise TypeError("the required field " + repr(str(label)) + " needs its own error=")
    return message(error) if error else {}


def text(
    label,
    *,
    error=None,
    required=True,
    max_length=100,
    autocomplete="",
    help_text="",
    rule=None,
    **attrs,
):
    """A one-line text field; with `rule`, a NameField checked by it. `error` is the message
    for a required field left blank."""
    widget_attrs = {"class": "input", **attrs}
    if autocomplete:
        widget_attrs["autocomplete"] = autocomplete
    kwargs = {
        "label": label,
        "required": required,
        "max_length": max_length,
        "help_text": help_text,
        "widget": forms.TextInput(attrs=widget_attrs),
        "error_messages": _required_message(label, required=required, error=error),
    }
    return NameField(rule=rule, **kwargs) if rule else forms.CharField(**kwargs)


def english_name(label, *, error, autocomplete="", help_text=""):
    """A name as a travel document prints it: Latin letters, spaces, - ' and ."""
    return text(
        label,
        error=error,
        autocomplete=autocomplete,
        help_text=help_text,
        rule=validators.clean_english_name,
    )


def chinese_name(label):
    """An optional name in Chinese characters (Hong Kong supplementary characters included)."""
    return text(label, required=False, max_length=50, rule=validators.clean_chinese_name)


def textarea(label, *, error=None, required=True, autocomplete="", help_text=""):
    attrs = {"class": "textarea", "rows": 3}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        help_text=help_text,
        widget=forms.Textarea(attrs=attrs),
        error_messages=_required_message(label, required=required, error=error),
    )


def radios(label, choices, *, error, required=True, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages=_required_message(label, required=required, error=error),
    )


def date_field(
    label, *, error=None, required=True, autocomplete="", help_text="", parts=None, name=""
):
    return DateField(
        label=label,
        name=name,
        required=required,
        help_text=help_text or _("For example, 27 3 1990"),
        autocomplete=autocomplete,
        parts=parts or ("day", "month", "year"),
        error_messages=_required_message(label, required=required, error=error),
    )


def yes_no(label, *, error, help_text=""):
    return YesNoField(
        label=label,
        help_text=help_text,
        error_messages=_required_message(label, required=True, error=error),
    )


def country(label, *, error):
    return forms.ChoiceField(
        label=label,
        choices=country_choices,
        widget=CountrySelect(attrs={"class": "select"}),
        error_messages=_required_message(label, required=True, error=error),
    )


class TravelDocumentMixin:
    """Type, number, place, issue and expiry; valid today; none only with a PRC identity card."""

    @staticmethod
    def travel_document_fields(fields: dict[str, forms.Field]) -> None:
        """Add the travel document's fields to `fields`."""
        fields["travel_document_type"] = radios(
            _("Type of travel document"),
            TravelDocumentType.choices,
            error=_("Select the type of travel document"),
        )
        fields["travel_document_number"] = text(
            _("Travel document number"), required=False, max_length=30, spellcheck="false"
        )
        fields["travel_document_place_of_issue"] = text(_("Place of issue"), required=False)
        fields["travel_document_issue_date"] = date_field(_("Date of issue"), required=False)
        fields["travel_document_expiry_date"] = date_field(_("Date of expiry"), required=False)

    def clean_travel_document(self, cleaned):
        kind = cleaned.get("travel_document_type")
        if not kind or kind == TravelDocumentType.NONE:
            if kind == TravelDocumentType.NONE and cleaned.get("residence") not in (
                None,
                Residence.MAINLAND,
            ):
                self.add_error(
                    "travel_document_type",
                    ValidationError(
                        _("Only residents of the Mainland may apply without a travel document"),
                        code="no_document_not_mainland",
                    ),
                )
            return
        needed = {
            "travel_document_number": _("Enter the travel document number"),
            "travel_document_place_of_issue": _("Enter the place of issue"),
            "travel_document_issue_date": _("Enter the date of issue"),
            "travel_document_expiry_date": _("Enter the date of expiry"),
        }
        for name, text_ in needed.items():
            if name not in self.errors and not cleaned.get(name):
                self.add_error(name, ValidationError(text_, code="required"))
        try:
            validators.validate_travel_document_dates(
                issued=cleaned.get("travel_document_issue_date"),
                expires=cleaned.get("travel_document_expiry_date"),
            )
        except ValidationError as exc:
            names = {
                "issue": "travel_document_issue_date",
                "expiry": "travel_document_expiry_date",
            }
            for key, errors in exc.error_dict.items():
                for error in errors:
                    if names[key] not in self.errors:
                        self.add_error(names[key], error)
