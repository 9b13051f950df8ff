"""Zero-knowledge proofs and Schnorr signatures (specification §6).

Every proof is a Σ-protocol made non-interactive with strong Fiat–Shamir
(:class:`mandate.crypto.transcript.Transcript`: the whole statement and the election's context
are hashed). The response is always ``s = w − c·x (mod ℓ)``; a proof is sent as (c, s) and the
verifier recomputes the commitments. Random scalars (w, the fake challenges and responses of a
disjunctive proof) are parameters: nothing here draws randomness. A verifier returns nothing
and raises :class:`mandate.errors.ProofError`, naming the proof, when it fails.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext
from mandate.crypto.group import G, Point, Scalar
from mandate.crypto.json_values import object_from_json as _object
from mandate.crypto.json_values import scalar_from_json as _scalar_from_json
from mandate.crypto.json_values import scalars_from_json as _scalars_from_json
from mandate.crypto.transcript import Transcript
from mandate.errors import EncodingError, ProofError

__all__ = [
    "BALLOT_TAG",
    "DECRYPTION_SHARE_TAG",
    "DLOG_TAG",
    "EQUAL_DLOGS_TAGS",
    "MEMBERSHIP_TAG",
    "SIGNATURE_TAG",
    "BallotProof",
    "MembershipProof",
    "SchnorrProof",
    "prove_ballot",
    "prove_decryption_share",
    "prove_dlog",
    "prove_equal_dlogs",
    "prove_membership",
    "sign",
    "verify_ballot",
    "verify_decryption_share",
    "verify_dlog",
    "verify_equal_dlogs",
    "verify_membership",
    "verify_signature",
]

DLOG_TAG = "mandate/v1/proof/dlog"
SIGNATURE_TAG = "mandate/v1/signature"
DECRYPTION_SHARE_TAG = "mandate/v1/proof/decryption-share"
MEMBERSHIP_TAG = "mandate/v1/proof/membership"
EQUAL_DLOGS_TAGS = frozenset({"mandate/v1/proof/channel-key"})
"""The tags the generic equal-discrete-logs proof may be made under (one per purpose)."""
BALLOT_TAG = "mandate/v1/proof/ballot"


def _same(first: Scalar, second: Scalar) -> bool:
    return hmac.compare_digest(first.to_bytes(), second.to_bytes())


def _require_key(X: Point, what: str) -> None:
    if X.is_identity:
        raise ProofError(what, "the public key is the identity element (secret 0)")


@dataclass(frozen=True, slots=True, kw_only=True)
class SchnorrProof:
    """A proof (c, s) with one response: dlog proofs, signatures, decryption shares."""

    c: Scalar
    s: Scalar

    def to_json(self) -> dict[str, str]:
        return {"c": self.c.hex(), "s": self.s.hex()}

    @classmethod
    def from_json(cls, value: object, *, where: str = "proof") -> SchnorrProof:
        fields = _object(value, {"c", "s"}, where)
        return cls(
            c=_scalar_from_json(fields["c"], f"{where}.c"),
            s=_scalar_from_json(fields["s"], f"{where}.s"),
        )


# 6.1 Schnorr proof of knowledge of a discrete log


def _dlog_transcript(X: Point, A: Point, context: bytes) -> Transcript:
    return Transcript(tag=DLOG_TAG, context=context).add("g", G).add("X", X).add("A", A)


def prove_dlog(x: Scalar, *, context: bytes, w: Scalar) -> SchnorrProof:
    """Prove knowledge of x with ``X = g^x``: ``A = g^w``, ``c = Hs(…, g, X, A)``, ``s = w − c·x``.

    >>> from mandate.crypto.group import Scalar
    >>> x = Scalar(7)
    >>> verify_dlog(G ** x, prove_dlog(x, context=b"e", w=Scalar(99)), context=b"e")
    """
    X = G**x
    A = G**w
    c = _dlog_transcript(X, A, context).challenge()
    return SchnorrProof(c=c, s=w - c * x)


def verify_dlog(X: Point, proof: SchnorrProof, *, context: bytes) -> None:
    """Check ``c = Hs(…, g, X, A′)`` with ``A′ = g^s · X^c``; X = O is refused.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _require_key(X, "proof of knowledge")
    A = (G**proof.s) * (X**proof.c)
    if not _same(_dlog_transcript(X, A, context).challenge(), proof.c):
        raise ProofError("proof of knowledge", "the challenge does not match the statement")


# 6.2 Schnorr signature


def _signature_transcript(X: Point, message: bytes, A: Point, context: bytes) -> Transcript:
    return (
        Transcript(tag=SIGNATURE_TAG, context=context)
        .add("X", X)
        .add("message", message)
        .add("A", A)
    )


def sign(x: Scalar, message: bytes, *, context: bytes, w: Scalar) -> SchnorrProof:
    """Sign: ``A = g^w``, ``c = Hs(…, X, message, A)``, ``s = w − c·x``."""
    X = G**x
    A = G**w
    c = _signature_transcript(X, message, A, context).challenge()
    return SchnorrProof(c=c, s=w - c * x)


def verify_signature(X: Point, message: bytes, signature: SchnorrProof, *, context: bytes) -> None:
    """Check ``c = Hs(…, X, message, A′)`` with ``A′ = g^s · X^c``; X = O is refused.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _require_key(X, "signature")
    A = (G**signature.s) * (X**signature.c)
    if not _same(_signature_transcript(X, message, A, context).challenge(), signature.c):
        raise ProofError("signature", "it was not made with this key over this message")


# 6.3 Chaum–Pedersen proof of a decryption share


def _share_transcript(
    X: Point, ciphertext: Ciphertext, F: Point, A: Point, B: Point, context: bytes
) -> Transcript:
    return (
        Transcript(tag=DECRYPTION_SHARE_TAG, context=context)
        .add("X", X)
        .add("alpha", ciphertext.alpha)
        .add("beta", ciphertext.beta)
        .add("F", F)
        .add("A", A)
        .add("B", B)
    )


def prove_decryption_share(
    x: Scalar, ciphertext: Ciphertext, *, context: bytes, w: Scalar
) -> tuple[Point, SchnorrProof]:
    """The share ``F = α^x`` and a proof that ``log_g X = log_α F``.

    ``A = g^w``, ``B = α^w``, ``c = Hs(…, X, α, β, F, A, B)``, ``s = w − c·x``.
    """
    X = G**x
    F = ciphertext.alpha**x
    A = G**w
    B = ciphertext.alpha**w
    c = _share_transcript(X, ciphertext, F, A, B, context).challenge()
    return F, SchnorrProof(c=c, s=w - c * x)


def verify_decryption_share(
    X: Point, ciphertext: Ciphertext, F: Point, proof: SchnorrProof, *, context: bytes
) -> None:
    """Check ``A′ = g^s · X^c``, ``B′ = α^s · F^c`` hash to c.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _require_key(X, "decryption share proof")
    A = (G**proof.s) * (X**proof.c)
    B = (ciphertext.alpha**proof.s) * (F**proof.c)
    if not _same(_share_transcript(X, ciphertext, F, A, B, context).challenge(), proof.c):
        raise ProofError(
            "decryption share proof", "the share is not this key's share of this ciphertext"
        )


def _equal_dlogs_transcript(
    tag: str, X: Point, base: Point, Y: Point, A: Point, B: Point, context: bytes
) -> Transcript:
    if tag not in EQUAL_DLOGS_TAGS:
        raise ValueError(f"{tag!r} is not a tag of an equal-discrete-logs proof")
    return (
        Transcript(tag=tag, context=context)
        .add("g", G)
        .add("X", X)
        .add("base", base)
        .add("Y", Y)
        .add("A", A)
        .add("B", B)
    )


def prove_equal_dlogs(
    x: Scalar, base: Point, *, tag: str, context: bytes, w: Scalar
) -> tuple[Point, SchnorrProof]:
    """``Y = base^x`` and a proof that ``log_g X = log_base Y`` (X = g^x), under ``tag``.

    ``A = g^w``, ``B = base^w``, ``c = Hs(tag, context, g, X, base, Y, A, B)``, ``s = w − c·x``.
    """
    X = G**x
    Y = base**x
    A = G**w
    B = base**w
    c = _equal_dlogs_transcript(tag, X, base, Y, A, B, context).challenge()
    return Y, SchnorrProof(c=c, s=w - c * x)


def verify_equal_dlogs(
    X: Point, base: Point, Y: Point, proof: SchnorrProof, *, tag: str, context: bytes
) -> None:
    """Check ``A′ = g^s · X^c``, ``B′ = base^s · Y^c`` hash to c.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _require_key(X, "equal-discrete-logs proof")
    A = (G**proof.s) * (X**proof.c)
    B = (base**proof.s) * (Y**proof.c)
    if not _same(_equal_dlogs_transcript(tag, X, base, Y, A, B, context).challenge(), proof.c):
        raise ProofError("equal-discrete-logs proof", f"log_g X is not log_base Y ({tag})")


# 6.4 Disjunctive (CDS) proof that a ciphertext encrypts one of a list


@dataclass(frozen=True, slots=True, kw_only=True)
class MembershipProof:
    """``(c₀, s₀, …, cₖ, sₖ)``; in JSON ``{"c": [hex…], "s": [hex…]}``."""

    c: tuple[Scalar, ...]
    s: tuple[Scalar, ...]

    def __post_init__(self) -> None:
        if len(self.c) != len(self.s) or not self.c:
            raise EncodingError("membership proof", "as many challenges as responses, at least 1")

    def to_json(self) -> dict[str, list[str]]:
        return {"c": [c.hex() for c in self.c], "s": [s.hex() for s in self.s]}

    @classmethod
    def from_json(cls, value: object, *, where: str = "proof") -> MembershipProof:
        fields = _object(value, {"c", "s"}, where)
        return cls(
            c=_scalars_from_json(fields["c"], f"{where}.c"),
            s=_scalars_from_json(fields["s"], f"{where}.s"),
        )


def _membership_challenge(
    y: Point,
    ciphertext: Ciphertext,
    allowed: Sequence[int],
    commitments: Sequence[Point],
    context: bytes,
) -> Scalar:
    return (
        Transcript(tag=MEMBERSHIP_TAG, context=context)
        .add("y", y)
        .add("alpha", ciphertext.alpha)
        .add("beta", ciphertext.beta)
        .add_list("M", tuple(allowed))
        .add_list("AB", tuple(commitments))
        .challenge()
    )


def _check_allowed(allowed: Sequence[int]) -> None:
    if not allowed or len(set(allowed)) != len(allowed) or min(allowed) < 0:
        raise ValueError(f"the allowed plaintexts must be distinct integers ≥ 0 (got {allowed})")


def prove_membership(
    y: Point,
    ciphertext: Ciphertext,
    allowed: Sequence[int],
    *,
    index: int,
    r: Scalar,
    context: bytes,
    w: Scalar,
    fakes: Sequence[tuple[Scalar, Scalar]],
) -> MembershipProof:
    """Prove ``(α, β) = (g^r, y^r g^{Mᵢ})`` for some i, without saying which.

    For j ≠ i, with the fake (cⱼ, sⱼ) taken in order from ``fakes``:
    ``Aⱼ = g^sⱼ α^cⱼ``, ``Bⱼ = y^sⱼ (β / g^Mⱼ)^cⱼ``; for i: ``Aᵢ = g^w``, ``Bᵢ = y^w``;
    ``c = Hs(…, y, α, β, M…, A₀, B₀, …)``, ``cᵢ = c − Σ_{j≠i} cⱼ``, ``sᵢ = w − r·cᵢ``.
    """
    _check_allowed(allowed)
    if not 0 <= index < len(allowed):
        raise ValueError(f"index {index} is not a position in the allowed list")
    if len(fakes) != len(allowed) - 1:
        raise ValueError(f"need {len(allowed) - 1} fake (c, s) pairs (got {len(fakes)})")
    challenges: list[Scalar] = []
    responses: list[Scalar] = []
    commitments: list[Point] = []
    remaining = iter(fakes)
    for j, M in enumerate(allowed):
        if j == index:
            challenges.append(Scalar(0))
            responses.append(Scalar(0))
            commitments += [G**w, y**w]
            continue
        c_j, s_j = next(remaining)
        shifted = ciphertext.beta / (G ** Scalar.reduce(M))
        challenges.append(c_j)
        responses.append(s_j)
        commitments += [(G**s_j) * (ciphertext.alpha**c_j), (y**s_j) * (shifted**c_j)]
    c = _membership_challenge(y, ciphertext, allowed, commitments, context)
    c_i = c
    for j, c_j in enumerate(challenges):
        if j != index:
            c_i = c_i - c_j
    challenges[index] = c_i
    responses[index] = w - r * c_i
    return MembershipProof(c=tuple(challenges), s=tuple(responses))


def verify_membership(
    y: Point,
    ciphertext: Ciphertext,
    allowed: Sequence[int],
    proof: MembershipProof,
    *,
    context: bytes,
) -> None:
    """Check ``Σⱼ cⱼ = Hs(…)`` with ``Aⱼ = g^sⱼ α^cⱼ``, ``Bⱼ = y^sⱼ (β / g^Mⱼ)^cⱼ``.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _check_allowed(allowed)
    _require_key(y, "membership proof")
    if len(proof.c) != len(allowed):
        raise ProofError(
            "membership proof", f"{len(proof.c)} branches for {len(allowed)} allowed values"
        )
    commitments: list[Point] = []
    total = Scalar(0)
    for M, c_j, s_j in zip(allowed, proof.c, proof.s, strict=True):
        shifted = ciphertext.beta / (G ** Scalar.reduce(M))
        commitments += [(G**s_j) * (ciphertext.alpha**c_j), (y**s_j) * (shifted**c_j)]
        total = total + c_j
    if not _same(_membership_challenge(y, ciphertext, allowed, commitments, context), total):
        raise ProofError(
            "membership proof", f"the ciphertext is not shown to encrypt one of {list(allowed)}"
        )


# 6.5 The ballot proof: knowledge of every position's randomness


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotProof:
    """``(c, s₁, …, s_P)``; in JSON ``{"c": hex, "s": [hex…]}``."""

    c: Scalar
    s: tuple[Scalar, ...]

    def to_json(self) -> dict[str, object]:
        return {"c": self.c.hex(), "s": [s.hex() for s in self.s]}

    @classmethod
    def from_json(cls, value: object, *, where: str = "proof") -> BallotProof:
        fields = _object(value, {"c", "s"}, where)
        return cls(
            c=_scalar_from_json(fields["c"], f"{where}.c"),
            s=_scalars_from_json(fields["s"], f"{where}.s"),
        )


def _ballot_challenge(
    y: Point, ciphertexts: Sequence[Ciphertext], commitments: Sequence[Point], context: bytes
) -> Scalar:
    points = tuple(p for ct in ciphertexts for p in (ct.alpha, ct.beta))
    return (
        Transcript(tag=BALLOT_TAG, context=context)
        .add("y", y)
        .add_list("ciphertexts", points)
        .add_list("A", tuple(commitments))
        .challenge()
    )


def prove_ballot(
    y: Point,
    ciphertexts: Sequence[Ciphertext],
    rs: Sequence[Scalar],
    *,
    context: bytes,
    ws: Sequence[Scalar],
) -> BallotProof:
    """Prove knowledge of every rₚ with ``αₚ = g^rₚ`` under one challenge.

    ``Aₚ = g^wₚ``, ``c = Hs(…, y, α₁, β₁, …, A₁, …)``, ``sₚ = wₚ − c·rₚ``.
    """
    if not len(ciphertexts) == len(rs) == len(ws):
        raise ValueError("one randomness r and one w for each ciphertext")
    commitments = [G**w for w in ws]
    c = _ballot_challenge(y, ciphertexts, commitments, context)
    return BallotProof(c=c, s=tuple(w - c * r for w, r in zip(ws, rs, strict=True)))


def verify_ballot(
    y: Point, ciphertexts: Sequence[Ciphertext], proof: BallotProof, *, context: bytes
) -> None:
    """Check ``c = Hs(…, A₁′, …)`` with ``Aₚ′ = g^sₚ · αₚ^c``.

    Raises:
        ProofError: the proof does not verify, or the public key is O (names the proof).
    """
    _require_key(y, "ballot proof")
    if len(proof.s) != len(ciphertexts):
        raise ProofError(
            "ballot proof", f"{len(proof.s)} responses for {len(ciphertexts)} positions"
        )
    commitments = [(G**s) * (ct.alpha**proof.c) for ct, s in zip(ciphertexts, proof.s, strict=True)]
    if not _same(_ballot_challenge(y, ciphertexts, commitments, context), proof.c):
        raise ProofError(
            "ballot proof", "it does not show knowledge of these ciphertexts' randomness here"
        )
