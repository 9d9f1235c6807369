"""Identity and travel documents: ID card (first application, renewal), driver licence,
passport."""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.dates import add_months, add_years, age_on
from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

ID_CARD_FIRST = RuleInfo(
    key="id_card_first",
    family="identity",
    life_event="travel",
    service_code="id_card_first_application",
    legal_basis="《中华人民共和国居民身份证法》第二条",
    summary={
        "zh_Hans": "年满十六周岁的公民应当申请领取居民身份证；未满十六周岁的可以自愿申领。",
        "en": "A citizen who turns 16 must apply for a resident ID card; younger children may.",
    },
)
ID_CARD_RENEWAL = RuleInfo(
    key="id_card_renewal",
    family="identity",
    life_event="travel",
    service_code="id_card_renewal",
    legal_basis="《中华人民共和国居民身份证法》第五条",
    summary={
        "zh_Hans": "身份证有效期按领证时年龄确定：未满16周岁5年，16至25周岁10年，26至45周岁20年，"
        "46周岁以上长期。有效期满前三个月内可申请换领。",
        "en": "The card's validity depends on age at issue: under 16, 5 years; 16–25, 10 years; "
        "26–45, 20 years; 46 and over, long-term. Apply within 3 months before it expires.",
    },
    default_leads=("window", "30", "7"),
)
DRIVER_LICENSE_RENEWAL = RuleInfo(
    key="driver_license_renewal",
    family="identity",
    life_event="travel",
    service_code="driver_license_renewal",
    legal_basis="《机动车驾驶证申领和使用规定》第七十一条",
    summary={
        "zh_Hans": "驾驶证有效期满前九十日内申请换证。",
        "en": "Renew a driving licence within the 90 days before it expires.",
    },
    default_leads=("window", "30", "7"),
)
PASSPORT_RENEWAL = RuleInfo(
    key="passport_renewal",
    family="identity",
    life_event="travel",
    service_code="passport_renewal",
    legal_basis="《中华人民共和国护照法》第五条、第十一条",
    summary={
        "zh_Hans": "普通护照未满16周岁签发的有效期5年，其余10年；有效期不足6个月时许多国家拒绝入境，建议换发。",
        "en": "A passport is valid 5 years if issued under 16, else 10. Many countries require "
        "6 months' validity: renewing when less remains is advisable.",
    },
    default_leads=("window", "30"),
)

RULES = (ID_CARD_FIRST, ID_CARD_RENEWAL, DRIVER_LICENSE_RENEWAL, PASSPORT_RENEWAL)


def id_card_validity_years(birth: date, issued_on: date) -> int | None:
    """Validity in years by age on the day of issue; ``None`` = long-term (第五条)."""
    age = age_on(birth, issued_on)
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None


def id_card_expiry(birth: date, issued_on: date) -> date | None:
    years = id_card_validity_years(birth, issued_on)
    return None if years is None else add_years(issued_on, years)


def id_card_first(person: Person, ctx: Context) -> list[Duty]:
    if person.birth_date is None or person.id_card is not None:
        return []
    turns16 = add_years(person.birth_date, 16)
    due = add_months(turns16, 3)
    if not ctx.keep_once(due):
        return []
    return [
        make(
            ID_CARD_FIRST,
            "first",
            person.key,
            titled(person, "居民身份证申领", "First resident ID card"),
            turns16,
            due,
            {
                "zh_Hans": f"{person.name}于{turns16:%Y-%m-%d}年满16周岁，应当申领居民身份证。"
                "法律未规定期限，建议在此后三个月内办理。",
                "en": f"{person.name} turns 16 on {turns16:%Y-%m-%d} and must then apply for an "
                "ID card. The law sets no deadline; we suggest applying within three months.",
            },
        )
    ]


def id_card_renewal(person: Person, ctx: Context) -> list[Duty]:
    card = person.id_card
    if person.birth_date is None or card is None or card.issued_on is None:
        return []
    years = id_card_validity_years(person.birth_date, card.issued_on)
    if years is None:
        return []  # long-term card: nothing to renew
    expiry = add_years(card.issued_on, years)
    if not ctx.keep_once(expiry):
        return []
    age = age_on(person.birth_date, card.issued_on)
    return [
        make(
            ID_CARD_RENEWAL,
            f"renewal-{expiry:%Y-%m-%d}",
            person.key,
            titled(person, "居民身份证换领", "ID card renewal"),
            add_months(expiry, -3),
            expiry,
            {
                "zh_Hans": f"身份证于{card.issued_on:%Y-%m-%d}签发，当时{age}周岁，有效期{years}年，"
                f"至{expiry:%Y-%m-%d}；有效期满前三个月内可换领。",
                "en": f"The card was issued on {card.issued_on:%Y-%m-%d} at age {age}, so it is "
                f"valid {years} years, until {expiry:%Y-%m-%d}; renew in the 3 months before.",
            },
        )
    ]


def driver_license_renewal(person: Person, ctx: Context) -> list[Duty]:
    lic = person.driver_license
    if lic is None or (lic.expires_on is None and lic.issued_on is None):
        return []
    provisional = False
    if lic.expires_on is not None:
        expiry = lic.expires_on
        how_zh, how_en = "驾驶证记载的有效期", "the expiry printed on the licence"
    else:
        assert lic.issued_on is not None
        expiry = add_years(lic.issued_on, 6)
        provisional = True
        how_zh = "按首次领证有效期6年推算（请补充证上的有效期）"
        how_en = "assuming a first licence valid 6 years (please add the printed expiry)"
    if not ctx.keep_once(expiry):
        return []
    return [
        make(
            DRIVER_LICENSE_RENEWAL,
            f"renewal-{expiry:%Y-%m-%d}",
            person.key,
            titled(person, "机动车驾驶证期满换证", "Driving licence renewal"),
            expiry - timedelta(days=90),
            expiry,
            {
                "zh_Hans": f"依据{how_zh}，驾驶证于{expiry:%Y-%m-%d}到期，到期前90日内可申请换证。",
                "en": f"From {how_en}, the licence expires on {expiry:%Y-%m-%d}; apply in the "
                "90 days before.",
            },
            provisional=provisional,
        )
    ]


def passport_renewal(person: Person, ctx: Context) -> list[Duty]:
    pp = person.passport
    if pp is None:
        return []
    if pp.expires_on is not None:
        expiry = pp.expires_on
    elif pp.issued_on is not None and person.birth_date is not None:
        years = 5 if age_on(person.birth_date, pp.issued_on) < 16 else 10
        expiry = add_years(pp.issued_on, years)
    else:
        return []
    if not ctx.keep_once(expiry):
        return []
    opens = add_months(expiry, -6)
    return [
        make(
            PASSPORT_RENEWAL,
            f"renewal-{expiry:%Y-%m-%d}",
            person.key,
            titled(person, "普通护照换发", "Passport renewal"),
            opens,
            expiry,
            {
                "zh_Hans": f"护照于{expiry:%Y-%m-%d}到期；自{opens:%Y-%m-%d}起剩余有效期不足6个月，"
                "许多国家不予入境，建议出行前换发。",
                "en": f"The passport expires on {expiry:%Y-%m-%d}; from {opens:%Y-%m-%d} less than "
                "6 months remain, which many countries refuse, so renewing is advisable.",
            },
            advisory=True,
        )
    ]


PERSON_RULES = (id_card_first, id_card_renewal, driver_license_renewal, passport_renewal)
