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
draw it with ``secrets``. Verification is split so that the shell can spread it over processes:
:func:`shuffle_challenges` (hashing), :func:`shuffle_products` over any range of ballots
(independent; products of adjacent ranges combine with ``*``), then
:func:`check_shuffle_products`; :func:`verify_shuffle` runs the three in one process.

>>> from mandate.crypto.elgamal import encrypt, public_key
>>> y = public_key(Scalar(5))
>>> ballots = [(encrypt(y, 1, Scalar(11)),), (encrypt(y, 2, Scalar(12)),)]
>>> mixed = shuffle_ballots(y, ballots, random_shuffle(2, 1), election=bytes(32),
...                         voter_class="member", trustee=1)
>>> verify_shuffle(y, ballots, mixed, election=bytes(32), voter_class="member", trustee=1,
...                positions=1)
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext, reencrypt
from mandate.crypto.group import IDENTITY, ORDER, G, H, Point, Scalar, generator, random_scalar
from mandate.crypto.transcript import Transcript
from mandate.errors import EncodingError, ProofError

__all__ = [
    "SHUFFLE_CHALLENGES_TAG",
    "SHUFFLE_CHALLENGE_TAG",
    "Ballot",
    "Shuffle",
    "ShuffleChallenges",
    "ShuffleProducts",
    "ShuffleProof",
    "ShuffleRandomness",
    "check_shuffle_products",
    "prove_shuffle",
    "random_shuffle",
    "shuffle_ballots",
    "shuffle_challenges",
    "shuffle_products",
    "verify_shuffle",
]

SHUFFLE_CHALLENGES_TAG = "mandate/v1/shuffle/challenges"
SHUFFLE_CHALLENGE_TAG = "mandate/v1/shuffle/challenge"

Ballot = tuple[Ciphertext, ...]
"""One ballot in the mix: its P position ciphertexts eᵢ = (eᵢ,₁, …, eᵢ,P)."""


def _equal(first: Point, second: Point) -> bool:
    return hmac.compare_digest(first.data, second.data)


def _product(points: Sequence[Point]) -> Point:
    """Π points; O for none."""
    if not points:
        return IDENTITY
    out = points[0]
    for point in points[1:]:
        out = out * point
    return out


def _flat(ballots: Sequence[Sequence[Ciphertext]]) -> tuple[Point, ...]:
    """α₁,₁, β₁,₁, α₁,₂, β₁,₂, …, α_N,P, β_N,P: a list of ballots as the transcript takes it."""
    return tuple(point for ballot in ballots for ct in ballot for point in (ct.alpha, ct.beta))


def _point_from_json(value: object, where: str) -> Point:
    if not isinstance(value, str):
        raise EncodingError(where, "a point as 64 lowercase hexadecimal digits")
    try:
        return Point.from_hex(value)
    except EncodingError as error:
        raise EncodingError(where, error.expected) from None


def _scalar_from_json(value: object, where: str) -> Scalar:
    if not isinstance(value, str):
        raise EncodingError(where, "a scalar as 64 lowercase hexadecimal digits")
    try:
        return Scalar.from_hex(value)
    except EncodingError as error:
        raise EncodingError(where, error.expected) from None


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise EncodingError(where, "a list")
    return value


def _points_from_json(value: object, where: str) -> tuple[Point, ...]:
    return tuple(_point_from_json(v, f"{where}[{n}]") for n, v in enumerate(_list(value, where)))


def _scalars_from_json(value: object, where: str) -> tuple[Scalar, ...]:
    return tuple(_scalar_from_json(v, f"{where}[{n}]") for n, v in enumerate(_list(value, where)))


def _object(value: object, keys: set[str], where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or set(value) != keys:
        raise EncodingError(where, f"an object with exactly {sorted(keys)}")
    return value


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
        fields = _object(value, {"c", "c_hat", "t", "s"}, where)
        t = _object(fields["t"], {"t1", "t2", "t3", "t4", "t_hat"}, f"{where}.t")
        s = _object(fields["s"], {"s1", "s2", "s3", "s4", "s_hat", "s_prime"}, f"{where}.s")
        t4: list[tuple[Point, Point]] = []
        for p, pair in enumerate(_list(t["t4"], f"{where}.t.t4")):
            if not isinstance(pair, list) or len(pair) != 2:
                raise EncodingError(f"{where}.t.t4[{p}]", "a pair [first, second] of points")
            t4.append(
                (
                    _point_from_json(pair[0], f"{where}.t.t4[{p}][0]"),
                    _point_from_json(pair[1], f"{where}.t.t4[{p}][1]"),
                )
            )
        return cls(
            c=_points_from_json(fields["c"], f"{where}.c"),
            c_hat=_points_from_json(fields["c_hat"], f"{where}.c_hat"),
            t1=_point_from_json(t["t1"], f"{where}.t.t1"),
            t2=_point_from_json(t["t2"], f"{where}.t.t2"),
            t3=_point_from_json(t["t3"], f"{where}.t.t3"),
            t4=tuple(t4),
            t_hat=_points_from_json(t["t_hat"], f"{where}.t.t_hat"),
            s1=_scalar_from_json(s["s1"], f"{where}.s.s1"),
            s2=_scalar_from_json(s["s2"], f"{where}.s.s2"),
            s3=_scalar_from_json(s["s3"], f"{where}.s.s3"),
            s4=_scalars_from_json(s["s4"], f"{where}.s.s4"),
            s_hat=_scalars_from_json(s["s_hat"], f"{where}.s.s_hat"),
            s_prime=_scalars_from_json(s["s_prime"], f"{where}.s.s_prime"),
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
        fields = _object(value, {"class", "trustee", "ciphertexts", "proof"}, where)
        voter_class = fields["class"]
        if not isinstance(voter_class, str):
            raise EncodingError(f"{where}.class", "the voter class's name as text")
        trustee = fields["trustee"]
        if type(trustee) is not int:
            raise EncodingError(f"{where}.trustee", "the trustee's number, an integer")
        ballots: list[Ballot] = []
        for i, ballot in enumerate(_list(fields["ciphertexts"], f"{where}.ciphertexts")):
            at = f"{where}.ciphertexts[{i}]"
            ballots.append(
                tuple(
                    Ciphertext.from_json(ct, where=f"{at}[{p}]")  # type: ignore[arg-type]
                    for p, ct in enumerate(_list(ballot, at))
                )
            )
        return cls(
            voter_class=voter_class,
            trustee=trustee,
            ciphertexts=tuple(ballots),
            proof=ShuffleProof.from_json(fields["proof"], where=f"{where}.proof"),
        )


def _seed(
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


def _challenges(seed: bytes, n: int) -> tuple[Scalar, ...]:
    """uᵢ = Hs("mandate/v1/shuffle/challenges", σ, i) for i = 1 … N (indexed by input)."""
    return tuple(
        Transcript(tag=SHUFFLE_CHALLENGES_TAG, context=seed, parts=(i,)).challenge()
        for i in range(1, n + 1)
    )


def _challenge(
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
    seed = _seed(
        y, ballots, outputs, c, election=election, voter_class=voter_class, trustee=trustee
    )
    u = _challenges(seed, n)
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
    t3 = (G**randomness.omega_3) * _product([h_i**w for h_i, w in zip(h, omega_prime, strict=True)])
    t4 = tuple(
        (
            (y ** (-omega_4p))
            * _product([out[p].beta ** w for out, w in zip(outputs, omega_prime, strict=True)]),
            (G ** (-omega_4p))
            * _product([out[p].alpha ** w for out, w in zip(outputs, omega_prime, strict=True)]),
        )
        for p, omega_4p in enumerate(randomness.omega_4)
    )
    chain_before = [H, *c_hat[:-1]] if n else []
    t_hat = tuple(
        (G**w_hat) * (before**w)
        for w_hat, before, w in zip(randomness.omega_hat, chain_before, omega_prime, strict=True)
    )

    # 6. Challenge.
    challenge = _challenge(seed, c_hat, (t1, t2, t3), t4, t_hat, election=election)
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


# Verification: challenges (hashing), products over ranges of ballots (independent), the checks.


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
    seed = _seed(
        y,
        inputs,
        shuffle.ciphertexts,
        proof.c,
        election=election,
        voter_class=shuffle.voter_class,
        trustee=shuffle.trustee,
    )
    c = _challenge(
        seed, proof.c_hat, (proof.t1, proof.t2, proof.t3), proof.t4, proof.t_hat, election=election
    )
    return ShuffleChallenges(seed=seed, u=_challenges(seed, n), c=c)


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
        c_product=_product(proof.c[start:stop]),
        h_product=_product(hs),
        u_product=Scalar(u_product),
        c_tilde=_product(c_tilde),
        h_s_prime=_product(h_s_prime),
        alpha_tilde=tuple(_product(points) for points in alpha_tilde),
        beta_tilde=tuple(_product(points) for points in beta_tilde),
        alpha_prime=tuple(_product(points) for points in alpha_prime),
        beta_prime=tuple(_product(points) for points in beta_prime),
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
