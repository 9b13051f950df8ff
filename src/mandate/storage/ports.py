"""What the contest service needs from storage, as values and one Protocol.

Every method that changes something takes an :class:`AuditEvent` and appends it to the
hash-chained audit log *in the same transaction* as the change, so the log and the data never
disagree. :meth:`ContestStore.cast` is the one place where a ballot is stored: the voter is
marked as voted and the ballot inserted in one transaction, or neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "AuditEntry",
    "AuditEvent",
    "BallotRecord",
    "CandidateRecord",
    "CastOutcome",
    "ContestKeys",
    "ContestRecord",
    "ContestStore",
    "ElectorRecord",
    "ExclusionRecord",
    "NewBallot",
    "PaperBatchRecord",
    "PaperLedger",
    "Turnout",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """Something to record in the audit log: who did what, with the details as JSON data."""

    contest_id: str | None
    actor: str
    action: str
    payload: Mapping[str, object] = field(default_factory=dict)
    recorded_at: str
    """ISO 8601 UTC time, to the second."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One stored entry of the audit log, with its place in the chain."""

    seq: int
    contest_id: str | None
    recorded_at: str
    actor: str
    action: str
    payload: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestRecord:
    """A contest as stored."""

    id: str
    title: str
    rulebook_ref: str
    rulebook_id: str
    state: str
    count_spec: str
    voter_classes: tuple[tuple[str, str], ...]
    params: Mapping[str, str]
    created_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestKeys:
    """A contest's public signing key (hex).

    Its secrets are not stored: the signing key is in the returning officer's key file and
    the credential key is derived from the server secret (docs/contests.md, "Keys").
    """

    public_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateRecord:
    """A candidate of a contest as stored."""

    candidate_id: str
    position: int
    name: str
    status: str
    nominations: int | None = None
    basis: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectorRecord:
    """An eligible voter as stored (never with anything about their ballot)."""

    member_id: str
    voter_class: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExclusionRecord:
    """Someone on the imported roll who may not vote, and why."""

    seq: int
    member_id: str
    voter_class: str
    reason: str
    clause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewBallot:
    """A validated ballot ready to store (its class comes from the elector's row)."""

    id: str
    tracker: str
    ranking: str
    cast_on: dt.date
    channel: str = "online"
    batch_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotRecord:
    """A stored ballot."""

    id: str
    tracker: str
    voter_class: str
    channel: str
    batch_id: str | None
    ranking: str
    cast_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class CastOutcome:
    """What happened to one ballot of a bulk cast: stored (with the voter's class) or refused."""

    voter_class: str | None
    refusal: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperBatchRecord:
    """A batch of paper ballots entered by an official."""

    id: str
    label: str
    voter_class: str
    entered_by: str
    ballots: int
    spoilt: int
    entered_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperLedger:
    """What one voter class's paper ballots are checked against, read in one transaction.

    ``voted`` counts the electors marked as voted, online or by a returned postal envelope;
    ``online`` the ballots cast online. The envelopes recorded are the difference: each
    marks its elector voted without a ballot.
    """

    voter_class: str
    electors: int
    voted: int
    online: int
    batches: tuple[PaperBatchRecord, ...]
    """Every paper batch of the contest (of every class: labels are unique in a contest)."""

    @property
    def envelopes(self) -> int:
        """Returned postal envelopes recorded for the class."""
        return self.voted - self.online

    @property
    def papers(self) -> int:
        """Paper ballots and spoilt papers already entered for the class."""
        return sum(b.ballots + b.spoilt for b in self.batches if b.voter_class == self.voter_class)


@dataclass(frozen=True, slots=True, kw_only=True)
class Turnout:
    """Electors and ballots cast online, for one voter class."""

    voter_class: str
    electors: int
    voted: int


class ContestStore(Protocol):
    """Persistent contests, rolls, credentials, ballots, results and the audit log."""

    def close(self) -> None:
        """Release database connections."""
        ...

    def create_contest(
        self,
        contest: ContestRecord,
        keys: ContestKeys,
        candidates: Sequence[CandidateRecord],
        audit: AuditEvent,
    ) -> None:
        """Store a new contest (refused if the id is taken)."""
        ...

    def get_contest(self, contest_id: str) -> ContestRecord:
        """The contest, or NotFoundError."""
        ...

    def list_contests(self) -> tuple[ContestRecord, ...]:
        """Every contest, by id."""
        ...

    def get_keys(self, contest_id: str) -> ContestKeys:
        """The contest's public key."""
        ...

    def set_params(self, contest_id: str, params: Mapping[str, str], audit: AuditEvent) -> None:
        """Replace the contest's parameters."""
        ...

    def candidates(self, contest_id: str) -> tuple[CandidateRecord, ...]:
        """Candidates in ballot-paper order."""
        ...

    def put_candidates(
        self, contest_id: str, candidates: Sequence[CandidateRecord], audit: AuditEvent
    ) -> None:
        """Replace the contest's candidates."""
        ...

    def transition(
        self, contest_id: str, *, from_state: str, to_state: str, audit: AuditEvent
    ) -> bool:
        """Move the contest from one state to another; False if it was not in ``from_state``."""
        ...

    def replace_roll(
        self,
        contest_id: str,
        electors: Iterable[ElectorRecord],
        exclusions: Iterable[ExclusionRecord],
        audit: AuditEvent,
    ) -> int:
        """Replace the contest's roll and import report; returns the number of electors."""
        ...

    def electors(self, contest_id: str) -> Iterator[ElectorRecord]:
        """The roll, by member id."""
        ...

    def exclusions(self, contest_id: str) -> tuple[ExclusionRecord, ...]:
        """The import report: who was excluded and why."""
        ...

    def set_credentials(
        self,
        contest_id: str,
        hashes: Iterable[tuple[str, bytes]],
        audit: AuditEvent,
        *,
        only_unvoted: bool = True,
    ) -> int:
        """Store credential hashes by member id (replacing old ones); returns how many."""
        ...

    def credential_known(self, contest_id: str, credential_hash: bytes) -> bool:
        """Whether a credential hash is current on the contest's roll."""
        ...

    def credential_voted(self, contest_id: str, credential_hash: bytes) -> bool | None:
        """Whether the credential has been used (None if it is not current on the roll)."""
        ...

    def elector_voted(self, contest_id: str, member_id: str) -> bool | None:
        """Whether a member on the roll has voted (None if not on the roll)."""
        ...

    def cast(self, contest_id: str, credential_hash: bytes, ballot: NewBallot) -> str:
        """Mark the credential's voter as voted and store the ballot in one transaction.

        Returns the voter's class. Raises BallotClosedError, CredentialError or
        AlreadyVotedError, storing nothing.
        """
        ...

    def cast_many(
        self, contest_id: str, items: Sequence[tuple[bytes, NewBallot]]
    ) -> tuple[CastOutcome, ...]:
        """Cast several ballots in one transaction, each as :meth:`cast` would."""
        ...

    def mark_voted(
        self, contest_id: str, hashes: Sequence[bytes], audit: AuditEvent
    ) -> tuple[str | None, ...]:
        """Mark voters as voted without a ballot (returned postal envelopes)."""
        ...

    def forget_casting_order(self, contest_id: str) -> None:
        """Erase physical traces (row versions, write-ahead log) of the order of voting."""
        ...

    def add_paper_batch(
        self,
        contest_id: str,
        batch: PaperBatchRecord,
        ballots: Sequence[NewBallot],
        audit: AuditEvent,
        *,
        check: Callable[[PaperLedger], None] | None = None,
    ) -> None:
        """Store a batch of paper ballots (while the ballot is open or closed).

        ``check`` is called with the class's :class:`PaperLedger`, read in the same
        transaction with other batch entries of the contest held off, and may raise to refuse
        the batch: nothing is then stored.
        """
        ...

    def paper_ledgers(self, contest_id: str) -> tuple[PaperLedger, ...]:
        """The :class:`PaperLedger` of every voter class with electors or paper batches."""
        ...

    def paper_batches(self, contest_id: str) -> tuple[PaperBatchRecord, ...]:
        """Every paper batch of the contest."""
        ...

    def ballots(self, contest_id: str) -> Iterator[BallotRecord]:
        """Every stored ballot, ordered by its random id."""
        ...

    def ballot_by_tracker(self, contest_id: str, tracker: str) -> BallotRecord | None:
        """The ballot with this receipt tracker, if any."""
        ...

    def turnout(self, contest_id: str) -> tuple[Turnout, ...]:
        """Electors and online voters by class."""
        ...

    def save_results(
        self,
        contest_id: str,
        results: Mapping[str, str],
        *,
        from_state: str,
        to_state: str,
        count_spec: str,
        audit: AuditEvent,
    ) -> None:
        """Store the count, the specification it used, and move the contest on, at once."""
        ...

    def results(self, contest_id: str) -> dict[str, str]:
        """The stored count by scope (``total`` and each class)."""
        ...

    def table_rows(
        self, contest_id: str, table: str, columns: Sequence[str] | None = None
    ) -> Iterator[tuple[str, ...]]:
        """A contest's rows of a table (by primary key, every column as text), for digests."""
        ...

    def append_audit(self, audit: AuditEvent) -> AuditEntry:
        """Append an entry to the audit log."""
        ...

    def audit_entries(self) -> Iterator[AuditEntry]:
        """The audit log in order."""
        ...

    def audit_head(self) -> tuple[int, str]:
        """The last sequence number and hash the log's head row records."""
        ...
