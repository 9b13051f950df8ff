"""The published test vectors (docs/verifiable-vectors.json) are what the code computes, and
every proof in them verifies."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from tests.crypto_records import CHECKS

from mandate.crypto.ballot import (
    BallotSetup,
    EncryptedBallot,
    check_audit,
    check_ballot,
    credential_key,
    ranking_from_positions,
)
from mandate.crypto.channel import ChannelKeyReveal, SealedShare, settle_complaint
from mandate.crypto.elgamal import Ciphertext, decrypt, encrypt, public_key, reencrypt
from mandate.crypto.group import G, Point, Scalar
from mandate.crypto.proofs import SchnorrProof
from mandate.crypto.shuffle import Shuffle
from mandate.crypto.shuffle_verification import shuffle_challenges
from mandate.crypto.threshold import (
    DealerCommitments,
    DecryptionShare,
    combine_shares,
    election_public_key,
    verification_key,
    verify_dealer,
)
from mandate.errors import EncodingError

ROOT = Path(__file__).resolve().parents[3]
PUBLISHED = ROOT / "docs" / "verifiable-vectors.json"


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "crypto_vectors", ROOT / "scripts" / "crypto_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VECTORS = json.loads(PUBLISHED.read_text(encoding="utf-8"))


def test_the_published_vectors_are_what_the_code_computes() -> None:
    """If not: ``.venv/bin/python scripts/crypto_vectors.py > docs/verifiable-vectors.json``."""
    assert _load_script().vectors() == VECTORS


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_published_proof_verifies(kind: str) -> None:
    CHECKS[kind](VECTORS["proofs"][kind])


def test_published_bad_encodings_are_refused() -> None:
    for text in VECTORS["group"]["bad_points"]:
        with pytest.raises(EncodingError):
            Point.from_hex(text)
    for text in VECTORS["group"]["bad_scalars"]:
        with pytest.raises(EncodingError):
            Scalar.from_hex(text)


def test_published_encryptions_decrypt_and_re_encrypt() -> None:
    for case in VECTORS["elgamal"]:
        x = Scalar.from_hex(case["x"])
        y = public_key(x)
        ciphertext = encrypt(y, case["m"], Scalar.from_hex(case["r"]))
        assert ciphertext == Ciphertext.from_json(case["ciphertext"])
        again = reencrypt(y, ciphertext, Scalar.from_hex(case["reencryption"]["r"]))
        assert again.to_json() == case["reencryption"]["ciphertext"]
        assert decrypt(x, again, bound=10) == case["m"]


def test_the_published_threshold_decryption_checks_from_public_data_alone() -> None:
    v = VECTORS["threshold"]
    election = bytes.fromhex(v["election"])
    dealers = [
        DealerCommitments(
            trustee=d["published"]["trustee"],
            commitments=tuple(Point.from_hex(A) for A in d["published"]["commitments"]),
            proof=SchnorrProof.from_json(d["published"]["proof"]),
        )
        for d in v["dealers"]
    ]
    for dealer in dealers:
        verify_dealer(dealer, threshold=v["t"], election=election)
    assert election_public_key(dealers).hex() == v["y"]
    keys = {int(j): verification_key(dealers, int(j)) for j in v["verification_keys"]}
    assert {str(j): Y.hex() for j, Y in keys.items()} == v["verification_keys"]
    d = v["decryption"]
    shares = [
        DecryptionShare(
            trustee=s["trustee"],
            factor=Point.from_hex(s["factor"]),
            proof=SchnorrProof.from_json(s["proof"]),
        )
        for s in d["shares"]
    ]
    M = combine_shares(
        Ciphertext.from_json(d["ciphertext"]),
        shares,
        verification_keys=keys,
        threshold=v["t"],
        context=election,
    )
    assert M.hex() == d["M"]


def test_the_published_ballot_checks_and_decrypts_to_its_ranking() -> None:
    v = VECTORS["ballot"]
    setup = BallotSetup(
        election=bytes.fromhex(v["election"]),
        public_key=Point.from_hex(v["y"]),
        candidates=v["candidates"],
        positions=v["positions"],
    )
    ballot = EncryptedBallot.from_json(v["ballot"])
    check_ballot(setup, ballot)
    assert ballot.tracker() == v["tracker"]
    assert G ** credential_key(setup.election, v["credential"]) == ballot.credential
    x = Scalar.from_hex(v["election_secret_key"])
    values = [decrypt(x, ct, bound=v["candidates"]) for ct in ballot.positions]
    assert list(ranking_from_positions(values, candidates=v["candidates"])) == v["ranking"]
    check_audit(
        setup, ballot, ranking=v["ranking"], randomness=[Scalar.from_hex(r) for r in v["r"]]
    )


def test_the_published_channel_cases_settle_as_published() -> None:
    cv = VECTORS["channel"]
    election = bytes.fromhex(cv["election"])
    commitments = [Point.from_hex(A) for A in cv["dealer_commitments"]]
    for case in cv["cases"]:
        s = case["sealed"]
        sealed = SealedShare(
            dealer=s["dealer"],
            receiver=s["receiver"],
            R=Point.from_hex(s["R"]),
            box=bytes.fromhex(s["box"]),
        )
        reveal = ChannelKeyReveal(
            K=Point.from_hex(case["reveal"]["K"]),
            proof=SchnorrProof.from_json(case["reveal"]["proof"]),
        )
        verdict = settle_complaint(
            sealed,
            reveal,
            election=election,
            receiver_key=Point.from_hex(cv["receiver_key"]),
            dealer_commitments=commitments,
        )
        assert verdict.value == case["at_fault"]


def test_the_published_shuffle_keeps_every_ballot_and_its_derived_values_hold() -> None:
    """§12: σ, the uᵢ and c are what the verifier derives; the outputs decrypt to the inputs'
    values in ψ's order (output i holds input ψ(i)'s values)."""
    v = VECTORS["proofs"]["shuffle"]
    y = Point.from_hex(v["y"])
    inputs = [[Ciphertext.from_json(ct) for ct in ballot] for ballot in v["ciphertexts"]]
    mixed = Shuffle.from_json(v["shuffle"])
    derived = shuffle_challenges(
        y,
        inputs,
        mixed,
        election=bytes.fromhex(v["context"]),
        voter_class=v["class"],
        trustee=v["trustee"],
        positions=v["positions"],
    )
    assert derived.seed.hex() == v["seed"]
    assert [u.hex() for u in derived.u] == v["u"]
    assert derived.c.hex() == v["challenge"]
    x = Scalar.from_hex(v["inputs"]["x"])
    held = [[decrypt(x, ct, bound=4) for ct in ballot] for ballot in mixed.ciphertexts]
    assert held == [v["inputs"]["values"][j - 1] for j in v["inputs"]["permutation_from_1"]]
