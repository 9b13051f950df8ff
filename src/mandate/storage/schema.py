"""The database tables of mandate: one :data:`metadata` for the whole application.

Tables are SQLAlchemy 2 typed declarative classes. The schema is created and changed only by the
Alembic revisions in ``mandate/storage/migrations/versions`` (linear: each revision names the one
before it); a new table is declared here *and* created by a new revision.

Secrecy of the ballot is a property of this schema: :class:`BallotRow` holds no voter id, no
time finer than a date and a random primary key, and on SQLite it is a ``WITHOUT ROWID`` table
so that its physical order is the order of those random keys, not the order of casting.
:class:`ElectorRow` holds only a ``voted`` flag, never when or how.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditHeadRow",
    "AuditRow",
    "BallotRow",
    "Base",
    "CandidateRow",
    "ContestKeyRow",
    "ContestRow",
    "ElectorRow",
    "ExclusionRow",
    "OfficialRow",
    "PaperBatchRow",
    "RateLimitRow",
    "ResultRow",
    "WebSessionRow",
    "metadata",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
"""The one MetaData of the application (contests here; web accounts and sessions join it)."""


class Base(DeclarativeBase):
    """Declarative base bound to :data:`metadata`."""

    metadata = metadata


class ContestRow(Base):
    """A contest: its rulebook, its lifecycle state and how it is counted."""

    __tablename__ = "contests"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    rulebook_ref: Mapped[str] = mapped_column(String(500))
    rulebook_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(40))
    count_spec: Mapped[str] = mapped_column(Text)
    """The count specification as canonical JSON (method, seats, rules, options)."""
    voter_classes: Mapped[str] = mapped_column(Text)
    """JSON list of ``[id, title]`` pairs in the rulebook's order."""
    params: Mapped[str] = mapped_column(Text, default="{}")
    """JSON object of the contest's parameters (freeze date, ...)."""
    created_on: Mapped[dt.date] = mapped_column(Date)


class ContestKeyRow(Base):
    """A contest's public Ed25519 key (hex). No secret is kept in the database: the signing
    key is in the returning officer's key file, the credential key derived from the server
    secret (migration 0003_keys dropped the columns that held them)."""

    __tablename__ = "contest_keys"

    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True
    )
    public_key: Mapped[str] = mapped_column(String(64))


class CandidateRow(Base):
    """A candidate (or would-be candidate) of a contest, in ballot-paper order."""

    __tablename__ = "candidates"

    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))
    """``nominated``, ``standing``, ``withdrawn`` or ``void`` (failed the threshold)."""
    nominations: Mapped[int | None] = mapped_column(Integer, nullable=True)
    basis: Mapped[str] = mapped_column(Text, default="")
    """Why the candidate stands or not, with the clause (e.g. the threshold arithmetic)."""


class ElectorRow(Base):
    """One eligible voter of a contest: class, keyed hash of the credential, voted or not.

    No time and nothing about the ballot is ever stored here.
    """

    __tablename__ = "electors"
    __table_args__ = (
        UniqueConstraint("contest_id", "credential_hash", name="uq_electors_credential"),
        Index("ix_electors_contest_class", "contest_id", "voter_class"),
    )

    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    voter_class: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(300), default="")
    credential_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    voted: Mapped[bool] = mapped_column(Boolean, default=False)


class ExclusionRow(Base):
    """Someone on an imported roll who may not vote, and why (the import report)."""

    __tablename__ = "roll_exclusions"

    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(String(100))
    voter_class: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(300))


class BallotRow(Base):
    """A cast ballot: random id, random receipt tracker, class, ranking, date. No voter."""

    __tablename__ = "ballots"
    __table_args__ = (
        Index("ix_ballots_contest", "contest_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE")
    )
    tracker: Mapped[str] = mapped_column(String(40), unique=True)
    voter_class: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    """``online`` or ``paper``."""
    batch_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ranking: Mapped[str] = mapped_column(Text)
    """Canonical JSON: a list of ranks, each a sorted list of candidate ids."""
    cast_on: Mapped[dt.date] = mapped_column(Date)


class PaperBatchRow(Base):
    """A batch of paper ballots entered by an official (its ballots are in ``ballots``)."""

    __tablename__ = "paper_batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE")
    )
    label: Mapped[str] = mapped_column(String(200))
    voter_class: Mapped[str] = mapped_column(String(100))
    entered_by: Mapped[str] = mapped_column(String(200))
    ballots: Mapped[int] = mapped_column(Integer)
    spoilt: Mapped[int] = mapped_column(Integer)
    entered_on: Mapped[dt.date] = mapped_column(Date)


class ResultRow(Base):
    """A count of a contest: the whole (scope ``total``) or one voter class."""

    __tablename__ = "results"

    contest_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(100), primary_key=True)
    result_json: Mapped[str] = mapped_column(Text)


class AuditRow(Base):
    """One entry of the append-only, hash-chained audit log."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contest_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    recorded_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row that serialises appends to the audit log (its last seq and hash)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class OfficialRow(Base):
    """An official's account: role and Argon2 password hash (never the password)."""

    __tablename__ = "officials"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(40))
    """``returning-officer``, ``scrutineer`` or ``observer``."""
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(Integer)
    """Seconds since the epoch."""


class WebSessionRow(Base):
    """A signed-in official's session: a hash of the cookie's token and the CSRF token.

    Held in the database so that every worker process sees the same sessions.
    """

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_expires_at", "expires_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(
        String(100), ForeignKey("officials.username", ondelete="CASCADE")
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[int] = mapped_column(Integer)
    """Seconds since the epoch."""


class RateLimitRow(Base):
    """Failed attempts (credentials, passwords) counted per bucket and time window."""

    __tablename__ = "rate_limits"

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    """What is counted, e.g. ``address:<HMAC of the client address under a key never stored>``."""
    window: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """Start of the window, seconds since the epoch."""
    attempts: Mapped[int] = mapped_column(Integer)
