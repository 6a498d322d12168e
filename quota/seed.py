# ruff: noqa: RUF001 - Chinese text uses full-width punctuation on purpose.
"""The eight trades of the Technical Professional List and the pilot period's pools.

Used by the data migration (with historical models, so every deployment has them) and by the
demo seeding. Existing rows are left as officers edited them: only missing ones are created.
"""

import datetime
from dataclasses import dataclass
from typing import Any

PILOT_STARTS_ON = datetime.date(2025, 6, 30)
PILOT_ENDS_ON = datetime.date(2028, 6, 29)
PILOT_OVERALL_CAPACITY = 10_000
PILOT_TRADE_CAPACITY = 3_000


@dataclass(frozen=True)
class TradeSeed:
    code: str
    names: tuple[str, str, str]  # English, Traditional Chinese, Simplified Chinese
    minimum_contract_months: int
    initial_stay_months: int
    guidance: tuple[str, str, str]


def _guidance(en: str, hant: str, hans: str) -> tuple[str, str, str]:
    return (en, hant, hans)


TRADES: tuple[TradeSeed, ...] = (
    TradeSeed(
        "new-industrialisation",
        ("New industrialisation technicians", "新型工業化技術員", "新型工业化技术员"),
        24,
        36,
        _guidance(
            "Certificates of the technical training completed, and employers' letters showing "
            "the production, automation or testing work done and for how long.",
            "已完成技術培訓的證書，以及僱主證明信，列明曾從事的生產、自動化或測試工作及年資。",
            "已完成技术培训的证书，以及雇主证明信，列明曾从事的生产、自动化或测试工作及年资。",
        ),
    ),
    TradeSeed(
        "nursing",
        ("Nurses", "護士", "护士"),
        24,
        36,
        _guidance(
            "Nursing qualification and current registration or licence, and letters from "
            "hospitals or care homes showing the nursing experience.",
            "護理學歷及現時有效的註冊或執照，以及醫院或護理院發出的護理工作經驗證明信。",
            "护理学历及现时有效的注册或执照，以及医院或护理院发出的护理工作经验证明信。",
        ),
    ),
    TradeSeed(
        "aircraft-maintenance",
        ("Aircraft maintenance technicians", "飛機維修技術員", "飞机维修技术员"),
        24,
        36,
        _guidance(
            "Aircraft maintenance licence or type training certificates, and the maintenance "
            "organisation's letters showing the aircraft types and tasks worked on.",
            "飛機維修執照或機型培訓證書，以及維修機構證明信，列明曾處理的機型及工作。",
            "飞机维修执照或机型培训证书，以及维修机构证明信，列明曾处理的机型及工作。",
        ),
    ),
    TradeSeed(
        "marine-services",
        (
            "Marine services technicians (local vessels)",
            "海事服務技術員（本地船隻）",
            "海事服务技术员（本地船只）",
        ),
        24,
        24,
        _guidance(
            "Certificates of competency or marine engineering qualifications, and letters "
            "showing sea service or shipyard work on vessels.",
            "適任證明書或輪機工程資歷，以及證明曾在船上服務或於船廠工作的信件。",
            "适任证明书或轮机工程资历，以及证明曾在船上服务或于船厂工作的信件。",
        ),
    ),
    TradeSeed(
        "information-technology",
        ("Information technology technicians", "資訊科技技術員", "资讯科技技术员"),
        24,
        36,
        _guidance(
            "Diploma or certificates in information technology or recognised vendor "
            "certifications, and employers' letters describing the systems supported.",
            "資訊科技文憑或證書，或認可的供應商認證，以及僱主證明信，說明曾支援的系統。",
            "资讯科技文凭或证书，或认可的供应商认证，以及雇主证明信，说明曾支援的系统。",
        ),
    ),
    TradeSeed(
        "lift-escalator",
        ("Lift/escalator technicians", "升降機／自動梯技術員", "升降机／自动梯技术员"),
        24,
        24,
        _guidance(
            "Trade test or apprenticeship certificates for lift or escalator work, and letters "
            "showing installation and maintenance experience.",
            "升降機或自動梯工作的技能測試或學徒訓練證書，以及安裝及保養工作經驗證明信。",
            "升降机或自动梯工作的技能测试或学徒训练证书，以及安装及保养工作经验证明信。",
        ),
    ),
    TradeSeed(
        "bim-coordinator",
        (
            "Building information modelling (BIM) coordinators",
            "建築信息模擬（BIM）協調員",
            "建筑信息模拟（BIM）协调员",
        ),
        24,
        36,
        _guidance(
            "Qualifications in building, engineering or BIM, and letters or project records "
            "showing BIM coordination on construction projects.",
            "建築、工程或建築信息模擬相關資歷，以及證明曾於建築項目擔任BIM協調工作的信件或項目紀錄。",
            "建筑、工程或建筑信息模拟相关资历，以及证明曾于建筑项目担任BIM协调工作的信件或项目纪录。",
        ),
    ),
    TradeSeed(
        "electrical",
        ("Electrical technicians", "電氣技術員", "电气技术员"),
        24,
        24,
        _guidance(
            "Electrical trade qualifications or worker registration, and employers' letters "
            "showing installation and maintenance experience.",
            "電業技能資歷或電業工程人員註冊，以及僱主證明信，列明安裝及保養工作經驗。",
            "电业技能资历或电业工程人员注册，以及雇主证明信，列明安装及保养工作经验。",
        ),
    ),
)


def ensure_pilot_quota(*, trade_model: Any, pool_model: Any) -> None:
    """Create the eight trades and the pilot period's pools where missing. Idempotent.

    Takes the model classes so the data migration can pass its historical models.
    """
    overall, _created = pool_model.objects.get_or_create(
        trade=None,
        starts_on=PILOT_STARTS_ON,
        defaults={"ends_on": PILOT_ENDS_ON, "capacity": PILOT_OVERALL_CAPACITY},
    )
    for order, seed in enumerate(TRADES, start=1):
        name_en, name_zh_hant, name_zh_hans = seed.names
        guidance_en, guidance_zh_hant, guidance_zh_hans = seed.guidance
        trade, _created = trade_model.objects.get_or_create(
            code=seed.code,
            defaults={
                "name_en": name_en,
                "name_zh_hant": name_zh_hant,
                "name_zh_hans": name_zh_hans,
                "minimum_contract_months": seed.minimum_contract_months,
                "initial_stay_months": seed.initial_stay_months,
                "guidance_en": guidance_en,
                "guidance_zh_hant": guidance_zh_hant,
                "guidance_zh_hans": guidance_zh_hans,
                "display_order": order,
            },
        )
        pool_model.objects.get_or_create(
            trade=trade,
            starts_on=PILOT_STARTS_ON,
            defaults={
                "overall": overall,
                "ends_on": PILOT_ENDS_ON,
                "capacity": PILOT_TRADE_CAPACITY,
            },
        )
