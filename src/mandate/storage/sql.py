"""The contest store on SQLAlchemy Core: SQLite (WAL) by default, PostgreSQL by URL.

- SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on, ``synchronous=NORMAL``; every
  writing transaction starts with ``BEGIN IMMEDIATE`` so writers queue on the busy timeout
  instead of failing when a read lock would have to be upgraded.
- PostgreSQL through psycopg 3 (``postgresql://`` URLs are given the ``+psycopg`` driver).
- The schema is brought to Alembic ``head`` whenever a store is opened (:func:`migrate`).

A second cast with the same credential is refused race-free on both databases by a conditional
``UPDATE electors SET voted = true WHERE … AND voted = false`` checked by the rows it returns;
the contest row is read ``FOR SHARE`` in the same transaction so that closing the ballot waits
for casts in flight (SQLite serialises writers anyway).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from mandate.crypto import audit_entry_hash, payload_text
from mandate.errors import (
    AlreadyVotedError,
    BallotClosedError,
    ConfigError,
    ContestError,
    CredentialError,
    InputError,
    NotFoundError,
)
from mandate.storage.ports import (
    AuditEntry,
    AuditEvent,
    BallotRecord,
    CandidateRecord,
    CastOutcome,
    ContestKeys,
    ContestRecord,
    ElectorRecord,
    ExclusionRecord,
    NewBallot,
    PaperBatchRecord,
    PaperLedger,
    Turnout,
)
from mandate.storage.schema import metadata

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["BALLOT_OPEN", "SqlStore", "alembic_config", "make_engine", "migrate", "open_store"]

BALLOT_OPEN = "ballot_open"
"""The one contest state in which online ballots are accepted."""

BATCH = 5000
"""Rows written a statement in bulk imports."""

T = TypeVar("T")
R = TypeVar("R", bound="DataclassInstance")

contests = metadata.tables["contests"]
keys_t = metadata.tables["contest_keys"]
candidates_t = metadata.tables["candidates"]
electors = metadata.tables["electors"]
exclusions_t = metadata.tables["roll_exclusions"]
ballots_t = metadata.tables["ballots"]
batches_t = metadata.tables["paper_batches"]
results_t = metadata.tables["results"]
audit_t = metadata.tables["audit_log"]
head_t = metadata.tables["audit_head"]


_STATE_FOR_SHARE = (
    sa.select(contests.c.state).where(contests.c.id == sa.bindparam("c")).with_for_update(read=True)
)
"""The contest's state, read so that closing the ballot waits for the casts in flight."""

_MARK_VOTED = (
    sa.update(electors)
    .where(
        electors.c.contest_id == sa.bindparam("c"),
        electors.c.credential_hash == sa.bindparam("h"),
        electors.c.voted.is_(False),
    )
    .values(voted=True)
    .returning(electors.c.voter_class)
)
"""Mark a voter as voted, only if they had not: the race-free once-only check."""

_INSERT_BALLOT = sa.insert(ballots_t)

_CAST_POSTGRES = sa.text(
    """
    WITH open_contest AS (
        SELECT id FROM contests WHERE id = :contest_id AND state = :open FOR SHARE
    ), marked AS (
        UPDATE electors SET voted = true
        WHERE contest_id = :contest_id AND credential_hash = :h AND NOT voted
          AND EXISTS (SELECT 1 FROM open_contest)
        RETURNING voter_class
    )
    INSERT INTO ballots (id, contest_id, tracker, voter_class, channel, batch_id, ranking, cast_on)
    SELECT :id, :contest_id, :tracker, voter_class, :channel, :batch_id, :ranking, :cast_on
    FROM marked
    RETURNING voter_class
    """
).bindparams(
    sa.bindparam("batch_id", type_=sa.String),
    sa.bindparam("cast_on", type_=sa.Date),
    sa.bindparam("h", type_=sa.LargeBinary),
)
"""PostgreSQL: the whole cast (contest open, voter not yet voted, ballot stored) in one
statement, so a cast costs one round trip between BEGIN and COMMIT."""


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _value_refused(context: sa.engine.ExceptionContext) -> BaseException | None:
    """PostgreSQL's refusal of a value (too long for its column, out of range, malformed) as
    our :class:`InputError`; SQLite accepts such values, so the service checks most inputs
    first and this is the net under it. The transaction is rolled back: nothing is kept."""
    if not isinstance(context.sqlalchemy_exception, sa.exc.DataError):
        return None
    reason = str(context.original_exception).strip().splitlines()[0]
    return InputError(f"the database refused a value ({reason}); nothing was changed")


def make_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, configured as this module describes."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401  (only to give an install hint)
        except ImportError as error:  # pragma: no cover - depends on the installation
            raise ConfigError(
                "PostgreSQL needs psycopg: pip install 'mandate[postgres]'"
            ) from error
        engine = sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        sa.event.listen(engine, "handle_error", _value_refused)
        return engine
    if not url.startswith("sqlite"):
        raise ConfigError(f"unsupported database URL {url!r} (use sqlite:/// or postgresql://)")
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("mandate_read_only"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Connection) -> Config:
    """An Alembic configuration that runs mandate's revisions on ``connection``."""
    config = Config()
    location = resources.files("mandate.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision (idempotent)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # one migrator at a time when several processes start together
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7431001)")
        command.upgrade(alembic_config(conn), "head")


def open_store(url: str) -> SqlStore:
    """Open (and migrate) the store at ``url``."""
    engine = make_engine(url)
    migrate(engine)
    return SqlStore(engine)


def _as_text(value: object) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _contest(row: sa.Row[Any]) -> ContestRecord:
    return ContestRecord(
        id=row.id,
        title=row.title,
        rulebook_ref=row.rulebook_ref,
        rulebook_id=row.rulebook_id,
        state=row.state,
        count_spec=row.count_spec,
        voter_classes=tuple((c[0], c[1]) for c in json.loads(row.voter_classes)),
        params=json.loads(row.params),
        created_on=row.created_on,
    )


def _record(record: type[R], row: sa.Row[Any]) -> R:
    """A row as a record whose fields are all columns of the row, each taken by its name."""
    return record(**{f.name: getattr(row, f.name) for f in dataclasses.fields(record)})


def _credential_voted(conn: Connection, contest_id: str, credential_hash: bytes) -> bool | None:
    """Whether the credential has been used (None if it is not current on the roll)."""
    row = conn.execute(
        sa.select(electors.c.voted).where(
            electors.c.contest_id == contest_id,
            electors.c.credential_hash == credential_hash,
        )
    ).first()
    return None if row is None else bool(row.voted)


def _ballot(row: sa.Row[Any]) -> BallotRecord:
    return BallotRecord(
        id=row.id,
        tracker=row.tracker,
        voter_class=row.voter_class,
        channel=row.channel,
        batch_id=row.batch_id,
        ranking=row.ranking,
        cast_on=row.cast_on,
    )


BALLOT_COLUMNS = (
    "id",
    "contest_id",
    "tracker",
    "voter_class",
    "channel",
    "batch_id",
    "ranking",
    "cast_on",
)


def _ballot_row(
    contest_id: str, ballot: NewBallot, voter_class: str, conn: Connection
) -> tuple[Any, ...]:
    """A ballot as a row of :data:`BALLOT_COLUMNS` for :func:`_bulk_insert`."""
    sqlite = conn.dialect.name == "sqlite"
    return (
        ballot.id,
        contest_id,
        ballot.tracker,
        voter_class,
        ballot.channel,
        ballot.batch_id,
        ballot.ranking,
        ballot.cast_on.isoformat() if sqlite else ballot.cast_on,  # as SQLAlchemy stores it
    )


def _bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert many rows through the driver's own executemany (no per-row processing)."""
    if not rows:
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})",
        rows,
    )


def _ballot_values(contest_id: str, ballot: NewBallot, voter_class: str) -> dict[str, Any]:
    return {
        "id": ballot.id,
        "contest_id": contest_id,
        "tracker": ballot.tracker,
        "voter_class": voter_class,
        "channel": ballot.channel,
        "batch_id": ballot.batch_id,
        "ranking": ballot.ranking,
        "cast_on": ballot.cast_on,
    }


class SqlStore:
    """:class:`~mandate.storage.ports.ContestStore` on a SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(mandate_read_only=True)
            with conn.begin():
                yield conn

    # -- audit -------------------------------------------------------------------------

    def _append(self, conn: Connection, audit: AuditEvent) -> AuditEntry:
        head = conn.execute(
            sa.select(head_t.c.seq, head_t.c.hash).where(head_t.c.id == 1).with_for_update()
        ).one()
        seq = head.seq + 1
        payload = payload_text(audit.payload)
        digest = audit_entry_hash(
            prev_hash=head.hash,
            seq=seq,
            contest_id=audit.contest_id,
            recorded_at=audit.recorded_at,
            actor=audit.actor,
            action=audit.action,
            payload=payload,
        )
        entry = AuditEntry(
            seq=seq,
            contest_id=audit.contest_id,
            recorded_at=audit.recorded_at,
            actor=audit.actor,
            action=audit.action,
            payload=payload,
            prev_hash=head.hash,
            hash=digest,
        )
        conn.execute(sa.insert(audit_t).values(**dataclasses.asdict(entry)))
        conn.execute(sa.update(head_t).where(head_t.c.id == 1).values(seq=seq, hash=digest))
        return entry

    def append_audit(self, audit: AuditEvent) -> AuditEntry:
        """Append an entry to the audit log."""
        with self.engine.begin() as conn:
            return self._append(conn, audit)

    def audit_entries(self) -> Iterator[AuditEntry]:
        """The audit log in order."""
        with self._read() as conn:
            for row in conn.execute(sa.select(audit_t).order_by(audit_t.c.seq)):
                yield _record(AuditEntry, row)

    def audit_head(self) -> tuple[int, str]:
        """The last sequence number and hash the log's head row records."""
        with self._read() as conn:
            row = conn.execute(sa.select(head_t.c.seq, head_t.c.hash)).one()
            return int(row.seq), str(row.hash)

    # -- contests ----------------------------------------------------------------------

    def create_contest(
        self,
        contest: ContestRecord,
        keys: ContestKeys,
        candidates: Sequence[CandidateRecord],
        audit: AuditEvent,
    ) -> None:
        """Store a new contest (refused if the id is taken)."""
        with self.engine.begin() as conn:
            taken = conn.execute(
                sa.select(contests.c.id).where(contests.c.id == contest.id)
            ).first()
            if taken is not None:
                raise ContestError(f"contest {contest.id!r} already exists")
            conn.execute(
                sa.insert(contests).values(
                    id=contest.id,
                    title=contest.title,
                    rulebook_ref=contest.rulebook_ref,
                    rulebook_id=contest.rulebook_id,
                    state=contest.state,
                    count_spec=contest.count_spec,
                    voter_classes=json.dumps([list(c) for c in contest.voter_classes]),
                    params=json.dumps(dict(contest.params), sort_keys=True),
                    created_on=contest.created_on,
                )
            )
            conn.execute(
                sa.insert(keys_t).values(
                    contest_id=contest.id,
                    public_key=keys.public_key,
                )
            )
            self._put_candidates(conn, contest.id, candidates)
            self._append(conn, audit)

    def get_contest(self, contest_id: str) -> ContestRecord:
        """The contest, or NotFoundError."""
        with self._read() as conn:
            row = conn.execute(sa.select(contests).where(contests.c.id == contest_id)).first()
        if row is None:
            raise NotFoundError(f"no contest {contest_id!r}")
        return _contest(row)

    def list_contests(self) -> tuple[ContestRecord, ...]:
        """Every contest, by id."""
        with self._read() as conn:
            rows = conn.execute(sa.select(contests).order_by(contests.c.id)).all()
        return tuple(_contest(r) for r in rows)

    def get_keys(self, contest_id: str) -> ContestKeys:
        """The contest's public key (its secrets are not kept here)."""
        with self._read() as conn:
            row = conn.execute(sa.select(keys_t).where(keys_t.c.contest_id == contest_id)).first()
        if row is None:
            raise NotFoundError(f"no contest {contest_id!r}")
        return ContestKeys(public_key=row.public_key)

    def set_params(self, contest_id: str, params: Mapping[str, str], audit: AuditEvent) -> None:
        """Replace the contest's parameters."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(contests)
                .where(contests.c.id == contest_id)
                .values(params=json.dumps(dict(params), sort_keys=True))
            )
            self._append(conn, audit)

    def _contest_rows(
        self, table: sa.Table, contest_id: str, *order_by: sa.ColumnElement[Any]
    ) -> Sequence[sa.Row[Any]]:
        """A contest's rows of one table, in the order given."""
        with self._read() as conn:
            return conn.execute(
                sa.select(table).where(table.c.contest_id == contest_id).order_by(*order_by)
            ).all()

    def candidates(self, contest_id: str) -> tuple[CandidateRecord, ...]:
        """Candidates in ballot-paper order."""
        rows = self._contest_rows(candidates_t, contest_id, candidates_t.c.position)
        return tuple(_record(CandidateRecord, r) for r in rows)

    def _put_candidates(
        self, conn: Connection, contest_id: str, candidates: Sequence[CandidateRecord]
    ) -> None:
        conn.execute(sa.delete(candidates_t).where(candidates_t.c.contest_id == contest_id))
        if candidates:
            conn.execute(
                sa.insert(candidates_t),
                [
                    {
                        "contest_id": contest_id,
                        "candidate_id": c.candidate_id,
                        "position": c.position,
                        "name": c.name,
                        "status": c.status,
                        "nominations": c.nominations,
                        "basis": c.basis,
                    }
                    for c in candidates
                ],
            )

    def put_candidates(
        self, contest_id: str, candidates: Sequence[CandidateRecord], audit: AuditEvent
    ) -> None:
        """Replace the contest's candidates."""
        with self.engine.begin() as conn:
            self._put_candidates(conn, contest_id, candidates)
            self._append(conn, audit)

    def transition(
        self, contest_id: str, *, from_state: str, to_state: str, audit: AuditEvent
    ) -> bool:
        """Move the contest from one state to another; False if it was not in ``from_state``."""
        with self.engine.begin() as conn:
            moved = conn.execute(
                sa.update(contests)
                .where(contests.c.id == contest_id, contests.c.state == from_state)
                .values(state=to_state)
            ).rowcount
            if moved != 1:
                conn.rollback()
                return False
            self._append(conn, audit)
            return True

    # -- roll and credentials ----------------------------------------------------------

    def replace_roll(
        self,
        contest_id: str,
        electors_: Iterable[ElectorRecord],
        exclusions: Iterable[ExclusionRecord],
        audit: AuditEvent,
    ) -> int:
        """Replace the contest's roll and import report; returns the number of electors."""
        total = 0
        with self.engine.begin() as conn:
            conn.execute(sa.delete(electors).where(electors.c.contest_id == contest_id))
            conn.execute(sa.delete(exclusions_t).where(exclusions_t.c.contest_id == contest_id))
            for chunk in _chunks(electors_, BATCH):
                _bulk_insert(
                    conn,
                    "electors",
                    ("contest_id", "member_id", "voter_class", "name", "email", "voted"),
                    [
                        (contest_id, e.member_id, e.voter_class, e.name, e.email, False)
                        for e in chunk
                    ],
                )
                total += len(chunk)
            for excluded in _chunks(exclusions, BATCH):
                _bulk_insert(
                    conn,
                    "roll_exclusions",
                    ("contest_id", "seq", "member_id", "voter_class", "reason", "clause"),
                    [
                        (contest_id, x.seq, x.member_id, x.voter_class, x.reason, x.clause)
                        for x in excluded
                    ],
                )
            self._append(conn, audit)
        return total

    def electors(self, contest_id: str) -> Iterator[ElectorRecord]:
        """The roll, by member id."""
        with self._read() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(
                sa.select(
                    electors.c.member_id, electors.c.voter_class, electors.c.name, electors.c.email
                )
                .where(electors.c.contest_id == contest_id)
                .order_by(electors.c.member_id)
            )
            for row in result:
                yield ElectorRecord(
                    member_id=row.member_id,
                    voter_class=row.voter_class,
                    name=row.name,
                    email=row.email,
                )

    def exclusions(self, contest_id: str) -> tuple[ExclusionRecord, ...]:
        """The import report: who was excluded and why."""
        rows = self._contest_rows(exclusions_t, contest_id, exclusions_t.c.seq)
        return tuple(_record(ExclusionRecord, r) for r in rows)

    def set_credentials(
        self,
        contest_id: str,
        hashes: Iterable[tuple[str, bytes]],
        audit: AuditEvent,
        *,
        only_unvoted: bool = True,
    ) -> int:
        """Store credential hashes by member id (replacing old ones); returns how many.

        The hashes go into a temporary table first and then into ``electors`` with one
        ``UPDATE … FROM``: a roll of 650,000 takes seconds, not minutes.
        """
        postgres = self.dialect == "postgresql"
        unvoted = " AND NOT electors.voted" if only_unvoted else ""
        with self.engine.begin() as conn:
            if postgres:
                conn.exec_driver_sql(
                    "CREATE TEMPORARY TABLE new_credentials "
                    "(member_id VARCHAR(100) PRIMARY KEY, h BYTEA NOT NULL) ON COMMIT DROP"
                )
            else:
                conn.exec_driver_sql(
                    "CREATE TEMPORARY TABLE new_credentials "
                    "(member_id TEXT PRIMARY KEY, h BLOB NOT NULL)"
                )
            for chunk in _chunks(hashes, BATCH):
                _bulk_insert(conn, "new_credentials", ("member_id", "h"), chunk)
            done = conn.execute(
                sa.text(
                    "UPDATE electors SET credential_hash = new_credentials.h "
                    "FROM new_credentials WHERE electors.contest_id = :c "
                    f"AND electors.member_id = new_credentials.member_id{unvoted}"
                ),
                {"c": contest_id},
            ).rowcount
            if not postgres:
                conn.exec_driver_sql("DROP TABLE temp.new_credentials")
            self._append(conn, audit)
        return int(done)

    def elector_voted(self, contest_id: str, member_id: str) -> bool | None:
        """Whether a member on the roll has voted (None if not on the roll)."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(electors.c.voted).where(
                    electors.c.contest_id == contest_id, electors.c.member_id == member_id
                )
            ).first()
        return None if row is None else bool(row.voted)

    def credential_known(self, contest_id: str, credential_hash: bytes) -> bool:
        """Whether a credential hash is current on the contest's roll."""
        return self.credential_voted(contest_id, credential_hash) is not None

    def credential_voted(self, contest_id: str, credential_hash: bytes) -> bool | None:
        """Whether the credential has been used (None if it is not current on the roll)."""
        with self._read() as conn:
            return _credential_voted(conn, contest_id, credential_hash)

    # -- casting -----------------------------------------------------------------------

    def _require_open(self, conn: Connection, contest_id: str) -> None:
        row = conn.execute(_STATE_FOR_SHARE, {"c": contest_id}).first()
        if row is None:
            raise NotFoundError(f"no contest {contest_id!r}")
        if row.state != BALLOT_OPEN:
            raise BallotClosedError(
                f"contest {contest_id!r} is not accepting ballots (it is {row.state!r})"
            )

    def _refusal(self, conn: Connection, contest_id: str, credential_hash: bytes) -> ContestError:
        if _credential_voted(conn, contest_id, credential_hash) is None:
            return CredentialError(
                "credential not recognised: it was never issued for this contest, "
                "or it was replaced by a re-issue"
            )
        return AlreadyVotedError("this credential has already been used to vote")

    def cast(self, contest_id: str, credential_hash: bytes, ballot: NewBallot) -> str:
        """Mark the credential's voter as voted and store the ballot in one transaction."""
        if self.dialect == "postgresql":
            with self.engine.begin() as conn:
                values = _ballot_values(contest_id, ballot, "")
                del values["voter_class"]
                row = conn.execute(
                    _CAST_POSTGRES, {**values, "h": credential_hash, "open": BALLOT_OPEN}
                ).first()
                if row is None:
                    self._require_open(conn, contest_id)
                    raise self._refusal(conn, contest_id, credential_hash)
                return str(row.voter_class)
        with self.engine.begin() as conn:
            self._require_open(conn, contest_id)
            marked = conn.execute(_MARK_VOTED, {"c": contest_id, "h": credential_hash}).first()
            if marked is None:
                raise self._refusal(conn, contest_id, credential_hash)
            voter_class = str(marked.voter_class)
            conn.execute(_INSERT_BALLOT, _ballot_values(contest_id, ballot, voter_class))
        return voter_class

    def cast_many(
        self, contest_id: str, items: Sequence[tuple[bytes, NewBallot]]
    ) -> tuple[CastOutcome, ...]:
        """Cast several ballots in one transaction, each as :meth:`cast` would."""
        with self.engine.begin() as conn:
            self._require_open(conn, contest_id)
            classes = self._mark_many(conn, contest_id, [h for h, _ in items])
            outcomes: list[CastOutcome] = []
            values: list[tuple[Any, ...]] = []
            for credential_hash, ballot in items:
                voter_class = classes.pop(credential_hash, None)
                if voter_class is None:
                    outcomes.append(
                        CastOutcome(
                            voter_class=None,
                            refusal=str(self._refusal(conn, contest_id, credential_hash)),
                        )
                    )
                    continue
                outcomes.append(CastOutcome(voter_class=voter_class))
                values.append(_ballot_row(contest_id, ballot, voter_class, conn))
            if values:
                _bulk_insert(conn, "ballots", BALLOT_COLUMNS, values)
        return tuple(outcomes)

    def _mark_many(
        self, conn: Connection, contest_id: str, hashes: Sequence[bytes]
    ) -> dict[bytes, str]:
        """Mark the voters of these credentials as voted (those who had not); their classes."""
        classes: dict[bytes, str] = {}
        for chunk in _chunks(hashes, 900):
            rows = conn.execute(
                sa.update(electors)
                .where(
                    electors.c.contest_id == contest_id,
                    electors.c.credential_hash.in_(chunk),
                    electors.c.voted.is_(False),
                )
                .values(voted=True)
                .returning(electors.c.credential_hash, electors.c.voter_class)
            ).all()
            classes.update((bytes(r.credential_hash), str(r.voter_class)) for r in rows)
        return classes

    def mark_voted(
        self, contest_id: str, hashes: Sequence[bytes], audit: AuditEvent
    ) -> tuple[str | None, ...]:
        """Mark voters as voted without a ballot (a returned postal envelope), in one
        transaction; for each credential ``None`` if marked, else why not."""
        with self.engine.begin() as conn:
            self._require_open(conn, contest_id)
            marked = self._mark_many(conn, contest_id, hashes)
            outcomes: list[str | None] = []
            for h in hashes:
                if marked.pop(h, None) is not None:
                    outcomes.append(None)
                else:
                    outcomes.append(str(self._refusal(conn, contest_id, h)))
            self._append(conn, audit)
        return tuple(outcomes)

    def forget_casting_order(self, contest_id: str) -> None:
        """Erase the physical traces of the order in which electors voted and ballots arrived.

        Called when the ballot closes. While a ballot is open the database itself keeps the
        casting order in three places, and this rewrites each of them:

        - PostgreSQL stamps every row version with the inserting transaction (``xmin``) and
          places it physically (``ctid``): an elector's ``voted`` row version and their ballot
          share a transaction id, and ballots lie on the table's pages in casting order. Every
          elector row of the contest is rewritten in one transaction, and every ballot row in
          another (one ``xmin`` for each table); then both tables are ``CLUSTER``ed, electors
          in member order and ballots in the order of their random ids, which writes new
          files and drops the old row versions.
        - SQLite keeps a ballot table's cells on each page in insertion order and allocates
          pages as the table grows, so byte offsets in the file follow the casting order, and
          freed pages keep old contents. ``VACUUM`` rebuilds the whole file with every table in
          key order (ballots by random id, electors by roll order) and no free pages.
        - SQLite's write-ahead log holds its frames in commit order: it is checkpointed and
          truncated.

        What this cannot reach is outside the database files: PostgreSQL's write-ahead log,
        its archives and replicas, and any copy taken while the ballot was open (see
        docs/contests.md, "What secrecy depends on").
        """
        if self.dialect == "postgresql":
            with self.engine.begin() as conn:
                conn.execute(
                    sa.update(electors)
                    .where(electors.c.contest_id == contest_id)
                    .values(voted=electors.c.voted)
                )
            with self.engine.begin() as conn:  # another transaction: no xmin shared with electors
                conn.execute(
                    sa.update(ballots_t)
                    .where(ballots_t.c.contest_id == contest_id)
                    .values(cast_on=ballots_t.c.cast_on)
                )
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql("CLUSTER electors USING pk_electors")
                conn.exec_driver_sql("CLUSTER ballots USING pk_ballots")
                conn.exec_driver_sql("ANALYZE electors")
                conn.exec_driver_sql("ANALYZE ballots")
        else:
            raw = self.engine.raw_connection()
            try:
                driver = raw.driver_connection
                driver.execute("VACUUM")  # type: ignore[union-attr]
                driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
            finally:
                raw.close()

    def add_paper_batch(
        self,
        contest_id: str,
        batch: PaperBatchRecord,
        ballots: Sequence[NewBallot],
        audit: AuditEvent,
        *,
        check: Callable[[PaperLedger], None] | None = None,
    ) -> None:
        """Store a batch of paper ballots, once ``check`` accepts the class's ledger.

        The contest row is locked first (SQLite's ``BEGIN IMMEDIATE`` already serialises
        writers), so two batches entered at once are checked one after the other.
        """
        with self.engine.begin() as conn:
            if check is not None:
                conn.execute(
                    sa.select(contests.c.id).where(contests.c.id == contest_id).with_for_update()
                )
                (ledger,) = self._paper_ledgers(conn, contest_id, batch.voter_class)
                check(ledger)
            conn.execute(
                sa.insert(batches_t).values(
                    id=batch.id,
                    contest_id=contest_id,
                    label=batch.label,
                    voter_class=batch.voter_class,
                    entered_by=batch.entered_by,
                    ballots=batch.ballots,
                    spoilt=batch.spoilt,
                    entered_on=batch.entered_on,
                )
            )
            for chunk in _chunks(ballots, BATCH):
                _bulk_insert(
                    conn,
                    "ballots",
                    BALLOT_COLUMNS,
                    [_ballot_row(contest_id, b, batch.voter_class, conn) for b in chunk],
                )
            self._append(conn, audit)

    def paper_ledgers(self, contest_id: str) -> tuple[PaperLedger, ...]:
        """The paper ledger of every voter class with electors or paper batches."""
        with self._read() as conn:
            return self._paper_ledgers(conn, contest_id)

    def _paper_ledgers(
        self, conn: Connection, contest_id: str, voter_class: str | None = None
    ) -> tuple[PaperLedger, ...]:
        """Every class's ledger; or, given ``voter_class``, that class's alone (always one)."""
        in_electors = [electors.c.contest_id == contest_id]
        in_ballots = [ballots_t.c.contest_id == contest_id, ballots_t.c.channel == "online"]
        if voter_class is not None:
            in_electors.append(electors.c.voter_class == voter_class)
            in_ballots.append(ballots_t.c.voter_class == voter_class)
        roll = conn.execute(
            sa.select(
                electors.c.voter_class,
                sa.func.count(),
                sa.func.sum(sa.case((electors.c.voted.is_(True), 1), else_=0)),
            )
            .where(*in_electors)
            .group_by(electors.c.voter_class)
        ).all()
        online = {
            str(r[0]): int(r[1])
            for r in conn.execute(
                sa.select(ballots_t.c.voter_class, sa.func.count())
                .where(*in_ballots)
                .group_by(ballots_t.c.voter_class)
            ).all()
        }
        batches = tuple(
            _record(PaperBatchRecord, r)
            for r in conn.execute(
                sa.select(batches_t)
                .where(batches_t.c.contest_id == contest_id)
                .order_by(batches_t.c.label, batches_t.c.id)
            ).all()
        )
        counts = {str(r[0]): (int(r[1]), int(r[2] or 0)) for r in roll}
        classes = (
            [voter_class]
            if voter_class is not None
            else sorted(set(counts) | {b.voter_class for b in batches})
        )
        return tuple(
            PaperLedger(
                voter_class=c,
                electors=counts.get(c, (0, 0))[0],
                voted=counts.get(c, (0, 0))[1],
                online=online.get(c, 0),
                batches=batches,
            )
            for c in classes
        )

    def paper_batches(self, contest_id: str) -> tuple[PaperBatchRecord, ...]:
        """Every paper batch of the contest."""
        rows = self._contest_rows(batches_t, contest_id, batches_t.c.label, batches_t.c.id)
        return tuple(_record(PaperBatchRecord, r) for r in rows)

    def ballots(self, contest_id: str) -> Iterator[BallotRecord]:
        """Every stored ballot, ordered by its random id."""
        with self._read() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(
                sa.select(ballots_t)
                .where(ballots_t.c.contest_id == contest_id)
                .order_by(ballots_t.c.id)
            )
            for row in result:
                yield _ballot(row)

    def ballot_by_tracker(self, contest_id: str, tracker: str) -> BallotRecord | None:
        """The ballot with this receipt tracker, if any."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(ballots_t).where(
                    ballots_t.c.contest_id == contest_id, ballots_t.c.tracker == tracker
                )
            ).first()
        return None if row is None else _ballot(row)

    def turnout(self, contest_id: str) -> tuple[Turnout, ...]:
        """Electors and online voters by class."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(
                    electors.c.voter_class,
                    sa.func.count(),
                    sa.func.sum(sa.case((electors.c.voted.is_(True), 1), else_=0)),
                )
                .where(electors.c.contest_id == contest_id)
                .group_by(electors.c.voter_class)
                .order_by(electors.c.voter_class)
            ).all()
        return tuple(
            Turnout(voter_class=r[0], electors=int(r[1]), voted=int(r[2] or 0)) for r in rows
        )

    # -- results -----------------------------------------------------------------------

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
        """Store the count (scope → JSON) and the specification it used (with any lot drawn),
        and move the contest on, in one transaction."""
        with self.engine.begin() as conn:
            moved = conn.execute(
                sa.update(contests)
                .where(contests.c.id == contest_id, contests.c.state == from_state)
                .values(state=to_state, count_spec=count_spec)
            ).rowcount
            if moved != 1:
                raise ContestError(f"contest {contest_id!r} is no longer {from_state!r}")
            conn.execute(sa.delete(results_t).where(results_t.c.contest_id == contest_id))
            conn.execute(
                sa.insert(results_t),
                [
                    {"contest_id": contest_id, "scope": scope, "result_json": text}
                    for scope, text in results.items()
                ],
            )
            self._append(conn, audit)

    def results(self, contest_id: str) -> dict[str, str]:
        """The stored count by scope (``total`` and each class)."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(results_t.c.scope, results_t.c.result_json).where(
                    results_t.c.contest_id == contest_id
                )
            ).all()
        return {r.scope: r.result_json for r in rows}

    def table_rows(
        self, contest_id: str, table: str, columns: Sequence[str] | None = None
    ) -> Iterator[tuple[str, ...]]:
        """Every row a contest has in ``table``, ordered by primary key, as text.

        Columns are the table's own, in order, less the contest id (or those named); a value
        is written as text: bytes in hex, a missing value as ``""``, a date in ISO form, a
        boolean as ``1`` or ``0``. For digests of what the audit log seals.
        """
        t = metadata.tables[table]
        key = t.c.id if table == "contests" else t.c.contest_id
        chosen = (
            [t.c[name] for name in columns] if columns else [c for c in t.columns if c is not key]
        )
        order = [c for c in t.primary_key.columns if c is not key]
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(
                sa.select(*chosen).where(key == contest_id).order_by(*order)
            )
            for row in result:
                yield tuple(_as_text(value) for value in row)
