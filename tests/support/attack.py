"""Attacks played against a running ``mandate serve``, and the server's memory measured.

``send_body`` sends a request whose body is produced piece by piece (never held whole here),
reading the server's answer while it sends, so that a server that answers early and closes
is seen answering; ``peak_rss`` reads the kernel's high-water mark of a process's memory.
"""

from __future__ import annotations

import selectors
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

MIB = 1024 * 1024
GENEROUS_SECONDS = 300.0
"""A bound so that a test never hangs; it is not a measurement and not a synchronisation."""


def peak_rss(pid: int) -> int:
    """The most memory (resident set, bytes) the process has held so far (``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM in /proc/{pid}/status")


def _exactly(size: int, head: bytes, entries: Iterator[bytes], tail: bytes) -> Iterator[bytes]:
    """``head``, as many entries as fit, JSON white space, ``tail``: exactly ``size`` bytes."""
    yield head
    room = size - len(head) - len(tail)
    while True:
        batch = b"".join(next(entries) for _ in range(4096))
        if len(batch) > room:
            break
        room -= len(batch)
        yield batch
    while room > 0:
        pad = min(room, 1 << 20)
        room -= pad
        yield b" " * pad
    yield tail


def json_params(size: int) -> Iterator[bytes]:
    """A JSON object of exactly ``size`` bytes, in pieces: a contest with a huge ``params``.

    Many small keys, so that a server that parses it builds millions of objects.
    """

    def entries() -> Iterator[bytes]:
        number = 0
        while True:
            number += 1
            yield b'"k%d": "v", ' % number

    head = b'{"contest_id": "big", "rulebook": "labour-2016", "params": {'
    return _exactly(size, head, entries(), b'"end": "v"}}')


def json_ballots(size: int) -> Iterator[bytes]:
    """A paper batch of exactly ``size`` bytes, in pieces."""

    def entries() -> Iterator[bytes]:
        while True:
            yield b'["Owen Smith", "Jeremy Corbyn"], '

    head = b'{"label": "big", "voter_class": "member", "ballots": ['
    return _exactly(size, head, entries(), b'["Owen Smith"]]}')


def _chunked(pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield b"%x\r\n%s\r\n" % (len(piece), piece)
    yield b"0\r\n\r\n"


def _complete(received: bytes) -> bool:
    head, found, body = received.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def send_body(
    url: str,
    path: str,
    pieces: Iterator[bytes],
    *,
    declared_length: int | None,
    headers: tuple[tuple[str, str], ...] = (),
) -> tuple[int, bytes]:
    """POST a body made of ``pieces``; the answer's status and bytes.

    With ``declared_length`` the body is announced by ``Content-Length`` (and may be cut
    short when the server answers first); without it, it is sent chunked. Sending stops when
    the server has answered or closed the connection.
    """
    where = urlsplit(url)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers]
    if declared_length is None:
        lines.append("Transfer-Encoding: chunked")
        body = _chunked(pieces)
    else:
        lines.append(f"Content-Length: {declared_length}")
        body = pieces
    pending = ("\r\n".join(lines) + "\r\n\r\n").encode()
    received = b""
    with socket.create_connection((host, port)) as sock, selectors.DefaultSelector() as sel:
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        writing = True
        while True:
            events = sel.select(timeout=GENEROUS_SECONDS)
            assert events, f"the server neither answered nor closed ({len(received)} bytes)"
            _, mask = events[0]
            if mask & selectors.EVENT_READ:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                received += data
                if not data or _complete(received):
                    break
            if writing and mask & selectors.EVENT_WRITE:
                if not pending:
                    pending = next(body, b"")
                try:
                    sent = sock.send(pending) if pending else 0
                except (BrokenPipeError, ConnectionResetError):
                    sent, pending = 0, b""
                pending = pending[sent:]
                if not pending and sent == 0:
                    writing = False
                    sel.modify(sock, selectors.EVENT_READ)
    status_line = received.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 "), received[:200]
    return int(status_line.split()[1]), received
