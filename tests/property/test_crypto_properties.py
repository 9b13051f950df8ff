"""Properties of mandate.crypto over random keys, plaintexts, randomness and contexts."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mandate.crypto.elgamal import add, decrypt, encrypt, public_key, reencrypt
from mandate.crypto.group import Scalar
from mandate.crypto.proofs import (
    prove_ballot,
    prove_decryption_share,
    prove_dlog,
    prove_membership,
    sign,
    verify_ballot,
    verify_decryption_share,
    verify_dlog,
    verify_membership,
    verify_signature,
)
from mandate.crypto.threshold import (
    combine_shares,
    deal,
    decryption_share,
    election_public_key,
    secret_share,
    verification_key,
)
from mandate.errors import MandateError, ProofError
from tests.crypto_records import CHECKS, make_records, tampered
from tests.crypto_strategies import (
    CRYPTO_SETTINGS,
    contexts,
    nonzero_scalars,
    small_plaintexts,
)

BOUND = 40


@given(nonzero_scalars, small_plaintexts, nonzero_scalars)
@CRYPTO_SETTINGS
def test_decryption_inverts_encryption(x: Scalar, m: int, r: Scalar) -> None:
    assert decrypt(x, encrypt(public_key(x), m, r), bound=BOUND) == m


@given(nonzero_scalars, small_plaintexts, nonzero_scalars, nonzero_scalars)
@CRYPTO_SETTINGS
def test_re_encryption_preserves_the_plaintext(x: Scalar, m: int, r: Scalar, r2: Scalar) -> None:
    y = public_key(x)
    first = encrypt(y, m, r)
    again = reencrypt(y, first, r2)
    assert again != first
    assert decrypt(x, again, bound=BOUND) == m


@given(nonzero_scalars, small_plaintexts, small_plaintexts, nonzero_scalars, nonzero_scalars)
@CRYPTO_SETTINGS
def test_ciphertexts_add_their_plaintexts(
    x: Scalar, m1: int, m2: int, r1: Scalar, r2: Scalar
) -> None:
    y = public_key(x)
    assert decrypt(x, add(encrypt(y, m1, r1), encrypt(y, m2, r2)), bound=BOUND) == m1 + m2


@given(nonzero_scalars, nonzero_scalars, contexts, contexts)
@CRYPTO_SETTINGS
def test_dlog_proofs_verify_in_their_context_only(
    x: Scalar, w: Scalar, context: bytes, other: bytes
) -> None:
    X = public_key(x)
    proof = prove_dlog(x, context=context, w=w)
    verify_dlog(X, proof, context=context)
    assume(other != context)
    with pytest.raises(ProofError):
        verify_dlog(X, proof, context=other)


@given(nonzero_scalars, nonzero_scalars, st.binary(max_size=64), st.binary(max_size=64))
@CRYPTO_SETTINGS
def test_signatures_verify_their_message_only(
    x: Scalar, w: Scalar, message: bytes, other: bytes
) -> None:
    signature = sign(x, message, context=b"e", w=w)
    verify_signature(public_key(x), message, signature, context=b"e")
    assume(other != message)
    with pytest.raises(ProofError):
        verify_signature(public_key(x), other, signature, context=b"e")


@given(nonzero_scalars, nonzero_scalars, small_plaintexts, nonzero_scalars, nonzero_scalars)
@CRYPTO_SETTINGS
def test_decryption_share_proofs_verify_and_bind_the_share(
    x: Scalar, key: Scalar, m: int, r: Scalar, w: Scalar
) -> None:
    ciphertext = encrypt(public_key(key), m, r)
    F, proof = prove_decryption_share(x, ciphertext, context=b"e", w=w)
    verify_decryption_share(public_key(x), ciphertext, F, proof, context=b"e")
    with pytest.raises(ProofError):
        verify_decryption_share(public_key(x), ciphertext, F * F, proof, context=b"e")


@given(
    nonzero_scalars,
    st.lists(st.integers(0, 12), min_size=1, max_size=5, unique=True),
    st.data(),
)
@CRYPTO_SETTINGS
def test_membership_proofs_verify_for_every_allowed_value(
    key: Scalar, allowed: list[int], data: st.DataObject
) -> None:
    y = public_key(key)
    index = data.draw(st.integers(0, len(allowed) - 1))
    r = data.draw(nonzero_scalars)
    ciphertext = encrypt(y, allowed[index], r)
    fakes = [(data.draw(nonzero_scalars), data.draw(nonzero_scalars)) for _ in allowed[1:]]
    proof = prove_membership(
        y,
        ciphertext,
        allowed,
        index=index,
        r=r,
        context=b"e",
        w=data.draw(nonzero_scalars),
        fakes=fakes,
    )
    verify_membership(y, ciphertext, allowed, proof, context=b"e")


@given(nonzero_scalars, st.lists(st.integers(0, 10), min_size=1, max_size=10), st.data())
@CRYPTO_SETTINGS
def test_ballot_proofs_verify_for_any_positions(
    key: Scalar, values: list[int], data: st.DataObject
) -> None:
    y = public_key(key)
    rs = [data.draw(nonzero_scalars) for _ in values]
    ws = [data.draw(nonzero_scalars) for _ in values]
    positions = [encrypt(y, v, r) for v, r in zip(values, rs, strict=True)]
    verify_ballot(y, positions, prove_ballot(y, positions, rs, context=b"c", ws=ws), context=b"c")


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n))), st.data())
@CRYPTO_SETTINGS
def test_any_t_of_n_trustees_decrypt(n_t: tuple[int, int], data: st.DataObject) -> None:
    n, t = n_t
    dealers = []
    shares: dict[int, dict[int, Scalar]] = {}
    for i in range(1, n + 1):
        coefficients = [data.draw(nonzero_scalars) for _ in range(t)]
        dealer, shares[i] = deal(
            i, coefficients, trustees=n, election=b"e", w=data.draw(nonzero_scalars)
        )
        dealers.append(dealer)
    y = election_public_key(dealers)
    m = data.draw(small_plaintexts)
    ciphertext = encrypt(y, m, data.draw(nonzero_scalars))
    present = data.draw(st.lists(st.integers(1, n), min_size=t, max_size=n, unique=True))
    keys = {j: verification_key(dealers, j) for j in range(1, n + 1)}
    factors = [
        decryption_share(
            j,
            secret_share({i: shares[i][j] for i in shares}),
            ciphertext,
            context=b"e",
            w=data.draw(nonzero_scalars),
        )
        for j in present
    ]
    M = combine_shares(ciphertext, factors, verification_keys=keys, threshold=t, context=b"e")
    assert encrypt(y, m, Scalar(0)).beta == M


@given(st.sampled_from(sorted(CHECKS)), st.data())
@CRYPTO_SETTINGS
def test_a_fresh_proof_with_one_field_changed_is_refused(kind: str, data: st.DataObject) -> None:
    """Random proofs of every kind; one of their records' changes, chosen at random, is refused."""
    record = make_records(lambda: data.draw(nonzero_scalars))[kind]
    CHECKS[kind](record)
    variants = list(tampered(record, kind))
    _, changed = data.draw(st.sampled_from(variants))
    with pytest.raises((MandateError, ValueError)):
        CHECKS[kind](changed)
