"""What is published is what a cold build makes (issue 13, item 2).

The differential test applies each kind of edit an author or maintainer makes
to a copy of the real site, builds into the existing output (as `make serve`
and `make publish` do), then builds cold into a fresh folder, and compares the
two trees byte for byte. A cache anywhere in the build that misses an input
makes one of these comparisons fail.
"""

import json
import shutil

import pytest
from PIL import Image

from tests.support import add_old_posts, append, build_site, copy_project, replace, tree_digest, write_link_state

POST = "content/posts/2026-11-16-wie-wir-pruefen.md"
PAGE = "content/pages/ueber-dieses-blog.md"
MEDIA_POST = "content/posts/2026-11-18-belege.md"


def image(project, size):
    (project / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", size, "white").save(project / "content/images/beweis.png")


def add_media_post(project):
    """A post with an image ({static}), an attached file ({attach}) and a linked static file."""
    image(project, (640, 360))
    (project / "content/extra").mkdir(exist_ok=True)
    (project / "content/extra/tabelle.csv").write_text("ozg_id;status\n10173;online\n", encoding="utf-8")
    (project / "content/extra/notizen.txt").write_text("Erste Fassung der Notizen.\n", encoding="utf-8")
    (project / MEDIA_POST).write_text(
        "Title: Belege zum Nachprüfen\nDate: 2026-11-18 09:00\nCategory: In eigener Sache\nTags: Methodik\n\n"
        "Ein Bildschirmfoto:\n\n![Startseite des Serviceportals]({static}/images/beweis.png)\n\n"
        "Die [Tabelle]({attach}/extra/tabelle.csv) und die [Notizen]({static}/extra/notizen.txt).\n",
        encoding="utf-8",
    )


EDITS = {
    "post text": lambda p: append(p, POST, "\nEin neuer Absatz am Ende.\n"),
    "post title": lambda p: replace(p, POST, "Title: Wie wir prüfen:", "Title: So prüfen wir:"),
    "post tags": lambda p: replace(p, POST, "Tags: Methodik, OZG, Transparenz", "Tags: Methodik, Quellenkritik"),
    "post date": lambda p: replace(p, POST, "Date: 2026-11-16 12:00", "Date: 2026-09-30 08:00"),
    "status to draft": lambda p: replace(p, POST, "Tags:", "Status: draft\nTags:"),
    "status back to published": lambda p: replace(p, POST, "Status: draft\n", ""),
    "page": lambda p: append(p, PAGE, "\nEin Nachtrag auf der Seite.\n"),
    "image replaced with another size": lambda p: image(p, (320, 200)),
    "image deleted": lambda p: (
        replace(p, MEDIA_POST, "![Startseite des Serviceportals]({static}/images/beweis.png)", "Kein Bild mehr."),
        (p / "content/images/beweis.png").unlink(),
    ),
    "attached file changed": lambda p: append(p, "content/extra/tabelle.csv", "10023;online\n"),
    "static file changed": lambda p: append(p, "content/extra/notizen.txt", "Zweite Fassung.\n"),
    "theme template": lambda p: replace(p, "theme/templates/partials/footer.html", "ein unabhängiges Blog",
                                        "ein unabhängiges, werbefreies Blog"),
    "theme css": lambda p: append(p, "theme/static/css/wachhund.css", "\n.post h1 { letter-spacing: 0.01em; }\n"),
    "data yaml": lambda p: append(p, "data/ozg/kommunen/duisburg.yaml", (
        "  - ozg_id: 10173\n    leika: \"99108001000000\"\n    leika_name: Bewohnerparkausweis\n"
        "    datum: 2026-11-20\n    online: ja\n    reifegrad: 3\n    quelle: https://www.duisburg.de/\n")),
    "link-health state": lambda p: write_link_state(p, {"https://opendata-duisburg.de/": {
        "verdict": "dead", "failures": 4, "failing_since": "2026-05-03T08:00:00",
        "last_ok": "2026-05-01T08:00:00", "last_checked": "2026-11-20T10:00:00"}}),
    "setting": lambda p: replace(p, "pelicanconf.py", 'SITESUBTITLE = "Das Onlinezugangsgesetz',
                                 'SITESUBTITLE = "Das OZG-Gesetz'),
    "plugin code": lambda p: replace(p, "plugins/link_health/report.py", '"ok": "erreichbar",',
                                     '"ok": "erreichbar (geprüft)",'),
}


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_incremental_build_equals_cold_build_after_every_kind_of_edit(tmp_path, settings):
    project = copy_project(tmp_path / "project", copy_plugins=True)
    add_media_post(project)
    edits = EDITS if settings == "pelicanconf.py" else {k: EDITS[k] for k in ("image replaced with another size", "attached file changed")}
    incremental = tmp_path / "incremental"
    env = {"WACHHUND_SITEURL": "https://wachhund.example.org"}
    result = build_site(project, incremental, settings=settings, env=env)
    assert result.returncode == 0, result.stderr
    before = tree_digest(incremental)
    for number, (name, edit) in enumerate(edits.items()):
        edit(project)
        result = build_site(project, incremental, settings=settings, env=env)
        assert result.returncode == 0, (name, result.stderr)
        after = tree_digest(incremental)
        assert after != before, f"{name}: the edit changed nothing in the output"
        shutil.rmtree(project / "cache", ignore_errors=True)
        cold = tmp_path / f"cold-{number}"
        assert build_site(project, cold, settings=settings, env=env).returncode == 0
        cold_digest = tree_digest(cold)
        differing = sorted(k for k in set(after) | set(cold_digest) if after.get(k) != cold_digest.get(k))
        assert differing == [], f"{name}: incremental and cold builds differ in {differing[:10]}"
        shutil.rmtree(cold)
        before = after


def test_search_sections_are_merged(project, tmp_path):
    add_old_posts(project)
    out = tmp_path / "out"
    this_year = len(list((project / "content/posts").glob("2026-*.md")))
    size = ["-e", f"PAGEFIND_SECTION_SIZE={this_year}"]
    result = build_site(project, out, extra=size)
    assert result.returncode == 0, result.stderr
    # 2024+2025 (4 posts) fit one section; 2026's posts fill one of their own.
    bundles = {"pagefind": None, "pagefind/2024-2025": 4, "pagefind/2026": this_year}
    assert sorted(p.name for p in out.glob("pagefind*")) == ["pagefind"]  # the sections live inside it
    assert sorted(str(p.parent.relative_to(out)) for p in out.glob("pagefind/**/pagefind-entry.json")) == sorted(bundles)
    for bundle, posts in bundles.items():
        entry = json.loads((out / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        count = entry["languages"]["de"]["page_count"]
        assert count == posts if posts else 0 < count < 20  # the main bundle: pages, no posts
    search = (out / "suche/index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/"' in search and 'data-merge="/pagefind/2024-2025/ /pagefind/2026/"' in search


def test_tags_categories_and_authors_of_the_same_name_stay_apart(project, tmp_path):
    """A tag and a category of the same name are two pages, and every post lists its own labels."""
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


def test_search_marker_is_found_across_read_chunks(tmp_path):
    """Pages are read 64 KB at a time; data-pagefind-body split by a chunk edge still counts."""
    from plugins.pagefind_search.index import MARK, has_mark

    page = tmp_path / "page.html"
    for offset in range(len(MARK) + 1):
        page.write_bytes(b"x" * (65536 - offset) + MARK + b"y" * 10)
        assert has_mark(page), offset
    page.write_bytes(b"<p>" + b"x" * 200000)
    assert not has_mark(page)
