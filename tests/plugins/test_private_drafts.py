"""Drafts and hidden posts and pages never reach the published site (issue 13, item 1)."""

import gzip

import brotli
from bs4 import BeautifulSoup

from tests.support import build_site

TOKEN = "geheimtoken4711"


def add_unpublished(project):
    """A draft and a hidden post and page; only they contain TOKEN, in every field
    a page, feed, tag list, search index, link report or list of corrections could show."""
    for status in ("draft", "hidden"):
        (project / f"content/posts/2026-11-20-{status}.md").write_text(
            f"Title: Recherche {status} {TOKEN}\nDate: 2026-11-20 09:00\nCategory: Kat{TOKEN}\n"
            f"Tags: Schlagwort{TOKEN}, OZG\nAuthor: Autorin {TOKEN}\nSummary: Kurz {TOKEN}\nStatus: {status}\n"
            f"Korrektur: 2026-11-21: Korrigiert {TOKEN}\n\n"
            f"Text {TOKEN} mit [Quelle](https://{TOKEN}.example.org/akte), "
            f"[Dokument]({{attach}}/extra/{status}-dokument.txt), [Notiz]({{static}}/extra/{status}-notiz.txt) und "
            "[zitierter Seite](https://www.duisburg.de/).\n",
            encoding="utf-8",
        )
        (project / "content/extra").mkdir(exist_ok=True)
        for kind in ("dokument", "notiz"):
            (project / f"content/extra/{status}-{kind}.txt").write_text(f"Vertraulich {TOKEN}\n", encoding="utf-8")
        (project / f"content/pages/{status}-seite.md").write_text(
            f"Title: Seite {status} {TOKEN}\nStatus: {status}\n\nSeite {TOKEN}.\n", encoding="utf-8"
        )


def readable_bytes(path):
    """The bytes a reader, crawler or search client could get out of a file."""
    data = path.read_bytes()
    if path.suffix == ".br":
        return brotli.decompress(data)
    if data[:2] == b"\x1f\x8b":  # .gz copies and Pagefind's index and fragments
        return gzip.decompress(data)
    return data


def files_with(folder, token):
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and token.encode() in readable_bytes(path).lower():
            found.append(str(path.relative_to(folder)))
    return found


def test_publish_writes_nothing_of_drafts_or_hidden_content(project, tmp_path):
    add_unpublished(project)
    # A file a draft and a published post both link stays published.
    (project / "content/extra/gemeinsam.txt").write_text("Für alle.\n", encoding="utf-8")
    for post in ("content/posts/2026-11-20-draft.md", "content/posts/2026-11-16-wie-wir-pruefen.md"):
        with open(project / post, "a", encoding="utf-8") as handle:
            handle.write("\nSiehe auch [die Liste]({static}/extra/gemeinsam.txt).\n")
    out = tmp_path / "out"
    result = build_site(project, out, settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    assert (out / "extra/gemeinsam.txt").is_file()
    assert list(out.rglob("*.pf_fragment")) and list(out.rglob("*.html.br"))  # the scan reads search and copies
    assert files_with(out, TOKEN) == []
    assert not (out / "entwurf").exists()
    # The token is really findable by the scan: a published post with it is found.
    (project / "content/posts/2026-11-20-draft.md").write_text(
        (project / "content/posts/2026-11-20-draft.md").read_text(encoding="utf-8").replace("Status: draft", "Status: published"),
        encoding="utf-8",
    )
    assert build_site(project, out, settings="publishconf.py").returncode == 0
    found = files_with(out, TOKEN)
    assert any(f.endswith(".pf_fragment") for f in found) and any(f.endswith(".html.br") for f in found)


def test_preview_shows_drafts_marked_noindex_and_unsearchable(project, tmp_path):
    add_unpublished(project)
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    previews = {
        "entwurf/recherche-draft-geheimtoken4711/index.html": "Entwurf – nicht veröffentlicht",
        "2026/recherche-hidden-geheimtoken4711/index.html": "Verborgen – nicht veröffentlicht",
        "entwurf/seite/seite-draft-geheimtoken4711/index.html": "Entwurf – nicht veröffentlicht",
        "seite-hidden-geheimtoken4711/index.html": "Verborgen – nicht veröffentlicht",
    }
    # Only the previews (and, for the preview, the files they link) mention the token:
    # no list, tag page, feed, report or search index.
    assert [f for f in files_with(out, TOKEN) if not f.endswith(".txt")] == sorted(previews)
    for path, banner in previews.items():
        page = BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")
        assert banner in page.select_one(".unpublished-banner").get_text()
        assert "noindex" in page.find("meta", attrs={"name": "robots"})["content"]
        assert page.find(attrs={"data-pagefind-body": True}) is None
