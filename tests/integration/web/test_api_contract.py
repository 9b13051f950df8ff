"""The API does what its OpenAPI schema says: Schemathesis, signed in as a returning officer.

This is the run an integrator would make (``schemathesis run --checks all`` against a served
installation), in-process over ASGI: every phase (the schema's examples, coverage of each
constraint, fuzzing, and stateful sequences that follow the links between operations) and every
check (status codes, content types and bodies as declared, schema-valid requests accepted and
schema-invalid ones refused, ``Allow`` on 405 and ``OPTIONS``, no server error, ...). Zero
failures is the bar: a failure is a place where a client generated from the schema would be
wrong about the server.

The session cookie and the ``X-CSRF-Token`` header are applied to every request the way the
schema's security schemes say; a generated ``DELETE /api/session`` ends the session, so the
officer signs in again before the next request. The run is bounded (a few examples an
operation) and seeded, so it takes seconds and finds the same things every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.python.asgi import shutdown_lifespans

from mandate.config import Settings
from mandate.errors import AccessDeniedError
from mandate.service.access import Access, OfficialSession, Role
from mandate.web import create_app
from mandate.web.auth import CSRF_HEADER, SESSION_COOKIE
from tests.support.keys import new_signer

PASSWORD = "correct horse battery staple"
OFFICER = "ro"
EXAMPLES = 12
"""Examples an operation and phase: enough to reach every declared refusal, fast on 2 cores."""
SEED = 20161
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429"]
"""Schemathesis's own list of the statuses that refuse a schema-violating request."""

CHECKED_INSIDE = {
    "POST /api/contests": "a rulebook's TOML text, and a key file with its passphrase",
    "POST /api/contests/{contest_id}/actions": "a key file with its passphrase",
    "POST /api/contests/{contest_id}/close-nominations": "a key file; the contest's process",
    "POST /api/contests/{contest_id}/threshold": "a process the contest's rulebook defines",
    "PUT /api/contests/{contest_id}/roll": "the roll's CSV",
}
"""Operations whose body carries a document, or a name only the contest's own rulebook defines,
that the schema can only call a string: a schema-valid request there may still hold a document
that is not valid inside (TOML that is not a rulebook, a key file that does not open, a CSV that
is not a roll), which the server refuses with 422 and says why. Everything else in them (ids,
names, actions, numbers) must still be accepted as the schema says."""


@dataclass
class OfficerSession:
    """Schemathesis's auth provider: the returning officer's cookie and CSRF token."""

    access: Access
    session: OfficialSession | None = None
    sign_ins: int = 0

    def get(self, case: Any, context: Any) -> OfficialSession:
        if self.session is not None:
            try:
                self.access.session(self.session.token)
            except AccessDeniedError:  # ended by a generated DELETE /api/session
                self.session = None
        if self.session is None:
            self.session = self.access.sign_in(OFFICER, PASSWORD, client="contract-test")
            self.sign_ins += 1
        return self.session

    def set(self, case: Any, data: OfficialSession, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), SESSION_COOKIE: data.token}
        case.headers = {**(case.headers or {}), CSRF_HEADER: data.csrf_token}


@dataclass
class Outcome:
    """What a run found: each failing check once, with a request that shows it."""

    requests: int = 0
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    def report(self) -> str:
        lines = [
            f"{label}: {check}: {title}\n    {detail}"
            for (label, check, title), detail in sorted(self.failures.items())
        ]
        return "\n".join(lines + self.errors)


def run_schemathesis(app: Any, provider: OfficerSession) -> Outcome:
    """Every phase and check of Schemathesis against the app, as ``schemathesis run`` would."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "checks": {
                "enabled": True,
                # A body over its address's size limit is refused with 413 before it is read,
                # whatever else is wrong with it.
                "negative_data_rejection": {"expected-statuses": [*REFUSALS, "413"]},
            },
            "generation": {"max-examples": EXAMPLES, "deterministic": True},
            "phases": {"stateful": {"enabled": True}},
            "operations": [
                {
                    "include-name": name,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
                        }
                    },
                }
                for name in CHECKED_INSIDE
            ],
        }
    )
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    schema.auth.providers.append(provider)  # as is: no caching, no retry on 401
    outcome = Outcome()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    outcome.requests += 1
                    outcome.statuses.add(interaction.response.status_code)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        key = (event.recorder.label, check.name, failure.title)
                        outcome.failures.setdefault(
                            key, f"{failure.message}\n    {check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            outcome.errors.append(f"error: {event.info.title}: {event.info.message}")
    return outcome


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    application = create_app(settings, signer=new_signer())
    application.state.access.add(OFFICER, PASSWORD, Role.RETURNING_OFFICER)
    yield application
    shutdown_lifespans()  # Schemathesis started the app's lifespan; end it, closing the store


@pytest.mark.slow
def test_schemathesis_finds_no_failure_and_no_server_error(app: Any) -> None:
    provider = OfficerSession(app.state.access)
    outcome = run_schemathesis(app, provider)
    assert not outcome.failures, outcome.report()
    assert not outcome.errors, outcome.report()
    assert not any(status >= 500 for status in outcome.statuses), outcome.statuses
    # The run reached the server as a signed-in officer, and was refused in the declared ways.
    assert outcome.requests > 500, outcome.requests
    assert provider.sign_ins >= 1
    assert {200, 201, 401, 404, 422} <= outcome.statuses, outcome.statuses
