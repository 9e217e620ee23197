"""URL and address checks."""

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .urls import is_http_url


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public destinations are allowed: all (`allow_private`) or named hosts."""

    allow_private: bool = False
    allowed_hosts: frozenset = field(default_factory=frozenset)

    def permits(self, host: str, address: str | None = None) -> bool:
        return self.allow_private or host in self.allowed_hosts or (address is not None and is_public_ip(address))


class UnsafeURL(ValueError):
    """A URL we refuse to fetch; the message says why (in plain words)."""


def is_public_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


def check_url(url: str) -> tuple[str, int]:
    """Return (host, port) of an http(s) URL, or raise UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(f"only http and https are allowed, not {parts.scheme or 'no scheme'!r}")
    if not is_http_url(url):
        raise UnsafeURL("not a well-formed http(s) URL")
    if not parts.hostname:
        raise UnsafeURL("URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL("URL has an invalid port") from None
    return parts.hostname, port
