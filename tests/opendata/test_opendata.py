"""Open-data catalogues (issue 27): the settings and the store checked when read (the import:
tests/commands/test_opendata_import.py; the pages: tests/plugins/test_opendata_pages.py)."""
import pytest

from tests.support import ROOT

from wachhund.lib.settings import SettingsError
from wachhund.opendata.model import load
from wachhund.opendata.settings import get_settings


def test_settings_are_checked_in_one_place():
    good = {"name": "Ruhr", "art": "ckan", "url": "https://opendata.example/", "organisation": "stadt-x"}
    assert get_settings({"OPENDATA": {"PORTALE": {"ruhr": good}}}, ROOT).portals["ruhr"].organisation == "stadt-x"
    assert get_settings({}, ROOT).portals["duisburg"].url == "https://opendata-duisburg.de/data.json"
    for portal, message in (
        ({**good, "organisation": ""}, r"\['organisation'\] must be the CKAN organisation's name"),
        ({**good, "art": "socrata"}, r"\['art'\] must be one of dcat-us, ckan"),
        ({**good, "url": "javascript:alert(1)"}, r"\['url'\] must be an http\(s\) URL"),
        ({**good, "lizens": "x"}, r"unknown key\(s\) lizens"),
    ):
        with pytest.raises(SettingsError, match=message):
            get_settings({"OPENDATA": {"PORTALE": {"ruhr": portal}}}, ROOT)


def test_the_store_is_checked_when_read(tmp_path):
    (tmp_path / "duisburg.jsonl").write_text(
        '{"datensatz": "a", "datum": "2026-12-05", "ereignis": "entfernt"}\n'
        '{"datensatz": "b", "datum": "2026-12-05", "downloads": 1, "ereignis": "neu", "formate": [], '
        '"frequenz": "", "geaendert": "", "herausgeber": "", "link": "javascript:alert(1)", "schlagworte": [], '
        '"themen": [], "titel": "x", "veroeffentlicht": "", "verteilungen": 1}\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"duisburg\.jsonl:2: link: expected an http\(s\) URL"):
        load(get_settings({"OPENDATA": {"DATA_DIR": str(tmp_path)}}, tmp_path))
