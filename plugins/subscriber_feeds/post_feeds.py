"""Adjust Pelican's post feeds: language, absolute URLs, RSS text that is never markup."""

import re

from feedgenerator import RssFeed

from .xmltext import rss_text, xml_safe

ROOT_RELATIVE = re.compile(r"""(\b(?:href|src)\s*=\s*["'])/(?!/)""", re.I)


def absolutize(html, site_url):
    """Root-relative links inside content become absolute (feed readers have no base)."""
    if not html or not site_url:
        return html
    return ROOT_RELATIVE.sub(lambda m: m.group(1) + site_url.rstrip("/") + "/", html)


def polish_feed(context, feed):
    feed.feed["language"] = "de"
    site_url = context.get("FEED_DOMAIN") or context.get("SITEURL") or ""
    rss = isinstance(feed, RssFeed)  # Atom marks its titles as text itself
    if rss:
        for key in ("title", "description"):
            feed.feed[key] = rss_text(feed.feed.get(key))
    for item in feed.items:
        if rss:
            item["title"] = rss_text(item.get("title"))
        # Pelican's ids are tag: URIs, not addresses; RSS must say so.
        if item.get("unique_id") and not str(item["unique_id"]).startswith(("http://", "https://")):
            item["unique_id_is_permalink"] = False
        for key in ("description", "content"):
            if item.get(key):
                item[key] = xml_safe(absolutize(item[key], site_url))
