"""Enterprise duties: annual report, VAT, EIT prepayment and annual, permit renewal."""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.dates import (
    Deadline,
    next_tax_working_day_deadline,
    subtract_working_days,
    tax_deadline,
)
from lifecycle.identifiers import legal_form
from lifecycle.params import PermitLead, lookup_prefix
from lifecycle.rules.base import Context, Duty, RuleInfo, make
from lifecycle.subjects import Enterprise

ANNUAL_REPORT = RuleInfo(
    key="annual_report",
    family="enterprise",
    life_event="operation",
    service_code="enterprise_annual_report",
    legal_basis="《企业信息公示暂行条例》第八条",
    summary={
        "zh_Hans": "企业每年1月1日至6月30日报送并公示上一年度年度报告；当年设立登记的企业自下一年起报送。",
        "en": "Each year from 1 January to 30 June an enterprise files and publishes its report "
        "for the previous year, starting the year after it was registered.",
    },
    default_leads=("window", "30", "7", "1"),
    recurring=True,
)
VAT_DECLARATION = RuleInfo(
    key="vat_declaration",
    family="enterprise",
    life_event="operation",
    service_code="vat_declaration",
    legal_basis="《中华人民共和国增值税法》；《税收征收管理法实施细则》第一百零九条",
    summary={
        "zh_Hans": "按月或按季申报增值税，期满之日起15日内申报，遇节假日按规定顺延。",
        "en": "Declare VAT within 15 days after each month or quarter, postponed for holidays.",
    },
    default_leads=("window", "7", "3", "1"),
    recurring=True,
)
EIT_PREPAYMENT = RuleInfo(
    key="eit_prepayment",
    family="enterprise",
    life_event="operation",
    service_code="eit_prepayment",
    legal_basis="《中华人民共和国企业所得税法》第五十四条；《税收征收管理法实施细则》第一百零九条",
    summary={
        "zh_Hans": "企业所得税按月或按季预缴，期满之日起15日内申报预缴。",
        "en": "Prepay enterprise income tax within 15 days after each month or quarter.",
    },
    default_leads=("window", "7", "3", "1"),
    recurring=True,
)
EIT_ANNUAL = RuleInfo(
    key="eit_annual",
    family="enterprise",
    life_event="operation",
    service_code="eit_annual_reconciliation",
    legal_basis="《中华人民共和国企业所得税法》第五十四条",
    summary={
        "zh_Hans": "年度终了之日起五个月内（5月31日前）报送年度纳税申报表，汇算清缴。",
        "en": "File the annual enterprise income tax return within five months after the "
        "year ends (by 31 May).",
    },
    default_leads=("window", "30", "7", "1"),
    recurring=True,
)
PERMIT_RENEWAL = RuleInfo(
    key="permit_renewal",
    family="enterprise",
    life_event="licensing",
    service_code="food_business_license_renewal",
    legal_basis="《食品经营许可和备案管理办法》第三十二条",
    summary={
        "zh_Hans": "许可证有效期届满前，在规定期间内申请延续。",
        "en": "Apply to renew a permit in the set period before it expires.",
    },
    default_leads=("window", "30", "7"),
)

RULES = (ANNUAL_REPORT, VAT_DECLARATION, EIT_PREPAYMENT, EIT_ANNUAL, PERMIT_RENEWAL)

PERMIT_NAMES = {"food_business_license": ("食品经营许可证", "food business licence")}


# 《企业信息公示暂行条例》 binds enterprises; individual businesses and farmers' cooperatives
# report in the same window under their own measures.
ANNUAL_REPORT_BASIS = {
    "enterprise": "《企业信息公示暂行条例》第八条",
    "individual_business": "《个体工商户年度报告暂行办法》",
    "farmers_cooperative": "《农民专业合作社年度报告公示暂行办法》",
}


def ent_title(ent: Enterprise, zh: str, en: str) -> dict[str, str]:
    return {"zh_Hans": f"{ent.name}：{zh}", "en": f"{en} — {ent.name}"}


def annual_report(ent: Enterprise, ctx: Context) -> list[Duty]:
    """Market entities (credit code authority 9) report yearly, 1 January – 30 June."""
    form = legal_form(ent.credit_code)
    if ent.established_on is None or not form.market_entity:
        return []
    duties = []
    for year in range(max(ent.established_on.year, ctx.today.year - 2), ctx.horizon_end.year):
        start, due = date(year + 1, 1, 1), date(year + 1, 6, 30)
        if ent.deregistered_on is not None and ent.deregistered_on < start:
            continue
        if not ctx.keep_recurring(start, due):
            continue
        duties.append(
            make(
                ANNUAL_REPORT,
                str(year),
                ent.key,
                ent_title(ent, f"{year}年度报告公示", f"{year} annual report"),
                start,
                due,
                {
                    "zh_Hans": f"{year}年度报告应于{start:%Y-%m-%d}至{due:%Y-%m-%d}通过国家企业信用信息"
                    f"公示系统报送并公示（企业于{ent.established_on:%Y-%m-%d}设立，自次年起报送）。",
                    "en": f"The {year} annual report is due between {start:%Y-%m-%d} and "
                    f"{due:%Y-%m-%d} on the national enterprise credit system (registered "
                    f"{ent.established_on:%Y-%m-%d}; reports start the following year).",
                },
                legal_basis=ANNUAL_REPORT_BASIS.get(form.key),
            )
        )
    return duties


def _deadline_words(dl: Deadline, year: int, month: int) -> tuple[str, str]:
    if dl.overridden:
        return "按税务机关公布的征期日历", "as published in the tax authority's calendar"
    nominal = date(year, month, 15)
    if dl.date == nominal:
        return "为当月15日", "the 15th"
    return (
        f"当月15日因节假日顺延至{dl.date:%m月%d日}（实施细则第一百零九条）",
        f"the 15th, postponed to {dl.date:%d %B} for days off (Implementing Rules art. 109)",
    )


def periodic_tax(ent: Enterprise, ctx: Context, info: RuleInfo, zh: str, en: str) -> list[Duty]:
    """A declaration within 15 days after each month (or quarter) ends, from the
    registration month, by 《税收征收管理法实施细则》第一百零九条 (``tax_deadline``)."""
    if ent.established_on is None:
        return []
    quarterly = ent.taxpayer_period == "quarterly"
    duties = []
    # Filing months from last month to the horizon's end.
    first = date(ctx.today.year, ctx.today.month, 1) - timedelta(days=1)
    y, m = first.year, first.month
    while date(y, m, 1) <= ctx.horizon_end:
        # The period is the previous month (or quarter) of the filing month y-m.
        py, pm = (y, m - 1) if m > 1 else (y - 1, 12)
        is_filing = not quarterly or m in (1, 4, 7, 10)
        period_start = date(py, pm - 2, 1) if quarterly and is_filing else date(py, pm, 1)
        est = date(ent.established_on.year, ent.established_on.month, 1)
        active = date(py, pm, 1) >= est  # the enterprise existed during the period
        if ent.deregistered_on is not None and period_start > ent.deregistered_on:
            active = False
        if is_filing and active:
            dl = tax_deadline(y, m, 15, ctx.params.tax_overrides, ctx.calendars)
            start = date(y, m, 1)
            if ctx.keep_recurring(start, dl.date):
                occ = f"{py}-Q{(pm - 1) // 3 + 1}" if quarterly else f"{py}-{pm:02d}"
                pzh = f"{py}年第{(pm - 1) // 3 + 1}季度" if quarterly else f"{py}年{pm}月"
                pen = (
                    f"Q{(pm - 1) // 3 + 1} {py}" if quarterly else date(py, pm, 1).strftime("%B %Y")
                )
                wzh, wen = _deadline_words(dl, y, m)
                duties.append(
                    make(
                        info,
                        occ,
                        ent.key,
                        ent_title(ent, f"{pzh}{zh}", f"{en}, {pen}"),
                        start,
                        dl.date,
                        {
                            "zh_Hans": f"{pzh}{zh}的申报期限{wzh}，即{dl.date:%Y-%m-%d}。",
                            "en": f"The {en} for {pen} is due {wen}: {dl.date:%Y-%m-%d}.",
                        },
                        provisional=dl.provisional,
                    )
                )
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return duties


def vat_declaration(ent: Enterprise, ctx: Context) -> list[Duty]:
    return periodic_tax(ent, ctx, VAT_DECLARATION, "增值税申报", "VAT declaration")


def eit_prepayment(ent: Enterprise, ctx: Context) -> list[Duty]:
    """Enterprise income tax payers only: not individual businesses (个体工商户), whose owner
    pays individual income tax on business income (lifecycle.rules.business_tax)."""
    if not legal_form(ent.credit_code).pays_eit:
        return []
    return periodic_tax(ent, ctx, EIT_PREPAYMENT, "企业所得税预缴申报", "income tax prepayment")


def eit_annual(ent: Enterprise, ctx: Context) -> list[Duty]:
    if ent.established_on is None or not legal_form(ent.credit_code).pays_eit:
        return []
    duties = []
    for year in range(max(ent.established_on.year, ctx.today.year - 2), ctx.horizon_end.year):
        if ent.deregistered_on is not None and ent.deregistered_on < date(year + 1, 1, 1):
            continue
        dl = next_tax_working_day_deadline(date(year + 1, 5, 31), ctx.calendars)
        start = date(year + 1, 1, 1)
        if not ctx.keep_recurring(start, dl.date):
            continue
        moved_zh = f"，5月31日为休息日，顺延至{dl.date:%m月%d日}" if dl.date.day != 31 else ""
        moved_en = f"; 31 May is a day off, so {dl.date:%d %B}" if dl.date.day != 31 else ""
        duties.append(
            make(
                EIT_ANNUAL,
                str(year),
                ent.key,
                ent_title(ent, f"{year}年度企业所得税汇算清缴", f"{year} income tax annual return"),
                start,
                dl.date,
                {
                    "zh_Hans": f"{year}年度企业所得税应在年度终了之日起五个月内汇算清缴{moved_zh}，"
                    f"即{dl.date:%Y-%m-%d}前。",
                    "en": f"The {year} annual return is due within five months after the year "
                    f"ends{moved_en}: by {dl.date:%Y-%m-%d}.",
                },
                provisional=dl.provisional,
            )
        )
    return duties


def _lead(ctx: Context, kind: str) -> PermitLead:
    leads = ctx.params.permit_leads
    return leads[kind] if kind in leads else lookup_prefix(leads, "")


def permit_renewal(ent: Enterprise, ctx: Context) -> list[Duty]:
    duties = []
    for permit in ent.permits:
        if permit.expires_on is None:
            continue
        if ent.deregistered_on is not None and ent.deregistered_on < permit.expires_on:
            continue
        lead = _lead(ctx, permit.kind)
        exp = permit.expires_on
        if lead.working_days:
            start, p1 = subtract_working_days(exp, lead.opens_before, ctx.calendars)
            due, p2 = subtract_working_days(exp, lead.due_before, ctx.calendars)
            unit_zh, unit_en = "个工作日", "working days"
        else:
            start, due = (
                exp - timedelta(days=lead.opens_before),
                exp - timedelta(days=lead.due_before),
            )
            p1 = p2 = False
            unit_zh, unit_en = "日", "days"
        if not ctx.keep_once(due):
            continue
        pzh, pen = PERMIT_NAMES.get(permit.kind, (permit.kind, permit.kind.replace("_", " ")))
        duties.append(
            make(
                PERMIT_RENEWAL,
                f"{permit.kind}:{permit.number}:{exp:%Y-%m-%d}",
                ent.key,
                ent_title(ent, f"{pzh}延续（{permit.number}）", f"Renew {pen} {permit.number}"),
                start,
                due,
                {
                    "zh_Hans": f"{pzh}（{permit.number}）有效期至{exp:%Y-%m-%d}，应在届满前"
                    f"{lead.opens_before}至{lead.due_before}{unit_zh}之间申请延续，"
                    f"即{start:%Y-%m-%d}至{due:%Y-%m-%d}。",
                    "en": f"The {pen} {permit.number} expires on {exp:%Y-%m-%d}; apply to renew "
                    f"between {lead.opens_before} and {lead.due_before} {unit_en} before, "
                    f"i.e. {start:%Y-%m-%d} – {due:%Y-%m-%d}.",
                },
                provisional=p1 or p2,
                service_code=f"{permit.kind}_renewal",
                legal_basis=lead.legal_basis or None,
            )
        )
    return duties


ENTERPRISE_RULES = (annual_report, vat_declaration, eit_prepayment, eit_annual, permit_renewal)
