"""Where in a Markdown source a link is written.

The reader keeps no positions, so the source is read again (only when there is
an error to report). Code examples are blanked first: a link shown in
backticks is not a link, and must not be named instead of the real one.
"""

import re
from pathlib import Path

from wachhund.lib.source import blank_code

# A link destination: after "](" (inline link or image), "]:" (reference definition) or
# href=/src= (raw HTML), in angle brackets (may hold spaces) or up to whitespace, a
# bracket or a quote; or a {filename}/{static}/{attach} value anywhere else (a Summary line).
DESTINATION = (
    r"(?:\]\(\s*|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*|\b(?:href|src)\s*=\s*[\"']?)"
    r"(?:<(?P<angle>[^>\n]*)>|(?P<plain>[^\s()\"'<>]+))"
    r"|<(?P<bare_angle>[{|](?:filename|static|attach)[|}][^>\n]*)>"
    r"|(?P<bare>[{|](?:filename|static|attach)[|}][^\s()\"'<>]*)"
)
SOURCE_LINK = re.compile(DESTINATION, re.M | re.I)


def links_in(source_path, wanted) -> list[tuple[int, str]]:
    """(line, the link as written) of every link destination in the source for which
    `wanted(destination)` is true."""
    try:
        text = blank_code(Path(source_path).read_text(encoding="utf-8").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for match in SOURCE_LINK.finditer(text):
        written = next(group for group in match.group("angle", "plain", "bare_angle", "bare") if group is not None)
        if wanted(written):
            found.append((text.count("\n", 0, match.start()) + 1, written))
    return found
