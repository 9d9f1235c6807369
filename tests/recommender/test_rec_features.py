import numpy as np

from recommender.context import UserContext
from recommender.dataset import FeatureTable, Interactions, build_dataset
from recommender.features import citizen_tags, enterprise_tags, item_features


def test_citizen_tags_have_words_and_sources():
    tags = citizen_tags(34, "female", "440100", ["childbirth"], [0, 7], "employed", True)
    keys = [t.key for t in tags]
    assert keys[:4] == ["age:30-39", "gender:female", "region:440100", "region_prov:44"]
    assert {"stage:childbirth", "child:0-6", "child:7-12", "employment:employed"} <= set(keys)
    by_key = {t.key: t for t in tags}
    assert by_key["age:30-39"].source == "profile.birth_date"
    assert by_key["child:0-6"].source == "household"
    assert by_key["region:440100"].text["zh_Hans"] == "地区：广州市"
    assert all(set(t.text) >= {"zh_Hans", "en"} for t in tags)


def test_enterprise_tags_and_item_features():
    keys = [t.key for t in enterprise_tags("catering", "small", 1, "310000")]
    assert keys == [
        "industry:catering",
        "size:small",
        "ent_age:1-2",
        "region:310000",
        "region_prov:31",
    ]
    assert item_features("tax_bureau", ["tax"], ["work"], "citizen", 4) == [
        "dept:tax_bureau",
        "theme:tax",
        "life_event:work",
        "audience:citizen",
        "online:4",
    ]


def test_disabled_tags_are_left_out_of_features():
    ctx = UserContext(age=34, gender="female", region_code="440100", disabled_tags={"age:30-39"})
    assert "age:30-39" not in ctx.feature_keys()
    assert ctx.effective().age is None
    assert "age:30-39" in [t.key for t in ctx.all_tags()]


def test_dataset_weights_dismissals_and_mappings():
    inter = Interactions.from_kinds(
        ["a", "a", "a", "b", "b", "b"],
        ["x", "x", "y", "x", "z", "z"],
        ["view", "complete", "impression", "apply", "view", "dismiss"],
    )
    uf = FeatureTable(["a", "b"], ["age:30-39", "age:60-69"])
    itf = FeatureTable(["x", "y", "z", "w"], ["theme:a"] * 4)
    ds = build_dataset(inter, uf, itf)
    assert ds.users.ids == ["a", "b"] and ds.items.ids == ["w", "x", "y", "z"]
    w = ds.weights.toarray()
    assert w[0].tolist() == [0, 4, 0, 0]  # strongest kind wins, impressions ignored
    assert w[1].tolist() == [0, 3, 0, 0]  # dismissed pair is no positive
    assert ds.dismissed.toarray()[1, 3] == 1
    assert ds.user_vocab.ids[:2] == ["user:a", "user:b"]
    np.testing.assert_allclose(ds.user_features.sum(axis=1), 1.0, rtol=1e-6)
    assert ds.item_features.shape == (4, 4 + 1)


def test_enterprise_segment_is_described_without_codes():
    from recommender.features import segment_words

    words = segment_words(["industry:catering", "size:small", "region:440100"])
    assert words == {
        "zh_Hans": "广州市餐饮业小型企业",
        "en": "small catering enterprises in Guangzhou",
    }
