"""Catalog search that understands how people ask: colloquial names, pinyin, 简/繁 mixed.

Framework-free: built from :class:`SearchDocument` values (the web app makes them from its
database rows, :func:`documents_from_catalog` from the YAML catalog) and queried with
:meth:`SearchIndex.search`, which returns :class:`SearchHit` values best first.

Matching, per query term, against every document field (each field folded to Simplified
Chinese, lower case, NFKC width):

- the whole name or an alias equal to the term; the term at the start of / inside a name
  or alias; a name or alias inside the term (``身份证过期怎么办`` holds ``身份证过期``);
- Latin terms against the pinyin of names and aliases, at a syllable start, in full
  (``shebao`` → 社保, ``shenfenzheng``) or by initials (``sfz`` → 身份证);
- English words at a word start (``passport`` in "Ordinary passport issuance");
- the description, department and themes, weaker;
- Chinese terms of three or more characters that match nowhere as written: their
  overlapping two-character pieces, by the share of pieces found (换领身份证 finds
  居民身份证换领).

A document's relevance is the mean of its best score per term, scaled by the share of
terms it matched. The caller's ``popularity`` (uses per service) then adds at most
:data:`POPULARITY_WEIGHT` points, so use reorders services of similar relevance and never
lifts a weak description match over a name or alias match.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from lifecycle.catalog.aliases import all_aliases
from lifecycle.catalog.chinese import to_simplified
from lifecycle.catalog.loader import Catalog

MAX_QUERY = 100
#: Popularity adds at most this much to a relevance on a 0–100 scale.
POPULARITY_WEIGHT = 8.0
#: For long Chinese queries: weight of "how much of the query the service explains"
#: against "how much of its best name or alias the query covers".
PIECES_QUERY_SHARE = 0.6

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"[\s,，、。.;；:：!！?？/|()（）【】\[\]《》<>“”\"'‘’·~～\-—_]+")
_LATIN = re.compile(r"^[a-z]+$")
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


@dataclass(frozen=True)
class SearchDocument:
    """What search knows about one service; every text in any locale."""

    code: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    online_level: int = 1


@dataclass(frozen=True)
class SearchHit:
    """One result: the service, its relevance (0–100), the final score, what matched."""

    code: str
    score: float
    relevance: float
    matched: str  # "name", "alias", "pinyin", "initials", "pieces", "description"
    matched_text: str  # the name or alias that matched ("" for description matches)


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width → ASCII), Simplified Chinese, lower case."""
    text = unicodedata.normalize("NFKC", text)
    if _CJK.search(text):
        text = to_simplified(text)
    return text.lower().strip()


def _clean(text: str) -> str:
    words = _SPLIT.split(fold(text))
    return " ".join(_SPELLING.get(w, w) for w in words if w).strip()


@lru_cache(maxsize=4096)
def _syllables(text: str) -> tuple[str, ...]:
    """The pinyin syllables of the Chinese characters in ``text`` (other characters dropped)."""
    from pypinyin import lazy_pinyin  # imported lazily: only building an index needs it

    hanzi = "".join(ch for ch in text if _CJK.match(ch))
    if not hanzi:
        return ()
    return tuple(s for s in lazy_pinyin(hanzi, errors="ignore") if s.isascii() and s.isalpha())


@dataclass(frozen=True)
class _Text:
    """A name or alias prepared for matching."""

    raw: str
    text: str  # folded
    compact: str  # folded, without spaces
    words: str  # " " + folded, for word-start matching of Latin terms
    pinyin: str
    starts: tuple[int, ...]  # offsets of syllable starts in ``pinyin``
    initials: str
    grams: frozenset[str]  # two-character pieces of the Chinese part

    @classmethod
    def of(cls, raw: str) -> _Text:
        text = _clean(raw)
        syllables = _syllables(text)
        starts, offset = [], 0
        for syllable in syllables:
            starts.append(offset)
            offset += len(syllable)
        compact = text.replace(" ", "")
        return cls(
            raw=raw,
            text=text,
            compact=compact,
            words=" " + text,
            pinyin="".join(syllables),
            starts=tuple(starts),
            initials="".join(s[0] for s in syllables),
            grams=frozenset(_pieces(compact)) if _CJK.search(compact) else frozenset(),
        )


@dataclass(frozen=True)
class _Doc:
    code: str
    names: tuple[_Text, ...]
    aliases: tuple[_Text, ...]
    grams: frozenset[str]  # every name's and alias's pieces
    hay: str  # every name and alias, compact, "|"-separated: one quick test per term
    word_hay: str  # " " + each name and alias
    pinyin_hay: str
    body: str  # descriptions, departments, themes: folded; compact, then spaced
    body_words: str
    online_level: int


@dataclass(frozen=True)
class _Match:
    score: float
    kind: str
    text: str


_NO_MATCH = _Match(0.0, "", "")


def _coverage(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _match_text(term: str, latin: bool, field: _Text, alias: bool) -> _Match:
    """Best match of one term against one name or alias."""
    kind = "alias" if alias else "name"
    base = -5.0 if alias else 0.0
    target = field.compact if not latin else field.text
    if not target:
        return _NO_MATCH
    if term == target or term == field.compact:
        return _Match(100 + base, kind, field.raw)
    if latin:
        if field.words.find(" " + term) >= 0:
            return _Match(55 + base + 25 * _coverage(len(term), len(target)), kind, field.raw)
        return _match_pinyin(term, field)
    position = target.find(term)
    if position >= 0:
        start = 65 if position == 0 else 55
        return _Match(start + base + 25 * _coverage(len(term), len(target)), kind, field.raw)
    if len(target) >= 2 and target in term:
        return _Match(30 + base + 40 * _coverage(len(target), len(term)), kind, field.raw)
    return _NO_MATCH


def _match_pinyin(term: str, field: _Text) -> _Match:
    if len(term) < 2 or not field.pinyin:
        return _NO_MATCH
    if term == field.pinyin:
        return _Match(88, "pinyin", field.raw)
    if term == field.initials:
        return _Match(85, "initials", field.raw)
    best = _NO_MATCH
    if len(term) >= 3:
        for start in field.starts:
            if field.pinyin.startswith(term, start):
                cover = _coverage(len(term), len(field.pinyin))
                best = _Match((60 if start == 0 else 50) + 25 * cover, "pinyin", field.raw)
                break
    position = field.initials.find(term)
    if position >= 0:
        cover = _coverage(len(term), len(field.initials))
        score = (55 if position == 0 else 45) + 25 * cover
        if score > best.score:
            best = _Match(score, "initials", field.raw)
    return best


def _pieces(term: str) -> list[str]:
    """Overlapping two-character pieces of a CJK term (身份证换领 → 身份, 份证, 证换, 换领)."""
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


@dataclass(frozen=True)
class _Term:
    text: str
    latin: bool
    grams: frozenset[str]  # pieces that occur in some name or alias
    weight: float  # their summed rarity


class SearchIndex:
    """An immutable index over documents; build once per catalog version, query often."""

    def __init__(self, documents: Iterable[SearchDocument]) -> None:
        docs = []
        for document in documents:
            names = _distinct(document.names)
            seen = {n.text for n in names}
            aliases = [t for t in _distinct(document.aliases) if t.text not in seen]
            texts = (*document.descriptions, *document.departments, *document.themes)
            body = " ".join(dict.fromkeys(_clean(t) for t in texts if t))
            fields = (*names, *aliases)
            grams = frozenset().union(*(f.grams for f in fields))
            docs.append(
                _Doc(
                    code=document.code,
                    names=tuple(names),
                    aliases=tuple(aliases),
                    grams=grams,
                    hay="|".join(f.compact for f in fields),
                    word_hay="|".join(f.words for f in fields),
                    pinyin_hay="|".join(f"{f.pinyin}|{f.initials}" for f in fields),
                    body=body.replace(" ", "") + " " + body,
                    body_words=" " + body,
                    online_level=document.online_level,
                )
            )
        self._docs: tuple[_Doc, ...] = tuple(docs)
        frequency = Counter(g for doc in docs for g in doc.grams)
        # Rarity of a piece: 登记 or 申请 say little, 护照 or 驾照 a lot.
        self._rarity = {g: math.log(1 + len(docs) / n) for g, n in frequency.items()}

    def __len__(self) -> int:
        return len(self._docs)

    def search(
        self,
        query: str,
        *,
        popularity: Mapping[str, float] | None = None,
        only: Collection[str] | None = None,
        limit: int = 50,
    ) -> tuple[SearchHit, ...]:
        """Services matching ``query``, best first.

        ``popularity`` maps service codes to uses (any non-negative scale); ``only``
        restricts the candidates (filters applied by the caller); an empty query matches
        nothing.
        """
        texts = _terms(query)
        if not texts:
            return ()
        terms = [self._term(t) for t in texts]
        wholes = []
        if len(texts) > 1:
            wholes.append(self._term("".join(texts)))  # shen fen zheng, 护照 办理
            if all(t.latin for t in terms):
                wholes.append(self._term(" ".join(texts)))  # "marriage registration"
        popularity = popularity or {}
        top_use = max((v for v in popularity.values() if v > 0), default=0.0)
        hits = []
        for doc in self._docs:
            if only is not None and doc.code not in only:
                continue
            relevance, match = self._relevance(terms, wholes, doc)
            if relevance <= 0:
                continue
            use = popularity.get(doc.code, 0.0)
            boost = POPULARITY_WEIGHT * math.log1p(use) / math.log1p(top_use) if use > 0 else 0
            score = round(relevance + boost + 0.1 * doc.online_level, 3)
            hits.append(SearchHit(doc.code, score, round(relevance, 3), match.kind, match.text))
        hits.sort(key=lambda h: (-h.score, h.code))
        return tuple(hits[:limit])

    def _term(self, text: str) -> _Term:
        latin = bool(_LATIN.match(text.replace(" ", "")))
        known = frozenset(
            g for g in (_pieces(text) if _CJK.search(text) else ()) if g in self._rarity
        )
        return _Term(text, latin, known, sum(self._rarity[g] for g in known))

    def _relevance(
        self, terms: list[_Term], wholes: list[_Term], doc: _Doc
    ) -> tuple[float, _Match]:
        matches = [self._match(term, doc) for term in terms]
        matched = [m for m in matches if m.score > 0]
        relevance, best = 0.0, _NO_MATCH
        if matched:
            relevance = sum(m.score for m in matches) / len(terms) * len(matched) / len(terms)
            best = max(matched, key=lambda m: m.score)
        for whole in wholes:  # the whole query may match better as one term
            together = self._match(whole, doc)
            if together.score > relevance:
                relevance, best = together.score, together
        return relevance, best

    def _match(self, term: _Term, doc: _Doc) -> _Match:
        best = self._match_fields(term, doc) if _may_match(term, doc) else _NO_MATCH
        if best.score < 20:
            body = doc.body_words if term.latin else doc.body
            if (" " + term.text if term.latin else term.text) in body:
                best = _Match(20, "description", "")
        return best

    def _match_fields(self, term: _Term, doc: _Doc) -> _Match:
        best, support = _NO_MATCH, 0
        for field in doc.names:
            found = _match_text(term.text, term.latin, field, alias=False)
            support += found.score > 0
            if found.score > best.score:
                best = found
        for field in doc.aliases:
            found = _match_text(term.text, term.latin, field, alias=True)
            support += found.score > 0
            if found.score > best.score:
                best = found
        if support > 1:  # several names and aliases say the same: 公积金提取, 取公积金, …
            best = _Match(best.score + min(support - 1, 4), best.kind, best.text)
        if term.grams and len(term.text) >= 3 and best.score < 90:
            pieces = self._match_pieces(term, doc)
            if pieces.score > best.score:
                best = pieces
        return best

    def _match_pieces(self, term: _Term, doc: _Doc) -> _Match:
        """Pieces of a long Chinese term found in the names and aliases, by rarity.

        Balances how much of the query the service explains (``found``) against how much
        of its best name or alias the query covers (``covered``): 护照快过期了 → 护照过期.
        """
        shared = term.grams & doc.grams
        if not shared:
            return _NO_MATCH
        rarity = self._rarity
        found = _coverage(sum(rarity[g] for g in shared), term.weight)
        covered, text = 0.0, ""
        for field in (*doc.names, *doc.aliases):
            if field.grams:
                part = sum(rarity[g] for g in field.grams & shared)
                cover = _coverage(part, sum(rarity[g] for g in field.grams))
                if cover > covered:
                    covered, text = cover, field.raw
        if found < 0.34 and covered < 0.5:
            return _NO_MATCH
        return _Match(
            15 + 55 * (PIECES_QUERY_SHARE * found + (1 - PIECES_QUERY_SHARE) * covered),
            "pieces",
            text,
        )


def _may_match(term: _Term, doc: _Doc) -> bool:
    """Whether any name or alias can match: cheap substring tests before the real work."""
    if term.latin:
        return (" " + term.text) in doc.word_hay or term.text in doc.pinyin_hay
    # a name or alias inside the term shares the term's pieces
    return term.text in doc.hay or not term.grams.isdisjoint(doc.grams)


def _terms(query: str) -> list[str]:
    text = _clean(query[:MAX_QUERY])
    out = []
    for term in (t for t in text.split(" ") if t):
        if _CJK.search(term):
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


def _distinct(texts: Iterable[str]) -> list[_Text]:
    out: dict[str, _Text] = {}
    for raw in texts:
        if raw and raw.strip():
            prepared = _Text.of(raw)
            if prepared.text and prepared.text not in out:
                out[prepared.text] = prepared
    return list(out.values())


def documents_from_catalog(catalog: Catalog) -> list[SearchDocument]:
    """One :class:`SearchDocument` per service of a loaded YAML catalog."""
    return [
        SearchDocument(
            code=service.code,
            names=tuple(service.name.values()),
            aliases=all_aliases(service.aliases),
            descriptions=tuple(service.description.values()),
            departments=tuple(catalog.departments[service.department].name.values()),
            themes=tuple(theme.replace("_", " ") for theme in service.themes),
            online_level=service.online_level,
        )
        for service in catalog.services.values()
    ]
