"""The dependants step: one form per dependant in a formset of 0 to 8."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import MAX_DEPENDANTS, Application, MaritalStatus, Residence, Sex
from . import validators
from .builders import TravelDocumentMixin, chinese_name, country, date_field, english_name, radios
from .fields import WizardForm, WizardFormMixin


class DependantForm(TravelDocumentMixin, WizardForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["position"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_DEPENDANTS
        )
        f["relationship"] = radios(
            _("Relationship to the applicant"),
            Application.Relationship.choices,
            error=_("Select the dependant's relationship to the applicant"),
        )
        f["surname"] = english_name(
            _("Surname in English"), error=_("Enter the dependant's surname in English")
        )
        f["given_names"] = english_name(
            _("Given names in English"), error=_("Enter the dependant's given names in English")
        )
        f["chinese_name"] = chinese_name(_("Name in Chinese (optional)"))
        f["sex"] = radios(_("Sex"), Sex.choices, error=_("Select the dependant's sex"))
        f["date_of_birth"] = date_field(
            _("Date of birth"), error=_("Enter the dependant's date of birth")
        )
        f["nationality"] = country(_("Nationality"), error=_("Select the dependant's nationality"))
        f["marital_status"] = radios(
            _("Marital status"),
            MaritalStatus.choices,
            error=_("Select the dependant's marital status"),
        )
        self.travel_document_fields()
        f["residence"] = radios(
            _("Where they live now"),
            Residence.choices,
            error=_("Select where the dependant lives now"),
        )

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value is not None:
            validators.validate_date_of_birth(value)
        return value

    def facts(self) -> validators.DependantFacts:
        c = self.cleaned_data
        return validators.DependantFacts(
            relationship=c.get("relationship", ""),
            date_of_birth=c.get("date_of_birth"),
            marital_status=c.get("marital_status", ""),
            nationality=c.get("nationality", ""),
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_travel_document(cleaned)
        try:
            validators.validate_dependant(self.facts())
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                for error in errors:
                    if name not in self.errors:
                        self.add_error(name, error)
        return cleaned


class BaseDependantFormSet(WizardFormMixin, forms.BaseFormSet):
    template_name = "applications/wizard/_dependants.html"
    default_error_messages = {
        "missing_management_form": _("The form was not sent completely. Please try again."),
        "too_many_forms": _("A group can have at most %(num)d dependants"),
        "too_few_forms": _("Please submit at least %(num)d forms."),
    }

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def quiet(self) -> None:
        self._errors = [{} for _form in self.forms]
        self._non_form_errors = self.error_class()
        for member in self.forms:
            member.quiet()

    def kept(self):
        """The forms that stay: not marked for removal and not left empty."""
        return [
            f for f in self.forms if f.has_changed() or f.initial if not self._should_delete_form(f)
        ]

    def removed_positions(self) -> set[int]:
        """The saved dependants this form asks to remove (ticked "Remove")."""
        return {
            f.cleaned_data["position"]
            for f in self.forms
            if self._should_delete_form(f) and f.cleaned_data.get("position")
        }

    def untouched(self) -> list[Application]:
        """Saved dependants the form does not mention (added meanwhile in another tab): they
        stay, and count towards the group's rules."""
        if self.group is None:
            return []
        mentioned = {f.cleaned_data.get("position") for f in self.forms}
        return [
            a
            for a in self.group.applications.all()
            if not a.is_principal and a.position not in mentioned
        ]

    def clean(self):
        if any(self.errors):
            return
        others = [
            validators.DependantFacts(
                a.relationship, a.date_of_birth, a.marital_status, a.nationality
            )
            for a in self.untouched()
        ]
        try:
            validators.validate_dependants([f.facts() for f in self.kept()] + others)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from None


DependantFormSet = forms.formset_factory(
    DependantForm,
    formset=BaseDependantFormSet,
    extra=0,
    max_num=MAX_DEPENDANTS,
    validate_max=True,
    absolute_max=MAX_DEPENDANTS,
    can_delete=True,
)
