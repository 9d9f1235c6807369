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
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from lifecycle.catalog.aliases import all_aliases
from lifecycle.catalog.loader import Catalog
from lifecycle.catalog.search_text import (
    CJK,
    LATIN,
    MAX_QUERY,
    PreparedText,
    clean,
    distinct_texts,
    fold,
    pieces,
    query_terms,
)

__all__ = [
    "MAX_QUERY",
    "POPULARITY_WEIGHT",
    "SearchDocument",
    "SearchHit",
    "SearchIndex",
    "documents_from_catalog",
    "fold",
]

#: Popularity adds at most this much to a relevance on a 0–100 scale.
POPULARITY_WEIGHT = 8.0
#: For long Chinese queries: weight of "how much of the query the service explains"
#: against "how much of its best name or alias the query covers".
PIECES_QUERY_SHARE = 0.6


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
    matched_alias: bool = False  # matched_text is a colloquial name (驾照), not a name


@dataclass(frozen=True)
class _Doc:
    code: str
    names: tuple[PreparedText, ...]
    aliases: tuple[PreparedText, ...]
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
    alias: bool = False


_NO_MATCH = _Match(0.0, "", "")


def _coverage(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _match_text(term: str, latin: bool, field: PreparedText, alias: bool) -> _Match:
    """Best match of one term against one name or alias."""
    kind = "alias" if alias else "name"
    base = -5.0 if alias else 0.0
    target = field.compact if not latin else field.text
    if not target:
        return _NO_MATCH
    if term == target or term == field.compact:
        return _Match(100 + base, kind, field.raw, field.alias)
    if latin:
        if field.words.find(" " + term) >= 0:
            return _Match(
                55 + base + 25 * _coverage(len(term), len(target)), kind, field.raw, field.alias
            )
        return _match_pinyin(term, field)
    position = target.find(term)
    if position >= 0:
        start = 65 if position == 0 else 55
        return _Match(
            start + base + 25 * _coverage(len(term), len(target)), kind, field.raw, field.alias
        )
    if len(target) >= 2 and target in term:
        return _Match(
            30 + base + 40 * _coverage(len(target), len(term)), kind, field.raw, field.alias
        )
    return _NO_MATCH


def _match_pinyin(term: str, field: PreparedText) -> _Match:
    if len(term) < 2 or not field.pinyin:
        return _NO_MATCH
    if term == field.pinyin:
        return _Match(88, "pinyin", field.raw, field.alias)
    if term == field.initials:
        return _Match(85, "initials", field.raw, field.alias)
    best = _NO_MATCH
    if len(term) >= 3:
        for start in field.starts:
            if field.pinyin.startswith(term, start):
                cover = _coverage(len(term), len(field.pinyin))
                best = _Match(
                    (60 if start == 0 else 50) + 25 * cover, "pinyin", field.raw, field.alias
                )
                break
    position = field.initials.find(term)
    if position >= 0:
        cover = _coverage(len(term), len(field.initials))
        score = (55 if position == 0 else 45) + 25 * cover
        if score > best.score:
            best = _Match(score, "initials", field.raw, field.alias)
    return best


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
            names = distinct_texts(document.names)
            seen = {n.text for n in names}
            aliases = [
                t for t in distinct_texts(document.aliases, alias=True) if t.text not in seen
            ]
            texts = (*document.descriptions, *document.departments, *document.themes)
            body = " ".join(dict.fromkeys(clean(t) for t in texts if t))
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
        texts = query_terms(query)
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
            hit = SearchHit(
                doc.code, score, round(relevance, 3), match.kind, match.text, match.alias
            )
            hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.code))
        return tuple(hits[:limit])

    def _term(self, text: str) -> _Term:
        latin = bool(LATIN.match(text.replace(" ", "")))
        known = frozenset(
            g for g in (pieces(text) if CJK.search(text) else ()) if g in self._rarity
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
            best = _Match(best.score + min(support - 1, 4), best.kind, best.text, best.alias)
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
        covered, best = 0.0, None
        for field in (*doc.names, *doc.aliases):
            if field.grams:
                part = sum(rarity[g] for g in field.grams & shared)
                cover = _coverage(part, sum(rarity[g] for g in field.grams))
                if cover > covered:
                    covered, best = cover, field
        if found < 0.34 and covered < 0.5:
            return _NO_MATCH
        return _Match(
            15 + 55 * (PIECES_QUERY_SHARE * found + (1 - PIECES_QUERY_SHARE) * covered),
            "pieces",
            best.raw if best else "",
            best.alias if best else False,
        )


def _may_match(term: _Term, doc: _Doc) -> bool:
    """Whether any name or alias can match: cheap substring tests before the real work."""
    if term.latin:
        return (" " + term.text) in doc.word_hay or term.text in doc.pinyin_hay
    # a name or alias inside the term shares the term's pieces
    return term.text in doc.hay or not term.grams.isdisjoint(doc.grams)


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
