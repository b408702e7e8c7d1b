"""The transport: http.client (standard library) with bearer auth, JSON, streamed bodies, problem+json errors and
retries of 429/503 (Retry-After honoured) and of connection failures for requests that can be repeated."""
from __future__ import annotations

import email.utils
import http.client
import json as jsonlib
import random
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable

from . import __version__
from .errors import TransportError, error_for

RETRY_STATUSES = (429, 503)
IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
BLOCK = 64 * 1024


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        return jsonlib.loads(self.body) if self.body else None

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def data(self) -> Any:
        """JSON when the answer is JSON, else the text."""
        if self.content_type.endswith("json") and self.content_type != "application/x-ndjson" and self.body:
            return self.json()
        return self.text()


class _Counting:
    """A file object that reports every block http.client reads from it (the upload's progress)."""

    def __init__(self, stream: BinaryIO, on_read: Callable[[int], None] | None):
        self.stream, self.on_read = stream, on_read

    def read(self, n: int = -1) -> bytes:
        block = self.stream.read(n if n and n > 0 else BLOCK)
        if block and self.on_read:
            self.on_read(len(block))
        return block


def retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class Transport:
    def __init__(self, base_url: str, token: str | None, *, timeout: float = 30.0, retries: int = 4,
                 backoff: float = 0.5, max_backoff: float = 30.0, user_agent: str | None = None,
                 ssl_context: ssl.SSLContext | None = None):
        parsed = urllib.parse.urlsplit(base_url.rstrip("/"))
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._parsed = parsed
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.user_agent = user_agent or f"orchestrator-client-python/{__version__}"
        self.ssl_context = ssl_context
        self.sleep = time.sleep

    def url(self, path: str, query: dict | None = None) -> str:
        if path.startswith(("http://", "https://")):
            url = path
        else:
            url = self.base_url + (path if path.startswith("/") else "/" + path)
        pairs = []
        for key, value in (query or {}).items():
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (list, tuple)):
                pairs.extend((key, str(v)) for v in value)
                continue
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            pairs.append((key, str(value)))
        if pairs:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(pairs)
        return url

    def _connection(self, parts: urllib.parse.SplitResult, timeout: float | None):
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=self.ssl_context,
                                               blocksize=BLOCK)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, blocksize=BLOCK)

    def _delay(self, attempt: int, response_headers: dict | None) -> float:
        hinted = retry_after((response_headers or {}).get("retry-after"))
        if hinted is not None:
            return min(hinted, self.max_backoff * 4)
        return min(self.max_backoff, self.backoff * (2 ** attempt)) * (0.5 + random.random() / 2)

    def request(self, method: str, path: str, *, query: dict | None = None, json: Any = None,
                body: bytes | BinaryIO | None = None, content_type: str | None = None, length: int | None = None,
                headers: dict | None = None, auth: bool = True, accept: str = "application/json",
                timeout: float | None = None, rewind: Callable[[], None] | None = None,
                on_sent: Callable[[int], None] | None = None, raise_for_status: bool = True) -> Response:
        """One call, retried as the class says. A file-object `body` is streamed (Content-Length when `length` is
        given, chunked otherwise); it is retried only when `rewind` can put it back at its start."""
        url = self.url(path, query)
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        send_headers = {"Accept": accept, "User-Agent": self.user_agent}
        if auth and self.token:
            send_headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
            content_type = content_type or "application/json"
        if content_type:
            send_headers["Content-Type"] = content_type
        streamed = body is not None and hasattr(body, "read")
        if isinstance(body, (bytes, bytearray)):
            send_headers["Content-Length"] = str(len(body))
        elif streamed and length is not None:
            send_headers["Content-Length"] = str(length)
        elif body is None and method in ("POST", "PUT", "PATCH"):
            send_headers["Content-Length"] = "0"
        send_headers.update(headers or {})
        repeatable = not streamed or rewind is not None
        attempt = 0
        while True:
            connection = self._connection(parts, timeout if timeout is not None else self.timeout)
            try:
                payload = _Counting(body, on_sent) if streamed else body
                connection.request(method, target, body=payload, headers=send_headers,
                                   encode_chunked=streamed and length is None)
                raw = connection.getresponse()
                data = raw.read()
                response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, url)
            except (ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException, OSError) as error:
                connection.close()
                # A request that may have reached the server is repeated only when doing it twice is harmless.
                refused = isinstance(error, ConnectionRefusedError)
                if attempt < self.retries and repeatable and (method in IDEMPOTENT or refused):
                    if streamed:
                        rewind()
                    self.sleep(self._delay(attempt, None))
                    attempt += 1
                    continue
                kind = "timed out" if isinstance(error, (socket.timeout, TimeoutError)) else "failed"
                raise TransportError(f"{method} {url} {kind}: {error}") from error
            finally:
                connection.close()
            if response.status in RETRY_STATUSES and attempt < self.retries and repeatable:
                if streamed:
                    rewind()
                self.sleep(self._delay(attempt, response.headers))
                attempt += 1
                continue
            if response.status >= 400 and raise_for_status:
                problem = None
                try:
                    problem = response.json() if response.content_type.endswith("json") else None
                except ValueError:
                    pass
                raise error_for(response.status, problem, method=method, url=url, headers=response.headers,
                                body=response.text()[:2000])
            return response
