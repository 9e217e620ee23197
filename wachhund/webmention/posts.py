"""Which posts are online, at which address, in which version: read from content/
without Pelican, by the rules the build applies (tests/commands/test_webmention_command.py compares
the result with a `make publish` build).

Published means: no `Status: draft`/`hidden`, and dated on or before the cut-off day
in Berlin (`HEUTE`, the same input plugins/drafts reads). The address is
`SITEURL/` + `ARTICLE_URL` filled with the post's date and slug (its `Slug:`, or its
title slugified with the site's substitutions, as Pelican does), or its `URL:`.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateutil.parser
from markupsafe import Markup

from wachhund.lib.errors import ContentError
from wachhund.lib.net import is_http_url
from wachhund.lib.settings import SettingsError

# The metadata block as Python-Markdown's meta extension reads it (and strict_reader checks it).
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
YAML_FENCE = re.compile(r"^-{3}(\s.*)?$")
UNPUBLISHED = {"draft", "hidden"}


@dataclass(frozen=True)
class Post:
    path: Path  # the Markdown source
    shown: str  # content/posts/x.md, for messages
    url: str  # its public address
    digest: str  # sha256 of the source: a changed text or changed links send again


def read_header(text: str) -> dict:
    """{key: (value, line)}; continuation lines are joined with a space."""
    lines = text.lstrip("\ufeff").split("\n")
    start = 1 if lines and YAML_FENCE.match(lines[0]) else 0
    header, last = {}, None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or (start and YAML_FENCE.match(line)):
            break
        more = META_MORE.match(line)
        if more and last:
            value, first = header[last]
            header[last] = (f"{value} {more.group('value').strip()}", first)
            continue
        match = META_LINE.match(line)
        if not match:
            break
        last = match.group("key").lower()
        header.setdefault(last, (match.group("value").strip(), number))
    return header


def slugify(value: str, substitutions, use_unicode: bool) -> str:
    """Pelican's slugify (pelican.utils) with the site's SLUG_REGEX_SUBSTITUTIONS."""
    value = unicodedata.normalize("NFKC", Markup(value).striptags())
    if not use_unicode:
        raise SettingsError("SLUGIFY_USE_UNICODE = False: make webmention cannot compute the posts' addresses "
                            "(it follows the site's setting True)")
    for pattern, replacement in substitutions:
        value = re.sub(unicodedata.normalize("NFKC", pattern), unicodedata.normalize("NFKC", replacement),
                       value, flags=re.IGNORECASE)
    return value.lower().strip()


def post_date(value: str, zone: ZoneInfo) -> datetime:
    """As Pelican reads `Date:` (dateutil; a date without a zone is in the site's TIMEZONE)."""
    # Pelican's default: what a partial date leaves out comes from today, at midnight.
    default = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    moment = dateutil.parser.parse(re.sub(" +", " ", value), default=default)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def is_scheduled(moment: datetime, cutoff: date) -> bool:
    """Dated after the cut-off day, counted in Berlin (plugins/drafts/schedule.py's rule)."""
    return moment.astimezone(ZoneInfo("Europe/Berlin")).date() > cutoff


def _address(header, settings, moment, shown) -> str:
    if "url" in header:
        return header["url"][0].lstrip("/")
    slug = header["slug"][0] if "slug" in header else slugify(
        header["title"][0], settings.get("SLUG_REGEX_SUBSTITUTIONS", ()), settings.get("SLUGIFY_USE_UNICODE", False))
    try:
        return settings["ARTICLE_URL"].format(slug=slug, date=moment)
    except (KeyError, IndexError) as exc:
        raise ContentError(shown, 0, f"ARTICLE_URL {settings['ARTICLE_URL']!r} uses {exc}, which "
                                     "make webmention cannot fill in (only {slug} and {date})") from None


def published_posts(root: Path, settings: dict, siteurl: str, cutoff: date) -> list[Post]:
    """The posts `make publish` puts online, with their public addresses, in path order."""
    content = root / settings.get("PATH", "content")
    zone = ZoneInfo(settings.get("TIMEZONE", "Europe/Berlin"))
    found = []
    for folder in settings.get("ARTICLE_PATHS", [""]):
        for path in sorted((content / folder).rglob("*.md")):
            shown = str(path.relative_to(root))
            text = path.read_text(encoding="utf-8")
            header = read_header(text)
            status = header.get("status", ("published", 0))[0].lower()
            if status in UNPUBLISHED or "date" not in header or "title" not in header:
                continue  # Pelican skips a post without a date; strict_reader refuses one without a title
            try:
                moment = post_date(header["date"][0], zone)
            except (ValueError, OverflowError):
                raise ContentError(shown, header["date"][1], f"date {header['date'][0]!r} is not a valid date") from None
            if is_scheduled(moment, cutoff):
                continue
            url = f"{siteurl.rstrip('/')}/{_address(header, settings, moment, shown)}"
            if not is_http_url(url):
                raise ContentError(shown, header.get("slug", header["title"])[1],
                                   f"gives the address {url[:80]!r}, which is no http(s) URL")
            digest = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
            found.append(Post(path=path, shown=shown, url=url, digest=digest))
    return found
