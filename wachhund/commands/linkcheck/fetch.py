"""One polite, bounded check of one URL with aiohttp.

HEAD first, GET when HEAD is refused or lies; redirects followed by hand so
every hop is checked against the address rules; bodies read only a few KB;
a total time limit per attempt that also covers slow-drip bodies; retries
with backoff for 5xx, 429 and timeouts, honouring Retry-After (capped).
"""

import asyncio
import hashlib
import itertools
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from wachhund.lib.net import AddressPolicy, UnsafeURL
from wachhund.lib.net.guarded import check_hop, retry_after_seconds

USER_AGENT = "Wachhund-Linkpruefer/1.0 (Watchdog-Blog zum OZG in Duisburg; +https://wachhund.example.org/link-gesundheit/)"
HEAD_FALLBACK = {400, 403, 404, 405, 406, 501}
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Limits:
    timeout: float = 20.0
    max_body: int = 8192
    max_watch_body: int = 512 * 1024
    max_redirects: int = 10
    retries: int = 2
    backoff: float = 1.0
    retry_after_cap: float = 30.0
    per_host: int = 2
    host_interval: float = 1.0
    concurrency: int = 16


class HostGate:
    """Per-host concurrency limit and minimum interval between requests, and the
    overall limit: a first-come, first-served slot, taken once the host allows a
    request. aiohttp's own pool limit would hand a freed slot to a random server,
    which must open a new connection while the freed one idles (118 connections
    instead of 24 for 600 links on 10 hosts, and 1.4 s instead of 0.9 s)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.slots = asyncio.Semaphore(limits.concurrency)
        self.semaphores: dict[str, asyncio.Semaphore] = {}
        self.next_slot: dict[str, float] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    def semaphore(self, host):
        return self.semaphores.setdefault(host, asyncio.Semaphore(self.limits.per_host))

    async def wait_turn(self, host):
        lock = self.locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            slot = max(now, self.next_slot.get(host, 0.0))
            self.next_slot[host] = slot + self.limits.host_interval
        if slot > now:
            await asyncio.sleep(slot - now)


def spread_over_servers(urls):
    """Round-robin by server (a1 b1 c1 a2 b2 …): the concurrent requests go to
    different servers, each server gets its requests one after another on the
    connections it already has, and none waits behind another's long list.
    A server is scheme, host and port: what a pooled connection is kept for."""
    queues: dict[tuple, list] = {}
    for url in urls:
        parts = urlsplit(url)
        queues.setdefault((parts.scheme, parts.netloc.lower()), []).append(url)
    rounds = itertools.zip_longest(*queues.values())
    return [url for batch in rounds for url in batch if url is not None]


def classify(exc: BaseException) -> str:
    if isinstance(exc, UnsafeURL):
        return "blocked"
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError)):
        return "tls"
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or isinstance(getattr(exc, "os_error", None), socket.gaierror):
        return "dns"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "refused" if isinstance(getattr(exc, "os_error", None), ConnectionRefusedError) else "connect"
    if isinstance(exc, (aiohttp.ServerDisconnectedError, ConnectionResetError, aiohttp.ClientPayloadError,
                        aiohttp.ClientOSError)):
        return "reset"
    if isinstance(exc, aiohttp.InvalidURL):
        return "invalid-url"
    if isinstance(exc, aiohttp.ClientResponseError):
        return "protocol"
    return "error"


async def _request(session, method, url, read_limit):
    """One request, no redirects; returns (status, headers, body prefix).

    The body is read up to `read_limit` bytes (or its end), so an endless body
    stops early and a slow-drip body runs into the time limit.
    """
    async with session.request(
        method, url, allow_redirects=False, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    ) as response:
        body = b""
        if method == "GET" and 200 <= response.status < 300:
            while len(body) < read_limit:
                chunk = await response.content.read(read_limit - len(body))
                if not chunk:
                    break
                body += chunk
        return response.status, response.headers, body


async def _follow(session, url, limits, policy, watch):
    """Follow redirects by hand; returns a result dict (ok or not)."""
    seen = set()
    permanent = True
    moved = False
    current = url
    method = "HEAD"
    for _hop in range(limits.max_redirects + 1):
        check_hop(current, policy)
        if current in seen:
            return {"ok": False, "error": "redirect-loop", "final_url": current}
        seen.add(current)
        read_limit = limits.max_watch_body if watch else limits.max_body
        if method == "HEAD" and watch:
            method = "GET"
        status, headers, body = await _request(session, method, current, read_limit)
        if method == "HEAD" and status in HEAD_FALLBACK:
            method = "GET"
            status, headers, body = await _request(session, method, current, read_limit)
        if status in (301, 302, 303, 307, 308) and headers.get("Location"):
            moved = True
            permanent = permanent and status in (301, 308)
            current = urljoin(current, headers["Location"])
            continue
        result = {"ok": 200 <= status < 300, "status": status, "headers": headers}
        if moved:
            result["final_url"] = current
            result["permanent_redirect"] = permanent and result["ok"] and current != url
        if result["ok"] and watch:
            result["fingerprint"] = (
                headers.get("ETag") or headers.get("Last-Modified") or "sha256:" + hashlib.sha256(body).hexdigest()
            )
        return result
    return {"ok": False, "error": "too-many-redirects", "final_url": current}


async def check_one(session, url, limits: Limits, gate: HostGate, policy=AddressPolicy(), watch=False) -> dict:
    host = urlsplit(url).hostname or ""
    attempt = 0
    while True:
        async with gate.semaphore(host), gate.slots:
            await gate.wait_turn(host)  # after the slot: the interval holds between the requests themselves
            try:
                async with asyncio.timeout(limits.timeout):  # no extra task per request, unlike wait_for
                    result = await _follow(session, url, limits, policy, watch)
            except BaseException as exc:  # noqa: BLE001 - every failure becomes a verdict
                if isinstance(exc, (KeyboardInterrupt, SystemExit, asyncio.CancelledError)):
                    raise
                result = {"ok": False, "error": classify(exc)}
        retryable = result.get("status") in RETRY_STATUS or result.get("error") == "timeout"
        if result["ok"] or not retryable or attempt >= limits.retries:
            result.pop("headers", None)
            return result
        attempt += 1
        delay = retry_after_seconds((result.get("headers") or {}).get("Retry-After"), limits.retry_after_cap)
        await asyncio.sleep(delay if delay is not None else limits.backoff * (2 ** (attempt - 1)))
