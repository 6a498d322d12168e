"""The eligibility pre-check, asked before any personal data: scheme routing and the rules.

`check_eligibility` answers for one set of answers on one day: the scheme the applicant applies
under (GEP or ASMTP) and every rule the answers fail, each with the reason and where to go
instead. Views, the draft service and tests call it; nothing here writes to the database.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quota import services as quota_services
from quota.exceptions import QuotaClosed
from quota.models import SkilledTrade
from quota.services import Availability

from .models import Residence, Scheme

MINIMUM_AGE = 18
MAXIMUM_AGE = 40
CHINA = "CN"
# Nationals of these countries cannot apply under the Technical Professionals Stream.
EXCLUDED_NATIONALITIES = frozenset({"AF", "CU", "KP"})
OVERSEAS_RESIDENCES = frozenset({Residence.OVERSEAS, Residence.OTHER})


@dataclass(frozen=True)
class EligibilityAnswers:
    """What the pre-check asks; `trade` is None when the job is not on the list."""

    date_of_birth: datetime.date
    nationality: str
    residence: str
    trade: SkilledTrade | None
    contract_months: int
    holds_prc_passport: bool = False
    overseas_permanent_residence: bool = False
    overseas_year_before: bool = False
    applying_from_overseas: bool = False

    @property
    def is_overseas_chinese_with_prc_passport(self) -> bool:
        return (
            self.nationality == CHINA
            and self.holds_prc_passport
            and self.residence in OVERSEAS_RESIDENCES
        )


@dataclass(frozen=True)
class Failure:
    """One rule not met: why, and where to go instead (a page of this service)."""

    code: str
    reason: str
    advice: str
    link_text: str
    link_name: str
    link_slug: str = ""

    @property
    def link_url(self) -> str:
        if self.link_slug:
            return reverse(self.link_name, kwargs={"slug": self.link_slug})
        return reverse(self.link_name)


@dataclass(frozen=True)
class EligibilityResult:
    scheme: str
    age: int
    failures: tuple[Failure, ...]

    @property
    def eligible(self) -> bool:
        return not self.failures

    def failure(self, code: str) -> Failure | None:
        return next((failure for failure in self.failures if failure.code == code), None)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`; someone born on 29 February is a year older on 1 March."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def scheme_for(
    *, nationality: str, residence: str, holds_prc_passport: bool, settled_overseas: bool
) -> str:
    """ASMTP for Chinese residents of the Mainland; GEP for everyone else.

    An overseas Chinese holding a PRC passport is a Chinese resident of the Mainland for this
    purpose, unless `settled_overseas` (permanent residence overseas, or at least a year's
    residence overseas immediately before and applying from overseas): then GEP.
    """
    if nationality == CHINA and residence == Residence.MAINLAND:
        return Scheme.ASMTP
    if nationality == CHINA and holds_prc_passport and residence in OVERSEAS_RESIDENCES:
        return Scheme.GEP if settled_overseas else Scheme.ASMTP
    return Scheme.GEP


def scheme_reason(
    *, nationality: str, residence: str, holds_prc_passport: bool, settled_overseas: bool
) -> str:
    """Why `scheme_for` chose its scheme for these facts, in the officer's words: the branch
    of the rule that applied."""
    if nationality == CHINA and residence == Residence.MAINLAND:
        return str(_("A Chinese national living on the Mainland: ASMTP."))
    if nationality == CHINA and holds_prc_passport and residence in OVERSEAS_RESIDENCES:
        if settled_overseas:
            return str(
                _(
                    "An overseas Chinese holding a PRC passport, with permanent residence "
                    "overseas or a year's residence overseas before applying from overseas: GEP."
                )
            )
        return str(
            _(
                "An overseas Chinese holding a PRC passport, without permanent residence "
                "overseas or a year's residence overseas before applying from overseas: ASMTP."
            )
        )
    return str(_("Not a Chinese resident of the Mainland: GEP."))


def settled_overseas(answers: EligibilityAnswers) -> bool:
    return answers.overseas_permanent_residence or (
        answers.overseas_year_before and answers.applying_from_overseas
    )


def route_scheme(answers: EligibilityAnswers) -> str:
    """The scheme for the pre-check's answers (see `scheme_for`)."""
    return scheme_for(
        nationality=answers.nationality,
        residence=answers.residence,
        holds_prc_passport=answers.holds_prc_passport,
        settled_overseas=settled_overseas(answers),
    )


NOT_LISTED = "none"  # the trade answer of a job on no trade of the list


def answers_data(answers: EligibilityAnswers) -> dict[str, object]:
    """The answers as JSON-safe data: what the session keeps between the pre-start pages and
    the draft keeps for officers (ApplicationGroup.eligibility_answers)."""
    return {
        "date_of_birth": answers.date_of_birth.isoformat(),
        "nationality": answers.nationality,
        "residence": answers.residence,
        "trade": answers.trade.code if answers.trade is not None else NOT_LISTED,
        "contract_months": answers.contract_months,
        "holds_prc_passport": answers.holds_prc_passport,
        "overseas_permanent_residence": answers.overseas_permanent_residence,
        "overseas_year_before": answers.overseas_year_before,
        "applying_from_overseas": answers.applying_from_overseas,
    }


def nationality_failure(nationality: str) -> Failure | None:
    """The failure for a nationality that cannot apply, or None."""
    return _nationality_failure() if nationality in EXCLUDED_NATIONALITIES else None


def _other_schemes(scheme: str) -> str:
    if scheme == Scheme.ASMTP:
        return str(
            _(
                "You may be able to apply under the Admission Scheme for Mainland Talents and "
                "Professionals as a professional, or under another talent scheme. The "
                "Immigration Department's website and hotline explain them."
            )
        )
    return str(
        _(
            "You may be able to apply under the General Employment Policy as a professional, "
            "or under another talent scheme. The Immigration Department's website and hotline "
            "explain them."
        )
    )


def _nationality_failure() -> Failure:
    return Failure(
        code="nationality",
        reason=str(
            _(
                "Nationals of Afghanistan, Cuba and the Democratic People's Republic of Korea "
                "cannot apply under the Technical Professionals Stream."
            )
        ),
        advice=str(
            _(
                "Contact the Immigration Department to ask whether another way of coming to "
                "work in Hong Kong is open to you."
            )
        ),
        link_text=str(_("Help and contact")),
        link_name="guide",
        link_slug="help",
    )


def _age_failure(age: int, scheme: str) -> Failure:
    if age < MINIMUM_AGE:
        return Failure(
            code="too_young",
            reason=str(
                _("You must be at least %(minimum)d years old today to apply. You are %(age)d.")
                % {"minimum": MINIMUM_AGE, "age": age}
            ),
            advice=str(
                _("You can check again and apply from the day you turn %(minimum)d.")
                % {"minimum": MINIMUM_AGE}
            ),
            link_text=str(_("Eligibility")),
            link_name="guide",
            link_slug="eligibility",
        )
    return Failure(
        code="too_old",
        reason=str(
            _(
                "The Technical Professionals Stream is for applicants aged %(minimum)d to "
                "%(maximum)d. You are %(age)d."
            )
            % {"minimum": MINIMUM_AGE, "maximum": MAXIMUM_AGE, "age": age}
        ),
        advice=_other_schemes(scheme),
        link_text=str(_("Who can use this service")),
        link_name="guide",
        link_slug="who-can-use",
    )


def _trade_failure() -> Failure:
    return Failure(
        code="trade",
        reason=str(
            _(
                "Only jobs in a skilled trade on the Technical Professional List can be applied "
                "for here."
            )
        ),
        advice=str(
            _(
                "Check the list of skilled trades. If your job is a professional post outside "
                "the list, apply under the General Employment Policy or the Admission Scheme for "
                "Mainland Talents and Professionals instead."
            )
        ),
        link_text=str(_("Eligibility")),
        link_name="guide",
        link_slug="eligibility",
    )


def _quota_failure(trade: SkilledTrade) -> Failure:
    # Full: the overall quota or the trade's. Before an application is started, which of the
    # two matters less than where to look (the quota status page).
    return Failure(
        code="quota",
        reason=str(
            _(
                "Applications for %(trade)s are not being accepted now: its quota, or the "
                "overall quota, is fully used."
            )
            % {"trade": trade.name}
        ),
        advice=str(
            _(
                "Places that become free are offered again from a date the Immigration "
                "Department announces. Check the quota status before you try again."
            )
        ),
        link_text=str(_("Quota status")),
        link_name="quota:status",
    )


def _quota_closed_failure(trade: SkilledTrade, found: Availability) -> Failure:
    """The trade closed (by the Immigration Department, or outside a quota period): whether and
    when it reopens, and with how many places."""
    if found.reopens_at is not None:
        places = found.reopening_remaining or 0
        advice = ngettext(
            "It reopens on %(day)s with %(places)s place. You can check again from that day.",
            "It reopens on %(day)s with %(places)s places. You can check again from that day.",
            places,
        ) % {
            "day": date_format(timezone.localtime(found.reopens_at), "DATE_FORMAT"),
            "places": number_format(places, force_grouping=True),
        }
    else:
        advice = str(
            _("No date to reopen has been announced. The quota status page shows when one is set.")
        )
    return Failure(
        code="quota_closed",
        reason=str(
            _(
                "Applications for %(trade)s are closed at present. This is not because its "
                "places are used up."
            )
            % {"trade": trade.name}
        ),
        advice=advice,
        link_text=str(_("Quota status")),
        link_name="quota:status",
    )


def _contract_failure(trade: SkilledTrade, months: int) -> Failure:
    return Failure(
        code="contract",
        reason=str(
            _(
                "A contract for %(trade)s must be for at least %(minimum)d months. Yours is for "
                "%(months)d."
            )
            % {"trade": trade.name, "minimum": trade.minimum_contract_months, "months": months}
        ),
        advice=str(
            _("Ask your employer for an offer of at least %(minimum)d months, then check again.")
            % {"minimum": trade.minimum_contract_months}
        ),
        link_text=str(_("Eligibility")),
        link_name="guide",
        link_slug="eligibility",
    )


def check_eligibility(
    *, answers: EligibilityAnswers, today: datetime.date | None = None
) -> EligibilityResult:
    """The scheme and every failed rule for `answers` on `today` (Hong Kong's date by default).

    Asks quota.services whether the trade's quota is open (one query); writes nothing.
    """
    today = today or timezone.localdate()
    scheme = route_scheme(answers)
    age = age_on(answers.date_of_birth, today)
    failures: list[Failure] = []
    if (failure := nationality_failure(answers.nationality)) is not None:
        failures.append(failure)
    if not MINIMUM_AGE <= age <= MAXIMUM_AGE:
        failures.append(_age_failure(age, scheme))
    trade = answers.trade
    if trade is None or not trade.active:
        failures.append(_trade_failure())
    else:
        found = quota_services.availability(trade=trade)
        refusal = found.refusal(trade_name=str(trade.name))
        if isinstance(refusal, QuotaClosed):
            failures.append(_quota_closed_failure(trade, found))
        elif refusal is not None:
            failures.append(_quota_failure(trade))
        if answers.contract_months < trade.minimum_contract_months:
            failures.append(_contract_failure(trade, answers.contract_months))
    return EligibilityResult(scheme=scheme, age=age, failures=tuple(failures))
