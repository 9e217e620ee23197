"""Network safety shared by the update commands (a library, not a plugin).

Only the explicit update commands touch the network. They refuse non-http(s)
URLs and addresses that are loopback, private, link-local, multicast or
reserved (checked after DNS resolution, on the address actually connected
to), unless explicitly allowed.
"""

from .safety import AddressPolicy, UnsafeURL, check_url, is_public_ip
from .urls import is_http_url

# The HTTP client (wachhund.lib.net.guarded, aiohttp) is imported only by the update
# commands: the build needs just the URL rule, and aiohttp costs a second and ~10 MiB.
__all__ = ["AddressPolicy", "UnsafeURL", "check_url", "is_http_url", "is_public_ip"]
