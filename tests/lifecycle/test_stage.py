from datetime import date

from lifecycle.events import CITIZEN_EVENTS, ENTERPRISE_EVENTS, EVENTS_BY_KEY
from lifecycle.stage import enterprise_stage, enterprise_timeline, infer_stage, timeline
from lifecycle.subjects import Document, Enterprise, Permit, Person

TODAY = date(2026, 3, 10)
ME = Person("self:1", "张三", "self", date(1966, 2, 3), "male", "440300", "employed",
            marital_status="married", id_card=Document(issued_on=date(2006, 6, 1)))  # fmt: skip
KIDS = [
    Person("household:2", "小明", "child", date(2020, 5, 1)),
    Person("household:3", "小红", "child", date(2026, 1, 2)),
    Person("household:4", "老张", "parent", date(1940, 1, 1), "male"),
]


def test_taxonomy():
    assert [e.key for e in CITIZEN_EVENTS] == [
        "birth", "education", "work", "marriage", "childbirth",
        "housing", "travel", "healthcare", "retirement", "death",
    ]  # fmt: skip
    assert [e.key for e in ENTERPRISE_EVENTS] == [
        "establishment", "licensing", "operation", "change", "investment", "deregistration",
    ]  # fmt: skip
    assert EVENTS_BY_KEY["childbirth"].name["zh_Hans"] == "生育"


def test_infer_stage():
    stage = infer_stage(ME, KIDS, TODAY)
    assert {"childbirth", "education", "work", "marriage", "travel", "healthcare"} <= set(
        stage.current_events
    )
    edu = next(f for f in stage.current if f.event == "education")
    assert edu.subject_name == "小明" and "2026-05-01" in edu.reason["en"]
    assert "retirement" in stage.upcoming_events  # 60y4m → 2026-06-03


def test_timeline_statuses():
    entries = timeline(ME, KIDS, TODAY)
    assert entries == sorted(entries, key=lambda e: e.on)
    school = [e for e in entries if e.subject_name == "小明" and "primary" in e.text["en"]]
    assert school[0].on == date(2026, 9, 1) and school[0].status == "future"
    assert "September 2026" in school[0].text["en"]
    assert any(e.status == "past" for e in entries)


def test_enterprise_stage_and_timeline():
    e = Enterprise("enterprise:1", "91350200MA2Y0L7Q8X", "某公司", date(2025, 11, 3),
                   permits=(Permit("food_business_license", "JY1", None, date(2026, 8, 31)),))  # fmt: skip
    stage = enterprise_stage(e, TODAY)
    assert {"establishment", "operation", "licensing"} <= set(stage.current_events)
    closed = Enterprise(
        "enterprise:2", "x", "旧公司", date(2010, 1, 1), deregistered_on=date(2026, 1, 1)
    )
    assert enterprise_stage(closed, TODAY).current_events == ("deregistration",)
    assert [t.event for t in enterprise_timeline(e, TODAY)][0] == "establishment"
