"""Ballots by section from one file a section, each file in its own format.

An electoral college's sections often come apart: the MPs' preferences as a PrefLib file, the
members' ballots as a CSV export. :func:`read_section_files` reads each file with the reader
its name or first lines call for (:func:`~mandate.ballots.formats.read_ballots`) and makes
one :class:`~mandate.ballots.sections.SectionedProfile`, every section with the same
candidates in the same order.

Candidates. With the officer's list (``candidates``), every file is read against it: it is
the ballot-paper order, and a ballot naming anyone else is an error naming the file. Without
it, the candidates are the union in order of first appearance, the files taken in the order
given; but the files must not disagree in a way that changes the count:

- files that declare their candidates (BLT, PrefLib, NIST CDF) must declare the same ones, so
  one spelling of a name in one file and another spelling in another cannot become two
  candidates;
- a CSV file, which declares nobody, may name only candidates the declaring files declare;
- files that declare the seats (BLT) must declare the same number.

A candidate withdrawn in any file (BLT's negative ids) is withdrawn in every section, as the
pooled count and the college already treat them.

>>> from pathlib import Path; import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "mps.soi").write_text(
...     "# DATA TYPE: soi\\n# NUMBER ALTERNATIVES: 2\\n"
...     "# ALTERNATIVE NAME 1: Ann\\n# ALTERNATIVE NAME 2: Bob\\n3: 1,2\\n1: 2\\n")
>>> _ = (folder / "members.csv").write_text("count,rank1\\n5,Bob\\n2,Ann\\n")
>>> sections = read_section_files([("mps", folder / "mps.soi"),
...                                ("members", folder / "members.csv")])
>>> sections.names, [c.name for c in sections.candidates], [p.total for _, p in sections]
(('mps', 'members'), ['Ann', 'Bob'], [4, 7])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mandate.ballots.formats import BallotFormat, detect_format, read_ballots
from mandate.ballots.model import Profile
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = ["read_section_files"]

DECLARING = frozenset({BallotFormat.BLT, BallotFormat.PREFLIB, BallotFormat.CDF})
"""Formats that declare every candidate, whether or not a ballot names them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Read:
    """One section's file as read."""

    name: str
    path: Path
    format: BallotFormat
    profile: Profile

    @property
    def label(self) -> str:
        return f"{self.path} (section {self.name!r})"


def read_section_files(
    files: Sequence[tuple[str, Path]], *, candidates: Sequence[str] | None = None
) -> SectionedProfile:
    """Read one ballot file a section, each in the format its name or first lines show.

    Args:
        files: (section name, file) pairs, in the order the sections are reported.
        candidates: the officer's list of candidates in ballot-paper order; every file is
            read against it. Without it, the union in order of first appearance.

    Raises:
        InputError: no section, a blank or repeated section name, or files that disagree
            on the candidates or the seats (naming the files).
        BallotFormatError: a file that does not exist or cannot be read (file, line,
            ballot); every file is checked to exist before any is read.
        UnknownCandidateError: a ballot naming someone not in ``candidates``; without
            ``candidates``, a CSV file naming someone the declaring files do not declare.
    """
    _check_names(files)
    for name, path in files:
        if not path.is_file():
            raise BallotFormatError(
                f"no such file (the ballots of section {name!r})", path=str(path)
            )
    read: list[_Read] = []
    for name, path in files:
        chosen = detect_format(path)
        profile = read_ballots(path, format=chosen, candidates=candidates)
        read.append(_Read(name=name, path=path, format=chosen, profile=profile))
    if candidates is None:
        _check_candidates(read)
    seats = _seats(read)
    aligned = SectionedProfile.of({part.name: part.profile for part in read})
    withdrawn = frozenset[CandidateId]().union(*(part.profile.withdrawn for part in read))
    return SectionedProfile(
        sections=tuple(
            (name, replace(profile, seats=seats, withdrawn=withdrawn)) for name, profile in aligned
        )
    )


def _check_names(files: Sequence[tuple[str, Path]]) -> None:
    if not files:
        raise InputError("no sections given: name each section and its ballot file")
    seen: dict[str, Path] = {}
    for name, path in files:
        if not name.strip():
            raise InputError(f"{path}: its section needs a name (got a blank one)")
        if name in seen:
            raise InputError(
                f"section {name!r} is given twice ({seen[name]} and {path}): "
                "each section has one ballot file"
            )
        seen[name] = path


def _check_candidates(read: Sequence[_Read]) -> None:
    """Declaring files declare the same candidates; a CSV names none outside them."""
    declaring = [part for part in read if part.format in DECLARING]
    if not declaring:
        return
    first = declaring[0]
    declared = first.profile.candidate_ids
    for part in declaring[1:]:
        ids = part.profile.candidate_ids
        if set(ids) != set(declared):
            only_here = ", ".join(c for c in ids if c not in declared) or "none"
            only_there = ", ".join(c for c in declared if c not in ids) or "none"
            raise InputError(
                f"{part.label} declares other candidates than {first.label}: "
                f"only in {part.path}: {only_here}; only in {first.path}: {only_there}. "
                "Every section must have the same candidates: correct the names, or give "
                "the list of candidates"
            )
    for part in read:
        if part.format in DECLARING:
            continue
        for candidate in part.profile.candidate_ids:
            if candidate not in declared:
                raise UnknownCandidateError(
                    candidate,
                    known=declared,
                    where=f"{part.label}, not among the candidates {first.path} declares",
                )


def _seats(read: Sequence[_Read]) -> int | None:
    """The seats the files declare, when any does; they must agree."""
    declared = [part for part in read if part.profile.seats is not None]
    if not declared:
        return None
    first = declared[0]
    for part in declared[1:]:
        if part.profile.seats != first.profile.seats:
            raise InputError(
                f"{part.label} declares {part.profile.seats} seats, {first.label} "
                f"declares {first.profile.seats}: every section fills the same seats"
            )
    return first.profile.seats
