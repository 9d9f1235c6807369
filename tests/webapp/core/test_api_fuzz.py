"""Every API operation fuzzed with schemathesis against /api/v1/openapi.json, with all
its checks: never a 5xx, no status code the document does not declare, responses and
their content types as documented, invalid input refused and valid input accepted.
Anonymous, as a citizen (with a profile and a household member) and as an admin.

The schema is loaded from the app itself (WSGI, no server). Examples are bounded so the
whole run stays short; FUZZ_EXAMPLES raises the number.

Every schemathesis check runs except ``positive_data_acceptance``: a schema-valid request
may still break a rule no JSON Schema can state (a resident ID's check digit, a link
token's signature, a birth date in the future), and those answer the 400/422 the
operation declares, which ``status_code_conformance`` verifies.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi import checks as oa

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

load_all_checks()
CHECKS = [
    oa.status_code_conformance,
    oa.content_type_conformance,
    oa.response_headers_conformance,
    oa.response_schema_conformance,
    oa.negative_data_rejection,
    oa.ignored_auth,
    oa.allow_header_conformance,
]


@pytest.fixture(params=["anonymous", "citizen", "admin"])
def identity(request, app, factories):
    if request.param == "anonymous":
        return request.param, {}
    if request.param == "citizen":
        account = factories.citizen(full_name="测试用户")
        factories.member(account, "child", "小明", date(2021, 5, 1))
    else:
        account = factories.account("admin")
    return request.param, factories.token(app.test_client(), account)


def _fuzz(operation, mode, examples: int, headers: dict, failures: list[str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        where = (
            f"[{mode.value}] {case.method} {case.formatted_path} {case.query or ''} "
            f"{str(case.body)[:160]} → {response.status_code}"
        )
        if response.status_code >= 500:
            failures.append(where)
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect them all)
            failures.append(f"{where}: {str(exc).splitlines()[0][:200]}")

    run()


def test_api_passes_all_checks(app, identity):
    """Valid inputs (as the schema describes them) and invalid ones (schemathesis's negative
    mode: wrong types, missing fields, unknown fields)."""
    who, headers = identity
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    negated = 0
    for operation in operations:
        _fuzz(operation, GenerationMode.POSITIVE, MAX_EXAMPLES, headers, failures)
        try:
            _fuzz(operation, GenerationMode.NEGATIVE, MAX_EXAMPLES // 2, headers, failures)
        except Unsatisfiable:  # nothing to negate (no parameters, no body)
            continue
        negated += 1
    assert negated > 10
    assert not failures, f"{who}:\n" + "\n".join(sorted(set(failures))[:60])
