"""Household registration at birth and at death (《户口登记条例》)."""

from __future__ import annotations

from lifecycle.dates import add_months, postpone_civil
from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

NEWBORN_REGISTRATION = RuleInfo(
    key="newborn_registration",
    family="family",
    life_event="birth",
    service_code="hukou_birth_registration",
    legal_basis="《中华人民共和国户口登记条例》第七条",
    summary={
        "zh_Hans": "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向户口登记机关申报出生登记。",
        "en": "Register a baby's birth with the household registration office within one month.",
    },
    default_leads=("window", "14", "7", "1"),
)
DEATH_REGISTRATION = RuleInfo(
    key="death_registration",
    family="family",
    life_event="death",
    service_code="death_hukou_cancellation",
    legal_basis="《中华人民共和国户口登记条例》第八条",
    summary={
        "zh_Hans": "公民死亡，城市在葬前、农村在一个月以内，由户主、亲属、抚养人或者邻居申报死亡登记，注销户口。",
        "en": "After a death, report it and cancel the hukou: in towns before burial, in the "
        "countryside within one month.",
    },
    default_leads=("window", "7", "1"),
)

RULES = (NEWBORN_REGISTRATION, DEATH_REGISTRATION)


def newborn_registration(person: Person, ctx: Context) -> list[Duty]:
    if person.birth_date is None:
        return []
    birth = person.birth_date
    end = add_months(birth, 1)
    due, provisional = postpone_civil(end, ctx.calendars)
    if not ctx.keep_once(due):
        return []
    moved_zh = f"，{end:%Y-%m-%d}为休息日，顺延至{due:%Y-%m-%d}" if due != end else ""
    moved_en = f"; {end:%Y-%m-%d} is a day off, so it moves to {due:%Y-%m-%d}" if due != end else ""
    return [
        make(
            NEWBORN_REGISTRATION,
            "birth",
            person.key,
            titled(person, "出生登记", "Birth registration"),
            birth,
            due,
            {
                "zh_Hans": f"{person.name}于{birth:%Y-%m-%d}出生，出生后一个月以内申报出生登记，"
                f"期限自次日起算，至{end:%Y-%m-%d}届满（民法典第二百零一、二百零二条）{moved_zh}。",
                "en": f"{person.name} was born on {birth:%Y-%m-%d}; the one-month period starts the "
                f"next day and ends on {end:%Y-%m-%d} (Civil Code arts. 201–202){moved_en}.",
            },
            provisional=provisional,
        )
    ]


def death_registration(person: Person, ctx: Context) -> list[Duty]:
    if person.deceased_on is None:
        return []
    died = person.deceased_on
    end = add_months(died, 1)
    due, provisional = postpone_civil(end, ctx.calendars)
    if not ctx.keep_once(due):
        return []
    return [
        make(
            DEATH_REGISTRATION,
            "death",
            person.key,
            titled(person, "死亡人员户口注销", "Death registration"),
            died,
            due,
            {
                "zh_Hans": f"{person.name}于{died:%Y-%m-%d}去世。农村在一个月以内（至{due:%Y-%m-%d}）"
                "申报死亡登记；城市应在安葬前办理，可能更早。",
                "en": f"{person.name} died on {died:%Y-%m-%d}. In the countryside the death must "
                f"be registered within a month (by {due:%Y-%m-%d}); in towns before burial.",
            },
            provisional=provisional,
        )
    ]


PERSON_RULES = (newborn_registration,)
