"""Forms of the officer's request for supplementary documents (documents.admin)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import services as application_services
from applications.models import Application

from . import services
from .catalogue import CATALOGUE

DEFAULT_DAYS = 14


class FindApplicationForm(forms.Form):
    reference = forms.CharField(
        label=_("Application reference number"),
        help_text=_("For example, TP26-GEP-7KQ3MX-B."),
        max_length=30,
    )

    def clean_reference(self) -> Application:
        found = application_services.submitted_application(reference=self.cleaned_data["reference"])
        if found is None:
            raise forms.ValidationError(_("No submitted application has this reference number."))
        return found


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class SupplementaryRequestForm(forms.Form):
    """What to ask for: catalogue items of this person's sections and free-text items (one a
    line), a message and a deadline. The service checks everything again when it saves."""

    requirement_codes = forms.MultipleChoiceField(
        label=_("Documents from the catalogue"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    descriptions = forms.CharField(
        label=_("Other documents"),
        help_text=_("One document a line, as the applicant should read it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_("Emailed to the applicant with the list of documents."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: object, application: Application, **kwargs: object) -> None:
        kwargs.setdefault(
            "initial", {"deadline": timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = services.sections_for(application)
        field = self.fields["requirement_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (item.code, item.code + " " + str(item.label))
            for item in CATALOGUE
            if item.section in allowed
        ]

    def clean_descriptions(self) -> list[str]:
        text = self.cleaned_data["descriptions"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_deadline(self) -> datetime.date:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("requirement_codes") and not cleaned.get("descriptions"):
            raise forms.ValidationError(_("Choose at least one document to request."))
        return cleaned

    def labels(self) -> list[str]:
        """The chosen catalogue items' labels, then the free-text items (the confirmation)."""
        names = dict(self.fields["requirement_codes"].choices)  # type: ignore[attr-defined]
        codes = self.cleaned_data["requirement_codes"]
        return [str(names[code]) for code in codes] + self.cleaned_data["descriptions"]
