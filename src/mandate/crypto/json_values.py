"""Reading points, scalars, lists and objects out of parsed JSON, naming where a bad one is.

One reader for every published crypto value (the proofs of §6, the shuffle entries of §12):
anything that is not exactly the specified shape or encoding is refused with
:class:`mandate.errors.EncodingError`, whose ``what`` is the field's path (e.g.
``"shuffle.proof.t.t4[2][1]"``).

>>> scalar_from_json("00" * 32, "proof.c").value
0
>>> object_from_json({"c": 1}, {"c", "s"}, "proof")
Traceback (most recent call last):
...
mandate.errors.EncodingError: proof: expected an object with exactly ['c', 's']
"""

from __future__ import annotations

from collections.abc import Mapping

from mandate.crypto.group import Point, Scalar
from mandate.errors import EncodingError

__all__ = [
    "list_from_json",
    "object_from_json",
    "point_from_json",
    "points_from_json",
    "scalar_from_json",
    "scalars_from_json",
]


def point_from_json(value: object, where: str) -> Point:
    """A point from its 64 lowercase hex digits."""
    if not isinstance(value, str):
        raise EncodingError(where, "a point as 64 lowercase hexadecimal digits")
    try:
        return Point.from_hex(value)
    except EncodingError as error:
        raise EncodingError(where, error.expected) from None


def scalar_from_json(value: object, where: str) -> Scalar:
    """A scalar from its 64 lowercase hex digits (a value ≥ ℓ is refused)."""
    if not isinstance(value, str):
        raise EncodingError(where, "a scalar as 64 lowercase hexadecimal digits")
    try:
        return Scalar.from_hex(value)
    except EncodingError as error:
        raise EncodingError(where, error.expected) from None


def list_from_json(value: object, where: str, *, of: str = "values") -> list[object]:
    """A JSON list (of anything; ``of`` says what, for the message)."""
    if not isinstance(value, list):
        raise EncodingError(where, f"a list of {of}")
    return value


def points_from_json(value: object, where: str) -> tuple[Point, ...]:
    """A list of points; a bad one is named by its index."""
    items = list_from_json(value, where, of="points")
    return tuple(point_from_json(item, f"{where}[{n}]") for n, item in enumerate(items))


def scalars_from_json(value: object, where: str) -> tuple[Scalar, ...]:
    """A list of scalars; a bad one is named by its index."""
    items = list_from_json(value, where, of="scalars")
    return tuple(scalar_from_json(item, f"{where}[{n}]") for n, item in enumerate(items))


def object_from_json(value: object, keys: set[str], where: str) -> Mapping[str, object]:
    """A JSON object with exactly ``keys`` (a missing or extra member is refused)."""
    if not isinstance(value, Mapping) or set(value) != keys:
        raise EncodingError(where, f"an object with exactly {sorted(keys)}")
    return value
