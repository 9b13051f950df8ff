"""Access: officials' accounts with roles, Argon2 passwords, sessions, CSRF, rate limits.

Sessions and failed-attempt counters live in the database (:mod:`mandate.storage.accounts`),
never in process memory, so that several worker processes behind one address agree. A session
token is random (256 bits) and stored only as its SHA-256; the CSRF token is random and bound
to the session (synchronizer token pattern).

Counters are kept in buckets named by an HMAC under a random key that lives only in the
server's memory (``bucket_key``): a bucket says nothing about the address, code or username
it counts, even to someone who reads the database and tries every address there is.

Voting codes are checked before any limit: a right code is never refused, whatever failed
before it from the same address or for the same contest (a code is 100 random bits, so the
limits are not what stops guessing). Wrong codes are counted per code, per contest and, with
a generous limit meant only for abuse, per address; past a limit a wrong code is answered
``429`` with the time to wait.

Sign-ins are limited per username and address, per username, and per address, before the
password is hashed; and at most ``max_concurrent_hashes`` Argon2 hashes (64 MiB each) run at
once in a process: a sign-in that finds them all busy is refused at once, not queued.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mandate.config import Settings
from mandate.crypto import parse_credential
from mandate.errors import AccessDeniedError, CredentialError, InputError, TooManyAttemptsError
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


BUSY_RETRY_SECONDS = 2
"""What a sign-in refused because every password hash slot is busy is told to wait."""


def _code_name(credential: str) -> str:
    # The same code however it was typed (case, dashes, look-alike letters).
    try:
        return parse_credential(credential)
    except CredentialError:
        return credential.strip().upper()


class Access:
    """Who may do what: officials' accounts, sign-in and sessions, and limits on failed
    attempts (officials' passwords, voters' codes).

    Args:
        store: where accounts, sessions and counters live.
        session_seconds: how long a session lasts.
        login_limit: failed sign-ins allowed per username and client address.
        login_account_limit: failed sign-ins allowed per username, from anywhere.
        login_address_limit: failed sign-ins allowed per client address, for any username.
        max_concurrent_hashes: password hashes (64 MiB each) that may run at once.
        code_limit: failed attempts allowed with one (wrong) voting code.
        contest_limit: wrong voting codes allowed per contest (or for "any open contest").
        address_limit: wrong voting codes allowed per client address (generous: abuse only).
        bucket_key: the key the counters' buckets are named under (random if not given).
        clock: seconds since the epoch (a parameter so tests can move time on).
    """

    def __init__(
        self,
        store: SqlAccounts,
        *,
        session_seconds: int = 8 * 3600,
        login_limit: RateLimit = RateLimit(attempts=10, window=900),
        login_account_limit: RateLimit = RateLimit(attempts=30, window=900),
        login_address_limit: RateLimit = RateLimit(attempts=30, window=900),
        max_concurrent_hashes: int = 2,
        code_limit: RateLimit = RateLimit(attempts=5, window=900),
        contest_limit: RateLimit = RateLimit(attempts=2000, window=900),
        address_limit: RateLimit = RateLimit(attempts=200, window=900),
        bucket_key: bytes | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.session_seconds = session_seconds
        self.login_limit = login_limit
        self.login_account_limit = login_account_limit
        self.login_address_limit = login_address_limit
        self.code_limit = code_limit
        self.contest_limit = contest_limit
        self.address_limit = address_limit
        self.bucket_key = bucket_key if bucket_key is not None else secrets.token_bytes(32)
        self.clock = clock
        self.hasher = PasswordHasher()
        self.hashing = threading.BoundedSemaphore(max_concurrent_hashes)

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

    def bucket(self, kind: str, *parts: str) -> str:
        """A counter's bucket: ``kind:`` and an HMAC of what it counts under :attr:`bucket_key`.

        Without the key (which is never stored) nobody can tell which address, code or
        username a bucket counts, not even by trying every address.
        """
        mac = hmac.new(self.bucket_key, kind.encode(), hashlib.sha256)
        for part in parts:
            mac.update(len(part.encode()).to_bytes(4, "big") + part.encode())
        return f"{kind}:{mac.hexdigest()[:32]}"

    def _wait_if_limited(self, bucket: str, limit: RateLimit) -> int:
        # Failures are counted in fixed windows; the limit applies to this window and the one
        # before, so a burst across a window's edge is still caught. 0 means not limited.
        window = self._window(limit)
        if self.store.attempts(bucket, since=window - limit.window) >= limit.attempts:
            return max(1, window + limit.window - self._now())
        return 0

    def _refuse_if_limited(self, bucket: str, limit: RateLimit, what: str) -> None:
        wait = self._wait_if_limited(bucket, limit)
        if wait:
            raise TooManyAttemptsError(what=what, retry_after=wait)

    def _sign_in_buckets(self, username: str, client: str) -> tuple[tuple[str, RateLimit], ...]:
        return (
            (self.bucket("login", username, client), self.login_limit),
            (self.bucket("login-account", username), self.login_account_limit),
            (self.bucket("login-address", client), self.login_address_limit),
        )

    def _check_password(self, stored_hash: str | None, password: str) -> None:
        """Verify a password (or hash it anyway for an unknown user), a few at a time.

        Raises:
            VerifyMismatchError: wrong password or unknown user.
            TooManyAttemptsError: every hashing slot is busy; nothing was checked.
        """
        if not self.hashing.acquire(blocking=False):
            raise TooManyAttemptsError(
                what="sign-in",
                retry_after=BUSY_RETRY_SECONDS,
                message=(
                    "too many sign-ins at once; nothing was checked: try again in "
                    f"{BUSY_RETRY_SECONDS} seconds"
                ),
            )
        try:
            if stored_hash is None:
                # Hash anyway, so that timing does not tell which usernames exist.
                self.hasher.hash(password)
                raise VerifyMismatchError
            self.hasher.verify(stored_hash, password)
        finally:
            self.hashing.release()

    def sign_in(self, username: str, password: str, *, client: str) -> OfficialSession:
        """Check a password and open a session.

        Raises:
            TooManyAttemptsError: too many failed sign-ins for this username from this client,
                for this username, or from this client; or too many sign-ins at once.
            AccessDeniedError: a wrong username or password (which of the two is not said).
        """
        buckets = self._sign_in_buckets(username, client)
        for bucket, limit in buckets:
            self._refuse_if_limited(bucket, limit, "sign-in")
        account = self.store.account(username)
        try:
            self._check_password(account.password_hash if account else None, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            for bucket, limit in buckets:
                self.store.add_attempt(bucket, window=self._window(limit))
            raise AccessDeniedError("wrong username or password", signed_in=False) from None
        assert account is not None
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

    def credential_failed(self, credential: str, *, contest_id: str | None, client: str) -> None:
        """Count a wrong voting code against the code, the contest and the client address.

        Called only after the code was checked and found wrong: a right code is never
        counted or refused. A bucket already full is not counted further.

        Raises:
            TooManyAttemptsError: one of the three has used up its failures for now (the
                longest wait is given).
        """
        waits = []
        for bucket, limit in (
            (self.bucket("code", _code_name(credential)), self.code_limit),
            (self.bucket("contest", contest_id or "*"), self.contest_limit),
            (self.bucket("address", client), self.address_limit),
        ):
            wait = self._wait_if_limited(bucket, limit)
            if wait:
                waits.append(wait)
            else:
                self.store.add_attempt(bucket, window=self._window(limit))
        if waits:
            raise TooManyAttemptsError(
                what="voting code",
                retry_after=max(waits),
                message=(
                    "this voting code is not recognised, and too many wrong codes have been "
                    f"tried recently: check the code and try again in {max(waits)} seconds "
                    "(a right code is accepted at any time)"
                ),
            )


def open_access(settings: Settings, *, bucket_key: bytes | None = None) -> Access:
    """Access control over the installation's database (migrated to the newest schema).

    ``bucket_key`` names the rate-limit buckets; worker processes of one server share it
    (random when not given).
    """
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return Access(SqlAccounts(engine), bucket_key=bucket_key)
