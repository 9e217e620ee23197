"""Checks on the raw text of a post, before Markdown sees it."""

import re
from html import unescape
from pathlib import Path

from markdown.extensions.attr_list import get_attrs_and_remainder, sanitize_name
from pelican.utils import get_date, slugify
from wachhund.lib.source import blank_code

from wachhund.site import site_of
from wachhund.lib.errors import ContentError
from .sanitize import AUTHOR_DATA_ATTRIBUTES

# Same patterns as markdown.extensions.meta, so we accept exactly what it reads.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
YAML_FENCE = re.compile(r"^-{3}(\s.*)?$")

KNOWN_KEYS = {
    "title", "date", "modified", "category", "tags", "keywords", "slug",
    "author", "authors", "summary", "description", "status", "template",
    "lang", "translation", "save_as", "url", "image", "image_alt", "toc", "korrektur",
}
REPEATABLE = {"korrektur"}  # one line per correction
DATE_KEYS = {"date", "modified"}
STATUSES = {"published", "draft", "hidden"}


def decode_utf8(raw: bytes, path) -> str:
    """Decode strictly; on failure say on which line the bad byte is."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(path, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8 "
                           "in the editor") from None


def read_header(text: str, path) -> dict:
    """Return {key: (value, line)} of the metadata block, or raise ContentError."""
    lines = text.split("\n")
    lines[0] = lines[0].removeprefix("\ufeff")
    start = 1 if YAML_FENCE.match(lines[0]) else 0
    header = {}
    last_key = None
    for number, line in enumerate(lines[start:], start + 1):
        if not line.strip() or (start and YAML_FENCE.match(line)):
            break
        more = META_MORE.match(line)
        if more and last_key:
            entries = header[last_key] if last_key in REPEATABLE else [header[last_key]]
            value, first = entries[-1]
            entries[-1] = (f"{value} {more.group('value').strip()}", first)
            if last_key not in REPEATABLE:
                header[last_key] = entries[-1]
            continue
        match = META_LINE.match(line)
        if not match:
            raise ContentError(path, number, f"broken metadata line {line.strip()[:60]!r}: expected 'Name: value' "
                               "(e.g. 'Date: 2026-11-22'), and a blank line before the text")
        key = match.group("key").lower()
        if key not in KNOWN_KEYS:
            raise ContentError(path, number, f"unknown metadata {match.group('key')!r}; expected one of: "
                               + ", ".join(sorted(KNOWN_KEYS)))
        if key in REPEATABLE:
            header.setdefault(key, []).append((match.group("value").strip(), number))
        elif key in header:
            raise ContentError(path, number, f"metadata {key!r} given twice")
        else:
            header[key] = (match.group("value").strip(), number)
        last_key = key
    return header


def check_header(header: dict, path, templates: set[str]) -> None:
    """Title present, dates parseable, status and template known."""
    if not header.get("title", ("", 0))[0]:
        line = header["title"][1] if "title" in header else 1
        raise ContentError(path, line, "title missing: expected a first line 'Title: …'")
    for key in DATE_KEYS & header.keys():
        value, line = header[key]
        try:
            get_date(value)
        except (ValueError, OverflowError):
            raise ContentError(path, line, f"{key} {value!r} is not a valid date; expected e.g. "
                               "'2026-11-22' or '2026-11-22 09:30'") from None
    if "status" in header and header["status"][0] not in STATUSES:
        value, line = header["status"]
        raise ContentError(path, line, f"status {value!r} unknown; expected one of: {', '.join(sorted(STATUSES))}")
    if "template" in header and header["template"][0] not in templates:
        value, line = header["template"]
        raise ContentError(path, line, f"template {value!r} does not exist in theme/templates; expected one of: "
                           + ", ".join(sorted(templates)))


SLUG = re.compile(r"^[a-z0-9-]*[a-z0-9][a-z0-9-]*$")
PATH_OVERRIDE = re.compile(r"^(?:[a-z0-9-]+/)*(?:[a-z0-9-]+(?:\.html|/|/index\.html)?)$")
LABELS = (("tags", "TAG", "tag"), ("category", "CATEGORY", "category"),
          ("author", "AUTHOR", "author"), ("authors", "AUTHOR", "author"))


def reserved_folders(settings) -> set[str]:
    """Top-level output folders the build itself writes: a post or page there
    would overwrite, or be deleted by, generated files (search index, feeds, …).
    Pelican's own come from its settings; each plugin names its own in the Site."""
    names = {settings.get("THEME_STATIC_DIR", "theme"), *settings.get("STATIC_PATHS", [])}
    for key, value in settings.items():
        if key.endswith(("_SAVE_AS", "_URL")) and isinstance(value, str) and "/" in value:
            first = value.split("/", 1)[0]
            if first and "{" not in first:
                names.add(first)
    return names | site_of(settings).reserved_folders


def _has_slug(value: str, settings, kind: str, memo=None) -> bool:
    """Whether `value` slugifies to something with a letter or digit (not "" or "-").
    `memo` keeps the answers for one build: the same tags recur in every post."""
    memo = {} if memo is None else memo
    if (kind, value) not in memo:
        memo[kind, value] = bool(re.search(r"[a-z0-9]", _slug(value, settings, kind), re.I))
    return memo[kind, value]


def _slug(value: str, settings, kind: str) -> str:
    return slugify(value, regex_subs=settings.get(f"{kind}_REGEX_SUBSTITUTIONS", ()),
                   preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


def check_slugs(header: dict, path, settings, reserved=None, memo=None) -> None:
    """Slugs and URL overrides stay inside the site, and every label gets a page.

    `Slug: ../pagefind` once built with exit 0 and the search index then deleted
    the post; a tag that slugifies to nothing made /schlagwort//."""
    reserved = reserved if reserved is not None else reserved_folders(settings)
    if "slug" in header:
        value, line = header["slug"]
        if not SLUG.match(value):
            raise ContentError(path, line, f"slug {value!r} may only use a-z, 0-9 and '-' (e.g. 'buergeramt-termine')")
        if value in reserved or value.startswith("pagefind"):
            raise ContentError(path, line, f"slug {value!r} is a folder the site itself uses; choose another")
    else:
        value, line = header["title"]
        if not _has_slug(value, settings, "SLUG"):
            raise ContentError(path, line, f"title {value!r} gives an empty slug; add a line 'Slug: …' (a-z, 0-9, '-')")
    for key in ("save_as", "url"):
        if key in header:
            value, line = header[key]
            first = value.split("/", 1)[0]
            if not PATH_OVERRIDE.match(value) or first in reserved or first.startswith("pagefind"):
                raise ContentError(path, line, f"{key} {value!r} must be a path like 'thema/seite/' of a-z, 0-9 and '-', "
                                   "outside the site's own folders")
    for key, kind, what in LABELS:
        if key in header:
            value, line = header[key]
            names = [n.strip() for n in value.split(",")] if key in ("tags", "authors") else [value.strip()]
            for name in names:
                if name and not _has_slug(name, settings, kind, memo):
                    raise ContentError(path, line, f"{what} {name!r} gives an empty address (slug); use letters or digits")


FORBIDDEN_TAG = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|frameset|object|embed|applet|form|input|button|textarea|"
    r"select|base|link|meta|svg|math|template|noscript)\b", re.I)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)  # may span lines, like a browser reads it
HANDLER = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.I)
URL_ATTRIBUTE = re.compile(
    r"""[\s/"'](?:href|src|srcset|action|formaction|xlink:href|poster|background|cite|data)\s*=\s*"""
    r"""("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
MARKDOWN_URL = re.compile(r"\]\(\s*<?([^)\s>]*)|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
STYLE_URL = re.compile(r"""[\s/"']style\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
CSS_URL = re.compile(r"url\(\s*([^)]*)\)|(expression)\s*\(", re.I)
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore them inside a scheme
# A start tag's attributes as a browser's tokeniser splits them: a quoted value may hold ">"
# and a name may follow a quoted value without a space (HTML's "before attribute name" state).
START_TAG = re.compile(r"<[a-zA-Z][^\t\n\f\r />]*")
TAG_ATTRIBUTE = re.compile(
    r"""[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r /=>]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"|'[^']*'|[^\t\n\f\r >]*))?""")
# Python-Markdown's attribute lists ({: data-x="…" } after a heading, a block, an inline
# element or on a code fence's opening line), the shape its attr_list extension matches.
# Only the "{" is consumed, so every brace on a line starts a list of its own.
ATTRIBUTE_LIST = re.compile(r"\{(?=:?[ ]*([^}\n ][^\n]*)\})")
FENCE_LINE = re.compile(r"^[ ]{0,3}(?:```|~~~)[^\n{]*\{[^\n]*", re.M)  # a fence line with a list
FORMATTED_FIELDS = {"summary"}  # Pelican's FORMATTED_FIELDS: header values rendered as Markdown


def _dangerous_url(value: str) -> bool:
    value = unescape(value.strip("\"'"))
    return bool(BAD_SCHEME.match(INVISIBLE.sub("", value)))


def _html_attributes(text: str):
    """(offset, name) of every attribute of every start tag in `text`, scanning on
    from each tag's end, so markup inside a quoted value is not taken for a tag."""
    position = 0
    while (tag := START_TAG.search(text, position)) is not None:
        position = tag.end()
        while (attribute := TAG_ATTRIBUTE.match(text, position)) is not None:
            yield attribute.start(1), attribute.group(1)
            position = attribute.end()


def _attribute_list_names(text: str, raw: str):
    """(offset, name) of every attribute in Markdown attribute lists: in the text
    (code blanked) and on code fences' opening lines (in `raw`). Every "{" is read
    as attr_list reads a list, up to its first "}"."""
    sources = [(0, text)] + [(fence.start(), fence.group(0)) for fence in FENCE_LINE.finditer(raw)]
    for start, source in sources:
        for brace in ATTRIBUTE_LIST.finditer(source):
            for key, _value in get_attrs_and_remainder(brace.group(1))[0]:
                if key not in (".", "id"):
                    yield start + brace.start(), sanitize_name(key)


def _plain_metadata_blanked(text: str) -> str:
    """`text` with the header lines that are plain text (all but Summary, the one field
    Pelican renders as Markdown) blanked: templates escape them, so markup there is text."""
    lines = text.split("\n")
    plain = False
    for index, line in enumerate(lines):
        if not line.strip() or (index and YAML_FENCE.match(line)):
            break
        if index == 0 and YAML_FENCE.match(line):
            continue
        if match := META_LINE.match(line):
            plain = match.group("key").lower() not in FORMATTED_FIELDS
        elif not META_MORE.match(line):
            break
        if plain:
            lines[index] = " " * len(line)
    return "\n".join(lines)


def _refused_data_attributes(text: str, raw: str):
    """data-* attributes an author may not write (see sanitize.AUTHOR_DATA_ATTRIBUTES):
    Pagefind and the link marking act on them. Matched lowercased, as browsers do."""
    if "data-" not in raw.lower():
        return  # names cannot be encoded: no "data-", no data attribute (most posts; faster than a regex)
    text = _plain_metadata_blanked(text)
    for offset, name in [*_html_attributes(text), *_attribute_list_names(text, raw)]:
        if name.lower().startswith("data-") and name.lower() not in AUTHOR_DATA_ATTRIBUTES:
            yield offset, name


def check_active_html(text: str, path) -> None:
    """Refuse markup that would run (outside code), naming its line.

    Authors may write HTML, but nothing that runs: no script-like elements,
    no on…= handlers (also after "/" or a line break inside the tag) and no
    javascript:/vbscript:/data:/file: links, however their letters are encoded.
    No data-* attributes either (in HTML or in a {: … } attribute list): the search
    and the link marking act on them.
    The sanitiser (sanitize.py) removes such things anyway; this tells the author.
    """
    raw, text = text, blank_code(text)
    found = []
    if match := FORBIDDEN_TAG.search(text):
        found.append((match.start(), match.group(0).strip()))
    for tag in TAG.finditer(text):
        if handler := HANDLER.search(tag.group(0)):
            found.append((tag.start() + handler.start(1), handler.group(1) + "="))
        for url in URL_ATTRIBUTE.finditer(tag.group(0)):
            if _dangerous_url(url.group(1)):
                found.append((tag.start() + url.start(1), url.group(1)[:40]))
        for style in STYLE_URL.finditer(tag.group(0)):
            for css in CSS_URL.finditer(unescape(style.group(1))):
                if css.group(2) or _dangerous_url(css.group(1)):
                    found.append((tag.start() + style.start(1), style.group(1)[:40]))
    for link in MARKDOWN_URL.finditer(text):
        value = link.group(1) if link.group(1) is not None else link.group(2)
        if value and _dangerous_url(value):
            found.append((link.start(), value[:40]))
    problems = [(offset, f"active content {what!r} is not allowed (no <script>, <iframe>, <svg>, on…= handlers, "
                 "javascript:/data: links); put code examples in `backticks`") for offset, what in found]
    problems += [(offset, f"attribute {name!r} is not allowed: data-… attributes steer the search, the link "
                  "marking and the OZG tables, only the site writes them; remove it") for offset, name in
                 _refused_data_attributes(text, raw)]
    if problems:
        offset, message = min(problems)
        raise ContentError(path, text.count("\n", 0, offset) + 1, message)


def theme_templates(theme: str) -> set[str]:
    folder = Path(theme) / "templates"
    return {p.stem for p in folder.glob("*.html")}
