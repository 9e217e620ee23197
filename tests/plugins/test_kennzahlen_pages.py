"""Indicators on the site (issue 15, item 1): the directives against the real data, the pages
and the exports."""

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from wachhund.ozg.kennzahlen import parse
from tests.support import ROOT, build_site, tree_digest

DATA = ROOT / "data" / "ozg" / "kennzahlen.yaml"


def real():
    return parse(DATA, "data/ozg/kennzahlen.yaml")


def post_html(site, slug):
    return BeautifulSoup((site / "2026" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")


POST = "platz-1-oder-weit-hinten-zwei-masse-fuer-denselben-stand"


def test_kennzahl_directive_renders_latest_value_with_stand_and_source(site):
    page = post_html(site, POST)
    sentences = {p["data-reihe"]: p for p in page.select("p.ozg-kennzahl")}
    nrw = sentences["ozg_land_flaechendeckend"]
    latest = real().latest("ozg_land_flaechendeckend", "Nordrhein-Westfalen")
    assert latest.stand == "2025-01" and str(latest.wert) == "197"  # the newest dated value in the file
    assert "Nordrhein-Westfalen: 197 von 575" in nrw.get_text() and "(Stand: Januar 2025)" in nrw.get_text()
    assert nrw.find("a")["href"] == latest.quelle_url
    duisburg = sentences["hspv_ozg_konform_anteil"]
    assert "Duisburg: 2,33 %" in duisburg.get_text() and "Stand: 30. Juni 2022" in duisburg.get_text()


def test_zeitreihe_directive_shows_chart_and_every_value(site):
    page = post_html(site, POST)
    block = page.find("table", id=re.compile("ozg-zeitreihe-")).find_parent(class_="ozg-reihe")
    img = block.select_one("figure.ozg-zeitreihe img")
    assert img["src"].startswith("/ozg/kennzahlen/") and (site / img["src"].lstrip("/")).is_file()
    assert "Nordrhein-Westfalen" in img["alt"]
    rows = block.select("tbody tr")
    assert len(rows) == len(real().reihen[block.select_one("tr[data-reihe]")["data-reihe"]])


def test_value_without_stand_stays_in_the_table_and_off_the_chart(site):
    kennzahlen = real()
    undated = [w for w in kennzahlen.reihen["ozg_bund_flaechendeckend"] if not w.dated]
    assert sorted(str(w.wert) for w in undated) == ["136", "145"]  # "Herbst 2023", no month or day
    svg = (site / "ozg/kennzahlen/ozg_bund_flaechendeckend.svg").read_text(encoding="utf-8")
    points = re.findall(r"<title>Deutschland: ([^<]*)</title>", svg)
    assert len(points) == sum(1 for w in kennzahlen.reihen["ozg_bund_flaechendeckend"] if w.dated)
    assert not any(p.startswith(("136 ", "145 ")) for p in points)
    page = BeautifulSoup((site / "ozg/kennzahlen/index.html").read_text(encoding="utf-8"), "html.parser")
    table = page.find("table", id="reihe-ozg_bund_flaechendeckend-tabelle")
    row = next(r for r in table.select("tbody tr") if r.select_one("td.num").get_text().startswith("136 "))
    assert "Stand unbekannt" in row.get_text()


@pytest.mark.parametrize("directive, message", [
    ('{% ozg kennzahl reihe="gibtsnicht" gebiet="Duisburg" %}', "unknown reihe 'gibtsnicht'"),
    ('{% ozg kennzahl reihe="ozg_land_flaechendeckend" gebiet="Atlantis" %}', "has no gebiet 'Atlantis'"),
    ('{% ozg zeitreihe reihe="ozg_land_flaechendeckend" farbe="rot" %}', "unknown option 'farbe'"),
    ('{% ozg kennzahl reihe="ozg_land_flaechendeckend" %}', 'needs gebiet="…"'),
])
def test_bad_indicator_directive_names_the_post_and_line(project, tmp_path, directive, message):
    (project / "content/posts/zahl.md").write_text(
        f"Title: Zahl\nDate: 2026-11-20\n\nText.\n\n{directive}\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "content/posts/zahl.md:6:" in result.stderr and message in result.stderr


def test_indicator_page_lists_every_value_with_source(site):
    page = BeautifulSoup((site / "ozg/kennzahlen/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = page.select("table.kennzahlen-table tbody tr")
    assert len(rows) == 114
    assert all(row.find("a", href=True) and row.find("q") for row in rows)
    assert page.select_one("details.kennzahlen-methode")  # the method and its limits
    assert len(page.select("figure.ozg-zeitreihe img")) == sum(1 for r in real().reihen if real().chartable(r))


def test_area_pages_show_their_indicators(site):
    duisburg = BeautifulSoup((site / "ozg/duisburg/index.html").read_text(encoding="utf-8"), "html.parser")
    row = duisburg.select_one('table.kennzahlen-table tr[data-reihe="hspv_ozg_konform_anteil"]')
    assert "2,33 %" in row.get_text() and "30. Juni 2022" in row.get_text()
    index = BeautifulSoup((site / "ozg/index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", href="/ozg/kennzahlen/")
    assert index.select('table.kennzahlen-table tr[data-reihe="ozg_land_flaechendeckend"]')


def test_indicator_exports_round_trip(site):
    kennzahlen = real()
    data = json.loads((site / "ozg/kennzahlen.json").read_text(encoding="utf-8"))
    assert len(data["werte"]) == 114
    assert [(r["reihe"], r["gebiet"], r["stand"]) for r in data["werte"]] == [
        (w.reihe, w.gebiet, w.stand) for w in kennzahlen.werte]
    rows = list(csv.DictReader(io.StringIO((site / "ozg/kennzahlen.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 114 and rows[0]["quelle_url"] == kennzahlen.werte[0].quelle_url
    assert not [c for r in rows for c in r.values() if c[:1] in ("=", "+", "-", "@")]


def test_indicator_charts_are_deterministic(site, project, tmp_path):
    out = tmp_path / "again"
    assert build_site(project, out).returncode == 0
    charts = {k: v for k, v in tree_digest(site).items() if k.startswith("ozg/kennzahlen")}
    assert charts and charts == {k: v for k, v in tree_digest(out).items() if k.startswith("ozg/kennzahlen")}
