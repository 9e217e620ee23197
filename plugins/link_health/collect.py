"""Collect every external http(s) link: in posts and pages as rendered, and in data/.

Returns {url: [where, …]} with `where` like "content/posts/x.md:12" or
"data/ozg/kommunen/duisburg.yaml:21", de-duplicated and sorted.
"""

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import markdown

from wachhund_net import is_http_url
from wachhund_yaml import LineDict, LineList, load_file

HREF = re.compile(r"""<(?:a|img|source|link)\b[^>]*?\b(?:href|src)\s*=\s*(["'])(https?://[^"'\s>]+)\1""", re.I)
DIRECTIVE = re.compile(r"^\s*\{%.*%\}\s*$")
SKIP_DATA = {"sources"}


def _markdown_links(path: Path, root: Path, md) -> dict:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    # Directive lines render data (whose URLs are collected from data/ below).
    body = "\n".join("" if DIRECTIVE.match(line) else line for line in lines)
    md.reset()
    html = md.convert(body)
    found = {}
    shown = str(path.relative_to(root))
    for match in HREF.finditer(html):
        url = unescape(match.group(2))
        line = next(
            (n for n, content in enumerate(lines, 1) if url in content or url in unescape(content)),
            0,
        )
        found.setdefault(url, set()).add(f"{shown}:{line}" if line else shown)
    return found


def _walk(node, file, found):
    if isinstance(node, LineDict):
        for key, value in node.items():
            if is_http_url(value):
                found.setdefault(value, set()).add(f"{file}:{node.line_of(key)}")
            else:
                _walk(value, file, found)
    elif isinstance(node, LineList):
        for index, value in enumerate(node):
            if is_http_url(value):
                found.setdefault(value, set()).add(f"{file}:{node.line_of(index)}")
            else:
                _walk(value, file, found)


def collect(root: Path, state_file: Path, ignore_hosts=frozenset()) -> dict:
    found: dict[str, set] = {}
    md = markdown.Markdown(extensions=["meta", "extra", "sane_lists"])
    for path in sorted((root / "content").rglob("*.md")):
        for url, where in _markdown_links(path, root, md).items():
            found.setdefault(url, set()).update(where)
    for path in sorted((root / "data").rglob("*.yaml")):
        relative = path.relative_to(root / "data")
        if path == state_file or relative.parts[0] in SKIP_DATA:
            continue
        _walk(load_file(path, str(path.relative_to(root))), str(path.relative_to(root)), found)
    return {
        url: sorted(where)
        for url, where in sorted(found.items())
        if (urlsplit(url).hostname or "") not in ignore_hosts
    }
