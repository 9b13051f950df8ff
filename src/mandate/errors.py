"""The one exception tree of mandate.

Everything mandate raises on purpose derives from :class:`MandateError`. Each message names
the object, what was expected and what was found, and keeps them as attributes, so that the
command line, the API and the web pages can each say it in their own way::

    MandateError
    ├── InputError (ValueError)            bad input: a file, a request, a rulebook
    │   ├── BallotFormatError              a ballot file that cannot be read (file, line, ballot)
    │   ├── UnknownCandidateError          a ballot names someone not standing
    │   ├── AmbiguousCandidateError        a typed choice that matches several candidates
    │   ├── PaperBatchError                a paper batch its contest's records refuse
    │   ├── InvalidBallotError             a ranking the contest does not allow
    │   ├── RulebookError                  a rulebook that is not valid (file, line, key)
    │   ├── EventsError                    an events file that is not valid (file, line, key)
    │   ├── RollImportError                a roll file that cannot be imported (file, line)
    │   ├── SigningKeyError                a key file that does not open, or not the contest's key
    │   ├── RequestTooLargeError           a request or upload over the size limit
    │   ├── EncodingError                  a point, scalar or ciphertext not canonically encoded
    │   └── PlaintextRangeError            a decrypted value outside the range searched
    ├── CountingError                      a count that cannot go on as the rules say
    │   ├── UnresolvedTieError             a tie the rules' tie-break cannot settle
    │   └── NoValidVoteError               no ballot counts for a candidate standing
    ├── ContestError                       an action the contest's state or rules refuse
    │   ├── IllegalTransitionError         e.g. opening a ballot before nominations close
    │   ├── CredentialError                a forged, malformed or invalidated credential
    │   ├── AlreadyVotedError              a second ballot with the same credential
    │   └── BallotClosedError              a ballot cast outside the voting window
    ├── IntegrityError                     evidence that stored or published data was changed
    │   ├── AuditChainError                the audit log's hash chain is broken
    │   └── VerificationError              a published result does not match its records
    │       └── ProofError                 a zero-knowledge proof or signature that fails
    ├── NotFoundError (LookupError)        no such contest, rulebook, tracker, ...
    ├── ConfigError                        the installation is not set up correctly
    └── AccessDeniedError                  not signed in, or a role that may not do this
        └── TooManyAttemptsError           too many failed attempts; wait and retry
"""

from __future__ import annotations

__all__ = [
    "AccessDeniedError",
    "AlreadyVotedError",
    "AmbiguousCandidateError",
    "AuditChainError",
    "BallotClosedError",
    "BallotFormatError",
    "ConfigError",
    "ContestError",
    "CountingError",
    "CredentialError",
    "EncodingError",
    "EventsError",
    "IllegalTransitionError",
    "InputError",
    "IntegrityError",
    "InvalidBallotError",
    "MandateError",
    "NoValidVoteError",
    "NotFoundError",
    "PaperBatchError",
    "PlaintextRangeError",
    "ProofError",
    "RequestTooLargeError",
    "RollImportError",
    "RulebookError",
    "SigningKeyError",
    "TooManyAttemptsError",
    "UnknownCandidateError",
    "UnresolvedTieError",
    "VerificationError",
]


def _where(path: str | None, line: int | None, extra: str | None = None) -> str:
    parts = []
    if path is not None:
        parts.append(str(path))
    if line is not None:
        parts.append(f"line {line}")
    if extra:
        parts.append(extra)
    return ", ".join(parts)


class MandateError(Exception):
    """Base of every error mandate raises on purpose."""


class InputError(MandateError, ValueError):
    """Input that mandate cannot accept; nothing was changed."""


class _LocatedInputError(InputError):
    """An input error that knows the file and line (and optionally more) it refers to."""

    what = "input"

    def __init__(
        self,
        detail: str,
        *,
        path: str | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> None:
        self.detail = detail
        self.path = path
        self.line = line
        self.where = where
        location = _where(path, line, where)
        super().__init__(f"{location}: {detail}" if location else detail)


class BallotFormatError(_LocatedInputError):
    """A ballot file that cannot be read: names the file, line and ballot."""


class RulebookError(_LocatedInputError):
    """A rulebook that is not valid: names the file, line and key."""


class EventsError(_LocatedInputError):
    """An events file (motions, nominations) that is not valid."""


class RollImportError(_LocatedInputError):
    """A roll (members, supporters) file that cannot be imported; nothing was imported."""


class SigningKeyError(InputError):
    """A key file that cannot be opened (wrong passphrase, changed, not a mandate key file),
    no key where a step must be signed, or a key that is not the contest's."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class UnknownCandidateError(InputError, LookupError):
    """A ballot or command names a candidate who is not standing.

    ``ballot`` is the ballot's number in a batch (e.g. of paper ballots), when it has one.
    """

    def __init__(
        self,
        name: str,
        *,
        known: tuple[str, ...] = (),
        where: str | None = None,
        ballot: int | None = None,
    ) -> None:
        self.name = name
        self.known = known
        self.where = where
        self.ballot = ballot
        hint = f" (standing: {', '.join(known)})" if known else ""
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}unknown candidate {name!r}{hint}")


class AmbiguousCandidateError(InputError):
    """A choice typed on a paper ballot that could be any of several candidates.

    ``ballot`` is the ballot's number in its batch, when it has one.
    """

    def __init__(
        self,
        typed: str,
        *,
        matches: tuple[str, ...],
        where: str | None = None,
        ballot: int | None = None,
    ) -> None:
        self.typed = typed
        self.matches = matches
        self.where = where
        self.ballot = ballot
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}{typed!r} could be any of {', '.join(matches)}: type more of the name, "
            "or the candidate's number"
        )


class PaperBatchError(InputError):
    """A paper batch refused by what is already recorded: its label was used before, or it
    holds more papers than the envelopes returned allow; nothing of it was stored.

    ``label`` is the batch's label and ``field`` what the refusal is about: ``"label"``,
    ``"spoilt"``, or ``None`` for the batch as a whole.
    """

    def __init__(self, message: str, *, label: str, field: str | None = None) -> None:
        self.label = label
        self.field = field
        super().__init__(message)


class InvalidBallotError(InputError):
    """A ballot whose ranking the contest's rules do not allow.

    ``ballot`` is the ballot's number in a batch (e.g. of paper ballots), when it has one.
    """

    def __init__(self, message: str, *, ballot: int | None = None) -> None:
        self.ballot = ballot
        super().__init__(message)


class CountingError(MandateError):
    """The count cannot go on as the rules say."""


class UnresolvedTieError(CountingError):
    """A tie that the configured tie-break cannot settle (e.g. 'lot' with no decision given)."""

    def __init__(self, candidates: tuple[str, ...], *, purpose: str, round_number: int) -> None:
        self.candidates = candidates
        self.purpose = purpose
        self.round_number = round_number
        super().__init__(
            f"round {round_number}: tie to {purpose} between {', '.join(candidates)} "
            "cannot be settled by the configured tie-break; supply the decision by lot"
        )


class NoValidVoteError(CountingError):
    """No ballot counts for a candidate standing, so every candidate has 0 votes."""

    def __init__(self, message: str, *, ballots: int) -> None:
        self.ballots = ballots
        super().__init__(message)


class ContestError(MandateError):
    """An action the contest's state or rules refuse; nothing was changed."""


class IllegalTransitionError(ContestError):
    """A lifecycle transition the contest's current state does not allow."""

    def __init__(self, *, action: str, state: str, allowed: tuple[str, ...], clause: str) -> None:
        self.action = action
        self.state = state
        self.allowed = allowed
        self.clause = clause
        allowed_text = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"cannot {action}: the contest is {state!r}; allowed now: {allowed_text} ({clause})"
        )


class CredentialError(ContestError):
    """A credential that is malformed, forged, unknown or invalidated by a re-issue."""


class AlreadyVotedError(ContestError):
    """A second ballot with a credential that has already been used."""


class BallotClosedError(ContestError):
    """A ballot cast while the contest is not accepting ballots."""


class IntegrityError(MandateError):
    """Evidence that stored or published data was changed after the fact."""


class AuditChainError(IntegrityError):
    """The audit log's hash chain does not verify."""


class VerificationError(IntegrityError):
    """A published result does not match the records it was counted from."""


class NotFoundError(MandateError, LookupError):
    """No such contest, rulebook, tracker or other named thing."""


class ConfigError(MandateError):
    """The installation is not set up correctly (missing secret, bad database URL, ...)."""


class AccessDeniedError(MandateError):
    """Not signed in (``signed_in`` false), or signed in with a role that may not do this."""

    def __init__(self, message: str, *, signed_in: bool = True) -> None:
        self.signed_in = signed_in
        super().__init__(message)


class TooManyAttemptsError(AccessDeniedError):
    """Too many failed attempts (credentials, passwords), or too many at once; retry later.

    ``message`` replaces the usual words when they would not be true (e.g. the server is busy
    checking other passwords).
    """

    def __init__(self, *, what: str, retry_after: int, message: str | None = None) -> None:
        self.what = what
        self.retry_after = retry_after
        super().__init__(
            message or f"too many failed {what} attempts; try again in {retry_after} seconds",
            signed_in=False,
        )


class RequestTooLargeError(InputError):
    """A request body or upload larger than the limit allowed for it."""

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request is larger than the {limit:,}-byte limit for this address")


class EncodingError(InputError):
    """A point, scalar or ciphertext that is not the canonical encoding of a value.

    ``what`` names the value (e.g. ``"point"``, ``"ballot position 3: alpha"``) and
    ``expected`` what a valid encoding is.
    """

    def __init__(self, what: str, expected: str) -> None:
        self.what = what
        self.expected = expected
        super().__init__(f"{what}: expected {expected}")


class PlaintextRangeError(InputError):
    """A ciphertext whose plaintext g^m has no m in the range searched ``[0, bound]``."""

    def __init__(self, *, point_hex: str, bound: int) -> None:
        self.point_hex = point_hex
        self.bound = bound
        super().__init__(f"the decrypted value g^m = {point_hex} has no m between 0 and {bound}")


class ProofError(VerificationError):
    """A zero-knowledge proof or a signature that does not verify (names which, and why)."""

    def __init__(self, proof: str, detail: str) -> None:
        self.proof = proof
        self.detail = detail
        super().__init__(f"{proof} does not verify: {detail}")
