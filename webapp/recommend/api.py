"""Recommendations for the caller and for an enterprise the caller belongs to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from webapp import enterprise as enterprises
from webapp.core.api import bp
from webapp.core.api.spec import api_locale, current_account, endpoint
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.schemas import StrictModel
from webapp.recommend.present import ranking_view
from webapp.recommend.ranking import CitizenSubject, EnterpriseSubject, recommend


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
    source: str = Field(description="model (the active model blended) or blend (no model)")
    reasons: list[ReasonOut]
    eligibility: Literal["eligible", "unknown"] = Field(
        default="eligible",
        description="unknown: a fact that decides whether the caller qualifies is missing; "
        "such services come after the eligible ones",
    )


class RecommendationsOut(BaseModel):
    available: bool = Field(
        description="false when recommendations are temporarily unavailable (no items)"
    )
    personalized: bool
    model_version: str | None = None
    note: str = ""
    items: list[RecommendationOut]


@endpoint(
    bp,
    "/me/recommendations",
    summary="Recommended services for the caller, ranked, each with its reasons",
    tag="recommendations",
    query=RecommendationsQuery,
    response=RecommendationsOut,
)
def my_recommendations(query: RecommendationsQuery):
    account = current_account()
    locale = api_locale(query.lang)
    ranking = recommend(db.session, CitizenSubject(account), local_today(), query.limit)
    return ranking_view(ranking, locale)


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
    account = current_account()
    locale = api_locale(query.lang)
    enterprise, _membership = enterprises.get_for_member(db.session, account, credit_code)
    subject = EnterpriseSubject(enterprise, viewer=account)
    ranking = recommend(db.session, subject, local_today(), query.limit)
    return ranking_view(ranking, locale)
