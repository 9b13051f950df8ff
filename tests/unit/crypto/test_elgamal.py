"""Exponential ElGamal: encryption, re-encryption, addition, decryption, ciphertext JSON."""

from __future__ import annotations

import pytest

from mandate.crypto.elgamal import (
    Ciphertext,
    add,
    decrypt,
    decrypt_point,
    discrete_log,
    encrypt,
    public_key,
    reencrypt,
)
from mandate.crypto.group import G, Scalar
from mandate.errors import EncodingError, PlaintextRangeError

x = Scalar(123456789)
y = public_key(x)


def test_encryption_is_g_r_and_y_r_g_m() -> None:
    r = Scalar(42)
    ciphertext = encrypt(y, 5, r)
    assert ciphertext.alpha == G**r
    assert ciphertext.beta == (y**r) * (G ** Scalar(5))


@pytest.mark.parametrize("m", [0, 1, 2, 9, 10, 99, 1000])
def test_decryption_finds_the_plaintext(m: int) -> None:
    assert decrypt(x, encrypt(y, m, Scalar(7)), bound=1000) == m


def test_a_plaintext_above_the_bound_is_reported_not_guessed() -> None:
    ciphertext = encrypt(y, 11, Scalar(7))
    with pytest.raises(PlaintextRangeError, match="no m between 0 and 10") as caught:
        decrypt(x, ciphertext, bound=10)
    assert caught.value.point_hex == (G ** Scalar(11)).hex()
    assert discrete_log(decrypt_point(x, ciphertext), bound=11) == 11


def test_re_encryption_and_addition_keep_plaintexts() -> None:
    first = encrypt(y, 3, Scalar(5))
    second = encrypt(y, 4, Scalar(6))
    assert decrypt(x, reencrypt(y, first, Scalar(77)), bound=20) == 3
    assert reencrypt(y, first, Scalar(77)) == encrypt(y, 3, Scalar(5 + 77))
    assert add(first, second) == encrypt(y, 7, Scalar(11))


def test_a_secret_key_of_zero_and_a_negative_plaintext_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be 0"):
        public_key(Scalar(0))
    with pytest.raises(ValueError, match="0 or more"):
        encrypt(y, -1, Scalar(1))


def test_ciphertext_json_round_trips() -> None:
    ciphertext = encrypt(y, 2, Scalar(9))
    assert Ciphertext.from_json(ciphertext.to_json()) == ciphertext


@pytest.mark.parametrize(
    "value",
    [
        {"alpha": "00" * 32},
        {"alpha": "00" * 32, "beta": "00" * 32, "gamma": "00" * 32},
        {"alpha": "00" * 32, "beta": "ff" * 32},
        {"alpha": "00" * 32, "beta": 7},
    ],
)
def test_malformed_ciphertext_json_is_refused_naming_where(value: dict[str, object]) -> None:
    with pytest.raises(EncodingError, match=r"^position 3"):
        Ciphertext.from_json(value, where="position 3")
