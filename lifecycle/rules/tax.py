"""Individual income tax annual reconciliation (《个人所得税法》第十一条)."""

from __future__ import annotations

from datetime import date

from lifecycle.dates import age_on
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

RULES = (IIT_RECONCILIATION,)


def iit_reconciliation(person: Person, ctx: Context) -> list[Duty]:
    if person.birth_date is None or person.deceased_on is not None:
        return []
    if person.employment not in ("employed", "self_employed"):
        return []
    duties = []
    for year in range(ctx.today.year - 1, ctx.horizon_end.year + 1):
        start, due = date(year + 1, 3, 1), date(year + 1, 6, 30)
        if age_on(person.birth_date, date(year, 12, 31)) < 18:
            continue
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


PERSON_RULES = (iit_reconciliation,)
