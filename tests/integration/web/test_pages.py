"""Voters' and officials' pages in-process: what each step says and what it refuses."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from mandate.config import Settings
from mandate.service.access import Role
from mandate.web import create_app
from tests.integration.web.test_api import SHIPPED
from tests.support.keys import new_signer
from tests.support.web import make_client

PASSWORD = "correct horse battery staple"
CONTEST = "leader-2016"
MEMBERS = "member_id,voter_class,joined\nM1,member,2015-01-01\nM2,member,2015-01-01\n"
ROLL = MEMBERS + "".join(f"S{n},registered_supporter,2016-07-19\n" for n in range(1, 6))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def pages(settings: Settings) -> Any:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, signer=new_signer())
    with make_client(app) as client:
        app.state.access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        app.state.access.add("observer", PASSWORD, Role.OBSERVER)
        yield client


def sign_in(client: Any, username: str = "ro") -> str:
    response = client.post("/official/sign-in", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text  # followed the redirect to the dashboard
    return csrf_of(response.text)


def open_ballot(client: Any) -> list[str]:
    """Set up a contest through the pages; returns the two voters' codes."""
    token = sign_in(client)
    client.post(
        "/official/contests",
        data={"csrf_token": token, "contest_id": CONTEST, "rulebook": "labour-2016"},
    )
    act = f"/official/contests/{CONTEST}/actions"
    client.post(act, data={"csrf_token": token, "action": "open nominations"})
    nominate = f"/official/contests/{CONTEST}/nominations"
    client.post(
        nominate, data={"csrf_token": token, "name": "Jeremy Corbyn", "automatic": "incumbent"}
    )
    client.post(nominate, data={"csrf_token": token, "name": "Owen Smith", "nominations": "172"})
    client.post(nominate, data={"csrf_token": token, "name": "Angela Eagle", "nominations": "60"})
    client.post(
        f"/official/contests/{CONTEST}/close-nominations",
        data={
            "csrf_token": token,
            "process": "challenge",
            "body_size": "251",
            "on": "2016-07-20",
            "confirmed": "yes",
        },
    )
    client.post(
        f"/official/contests/{CONTEST}/roll",
        data={"csrf_token": token, "on": "2016-08-08"},
        files={"roll": ("roll.csv", ROLL, "text/csv")},
    )
    issued = client.post(f"/official/contests/{CONTEST}/credentials", data={"csrf_token": token})
    assert (
        issued.headers["content-disposition"] == f'attachment; filename="{CONTEST}-credentials.csv"'
    )
    client.post(act, data={"csrf_token": token, "action": "open the ballot", "confirmed": "yes"})
    client.post("/official/sign-out", data={"csrf_token": token})
    return [row["credential"] for row in csv.DictReader(io.StringIO(issued.text))]


def test_sign_in_page_refuses_a_wrong_password_in_words(pages: Any) -> None:
    response = pages.post(
        "/official/sign-in", data={"username": "ro", "password": "nope-nope-nope"}
    )
    assert response.status_code == 401
    assert "wrong username or password" in response.text
    assert 'value="ro"' in response.text


def test_dashboard_needs_signing_in(pages: Any) -> None:
    response = pages.get("/official")
    assert response.status_code == 401
    assert 'href="/official/sign-in"' in response.text


def test_forms_without_the_csrf_token_change_nothing(pages: Any) -> None:
    sign_in(pages)
    response = pages.post(
        "/official/contests",
        data={"csrf_token": "forged", "contest_id": CONTEST, "rulebook": "labour-2016"},
    )
    assert response.status_code == 403
    assert "security token" in response.text
    assert CONTEST not in pages.get("/official").text


def test_observers_see_but_cannot_change(pages: Any) -> None:
    token = sign_in(pages, "observer")
    assert "Create a contest" not in pages.get("/official").text
    response = pages.post(
        "/official/contests",
        data={"csrf_token": token, "contest_id": CONTEST, "rulebook": "labour-2016"},
    )
    assert response.status_code == 403
    assert "may not manage contests" in response.text


def test_uploaded_rulebook_errors_name_the_line(pages: Any, settings: Settings) -> None:
    token = sign_in(pages)
    response = pages.post(
        "/official/contests",
        data={"csrf_token": token, "contest_id": "x"},
        files={"rulebook_file": ("mine.toml", "[meta]\nid = 'x'\n[meta]\n", "text/plain")},
    )
    assert response.status_code == 422
    assert "line" in response.text
    assert not (settings.data_dir / "rulebooks" / "x.toml").exists()


def test_contest_page_shows_threshold_progress_and_roll_report(pages: Any) -> None:
    token = sign_in(pages)
    pages.post(
        "/official/contests",
        data={"csrf_token": token, "contest_id": CONTEST, "rulebook": "labour-2016"},
    )
    pages.post(
        f"/official/contests/{CONTEST}/actions",
        data={"csrf_token": token, "action": "open nominations"},
    )
    pages.post(
        f"/official/contests/{CONTEST}/nominations",
        data={"csrf_token": token, "name": "Owen Smith", "nominations": "30"},
    )
    page = pages.get(
        f"/official/contests/{CONTEST}",
        params={"process": "challenge", "body_size": "251", "on": "2016-07-20"},
    )
    assert "51 nominations needed." in page.text
    assert "20% of 251 MPs and MEPs on 20 July 2016 = 50.2, rounded up (ceil) = 51" in page.text
    assert '<progress id="progress-1" max="51" value="30">' in page.text
    assert "30 of 51 needed: 21 more to reach it" in page.text
    report = pages.post(
        f"/official/contests/{CONTEST}/roll",
        data={"csrf_token": token, "on": "2016-08-08"},
        files={"roll": ("roll.csv", MEMBERS + "M3,member,2016-08-01\n", "text/csv")},
    )
    assert "3 rows read, 2 eligible, 1 excluded" in report.text


def test_voter_review_warns_and_repeated_ranks_cannot_be_cast(pages: Any) -> None:
    codes = open_ballot(pages)
    ballot = pages.post("/vote", data={"credential": codes[0]})
    assert ballot.headers["cache-control"] == "no-store"
    assert '<label for="rank-1" class="label">Rank for Jeremy Corbyn</label>' in ballot.text
    same = pages.post(
        f"/vote/{CONTEST}/review", data={"credential": codes[0], "rank-1": "1", "rank-2": "1"}
    )
    assert "1st preference: Jeremy Corbyn and Owen Smith (the same rank)" in same.text
    assert 'id="cast"' not in same.text
    refused = pages.post(
        f"/vote/{CONTEST}/cast", data={"credential": codes[0], "rank-1": "1", "rank-2": "1"}
    )
    assert refused.status_code == 422
    skipped = pages.post(
        f"/vote/{CONTEST}/review", data={"credential": codes[0], "rank-1": "1", "rank-2": "3"}
    )
    assert "You gave no candidate rank 2, but gave rank 3." in skipped.text
    assert "2nd preference: nobody (skipped)" in skipped.text
    receipt = pages.post(
        f"/vote/{CONTEST}/cast", data={"credential": codes[0], "rank-1": "1", "rank-2": "3"}
    )
    assert "Your vote has been cast" in receipt.text
    # what the tracker proves, and what it does not (issue 10, item 8)
    assert "it shows your ballot is among those counted" in receipt.text
    assert "It does not show how you voted" in receipt.text
    again = pages.post("/vote", data={"credential": codes[0]})
    assert again.status_code == 409
    assert "This code has already been used" in again.text


def test_voter_pages_refuse_bad_codes_in_words(pages: Any) -> None:
    open_ballot(pages)
    for code in ("", "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "x" * 500):
        response = pages.post("/vote", data={"credential": code})
        assert response.status_code == 403
        assert 'aria-invalid="true"' in response.text


def test_nothing_is_open_to_vote_in_before_the_ballot_opens(pages: Any) -> None:
    assert "No ballot is open for voting at the moment." in pages.get("/vote").text


def test_a_voting_code_is_reissued_on_the_contest_page(pages: Any) -> None:
    codes = open_ballot(pages)
    token = sign_in(pages)
    page = pages.get(f"/official/contests/{CONTEST}")
    assert "Re-issue the voting code of member id" in page.text
    reissued = pages.post(
        f"/official/contests/{CONTEST}/reissue", data={"csrf_token": token, "member_id": "M1"}
    )
    assert reissued.headers["cache-control"] == "no-store"
    fresh = re.search(r'id="new-credential">([^<]+)<', reissued.text)
    assert fresh
    assert pages.post("/vote", data={"credential": codes[0]}).status_code == 403
    assert "Rank for Jeremy Corbyn" in pages.post("/vote", data={"credential": fresh.group(1)}).text


def test_a_plurality_ballot_takes_one_choice(pages: Any) -> None:
    """conservative-1922's members' ballot is plurality: radio buttons, one choice."""
    token = sign_in(pages)
    pages.post(
        "/official/contests",
        data={"csrf_token": token, "contest_id": "tory-2022", "rulebook": "conservative-1922"},
    )
    act = "/official/contests/tory-2022/actions"
    pages.post(act, data={"csrf_token": token, "action": "open nominations"})
    for name, count in (("Liz Truss", "50"), ("Rishi Sunak", "88")):
        pages.post(
            "/official/contests/tory-2022/nominations",
            data={"csrf_token": token, "name": name, "nominations": count},
        )
    closed = pages.post(
        "/official/contests/tory-2022/close-nominations",
        data={
            "csrf_token": token,
            "process": "vacancy",
            "body_size": "357",
            "on": "2022-07-12",
            "confirmed": "yes",
        },
    )
    assert closed.status_code == 200, closed.text
    pages.post(
        "/official/contests/tory-2022/roll",
        data={"csrf_token": token, "on": "2022-08-01"},
        files={"roll": ("roll.csv", MEMBERS, "text/csv")},
    )
    issued = pages.post("/official/contests/tory-2022/credentials", data={"csrf_token": token})
    codes = [row["credential"] for row in csv.DictReader(io.StringIO(issued.text))]
    pages.post(act, data={"csrf_token": token, "action": "open the ballot", "confirmed": "yes"})
    ballot = pages.post("/vote", data={"credential": codes[0]})
    assert 'type="radio" id="choice-2" name="choice" value="2"' in ballot.text
    assert 'id="ballot-form"' not in ballot.text  # no ranking, no drag and drop
    said = pages.post("/vote/tory-2022/review", data={"credential": codes[0], "choice": "1"})
    assert "Your vote: Liz Truss" in said.text
    assert 'name="rank-1" value="1"' in said.text
    receipt = pages.post("/vote/tory-2022/cast", data={"credential": codes[0], "rank-1": "1"})
    assert "Your vote has been cast" in receipt.text
    two = pages.post(
        "/vote/tory-2022/review", data={"credential": codes[1], "rank-1": "1", "rank-2": "1"}
    )
    assert "This contest takes one choice only" in two.text
    assert (
        pages.post(
            "/vote/tory-2022/cast", data={"credential": codes[1], "rank-1": "1", "rank-2": "1"}
        ).status_code
        == 422
    )


PAPER = f"/official/contests/{CONTEST}/paper-batches"


def paper_field(html: str, tag: str, control_id: str) -> str:
    """The opening tag of one of the paper form's controls."""
    found = re.search(rf'<{tag} [^>]*id="{control_id}"[^>]*>', html)
    assert found, f"no {tag} #{control_id}"
    return found.group(0)


def post_envelopes(pages: Any, token: str, codes: list[str]) -> str:
    """Record returned envelopes on the contest page; the page that comes back."""
    recorded = pages.post(
        f"/official/contests/{CONTEST}/envelopes",
        data={"csrf_token": token, "credentials": "\n".join(codes)},
    )
    assert recorded.status_code == 200, recorded.text
    return str(recorded.text)


def test_a_refused_paper_batch_comes_back_on_the_contest_page_as_typed(pages: Any) -> None:
    codes = open_ballot(pages)
    token = sign_in(pages)
    typed = "Owen Smith\r\nJeremy Corbyn > Tony Blair\r\nAngela Eagle\r\n"
    sent = {"csrf_token": token, "label": "Box <7>", "voter_class": "registered_supporter"}
    refused = pages.post(PAPER, data={**sent, "ballots": typed, "spoilt": "2"})
    assert refused.status_code == 422
    html = refused.text
    assert "<h1>Invalid input</h1>" not in html  # the contest page, not the error page
    assert '<span class="badge" id="state">ballot open</span>' in html
    assert "<title>Error: Labour Party Rule Book 2016" in html
    start = html.index('<div class="notice notice-error" role="alert" id="paper-error">')
    summary = html[start : html.index("</div>", start)]
    assert "This batch was not entered</strong>: nothing of it was stored." in summary
    assert '<a href="#batch-ballots">Line 2 of the ballots: Box &lt;7&gt;: ballot 2: unknown ' in (
        summary
    )
    ballots = paper_field(html, "textarea", "batch-ballots")
    assert 'aria-invalid="true"' in ballots
    assert 'aria-describedby="batch-hint batch-ballots-error"' in ballots
    assert (
        '<span class="field-error" id="batch-ballots-error"><span class="visually-hidden">Error: '
        "</span>Line 2 (Jeremy Corbyn &gt; Tony Blair): Box &lt;7&gt;: ballot 2: unknown "
        "candidate &#39;Tony Blair&#39;" in html
    )
    assert f"{ballots}\n{typed.replace('>', '&gt;')}</textarea>" in html
    assert 'value="Box &lt;7&gt;"' in paper_field(html, "input", "batch-label")
    assert '<option value="registered_supporter" selected>' in html
    assert 'value="2"' in paper_field(html, "input", "batch-spoilt")
    assert 'aria-invalid="true"' not in paper_field(html, "input", "batch-label")
    assert csrf_of(html) == token
    assert 'id="paper-batches"' not in pages.get(f"/official/contests/{CONTEST}").text

    corrected = typed.replace(" > Tony Blair", "")
    post_envelopes(pages, token, codes[2:7])
    entered = pages.post(PAPER, data={**sent, "ballots": corrected, "spoilt": "2"})
    assert entered.status_code == 200
    assert entered.url.path == f"/official/contests/{CONTEST}"
    assert "Box &lt;7&gt; (Registered supporters): 3 ballots, 2 spoilt, entered by ro" in (
        entered.text
    )
    assert 'id="paper-error"' not in entered.text
    assert "<title>Error:" not in entered.text


def test_a_blank_line_in_a_paper_batch_is_named_by_its_line_and_kept(pages: Any) -> None:
    open_ballot(pages)
    token = sign_in(pages)
    typed = "\nOwen Smith\n"
    data = {"csrf_token": token, "label": "Box 1", "voter_class": "member", "ballots": typed}
    html = pages.post(PAPER, data=data).text
    assert '<a href="#batch-ballots">Line 1 of the ballots: this line is blank: type one' in html
    # A textarea drops the newline right after its tag: the one written there keeps line 1.
    assert f"{paper_field(html, 'textarea', 'batch-ballots')}\n{typed}</textarea>" in html


def test_a_paper_batch_refusal_names_the_spoilt_count_or_the_batch(pages: Any) -> None:
    open_ballot(pages)
    token = sign_in(pages)
    base = {"csrf_token": token, "voter_class": "member", "ballots": "Owen Smith"}
    spoilt = pages.post(PAPER, data={**base, "label": "Box 1", "spoilt": "two"})
    assert spoilt.status_code == 422
    assert '<a href="#batch-spoilt">spoilt ballots must be a whole number' in spoilt.text
    assert 'aria-invalid="true"' in paper_field(spoilt.text, "input", "batch-spoilt")
    assert 'aria-invalid="true"' not in paper_field(spoilt.text, "textarea", "batch-ballots")
    unlabelled = pages.post(PAPER, data={**base, "label": "  ", "spoilt": "0"})
    assert unlabelled.status_code == 422
    assert "<li>a paper batch needs a label</li>" in unlabelled.text
    assert 'aria-invalid="true"' not in unlabelled.text
    assert 'id="paper-batches"' not in pages.get(f"/official/contests/{CONTEST}").text


def test_a_paper_batch_needs_the_csrf_token_and_a_role_that_enters_paper(pages: Any) -> None:
    open_ballot(pages)
    token = sign_in(pages)
    batch = {"label": "Box 1", "voter_class": "member", "ballots": "Tony Blair", "spoilt": "0"}
    forged = pages.post(PAPER, data={**batch, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert "security token" in forged.text
    assert 'id="paper-error"' not in forged.text  # refused before the batch is looked at
    pages.post("/official/sign-out", data={"csrf_token": token})
    observer = sign_in(pages, "observer")
    refused = pages.post(PAPER, data={**batch, "csrf_token": observer})
    assert refused.status_code == 403
    assert 'id="paper-error"' not in refused.text
    assert 'id="paper-batches"' not in pages.get(f"/official/contests/{CONTEST}").text


def test_the_create_form_takes_no_path_as_a_rulebook(pages: Any) -> None:
    """Naming a file on the server as the rulebook is refused without reading it."""
    token = sign_in(pages)
    for path in ("/etc/passwd", str(SHIPPED / "labour-2016.toml")):
        page = pages.post(
            "/official/contests", data={"csrf_token": token, "contest_id": "c", "rulebook": path}
        )
        assert page.status_code == 404, page.text
        assert "no shipped rulebook named" in page.text
    assert "/official/contests/c" not in pages.get("/official/").text


def test_returned_envelopes_are_recorded_on_the_contest_page(pages: Any) -> None:
    codes = open_ballot(pages)
    token = sign_in(pages)
    page = pages.get(f"/official/contests/{CONTEST}").text
    assert 'id="envelope-codes"' in page
    pages.post("/vote", data={"credential": codes[0]})
    voted = pages.post(f"/vote/{CONTEST}/cast", data={"credential": codes[0], "rank-1": "1"})
    assert "Your vote has been cast" in voted.text
    html = post_envelopes(pages, token, [codes[1], f"  {codes[2].lower()} ", codes[0], "nonsense"])
    start = html.index('id="envelope-report"')
    report = html[start : html.index("</div>", start)]
    assert "2 envelopes recorded, 2 refused." in report
    assert "envelope 3: this credential has already been used to vote" in report
    assert "envelope 4: malformed credential" in report
    start = html.index('<table id="paper-room">')
    room = html[start : html.index("</table>", start)]
    assert (
        '<tr data-class="member" data-room="1"><th scope="row">Members</th><td class="num">1</td>'
        '<td class="num">0</td><td class="num">1</td></tr>'
    ) in room
    # The envelope's voter can no longer vote online.
    again = pages.post(f"/vote/{CONTEST}/cast", data={"credential": codes[1], "rank-1": "1"})
    assert again.status_code == 409


def test_a_paper_batch_is_refused_beyond_its_envelopes_and_under_a_label_used_before(
    pages: Any,
) -> None:
    codes = open_ballot(pages)
    token = sign_in(pages)
    sent = {"csrf_token": token, "label": "Box 1", "voter_class": "member"}
    # The attack of the issue: ballots with no envelope recorded for the class.
    refused = pages.post(PAPER, data={**sent, "ballots": "Owen Smith\nOwen Smith", "spoilt": "7"})
    assert refused.status_code == 422
    assert (
        "<li>paper batch &#39;Box 1&#39; (Members): 2 ballots and 7 spoilt is 9, more than the "
        "envelopes allow: 0 returned envelopes of this class recorded"
    ) in refused.text
    for huge in ("1000000000000000", "100000000000000000000"):
        too_many = pages.post(PAPER, data={**sent, "ballots": "Owen Smith", "spoilt": huge})
        assert too_many.status_code == 422
        assert 'aria-invalid="true"' in paper_field(too_many.text, "input", "batch-spoilt")
        assert "is more than one batch can hold (at most 1,000,000)" in too_many.text
    post_envelopes(pages, token, codes[:2])
    entered = pages.post(PAPER, data={**sent, "ballots": "Owen Smith", "spoilt": "0"})
    assert entered.status_code == 200
    twice = pages.post(PAPER, data={**sent, "label": "box 1", "ballots": "Owen Smith"})
    assert twice.status_code == 422
    assert 'aria-invalid="true"' in paper_field(twice.text, "input", "batch-label")
    assert "a paper batch labelled &#39;Box 1&#39; was already entered on " in twice.text
    listed = pages.get(f"/official/contests/{CONTEST}").text
    assert listed.count("Box 1 (Members): 1 ballot, 0 spoilt") == 1
