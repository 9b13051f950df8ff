"""Reading validated values out of parsed TOML, with errors that name file, line and key.

``tomllib`` gives no line numbers, so :class:`KeyLines` scans the text once for table headers
and ``key =`` lines, and :class:`Node` wraps one parsed table: each accessor checks a value's
type and, if it is wrong, raises the caller's error class naming the file, the line and the
dotted key, and what was expected. :meth:`Node.finish` refuses keys nobody asked for.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any, NoReturn

from mandate.errors import EventsError, RulebookError

__all__ = ["KeyLines", "KeyPath", "Node", "dotted", "parse_toml"]

_ErrorClass = type[RulebookError] | type[EventsError]
"""The located error a document's problems are raised as."""

KeyPath = tuple[str | int, ...]
"""A key's place in the document: table names, array indices, then the key."""

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"[^"]*"|\'[^\']*\''
_SEGMENT = rf"(?:{_BARE}|{_QUOTED})"
_KEY = re.compile(rf"^\s*({_SEGMENT}(?:\s*\.\s*{_SEGMENT})*)\s*=(.*)$")
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_SEGMENT}(?:\s*\.\s*{_SEGMENT})*)\s*\]\]?")
_INLINE_KEY = re.compile(rf"({_SEGMENT})\s*=")
_SEGMENTS = re.compile(_SEGMENT)
_DECODE_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,30}(?:\.[0-9]{1,30})?")
_RATIO = re.compile(r"[+-]?[0-9]{1,30}\s*/\s*[0-9]{1,30}")


def _short(value: str) -> str:
    return repr(value) if len(value) <= 40 else repr(value[:40]) + f"… ({len(value):,} characters)"


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(s.strip("\"'") for s in _SEGMENTS.findall(dotted))


class KeyLines:
    """The line on which each table and key of a TOML text is written (1-based)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        table: KeyPath = ()
        array_counts: dict[tuple[str, ...], int] = {}
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is not None:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                names = _split(header.group(2))
                if header.group(1) == "[[":
                    index = array_counts.get(names, 0)
                    array_counts[names] = index + 1
                    table = (*names, index)
                else:
                    table = names
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key is None:
                continue
            path = (*table, *_split(key.group(1)))
            self._lines.setdefault(path, number)
            value = key.group(2).strip()
            if value.startswith("{"):
                for inner in _INLINE_KEY.findall(value):
                    self._lines.setdefault((*path, inner.strip("\"'")), number)
            for quote in ('"""', "'''"):
                if value.count(quote) % 2 == 1:
                    in_string = quote
                    break

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest enclosing table if the key is not written."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None


MAX_DEPTH = 32
"""The deepest nesting of tables and arrays a document may have (rulebooks need about five)."""

_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")
_OPENERS = re.compile(r"[\[{]")


def parse_toml(text: str, *, source: str, error: _ErrorClass) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into ``error`` with the file and line.

    Besides TOML's own rules, a number of over 4,300 digits (Python will not convert it) and
    tables or arrays nested more than :data:`MAX_DEPTH` deep are refused, naming the line.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _DECODE_LINE.search(message)
        line = int(found.group(1)) if found else None
        detail = _DECODE_LINE.sub("", message).strip()
        raise error(f"not valid TOML: {detail}", path=source, line=line) from None
    except ValueError:  # an integer too long for Python to convert
        long = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, long.start()) + 1 if long else None
        raise error(
            "not readable TOML: a number of more than 4,300 digits", path=source, line=line
        ) from None
    except RecursionError:
        raise error(
            f"not readable TOML: tables or arrays nested more than {MAX_DEPTH} deep",
            path=source,
            line=_deep_line(text),
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise error(
            f"not readable TOML: tables or arrays nested more than {MAX_DEPTH} deep",
            path=source,
            line=_deep_line(text),
        )
    return data


def _depth(value: Any) -> int:
    """How deep tables and arrays nest in ``value``, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _deep_line(text: str) -> int | None:
    """The first line with more than :data:`MAX_DEPTH` brackets or braces (a guess at where
    the nesting is), if any."""
    for number, line in enumerate(text.splitlines(), start=1):
        if len(_OPENERS.findall(line)) > MAX_DEPTH:
            return number
    return None


def dotted(path: KeyPath) -> str:
    """A key path as it would be written, e.g. ``thresholds.challenge.share``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Node:
    """One table of a parsed TOML document, read key by key with checked types."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        path: KeyPath,
        lines: KeyLines,
        source: str,
        error: _ErrorClass,
    ) -> None:
        self.data = data
        self.path = path
        self._lines = lines
        self.source = source
        self._error = error
        self._used: set[str] = set()

    # -- errors ---------------------------------------------------------------------------
    def fail(self, key: str | None, detail: str) -> NoReturn:
        """Raise the configured error about ``key`` (or this table when ``key`` is None)."""
        path = self.path if key is None else (*self.path, key)
        raise self._error(
            detail,
            path=self.source,
            line=self._lines.line(path),
            where=f"key {dotted(path)}" if path else None,
        )

    def line_of(self, key: str | None = None) -> int | None:
        """The line where ``key`` (or this table) is written."""
        return self._lines.line(self.path if key is None else (*self.path, key))

    # -- access ---------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        """Whether the key is present."""
        return key in self.data

    def raw(self, key: str) -> Any:
        """The value of a key without a type check (marks it as read)."""
        self._used.add(key)
        return self.data[key]

    def _get(self, key: str, expected: str) -> Any:
        if key not in self.data:
            self.fail(None, f"missing key {key!r} (expected {expected})")
        self._used.add(key)
        return self.data[key]

    def string(self, key: str, default: str | None = None) -> str:
        """A non-empty string; ``default`` when absent (required when ``default`` is None)."""
        if default is not None and key not in self.data:
            return default
        value = self._get(key, "a string")
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"expected a non-empty string, got {value!r}")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        """A whole number no smaller than ``minimum``."""
        value = self._get(key, "a whole number")
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {value!r}")
        if value < minimum:
            self.fail(key, f"expected a whole number of at least {minimum}, got {value}")
        return value

    def opt_integer(self, key: str, *, minimum: int = 0) -> int | None:
        """A whole number, or None when absent."""
        return self.integer(key, minimum=minimum) if key in self.data else None

    def boolean(self, key: str, default: bool) -> bool:
        """true or false; ``default`` when absent."""
        if key not in self.data:
            return default
        value = self._get(key, "true or false")
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {value!r}")
        return value

    def day(self, key: str) -> date:
        """A TOML local date (``2016-01-12``)."""
        value = self._get(key, "a date such as 2016-01-12")
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(key, f"expected a date such as 2016-01-12, got {value!r}")
        return value

    def opt_day(self, key: str) -> date | None:
        """A date, or None when absent."""
        return self.day(key) if key in self.data else None

    def strings(self, key: str, *, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """An array of non-empty strings."""
        if default is not None and key not in self.data:
            return default
        value = self._get(key, "an array of strings")
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"expected an array of strings, got {value!r}")
        return tuple(value)

    def fraction(self, key: str) -> Fraction:
        """An exact share: ``"20%"``, ``"12.5%"`` or ``"1/5"`` (floats are refused)."""
        value = self._get(key, 'a share such as "20%" or "1/5"')
        if not isinstance(value, str):
            self.fail(
                key, f'expected a share written as a string such as "20%" or "1/5", got {value!r}'
            )
        text = value.strip()
        number = text[:-1].strip() if text.endswith("%") else text
        # Only the written forms: Fraction() would also take "1e100000000" and spend minutes
        # and gigabytes building the number.
        if not (_DECIMAL.fullmatch(number) or (number == text and _RATIO.fullmatch(number))):
            self.fail(key, f'expected a share such as "20%" or "1/5", got {_short(value)}')
        try:
            share = Fraction(number) / 100 if number != text else Fraction(number)
        except ZeroDivisionError:
            self.fail(key, f'expected a share such as "20%" or "1/5", got {value!r}')
        return share

    def table(self, key: str) -> Node:
        """A sub-table (required)."""
        value = self._get(key, "a table")
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {value!r}")
        return self.child(key, value)

    def opt_table(self, key: str) -> Node | None:
        """A sub-table, or None when absent."""
        return self.table(key) if key in self.data else None

    def child(self, key: str | int, value: Mapping[str, Any]) -> Node:
        """A node for a nested table."""
        return Node(
            value, path=(*self.path, key), lines=self._lines, source=self.source, error=self._error
        )

    def tables(self, key: str) -> Iterator[tuple[str, Node]]:
        """Each named sub-table of a table (``[bodies.plp]``, ``[bodies.eplp]``, ...)."""
        if key not in self.data:
            return
        outer = self.table(key)
        for name, value in outer.data.items():
            outer._used.add(name)
            if not isinstance(value, dict):
                outer.fail(name, f"expected a table [{key}.{name}], got {value!r}")
            yield name, outer.child(name, value)

    def array_of_tables(self, key: str) -> Iterator[Node]:
        """Each table of an array of tables (``[[nominations]]``)."""
        if key not in self.data:
            return
        value = self._get(key, "an array of tables")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"expected an array of tables [[{key}]], got {value!r}")
        for index, item in enumerate(value):
            yield Node(
                item,
                path=(*self.path, key, index),
                lines=self._lines,
                source=self.source,
                error=self._error,
            )

    def only(self, expected: tuple[str, ...]) -> None:
        """Refuse, before reading anything, a key not in ``expected`` (typos are found first)."""
        for key in self.data:
            if key not in expected:
                self.fail(key, f"unknown key {key!r} (expected one of: {', '.join(expected)})")

    def finish(self, expected: tuple[str, ...] = ()) -> None:
        """Refuse any key that was not read: a misspelt key must not be silently ignored."""
        for key in self.data:
            if key not in self._used:
                hint = f" (expected one of: {', '.join(expected)})" if expected else ""
                self.fail(key, f"unknown key {key!r}{hint}")
