"""Recommendations for the caller and for an enterprise the caller belongs to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from webapp import enterprise as enterprises
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.core.i18n import localized
from webapp.core.schemas import StrictModel
from webapp.recommend import recommendations


class RecommendationsQuery(StrictModel):
    limit: int = Field(default=10, ge=1, le=50)
    lang: Literal["zh_Hans", "zh_Hant", "en"] | None = None


class ReasonOut(BaseModel):
    kind: str = Field(
        description="lifecycle, duty, entitlement, similar_users, together, rule, popular or "
        "eligibility_unknown (a fact that decides eligibility is missing)"
    )
    text: str
    source: str = Field(description="the data the reason came from")


class RecommendationOut(BaseModel):
    service_code: str
    title: str
    score: float
    reasons: list[ReasonOut]
    eligibility: Literal["eligible", "unknown"] = Field(
        default="eligible",
        description="unknown: a fact that decides whether the caller qualifies is missing; "
        "such services come after the eligible ones",
    )


class RecommendationsOut(BaseModel):
    personalized: bool
    model_version: str | None = None
    items: list[RecommendationOut]


def _me():
    return db.session.merge(current_account())


def _localise(result: dict, locale: str) -> dict:
    return {
        "personalized": result["personalized"],
        "model_version": result.get("model_version"),
        "items": [
            {
                "service_code": item["service_code"],
                "title": localized(item["title"], locale),
                "score": item["score"],
                "reasons": [
                    {
                        "kind": r["kind"],
                        "text": localized(r["text"], locale),
                        "source": r["source"],
                    }
                    for r in item["reasons"]
                ],
            }
            for item in result["items"]
        ],
    }


def _locale(account, query: RecommendationsQuery) -> str:
    return query.lang or account.locale or "zh_Hans"


@endpoint(
    bp,
    "/me/recommendations",
    summary="Recommended services for the caller, ranked, each with its reasons",
    tag="recommendations",
    query=RecommendationsQuery,
    response=RecommendationsOut,
)
def my_recommendations(query: RecommendationsQuery):
    account = _me()
    result = recommendations.recommend_for_account(db.session, account, limit=query.limit)
    return _localise(result, _locale(account, query))


@endpoint(
    bp,
    "/enterprises/<credit_code>/recommendations",
    summary="Recommended services for an enterprise the caller belongs to",
    tag="enterprises",
    query=RecommendationsQuery,
    response=RecommendationsOut,
    errors=(404,),
)
def enterprise_recommendations(credit_code: str, query: RecommendationsQuery):
    account = _me()
    enterprise, _membership = enterprises.get_for_member(db.session, account, credit_code)
    result = recommendations.recommend_for_enterprise(
        db.session, enterprise, limit=query.limit, account=account
    )
    return _localise(result, _locale(account, query))
