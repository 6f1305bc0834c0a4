"""Property-based fuzz of the gateway's OpenAPI document (schemathesis): every operation, with
valid and with invalid input, by a signed-in admin. No answer may be a 5xx.

Bounded: a few examples per operation and mode, and a total budget after which no further
operation is started (the budget ends generation; it asserts nothing about time). The
examples are random and the operations shuffled, so that runs add up to more than one run
covers; a failure lists its requests, each reproducible by hand. A run with 40 examples per
operation and mode (3,777 requests) found no 5xx after the input rules; before them it found
the NUL 500s within a minute."""

import asyncio
import random
import time

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]

EXAMPLES = 6  # per operation and generation mode
BUDGET_S = 45.0
# Ending every session of the fuzzing admin would leave the rest of the run 401s.
ENDS_THE_SESSION = {"/api/v1/auth/logout-all"}


def _fuzz(document: dict, base_url: str, headers: dict[str, str]) -> tuple[int, list[str]]:
    """(cases sent, 5xx answers as 'METHOD path → status')."""
    schema = schemathesis.openapi.from_dict(document)
    deadline = time.monotonic() + BUDGET_S
    failures: list[str] = []
    sent = 0
    with requests.Session() as session:
        operations = [result.ok() for result in schema.get_all_operations()]
        operations = [o for o in operations if o.path not in ENDS_THE_SESSION]
        random.shuffle(operations)
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() > deadline:
                    return sent, failures

                @settings(
                    max_examples=EXAMPLES,
                    database=None,
                    deadline=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def run(case: schemathesis.Case) -> None:
                    nonlocal sent
                    try:
                        response = case.call(
                            base_url=base_url, session=session, headers=headers, timeout=30
                        )
                    except (requests.exceptions.InvalidHeader, ValueError):
                        return  # a header no HTTP client sends (a control character)
                    sent += 1
                    try:
                        case.validate_response(response, checks=[not_a_server_error])
                    except (Failure, FailureGroup):
                        body = "" if case.body is None else repr(case.body)[:300]
                        failures.append(
                            f"{case.method} {case.formatted_path} {case.query or ''} {body}"
                            f" → {response.status_code}"
                        )

                try:
                    run()
                except Unsatisfiable:
                    pass  # no invalid input exists for an operation without parameters
    return sent, failures


async def test_no_operation_answers_a_server_error(client: httpx.AsyncClient, served: str) -> None:
    headers = await login(client)
    document = (await client.get("/openapi.json")).json()
    assert len(document["paths"]) > 40
    # The fuzz is synchronous (requests); it runs beside the loop that serves the gateway.
    sent, failures = await asyncio.to_thread(_fuzz, document, served, headers)
    assert sent > 0
    assert failures == []
