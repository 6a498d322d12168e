"""Forms of the pages before the wizard: eligibility, collection statement, start, resume."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from immapp.date_input import birth_date_field
from quota.models import SkilledTrade

from . import references
from .eligibility import NOT_LISTED, EligibilityAnswers
from .models import Residence
from .services import is_status_reference


def nationality_choices() -> list[tuple[str, str]]:
    return [("", _("Choose your nationality")), *countries]


class DescribedForm(forms.Form):
    """Points each input at its hint and its error message (aria-describedby)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.fields:
            bound = self[name]
            ids = []
            if bound.help_text:
                ids.append(bound.auto_id + "_helptext")
            if bound.errors:
                ids.append(bound.auto_id + "_error")
            # A date's boxes sit in a fieldset, which carries the hint and the error.
            if ids and not bound.use_fieldset:
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def clean_birth_date(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date of birth must be in the past."), code="future")
    if value.year < 1900:
        raise forms.ValidationError(_("Enter a real date of birth."), code="too_early")
    return value


class EligibilityForm(DescribedForm):
    date_of_birth = birth_date_field(
        _("Your date of birth"), required=_("Enter your date of birth.")
    )
    nationality = forms.ChoiceField(
        label=_("Your nationality"),
        choices=nationality_choices,
        error_messages={"required": _("Choose your nationality.")},
    )
    residence = forms.ChoiceField(
        label=_("Where do you live now?"),
        choices=Residence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where you live now.")},
    )
    holds_prc_passport = forms.BooleanField(
        label=_("I am a Chinese national holding a People's Republic of China passport"),
        required=False,
    )
    overseas_permanent_residence = forms.BooleanField(
        label=_("I have permanent residence in a country outside China"), required=False
    )
    overseas_year_before = forms.BooleanField(
        label=_("I have lived outside China for at least one year, up to now"), required=False
    )
    applying_from_overseas = forms.BooleanField(
        label=_("I am applying from outside China"), required=False
    )
    trade = forms.ChoiceField(
        label=_("The skilled trade of the job you are offered"),
        error_messages={"required": _("Choose the skilled trade of your job.")},
    )
    contract_months = forms.IntegerField(
        label=_("Length of the contract offered, in months"),
        min_value=1,
        max_value=600,
        error_messages={
            "required": _("Enter the length of the contract in months."),
            "invalid": _("Enter the length of the contract as a whole number of months."),
            "min_value": _("The contract must be at least 1 month long."),
            "max_value": _("Enter a contract length of 600 months or less."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.trades = {trade.code: trade for trade in SkilledTrade.objects.filter(active=True)}
        self.fields["trade"].choices = [
            ("", _("Choose a trade")),
            *((code, trade.name) for code, trade in self.trades.items()),
            (NOT_LISTED, _("My job is not in any of these trades")),
        ]

    def clean_date_of_birth(self) -> datetime.date:
        return clean_birth_date(self.cleaned_data["date_of_birth"])

    def answers(self) -> EligibilityAnswers:
        data = self.cleaned_data
        return EligibilityAnswers(
            date_of_birth=data["date_of_birth"],
            nationality=data["nationality"],
            residence=data["residence"],
            trade=self.trades.get(data["trade"]),
            contract_months=data["contract_months"],
            holds_prc_passport=data["holds_prc_passport"],
            overseas_permanent_residence=data["overseas_permanent_residence"],
            overseas_year_before=data["overseas_year_before"],
            applying_from_overseas=data["applying_from_overseas"],
        )


def answers_from_session(data: dict[str, object]) -> EligibilityAnswers:
    """The answers kept by eligibility.answers_data, with the trade read again from the database."""
    return EligibilityAnswers(
        date_of_birth=datetime.date.fromisoformat(str(data["date_of_birth"])),
        nationality=str(data["nationality"]),
        residence=str(data["residence"]),
        trade=SkilledTrade.objects.filter(code=data["trade"]).first(),
        contract_months=int(data["contract_months"]),  # type: ignore[call-overload]
        holds_prc_passport=bool(data["holds_prc_passport"]),
        overseas_permanent_residence=bool(data["overseas_permanent_residence"]),
        overseas_year_before=bool(data["overseas_year_before"]),
        applying_from_overseas=bool(data["applying_from_overseas"]),
    )


class CollectionStatementForm(DescribedForm):
    acknowledge = forms.BooleanField(
        label=_("I have read and understood the Personal Information Collection Statement"),
        error_messages={
            "required": _(
                "Confirm that you have read the Personal Information Collection Statement."
            )
        },
    )


class NewDraftForm(DescribedForm):
    contact_email = forms.EmailField(
        label=_("Contact email address"),
        help_text=_(
            "We send your temporary reference, and later your acknowledgment, to this address."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter a contact email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
    )
    confirm_email = forms.EmailField(
        label=_("Enter the email address again"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address again."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
    )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        first, second = data.get("contact_email"), data.get("confirm_email")
        if first and second and first.lower() != second.lower():
            self.add_error("confirm_email", _("The two email addresses are not the same."))
        return data


class ResumeForm(DescribedForm):
    reference = forms.CharField(
        label=_("Temporary reference"),
        help_text=_("It is in the email we sent you, for example ABCD-EFGH-2."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter your temporary reference.")},
    )
    date_of_birth = birth_date_field(
        _("The applicant's date of birth"), required=_("Enter the applicant's date of birth.")
    )

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"]
        # The check character catches a mistyped reference before any lookup: it tells nothing
        # about which references exist, and such a typo is not counted as a failed attempt.
        reference = references.parse(value)
        if reference is None:
            raise forms.ValidationError(
                _(
                    "Enter the temporary reference exactly as it is in your email, for example "
                    "ABCD-EFGH-2. It has 9 letters and digits."
                ),
                code="invalid",
            )
        return reference

    def clean_date_of_birth(self) -> datetime.date:
        return clean_birth_date(self.cleaned_data["date_of_birth"])


class StatusForm(DescribedForm):
    """The status look-up: an application reference number or a temporary reference, and the
    applicant's date of birth."""

    reference = forms.CharField(
        label=_("Application reference number or temporary reference"),
        help_text=_(
            "The application reference number is on your acknowledgment, for example "
            "TP26-GEP-7KQ3MX-B. Before submission, use the temporary reference from our email, "
            "for example ABCD-EFGH-2."
        ),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter the application reference number.")},
    )
    date_of_birth = birth_date_field(
        _("The applicant's date of birth"),
        required=_("Enter the applicant's date of birth."),
        help_text=_(
            "For example, 27 3 1990. With an application reference number, the date of birth "
            "of the person it belongs to; with a temporary reference, the main applicant's."
        ),
    )

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"]
        # As for resuming: a typo the check character catches is not looked up or counted.
        if not is_status_reference(value):
            raise forms.ValidationError(
                _(
                    "Enter the reference exactly as it is on your acknowledgment or in our "
                    "email, for example TP26-GEP-7KQ3MX-B or ABCD-EFGH-2."
                ),
                code="invalid",
            )
        return value

    def clean_date_of_birth(self) -> datetime.date:
        return clean_birth_date(self.cleaned_data["date_of_birth"])
