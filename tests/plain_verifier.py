"""A second, deliberately separate verifier of docs/verifiable-vectors.json.

Written from docs/verifiable.md and RFC 9496 alone, in plain Python: its own field and curve
arithmetic (no libsodium), its own hash encoding, its own transcripts. It imports nothing
from mandate, so a mistake shared by the code and this checker would have to be made twice.
Slow (pure-Python scalar multiplication) but the vectors are few.
"""

from __future__ import annotations

import hashlib
from typing import Any

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, -1, P)) % P


def _is_negative(x: int) -> bool:
    return (x % P) & 1 == 1


def _abs(x: int) -> int:
    x %= P
    return (-x) % P if _is_negative(x) else x


def _sqrt_ratio_m1(u: int, v: int) -> tuple[bool, int]:
    """RFC 9496 §4.2 SQRT_RATIO_M1: (was_square, the non-negative root of u/v or i·u/v)."""
    u %= P
    v %= P
    r = (u * pow(v, 3, P)) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    check = v * r * r % P
    correct = check == u
    flipped = check == (-u) % P
    flipped_i = check == (-u * SQRT_M1) % P
    if flipped or flipped_i:
        r = r * SQRT_M1 % P
    return correct or flipped, _abs(r)


# RFC 9496 §4.1, as printed there; each checked against its definition below.
SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752
SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235
INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578
ONE_MINUS_D_SQ = (1 - D * D) % P
D_MINUS_ONE_SQ = (D - 1) * (D - 1) % P
assert SQRT_M1 * SQRT_M1 % P == P - 1
assert SQRT_AD_MINUS_ONE * SQRT_AD_MINUS_ONE % P == (-D - 1) % P  # a·d − 1 with a = −1
assert INVSQRT_A_MINUS_D * INVSQRT_A_MINUS_D * (-1 - D) % P == 1

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T)
IDENTITY: Point = (0, 1, 1, 0)


def decode(data: bytes) -> Point | None:
    """RFC 9496 §4.3.1; None when the encoding is refused."""
    if len(data) != 32:
        return None
    s = int.from_bytes(data, "little")
    if s >= P or _is_negative(s):
        return None
    ss = s * s % P
    u1 = (1 - ss) % P
    u2 = (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 * u1) - u2_sqr) % P
    was_square, invsqrt = _sqrt_ratio_m1(1, v * u2_sqr)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x * v % P
    x = _abs(2 * s * den_x)
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or _is_negative(t) or y == 0:
        return None
    return (x, y, 1, t)


def encode(point: Point) -> bytes:
    """RFC 9496 §4.3.2."""
    x0, y0, z0, t0 = point
    u1 = (z0 + y0) * (z0 - y0) % P
    u2 = x0 * y0 % P
    _, invsqrt = _sqrt_ratio_m1(1, u1 * u2 * u2)
    den1 = invsqrt * u1 % P
    den2 = invsqrt * u2 % P
    z_inv = den1 * den2 * t0 % P
    if _is_negative(t0 * z_inv):
        x, y, den_inv = y0 * SQRT_M1 % P, x0 * SQRT_M1 % P, den1 * INVSQRT_A_MINUS_D % P
    else:
        x, y, den_inv = x0, y0, den2
    if _is_negative(x * z_inv):
        y = (-y) % P
    s = _abs(den_inv * (z0 - y))
    return s.to_bytes(32, "little")


def add(p1: Point, p2: Point) -> Point:
    """Twisted Edwards addition, a = −1, extended coordinates."""
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * 2 * D * t2 % P
    d = z1 * 2 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def neg(point: Point) -> Point:
    x, y, z, t = point
    return ((-x) % P, y, z, (-t) % P)


def mul(k: int, point: Point) -> Point:
    result = IDENTITY
    addend = point
    k %= L
    while k:
        if k & 1:
            result = add(result, addend)
        addend = add(addend, addend)
        k >>= 1
    return result


def _map(t: int) -> Point:
    """RFC 9496 §4.3.4 MAP."""
    r = SQRT_M1 * t * t % P
    u = (r + 1) * ONE_MINUS_D_SQ % P
    v = (-1 - r * D) * (r + D) % P
    was_square, s = _sqrt_ratio_m1(u, v)
    if not was_square:
        s = (-_abs(s * t)) % P
        c = r
    else:
        c = P - 1
    n = (c * (r - 1) * D_MINUS_ONE_SQ - v) % P
    w0 = 2 * s * v % P
    w1 = n * SQRT_AD_MINUS_ONE % P
    w2 = (1 - s * s) % P
    w3 = (1 + s * s) % P
    return (w0 * w3 % P, w2 * w1 % P, w1 * w3 % P, w0 * w2 % P)


def from_hash(data: bytes) -> Point:
    """RFC 9496 §4.3.4 element derivation from 64 bytes."""
    halves = (data[:32], data[32:])
    points = [_map((int.from_bytes(h, "little") & ((1 << 255) - 1)) % P) for h in halves]
    return add(points[0], points[1])


G_BYTES = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
G = decode(G_BYTES)
assert G is not None


# Hashes, from docs/verifiable.md §3.

Part = bytes | str | int


def _part(value: Part) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, int):
        return str(value).encode("ascii")
    return value.encode("utf-8")


def hash_input(tag: str, *parts: Part) -> bytes:
    out = b""
    for element in (tag, *parts):
        data = _part(element)
        out += len(data).to_bytes(8, "big") + data
    return out


def H(tag: str, *parts: Part) -> bytes:
    return hashlib.sha512(hash_input(tag, *parts)).digest()


def Hs(tag: str, *parts: Part) -> int:
    return int.from_bytes(H(tag, *parts), "little") % L


def Hg(tag: str, *parts: Part) -> bytes:
    return encode(from_hash(H(tag, *parts)))


def Hid(tag: str, *parts: Part) -> str:
    return hashlib.sha256(hash_input(tag, *parts)).hexdigest()


# Reading the JSON.


class RefusedError(Exception):
    """The plain verifier refuses a vector."""


def pt(text: str) -> Point:
    data = bytes.fromhex(text)
    if data.hex() != text:
        raise RefusedError(f"not lowercase hex: {text}")
    point = decode(data)
    if point is None:
        raise RefusedError(f"not a group element: {text}")
    return point


def sc(text: str) -> int:
    value = int.from_bytes(bytes.fromhex(text), "little")
    if len(text) != 64 or value >= L:
        raise RefusedError(f"not a canonical scalar: {text}")
    return value


def b(point: Point) -> bytes:
    return encode(point)


def same(p1: Point, p2: Point) -> bool:
    return encode(p1) == encode(p2)


def g_to(k: int) -> Point:
    return mul(k, G)  # type: ignore[arg-type]


def exp_g_m(m: int) -> Point:
    return g_to(m)


# Proofs, from docs/verifiable.md §6, checked with the equations as written there.


def check_dlog(r: dict[str, Any]) -> None:
    X, c, s = pt(r["X"]), sc(r["proof"]["c"]), sc(r["proof"]["s"])
    if same(X, IDENTITY):
        raise RefusedError("identity key")
    A = add(g_to(s), mul(c, X))
    ctx = bytes.fromhex(r["context"])
    if Hs("mandate/v1/proof/dlog", ctx, "g", G_BYTES, "X", b(X), "A", b(A)) != c:
        raise RefusedError("dlog")


def check_signature(r: dict[str, Any]) -> None:
    X, c, s = pt(r["X"]), sc(r["proof"]["c"]), sc(r["proof"]["s"])
    A = add(g_to(s), mul(c, X))
    ctx, m = bytes.fromhex(r["context"]), bytes.fromhex(r["message"])
    if Hs("mandate/v1/signature", ctx, "X", b(X), "message", m, "A", b(A)) != c:
        raise RefusedError("signature")


def check_decryption_share(r: dict[str, Any]) -> None:
    X, F = pt(r["X"]), pt(r["F"])
    alpha, beta = pt(r["ciphertext"]["alpha"]), pt(r["ciphertext"]["beta"])
    c, s = sc(r["proof"]["c"]), sc(r["proof"]["s"])
    A = add(g_to(s), mul(c, X))
    B = add(mul(s, alpha), mul(c, F))
    parts = ("X", b(X), "alpha", b(alpha), "beta", b(beta), "F", b(F), "A", b(A), "B", b(B))
    if Hs("mandate/v1/proof/decryption-share", bytes.fromhex(r["context"]), *parts) != c:
        raise RefusedError("decryption share")


def check_membership(r: dict[str, Any]) -> None:
    y = pt(r["y"])
    alpha, beta = pt(r["ciphertext"]["alpha"]), pt(r["ciphertext"]["beta"])
    allowed = r["allowed"]
    cs = [sc(c) for c in r["proof"]["c"]]
    ss = [sc(s) for s in r["proof"]["s"]]
    commitments: list[bytes] = []
    for M, c_j, s_j in zip(allowed, cs, ss, strict=True):
        shifted = add(beta, neg(exp_g_m(M)))
        commitments += [b(add(g_to(s_j), mul(c_j, alpha))), b(add(mul(s_j, y), mul(c_j, shifted)))]
    c = Hs(
        "mandate/v1/proof/membership",
        bytes.fromhex(r["context"]),
        "y",
        b(y),
        "alpha",
        b(alpha),
        "beta",
        b(beta),
        "M",
        len(allowed),
        *allowed,
        "AB",
        len(commitments),
        *commitments,
    )
    if c != sum(cs) % L:
        raise RefusedError("membership")


def check_ballot(r: dict[str, Any]) -> None:
    y = pt(r["y"])
    cts = [(pt(ct["alpha"]), pt(ct["beta"])) for ct in r["ciphertexts"]]
    c = sc(r["proof"]["c"])
    ss = [sc(s) for s in r["proof"]["s"]]
    points = [b(p) for ct in cts for p in ct]
    commitments = [b(add(g_to(s), mul(c, alpha))) for (alpha, _), s in zip(cts, ss, strict=True)]
    expected = Hs(
        "mandate/v1/proof/ballot",
        bytes.fromhex(r["context"]),
        "y",
        b(y),
        "ciphertexts",
        len(points),
        *points,
        "A",
        len(commitments),
        *commitments,
    )
    if expected != c:
        raise RefusedError("ballot")


# The proof of shuffle, from docs/verifiable.md §12 (CheckShuffleProof, one t₄ per position).

Ballots = list[list[tuple[Point, Point]]]


def _ballots(value: Any, P: int) -> Ballots:
    if not isinstance(value, list):
        raise RefusedError("a list of ballots")
    out = []
    for ballot in value:
        if not isinstance(ballot, list) or len(ballot) != P:
            raise RefusedError(f"a ballot of {P} positions")
        out.append([(pt(ct["alpha"]), pt(ct["beta"])) for ct in ballot])
    return out


def _flat(ballots: Ballots) -> list[bytes]:
    return [b(point) for ballot in ballots for ct in ballot for point in ct]


def _prod(points: list[Point]) -> Point:
    out = IDENTITY
    for point in points:
        out = add(out, point)
    return out


def shuffle_derived(r: dict[str, Any]) -> tuple[bytes, list[int], int]:
    """σ, u₁…u_N and c of a shuffle record, after checking its shape."""
    phi, y, P = bytes.fromhex(r["context"]), pt(r["y"]), r["positions"]
    entry = r["shuffle"]
    if set(entry) != {"class", "trustee", "ciphertexts", "proof"}:
        raise RefusedError("shuffle entry members")
    if entry["class"] != r["class"] or entry["trustee"] != r["trustee"]:
        raise RefusedError("a shuffle for another class or trustee")
    e, e2 = _ballots(r["ciphertexts"], P), _ballots(entry["ciphertexts"], P)
    N = len(e)
    proof = entry["proof"]
    t, s = proof["t"], proof["s"]
    for name, values in (("c", proof["c"]), ("c_hat", proof["c_hat"]), ("t_hat", t["t_hat"])):
        if len(values) != N:
            raise RefusedError(f"{name} needs {N} values")
    if len(e2) != N or len(t["t4"]) != P or len(s["s4"]) != P:
        raise RefusedError("shuffle shape")
    sigma = H(
        "mandate/v1/shuffle/challenges",
        phi,
        "class",
        r["class"],
        "trustee",
        r["trustee"],
        "y",
        b(y),
        "e",
        2 * N * P,
        *_flat(e),
        "e_prime",
        2 * N * P,
        *_flat(e2),
        "c",
        N,
        *[b(pt(c)) for c in proof["c"]],
    )
    u = [Hs("mandate/v1/shuffle/challenges", sigma, i) for i in range(1, N + 1)]
    t4 = [b(pt(point)) for pair in t["t4"] for point in pair]
    c = Hs(
        "mandate/v1/shuffle/challenge",
        phi,
        "seed",
        sigma,
        "c_hat",
        N,
        *[b(pt(x)) for x in proof["c_hat"]],
        "t",
        3,
        b(pt(t["t1"])),
        b(pt(t["t2"])),
        b(pt(t["t3"])),
        "t4",
        2 * P,
        *t4,
        "t_hat",
        N,
        *[b(pt(x)) for x in t["t_hat"]],
    )
    return sigma, u, c


def check_shuffle(r: dict[str, Any]) -> None:
    """Every equation of §12's verification, as written there."""
    y, P = pt(r["y"]), r["positions"]
    if same(y, IDENTITY):
        raise RefusedError("identity key")
    _, u, c = shuffle_derived(r)
    e, e2 = _ballots(r["ciphertexts"], P), _ballots(r["shuffle"]["ciphertexts"], P)
    N = len(e)
    proof = r["shuffle"]["proof"]
    t, s = proof["t"], proof["s"]
    cs, c_hats = [pt(x) for x in proof["c"]], [pt(x) for x in proof["c_hat"]]
    s1, s2, s3 = sc(s["s1"]), sc(s["s2"]), sc(s["s3"])
    s4 = [sc(x) for x in s["s4"]]
    s_hat, s_prime = [sc(x) for x in s["s_hat"]], [sc(x) for x in s["s_prime"]]
    if len(s_hat) != N or len(s_prime) != N:
        raise RefusedError("shuffle responses")
    h = pt(Hg("mandate/v1/generator", "h").hex())
    hs = [pt(Hg("mandate/v1/generator", "h", i - 1).hex()) for i in range(1, N + 1)]
    minus_c = (-c) % L
    c_bar = add(_prod(cs), neg(_prod(hs)))
    u_all = 1
    for u_i in u:
        u_all = u_all * u_i % L
    c_hat = add(c_hats[-1] if N else h, neg(mul(u_all, h)))
    c_tilde = _prod([mul(u_i, c_i) for u_i, c_i in zip(u, cs, strict=True)])
    if not same(pt(t["t1"]), add(mul(minus_c, c_bar), g_to(s1))):
        raise RefusedError("shuffle t1")
    if not same(pt(t["t2"]), add(mul(minus_c, c_hat), g_to(s2))):
        raise RefusedError("shuffle t2")
    h_s = _prod([mul(x, h_i) for x, h_i in zip(s_prime, hs, strict=True)])
    if not same(pt(t["t3"]), add(add(mul(minus_c, c_tilde), g_to(s3)), h_s)):
        raise RefusedError("shuffle t3")
    for p in range(P):
        a_tilde = _prod([mul(u[i], e[i][p][0]) for i in range(N)])
        b_tilde = _prod([mul(u[i], e[i][p][1]) for i in range(N)])
        a_prime = _prod([mul(s_prime[i], e2[i][p][0]) for i in range(N)])
        b_prime = _prod([mul(s_prime[i], e2[i][p][1]) for i in range(N)])
        minus_s4 = (-s4[p]) % L
        first = add(add(mul(minus_c, b_tilde), mul(minus_s4, y)), b_prime)
        second = add(add(mul(minus_c, a_tilde), g_to(minus_s4)), a_prime)
        pair = t["t4"][p]
        if not (same(pt(pair[0]), first) and same(pt(pair[1]), second)):
            raise RefusedError(f"shuffle t4, position {p + 1}")
    for i in range(N):
        before = h if i == 0 else c_hats[i - 1]
        expected = add(add(mul(minus_c, c_hats[i]), g_to(s_hat[i])), mul(s_prime[i], before))
        if not same(pt(t["t_hat"][i]), expected):
            raise RefusedError(f"shuffle t_hat, ballot {i + 1}")


PROOF_CHECKS = {
    "dlog": check_dlog,
    "signature": check_signature,
    "decryption_share": check_decryption_share,
    "membership": check_membership,
    "ballot": check_ballot,
    "shuffle": check_shuffle,
}
