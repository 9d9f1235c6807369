import datetime as dt

import numpy as np
import pytest
from conftest import TODAY, item

from recommender.blend import BlendParams, recommend
from recommender.context import LifecycleSignal, UserContext
from recommender.rules import Rule, Segment, Targets

ITEMS = [item(f"s{i}", themes=(f"t{i % 5}",)) for i in range(10)]
MODEL = np.linspace(1.0, 0.0, 10)  # s0 best … s9 worst
P = BlendParams(diversity_cap=0)


def codes(recs):
    return [r.code for r in recs]


def ctx(**kw):
    base = dict(
        user_id="u1",
        age=34,
        gender="female",
        region_code="440100",
        life_stages_current=("childbirth",),
    )
    base.update(kw)
    return UserContext(**base)


def run(rules=(), c=None, items=ITEMS, params=P, **kw):
    return recommend(
        c or ctx(), items, TODAY, MODEL, rules, params, limit=kw.pop("limit", 10), **kw
    )


def test_model_order_without_rules():
    assert codes(run()) == [f"s{i}" for i in range(10)]


def test_pin_lands_at_its_position():
    pin = Rule("1", "pin", "pin", position=2, targets=Targets(services=("s8",)))
    assert codes(run([pin]))[1] == "s8"


def test_hide_removes_boost_moves_up_bury_moves_down():
    hide = Rule("1", "hide", "hide", targets=Targets(services=("s0",)))
    assert "s0" not in codes(run([hide]))
    boost = Rule("2", "boost", "boost", weight=0.5, targets=Targets(services=("s7",)))
    assert codes(run([boost])).index("s7") < 7
    bury = Rule("3", "bury", "bury", weight=0.5, targets=Targets(services=("s1",)))
    assert codes(run([bury])).index("s1") > 1


def test_rule_outside_validity_window_does_nothing():
    old = Rule(
        "1",
        "old",
        "pin",
        position=1,
        targets=Targets(services=("s9",)),
        valid_to=dt.date(2025, 12, 31),
    )
    future = Rule(
        "2", "new", "hide", targets=Targets(services=("s0",)), valid_from=dt.date(2026, 1, 2)
    )
    disabled = Rule("3", "off", "hide", enabled=False, targets=Targets(services=("s1",)))
    assert codes(run([old, future, disabled])) == codes(run())


def test_segment_conditions():
    rule = Rule("1", "r", "pin", position=1, targets=Targets(services=("s9",)),
                segment=Segment(age_min=30, age_max=39, region_prefix="44", life_stages=("childbirth",)))  # fmt: skip
    assert codes(run([rule]))[0] == "s9"
    assert codes(run([rule], ctx(age=50)))[0] == "s0"
    assert codes(run([rule], ctx(region_code="110000")))[0] == "s0"
    assert codes(run([rule], ctx(life_stages_current=())))[0] == "s0"
    kids = Rule(
        "2",
        "k",
        "pin",
        position=1,
        targets=Targets(services=("s9",)),
        segment=Segment(child_age_min=0, child_age_max=6),
    )
    assert codes(run([kids], ctx(child_ages=(3,))))[0] == "s9"
    assert codes(run([kids], ctx(child_ages=(10,))))[0] == "s0"


def test_eligibility_audience_and_dismissals_filter():
    items = [
        *ITEMS[:3],
        item("ent", audience="enterprise"),
        item("old", age_min=60),
        item("men", gender="male"),
    ]
    pin = Rule("1", "p", "pin", position=1, targets=Targets(services=("ent", "old", "men")))
    got = codes(recommend(ctx(dismissed={"s0"}), items, TODAY, np.ones(6), [pin], P))
    assert got == ["s1", "s2"] or set(got) == {"s1", "s2"}


def test_diversity_cap_per_theme():
    items = [item(f"a{i}", themes=("same",)) for i in range(5)] + [
        item(f"b{i}", themes=(f"o{i}",)) for i in range(5)
    ]
    got = codes(recommend(ctx(), items, TODAY, MODEL, (), BlendParams(diversity_cap=2), limit=5))
    assert got[:2] == ["a0", "a1"] and sum(c.startswith("a") for c in got) == 2


def test_lifecycle_signal_ranks_and_reason_names_source():
    sig = LifecycleSignal(1.0, {"zh_Hans": "您的孩子小明将于 2026-05-01 满 6 岁（来自家庭成员信息）",
                                "en": "your child 小明 turns 6 on 2026-05-01 (from your household data)"}, "household")  # fmt: skip
    recs = run(
        c=ctx(lifecycle_signals={"s9": sig}), params=BlendParams(w_life=2.0, diversity_cap=0)
    )
    assert recs[0].code == "s9"
    assert recs[0].reasons[0].kind == "lifecycle" and recs[0].reasons[0].source == "household"
    assert "小明" in recs[0].reasons[0].text["en"]


def test_every_recommendation_has_a_reason_naming_its_source():
    rule = Rule(
        "12",
        "promoted by 教育局 for new parents",
        "boost",
        weight=2.0,
        targets=Targets(services=("s5",)),
    )
    pop = np.linspace(0, 1, 10)
    recs = run([rule], popularity=pop, region_popularity=pop)
    assert all(
        r.reasons and all(x.source and x.text["zh_Hans"] and x.text["en"] for x in r.reasons)
        for r in recs
    )
    top = recs[0]
    assert top.code == "s5" and any(
        x.kind == "rule" and x.source == "rule:12" and "#" not in x.text["en"] for x in top.reasons
    )
    similar = [x for r in recs for x in r.reasons if x.kind == "similar_users"]
    assert "aged 30–39 in Guangzhou" in similar[0].text["en"]
    popular = [x for r in recs for x in r.reasons if x.kind == "popular"]
    assert popular and "Guangzhou" in popular[0].text["en"]


def test_personalisation_off():
    pop = np.linspace(0, 1, 10)  # s9 most popular
    general = Rule("1", "general", "boost", weight=0.1, targets=Targets(services=("s0",)))
    targeted = Rule(
        "2",
        "targeted",
        "pin",
        position=1,
        targets=Targets(services=("s3",)),
        segment=Segment(gender="female"),
    )
    sig = LifecycleSignal(1.0, {"zh_Hans": "x", "en": "x"}, "household")
    recs = run(
        [general, targeted],
        c=ctx(personalized=False, lifecycle_signals={"s4": sig}),
        popularity=pop,
    )
    assert codes(recs)[:3] == ["s9", "s8", "s7"]
    assert codes(recs)[0] != "s3"
    for r in recs:
        assert r.reasons and all("non-personalised" in x.text["en"] for x in r.reasons)
        assert all(x.kind in ("popular", "rule") for x in r.reasons)


def test_disabled_tags_not_used_for_segments_or_reasons():
    rule = Rule(
        "1",
        "r",
        "pin",
        position=1,
        targets=Targets(services=("s9",)),
        segment=Segment(age_min=30, age_max=39),
    )
    c = ctx(disabled_tags={"age:30-39", "region:440100"})
    recs = run([rule], c)
    assert recs[0].code == "s0"
    text = " ".join(x.text["en"] for r in recs for x in r.reasons)
    assert "30–39" not in text and "Guangzhou" not in text


def test_rule_from_api_dict():
    r = Rule.from_dict({"name": "n", "action": "boost", "weight": 1, "targets": {"themes": ["t1"]},
                        "segment": {"age_min": 18}, "valid_from": "2026-01-01"}, rule_id=7)  # fmt: skip
    assert r.id == "7" and r.valid_from == dt.date(2026, 1, 1) and r.targets_item(ITEMS[1])
    with pytest.raises(ValueError):
        Rule.from_dict({"name": "n", "action": "explode"}, rule_id=1)
    with pytest.raises(ValueError):
        Rule.from_dict({"name": "n", "action": "boost", "colour": "red"}, rule_id=1)


def test_cold_blend_replaces_the_life_and_popularity_weights_for_a_user_without_history():
    from recommender.cold import ColdBlend

    sig = LifecycleSignal(1.0, {"zh_Hans": "生育", "en": "childbirth"}, "profile")
    c = ctx(lifecycle_signals={"s9": sig})
    params = BlendParams(w_life=2.0, diversity_cap=0)
    assert codes(run(c=c, params=params))[0] == "s9"  # the published weights lift it
    cold = run(c=c, params=params, cold_blend=ColdBlend(0.0, 0.0, 0.0))
    assert codes(cold) == [f"s{i}" for i in range(10)]  # the cold weights: the model's order
    same = run(c=c, params=ColdBlend(2.0, 0.35, 0.4).apply(params))
    assert codes(run(c=c, params=params, cold_blend=ColdBlend(2.0, 0.35, 0.4))) == codes(same)


def test_nobody_known_is_not_told_people_like_them_use_it():
    """A person without history and without any profile fact: the ranking can only be
    popularity, so no reason says "used by people like you"; with a profile fact or with
    history it may."""
    blank = UserContext(user_id="u9")
    pop = np.linspace(0, 1, 10)
    recs = run(c=blank, popularity=pop, has_history=False)
    kinds = {x.kind for r in recs for x in r.reasons}
    assert "similar_users" not in kinds and "popular" in kinds
    assert all(r.reasons for r in recs)
    for c, history in ((blank, True), (ctx(), False)):
        kinds = {x.kind for r in run(c=c, popularity=pop, has_history=history) for x in r.reasons}
        assert "similar_users" in kinds
