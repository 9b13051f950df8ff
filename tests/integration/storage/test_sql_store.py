"""The SQL store on SQLite and PostgreSQL: migrations, audit chain, casting, secrecy of order."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from mandate.crypto import GENESIS_HASH, audit_entry_hash
from mandate.errors import AlreadyVotedError, BallotClosedError, CredentialError
from mandate.storage.ports import (
    AuditEvent,
    CandidateRecord,
    ContestKeys,
    ContestRecord,
    ElectorRecord,
    NewBallot,
)
from mandate.storage.schema import metadata
from mandate.storage.sql import SqlStore, alembic_config, open_store

NOW = "2016-09-01T12:00:00Z"


def event(action: str, contest_id: str | None = "c1") -> AuditEvent:
    return AuditEvent(contest_id=contest_id, actor="officer", action=action, recorded_at=NOW)


def make_contest(store: SqlStore, state: str = "ballot_open") -> None:
    store.create_contest(
        ContestRecord(
            id="c1",
            title="Test",
            rulebook_ref="labour-2016",
            rulebook_id="labour-2016",
            state=state,
            count_spec="{}",
            voter_classes=(("member", "Members"),),
            params={},
            created_on=dt.date(2016, 7, 12),
        ),
        ContestKeys(public_key="00" * 32),
        [CandidateRecord(candidate_id="A", position=0, name="A", status="standing")],
        event("contest created"),
    )


def new_ballot() -> NewBallot:
    return NewBallot(
        id=secrets.token_hex(16),
        tracker=secrets.token_hex(8),
        ranking='[["A"]]',
        cast_on=dt.date(2016, 9, 1),
    )


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    yield s
    s.close()


def test_migrations_create_exactly_the_declared_tables(store: SqlStore) -> None:
    names = set(sa.inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert names == set(metadata.tables)


def test_migrating_twice_is_harmless(database_url: str) -> None:
    open_store(database_url).close()
    again = open_store(database_url)
    assert again.audit_head() == (0, GENESIS_HASH)
    again.close()


def test_audit_entries_chain_each_to_the_previous(store: SqlStore) -> None:
    make_contest(store)
    store.append_audit(event("second"))
    entries = list(store.audit_entries())
    assert [e.seq for e in entries] == [1, 2]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].hash
    e = entries[1]
    assert e.hash == audit_entry_hash(
        prev_hash=e.prev_hash,
        seq=e.seq,
        contest_id=e.contest_id,
        recorded_at=e.recorded_at,
        actor=e.actor,
        action=e.action,
        payload=e.payload,
    )
    assert store.audit_head() == (2, e.hash)


def test_cast_marks_voted_and_stores_ballot_once(store: SqlStore) -> None:
    make_contest(store)
    store.replace_roll("c1", [ElectorRecord(member_id="m1", voter_class="member")], [], event("r"))
    h = b"h" * 32
    store.set_credentials("c1", [("m1", h)], event("cred"))
    assert store.cast("c1", h, new_ballot()) == "member"
    with pytest.raises(AlreadyVotedError):
        store.cast("c1", h, new_ballot())
    with pytest.raises(CredentialError):
        store.cast("c1", b"x" * 32, new_ballot())
    assert len(list(store.ballots("c1"))) == 1
    assert store.turnout("c1")[0].voted == 1


def test_cast_refused_when_ballot_not_open(store: SqlStore) -> None:
    make_contest(store, state="ballot_closed")
    store.replace_roll("c1", [ElectorRecord(member_id="m1", voter_class="member")], [], event("r"))
    store.set_credentials("c1", [("m1", b"h" * 32)], event("cred"))
    with pytest.raises(BallotClosedError):
        store.cast("c1", b"h" * 32, new_ballot())
    assert list(store.ballots("c1")) == []
    assert store.elector_voted("c1", "m1") is False


def test_cast_many_refuses_repeats_within_and_across_batches(store: SqlStore) -> None:
    make_contest(store)
    roll = [ElectorRecord(member_id=f"m{i}", voter_class="member") for i in range(5)]
    store.replace_roll("c1", roll, [], event("r"))
    store.set_credentials("c1", [(f"m{i}", bytes([i]) * 32) for i in range(5)], event("c"))
    first = store.cast_many("c1", [(bytes([i]) * 32, new_ballot()) for i in (0, 1, 1)])
    assert [o.voter_class for o in first] == ["member", "member", None]
    again = store.cast_many("c1", [(bytes([0]) * 32, new_ballot()), (b"z" * 32, new_ballot())])
    assert all(o.refusal for o in again)
    assert len(list(store.ballots("c1"))) == 2


def test_transition_is_conditional_on_the_current_state(store: SqlStore) -> None:
    make_contest(store, state="draft")
    assert store.transition("c1", from_state="draft", to_state="x", audit=event("t"))
    assert not store.transition("c1", from_state="draft", to_state="y", audit=event("t"))
    assert store.get_contest("c1").state == "x"
    assert len(list(store.audit_entries())) == 2


def test_migrations_are_one_line_of_revisions() -> None:
    from alembic.script import ScriptDirectory

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        scripts = ScriptDirectory.from_config(alembic_config(conn))
    assert len(scripts.get_heads()) == 1
    chain = list(scripts.walk_revisions())
    assert chain[-1].down_revision is None
    assert all(isinstance(r.down_revision, str) for r in chain[:-1])
    assert all(r.doc and r.doc.strip() for r in chain)
