"""No output file is written twice (issue 22, item 7; plugins/unique_output).

Each kind of collision an author or operator can make stops `make html` and,
where the colliding sources are published, `make publish`, naming both source
files; nothing is replaced silently, there is no traceback, and the previous
output/ stays as it was.
"""

import inspect

import pytest
from pelican.writers import Writer

from tests.support import build_site

POST = "content/posts/2026-11-16-wie-wir-pruefen.md"
POST_PATH = "2026/wie-wir-pruefen-reifegrade-quellen-und-keine-angabe/index.html"
PAGE = "content/pages/ueber-dieses-blog.md"
NEW = "content/posts/neu.md"


def write(project, relative, text):
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8") if isinstance(text, str) else path.write_bytes(text)


def post(header, body="Nur hier: Kollisionstext.\n"):
    return f"Title: Neu\nDate: 2026-11-01\n{header}\n{body}"


def theme_page(project):
    write(project, NEW, post("Save_as: index.html\n"))


def theme_404(project):
    write(project, NEW, post("Save_as: 404.html\n"))


def other_post(project):
    write(project, NEW, post(f"Save_as: {POST_PATH}\n"))


def same_slug(project):
    write(project, NEW, post("Slug: wie-wir-pruefen-reifegrade-quellen-und-keine-angabe\n"))


def page_on_post(project):
    write(project, "content/pages/neu.md", f"Title: Neu\nSave_as: {POST_PATH}\n\nText.\n")


def hidden_same_slug(project):
    write(project, NEW, post("Slug: wie-wir-pruefen-reifegrade-quellen-und-keine-angabe\nStatus: hidden\n"))


def draft_on_page(project):
    write(project, NEW, post("Save_as: ueber-dieses-blog/index.html\nStatus: draft\n"))


def two_drafts(project):
    write(project, NEW, post("Slug: gleich\nStatus: draft\n"))
    write(project, "content/posts/neu2.md", post("Slug: gleich\nStatus: draft\n"))


def home_page_two(project):
    # Eleven posts make a second home page at page/2/ (DEFAULT_PAGINATION = 10).
    for number in range(3):
        write(project, f"content/posts/mehr-{number}.md", f"Title: Mehr {number}\nDate: 2026-09-0{number + 1}\n\nText.\n")
    write(project, NEW, post("Save_as: page/2/index.html\n"))


def attached_twice(project):
    write(project, "content/images/a/plan.pdf", b"%PDF-1.4 eins")
    write(project, "content/extra/plan.pdf", b"%PDF-1.4 zwei")
    write(project, NEW, post("", "[Plan A]({attach}../images/a/plan.pdf), [Plan B]({attach}../extra/plan.pdf)\n"))


def static_on_theme_page(project):
    write(project, "content/extra/robots.txt", "User-agent: *\nDisallow: /\n")
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as handle:
        handle.write('\nEXTRA_PATH_METADATA = {"extra/robots.txt": {"save_as": "robots.txt"}}\n')


def data_file_on_ozg_page(project):
    # A municipality's page is /ozg/<file name>/: "kennzahlen" is the indicators page.
    text = (project / "data/ozg/kommunen/nrw.yaml").read_text(encoding="utf-8")
    write(project, "data/ozg/kommunen/kennzahlen.yaml", text.replace("slug: nrw", "slug: kennzahlen", 1))


# (name, change, the two sources and the file named, which builds fail: html, publish)
KINDS = [
    ("Save_as a theme page", theme_page, [f"{NEW}:3: writes output/index.html", "theme/templates/index.html"], "both"),
    ("Save_as the 404 page", theme_404, [f"{NEW}:3: writes output/404.html", "theme/templates/404.html"], "both"),
    ("Save_as another post", other_post, [f"{NEW}:3: writes output/{POST_PATH}", POST], "both"),
    ("a published post reusing a slug", same_slug, [f"output/{POST_PATH}", NEW, POST], "both"),
    ("a page on a post's path", page_on_post, [f"output/{POST_PATH}", "content/pages/neu.md:2", POST], "both"),
    ("a hidden post reusing a slug", hidden_same_slug, [f"{NEW}:3: writes output/{POST_PATH}", POST], "html"),
    ("a draft on a page's path", draft_on_page, ["output/ueber-dieses-blog/index.html", NEW, PAGE], "html"),
    ("two drafts with one slug", two_drafts, ["output/entwurf/gleich/index.html", NEW, "content/posts/neu2.md"], "html"),
    ("Save_as the home page's page 2", home_page_two, [f"{NEW}:3: writes output/page/2/index.html",
                                                       "theme/templates/index.html"], "both"),
    ("two attached files, one name", attached_twice, ["output/2026/neu/plan.pdf", "content/images/a/plan.pdf",
                                                      "content/extra/plan.pdf"], "both"),
    ("a static file on a theme page", static_on_theme_page, ["content/extra/robots.txt: is copied to output/robots.txt",
                                                              "theme/templates/robots.txt"], "both"),
    ("a data file named like an /ozg/ page", data_file_on_ozg_page, [
        "output/ozg/kennzahlen/index.html is written twice", "theme/templates/ozg_kommune.html",
        "theme/templates/ozg_kennzahlen.html"], "both"),
]


BOTH = [k for k in KINDS if k[3] == "both"]
PREVIEW_ONLY = [k for k in KINDS if k[3] == "html"]


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"], ids=["html", "publish"])
@pytest.mark.parametrize("name,change,named,_fails", BOTH, ids=[k[0] for k in BOTH])
def test_two_sources_of_one_output_file_stop_the_build_naming_both(project, tmp_path, settings, name, change, named,
                                                                   _fails):
    check_collision(project, tmp_path, settings, name, change, named)


@pytest.mark.parametrize("name,change,named,_fails", PREVIEW_ONLY, ids=[k[0] for k in PREVIEW_ONLY])
def test_drafts_and_hidden_posts_collide_in_the_preview_build(project, tmp_path, name, change, named, _fails):
    check_collision(project, tmp_path, "pelicanconf.py", name, change, named)


def test_make_publish_writes_no_draft_or_hidden_post_so_they_collide_with_nothing(project, tmp_path):
    for number, (_name, change, _named, _fails) in enumerate(PREVIEW_ONLY):
        change(project)
        (project / NEW).rename(project / f"content/posts/neu-{number}.md")
    result = build_site(project, tmp_path / "output", settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "output/entwurf").exists()
    assert "Kollisionstext" not in (tmp_path / "output" / POST_PATH).read_text(encoding="utf-8")  # the published post


def check_collision(project, tmp_path, settings, name, change, named):
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("die vorige Fassung", encoding="utf-8")
    change(project)
    result = build_site(project, out, settings=settings)
    assert result.returncode != 0, f"{name}: the build succeeded"
    for text in named:
        assert text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "FileOverwriteFailedError" not in result.stderr, result.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]  # the previous site is untouched
    assert (out / "index.html").read_text(encoding="utf-8") == "die vorige Fassung"


def test_the_writer_internal_we_extend_is_the_one_every_page_and_feed_passes():
    """unique_output records each write in Writer._open_w (Pelican 4.12): re-check on an upgrade."""
    assert list(inspect.signature(Writer._open_w).parameters) == ["self", "filename", "encoding", "override"]
    assert "self._open_w(" in inspect.getsource(Writer.write_file)
    assert "self._open_w(" in inspect.getsource(Writer.write_feed)
