"""How ``--help`` shows options: a flag takes no value, so no type is printed beside it.

Typer 0.29's Rich help prints every option's type in angle brackets, a flag's too, so
``--json <bool>`` and even ``--help <bool>`` read as if the flag wanted a value. Typer's
plain-text help leaves flags (and counting options) bare; :func:`show_flags_bare` makes the
Rich help do the same. It is applied once, when :mod:`mandate.cli` is imported.
"""

from __future__ import annotations

from typer._click import Context  # Typer vendors Click as ``typer._click``.
from typer.core import TyperOption

__all__ = ["show_flags_bare"]

_typer_display_type_rich = TyperOption.display_type_rich


def _display_type_rich(self: TyperOption, ctx: Context) -> str | None:
    """The type shown beside an option in the Rich help: none for a flag."""
    if self.is_flag or self.count:
        return None
    return _typer_display_type_rich(self, ctx)


def show_flags_bare() -> None:
    """Show flags in the Rich help without a type, as the plain-text help does."""
    TyperOption.display_type_rich = _display_type_rich  # type: ignore[method-assign]
