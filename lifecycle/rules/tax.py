"""Individual income tax of a person: annual reconciliation of comprehensive income
(《个人所得税法》第十一条) and the December confirmation of special additional deductions
(《个人所得税专项附加扣除操作办法（试行）》第九条)."""

from __future__ import annotations

from datetime import date

from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

IIT_RECONCILIATION = RuleInfo(
    key="iit_reconciliation",
    family="tax",
    life_event="work",
    service_code="iit_annual_reconciliation",
    legal_basis="《中华人民共和国个人所得税法》第十一条；《个人所得税法实施条例》第二十五条",
    summary={
        "zh_Hans": "取得综合所得需要办理汇算清缴的，在取得所得的次年3月1日至6月30日内办理。",
        "en": "Those who must reconcile their income tax do it between 1 March and 30 June "
        "of the next year.",
    },
    default_leads=("window", "30", "7", "1"),
    recurring=True,
)
IIT_DEDUCTION_CONFIRMATION = RuleInfo(
    key="iit_deduction_confirmation",
    family="tax",
    life_event="work",
    service_code="iit_special_deduction",
    legal_basis="《个人所得税专项附加扣除操作办法（试行）》第九条（国家税务总局公告2022年第7号修订）",
    summary={
        "zh_Hans": "次年需要由单位（扣缴义务人）继续办理专项附加扣除的，应当于每年12月份对次年享受"
        "专项附加扣除的内容进行确认；未及时确认的，次年1月起暂停扣除。",
        "en": "Employees whose employer deducts special additional deductions confirm next "
        "year's deductions each December; unconfirmed deductions pause from January.",
    },
    default_leads=("window", "7", "1"),
    recurring=True,
)

RULES = (IIT_RECONCILIATION, IIT_DEDUCTION_CONFIRMATION)

# Employment facts that mean comprehensive income (wages, labour remuneration).
COMPREHENSIVE_INCOME = ("employed", "self_employed")


def iit_reconciliation(person: Person, ctx: Context) -> list[Duty]:
    """第十一条 has no age limit: the duty follows from income (employment), not age (a
    16-year-old may work, 《劳动法》第十五条)."""
    if person.deceased_on is not None or person.employment not in COMPREHENSIVE_INCOME:
        return []
    duties = []
    for year in range(ctx.today.year - 1, ctx.horizon_end.year + 1):
        start, due = date(year + 1, 3, 1), date(year + 1, 6, 30)
        if not ctx.keep_recurring(start, due):
            continue
        duties.append(
            make(
                IIT_RECONCILIATION,
                str(year),
                person.key,
                titled(
                    person, f"{year}年度个人所得税综合所得汇算", f"{year} income tax reconciliation"
                ),
                start,
                due,
                {
                    "zh_Hans": f"{year}年度综合所得汇算在{start:%Y-%m-%d}至{due:%Y-%m-%d}办理"
                    "（个人所得税App）。收入不超过12万元或补税不超过400元的可免予办理。",
                    "en": f"Reconcile {year} income between {start:%Y-%m-%d} and {due:%Y-%m-%d} "
                    "(IIT app). Not needed if income was ≤ 120,000 yuan or tax due ≤ 400 yuan.",
                },
                advisory=person.employment == "employed",
            )
        )
    return duties


def iit_deduction_confirmation(person: Person, ctx: Context) -> list[Duty]:
    """操作办法第九条: each December, for the next year. Employees only (the employer deducts);
    advisory, because it binds only those who claim deductions through their employer."""
    if person.deceased_on is not None or person.employment != "employed":
        return []
    duties = []
    for year in range(ctx.today.year - 1, ctx.horizon_end.year + 1):
        start, due = date(year, 12, 1), date(year, 12, 31)
        if not ctx.keep_recurring(start, due):
            continue
        nxt = year + 1
        duties.append(
            make(
                IIT_DEDUCTION_CONFIRMATION,
                str(nxt),
                person.key,
                titled(
                    person,
                    f"{nxt}年度个人所得税专项附加扣除确认",
                    f"Confirm {nxt} income tax deductions",
                ),
                start,
                due,
                {
                    "zh_Hans": f"请在{start:%Y-%m-%d}至{due:%Y-%m-%d}通过个人所得税App确认{nxt}年度的"
                    "子女教育、婴幼儿照护、赡养老人等专项附加扣除；未确认的，单位自"
                    f"{nxt}年1月起暂停扣除，确认后再行扣除。",
                    "en": f"Between {start:%Y-%m-%d} and {due:%Y-%m-%d}, confirm your {nxt} "
                    "deductions (children's education, infant care, elderly support…) in the "
                    f"IIT app; otherwise your employer pauses them from January {nxt} until "
                    "you confirm.",
                },
                advisory=True,
            )
        )
    return duties


PERSON_RULES = (iit_reconciliation, iit_deduction_confirmation)
