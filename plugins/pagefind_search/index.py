"""Run the Pagefind binary shipped by the ``pagefind-bin`` wheel.

Pagefind holds a whole index in memory (about 100 MB per 1,000 posts) and
has no incremental mode. So a large blog is indexed in sections: the posts'
top-level folders (years, by ARTICLE_SAVE_AS) are grouped into bundles of at
most PAGEFIND_SECTION_SIZE posts, and everything else gets the main bundle
``pagefind/``; the search page merges them in the browser. A bundle whose
HTML did not change since the last build is taken from the cache instead of
being indexed again. A blog below the section size gets one bundle, as before.
"""

import hashlib
import logging
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from pagefind_bin import get_executable
from pelican import signals

from .settings import get_settings

log = logging.getLogger(__name__)
MAIN_BUNDLE = "pagefind"


class PagefindError(RuntimeError):
    pass


@dataclass(frozen=True)
class Section:
    bundle: str  # folder in the output, e.g. "pagefind-2020-2022"
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
    named = [Section(f"{MAIN_BUNDLE}-{g[0]}" + (f"-{g[-1]}" if len(g) > 1 else ""), tuple(g)) for g in sections]
    return [Section(MAIN_BUNDLE, ()), *named]


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


def _by_parts(relative: str) -> list[str]:
    return relative.split("/")  # the order pathlib gives: folder by folder


def _file_digest(path: Path) -> tuple[bytes, bool]:
    """SHA-256 of a file, read 64 KB at a time, and whether it carries MARK."""
    digest, has_mark, tail = hashlib.sha256(), False, b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            digest.update(chunk)
            if not has_mark:
                has_mark = MARK in tail + chunk
                tail = chunk[-(len(MARK) - 1):]
    return digest.digest(), has_mark


def _section_files(output: Path, section: Section, sections: list[Section]) -> tuple[list[str], str]:
    """The HTML files Pagefind indexes for `section` (relative paths), and a hash of
    their paths and bytes: once any page carries data-pagefind-body, Pagefind ignores
    pages without it (the list pages). Files are read in chunks and not kept: this
    runs at the build's peak of memory, and an /ozg/ page alone is 300 KB."""
    if section.folders:
        paths = [f for folder in section.folders for f in _html_files(output, folder)]
    else:
        taken = {f for s in sections for f in s.folders}
        paths = [f for f in _html_files(output) if f.split("/", 1)[0] not in taken]
    paths.sort(key=_by_parts)
    marked, marked_digest, all_digest = [], hashlib.sha256(), hashlib.sha256()
    for relative in paths:
        file_digest, has_mark = _file_digest(output / relative)
        entry = relative.encode() + b"\0" + file_digest
        all_digest.update(entry)
        if has_mark:
            marked.append(relative)
            marked_digest.update(entry)
    if marked:
        return marked, marked_digest.hexdigest()
    return paths, all_digest.hexdigest()


def _glob(section: Section, sections: list[Section], files: list[str]) -> str:
    if len(sections) == 1:
        return "**/*.html"
    if section.folders:
        parts = [f"{folder}/**/*.html" for folder in section.folders]
    else:  # the main bundle: only the folders that hold searchable pages
        tops = sorted({relative.split("/", 1)[0] for relative in files})
        parts = [top if top.endswith(".html") else f"{top}/**/*.html" for top in tops] or ["*.html"]
    return "{" + ",".join(parts) + "}" if len(parts) > 1 else parts[0]


def _inputs_digest(output: Path, files_digest: str, cmd: list[str]) -> str:
    """Hash of everything the bundle is made from: the HTML, Pagefind's version and arguments."""
    # Not the whole command: --site is a fresh temporary folder on every build.
    options = [arg for arg in cmd[1:] if arg != str(output)]
    return hashlib.sha256(("\0".join([version("pagefind-bin"), *options, files_digest])).encode()).hexdigest()


def _copy_tree(source: Path, target: Path) -> None:
    def link_or_copy(src, dst):
        try:
            os.link(src, dst)  # the cache and the output are usually on one file system
        except OSError:
            shutil.copy2(src, dst)

    shutil.rmtree(target, ignore_errors=True)  # an in-place `pelican` run leaves the old one
    shutil.copytree(source, target, copy_function=link_or_copy)


def _command(output: Path, section: Section, glob: str) -> list[str]:
    return [str(get_executable()), "--site", str(output), "--silent", "--output-subdir", section.bundle, "--glob", glob]


def run_pagefind(output_path, post_folders: Counter | None = None, section_size: int = 500,
                 cache_dir: Path | None = None, jobs: int = 2) -> list[str]:
    """Index `output_path`; return the bundle folders (main bundle first)."""
    output = Path(output_path)
    sections = plan_sections(post_folders or Counter(), section_size)
    pending = []
    for section in sections:
        files, files_digest = _section_files(output, section, sections)
        cmd = _command(output, section, _glob(section, sections, files))
        cached = key = None
        if cache_dir is not None:
            key = _inputs_digest(output, files_digest, cmd)
            cached = cache_dir / section.bundle
            if (cached / "inputs.sha256").is_file() and (cached / "inputs.sha256").read_text() == key:
                _copy_tree(cached / "bundle", output / section.bundle)
                continue
        pending.append((section, cmd, cached, key))
    # Pagefind uses one core; two sections at a time use both on a 2-core machine.
    for start in range(0, len(pending), max(1, jobs)):
        batch = pending[start:start + max(1, jobs)]
        for section, *_ in batch:
            # Never write into an old bundle: its files may be hard links into the cache.
            shutil.rmtree(output / section.bundle, ignore_errors=True)
        procs = [(item, subprocess.Popen(item[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
                 for item in batch]
        for (section, _cmd, cached, key), proc in procs:
            out, err = proc.communicate()
            if proc.returncode != 0:
                for _item, other in procs:
                    other.kill()
                raise PagefindError(
                    f"Pagefind konnte den Suchindex {section.bundle}/ nicht bauen (Exit {proc.returncode}):\n"
                    + (err or out)
                )
            if cached is not None:
                _store(output / section.bundle, cached, key)
    if cache_dir is not None and cache_dir.is_dir():  # sections that no longer exist
        for old in cache_dir.iterdir():
            if old.name not in {s.bundle for s in sections}:
                shutil.rmtree(old, ignore_errors=True)
    return [s.bundle for s in sections]


def _store(bundle: Path, cached: Path, key: str) -> None:
    """Replace the cached bundle; the key file is written last, so a half copy is never reused."""
    shutil.rmtree(cached, ignore_errors=True)
    cached.mkdir(parents=True)
    _copy_tree(bundle, cached / "bundle")
    (cached / "inputs.sha256").write_text(key)


_state = {}


def on_all_generators_finalized(generators):
    """Plan the bundles before the templates render: the search page lists them."""
    settings = get_settings(generators[0].settings)
    folders = Counter()
    for generator in generators:
        for article in getattr(generator, "articles", ()):
            parts = Path(article.save_as).parts
            if len(parts) > 1:
                folders[parts[0]] += 1
    sections = plan_sections(folders, settings.section_size)
    _state.update(folders=folders, settings=settings)
    generators[0].context["PAGEFIND_BUNDLES"] = [s.bundle for s in sections]


def on_finalized(pelican):
    settings = _state.get("settings") or get_settings(pelican.settings)
    if not settings.enabled:
        return
    cache_dir = None
    if pelican.settings.get("LOAD_CONTENT_CACHE") and pelican.settings.get("CACHE_CONTENT"):
        cache_dir = Path(pelican.settings["CACHE_PATH"]) / "pagefind"
    run_pagefind(pelican.output_path, _state.get("folders"), settings.section_size, cache_dir, settings.jobs)


def register():
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
