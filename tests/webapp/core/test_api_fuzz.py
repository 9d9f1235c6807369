"""Every API operation fuzzed with schemathesis against /api/v1/openapi.json: never a 5xx.

The schema is loaded from the app itself (WSGI, no server) and each operation is called
with generated valid and invalid inputs, authenticated as a citizen who has a profile and a
household member. Examples are bounded so the whole run stays well under two minutes.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))


@pytest.fixture
def auth_headers(app, factories):
    citizen = factories.citizen(full_name="测试用户")
    factories.member(citizen, "child", "小明", date(2021, 5, 1))
    return factories.token(app.test_client(), citizen)


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
        if response.status_code >= 500:
            failures.append(
                f"[{mode.value}] {case.method} {case.formatted_path} {case.query or ''} "
                f"{str(case.body)[:200]} → {response.status_code}"
            )

    run()


def test_api_never_answers_5xx(app, auth_headers):
    """Valid inputs (as the schema describes them) and invalid ones (schemathesis's negative
    mode: wrong types, missing fields, unknown fields): never a server error."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    negated = 0
    for operation in operations:
        _fuzz(operation, GenerationMode.POSITIVE, MAX_EXAMPLES, auth_headers, failures)
        try:
            _fuzz(operation, GenerationMode.NEGATIVE, MAX_EXAMPLES // 2, auth_headers, failures)
        except Unsatisfiable:  # nothing to negate (no parameters, no body)
            continue
        negated += 1
    assert negated > 10
    assert not failures, "\n".join(failures[:20])
