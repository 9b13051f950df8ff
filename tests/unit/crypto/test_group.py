"""The group ristretto255: encodings refused and accepted, arithmetic, generators, hashes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from tests.crypto_strategies import CRYPTO_SETTINGS, nonzero_scalars, scalars

from mandate.crypto.group import (
    GENERATOR_TAG,
    IDENTITY,
    ORDER,
    G,
    H,
    Point,
    Scalar,
    generator,
    hash_to_point,
    hash_to_scalar,
)
from mandate.errors import EncodingError, InputError

# RFC 9496, appendix A.1: the encodings of 0·B … 5·B.
RFC_MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
]

# Encodings RFC 9496 (appendix A.2) says a decoder must refuse, and one with bit 255 set,
# which libsodium 1.0.18 accepts and mandate refuses itself.
BAD_ENCODINGS = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  # non-canonical
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0100000000000000000000000000000000000000000000000000000000000000",  # negative
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",  # not square
    "0000000000000000000000000000000000000000000000000000000000000080",  # bit 255 set
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6",  # g with bit 255
]


@pytest.mark.parametrize(("k", "encoding"), list(enumerate(RFC_MULTIPLES)))
def test_multiples_of_the_generator_match_rfc_9496(k: int, encoding: str) -> None:
    assert (G ** Scalar(k)).hex() == encoding
    assert Point.from_hex(encoding) == G ** Scalar(k)


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_non_canonical_and_non_group_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(EncodingError, match="point: expected the canonical encoding"):
        Point.from_hex(encoding)


@pytest.mark.parametrize(
    "text", ["", "00", RFC_MULTIPLES[1].upper(), RFC_MULTIPLES[1] + "00", " " + RFC_MULTIPLES[1]]
)
def test_point_text_other_than_64_lowercase_hex_digits_is_refused(text: str) -> None:
    with pytest.raises(EncodingError, match="64 lowercase hexadecimal digits"):
        Point.from_hex(text)


def test_an_encoding_error_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Point(b"\x01" * 31)


@pytest.mark.parametrize("value", [ORDER, ORDER + 1, 2**256 - 1])
def test_scalar_encodings_at_or_above_the_order_are_refused_not_reduced(value: int) -> None:
    with pytest.raises(EncodingError, match="canonical encoding"):
        Scalar.from_bytes(value.to_bytes(32, "little"))


def test_scalar_values_outside_the_range_cannot_be_constructed() -> None:
    with pytest.raises(EncodingError):
        Scalar(ORDER)
    with pytest.raises(EncodingError):
        Scalar(-1)


@given(scalars)
@CRYPTO_SETTINGS
def test_scalar_encoding_round_trips(x: Scalar) -> None:
    assert Scalar.from_bytes(x.to_bytes()) == x
    assert Scalar.from_hex(x.hex()) == x


@given(nonzero_scalars, nonzero_scalars)
@CRYPTO_SETTINGS
def test_exponents_add_and_multiply(a: Scalar, b: Scalar) -> None:
    assert (G**a) * (G**b) == G ** (a + b)
    assert (G**a) ** b == G ** (a * b)
    assert (G**a) / (G**b) == G ** (a - b)
    assert Point.from_hex((G**a).hex()) == G**a


@given(nonzero_scalars)
@CRYPTO_SETTINGS
def test_the_identity_is_neutral_and_absorbing(a: Scalar) -> None:
    X = G**a
    assert X * IDENTITY == X
    assert X / X == IDENTITY
    assert X ** Scalar(0) == IDENTITY
    assert IDENTITY**a == IDENTITY
    assert X * X.inverse() == IDENTITY
    assert a * a.inverse() == Scalar(1)


def test_generators_are_distinct_and_unrelated_to_g() -> None:
    assert hash_to_point(GENERATOR_TAG, "h") == H
    made = {G, H, IDENTITY, *(generator(i) for i in range(20))}
    assert len(made) == 23


def test_hashes_are_domain_separated_and_length_prefixed() -> None:
    assert hash_to_scalar("mandate/v1/a", "x") != hash_to_scalar("mandate/v1/b", "x")
    assert hash_to_scalar("t", "ab", "c") != hash_to_scalar("t", "a", "bc")
    assert hash_to_scalar("t", G) == hash_to_scalar("t", G.data)


def test_a_missing_libsodium_is_a_config_error_with_an_install_hint() -> None:
    """Run in a fresh interpreter where the library cannot be found."""
    code = (
        "import ctypes.util\n"
        "ctypes.util.find_library = lambda name: None\n"
        "from mandate.errors import ConfigError\n"
        "try:\n"
        "    import mandate.crypto.group\n"
        "except ConfigError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "install Debian's libsodium23" in out.stdout


def test_the_rest_of_mandate_crypto_does_not_load_libsodium() -> None:
    """Credentials and signatures (used by every contest) work without the verifiable modules."""
    code = "import sys, mandate.crypto\nprint('pysodium' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_huge_text_is_refused_without_being_echoed_whole() -> None:
    with pytest.raises(EncodingError) as caught:
        Point.from_hex("ab" * 100_000)
    assert len(str(caught.value)) < 200
