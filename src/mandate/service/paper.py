"""Paper ballots checked against the record: labels, envelopes, electors.

A postal voter returns an envelope with their voting code on it and, sealed inside, the ballot
paper. Recording the envelope marks its elector as voted
(:meth:`~mandate.service.contests.ContestService.record_envelopes`); the papers are then
entered in labelled batches with nothing that links them to an envelope. So, for each voter
class:

- a batch's label is used once in a contest (entering a box twice is the mistake it stops);
- the paper ballots and spoilt papers entered may not exceed the envelopes recorded
  (:func:`check_paper_batch`, at entry);
- ballots returned (online, paper and spoilt) may not exceed the electors
  (:func:`check_returns`, before the declaration; ``mandate verify`` checks it again in the
  published record).

The functions here are pure: they take the ledger the store read and return or raise.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from mandate.errors import AmbiguousCandidateError, PaperBatchError, UnknownCandidateError
from mandate.service.lifecycle import Issue
from mandate.storage.ports import PaperLedger

__all__ = [
    "MAX_SPOILT",
    "check_paper_batch",
    "check_returns",
    "check_spoilt",
    "label_key",
    "match_candidate",
    "name_key",
]

MAX_SPOILT = 1_000_000
"""The most spoilt papers one batch can hold (a bound on the number typed, before anything
else: the envelopes recorded bound it further)."""


def label_key(label: str) -> str:
    """A batch label as labels are compared: case and runs of spaces ignored.

    >>> label_key("  Postal  box 1 ") == label_key("postal box 1")
    True
    """
    return " ".join(label.split()).casefold()


def name_key(name: str) -> tuple[str, ...]:
    """A name's words as typed names are compared: accents, case and spacing ignored.

    >>> name_key("  José  MARTÍNEZ-Ruiz ")
    ('jose', 'martinez-ruiz')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(bare.casefold().split())


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


def match_candidate(
    typed: str, standing: Sequence[str], *, where: str | None = None, ballot: int | None = None
) -> str:
    """The standing candidate a choice typed on a paper ballot means.

    A choice is the candidate's number on the ballot paper (from 1, in ``standing``'s
    order), their name exactly, or their name with accents, case and spacing forgiven, or
    whole words of it (``corbyn``), provided one candidate only matches.

    Raises:
        UnknownCandidateError: no candidate matches (or no candidate has that number).
        AmbiguousCandidateError: several do, each named.

    >>> match_candidate("2", ["Ann Lee", "Bob Lee"]), match_candidate("ann", ["Ann Lee", "Bob Lee"])
    ('Bob Lee', 'Ann Lee')
    """
    text = typed.strip()
    if text in standing:
        return text
    if text.isdecimal() and text.isascii():
        number = int(text)
        if 1 <= number <= len(standing):
            return standing[number - 1]
        numbered = tuple(f"{n} {c}" for n, c in enumerate(standing, start=1))
        raise UnknownCandidateError(text, known=numbered, where=where, ballot=ballot)
    key = name_key(text)
    if not key:  # a blank choice: the ballot's own validation names it
        return text
    exact = [c for c in standing if name_key(c) == key]
    found = exact or [c for c in standing if _contains(name_key(c), key)]
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousCandidateError(text, matches=tuple(found), where=where, ballot=ballot)
    raise UnknownCandidateError(text, known=tuple(standing), where=where, ballot=ballot)


def _papers(n: int, what: str = "paper") -> str:
    return f"{n:,} {what}" + ("" if n == 1 else "s")


def check_spoilt(label: str, spoilt: int) -> None:
    """Refuse a spoilt count that is negative or over :data:`MAX_SPOILT`.

    Raises:
        PaperBatchError: about the ``spoilt`` field.
    """
    if spoilt < 0:
        raise PaperBatchError(
            f"paper batch {label!r}: spoilt papers cannot be negative (got {spoilt})",
            label=label,
            field="spoilt",
        )
    if spoilt > MAX_SPOILT:
        raise PaperBatchError(
            f"paper batch {label!r}: {spoilt:,} spoilt papers is more than one batch can hold "
            f"(at most {MAX_SPOILT:,}); check the number typed",
            label=label,
            field="spoilt",
        )


def check_paper_batch(
    ledger: PaperLedger, *, label: str, class_title: str, ballots: int, spoilt: int
) -> None:
    """Refuse a batch whose label was used before, or whose papers the envelopes do not cover.

    Args:
        ledger: the batch's voter class as recorded, read in the transaction that stores it.
        label: the batch's label (stripped). class_title: the class in words, for messages.
        ballots, spoilt: the batch's valid ballots and spoilt papers.

    Raises:
        PaperBatchError: naming the batch, the class and the counts.
    """
    check_spoilt(label, spoilt)
    key = label_key(label)
    for batch in ledger.batches:
        if label_key(batch.label) == key:
            raise PaperBatchError(
                f"a paper batch labelled {batch.label!r} was already entered on "
                f"{batch.entered_on.isoformat()} by {batch.entered_by} "
                f"({_papers(batch.ballots, 'ballot')}, {batch.spoilt:,} spoilt): if this is "
                "another batch, give it its own label; if it is the same one, it is counted "
                "already",
                label=label,
                field="label",
            )
    room = ledger.envelopes - ledger.papers
    if ballots + spoilt > room:
        raise PaperBatchError(
            f"paper batch {label!r} ({class_title}): {_papers(ballots, 'ballot')} and "
            f"{spoilt:,} spoilt is {ballots + spoilt:,}, more than the envelopes allow: "
            f"{_papers(ledger.envelopes, 'returned envelope')} of this class recorded, "
            f"{_papers(ledger.papers)} entered before, so {max(room, 0):,} left. Record the "
            "returned envelopes first, or check the batch's class and counts",
            label=label,
        )


def check_returns(ledgers: Sequence[PaperLedger], titles: Mapping[str, str]) -> tuple[Issue, ...]:
    """Issues that block the declaration: a class returning more ballots than it has
    electors, or more paper ballots than envelopes (a record made before these were refused
    at entry, or changed since).
    """
    issues: list[Issue] = []
    for x in ledgers:
        title = titles.get(x.voter_class, x.voter_class)
        returned = x.online + x.papers
        if returned > x.electors:
            issues.append(
                Issue(
                    problem=f"{title}: {returned:,} ballots returned ({x.online:,} online, "
                    f"{x.papers:,} on paper with spoilt) but {x.electors:,} electors",
                    fix="find the batch entered twice or in the wrong class (the audit log "
                    "lists each), and correct the record before declaring",
                    clause="no class returns more ballots than it has electors",
                )
            )
        elif x.papers > x.envelopes:
            issues.append(
                Issue(
                    problem=f"{title}: {_papers(x.papers)} entered but "
                    f"{_papers(x.envelopes, 'returned envelope')} recorded",
                    fix="check the paper batches against the envelopes (the audit log lists "
                    "each), and correct the record before declaring",
                    clause="paper ballots of a class are covered by its returned envelopes",
                )
            )
    return tuple(issues)
