"""The life-event taxonomy: 10 citizen events and 6 enterprise stages (the key authority)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LifeEvent", "CITIZEN_EVENTS", "ENTERPRISE_EVENTS", "EVENTS", "EVENTS_BY_KEY"]


@dataclass(frozen=True)
class LifeEvent:
    key: str
    audience: str  # "citizen" | "enterprise"
    position: int
    name: dict[str, str] = field(hash=False, compare=False)
    description: dict[str, str] = field(hash=False, compare=False)


def _ev(audience: str, pos: int, key: str, zh: str, en: str, dzh: str, den: str) -> LifeEvent:
    return LifeEvent(key, audience, pos, {"zh_Hans": zh, "en": en}, {"zh_Hans": dzh, "en": den})


CITIZEN_EVENTS: tuple[LifeEvent, ...] = tuple(
    _ev("citizen", i, *row)
    for i, row in enumerate(
        [
            (
                "birth",
                "出生",
                "Birth",
                "出生医学证明、出生登记、预防接种证、参保登记",
                "Birth certificate, household registration, vaccination record, insurance enrolment",
            ),
            (
                "education",
                "上学",
                "Education",
                "入学登记、学籍、学生资助",
                "School enrolment, student records, student aid",
            ),
            (
                "work",
                "就业创业",
                "Work and business",
                "求职登记、社会保险、个人所得税、创业扶持",
                "Job seeking, social insurance, income tax, start-up support",
            ),
            (
                "marriage",
                "婚姻",
                "Marriage",
                "结婚登记、离婚登记、婚前检查",
                "Marriage and divorce registration, premarital check-up",
            ),
            (
                "childbirth",
                "生育",
                "Having a child",
                "生育登记、生育津贴、产假、育儿补贴",
                "Birth registration, maternity allowance, leave, childcare subsidy",
            ),
            (
                "housing",
                "居住",
                "Housing",
                "居住证、户口迁移、公积金、不动产登记",
                "Residence permit, hukou transfer, housing fund, property registration",
            ),
            (
                "travel",
                "出行",
                "Travel, documents and vehicles",
                "身份证、驾驶证、护照与通行证、机动车",
                "ID card, driving licence, passport and permits, vehicles",
            ),
            (
                "healthcare",
                "就医",
                "Healthcare",
                "医保参保缴费、异地就医备案、医疗费用报销",
                "Medical insurance, treatment in another city, reimbursement",
            ),
            (
                "retirement",
                "养老退休",
                "Retirement",
                "退休申领养老金、养老服务、高龄津贴",
                "Pension claim, elderly care, old-age allowance",
            ),
            (
                "death",
                "身后",
                "After a death",
                "死亡证明、户口注销、丧葬补助、遗产与保险",
                "Death certificate, hukou cancellation, funeral grant, estate and insurance",
            ),
        ]
    )
)

ENTERPRISE_EVENTS: tuple[LifeEvent, ...] = tuple(
    _ev("enterprise", i, *row)
    for i, row in enumerate(
        [
            (
                "establishment",
                "开办",
                "Starting a business",
                "设立登记、刻章、发票、社保与公积金开户",
                "Registration, seals, invoices, social insurance accounts",
            ),
            (
                "licensing",
                "准营",
                "Licences and permits",
                "行业许可证申领与延续",
                "Sector licences and their renewal",
            ),
            (
                "operation",
                "经营",
                "Running the business",
                "纳税申报、社会保险、年度报告",
                "Tax declarations, social insurance, annual report",
            ),
            (
                "change",
                "变更",
                "Changes",
                "名称、地址、股东、经营范围等变更登记",
                "Changes of name, address, shareholders, business scope",
            ),
            (
                "investment",
                "投资建设",
                "Investment and construction",
                "项目备案、用地、规划与施工许可",
                "Project filing, land use, planning and construction permits",
            ),
            (
                "deregistration",
                "注销",
                "Closing down",
                "清算、税务注销、注销登记",
                "Liquidation, tax deregistration, deregistration",
            ),
        ]
    )
)

EVENTS: tuple[LifeEvent, ...] = CITIZEN_EVENTS + ENTERPRISE_EVENTS
EVENTS_BY_KEY: dict[str, LifeEvent] = {e.key: e for e in EVENTS}
