"""An enterprise's stage (establishment, operation, licensing, deregistration) and timeline."""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.dates import add_years
from lifecycle.events import EVENTS_BY_KEY
from lifecycle.stage.facts import Stage, StageFact, TimelineEntry, fact, order, status
from lifecycle.subjects import Enterprise


def enterprise_stage(ent: Enterprise, today: date) -> Stage:
    current: list[StageFact] = []
    upcoming: list[StageFact] = []
    if ent.deregistered_on is not None and ent.deregistered_on <= today:
        current.append(
            fact(
                "deregistration",
                ent,
                ent.deregistered_on,
                f"{ent.name}已于{ent.deregistered_on}注销",
                f"{ent.name} was deregistered on {ent.deregistered_on}",
            )
        )
        return Stage(order(current), ())
    est = ent.established_on
    if est is None or est > today:
        target = current if est is None else upcoming
        target.append(
            fact("establishment", ent, est, f"{ent.name}正在开办", f"{ent.name} is being set up")
        )
        return Stage(order(current), order(upcoming))
    if est >= add_years(today, -1):
        current.append(
            fact(
                "establishment",
                ent,
                est,
                f"{ent.name}于{est}设立",
                f"{ent.name} was established on {est}",
            )
        )
    current.append(
        fact(
            "operation",
            ent,
            est,
            f"{ent.name}正在经营：纳税申报、年度报告",
            f"{ent.name} is operating: tax returns, annual report",
        )
    )
    for p in ent.permits:
        if p.expires_on is None:
            continue
        if today - timedelta(days=365) <= p.expires_on <= add_years(today, 1):
            current.append(
                fact(
                    "licensing",
                    ent,
                    p.expires_on,
                    f"许可证{p.number}于{p.expires_on}到期",
                    f"Permit {p.number} expires on {p.expires_on}",
                )
            )
        elif add_years(today, 1) < p.expires_on <= add_years(today, 2):
            upcoming.append(
                fact(
                    "licensing",
                    ent,
                    p.expires_on,
                    f"许可证{p.number}于{p.expires_on}到期",
                    f"Permit {p.number} expires on {p.expires_on}",
                )
            )
    if not ent.permits and est >= add_years(today, -1):
        current.append(
            fact(
                "licensing",
                ent,
                None,
                "新设企业可能需要申领行业许可",
                "A new business may need sector permits",
            )
        )
    if ent.deregistered_on is not None:
        upcoming.append(
            fact(
                "deregistration",
                ent,
                ent.deregistered_on,
                f"{ent.name}计划于{ent.deregistered_on}注销",
                f"{ent.name} plans to close on {ent.deregistered_on}",
            )
        )
    return Stage(order(current), order(upcoming))


def enterprise_timeline(ent: Enterprise, today: date) -> list[TimelineEntry]:
    out: list[TimelineEntry] = []

    def add(on: date, event: str, zh: str, en: str) -> None:
        out.append(
            TimelineEntry(
                on, event, ent.key, ent.name, {"zh_Hans": zh, "en": en}, status(on, today)
            )
        )

    est = ent.established_on
    if est:
        add(est, "establishment", f"{ent.name}设立登记（{est}）", f"{ent.name} registered ({est})")
        first = date(est.year + 1, 6, 30)
        add(
            first, "operation", f"首次年度报告截止（{first}）", f"First annual report due ({first})"
        )
    for p in ent.permits:
        if p.issued_on:
            add(p.issued_on, "licensing", f"取得许可证{p.number}", f"Permit {p.number} issued")
        if p.expires_on:
            add(
                p.expires_on,
                "licensing",
                f"许可证{p.number}到期（{p.expires_on}）",
                f"Permit {p.number} expires ({p.expires_on})",
            )
    if ent.deregistered_on:
        add(
            ent.deregistered_on,
            "deregistration",
            f"{ent.name}注销（{ent.deregistered_on}）",
            f"{ent.name} deregistered ({ent.deregistered_on})",
        )
    return sorted(out, key=lambda e: (e.on, EVENTS_BY_KEY[e.event].position))
