"""Exponential ElGamal over ristretto255 (specification §5).

``Enc_y(m; r) = (α, β) = (g^r, y^r · g^m)``: the plaintext is in the exponent, so ciphertexts
add (``(α₁α₂, β₁β₂)`` encrypts m₁ + m₂) and decryption ends with a small discrete log. The
randomness r is a parameter: the caller draws it with
:func:`mandate.crypto.group.random_scalar`; nothing here draws any.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from mandate.crypto.group import IDENTITY, G, Point, Scalar
from mandate.errors import EncodingError, PlaintextRangeError

__all__ = [
    "Ciphertext",
    "add",
    "decrypt",
    "decrypt_point",
    "discrete_log",
    "encrypt",
    "public_key",
    "reencrypt",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Ciphertext:
    """An ElGamal ciphertext (α, β); in JSON ``{"alpha": hex, "beta": hex}``."""

    alpha: Point
    beta: Point

    def to_json(self) -> dict[str, str]:
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @classmethod
    def from_json(cls, value: Mapping[str, object], *, where: str = "ciphertext") -> Ciphertext:
        """Read ``{"alpha": hex, "beta": hex}``; anything else is refused, naming ``where``."""
        if not isinstance(value, Mapping) or set(value) != {"alpha", "beta"}:
            raise EncodingError(where, 'an object with exactly "alpha" and "beta"')
        points = []
        for name in ("alpha", "beta"):
            text = value[name]
            try:
                points.append(Point.from_hex(text))  # type: ignore[arg-type]
            except EncodingError as error:
                raise EncodingError(f"{where}: {name}", error.expected) from None
        return cls(alpha=points[0], beta=points[1])


def public_key(x: Scalar) -> Point:
    """``y = g^x``; the secret 0 is refused (its public key is O)."""
    if x.value == 0:
        raise ValueError("an ElGamal secret key must not be 0")
    return G**x


def encrypt(y: Point, m: int, r: Scalar) -> Ciphertext:
    """``Enc_y(m; r) = (g^r, y^r · g^m)`` for an integer m ≥ 0.

    >>> from mandate.crypto.group import Scalar
    >>> x = Scalar(5)
    >>> decrypt(x, encrypt(public_key(x), 3, Scalar(11)), bound=10)
    3
    """
    if m < 0:
        raise ValueError(f"exponential ElGamal encrypts integers 0 or more (got {m})")
    return Ciphertext(alpha=G**r, beta=(y**r) * (G ** Scalar.reduce(m)))


def reencrypt(y: Point, ciphertext: Ciphertext, r: Scalar) -> Ciphertext:
    """``ReEnc_y((α, β); r′) = (α · g^r′, β · y^r′)``: the same plaintext, new randomness."""
    return Ciphertext(alpha=ciphertext.alpha * (G**r), beta=ciphertext.beta * (y**r))


def add(first: Ciphertext, second: Ciphertext) -> Ciphertext:
    """``(α₁, β₁)·(α₂, β₂) = (α₁α₂, β₁β₂)``, which encrypts m₁ + m₂."""
    return Ciphertext(alpha=first.alpha * second.alpha, beta=first.beta * second.beta)


def decrypt_point(x: Scalar, ciphertext: Ciphertext) -> Point:
    """``M = β / α^x = g^m``."""
    return ciphertext.beta / (ciphertext.alpha**x)


def discrete_log(point: Point, *, bound: int) -> int:
    """The m in ``[0, bound]`` with ``g^m = point``, by baby-step giant-step.

    Raises:
        PlaintextRangeError: no such m (the point is reported, nothing is guessed).

    >>> discrete_log(G ** Scalar(1234), bound=5000)
    1234
    """
    if bound < 0:
        raise ValueError(f"the bound is 0 or more (got {bound})")
    step = math.isqrt(bound) + 1
    baby: dict[bytes, int] = {}
    current = IDENTITY
    for j in range(step):
        baby.setdefault(current.data, j)
        current = current * G
    giant = (G ** Scalar.reduce(step)).inverse()
    gamma = point
    for i in range(step + 1):
        found = baby.get(gamma.data)
        if found is not None and i * step + found <= bound:
            return i * step + found
        gamma = gamma * giant
    raise PlaintextRangeError(point_hex=point.hex(), bound=bound)


def decrypt(x: Scalar, ciphertext: Ciphertext, *, bound: int) -> int:
    """The plaintext m in ``[0, bound]`` of a ciphertext, with the secret key x."""
    return discrete_log(decrypt_point(x, ciphertext), bound=bound)
