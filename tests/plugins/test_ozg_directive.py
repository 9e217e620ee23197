"""The OZG directive and its rendering on made-up fixture data (tests/fixtures/ozg)."""
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from plugins.ozg_status.directive import DirectiveError, OzgExtension, parse_directive
from wachhund.ozg.schema import load_model

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"


@pytest.fixture(scope="module")
def model():
    return load_model(FIXTURES, FIXTURES.parent.parent.parent)


def render(model, text):
    return markdown.Markdown(extensions=["meta", "extra", OzgExtension(model)]).convert(text)


def test_table_directive_markup_contract(model):
    html = render(model, 'Text\n\n{% ozg tabelle kommune="teststadt" %}\n\nMehr')
    page = BeautifulSoup(html, "html.parser")
    table = page.select_one("table.ozg-table")
    assert table.caption and "Teststadt" in table.caption.get_text()
    assert "Stand der Beobachtungen: 1. Juni 2025" in table.caption.get_text()
    rows = table.tbody.find_all("tr")
    assert [r["data-ozg-id"] for r in rows][:5] == ["10000", "10001", "10023", "10173", "10294"]
    assert all(th.has_attr("scope") for th in table.find_all("th"))
    musik = table.find("tr", attrs={"data-ozg-id": "10023"})
    assert "keine Angabe" in musik.get_text()
    assert "Mehr" in page.get_text()


@pytest.mark.parametrize(
    "options, ids",
    [
        ('themenfeld="Mobilität & Reisen"', ["10173"]),
        ('lebenslage="Geburt"', ["10000", "10001"]),
        ('reifegrad="3-4"', ["10000", "10173"]),
        ('reifegrad="4"', ["10173"]),
        ('ids="10023,10294"', ["10023", "10294"]),
        ('nur_beobachtet="ja" themenfeld="Familie & Kind"', ["10000", "10001"]),
    ],
)
def test_table_filters(model, options, ids):
    html = render(model, f'{{% ozg tabelle kommune="teststadt" {options} %}}')
    rows = BeautifulSoup(html, "html.parser").select("table.ozg-table tbody tr")
    assert [r["data-ozg-id"] for r in rows] == ids


def test_summary_and_comparison(model):
    html = render(model, '{% ozg zusammenfassung kommune="teststadt" %}')
    assert "2 von 5 Leistungen mindestens Reifegrad 3 (Stand: 1. Juni 2025)" in html
    html = render(model, '{% ozg vergleich kommunen="teststadt,zweitstadt" %}')
    table = BeautifulSoup(html, "html.parser").select_one("table.ozg-table")
    heads = [th.get_text() for th in table.thead.find_all("th")]
    assert heads == ["Kennzahl", "Teststadt", "Zweitstadt"]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{% ozg tabelle kommune="atlantis" %}', "unknown municipality 'atlantis'"),
        ('{% ozg tabelle kommune="teststadt" farbe="rot" %}', "unknown option 'farbe'"),
        ('{% ozg tabelle kommune="teststadt" themenfeld="Raumfahrt" %}', "unknown themenfeld 'Raumfahrt'"),
        ('{% ozg tabelle kommune="teststadt" reifegrad="5" %}', "reifegrad must be like"),
        ('{% ozg tabelle kommune="teststadt" ids="99999" %}', "unknown OZG-ID(s): 99999"),
        ('{% ozg grafik kommune="teststadt" %}', "unknown ozg directive 'grafik'"),
        ('{% ozg tabelle %}', "needs kommune"),
        ('{% ozg tabelle kommune=teststadt %}', "cannot read options"),
        ('{% ozg tabelle kommune="teststadt"', "must be one line"),
        ('{% ozg vergleich kommunen="teststadt,atlantis" %}', "unknown municipality 'atlantis'"),
    ],
)
def test_directive_errors_name_the_line(model, line, message):
    with pytest.raises(DirectiveError) as info:
        render(model, f"Title: X\n\nEins\n\n{line}\n")
    assert info.value.lineno == 5
    assert message in info.value.msg


def test_directive_in_code_fence_is_left_alone(model):
    html = render(model, '```\n{% ozg tabelle kommune="atlantis" %}\n```\n')
    assert "ozg tabelle" in html and "ozg-table" not in html


def test_parse_directive_options():
    assert parse_directive('tabelle kommune="a" themenfeld="Familie & Kind"', 1) == (
        "tabelle", {"kommune": "a", "themenfeld": "Familie & Kind"}
    )
