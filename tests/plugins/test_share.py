"""Share links under each post (issue 28): plain links to E-Mail, Bluesky and WhatsApp with the
post's address, a Mastodon button the theme script reveals, nothing that loads by itself."""

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from tests.support import build_site

ARTICLE = "2026/duisburg-digital-viel-ankuendigung-wenig-antrag"
SITE = "https://wachhund.example.org"


def test_every_published_post_has_share_links_with_its_address(project, tmp_path):
    out = tmp_path / "out"
    result = build_site(project, out, settings="publishconf.py", env={"HEUTE": "2026-12-07"})
    assert result.returncode == 0, result.stderr
    for page in out.glob("2026/*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        share = soup.select_one("section.teilen")
        assert share, page
        address = f"{SITE}/{page.parent.relative_to(out)}/"
        title = soup.h1.get_text()
        links = {a.get_text(): a["href"] for a in share.select("a")}
        mail = urlsplit(links["E-Mail"])
        assert mail.scheme == "mailto" and parse_qs(mail.query) == {"subject": [title], "body": [address]}
        for name, host, key in (("Bluesky", "bsky.app", "text"), ("WhatsApp", "wa.me", "text")):
            parts = urlsplit(links[name])
            assert parts.scheme == "https" and parts.hostname == host
            assert parse_qs(parts.query)[key] == [f"{title} {address}"]
        mastodon = share.select_one("button.share-mastodon")
        assert mastodon.has_attr("hidden")  # without the script there is no Mastodon button
        form = share.select_one("form#mastodon-teilen")
        assert not form.has_attr("action") and form["data-text"] == f"{title} {address}"
        assert soup.find("script", src=f"{SITE}/theme/js/teilen.js")
        # nothing in the share section loads by itself
        assert not share.select("img, iframe, script, link, object, embed")
