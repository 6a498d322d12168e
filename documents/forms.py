"""Forms of the documents pages: a file for a person's checklist item or a requested item, a
replacement, and the supplementary page's reference and date of birth."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import services as application_services
from immapp.date_input import birth_date_field

from .catalogue import CATALOGUE

ACCEPT = ",".join(
    (".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".pdf", "image/*", "application/pdf")
)


# No item takes more than this many files, so no post may carry more (the upload handler skips
# any beyond it and the view says so; Django refuses a body with over
# DATA_UPLOAD_MAX_NUMBER_FILES files before any of them is kept).
MAX_FILES_PER_POST = max(item.max_files for item in CATALOGUE)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the user choose several files at once (`multiple`)."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    """One or more files, each checked as a FileField checks one; the cleaned value is a list
    in the order the browser sent them."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return single(None, initial)  # the "required" message
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ReplaceForm(forms.Form):
    # Empty files pass here so the service refuses them with its own message.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )


class UploadForm(forms.Form):
    """One or more new files for a person's checklist item (`file` is a list)."""

    # Empty files pass here so the service refuses them with its own message.
    file = FilesField(
        label=_("Files"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )
    person = forms.CharField(max_length=10)
    item = forms.ChoiceField(choices=[(item.code, item.code) for item in CATALOGUE])


class SupplementaryUploadForm(ReplaceForm):
    """A file for one item of the open request (the item's id)."""

    item = forms.IntegerField(min_value=1)


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
    date_of_birth = birth_date_field(
        _("Date of birth"),
        required=_("Enter the date of birth."),
        help_text=_(
            "Of the person the application reference number belongs to, for example 27 3 1990."
        ),
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
