"""HTTP through the address guard: what was checked is what is connected to.

The resolver checks every address DNS returns and hands exactly those to
aiohttp's connector, so no second lookup can rebind the name to 127.0.0.1.
Redirects are followed by hand and every hop is checked again. Proxy
variables are ignored (``trust_env=False``): a proxy would connect instead
of us, to addresses we never checked.
"""

import asyncio
import email.utils
import ipaddress
import socket
import time
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver

from .safety import AddressPolicy, UnsafeURL, check_url

REDIRECTS = (301, 302, 303, 307, 308)


def retry_after_seconds(value: str | None, cap: float) -> float | None:
    """How long a busy server (429, 503) asks to wait: Retry-After in seconds or as an HTTP
    date, at most `cap`; None when it says nothing readable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        moment = email.utils.parsedate_to_datetime(value)
        return max(0.0, min(moment.timestamp() - time.time(), cap))
    except (TypeError, ValueError):
        return None


class HTTPStatusError(OSError):
    """A final answer other than 200; `status` is its code (a 404 may mean "gone", not "failed")."""

    def __init__(self, status: int, url: str):
        super().__init__(f"HTTP {status} from {url}")
        self.status = status


class SafeResolver(AbstractResolver):
    """Resolve, then refuse non-public addresses (unless the policy allows them)."""

    def __init__(self, policy: AddressPolicy):
        self._inner = DefaultResolver()
        self._policy = policy

    async def resolve(self, host, port=0, family=socket.AF_INET):
        infos = await self._inner.resolve(host, port, family)
        for info in infos:
            if not self._policy.permits(host, info["host"]):
                raise UnsafeURL(f"{host} resolves to non-public address {info['host']}")
        return infos

    async def close(self):
        await self._inner.close()


def check_hop(url: str, policy: AddressPolicy) -> None:
    """Scheme and IP-literal check for one hop; names are checked by SafeResolver after DNS."""
    host, _port = check_url(url)
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return
    if not policy.permits(host, str(address)):
        raise UnsafeURL(f"{host} is not a public address")


def guarded_session(policy: AddressPolicy, timeout: float, **connector_options) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=SafeResolver(policy), **connector_options)
    client_timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(10, timeout))
    return aiohttp.ClientSession(connector=connector, timeout=client_timeout, trust_env=False)


def check_complete(response) -> None:
    """OSError unless the whole answer arrived. Content-Length counts the bytes sent: of a
    compressed answer (aiohttp asks for gzip, deflate, br) those before inflating, which is
    what total_raw_bytes counts, not the length of the body read."""
    expected, sent = response.content_length, response.content.total_raw_bytes
    if expected is not None and sent != expected:
        raise OSError(f"download incomplete: {sent} of {expected} bytes")


async def _fetch(url, policy, headers, max_bytes, timeout, max_redirects):
    async with guarded_session(policy, timeout) as session:
        current = url
        for _hop in range(max_redirects + 1):
            check_hop(current, policy)
            async with session.get(current, allow_redirects=False, headers=headers) as response:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                if response.status != 200:
                    raise HTTPStatusError(response.status, current)
                # read(n) returns what has arrived so far, not n bytes: read to the end.
                chunks, size = [], 0
                async for chunk in response.content.iter_chunked(1 << 20):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ValueError(f"download larger than {max_bytes} bytes")
                    chunks.append(chunk)
                check_complete(response)
                return current, b"".join(chunks)
        raise UnsafeURL(f"more than {max_redirects} redirects")


def download(url: str, policy: AddressPolicy, headers: dict, max_bytes: int, timeout: float = 60.0,
             max_redirects: int = 5) -> tuple[str, bytes]:
    """(final URL, complete body) of a 200 answer, or an exception: UnsafeURL for a
    refused hop, OSError/aiohttp.ClientError for a failed or incomplete transfer."""
    try:
        return asyncio.run(_fetch(url, policy, headers, max_bytes, timeout, max_redirects))
    except asyncio.TimeoutError:
        raise OSError(f"no complete answer within {timeout:g} s") from None
