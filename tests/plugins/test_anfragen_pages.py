"""Questions to authorities on the site (issue 26): the pages, the directive and the feed."""
import shutil

from bs4 import BeautifulSoup

from tests.anfragen_data import BASE_YAML, DONE, FIXTURES, OPEN, write
from tests.support import ROOT, build_site, tree_digest


def with_fixtures(project):
    for f in FIXTURES.iterdir():
        shutil.copy(f, project / "data/anfragen" / f.name)
    post = next((project / "content/posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + f'\n{{% anfrage id="{OPEN}" %}}\n', encoding="utf-8")
    return post


def page(out, url):
    return BeautifulSoup((out / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_real_site_has_no_invented_question(site):
    assert sorted(p.name for p in (ROOT / "data/anfragen").iterdir()) == ["README.md"]
    text = page(site, "/anfragen/").get_text(" ", strip=True)
    assert "Es sind noch keine Anfragen erfasst." in text
    assert not list((site / "anfragen").iterdir())[1:]  # index.html only


def test_pages_and_directive_from_the_fixture(project, tmp_path):
    post = with_fixtures(project)
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    liste = page(out, "/anfragen/")
    assert [li["data-anfrage"] for li in liste.select("li[data-anfrage]")] == [OPEN, DONE]  # open first
    first = liste.select_one(f'li[data-anfrage="{OPEN}"]').get_text(" ", strip=True)
    assert "Gestellt am 1. September 2026 , unbeantwortet seit 91 Tagen (Stand: 1. Dezember 2026 )" in first
    assert "Erinnert am 5. Oktober 2026 und 2. November 2026" in first
    assert "Frist überschritten seit 1. Oktober 2026 (unsere Frist, 61 Tage bis zum Stand)" in first
    assert "teilweise beantwortet" in liste.select_one(f'li[data-anfrage="{DONE}"]').get_text(" ", strip=True)
    for raw in ((out / "anfragen" / OPEN / "index.html").read_text(encoding="utf-8"),
                (out / "anfragen/index.html").read_text(encoding="utf-8")):
        assert "<b>fett" not in raw and "&lt;b&gt;fett&lt;/b&gt;" in raw  # a title is text
    verlauf = [li.get_text(" ", strip=True) for li in page(out, f"/anfragen/{OPEN}/").select(".anfrage-verlauf li")]
    assert verlauf[0].startswith("1. September 2026 : Anfrage gestellt") and "eingeschlafen" in verlauf[-1]
    assert "Frist abgelaufen ohne Antwort" in verlauf[2]
    boxes = [b for p in sorted(out.glob("2026/*/index.html"))
             for b in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select("div.anfrage-box")]
    assert len(boxes) == 1
    box = boxes[0]
    assert box.a["href"] == f"/anfragen/{OPEN}/" and "unbeantwortet seit 91 Tagen" in box.get_text(" ", strip=True)
    assert f"anfragen/{OPEN}/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    # deterministic: a second build gives the same bytes
    again = tmp_path / "again"
    assert build_site(project, again).returncode == 0
    assert tree_digest(out / "anfragen") == tree_digest(again / "anfragen")


def test_an_unknown_directive_id_fails_with_the_posts_line(project, tmp_path):
    post = with_fixtures(project)
    text = post.read_text(encoding="utf-8").replace(f'id="{OPEN}"', 'id="gibt-es-nicht"')
    post.write_text(text, encoding="utf-8")
    line = text.splitlines().index('{% anfrage id="gibt-es-nicht" %}') + 1
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert (f"{post.relative_to(project)}:{line}: unknown anfrage id 'gibt-es-nicht'; "
            f"known: {OPEN}, {DONE}") in result.stderr


def test_a_bad_question_stops_the_build_with_its_line(project, tmp_path):
    write(project / "data/anfragen", "kaputt", BASE_YAML + "antwort: 2026-08-01\n")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "data/anfragen/kaputt.yaml:6: antwort 2026-08-01 is before gestellt 2026-09-01" in result.stderr


def test_the_feed_is_written(project, tmp_path):
    with_fixtures(project)
    out = tmp_path / "out"
    assert build_site(project, out, "publishconf.py").returncode == 0
    feed = BeautifulSoup((out / "feeds/anfragen.atom.xml").read_text(encoding="utf-8"), "xml")
    titles = [e.title.get_text() for e in feed.find_all("entry")]
    assert titles[0] == "FragDenStaat: eingeschlafen – Stand der Online-Dienste <b>fett</b>"
    assert "Frist abgelaufen: Stand der Online-Dienste <b>fett</b>" in titles


def test_the_directive_keeps_the_line_numbers_of_later_directives_and_skips_code(project, tmp_path):
    post = with_fixtures(project)
    lines = post.read_text(encoding="utf-8").splitlines()
    body = lines.index("") + 1  # after the header
    lines[body:body] = [f'{{% anfrage id="{OPEN}" %}}', "", "```", '{% anfrage id="nur-ein-beispiel" %}', "```", ""]
    lines.append('{% ozg gibtesnicht kommune="duisburg" %}')
    post.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert f"{post.relative_to(project)}:{len(lines)}: unknown ozg directive 'gibtesnicht'" in result.stderr
    assert "nur-ein-beispiel" not in result.stderr
