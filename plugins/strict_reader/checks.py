"""Checks on the raw text of a post, before Markdown sees it."""

import re
from pathlib import Path

from pelican.utils import get_date

from .errors import ContentError

# Same patterns as markdown.extensions.meta, so we accept exactly what it reads.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
YAML_FENCE = re.compile(r"^-{3}(\s.*)?$")

KNOWN_KEYS = {
    "title", "date", "modified", "category", "tags", "keywords", "slug",
    "author", "authors", "summary", "description", "status", "template",
    "lang", "translation", "save_as", "url", "image", "image_alt", "toc",
}
DATE_KEYS = {"date", "modified"}
STATUSES = {"published", "draft", "hidden"}


def decode_utf8(raw: bytes, path) -> str:
    """Decode strictly; on failure say on which line the bad byte is."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            path,
            line,
            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8 in the editor",
        ) from None


def read_header(text: str, path) -> dict:
    """Return {key: (value, line)} of the metadata block, or raise ContentError."""
    lines = text.split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    start = 0
    if lines and YAML_FENCE.match(lines[0]):
        start = 1
    header = {}
    last_key = None
    for index in range(start, len(lines)):
        line = lines[index]
        number = index + 1
        if not line.strip() or (start and YAML_FENCE.match(line)):
            break
        more = META_MORE.match(line)
        if more and last_key:
            value, first = header[last_key]
            header[last_key] = (f"{value} {more.group('value').strip()}", first)
            continue
        match = META_LINE.match(line)
        if not match:
            raise ContentError(
                path,
                number,
                f"broken metadata line {line.strip()[:60]!r}: expected 'Name: value' "
                "(e.g. 'Date: 2026-11-22'), and a blank line before the text",
            )
        key = match.group("key").lower()
        if key not in KNOWN_KEYS:
            raise ContentError(
                path,
                number,
                f"unknown metadata {match.group('key')!r}; expected one of: "
                + ", ".join(sorted(KNOWN_KEYS)),
            )
        if key in header:
            raise ContentError(path, number, f"metadata {key!r} given twice")
        header[key] = (match.group("value").strip(), number)
        last_key = key
    return header


def check_header(header: dict, path, templates: set[str]) -> None:
    """Title present, dates parseable, status and template known."""
    if not header.get("title", ("", 0))[0]:
        line = header["title"][1] if "title" in header else 1
        raise ContentError(
            path, line, "title missing: expected a first line 'Title: …'"
        )
    for key in DATE_KEYS & header.keys():
        value, line = header[key]
        try:
            get_date(value)
        except (ValueError, OverflowError):
            raise ContentError(
                path,
                line,
                f"{key} {value!r} is not a valid date; expected e.g. "
                "'2026-11-22' or '2026-11-22 09:30'",
            ) from None
    if "status" in header and header["status"][0] not in STATUSES:
        value, line = header["status"]
        raise ContentError(
            path, line, f"status {value!r} unknown; expected one of: {', '.join(sorted(STATUSES))}"
        )
    if "template" in header and header["template"][0] not in templates:
        value, line = header["template"]
        raise ContentError(
            path,
            line,
            f"template {value!r} does not exist in theme/templates; expected one of: "
            + ", ".join(sorted(templates)),
        )


ACTIVE_HTML = re.compile(r"<\s*script\b|<[^>]*\son[a-z]+\s*=|javascript\s*:|vbscript\s*:", re.I)
INLINE_CODE = re.compile(r"`[^`]*`")
FENCE = re.compile(r"^\s*(```|~~~)")


def check_active_html(text: str, path) -> None:
    """Refuse scripts, event handlers and javascript: URLs in a post (outside code).

    Authors may write HTML, but nothing that runs: the site's Content-Security-Policy
    would block it anyway, and in a feed reader it would be an attack.
    """
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = ACTIVE_HTML.search(INLINE_CODE.sub("", line))
        if match:
            raise ContentError(
                path,
                number,
                f"active content {match.group(0)!r} is not allowed (no <script>, on…= handlers "
                "or javascript: links); put code examples in `backticks`",
            )


def theme_templates(theme: str) -> set[str]:
    folder = Path(theme) / "templates"
    return {p.stem for p in folder.glob("*.html")}
