"""Contest use cases: create, nominate, import the roll, issue credentials, cast, count, declare.

:class:`ContestService` is what the command line and the web app call. It holds no state of its
own beyond the store, a clock and the rulebooks it has loaded: every change goes through the
store in one transaction together with its audit-log entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from mandate.crypto import (
    Signer,
    contest_credential_key,
    credential_hash,
    format_credential,
    format_tracker,
    key_fingerprint,
    keyed_credential_hash,
    parse_tracker,
)
from mandate.errors import (
    BallotClosedError,
    ConfigError,
    ContestError,
    CredentialError,
    IllegalTransitionError,
    InputError,
    NotFoundError,
    SigningKeyError,
)
from mandate.ids import check_contest_id
from mandate.rules import Ballot as RulebookBallot
from mandate.rules import Rulebook, decide_eligibility, load_rulebook
from mandate.service.audit import SEALED, AuditReport, online_digest, verify_audit
from mandate.service.ballots import stored_ranking, validate_choices
from mandate.service.checkpoints import CHECKPOINT, make_checkpoint, publish_checkpoint
from mandate.service.college import check_college_rulebook
from mandate.service.lifecycle import (
    Action,
    ContestState,
    check_close_nominations,
    check_open_ballot,
    require_no_issues,
    transition_for,
)
from mandate.service.nominations import nomination_problems
from mandate.service.paper import check_paper_batch, check_spoilt
from mandate.service.rolls import collector_paused, read_roll
from mandate.service.turnout import ClassTurnout
from mandate.storage.ports import (
    AuditEvent,
    CandidateRecord,
    ContestKeys,
    ContestRecord,
    ContestStore,
    ElectorRecord,
    ExclusionRecord,
    NewBallot,
    PaperBatchRecord,
    Turnout,
)
from mandate.wording import plural

__all__ = [
    "CREDENTIALS_ISSUED",
    "ContestService",
    "Receipt",
    "RollReport",
    "spec_to_json",
    "utc_now",
]

CREDENTIALS_ISSUED = "credentials_issued"
"""Contest parameter set once credentials have been exported."""

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def spec_to_json(ballot: RulebookBallot, *, seed: str) -> dict[str, Any]:
    """A rulebook ballot as the count spec a contest stores (read back by ``spec_from_json``).

    A college's section weights (as fractions in text) or its points per district (and the
    full-points minimum), an exhaustive ballot's first-round minimum and the size it reduces
    the field to, and a forwards previous-round tie-break are stored only when the rulebook
    sets them.
    """
    spec: dict[str, Any] = {
        "method": ballot.method.value,
        "seats": ballot.seats,
        "stv_rules": ballot.stv_rules.value if ballot.stv_rules else None,
        "tiebreak": ballot.tiebreak.value,
        "seed": seed,
        "clause": ballot.clause.ref,
    }
    if ballot.tiebreak_forwards:
        spec["tiebreak_forwards"] = True
    if ballot.sections:
        spec["sections"] = {name: str(weight) for name, weight in ballot.sections}
    if ballot.district_points is not None:
        spec["district_points"] = ballot.district_points
    if ballot.full_points_minimum is not None:
        spec["full_points_minimum"] = ballot.full_points_minimum
    if ballot.first_round_minimum is not None:
        spec["first_round_minimum"] = ballot.first_round_minimum
    if ballot.until is not None:
        spec["until"] = ballot.until
    return spec


class CandidateStatus(Enum):
    """Where a candidate stands (stored as the value)."""

    NOMINATED = "nominated"
    STANDING = "standing"
    WITHDRAWN = "withdrawn"
    VOID = "void"


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    """What a voter keeps after casting: the tracker to look their ballot up later."""

    contest_id: str
    tracker: str
    cast_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class RollReport:
    """The outcome of a roll import: electors by class and who was excluded, and why."""

    read: int
    eligible_by_class: tuple[tuple[str, int], ...]
    excluded: tuple[ExclusionRecord, ...]

    @property
    def eligible(self) -> int:
        """Electors on the roll."""
        return sum(n for _, n in self.eligible_by_class)

    def excluded_by_reason(self) -> tuple[tuple[str, int], ...]:
        """How many were excluded for each reason (with its clause), most first."""
        counts = Counter(f"{x.reason} ({x.clause})" for x in self.excluded)
        return tuple(counts.most_common())


_CLOSED_WORDS = "has closed: no more ballots are accepted"
_NOT_OPEN_WORDS = {
    ContestState.NOMINATIONS_CLOSED: "has not opened yet: come back when the ballot opens",
    ContestState.BALLOT_CLOSED: _CLOSED_WORDS,
    ContestState.COUNTED: _CLOSED_WORDS,
    ContestState.DECLARED: _CLOSED_WORDS,
}
"""What a voter is told whose credential is for a contest whose ballot is not open now."""


class ContestService:
    """The contest use cases over a :class:`~mandate.storage.ports.ContestStore`.

    Args:
        server_secret: the server secret (:mod:`mandate.service.keys`), from which each
            contest's credential key is derived; ``None``: anything needing one refuses.
        signer: the returning officer's key, if this service holds one (a command run with
            ``--key-file``, a server started with it); each step that signs may also be given
            one of its own.
        published_dir: where signed checkpoints are published (``published/<contest>/``);
            ``None``: kept in the audit log only.
    """

    def __init__(
        self,
        store: ContestStore,
        *,
        clock: Clock = utc_now,
        server_secret: bytes | None = None,
        signer: Signer | None = None,
        published_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.server_secret = server_secret
        self.signer = signer
        self.published_dir = published_dir
        self._rulebooks: dict[str, Rulebook] = {}
        self._keys: dict[str, ContestKeys] = {}
        self._papers: dict[str, tuple[str, tuple[str, ...]]] = {}

    def close(self) -> None:
        """Release the store's database connections."""
        self.store.close()

    # -- helpers -----------------------------------------------------------------------

    def audit_event(
        self, contest_id: str | None, actor: str, action: str, **payload: object
    ) -> AuditEvent:
        """An audit-log entry to append with a change, stamped now (UTC, to the second)."""
        return AuditEvent(
            contest_id=contest_id,
            actor=actor,
            action=action,
            payload=payload,
            recorded_at=self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def _today(self) -> dt.date:
        return self.clock().astimezone(dt.UTC).date()

    def rulebook(self, contest: ContestRecord) -> Rulebook:
        """The rulebook a contest was created from."""
        if contest.rulebook_ref not in self._rulebooks:
            self._rulebooks[contest.rulebook_ref] = load_rulebook(contest.rulebook_ref)
        return self._rulebooks[contest.rulebook_ref]

    def keys(self, contest_id: str) -> ContestKeys:
        """The contest's public key as stored (cached)."""
        if contest_id not in self._keys:
            self._keys[contest_id] = self.store.get_keys(contest_id)
        return self._keys[contest_id]

    def credential_key(self, contest_id: str) -> bytes:
        """The contest's credential key, derived from the server secret.

        Raises:
            ConfigError: the service was started without a server secret.
        """
        if self.server_secret is None:
            raise ConfigError(
                "no server secret: credentials cannot be made or checked. Make one with "
                "`mandate keys secret PATH` (keep it outside the data folder) and give it "
                "with --secret-file or MANDATE_SECRET_FILE"
            )
        return contest_credential_key(self.server_secret, contest_id)

    def signer_for(self, contest_id: str | None, signer: Signer | None = None) -> Signer:
        """The key to sign a step of a contest with: the one given, else the service's own.

        Raises:
            SigningKeyError: no key, or a key that is not the contest's.
        """
        chosen = signer or self.signer
        if chosen is None:
            raise SigningKeyError(
                "this step is signed with the returning officer's key: give --key-file "
                "(and its passphrase), or choose the key file and type its passphrase in the form"
            )
        if contest_id is not None:
            expected = self.public_key(contest_id)
            if chosen.public_key != expected:
                raise SigningKeyError(
                    f"the key given (fingerprint {key_fingerprint(chosen.public_key)}) is not "
                    f"the key of contest {contest_id!r} (fingerprint {key_fingerprint(expected)})"
                )
        return chosen

    def checkpoints(self, contest_id: str) -> list[dict[str, Any]]:
        """The contest's signed checkpoints, in order, from the audit log."""
        return [
            json.loads(entry.payload)
            for entry in self.store.audit_entries()
            if entry.contest_id == contest_id and entry.action == CHECKPOINT
        ]

    def last_checkpoint(self, contest_id: str) -> dict[str, Any] | None:
        """The contest's last signed checkpoint in the audit log, if any."""
        signed = self.checkpoints(contest_id)
        return signed[-1] if signed else None

    def checkpoint(self, contest_id: str, action: str, signer: Signer, *, actor: str) -> None:
        """Sign the audit log's head for the contest's new state, log it, and publish it."""
        signed = make_checkpoint(
            self.store,
            signer,
            contest_id=contest_id,
            action=action,
            state=self.state(contest_id),
            previous=self.last_checkpoint(contest_id),
            signed_at=self.audit_event(None, actor, "").recorded_at,
        )
        self.store.append_audit(self.audit_event(contest_id, actor, CHECKPOINT, **signed))
        if self.published_dir is not None:
            publish_checkpoint(self.published_dir, contest_id, signed)

    def contest(self, contest_id: str) -> ContestRecord:
        """The contest, or NotFoundError."""
        return self.store.get_contest(contest_id)

    def list_contests(self) -> tuple[ContestRecord, ...]:
        """Every contest, by id."""
        return self.store.list_contests()

    def state(self, contest_id: str) -> ContestState:
        """The contest's lifecycle state."""
        return ContestState(self.contest(contest_id).state)

    def public_key(self, contest_id: str) -> str:
        """The contest's Ed25519 public key (hex)."""
        return self.keys(contest_id).public_key

    def _move(
        self,
        contest_id: str,
        action: Action,
        actor: str,
        signer: Signer | None = None,
        *,
        sign: bool = True,
        **payload: object,
    ) -> None:
        state = self.state(contest_id)
        step = transition_for(action, state)
        key = self.signer_for(contest_id, signer)
        moved = self.store.transition(
            contest_id,
            from_state=step.source.value,
            to_state=step.target.value,
            audit=self.audit_event(
                contest_id,
                actor,
                action.value,
                **{"from": step.source.value, "to": step.target.value, **payload},
            ),
        )
        if not moved:  # another officer moved it first
            transition_for(action, self.state(contest_id))
        if sign:
            self.checkpoint(contest_id, action.value, key, actor=actor)

    def _require_state(
        self, contest_id: str, action: str, allowed: Iterable[ContestState], rule: str
    ) -> ContestRecord:
        contest = self.contest(contest_id)
        states = tuple(allowed)
        if ContestState(contest.state) not in states:
            raise IllegalTransitionError(
                action=action,
                state=ContestState(contest.state).label,
                allowed=(),
                clause=f"{rule}; possible while the contest is "
                + " or ".join(s.label for s in states),
            )
        return contest

    # -- creating and nominating -------------------------------------------------------

    def create_contest(
        self,
        *,
        contest_id: str,
        rulebook_ref: str,
        title: str | None = None,
        params: Mapping[str, str] | None = None,
        actor: str = "returning officer",
        signer: Signer | None = None,
    ) -> ContestRecord:
        """Create a contest in draft from a rulebook (a shipped name or a file path).

        The contest's public key is the signer's (the returning officer's key file): only its
        public half is stored, and the creation is the first signed checkpoint.

        Raises:
            InputError: a contest id that does not match
                :data:`~mandate.ids.CONTEST_ID_PATTERN` (a published folder's and a URL's
                name), or a title longer than 300 characters or of more than one line.
            RulebookError: a rulebook that does not load, a param it does not have, or a
                college the contest cannot count over its voter classes
                (:func:`~mandate.service.college.check_college_rulebook`).
        """
        check_contest_id(contest_id)
        if title is not None:
            title = check_title(title)
        rulebook = load_rulebook(rulebook_ref)
        check_college_rulebook(rulebook)
        resolved = rulebook.resolve_params(params)
        spec = spec_to_json(rulebook.ballot, seed=contest_id)
        key = self.signer_for(None, signer)
        record = ContestRecord(
            id=contest_id,
            title=title or rulebook.title,
            rulebook_ref=str(rulebook_ref),
            rulebook_id=str(rulebook.id),
            state=ContestState.DRAFT.value,
            count_spec=json.dumps(spec, sort_keys=True),
            voter_classes=tuple((c.id, c.title) for c in rulebook.voter_classes),
            params=resolved,
            created_on=self._today(),
        )
        self.store.create_contest(
            record,
            ContestKeys(public_key=key.public_key),
            (),
            self.audit_event(
                contest_id,
                actor,
                "contest created",
                rulebook=str(rulebook.id),
                title=record.title,
                params=resolved,
                count_spec=spec,
                public_key=key.public_key,
            ),
        )
        self._rulebooks[record.rulebook_ref] = rulebook
        self.checkpoint(contest_id, "contest created", key, actor=actor)
        return record

    def open_nominations(
        self, contest_id: str, *, actor: str = "returning officer", signer: Signer | None = None
    ) -> None:
        """Open nominations (a signed step)."""
        self._move(contest_id, Action.OPEN_NOMINATIONS, actor, signer)

    def nominate(
        self,
        contest_id: str,
        name: str,
        *,
        nominations: int | None = None,
        automatic: str | None = None,
        actor: str = "returning officer",
    ) -> CandidateRecord:
        """Record a candidate and their count of nominations (or why they need none).

        Args:
            nominations: valid nominations received (checked against the threshold at close).
            automatic: the basis on which the candidate stands without nominations (e.g. the
                incumbent in a challenge), with its clause; such a candidate is standing.

        Raises:
            InputError: every problem :func:`~mandate.service.nominations.nomination_problems`
                finds (a count and a basis both or neither, another spelling of a recorded
                name, a ``>`` in the name); nothing is recorded.
        """
        self._require_state(
            contest_id,
            "record a nomination",
            (ContestState.NOMINATIONS_OPEN,),
            "lifecycle rule L2: nominations are recorded while they are open",
        )
        name = name.strip()
        current = list(self.store.candidates(contest_id))
        problems = nomination_problems(
            name,
            nominations=nominations,
            automatic=automatic,
            recorded=[c.name for c in current],
        )
        if problems:
            raise InputError("; ".join(p.message for p in problems))
        automatic = (automatic or "").strip() or None
        existing = next((c for c in current if c.candidate_id == name), None)
        record = CandidateRecord(
            candidate_id=name,
            position=existing.position if existing else len(current),
            name=name,
            status=(CandidateStatus.STANDING if automatic else CandidateStatus.NOMINATED).value,
            nominations=nominations,
            basis=automatic or "",
        )
        updated = [record if c.candidate_id == name else c for c in current]
        if existing is None:
            updated.append(record)
        self.store.put_candidates(
            contest_id,
            updated,
            self.audit_event(
                contest_id,
                actor,
                "nomination recorded",
                candidate=name,
                nominations=nominations,
                automatic=automatic,
            ),
        )
        return record

    def withdraw(self, contest_id: str, name: str, *, actor: str = "returning officer") -> None:
        """Record that a candidate withdrew before nominations closed."""
        self._require_state(
            contest_id,
            "record a withdrawal",
            (ContestState.NOMINATIONS_OPEN,),
            "lifecycle rule L2: withdrawals are recorded while nominations are open",
        )
        current = self.store.candidates(contest_id)
        if name not in {c.candidate_id for c in current}:
            raise NotFoundError(f"no candidate {name!r} in contest {contest_id!r}")
        updated = [
            CandidateRecord(
                candidate_id=c.candidate_id,
                position=c.position,
                name=c.name,
                status=CandidateStatus.WITHDRAWN.value,
                nominations=c.nominations,
                basis="withdrew",
            )
            if c.candidate_id == name
            else c
            for c in current
        ]
        self.store.put_candidates(
            contest_id, updated, self.audit_event(contest_id, actor, "withdrawal", candidate=name)
        )

    def close_nominations(
        self,
        contest_id: str,
        *,
        threshold: int,
        basis: str,
        actor: str = "returning officer",
        signer: Signer | None = None,
    ) -> tuple[CandidateRecord, ...]:
        """Close nominations: candidates below ``threshold`` are void, the rest stand.

        Args:
            threshold: nominations needed, as the rulebook's evaluator computed it.
            basis: the arithmetic and clause of the threshold, recorded with each decision.
        """
        self._require_state(
            contest_id,
            Action.CLOSE_NOMINATIONS.value,
            (ContestState.NOMINATIONS_OPEN,),
            "lifecycle rule L2: nominations close only while they are open",
        )
        key = self.signer_for(contest_id, signer)
        decided: list[CandidateRecord] = []
        for c in self.store.candidates(contest_id):
            if c.status == CandidateStatus.NOMINATED.value:
                got = c.nominations or 0
                ok = got >= threshold
                c = CandidateRecord(
                    candidate_id=c.candidate_id,
                    position=c.position,
                    name=c.name,
                    status=(CandidateStatus.STANDING if ok else CandidateStatus.VOID).value,
                    nominations=c.nominations,
                    basis=f"{plural(got, 'nomination')} {'≥' if ok else '<'} {threshold:,} "
                    f"needed; {basis}",
                )
            decided.append(c)
        standing = sum(c.status == CandidateStatus.STANDING.value for c in decided)
        require_no_issues(Action.CLOSE_NOMINATIONS, check_close_nominations(standing=standing))
        self.store.put_candidates(
            contest_id,
            decided,
            self.audit_event(
                contest_id,
                actor,
                "nominations decided",
                threshold=threshold,
                basis=basis,
                standing=[c.name for c in decided if c.status == CandidateStatus.STANDING.value],
                void=[c.name for c in decided if c.status == CandidateStatus.VOID.value],
            ),
        )
        self._move(contest_id, Action.CLOSE_NOMINATIONS, actor, key)
        return tuple(decided)

    def standing(self, contest_id: str) -> tuple[CandidateRecord, ...]:
        """The candidates on the ballot paper, in order."""
        return tuple(
            c
            for c in self.store.candidates(contest_id)
            if c.status == CandidateStatus.STANDING.value
        )

    def candidates(self, contest_id: str) -> tuple[CandidateRecord, ...]:
        """Every candidate nominated, whatever their status, in ballot-paper order."""
        return self.store.candidates(contest_id)

    # -- the roll and credentials ------------------------------------------------------

    def exclusions(self, contest_id: str) -> tuple[ExclusionRecord, ...]:
        """The roll import report: who was excluded and why."""
        return self.store.exclusions(contest_id)

    def import_roll(
        self,
        contest_id: str,
        paths: Sequence[Path],
        *,
        on: dt.date | None = None,
        actor: str = "returning officer",
    ) -> RollReport:
        """Import the roll from CSV files, apply the rulebook's eligibility, store the electors.

        Every file is read and checked before anything is stored; a bad row stops the import
        with its file and line and nothing changes. ``on`` is the date eligibility is decided
        on (default: today).

        Raises:
            RollImportError: a bad file (file and line).
            IllegalTransitionError: the ballot has opened (the roll is frozen).
        """
        contest = self._require_state(
            contest_id,
            "import the roll",
            (ContestState.DRAFT, ContestState.NOMINATIONS_OPEN, ContestState.NOMINATIONS_CLOSED),
            "lifecycle rule R1: the roll is frozen when the ballot opens",
        )
        if contest.params.get(CREDENTIALS_ISSUED):
            raise ContestError(
                "the roll cannot be replaced after credentials were issued "
                "(lifecycle rule R2: credentials are issued against a final roll)"
            )
        rulebook = self.rulebook(contest)
        class_ids = [c.id for c in rulebook.voter_classes]
        seen: dict[str, dict[str, int]] = {}
        entries = [e for path in paths for e in read_roll(path, voter_classes=class_ids, seen=seen)]
        del seen
        decided_on = on or self._today()
        params = {k: v for k, v in contest.params.items() if k in rulebook.default_params()}
        with collector_paused():
            report = decide_eligibility(rulebook, entries, on=decided_on, params=params)
        by_id = {e.member_id: e for e in entries}
        # made as they are stored, a batch at a time, not all held beside the roll
        electors = (
            ElectorRecord(
                member_id=str(elector.member_id),
                voter_class=elector.voter_class,
                name=by_id[elector.member_id].name,
                email=by_id[elector.member_id].email,
            )
            for elector in report.eligible
        )
        exclusions = tuple(
            ExclusionRecord(
                seq=n,
                member_id=str(x.entry.member_id),
                voter_class=x.entry.voter_class,
                reason=x.reason,
                clause=x.clause,
            )
            for n, x in enumerate(report.excluded, start=1)
        )
        counts = Counter(e.voter_class for e in report.eligible)
        by_class = tuple((c, counts.get(c, 0)) for c in class_ids)
        self.store.replace_roll(
            contest_id,
            electors,
            exclusions,
            self.audit_event(
                contest_id,
                actor,
                "roll imported",
                files=[p.name for p in paths],
                decided_on=decided_on.isoformat(),
                read=len(entries),
                eligible=dict(by_class),
                excluded=len(exclusions),
            ),
        )
        return RollReport(read=len(entries), eligible_by_class=by_class, excluded=exclusions)

    def issue_credentials(
        self, contest_id: str, out: Path, *, actor: str = "returning officer"
    ) -> int:
        """Make one credential per elector, store only their keyed hashes, export them once.

        The CSV (``member_id,voter_class,name,email,credential,key_fingerprint``) is written
        with mode 0600; it is the only copy of the credentials. ``key_fingerprint`` is the
        contest's signing key's, for the letter: the voter can later check that the declared
        result is signed with it. A second export is refused: re-issue a lost
        credential with :meth:`reissue_credential`.

        Raises:
            ContestError: credentials were already exported, or the roll is empty.
        """
        contest = self._require_state(
            contest_id,
            "issue credentials",
            (ContestState.DRAFT, ContestState.NOMINATIONS_OPEN, ContestState.NOMINATIONS_CLOSED),
            "lifecycle rule C1: credentials are issued before the ballot opens",
        )
        if contest.params.get(CREDENTIALS_ISSUED):
            raise ContestError(
                f"credentials for {contest_id!r} were already exported "
                f"({contest.params[CREDENTIALS_ISSUED]}); re-issue single credentials instead"
            )
        if out.exists():
            raise InputError(f"{out}: already exists; credentials are never overwritten")
        key = self.credential_key(contest_id)
        fingerprint = key_fingerprint(self.public_key(contest_id))
        hashes: list[tuple[str, bytes]] = []
        partial = out.with_name(out.name + ".partial")
        out.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(
                    ["member_id", "voter_class", "name", "email", "credential", "key_fingerprint"]
                )
                for elector in self.store.electors(contest_id):
                    credential = format_credential(secrets.token_bytes(13))
                    hashes.append((elector.member_id, keyed_credential_hash(key, credential)))
                    writer.writerow(
                        [
                            elector.member_id,
                            elector.voter_class,
                            elector.name,
                            elector.email,
                            credential,
                            fingerprint,
                        ]
                    )
            if not hashes:
                raise ContestError(f"contest {contest_id!r} has no roll; import it first")
            self.store.set_credentials(
                contest_id,
                hashes,
                self.audit_event(contest_id, actor, "credentials issued", count=len(hashes)),
            )
            params = {**contest.params, CREDENTIALS_ISSUED: self._today().isoformat()}
            self.store.set_params(
                contest_id,
                params,
                self.audit_event(contest_id, actor, "credentials exported", file=out.name),
            )
            partial.rename(out)
        finally:
            partial.unlink(missing_ok=True)
        return len(hashes)

    def reissue_credential(
        self, contest_id: str, member_id: str, *, actor: str = "returning officer"
    ) -> str:
        """Give an elector a new credential; the old one stops working at once.

        Returns the new credential (to send to the elector; it is not stored).

        Raises:
            NotFoundError: not on the roll. ContestError: already voted, or voting is over.
        """
        self._require_state(
            contest_id,
            "re-issue a credential",
            (ContestState.NOMINATIONS_CLOSED, ContestState.BALLOT_OPEN),
            "lifecycle rule C2: credentials are re-issued until the ballot closes",
        )
        voted = self.store.elector_voted(contest_id, member_id)
        if voted is None:
            raise NotFoundError(f"{member_id!r} is not on the roll of {contest_id!r}")
        if voted:
            raise ContestError(f"{member_id!r} has already voted; nothing to re-issue")
        credential = format_credential(secrets.token_bytes(13))
        digest = credential_hash(self.credential_key(contest_id), credential)
        done = self.store.set_credentials(
            contest_id,
            [(member_id, digest)],
            self.audit_event(contest_id, actor, "credential re-issued", member_id=member_id),
        )
        if done != 1:  # pragma: no cover - guarded above
            raise ContestError(f"could not re-issue a credential for {member_id!r}")
        return credential

    # -- the ballot --------------------------------------------------------------------

    def open_ballot(
        self, contest_id: str, *, actor: str = "returning officer", signer: Signer | None = None
    ) -> None:
        """Open the ballot once candidates, roll and credentials are ready (a signed step)."""
        contest = self.contest(contest_id)
        transition_for(Action.OPEN_BALLOT, ContestState(contest.state))
        electors = sum(t.electors for t in self.store.turnout(contest_id))
        require_no_issues(
            Action.OPEN_BALLOT,
            check_open_ballot(
                standing=len(self.standing(contest_id)),
                electors=electors,
                credentials_issued=bool(contest.params.get(CREDENTIALS_ISSUED)),
            ),
        )
        self._move(
            contest_id,
            Action.OPEN_BALLOT,
            actor,
            signer,
            candidates=[c.name for c in self.standing(contest_id)],
            electors=electors,
        )

    def close_ballot(
        self, contest_id: str, *, actor: str = "returning officer", signer: Signer | None = None
    ) -> None:
        """Close the ballot: from now on no online ballot is accepted (a signed step, after
        the online ballots are sealed)."""
        key = self.signer_for(contest_id, signer)
        self._move(contest_id, Action.CLOSE_BALLOT, actor, key, sign=False)
        self.store.forget_casting_order(contest_id)
        count, digest = online_digest(self.store, contest_id)
        self.store.append_audit(
            self.audit_event(contest_id, actor, SEALED, ballots=count, ballot_digest=digest)
        )
        self.checkpoint(contest_id, Action.CLOSE_BALLOT.value, key, actor=actor)

    def find_contest_for(self, credential: str) -> str:
        """The open contest a credential belongs to.

        A credential of a contest whose ballot has closed (or not opened yet) is told so:
        it is right, only too late (or too early), and no failed attempt.

        Raises:
            CredentialError: malformed, or not issued for any open contest.
            BallotClosedError: issued for a contest whose ballot is not open now.
        """
        contests = self.store.list_contests()
        for contest in contests:
            if contest.state != ContestState.BALLOT_OPEN.value:
                continue
            digest = credential_hash(self.credential_key(contest.id), credential)
            if self.store.credential_known(contest.id, digest):
                return contest.id
        for contest in contests:
            state = ContestState(contest.state)
            if state in _NOT_OPEN_WORDS and self._issued_for(contest.id, credential):
                raise BallotClosedError(f"voting in {contest.title!r} {_NOT_OPEN_WORDS[state]}")
        raise CredentialError(
            "credential not recognised for any open ballot: check it was typed as it was sent, "
            "or ask for a new one"
        )

    def _issued_for(self, contest_id: str, credential: str) -> bool:
        try:
            digest = credential_hash(self.credential_key(contest_id), credential)
        except (CredentialError, NotFoundError):
            return False
        return self.store.credential_known(contest_id, digest)

    def credential_status(self, credential: str) -> tuple[str, bool]:
        """The open contest a credential is for, and whether it has been used to vote.

        For the voter's first page: a used credential is told it has voted, without casting.

        Raises:
            CredentialError: malformed, or not issued for any open contest.
        """
        contest_id = self.find_contest_for(credential)
        return contest_id, self.credential_used(contest_id, credential)

    def credential_used(self, contest_id: str, credential: str) -> bool:
        """Whether a credential of a contest has already been used to vote.

        Read-only, for the voter's first page; casting itself decides race-free.
        """
        digest = credential_hash(self.credential_key(contest_id), credential)
        return bool(self.store.credential_voted(contest_id, digest))

    def _new_ballot(self, ranking_text: str, *, channel: str = "online") -> NewBallot:
        return NewBallot(
            id=secrets.token_hex(16),
            tracker=format_tracker(secrets.token_bytes(10)),
            ranking=ranking_text,
            cast_on=self._today(),
            channel=channel,
        )

    def ballot_paper(self, contest_id: str) -> tuple[str, tuple[str, ...]]:
        """The counting method and the candidates standing, in ballot-paper order.

        Fixed once nominations close, so it is read once per contest from then on.
        """
        if contest_id in self._papers:
            return self._papers[contest_id]
        contest = self.contest(contest_id)
        paper = (
            str(json.loads(contest.count_spec)["method"]),
            tuple(c.candidate_id for c in self.standing(contest_id)),
        )
        if ContestState(contest.state) not in (ContestState.DRAFT, ContestState.NOMINATIONS_OPEN):
            self._papers[contest_id] = paper
        return paper

    def _validate(
        self, contest_id: str, choices: Sequence[str], where: str, ballot: int | None = None
    ) -> str:
        method, standing = self.ballot_paper(contest_id)
        return stored_ranking(
            validate_choices(choices, standing=standing, method=method, where=where, ballot=ballot)
        )

    def cast(
        self, credential: str, choices: Sequence[str], *, contest_id: str | None = None
    ) -> Receipt:
        """Cast a ballot: validate it, store it with a random tracker, mark the voter voted.

        All in one transaction; nothing links the stored ballot to the voter.

        Raises:
            CredentialError: malformed, forged or replaced credential.
            AlreadyVotedError: the credential was used before.
            BallotClosedError: the ballot is not open.
            InvalidBallotError, UnknownCandidateError: choices the contest does not allow.
        """
        if contest_id is None:
            contest_id = self.find_contest_for(credential)
        digest = credential_hash(self.credential_key(contest_id), credential)
        ballot = self._new_ballot(self._validate(contest_id, choices, "ballot"))
        self.store.cast(contest_id, digest, ballot)
        return Receipt(contest_id=contest_id, tracker=ballot.tracker, cast_on=ballot.cast_on)

    def cast_many(
        self, contest_id: str, items: Sequence[tuple[str, Sequence[str]]]
    ) -> tuple[Receipt | str, ...]:
        """Cast a batch of ballots in one transaction (for bulk loads such as the demo).

        Each item is validated exactly as :meth:`cast` validates; a refused item gives its
        reason as text in place of a receipt, and the others are stored.
        """
        key = self.credential_key(contest_id)
        prepared: list[tuple[bytes, NewBallot]] = []
        results: list[Receipt | str | None] = []
        texts: dict[tuple[str, ...], str] = {}
        for number, (credential, choices) in enumerate(items, start=1):
            try:
                digest = credential_hash(key, credential)
                key_choices = tuple(choices)
                if key_choices not in texts:
                    texts[key_choices] = self._validate(contest_id, choices, f"ballot {number}")
                prepared.append((digest, self._new_ballot(texts[key_choices])))
                results.append(None)
            except (CredentialError, InputError) as error:
                results.append(str(error))
        outcomes = iter(self.store.cast_many(contest_id, prepared))
        ballots = iter(prepared)
        final: list[Receipt | str] = []
        for result in results:
            if result is not None:
                final.append(result)
                continue
            outcome = next(outcomes)
            _, ballot = next(ballots)
            if outcome.refusal is not None:
                final.append(outcome.refusal)
            else:
                final.append(
                    Receipt(contest_id=contest_id, tracker=ballot.tracker, cast_on=ballot.cast_on)
                )
        return tuple(final)

    def record_envelopes(
        self, contest_id: str, credentials: Sequence[str], *, actor: str = "returning officer"
    ) -> tuple[str | None, ...]:
        """Record returned postal envelopes by the credential printed on each: their voters
        are marked as voted, so the same credential can no longer vote online.

        Envelopes are opened apart from the ballot papers inside them, which are entered in
        batches (:meth:`enter_paper_batch`) with nothing that links them to an envelope. For
        each envelope the result is ``None`` if accepted, or the reason it was refused (the
        credential is unknown, or already voted online): set that envelope's ballot paper
        aside unopened.
        """
        key = self.credential_key(contest_id)
        hashes: list[bytes] = []
        refused: dict[int, str] = {}
        for number, credential in enumerate(credentials):
            try:
                hashes.append(credential_hash(key, credential))
            except CredentialError as error:
                refused[number] = f"envelope {number + 1}: {error}"
        outcomes = iter(
            self.store.mark_voted(
                contest_id,
                hashes,
                self.audit_event(
                    contest_id,
                    actor,
                    "postal envelopes recorded",
                    envelopes=len(credentials),
                    malformed=len(refused),
                ),
            )
        )
        results: list[str | None] = []
        for number in range(len(credentials)):
            if number in refused:
                results.append(refused[number])
                continue
            outcome = next(outcomes)
            results.append(None if outcome is None else f"envelope {number + 1}: {outcome}")
        return tuple(results)

    def enter_paper_batch(
        self,
        contest_id: str,
        *,
        label: str,
        voter_class: str,
        ballots: Sequence[Sequence[str]],
        spoilt: int = 0,
        actor: str = "returning officer",
    ) -> PaperBatchRecord:
        """Enter a batch of paper ballots of one voter class, validated like online ones.

        Raises:
            InvalidBallotError, UnknownCandidateError: a ballot of the batch, numbered in the
                message and as the error's ``ballot`` (from 1); nothing of the batch is stored.
            InputError: an unknown voter class, no label, or a batch with neither ballots
                nor spoilt papers.
            PaperBatchError: a spoilt count that is negative or too large, a label entered
                before, or more papers than the class's returned envelopes not yet matched
                by papers (:func:`~mandate.service.paper.check_paper_batch`).
        """
        contest = self._require_state(
            contest_id,
            "enter a paper batch",
            (ContestState.BALLOT_OPEN, ContestState.BALLOT_CLOSED),
            "lifecycle rule P1: paper ballots are entered after the ballot opens and "
            "before the count",
        )
        classes = [c for c, _ in contest.voter_classes]
        if voter_class not in classes:
            raise InputError(
                f"unknown voter class {voter_class!r} (the contest has: {', '.join(classes)})"
            )
        if not label.strip():
            raise InputError("a paper batch needs a label")
        check_spoilt(label.strip(), spoilt)
        if not ballots and not spoilt:
            raise InputError(
                f"paper batch {label.strip()!r} has no ballots and no spoilt papers: "
                "enter its ballots, or the number of spoilt papers if every one was spoilt"
            )
        batch_id = secrets.token_hex(16)
        new = [
            NewBallot(
                id=secrets.token_hex(16),
                tracker=format_tracker(secrets.token_bytes(10)),
                ranking=self._validate(contest_id, choices, f"{label}: ballot {n}", n),
                cast_on=self._today(),
                channel="paper",
                batch_id=batch_id,
            )
            for n, choices in enumerate(ballots, start=1)
        ]
        batch = PaperBatchRecord(
            id=batch_id,
            label=label.strip(),
            voter_class=voter_class,
            entered_by=actor,
            ballots=len(new),
            spoilt=spoilt,
            entered_on=self._today(),
        )
        title = dict(contest.voter_classes)[voter_class]
        self.store.add_paper_batch(
            contest_id,
            batch,
            new,
            check=lambda ledger: check_paper_batch(
                ledger, label=batch.label, class_title=title, ballots=len(new), spoilt=spoilt
            ),
            audit=self.audit_event(
                contest_id,
                actor,
                "paper batch entered",
                label=batch.label,
                voter_class=voter_class,
                ballots=len(new),
                spoilt=spoilt,
            ),
        )
        return batch

    def paper_batches(self, contest_id: str) -> tuple[PaperBatchRecord, ...]:
        """Every paper batch entered for the contest."""
        return self.store.paper_batches(contest_id)

    def turnout(self, contest_id: str) -> tuple[Turnout, ...]:
        """Electors and online voters by class (live while the ballot is open)."""
        return self.store.turnout(contest_id)

    def turnout_by_class(self, contest_id: str) -> tuple[ClassTurnout, ...]:
        """Electors and online voters of every voter class of the contest, in its order.

        A class with nobody on the roll yet shows zero electors.
        """
        counts = {t.voter_class: t for t in self.store.turnout(contest_id)}
        return tuple(
            ClassTurnout(
                voter_class=class_id,
                title=title,
                electors=counts[class_id].electors if class_id in counts else 0,
                voted=counts[class_id].voted if class_id in counts else 0,
            )
            for class_id, title in self.contest(contest_id).voter_classes
        )

    def verify_audit(self, *, public_keys: Mapping[str, str] | None = None) -> AuditReport:
        """Check the audit log's hash chain, the ballots it sealed and the signed checkpoints
        (see :func:`mandate.service.audit.verify_audit`), each contest's against its announced
        key if given in ``public_keys`` (contest id → hex)."""
        return verify_audit(self.store, published_dir=self.published_dir, public_keys=public_keys)

    def find_tracker(self, contest_id: str, tracker: str) -> bool:
        """Whether a ballot with this receipt tracker is in the contest's stored ballots
        (forgiving case, spaces and dashes as :func:`~mandate.crypto.parse_tracker` does).

        Raises:
            InputError: text that cannot be a tracker.
        """
        return self.store.ballot_by_tracker(contest_id, parse_tracker(tracker)) is not None


MAX_TITLE_LENGTH = 300
"""The longest contest title, in characters (the store's limit)."""


def check_title(title: str) -> str:
    """A contest title as it will be shown and published: one line, 1 to 300 characters.

    Raises:
        InputError: empty, too long, or holding a line break or other control character.
    """
    text = title.strip()
    if not text or len(text) > MAX_TITLE_LENGTH:
        raise InputError(
            f"a contest title needs 1 to {MAX_TITLE_LENGTH} characters (got {len(text)})"
        )
    if any(not char.isprintable() for char in text):
        raise InputError(f"a contest title is one line of printable text (got {text[:60]!r})")
    return text
