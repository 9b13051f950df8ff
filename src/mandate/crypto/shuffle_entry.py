"""A shuffle as published (specification §12, "JSON of a shuffle entry"): the output ballots
and the Terelius–Wikström proof, with their one JSON codec.

Reading refuses anything malformed with :class:`mandate.errors.EncodingError` naming the
field — a missing or extra member, a list whose length differs from its companions', a value
that does not decode — before any equation is checked. Made by
:func:`mandate.crypto.shuffle.shuffle_ballots`, checked by
:func:`mandate.crypto.shuffle_verification.verify_shuffle`.
"""

from __future__ import annotations

from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext
from mandate.crypto.group import Point, Scalar
from mandate.crypto.json_values import (
    list_from_json,
    object_from_json,
    point_from_json,
    points_from_json,
    scalar_from_json,
    scalars_from_json,
)
from mandate.errors import EncodingError

__all__ = ["Ballot", "Shuffle", "ShuffleProof"]

Ballot = tuple[Ciphertext, ...]
"""One ballot in the mix: its P position ciphertexts eᵢ = (eᵢ,₁, …, eᵢ,P)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleProof:
    """(c₁…c_N, ĉ₁…ĉ_N, t₁, t₂, t₃, t₄,₁…t₄,P, t̂₁…t̂_N, s₁, s₂, s₃, s₄,₁…s₄,P, ŝ₁…ŝ_N,
    s′₁…s′_N); ``c`` is the permutation commitment (indexed by input), ``t4[p]`` the pair
    (first, second) of position p."""

    c: tuple[Point, ...]
    c_hat: tuple[Point, ...]
    t1: Point
    t2: Point
    t3: Point
    t4: tuple[tuple[Point, Point], ...]
    t_hat: tuple[Point, ...]
    s1: Scalar
    s2: Scalar
    s3: Scalar
    s4: tuple[Scalar, ...]
    s_hat: tuple[Scalar, ...]
    s_prime: tuple[Scalar, ...]

    def __post_init__(self) -> None:
        n = len(self.c)
        for name in ("c_hat", "t_hat", "s_hat", "s_prime"):
            if len(getattr(self, name)) != n:
                raise EncodingError(
                    f"shuffle proof: {name}",
                    f"{n} values, one for each permutation commitment "
                    f"(got {len(getattr(self, name))})",
                )
        if not self.t4 or len(self.s4) != len(self.t4):
            raise EncodingError(
                "shuffle proof: s4",
                f"one value for each t4 pair, at least one (got {len(self.s4)} and {len(self.t4)})",
            )

    @property
    def ballots(self) -> int:
        """N."""
        return len(self.c)

    @property
    def positions(self) -> int:
        """P."""
        return len(self.t4)

    def to_json(self) -> dict[str, object]:
        return {
            "c": [point.hex() for point in self.c],
            "c_hat": [point.hex() for point in self.c_hat],
            "t": {
                "t1": self.t1.hex(),
                "t2": self.t2.hex(),
                "t3": self.t3.hex(),
                "t4": [[first.hex(), second.hex()] for first, second in self.t4],
                "t_hat": [point.hex() for point in self.t_hat],
            },
            "s": {
                "s1": self.s1.hex(),
                "s2": self.s2.hex(),
                "s3": self.s3.hex(),
                "s4": [s.hex() for s in self.s4],
                "s_hat": [s.hex() for s in self.s_hat],
                "s_prime": [s.hex() for s in self.s_prime],
            },
        }

    @classmethod
    def from_json(cls, value: object, *, where: str = "shuffle proof") -> ShuffleProof:
        """Read the proof's JSON; anything malformed is refused, naming the field."""
        fields = object_from_json(value, {"c", "c_hat", "t", "s"}, where)
        t = object_from_json(fields["t"], {"t1", "t2", "t3", "t4", "t_hat"}, f"{where}.t")
        s = object_from_json(
            fields["s"], {"s1", "s2", "s3", "s4", "s_hat", "s_prime"}, f"{where}.s"
        )
        t4: list[tuple[Point, Point]] = []
        for p, pair in enumerate(list_from_json(t["t4"], f"{where}.t.t4")):
            if not isinstance(pair, list) or len(pair) != 2:
                raise EncodingError(f"{where}.t.t4[{p}]", "a pair [first, second] of points")
            t4.append(
                (
                    point_from_json(pair[0], f"{where}.t.t4[{p}][0]"),
                    point_from_json(pair[1], f"{where}.t.t4[{p}][1]"),
                )
            )
        return cls(
            c=points_from_json(fields["c"], f"{where}.c"),
            c_hat=points_from_json(fields["c_hat"], f"{where}.c_hat"),
            t1=point_from_json(t["t1"], f"{where}.t.t1"),
            t2=point_from_json(t["t2"], f"{where}.t.t2"),
            t3=point_from_json(t["t3"], f"{where}.t.t3"),
            t4=tuple(t4),
            t_hat=points_from_json(t["t_hat"], f"{where}.t.t_hat"),
            s1=scalar_from_json(s["s1"], f"{where}.s.s1"),
            s2=scalar_from_json(s["s2"], f"{where}.s.s2"),
            s3=scalar_from_json(s["s3"], f"{where}.s.s3"),
            s4=scalars_from_json(s["s4"], f"{where}.s.s4"),
            s_hat=scalars_from_json(s["s_hat"], f"{where}.s.s_hat"),
            s_prime=scalars_from_json(s["s_prime"], f"{where}.s.s_prime"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Shuffle:
    """One trustee's shuffle of one voter class (a ``shuffle`` board entry, §12): the output
    list e′ (N ballots of P positions) and its proof."""

    voter_class: str
    trustee: int
    ciphertexts: tuple[Ballot, ...]
    proof: ShuffleProof

    def __post_init__(self) -> None:
        if type(self.trustee) is not int or self.trustee < 1:
            raise EncodingError(
                "shuffle: trustee", f"a trustee number 1 or more (got {self.trustee!r})"
            )
        if len(self.ciphertexts) != self.proof.ballots:
            raise EncodingError(
                "shuffle: ciphertexts",
                f"{self.proof.ballots} ballots, one for each permutation commitment "
                f"(got {len(self.ciphertexts)})",
            )
        for i, ballot in enumerate(self.ciphertexts, start=1):
            if len(ballot) != self.proof.positions:
                raise EncodingError(
                    f"shuffle: ciphertexts, ballot {i}",
                    f"{self.proof.positions} positions, as the proof has (got {len(ballot)})",
                )

    def to_json(self) -> dict[str, object]:
        return {
            "class": self.voter_class,
            "trustee": self.trustee,
            "ciphertexts": [[ct.to_json() for ct in ballot] for ballot in self.ciphertexts],
            "proof": self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, value: object, *, where: str = "shuffle") -> Shuffle:
        """Read a shuffle entry's JSON; anything malformed is refused, naming the field."""
        fields = object_from_json(value, {"class", "trustee", "ciphertexts", "proof"}, where)
        voter_class = fields["class"]
        if not isinstance(voter_class, str):
            raise EncodingError(f"{where}.class", "the voter class's name as text")
        trustee = fields["trustee"]
        if type(trustee) is not int:
            raise EncodingError(f"{where}.trustee", "the trustee's number, an integer")
        ballots: list[Ballot] = []
        for i, ballot in enumerate(list_from_json(fields["ciphertexts"], f"{where}.ciphertexts")):
            at = f"{where}.ciphertexts[{i}]"
            ballots.append(
                tuple(
                    Ciphertext.from_json(ct, where=f"{at}[{p}]")  # type: ignore[arg-type]
                    for p, ct in enumerate(list_from_json(ballot, at))
                )
            )
        return cls(
            voter_class=voter_class,
            trustee=trustee,
            ciphertexts=tuple(ballots),
            proof=ShuffleProof.from_json(fields["proof"], where=f"{where}.proof"),
        )
