"""Individual income tax on business income (经营所得) of individual businesses.

《个人所得税法》第十二条: a taxpayer with business income files and prepays within 15 days
after each month or quarter ends, and reconciles by 31 March of the next year. Individual
businesses (个体工商户, credit codes ``92…``) pay this instead of enterprise income tax.
"""

from __future__ import annotations

from datetime import date

from lifecycle.dates import next_tax_working_day_deadline
from lifecycle.identifiers import legal_form
from lifecycle.rules.base import Context, Duty, RuleInfo, make
from lifecycle.rules.enterprise import ent_title, periodic_tax
from lifecycle.subjects import Enterprise

IIT_BUSINESS_PREPAYMENT = RuleInfo(
    key="iit_business_prepayment",
    family="enterprise",
    life_event="operation",
    service_code="iit_business_income_declaration",
    legal_basis="《中华人民共和国个人所得税法》第十二条；《税收征收管理法实施细则》第一百零九条",
    summary={
        "zh_Hans": "取得经营所得的，在月度或者季度终了后十五日内报送纳税申报表并预缴税款，遇节假日按规定顺延。",
        "en": "Business income: file and prepay within 15 days after each month or quarter, "
        "postponed for holidays.",
    },
    default_leads=("window", "7", "3", "1"),
    recurring=True,
)
IIT_BUSINESS_ANNUAL = RuleInfo(
    key="iit_business_annual",
    family="enterprise",
    life_event="operation",
    service_code="iit_business_income_declaration",
    legal_basis="《中华人民共和国个人所得税法》第十二条",
    summary={
        "zh_Hans": "经营所得在取得所得的次年三月三十一日前办理汇算清缴。",
        "en": "Reconcile business income by 31 March of the next year.",
    },
    default_leads=("window", "30", "7", "1"),
    recurring=True,
)

RULES = (IIT_BUSINESS_PREPAYMENT, IIT_BUSINESS_ANNUAL)


def _is_individual_business(ent: Enterprise) -> bool:
    return legal_form(ent.credit_code).key == "individual_business"


def iit_business_prepayment(ent: Enterprise, ctx: Context) -> list[Duty]:
    if not _is_individual_business(ent):
        return []
    return periodic_tax(
        ent,
        ctx,
        IIT_BUSINESS_PREPAYMENT,
        "经营所得个人所得税预缴申报",
        "business income tax prepayment",
    )


def iit_business_annual(ent: Enterprise, ctx: Context) -> list[Duty]:
    if ent.established_on is None or not _is_individual_business(ent):
        return []
    duties = []
    for year in range(max(ent.established_on.year, ctx.today.year - 2), ctx.horizon_end.year):
        if ent.deregistered_on is not None and ent.deregistered_on < date(year, 1, 1):
            continue
        dl = next_tax_working_day_deadline(date(year + 1, 3, 31), ctx.calendars)
        start = date(year + 1, 1, 1)
        if not ctx.keep_recurring(start, dl.date):
            continue
        moved_zh = f"（3月31日为休息日，顺延至{dl.date:%m月%d日}）" if dl.date.day != 31 else ""
        moved_en = f" (31 March is a day off, so {dl.date:%d %B})" if dl.date.day != 31 else ""
        duties.append(
            make(
                IIT_BUSINESS_ANNUAL,
                str(year),
                ent.key,
                ent_title(
                    ent,
                    f"{year}年度经营所得个人所得税汇算清缴",
                    f"{year} business income tax return",
                ),
                start,
                dl.date,
                {
                    "zh_Hans": f"{year}年度经营所得应在{year + 1}年3月31日前汇算清缴{moved_zh}，"
                    f"即{dl.date:%Y-%m-%d}前（个人所得税法第十二条）。个体工商户不缴纳企业所得税。",
                    "en": f"Reconcile {year} business income by 31 March {year + 1}{moved_en}: "
                    f"by {dl.date:%Y-%m-%d} (IIT Law art. 12). Individual businesses pay no "
                    "enterprise income tax.",
                },
                provisional=dl.provisional,
            )
        )
    return duties


ENTERPRISE_RULES = (iit_business_prepayment, iit_business_annual)
