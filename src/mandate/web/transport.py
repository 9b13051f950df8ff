"""uvicorn's HTTP/1.1 protocol with a deadline for a request's headers.

uvicorn closes a connection idle between requests after ``timeout_keep_alive``, but waits
for ever for headers that arrive slowly, or never finish (slowloris): a few hundred such
connections hold every file descriptor. Here the headers of each request must be complete
within the header timeout of the connection's start (or of the previous response), or the
connection is closed.
"""

from __future__ import annotations

import asyncio
import os

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from mandate.config import HEADER_TIMEOUT_ENV

__all__ = ["DEFAULT_HEADER_TIMEOUT", "HeaderTimeoutProtocol"]

DEFAULT_HEADER_TIMEOUT = 10.0
"""Seconds a client has to send a request's headers (``mandate serve --header-timeout``)."""


class HeaderTimeoutProtocol(H11Protocol):
    """H11Protocol that closes a connection whose request headers are not complete in time.

    The timeout is read from ``MANDATE_HEADER_TIMEOUT`` (set by ``mandate serve``; each
    worker process reads it), else :data:`DEFAULT_HEADER_TIMEOUT`.
    """

    header_timer: asyncio.TimerHandle | None = None

    def _header_timeout(self) -> float:
        return float(os.environ.get(HEADER_TIMEOUT_ENV) or DEFAULT_HEADER_TIMEOUT)

    def _arm(self) -> None:
        self._disarm()
        self.header_timer = self.loop.call_later(self._header_timeout(), self._headers_late)

    def _disarm(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_late(self) -> None:
        self.header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the headers are in: the request runs at its own pace

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
