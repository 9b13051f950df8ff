"""The mix (docs/verifiable.md §12): the verifier names the equation that fails, verification
split into ranges agrees with the whole, and malformed randomness, ballots and JSON are refused."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from mandate.crypto.elgamal import encrypt, public_key
from mandate.crypto.group import IDENTITY, Scalar, random_scalar
from mandate.crypto.shuffle import (
    Shuffle,
    ShuffleRandomness,
    commit_shuffle,
    finish_proof,
    proof_products,
    random_shuffle,
    shuffle_ballots,
    shuffle_outputs,
)
from mandate.crypto.shuffle_verification import (
    check_shuffle_products,
    shuffle_challenges,
    shuffle_products,
    verify_shuffle,
)
from mandate.errors import EncodingError, ProofError

ELECTION = bytes(range(32))
X = random_scalar()
Y = public_key(X)
N, P = 5, 3
VALUES = [[(i + p) % 4 for p in range(P)] for i in range(N)]
INPUTS = [tuple(encrypt(Y, v, random_scalar()) for v in ballot) for ballot in VALUES]
MIXED = shuffle_ballots(
    Y, INPUTS, random_shuffle(N, P), election=ELECTION, voter_class="member", trustee=1
)


def _verify(mixed: Shuffle, inputs: Any = INPUTS) -> None:
    verify_shuffle(
        Y, inputs, mixed, election=ELECTION, voter_class="member", trustee=1, positions=P
    )


def _with_response(name: str, index: int | None = None) -> Shuffle:
    """The shuffle with one response changed (+1); the challenge c, hashed from the
    commitments, stays the same, so exactly one equation can catch it."""
    proof = MIXED.proof
    value = getattr(proof, name)
    if index is None:
        changed = value + Scalar(1)
    else:
        changed = (*value[:index], value[index] + Scalar(1), *value[index + 1 :])
    return dataclasses.replace(MIXED, proof=dataclasses.replace(proof, **{name: changed}))


def test_an_honest_shuffle_verifies() -> None:
    _verify(MIXED)


@pytest.mark.parametrize(
    ("name", "index", "equation"),
    [
        ("s1", None, "t₁"),
        ("s2", None, "t₂"),
        ("s3", None, "t₃"),
        ("s4", 0, "t₄ for position 1"),
        ("s4", 2, "t₄ for position 3"),
        ("s_hat", 0, "t̂ for output ballot 1"),
        ("s_hat", 3, "t̂ for output ballot 4"),
    ],
)
def test_the_error_names_the_equation_that_fails(
    name: str, index: int | None, equation: str
) -> None:
    with pytest.raises(ProofError, match=f"trustee 1 for class 'member'.*{equation} does not hold"):
        _verify(_with_response(name, index))


def test_verification_split_into_ranges_agrees_with_the_whole() -> None:
    """The products of [0, 2) and [2, 5), computed apart (as two processes would), multiply to
    those of [0, 5), and the checks pass with them."""
    challenges = shuffle_challenges(
        Y, INPUTS, MIXED, election=ELECTION, voter_class="member", trustee=1, positions=P
    )
    first = shuffle_products(INPUTS, MIXED, challenges, start=0, stop=2)
    second = shuffle_products(INPUTS, MIXED, challenges, start=2, stop=N)
    whole = shuffle_products(INPUTS, MIXED, challenges, start=0, stop=N)
    assert first * second == whole
    check_shuffle_products(Y, MIXED, challenges, first * second)
    with pytest.raises(ValueError, match="not adjacent"):
        _ = second * first
    with pytest.raises(ValueError, match="not all 5 ballots"):
        check_shuffle_products(Y, MIXED, challenges, first)


def test_proving_split_into_ranges_gives_the_same_shuffle() -> None:
    """The outputs and the step-5 products of [0, 2) and [2, 5), computed apart (as two
    processes would), give exactly the shuffle made in one process."""
    randomness = random_shuffle(N, P)
    whole = shuffle_ballots(
        Y, INPUTS, randomness, election=ELECTION, voter_class="member", trustee=1
    )
    outputs = shuffle_outputs(Y, INPUTS, randomness, start=0, stop=2) + shuffle_outputs(
        Y, INPUTS, randomness, start=2, stop=N
    )
    assert outputs == whole.ciphertexts
    commitments = commit_shuffle(
        Y, INPUTS, outputs, randomness, election=ELECTION, voter_class="member", trustee=1
    )
    first = proof_products(outputs, commitments, randomness, start=0, stop=2)
    second = proof_products(outputs, commitments, randomness, start=2, stop=N)
    proof = finish_proof(Y, commitments, first * second, randomness, election=ELECTION)
    assert proof == whole.proof
    with pytest.raises(ValueError, match="not adjacent"):
        _ = second * first
    with pytest.raises(ValueError, match="not all 5 ballots"):
        finish_proof(Y, commitments, first, randomness, election=ELECTION)


def test_a_range_checks_only_its_own_ballots() -> None:
    """A changed ŝ of ballot 4 is caught by the range holding it, not by the others."""
    bad = _with_response("s_hat", 3)
    challenges = shuffle_challenges(
        Y, INPUTS, bad, election=ELECTION, voter_class="member", trustee=1, positions=P
    )
    shuffle_products(INPUTS, bad, challenges, start=0, stop=3)
    with pytest.raises(ProofError, match="output ballot 4"):
        shuffle_products(INPUTS, bad, challenges, start=3, stop=N)


def test_the_identity_public_key_is_refused() -> None:
    with pytest.raises(ProofError, match="identity"):
        verify_shuffle(
            IDENTITY, INPUTS, MIXED, election=ELECTION, voter_class="member", trustee=1, positions=P
        )
    with pytest.raises(ValueError, match="identity"):
        shuffle_ballots(
            IDENTITY, INPUTS, random_shuffle(N, P), election=ELECTION, voter_class="m", trustee=1
        )


def test_ballots_of_another_number_of_positions_are_refused() -> None:
    with pytest.raises(ProofError, match="positions, not 4"):
        verify_shuffle(
            Y, INPUTS, MIXED, election=ELECTION, voter_class="member", trustee=1, positions=4
        )
    with pytest.raises(ValueError, match="ballot 1 has 3 positions, not 2"):
        shuffle_ballots(
            Y, INPUTS, random_shuffle(N, 2), election=ELECTION, voter_class="m", trustee=1
        )


def test_random_shuffle_draws_a_permutation_and_every_scalar() -> None:
    drawn = random_shuffle(50, 2)
    assert sorted(drawn.permutation) == list(range(50))
    assert drawn.permutation != tuple(range(50))  # probability 1/50! of failing
    assert (drawn.ballots, drawn.positions) == (50, 2)
    assert len(set(drawn.rho)) == 50


@pytest.mark.parametrize(
    ("permutation", "message"),
    [((0, 0, 1), "each of 0 … 2 once"), ((1, 2, 3), "each of 0 … 2 once")],
)
def test_randomness_that_is_not_a_permutation_is_refused(
    permutation: tuple[int, ...], message: str
) -> None:
    good = random_shuffle(3, 1)
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(good, permutation=permutation)


def test_randomness_of_the_wrong_length_is_refused() -> None:
    good = random_shuffle(3, 2)
    with pytest.raises(ValueError, match="rho needs one value for each of the 3 ballots"):
        dataclasses.replace(good, rho=good.rho[:2])
    with pytest.raises(ValueError, match="r_prime needs 2 values"):
        dataclasses.replace(good, r_prime=(good.r_prime[0][:1], *good.r_prime[1:]))
    with pytest.raises(ValueError, match="randomness is for 3 ballots, not 5"):
        shuffle_ballots(Y, INPUTS, good, election=ELECTION, voter_class="m", trustee=1)


def test_the_json_round_trips_and_is_shaped_as_specified() -> None:
    entry = MIXED.to_json()
    assert Shuffle.from_json(entry) == MIXED
    assert set(entry) == {"class", "trustee", "ciphertexts", "proof"}
    proof: Any = entry["proof"]
    assert set(proof) == {"c", "c_hat", "t", "s"}
    assert set(proof["t"]) == {"t1", "t2", "t3", "t4", "t_hat"}
    assert set(proof["s"]) == {"s1", "s2", "s3", "s4", "s_hat", "s_prime"}
    assert [len(pair) for pair in proof["t"]["t4"]] == [2] * P
    assert len(proof["c"]) == len(proof["s"]["s_prime"]) == N


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda e: {**e, "extra": 1}, "shuffle: expected an object"),
        (lambda e: {**e, "trustee": "1"}, "shuffle.trustee"),
        (lambda e: {**e, "trustee": 0}, "shuffle: trustee"),
        (lambda e: {**e, "class": 7}, "shuffle.class"),
        (
            lambda e: {**e, "proof": {**e["proof"], "c": e["proof"]["c"][:-1]}},
            "shuffle proof: c_hat",
        ),
        (
            lambda e: {**e, "proof": {**e["proof"], "t": {**e["proof"]["t"], "t1": "00"}}},
            r"shuffle.proof.t.t1",
        ),
        (
            lambda e: {
                **e,
                "proof": {**e["proof"], "s": {**e["proof"]["s"], "s4": e["proof"]["s"]["s4"][:-1]}},
            },
            "shuffle proof: s4",
        ),
        (
            lambda e: {**e, "ciphertexts": [e["ciphertexts"][0][:-1], *e["ciphertexts"][1:]]},
            "ballot 1",
        ),
    ],
)
def test_malformed_json_is_refused_naming_the_field(change: Any, where: str) -> None:
    with pytest.raises(EncodingError, match=where):
        Shuffle.from_json(change(MIXED.to_json()))


def test_drawn_randomness_follows_the_published_order() -> None:
    """``ShuffleRandomness.drawn`` takes r′, ρ, r̂, ω₁, ω₂, ω₃, ω₄, ω̂, ω′ in that order (the
    test vectors' inputs rely on it)."""
    counter = iter(range(1, 100))
    drawn = ShuffleRandomness.drawn((1, 0), 2, lambda: Scalar(next(counter)))
    assert [[s.value for s in row] for row in drawn.r_prime] == [[1, 2], [3, 4]]
    assert [s.value for s in (*drawn.rho, *drawn.r_hat)] == [5, 6, 7, 8]
    assert [drawn.omega_1.value, drawn.omega_2.value, drawn.omega_3.value] == [9, 10, 11]
    assert [s.value for s in (*drawn.omega_4, *drawn.omega_hat, *drawn.omega_prime)] == [
        12,
        13,
        14,
        15,
        16,
        17,
    ]
