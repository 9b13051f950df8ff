"""The roll import pauses the garbage collector around eligibility, and restores it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from mandate.service.rolls import collector_paused


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_running_again_after(collector_enabled: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error(collector_enabled: None) -> None:
    inside: list[bool] = []

    def fail_while_paused() -> None:
        with collector_paused():
            inside.append(gc.isenabled())
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_while_paused()
    assert inside == [False]
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused(collector_enabled: None) -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc.enable()
