"""From the ballot form's rank selectors to a ranking, and back to words for the review page.

The ballot page has one selector a candidate (``rank-1`` … ``rank-N``, numbered in
ballot-paper order). :func:`ranks_from_form` reads them, :func:`ranking_from_ranks` turns them
into a :data:`~mandate.ballots.model.Ranking` (a skipped rank is an empty set, a repeated rank
a set of two or more, exactly as the voter marked them: the rules decide what they mean), and
:func:`review` says it in words with a warning for every skipped or repeated rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mandate.ballots.model import Ranking
from mandate.errors import InputError
from mandate.ids import CandidateId
from mandate.web.templating import ordinal

__all__ = ["Review", "ranking_from_ranks", "ranks_from_form", "review"]


def ranks_from_form(form: Mapping[str, str], *, candidates: int) -> dict[int, int]:
    """The rank given to each candidate (by 1-based ballot position); unranked are left out.

    Raises:
        InputError: a field for a candidate who is not on the ballot, or a rank that is not a
            whole number from 1 to the number of candidates.
    """
    ranks: dict[int, int] = {}
    for key, value in form.items():
        if not key.startswith("rank-"):
            continue
        suffix = key.removeprefix("rank-")
        if not suffix.isdigit() or not 1 <= int(suffix) <= candidates:
            raise InputError(f"{key}: there is no candidate {suffix} on this ballot")
        text = value.strip()
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= candidates:
            raise InputError(
                f"{key}: a rank must be a number from 1 to {candidates} (got {text!r})"
            )
        ranks[int(suffix)] = int(text)
    return ranks


def ranking_from_ranks(ranks: Mapping[int, int], candidates: Sequence[CandidateId]) -> Ranking:
    """The ranking the marks make: rank ``k`` holds every candidate given ``k``.

    >>> ranking_from_ranks({1: 2, 2: 1}, [CandidateId("A"), CandidateId("B")])
    (frozenset({'B'}), frozenset({'A'}))
    """
    if not ranks:
        return ()
    deepest = max(ranks.values())
    return tuple(
        frozenset(candidates[i - 1] for i, rank in ranks.items() if rank == level)
        for level in range(1, deepest + 1)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    """A ballot said in words: one line a rank, the warnings, and who was left unranked."""

    lines: tuple[str, ...]
    warnings: tuple[str, ...]
    unranked: tuple[str, ...]


def review(ranks: Mapping[int, int], names: Sequence[str]) -> Review:
    """The ranking in words, warning on every skipped and repeated rank.

    >>> review({1: 1, 2: 3}, ["Ann", "Bob", "Cy"]).warnings
    ('You gave no candidate rank 2, but gave rank 3.',)
    """
    lines: list[str] = []
    warnings: list[str] = []
    deepest = max(ranks.values(), default=0)
    for level in range(1, deepest + 1):
        marked = [names[i - 1] for i, rank in sorted(ranks.items()) if rank == level]
        if not marked:
            lines.append(f"{ordinal(level)} preference: nobody (skipped)")
            warnings.append(f"You gave no candidate rank {level}, but gave rank {deepest}.")
        elif len(marked) == 1:
            lines.append(f"{ordinal(level)} preference: {marked[0]}")
        else:
            together = ", ".join(marked[:-1]) + f" and {marked[-1]}"
            lines.append(f"{ordinal(level)} preference: {together} (the same rank)")
            warnings.append(
                f"You gave rank {level} to more than one candidate ({together}); "
                "the rules may not count this rank or the ones after it."
            )
    unranked = tuple(name for i, name in enumerate(names, start=1) if i not in ranks)
    return Review(lines=tuple(lines), warnings=tuple(warnings), unranked=unranked)
