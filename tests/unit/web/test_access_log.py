"""The opted-in access log: voters' requests dropped, the address never written."""

from __future__ import annotations

import logging

import pytest

from mandate.web.access_log import VoterRequestsOmitted, is_voter_path


@pytest.mark.parametrize(
    "path",
    [
        "/vote",
        "/vote/leader-2016/cast",
        "/api/ballot",
        "/api/ballots",
        "/results/leader-2016/tracker",
        "/results/leader-2016/tracker?tracker=ABCD-EFGH",
        "/api/results/leader-2016/trackers",
        "/api/results/leader-2016/trackers/ABCD-EFGH-JKMN-PQRS",
    ],
)
def test_voters_requests_are_voter_paths(path: str) -> None:
    assert is_voter_path(path)


@pytest.mark.parametrize(
    "path", ["/", "/results", "/results/leader-2016", "/api/contests", "/official", "/healthz"]
)
def test_other_requests_are_not(path: str) -> None:
    assert not is_voter_path(path)


def _record(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("203.0.113.9:50123", "POST", path, "1.1", 201),
        None,
    )


def test_a_voters_request_is_dropped() -> None:
    assert not VoterRequestsOmitted().filter(_record("/api/ballots"))


def test_other_requests_are_written_without_the_address_or_query() -> None:
    record = _record("/api/contests?x=1")
    assert VoterRequestsOmitted().filter(record)
    line = record.getMessage()
    assert line == '"POST /api/contests HTTP/1.1" 201'
    assert "203.0.113.9" not in line
