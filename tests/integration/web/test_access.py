"""Officials' accounts, sessions and attempt limits, stored in SQLite and in PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from mandate.errors import AccessDeniedError, InputError, TooManyAttemptsError
from mandate.service.access import Access, Action, RateLimit, Role
from mandate.storage.accounts import SqlAccounts
from mandate.storage.sql import make_engine, migrate

PASSWORD = "correct horse battery staple"


class Clock:
    """Seconds since the epoch that a test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def access(database_url: str, clock: Clock) -> Iterator[Access]:
    engine = make_engine(database_url)
    migrate(engine)
    made = Access(
        SqlAccounts(engine),
        session_seconds=3600,
        login_limit=RateLimit(attempts=3, window=600),
        address_limit=RateLimit(attempts=2, window=600),
        clock=clock,
    )
    yield made
    made.close()


def test_passwords_are_stored_as_argon2_hashes(access: Access) -> None:
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    stored = access.store.account("ro")
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_accounts_refuse_bad_names_short_passwords_and_duplicates(access: Access) -> None:
    with pytest.raises(InputError, match="username"):
        access.add("Bad Name", PASSWORD, Role.OBSERVER)
    with pytest.raises(InputError, match="at least 12"):
        access.add("ok", "short", Role.OBSERVER)
    access.add("ok", PASSWORD, Role.OBSERVER)
    with pytest.raises(InputError, match="already exists"):
        access.add("ok", PASSWORD, Role.SCRUTINEER)
    assert [(o.username, o.role) for o in access.officials()] == [("ok", Role.OBSERVER)]


def test_a_session_lives_in_the_database_until_it_expires(access: Access, clock: Clock) -> None:
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    session = access.sign_in("ro", PASSWORD, client="10.0.0.1")
    assert access.session(session.token).official.role is Role.RETURNING_OFFICER
    assert access.store.session(session.token, now=int(clock.now)) is None  # stored hashed
    clock.now += 3601
    with pytest.raises(AccessDeniedError) as refused:
        access.session(session.token)
    assert refused.value.signed_in is False


def test_signing_out_ends_the_session(access: Access) -> None:
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    session = access.sign_in("ro", PASSWORD, client="10.0.0.1")
    access.sign_out(session.token)
    with pytest.raises(AccessDeniedError):
        access.session(session.token)


def test_csrf_token_must_match(access: Access) -> None:
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    session = access.sign_in("ro", PASSWORD, client="10.0.0.1")
    session.check_csrf(session.csrf_token)
    for forged in (None, "", "x" * 43):
        with pytest.raises(AccessDeniedError, match="security token"):
            session.check_csrf(forged)


def test_roles_allow_what_they_should(access: Access) -> None:
    ro = access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    scrutineer = access.add("sc", PASSWORD, Role.SCRUTINEER)
    observer = access.add("ob", PASSWORD, Role.OBSERVER)
    assert all(ro.may(a) for a in Action)
    assert scrutineer.may(Action.ENTER_PAPER)
    assert not scrutineer.may(Action.MANAGE)
    assert observer.may(Action.VIEW)
    assert not observer.may(Action.ENTER_PAPER)
    with pytest.raises(AccessDeniedError, match=r"ob \(observer\) may not manage contests"):
        observer.require(Action.MANAGE)


def test_failed_sign_ins_are_limited_per_username_and_client(access: Access, clock: Clock) -> None:
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    for _ in range(3):
        with pytest.raises(AccessDeniedError, match="wrong username or password"):
            access.sign_in("ro", "not the password", client="10.0.0.1")
    with pytest.raises(TooManyAttemptsError) as limited:
        access.sign_in("ro", PASSWORD, client="10.0.0.1")
    assert 0 < limited.value.retry_after <= 600
    assert access.sign_in("ro", PASSWORD, client="10.0.0.2")  # another client is not blocked
    clock.now += 1201  # two windows later the count has lapsed
    assert access.sign_in("ro", PASSWORD, client="10.0.0.1")


def test_failures_across_a_window_edge_still_count(access: Access, clock: Clock) -> None:
    clock.now = 1_800_000_599.0  # one second before a window starts
    access.credential_failed("AAAAA-AAAAA-AAAAA-AAAA1", contest_id=None, client="10.0.0.1")
    clock.now += 2
    access.credential_failed("AAAAA-AAAAA-AAAAA-AAAA2", contest_id=None, client="10.0.0.1")
    with pytest.raises(TooManyAttemptsError, match="voting code"):
        access.credential_failed("AAAAA-AAAAA-AAAAA-AAAA3", contest_id=None, client="10.0.0.1")
    access.credential_failed("AAAAA-AAAAA-AAAAA-AAAA4", contest_id=None, client="10.0.0.9")


def test_failed_sign_ins_are_limited_per_address_for_any_username(database_url: str) -> None:
    """A flood of sign-ins for many usernames from one address is stopped before hashing."""
    engine = make_engine(database_url)
    migrate(engine)
    access = Access(SqlAccounts(engine), login_address_limit=RateLimit(attempts=3, window=600))
    try:
        access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        for number in range(3):
            with pytest.raises(AccessDeniedError, match="wrong username or password"):
                access.sign_in(f"nobody{number}", "not the password", client="10.0.0.1")
        with pytest.raises(TooManyAttemptsError, match="sign-in"):
            access.sign_in("someone-else", "not the password", client="10.0.0.1")
        assert access.sign_in("ro", PASSWORD, client="10.0.0.2")
    finally:
        access.close()


def test_failed_sign_ins_are_limited_per_username_from_any_address(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    access = Access(SqlAccounts(engine), login_account_limit=RateLimit(attempts=3, window=600))
    try:
        access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        for number in range(3):
            with pytest.raises(AccessDeniedError, match="wrong username or password"):
                access.sign_in("ro", "not the password", client=f"10.0.0.{number}")
        with pytest.raises(TooManyAttemptsError, match="sign-in"):
            access.sign_in("ro", "not the password", client="10.0.0.99")
    finally:
        access.close()


def test_sign_ins_beyond_the_hashing_slots_are_refused_at_once(access: Access) -> None:
    """With every hashing slot busy, a sign-in is refused without hashing or counting."""
    access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    assert access.hashing.acquire(blocking=False)
    assert access.hashing.acquire(blocking=False)
    try:
        with pytest.raises(TooManyAttemptsError, match="at once") as busy:
            access.sign_in("ro", PASSWORD, client="10.0.0.1")
        assert busy.value.retry_after > 0
    finally:
        access.hashing.release()
        access.hashing.release()
    assert access.sign_in("ro", PASSWORD, client="10.0.0.1")  # nothing was counted
    with access.store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM rate_limits").scalar_one() == 0


def test_rate_limit_buckets_do_not_give_away_the_address(access: Access) -> None:
    """Reading the counters and trying every address of a /24 finds none of them."""
    access.credential_failed("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", contest_id=None, client="203.0.113.7")
    with pytest.raises(AccessDeniedError):
        access.sign_in("nobody", "not the password", client="203.0.113.7")
    with access.store.engine.connect() as conn:
        buckets = [row[0] for row in conn.exec_driver_sql("SELECT bucket FROM rate_limits")]
    assert buckets
    stored = "\n".join(buckets)
    for host in range(256):
        address = f"203.0.113.{host}"
        assert address not in stored
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        assert digest not in stored  # the old, unsalted naming
    other = Access(access.store)  # another process: another key
    assert other.bucket("address", "203.0.113.7") != access.bucket("address", "203.0.113.7")
