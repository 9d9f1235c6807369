"""Catalog search: colloquial names, pinyin and initials, 简/繁 mixing, ranking, recall."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lifecycle.catalog import load_catalog
from lifecycle.catalog.search import (
    SearchDocument,
    SearchHit,
    SearchIndex,
    documents_from_catalog,
    fold,
)
from lifecycle.catalog.search_eval import QueryCase, load_cases, recall_at_k

QUERIES = Path(__file__).with_name("search_queries.yaml")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def index(catalog) -> SearchIndex:
    return SearchIndex(documents_from_catalog(catalog))


def _codes(index: SearchIndex, query: str, limit: int = 5, **kwargs) -> list[str]:
    return [hit.code for hit in index.search(query, limit=limit, **kwargs)]


# --------------------------------------------------------------------------- the query set


def test_query_set_is_large_and_names_real_services(catalog) -> None:
    cases = load_cases(QUERIES)
    assert len(cases) >= 60
    assert len({c.query for c in cases}) == len(cases)
    for case in cases:
        for code in case.expect:
            assert code in catalog.services, (case.query, code)


def test_recall_at_5_on_real_world_queries_is_at_least_095(index: SearchIndex) -> None:
    report = recall_at_k(index, load_cases(QUERIES), k=5)
    misses = [(r.case.query, r.missed, r.results) for r in report.misses]
    assert report.recall >= 0.95, misses


def test_recall_report_counts_pairs_and_ranks() -> None:
    docs = [
        SearchDocument(code="a", names=("护照",)),
        SearchDocument(code="b", names=("驾照",)),
    ]
    report = recall_at_k(
        SearchIndex(docs),
        [QueryCase("护照", ("a",)), QueryCase("驾照", ("a", "b"))],
        k=5,
    )
    assert (report.found, report.expected) == (2, 3)
    assert report.recall == pytest.approx(2 / 3)
    assert [r.missed for r in report.misses] == [("a",)]
    assert report.mrr == pytest.approx(1.0)


# --------------------------------------------------------------------------- how people ask


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("驾照", "driver_license_application"),
        ("个税", "iit_annual_reconciliation"),
        ("领证", "marriage_registration"),
        ("身份证过期", "id_card_renewal"),
        ("上户口", "hukou_birth_registration"),
        ("办护照", "passport_application"),
        ("注销公司", "enterprise_deregistration"),
    ],
)
def test_everyday_words_find_the_service_first(index, query, expected) -> None:
    assert _codes(index, query)[0] == expected


def test_pinyin_initials_find_the_id_card(index) -> None:
    hits = index.search("sfz", limit=4)
    assert {h.code for h in hits} == {
        "id_card_first_application",
        "id_card_renewal",
        "id_card_reissue",
        "temporary_id_card",
    }
    assert all(h.matched == "initials" for h in hits)


def test_full_pinyin_finds_social_insurance_services(index) -> None:
    hits = index.search("shebao", limit=5)
    assert "social_security_card_application" in [h.code for h in hits]
    assert all(h.matched == "pinyin" and "社保" in h.matched_text for h in hits)
    # spaces between syllables change nothing
    assert _codes(index, "shen fen zheng", limit=4) == _codes(index, "shenfenzheng", limit=4)


def test_traditional_simplified_and_mixed_input_find_the_same(index) -> None:
    simplified = _codes(index, "身份证换领")
    assert simplified[0] == "id_card_renewal"
    assert _codes(index, "身份證換領") == simplified
    assert _codes(index, "身份證换领") == simplified


def test_questions_around_the_words_still_find_it(index) -> None:
    assert _codes(index, "身份证到期了怎么办")[0] == "id_card_renewal"
    assert _codes(index, "我想办护照")[0] == "passport_application"
    assert _codes(index, "护照快过期了")[0] == "passport_renewal"


def test_reordered_words_match_by_pieces(index) -> None:
    hit = index.search("换领身份证", limit=1)[0]
    assert hit.code == "id_card_renewal"
    assert hit.matched == "pieces"


def test_english_words_match_at_word_starts_and_both_spellings(index) -> None:
    assert _codes(index, "passport")[0] == "passport_application"
    assert "driver_license_renewal" in _codes(index, "driver's license renewal", limit=3)
    # "id" matches the ID card, not every word that contains the letters
    assert all("id_card" in code for code in _codes(index, "id", limit=4))


def test_full_width_and_case_are_folded() -> None:
    assert fold("ＳＦＺ") == "sfz"
    assert fold("身份證") == "身份证"


def test_empty_and_punctuation_only_queries_find_nothing(index) -> None:
    assert index.search("") == ()
    assert index.search("  ，。  ") == ()


def test_unrelated_query_finds_nothing(index) -> None:
    assert index.search("xylophone quartet") == ()


# --------------------------------------------------------------------------- ranking


def test_use_reorders_equally_relevant_services() -> None:
    docs = [
        SearchDocument(code="print", names=("住房公积金缴存证明打印",), aliases=("公积金证明",)),
        SearchDocument(code="withdraw", names=("住房公积金提取",), aliases=("公积金提取",)),
    ]
    index = SearchIndex(docs)
    assert [h.code for h in index.search("公积金")][0] == "print"
    ranked = index.search("公积金", popularity={"withdraw": 500, "print": 3})
    assert [h.code for h in ranked] == ["withdraw", "print"]


def test_use_never_lifts_a_description_match_over_a_name_match() -> None:
    docs = [
        SearchDocument(code="licence", names=("机动车驾驶证申领",), aliases=("驾照",)),
        SearchDocument(code="fine", names=("交通违法处理",), descriptions=("驾照记分的处理。",)),
    ]
    hits = SearchIndex(docs).search("驾照", popularity={"fine": 1_000_000, "licence": 1})
    assert [h.code for h in hits] == ["licence", "fine"]
    assert hits[1].matched == "description"


def test_only_restricts_the_candidates(index) -> None:
    codes = _codes(index, "驾照", only={"driver_license_renewal", "passport_renewal"})
    assert codes == ["driver_license_renewal"]


def test_hits_are_frozen_and_carry_what_matched(index) -> None:
    hit = index.search("驾照", limit=1)[0]
    assert isinstance(hit, SearchHit)
    assert (hit.matched, hit.matched_text, hit.matched_alias) == ("alias", "驾照", True)
    by_name = index.search("居民身份证换领", limit=1)[0]
    assert by_name.matched == "name" and not by_name.matched_alias
    by_initials = index.search("jsz", limit=1)[0]  # 驾驶证, an alias of the licence
    assert by_initials.matched == "initials" and by_initials.matched_alias
    assert 0 < hit.relevance <= 100 <= hit.score + 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.code = "other"  # type: ignore[misc]


def test_limit_is_respected(index) -> None:
    assert len(index.search("证", limit=3)) == 3
