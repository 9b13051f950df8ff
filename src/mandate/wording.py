"""Counts in words, as the pages and the command line say them: ``1 ballot``, ``2 ballots``."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun, singular for exactly one, thousands separated.

    Args:
        count: how many.
        singular: the noun for one (``ballot``).
        plural_form: the noun for any other count; by default the singular with an ``s``.

    >>> plural(1, "ballot"), plural(0, "ballot"), plural(1234, "entry", "entries")
    ('1 ballot', '0 ballots', '1,234 entries')
    """
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {noun}"
