"""Which source file an intrasite link means, decided the way a browser and server would.

Pelican matches ``{static}``/``{attach}``/``{filename}`` links by string (it
tries the path as written, percent-decoded and entity-decoded, and nothing
else), and `Content.get_static_links` only turns ``%20`` into a space. So a
draft linking ``{static}/extra/gr%C3%BC%C3%9Fe.txt``, ``…/a&amp;b.txt``,
``…/teil%2Dx.txt``, ``/extra/./x.txt`` or ``/extra//x.txt`` linked a file the
build did not recognise as the draft's, and published it. Here every link is
reduced to the one path a request for it would reach: HTML entities decoded
(the HTML parser does that first), backslashes read as slashes, fragment and
query cut off, percent-encoding decoded (as the server does), doubled slashes
and dot segments removed.
Both sides of every comparison go through `browser_path`; a spelling we reduce
too far can only withhold more, never publish more.
"""

import posixpath
import re
import unicodedata
from html import unescape
from urllib.parse import unquote

WHAT = ("filename", "static", "attach")
# A URL parser drops ASCII tab and newline anywhere in a URL (WHATWG URL standard).
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
C0_OR_SPACE = "".join(map(chr, range(0x21)))  # and strips these from both ends


def browser_path(value: str, base_dir: str) -> str:
    """The content-relative path that a link value (as written in an attribute or
    in Markdown) reaches; relative values are read from `base_dir`."""
    text = TAB_OR_NEWLINE.sub("", unescape(value)).strip(C0_OR_SPACE).replace("\\", "/")
    # Not urlsplit: "//extra/x" would become a host; the value is a path in content/.
    path = unquote(text.split("#", 1)[0].split("?", 1)[0], errors="surrogateescape")
    if not path.startswith("/"):
        path = f"{base_dir}/{path}"
    return file_key(path)


def file_key(path: str) -> str:
    """A content-relative path without leading, doubled or dot segments; Unicode in NFC,
    so a name typed on a Mac and one typed elsewhere meet."""
    path = posixpath.normpath("/" + path.replace("\\", "/"))  # "/" first: normpath keeps a leading "//"
    return unicodedata.normalize("NFC", path.lstrip("/"))


def intrasite_links(content):
    """(what, value, browser path) of every {filename}/{static}/{attach} link in a post
    or page: its body and the fields Pelican formats like the body (the summary).

    The pattern is Pelican's own (`_get_intrasite_link_regex`), so exactly the links
    Pelican will replace are seen; the HTML is the reader's output before replacement."""
    pattern = content._get_intrasite_link_regex()
    texts = [content._content or ""]
    for key in content.settings.get("FORMATTED_FIELDS", ()):
        value = content.metadata.get(key)
        if isinstance(value, str):
            texts.append(value)
    base = content.relative_dir
    found = []
    for text in texts:
        for match in pattern.finditer(text):
            what = match.group("what")
            if what in WHAT:
                found.append((what, match.group("value"), browser_path(match.group("value"), base)))
    return found
