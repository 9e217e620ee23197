"""Every output file has exactly one source: a second write of a path stops the build.

Pelican lets a post's `Save_as` "override" other output (`Save_as: index.html` replaced the
home page with exit 0), and two sources of one path failed naming neither. The build's
writer (Pelican's public `get_writer` signal) records which source wrote each file and stops
at the second write of a path, naming both. Static files ({attach} moves one while pages are
rendered) are checked once everything is written (`finalized`). Files plugins write directly
(the /ozg/ exports and charts, the change feeds) lie in folders no author can write into
(strict_reader's reserved folders). README: "Every output file has exactly one source".
"""

import logging
import os
import re
import weakref

from pelican import signals

from wachhund.pelican_internals import OpenWatchingWriter

from wachhund.lib.files import shown_path

log = logging.getLogger(__name__)
LEDGERS = weakref.WeakKeyDictionary()  # Pelican run -> its ledger, until `finalized`
HEADER_LINE = re.compile(r"^[ ]{0,3}(save_as|url|slug|title)\s*:", re.I)
# Which header line decides a post's address, most specific first.
ADDRESS_KEYS = ("save_as", "url", "slug", "title")


class OutputCollision(Exception):
    """Two sources write one output file."""


class Ledger:
    """Which source wrote each output file of one build."""

    def __init__(self, settings):
        self.settings = settings
        self.root = os.path.dirname(os.path.abspath(settings["PATH"]))
        self.written = {}  # absolute output path -> source (a description, see Writer)
        self.context = None  # the build's shared context, seen on the first write

    def claim(self, path: str, source: tuple[str, str]) -> None:
        path = os.path.normpath(os.path.abspath(path))
        if (earlier := self.written.get(path)) is not None:
            message = collision_message(self.shown_output(path), source, earlier, self.root)
            log.error("%s", message)  # with --fatal errors this already stops the build, without a traceback
            raise OutputCollision(message)
        self.written[path] = source

    def shown_output(self, path: str) -> str:
        return "output/" + os.path.relpath(path, self.settings["OUTPUT_PATH"]).replace(os.sep, "/")

    def check_static_files(self, output_path: str) -> None:
        """Static files' final paths ({attach} may have moved them) against every written file and each other."""
        for static in (self.context or {}).get("staticfiles", ()):
            if static.save_as:
                self.claim(os.path.join(output_path, static.save_as), ("static", self.shown(static.source_path)))

    def shown(self, path: str) -> str:
        """A project file as authors know it (content/posts/x.md, theme/templates/index.html)."""
        return shown_path(path, self.root)


RANK = {"content": 0, "static": 1, "build": 2}  # whose name comes first: what an author can change
HINTS = {
    ("content", "content"): "give one of them another Slug, Save_as or URL",
    ("content", "static"): "rename the file or give the post another Slug, Save_as or URL",
    ("content", "build"): "give it another Slug, Save_as or URL",
    ("static", "static"): "rename one of the files",
    ("static", "build"): "rename the file",
}


def collision_message(output: str, new, old, root: str) -> str:
    """`content/posts/b.md:2: writes output/…, which content/posts/a.md also writes; …`.

    An author's file comes first (with the header line that sets its address),
    since that is what can be changed; between two of the same kind, the later one."""
    first, second = sorted((new, old), key=lambda source: RANK[source[0]])  # stable: new first on a tie
    kind, name = first
    if kind == "build":  # no author's file: two pages of the theme or a plugin (settings, names of data files)
        return (f"{output} is written twice, by {second[1]} and by {name}; check the *_SAVE_AS and *_URL "
                "settings and the names of the files under data/ that pages are made from")
    if kind == "content":
        line = address_line(os.path.join(root, name))
        name = f"{name}:{line}" if line else name
    verb = "is copied to" if kind == "static" else "writes"
    other = (f"where the static file {second[1]} is copied too" if second[0] == "static"
             else f"which {second[1]} also writes")
    return f"{name}: {verb} {output}, {other}; {HINTS[kind, second[0]]}"


def address_line(path: str) -> int:
    """The header line that decides the address (Save_as, URL, Slug, else Title), 0 if unknown."""
    found = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    break
                match = HEADER_LINE.match(line)
                if match:
                    found.setdefault(match.group(1).lower(), number)
    except (OSError, UnicodeDecodeError):
        return 0
    return next((found[key] for key in ADDRESS_KEYS if key in found), 0)


class OneSourceWriter(OpenWatchingWriter):
    """Pelican's writer, refusing a second write of any path (also where Pelican would "override")."""

    ledger: Ledger = None  # set per build by writer_class
    _source = None  # who is writing right now: ("content" | "build", name)

    def write_file(self, name, template, context, *args, **kwargs):
        if self.ledger.context is None:
            self.ledger.context = context
        self._source = self._page_source(template, kwargs)
        try:
            return super().write_file(name, template, context, *args, **kwargs)
        finally:
            self._source = None

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        self._source = ("build", f"the feed {path}")
        try:
            return super().write_feed(elements, context, path, *args, **kwargs)
        finally:
            self._source = None

    def before_open(self, filename):
        # Every page and feed Pelican's writer writes passes here (pinned in tests/plugins/test_unique_output.py).
        self.ledger.claim(filename, self._source or ("build", "another part of the build"))

    def _page_source(self, template, kwargs) -> tuple[str, str]:
        for key in ("article", "page"):  # posts, drafts and hidden posts pass article=, pages page=
            content = kwargs.get(key)
            if getattr(content, "source_path", None):
                return ("content", self.ledger.shown(content.source_path))
        page = self.ledger.shown(getattr(template, "filename", None) or str(getattr(template, "name", "?")))
        for key in ("tag", "category", "author"):
            if kwargs.get(key) is not None:
                return ("build", f"the {key} page of {str(kwargs[key])!r} ({page})")
        return ("build", f"the theme page {page}")


def writer_class(pelican):
    ledger = LEDGERS[pelican] = Ledger(pelican.settings)
    return type("OneSourceWriter", (OneSourceWriter,), {"ledger": ledger})


def check_static_files(pelican):
    if (ledger := LEDGERS.pop(pelican, None)) is not None:
        ledger.check_static_files(pelican.output_path)


def register():
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(check_static_files)
