"""The "recommended for you" widget: the recommend feature's ranking for the page's rows."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp import entitlements, recommend
from webapp.page import queries
from webapp.page.widgets import (
    PageContext,
    _limit,
    consents,
    duty_rows,
    localise_dates,
    register_widget,
)


def dismissed_codes(ctx: PageContext) -> set[str]:
    """Codes the person hid ("not relevant") or dismissed: never recommended again."""
    if "dismissed" not in ctx.cache:
        ctx.cache["dismissed"] = queries.dismissed_codes(ctx.session, ctx.account.id)
    return ctx.cache["dismissed"]


def page_subject(ctx: PageContext):
    """The citizen with the rows this page view already loaded (profile, household,
    consents, duties), so the recommender adds its own few lookups only."""
    cons = consents(ctx)
    rows = recommend.CitizenRows(
        account=ctx.account,
        profile=ctx.cache.get("profile"),
        members=list(ctx.members) if cons.get("household_data") else [],
        consents=cons,
        disabled_tags=recommend.disabled_tags(ctx.session, ctx.account.id),
        duties=[d for d in duty_rows(ctx) if d.due_date >= ctx.today],
        dismissed=dismissed_codes(ctx),
        facts=entitlements.page_facts(ctx),
    )
    return recommend.CitizenSubject(ctx.account, rows)


def load_recommended(ctx: PageContext, settings: dict) -> dict:
    limit = _limit(settings, 5)
    ranking = recommend.recommend(
        ctx.session, page_subject(ctx), ctx.today, limit, exclude=dismissed_codes(ctx)
    )
    ctx.model_version = ranking.model_version
    ctx.cacheable = ctx.cacheable and ranking.available
    ctx.impressions.extend(ranking.codes)
    data = recommend.ranking_view(ranking, text=localise_dates)
    # The heading says what the list is: "for you" only when it was chosen for this person.
    data["heading"] = "" if ranking.personalized else _("Services most used in general")
    return data


register_widget(
    "recommended", lambda: _("Recommended for you"), load_recommended, order=20, cache="model"
)
