"""Trust at the edges (issue 22, items 1 and 2): only regular files inside content/,
theme/ and data/ are read into the site, and no author file that could run in a
reader's browser is published (plugins/source_files).

Each build here is a whole-site build of a copy of the project; a refused input
must stop `make html` and `make publish` with the file named, and nothing of it
may reach the output."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, append, build_site, copy_project

TOKEN = "GEHEIM-7f3a-nicht-veroeffentlichen"
MEDIA = "content/posts/2026-11-20-anhang.md"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("sources") / "project")


@pytest.fixture
def case(base, tmp_path):
    """A fresh copy of the project (plugins/ stays a symlink, as tests/support.py makes it)
    and, next to it, a folder outside the project holding a secret."""
    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    outside = tmp_path / "outside"
    (outside / "ordner").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"{TOKEN}\n", encoding="utf-8")
    (outside / "ordner" / "passwd.txt").write_text(f"{TOKEN}\n", encoding="utf-8")
    (outside / "beitrag.md").write_text(
        f"Title: Von außen {TOKEN}\nDate: 2026-11-20 09:00\nCategory: Duisburg\n\n{TOKEN}\n", encoding="utf-8")
    return project, outside


def refused(project, out, message, settings="pelicanconf.py"):
    result = build_site(project, out, settings=settings)
    assert result.returncode != 0, f"the build published it:\n{result.stderr[-1500:]}"
    assert message in result.stderr, result.stderr[-2500:]
    assert "Traceback" not in result.stderr
    assert not out.exists(), "a failed build must not write output/"
    return result.stderr


# --- item 1: symbolic links and files outside content/ ----------------------------------------

LINKS = {
    # relative path of the link -> what it points to (relative to the outside folder, or a name)
    "content/extra/passwd.txt": "secret.txt",
    "content/images": "ordner",
    "content/posts/2026-11-20-von-aussen.md": "beitrag.md",
    "content/extra/weg.txt": "gibt-es-nicht.txt",  # dangling
    "content/extra/kopie.txt": "INSIDE:content/pages/impressum.md",  # inside content/, still a link
    "theme/static/css/fremd.css": "secret.txt",
    "theme/templates/partials/fremd.html": "secret.txt",
    "data/ozg/kommunen/fremd.yaml": "secret.txt",
    "data/sources/ordner": "ordner",
}


@pytest.mark.parametrize("link", sorted(LINKS))
def test_a_symbolic_link_stops_the_build_with_its_path(case, tmp_path, link):
    project, outside = case
    target = LINKS[link]
    target = project / target[len("INSIDE:"):] if target.startswith("INSIDE:") else outside / target
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(target)
    stderr = refused(project, tmp_path / "out", f"{link}: is a symbolic link (to {target}); only regular files inside")
    assert TOKEN not in stderr


def test_make_publish_refuses_a_link_to_a_secret(case, tmp_path):
    """The daily workflow writes the deploy key to disk before `make deploy`."""
    project, outside = case
    (project / "content/extra").mkdir()
    (project / "content/extra/deploy_key.txt").symlink_to(outside / "secret.txt")
    refused(project, tmp_path / "out", "content/extra/deploy_key.txt: is a symbolic link", settings="publishconf.py")


def test_content_itself_may_not_be_a_link(case, tmp_path):
    project, outside = case
    shutil.move(project / "content", outside / "content")
    (project / "content").symlink_to(outside / "content")
    refused(project, tmp_path / "out", f"content: is a symbolic link (to {outside / 'content'})")


def test_a_named_pipe_stops_the_build(case, tmp_path):
    project, _ = case
    (project / "content/extra").mkdir()
    os.mkfifo(project / "content/extra/rohr.txt")
    refused(project, tmp_path / "out", "content/extra/rohr.txt: is a named pipe; only regular files inside content/")


def test_a_static_link_out_of_content_names_the_post_and_line(case, tmp_path):
    project, outside = case
    append(project, "content/posts/2026-11-16-wie-wir-pruefen.md",
           "\n\nDie [Liste]({static}../../../outside/secret.txt) und\nder [Ordner]({attach}../../../outside/ordner/passwd.txt).\n")
    stderr = refused(project, tmp_path / "out", "links {static}/{attach} file '../../outside/secret.txt', which lies outside content/")
    lines = (project / "content/posts/2026-11-16-wie-wir-pruefen.md").read_text(encoding="utf-8").count("\n")
    assert f"content/posts/2026-11-16-wie-wir-pruefen.md:{lines - 1}: links" in stderr
    assert f"content/posts/2026-11-16-wie-wir-pruefen.md:{lines}: links {{static}}/{{attach}} file '../../outside/ordner/passwd.txt'" in stderr


def test_a_post_image_out_of_content_is_not_read(case, tmp_path):
    """post_images reads an image's size; a path climbing out of content/ would read any file."""
    from PIL import Image

    project, outside = case
    Image.new("RGB", (123, 45), "white").save(outside / "fremd.png")
    append(project, "content/posts/2026-11-16-wie-wir-pruefen.md", "\n\n![Ein Bild](/../../outside/fremd.png)\n")
    refused(project, tmp_path / "out", "image '/../../outside/fremd.png' lies outside content/")


@pytest.mark.parametrize("setting, message", [
    ('STATIC_PATHS = ["images", "../outside"]', "STATIC_PATHS entry must be a folder inside content/, got '../outside'"),
    ('ARTICLE_PATHS = ["posts", "/etc"]', "ARTICLE_PATHS entry must be a folder inside content/, got '/etc'"),
    ('THEME_STATIC_PATHS = ["static", "../../outside"]', "THEME_STATIC_PATHS entry must be a folder inside theme/"),
    ("STATIC_CREATE_LINKS = True", "STATIC_CREATE_LINKS must be False"),
])
def test_settings_that_name_folders_outside_are_refused(case, tmp_path, setting, message):
    project, _ = case
    append(project, "pelicanconf.py", f"\n{setting}\n")
    refused(project, tmp_path / "out", message)


def test_names_pelican_ignores_are_neither_refused_nor_published(case, tmp_path):
    """Emacs keeps a lock file `.#name` as a dangling link next to a post being edited;
    Finder leaves .DS_Store. Neither may stop `make serve`'s build or be published."""
    project, _ = case
    (project / "content/posts/.#2026-11-16-wie-wir-pruefen.md").symlink_to("autor@rechner.4242:1700000000")
    (project / "content/extra").mkdir()
    (project / "content/extra/.DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (project / "content/extra/notiz.txt").write_text("Notiz.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "extra/notiz.txt").exists()
    assert not list(out.rglob(".DS_Store")) and not list(out.rglob(".#*"))


def test_the_preview_refuses_links_too(case, tmp_path):
    """`make serve` reads the whole site in its own process (wachhund/commands/preview.py) for the
    quick preview: a link stops that reading as it stops a build."""
    from wachhund.commands.preview import WarmSite

    project, outside = case
    (project / "content/posts/2026-11-20-von-aussen.md").symlink_to(outside / "beitrag.md")
    with pytest.raises(Exception, match="content/posts/2026-11-20-von-aussen.md: is a symbolic link"):
        WarmSite.load(project / "pelicanconf.py", tmp_path / "scratch")


# --- item 2: static files that could run ------------------------------------------------------

HOSTILE_HTML = b'<!doctype html><title>x</title><script src="/extra/anlage.js"></script><img src=x onerror="alert(1)">\n'
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>\n'

REFUSED = {
    "content/extra/bericht.html": (HOSTILE_HTML, "'.html' files are not published: a web page runs its scripts"),
    "content/extra/seite.Html": (HOSTILE_HTML, "'.html' files are not published"),
    "content/extra/alt.htm": (HOSTILE_HTML, "'.htm' files are not published"),
    "content/extra/seite.xhtml": (HOSTILE_HTML, "'.xhtml' files are not published"),
    "content/extra/anlage.js": (b"alert(1)\n", "'.js' files are not published: scripts are part of the theme"),
    "content/extra/modul.mjs": (b"alert(1)\n", "'.mjs' files are not published"),
    "content/extra/daten.xml": (b'<?xml version="1.0"?><a/>\n', "'.xml' files are not published: browsers render XML"),
    "content/extra/stil.xsl": (b'<?xml version="1.0"?><a/>\n', "'.xsl' files are not published"),
    "content/images/grafik.svg": (HOSTILE_SVG, "'.svg' files are not published: an SVG image can carry scripts"),
    "content/images/GRAFIK2.SVG": (HOSTILE_SVG, "'.svg' files are not published"),
    "content/images/bild.png.html": (HOSTILE_HTML, "'.html' files are not published"),
    "content/extra/LIESMICH": (b"Text\n", "'LIESMICH' files are not published: a file without an extension"),
    "content/extra/makro.docm": (b"PK\3\4", "'.docm' files are not published: this type is not on the list"),
}
ALLOWED = {
    "content/images/bild.png": HOSTILE_HTML,  # the extension decides what a browser does (nosniff)
    "content/images/FOTO.PNG": HOSTILE_HTML,
    "content/images/grafik.svg.png": HOSTILE_SVG,
    "content/extra/bericht.pdf": b"%PDF-1.4\n",
    "content/extra/notiz.txt": HOSTILE_HTML,
    "content/extra/daten.json": b'{"a": 1}\n',
    "content/extra/tabelle.csv": b"a;b\n1;2\n",
    "content/extra/brief.docx": b"PK\3\4",
}


def write(project, files):
    for relative, data in files.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_bytes(data)


def test_every_refused_type_is_named_and_allowed_ones_are_not(case, tmp_path):
    project, _ = case
    write(project, {name: data for name, (data, _) in REFUSED.items()})
    write(project, ALLOWED)
    stderr = refused(project, tmp_path / "out", "Allowed: .avif .csv .docx .gif .jpeg .jpg .json")
    for name, (_, message) in REFUSED.items():
        assert f"{name}: {message}" in stderr, name
    for name in ALLOWED:
        assert f"{name}:" not in stderr, name


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_allowed_types_are_published_byte_for_byte(case, tmp_path, settings):
    project, _ = case
    write(project, ALLOWED)
    out = tmp_path / "out"
    result = build_site(project, out, settings=settings)
    assert result.returncode == 0, result.stderr[-2000:]
    for name, data in ALLOWED.items():
        assert (out / name.removeprefix("content/")).read_bytes() == data, name


def test_an_attached_page_from_a_post_folder_is_refused(case, tmp_path):
    """Linked files are copied even outside STATIC_PATHS: the check is on what is copied."""
    project, _ = case
    write(project, {"content/posts/anhang.html": HOSTILE_HTML, MEDIA: (
        "Title: Anhang\nDate: 2026-11-20 09:00\nCategory: Duisburg\n\n"
        "Der [Bericht]({attach}anhang.html) liegt bei.\n").encode()})
    refused(project, tmp_path / "out", "content/posts/anhang.html: '.html' files are not published")


def test_a_published_name_that_could_run_is_refused(case, tmp_path):
    """EXTRA_PATH_METADATA can publish a harmless source under another name: the name a
    reader's browser sees counts too."""
    project, _ = case
    write(project, {"content/extra/notiz.txt": HOSTILE_HTML})
    append(project, "pelicanconf.py", '\nEXTRA_PATH_METADATA = {"extra/notiz.txt": {"save_as": "extra/notiz.html"}}\n')
    refused(project, tmp_path / "out", "content/extra/notiz.txt: is published as 'extra/notiz.html': '.html' files are not published")


def test_a_published_name_outside_the_site_is_refused(case, tmp_path):
    project, _ = case
    write(project, {"content/extra/notiz.txt": b"Notiz\n"})
    append(project, "pelicanconf.py", '\nEXTRA_PATH_METADATA = {"extra/notiz.txt": {"save_as": "../notiz.txt"}}\n')
    refused(project, tmp_path / "out", "content/extra/notiz.txt: would be written to '../notiz.txt', outside the site")
    assert not (tmp_path / "notiz.txt").exists()


def test_the_theme_keeps_its_own_svg_and_scripts(site):
    """theme/static/ is our code: favicon.svg and the scripts are published."""
    assert (site / "theme/favicon.svg").read_bytes() == (ROOT / "theme/static/favicon.svg").read_bytes()
    assert (site / "theme/js/ozg-tabelle.js").exists()
