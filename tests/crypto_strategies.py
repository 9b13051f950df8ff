"""Hypothesis strategies for mandate.crypto: scalars, points, keys, ciphertexts.

Group operations are slow beside counting, so the properties that use these run a modest
number of examples (``CRYPTO_SETTINGS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mandate.crypto.elgamal import Ciphertext, encrypt
from mandate.crypto.group import ORDER, G, Point, Scalar
from mandate.crypto.shuffle import ShuffleRandomness

CRYPTO_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
"""Settings for properties over group operations: few examples, no per-example deadline."""

scalars = st.integers(min_value=0, max_value=ORDER - 1).map(Scalar)
"""Any scalar, 0 included."""

nonzero_scalars = st.integers(min_value=1, max_value=ORDER - 1).map(Scalar)
"""A scalar that can be a secret key or randomness."""

points = nonzero_scalars.map(lambda x: G**x)
"""A group element other than the identity (as g^x for a random x)."""

small_plaintexts = st.integers(min_value=0, max_value=20)
"""A plaintext small enough to decrypt by baby-step giant-step quickly."""

contexts = st.binary(min_size=0, max_size=40)
"""The context a proof is bound to (an election fingerprint, a ballot context)."""


@st.composite
def ciphertexts(draw: st.DrawFn) -> Ciphertext:
    """An encryption of a small plaintext under a random key."""
    y = draw(points)
    return encrypt(y, draw(small_plaintexts), draw(nonzero_scalars))


def point_of(x: int) -> Point:
    """g^x, for tests that need a known point."""
    return G ** Scalar.reduce(x)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleCase:
    """A voter class's ballots to mix: the election key, each ballot's plaintext values and
    ciphertexts, and a trustee's randomness for shuffling them (§12)."""

    x: Scalar
    y: Point
    values: tuple[tuple[int, ...], ...]
    inputs: tuple[tuple[Ciphertext, ...], ...]
    randomness: ShuffleRandomness

    @property
    def positions(self) -> int:
        return self.randomness.positions


@st.composite
def shuffle_cases(
    draw: st.DrawFn, *, min_ballots: int = 0, max_ballots: int = 4, max_positions: int = 3
) -> ShuffleCase:
    """N ballots (``min_ballots`` … ``max_ballots``) of P positions (1 … ``max_positions``)
    encrypted under a random key, with a random permutation and random scalars to shuffle them."""
    P = draw(st.integers(min_value=1, max_value=max_positions))
    N = draw(st.integers(min_value=min_ballots, max_value=max_ballots))
    x = draw(nonzero_scalars)
    y = G**x
    values = tuple(draw(st.tuples(*[small_plaintexts] * P).map(tuple)) for _ in range(N))
    inputs = tuple(tuple(encrypt(y, v, draw(nonzero_scalars)) for v in vs) for vs in values)
    permutation = draw(st.permutations(range(N)))
    randomness = ShuffleRandomness.drawn(permutation, P, lambda: draw(nonzero_scalars))
    return ShuffleCase(x=x, y=y, values=values, inputs=inputs, randomness=randomness)
