"""Forms of the documents pages: a file for a person's checklist item or a requested item, a
replacement, and the supplementary page's reference and date of birth."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import services as application_services

from .catalogue import CATALOGUE

ACCEPT = ",".join(
    (".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".pdf", "image/*", "application/pdf")
)


class ReplaceForm(forms.Form):
    # Empty files pass here so the service refuses them with its own message.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )


class UploadForm(ReplaceForm):
    person = forms.CharField(max_length=10)
    item = forms.ChoiceField(choices=[(item.code, item.code) for item in CATALOGUE])


class SupplementaryUploadForm(ReplaceForm):
    """A file for one item of the open request (the item's id)."""

    item = forms.IntegerField(min_value=1)


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"autocomplete": "bday"})


class SupplementaryAccessForm(forms.Form):
    """The application reference number and that person's date of birth."""

    reference = forms.CharField(
        label=_("Application reference number"),
        help_text=_(
            "It is on your acknowledgment and in our email, for example TP26-GEP-7KQ3MX-B."
        ),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter the application reference number.")},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_(
            "Of the person the application reference number belongs to, for example 2001-03-27."
        ),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of birth."),
            "invalid": _("Enter the date of birth as a real date, for example 2001-03-27."),
        },
    )

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"]
        # A typo the check character catches is not looked up, nor counted as an attempt.
        if not application_services.is_application_reference(value):
            raise forms.ValidationError(
                _(
                    "Enter the application reference number exactly as it is on your "
                    "acknowledgment, for example TP26-GEP-7KQ3MX-B."
                ),
                code="invalid",
            )
        return value

    def clean_date_of_birth(self) -> datetime.date:
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past."))
        return value
