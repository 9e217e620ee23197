"""Webmention endpoint discovery from a fetched page (W3C Webmention, section 3.1.2).

The caller fetches the target, following redirects, and hands over the final URL,
its `Link` headers and (for HTML) its body. The endpoint is, in this order: the first
`Link` header value with the rel `webmention`, else the first `<link>` or `<a>`
element with that rel and an `href`, in document order. Relative endpoints are
resolved against the final URL; an empty `href` means the page itself; a query
string stays part of the endpoint.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

HTML_TYPES = ("text/html", "application/xhtml+xml")
REL = "webmention"
# One `; name=value` parameter of a link-value; the value a quoted string or a token.
_PARAM = re.compile(r';\s*([^=;,\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,]*))?')
_SPACE = re.compile(r"[ \t\n\f\r]+")  # HTML's ASCII whitespace, which separates rel tokens


def _has_rel(value: str) -> bool:
    # rel values are case-insensitive tokens (HTML and RFC 8288 alike).
    return REL in {token.lower() for token in _SPACE.split(value.strip())}


def link_header_values(header: str):
    """(target, {param: value}) of every link-value in one `Link` header (RFC 8288):
    several values separated by commas, quoted parameters may hold commas and semicolons."""
    position, length = 0, len(header)
    while position < length:
        start = header.find("<", position)
        if start < 0:
            return
        end = header.find(">", start + 1)
        if end < 0:
            return
        target, position, params = header[start + 1:end].strip(), end + 1, {}
        while True:
            while position < length and header[position] in " \t":
                position += 1
            if position >= length or header[position] != ";":
                break
            match = _PARAM.match(header, position)
            if not match:
                break
            name, value = match.group(1).lower(), (match.group(2) or "").strip()
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            params.setdefault(name, value)  # RFC 8288: only the first rel counts
            position = match.end()
        position = header.find(",", position)
        if position < 0:
            position = length
        yield target, params


def endpoint_in_headers(headers, base: str) -> str | None:
    """The first `Link` header value with rel webmention, resolved against `base`."""
    for header in headers:
        for target, params in link_header_values(header):
            if "rel" in params and _has_rel(params["rel"]):
                return urljoin(base, target)
    return None


class _FirstEndpoint(HTMLParser):
    """Stops caring after the first <link>/<a> with rel webmention and an href.
    Comments and text (escaped markup included) never produce start tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.href = None

    def handle_starttag(self, tag, attrs):
        if self.href is not None or tag not in ("link", "a"):
            return
        attributes = dict(reversed(attrs))  # HTML keeps the first of a repeated attribute
        if _has_rel(attributes.get("rel") or "") and attributes.get("href") is not None:
            self.href = attributes["href"].strip(" \t\n\f\r")


def endpoint_in_html(html: str, base: str) -> str | None:
    parser = _FirstEndpoint()
    parser.feed(html)
    parser.close()
    return None if parser.href is None else urljoin(base, parser.href)


def is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() in HTML_TYPES


def discover(final_url: str, link_headers, content_type: str | None, body: str) -> str | None:
    """The endpoint of the page at `final_url` (after redirects), or None."""
    return endpoint_in_headers(link_headers, final_url) or (
        endpoint_in_html(body, final_url) if is_html(content_type) else None
    )
