"""Every use of a private Pelican name or behaviour, in one place (written for Pelican 4.12).

Everything else uses Pelican's public API (settings, signals, the reader, generator,
content and writer classes). tests/plugins/test_pelican_pin.py pins the Pelican version, runs
each function below against the installed Pelican, and fails if one of these names
turns up elsewhere in plugins/ or wachhund/. On an upgrade, re-check:

- `read_site` (make serve's preview, wachhund/commands/preview.py): the site read, nothing
  written. `Pelican.run()` asks the `get_writer` signal for a writer once every generator
  has read and finalized its content; raising from that receiver ends the run there.
- `replace_everywhere` (preview): an edited post replaces its old version wherever a
  generator holds it, found by walking `generator.__dict__` (and the context).
- `write_post_pages` (preview): `ArticlesGenerator.generate_articles`/`generate_drafts` write
  only the posts' own pages, not the tag, category and author pages of `generate_output`.
- `contents` (preview, frozen_urls): the generator attributes that hold what was read.
- `parse_metadata` (strict_reader): `MarkdownReader._parse_metadata` makes Pelican's metadata
  (dates, tags, the summary as HTML) from the Markdown Meta, reading the reader's `_md` and
  `_source_path`; it deregisters the "meta" preprocessor, which we put back (one Markdown
  instance serves every file).
- `OpenWatchingWriter` (unique_output): every page and feed Pelican's Writer writes is
  opened through `Writer._open_w(filename, encoding, override)`.
- `save_as_unreferenced` (source_files): `Content.save_as.fget` reads a static file's address
  without `Static.save_as`'s side effect (marking it referenced, after which Pelican no
  longer moves an {attach}ed file next to its post).
- `intrasite_link_regex`, `reader_html` (drafts): `Content._get_intrasite_link_regex`, the
  pattern Pelican replaces links with, and `Content._content`, the HTML before that.
- `freeze_url` (frozen_urls): `Content.get_url_setting` prefers `override_url` when set.
"""

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.writers import Writer

# Where Pelican's article and page generators keep what they read, of every status.
CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations",
    "pages", "hidden_pages", "draft_pages", "draft_translations",
)
META_PRIORITY = 27  # Python-Markdown's own priority for the meta preprocessor


class _ContextReady(Exception):
    """Raised from `get_writer`: everything is read and sorted; nothing is to be written."""


def read_site(settings) -> list | None:
    """Run Pelican with `settings` up to the point where writing starts; its generators
    (None if Pelican stopped before all were finalized)."""
    captured = {}

    def keep(generators):
        captured["generators"] = generators

    def stop(_pelican):
        raise _ContextReady

    signals.all_generators_finalized.connect(keep)
    signals.get_writer.connect(stop)  # Pelican.run() sends it once all is read: the only run in this process
    try:
        Pelican(settings).run()
    except _ContextReady:
        pass
    finally:
        signals.get_writer.disconnect(stop)
        signals.all_generators_finalized.disconnect(keep)
    return captured.get("generators")


def contents(generator):
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, None) or ()


def replace_everywhere(generator, old, new) -> None:
    """Put `new` wherever `generator` (its attributes and its context) holds `old`."""
    seen = set()
    _replace(generator.__dict__, old, new, seen)
    _replace(generator.context, old, new, seen)


def _replace(container, old, new, seen: set, depth: int = 6) -> None:
    if depth == 0 or id(container) in seen:
        return
    seen.add(id(container))
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, item in items:
        if item is old and not isinstance(container, tuple):  # Pelican's tuples hold lists, not posts
            container[key] = new
        elif isinstance(item, (list, tuple, dict)):
            _replace(item, old, new, seen, depth - 1)


def write_post_pages(generator, write) -> None:
    generator.generate_articles(write)
    generator.generate_drafts(write)


def parse_metadata(reader, md, source_path) -> dict:
    """Pelican's metadata from the Meta of `md`, which has just converted `source_path`."""
    reader._md, reader._source_path = md, source_path
    meta_preprocessor = md.preprocessors["meta"]
    try:
        return reader._parse_metadata(getattr(md, "Meta", {}))
    finally:
        if "meta" not in md.preprocessors:
            md.preprocessors.register(meta_preprocessor, "meta", META_PRIORITY)


class OpenWatchingWriter(Writer):
    """Pelican's Writer, calling `before_open(path)` before it opens any output file."""

    def before_open(self, filename: str) -> None:
        """Override: raise to refuse the write."""

    def _open_w(self, filename, encoding, override=False):
        self.before_open(filename)
        return super()._open_w(filename, encoding, override)


def save_as_unreferenced(static) -> str:
    return Content.save_as.fget(static)


def intrasite_link_regex(content):  # groups `what` and `value`
    return content._get_intrasite_link_regex()


def reader_html(content) -> str:
    return content._content or ""


def freeze_url(content) -> None:
    content.override_url = content.url
