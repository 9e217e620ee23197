"""Collect every external http(s) link: in posts and pages, and in data/.

Returns {url: [where, …]} with `where` like "content/posts/x.md:12" or
"data/ozg/kommunen/duisburg.yaml:21", de-duplicated and sorted. Posts are
read, not rendered (wachhund.lib.source.links finds what the rendered page links
to, outside code), so collecting costs milliseconds, not a Markdown run per post.
"""

from pathlib import Path
from urllib.parse import urlsplit

from wachhund.lib.net import is_http_url
from wachhund.lib.source import links
from wachhund.lib.yamlfile import LineDict, LineList, load_file

SKIP_DATA = {"sources"}


def markdown_links(path: Path, root: Path) -> dict:
    """{url: {"content/posts/x.md:LINE", …}} of the http(s) links one Markdown source cites
    (make webmention notifies the same links)."""
    found = {}
    shown = str(path.relative_to(root))
    for url, line in links(path.read_text(encoding="utf-8")):
        if is_http_url(url):
            found.setdefault(url, set()).add(f"{shown}:{line}")
    return found


def _walk(node, file, found):
    if not isinstance(node, (LineDict, LineList)):
        return
    for key, value in node.items() if isinstance(node, LineDict) else enumerate(node):
        if is_http_url(value):
            found.setdefault(value, set()).add(f"{file}:{node.line_of(key)}")
        else:
            _walk(value, file, found)


def collect(root: Path, state_file: Path, ignore_hosts=frozenset()) -> dict:
    found: dict[str, set] = {}
    for path in sorted((root / "content").rglob("*.md")):
        for url, where in markdown_links(path, root).items():
            found.setdefault(url, set()).update(where)
    for path in sorted((root / "data").rglob("*.yaml")):
        shown = str(path.relative_to(root))
        if path == state_file or path.relative_to(root / "data").parts[0] in SKIP_DATA:
            continue
        _walk(load_file(path, shown), shown, found)
    return {url: sorted(where) for url, where in sorted(found.items())
            if (urlsplit(url).hostname or "") not in ignore_hosts}
