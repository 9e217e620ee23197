"""Which source file an intrasite link means, decided the way a browser and server would.

Pelican matches ``{static}``/``{attach}``/``{filename}`` links by string and only turns
``%20`` into a space, so a draft linking ``{static}/extra/gr%C3%BC%C3%9Fe.txt``,
``…/a&amp;b.txt`` or ``/extra/./x.txt`` published the file. Here every link is reduced to
the one path a request for it would reach (`browser_path`), on both sides of every
comparison: a spelling we reduce too far can only withhold more, never publish more.
"""

import posixpath
import re
import unicodedata
from html import unescape
from urllib.parse import unquote

from wachhund.pelican_internals import intrasite_link_regex, reader_html

WHAT = ("filename", "static", "attach")
# A URL parser drops ASCII tab and newline anywhere in a URL (WHATWG URL standard).
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
C0_OR_SPACE = "".join(map(chr, range(0x21)))  # and strips these from both ends


def _as_browser_reads(value: str) -> str:
    """Entities decoded, tabs and newlines dropped, ends trimmed, backslashes as slashes."""
    return TAB_OR_NEWLINE.sub("", unescape(value)).strip(C0_OR_SPACE).replace("\\", "/")


def _request_path(text: str) -> str:
    # Not urlsplit: "//extra/x" would become a host; the value is a path in content/.
    return unquote(text.split("#", 1)[0].split("?", 1)[0], errors="surrogateescape")


def browser_path(value: str, base_dir: str) -> str:
    """The content-relative path that a link value (as written in an attribute or
    in Markdown) reaches; relative values are read from `base_dir`."""
    path = _request_path(_as_browser_reads(value))
    if not path.startswith("/"):
        path = f"{base_dir}/{path}"
    return file_key(path)


def file_key(path: str) -> str:
    """A content-relative path without leading, doubled or dot segments; Unicode in NFC,
    so a name typed on a Mac and one typed elsewhere meet."""
    path = posixpath.normpath("/" + path.replace("\\", "/"))  # "/" first: normpath keeps a leading "//"
    return unicodedata.normalize("NFC", path.lstrip("/"))


def _formatted_texts(content):
    """The reader's HTML of the body and of the fields Pelican formats like it (the summary)."""
    fields = content.settings.get("FORMATTED_FIELDS", ())
    return [reader_html(content), *(value for key in fields if isinstance(value := content.metadata.get(key), str))]


def intrasite_links(content):
    """(what, value, browser path) of every {filename}/{static}/{attach} link in a post
    or page: its body and the fields Pelican formats like the body (the summary).

    The pattern is Pelican's own, so exactly the links Pelican will replace are seen;
    the HTML is the reader's output before replacement."""
    pattern = intrasite_link_regex(content)
    return [(match.group("what"), match.group("value"), browser_path(match.group("value"), content.relative_dir))
            for text in _formatted_texts(content) for match in pattern.finditer(text) if match.group("what") in WHAT]


# href/src of an element in the reader's HTML, quoted as the sanitiser writes them.
ATTRIBUTE_URL = re.compile(r"""<[^>]+?\b(?:href|src)\s*=\s*(["'])(?P<value>.*?)\1""")
INTRASITE = re.compile(r"[{|](?P<what>filename|static|attach)[|}](?P<value>.*)", re.S)


def site_path(value: str, siteurl: str = ""):
    """The page a plain link to our own site requests ("entwurf/teil-zwei" for
    "/entwurf/teil-zwei/", "…/index.html" or "https://<SITEURL>/entwurf/teil-zwei/");
    None for other sites and for relative links."""
    text = _as_browser_reads(value)
    base = siteurl.rstrip("/")
    if base and text.lower().startswith(base.lower() + "/"):
        text = text[len(base):]
    if not text.startswith("/") or text.startswith("//"):
        return None
    return file_key(_request_path(text)).removesuffix("index.html").rstrip("/")


def site_links(content, siteurl: str):
    """(value, page path) of every plain href/src in a post or page that points into our site."""
    values = (match.group("value") for text in _formatted_texts(content) for match in ATTRIBUTE_URL.finditer(text))
    return [(value, path) for value in values
            if not INTRASITE.match(value) and (path := site_path(value, siteurl)) is not None]
