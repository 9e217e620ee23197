"""Network safety shared by the update commands (a library, not a plugin).

Only the explicit update commands touch the network. They refuse non-http(s)
URLs and addresses that are loopback, private, link-local, multicast or
reserved (checked after DNS resolution, on the address actually connected
to), unless explicitly allowed.
"""

from .guarded import SafeResolver, check_hop, download, guarded_session
from .safety import AddressPolicy, UnsafeURL, check_url, is_public_ip
from .urls import is_http_url

__all__ = [
    "AddressPolicy", "SafeResolver", "UnsafeURL", "check_hop", "check_url", "download", "guarded_session",
    "is_http_url", "is_public_ip",
]
