"""Change feeds: render what the capabilities registered (wachhund.site), and /feeds/.

This plugin knows no domain. Each capability adds its `ChangeFeed`s to
`site_of(settings).feeds` (OZG status, link health, corrections, ...); here they
are written as Atom and RSS, and listed on the German page /feeds/.
"""

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup, escape
from pelican.generators import Generator

from wachhund.lib.dates import datum
from wachhund.lib.files import write_output
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id
from wachhund.site import site_of

from .settings import get_settings
from .xmltext import rss_text, xml_safe

def one_per_moment(entries, page, newest=None):
    """Changes observed at the same moment become one entry (a day's import is one
    notification, with every change in it): entries are dated by their observation,
    and a feed whose entries share `updated` is ambiguous to feed readers.
    `newest`: only that many moments, the latest (a feed shows no more)."""
    by_moment = {}
    for entry in entries:
        by_moment.setdefault(entry.date, []).append(entry)
    merged = []
    for moment in sorted(by_moment, reverse=True)[:newest]:
        group = by_moment[moment]
        if len(group) == 1:
            merged.append(group[0])
            continue
        group.sort(key=lambda e: (e.title, e.id))
        merged.append(ChangeEntry(
            id=stable_id("group", *(e.id for e in group)),
            title=f"{len(group)} Änderungen vom {datum(moment)}",
            link=group[0].link if len({e.link for e in group}) == 1 else page,
            date=moment,
            # escape() on every value, as Markup.format would do (content is Markup: kept as it is)
            content=Markup("".join(f"<h2>{escape(e.title)}</h2>{escape(e.content)}" for e in group)),
        ))
    return merged


def render_feed(meta, entries, max_entries, fallback_date):
    """(atom bytes, rss bytes) for entries, newest first, at most max_entries."""
    from feedgen.feed import FeedGenerator  # lxml is heavy; load it only when writing feeds
    entries = one_per_moment(entries, meta["page"] or "/", max_entries)
    entries = sorted(entries, key=lambda e: (e.date, e.id), reverse=True)[:max_entries]
    fg = FeedGenerator()
    fg.id(meta["id"])
    fg.title(xml_safe(meta["title"]))
    fg.subtitle(xml_safe(meta["subtitle"]))
    fg.description(xml_safe(meta["subtitle"]))
    fg.link(href=meta["page"] or "/", rel="alternate")
    fg.link(href=meta["self"], rel="self")
    fg.language("de")
    fg.author({"name": meta["author"]})
    fg.generator("Wachhund (feedgen)")
    fg.updated(entries[0].date if entries else as_moment(fallback_date))
    fg.lastBuildDate(entries[0].date if entries else as_moment(fallback_date))
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(xml_safe(entry.title))
        fe.link(href=entry.link)
        fe.published(entry.date)
        fe.updated(entry.date)
        fe.description(xml_safe(str(entry.content)))  # RSS; must come before content()
        fe.content(xml_safe(str(entry.content)), type="html")
    atom = fg.atom_str(pretty=True)
    # Each format names itself as "self" (the validator checks it against its location).
    fg.link([{"href": meta["page"] or "/", "rel": "alternate"}, {"href": meta["self_rss"], "rel": "self"}], replace=True)
    # Atom says type="text" (feedgen's default); RSS cannot, so its text is written so
    # that no reader takes it for markup (xmltext.rss_text).
    fg.title(rss_text(meta["title"]))
    fg.description(rss_text(meta["subtitle"]))
    for fe, entry in zip(fg.entry(), entries, strict=True):
        fe.title(rss_text(entry.title))
    return atom, fg.rss_str(pretty=True)


class ChangeFeedsGenerator(Generator):
    """Writes every registered feed with its page, and /feeds/. Capabilities may
    register until the writing starts, so the list is made in generate_output."""

    def generate_output(self, writer):
        config = get_settings(self.settings)
        site = site_of(self.settings)
        base_url = self.settings.get("FEED_DOMAIN") or self.settings.get("SITEURL") or ""
        # A feed without entries still needs an `updated`: the newest post's day,
        # which changes only with the content (never the build's clock).
        posts = self.context.get("articles", [])
        newest = max((a.date for a in posts), default=dt.datetime(2000, 1, 1)).date()
        pages = [self.post_feed_page(config, base_url, posts)]
        for feed in site.feeds:
            base = f"{config.output_dir}/{feed.name}"
            meta = {"id": stable_id("feed", base), "title": f"{self.settings['SITENAME']} – {feed.title}",
                    "subtitle": feed.text, "page": f"{site.site_url}/{feed.page}", "self": f"{site.site_url}/{base}.atom.xml",
                    "self_rss": f"{site.site_url}/{base}.rss.xml", "author": self.settings.get("AUTHOR", "")}
            entries = list(feed.entries())
            atom, rss = render_feed(meta, entries, config.max_entries, feed.fallback_date or newest)
            for suffix, data in ((".atom.xml", atom), (".rss.xml", rss)):
                write_output(self.output_path, f"{base}{suffix}", data)
            newest_first = sorted(entries, key=lambda e: (e.date, e.id), reverse=True)[:config.max_entries]
            pages.append(FeedPage(feed.name, feed.title, feed.text, f"{base}/", f"{base_url}/{base}.atom.xml",
                                  f"{base_url}/{base}.rss.xml", feed.page, feed.listed, newest_first))
        common = {"relative_urls": self.settings["RELATIVE_URLS"], "page_name": "feeds",
                  "feeds_url": f"{config.output_dir}/"}
        for page in pages:
            writer.write_file(f"{page.url}index.html", self.get_template("feed"), self.context, feed=page, url=page.url,
                              **common)
        writer.write_file(f"{config.output_dir}/index.html", self.get_template("feeds_page"), self.context,
                          post_feed=pages[0], change_feeds=[p for p in pages[1:] if p.listed], **common)

    def post_feed_page(self, config, base_url, posts) -> "FeedPage":
        """The page of Pelican's feed of all posts, from the same posts (newest first)."""
        name = "alle"
        entries = [
            ChangeEntry(id=a.url, title=a.title, link=f"{base_url}/{a.url}", date=as_moment(a.date),
                        content=Markup(a.summary or ""))
            for a in sorted(posts, key=lambda a: a.date, reverse=True)[: self.settings.get("FEED_MAX_ITEMS") or 50]
        ]
        return FeedPage(name, "Alle Beiträge", "Jeder neue Beitrag, mit vollem Text.", f"{config.output_dir}/{name}/",
                        f"{base_url}/{self.settings['FEED_ALL_ATOM']}", f"{base_url}/{self.settings['FEED_ALL_RSS']}",
                        "", True, entries)


@dataclass(frozen=True)
class FeedPage:
    """What the German page of one feed shows: its addresses to copy and its entries."""

    name: str
    title: str
    text: str
    url: str  # the page itself, e.g. "feeds/korrekturen/"
    atom: str  # absolute (or root-relative in a local build)
    rss: str
    page: str  # the site page the feed belongs to
    listed: bool
    entries: list
