"""Mark every external link in rendered HTML with its recorded verdict.

One regex pass per document (no HTML re-parsing): Python-Markdown writes
attributes in double quotes, raw HTML may use single quotes; both are read.
"""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

from markupsafe import Markup

from wachhund.lib.dates import datum
from wachhund.lib.net import is_http_url

from wachhund.links.rules import parse_iso

A_OPEN = re.compile(r"<a\b([^>]*)>", re.I)
HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
A_CLOSE = re.compile(r"</a\s*>", re.I)
SOURCE_CLASS = re.compile(r"""\bclass\s*=\s*["'][^"']*\bquelle\b""", re.I)


def public_verdict(record) -> str:
    return record.get("verdict", "unchecked") if record else "unchecked"


def wayback_url(settings, url, record) -> str:
    if record.get("archive_url"):
        return record["archive_url"]
    before = parse_iso(record.get("last_ok")) or (parse_iso(record["failing_since"]) - dt.timedelta(days=1))
    return settings.wayback.format(date=before.strftime("%Y%m%d"), url=url)


def marker(settings, url, record) -> Markup:
    verdict = public_verdict(record)
    if verdict == "dead":
        return Markup(
            ' <span class="link-note link-dead">(nicht erreichbar seit {}; '
            '<a href="{}" data-link-status="archive">archivierte Fassung</a>)</span>'
        ).format(datum(parse_iso(record["failing_since"])), wayback_url(settings, url, record))
    if verdict == "moved" and record.get("final_url"):
        final = record["final_url"]
        parts = urlsplit(final)
        return Markup(' <span class="link-note link-moved">(umgezogen nach <a href="{}" data-link-status="ok">{}</a>)</span>').format(
            final, (parts.hostname or "") + parts.path.rstrip("/")
        )
    if url in settings.watch and record and record.get("unchanged_since") and record.get("last_checked"):
        since = parse_iso(record["unchanged_since"])
        last = parse_iso(record["last_checked"])
        if (last - since).days >= settings.unchanged_after_days:
            return Markup(' <span class="link-note link-unchanged">(unverändert seit {})</span>').format(datum(since))
    return Markup("")


def robust_attributes(url, record) -> str:
    """Robust Links (robustlinks.mementoweb.org): the original, the snapshot and its date."""
    if not record or not record.get("archive_url") or not record.get("archived_at"):
        return ""
    return str(Markup(' data-originalurl="{}" data-versiondate="{}" data-versionurl="{}"').format(
        url, str(record["archived_at"])[:10], record["archive_url"]))


def archive_note(record) -> Markup:
    """Beside a cited source (class="quelle"): its archived copy, if there is one."""
    if not record or not record.get("archive_url") or not record.get("archived_at") or public_verdict(record) == "dead":
        return Markup("")
    return Markup(' <a class="archiv-link" href="{}" data-link-status="archive">(archivierte Fassung vom {})</a>').format(
        record["archive_url"], datum(parse_iso(record["archived_at"])))


def annotate(html: str, state: dict, settings, on_link=None) -> str:
    """Return `html` with data-link-status on every external link and markers after dead/moved ones."""
    out = []
    position = 0
    for match in A_OPEN.finditer(html):
        if match.start() < position:
            continue
        attrs = match.group(1)
        href = HREF.search(attrs)
        if not href or "data-link-status" in attrs:
            continue
        url = unescape(href.group(2)).strip()
        if not is_http_url(url) or (urlsplit(url).hostname or "") in settings.ignore_hosts:
            continue
        record = state.get(url)
        if on_link:
            on_link(url)
        close = A_CLOSE.search(html, match.end())
        end = close.end() if close else match.end()
        out += [html[position:match.start()],
                f'<a{attrs} data-link-status="{public_verdict(record)}"{robust_attributes(url, record)}>',
                html[match.end():end], str(marker(settings, url, record))]
        if SOURCE_CLASS.search(attrs):
            out.append(str(archive_note(record)))
        position = end
    out.append(html[position:])
    return "".join(out)
