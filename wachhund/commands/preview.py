"""`make serve`'s fast preview: the edited post or page on screen before the full build.

A `WarmSite` is Pelican's context of the whole site (every post read, every list
sorted), kept in the dev server's process. A saved post is read again, put in place of
its old version, and only its own page is rendered with Pelican's own generator code
and templates: tens of milliseconds instead of a full build, which follows at once and
replaces output/, so the preview only comes first. It is made only where it cannot
mislead: a known file whose address, status, date, labels and template stay (SHAPE);
anything else waits for the full build. The Pelican internals it needs are in
wachhund.pelican_internals; tests/commands/test_serve.py compares every preview with a
cold build.
"""

import logging
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.settings import read_settings
from pelican.writers import Writer

from wachhund.pelican_internals import contents, read_site, replace_everywhere, write_post_pages

# What decides which lists a post is in and where: a change here is for the full build.
SHAPE = ("save_as", "status", "date", "category", "tags", "authors", "template", "lang", "translation")


class NotPreviewable(Exception):
    """The edit needs the full build (said why, for the terminal)."""


class ErrorLog(logging.Handler):
    """Collects what Pelican and the plugins report as errors while we read."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_exc):
        logging.getLogger().removeHandler(self)


class WarmSite:
    def __init__(self, generators, settings):
        self.generators = generators
        self.settings = settings
        self.sources = {}  # absolute source path -> (generator, content)
        self.static = set()  # absolute paths of static files
        for generator in generators:
            if isinstance(generator, StaticGenerator):
                self.static.update(str(Path(s.source_path).resolve()) for s in generator.staticfiles)
            for content in contents(generator):
                self.sources[str(Path(content.source_path).resolve())] = (generator, content)

    @classmethod
    def load(cls, settings_file: Path, scratch: Path) -> "WarmSite":
        """Read the whole site as a build does, up to the point where writing starts.
        Raises RuntimeError with the build's error messages if the site does not read cleanly."""
        settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(scratch)})
        with ErrorLog() as errors:
            generators = read_site(settings)
        if errors.messages or generators is None:
            raise RuntimeError("\n".join(errors.messages) or "Pelican stopped before writing")
        return cls(generators, settings)

    def knows(self, path: Path) -> bool:
        resolved = str(path.resolve())
        return resolved in self.sources or resolved in self.static

    def refresh(self, path: Path):
        """Read `path` again and put the new version in place of the old one.
        Returns the new content; raises NotPreviewable, or the reader's error."""
        key = str(path.resolve())
        if key not in self.sources:
            raise NotPreviewable("neue Datei")
        generator, old = self.sources[key]
        if isinstance(generator, ArticlesGenerator):
            kind, preread, context_signal = Article, signals.article_generator_preread, signals.article_generator_context
        elif isinstance(generator, PagesGenerator):
            kind, preread, context_signal = Page, signals.page_generator_preread, signals.page_generator_context
        else:
            raise NotPreviewable("weder Beitrag noch Seite")
        with ErrorLog() as errors:
            new = generator.readers.read_file(
                base_path=generator.path, path=os.path.relpath(key, generator.path), content_class=kind,
                context=generator.context, preread_signal=preread, preread_sender=generator,
                context_signal=context_signal, context_sender=generator,
            )
        if errors.messages:
            raise RuntimeError("\n".join(errors.messages))
        if not isinstance(new, kind) or not new.is_valid():
            raise NotPreviewable("nicht lesbar")
        for name in SHAPE:
            if getattr(old, name, None) != getattr(new, name, None):
                raise NotPreviewable(f"{name} geändert")
        new.refresh_metadata_intersite_links()
        replace_everywhere(generator, old, new)
        self.sources[key] = (generator, new)
        return new

    def render(self, content, output: Path) -> Path:
        """Write `content`'s own page into `output`, replacing the file in one step."""
        generator, _ = self.sources[str(Path(content.source_path).resolve())]
        scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}-preview-", dir=output.parent))
        try:
            only = _OnlyOnePage(content.save_as, Writer(str(scratch), settings=self.settings))
            if isinstance(generator, ArticlesGenerator):
                # Not generate_output: its tag, category and author pages scan every
                # post once per label (seconds on 5,000 posts) only to be skipped here.
                write_post_pages(generator, partial(only.write_file, relative_urls=self.settings["RELATIVE_URLS"]))
            else:
                generator.generate_output(only)
            written = scratch / content.save_as
            target = output / content.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(written, target)
            return target
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


class _OnlyOnePage:
    """A writer for `generate_output` that renders only one page and no feed: the
    generator runs its own code for every page, and all but one are skipped."""

    def __init__(self, name: str, writer: Writer):
        self.name, self.writer = name, writer

    def write_file(self, name, *args, **kwargs):
        if name == self.name:
            self.writer.write_file(name, *args, **kwargs)

    def write_feed(self, *args, **kwargs):
        return None

