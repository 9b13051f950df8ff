"""Candidate names that every publication format can carry.

A declared result is published as CSV, BLT, PrefLib and NIST CDF JSON (docs/results.md), and
paper ballots are typed as names separated by ``>``. A name any of them cannot hold would be
accepted at nomination and then block the declaration, so :func:`check_candidate_name` refuses
it when the candidate is recorded. What each format cannot hold:

- mandate CSV: ``=`` joins the candidates of one rank, and a cell ``#overvote`` marks an
  unrecorded overvote;
- BLT: names are written in double quotes, with no escape for ``"``;
- PrefLib: a name is the rest of a ``# ALTERNATIVE NAME`` line;
- the paper batch form: ``>`` separates the preferences on a line;
- every format: one line a name, so no line breaks or other control characters, and no
  leading or trailing spaces (readers strip them).
"""

from __future__ import annotations

import re
import unicodedata

from mandate.errors import InputError

__all__ = ["CANDIDATE_NAME_PATTERN", "MAX_NAME_LENGTH", "check_candidate_name"]

MAX_NAME_LENGTH = 200
"""The longest candidate name, in characters (the store's limit)."""

_RESERVED = {
    "=": "it joins the candidates of one rank in the published CSV",
    '"': "BLT files quote names and cannot hold a double quote",
    ">": "it separates the preferences of a paper ballot",
}
_OVERVOTE = "#overvote"
_REFUSED_CLASS = "".join(re.escape(char) for char in _RESERVED) + r"\x00-\x1f\x7f-\x9f\u2028\u2029"

CANDIDATE_NAME_PATTERN = rf"^[^{_REFUSED_CLASS}]*[^\s{_REFUSED_CLASS}][^{_REFUSED_CLASS}]*$"
"""A regular expression (valid in JSON Schema, Python and Rust) for the names
:func:`check_candidate_name` accepts: something besides spaces, and none of the reserved
characters or line breaks and control characters (``#overvote`` is refused besides).

>>> re.fullmatch(CANDIDATE_NAME_PATTERN, "Owen Smith") is not None
True
>>> re.fullmatch(CANDIDATE_NAME_PATTERN, "A = B") is None
True
"""


def check_candidate_name(name: str) -> str:
    """The name as it will be published, or an error saying why it cannot be.

    >>> check_candidate_name("  Owen Smith ")
    'Owen Smith'
    >>> check_candidate_name("A = B")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mandate.errors.InputError: candidate name 'A = B' cannot contain '=': ...

    Raises:
        InputError: empty, longer than :data:`MAX_NAME_LENGTH`, or holding a character some
            publication format cannot carry (named, with the reason).
    """
    text = name.strip()
    if not text:
        raise InputError("a candidate needs a name (got an empty one)")
    if len(text) > MAX_NAME_LENGTH:
        raise InputError(
            f"candidate name {text[:40]!r}... is {len(text)} characters long; "
            f"the most is {MAX_NAME_LENGTH}"
        )
    for char, reason in _RESERVED.items():
        if char in text:
            raise InputError(f"candidate name {text!r} cannot contain {char!r}: {reason}")
    if text.casefold() == _OVERVOTE:
        raise InputError(f"candidate name {text!r} is the CSV mark of an overvote")
    for char in text:
        if unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"}:
            raise InputError(
                f"candidate name {text!r} contains a control character "
                f"(U+{ord(char):04X}); a name is one line of printable text"
            )
    return text
