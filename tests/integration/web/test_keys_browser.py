"""The returning officer signs each step in the browser with the key file, never stored.

The server here was started without the officer's key (``mandate serve`` with no --key-file):
every form that takes a signed step asks for the key file and its passphrase. Played in
Chromium as an official would: a wrong passphrase, another officer's key, going back and
trying again; then the public page and the credential letters show the contest's key.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mandate.crypto import key_fingerprint, open_key_file
from mandate.service.keys import create_key_file, key_file_public_key
from tests.support.keys import FAST_KDF, PASSPHRASE
from tests.support.web import (
    Server,
    add_official,
    assert_accessible,
    running_server,
    sign_in_official,
)

CONTEST = "leader-2016"
ROLL = """member_id,voter_class,joined,name,email,in_arrears
M001,member,2015-03-01,Ann Member,ann@example.org,no
M002,member,2016-01-05,Bob Member,bob@example.org,no
"""


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[Server]:
    """``mandate serve`` started without the returning officer's key."""
    with running_server(tmp_path / "served", holds_key=False) as running:
        add_official(running, "ro", "returning-officer")
        yield running


@pytest.fixture
def keyless_page(browser: Any, keyless: Server) -> Iterator[Any]:
    context = browser.new_context(base_url=keyless.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _sign_step(page: Any, button: str, key_file: Path, passphrase: str, form: str) -> None:
    scope = page.locator(form)
    scope.locator("input[name=key_file]").set_input_files(str(key_file))
    scope.locator("input[name=key_passphrase]").fill(passphrase)
    scope.locator(f"button:has-text('{button}')").click()


def _sign_confirmed_step(page: Any, button: str, key_file: Path, passphrase: str) -> None:
    """A step asked about first: the key file is given on the page that asks."""
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector("#confirm")
    _sign_step(page, "Yes", key_file, passphrase, "form:has(#confirm)")


def test_an_officer_signs_each_step_with_the_key_file(
    keyless_page: Any, keyless: Server, tmp_path: Path
) -> None:
    page = keyless_page
    assert keyless.key_file is not None
    key_file = keyless.key_file
    fingerprint = key_fingerprint(key_file_public_key(key_file))
    other_key = tmp_path / "someone-else.key"
    create_key_file(other_key, PASSPHRASE, params=FAST_KDF)

    sign_in_official(page)

    # a wrong passphrase: refused in words, nothing created
    page.fill("#contest_id", CONTEST)
    page.select_option("#rulebook", "labour-2016")
    page.set_input_files("#key-file-create", str(key_file))
    page.fill("#key-passphrase-create", "not the passphrase at all")
    page.click("button:has-text('Create contest')")
    assert "wrong passphrase" in page.content()
    page.go_back()
    page.goto("/official")
    assert CONTEST not in page.locator("main").inner_text()

    # the right one: the contest takes the key file's public key
    page.fill("#contest_id", CONTEST)
    page.select_option("#rulebook", "labour-2016")
    page.set_input_files("#key-file-create", str(key_file))
    page.fill("#key-passphrase-create", PASSPHRASE)
    assert_accessible(page)
    page.click("button:has-text('Create contest')")
    page.wait_for_url(f"**/official/contests/{CONTEST}")
    assert page.locator("#key-fingerprint").inner_text() == fingerprint

    # another officer's key cannot sign this contest's steps
    actions = "form:has(input[value='open nominations'])"
    _sign_step(page, "Open nominations", other_key, PASSPHRASE, actions)
    assert "is not the key of contest" in page.content()
    page.go_back()
    page.reload()
    assert page.locator("#state").inner_text() == "draft"
    assert_accessible(page)
    _sign_step(page, "Open nominations", key_file, PASSPHRASE, actions)
    page.wait_for_selector("#state:has-text('nominations open')")

    page.select_option("#process", "challenge")
    page.fill("#body_size", "251")
    page.fill("#on", "2016-07-20")
    page.click("button:has-text('Work out the threshold')")
    page.fill("#name", "Jeremy Corbyn")
    page.fill("#automatic", "the incumbent is on the ballot")
    page.click("button:has-text('Record nomination')")
    page.fill("#name", "Owen Smith")
    page.fill("#nomination-count", "172")
    page.click("button:has-text('Record nomination')")
    _sign_confirmed_step(page, "Close nominations at 51", key_file, PASSPHRASE)
    page.wait_for_selector("#state:has-text('nominations closed')")

    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    page.set_input_files("#roll-file", str(roll))
    page.fill("#roll-on", "2016-08-08")
    page.click("button:has-text('Import roll')")
    with page.expect_download() as download:
        page.click("#issue-credentials")
    letters = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert {row["key_fingerprint"] for row in letters} == {fingerprint}
    page.goto(f"/official/contests/{CONTEST}")
    _sign_confirmed_step(page, "Open the ballot", key_file, PASSPHRASE)
    page.wait_for_selector("#state:has-text('ballot open')")

    # the public page shows the key and the signed checkpoints while the ballot runs
    page.goto(f"/contests/{CONTEST}")
    assert page.locator("#key-fingerprint").inner_text() == fingerprint
    rows = page.locator("#checkpoint-table tbody tr").all_inner_texts()
    assert len(rows) == 4
    assert "open the ballot" in rows[-1]
    assert_accessible(page)
    published = page.request.get(f"/contests/{CONTEST}/checkpoints.jsonl").text()
    assert [json.loads(line)["checkpoint"]["n"] for line in published.splitlines()] == [1, 2, 3, 4]

    # the key file was used and forgotten: nothing the server keeps holds it, or its seed
    sealed = json.loads(key_file.read_text())["ciphertext"].encode()
    seed = open_key_file(key_file.read_bytes(), PASSPHRASE, source=str(key_file))
    for path in keyless.data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert sealed not in content, path
            assert seed not in content, path
            assert seed.hex().encode() not in content, path


def test_an_officer_without_the_command_line_makes_a_key_file_in_the_browser(
    keyless_page: Any, keyless: Server, tmp_path: Path
) -> None:
    page = keyless_page
    sign_in_official(page)
    page.fill("#new-passphrase", PASSPHRASE)
    page.fill("#new-passphrase-again", PASSPHRASE + " typo")
    page.click("#make-key-file")
    assert "the two passphrases differ" in page.content()
    page.go_back()
    page.fill("#new-passphrase", PASSPHRASE)
    page.fill("#new-passphrase-again", PASSPHRASE)
    with page.expect_download() as download:
        page.click("#make-key-file")
    key_file = tmp_path / download.value.suggested_filename
    download.value.save_as(str(key_file))
    public_key = key_file_public_key(key_file)
    assert key_file.name == f"mandate-{public_key[:8]}.key"
    page.goto("/official")
    page.fill("#contest_id", CONTEST)
    page.select_option("#rulebook", "labour-2016")
    page.set_input_files("#key-file-create", str(key_file))
    page.fill("#key-passphrase-create", PASSPHRASE)
    page.click("button:has-text('Create contest')")
    page.wait_for_url(f"**/official/contests/{CONTEST}")
    assert page.locator("#key-fingerprint").inner_text() == key_fingerprint(public_key)
    seed = open_key_file(key_file.read_bytes(), PASSPHRASE, source=str(key_file))
    for path in keyless.data_dir.rglob("*"):
        if path.is_file():
            assert seed not in path.read_bytes(), path
            assert seed.hex().encode() not in path.read_bytes(), path
