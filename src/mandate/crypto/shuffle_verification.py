"""Verifying a shuffle (specification §12), in parts that can run in separate processes.

:func:`verify_shuffle` checks one trustee's shuffle of one voter class in one process. The
shell can instead spread it over processes: :func:`shuffle_challenges` (the shapes, and the
hashing of σ, the uᵢ and c: one pass), then :func:`shuffle_products` over disjoint ranges of
ballots, each in its own process (they share nothing; each checks its own t̂ᵢ), whose results
multiply (``*``) into the products over every ballot, then :func:`check_shuffle_products`
(the checks of t₁ … t₄). A failure raises :class:`mandate.errors.ProofError` naming the
trustee, the class and the equation.

>>> from mandate.crypto.elgamal import encrypt, public_key
>>> from mandate.crypto.group import Scalar
>>> from mandate.crypto.shuffle import random_shuffle, shuffle_ballots
>>> y = public_key(Scalar(5))
>>> ballots = [(encrypt(y, 1, Scalar(11)),), (encrypt(y, 2, Scalar(12)),)]
>>> mixed = shuffle_ballots(y, ballots, random_shuffle(2, 1), election=bytes(32),
...                         voter_class="member", trustee=1)
>>> verify_shuffle(y, ballots[::-1], mixed, election=bytes(32), voter_class="member",
...                trustee=1, positions=1)
Traceback (most recent call last):
...
mandate.errors.ProofError: shuffle proof of trustee 1 for class 'member' does not verify: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext
from mandate.crypto.group import ORDER, G, H, Point, Scalar, generator, product
from mandate.crypto.shuffle import (
    Shuffle,
    challenges_from_seed,
    proof_challenge,
    statement_seed,
)
from mandate.errors import ProofError

__all__ = [
    "ShuffleChallenges",
    "ShuffleProducts",
    "check_shuffle_products",
    "shuffle_challenges",
    "shuffle_products",
    "verify_shuffle",
]


def _equal(first: Point, second: Point) -> bool:
    return hmac.compare_digest(first.data, second.data)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleChallenges:
    """The values a verifier derives by hashing: σ, u₁ … u_N (by input) and c."""

    seed: bytes
    u: tuple[Scalar, ...]
    c: Scalar


def _name(shuffle: Shuffle) -> str:
    return f"shuffle proof of trustee {shuffle.trustee} for class {shuffle.voter_class!r}"


def shuffle_challenges(
    y: Point,
    inputs: Sequence[Sequence[Ciphertext]],
    shuffle: Shuffle,
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
    positions: int,
) -> ShuffleChallenges:
    """Check the shuffle's shape and statement, and recompute σ, every uᵢ and c (§12).

    Raises:
        ProofError: y is O; the entry is for another class or trustee; the output list has not
            N ballots of P positions (names what differs).
    """
    name = _name(shuffle)
    if y.is_identity:
        raise ProofError(name, "the election public key is the identity element")
    if shuffle.voter_class != voter_class:
        raise ProofError(name, f"it is for class {shuffle.voter_class!r}, not {voter_class!r}")
    if shuffle.trustee != trustee:
        raise ProofError(name, f"it is trustee {shuffle.trustee}'s, not trustee {trustee}'s")
    n = len(inputs)
    for i, ballot in enumerate(inputs, start=1):
        if len(ballot) != positions:
            raise ProofError(name, f"input ballot {i} has {len(ballot)} positions, not {positions}")
    if len(shuffle.ciphertexts) != n:
        raise ProofError(
            name, f"the output has {len(shuffle.ciphertexts)} ballots for {n} input ballots"
        )
    if shuffle.proof.positions != positions:
        raise ProofError(
            name, f"the output ballots have {shuffle.proof.positions} positions, not {positions}"
        )
    proof = shuffle.proof
    seed = statement_seed(
        y,
        inputs,
        shuffle.ciphertexts,
        proof.c,
        election=election,
        voter_class=shuffle.voter_class,
        trustee=shuffle.trustee,
    )
    c = proof_challenge(
        seed, proof.c_hat, (proof.t1, proof.t2, proof.t3), proof.t4, proof.t_hat, election=election
    )
    return ShuffleChallenges(seed=seed, u=challenges_from_seed(seed, n), c=c)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleProducts:
    """The products over ballots ``start ≤ i < stop`` (from 0) that the checks of t₁…t₄ need.

    ``c_product`` = Π cᵢ, ``h_product`` = Π hᵢ, ``u_product`` = Π uᵢ, ``c_tilde`` = Π cᵢ^{uᵢ},
    ``h_s_prime`` = Π hᵢ^{s′ᵢ}; for each position p: ``alpha_tilde[p]`` = Π αᵢ,ₚ^{uᵢ},
    ``beta_tilde[p]`` = Π βᵢ,ₚ^{uᵢ} (inputs), ``alpha_prime[p]`` = Π α′ᵢ,ₚ^{s′ᵢ},
    ``beta_prime[p]`` = Π β′ᵢ,ₚ^{s′ᵢ} (outputs). Products of adjacent ranges combine with
    ``*``, so the ranges can be computed in separate processes.
    """

    start: int
    stop: int
    c_product: Point
    h_product: Point
    u_product: Scalar
    c_tilde: Point
    h_s_prime: Point
    alpha_tilde: tuple[Point, ...]
    beta_tilde: tuple[Point, ...]
    alpha_prime: tuple[Point, ...]
    beta_prime: tuple[Point, ...]

    def __mul__(self, other: ShuffleProducts) -> ShuffleProducts:
        """The products over ``[self.start, other.stop)``; the ranges must be adjacent."""
        if self.stop != other.start:
            raise ValueError(
                f"products over [{self.start}, {self.stop}) and [{other.start}, {other.stop}) "
                "are not adjacent"
            )

        def each(first: tuple[Point, ...], second: tuple[Point, ...]) -> tuple[Point, ...]:
            return tuple(a * b for a, b in zip(first, second, strict=True))

        return ShuffleProducts(
            start=self.start,
            stop=other.stop,
            c_product=self.c_product * other.c_product,
            h_product=self.h_product * other.h_product,
            u_product=self.u_product * other.u_product,
            c_tilde=self.c_tilde * other.c_tilde,
            h_s_prime=self.h_s_prime * other.h_s_prime,
            alpha_tilde=each(self.alpha_tilde, other.alpha_tilde),
            beta_tilde=each(self.beta_tilde, other.beta_tilde),
            alpha_prime=each(self.alpha_prime, other.alpha_prime),
            beta_prime=each(self.beta_prime, other.beta_prime),
        )


def shuffle_products(
    inputs: Sequence[Sequence[Ciphertext]],
    shuffle: Shuffle,
    challenges: ShuffleChallenges,
    *,
    start: int,
    stop: int,
) -> ShuffleProducts:
    """The products over ballots ``start ≤ i < stop``, checking each t̂ᵢ on the way:

        t̂ᵢ = ĉᵢ^{−c} · g^{ŝᵢ} · ĉᵢ₋₁^{s′ᵢ}      (ĉ₀ = h)

    Independent of every other range: call it on disjoint ranges in separate processes and
    multiply the results. Call :func:`shuffle_challenges` first (it checks the shapes).

    Raises:
        ProofError: some t̂ᵢ equation does not hold (names the ballot, counted from 1).
    """
    n = len(inputs)
    if not 0 <= start <= stop <= n:
        raise ValueError(f"the range [{start}, {stop}) is not within the {n} ballots")
    proof = shuffle.proof
    P = proof.positions
    u, minus_c = challenges.u, -challenges.c
    c_tilde: list[Point] = []
    h_s_prime: list[Point] = []
    hs: list[Point] = []
    alpha_tilde: list[list[Point]] = [[] for _ in range(P)]
    beta_tilde: list[list[Point]] = [[] for _ in range(P)]
    alpha_prime: list[list[Point]] = [[] for _ in range(P)]
    beta_prime: list[list[Point]] = [[] for _ in range(P)]
    u_product = 1
    for i in range(start, stop):
        h_i, u_i, s_prime_i = generator(i), u[i], proof.s_prime[i]
        hs.append(h_i)
        u_product = u_product * u_i.value % ORDER
        c_tilde.append(proof.c[i] ** u_i)
        h_s_prime.append(h_i**s_prime_i)
        for p, (ct, out) in enumerate(zip(inputs[i], shuffle.ciphertexts[i], strict=True)):
            alpha_tilde[p].append(ct.alpha**u_i)
            beta_tilde[p].append(ct.beta**u_i)
            alpha_prime[p].append(out.alpha**s_prime_i)
            beta_prime[p].append(out.beta**s_prime_i)
        before = H if i == 0 else proof.c_hat[i - 1]
        expected = (proof.c_hat[i] ** minus_c) * (G ** proof.s_hat[i]) * (before**s_prime_i)
        if not _equal(expected, proof.t_hat[i]):
            raise ProofError(
                _name(shuffle),
                f"the equation of t̂ for output ballot {i + 1} does not hold "
                "(the commitment chain is not this permutation's)",
            )
    return ShuffleProducts(
        start=start,
        stop=stop,
        c_product=product(proof.c[start:stop]),
        h_product=product(hs),
        u_product=Scalar(u_product),
        c_tilde=product(c_tilde),
        h_s_prime=product(h_s_prime),
        alpha_tilde=tuple(product(points) for points in alpha_tilde),
        beta_tilde=tuple(product(points) for points in beta_tilde),
        alpha_prime=tuple(product(points) for points in alpha_prime),
        beta_prime=tuple(product(points) for points in beta_prime),
    )


def check_shuffle_products(
    y: Point, shuffle: Shuffle, challenges: ShuffleChallenges, products: ShuffleProducts
) -> None:
    """The checks of t₁ … t₄ with the products over every ballot:

        c̄ = Πᵢ cᵢ / Πᵢ hᵢ;   ĉ = ĉ_N / h^u;   c̃ = Πᵢ cᵢ^{uᵢ}
        t₁ = c̄^{−c} · g^{s₁}
        t₂ = ĉ^{−c} · g^{s₂}
        t₃ = c̃^{−c} · g^{s₃} · Πᵢ hᵢ^{s′ᵢ}
        t₄,ₚ = (β̃ₚ^{−c} · y^{−s₄,ₚ} · Πᵢ β′ᵢ,ₚ^{s′ᵢ},  α̃ₚ^{−c} · g^{−s₄,ₚ} · Πᵢ α′ᵢ,ₚ^{s′ᵢ})

    Raises:
        ProofError: an equation does not hold (names which).
        ValueError: the products do not cover every ballot (a mistake of the caller).
    """
    proof, name = shuffle.proof, _name(shuffle)
    n = proof.ballots
    if (products.start, products.stop) != (0, n):
        raise ValueError(
            f"the products cover [{products.start}, {products.stop}), not all {n} ballots"
        )
    minus_c = -challenges.c
    c_bar = products.c_product / products.h_product
    c_hat_n = proof.c_hat[-1] if n else H
    c_hat = c_hat_n / (H**products.u_product)
    if not _equal((c_bar**minus_c) * (G**proof.s1), proof.t1):
        raise ProofError(
            name, "the equation of t₁ does not hold (the permutation commitment is not one)"
        )
    if not _equal((c_hat**minus_c) * (G**proof.s2), proof.t2):
        raise ProofError(
            name, "the equation of t₂ does not hold (the commitment chain does not end right)"
        )
    if not _equal((products.c_tilde**minus_c) * (G**proof.s3) * products.h_s_prime, proof.t3):
        raise ProofError(
            name, "the equation of t₃ does not hold (the challenges are not permuted as committed)"
        )
    for p, (first, second) in enumerate(proof.t4):
        minus_s4 = -proof.s4[p]
        expected_first = (
            (products.beta_tilde[p] ** minus_c) * (y**minus_s4) * products.beta_prime[p]
        )
        expected_second = (
            (products.alpha_tilde[p] ** minus_c) * (G**minus_s4) * products.alpha_prime[p]
        )
        if not (_equal(expected_first, first) and _equal(expected_second, second)):
            raise ProofError(
                name,
                f"the equation of t₄ for position {p + 1} does not hold (the output ballots "
                "are not a re-encryption of the inputs in the committed order)",
            )


def verify_shuffle(
    y: Point,
    inputs: Sequence[Sequence[Ciphertext]],
    shuffle: Shuffle,
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
    positions: int,
) -> None:
    """Check that ``shuffle`` is trustee ``trustee``'s proven shuffle of ``inputs`` (§12).

    The three steps in one process: :func:`shuffle_challenges`, :func:`shuffle_products` over
    every ballot, :func:`check_shuffle_products`.

    Raises:
        ProofError: the proof does not verify; names the equation (t₁, t₂, t₃, t₄ of a
            position, t̂ of a ballot) or the shape that fails.
    """
    challenges = shuffle_challenges(
        y,
        inputs,
        shuffle,
        election=election,
        voter_class=voter_class,
        trustee=trustee,
        positions=positions,
    )
    products = shuffle_products(inputs, shuffle, challenges, start=0, stop=len(inputs))
    check_shuffle_products(y, shuffle, challenges, products)
