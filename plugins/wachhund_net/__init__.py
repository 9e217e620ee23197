"""Network safety shared by the update commands (a library, not a plugin).

Only the explicit update commands touch the network. They refuse non-http(s)
URLs and addresses that are loopback, private, link-local, multicast or
reserved (checked after DNS resolution), unless explicitly allowed.
"""

from .safety import AddressPolicy, UnsafeURL, check_url, is_public_ip, resolve_public
from .urls import is_http_url

__all__ = ["AddressPolicy", "UnsafeURL", "check_url", "is_http_url", "is_public_ip", "resolve_public"]
