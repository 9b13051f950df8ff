"""Properties of the mix (docs/verifiable.md §12): an honest shuffle verifies and keeps every
ballot; every way of changing its outputs or its proof is refused."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
from collections import Counter
from typing import Any, TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mandate.crypto.elgamal import Ciphertext, decrypt, encrypt, reencrypt
from mandate.crypto.group import G, Scalar
from mandate.crypto.shuffle import (
    Shuffle,
    ShuffleRandomness,
    commit_shuffle,
    finish_proof,
    proof_products,
    prove_shuffle,
    shuffle_ballots,
    shuffle_outputs,
)
from mandate.crypto.shuffle_verification import (
    check_shuffle_products,
    shuffle_challenges,
    shuffle_products,
    verify_shuffle,
)
from mandate.errors import EncodingError, MandateError, ProofError
from tests.crypto_strategies import (
    CRYPTO_SETTINGS,
    ShuffleCase,
    nonzero_scalars,
    shuffle_cases,
)

ELECTION = bytes(range(32))
CLASS = "member"
TRUSTEE = 2

T = TypeVar("T")


def _mix(case: ShuffleCase) -> Shuffle:
    return shuffle_ballots(
        case.y,
        case.inputs,
        case.randomness,
        election=ELECTION,
        voter_class=CLASS,
        trustee=TRUSTEE,
    )


def _verify(
    case: ShuffleCase,
    mixed: Shuffle,
    *,
    inputs: Any = None,
    election: bytes = ELECTION,
    voter_class: str = CLASS,
    trustee: int = TRUSTEE,
) -> None:
    verify_shuffle(
        case.y,
        case.inputs if inputs is None else inputs,
        mixed,
        election=election,
        voter_class=voter_class,
        trustee=trustee,
        positions=case.positions,
    )


def _with_outputs(mixed: Shuffle, outputs: list[tuple[Ciphertext, ...]]) -> Shuffle:
    return dataclasses.replace(mixed, ciphertexts=tuple(outputs))


def _plaintexts(case: ShuffleCase, ballots: tuple[tuple[Ciphertext, ...], ...]) -> Counter[Any]:
    return Counter(tuple(decrypt(case.x, ct, bound=20) for ct in ballot) for ballot in ballots)


@given(shuffle_cases())
@CRYPTO_SETTINGS
def test_an_honest_shuffle_verifies_and_keeps_every_ballot(case: ShuffleCase) -> None:
    mixed = _mix(case)
    _verify(case, mixed)
    assert _plaintexts(case, mixed.ciphertexts) == Counter(case.values)
    assert Shuffle.from_json(mixed.to_json()) == mixed


@given(shuffle_cases(min_ballots=1), st.data())
@CRYPTO_SETTINGS
def test_a_changed_output_ciphertext_is_refused(case: ShuffleCase, data: st.DataObject) -> None:
    mixed = _mix(case)
    i = data.draw(st.integers(0, len(mixed.ciphertexts) - 1), label="ballot")
    p = data.draw(st.integers(0, case.positions - 1), label="position")
    part = data.draw(st.sampled_from(("alpha", "beta")), label="part")
    ct = mixed.ciphertexts[i][p]
    changed = dataclasses.replace(ct, **{part: getattr(ct, part) * G})
    outputs = list(mixed.ciphertexts)
    outputs[i] = (*outputs[i][:p], changed, *outputs[i][p + 1 :])
    with pytest.raises(ProofError):
        _verify(case, _with_outputs(mixed, outputs))


@given(shuffle_cases(min_ballots=1), nonzero_scalars, st.data())
@CRYPTO_SETTINGS
def test_an_output_re_encrypted_again_is_refused(
    case: ShuffleCase, r: Scalar, data: st.DataObject
) -> None:
    """The same plaintext, but not the ciphertext the proof was made for."""
    mixed = _mix(case)
    i = data.draw(st.integers(0, len(mixed.ciphertexts) - 1), label="ballot")
    outputs = list(mixed.ciphertexts)
    outputs[i] = tuple(
        Ciphertext(alpha=ct.alpha * G**r, beta=ct.beta * case.y**r) for ct in outputs[i]
    )
    with pytest.raises(ProofError):
        _verify(case, _with_outputs(mixed, outputs))


@given(shuffle_cases(min_ballots=2), st.data())
@CRYPTO_SETTINGS
def test_two_outputs_swapped_with_the_proof_kept_are_refused(
    case: ShuffleCase, data: st.DataObject
) -> None:
    mixed = _mix(case)
    n = len(mixed.ciphertexts)
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    outputs = list(mixed.ciphertexts)
    assume(outputs[i] != outputs[j])
    outputs[i], outputs[j] = outputs[j], outputs[i]
    with pytest.raises(ProofError):
        _verify(case, _with_outputs(mixed, outputs))


@given(shuffle_cases(min_ballots=1), st.data())
@CRYPTO_SETTINGS
def test_a_dropped_output_is_refused(case: ShuffleCase, data: st.DataObject) -> None:
    """Dropped from the entry's JSON with the proof kept: refused on reading, naming the list.
    Dropped with the proof's per-ballot values too: refused by the verifier (N differs)."""
    mixed = _mix(case)
    i = data.draw(st.integers(0, len(mixed.ciphertexts) - 1), label="ballot")
    entry: Any = mixed.to_json()
    entry["ciphertexts"] = [b for n, b in enumerate(entry["ciphertexts"]) if n != i]
    with pytest.raises(EncodingError, match="ciphertexts"):
        Shuffle.from_json(entry)
    proof = mixed.proof

    def drop(values: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(v for n, v in enumerate(values) if n != i)

    short = dataclasses.replace(
        proof,
        c=drop(proof.c),
        c_hat=drop(proof.c_hat),
        t_hat=drop(proof.t_hat),
        s_hat=drop(proof.s_hat),
        s_prime=drop(proof.s_prime),
    )
    outputs = tuple(b for n, b in enumerate(mixed.ciphertexts) if n != i)
    with pytest.raises(ProofError, match="ballots for"):
        _verify(case, Shuffle(voter_class=CLASS, trustee=TRUSTEE, ciphertexts=outputs, proof=short))


@given(shuffle_cases(), st.data())
@CRYPTO_SETTINGS
def test_an_added_output_is_refused(case: ShuffleCase, data: st.DataObject) -> None:
    mixed = _mix(case)
    extra = tuple(encrypt(case.y, 1, data.draw(nonzero_scalars)) for _ in range(case.positions))
    entry: Any = mixed.to_json()
    entry["ciphertexts"] = [*entry["ciphertexts"], [ct.to_json() for ct in extra]]
    with pytest.raises(EncodingError, match="ciphertexts"):
        Shuffle.from_json(entry)
    with pytest.raises(EncodingError):
        _with_outputs(mixed, [*mixed.ciphertexts, extra])


@given(shuffle_cases(min_ballots=1), st.data())
@CRYPTO_SETTINGS
def test_the_proof_of_other_inputs_is_refused(case: ShuffleCase, data: st.DataObject) -> None:
    """The verifier is given one input ballot fewer, or one input changed."""
    mixed = _mix(case)
    i = data.draw(st.integers(0, len(case.inputs) - 1), label="ballot")
    with pytest.raises(ProofError):
        _verify(case, mixed, inputs=[b for n, b in enumerate(case.inputs) if n != i])
    inputs = list(case.inputs)
    first = inputs[i][0]
    inputs[i] = (dataclasses.replace(first, beta=first.beta * G), *inputs[i][1:])
    with pytest.raises(ProofError):
        _verify(case, mixed, inputs=inputs)


@given(shuffle_cases(min_ballots=1), st.data())
@CRYPTO_SETTINGS
def test_a_ballot_replaced_by_an_encryption_of_another_ranking_is_refused(
    case: ShuffleCase, data: st.DataObject
) -> None:
    mixed = _mix(case)
    i = data.draw(st.integers(0, len(mixed.ciphertexts) - 1), label="ballot")
    held = [decrypt(case.x, ct, bound=20) for ct in mixed.ciphertexts[i]]
    other = [(v + 1 + data.draw(st.integers(0, 5))) % 21 for v in held]
    outputs = list(mixed.ciphertexts)
    outputs[i] = tuple(encrypt(case.y, v, data.draw(nonzero_scalars)) for v in other)
    with pytest.raises(ProofError):
        _verify(case, _with_outputs(mixed, outputs))


def _prove(case: ShuffleCase, outputs: Any, randomness: ShuffleRandomness) -> Shuffle:
    """A dishonest trustee: the prover's algorithm run on outputs that are not the shuffle."""
    proof = prove_shuffle(
        case.y,
        case.inputs,
        outputs,
        randomness,
        election=ELECTION,
        voter_class=CLASS,
        trustee=TRUSTEE,
    )
    return Shuffle(voter_class=CLASS, trustee=TRUSTEE, ciphertexts=tuple(outputs), proof=proof)


@given(shuffle_cases(min_ballots=1), st.data())
@CRYPTO_SETTINGS
def test_a_trustee_who_changes_a_ballot_before_proving_is_caught_by_t4(
    case: ShuffleCase, data: st.DataObject
) -> None:
    """The attack the proof exists for: output ballot i replaced by an encryption of another
    ranking, then every step of the proof computed on that list. The proof is internally
    consistent (the challenges are the right ones) but t₄ cannot hold."""
    outputs = list(_mix(case).ciphertexts)
    i = data.draw(st.integers(0, len(outputs) - 1), label="ballot")
    held = [decrypt(case.x, ct, bound=20) for ct in outputs[i]]
    other = [(v + 1 + data.draw(st.integers(0, 5))) % 21 for v in held]
    outputs[i] = tuple(encrypt(case.y, v, data.draw(nonzero_scalars)) for v in other)
    with pytest.raises(ProofError, match="t₄ for position 1 does not hold"):
        _verify(case, _prove(case, outputs, case.randomness))


@given(shuffle_cases(min_ballots=2), st.data())
@CRYPTO_SETTINGS
def test_a_trustee_who_copies_one_ballot_over_another_is_caught(
    case: ShuffleCase, data: st.DataObject
) -> None:
    """ψ with one input taken twice and another dropped (not a permutation; the randomness's
    own check bypassed, as a dishonest trustee's code would): every output is a true
    re-encryption, but the permutation commitment does not open to a permutation."""
    n = len(case.inputs)
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    psi = list(case.randomness.permutation)
    psi[j] = psi[i]
    forged = object.__new__(ShuffleRandomness)
    for field in dataclasses.fields(ShuffleRandomness):
        object.__setattr__(forged, field.name, getattr(case.randomness, field.name))
    object.__setattr__(forged, "permutation", tuple(psi))
    outputs = [
        tuple(
            reencrypt(case.y, ct, r)
            for ct, r in zip(case.inputs[k], case.randomness.r_prime[k], strict=True)
        )
        for k in psi
    ]
    with pytest.raises(ProofError, match=r"t[₁₂₃] does not hold"):
        _verify(case, _prove(case, outputs, forged))


@given(shuffle_cases(min_ballots=1), st.binary(min_size=32, max_size=32))
@CRYPTO_SETTINGS
def test_a_proof_for_another_election_is_refused(case: ShuffleCase, election: bytes) -> None:
    assume(election != ELECTION)
    with pytest.raises(ProofError):
        _verify(case, _mix(case), election=election)


@given(shuffle_cases(min_ballots=1), st.text(min_size=1, max_size=12))
@CRYPTO_SETTINGS
def test_a_proof_for_another_class_is_refused(case: ShuffleCase, other: str) -> None:
    """Relabelled as another class's shuffle, or presented where another class is mixed."""
    assume(other != CLASS)
    mixed = _mix(case)
    with pytest.raises(ProofError):
        _verify(case, dataclasses.replace(mixed, voter_class=other), voter_class=other)
    with pytest.raises(ProofError, match=re.escape(f"not {other!r}")):
        _verify(case, mixed, voter_class=other)


@given(shuffle_cases(min_ballots=1), st.integers(min_value=1, max_value=9))
@CRYPTO_SETTINGS
def test_a_proof_for_another_trustee_is_refused(case: ShuffleCase, other: int) -> None:
    assume(other != TRUSTEE)
    mixed = _mix(case)
    with pytest.raises(ProofError):
        _verify(case, dataclasses.replace(mixed, trustee=other), trustee=other)
    with pytest.raises(ProofError, match=f"not trustee {other}"):
        _verify(case, mixed, trustee=other)


def _hex_fields(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [f for key in sorted(value) for f in _hex_fields(value[key], (*path, key))]
    if isinstance(value, list):
        return [f for n, item in enumerate(value) for f in _hex_fields(item, (*path, n))]
    return [path] if isinstance(value, str) and len(value) == 64 else []


def _flip(entry: Any, path: tuple[Any, ...], bit: int) -> Any:
    if not path:
        data = bytearray(bytes.fromhex(entry))
        data[bit // 8] ^= 1 << (bit % 8)
        return data.hex()
    if isinstance(entry, dict):
        return {**entry, path[0]: _flip(entry[path[0]], path[1:], bit)}
    return [_flip(item, path[1:], bit) if n == path[0] else item for n, item in enumerate(entry)]


@given(shuffle_cases(), st.data())
@CRYPTO_SETTINGS
def test_any_bit_flipped_in_any_field_of_the_proof_is_refused(
    case: ShuffleCase, data: st.DataObject
) -> None:
    """Any of the 256 bits of any point or scalar of the proof: refused on reading (not an
    encoding) or by the verifier."""
    entry = _mix(case).to_json()
    path = data.draw(st.sampled_from(_hex_fields(entry["proof"])), label="field")
    bit = data.draw(st.integers(0, 255), label="bit")
    changed = {**entry, "proof": _flip(entry["proof"], path, bit)}
    with pytest.raises(MandateError):
        _verify(case, Shuffle.from_json(changed))


@given(shuffle_cases(min_ballots=0, max_ballots=0))
@CRYPTO_SETTINGS
def test_a_shuffle_of_no_ballots_has_empty_lists_and_verifies(case: ShuffleCase) -> None:
    """§12, N = 0: the entry has no ballots, empty per-ballot lists and P pairs t₄; it verifies
    against the empty input list and is refused against any other."""
    mixed = _mix(case)
    assert mixed.ciphertexts == ()
    assert mixed.proof.c == mixed.proof.c_hat == mixed.proof.t_hat == ()
    assert len(mixed.proof.t4) == len(mixed.proof.s4) == case.positions
    _verify(case, mixed)
    one = (tuple(encrypt(case.y, 0, nonzero) for nonzero in case.randomness.omega_4),)
    with pytest.raises(ProofError, match="0 ballots for 1 input"):
        _verify(case, mixed, inputs=one)
    # Nothing to show, nothing to bind: the equations hold whatever the challenge, so the same
    # entry verifies in another election; its class and trustee are still checked.
    _verify(case, mixed, election=bytes(32))
    with pytest.raises(ProofError, match="not trustee 3"):
        _verify(case, mixed, trustee=3)


@given(shuffle_cases(min_ballots=1, max_ballots=1), nonzero_scalars)
@CRYPTO_SETTINGS
def test_a_shuffle_of_one_ballot_re_encrypts_it(case: ShuffleCase, r: Scalar) -> None:
    """§12, N = 1: the one output is the input re-encrypted (new ciphertexts, same values);
    the proof is refused for any other input ballot."""
    mixed = _mix(case)
    _verify(case, mixed)
    (output,) = mixed.ciphertexts
    assert all(o != i for o, i in zip(output, case.inputs[0], strict=True))
    assert _plaintexts(case, mixed.ciphertexts) == Counter(case.values)
    other = (tuple(encrypt(case.y, v, r) for v in case.values[0]),)
    assume(other != case.inputs)
    with pytest.raises(ProofError):
        _verify(case, mixed, inputs=other)


@given(shuffle_cases(), st.data())
@CRYPTO_SETTINGS
def test_proving_and_verifying_split_at_any_points_agree_with_one_process(
    case: ShuffleCase, data: st.DataObject
) -> None:
    """The ranges a shell gives its processes change nothing: any cut points give the same
    outputs and proof as one process, and the verifier's products over them pass."""
    n = len(case.inputs)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3), label="cuts"))
    ranges = list(itertools.pairwise([0, *cuts, n]))
    whole = _mix(case)
    outputs = tuple(
        ballot
        for start, stop in ranges
        for ballot in shuffle_outputs(case.y, case.inputs, case.randomness, start=start, stop=stop)
    )
    assert outputs == whole.ciphertexts
    commitments = commit_shuffle(
        case.y,
        case.inputs,
        outputs,
        case.randomness,
        election=ELECTION,
        voter_class=CLASS,
        trustee=TRUSTEE,
    )
    made = [
        proof_products(outputs, commitments, case.randomness, start=start, stop=stop)
        for start, stop in ranges
    ]
    made_all = functools.reduce(operator.mul, made)
    assert finish_proof(case.y, commitments, made_all, case.randomness, election=ELECTION) == (
        whole.proof
    )
    challenges = shuffle_challenges(
        case.y,
        case.inputs,
        whole,
        election=ELECTION,
        voter_class=CLASS,
        trustee=TRUSTEE,
        positions=case.positions,
    )
    checked = [
        shuffle_products(case.inputs, whole, challenges, start=start, stop=stop)
        for start, stop in ranges
    ]
    check_shuffle_products(case.y, whole, challenges, functools.reduce(operator.mul, checked))
