"""Change feeds as data: what a capability announces, and the registry that collects it.

Each capability (OZG status, dashboard imports, link health, corrections, questions,
open data, ...) registers its feeds here; the feeds plugin only renders them and
knows no domain. Entries are dated by the observation, never by the build, and
their ids derive from their content, so a rebuild never repeats or reorders one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from markupsafe import Markup

BERLIN = ZoneInfo("Europe/Berlin")


def stable_id(*parts) -> str:
    """Same content -> same id, on any machine and any rebuild."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"urn:wachhund:{digest}"


def as_moment(value: dt.date | dt.datetime) -> dt.datetime:
    """A date or a naive datetime as a moment in Berlin; aware datetimes stay as they are."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=BERLIN)
    return dt.datetime.combine(value, dt.time(), tzinfo=BERLIN)


@dataclass(frozen=True)
class ChangeEntry:
    id: str  # stable: stable_id(kind, ...the facts that make the entry)
    title: str  # plain text; escaped by the feed writer
    link: str  # absolute URL of the page a reader opens
    date: dt.datetime  # aware; when the change was observed
    content: Markup  # HTML built with Markup.format (every value escaped) or sanitised


@dataclass(frozen=True)
class ChangeFeed:
    """One feed: written as <feeds dir>/<name>.atom.xml and .rss.xml."""

    name: str  # path below the feeds folder, e.g. "anfragen" or "ozg-aenderungen/duisburg"
    title: str  # German, without the site name
    text: str  # one German sentence: what a subscriber gets
    page: str  # site-relative URL of the page the feed belongs to, e.g. "anfragen/"
    entries: Callable[[], Iterable[ChangeEntry]]  # called once, when the feeds are written
    listed: bool = True  # on /feeds/; per-item feeds are linked from their own page only
    fallback_date: dt.date | None = None  # `updated` of a feed without entries (else the site's)


@dataclass
class FeedRegistry:
    feeds: list[ChangeFeed] = field(default_factory=list)

    def add(self, feed: ChangeFeed) -> None:
        if any(f.name == feed.name for f in self.feeds):
            raise ValueError(f"feed {feed.name!r} is registered twice")
        self.feeds.append(feed)

    def __iter__(self):
        return iter(self.feeds)
