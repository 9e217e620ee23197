"""Rebuilds reuse what did not change, and give exactly the bytes of a full build."""

import json
import os

from support import add_old_posts, build_site, tree_digest

POST = "content/posts/2026-11-16-wie-wir-pruefen.md"


def stamp(path):
    return os.stat(path).st_ino, os.stat(path).st_mtime_ns


def cached_pages(project):
    from render_cache.store import index_keys

    return index_keys(next(project.glob("cache/*/rendered")))


def test_rebuild_after_edits_equals_full_build(project, tmp_path):
    out, full = tmp_path / "out", tmp_path / "full"
    assert build_site(project, out).returncode == 0
    post = project / POST
    # 1. The text of one post: only the pages showing that post (its own page, the
    #    list pages of its category, tags, author and the front page) and the feeds
    #    listing it (all, category, tags, author; Atom and RSS) are rendered again.
    post.write_text(post.read_text(encoding="utf-8") + "\nEin neuer Absatz am Ende.\n", encoding="utf-8")
    before = cached_pages(project)
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    after = cached_pages(project)
    fresh = after - before
    assert 1 <= len(fresh) <= 24, len(fresh)
    assert len(after) > 40 and len(after) == len(before)  # the edited versions replaced the old ones
    assert build_site(project, full, extra=["--ignore-cache"]).returncode == 0
    assert tree_digest(out) == tree_digest(full)
    assert "Ein neuer Absatz am Ende." in (out / "2026/wie-wir-pruefen-reifegrade-quellen-und-keine-angabe/index.html").read_text(encoding="utf-8")
    # 2. Its title: every page that lists it changes, and they all do.
    text = post.read_text(encoding="utf-8").replace("Title: Wie wir prüfen:", "Title: So prüfen wir:", 1)
    post.write_text(text, encoding="utf-8")
    assert build_site(project, out).returncode == 0
    assert build_site(project, full, extra=["--ignore-cache"]).returncode == 0
    assert tree_digest(out) == tree_digest(full)
    assert "So prüfen wir:" in (out / "index.html").read_text(encoding="utf-8")


def test_search_sections_are_merged_and_reused(project, tmp_path):
    add_old_posts(project)
    out, full = tmp_path / "out", tmp_path / "full"
    size = ["-e", "PAGEFIND_SECTION_SIZE=6"]
    result = build_site(project, out, extra=size)
    assert result.returncode == 0, result.stderr
    # 2024+2025 (4 posts) fit one section of 6; 2026 (6 posts) needs its own.
    bundles = {"pagefind": None, "pagefind-2024-2025": 4, "pagefind-2026": 6}
    assert sorted(p.name for p in out.glob("pagefind*")) == sorted(bundles)
    for bundle, posts in bundles.items():
        entry = json.loads((out / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        count = entry["languages"]["de"]["page_count"]
        assert count == posts if posts else 0 < count < 20  # the main bundle: pages, no posts
    search = (out / "suche/index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/"' in search and 'data-merge="/pagefind-2024-2025/ /pagefind-2026/"' in search
    # Editing a 2026 post re-indexes 2026 only; 2024-2025 comes from the cache untouched.
    cached = {b: next(project.glob(f"cache/*/pagefind/{b}/bundle/pagefind-entry.json")) for b in bundles}
    old = {b: stamp(p) for b, p in cached.items()}
    post = project / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nNachtrag mit Suchwort Zebrastreifen.\n", encoding="utf-8")
    assert build_site(project, out, extra=size).returncode == 0
    assert stamp(cached["pagefind-2024-2025"]) == old["pagefind-2024-2025"]
    assert stamp(cached["pagefind"]) == old["pagefind"]
    assert stamp(cached["pagefind-2026"]) != old["pagefind-2026"]
    assert build_site(project, full, extra=[*size, "--ignore-cache"]).returncode == 0
    assert tree_digest(out) == tree_digest(full)


def records(project):
    return next(project.glob("cache/*/ArticlesGenerator-Readers.records"))


def test_reader_cache_serves_unchanged_posts(project, tmp_path):
    """A post whose stamp did not change comes from the streamed records, not
    from Markdown: with mtime stamps, an edit that keeps the mtime stays unseen."""
    out = tmp_path / "out"
    mtime = ["-e", 'CHECK_MODIFIED_METHOD="mtime"']
    assert build_site(project, out, extra=mtime).returncode == 0
    assert not list(project.glob("cache/*/ArticlesGenerator-Readers"))  # not Pelican's in-memory pickle
    post = project / POST
    before = os.stat(post)
    post.write_text(post.read_text(encoding="utf-8") + "\nUnsichtbarer Nachtrag.\n", encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    page = out / "2026/wie-wir-pruefen-reifegrade-quellen-und-keine-angabe/index.html"
    assert build_site(project, out, extra=mtime).returncode == 0
    assert "Unsichtbarer Nachtrag." not in page.read_text(encoding="utf-8")
    assert build_site(project, out, extra=[*mtime, "--ignore-cache"]).returncode == 0
    assert "Unsichtbarer Nachtrag." in page.read_text(encoding="utf-8")


def test_failed_build_keeps_reader_cache_and_bad_cache_is_rebuilt(project, tmp_path):
    out, full = tmp_path / "out", tmp_path / "full"
    assert build_site(project, out).returncode == 0
    saved = records(project).read_bytes()
    bad = project / "content/posts/zz-kaputt.md"
    bad.write_text("Title: Kaputt\nDate: kein Datum\n\nText.\n", encoding="utf-8")
    assert build_site(project, out).returncode != 0
    assert records(project).read_bytes() == saved  # the last good cache, whole
    bad.unlink()
    records(project).write_bytes(saved[: len(saved) // 2])  # e.g. a full disk
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    assert "content cache" in result.stderr and "unreadable" in result.stderr
    assert not list(project.glob("cache/*/*.tmp"))  # the failed build's temporary file is gone
    assert build_site(project, full, extra=["--ignore-cache"]).returncode == 0
    assert tree_digest(out) == tree_digest(full)


def test_shared_labels_keep_tags_categories_and_authors_apart(project, tmp_path):
    """Labels are shared per kind and slug: a tag and a category of the same name
    stay two pages, and every post still lists its own labels."""
    for number, tags in ((1, "Bund, Hintergrund"), (2, "Hintergrund")):
        (project / f"content/posts/2026-01-0{number}-label.md").write_text(
            f"Title: Etikett {number}\nDate: 2026-01-0{number} 09:00\nCategory: Bund\nTags: {tags}\n"
            f"Author: Gast Autorin\nSummary: Test.\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    tag_page = (out / "schlagwort/bund/index.html").read_text(encoding="utf-8")
    category_page = (out / "kategorie/bund/index.html").read_text(encoding="utf-8")
    assert "Etikett 1" in tag_page and "Etikett 2" not in tag_page
    assert "Etikett 1" in category_page and "Etikett 2" in category_page
    author_page = (out / "autor/gast-autorin/index.html").read_text(encoding="utf-8")
    assert "Etikett 1" in author_page and "Etikett 2" in author_page
    second = (out / "2026/etikett-2/index.html").read_text(encoding="utf-8")
    assert 'href="/schlagwort/hintergrund/"' in second and 'href="/schlagwort/bund/"' not in second


def test_unreadable_cache_record_is_read_again(project, tmp_path):
    """A record that no longer unpickles (say, from another Pelican version) costs
    one Markdown conversion and a warning, not the build."""
    import pickle

    out, full = tmp_path / "out", tmp_path / "full"
    assert build_site(project, out).returncode == 0
    entries = []
    with open(records(project), "rb") as handle:
        while True:
            try:
                entries.append(pickle.load(handle))
            except EOFError:
                break
    filename, stamp, _record = entries[0]
    entries[0] = (filename, stamp, pickle.dumps(("not", "a", "record")))
    with open(records(project), "wb") as handle:
        for entry in entries:
            pickle.dump(entry, handle)
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    assert "record for" in result.stderr and "unreadable" in result.stderr
    assert build_site(project, full, extra=["--ignore-cache"]).returncode == 0
    assert tree_digest(out) == tree_digest(full)


def test_cache_records_leave_the_build_s_objects_as_they_were():
    """Pickling a record must not grow what the build keeps (a UTF-8 copy on
    every non-ASCII string, a built __dict__ on every label), and must give
    back equal values of the same types, labels with their explicit slugs."""
    import io
    import sys

    from markupsafe import Markup
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Author, Category, Tag

    import reader_cache

    settings = dict(DEFAULT_CONFIG)
    title = "".join(["Bürgeramt ", "– Termine"])  # fresh: no cached UTF-8 yet
    summary = Markup("<p>Prüfung</p>")
    category = Category("Bürgeramt", settings)
    category.slug = "amt"
    tags = [Tag("Öffnungszeiten", settings), Tag("ascii", settings)]
    metadata = {"title": title, "summary": summary, "category": category, "tags": tags,
                "author": Author("Jörg", settings), "plain": Markup("<b>x</b>"), "n": 3}
    sizes = (sys.getsizeof(title), sys.getsizeof(summary))
    buffer = io.BytesIO()
    reader_cache._Pickler(buffer, settings).dump((b"<p>x</p>", metadata))
    assert (sys.getsizeof(title), sys.getsizeof(summary)) == sizes
    html, loaded = reader_cache._Unpickler(io.BytesIO(buffer.getvalue()), settings).load()
    assert html == b"<p>x</p>"
    assert loaded["title"] == title and type(loaded["title"]) is str
    assert loaded["summary"] == summary and type(loaded["summary"]) is Markup
    assert loaded["plain"] == "<b>x</b>" and type(loaded["plain"]) is Markup
    assert type(loaded["category"]) is Category and loaded["category"].slug == "amt"
    assert loaded["category"].settings is settings
    assert [(type(t), t.name, t.slug) for t in loaded["tags"]] == [(type(t), t.name, t.slug) for t in tags]
    assert type(loaded["author"]) is Author and loaded["author"].name == "Jörg"
    assert loaded["n"] == 3


def test_search_marker_is_found_across_read_chunks(tmp_path):
    """Pages are hashed 64 KB at a time; data-pagefind-body split by a chunk edge still counts."""
    import hashlib

    from pagefind_search.index import MARK, _file_digest

    page = tmp_path / "page.html"
    for offset in range(len(MARK) + 1):
        data = b"x" * (65536 - offset) + MARK + b"y" * 10
        page.write_bytes(data)
        assert _file_digest(page) == (hashlib.sha256(data).digest(), True), offset
    page.write_bytes(b"<p>" + b"x" * 200000)
    assert _file_digest(page)[1] is False
