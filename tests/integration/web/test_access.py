"""Officials' accounts, sessions and attempt limits, stored in SQLite and in PostgreSQL."""

from __future__ import annotations

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
