"""Access: officials' accounts with roles, Argon2 passwords, sessions, CSRF, rate limits.

Sessions and failed-attempt counters live in the database (:mod:`mandate.storage.accounts`),
never in process memory, so that several worker processes behind one address agree. A session
token is random (256 bits) and stored only as its SHA-256; the CSRF token is random and bound
to the session (synchronizer token pattern).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mandate.config import Settings
from mandate.errors import AccessDeniedError, InputError, TooManyAttemptsError
from mandate.storage.accounts import SqlAccounts
from mandate.storage.sql import make_engine, migrate

__all__ = [
    "Access",
    "Action",
    "Official",
    "OfficialSession",
    "RateLimit",
    "Role",
    "open_access",
]


class Role(Enum):
    """What an official may do."""

    RETURNING_OFFICER = "returning-officer"
    """Runs the contest: every action."""
    SCRUTINEER = "scrutineer"
    """Checks the process: sees everything and enters paper batches."""
    OBSERVER = "observer"
    """Sees everything, changes nothing."""


class Action(Enum):
    """Kinds of action on the dashboard and the API, for permission checks."""

    VIEW = "view"
    ENTER_PAPER = "enter paper ballots"
    MANAGE = "manage contests"


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.RETURNING_OFFICER: frozenset(Action),
    Role.SCRUTINEER: frozenset({Action.VIEW, Action.ENTER_PAPER}),
    Role.OBSERVER: frozenset({Action.VIEW}),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Official:
    """A signed-in official."""

    username: str
    role: Role

    def may(self, action: Action) -> bool:
        """True if this official's role allows the action."""
        return action in _ALLOWED[self.role]

    def require(self, action: Action) -> None:
        """Raise :class:`AccessDeniedError` unless the role allows the action."""
        if not self.may(action):
            raise AccessDeniedError(f"{self.username} ({self.role.value}) may not {action.value}")


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficialSession:
    """A session: the cookie's token (only the holder knows it), its CSRF token and official."""

    token: str
    csrf_token: str
    official: Official
    expires_at: int

    def check_csrf(self, presented: str | None) -> None:
        """Refuse a state-changing request whose CSRF token is missing or wrong."""
        if not presented or not hmac.compare_digest(presented, self.csrf_token):
            raise AccessDeniedError(
                "the form's security token is missing or out of date; reload the page and retry"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class RateLimit:
    """At most ``attempts`` failures per ``window`` seconds in one bucket."""

    attempts: int
    window: int


USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
MIN_PASSWORD = 12


def _token_hash(token: str) -> str:
    return hashlib.sha256(b"mandate-session\x00" + token.encode()).hexdigest()


def _bucket(kind: str, client: str) -> str:
    # The client address is hashed: the counters are not a log of who tried what.
    return f"{kind}:{hashlib.sha256(client.encode()).hexdigest()[:32]}"


class Access:
    """Who may do what: officials' accounts, sign-in and sessions, and limits on failed
    attempts (officials' passwords, voters' codes).

    Args:
        store: where accounts, sessions and counters live.
        session_seconds: how long a session lasts.
        login_limit: failed sign-ins allowed per username and client address.
        credential_limit: failed voting-code attempts allowed per client address.
        clock: seconds since the epoch (a parameter so tests can move time on).
    """

    def __init__(
        self,
        store: SqlAccounts,
        *,
        session_seconds: int = 8 * 3600,
        login_limit: RateLimit = RateLimit(attempts=10, window=900),
        credential_limit: RateLimit = RateLimit(attempts=20, window=900),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.session_seconds = session_seconds
        self.login_limit = login_limit
        self.credential_limit = credential_limit
        self.clock = clock
        self.hasher = PasswordHasher()

    def close(self) -> None:
        """Release the database connections."""
        self.store.engine.dispose()

    def _now(self) -> int:
        return int(self.clock())

    def add(self, username: str, password: str, role: Role) -> Official:
        """Create an account.

        Raises:
            InputError: a username that is not 2–100 of ``a-z 0-9 . _ -``, a password shorter
                than 12 characters, or a username already taken.
        """
        if not 2 <= len(username) <= 100 or not set(username) <= USERNAME_CHARS:
            raise InputError(
                f"username must be 2–100 lower-case letters, digits, '.', '_' or '-' "
                f"(got {username!r})"
            )
        if len(password) < MIN_PASSWORD:
            raise InputError(f"password must be at least {MIN_PASSWORD} characters")
        self.store.add_account(
            username=username,
            role=role.value,
            password_hash=self.hasher.hash(password),
            now=self._now(),
        )
        return Official(username=username, role=role)

    def officials(self) -> tuple[Official, ...]:
        """Every official, by username."""
        return tuple(
            Official(username=a.username, role=Role(a.role)) for a in self.store.accounts()
        )

    def _window(self, limit: RateLimit) -> int:
        now = self._now()
        return now - now % limit.window

    def _refuse_if_limited(self, bucket: str, limit: RateLimit, what: str) -> None:
        # Failures are counted in fixed windows; the limit applies to this window and the one
        # before, so a burst across a window's edge is still caught.
        window = self._window(limit)
        if self.store.attempts(bucket, since=window - limit.window) >= limit.attempts:
            raise TooManyAttemptsError(what=what, retry_after=window + limit.window - self._now())

    def sign_in(self, username: str, password: str, *, client: str) -> OfficialSession:
        """Check a password and open a session.

        Raises:
            TooManyAttemptsError: too many failed sign-ins for this username from this client.
            AccessDeniedError: a wrong username or password (which of the two is not said).
        """
        bucket = _bucket(f"login:{username}", client)
        self._refuse_if_limited(bucket, self.login_limit, "sign-in")
        account = self.store.account(username)
        try:
            if account is None:
                # Hash anyway, so that timing does not tell which usernames exist.
                self.hasher.hash(password)
                raise VerifyMismatchError
            self.hasher.verify(account.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            self.store.add_attempt(bucket, window=self._window(self.login_limit))
            raise AccessDeniedError("wrong username or password", signed_in=False) from None
        if self.hasher.check_needs_rehash(account.password_hash):
            self.store.set_password_hash(username, self.hasher.hash(password))
        token = secrets.token_urlsafe(32)
        session = OfficialSession(
            token=token,
            csrf_token=secrets.token_urlsafe(32),
            official=Official(username=account.username, role=Role(account.role)),
            expires_at=self._now() + self.session_seconds,
        )
        self.store.add_session(
            token_hash=_token_hash(token),
            username=account.username,
            csrf_token=session.csrf_token,
            expires_at=session.expires_at,
            now=self._now(),
        )
        return session

    def session(self, token: str | None) -> OfficialSession:
        """The live session a token belongs to.

        Raises:
            AccessDeniedError: (not signed in) no token, or an unknown or expired one.
        """
        record = self.store.session(_token_hash(token), now=self._now()) if token else None
        if record is None:
            raise AccessDeniedError("sign in as an official to do this", signed_in=False)
        assert token is not None
        return OfficialSession(
            token=token,
            csrf_token=record.csrf_token,
            official=Official(username=record.account.username, role=Role(record.account.role)),
            expires_at=record.expires_at,
        )

    def sign_out(self, token: str) -> None:
        """End a session."""
        self.store.delete_session(_token_hash(token))

    def check_credential_attempts(self, client: str) -> None:
        """Refuse further voting-code attempts from a client with too many failures.

        Raises:
            TooManyAttemptsError: the client has used up its failed attempts for now.
        """
        self._refuse_if_limited(_bucket("credential", client), self.credential_limit, "voting code")

    def record_credential_failure(self, client: str) -> None:
        """Count one failed voting-code attempt from a client."""
        self.store.add_attempt(
            _bucket("credential", client), window=self._window(self.credential_limit)
        )


def open_access(settings: Settings) -> Access:
    """Access control over the installation's database (migrated to the newest schema)."""
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return Access(SqlAccounts(engine))
