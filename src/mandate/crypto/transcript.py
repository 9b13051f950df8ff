"""Fiat–Shamir transcripts: the one place a proof's challenge is made (specification §4).

A challenge is ``c = Hs(tag, context, label₁, v₁, …, labelₖ, vₖ)``: the proof's tag, the bytes
binding it to an election (and, for ballots, a credential), then every element of the statement
and every commitment, each after its label. This is *strong* Fiat–Shamir: the statement is
hashed along with the commitments, so a prover cannot pick the statement after the challenge
(the Helios pitfall; Bernhard, Pereira and Warinschi, ASIACRYPT 2012). A sequence is its label,
the number of values that follow, then the values.

>>> from mandate.crypto.group import G
>>> t = Transcript(tag="mandate/v1/test-vector", context=b"election")
>>> t.add("X", G).add_list("M", (0, 1)).challenge() == t.add("X", G).add_list("M", (1,)).challenge()
False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mandate.crypto.group import Point, Scalar, hash_sha512, hash_to_scalar

__all__ = ["Transcript", "Value"]

Value = Point | Scalar | bytes | str | int
"""A transcript value: a point or scalar (32 bytes), raw bytes, text (UTF-8), an integer
(decimal text)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Transcript:
    """A proof's statement and commitments, in order, ready to hash into a challenge."""

    tag: str
    context: bytes
    parts: tuple[Value, ...] = ()

    def add(self, label: str, value: Value) -> Transcript:
        """Append one labelled value."""
        return Transcript(tag=self.tag, context=self.context, parts=(*self.parts, label, value))

    def add_list(self, label: str, values: Sequence[Value]) -> Transcript:
        """Append a labelled sequence: the label, how many values follow, the values."""
        return Transcript(
            tag=self.tag, context=self.context, parts=(*self.parts, label, len(values), *values)
        )

    def challenge(self) -> Scalar:
        """``c = Hs(tag, context, parts…)``."""
        return hash_to_scalar(self.tag, self.context, *self.parts)

    def digest(self) -> bytes:
        """``H(tag, context, parts…)``, 64 bytes: a seed from which several challenges are
        derived (the proof of shuffle's σ, §12)."""
        return hash_sha512(self.tag, self.context, *self.parts)
