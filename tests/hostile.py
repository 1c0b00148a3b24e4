"""A hostile HTTP server for the hardening tests: it answers exactly the bytes a test scripts.

Real sockets on loopback (``127.0.0.x``, so a test can play "another host" on 127.0.0.2),
one thread, a bounded life: every connection has a socket timeout, the server stops when
the test's ``with`` block ends, and nothing it does can hang a test for long.

Each request is parsed (method, path, headers, body) and recorded; the scripted handler
returns the raw response bytes (or, for drip and never-reading scenarios, a callable that
drives the socket itself).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

_IO_TIMEOUT = 10.0
"""No read or write of the server waits longer than this."""


@dataclass
class Seen:
    """One request the hostile server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


Reply = bytes | Callable[[socket.socket, Seen], None]
Handler = Callable[[Seen], Reply]


def response(
    status: int = 200,
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
    reason: str = "X",
) -> bytes:
    """The bytes of a complete HTTP/1.1 response with a Content-Length (connection closed)."""
    data = body.encode() if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(data)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def chunked(status: int, pieces: list[bytes], headers: dict[str, str] | None = None) -> bytes:
    """A chunked HTTP/1.1 response of ``pieces``."""
    lines = [f"HTTP/1.1 {status} X", "Transfer-Encoding: chunked", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    out = ("\r\n".join(lines) + "\r\n\r\n").encode()
    for piece in pieces:
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n\r\n"


@dataclass
class HostileServer:
    """``with HostileServer(handler) as server:`` then point a client at ``server.url``."""

    handler: Handler
    host: str = "127.0.0.1"
    read_body: bool = True
    """False: never read the request body (a server that stops taking uploads)."""
    seen: list[Seen] = field(default_factory=list)
    _sock: socket.socket | None = None
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        assert self._sock is not None
        return int(self._sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> Self:
        self._sock = socket.create_server((self.host, 0))
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=_IO_TIMEOUT + 5)
        if self._sock is not None:
            self._sock.close()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                connection, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(_IO_TIMEOUT)
            try:
                request = self._read_request(connection)
                if request is None:
                    return
                self.seen.append(request)
                reply = self.handler(request)
                if callable(reply):
                    reply(connection, request)
                else:
                    connection.sendall(reply)
            except OSError:
                return

    def _read_request(self, connection: socket.socket) -> Seen | None:
        data = b""
        while b"\r\n\r\n" not in data:
            piece = connection.recv(65536)
            if not piece:
                return None
            data += piece
        head, _, rest = data.partition(b"\r\n\r\n")
        first, *header_lines = head.decode("latin-1").split("\r\n")
        method, path, _ = first.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), 0))
        body = rest
        if self.read_body:
            while len(body) < length:
                piece = connection.recv(65536)
                if not piece:
                    break
                body += piece
        return Seen(method, path, headers, body)


def drip(
    head: bytes, pieces: Iterator[bytes], pause: float
) -> Callable[[socket.socket, Seen], None]:
    """A reply that sends ``head`` then each piece after ``pause`` seconds (bounded by the
    server's I/O timeout and by the client hanging up)."""

    def run(connection: socket.socket, _: Seen) -> None:
        connection.sendall(head)
        for piece in pieces:
            time.sleep(pause)
            connection.sendall(piece)

    return run


def hold(seconds: float) -> Callable[[socket.socket, Seen], None]:
    """A reply that says nothing for ``seconds`` (or until the client hangs up), then closes."""

    def run(connection: socket.socket, _: Seen) -> None:
        connection.settimeout(seconds)
        try:
            while connection.recv(1):
                pass
        except OSError:
            return

    return run
