"""`make publish` output and images in posts (issue: browser, publishing)."""

import brotli
import gzip

from bs4 import BeautifulSoup
from PIL import Image

from tests.support import build_site, tree_digest


def test_publish_precompressed_absolute_and_reproducible(project, tmp_path):
    env = {"WACHHUND_SITEURL": "https://wachhund.example.org"}
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_site(project, first, settings="publishconf.py", env=env).returncode == 0
    assert build_site(project, second, settings="publishconf.py", env=env).returncode == 0
    assert tree_digest(first) == tree_digest(second)
    html = first / "index.html"
    assert gzip.decompress((first / "index.html.gz").read_bytes()) == html.read_bytes()
    assert brotli.decompress((first / "index.html.br").read_bytes()) == html.read_bytes()
    page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    assert page.find("link", rel="canonical")["href"] == "https://wachhund.example.org/"
    assert all(a["href"].startswith("https://wachhund.example.org/") for a in page.select(".article-list h2 a"))


def make_post(project, body):
    (project / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", (640, 360), "white").save(project / "content/images/beweis.png")
    (project / "content/posts/bild.md").write_text(
        "Title: Bildtest\nDate: 2026-11-20\nCategory: Test\n\nEinleitung.\n\n" + body + "\n", encoding="utf-8"
    )


def test_image_with_caption_gets_size_lazy_loading_and_figure(project, tmp_path):
    make_post(project, '![Startseite des Serviceportals](/images/beweis.png "Serviceportal am 12. Oktober 2026")')
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((out / "2026/bildtest/index.html").read_text(encoding="utf-8"), "html.parser")
    img = page.select_one("figure img")
    assert (img["width"], img["height"], img["loading"]) == ("640", "360", "lazy")
    assert page.select_one("figure figcaption").get_text() == "Serviceportal am 12. Oktober 2026"
    assert (out / "images/beweis.png").is_file()


def test_image_without_alt_fails_naming_the_post(project, tmp_path):
    make_post(project, "![](/images/beweis.png)")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "content/posts/bild.md:7: image '/images/beweis.png' has no alt text" in result.stderr


def test_image_from_another_host_fails(project, tmp_path):
    make_post(project, "![Logo](https://cdn.example.com/logo.png)")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "content/posts/bild.md:7:" in result.stderr and "another host" in result.stderr
