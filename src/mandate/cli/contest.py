"""Commands for running a contest: the returning officer's tools, verification and the demo.

Every command takes ``--data-dir`` (default: the app's data folder) and ``--database-url``
(default: SQLite in the data folder). The root app (:mod:`mandate.cli.app`) names each group
and command here. The service layer, and the database behind it, is imported only when a
command runs, so ``--help`` starts quickly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mandate.cli.options import DatabaseUrl, DataDir, KeyFile, PassphraseFile, SecretFile
from mandate.config import Settings
from mandate.counting.model import format_votes
from mandate.crypto import key_fingerprint
from mandate.errors import InputError, NotFoundError
from mandate.wording import plural

if TYPE_CHECKING:
    from mandate.crypto import Signer
    from mandate.service import ContestService

__all__ = [
    "audit_app",
    "ballot_app",
    "contest_app",
    "credentials_app",
    "demo",
    "nominations_app",
    "paper_app",
    "roll_app",
    "verify",
]

Actor = Annotated[str, typer.Option("--as", help="Who is acting, for the audit log.")]
ContestArg = Annotated[str, typer.Argument(help="The contest id.")]

console = Console()

contest_app = typer.Typer(help="Create, inspect, count and declare contests.", no_args_is_help=True)
nominations_app = typer.Typer(help="Open, record and close nominations.", no_args_is_help=True)
roll_app = typer.Typer(help="Import the roll and read its report.", no_args_is_help=True)
credentials_app = typer.Typer(help="Issue and re-issue voting credentials.", no_args_is_help=True)
ballot_app = typer.Typer(
    help="Open and close the ballot; cast; look up a tracker.", no_args_is_help=True
)
paper_app = typer.Typer(help="Enter batches of paper ballots.", no_args_is_help=True)
audit_app = typer.Typer(help="Check the audit log.", no_args_is_help=True)


@contextmanager
def _service(
    data_dir: Path | None,
    database_url: str | None,
    *,
    secret_file: Path | None = None,
    signer: Signer | None = None,
) -> Iterator[tuple[Settings, ContestService]]:
    from mandate.service import open_service

    settings = Settings.build(data_dir, database_url, secret_file)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    service = open_service(settings, signer=signer)
    try:
        yield settings, service
    finally:
        service.close()


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table


def _step(
    run: Callable[[ContestService, str, str], object], *, done: str, doc: str
) -> Callable[..., None]:
    """A command that takes one lifecycle step on a contest and says it is done."""

    def command(
        contest_id: ContestArg,
        actor: Actor = "returning officer",
        key_file: KeyFile = None,
        passphrase_file: PassphraseFile = None,
        data_dir: DataDir = None,
        database_url: DatabaseUrl = None,
    ) -> None:
        from mandate.cli.keys import open_signer

        signer = open_signer(key_file, passphrase_file)
        with _service(data_dir, database_url, signer=signer) as (_, service):
            run(service, contest_id, actor)
            console.print(done)
            _say_checkpoint(service, contest_id)

    command.__doc__ = doc
    return command


def _say_checkpoint(service: ContestService, contest_id: str) -> None:
    """Print the checkpoint just signed, for the officer's own record."""
    last = service.last_checkpoint(contest_id)
    if last is not None:
        head = last["checkpoint"]["audit_head"]
        console.print(
            f"signed checkpoint {last['checkpoint']['n']}: audit entry {head['seq']}, "
            f"head {head['hash']}"
        )


# -- contests ----------------------------------------------------------------------------------


@contest_app.command("create")
def contest_create(
    contest_id: ContestArg,
    rulebook: Annotated[str, typer.Option("--rulebook", help="A shipped rulebook name or a file.")],
    title: Annotated[
        str | None, typer.Option("--title", help="Title (default: the rulebook's).")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="A disputed clause's reading: NAME=VALUE.")
    ] = None,
    actor: Actor = "returning officer",
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            envvar="MANDATE_KEY_FILE",
            help="The returning officer's key file; made (asking for a passphrase) if it does "
            "not exist. Its public key becomes the contest's.",
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a contest in draft from a rulebook, signed with the returning officer's key."""
    from mandate.cli.keys import open_or_create_signer

    params: dict[str, str] = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--param must be NAME=VALUE (got {item!r})")
        params[name.strip()] = value.strip()
    signer = open_or_create_signer(key_file, passphrase_file)
    with _service(data_dir, database_url, signer=signer) as (_, service):
        record = service.create_contest(
            contest_id=contest_id, rulebook_ref=rulebook, title=title, params=params, actor=actor
        )
        console.print(
            f"created [bold]{record.id}[/] ({record.title}) in draft; "
            f"public key {service.public_key(record.id)}"
        )
        console.print(
            f"key fingerprint {key_fingerprint(service.public_key(record.id))}: publish it "
            "before the ballot opens"
        )
        _say_checkpoint(service, record.id)


@contest_app.command("list")
def contest_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """List contests and their states."""
    with _service(data_dir, database_url) as (_, service):
        rows = [(c.id, c.state.replace("_", " "), c.title) for c in service.list_contests()]
        console.print(_table("Contests", ("Contest", "State", "Title"), rows))


@contest_app.command("show")
def contest_show(
    contest_id: ContestArg, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """Show a contest: state, candidates and turnout by class."""
    from mandate.service.turnout import percent

    with _service(data_dir, database_url) as (_, service):
        contest = service.contest(contest_id)
        console.print(f"[bold]{contest.id}[/] — {contest.title}")
        console.print(f"state: {contest.state.replace('_', ' ')}; rulebook: {contest.rulebook_id}")
        console.print(f"public key: {service.public_key(contest_id)}")
        console.print(f"key fingerprint: {key_fingerprint(service.public_key(contest_id))}")
        candidates = service.candidates(contest_id)
        console.print(
            _table(
                "Candidates",
                ("Candidate", "Nominations", "Status", "Basis"),
                [
                    (
                        c.name,
                        "—" if c.nominations is None else str(c.nominations),
                        c.status,
                        c.basis,
                    )
                    for c in candidates
                ],
            )
        )
        turnout = service.turnout_by_class(contest_id)
        electors = sum(t.electors for t in turnout)
        voted = sum(t.voted for t in turnout)
        console.print(
            _table(
                "Turnout (voted online, or by a postal envelope recorded as returned)",
                ("Class", "Electors", "Voted", "Turnout"),
                [
                    *(
                        (t.title, f"{t.electors:,}", f"{t.voted:,}", f"{t.percent}%")
                        for t in turnout
                    ),
                    ("All classes", f"{electors:,}", f"{voted:,}", f"{percent(voted, electors)}%"),
                ],
            )
        )


@contest_app.command("count")
def contest_count(
    contest_id: ContestArg,
    lot: Annotated[
        str | None,
        typer.Option("--lot", help="The order drawn by lot, first drawn first: 'Ann,Bob'."),
    ] = None,
    actor: Actor = "returning officer",
    key_file: KeyFile = None,
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Count a closed contest, by voter class and in total (a college: its weighted total)."""
    from mandate.cli.keys import open_signer
    from mandate.service.results import count_contest

    signer = open_signer(key_file, passphrase_file)
    with _service(data_dir, database_url, signer=signer) as (_, service):
        drawn = [name.strip() for name in lot.split(",")] if lot else None
        counted = count_contest(service, contest_id, lot=drawn, actor=actor)
        names = [name for _, name in counted.total.candidates]
        rows = []
        results = dict(counted.by_class)
        for tally in counted.tallies:
            result = results.get(tally.voter_class)
            rows.append(
                (
                    tally.title,
                    *(
                        str(result.rounds[0].votes_of(c)) if result else "0"
                        for c, _ in counted.total.candidates
                    ),
                    str(tally.paper),
                    str(tally.spoilt),
                )
            )
        college = counted.total.method == "college"
        rows.append(
            (
                "College (weighted)" if college else "All",
                *(
                    format_votes(counted.total.rounds[0].votes_of(c))
                    for c, _ in counted.total.candidates
                ),
                "",
                "",
            )
        )
        console.print(
            _table("First preferences", ("Class", *names, "Of which paper", "Spoilt"), rows)
        )
        elected = ", ".join(counted.total.name_of(c) for c in counted.total.elected) or "nobody"
        rounds = plural(len(counted.total.rounds), "round")
        console.print(f"elected: [bold]{elected}[/] after {rounds}")
        _say_checkpoint(service, contest_id)


@contest_app.command("declare")
def contest_declare(
    contest_id: ContestArg,
    actor: Actor = "returning officer",
    key_file: KeyFile = None,
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Declare a counted contest: publish the records and the signed declaration."""
    from mandate.cli.keys import open_signer
    from mandate.service.results import declare_contest

    signer = open_signer(key_file, passphrase_file)
    with _service(data_dir, database_url, signer=signer) as (settings, service):
        folder = declare_contest(service, contest_id, settings.published_dir, actor=actor)
        console.print(f"declared; published to {folder}")
        _say_checkpoint(service, contest_id)


# -- nominations -------------------------------------------------------------------------------


nominations_app.command("open")(
    _step(
        lambda service, contest_id, actor: service.open_nominations(contest_id, actor=actor),
        done="nominations are open",
        doc="Open nominations.",
    )
)


@nominations_app.command("add")
def nominations_add(
    contest_id: ContestArg,
    name: Annotated[str, typer.Argument(help="The candidate's name as on the ballot paper.")],
    nominations: Annotated[
        int | None, typer.Option("--nominations", help="Valid nominations.")
    ] = None,
    automatic: Annotated[
        str | None, typer.Option("--automatic", help="Stands without nominations, on this basis.")
    ] = None,
    actor: Actor = "returning officer",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record a candidate's nominations (or the basis on which they need none)."""
    if nominations is None and automatic is None:
        raise InputError("give --nominations N, or --automatic 'basis and clause'")
    with _service(data_dir, database_url) as (_, service):
        record = service.nominate(
            contest_id, name, nominations=nominations, automatic=automatic, actor=actor
        )
        console.print(f"{record.name}: {record.status}")


@nominations_app.command("withdraw")
def nominations_withdraw(
    contest_id: ContestArg,
    name: Annotated[str, typer.Argument(help="The candidate.")],
    actor: Actor = "returning officer",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record a candidate's withdrawal."""
    with _service(data_dir, database_url) as (_, service):
        service.withdraw(contest_id, name, actor=actor)
        console.print(f"{name}: withdrawn")


@nominations_app.command("close")
def nominations_close(
    contest_id: ContestArg,
    threshold: Annotated[int, typer.Option("--threshold", help="Nominations needed to stand.")],
    basis: Annotated[str, typer.Option("--basis", help="The threshold's arithmetic and clause.")],
    actor: Actor = "returning officer",
    key_file: KeyFile = None,
    passphrase_file: PassphraseFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Close nominations: those below the threshold are void, the rest stand."""
    from mandate.cli.keys import open_signer

    signer = open_signer(key_file, passphrase_file)
    with _service(data_dir, database_url, signer=signer) as (_, service):
        decided = service.close_nominations(
            contest_id, threshold=threshold, basis=basis, actor=actor
        )
        for c in decided:
            console.print(f"{c.name}: {c.status} ({c.basis})")
        _say_checkpoint(service, contest_id)


# -- roll and credentials ----------------------------------------------------------------------


@roll_app.command("import")
def roll_import(
    contest_id: ContestArg,
    files: Annotated[list[Path], typer.Argument(help="Roll CSV files (all classes together).")],
    on: Annotated[
        str | None, typer.Option("--on", help="Decide eligibility on this date (YYYY-MM-DD).")
    ] = None,
    actor: Actor = "returning officer",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import the roll, apply the rulebook's eligibility, and report who was excluded."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise InputError(f"--on must be a date YYYY-MM-DD (got {on!r})") from None
    with _service(data_dir, database_url) as (_, service):
        report = service.import_roll(contest_id, files, on=day, actor=actor)
        titles = dict(service.contest(contest_id).voter_classes)
        console.print(
            _table(
                f"Roll: {plural(report.eligible, 'elector')} of "
                f"{plural(report.read, 'entry', 'entries')}",
                ("Class", "Electors"),
                [(titles.get(c, c), f"{n:,}") for c, n in report.eligible_by_class],
            )
        )
        console.print(
            _table(
                f"Excluded: {len(report.excluded):,}",
                ("Reason (clause)", "People"),
                [(r, f"{n:,}") for r, n in report.excluded_by_reason()],
            )
        )


@roll_app.command("report")
def roll_report(
    contest_id: ContestArg,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List every excluded roll entry with its reason and clause (CSV on standard output)."""
    import csv
    import sys

    with _service(data_dir, database_url) as (_, service):
        titles = dict(service.contest(contest_id).voter_classes)
        writer = csv.writer(sys.stdout)
        # voter_class_title (the class as the rulebook names it) comes last: columns only grow
        writer.writerow(["member_id", "voter_class", "reason", "clause", "voter_class_title"])
        for x in service.exclusions(contest_id):
            title = titles.get(x.voter_class, x.voter_class)
            writer.writerow([x.member_id, x.voter_class, x.reason, x.clause, title])


@credentials_app.command("export")
def credentials_export(
    contest_id: ContestArg,
    out: Annotated[Path, typer.Argument(help="The CSV to write (never overwritten).")],
    actor: Actor = "returning officer",
    secret_file: SecretFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Issue one credential per elector and export them, once, for mailing."""
    with _service(data_dir, database_url, secret_file=secret_file) as (_, service):
        issued = service.issue_credentials(contest_id, out, actor=actor)
        console.print(f"{plural(issued, 'credential')} written to {out} (mode 0600; the only copy)")


@credentials_app.command("reissue")
def credentials_reissue(
    contest_id: ContestArg,
    member_id: Annotated[str, typer.Argument(help="The elector's member id.")],
    actor: Actor = "returning officer",
    secret_file: SecretFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Give an elector a new credential; the old one stops working."""
    with _service(data_dir, database_url, secret_file=secret_file) as (_, service):
        credential = service.reissue_credential(contest_id, member_id, actor=actor)
        console.print(credential)


# -- the ballot --------------------------------------------------------------------------------


ballot_app.command("open")(
    _step(
        lambda service, contest_id, actor: service.open_ballot(contest_id, actor=actor),
        done="the ballot is open",
        doc="Open the ballot (refused, listing every reason, until candidates, roll and "
        "credentials are ready).",
    )
)
ballot_app.command("close")(
    _step(
        lambda service, contest_id, actor: service.close_ballot(contest_id, actor=actor),
        done="the ballot is closed",
        doc="Close the ballot and seal the online ballots in the audit log.",
    )
)


@ballot_app.command("cast")
def ballot_cast(
    credential: Annotated[str, typer.Option("--credential", help="The voter's credential.")],
    choices: Annotated[list[str], typer.Argument(help="Candidates, first preference first.")],
    secret_file: SecretFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Cast a ballot with a credential (as the web page does) and print the receipt."""
    with _service(data_dir, database_url, secret_file=secret_file) as (_, service):
        receipt = service.cast(credential, choices)
        console.print(f"cast in {receipt.contest_id}; your tracker: [bold]{receipt.tracker}[/]")


@ballot_app.command("track")
def ballot_track(
    contest_id: ContestArg,
    tracker: Annotated[str, typer.Argument(help="The receipt tracker.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Confirm that a ballot with this tracker is among the contest's ballots."""
    with _service(data_dir, database_url) as (_, service):
        if not service.find_tracker(contest_id, tracker):
            raise NotFoundError(f"no ballot with tracker {tracker!r} in {contest_id!r}")
        console.print(f"a ballot with tracker {tracker} is included")


@paper_app.command("enter")
def paper_enter(
    contest_id: ContestArg,
    ballots: Annotated[Path, typer.Argument(help="The batch's ballots in mandate's CSV format.")],
    voter_class: Annotated[str, typer.Option("--class", help="The voter class of the batch.")],
    label: Annotated[str, typer.Option("--label", help="The batch's label, e.g. its box number.")],
    spoilt: Annotated[int, typer.Option("--spoilt", help="Spoilt papers in the batch.")] = 0,
    actor: Actor = "count official",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Enter a batch of paper ballots (validated like online ballots; reported apart).

    A batch cannot hold more ballots than its class has electors: the file's counts are
    checked against that as they are read, before any ballot is expanded.
    """
    from mandate.ballots.formats import BallotFormat, read_ballots
    from mandate.ballots.formats._builder import BallotLimit

    with _service(data_dir, database_url) as (_, service):
        standing = [c.candidate_id for c in service.standing(contest_id)]
        electors = {t.voter_class: t.electors for t in service.turnout(contest_id)}
        most = electors.get(voter_class, 0)
        limit = BallotLimit(
            most=most, why=f"a batch of class {voter_class!r} holds at most its {most:,} electors"
        )
        profile = read_ballots(ballots, format=BallotFormat.CSV, candidates=standing, limit=limit)
        rankings: list[list[str]] = []
        for number, ballot in enumerate(profile.ballots, start=1):
            choices: list[str] = []
            for rank in ballot.ranking:
                if len(rank) != 1:
                    raise InputError(
                        f"{ballots}: ballot {number}: a rank must name exactly one candidate "
                        "(record a spoilt paper with --spoilt instead)"
                    )
                choices.extend(rank)
            rankings.extend([choices] * ballot.count)
        batch = service.enter_paper_batch(
            contest_id,
            label=label,
            voter_class=voter_class,
            ballots=rankings,
            spoilt=spoilt,
            actor=actor,
        )
        console.print(
            f"batch {batch.label!r}: {plural(batch.ballots, 'ballot')}, {batch.spoilt:,} spoilt"
        )


@paper_app.command("envelopes")
def paper_envelopes(
    contest_id: ContestArg,
    credentials: Annotated[
        Path, typer.Argument(help="The voting codes on the returned envelopes, one a line.")
    ],
    actor: Actor = "count official",
    secret_file: SecretFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record returned postal envelopes: their voters can no longer vote online."""
    try:
        codes = [line.strip() for line in credentials.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{credentials}: cannot read the file ({error})") from None
    codes = [c for c in codes if c]
    with _service(data_dir, database_url, secret_file=secret_file) as (_, service):
        outcomes = service.record_envelopes(contest_id, codes, actor=actor)
        refused = [o for o in outcomes if o]
        accepted = plural(len(codes) - len(refused), "envelope")
        console.print(f"{accepted} accepted, {len(refused):,} refused")
        for reason in refused:
            console.print(f"  {reason} — set its ballot paper aside unopened")


# -- verification and the demo -----------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    public_key: Annotated[
        list[str] | None,
        typer.Option(
            "--public-key",
            help="A contest's announced key, CONTEST=HEX (repeat for several): its "
            "checkpoints must be signed with it.",
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Check the audit log's hash chain, the ballots it sealed and every contest's signed
    checkpoints; exit non-zero if broken."""
    pinned: dict[str, str] = {}
    for item in public_key or []:
        contest_id, sep, key = item.partition("=")
        if not sep or len(key.strip()) != 64:
            raise InputError(f"--public-key must be CONTEST=HEX, 64 hex digits (got {item!r})")
        pinned[contest_id.strip()] = key.strip().lower()
    with _service(data_dir, database_url) as (_, service):
        report = service.verify_audit(public_keys=pinned)
        console.print(
            f"audit log verified: {plural(report.entries, 'entry', 'entries')}, head "
            f"{report.head[:16]}…, {plural(report.seals_checked, 'ballot seal')} "
            f"{'matches' if report.seals_checked == 1 else 'match'}"
        )
        for contest_id in report.signed_contests:
            console.print(
                f"{contest_id}: signed checkpoints hold (key fingerprint "
                f"{key_fingerprint(service.public_key(contest_id))}, "
                + (
                    "as announced"
                    if contest_id in pinned
                    else "[bold]not pinned[/]: give "
                    "--public-key CONTEST=HEX to check it is the announced key"
                )
                + "); compare the head with a copy of its published checkpoints.jsonl"
            )
        for contest_id in report.unsigned_contests:
            console.print(
                f"[bold]{contest_id}: no signed checkpoints[/] (made before keys left the "
                "database): only its hash chain was checked, which anyone who can write to the "
                "database can recompute"
            )


def verify(
    published_dir: Annotated[
        Path,
        typer.Argument(
            help="DATA_DIR/published/<contest>, or just the contest id to look in --data-dir."
        ),
    ],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The contest's announced key (hex). Without it the key inside the folder is "
            "trusted, and a warning says so.",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print what was checked as JSON (docs/results.md), with key_pinned and warnings.",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Recount a published contest and check its signed declaration; non-zero on any discrepancy.

    Needs no database: anyone with the published folder can run it. Without --public-key
    the signature proves only that the files agree with each other: a warning says so on
    standard error (the exit code stays 0; see docs/results.md).
    """
    from mandate.crypto import key_fingerprint
    from mandate.service.verify import verify_published

    folder = published_dir
    if not folder.exists() and len(folder.parts) == 1:
        folder = Settings.build(data_dir).published_dir / folder
    report = verify_published(folder, public_key=public_key)
    warn = Console(stderr=True)
    for warning in report.warnings:
        warn.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    if as_json:
        print(
            json.dumps(
                {
                    "verified": True,
                    "contest": report.contest,
                    "ballots": report.ballots,
                    "online": report.online,
                    "elected": list(report.elected),
                    "public_key": report.public_key,
                    "key_fingerprint": key_fingerprint(report.public_key),
                    "key_pinned": report.key_pinned,
                    "warnings": list(report.warnings),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    pinned = "the announced key" if report.key_pinned else "the key inside the folder (NOT PINNED)"
    console.print(
        f"verified {report.contest}: {report.ballots:,} cast-vote records recounted, "
        f"elected {', '.join(report.elected)}; signature by {report.public_key[:16]}… "
        f"(fingerprint {key_fingerprint(report.public_key)}, {pinned}) holds",
        highlight=False,
    )


class _RichReporter:
    """Tells the demo's story in the terminal."""

    def __init__(self, out: Console) -> None:
        self.out = out

    def section(self, title: str) -> None:
        self.out.rule(f"[bold]{title}")

    def say(self, text: str) -> None:
        self.out.print(text)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.out.print(_table(title, columns, rows))

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[_Bar]:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.out,
        ) as progress:
            task = progress.add_task(description, total=total)
            yield _Bar(progress, task)


class _Bar:
    def __init__(self, progress: Progress, task: object) -> None:
        self._progress = progress
        self._task = task

    def advance(self, steps: int) -> None:
        self._progress.advance(self._task, steps)  # type: ignore[arg-type]


def demo(
    scale: Annotated[
        float, typer.Option("--scale", help="1 = the full 654,006-voter ballot.")
    ] = 0.01,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="The returning officer's key file to sign with (made if missing); default: a "
            "key made for this run and not kept.",
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    secret_file: SecretFile = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Replay the 2016 Labour leadership ballot end to end through the contest service."""
    import secrets
    import time

    from mandate.cli.keys import open_or_create_signer
    from mandate.crypto import SeedSigner
    from mandate.service.demo import run_demo

    started = time.monotonic()
    signer = (
        open_or_create_signer(key_file, passphrase_file)
        if key_file
        else SeedSigner(secrets.token_bytes(32))
    )
    with _service(data_dir, database_url, secret_file=secret_file, signer=signer) as (
        settings,
        service,
    ):
        if service.server_secret is None:
            # the demo's voting codes are checked only by the demo itself, in this process
            service.server_secret = secrets.token_bytes(32)
            console.print(
                "no server secret given: the demo's voting codes use a secret made for this "
                "run (give --secret-file to keep one)"
            )
        database = settings.effective_database_url.split(":")[0].split("+")[0]
        console.print(
            Panel(
                "The 2016 Labour leadership challenge, replayed: rulebook, nominations, roll, "
                "credentials, ballots, count by class, signed declaration, verification.\n"
                f"Scale {scale:g}; data in {settings.data_dir}; database: {database}.",
                title="mandate demo",
            )
        )
        outcome = run_demo(
            service, data_dir=settings.data_dir, scale=scale, reporter=_RichReporter(console)
        )
    summary = {
        "contest": outcome.contest_id,
        "published": str(outcome.published),
        "elected": list(outcome.verified.elected),
        "seconds": round(time.monotonic() - started, 1),
    }
    console.print(f"done in {summary['seconds']} s: {json.dumps(summary)}")
    secret = settings.secret_file or "FILE (make one: mandate keys secret FILE)"
    console.print(
        f"Check it yourself: mandate verify {outcome.published}\n"
        f"See it on the web: mandate serve --data-dir {outcome.published.parent.parent} "
        f"--secret-file {secret}"
    )
