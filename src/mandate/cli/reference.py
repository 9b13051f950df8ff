"""The command-line reference, docs/cli.md, made from the commands' own help.

``python -m mandate.cli.reference > docs/cli.md`` writes it. A test makes it again and
compares, so the reference cannot say something ``--help`` does not: change a command, run
the line above, and review the diff with the change.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import typer.main
from typer._click import Command, Context
from typer.core import TyperGroup as Group

from mandate.cli.app import EXIT_CODES, app

__all__ = ["reference"]

_INTRO = """\
# Command-line reference

Every `mandate` command, its arguments and options, as `mandate COMMAND --help` prints them.
This page is made from the commands themselves (`python -m mandate.cli.reference >
docs/cli.md`) and a test checks it is current. Command names, flags and JSON fields are a
contract: scripts call them exactly so.
"""


def reference() -> str:
    """The reference as Markdown: one section a command, in the order ``--help`` lists them."""
    root = typer.main.get_command(app)
    context = Context(root, info_name="mandate")
    parts = [_INTRO, *_sections(root, context, "mandate", depth=2), _exit_codes()]
    return "\n".join(parts).rstrip("\n") + "\n"


def _sections(command: Command, context: Context, path: str, *, depth: int) -> Iterator[str]:
    if path != "mandate":
        yield _section(command, context, path, depth=depth)
    if isinstance(command, Group):
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is None or sub.hidden:
                continue
            sub_context = Context(sub, info_name=name, parent=context)
            yield from _sections(
                sub, sub_context, f"{path} {name}", depth=depth + (path != "mandate")
            )


def _section(command: Command, context: Context, path: str, *, depth: int) -> str:
    lines = [f"{'#' * min(depth, 4)} `{path}`", ""]
    if command.help:
        help_text = inspect.cleandoc(command.help).replace("\b\n", "")
        lines += [help_text.replace("<", "&lt;").replace(">", "&gt;"), ""]
    pieces = " ".join(command.collect_usage_pieces(context))
    lines += ["```", f"{path} {pieces}".rstrip(), "```", ""]
    records = [r for p in command.params if (r := p.get_help_record(context)) is not None]
    if records:
        lines += ["| argument or option | what it does |", "| --- | --- |"]
        lines += [f"| `{_cell(left)}` | {_text(right)} |" for left, right in records]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _text(text: str) -> str:
    """Prose for a Markdown table cell: as :func:`_cell`, and ``<x>`` not read as HTML."""
    return _cell(text).replace("<", "&lt;").replace(">", "&gt;")


def _exit_codes() -> str:
    lines = [
        "## Exit codes",
        "",
        "| code | meaning |",
        "| --- | --- |",
        "| 0 | done |",
        "| 1 | any other error mandate reports |",
        "| 2 | bad usage: an unknown command or option, a missing or malformed value |",
    ]
    lines += [
        f"| {code} | {_text(inspect.getdoc(error) or error.__name__).split('. ')[0]} "
        f"(`{error.__name__}`) |"
        for error, code in sorted(EXIT_CODES.items(), key=lambda item: item[1])
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
