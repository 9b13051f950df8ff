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
separate processes.

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
from mandate.crypto.json_values import (
    list_from_json,
    object_from_json,
    point_from_json,
    points_from_json,
    scalar_from_json,
    scalars_from_json,
)
from mandate.crypto.transcript import Transcript
from mandate.errors import EncodingError

__all__ = [
    "SHUFFLE_CHALLENGES_TAG",
    "SHUFFLE_CHALLENGE_TAG",
    "Ballot",
    "Shuffle",
    "ShuffleProof",
    "ShuffleRandomness",
    "challenges_from_seed",
    "proof_challenge",
    "prove_shuffle",
    "random_shuffle",
    "shuffle_ballots",
    "statement_seed",
]

SHUFFLE_CHALLENGES_TAG = "mandate/v1/shuffle/challenges"
SHUFFLE_CHALLENGE_TAG = "mandate/v1/shuffle/challenge"

Ballot = tuple[Ciphertext, ...]
"""One ballot in the mix: its P position ciphertexts eᵢ = (eᵢ,₁, …, eᵢ,P)."""


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
    _check_prover_inputs(y, ballots, randomness)
    outputs = tuple(
        tuple(reencrypt(y, ct, r) for ct, r in zip(ballots[j], randomness.r_prime[j], strict=True))
        for j in randomness.permutation
    )
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
    (§12, steps 1 to 7): the permutation commitment ``c_{jᵢ} = g^{ρ_{jᵢ}} · hᵢ``, the seed σ
    and challenges uᵢ, the commitment chain ``ĉᵢ = g^{r̂ᵢ} · ĉᵢ₋₁^{u′ᵢ}`` (ĉ₀ = h), the
    commitments t₁, t₂, t₃, t₄,ₚ, t̂ᵢ, the challenge c and the responses ``s = ω + c·secret``.

    :func:`shuffle_ballots` calls it with the outputs it has just made; it is separate so that
    the tests can play a dishonest prover (outputs that are not this shuffle), whose proof
    must fail.

    Raises:
        ValueError: y is O, or the randomness is not for N ballots (inputs and outputs) of P
            positions.
    """
    _check_prover_inputs(y, ballots, randomness)
    _check_prover_inputs(y, outputs, randomness)
    n = len(ballots)
    psi = randomness.permutation
    r_prime = randomness.r_prime
    h = [generator(i) for i in range(n)]

    # 1. Permutation commitment, indexed by input.
    c: list[Point] = [IDENTITY] * n
    for i, j in enumerate(psi):
        c[j] = (G ** randomness.rho[j]) * h[i]

    # 2, 3. Seed and challenges.
    seed = statement_seed(
        y, ballots, outputs, c, election=election, voter_class=voter_class, trustee=trustee
    )
    u = challenges_from_seed(seed, n)
    u_prime = [u[j] for j in psi]

    # 4. Commitment chain ĉ₀ = h, ĉᵢ = g^{r̂ᵢ} · ĉᵢ₋₁^{u′ᵢ}.
    c_hat: list[Point] = []
    previous = H
    for r_hat_i, u_prime_i in zip(randomness.r_hat, u_prime, strict=True):
        previous = (G**r_hat_i) * (previous**u_prime_i)
        c_hat.append(previous)

    # 5. Commitments.
    omega_prime = randomness.omega_prime
    t1 = G**randomness.omega_1
    t2 = G**randomness.omega_2
    t3 = (G**randomness.omega_3) * product([h_i**w for h_i, w in zip(h, omega_prime, strict=True)])
    t4 = tuple(
        (
            (y ** (-omega_4p))
            * product([out[p].beta ** w for out, w in zip(outputs, omega_prime, strict=True)]),
            (G ** (-omega_4p))
            * product([out[p].alpha ** w for out, w in zip(outputs, omega_prime, strict=True)]),
        )
        for p, omega_4p in enumerate(randomness.omega_4)
    )
    chain_before = [H, *c_hat[:-1]] if n else []
    t_hat = tuple(
        (G**w_hat) * (before**w)
        for w_hat, before, w in zip(randomness.omega_hat, chain_before, omega_prime, strict=True)
    )

    # 6. Challenge.
    challenge = proof_challenge(seed, c_hat, (t1, t2, t3), t4, t_hat, election=election)
    cv = challenge.value

    # 7. Responses, s = ω + c·secret (mod ℓ); v_N = 1, vᵢ = u′ᵢ₊₁ · vᵢ₊₁.
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
        c=tuple(c),
        c_hat=tuple(c_hat),
        t1=t1,
        t2=t2,
        t3=t3,
        t4=t4,
        t_hat=t_hat,
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
            for w, u_i in zip(omega_prime, u_prime, strict=True)
        ),
    )
