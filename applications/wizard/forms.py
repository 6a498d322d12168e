"""One form per wizard step (the dependants' formset is in dependants.py).

Forms validate and clean; applications.wizard.answers saves their cleaned data into the rows.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quota.models import SkilledTrade

from ..models import (
    EmployerPart,
    MaritalStatus,
    Residence,
    Sex,
)
from . import validators
from .builders import (
    TravelDocumentMixin,
    chinese_name,
    country,
    date_field,
    english_name,
    radios,
    text,
    textarea,
    yes_no,
)
from .fields import DollarsField, WizardForm, message, shared_fields

ACADEMIC_ROWS = 3
WORK_ROWS = 4


ACADEMIC_LEVELS = (
    ("", _("Choose a level")),
    ("secondary", _("Secondary school")),
    ("certificate", _("Certificate or diploma")),
    ("associate", _("Higher diploma or associate degree")),
    ("bachelor", _("Bachelor's degree")),
    ("master", _("Master's degree")),
    ("doctorate", _("Doctorate")),
)


def _applicant_fields() -> dict[str, forms.Field]:
    """The applicant's fields (applications.wizard.fields.shared_fields)."""
    f: dict[str, forms.Field] = {}
    f["surname"] = english_name(
        _("Surname in English"),
        error=_("Enter your surname in English"),
        autocomplete="family-name",
        help_text=_("As shown on your travel document"),
    )
    f["given_names"] = english_name(
        _("Given names in English"),
        error=_("Enter your given names in English"),
        autocomplete="given-name",
    )
    f["chinese_name"] = chinese_name(_("Name in Chinese (optional)"))
    f["sex"] = radios(_("Sex"), Sex.choices, error=_("Select your sex"))
    f["date_of_birth"] = date_field(
        _("Date of birth"), error=_("Enter your date of birth"), autocomplete="bday"
    )
    f["place_of_birth"] = text(_("Place of birth"), error=_("Enter your place of birth"))
    f["nationality"] = country(_("Nationality"), error=_("Select your nationality"))
    TravelDocumentMixin.travel_document_fields(f)
    f["hkid_number"] = text(
        _("Hong Kong identity card number (if you have one)"),
        required=False,
        max_length=12,
        help_text=_("For example, %(example)s") % {"example": validators.HKID_EXAMPLE},
        spellcheck="false",
        autocapitalize="characters",
    )
    f["residence"] = radios(
        _("Where you live now"), Residence.choices, error=_("Select where you live now")
    )
    f["overseas_chinese_prc_passport"] = forms.BooleanField(
        label=_("I am an overseas Chinese holding a PRC passport"), required=False
    )
    f["in_hong_kong"] = yes_no(
        _("Are you in Hong Kong now?"), error=_("Select yes if you are in Hong Kong now")
    )
    f["marital_status"] = radios(
        _("Marital status"), MaritalStatus.choices, error=_("Select your marital status")
    )
    f["email"] = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(
            attrs={"class": "input", "autocomplete": "email", "spellcheck": "false"}
        ),
        error_messages=message(
            _("Enter your email address"),
            invalid=_("Enter an email address in the correct format, like name@example.com"),
        ),
    )
    f["phone"] = forms.RegexField(
        label=_("Phone number"),
        regex=r"^\+?[0-9 ()-]{6,20}$",
        help_text=_("With the country code, for example +852 2824 6111"),
        widget=forms.TextInput(
            attrs={"class": "input", "autocomplete": "tel", "type": "tel", "inputmode": "tel"}
        ),
        error_messages=message(
            _("Enter your phone number"),
            invalid=_("Enter a phone number using digits, spaces and + ( ) - only"),
        ),
    )
    f["address"] = textarea(
        _("Address"), error=_("Enter your address"), autocomplete="street-address"
    )
    return f


class ApplicantForm(TravelDocumentMixin, WizardForm):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(shared_fields(_applicant_fields))

    def clean_nationality(self):
        value = self.cleaned_data.get("nationality", "")
        validators.validate_applicant_nationality(value)
        return value

    def clean_hkid_number(self):
        value = self.cleaned_data.get("hkid_number", "")
        return validators.validate_hkid(value) if value.strip() else ""

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value is not None:
            validators.validate_date_of_birth(value)
            validators.validate_applicant_age(value)
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_travel_document(cleaned)
        return cleaned


def _month_field(label, *, name, required=False):
    return date_field(
        label,
        name=name,
        required=required,
        parts=("month", "year"),
        help_text=_("Month and year, for example 9 2018"),
    )


class QualificationsForm(WizardForm):
    """Up to three academic qualifications, four jobs, and professional qualifications."""

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        for row in range(ACADEMIC_ROWS):
            f[f"academic_{row}_level"] = forms.ChoiceField(
                label=_("Level"),
                choices=ACADEMIC_LEVELS,
                required=False,
                widget=forms.Select(attrs={"class": "select"}),
            )
            f[f"academic_{row}_institution"] = text(
                _("Institution"), required=False, max_length=200
            )
            f[f"academic_{row}_year"] = forms.IntegerField(
                label=_("Year awarded"),
                required=False,
                min_value=1950,
                max_value=2100,
                widget=forms.TextInput(
                    attrs={"class": "input input--year", "inputmode": "numeric", "maxlength": "4"}
                ),
                error_messages={
                    "invalid": _("Enter the year as 4 digits, like 2015"),
                    "min_value": _("Enter a year from 1950"),
                    "max_value": _("Enter a year from 1950"),
                },
            )
        for row in range(WORK_ROWS):
            f[f"work_{row}_employer"] = text(
                _("Employer"), required=False, max_length=200, autocomplete="organization"
            )
            f[f"work_{row}_post"] = text(
                _("Post"), required=False, max_length=200, autocomplete="organization-title"
            )
            f[f"work_{row}_start"] = _month_field(_("From"), name=_("The start of the job"))
            f[f"work_{row}_end"] = _month_field(
                _("To (leave blank if you still work there)"), name=_("The end of the job")
            )
        f["professional_qualifications"] = forms.CharField(
            label=_("Professional qualifications and licences (optional)"),
            required=False,
            max_length=2000,
            help_text=_("Name each qualification or licence, who issued it and when"),
            widget=forms.Textarea(attrs={"class": "textarea", "rows": 4}),
        )

    def academic_rows(self):
        return [
            [self[f"academic_{row}_{part}"] for part in ("level", "institution", "year")]
            for row in range(ACADEMIC_ROWS)
        ]

    def work_rows(self):
        return [
            [self[f"work_{row}_{part}"] for part in ("employer", "post", "start", "end")]
            for row in range(WORK_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        academic, work = [], []
        for row in range(ACADEMIC_ROWS):
            entry = {
                part: cleaned.get(f"academic_{row}_{part}")
                for part in ("level", "institution", "year")
            }
            if not any(entry.values()):
                continue
            for part, text_ in (
                ("level", _("Select the level")),
                ("institution", _("Enter the institution")),
                ("year", _("Enter the year awarded")),
            ):
                name = f"academic_{row}_{part}"
                if not entry[part] and name not in self.errors:
                    self.add_error(name, ValidationError(text_, code="required"))
            academic.append(entry)
        for row in range(WORK_ROWS):
            entry = {
                part: cleaned.get(f"work_{row}_{part}")
                for part in ("employer", "post", "start", "end")
            }
            if not any(entry.values()):
                continue
            for part, text_ in (
                ("employer", _("Enter the employer")),
                ("post", _("Enter the post")),
                ("start", _("Enter when you started")),
            ):
                name = f"work_{row}_{part}"
                if not entry[part] and name not in self.errors:
                    self.add_error(name, ValidationError(text_, code="required"))
            if entry["start"] and entry["end"] and entry["end"] < entry["start"]:
                self.add_error(
                    f"work_{row}_end",
                    ValidationError(_("The end must be after the start"), code="work_order"),
                )
            work.append(entry)
        if not academic and not work and not self.errors:
            raise ValidationError(
                _("Give at least one academic qualification or one job"), code="no_entries"
            )
        cleaned["academic_qualifications"] = academic
        cleaned["work_experience"] = work
        return cleaned


class EmploymentForm(WizardForm):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["post_title"] = text(
            _("Post title"),
            error=_("Enter the post title"),
            max_length=200,
            autocomplete="organization-title",
        )
        f["trade"] = forms.ModelChoiceField(
            label=_("Skilled trade"),
            queryset=SkilledTrade.objects.filter(active=True),
            empty_label=_("Choose a skilled trade"),
            widget=forms.Select(attrs={"class": "select"}),
            error_messages=message(
                _("Select the skilled trade"), invalid=_("Select a skilled trade from the list")
            ),
        )
        f["monthly_salary_hkd"] = DollarsField(
            label=_("Monthly salary in Hong Kong dollars"),
            help_text=_("In whole dollars, for example 22000 or HK$22,000"),
            max_value=10_000_000,
            error_messages={
                "required": _("Enter the monthly salary"),
                "invalid": _(
                    "Enter the monthly salary in Hong Kong dollars, like 22000 or HK$22,000"
                ),
                "cents": _("Enter the monthly salary in whole dollars, without cents"),
                "min_value": _("The monthly salary must be more than 0"),
                "max_value": _("Enter a monthly salary of less than 10,000,000 dollars"),
            },
        )
        f["fringe_benefits"] = textarea(
            _("Fringe benefits (optional)"),
            required=False,
            help_text=_("For example, housing, medical or bonus"),
        )
        f["contract_start"] = date_field(
            _("Contract start date"), error=_("Enter the contract start date")
        )
        f["contract_end"] = date_field(
            _("Contract end date"), error=_("Enter the contract end date")
        )
        f["workplace_address"] = textarea(
            _("Workplace address"), error=_("Enter the workplace address")
        )

    def clean(self):
        cleaned = super().clean()
        start, end, trade = (cleaned.get(k) for k in ("contract_start", "contract_end", "trade"))
        if start and end and trade:
            try:
                validators.validate_contract_period(
                    start=start, end=end, minimum_months=trade.minimum_contract_months
                )
            except ValidationError as exc:
                self.add_error("contract_end", exc)
        return cleaned


class EmployerChoiceForm(WizardForm):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_by"] = radios(
            _("Who will fill in the employing company's part?"),
            EmployerPart.CompletedBy.choices,
            error=_("Select who will fill in the employing company's part"),
        )
        self.fields["hr_email"] = forms.EmailField(
            label=_("Email address of the company's HR contact"),
            required=False,
            help_text=_(
                "We send a link that opens the company's part only. It expires in 14 days."
            ),
            widget=forms.EmailInput(attrs={"class": "input", "spellcheck": "false"}),
            error_messages={
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("completed_by") == EmployerPart.CompletedBy.EMPLOYER
            and not cleaned.get("hr_email")
            and "hr_email" not in self.errors
        ):
            self.add_error(
                "hr_email",
                ValidationError(
                    _("Enter the email address of the company's HR contact"), code="required"
                ),
            )
        return cleaned


class CompanyForm(WizardForm):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["company_name_en"] = text(
            _("Company name in English"),
            error=_("Enter the company name in English"),
            max_length=200,
            autocomplete="organization",
        )
        f["company_name_zh"] = text(
            _("Company name in Chinese (optional)"), required=False, max_length=200
        )
        f["business_registration_number"] = text(
            _("Business Registration number"),
            error=_("Enter the Business Registration number"),
            max_length=20,
            help_text=_("8 digits, or as on the certificate, like 12345678-000-07-25-3"),
            inputmode="numeric",
            spellcheck="false",
        )
        f["incorporation_date"] = date_field(
            _("Date of incorporation"), error=_("Enter the date of incorporation")
        )
        f["company_address"] = textarea(_("Company address"), error=_("Enter the company address"))
        f["listed_main_board_or_gem"] = yes_no(
            _("Is the company listed on the Main Board or GEM of the Stock Exchange of Hong Kong?"),
            error=_("Select yes if the company is listed on the Main Board or GEM"),
        )
        f["recent_non_local_visa"] = yes_no(
            _(
                "In the past 24 months, did the company obtain an employment or training visa "
                "for a non-local staff member?"
            ),
            error=_(
                "Select yes if the company obtained an employment or training visa for a "
                "non-local staff member in the past 24 months"
            ),
        )
        f["authorised_person_name"] = text(
            _("Authorised person's full name"),
            error=_("Enter the authorised person's full name"),
            autocomplete="name",
        )
        f["authorised_person_title"] = text(
            _("Authorised person's title"),
            error=_("Enter the authorised person's title"),
            autocomplete="organization-title",
        )
        f["authorised_person_email"] = forms.EmailField(
            label=_("Authorised person's email address"),
            widget=forms.EmailInput(attrs={"class": "input", "autocomplete": "email"}),
            error_messages=message(
                _("Enter the authorised person's email address"),
                invalid=_("Enter an email address in the correct format, like name@example.com"),
            ),
        )
        f["authorised_person_phone"] = forms.RegexField(
            label=_("Authorised person's phone number"),
            regex=r"^\+?[0-9 ()-]{6,20}$",
            widget=forms.TextInput(
                attrs={"class": "input", "type": "tel", "inputmode": "tel", "autocomplete": "tel"}
            ),
            error_messages=message(
                _("Enter the authorised person's phone number"),
                invalid=_("Enter a phone number using digits, spaces and + ( ) - only"),
            ),
        )

    def clean_business_registration_number(self):
        return validators.validate_business_registration_number(
            self.cleaned_data.get("business_registration_number", "")
        )

    def clean_incorporation_date(self):
        value = self.cleaned_data.get("incorporation_date")
        if value and value > timezone.localdate():
            raise ValidationError(
                _("The date of incorporation must be today or in the past"), code="future"
            )
        return value


class NoFieldsForm(WizardForm):
    """A step whose page has nothing to type (documents, check your answers): Continue only."""

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
