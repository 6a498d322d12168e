"""The catalogue of documents each person of an application group uploads.

Section A is the applicant's, B the employing company's, C each dependant's. The catalogue is
fixed by the published rules, so it is data in code; which items a given group needs is answered
by the documents services from each item's `condition`.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 5 * 1024 * 1024


class Section(models.TextChoices):
    APPLICANT = "A", _("Applicant")
    EMPLOYER = "B", _("Employing company")
    DEPENDANT = "C", _("Each dependant")


class Condition(models.TextChoices):
    """When an item is required, beyond its mandatory mark. `ALWAYS` for unconditional items;
    any other value makes the item required whenever it holds (see `Requirement`)."""

    ALWAYS = "always", _("Always")
    HAS_HKID = "has_hkid", _("Holds a Hong Kong identity card")
    MAINLAND_RESIDENT = "mainland_resident", _("Mainland resident")
    OTHER_RESIDENCE_PROOF = (
        "other_residence_proof",
        _("Macao or Taiwan resident, or overseas Chinese holding a PRC passport"),
    )
    NOT_EXEMPT = "not_exempt", _("Company not exempt (@)")
    NEW_COMPANY = "new_company", _("Company set up within the last 12 months, not exempt (@)")
    OPTIONAL = "optional", _("Optional")


class Note(models.TextChoices):
    NONE = "", ""
    HASH = "#", "#"
    AT = "@", "@"


@dataclass(frozen=True)
class Requirement:
    """One item of the catalogue.

    Whether a person needs an item comes from `mandatory` and `condition` together (the
    checklist service, documents.services.checklist, applies them):

    - `mandatory` is the published "*" mark: with `Condition.ALWAYS`, everyone in the section
      must upload it. It is not "needed or optional" on its own.
    - `condition`, when not `ALWAYS`, says when the item is required: a conditional item is
      required whenever its condition holds for that person, starred or not. So the unstarred
      A3 (holds an HKID), A5 (Mainland resident: the letter of consent), A6 and C4 (Macao, Taiwan
      or overseas Chinese residence) are required when their condition holds, and the starred @
      items B4-B7 when the company is not exempt (B7: and set up within the last 12 months).
      When the condition does not hold, the item is not asked for, except A6 and C4, which stay
      open as optional uploads.
    - Only `mandatory=False` with `Condition.ALWAYS` (B8) or `Condition.OPTIONAL` is optional
      for everyone.

    Pages present a conditional item as "required if/when ..." (the guide's "When needed"
    column shows the condition; the documents page marks it "required" once it holds), never as
    optional.
    """

    code: str
    section: str
    label: Promise
    max_files: int
    mandatory: bool  # the "*" mark: needed by everyone in the section (see above)
    carries_photo: bool  # so the file must be in colour
    condition: str = Condition.ALWAYS  # when not ALWAYS: required whenever this holds
    note: str = Note.NONE
    guidance: Promise | str = ""


CATALOGUE: tuple[Requirement, ...] = (
    # A. Applicant
    Requirement(
        "A1",
        Section.APPLICANT,
        _("Travel document"),
        5,
        True,
        True,
        note=Note.HASH,
        guidance=_("The personal particulars page and every page with a visa or stamp."),
    ),
    Requirement("A2", Section.APPLICANT, _("Recent photograph"), 1, True, True),
    Requirement(
        "A3",
        Section.APPLICANT,
        _("Hong Kong identity card, if any"),
        1,
        False,
        True,
        condition=Condition.HAS_HKID,
    ),
    Requirement(
        "A4",
        Section.APPLICANT,
        _(
            "Proof of academic qualifications, work experience and professional qualifications "
            "for the skilled trade"
        ),
        5,
        True,
        False,
    ),
    Requirement(
        "A5",
        Section.APPLICANT,
        _("Letter of consent from the working unit or Mainland authorities (Annex of ID(E) 1032)"),
        1,
        False,
        False,
        condition=Condition.MAINLAND_RESIDENT,
        guidance=_("For Chinese residents of the Mainland."),
    ),
    Requirement(
        "A6",
        Section.APPLICANT,
        _("Other supporting documents"),
        5,
        False,
        False,
        condition=Condition.OTHER_RESIDENCE_PROOF,
        guidance=_(
            "Macao residents: Macao visit permit and identity card. Taiwan residents: household "
            "registration transcript and identity card. Overseas Chinese holding a PRC passport: "
            "proof of overseas residence."
        ),
    ),
    # B. Employing company
    Requirement(
        "B1",
        Section.EMPLOYER,
        _(
            "Employment contract or letter of appointment stating the post, salary, fringe "
            "benefits and period of employment"
        ),
        5,
        True,
        False,
    ),
    Requirement("B2", Section.EMPLOYER, _("Proof for the specific skilled trade"), 5, True, False),
    Requirement("B3", Section.EMPLOYER, _("Company chop"), 1, True, False),
    Requirement(
        "B4",
        Section.EMPLOYER,
        _("Business Registration Certificate"),
        1,
        True,
        False,
        condition=Condition.NOT_EXEMPT,
        note=Note.AT,
    ),
    Requirement(
        "B5",
        Section.EMPLOYER,
        _("Proof of financial standing"),
        5,
        True,
        False,
        condition=Condition.NOT_EXEMPT,
        note=Note.AT,
        guidance=_("For example, audited financial statements or profits tax returns."),
    ),
    Requirement(
        "B6",
        Section.EMPLOYER,
        _("Company background"),
        5,
        True,
        False,
        condition=Condition.NOT_EXEMPT,
        note=Note.AT,
    ),
    Requirement(
        "B7",
        Section.EMPLOYER,
        _("Detailed business plan"),
        5,
        True,
        False,
        condition=Condition.NEW_COMPANY,
        note=Note.AT,
        guidance=_("For companies set up within the last 12 months."),
    ),
    Requirement("B8", Section.EMPLOYER, _("Other supporting documents"), 5, False, False),
    # C. Each dependant
    Requirement(
        "C1",
        Section.DEPENDANT,
        _("Travel document"),
        5,
        True,
        True,
        note=Note.HASH,
        guidance=_("The personal particulars page and every page with a visa or stamp."),
    ),
    Requirement("C2", Section.DEPENDANT, _("Recent photograph"), 1, True, True),
    Requirement(
        "C3",
        Section.DEPENDANT,
        _("Evidence of relationship with the applicant"),
        5,
        True,
        False,
        guidance=_("For example, a marriage certificate or a birth certificate."),
    ),
    Requirement(
        "C4",
        Section.DEPENDANT,
        _("Other supporting documents"),
        5,
        False,
        False,
        condition=Condition.OTHER_RESIDENCE_PROOF,
        guidance=_(
            "Macao residents: Macao visit permit and identity card. Taiwan residents: household "
            "registration transcript and identity card. Overseas Chinese holding a PRC passport: "
            "proof of overseas residence."
        ),
    ),
)

BY_CODE: dict[str, Requirement] = {item.code: item for item in CATALOGUE}


def for_section(section: str) -> tuple[Requirement, ...]:
    return tuple(item for item in CATALOGUE if item.section == section)
