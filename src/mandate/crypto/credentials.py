"""Voting credentials: their written form, parsing, and the keyed hash that is stored.

A credential is 100 random bits written as 20 Crockford base-32 characters in four groups of
five (``7KQ2M-…``): easy to read aloud, no I, L, O or U. Parsing forgives case, spaces, hyphens
and the look-alikes I/L → 1 and O → 0. Only ``HMAC-SHA256(k_contest, credential)`` is stored.
"""

from __future__ import annotations

from mandate.crypto.hashing import keyed_hash
from mandate.errors import CredentialError, InputError

__all__ = [
    "CREDENTIAL_BYTES",
    "contest_credential_key",
    "credential_hash",
    "format_credential",
    "format_tracker",
    "keyed_credential_hash",
    "parse_credential",
    "parse_tracker",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32."""

CREDENTIAL_BYTES = 13
"""Random bytes drawn for a credential (104 bits; 100 are written)."""

CREDENTIAL_CHARS = 20
CREDENTIAL_DOMAIN = "mandate/credential/v1"
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _base32(raw: bytes, chars: int) -> str:
    number = int.from_bytes(raw, "big")
    out = []
    for _ in range(chars):
        out.append(ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(out))


def _grouped(text: str) -> str:
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def format_credential(raw: bytes) -> str:
    """Write random bytes as a credential: 20 characters in groups of five.

    >>> format_credential(bytes(13))
    '00000-00000-00000-00000'
    """
    if len(raw) < CREDENTIAL_BYTES:
        raise ValueError(f"a credential needs {CREDENTIAL_BYTES} random bytes (got {len(raw)})")
    return _grouped(_base32(raw, CREDENTIAL_CHARS))


def format_tracker(raw: bytes) -> str:
    """Write random bytes (10 or more) as a receipt tracker: 16 characters in groups of four.

    >>> format_tracker(bytes(10))
    '0000-0000-0000-0000'
    """
    if len(raw) < 10:
        raise ValueError(f"a tracker needs 10 random bytes (got {len(raw)})")
    text = _base32(raw, 16)
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


TRACKER_CHARS = 16

_TYPED = "[" + ALPHABET + ALPHABET.lower() + "IiLlOo" + "]"
TRACKER_PATTERN = rf"^[\s-]*(?:{_TYPED}[\s-]*){{{TRACKER_CHARS}}}$"
"""What :func:`parse_tracker` accepts, as a regular expression (for the API's schema): 16
characters of Crockford base 32 in either case, the look-alikes I, L and O among them, with
any spaces and hyphens around them."""


def parse_tracker(text: str) -> str:
    """Normalise a receipt tracker as a voter typed or pasted it, forgiving what
    :func:`parse_credential` forgives (case, spaces, hyphens, I/L/O); refuse anything else.

    >>> parse_tracker(" 7kq2 mabc-dEfg hjko ")
    '7KQ2-MABC-DEFG-HJK0'

    Raises:
        InputError: not 16 characters of Crockford base 32 once cleaned up.
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(cleaned) != TRACKER_CHARS or any(c not in ALPHABET for c in cleaned):
        raise InputError(
            "a tracker is 16 letters and digits in four groups of four, as on the receipt "
            f"(e.g. 7KQ2-MABC-DEFG-HJK0); got {text.strip()[:40]!r}"
        )
    return "-".join(cleaned[i : i + 4] for i in range(0, TRACKER_CHARS, 4))


def parse_credential(text: str) -> str:
    """Normalise a credential as a voter typed or pasted it; refuse anything malformed.

    >>> parse_credential(" 7kq2m-abcde fghjk-mnpqr ")
    '7KQ2M-ABCDE-FGHJK-MNPQR'

    Raises:
        CredentialError: not 20 characters of Crockford base 32 once cleaned up.
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(cleaned) != CREDENTIAL_CHARS or any(c not in ALPHABET for c in cleaned):
        raise CredentialError(
            "malformed credential: expected 20 letters and digits in four groups of five "
            "(e.g. 7KQ2M-ABCDE-FGHJK-MNPQR)"
        )
    return _grouped(cleaned)


def credential_hash(key: bytes, credential: str) -> bytes:
    """The stored form of a credential as typed: ``HMAC-SHA256(k, D ‖ parse(credential))``.

    Raises:
        CredentialError: a malformed credential.
    """
    return keyed_credential_hash(key, parse_credential(credential))


def keyed_credential_hash(key: bytes, credential: str) -> bytes:
    """``HMAC-SHA256(k, D ‖ credential)`` of a credential already in its written form."""
    return keyed_hash(key, CREDENTIAL_DOMAIN, credential)


CREDENTIAL_KEY_DOMAIN = "mandate/credential-key/v1"


def contest_credential_key(server_secret: bytes, contest_id: str) -> bytes:
    """A contest's credential key, derived from the server secret:
    ``k_contest = HMAC-SHA256(server_secret, "mandate/credential-key/v1" ‖ contest_id)``.

    The server secret lives in a file outside the data folder (``--secret-file``), so the
    database alone can neither test guessed credentials nor make new ones.

    >>> contest_credential_key(bytes(32), "a") != contest_credential_key(bytes(32), "b")
    True
    """
    return keyed_hash(server_secret, CREDENTIAL_KEY_DOMAIN, contest_id)
