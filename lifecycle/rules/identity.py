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
    legal_basis="《中华人民共和国居民身份证法》第五条、第十一条",
    summary={
        "zh_Hans": "身份证有效期按领证时年龄确定：未满16周岁5年，16至25周岁10年，26至45周岁20年，"
        "46周岁以上长期。有效期满应当换领（第十一条），有效期满前三个月内可申请；"
        "未满十六周岁的可以换领（第十一条第二款），年满十六周岁时应当持有有效证件（第二条）。",
        "en": "The card's validity depends on age at issue: under 16, 5 years; 16–25, 10 years; "
        "26–45, 20 years; 46 and over, long-term. An expired card must be renewed (art. 11), "
        "from 3 months before expiry; under 16 renewal is optional (art. 11(2)), and at 16 "
        "the holder must have a valid card (art. 2).",
    },
    default_leads=("window", "30", "7"),
)
DRIVER_LICENSE_RENEWAL = RuleInfo(
    key="driver_license_renewal",
    family="identity",
    life_event="travel",
    service_code="driver_license_renewal",
    legal_basis="《机动车驾驶证申领和使用规定》第七十一条、第七十九条",
    summary={
        "zh_Hans": "驾驶证有效期满前九十日内申请换证；超过有效期一年以上未换证的，驾驶证被注销。",
        "en": "Renew a driving licence within the 90 days before it expires; a licence not "
        "renewed within a year after expiry is cancelled.",
    },
    default_leads=("window", "30", "7"),
)
PASSPORT_RENEWAL = RuleInfo(
    key="passport_renewal",
    family="identity",
    life_event="travel",
    service_code="passport_renewal",
    legal_basis="《中华人民共和国护照法》第七条、第十一条",
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
    """第二条: at 16 a citizen must apply; the law sets no deadline, we suggest 3 months."""
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
    """第十一条: an expired card must be renewed; the duty stays open (overdue) until it is.

    A card that expires before its holder turns 16 may be renewed (第十一条第二款, advisory);
    at 16 the holder must hold a valid card (第二条), so a required renewal falls due on
    the 16th birthday.
    """
    card = person.id_card
    if person.birth_date is None or card is None or card.issued_on is None:
        return []
    years = id_card_validity_years(person.birth_date, card.issued_on)
    if years is None:
        return []  # long-term card: nothing to renew
    expiry = add_years(card.issued_on, years)
    turns16 = add_years(person.birth_date, 16)
    age = age_on(person.birth_date, card.issued_on)
    issued_zh = f"身份证于{card.issued_on:%Y-%m-%d}签发，当时{age}周岁，有效期{years}年，至{expiry:%Y-%m-%d}"
    issued_en = (
        f"The card was issued on {card.issued_on:%Y-%m-%d} at age {age}, so it is valid "
        f"{years} years, until {expiry:%Y-%m-%d}"
    )
    title = titled(person, "居民身份证换领", "ID card renewal")
    if expiry >= turns16:
        return [
            make(
                ID_CARD_RENEWAL,
                f"renewal-{expiry:%Y-%m-%d}",
                person.key,
                title,
                add_months(expiry, -3),
                expiry,
                {
                    "zh_Hans": f"{issued_zh}；有效期满应当换领（第十一条），有效期满前三个月内可申请。"
                    "逾期未换领的，此事项保持待办。",
                    "en": f"{issued_en}. An expired card must be renewed (art. 11); apply in the "
                    "3 months before. The task stays open until it is done.",
                },
            )
        ]
    duties = []
    if ctx.today < turns16:  # optional while under 16, however long ago it expired
        duties.append(
            make(
                ID_CARD_RENEWAL,
                f"optional-{expiry:%Y-%m-%d}",
                person.key,
                title,
                add_months(expiry, -3),
                expiry,
                {
                    "zh_Hans": f"{issued_zh}。{person.name}未满十六周岁，可以自愿换领"
                    "（第十一条第二款），并非必须。",
                    "en": f"{issued_en}. {person.name} is under 16, so renewing is optional "
                    "(art. 11(2)), not required.",
                },
                advisory=True,
            )
        )
    duties.append(
        make(
            ID_CARD_RENEWAL,
            f"at16-{turns16:%Y-%m-%d}",
            person.key,
            title,
            max(expiry, add_months(turns16, -3)),
            turns16,
            {
                "zh_Hans": f"{issued_zh}。{person.name}于{turns16:%Y-%m-%d}年满16周岁，"
                "应当持有有效居民身份证（第二条），届时应当换领（第十一条）。",
                "en": f"{issued_en}. {person.name} turns 16 on {turns16:%Y-%m-%d} and must then "
                "hold a valid ID card (art. 2), so the card must be renewed by then (art. 11).",
            },
        )
    )
    return duties


def _licence_expiry(person: Person) -> tuple[date, bool] | None:
    lic = person.driver_license
    if lic is None:
        return None
    if lic.expires_on is not None:
        return lic.expires_on, False
    if lic.issued_on is not None:
        return add_years(lic.issued_on, 6), True
    return None


def driver_license_renewal(person: Person, ctx: Context) -> list[Duty]:
    """第七十一条: renew in the 90 days before expiry. 第七十九条: a licence not renewed a year
    after expiry is cancelled, so from then on the duty points to applying again."""
    found = _licence_expiry(person)
    if found is None:
        return []
    expiry, computed = found
    if computed:
        how_zh = "按首次领证有效期6年推算（请补充证上的有效期）"
        how_en = "assuming a first licence valid 6 years (please add the printed expiry)"
    else:
        how_zh, how_en = "驾驶证记载的有效期", "the expiry printed on the licence"
    cancelled = add_years(expiry, 1)
    restore_by = add_years(cancelled, 2)
    if ctx.today <= cancelled:
        return [
            make(
                DRIVER_LICENSE_RENEWAL,
                f"renewal-{expiry:%Y-%m-%d}",
                person.key,
                titled(person, "机动车驾驶证期满换证", "Driving licence renewal"),
                expiry - timedelta(days=90),
                expiry,
                {
                    "zh_Hans": f"依据{how_zh}，驾驶证于{expiry:%Y-%m-%d}到期，到期前90日内可申请换证。"
                    f"超过有效期一年（{cancelled:%Y-%m-%d}后）仍未换证的，驾驶证将被注销（第七十九条）。",
                    "en": f"From {how_en}, the licence expires on {expiry:%Y-%m-%d}; apply in the "
                    f"90 days before. If it is still not renewed a year after expiry (after "
                    f"{cancelled:%Y-%m-%d}) it is cancelled (art. 79).",
                },
                provisional=computed,
                computed_expiry=computed,
            )
        ]
    return [
        make(
            DRIVER_LICENSE_RENEWAL,
            f"cancelled-{expiry:%Y-%m-%d}",
            person.key,
            titled(person, "驾驶证已注销：重新申领", "Driving licence cancelled: apply again"),
            cancelled,
            restore_by,
            {
                "zh_Hans": f"依据{how_zh}，驾驶证于{expiry:%Y-%m-%d}到期，超过有效期一年以上未换证，"
                f"已于{cancelled:%Y-%m-%d}被注销（第七十九条），不能再换证。{restore_by:%Y-%m-%d}前"
                "通过道路交通安全法律、法规和相关知识考试可恢复驾驶资格；此后需重新申领驾驶证。",
                "en": f"From {how_en}, the licence expired on {expiry:%Y-%m-%d} and, not renewed "
                f"within a year, was cancelled on {cancelled:%Y-%m-%d} (art. 79): it can no longer "
                f"be renewed. Until {restore_by:%Y-%m-%d}, passing the road-safety theory test "
                "restores it; after that, apply for a new licence.",
            },
            provisional=computed,
            advisory=True,
            computed_expiry=computed,
            service_code="driver_license_application",
        )
    ]


def passport_expiry(birth: date, issued_on: date) -> date:
    """《护照法》第七条: 5 years if the holder is under 16 at issue, else 10 years."""
    return add_years(issued_on, 5 if age_on(birth, issued_on) < 16 else 10)


def passport_renewal(person: Person, ctx: Context) -> list[Duty]:
    """第十一条: a holder *may* renew a passport about to expire, so the duty is advisory."""
    pp = person.passport
    if pp is None:
        return []
    computed = pp.expires_on is None
    if pp.expires_on is not None:
        expiry = pp.expires_on
    elif pp.issued_on is not None and person.birth_date is not None:
        expiry = passport_expiry(person.birth_date, pp.issued_on)
    else:
        return []
    if not ctx.keep_once(expiry):
        return []
    opens = add_months(expiry, -6)
    how_zh = how_en = ""
    if computed:
        assert pp.issued_on is not None and person.birth_date is not None
        age = age_on(person.birth_date, pp.issued_on)
        how_zh = (
            f"（有效期为推算：{pp.issued_on:%Y-%m-%d}签发时{age}周岁，"
            f"按《护照法》第七条有效期{'5' if age < 16 else '10'}年）"
        )
        how_en = (
            f" (computed: issued on {pp.issued_on:%Y-%m-%d} at age {age}, valid "
            f"{'5' if age < 16 else '10'} years under Passport Law art. 7)"
        )
    return [
        make(
            PASSPORT_RENEWAL,
            f"renewal-{expiry:%Y-%m-%d}",
            person.key,
            titled(person, "普通护照换发", "Passport renewal"),
            opens,
            expiry,
            {
                "zh_Hans": f"护照于{expiry:%Y-%m-%d}到期{how_zh}；自{opens:%Y-%m-%d}起剩余有效期不足"
                "6个月，许多国家不予入境，建议出行前换发。",
                "en": f"The passport expires on {expiry:%Y-%m-%d}{how_en}; from {opens:%Y-%m-%d} "
                "less than 6 months remain, which many countries refuse, so renewing is advisable.",
            },
            advisory=True,
            computed_expiry=computed,
        )
    ]


PERSON_RULES = (id_card_first, id_card_renewal, driver_license_renewal, passport_renewal)
