"""Counting a closed contest, declaring it, and publishing its records.

The count reads the stored ballots, builds one :class:`~mandate.ballots.model.Profile` per voter
class and one for all of them, and counts each through
:func:`mandate.counting.registry.count`; an electoral college over the voter classes counts
the classes as its sections instead (:mod:`mandate.service.college`). The declaration
publishes, into ``DATA_DIR/published/<contest>/``:

- ``cvr.json``: every ballot as a NIST SP 1500-103 cast-vote record with its voter class as
  the CVR's ``BallotStyleId``, sorted by voter class and then by ranking (:func:`_ballot_order`):
  no tracker, and no order that leads back to a voter or to the casting order; the
  ``BallotPrePrintedId`` is the record's number in that order;
- ``cvr.csv``: the same ballots, in the same order, in mandate's CSV ballot format (in a
  college, with a ``voter_class`` column);
- ``trackers.txt``: the receipt trackers of the online ballots, sorted, one a line, and nothing
  else: a voter finds theirs to see their ballot is in the count, and anyone can check there
  are as many as online ballots; the tracker is not a receipt of the vote (issue 10, item 8);
- ``result.json``: the counting engine's JSON of the whole count;
- ``declaration.json``: the declaration (result by class, ballots, spoilt, returned, turnout as
  :func:`~mandate.service.turnout.percent` of the integers, the SHA-256 of the other files, the
  count specification), signed with the contest's Ed25519 key.

The records say each ballot's voter class (``BallotStyleId`` in ``cvr.json``; in a college, a
``voter_class`` column in ``cvr.csv`` too), so that each class's count, and a college, can be
recounted from them (docs/results.md lists what ``mandate verify`` derives).

:mod:`mandate.service.verify` checks a published folder against its declaration.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from mandate.ballots.formats.cdf import iter_cdf
from mandate.ballots.formats.csv import iter_csv
from mandate.ballots.formats.sectioned_csv import iter_sectioned_csv
from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.exhaustive import ExhaustiveOptions
from mandate.counting.irv import IrvOptions
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import result_to_json
from mandate.counting.sectioned import count_each_section
from mandate.counting.stv import StvRules
from mandate.counting.tiebreak import TieBreak
from mandate.crypto import Signer, ballot_set_digest, canonical_json
from mandate.errors import InputError, UnknownCandidateError
from mandate.ids import CandidateId
from mandate.service.audit import COUNTED, ballot_fields
from mandate.service.ballots import parse_stored_ranking
from mandate.service.checkpoints import CHECKPOINTS_FILE, checkpoint_hash, write_checkpoints
from mandate.service.college import CLASS_COLUMN, count_by_class
from mandate.service.contests import ContestService
from mandate.service.lifecycle import (
    Action,
    ContestState,
    check_count,
    check_declare,
    require_no_issues,
    transition_for,
)
from mandate.service.paper import check_returns
from mandate.service.turnout import percent

__all__ = [
    "DECLARATION_FORMAT",
    "LEGACY_DECLARATION_FORMAT",
    "LEGACY_PUBLISHED_FILES",
    "PUBLISHED_FILES",
    "ContestCount",
    "check_lot",
    "count_contest",
    "declare_contest",
    "spec_from_json",
]

DECLARATION_FORMAT = "mandate-declaration/2"
"""Version 2: ``cvr.json`` without trackers, ``trackers.txt`` published (issue 10, item 8)."""
LEGACY_DECLARATION_FORMAT = "mandate-declaration/1"
"""Version 1: trackers as ``UniqueId`` in ``cvr.json``; still verified, with a warning."""
PUBLISHED_FILES = ("cvr.json", "cvr.csv", "result.json", "trackers.txt")
LEGACY_PUBLISHED_FILES = ("cvr.json", "cvr.csv", "result.json")
TOTAL = "total"


def spec_from_json(spec: Mapping[str, Any]) -> CountSpec:
    """The counting engine's specification from a contest's stored count spec."""
    tiebreak = spec.get("tiebreak")
    lot = spec.get("lot")
    stv_rules = spec.get("stv_rules")
    until = spec.get("until")
    points = spec.get("district_points")
    minimum = spec.get("full_points_minimum")
    options = IrvOptions(
        tiebreak=TieBreak(tiebreak) if tiebreak else TieBreak.PREVIOUS_ROUND,
        seed=spec.get("seed"),
        lot=tuple(lot) if lot else None,
        tiebreak_forwards=bool(spec.get("tiebreak_forwards", False)),
    )
    return CountSpec(
        method=Method(spec["method"]),
        seats=int(spec.get("seats") or 1),
        stv_rules=StvRules(stv_rules) if stv_rules else None,
        irv=options,
        weights=tuple(
            (name, Fraction(weight)) for name, weight in dict(spec.get("sections") or {}).items()
        ),
        district_points=int(points) if points is not None else None,
        full_points_minimum=int(minimum) if minimum is not None else None,
        exhaustive=ExhaustiveOptions(
            first_round_floor=spec.get("first_round_minimum"),
            # the rulebook's "until": ballots go on until that many remain, majority or not
            stop_at=int(until) if until is not None else 1,
            majority=until is None,
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassTally:
    """Ballots of one voter class (or of all): online, paper, spoilt and electors."""

    voter_class: str
    title: str
    electors: int
    online: int
    paper: int
    spoilt: int

    @property
    def valid(self) -> int:
        """Ballots counted."""
        return self.online + self.paper

    @property
    def returned(self) -> int:
        """Ballots returned: counted and spoilt."""
        return self.valid + self.spoilt


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestCount:
    """The count of a contest: in total and by class, with the ballots behind each."""

    total: CountResult
    by_class: tuple[tuple[str, CountResult], ...]
    tallies: tuple[ClassTally, ...]
    ballots: int
    ballot_digest: str


def _read_ballots(
    service: ContestService, contest_id: str
) -> tuple[tuple[Candidate, ...], dict[str, Counter[str]], Counter[tuple[str, str]], str]:
    """One pass over the stored ballots: rankings by class, ballots by class and channel, and
    the digest of the whole set (as the audit log seals it)."""
    candidates = tuple(
        Candidate(id=CandidateId(c.candidate_id), name=c.name) for c in service.standing(contest_id)
    )
    rankings: dict[str, Counter[str]] = {}
    channels: Counter[tuple[str, str]] = Counter()

    def fields() -> Iterator[tuple[str, ...]]:
        for b in service.store.ballots(contest_id):
            rankings.setdefault(b.voter_class, Counter())[b.ranking] += 1
            channels[(b.voter_class, b.channel)] += 1
            yield ballot_fields(b)

    digest = ballot_set_digest(fields())
    return candidates, rankings, channels, digest


def _profile(
    candidates: tuple[Candidate, ...], counts: Counter[str], seats: int, title: str
) -> Profile:
    return Profile(
        candidates=candidates,
        ballots=tuple(
            Ballot(ranking=parse_stored_ranking(text), count=n)
            for text, n in sorted(counts.items())
        ),
        seats=seats,
        title=title,
    )


def _tallies(
    service: ContestService, contest_id: str, channels: Counter[tuple[str, str]]
) -> tuple[ClassTally, ...]:
    spoilt: Counter[str] = Counter()
    for batch in service.paper_batches(contest_id):
        spoilt[batch.voter_class] += batch.spoilt
    return tuple(
        ClassTally(
            voter_class=t.voter_class,
            title=t.title,
            electors=t.electors,
            online=channels[(t.voter_class, "online")],
            paper=channels[(t.voter_class, "paper")],
            spoilt=spoilt[t.voter_class],
        )
        for t in service.turnout_by_class(contest_id)
    )


def check_lot(lot: Sequence[str], standing: Sequence[str]) -> None:
    """Refuse an order drawn by lot that is not every standing candidate once.

    The returning officer draws lots for every candidate standing, whichever are tied: the
    order decides any tie the rules settle by lot, and is published with the result.

    Raises:
        UnknownCandidateError: a name not standing.
        InputError: a candidate named twice, or one left out.
    """
    known = tuple(standing)
    unknown = [name for name in lot if name not in known]
    if unknown:
        raise UnknownCandidateError(unknown[0], known=known, where="the order drawn by lot")
    twice = sorted({name for name in lot if list(lot).count(name) > 1})
    if twice:
        raise InputError(
            f"the order drawn by lot names {', '.join(twice)} more than once: draw lots for "
            "every candidate standing and give each candidate once, first drawn first"
        )
    missing = [name for name in known if name not in lot]
    if missing:
        raise InputError(
            f"the order drawn by lot leaves out {', '.join(missing)}: draw lots for every "
            "candidate standing and give each candidate once, first drawn first"
        )


def count_contest(
    service: ContestService,
    contest_id: str,
    *,
    lot: Sequence[str] | None = None,
    actor: str = "returning officer",
    signer: Signer | None = None,
) -> ContestCount:
    """Count a closed contest by class and in total, store the counts, move it to counted,
    and sign that checkpoint with the contest's key.

    When the rulebook's ballot is an electoral college, the total is the college over the
    voter classes (:func:`~mandate.service.college.count_by_class`).

    Args:
        lot: the order drawn by lot (every standing candidate once, first drawn first), for
            a tie the rulebook settles by lot; it is recorded in the audit log, in the
            published count specification and in the result's options.

    Raises:
        IllegalTransitionError: the ballot is not closed. IssuesError: no ballots.
        UnresolvedTieError: a tie to be settled by lot and no ``lot`` given.
        UnknownCandidateError, InputError: a ``lot`` that is not every standing candidate
            once (:func:`check_lot`).
    """
    contest = service.contest(contest_id)
    step = transition_for(Action.COUNT, ContestState(contest.state))
    key = service.signer_for(contest_id, signer)
    spec_data = json.loads(contest.count_spec)
    if lot:
        check_lot(lot, [c.candidate_id for c in service.standing(contest_id)])
        spec_data = {**spec_data, "lot": list(lot)}
    spec = spec_from_json(spec_data)
    candidates, rankings, channels, digest = _read_ballots(service, contest_id)
    ballots = sum(channels.values())
    seats = int(spec_data.get("seats") or 1)
    require_no_issues(
        Action.COUNT, check_count(ballots=ballots, seats=seats, standing=len(candidates))
    )
    profiles = {
        class_id: _profile(
            candidates, rankings.get(class_id, Counter()), seats, f"{contest.title}: {title}"
        )
        for class_id, title in contest.voter_classes
    }
    by_class: tuple[tuple[str, CountResult], ...]
    if spec.method is Method.COLLEGE:
        sections = SectionedProfile(sections=tuple(profiles.items()))
        total, by_class = count_by_class(sections, spec)
    else:
        # each class's count is a report: a tie or no valid vote there stops nothing
        by_class = count_each_section(SectionedProfile(sections=tuple(profiles.items())), spec)
        everything: Counter[str] = Counter()
        for counts in rankings.values():
            everything.update(counts)
        total = count(_profile(candidates, everything, seats, contest.title), spec)
    stored = {TOTAL: canonical_json(result_to_json(total)).decode("utf-8")}
    stored.update(
        (class_id, canonical_json(result_to_json(r)).decode("utf-8")) for class_id, r in by_class
    )
    tallies = _tallies(service, contest_id, channels)
    service.store.save_results(
        contest_id,
        stored,
        from_state=step.source.value,
        to_state=step.target.value,
        count_spec=canonical_json(spec_data).decode("utf-8"),
        audit=service.audit_event(
            contest_id,
            actor,
            COUNTED,
            lot=list(lot) if lot else None,
            ballots=ballots,
            ballot_digest=digest,
            elected=[total.name_of(c) for c in total.elected],
            by_class={t.voter_class: t.valid for t in tallies},
        ),
    )
    service.checkpoint(contest_id, Action.COUNT.value, key, actor=actor)
    return ContestCount(
        total=total,
        by_class=by_class,
        tallies=tallies,
        ballots=ballots,
        ballot_digest=digest,
    )


def _write_hashed(path: Path, pieces: Iterable[str]) -> str:
    """Write ``pieces`` to ``path`` as UTF-8, returning the SHA-256 of the bytes written."""
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for piece in pieces:
            data = piece.encode("utf-8")
            digest.update(data)
            handle.write(data)
    return digest.hexdigest()


def _first_round(result: Mapping[str, Any]) -> dict[str, str]:
    rounds = result.get("rounds") or [{}]
    return dict(rounds[0].get("tally") or {})


def _by_class(
    profile: Profile,
    records: Sequence[tuple[Ballot, str]],
    voter_classes: Sequence[tuple[str, str]],
) -> SectionedProfile:
    """The published ballots (one a record, in the records' order) by voter class, in the
    contest's order of classes; a class without ballots is left out."""
    grouped: dict[str, list[Ballot]] = {}
    for ballot, (_, voter_class) in zip(profile.ballots, records, strict=True):
        grouped.setdefault(voter_class, []).append(ballot)
    return SectionedProfile(
        sections=tuple(
            (class_id, Profile(candidates=profile.candidates, ballots=tuple(grouped[class_id])))
            for class_id, _ in voter_classes
            if class_id in grouped
        )
    )


def _ballot_order(ballot: Ballot) -> tuple[tuple[str, ...], ...]:
    """The sort key of a published ballot: its ranking, each rank's candidates sorted.

    The records are published in this order (after the voter class), so their order depends
    on nothing but what the ballots say: not on trackers, ids, casting time or storage order.
    """
    return tuple(tuple(sorted(rank)) for rank in ballot.ranking)


def declare_contest(
    service: ContestService,
    contest_id: str,
    published_root: Path,
    *,
    actor: str = "returning officer",
    signer: Signer | None = None,
) -> Path:
    """Publish the records and the declaration signed with the contest's key; move the contest
    to declared, sign that checkpoint, and publish every signed checkpoint beside it.

    Returns the folder ``published_root/<contest>``.
    """
    contest = service.contest(contest_id)
    step = transition_for(Action.DECLARE, ContestState(contest.state))
    key = service.signer_for(contest_id, signer)
    stored = service.store.results(contest_id)
    total = json.loads(stored[TOTAL]) if TOTAL in stored else None
    require_no_issues(
        Action.DECLARE,
        check_declare(has_total=total is not None, has_winner=bool(total and total["elected"]))
        + check_returns(service.store.paper_ledgers(contest_id), dict(contest.voter_classes)),
    )
    assert total is not None
    folder = published_root / contest_id
    folder.mkdir(parents=True, exist_ok=True)

    candidates = tuple(
        Candidate(id=CandidateId(c.candidate_id), name=c.name) for c in service.standing(contest_id)
    )
    spec_data = json.loads(contest.count_spec)
    # a college's records say each ballot's voter class: its section in the recount
    college = spec_data.get("method") == Method.COLLEGE.value
    class_of = {class_id: class_id for class_id, _ in contest.voter_classes}  # one str a class
    # one Ballot for each distinct ranking, shared by every record that has it: a contest's
    # ballots hold a few rankings many times, and half a million parsed copies took 380 MB
    shared: dict[str, Ballot] = {}
    counts: Counter[tuple[str, str]] = Counter()
    channels: Counter[tuple[str, str]] = Counter()
    trackers: list[str] = []
    for b in service.store.ballots(contest_id):
        if b.ranking not in shared:
            shared[b.ranking] = Ballot(ranking=parse_stored_ranking(b.ranking))
        counts[(class_of.get(b.voter_class, b.voter_class), b.ranking)] += 1
        channels[(b.voter_class, b.channel)] += 1
        if b.channel == "online":
            trackers.append(b.tracker)
    trackers.sort()
    class_rank = {class_id: i for i, (class_id, _) in enumerate(contest.voter_classes)}
    sort_keys = {
        (voter_class, ranking): (
            class_rank.get(voter_class, len(class_rank)),
            voter_class,
            _ballot_order(shared[ranking]),
        )
        for voter_class, ranking in counts
    }
    order = sorted(counts, key=sort_keys.__getitem__)
    records: list[tuple[Ballot, str]] = [
        (shared[ranking], voter_class)
        for voter_class, ranking in order
        for _ in range(counts[(voter_class, ranking)])
    ]
    profile = Profile(
        candidates=candidates,
        ballots=tuple(ballot for ballot, _ in records),
        seats=int(spec_data.get("seats") or 1),
        title=contest.title,
    )
    # both check their input before the first file is opened; then they are written a few
    # records at a time and hashed as written, so neither file is ever whole in memory
    cdf_text = iter_cdf(
        profile,
        contest_name=contest.title,
        ballot_styles=[c for _, c in records],
    )
    csv_text = (
        iter_sectioned_csv(_by_class(profile, records, contest.voter_classes), column=CLASS_COLUMN)
        if college
        else iter_csv(profile)
    )
    hashes = {
        "cvr.json": _write_hashed(folder / "cvr.json", cdf_text),
        "cvr.csv": _write_hashed(folder / "cvr.csv", csv_text),
        "result.json": _write_hashed(
            folder / "result.json", [json.dumps(total, indent=2, ensure_ascii=False) + "\n"]
        ),
        "trackers.txt": _write_hashed(folder / "trackers.txt", (f"{t}\n" for t in trackers)),
    }
    del cdf_text, csv_text, records, profile, shared, class_of, counts, trackers, sort_keys
    tallies = _tallies(service, contest_id, channels)
    electors = sum(t.electors for t in tallies)
    valid = sum(t.valid for t in tallies)
    spoilt = sum(t.spoilt for t in tallies)
    returned = valid + spoilt
    seq, head = service.store.audit_head()
    declaration: dict[str, Any] = {
        "format": DECLARATION_FORMAT,
        "contest": contest.id,
        "title": contest.title,
        "rulebook": contest.rulebook_id,
        "declared_at": service.audit_event(None, actor, "").recorded_at,
        "count_spec": json.loads(contest.count_spec),
        "candidates": [c.name for c in candidates],
        "elected": list(total["elected"]),
        "ballots": {
            "electorate": electors,
            "valid": valid,
            "online": sum(t.online for t in tallies),
            "paper": sum(t.paper for t in tallies),
            "spoilt": spoilt,
            "returned": returned,
            "turnout_percent": percent(returned, electors),
        },
        "by_class": [
            {
                "id": t.voter_class,
                "title": t.title,
                "electorate": t.electors,
                "valid": t.valid,
                "online": t.online,
                "paper": t.paper,
                "spoilt": t.spoilt,
                "returned": t.returned,
                "turnout_percent": percent(t.returned, t.electors),
                "first_round": _first_round(json.loads(stored[t.voter_class]))
                if t.voter_class in stored
                else {},
                "elected": json.loads(stored[t.voter_class])["elected"]
                if t.voter_class in stored
                else [],
            }
            for t in tallies
        ],
        "files": {name: hashes[name] for name in PUBLISHED_FILES},
        "audit_head": {"seq": seq, "hash": head},
        "public_key": service.public_key(contest_id),
    }
    last = service.last_checkpoint(contest_id)
    if last is not None:
        declaration["checkpoint"] = {"n": last["checkpoint"]["n"], "hash": checkpoint_hash(last)}
    signature = key.sign(declaration)
    signed = {
        "declaration": declaration,
        "signature": {"algorithm": "Ed25519", "value": signature},
    }
    (folder / "declaration.json").write_text(
        json.dumps(signed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    service.store.transition(
        contest_id,
        from_state=step.source.value,
        to_state=step.target.value,
        audit=service.audit_event(
            contest_id,
            actor,
            Action.DECLARE.value,
            elected=declaration["elected"],
            files=declaration["files"],
            signature=signature,
        ),
    )
    service.checkpoint(contest_id, Action.DECLARE.value, key, actor=actor)
    write_checkpoints(folder / CHECKPOINTS_FILE, service.checkpoints(contest_id))
    return folder
