"""JSON API: entitlements of the caller and of their enterprises; the facts they told us."""

from __future__ import annotations

from flask import Response

from lifecycle.eligibility.facts import FACTS
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.entitlements import queries
from webapp.entitlements.present import entitlement_dict
from webapp.entitlements.schemas import EntitlementList, FactIn, FactList, FactOut


def _me():
    return db.session.merge(current_account())


@endpoint(
    bp,
    "/me/entitlements",
    summary="What the caller and their household are owed (benefits, deductions)",
    tag="entitlements",
    response=EntitlementList,
)
def my_entitlements():
    view = queries.account_view(db.session, _me(), local_today())
    return {"items": [entitlement_dict(e) for e in view.items]}


@endpoint(
    bp,
    "/enterprises/<credit_code>/entitlements",
    summary="Tax reliefs an enterprise the caller belongs to can claim",
    tag="entitlements",
    response=EntitlementList,
    errors=(404,),
)
def enterprise_entitlements(credit_code: str):
    view = queries.enterprise_view(db.session, _me(), credit_code, local_today())
    return {"items": [entitlement_dict(e) for e in view.items]}


def _fact_out(f) -> dict:
    return {
        "subject": f.subject,
        "key": f.key,
        "value": f.value,
        "source": f.source,
        "recorded_on": f.recorded_on,
    }


@endpoint(
    bp,
    "/me/facts",
    summary="Facts the caller told us (with source and date) and the ones that would decide something",
    tag="entitlements",
    response=FactList,
)
def my_facts():
    account = _me()
    view = queries.account_view(db.session, account, local_today())
    stored = [f for per in view.facts.values() for f in per.values()]
    asked = [
        {"subject": s, "key": k, "kind": FACTS[k].kind, "choices": list(FACTS[k].choices)}
        for s, k in queries.asked_facts(db.session, account, view, local_today())
    ]
    return {"items": [_fact_out(f) for f in stored], "asked": asked}


@endpoint(
    bp,
    "/me/facts/<subject>/<key>",
    "PUT",
    summary="Tell or correct one fact about yourself or a household member",
    tag="entitlements",
    body=FactIn,
    response=FactOut,
    errors=(400, 404),
)
def put_fact(subject: str, key: str, body: FactIn):
    account = _me()
    subject_key = queries.owned_subject(db.session, account, subject)
    stored = queries.save_fact(db.session, account, subject_key, key, body.value, local_today())
    db.session.commit()
    return _fact_out(stored)


@endpoint(
    bp,
    "/me/facts/<subject>/<key>",
    "DELETE",
    summary="Clear one fact",
    tag="entitlements",
    status=204,
    errors=(404,),
)
def delete_fact(subject: str, key: str):
    account = _me()
    subject_key = queries.owned_subject(db.session, account, subject)
    queries.clear_fact(db.session, subject_key, key)
    db.session.commit()
    return Response(status=204)


@endpoint(
    bp,
    "/enterprises/<credit_code>/facts/<key>",
    "PUT",
    summary="Tell or correct one fact about an enterprise the caller belongs to",
    tag="entitlements",
    body=FactIn,
    response=FactOut,
    errors=(400, 404),
)
def put_enterprise_fact(credit_code: str, key: str, body: FactIn):
    account = _me()
    subject_key = queries.enterprise_key(db.session, account, credit_code)
    stored = queries.save_fact(db.session, account, subject_key, key, body.value, local_today())
    db.session.commit()
    return _fact_out(stored)


@endpoint(
    bp,
    "/enterprises/<credit_code>/facts/<key>",
    "DELETE",
    summary="Clear one enterprise fact",
    tag="entitlements",
    status=204,
    errors=(404,),
)
def delete_enterprise_fact(credit_code: str, key: str):
    account = _me()
    subject_key = queries.enterprise_key(db.session, account, credit_code)
    queries.clear_fact(db.session, subject_key, key)
    db.session.commit()
    return Response(status=204)
