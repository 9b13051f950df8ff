"""Officials' accounts, their sessions and the failed-attempt counters, in the database.

Nothing here lives in process memory, so any number of worker processes share them. Times
are whole seconds since the epoch, passed in by the caller (the service owns the clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError as SqlIntegrityError

from mandate.errors import InputError, NotFoundError
from mandate.storage.schema import metadata

__all__ = ["AccountRecord", "SessionRecord", "SqlAccounts"]

officials_t = metadata.tables["officials"]
sessions_t = metadata.tables["web_sessions"]
limits_t = metadata.tables["rate_limits"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountRecord:
    """An official's stored account."""

    username: str
    role: str
    password_hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """A stored session, with the account it belongs to."""

    token_hash: str
    csrf_token: str
    expires_at: int
    account: AccountRecord


class SqlAccounts:
    """Accounts, sessions and rate-limit counters on SQLAlchemy Core (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(mandate_read_only=True)
            with conn.begin():
                yield conn

    def add_account(self, *, username: str, role: str, password_hash: str, now: int) -> None:
        """Store a new account; refuses a username already taken."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    officials_t.insert().values(
                        username=username, role=role, password_hash=password_hash, created_at=now
                    )
                )
        except SqlIntegrityError as error:
            raise InputError(f"an official named {username!r} already exists") from error

    def set_password_hash(self, username: str, password_hash: str) -> None:
        """Replace an account's password hash (e.g. after a rehash with newer parameters)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                officials_t.update()
                .where(officials_t.c.username == username)
                .values(password_hash=password_hash)
            )
        if done.rowcount != 1:
            raise NotFoundError(f"no official named {username!r}")

    def account(self, username: str) -> AccountRecord | None:
        """An account by username, or ``None``."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(officials_t).where(officials_t.c.username == username)
            ).one_or_none()
        if row is None:
            return None
        return AccountRecord(username=row.username, role=row.role, password_hash=row.password_hash)

    def accounts(self) -> tuple[AccountRecord, ...]:
        """Every account, by username."""
        with self._read() as conn:
            rows = conn.execute(sa.select(officials_t).order_by(officials_t.c.username)).all()
        return tuple(
            AccountRecord(username=r.username, role=r.role, password_hash=r.password_hash)
            for r in rows
        )

    def add_session(
        self, *, token_hash: str, username: str, csrf_token: str, expires_at: int, now: int
    ) -> None:
        """Store a new session (and sweep the expired ones)."""
        with self.engine.begin() as conn:
            conn.execute(sessions_t.delete().where(sessions_t.c.expires_at <= now))
            conn.execute(
                sessions_t.insert().values(
                    token_hash=token_hash,
                    username=username,
                    csrf_token=csrf_token,
                    expires_at=expires_at,
                )
            )

    def session(self, token_hash: str, *, now: int) -> SessionRecord | None:
        """A live session by the hash of its token, or ``None`` (unknown or expired)."""
        query = (
            sa.select(sessions_t, officials_t.c.role, officials_t.c.password_hash)
            .join(officials_t, officials_t.c.username == sessions_t.c.username)
            .where(sessions_t.c.token_hash == token_hash, sessions_t.c.expires_at > now)
        )
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        return SessionRecord(
            token_hash=row.token_hash,
            csrf_token=row.csrf_token,
            expires_at=row.expires_at,
            account=AccountRecord(
                username=row.username, role=row.role, password_hash=row.password_hash
            ),
        )

    def delete_session(self, token_hash: str) -> None:
        """End a session (nothing happens if there is none)."""
        with self.engine.begin() as conn:
            conn.execute(sessions_t.delete().where(sessions_t.c.token_hash == token_hash))

    def attempts(self, bucket: str, *, since: int) -> int:
        """Failed attempts counted in a bucket's windows starting at ``since`` or later."""
        with self._read() as conn:
            value = conn.execute(
                sa.select(sa.func.sum(limits_t.c.attempts)).where(
                    limits_t.c.bucket == bucket, limits_t.c.window >= since
                )
            ).scalar_one_or_none()
        return int(value or 0)

    def add_attempt(self, bucket: str, *, window: int) -> int:
        """Count one failed attempt in a bucket's window; returns the new count.

        An atomic upsert, so concurrent workers never lose a count; old windows are swept.
        """
        dialect = self.engine.dialect.name
        insert = postgresql.insert(limits_t) if dialect == "postgresql" else sqlite.insert(limits_t)
        statement = (
            insert.values(bucket=bucket, window=window, attempts=1)
            .on_conflict_do_update(
                index_elements=[limits_t.c.bucket, limits_t.c.window],
                set_={"attempts": limits_t.c.attempts + 1},
            )
            .returning(limits_t.c.attempts)
        )
        with self.engine.begin() as conn:
            conn.execute(limits_t.delete().where(limits_t.c.window < window - 86_400))
            return int(conn.execute(statement).scalar_one())
