"""The catalogue's conditions as rules over an application group's data.

Each `Condition` of documents.catalogue maps to one small rule reading the person's application
and the employer's part. `reference_date` is today for a draft and the submission date once
submitted, so a company's age is judged when the application went in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from applications.models import Application, EmployerPart, Residence, TravelDocumentType

from .catalogue import Condition


@dataclass(frozen=True)
class Facts:
    """What the rules read for one person (None for the employer's own section)."""

    person: Application | None
    employer: EmployerPart | None
    reference_date: date


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def mainland_resident(facts: Facts) -> bool:
    return facts.person is not None and facts.person.residence == Residence.MAINLAND


def has_hkid(facts: Facts) -> bool:
    return facts.person is not None and bool(facts.person.hkid_number.strip())


def other_residence_proof(facts: Facts) -> bool:
    person = facts.person
    if person is None:
        return False
    return person.residence in (Residence.MACAO, Residence.TAIWAN) or (
        person.overseas_chinese_prc_passport
    )


def not_exempt(facts: Facts) -> bool:
    """No @ exemption declared (a group without an employer's part yet is not exempt)."""
    return facts.employer is None or not facts.employer.is_exempt


def new_company(facts: Facts) -> bool:
    """Not exempt, and incorporated within the 12 months before the reference date."""
    if not not_exempt(facts) or facts.employer is None:
        return False
    incorporated = facts.employer.incorporation_date
    return incorporated is not None and incorporated > one_year_before(facts.reference_date)


def no_travel_document(facts: Facts) -> bool:
    """The person gives the PRC resident identity card instead of a travel document."""
    return facts.person is not None and facts.person.travel_document_type == TravelDocumentType.NONE


def in_hong_kong(facts: Facts) -> bool:
    return facts.person is not None and facts.person.in_hong_kong


RULES: dict[str, Callable[[Facts], bool]] = {
    Condition.ALWAYS: lambda facts: True,
    Condition.OPTIONAL: lambda facts: True,
    Condition.HAS_HKID: has_hkid,
    Condition.MAINLAND_RESIDENT: mainland_resident,
    Condition.OTHER_RESIDENCE_PROOF: other_residence_proof,
    Condition.NOT_EXEMPT: not_exempt,
    Condition.NEW_COMPANY: new_company,
}


def holds(condition: str, facts: Facts) -> bool:
    return RULES[condition](facts)
