"""The dependants step: one form per dependant in a formset of 0 to 8.

Each form knows its place on the page (`number`) and names its dependant ("Dependant 3 (CHAN
Tai Man)"), so a group rule's error shows at that dependant and the error summary says whose it
is; a saved dependant without errors is shown collapsed to a one-line summary.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import MAX_DEPENDANTS, Application, MaritalStatus, Residence, Sex
from . import validators
from .builders import TravelDocumentMixin, chinese_name, country, date_field, english_name, radios
from .fields import WizardForm, WizardFormMixin, shared_fields

SPOUSE = Application.Relationship.SPOUSE
SHORT_RELATIONSHIPS = {
    Application.Relationship.SPOUSE.value: _("spouse or partner"),
    Application.Relationship.CHILD.value: _("child"),
}


class DependantForm(TravelDocumentMixin, WizardForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(shared_fields(_dependant_fields))

    @property
    def number(self) -> int:
        """The dependant's number on the page (1 to 8), from the form's prefix "dependants-2"."""
        try:
            return int(str(self.prefix).rsplit("-", 1)[-1]) + 1
        except ValueError:
            return 1

    def _shown(self, name: str) -> object:
        """A field's value as the page shows it: typed (bound) or saved (initial); a date
        typed in its three boxes is read as a date, or None when it is not one yet."""
        value = self[name].value()
        if isinstance(value, list | tuple):
            try:
                return self.fields[name].clean(value)
            except ValidationError:
                return None
        return value

    def person_name(self) -> str:
        """SURNAME Given names as typed or saved ("CHAN Tai Man"); empty while untyped."""
        surname = str(self._shown("surname") or "").strip().upper()
        given = str(self._shown("given_names") or "").strip()
        return " ".join(part for part in (surname, given) if part)

    def error_label(self) -> str:
        """Who an error is about: "Dependant 3 (CHAN Tai Man)", or "Dependant 3"."""
        name = self.person_name()
        if not name:
            return gettext("Dependant %(number)s") % {"number": self.number}
        return gettext("Dependant %(number)s (%(name)s)") % {"number": self.number, "name": name}

    def summary_line(self) -> str:
        """The one line of a collapsed dependant: "CHAN Siu Ming, child, born 1 May 2015"."""
        name = self.person_name()
        relationship = SHORT_RELATIONSHIPS.get(str(self._shown("relationship") or ""))
        born = self._shown("date_of_birth")
        if not name or relationship is None or not isinstance(born, datetime.date):
            return name
        return gettext("%(name)s, %(relationship)s, born %(date)s") % {
            "name": name,
            "relationship": relationship,
            "date": formats.date_format(born, "DATE_FORMAT"),
        }

    @property
    def collapsed(self) -> bool:
        """Shown as its one-line summary: a saved dependant with no error on the page. A new
        one, or one with an error, is open."""
        return bool(self.initial.get("position")) and not self.errors and bool(self.person_name())

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


def _dependant_fields() -> dict[str, forms.Field]:
    """A dependant's fields, the same for each (applications.wizard.fields.shared_fields)."""
    f: dict[str, forms.Field] = {}
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
    TravelDocumentMixin.travel_document_fields(f)
    f["residence"] = radios(
        _("Where they live now"),
        Residence.choices,
        error=_("Select where the dependant lives now"),
    )
    return f


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

    def left_empty(self) -> int:
        """How many new forms were sent with nothing typed in them (they are not saved)."""
        return sum(
            1
            for f in self.forms
            if not (f.has_changed() or f.initial) and not self._should_delete_form(f)
        )

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
        """The group rules, each shown at the dependant that breaks it: a second spouse or
        partner gets the error on its relationship, naming the one already given (on this
        page, or saved meanwhile from another tab). The number of dependants is the formset's
        own limit, with saved ones not on this page counted too."""
        others = self.untouched()
        kept = self.kept()
        facts = [self._saved_facts(a) for a in others] + [f.facts() for f in kept]
        labels = [_saved_label(a) for a in others] + [f.error_label() for f in kept]
        first_spouse = next(
            (labels[i] for i, d in enumerate(facts) if d.relationship == SPOUSE), ""
        )
        for index in validators.extra_spouses(facts):
            form_index = index - len(others)
            if form_index < 0:
                continue  # two saved spouses: not this page's doing
            kept[form_index].add_error(
                "relationship",
                ValidationError(
                    _(
                        "Only one spouse or partner can be included, and %(other)s is already "
                        "one. Choose child, or remove this dependant."
                    ),
                    code="one_spouse",
                    params={"other": first_spouse},
                ),
            )
        if len(kept) + len(others) > MAX_DEPENDANTS:
            raise ValidationError(
                _("A group can have at most %(count)d dependants"),
                code="too_many_dependants",
                params={"count": MAX_DEPENDANTS},
            )

    @staticmethod
    def _saved_facts(application: Application) -> validators.DependantFacts:
        return validators.DependantFacts(
            application.relationship,
            application.date_of_birth,
            application.marital_status,
            application.nationality,
        )


def _saved_label(application: Application) -> str:
    """A saved dependant not on this page, by name."""
    name = " ".join(p for p in (application.surname.upper(), application.given_names) if p)
    return name or gettext("a dependant saved earlier")


DependantFormSet = forms.formset_factory(
    DependantForm,
    formset=BaseDependantFormSet,
    extra=0,
    max_num=MAX_DEPENDANTS,
    validate_max=True,
    absolute_max=MAX_DEPENDANTS,
    can_delete=True,
)
