"""Citations for English readers: known acts translated, the rest marked as Chinese."""

from __future__ import annotations

from lifecycle.citations import CitationPart, chinese_number, english_citation, mark_chinese


def test_chinese_article_numbers():
    assert chinese_number("五十八") == 58
    assert chinese_number("十") == 10
    assert chinese_number("一千零七十六") == 1076
    assert chinese_number("12") == 12


def test_social_insurance_law_article_58_is_translated():
    """Social Insurance Law of the PRC, art. 58: registration within 30 days of hiring."""
    assert english_citation("《中华人民共和国社会保险法》第五十八条") == [
        CitationPart("Social Insurance Law of the PRC, Art. 58")
    ]


def test_unknown_act_stays_chinese_and_is_marked():
    parts = english_citation("《国家医保局 财政部关于异地就医的通知》第三条")
    assert parts[0] == CitationPart("《国家医保局 财政部关于异地就医的通知》", "zh-Hans")
    assert parts[1].text == ", Art. 3" and parts[1].lang is None


def test_mark_chinese_leaves_latin_text_alone():
    assert mark_chinese("Wang 王小明 (son)") == [
        CitationPart("Wang "),
        CitationPart("王小明", "zh-Hans"),
        CitationPart(" (son)"),
    ]
