"""The trustees' private channel for key-generation shares, and public complaints (spec §7.5).

Dealer i sends trustee j its share sᵢⱼ through the administrator, sealed to j's channel key
Eⱼ = g^{eⱼ}: with a fresh ρ, ``R = g^ρ``, ``K = Eⱼ^ρ``,
``key = H("mandate/v1/dkg/channel", φ, i, j, R, K)[:32]`` and the sealed box
``ChaCha20-Poly1305(key, nonce = 12 zero bytes, aad = encode("mandate/v1/dkg/channel", φ, i, j),
sᵢⱼ)`` (each key seals one message only, so the fixed nonce is never reused). Trustee j opens
it with ``K = R^{eⱼ}``.

A complaint is settled in public without trusting either side: j publishes K with a proof that
``log_g Eⱼ = log_R K`` (:func:`reveal_channel_key`); anyone then opens the box and checks the
share against dealer i's commitments (:func:`settle_complaint`). If the share is wrong (or the
box does not open), the dealer is at fault; if it is right, the complaint was false.

ρ and every w are parameters; nothing here draws randomness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from mandate.crypto.group import G, Point, Scalar, hash_sha512
from mandate.crypto.hashing import encode_parts
from mandate.crypto.proofs import SchnorrProof, prove_equal_dlogs, verify_equal_dlogs
from mandate.crypto.threshold import share_is_valid
from mandate.errors import EncodingError, ProofError, VerificationError

__all__ = [
    "CHANNEL_KEY_PROOF_TAG",
    "CHANNEL_TAG",
    "AtFault",
    "ChannelKeyReveal",
    "SealedShare",
    "open_share",
    "reveal_channel_key",
    "seal_share",
    "settle_complaint",
]

CHANNEL_TAG = "mandate/v1/dkg/channel"
CHANNEL_KEY_PROOF_TAG = "mandate/v1/proof/channel-key"
_NONCE = bytes(12)


class AtFault(Enum):
    """Who a settled complaint finds at fault."""

    DEALER = "dealer"
    """The share does not open, or does not match the dealer's commitments."""
    RECEIVER = "receiver"
    """The share is right: the complaint was false."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedShare:
    """Dealer i's share for trustee j, sealed: ``R = g^ρ`` and the 48-byte box."""

    dealer: int
    receiver: int
    R: Point
    box: bytes

    def to_json(self) -> dict[str, object]:
        return {
            "dealer": self.dealer,
            "receiver": self.receiver,
            "R": self.R.hex(),
            "box": self.box.hex(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelKeyReveal:
    """Trustee j's ``K = R^{eⱼ}`` for one sealed share, with its proof."""

    K: Point
    proof: SchnorrProof


def _aad(election: bytes, dealer: int, receiver: int) -> bytes:
    return encode_parts(CHANNEL_TAG, election, dealer, receiver)


def _key(election: bytes, dealer: int, receiver: int, R: Point, K: Point) -> bytes:
    return hash_sha512(CHANNEL_TAG, election, dealer, receiver, R, K)[:32]


def _context(election: bytes, sealed: SealedShare) -> bytes:
    return encode_parts(CHANNEL_TAG, election, sealed.dealer, sealed.receiver, sealed.R.data)


def seal_share(
    share: Scalar,
    *,
    election: bytes,
    dealer: int,
    receiver: int,
    receiver_key: Point,
    rho: Scalar,
) -> SealedShare:
    """Seal sᵢⱼ to Eⱼ: ``R = g^ρ``, ``K = Eⱼ^ρ``, box = ChaCha20-Poly1305 under H(…, R, K)."""
    if receiver_key.is_identity or rho.value == 0:
        raise ValueError("a channel key and ρ must not be the identity or 0")
    R = G**rho
    K = receiver_key**rho
    box = ChaCha20Poly1305(_key(election, dealer, receiver, R, K)).encrypt(
        _NONCE, share.to_bytes(), _aad(election, dealer, receiver)
    )
    return SealedShare(dealer=dealer, receiver=receiver, R=R, box=box)


def _open_with(sealed: SealedShare, K: Point, election: bytes) -> Scalar:
    try:
        plain = ChaCha20Poly1305(
            _key(election, sealed.dealer, sealed.receiver, sealed.R, K)
        ).decrypt(_NONCE, sealed.box, _aad(election, sealed.dealer, sealed.receiver))
    except InvalidTag:
        raise VerificationError(
            f"the share from trustee {sealed.dealer} to trustee {sealed.receiver} "
            "does not open: it was not sealed to this key, or it was changed"
        ) from None
    try:
        return Scalar.from_bytes(plain)
    except EncodingError:
        raise VerificationError(
            f"the share from trustee {sealed.dealer} to trustee {sealed.receiver} "
            "opens to something that is not a scalar"
        ) from None


def open_share(sealed: SealedShare, *, election: bytes, receiver_secret: Scalar) -> Scalar:
    """Trustee j opens its share with ``K = R^{eⱼ}``.

    Raises:
        VerificationError: the box does not open or holds no scalar (a complaint follows).
    """
    return _open_with(sealed, sealed.R**receiver_secret, election)


def reveal_channel_key(
    sealed: SealedShare, *, election: bytes, receiver_secret: Scalar, w: Scalar
) -> ChannelKeyReveal:
    """For a complaint: ``K = R^{eⱼ}`` and a proof that ``log_g Eⱼ = log_R K``.

    Revealing K opens this one box to everyone and nothing else: K depends on ρ.
    """
    K, proof = prove_equal_dlogs(
        receiver_secret,
        sealed.R,
        tag=CHANNEL_KEY_PROOF_TAG,
        context=_context(election, sealed),
        w=w,
    )
    return ChannelKeyReveal(K=K, proof=proof)


def settle_complaint(
    sealed: SealedShare,
    reveal: ChannelKeyReveal,
    *,
    election: bytes,
    receiver_key: Point,
    dealer_commitments: Sequence[Point],
) -> AtFault:
    """Who is at fault in trustee j's complaint against dealer i, from public data alone.

    Raises:
        ProofError: the receiver's K is not proved (the complaint is not made; ask again).
    """
    try:
        verify_equal_dlogs(
            receiver_key,
            sealed.R,
            reveal.K,
            reveal.proof,
            tag=CHANNEL_KEY_PROOF_TAG,
            context=_context(election, sealed),
        )
    except ProofError as error:
        raise ProofError(
            f"trustee {sealed.receiver}'s channel key for the share from trustee {sealed.dealer}",
            error.detail,
        ) from None
    try:
        share = _open_with(sealed, reveal.K, election)
    except VerificationError:
        return AtFault.DEALER
    if not share_is_valid(dealer_commitments, sealed.receiver, share):
        return AtFault.DEALER
    return AtFault.RECEIVER
