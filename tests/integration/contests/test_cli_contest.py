"""The contest commands end to end through the CLI, on SQLite in a data folder."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from tests.integration.contests.conftest import small_roll

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_then_verify_then_audit_verify(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = run("demo", "--scale", "0.002", "--data-dir", str(data))
    assert "Jeremy Corbyn" in out
    folder = data / "published" / "labour-leader-2016"
    assert sorted(p.name for p in folder.iterdir()) == [
        "checkpoints.jsonl",
        "cvr.csv",
        "cvr.json",
        "declaration.json",
        "result.json",
        "trackers.txt",
    ]
    declaration = json.loads((folder / "declaration.json").read_text())["declaration"]
    by_class = {c["id"]: c["first_round"] for c in declaration["by_class"]}
    assert by_class["member"] == {"Jeremy Corbyn": "336", "Owen Smith": "234"}
    assert "verified labour-leader-2016" in run("verify", str(folder))
    assert "verified labour-leader-2016" in run(
        "verify", "labour-leader-2016", "--data-dir", str(data)
    )
    assert "audit log verified" in run("audit", "verify", "--data-dir", str(data))


def test_a_broken_published_folder_exits_non_zero(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("demo", "--scale", "0.001", "--data-dir", str(data))
    folder = data / "published" / "labour-leader-2016"
    with (folder / "cvr.csv").open("a") as handle:
        handle.write("1,Owen Smith,\n")
    out = subprocess.run(
        [sys.executable, "-m", "mandate", "verify", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 5
    assert "cvr.csv: changed since the declaration" in out.stderr


def officer_environment(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """A script's environment: the key file (made by `contest create`), its passphrase, and a
    server secret, all outside the data folder."""
    keys = folder / "officer"
    run("keys", "secret", str(keys / "server.secret"))
    monkeypatch.setenv("MANDATE_SECRET_FILE", str(keys / "server.secret"))
    monkeypatch.setenv("MANDATE_KEY_FILE", str(keys / "officer.key"))
    monkeypatch.setenv("MANDATE_KEY_PASSPHRASE", "correct horse battery staple")
    return keys / "officer.key"


def test_an_officer_runs_a_contest_with_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ("--data-dir", str(tmp_path / "data"))
    key_file = officer_environment(monkeypatch, tmp_path)
    out = run("contest", "create", "c1", "--rulebook", "labour-2016", *d)
    assert key_file.exists()
    assert "publish it before the ballot opens" in " ".join(out.split())
    run("nominations", "open", "c1", *d)
    run("nominations", "add", "c1", "Ann", "--automatic", "incumbent", *d)
    run("nominations", "add", "c1", "Bob", "--nominations", "60", *d)
    run("nominations", "close", "c1", "--threshold", "51", "--basis", "20% of 251", *d)
    out = run("roll", "import", "c1", str(small_roll(tmp_path, 12)), "--on", "2016-08-08", *d)
    assert "12 electors" in out
    creds = tmp_path / "creds.csv"
    run("credentials", "export", "c1", str(creds), *d)
    run("ballot", "open", "c1", *d)
    with creds.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for n, row in enumerate(rows[:4]):
        out = run("ballot", "cast", "--credential", row["credential"], "Bob" if n else "Ann", *d)
        assert "your tracker" in out
    tracker = out.split("your tracker: ")[1].split()[0]
    assert "is included" in run("ballot", "track", "c1", tracker, *d)
    envelopes = tmp_path / "envelopes.txt"
    postal = [r["credential"] for r in rows[4:] if r["voter_class"] == "member"][:3]
    assert rows[4]["credential"] in postal
    envelopes.write_text("\n".join([*postal, rows[0]["credential"]]) + "\n", encoding="utf-8")
    out = run("paper", "envelopes", "c1", str(envelopes), *d)
    assert "3 envelopes accepted, 1 refused" in out
    refused = runner.invoke(
        app, ["ballot", "cast", "--credential", rows[4]["credential"], "Ann", *d]
    )
    assert refused.exit_code != 0
    paper = tmp_path / "box1.csv"
    paper.write_text("count,rank1,rank2\n2,Ann,Bob\n", encoding="utf-8")
    run(
        "paper",
        "enter",
        "c1",
        str(paper),
        "--class",
        "member",
        "--label",
        "box 1",
        "--spoilt",
        "1",
        *d,
    )
    again = runner.invoke(
        app, ["paper", "enter", "c1", str(paper), "--class", "member", "--label", "Box 1", *d]
    )
    assert again.exit_code != 0
    assert "a paper batch labelled 'box 1' was already entered on " in str(again.exception)
    box = ["--class", "member", "--label", "box 2"]
    for huge in ("1000000000000000", "100000000000000000000"):
        spoilt = ["--spoilt", huge]
        refused = runner.invoke(app, ["paper", "enter", "c1", str(paper), *box, *spoilt, *d])
        assert refused.exit_code != 0
        assert "spoilt papers is more than one batch can hold" in str(refused.exception)
    run("ballot", "close", "c1", *d)
    tied = runner.invoke(app, ["contest", "count", "c1", *d])  # Ann 3, Bob 3: drawn by lot
    assert tied.exit_code != 0
    assert "supply the decision by lot" in str(tied.exception)
    assert "elected: Bob" in run("contest", "count", "c1", "--lot", "Bob,Ann", *d)
    run("contest", "declare", "c1", *d)
    assert "verified c1" in run("verify", str(tmp_path / "data" / "published" / "c1"))
    assert "declared" in run("contest", "list", *d)
    unpinned = " ".join(run("audit", "verify", *d).split())
    assert "c1: signed checkpoints hold" in unpinned
    assert "not pinned" in unpinned
    from mandate.service.keys import key_file_public_key

    announced = f"c1={key_file_public_key(key_file)}"
    pinned = " ".join(run("audit", "verify", "--public-key", announced, *d).split())
    assert "as announced" in pinned
    wrong = runner.invoke(app, ["audit", "verify", "--public-key", "c1=" + "ab" * 32, *d])
    assert "not the announced" in str(wrong.exception)


@pytest.mark.postgres
def test_demo_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    data = tmp_path / "data"
    run("demo", "--scale", "0.001", "--data-dir", str(data), "--database-url", postgres_url)
    folder = data / "published" / "labour-leader-2016"
    assert "verified labour-leader-2016" in run("verify", str(folder))
    out = run("audit", "verify", "--data-dir", str(data), "--database-url", postgres_url)
    assert "2 ballot seals match" in out


def _limit_memory(limit: int) -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_paper_batch_of_two_billion_ballots_is_refused_before_it_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10, item 21: a 118-byte batch used to expand 2^31 ballots until the kernel
    killed the command. Now its count is checked against the class's electorate as it is
    read, in a process whose address space is capped at 1 GiB."""
    officer_environment(monkeypatch, tmp_path)
    d = ("--data-dir", str(tmp_path / "data"))
    run("contest", "create", "c1", "--rulebook", "labour-2016", *d)
    run("nominations", "open", "c1", *d)
    run("nominations", "add", "c1", "Angela Eagle", "--automatic", "incumbent", *d)
    run("nominations", "add", "c1", "Jeremy Corbyn", "--automatic", "incumbent", *d)
    run("nominations", "close", "c1", "--threshold", "51", "--basis", "20% of 251", *d)
    run("roll", "import", "c1", str(small_roll(tmp_path, 6)), "--on", "2016-08-08", *d)
    run("credentials", "export", "c1", str(tmp_path / "creds.csv"), *d)
    run("ballot", "open", "c1", *d)
    with (tmp_path / "creds.csv").open(newline="") as handle:
        members = [r["credential"] for r in csv.DictReader(handle) if r["voter_class"] == "member"]
    envelopes = tmp_path / "envelopes.txt"
    envelopes.write_text("\n".join(members) + "\n", encoding="utf-8")
    run("paper", "envelopes", "c1", str(envelopes), *d)  # every member's paper came back
    batch = tmp_path / "box1.csv"
    batch.write_text(
        "count,rank1,rank2\n1,Jeremy Corbyn,\n2147483648,Angela Eagle,Jeremy Corbyn,\n",
        encoding="utf-8",
    )
    command = ["paper", "enter", "c1", str(batch), "--class", "member", "--label", "box 1"]
    out = subprocess.run(
        [sys.executable, "-m", "mandate", *command, *d],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: _limit_memory(1 << 30),
    )
    assert "Traceback" not in out.stderr
    assert out.returncode == 3, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr  # one line
    assert f"{batch}, line 3, ballot 2: more than 4 ballots" in out.stderr
    assert "at most its 4 electors" in out.stderr
    batch.write_text("count,rank1,rank2\n4,Angela Eagle,Jeremy Corbyn\n", encoding="utf-8")
    assert "batch 'box 1': 4 ballots" in run(*command, *d)  # the whole electorate may be
