"""Re-render only the pages whose inputs changed (the rebuild after editing a post).

Pelican re-renders every page on every build, even when one post changed.
This plugin keys each rendered page on what it is made of:

- the site-wide inputs: data, plugins and settings (already in CACHE_PATH's
  name), the theme's templates, plain settings values, and every post's and
  page's metadata (title, URL, date, tags, summary, ...: what list pages,
  neighbours and sidebars show);
- the page itself: its output file, its template, SITEURL, and the full
  content of every post it shows (the post, or the posts of a list page).

A page whose key was rendered before is read from ``CACHE_PATH/rendered``
(one pack file, see store.py) instead of being rendered again; editing a
post's text re-renders that post's page and the list pages that show it,
editing its title or tags everything. Pelican's post feeds are keyed the same
way. Off with ``--ignore-cache`` or ``LOAD_CONTENT_CACHE = False``.
"""

import hashlib
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from frozen_urls import all_content

from .store import Store, StoreBusy

log = logging.getLogger(__name__)
SIMPLE = (str, int, float, bool, type(None))
# Metadata only the post's own page shows (JSON-LD word count, table of
# contents): part of that page's key, not of every page's.
OWN_PAGE_ONLY = frozenset({"word_count", "toc"})
_state = {}


def _plain(value):
    """`value` if it is made of plain data (stable repr), else None."""
    if isinstance(value, SIMPLE):
        return value
    if isinstance(value, (list, tuple)):
        items = [_plain(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value)) else tuple(items)
    if isinstance(value, dict):
        items = {str(k): _plain(v) for k, v in value.items()}
        return None if any(items[str(k)] is None and v is not None for k, v in value.items()) else sorted(items.items())
    return None


def _metadata(content, own_page: bool = False) -> str:
    fields = {
        "source": content.source_path, "url": content.url, "save_as": content.save_as, "title": content.title,
        "summary": str(getattr(content, "summary", "")), "status": content.status,
        "template": content.template, "lang": content.lang,
    }
    for key, value in content.metadata.items():
        if key in OWN_PAGE_ONLY and not own_page:
            continue
        if isinstance(value, URLWrapper):
            value = str(value)
        elif isinstance(value, list) and value and isinstance(value[0], URLWrapper):
            value = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        fields[f"meta:{key}"] = _plain(value)
    return repr(sorted(fields.items()))


def _hasher():
    # 128 bits: no collision in any site's lifetime, and half the memory of a
    # SHA-256 hex string for each of the build's thousands of keys.
    return hashlib.blake2b(digest_size=16)


def _content_digest(content) -> bytes:
    # Kept here, not as an attribute: a new attribute on every post costs
    # ~1.3 KB each (see article_navigation).
    digests = _state["digests"]
    digest = digests.get(id(content))
    if digest is None:
        hasher = _hasher()
        hasher.update((content._content or "").encode())
        hasher.update(b"\0" + _metadata(content, own_page=True).encode())
        digest = digests[id(content)] = hasher.digest()
    return digest


def _site_digest(generators, settings) -> str:
    digest = hashlib.sha256(str(settings["CACHE_PATH"]).encode())
    templates = Path(settings["THEME"]) / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    # OUTPUT_PATH is a fresh temporary folder on every build; no page shows it.
    plain = sorted((k, _plain(v)) for k, v in settings.items() if k.isupper() and k != "OUTPUT_PATH")
    digest.update(repr(plain).encode())
    for content in all_content(generators):
        digest.update(_metadata(content).encode())
    return digest.hexdigest()


def _key(parts) -> bytes:
    hasher = _hasher()
    hasher.update("\0".join(parts).encode())
    return hasher.digest()


def _page_key(template_name, context) -> bytes:
    parts = [_state["site"], template_name, str(context.get("output_file")), str(context.get("SITEURL")),
             str(context.get("localsiteurl"))]
    for key in sorted(context):
        value = context[key]
        if isinstance(value, Content):
            parts.append(f"{key}={_content_digest(value).hex()}")
        elif key.endswith("_page") and hasattr(value, "object_list"):
            parts.append(f"{key}={value.number}:" + ",".join(
                _content_digest(c).hex() for c in value.object_list if isinstance(c, Content)))
    return _key(parts)


def _lookup(key):
    return _state["store"].lookup(key)


def _store(key, text):
    _state["store"].put(key, text)


class _CachedTemplate:
    """Stands in for a Jinja template in Pelican's writer: render() may come from the cache."""

    def __init__(self, template):
        self._template = template
        self.name = template.name

    def render(self, context):
        key = _page_key(self.name, context)
        html = _lookup(key)
        if html is None:
            html = self._template.render(context)
            _store(key, html)
        return html

    def __getattr__(self, name):
        return getattr(self._template, name)


class CachingWriter(Writer):
    """Pelican's writer, with each post feed's file keyed like a page.

    Feeds are Pelican's largest uncached cost on a rebuild (one per tag,
    category and author, each with full posts: ~1 s of a 1,000-post rebuild).
    On a hit the file is written as it was, after every feed_generated and
    feed_written handler had run then, and no feed object is returned.
    """

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False,
                   feed_title=None):
        if not path or "store" not in _state:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        items = elements[: self.settings["FEED_MAX_ITEMS"]]
        key = _key([_state["site"], "feed", str(path), str(url), feed_type, str(feed_title),
                    str(context.get("SITEURL")), str(context.get("FEED_DOMAIN")),
                    *(_content_digest(e).hex() for e in items)])
        text = _lookup(key)
        if text is None:
            feed = super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
            _store(key, Path(sanitised_join(self.output_path, path)).read_bytes().decode("utf-8"))
            return feed
        complete_path = sanitised_join(self.output_path, path)
        os.makedirs(os.path.dirname(complete_path), exist_ok=True)
        with self._open_w(complete_path, "utf-8", override_output) as handle:
            handle.write(text)
        return None


def get_writer(pelican):
    return CachingWriter


def on_all_generators_finalized(generators):
    settings = generators[0].settings
    if "store" in _state:  # a build in this process that failed
        _state["store"].close()
    _state.clear()
    if not (settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_CONTENT")):
        return
    try:
        store = Store(Path(settings["CACHE_PATH"]) / "rendered")
    except StoreBusy as exc:
        log.warning("render cache not used: %s; rendering every page", exc)
        return
    _state.update(site=_site_digest(generators, settings), store=store, digests={})
    for generator in generators:
        if hasattr(generator, "get_template"):
            original = generator.get_template
            generator.get_template = lambda name, _get=original: _CachedTemplate(_get(name))


def on_finalized(pelican):
    """The build succeeded: the pages it used become the cache."""
    if "store" in _state:
        _state.pop("store").finish()


def register():
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
    signals.get_writer.connect(get_writer)
