"""The access log ``mandate serve --access-log`` writes: no addresses, no voters.

By default nothing is logged per request. An operator who opts in gets one line per request
of the officials' and public pages, with the method, the path (no query string) and the
status, and never the client's address. Voters' requests (the voting code, the ballot, the
cast, the receipt and every tracker look-up) are not logged at all: a log of who asked for
what, and when, in casting order, could link a voter to a tracker and so to a ranking.
"""

from __future__ import annotations

import logging

__all__ = ["VoterRequestsOmitted", "is_voter_path"]

_VOTER_API = frozenset({"ballot", "ballots"})


def is_voter_path(path: str) -> bool:
    """True for the addresses a voter's requests go to (never logged).

    >>> [is_voter_path(p) for p in ("/vote/c/cast", "/api/ballots", "/results/c/tracker")]
    [True, True, True]
    >>> is_voter_path("/results/c")
    False
    """
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    if not parts:
        return False
    if parts[0] == "vote" or (parts[0] == "api" and len(parts) > 1 and parts[1] in _VOTER_API):
        return True
    return any(part.startswith("tracker") for part in parts)


class VoterRequestsOmitted(logging.Filter):
    """Drops voters' requests from uvicorn's access log and the address from the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) != 5:
            return True
        _client, method, full_path, http_version, status = args
        path = str(full_path).split("?", 1)[0]
        if is_voter_path(path):
            return False
        record.msg = '"%s %s HTTP/%s" %s'
        record.args = (method, path, http_version, status)
        return True
