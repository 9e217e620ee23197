"""Run the Pagefind binary shipped by the ``pagefind-bin`` wheel.

Pagefind holds a whole index in memory (about 100 MB per 1,000 posts) and has no
incremental mode, so a large blog is indexed in sections the search page merges: the
posts' top-level folders (years) in bundles of at most PAGEFIND_SECTION_SIZE posts inside
the main bundle's folder (``pagefind/2024-2025/``, so the CSP names one path), the rest
(and a blog below the section size) in ``pagefind/``. Every build indexes every bundle
again: a reused index could find what the published pages no longer say.
"""

import logging
import os
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable
from pelican import signals

from wachhund.site import site_of

from .settings import get_settings

log = logging.getLogger(__name__)
MAIN_BUNDLE = "pagefind"


class PagefindError(RuntimeError):
    pass


@dataclass(frozen=True)
class Section:
    bundle: str  # folder in the output, e.g. "pagefind/2020-2022"
    folders: tuple  # top-level output folders whose HTML it indexes; () = everything else


def plan_sections(post_folders: Counter, size: int) -> list[Section]:
    """Group the posts' top-level folders, in order, into sections of at most `size` posts."""
    if sum(post_folders.values()) <= size:
        return [Section(MAIN_BUNDLE, ())]
    sections, group, count = [], [], 0
    for folder in sorted(post_folders):
        if group and count + post_folders[folder] > size:
            sections.append(group)
            group, count = [], 0
        group.append(folder)
        count += post_folders[folder]
    sections.append(group)
    named = [Section(f"{MAIN_BUNDLE}/{_section_name(g)}", tuple(g)) for g in sections]
    return [Section(MAIN_BUNDLE, ()), *named]


PAGEFIND_FOLDERS = {"fragment", "index", "filter"}  # what Pagefind writes into a bundle's folder


def _section_name(group: list[str]) -> str:
    name = group[0] + (f"-{group[-1]}" if len(group) > 1 else "")
    return f"teil-{name}" if name in PAGEFIND_FOLDERS else name  # a post folder named like Pagefind's own


MARK = b"data-pagefind-body"


def _html_files(output: Path, top: str = ""):
    """Paths of the HTML files under output/top, relative, as strings: a Path
    object per page cost ~0.4 KB each at the build's peak of memory."""
    root = str(output)
    for folder, _dirs, names in os.walk(os.path.join(root, top) if top else root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in names:
            if name.endswith(".html"):
                yield name if relative == "." else f"{relative}/{name}"


def has_mark(path: Path) -> bool:
    """Whether a page carries MARK, read 64 KB at a time (an /ozg/ page is 300 KB)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            if MARK in tail + chunk:
                return True
            tail = chunk[-(len(MARK) - 1):]
    return False


def _section_paths(output: Path, section: Section, sections: list[Section]) -> list[str]:
    """The HTML files Pagefind looks at for `section` (relative paths, sorted)."""
    if section.folders:
        paths = [f for folder in section.folders for f in _html_files(output, folder)]
    else:
        taken = {f for s in sections for f in s.folders}
        paths = [f for f in _html_files(output) if f.split("/", 1)[0] not in taken]
    paths.sort(key=lambda relative: relative.split("/"))  # the order pathlib gives: folder by folder
    return paths


UNSEARCHED_FOLDER = 20  # a folder with this many pages and none to index is left out of the glob


def _tree(paths: list[str], marked: set) -> dict:
    """Folder tree with, per folder, how many pages lie below it and how many of them are marked."""
    root = {"dirs": {}, "total": 0, "marked": 0, "here_marked": 0}
    for relative in paths:
        is_marked = relative in marked
        node = root
        node["total"] += 1
        node["marked"] += is_marked
        for part in relative.split("/")[:-1]:
            node = node["dirs"].setdefault(part, {"dirs": {}, "total": 0, "marked": 0, "here_marked": 0})
            node["total"] += 1
            node["marked"] += is_marked
        node["here_marked"] += is_marked
    return root


def _dead_weight(node) -> bool:
    return any((child["marked"] == 0 and child["total"] >= UNSEARCHED_FOLDER) or _dead_weight(child)
               for child in node["dirs"].values())


def _patterns(node, prefix: str, expand: bool = False) -> list[str]:
    """Globs that take in every marked page and leave out large folders with none (the
    OZG pages per municipality: Pagefind would parse 40 MB of them only to skip them).
    `expand`: name this folder's children even so (the main bundle must not reach into
    the folders other sections index)."""
    if not expand and not _dead_weight(node):
        return [f"{prefix}**/*.html"]
    found = [f"{prefix}*.html"] if node["here_marked"] else []
    for name, child in sorted(node["dirs"].items()):
        if child["marked"]:
            found += _patterns(child, f"{prefix}{name}/")
    return found


def _glob(section: Section, marked: list[str], paths: list[str], sectioned: bool = False) -> str:
    if section.folders:
        parts = [f"{folder}/**/*.html" for folder in section.folders]
    elif marked or sectioned:  # the main bundle: the folders that hold searchable pages
        parts = _patterns(_tree(paths, set(marked or paths)), "", expand=sectioned) or ["*.html"]
    else:
        parts = ["**/*.html"]
    return "{" + ",".join(parts) + "}" if len(parts) > 1 else parts[0]


def _run(output: Path, section: Section, cmd: list[str]) -> None:
    if not output.is_dir():
        return  # the build failed and its folder is gone: nothing left to index
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PagefindError(
            f"Pagefind konnte den Suchindex {section.bundle}/ nicht bauen (Exit {proc.returncode}):\n"
            + (proc.stderr or proc.stdout)
        )


def _snapshot(output: Path, paths: list[str]) -> dict:
    """Size and modification time of each page: what a run saw, to tell whether it still holds."""
    stats = {relative: (output / relative).stat() for relative in paths}
    return {relative: (st.st_size, st.st_mtime_ns) for relative, st in stats.items()}


class SectionRuns:
    """The Pagefind runs of one build, at most `jobs` at a time (threads that wait on them).

    A post section may start as soon as its posts' pages are written, while
    Pelican writes the rest of the site on the other core. `finish` runs what is
    left, waits for all, and runs an early section again if any page it covers
    was added or changed after it began (a late `{attach}`ed page, say): the
    index is always that of the finished site."""

    def __init__(self, output_path, sections: list[Section], jobs: int):
        self.output = Path(output_path)
        self.sections = sections
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        self.started = {}  # bundle -> (future, snapshot of its pages)

    def start(self, section: Section) -> None:
        paths = _section_paths(self.output, section, self.sections)
        # Only the main bundle's glob depends on which pages carry the mark (once any page
        # does, Pagefind skips the others); a post section's glob just names its folders.
        marked = [] if section.folders else [relative for relative in paths if has_mark(self.output / relative)]
        cmd = [str(get_executable()), "--site", str(self.output), "--silent", "--output-subdir", section.bundle,
               "--glob", _glob(section, marked, paths, len(self.sections) > 1)]
        self._clear(section)
        snapshot = _snapshot(self.output, paths)
        self.started[section.bundle] = (self.pool.submit(_run, self.output, section, cmd), snapshot)

    def _clear(self, section: Section) -> None:
        """Remove what an earlier run left in the bundle's folder (Pagefind adds, never removes).
        The main bundle's folder also holds the sections' folders, which other runs write."""
        folder = self.output / section.bundle
        if section.folders or not folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            return
        sections = {s.bundle for s in self.sections if s.folders}
        for entry in folder.iterdir():
            if f"{section.bundle}/{entry.name}" in sections:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def _unchanged(self, section: Section) -> bool:
        """Whether the pages of an early section are still those its run saw (listed and
        stat()ed, not read: a post section's pages are its folders' HTML files)."""
        now = [f for folder in section.folders for f in _html_files(self.output, folder)]
        return _snapshot(self.output, now) == self.started[section.bundle][1]

    def finish(self) -> list[str]:
        """Run what has not started, wait for every run; return the bundles (main first)."""
        try:
            early = set(self.started)
            for section in self.sections:
                if section.bundle not in self.started:
                    self.start(section)
            for section in self.sections:
                self.started[section.bundle][0].result()
                if section.bundle in early and not self._unchanged(section):
                    self.start(section)
                    self.started[section.bundle][0].result()
        finally:
            self.pool.shutdown(cancel_futures=True)
        return [s.bundle for s in self.sections]


FOLDERS, RUNS = "pagefind_folders", "pagefind_runs"  # this plugin's keys in Site.private
# Site.private: {post page (relative path): its section} of the pages not written yet, and
# {bundle: how many of them}
WAITING, LEFT = "pagefind_waiting", "pagefind_left"
POST_PAGES = ("translations", "articles", "hidden_translations", "hidden_articles")  # what Pelican writes per post


def on_initialized(pelican):
    get_settings(pelican.settings)  # a bad setting stops the build before anything is read
    site = site_of(pelican.settings)
    site.reserved_folders.add("pagefind")
    for key in (RUNS, WAITING, LEFT):  # what a failed build on these settings left
        site.private.pop(key, None)


def on_all_generators_finalized(generators):
    """Plan the bundles before the templates render: the search page lists them.
    The plan is kept in the build's Site for `finalized` (no module-level state);
    with post sections, so are the runs and the post pages each section waits for."""
    settings = get_settings(generators[0].settings)
    parts = (Path(article.save_as).parts for generator in generators for article in getattr(generator, "articles", ()))
    folders = Counter(path[0] for path in parts if len(path) > 1)
    sections = plan_sections(folders, settings.section_size)
    own = site_of(generators[0].settings).private
    own[FOLDERS] = folders
    generators[0].context["PAGEFIND_BUNDLES"] = [s.bundle for s in sections]
    if settings.enabled and len(sections) > 1:
        own[RUNS] = SectionRuns(generators[0].output_path, sections, settings.jobs)
        section_of = {folder: section for section in sections for folder in section.folders}
        # Every page Pelican writes for a post into those folders, the hidden ones (written last) too.
        pages = (Path(post.save_as) for generator in generators for kind in POST_PAGES
                 for post in getattr(generator, kind, ()))
        own[WAITING] = {path.as_posix(): section_of[path.parts[0]] for path in pages
                        if len(path.parts) > 1 and path.parts[0] in section_of}
        own[LEFT] = Counter(section.bundle for section in own[WAITING].values())


def on_content_written(path, context):
    """A post section starts as soon as the last of its posts' pages is written (Pelican writes
    translations, then the posts newest first, then hidden posts: the newest year's section
    starts first): Pagefind then indexes on the other core while Pelican writes on, instead
    of after it."""
    own = site_of(context).private  # the context is a copy of the settings: the same Site
    waiting = own.get(WAITING)
    if not waiting:
        return
    runs, left = own[RUNS], own[LEFT]
    section = waiting.pop(os.path.relpath(path, runs.output).replace(os.sep, "/"), None)
    if section is not None:
        left[section.bundle] -= 1
        if not left[section.bundle]:
            runs.start(section)


def on_articles_written(generator, writer):
    """Every post's page is written: the post sections not started yet start now (their
    pages were written under other names, say), so Pagefind runs beside the rest of the
    build (a page that lands in their folders later, an attached one, makes `finish`
    index that section again)."""
    own = site_of(generator.settings).private
    runs = own.get(RUNS)
    if runs is None:
        return
    own.pop(WAITING, None)
    for section in runs.sections:
        if section.folders and section.bundle not in runs.started:
            runs.start(section)


def on_finalized(pelican):
    settings = get_settings(pelican.settings)
    if not settings.enabled:
        return
    own = site_of(pelican.settings).private
    runs = own.pop(RUNS, None) or SectionRuns(
        pelican.output_path,
        plan_sections(own.get(FOLDERS) or Counter(), settings.section_size),
        settings.jobs,
    )
    runs.finish()


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.content_written.connect(on_content_written)
    signals.article_writer_finalized.connect(on_articles_written)
    signals.finalized.connect(on_finalized)
