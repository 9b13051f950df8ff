"""docs/verifiable-vectors.json checked by the separate plain verifier (tests/plain_verifier.py),
which shares no code with mandate.crypto: its own curve arithmetic, hashes and equations (the
AEAD of §7.5 is the `cryptography` library's, as the specification names it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from tests import plain_verifier as v

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "verifiable-vectors.json").read_text("utf-8")
)


def _parts(parts: list[dict[str, Any]]) -> list[v.Part]:
    out: list[v.Part] = []
    for part in parts:
        if "hex" in part:
            out.append(bytes.fromhex(part["hex"]))
        elif "int" in part:
            out.append(part["int"])
        else:
            out.append(part["text"])
    return out


def test_group_constants_and_generators() -> None:
    group = VECTORS["group"]
    assert int(group["order"]) == v.L
    assert group["g"] == v.G_BYTES.hex()
    assert v.Hg(group["h"]["tag"], *_parts(group["h"]["parts"])).hex() == group["h"]["point"]
    for case in group["h_i"]:
        assert v.Hg("mandate/v1/generator", *_parts(case["parts"])).hex() == case["point"]
    for case in group["multiples_of_g"]:
        assert v.encode(v.g_to(int(case["k"]))).hex() == case["point"]


def test_bad_encodings_are_refused_here_too() -> None:
    for text in VECTORS["group"]["bad_points"]:
        with pytest.raises(v.RefusedError):
            v.pt(text)
    for text in VECTORS["group"]["bad_scalars"]:
        with pytest.raises(v.RefusedError):
            v.sc(text)


def test_hashes() -> None:
    for case in VECTORS["hashes"]:
        parts = _parts(case["parts"])
        assert v.H(case["tag"], *parts).hex() == case["H"]
        assert v.Hs(case["tag"], *parts) == v.sc(case["Hs"])
        assert v.Hg(case["tag"], *parts).hex() == case["Hg"]
        assert v.Hid(case["tag"], *parts) == case["Hid"]


def test_elgamal() -> None:
    for case in VECTORS["elgamal"]:
        x, r, m = v.sc(case["x"]), v.sc(case["r"]), case["m"]
        y = v.g_to(x)
        assert v.encode(y).hex() == case["y"]
        alpha = v.g_to(r)
        beta = v.add(v.mul(r, y), v.exp_g_m(m))
        assert case["ciphertext"] == {"alpha": v.b(alpha).hex(), "beta": v.b(beta).hex()}
        r2 = v.sc(case["reencryption"]["r"])
        again = {
            "alpha": v.b(v.add(alpha, v.g_to(r2))).hex(),
            "beta": v.b(v.add(beta, v.mul(r2, y))).hex(),
        }
        assert again == case["reencryption"]["ciphertext"]
        decrypted = v.add(v.pt(again["beta"]), v.neg(v.mul(x, v.pt(again["alpha"]))))
        assert v.same(decrypted, v.exp_g_m(m))


@pytest.mark.parametrize("kind", sorted(v.PROOF_CHECKS))
def test_proofs(kind: str) -> None:
    record = VECTORS["proofs"][kind]
    v.PROOF_CHECKS[kind](record)
    flipped = dict(record, context=("ff" + record["context"][2:]))
    with pytest.raises(v.RefusedError):
        v.PROOF_CHECKS[kind](flipped)


def test_threshold_key_generation_and_decryption() -> None:
    t_vec = VECTORS["threshold"]
    n, t = t_vec["n"], t_vec["t"]
    election = bytes.fromhex(t_vec["election"])
    commitments: dict[int, list[v.Point]] = {}
    for dealer in t_vec["dealers"]:
        published = dealer["published"]
        i = published["trustee"]
        commitments[i] = [v.pt(A) for A in published["commitments"]]
        assert len(commitments[i]) == t
        assert [v.b(v.g_to(v.sc(a))).hex() for a in dealer["coefficients"]] == published[
            "commitments"
        ]
        context = v.hash_input("mandate/v1/dkg/context", election, i)
        v.check_dlog(
            {
                "X": published["commitments"][0],
                "proof": published["proof"],
                "context": context.hex(),
            }
        )
        for j, share in dealer["shares"].items():
            assert v.same(v.g_to(v.sc(share)), _feldman(commitments[i], int(j)))
    y = v.IDENTITY
    for i in commitments:
        y = v.add(y, commitments[i][0])
    assert v.b(y).hex() == t_vec["y"]
    keys = {j: _verification_key(commitments, j) for j in range(1, n + 1)}
    assert {str(j): v.b(Y).hex() for j, Y in keys.items()} == t_vec["verification_keys"]

    d = t_vec["decryption"]
    present = [share["trustee"] for share in d["shares"]]
    assert present == d["present"]
    assert len(present) >= t
    combined = v.IDENTITY
    for share in d["shares"]:
        j = share["trustee"]
        v.check_decryption_share(
            {
                "X": v.b(keys[j]).hex(),
                "F": share["factor"],
                "ciphertext": d["ciphertext"],
                "proof": share["proof"],
                "context": t_vec["election"],
            }
        )
        combined = v.add(combined, v.mul(_lagrange(j, present), v.pt(share["factor"])))
    M = v.add(v.pt(d["ciphertext"]["beta"]), v.neg(combined))
    assert v.b(M).hex() == d["M"]
    assert v.same(M, v.exp_g_m(d["m"]))

    complaint = t_vec["complaint"]
    receiver = complaint["receiver"]
    failing = [
        int(i)
        for i, share in complaint["shares_received"].items()
        if int(i) != receiver
        and not v.same(v.g_to(v.sc(share)), _feldman(commitments[int(i)], receiver))
    ]
    assert [c["dealer"] for c in complaint["complaints"]] == failing == [2]


def _feldman(commitments: list[v.Point], j: int) -> v.Point:
    """Π_k A_k^(j^k)."""
    out = v.IDENTITY
    for k, A in enumerate(commitments):
        out = v.add(out, v.mul(pow(j, k, v.L), A))
    return out


def _verification_key(commitments: dict[int, list[v.Point]], j: int) -> v.Point:
    out = v.IDENTITY
    for i in commitments:
        out = v.add(out, _feldman(commitments[i], j))
    return out


def _lagrange(j: int, present: list[int]) -> int:
    out = 1
    for m in present:
        if m != j:
            out = out * m * pow(m - j, -1, v.L) % v.L
    return out


def test_ballot() -> None:
    """§8 and §9: the credential key, the ballot proof, the signature, the tracker."""
    bv = VECTORS["ballot"]
    ballot = bv["ballot"]
    election = bytes.fromhex(bv["election"])
    assert ballot["election"] == bv["election"]
    assert ballot["version"] == 1
    x_cred = v.Hs("mandate/v1/credential", election, bv["credential"])
    S = v.pt(ballot["credential"])
    assert v.same(v.g_to(x_cred), S)
    assert len(ballot["positions"]) == bv["positions"]
    context = v.hash_input("mandate/v1/ballot/context", election, v.b(S), ballot["class"])
    v.check_ballot(
        {
            "y": bv["y"],
            "ciphertexts": ballot["positions"],
            "proof": ballot["proof"],
            "context": context.hex(),
        }
    )
    body = {key: value for key, value in ballot.items() if key != "signature"}
    message = v.hash_input("mandate/v1/ballot/signed", _canonical(body))
    v.check_signature(
        {
            "X": ballot["credential"],
            "message": message.hex(),
            "proof": ballot["signature"],
            "context": bv["election"],
        }
    )
    assert v.Hid("mandate/v1/tracker", _canonical(ballot)) == bv["tracker"]
    # The positions decrypt to the ranking, zeros after it (§9.2).
    x = v.sc(bv["election_secret_key"])
    values = []
    for ct in ballot["positions"]:
        M = v.add(v.pt(ct["beta"]), v.neg(v.mul(x, v.pt(ct["alpha"]))))
        values.append(next(m for m in range(bv["candidates"] + 1) if v.same(M, v.exp_g_m(m))))
    assert values == [*bv["ranking"], *[0] * (bv["positions"] - len(bv["ranking"]))]


def _canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8 (§9.1)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_channel_and_complaints() -> None:
    """§7.5: each sealed share opens with the revealed K, whose proof holds; the verdict follows."""
    cv = VECTORS["channel"]
    election = bytes.fromhex(cv["election"])
    E = v.pt(cv["receiver_key"])
    assert v.same(v.g_to(v.sc(cv["receiver_secret"])), E)
    commitments = [v.pt(A) for A in cv["dealer_commitments"]]
    for case in cv["cases"]:
        sealed = case["sealed"]
        i, j, R = sealed["dealer"], sealed["receiver"], v.pt(sealed["R"])
        assert v.same(v.g_to(v.sc(case["rho"])), R)
        K = v.pt(case["reveal"]["K"])
        proof = case["reveal"]["proof"]
        c, s = v.sc(proof["c"]), v.sc(proof["s"])
        A = v.add(v.g_to(s), v.mul(c, E))
        B = v.add(v.mul(s, R), v.mul(c, K))
        context = v.hash_input("mandate/v1/dkg/channel", election, i, j, v.b(R))
        parts = ("g", v.G_BYTES, "X", v.b(E), "base", v.b(R), "Y", v.b(K), "A", v.b(A), "B", v.b(B))
        assert v.Hs("mandate/v1/proof/channel-key", context, *parts) == c
        key = v.H("mandate/v1/dkg/channel", election, i, j, v.b(R), v.b(K))[:32]
        aad = v.hash_input("mandate/v1/dkg/channel", election, i, j)
        try:
            plain = ChaCha20Poly1305(key).decrypt(bytes(12), bytes.fromhex(sealed["box"]), aad)
        except InvalidTag:
            verdict = "dealer"
        else:
            assert plain.hex() == case["share"]
            right = v.same(v.g_to(v.sc(plain.hex())), _feldman(commitments, j))
            verdict = "receiver" if right else "dealer"
        assert verdict == case["at_fault"], case["case"]


def test_shuffle_derived_values_and_the_shuffle_itself() -> None:
    """§12: σ, the uᵢ and c as published; the outputs are the inputs permuted by ψ and
    re-encrypted with the published r′; they decrypt to the inputs' values in ψ's order."""
    sv = VECTORS["proofs"]["shuffle"]
    sigma, u, c = v.shuffle_derived(sv)
    assert sigma.hex() == sv["seed"]
    assert [v.sc(x) for x in sv["u"]] == u
    assert v.sc(sv["challenge"]) == c
    secrets = sv["inputs"]
    x, y = v.sc(secrets["x"]), v.pt(sv["y"])
    assert v.same(v.g_to(x), y)
    outputs = sv["shuffle"]["ciphertexts"]
    for i, j in enumerate(secrets["permutation_from_1"]):
        source = sv["ciphertexts"][j - 1]
        for p, out in enumerate(outputs[i]):
            r2 = v.sc(secrets["r_prime"][j - 1][p])
            alpha = v.add(v.pt(source[p]["alpha"]), v.g_to(r2))
            beta = v.add(v.pt(source[p]["beta"]), v.mul(r2, y))
            assert out == {"alpha": v.b(alpha).hex(), "beta": v.b(beta).hex()}
            M = v.add(beta, v.neg(v.mul(x, alpha)))
            assert v.same(M, v.exp_g_m(secrets["values"][j - 1][p]))


def test_the_plain_shuffle_check_refuses_swapped_outputs_and_a_wrong_equation() -> None:
    sv = VECTORS["proofs"]["shuffle"]
    entry = sv["shuffle"]
    outputs = entry["ciphertexts"]
    swapped = dict(entry, ciphertexts=[outputs[1], outputs[0], *outputs[2:]])
    with pytest.raises(v.RefusedError):
        v.check_shuffle(dict(sv, shuffle=swapped))
    # s₁ changed but the challenge kept: only t₁'s equation can catch it.
    s = dict(entry["proof"]["s"], s1=entry["proof"]["s"]["s2"])
    with pytest.raises(v.RefusedError, match="t1"):
        v.check_shuffle(dict(sv, shuffle=dict(entry, proof=dict(entry["proof"], s=s))))
