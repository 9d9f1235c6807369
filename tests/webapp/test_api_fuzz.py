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

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


@pytest.fixture
def auth_headers(app, factories):
    citizen = factories.citizen(full_name="测试用户")
    factories.member(citizen, "child", "小明", date(2021, 5, 1))
    return factories.token(app.test_client(), citizen)


def test_api_never_answers_5xx(app, auth_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=auth_headers)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} "
                    f"{str(case.body)[:200]} → {response.status_code}"
                )

        run()
    assert not failures, "\n".join(failures[:20])
