"""The wizard's steps: names, titles and forms, for the applicant and for employer HR.

Employer HR, by the emailed link, may open only EMPLOYER_STEPS: the company's particulars, its
section B documents and the authorised person's declaration.
"""

from django.utils.translation import gettext_lazy as _

from . import forms
from .dependants import DependantFormSet

APPLICANT = "applicant"
QUALIFICATIONS = "qualifications"
EMPLOYMENT = "employment"
EMPLOYER = "employer"
COMPANY = "company"
DEPENDANTS = "dependants"
DOCUMENTS = "documents"
CHECK = "check"
DECLARATIONS = "declarations"
EMPLOYER_DOCUMENTS = "employer_documents"
EMPLOYER_DECLARATION = "employer_declaration"

APPLICANT_FORMS = (
    (APPLICANT, forms.ApplicantForm),
    (QUALIFICATIONS, forms.QualificationsForm),
    (EMPLOYMENT, forms.EmploymentForm),
    (EMPLOYER, forms.EmployerChoiceForm),
    (COMPANY, forms.CompanyForm),
    (DEPENDANTS, DependantFormSet),
    (DOCUMENTS, forms.NoFieldsForm),
    (CHECK, forms.NoFieldsForm),
    (DECLARATIONS, forms.NoFieldsForm),  # the view builds the declarations form for the signers
)
EMPLOYER_FORMS = (
    (COMPANY, forms.CompanyForm),
    (EMPLOYER_DOCUMENTS, forms.NoFieldsForm),
    (EMPLOYER_DECLARATION, forms.NoFieldsForm),
)
EMPLOYER_STEPS = tuple(name for name, _form in EMPLOYER_FORMS)

# The steps whose answers readiness needs saved (the others are pages or signatures).
DATA_STEPS = (APPLICANT, QUALIFICATIONS, EMPLOYMENT, EMPLOYER, COMPANY, DEPENDANTS)

TITLES = {
    APPLICANT: _("Your details"),
    QUALIFICATIONS: _("Qualifications and experience"),
    EMPLOYMENT: _("Employment"),
    EMPLOYER: _("The employing company's part"),
    COMPANY: _("Company particulars"),
    DEPENDANTS: _("Dependants"),
    DOCUMENTS: _("Documents"),
    CHECK: _("Check your answers"),
    DECLARATIONS: _("Declarations and signatures"),
    EMPLOYER_DOCUMENTS: _("Company documents"),
    EMPLOYER_DECLARATION: _("Declaration and signature"),
}


def title(step: str) -> str:
    return str(TITLES[step])
