"""A lean HTTP/1.1 keep-alive client for load generation.

The load generator shares the machine's cores with the server it measures, so it must cost far
less than the server. httpx spent 2.5 ms of CPU a request at 1 in flight and over 13 ms at 100 (its
connection pool grows costly with many connections), enough to starve the server and measure the
client. This writes the request bytes and reads the status, headers and body off a kept-alive
connection, a fraction of a millisecond a request, and it is still real HTTP to the real server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from urllib.parse import urlsplit


class ConnectionClosed(Exception):
    """The server closed a kept-alive connection before answering."""


class Pool:
    """Connections to one server: each request takes an idle one or opens another."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"plain http://host:port only, not {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._open: set[asyncio.StreamWriter] = set()

    async def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> int:
        """The response's status code. A kept-alive connection the server has closed in the
        meantime never carried the request, so that one request is sent again on a new one."""
        head = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        while self._idle:
            connection = self._idle.pop()
            try:
                return await self._exchange(connection, request)
            except (ConnectionClosed, ConnectionResetError, BrokenPipeError):
                self._close(connection[1])
        return await self._exchange(await self._connect(), request)

    async def aclose(self) -> None:
        for writer in list(self._open):
            self._close(writer)
        self._idle.clear()

    async def __aenter__(self) -> Pool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self._open.add(writer)
        return reader, writer

    def _close(self, writer: asyncio.StreamWriter) -> None:
        self._open.discard(writer)
        writer.close()

    async def _exchange(
        self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
    ) -> int:
        reader, writer = connection
        writer.write(request)
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionClosed
        status = int(status_line.split()[1])
        length, chunked, keep = 0, False, True
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                keep = value != b"close"
        if chunked:
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length:
            await reader.readexactly(length)
        if keep:
            self._idle.append(connection)
        else:
            self._close(writer)
        return status
