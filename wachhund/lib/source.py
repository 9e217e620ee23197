"""What a Markdown source links to, read without rendering it (a library, not a plugin).

The strict reader uses `blank_code` to look for active markup outside code
examples; the link checker uses `links` to find every http(s) link a post
cites, the way the rendered page will link it, in a fraction of the time a
Markdown run takes. tests/commands/test_link_checker.py compares both with Python-Markdown's
output on the real posts.
"""

import re
from html import unescape

INLINE_CODE = re.compile(r"`[^`\n]*`")
FENCED_CODE = re.compile(r"^[ ]{0,3}(```|~~~).*?(^[ ]{0,3}\1[^\n]*$|\Z)", re.M | re.S)
DIRECTIVE = re.compile(r"^[ \t]*\{%.*%\}[ \t]*$", re.M)  # renders data; data/ is collected from the YAML
# Where a rendered page gets an http(s) link from: an autolink <https://…>, an inline link or
# image ](https://…) (balanced parentheses allowed, as Markdown does), a reference definition
# [x]: https://…, or an href/src attribute of raw HTML.
LINK = re.compile(
    r"<(https?://[^>\s]+)>"
    r"|\]\(\s*<?(https?://(?:[^()\s<>]|\([^()\s<>]*\))+)"
    r"|^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(https?://[^\s>]+)"
    r"""|\b(?:href|src)\s*=\s*["'](https?://[^"'\s>]+)["']""",
    re.M | re.I,
)


def blank_code(text: str) -> str:
    """Code examples may show anything: blank them, keeping offsets and newlines."""
    keep = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    return INLINE_CODE.sub(keep, FENCED_CODE.sub(keep, text))


def links(text: str) -> list[tuple[str, int]]:
    """(url, line) of every http(s) link in a Markdown source, in order; code and
    directive lines left out, entities decoded as the browser will."""
    text = DIRECTIVE.sub(lambda m: " " * len(m.group(0)), blank_code(text))
    found = []
    for match in LINK.finditer(text):
        url = next(group for group in match.groups() if group)
        found.append((unescape(url), text.count("\n", 0, match.start()) + 1))
    return found
