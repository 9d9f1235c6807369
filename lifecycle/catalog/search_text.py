"""Preparing text for catalog search: folding (NFKC, 简→繁→简, lower case), words, pinyin
syllables and initials, two-character pieces, and the query's terms without filler words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lifecycle.catalog.chinese import to_simplified

MAX_QUERY = 100
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"[\s,，、。.;；:：!！?？/|()（）【】\[\]《》<>“”\"'‘’·~～\-—_]+")
LATIN = re.compile(r"^[a-z]+$")
#: Words people wrap around what they want (身份证过期怎么办, 我想办护照). Multi-character
#: only: single characters such as 办 or 去 are part of real names (去世, 办学).
_FILLERS = (
    "怎么办理",
    "怎么办",
    "怎么弄",
    "怎么",
    "如何办理",
    "如何",
    "在哪里办",
    "在哪里",
    "在哪儿",
    "在哪",
    "哪里办",
    "哪里",
    "需要什么材料",
    "需要什么",
    "要什么材料",
    "什么材料",
    "要带什么",
    "流程",
    "手续",
    "我要",
    "我想",
    "请问",
    "可以吗",
    "了吗",
    "吗",
    "呢",
    "啊",
)
#: British and American spellings meet (the catalog writes British English).
_SPELLING = {
    "license": "licence",
    "licenses": "licences",
    "labor": "labour",
    "enrollment": "enrolment",
    "center": "centre",
    "program": "programme",
    "organization": "organisation",
    "authorization": "authorisation",
    "immunization": "immunisation",
}
_ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "our",
        "i",
        "we",
        "me",
        "to",
        "for",
        "of",
        "in",
        "on",
        "at",
        "do",
        "does",
        "how",
        "can",
        "get",
        "want",
        "need",
        "please",
    ]
)


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width → ASCII), Simplified Chinese, lower case."""
    text = unicodedata.normalize("NFKC", text)
    if CJK.search(text):
        text = to_simplified(text)
    return text.lower().strip()


def clean(text: str) -> str:
    words = _SPLIT.split(fold(text))
    return " ".join(_SPELLING.get(w, w) for w in words if w).strip()


@lru_cache(maxsize=4096)
def syllables(text: str) -> tuple[str, ...]:
    """The pinyin syllables of the Chinese characters in ``text`` (other characters dropped)."""
    from pypinyin import lazy_pinyin  # imported lazily: only building an index needs it

    hanzi = "".join(ch for ch in text if CJK.match(ch))
    if not hanzi:
        return ()
    return tuple(s for s in lazy_pinyin(hanzi, errors="ignore") if s.isascii() and s.isalpha())


@dataclass(frozen=True)
class PreparedText:
    """A name or alias prepared for matching."""

    raw: str
    text: str  # folded
    compact: str  # folded, without spaces
    words: str  # " " + folded, for word-start matching of Latin terms
    pinyin: str
    starts: tuple[int, ...]  # offsets of syllable starts in ``pinyin``
    initials: str
    grams: frozenset[str]  # two-character pieces of the Chinese part
    alias: bool = False  # a colloquial name, not one of the service's names

    @classmethod
    def of(cls, raw: str, alias: bool = False) -> PreparedText:
        text = clean(raw)
        sylls = syllables(text)
        starts, offset = [], 0
        for syllable in sylls:
            starts.append(offset)
            offset += len(syllable)
        compact = text.replace(" ", "")
        return cls(
            raw=raw,
            text=text,
            compact=compact,
            words=" " + text,
            pinyin="".join(sylls),
            starts=tuple(starts),
            initials="".join(s[0] for s in sylls),
            grams=frozenset(pieces(compact)) if CJK.search(compact) else frozenset(),
            alias=alias,
        )


def pieces(term: str) -> list[str]:
    """Overlapping two-character pieces of a CJK term (身份证换领 → 身份, 份证, 证换, 换领)."""
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


def query_terms(query: str) -> list[str]:
    text = clean(query[:MAX_QUERY])
    out = []
    for term in (t for t in text.split(" ") if t):
        if CJK.search(term):
            stripped = term
            for filler in _FILLERS:
                stripped = stripped.replace(filler, "")
            term = stripped or term
        elif term in _ENGLISH_STOPWORDS or len(term) == 1:  # "driver's" → driver, s
            continue
        out.append(term)
    if not out and text:
        out = [t for t in text.split(" ") if t]
    return out


def distinct_texts(texts: Iterable[str], alias: bool = False) -> list[PreparedText]:
    out: dict[str, PreparedText] = {}
    for raw in texts:
        if raw and raw.strip():
            prepared = PreparedText.of(raw, alias)
            if prepared.text and prepared.text not in out:
                out[prepared.text] = prepared
    return list(out.values())
