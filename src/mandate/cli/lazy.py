"""Commands imported when they are used, so ``mandate --help`` need not import them all.

Each command of the root group is named by a :class:`LazyCommand`: its name, where it lives
(``"module:attribute"``, a Typer app or a command function) and the one-line summary that the
root ``--help`` lists. The module is imported only when the command runs or its own help is
asked for; so ``mandate rules check`` never imports SQLAlchemy, and ``mandate --help`` imports
no command at all. A test checks that each summary is the command's own help.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
import typer.main

# Typer vendors Click as ``typer._click``: its groups take these Context and Command types.
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperCommand, TyperGroup

__all__ = ["LazyCommand", "LazyGroup"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LazyCommand:
    """A command of the root group, imported on first use.

    Args:
        name: the command's name on the command line.
        target: ``"module:attribute"``: a :class:`typer.Typer` app (a command group) or a
            command function.
        summary: the first paragraph of the command's help, listed by the root ``--help``.
    """

    name: str
    target: str
    summary: str

    def load(self) -> Command:
        """Import the command and build it as Typer would have on ``add_typer``/``command``."""
        module_name, _, attribute = self.target.partition(":")
        found: Any = getattr(importlib.import_module(module_name), attribute)
        if isinstance(found, typer.Typer):
            command: Command = typer.main.get_group(found)
        else:
            single = typer.Typer(add_completion=False)
            single.command(self.name)(found)
            command = typer.main.get_command(single)
        command.name = self.name
        return command


class _Unloaded(TyperCommand):
    """Stands for a command not yet imported, in the list that the group's help prints."""

    def __init__(self, entry: LazyCommand) -> None:
        super().__init__(entry.name, help=entry.summary)
        self.entry = entry


class LazyGroup(TyperGroup):
    """A Typer group whose commands (:attr:`lazy_commands`) are imported on first use.

    Subclass it with ``lazy_commands`` set and pass the subclass as ``typer.Typer(cls=...)``.
    Commands are listed in the order of ``lazy_commands``.
    """

    lazy_commands: ClassVar[Sequence[LazyCommand]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        eager = dict(self.commands)
        self.commands = {entry.name: _Unloaded(entry) for entry in self.lazy_commands}
        self.commands.update(eager)
        self._listing = False

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Unloaded) and not self._listing:
            command = self.commands[cmd_name] = command.entry.load()
        return command

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        # Listing the commands needs only their summaries: do not import them for it.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
