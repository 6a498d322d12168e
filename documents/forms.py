"""Forms of the documents pages: a file for a person's checklist item, or a replacement."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
