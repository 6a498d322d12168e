"""The eligibility pre-check: scheme routing and each rule with its reason and where to go."""

import datetime

import pytest
from django.utils import timezone

from applications.eligibility import age_on, check_eligibility, route_scheme
from applications.models import Residence, Scheme
from quota.models import QuotaPool

from .drafting import answers, fill_pool, trade_with_pool, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade():
    return trade_with_pool(capacity=5, minimum_contract_months=24)


def test_eligible_answers_pass_with_gep(trade):
    result = check_eligibility(answers=answers(trade))
    assert result.eligible
    assert result.failures == ()
    assert result.scheme == Scheme.GEP
    assert result.age == 30


# Scheme routing


def test_chinese_resident_of_the_mainland_applies_under_asmtp(trade):
    chosen = answers(trade, nationality="CN", residence=Residence.MAINLAND)
    assert route_scheme(chosen) == Scheme.ASMTP
    assert check_eligibility(answers=chosen).scheme == Scheme.ASMTP


@pytest.mark.parametrize("residence", [Residence.MACAO, Residence.TAIWAN, Residence.OVERSEAS])
def test_chinese_nationals_outside_the_mainland_without_a_prc_passport_apply_under_gep(
    trade, residence
):
    assert route_scheme(answers(trade, nationality="CN", residence=residence)) == Scheme.GEP


def test_foreign_national_living_on_the_mainland_applies_under_gep(trade):
    assert route_scheme(answers(trade, nationality="US", residence=Residence.MAINLAND)) == (
        Scheme.GEP
    )


@pytest.mark.parametrize(
    ("permanent", "year_before", "from_overseas", "scheme"),
    [
        (True, False, False, Scheme.GEP),  # overseas permanent residence
        (False, True, True, Scheme.GEP),  # a year overseas just before, applying from overseas
        (False, True, False, Scheme.ASMTP),  # a year overseas, but applying from elsewhere
        (False, False, True, Scheme.ASMTP),  # applying from overseas, but not a year there
        (False, False, False, Scheme.ASMTP),
    ],
)
def test_overseas_chinese_with_a_prc_passport(trade, permanent, year_before, from_overseas, scheme):
    chosen = answers(
        trade,
        nationality="CN",
        residence=Residence.OVERSEAS,
        holds_prc_passport=True,
        overseas_permanent_residence=permanent,
        overseas_year_before=year_before,
        applying_from_overseas=from_overseas,
    )
    assert chosen.is_overseas_chinese_with_prc_passport
    assert route_scheme(chosen) == scheme


# Nationality


@pytest.mark.parametrize("nationality", ["AF", "CU", "KP"])
def test_excluded_nationalities_are_told_why_and_where_to_go(trade, nationality):
    result = check_eligibility(answers=answers(trade, nationality=nationality))
    assert not result.eligible
    failure = result.failure("nationality")
    assert "Afghanistan, Cuba and the Democratic People's Republic of Korea" in failure.reason
    assert "Contact the Immigration Department" in failure.advice
    assert failure.link_url == "/en/guide/help/"
    assert [f.code for f in result.failures] == ["nationality"]


# Age


def test_eighteen_today_is_old_enough(trade):
    assert check_eligibility(answers=answers(trade, date_of_birth=years_ago(18))).eligible


def test_a_day_before_the_eighteenth_birthday_is_too_young(trade):
    born = years_ago(18) + datetime.timedelta(days=1)
    result = check_eligibility(answers=answers(trade, date_of_birth=born))
    failure = result.failure("too_young")
    assert failure.reason == "You must be at least 18 years old today to apply. You are 17."
    assert "from the day you turn 18" in failure.advice
    assert failure.link_url == "/en/guide/eligibility/"


def test_forty_is_still_eligible_until_the_forty_first_birthday(trade):
    born = years_ago(41) + datetime.timedelta(days=1)
    assert check_eligibility(answers=answers(trade, date_of_birth=born)).eligible


def test_forty_one_is_too_old_and_pointed_to_the_professional_schemes(trade):
    result = check_eligibility(answers=answers(trade, date_of_birth=years_ago(41)))
    failure = result.failure("too_old")
    assert failure.reason == (
        "The Technical Professionals Stream is for applicants aged 18 to 40. You are 41."
    )
    assert "General Employment Policy as a professional" in failure.advice
    asmtp = check_eligibility(
        answers=answers(
            trade, date_of_birth=years_ago(45), nationality="CN", residence=Residence.MAINLAND
        )
    )
    assert "Admission Scheme for Mainland Talents and Professionals" in (
        asmtp.failure("too_old").advice
    )


def test_age_is_counted_on_the_day_in_hong_kong():
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2018, 2, 28)) == 17
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2018, 3, 1)) == 18
    assert age_on(datetime.date(1990, 6, 15), datetime.date(2030, 6, 14)) == 39
    assert age_on(datetime.date(1990, 6, 15), datetime.date(2030, 6, 15)) == 40


def test_the_check_uses_hong_kongs_date_by_default(trade, monkeypatch):
    today = timezone.localdate()
    born = years_ago(18) + datetime.timedelta(days=1)  # 18 tomorrow
    assert not check_eligibility(answers=answers(trade, date_of_birth=born)).eligible
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert check_eligibility(answers=answers(trade, date_of_birth=born)).eligible


# Trade and quota


def test_a_job_outside_the_list_is_told_where_to_go():
    result = check_eligibility(answers=answers(None))
    failure = result.failure("trade")
    assert "Technical Professional List" in failure.reason
    assert "General Employment Policy" in failure.advice
    assert [f.code for f in result.failures] == ["trade"]


def test_an_inactive_trade_is_not_on_the_list(trade):
    trade.active = False
    trade.save()
    assert check_eligibility(answers=answers(trade)).failure("trade") is not None


def test_a_trade_whose_quota_is_used_up_is_refused_with_the_quota_page():
    trade = trade_with_pool(capacity=1)
    fill_pool(trade)
    result = check_eligibility(answers=answers(trade))
    failure = result.failure("quota")
    assert trade.name_en in failure.reason
    assert "is fully used" in failure.reason
    assert failure.link_url == "/en/quota/"


def test_a_trade_whose_pool_is_closed_by_a_supervisor_is_refused(trade):
    QuotaPool.objects.filter(trade=trade).update(closed=True)
    result = check_eligibility(answers=answers(trade))
    assert [f.code for f in result.failures] == ["quota_closed"]
    assert trade.name_en in result.failure("quota_closed").reason


# Contract


def test_a_contract_shorter_than_the_trades_minimum_is_refused(trade):
    result = check_eligibility(answers=answers(trade, contract_months=23))
    failure = result.failure("contract")
    assert failure.reason == (
        "A contract for " + trade.name_en + " must be for at least 24 months. Yours is for 23."
    )
    assert "at least 24 months" in failure.advice


def test_the_minimum_is_the_trades_own(trade):
    short = trade_with_pool(minimum_contract_months=12)
    assert check_eligibility(answers=answers(short, contract_months=12)).eligible
    assert not check_eligibility(answers=answers(trade, contract_months=12)).eligible


def test_every_failed_rule_is_listed(trade):
    result = check_eligibility(
        answers=answers(trade, nationality="CU", date_of_birth=years_ago(50), contract_months=6)
    )
    assert [failure.code for failure in result.failures] == ["nationality", "too_old", "contract"]


def test_failures_are_given_in_the_active_language(trade):
    from django.utils import translation

    with translation.override("zh-hant"):
        result = check_eligibility(answers=answers(trade, contract_months=6))
    reason = result.failure("contract").reason
    assert "must be for at least" not in reason
    assert trade.name_zh_hant in reason
