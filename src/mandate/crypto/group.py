"""The group ristretto255: scalars, points, generators and the hashes into them.

This module is section 2 and 3 of docs/verifiable.md. The group is written multiplicatively,
as the specification does: ``g ** x`` is g^x, ``A * B`` is A·B, ``A / B`` is A/B. Scalars are
integers modulo the group order ℓ, kept as Python integers; points are their 32-byte canonical
ristretto255 encodings, computed by libsodium (through the pysodium binding; PyNaCl 1.6.2, the
first choice, exposes no ristretto255 function).

Every ``Point`` and ``Scalar`` is valid by construction: decoding refuses a non-canonical
encoding, an encoding of no group element, or a scalar ≥ ℓ, with
:class:`mandate.errors.EncodingError`.

Randomness: nothing here draws any except :func:`random_scalar`, the one thin function the
shell calls (``secrets``) and passes into the pure functions of ``elgamal``, ``proofs`` and
``threshold``, which draw none themselves.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mandate.crypto.hashing import Part, encode_parts
from mandate.errors import ConfigError, EncodingError

try:
    import pysodium
except (ValueError, AttributeError, OSError) as missing:  # pysodium loads libsodium now
    raise ConfigError(
        "verifiable ballots need libsodium (ristretto255): install Debian's libsodium23 "
        "(`make system-deps`, or `apt-get install libsodium23`)"
    ) from missing

__all__ = [
    "GENERATOR_TAG",
    "IDENTITY",
    "ORDER",
    "G",
    "H",
    "Point",
    "Scalar",
    "generator",
    "hash_sha512",
    "hash_to_point",
    "hash_to_scalar",
    "product",
    "random_scalar",
]

ORDER = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the prime order of ristretto255."""

GENERATOR_TAG = "mandate/v1/generator"

_POINT_BYTES = 32
_SCALAR_BYTES = 32
_IDENTITY_BYTES = bytes(_POINT_BYTES)


def _from_hex(text: str, *, what: str) -> bytes:
    """32 bytes from exactly 64 lowercase hex digits (one text per value)."""
    try:
        data = bytes.fromhex(text) if isinstance(text, str) and len(text) == 64 else b""
    except ValueError:
        data = b""
    if len(data) != _POINT_BYTES or data.hex() != text:
        shown = repr(text) if len(repr(text)) <= 80 else repr(text)[:77] + "..."
        raise EncodingError(what, f"64 lowercase hexadecimal digits (got {shown})")
    return data


@dataclass(frozen=True, slots=True)
class Scalar:
    """An integer modulo ℓ; encoded as 32 bytes little-endian, canonical (value < ℓ).

    >>> (Scalar(2) * Scalar(3)).value
    6
    >>> Scalar(ORDER - 1) + Scalar(1) == Scalar(0)
    True
    """

    value: int

    def __post_init__(self) -> None:
        if type(self.value) is not int or not 0 <= self.value < ORDER:
            raise EncodingError("scalar", f"an integer in [0, ℓ) (got {self.value!r})")

    @classmethod
    def reduce(cls, value: int) -> Scalar:
        """The scalar ``value mod ℓ`` (for arithmetic, never for decoding)."""
        return cls(value % ORDER)

    @classmethod
    def from_bytes(cls, data: bytes) -> Scalar:
        """Decode 32 little-endian bytes; a value ≥ ℓ is refused, not reduced."""
        if not isinstance(data, bytes) or len(data) != _SCALAR_BYTES:
            raise EncodingError("scalar", "32 bytes")
        value = int.from_bytes(data, "little")
        if value >= ORDER:
            raise EncodingError("scalar", f"a canonical encoding (a value below ℓ, got {value})")
        return cls(value)

    @classmethod
    def from_hex(cls, text: str) -> Scalar:
        """Decode the 64-lowercase-hex-digit text of a scalar."""
        return cls.from_bytes(_from_hex(text, what="scalar"))

    def to_bytes(self) -> bytes:
        return self.value.to_bytes(_SCALAR_BYTES, "little")

    def hex(self) -> str:
        return self.to_bytes().hex()

    def __add__(self, other: Scalar) -> Scalar:
        return Scalar((self.value + other.value) % ORDER)

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar((self.value - other.value) % ORDER)

    def __mul__(self, other: Scalar) -> Scalar:
        return Scalar((self.value * other.value) % ORDER)

    def __neg__(self) -> Scalar:
        return Scalar((-self.value) % ORDER)

    def inverse(self) -> Scalar:
        """``1/x mod ℓ``; zero has none."""
        if self.value == 0:
            raise ZeroDivisionError("the scalar 0 has no inverse")
        return Scalar(pow(self.value, -1, ORDER))


@dataclass(frozen=True, slots=True)
class Point:
    """A ristretto255 element, kept as its 32-byte canonical encoding.

    Constructing one from bytes checks the encoding (libsodium's
    ``crypto_core_ristretto255_is_valid_point``, and bit 255 clear, which libsodium 1.0.18
    does not check); the identity O (32 zero bytes) is a valid
    element, refused where a key is expected, not here.

    >>> G ** Scalar(2) == G * G
    True
    >>> Point(bytes(31) + b"\\x80")
    Traceback (most recent call last):
    ...
    mandate.errors.EncodingError: point: expected the canonical encoding of a ristretto255 element
    """

    data: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes) or len(self.data) != _POINT_BYTES:
            raise EncodingError("point", "32 bytes")
        # RFC 9496 §4.3.1 refuses s ≥ p, so bit 255 must be clear; libsodium 1.0.18 ignores it.
        if self.data[31] & 0x80 or not pysodium.crypto_core_ristretto255_is_valid_point(self.data):
            raise EncodingError("point", "the canonical encoding of a ristretto255 element")

    @classmethod
    def _trusted(cls, data: bytes) -> Point:
        """A point libsodium has just computed: valid by construction, not checked again."""
        point = object.__new__(cls)
        object.__setattr__(point, "data", bytes(data))
        return point

    @classmethod
    def from_hex(cls, text: str) -> Point:
        """Decode the 64-lowercase-hex-digit text of a point."""
        return cls(_from_hex(text, what="point"))

    def hex(self) -> str:
        return self.data.hex()

    @property
    def is_identity(self) -> bool:
        return self.data == _IDENTITY_BYTES

    def __mul__(self, other: Point) -> Point:
        """The group operation A·B."""
        return Point._trusted(pysodium.crypto_core_ristretto255_add(self.data, other.data))

    def __truediv__(self, other: Point) -> Point:
        """A / B = A·B⁻¹."""
        return Point._trusted(pysodium.crypto_core_ristretto255_sub(self.data, other.data))

    def __pow__(self, exponent: Scalar) -> Point:
        """X^x. X^0 = O and O^x = O are defined here (libsodium refuses an identity result)."""
        if exponent.value == 0 or self.data == _IDENTITY_BYTES:
            return IDENTITY
        if self is G or self.data == G.data:
            return Point._trusted(pysodium.crypto_scalarmult_ristretto255_base(exponent.to_bytes()))
        return Point._trusted(
            pysodium.crypto_scalarmult_ristretto255(exponent.to_bytes(), self.data)
        )

    def inverse(self) -> Point:
        """X⁻¹."""
        return IDENTITY / self


IDENTITY = Point(_IDENTITY_BYTES)
"""O, the neutral element (32 zero bytes)."""

G = Point(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))
"""g, the ristretto255 generator (RFC 9496 §4.4)."""


def product(points: Sequence[Point]) -> Point:
    """Π points, the group operation over a sequence; O for an empty one.

    >>> product([G, G]) == G ** Scalar(2) and product([]) == IDENTITY
    True
    """
    if not points:
        return IDENTITY
    out = points[0]
    for point in points[1:]:
        out = out * point
    return out


def hash_sha512(tag: str, *parts: Part | Point | Scalar) -> bytes:
    """``H(tag, parts…) = SHA-512(encode(tag, parts…))``, 64 bytes (specification §3).

    Points and scalars enter as their 32-byte encodings; text, integers and bytes as in
    :func:`mandate.crypto.hashing.encode_parts`.
    """
    raw = tuple(
        part.data
        if isinstance(part, Point)
        else part.to_bytes()
        if isinstance(part, Scalar)
        else part
        for part in parts
    )
    return hashlib.sha512(encode_parts(tag, *raw)).digest()


def hash_to_scalar(tag: str, *parts: Part | Point | Scalar) -> Scalar:
    """``Hs(tag, parts…)``: H read as a little-endian integer, reduced mod ℓ.

    >>> hash_to_scalar("mandate/v1/test-vector", "x") == hash_to_scalar("mandate/v1/test", "x")
    False
    """
    return Scalar(int.from_bytes(hash_sha512(tag, *parts), "little") % ORDER)


def hash_to_point(tag: str, *parts: Part | Point | Scalar) -> Point:
    """``Hg(tag, parts…)``: RFC 9496's one-way map of H (libsodium ``from_hash``).

    Nobody knows the discrete log of such a point to base g.
    """
    return Point._trusted(pysodium.crypto_core_ristretto255_from_hash(hash_sha512(tag, *parts)))


H = hash_to_point(GENERATOR_TAG, "h")
"""h = Hg("mandate/v1/generator", "h"), the second generator for Pedersen commitments."""


@cache
def generator(index: int) -> Point:
    """hᵢ = Hg("mandate/v1/generator", "h", i), the independent generators of the shuffle."""
    if index < 0:
        raise ValueError(f"a generator index is 0 or more (got {index})")
    return hash_to_point(GENERATOR_TAG, "h", index)


def random_scalar() -> Scalar:
    """A uniformly random scalar: 64 bytes from ``secrets``, reduced mod ℓ.

    The one place randomness is drawn; the shell calls it and passes the result in.
    """
    return Scalar(int.from_bytes(secrets.token_bytes(64), "little") % ORDER)
