"""The mix: a re-encryption shuffle of ballots with a Terelius–Wikström proof (specification §12).

A trustee takes a voter class's list of N ballots, each P position ciphertexts, permutes the
ballots with ψ, re-encrypts every position, and proves in zero knowledge that the output list is
the input list re-encrypted and permuted — without revealing ψ. The proof is Terelius and
Wikström's (*Proofs of restricted shuffles*, AFRICACRYPT 2010) as the CHVote specification
writes it (GenShuffleProof, CheckShuffleProof), with one t₄ and one s₄ per position: the same
permutation moves all P positions of a ballot. Responses *add* c·secret here (CHVote's
convention), unlike the proofs of §6.

Variables are named as in the specification, indices from 0 in the code where the
specification counts from 1: ``permutation[i] = j`` says output i is input j (ψ's jᵢ),
``r_prime[j][p]`` is r′ of input j, position p; the generator hᵢ of §12 is ``generator(i)`` for
the code's 0-based i, and the challenges are uᵢ = Hs(…, σ, i + 1).

All randomness (ψ, the r′, the proof's ρ, r̂ and ω) is passed in as a
:class:`ShuffleRandomness`; :func:`random_shuffle` is the one thin function the shell calls to
draw it with ``secrets``. The transcripts (σ, the uᵢ, c) are here, for the prover and for
:mod:`mandate.crypto.shuffle_verification`, which checks a shuffle in parts that can run in
separate processes. :func:`shuffle_ballots` does everything in one process; the shell can
split it the same way: :func:`shuffle_outputs` over ranges of ballots, :func:`commit_shuffle`
(sequential: the commitment chain), :func:`proof_products` over ranges (combined with ``*``),
:func:`finish_proof`. The published types (:class:`Shuffle`, :class:`ShuffleProof`) and their
JSON are in :mod:`mandate.crypto.shuffle_entry`, re-exported here.

>>> from mandate.crypto.elgamal import encrypt, public_key
>>> y = public_key(Scalar(5))
>>> ballots = [(encrypt(y, 1, Scalar(11)),), (encrypt(y, 2, Scalar(12)),)]
>>> mixed = shuffle_ballots(y, ballots, random_shuffle(2, 1), election=bytes(32),
...                         voter_class="member", trustee=1)
>>> from mandate.crypto.shuffle_verification import verify_shuffle
>>> verify_shuffle(y, ballots, mixed, election=bytes(32), voter_class="member", trustee=1,
...                positions=1)
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext, reencrypt
from mandate.crypto.group import (
    IDENTITY,
    ORDER,
    G,
    H,
    Point,
    Scalar,
    generator,
    product,
    random_scalar,
)
from mandate.crypto.shuffle_entry import Ballot, Shuffle, ShuffleProof
from mandate.crypto.transcript import Transcript

__all__ = [
    "SHUFFLE_CHALLENGES_TAG",
    "SHUFFLE_CHALLENGE_TAG",
    "Ballot",
    "ProofProducts",
    "Shuffle",
    "ShuffleCommitments",
    "ShuffleProof",
    "ShuffleRandomness",
    "challenges_from_seed",
    "commit_shuffle",
    "finish_proof",
    "proof_challenge",
    "proof_products",
    "prove_shuffle",
    "random_shuffle",
    "shuffle_ballots",
    "shuffle_outputs",
    "statement_seed",
]

SHUFFLE_CHALLENGES_TAG = "mandate/v1/shuffle/challenges"
SHUFFLE_CHALLENGE_TAG = "mandate/v1/shuffle/challenge"


def _flat(ballots: Sequence[Sequence[Ciphertext]]) -> tuple[Point, ...]:
    """α₁,₁, β₁,₁, α₁,₂, β₁,₂, …, α_N,P, β_N,P: a list of ballots as the transcript takes it."""
    return tuple(point for ballot in ballots for ct in ballot for point in (ct.alpha, ct.beta))


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleRandomness:
    """Everything a trustee draws for one shuffle of N ballots of P positions.

    ``permutation`` is ψ = (j₁, …, j_N) from 0: output i is input ``permutation[i]``;
    ``r_prime[j][p]`` is r′ of input j, position p (r′ is indexed by the input); ``rho`` (ρ)
    by input; ``r_hat`` (r̂), ``omega_hat`` (ω̂) and ``omega_prime`` (ω′) by output;
    ``omega_4`` (ω₄,ₚ) by position. Every value must be fresh: re-using one reveals ψ or the r′.
    """

    permutation: tuple[int, ...]
    r_prime: tuple[tuple[Scalar, ...], ...]
    rho: tuple[Scalar, ...]
    r_hat: tuple[Scalar, ...]
    omega_1: Scalar
    omega_2: Scalar
    omega_3: Scalar
    omega_4: tuple[Scalar, ...]
    omega_hat: tuple[Scalar, ...]
    omega_prime: tuple[Scalar, ...]

    def __post_init__(self) -> None:
        n = len(self.permutation)
        if sorted(self.permutation) != list(range(n)) or any(
            type(j) is not int for j in self.permutation
        ):
            raise ValueError(f"the permutation must hold each of 0 … {n - 1} once")
        for name in ("r_prime", "rho", "r_hat", "omega_hat", "omega_prime"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} needs one value for each of the {n} ballots")
        if not self.omega_4:
            raise ValueError("a ballot has at least one position (omega_4 is empty)")
        if any(len(row) != len(self.omega_4) for row in self.r_prime):
            raise ValueError(f"r_prime needs {len(self.omega_4)} values for every ballot")

    @classmethod
    def drawn(
        cls, permutation: Sequence[int], positions: int, draw: Callable[[], Scalar]
    ) -> ShuffleRandomness:
        """ψ = ``permutation`` and every scalar from ``draw()``, in a fixed order: r′ (by input,
        then position), ρ, r̂, ω₁, ω₂, ω₃, ω₄ (by position), ω̂, ω′. The test vectors pass a
        reproducible ``draw``; :func:`random_shuffle` passes ``random_scalar``."""
        n = len(permutation)

        def scalars(count: int) -> tuple[Scalar, ...]:
            return tuple(draw() for _ in range(count))

        return cls(
            permutation=tuple(permutation),
            r_prime=tuple(scalars(positions) for _ in range(n)),
            rho=scalars(n),
            r_hat=scalars(n),
            omega_1=draw(),
            omega_2=draw(),
            omega_3=draw(),
            omega_4=scalars(positions),
            omega_hat=scalars(n),
            omega_prime=scalars(n),
        )

    @property
    def ballots(self) -> int:
        """N."""
        return len(self.permutation)

    @property
    def positions(self) -> int:
        """P."""
        return len(self.omega_4)


def random_shuffle(ballots: int, positions: int) -> ShuffleRandomness:
    """Draw ψ (a uniform permutation, Fisher–Yates with ``secrets.randbelow``) and every random
    scalar (:func:`mandate.crypto.group.random_scalar`) of a shuffle of ``ballots`` ballots of
    ``positions`` positions; the shell calls it and passes the result to
    :func:`shuffle_ballots`."""
    if ballots < 0:
        raise ValueError(f"a shuffle needs 0 or more ballots (got {ballots})")
    permutation = list(range(ballots))
    for i in range(ballots - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        permutation[i], permutation[j] = permutation[j], permutation[i]
    return ShuffleRandomness.drawn(tuple(permutation), positions, random_scalar)


def statement_seed(
    y: Point,
    inputs: Sequence[Sequence[Ciphertext]],
    outputs: Sequence[Sequence[Ciphertext]],
    c: Sequence[Point],
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
) -> bytes:
    """σ = H("mandate/v1/shuffle/challenges", φ, "class", class, "trustee", k, "y", y,
    "e", 2NP, α₁,₁, β₁,₁, …, "e_prime", 2NP, α′₁,₁, β′₁,₁, …, "c", N, c₁, …, c_N)."""
    return (
        Transcript(tag=SHUFFLE_CHALLENGES_TAG, context=election)
        .add("class", voter_class)
        .add("trustee", trustee)
        .add("y", y)
        .add_list("e", _flat(inputs))
        .add_list("e_prime", _flat(outputs))
        .add_list("c", tuple(c))
        .digest()
    )


def challenges_from_seed(seed: bytes, n: int) -> tuple[Scalar, ...]:
    """uᵢ = Hs("mandate/v1/shuffle/challenges", σ, i) for i = 1 … N (indexed by input)."""
    return tuple(
        Transcript(tag=SHUFFLE_CHALLENGES_TAG, context=seed, parts=(i,)).challenge()
        for i in range(1, n + 1)
    )


def proof_challenge(
    seed: bytes,
    c_hat: Sequence[Point],
    t: tuple[Point, Point, Point],
    t4: Sequence[tuple[Point, Point]],
    t_hat: Sequence[Point],
    *,
    election: bytes,
) -> Scalar:
    """c = Hs("mandate/v1/shuffle/challenge", φ, "seed", σ, "c_hat", N, ĉ₁…ĉ_N, "t", 3, t₁, t₂,
    t₃, "t4", 2P, t₄,₁ (first, second), …, "t_hat", N, t̂₁…t̂_N)."""
    return (
        Transcript(tag=SHUFFLE_CHALLENGE_TAG, context=election)
        .add("seed", seed)
        .add_list("c_hat", tuple(c_hat))
        .add_list("t", t)
        .add_list("t4", tuple(point for pair in t4 for point in pair))
        .add_list("t_hat", tuple(t_hat))
        .challenge()
    )


def shuffle_ballots(
    y: Point,
    ballots: Sequence[Sequence[Ciphertext]],
    randomness: ShuffleRandomness,
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
) -> Shuffle:
    """Shuffle and re-encrypt ``ballots`` under y, and prove it (§12).

    ``e′ᵢ,ₚ = ReEnc_y(e_{jᵢ},ₚ; r′_{jᵢ},ₚ)``: output i is input jᵢ re-encrypted with
    r′_{jᵢ}; then :func:`prove_shuffle`.

    Raises:
        ValueError: y is O, or the randomness is not for N ballots of the ballots' P positions.
    """
    outputs = shuffle_outputs(y, ballots, randomness, start=0, stop=len(ballots))
    proof = prove_shuffle(
        y,
        ballots,
        outputs,
        randomness,
        election=election,
        voter_class=voter_class,
        trustee=trustee,
    )
    return Shuffle(voter_class=voter_class, trustee=trustee, ciphertexts=outputs, proof=proof)


def _check_prover_inputs(
    y: Point, ballots: Sequence[Sequence[Ciphertext]], randomness: ShuffleRandomness
) -> None:
    n = len(ballots)
    if y.is_identity:
        raise ValueError("the election public key must not be the identity element")
    if randomness.ballots != n:
        raise ValueError(f"the randomness is for {randomness.ballots} ballots, not {n}")
    P = randomness.positions
    for i, ballot in enumerate(ballots, start=1):
        if len(ballot) != P:
            raise ValueError(f"ballot {i} has {len(ballot)} positions, not {P}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleCommitments:
    """The prover's sequential part (§12 steps 1 to 4): the permutation commitment c (by
    input), the seed σ, the challenges uᵢ (by input) and the commitment chain ĉ₁ … ĉ_N."""

    c: tuple[Point, ...]
    seed: bytes
    u: tuple[Scalar, ...]
    c_hat: tuple[Point, ...]


def commit_shuffle(
    y: Point,
    ballots: Sequence[Sequence[Ciphertext]],
    outputs: Sequence[Sequence[Ciphertext]],
    randomness: ShuffleRandomness,
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
) -> ShuffleCommitments:
    """Steps 1 to 4: ``c_{jᵢ} = g^{ρ_{jᵢ}} · hᵢ``; σ; ``uᵢ``; ``ĉᵢ = g^{r̂ᵢ} · ĉᵢ₋₁^{u′ᵢ}``
    (ĉ₀ = h). Sequential (the chain), about 3 exponentiations a ballot.

    Raises:
        ValueError: y is O, or the randomness is not for N ballots (inputs and outputs) of P
            positions.
    """
    _check_prover_inputs(y, ballots, randomness)
    _check_prover_inputs(y, outputs, randomness)
    n = len(ballots)
    psi = randomness.permutation

    # 1. Permutation commitment, indexed by input.
    c: list[Point] = [IDENTITY] * n
    for i, j in enumerate(psi):
        c[j] = (G ** randomness.rho[j]) * generator(i)

    # 2, 3. Seed and challenges.
    seed = statement_seed(
        y, ballots, outputs, c, election=election, voter_class=voter_class, trustee=trustee
    )
    u = challenges_from_seed(seed, n)

    # 4. Commitment chain ĉ₀ = h, ĉᵢ = g^{r̂ᵢ} · ĉᵢ₋₁^{u′ᵢ} with u′ᵢ = u_{jᵢ}.
    c_hat: list[Point] = []
    previous = H
    for r_hat_i, j in zip(randomness.r_hat, psi, strict=True):
        previous = (G**r_hat_i) * (previous ** u[j])
        c_hat.append(previous)
    return ShuffleCommitments(c=tuple(c), seed=seed, u=u, c_hat=tuple(c_hat))


@dataclass(frozen=True, slots=True, kw_only=True)
class ProofProducts:
    """The prover's products over output ballots ``start ≤ i < stop`` (step 5):
    ``h_omega`` = Π hᵢ^{ω′ᵢ}, ``beta_omega[p]`` = Π β′ᵢ,ₚ^{ω′ᵢ}, ``alpha_omega[p]`` =
    Π α′ᵢ,ₚ^{ω′ᵢ}, and ``t_hat`` = (t̂ᵢ = g^{ω̂ᵢ} · ĉᵢ₋₁^{ω′ᵢ} for each i). Adjacent ranges
    combine with ``*``."""

    start: int
    stop: int
    h_omega: Point
    beta_omega: tuple[Point, ...]
    alpha_omega: tuple[Point, ...]
    t_hat: tuple[Point, ...]

    def __mul__(self, other: ProofProducts) -> ProofProducts:
        """The products over ``[self.start, other.stop)``; the ranges must be adjacent."""
        if self.stop != other.start:
            raise ValueError(
                f"products over [{self.start}, {self.stop}) and [{other.start}, {other.stop}) "
                "are not adjacent"
            )
        return ProofProducts(
            start=self.start,
            stop=other.stop,
            h_omega=self.h_omega * other.h_omega,
            beta_omega=tuple(a * b for a, b in zip(self.beta_omega, other.beta_omega, strict=True)),
            alpha_omega=tuple(
                a * b for a, b in zip(self.alpha_omega, other.alpha_omega, strict=True)
            ),
            t_hat=(*self.t_hat, *other.t_hat),
        )


def proof_products(
    outputs: Sequence[Sequence[Ciphertext]],
    commitments: ShuffleCommitments,
    randomness: ShuffleRandomness,
    *,
    start: int,
    stop: int,
) -> ProofProducts:
    """Step 5's products over output ballots ``start ≤ i < stop`` (2P + 2 exponentiations a
    ballot): independent of every other range, so the shell can run ranges in separate
    processes and multiply the results."""
    n = len(outputs)
    if not 0 <= start <= stop <= n:
        raise ValueError(f"the range [{start}, {stop}) is not within the {n} ballots")
    omega_prime = randomness.omega_prime[start:stop]
    mine = outputs[start:stop]
    before = [H if i == 0 else commitments.c_hat[i - 1] for i in range(start, stop)]
    return ProofProducts(
        start=start,
        stop=stop,
        h_omega=product(
            [generator(i) ** w for i, w in zip(range(start, stop), omega_prime, strict=True)]
        ),
        beta_omega=tuple(
            product([out[p].beta ** w for out, w in zip(mine, omega_prime, strict=True)])
            for p in range(randomness.positions)
        ),
        alpha_omega=tuple(
            product([out[p].alpha ** w for out, w in zip(mine, omega_prime, strict=True)])
            for p in range(randomness.positions)
        ),
        t_hat=tuple(
            (G**w_hat) * (c_before**w)
            for w_hat, c_before, w in zip(
                randomness.omega_hat[start:stop], before, omega_prime, strict=True
            )
        ),
    )


def finish_proof(
    y: Point,
    commitments: ShuffleCommitments,
    products: ProofProducts,
    randomness: ShuffleRandomness,
    *,
    election: bytes,
) -> ShuffleProof:
    """Steps 5 to 7 with the products over every ballot: t₁ = g^{ω₁}, t₂ = g^{ω₂},
    t₃ = g^{ω₃} · Πᵢ hᵢ^{ω′ᵢ}, t₄,ₚ = (y^{−ω₄,ₚ} · Πᵢ β′ᵢ,ₚ^{ω′ᵢ}, g^{−ω₄,ₚ} · Πᵢ α′ᵢ,ₚ^{ω′ᵢ});
    the challenge c; the responses (mod ℓ), with v_N = 1 and vᵢ = u′ᵢ₊₁ · vᵢ₊₁:
    s₁ = ω₁ + c·Σρᵢ, s₂ = ω₂ + c·Σr̂ᵢvᵢ, s₃ = ω₃ + c·Σρᵢuᵢ, s₄,ₚ = ω₄,ₚ + c·Σr′ᵢ,ₚuᵢ,
    ŝᵢ = ω̂ᵢ + c·r̂ᵢ, s′ᵢ = ω′ᵢ + c·u′ᵢ."""
    n = randomness.ballots
    if (products.start, products.stop) != (0, n):
        raise ValueError(
            f"the products cover [{products.start}, {products.stop}), not all {n} ballots"
        )
    u = commitments.u
    u_prime = [u[j] for j in randomness.permutation]
    r_prime = randomness.r_prime
    t1 = G**randomness.omega_1
    t2 = G**randomness.omega_2
    t3 = (G**randomness.omega_3) * products.h_omega
    t4 = tuple(
        ((y ** (-omega_4p)) * beta, (G ** (-omega_4p)) * alpha)
        for omega_4p, beta, alpha in zip(
            randomness.omega_4, products.beta_omega, products.alpha_omega, strict=True
        )
    )

    # 6. Challenge.
    challenge = proof_challenge(
        commitments.seed, commitments.c_hat, (t1, t2, t3), t4, products.t_hat, election=election
    )
    cv = challenge.value

    # 7. Responses.
    v = [1] * n
    for i in range(n - 2, -1, -1):
        v[i] = u_prime[i + 1].value * v[i + 1] % ORDER
    rho = [r.value for r in randomness.rho]
    s1 = randomness.omega_1.value + cv * sum(rho)
    s2 = randomness.omega_2.value + cv * sum(
        r.value * v_i for r, v_i in zip(randomness.r_hat, v, strict=True)
    )
    s3 = randomness.omega_3.value + cv * sum(
        rho_i * u_i.value for rho_i, u_i in zip(rho, u, strict=True)
    )
    s4 = tuple(
        Scalar.reduce(omega_4p.value + cv * sum(r_prime[j][p].value * u[j].value for j in range(n)))
        for p, omega_4p in enumerate(randomness.omega_4)
    )
    return ShuffleProof(
        c=commitments.c,
        c_hat=commitments.c_hat,
        t1=t1,
        t2=t2,
        t3=t3,
        t4=t4,
        t_hat=products.t_hat,
        s1=Scalar.reduce(s1),
        s2=Scalar.reduce(s2),
        s3=Scalar.reduce(s3),
        s4=s4,
        s_hat=tuple(
            Scalar.reduce(w.value + cv * r.value)
            for w, r in zip(randomness.omega_hat, randomness.r_hat, strict=True)
        ),
        s_prime=tuple(
            Scalar.reduce(w.value + cv * u_i.value)
            for w, u_i in zip(randomness.omega_prime, u_prime, strict=True)
        ),
    )


def shuffle_outputs(
    y: Point,
    ballots: Sequence[Sequence[Ciphertext]],
    randomness: ShuffleRandomness,
    *,
    start: int,
    stop: int,
) -> tuple[Ballot, ...]:
    """Output ballots ``start ≤ i < stop``: ``e′ᵢ,ₚ = ReEnc_y(e_{jᵢ},ₚ; r′_{jᵢ},ₚ)`` (output i
    is input jᵢ re-encrypted with r′_{jᵢ}); ranges are independent."""
    _check_prover_inputs(y, ballots, randomness)
    if not 0 <= start <= stop <= len(ballots):
        raise ValueError(f"the range [{start}, {stop}) is not within the {len(ballots)} ballots")
    return tuple(
        tuple(reencrypt(y, ct, r) for ct, r in zip(ballots[j], randomness.r_prime[j], strict=True))
        for j in randomness.permutation[start:stop]
    )


def prove_shuffle(
    y: Point,
    ballots: Sequence[Sequence[Ciphertext]],
    outputs: Sequence[Sequence[Ciphertext]],
    randomness: ShuffleRandomness,
    *,
    election: bytes,
    voter_class: str,
    trustee: int,
) -> ShuffleProof:
    """The proof that ``outputs`` is ``ballots`` permuted by ψ and re-encrypted with r′
    (§12, steps 1 to 7), in one process: :func:`commit_shuffle`, :func:`proof_products` over
    every ballot, :func:`finish_proof`. The shell may run the products (and
    :func:`shuffle_outputs`) over ranges of ballots in separate processes instead.

    :func:`shuffle_ballots` calls it with the outputs it has just made; the tests also call it
    to play a dishonest prover (outputs that are not this shuffle), whose proof must fail.

    Raises:
        ValueError: y is O, or the randomness is not for N ballots (inputs and outputs) of P
            positions.
    """
    commitments = commit_shuffle(
        y,
        ballots,
        outputs,
        randomness,
        election=election,
        voter_class=voter_class,
        trustee=trustee,
    )
    products = proof_products(outputs, commitments, randomness, start=0, stop=len(outputs))
    return finish_proof(y, commitments, products, randomness, election=election)
