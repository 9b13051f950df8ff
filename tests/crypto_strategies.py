"""Hypothesis strategies for mandate.crypto: scalars, points, keys, ciphertexts.

Group operations are slow beside counting, so the properties that use these run a modest
number of examples (``CRYPTO_SETTINGS``).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mandate.crypto.elgamal import Ciphertext, encrypt
from mandate.crypto.group import ORDER, G, Point, Scalar

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
