"""Reading roll files: a member id twice across files is named by file and line, and the
entries of a large roll share their voter class, dates and person keys instead of copying."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mandate.errors import RollImportError
from mandate.service.rolls import read_roll

CLASSES = ("member", "registered_supporter")
HEADER = "member_id,voter_class,joined,email,birth_date\n"


def write(folder: Path, name: str, rows: str) -> Path:
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_member_id_in_two_files_names_where_it_was_first_read(tmp_path: Path) -> None:
    first = write(tmp_path, "members.csv", "M1,member,2015-01-01,,\nM2,member,2015-01-01,,\n")
    second = write(
        tmp_path, "supporters.csv", "R1,registered_supporter,2016-07-19,,\nM2,member,2015-01-01,,\n"
    )
    seen: dict[str, dict[str, int]] = {}
    assert len(list(read_roll(first, voter_classes=CLASSES, seen=seen))) == 2
    with pytest.raises(
        RollImportError, match=r"'M2' appears twice in the roll \(first at members.csv line 3\)"
    ) as raised:
        list(read_roll(second, voter_classes=CLASSES, seen=seen))
    assert raised.value.line == 3


def test_entries_share_their_class_dates_and_lower_case_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roll.csv",
        "M1,member,2015-01-01,ann@example.org,1990-05-01\n"
        "M2,member,2015-01-01,Bob@Example.org,\n"
        "M3,member,1990-05-01,,\n",
    )
    ann, bob, cy = read_roll(path, voter_classes=CLASSES)
    assert ann.voter_class is CLASSES[0]  # the rulebook's string, not one a row
    assert bob.voter_class is CLASSES[0]
    assert ann.joined == dt.date(2015, 1, 1)
    assert ann.joined is bob.joined
    assert ann.birth_date is cy.joined
    assert ann.person_key is ann.email
    assert bob.person_key == "bob@example.org"
    assert cy.person_key == "M3"


def test_a_bad_birth_date_names_its_column(tmp_path: Path) -> None:
    path = write(tmp_path, "roll.csv", "M1,member,2015-01-01,,01/05/1990\n")
    with pytest.raises(RollImportError, match="column 'birth_date'"):
        list(read_roll(path, voter_classes=CLASSES))
