"""Dated parameters of the entitlement rules: every figure with its period and its source.

A value is in force from ``start`` to ``end`` (inclusive), so a year's amount is right for
that year. National figures live here; local ones (高龄津贴) are a region table the
admin edits (``EntitlementParams.elderly_allowance``; see docs/entitlements.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from lifecycle.entitlements.base import Dated

__all__ = ["EntitlementParams", "ElderlyAllowanceBand", "DEFAULT_ENTITLEMENT_PARAMS"]

GF_2018_41 = "《个人所得税专项附加扣除暂行办法》（国发〔2018〕41号）"
GF_2022_8 = "《国务院关于设立3岁以下婴幼儿照护个人所得税专项附加扣除的通知》（国发〔2022〕8号）"
GF_2023_13 = "《国务院关于提高个人所得税有关专项附加扣除标准的通知》（国发〔2023〕13号）"
CHILDCARE_2025 = "《育儿补贴制度实施方案》（中共中央办公厅 国务院办公厅，2025年7月）"
GF_2014_8 = "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）第八条"
ELDERLY_LAW = "《中华人民共和国老年人权益保障法》第三十三条"
ANN_2023_12 = "财政部 税务总局公告2023年第12号"
ANN_2023_19 = "财政部 税务总局公告2023年第19号"
RELIEF_END = date(2027, 12, 31)

# 3岁以下婴幼儿照护: from 2022-01-01 (国发〔2022〕8号 第一条), raised from 2023-01-01.
INFANT_CARE = (
    Dated(1000, date(2022, 1, 1), date(2022, 12, 31), f"{GF_2022_8}第一条"),
    Dated(2000, date(2023, 1, 1), None, f"{GF_2023_13}第一条"),
)
# 子女教育: 国发〔2018〕41号 第五条 (1,000 from 2019-01-01), raised from 2023-01-01.
CHILD_EDUCATION = (
    Dated(1000, date(2019, 1, 1), date(2022, 12, 31), f"{GF_2018_41}第五条"),
    Dated(2000, date(2023, 1, 1), None, f"{GF_2023_13}第二条"),
)
# 赡养老人: (only child, sibling cap) — 第二十三条; raised from 2023-01-01.
ELDERLY_SUPPORT = (
    Dated((2000, 1000), date(2019, 1, 1), date(2022, 12, 31), f"{GF_2018_41}第二十三条"),
    Dated((3000, 1500), date(2023, 1, 1), None, f"{GF_2023_13}第三条"),
)
# 住房贷款利息: 1,000 a month, at most 240 months (第十四条).
HOUSING_LOAN = (Dated(1000, date(2019, 1, 1), None, f"{GF_2018_41}第十四条"),)
# 住房租金 by city tier (第十七条): 直辖市、省会（首府）城市、计划单列市及国务院确定的
# 其他城市 1,500; other cities whose districts have over 1 million registered residents
# 1,100; the rest 800 (unchanged by 国发〔2023〕13号).
HOUSING_RENT = (
    Dated(
        MappingProxyType({"tier1": 1500, "tier2": 1100, "tier3": 800}),
        date(2019, 1, 1),
        None,
        f"{GF_2018_41}第十七条",
    ),
)
# 继续教育: degree 400 a month (max 48 months); certificate 3,600 in the year (第八条).
CONTINUING_EDUCATION = (Dated((400, 3600), date(2019, 1, 1), None, f"{GF_2018_41}第八条"),)
# 大病医疗: self-paid beyond 15,000, up to 80,000 a year (第十一条).
SERIOUS_ILLNESS = (Dated((15000, 80000), date(2019, 1, 1), None, f"{GF_2018_41}第十一条"),)
# 育儿补贴: 3,600 a year per child under 3, from 2025-01-01.
CHILDCARE_SUBSIDY = (Dated(3600, date(2025, 1, 1), None, CHILDCARE_2025),)
# 综合所得 annual brackets (《个人所得税法》附表一): upper bound → marginal rate %.
IIT_BRACKETS = {
    "b36k": 3,
    "b144k": 10,
    "b300k": 20,
    "b420k": 25,
    "b660k": 30,
    "b960k": 35,
    "over960k": 45,
}
# 经营所得 brackets (附表二): (upper bound or None, rate %, quick deduction).
BUSINESS_BRACKETS = (
    (30000, 5, 0),
    (90000, 10, 1500),
    (300000, 20, 10500),
    (500000, 30, 40500),
    (None, 35, 65500),
)
# Enterprise reliefs, each to 2027-12-31.
VAT_SMALL_SCALE = (Dated(100000, date(2023, 1, 1), RELIEF_END, f"{ANN_2023_19}第一条"),)
SIX_TAXES_TWO_FEES = (Dated(50, date(2023, 1, 1), RELIEF_END, f"{ANN_2023_12}第一条"),)
# 小型微利企业: 减按25%计算应纳税所得额，按20%税率 (effective 5 %, 第二条); the
# thresholds (第五条): 年应纳税所得额 ≤ 300万元, 从业人数 ≤ 300, 资产总额 ≤ 5000万元.
SMALL_LOW_PROFIT = (
    Dated(
        MappingProxyType({"income": 3_000_000, "headcount": 300, "assets": 50_000_000, "rate": 5}),
        date(2023, 1, 1),
        RELIEF_END,
        f"{ANN_2023_12}第二条、第五条",
    ),
)
# 个体工商户 经营所得: the part up to 2,000,000 halved.
INDIVIDUAL_BUSINESS_HALVING = (
    Dated(2_000_000, date(2023, 1, 1), RELIEF_END, f"{ANN_2023_12}第三条"),
)


@dataclass(frozen=True)
class ElderlyAllowanceBand:
    """From ``age_min`` (inclusive) a monthly 高龄津贴 of ``monthly`` yuan."""

    age_min: int
    monthly: int


@dataclass(frozen=True)
class EntitlementParams:
    # 高龄津贴 by GB/T 2260 region prefix (longest prefix wins): dated bands, each with
    # the local document it comes from. No national default: an unknown region is said
    # to be unknown, never guessed. *local, edited in /admin*
    elderly_allowance: Mapping[str, tuple[Dated[tuple[ElderlyAllowanceBand, ...]], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


DEFAULT_ENTITLEMENT_PARAMS = EntitlementParams()
