"""Where in a Markdown source a {filename}/{static}/{attach} link is written.

The reader keeps no positions, so the source is read again (only when there is
an error to report). Code examples are blanked first: a link shown in
backticks is not a link, and must not be named instead of the real one.
"""

import re
from pathlib import Path

from wachhund_source import blank_code

from .paths import browser_path

# <{static}/a b.pdf> (Markdown's angle-bracket form, may hold spaces), or the
# value up to whitespace, a bracket or a quote. Inline links, reference
# definitions, the Summary line and raw HTML attributes all have this shape.
SOURCE_LINK = re.compile(
    r"<(?P<a_what>[{|](?:filename|static|attach)[|}])(?P<a_value>[^>\n]*)>"
    r"|(?P<what>[{|](?:filename|static|attach)[|}])(?P<value>[^\s()\"'<>]*)"
)


def links_to(source_path, path: str, base_dir: str) -> list[tuple[int, str]]:
    """(line, the link as written) of every link in the source that reaches `path`."""
    try:
        text = blank_code(Path(source_path).read_text(encoding="utf-8").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for match in SOURCE_LINK.finditer(text):
        angle = match.group("a_what") is not None
        kind, value = match.group("a_what", "a_value") if angle else match.group("what", "value")
        if browser_path(value, base_dir) == path:
            found.append((text.count("\n", 0, match.start()) + 1, kind + value))
    return found
