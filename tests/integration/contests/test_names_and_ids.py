"""Names and ids are checked when they are recorded, on SQLite and PostgreSQL alike.

A candidate name no publication format can carry used to be accepted and then block the
declaration for ever; a contest id ``..`` wrote its declaration into the data folder itself;
over-long ids, titles and roll fields passed on SQLite and failed on PostgreSQL with a
database error. Each is refused at once, naming what and why, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mandate.errors import InputError, RollImportError
from mandate.service import ContestService
from tests.integration.contests.conftest import write_roll
from tests.support.keys import keyed_service


@pytest.mark.parametrize("contest_id", ["..", ".", "a/b", "x" * 101, "café", "", " a"])
def test_unsafe_contest_ids_are_refused(service: ContestService, contest_id: str) -> None:
    with pytest.raises(InputError, match="contest id must start with a letter or digit"):
        service.create_contest(contest_id=contest_id, rulebook_ref="labour-2016")
    assert service.store.list_contests() == ()


def test_a_longest_contest_id_is_accepted(service: ContestService) -> None:
    record = service.create_contest(contest_id="x" * 100, rulebook_ref="labour-2016")
    assert record.id == "x" * 100


@pytest.mark.parametrize(("title", "says"), [("t" * 301, "1 to 300"), ("two\nlines", "one line")])
def test_titles_that_cannot_be_stored_or_shown_are_refused(
    service: ContestService, title: str, says: str
) -> None:
    with pytest.raises(InputError, match=says):
        service.create_contest(contest_id="c", rulebook_ref="labour-2016", title=title)


@pytest.mark.parametrize("name", ["Smith = Jones", 'Owen "Taff" Smith', "A > B", "n" * 201])
def test_names_that_would_block_the_declaration_are_refused_at_nomination(
    service: ContestService, name: str
) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    service.open_nominations("c")
    with pytest.raises(InputError, match="candidate name"):
        service.nominate("c", name, nominations=60)
    assert service.store.candidates("c") == ()


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (("M" * 101, "member", "2010-01-01", "no"), "column 'member_id' is 101 characters"),
    ],
)
def test_roll_values_longer_than_the_store_keeps_are_refused_with_the_line(
    service: ContestService, tmp_path: Path, row: tuple[str, str, str, str], says: str
) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    roll = write_roll(tmp_path / "roll.csv", [("M1", "member", "2010-01-01", "no"), row])
    with pytest.raises(RollImportError, match=says) as raised:
        service.import_roll("c", [roll], on=dt.date(2016, 8, 8))
    assert "line 3" in str(raised.value)


@pytest.mark.postgres
def test_a_value_postgresql_refuses_is_an_input_error_and_keeps_nothing(postgres_url: str) -> None:
    """The net under the service's checks: a too-long value reaching PostgreSQL says so."""
    from mandate.storage.sql import open_store

    service = keyed_service(open_store(postgres_url))
    try:
        service.create_contest(contest_id="c", rulebook_ref="labour-2016")
        service.open_nominations("c")
        service.nominate("c", "Ann", nominations=60)
        with pytest.raises(InputError, match="value too long") as raised:
            service.withdraw("c", "Ann", actor="a" * 201)
        assert "nothing was changed" in str(raised.value)
        assert [c.status for c in service.store.candidates("c")] == ["nominated"]
    finally:
        service.close()
