"""The project's one test of "is this an http(s) URL we may show or fetch"."""

import re

# http(s), a host name (labels of letters, digits, hyphens) or a bracketed IPv6
# literal, an optional port, then only characters a URL may contain: no
# spaces, quotes, angle brackets or backslashes that could end an attribute. \Z, not $:
# $ also matches before a final line break, which would then pass.
_URL = re.compile(
    r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])"
    r"(?::\d{1,5})?(?:[/?#][^\s\"'<>\\^`{|}]*)?\Z"
)
MAX_URL_LENGTH = 2000


def is_http_url(value) -> bool:
    """True for an absolute http(s) URL that is safe to put in an attribute."""
    return isinstance(value, str) and len(value) <= MAX_URL_LENGTH and _URL.match(value) is not None
