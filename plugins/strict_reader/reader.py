"""The reader class and its registration with Pelican."""

import datetime as dt
import logging
import math
import os
import re
from pathlib import Path

from markdown import Markdown
from markupsafe import Markup, escape
from pelican import signals
from pelican.readers import MarkdownReader

from .checks import (check_active_html, check_header, check_slugs, decode_utf8, read_header, reserved_folders,
                     theme_templates)
from wachhund.corrections import mark_sections, parse_corrections
from wachhund.lib.errors import ContentError
from wachhund.lib.files import shown_path
from wachhund.pelican_internals import parse_metadata
from .sanitize import SanitizeExtension

TAG = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 200
log = logging.getLogger(__name__)
TOC_MIN_HEADINGS = 3


class StrictMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._templates = theme_templates(self.settings["THEME"])
        self._reserved = reserved_folders(self.settings)  # once per build, not per post
        self._label_slugs = {}
        self._markdown = None  # built on first use, then reset per file

    def _fresh_markdown(self):
        """One Markdown instance for all files: building one per file costs
        as much as converting a short post (extension setup, regex compiles)."""
        md = self._markdown
        if md is None:
            md = self._markdown = Markdown(**self.settings["MARKDOWN"])
            md.registerExtensions([SanitizeExtension()], {})
        md.reset()
        md.document_metadata = {}  # extensions may add per-document metadata here
        return md

    def read(self, source_path):
        try:
            return self._read(source_path)
        except ContentError as exc:
            # Pelican logs reader errors without the exception text unless
            # DEBUG is on, so we say it ourselves (this also fails the build).
            log.error("%s", exc)
            raise

    def _read(self, source_path):
        # As authors know it (content/posts/x.md): relative to the project.
        shown = shown_path(source_path, os.path.dirname(os.path.abspath(self.settings["PATH"])))
        text = decode_utf8(Path(source_path).read_bytes(), shown).replace("\r\n", "\n")
        header = read_header(text, shown)
        check_header(header, shown, self._templates)
        check_slugs(header, shown, self.settings, self._reserved, self._label_slugs)
        check_active_html(text, shown)
        md = self._fresh_markdown()
        try:
            content = md.convert(text)
        except Exception as exc:
            # Markdown extensions report the line as `.lineno` (like SyntaxError).
            line = getattr(exc, "lineno", None)
            if line is None:
                raise
            raise ContentError(shown, line, getattr(exc, "msg", str(exc))) from None
        toc_tokens = getattr(md, "toc_tokens", [])
        extra = dict(md.document_metadata)  # before the summary's convert resets it
        metadata = parse_metadata(self, md, source_path)
        words = len(TAG.sub(" ", content).split())
        metadata["reading_time"] = max(1, math.ceil(words / WORDS_PER_MINUTE))
        metadata["word_count"] = words
        metadata["toc"] = _toc_html(toc_tokens) if len(toc_tokens) >= TOC_MIN_HEADINGS else ""
        metadata.update(extra)
        metadata.pop("korrektur", None)  # Pelican's raw value; the parsed list replaces it
        corrections = parse_corrections(header.get("korrektur", ()), _date_of(metadata.get("date")), shown)
        if corrections:
            content = mark_sections(content, corrections, shown)
            metadata["corrections"] = corrections
            latest = dt.datetime.combine(corrections[-1].date, dt.time(12, 0))  # a day, not a time: noon
            current = metadata.get("modified")
            if current is None or _date_of(current) < corrections[-1].date:
                metadata["modified"] = latest  # feeds give the entry a new `updated`
        return content, metadata


def _date_of(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _toc_html(tokens) -> Markup:
    """The table of contents as one nested <ol>, headings as plain text.

    One string per post: Python-Markdown's tokens are five-entry dicts per
    heading with its HTML twice, and even compact tuples cost ~0.6 KB a post,
    3 MiB at 5,000 posts (tracemalloc). f-strings with escape(), as Markup.format
    would give, at a third of its cost."""
    return Markup("<ol>" + "".join(
        f'<li><a href="#{escape(t["id"])}">{escape(Markup(t["name"]).striptags())}</a>'
        f'{_toc_html(t["children"]) if t["children"] else ""}</li>'
        for t in tokens
    ) + "</ol>")


def add_reader(readers):
    for ext in StrictMarkdownReader.file_extensions:
        readers.reader_classes[ext] = StrictMarkdownReader


def register():
    signals.readers_init.connect(add_reader)
