"""Followable and attributable: fediverse:creator, rel="me" and microformats2 (h-card,
h-entry, h-feed) on the built pages, read with mf2py as Bridgy Fed reads them."""

import datetime as dt

import mf2py
import pytest
from bs4 import BeautifulSoup

from tests.support import append, build_site

from plugins.fediverse.settings import get_settings
from wachhund.lib.settings import SettingsError

SITE = "https://wachhund.example.org"
PROFILE = "https://social.example/@wachhund"
DUISBURG = "2026/duisburg-digital-viel-ankuendigung-wenig-antrag"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.support import copy_project

    project = copy_project(tmp_path_factory.mktemp("mf2") / "project")
    append(project, "pelicanconf.py",
           f'\nFEDIVERSE_CREATOR = "@redaktion@social.example"\nREL_ME = ["{PROFILE}", "https://github.com/wachhund"]\n')
    out = project / "output"
    result = build_site(project, out, settings="publishconf.py", env={"HEUTE": "2026-12-07"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def parsed(out, path):
    html = (out / path / "index.html").read_text(encoding="utf-8")
    return mf2py.parse(doc=html, url=f"{SITE}/{path}/" if path else f"{SITE}/"), BeautifulSoup(html, "html.parser")


def items_of(data, kind):
    found = []
    for item in data["items"]:
        if kind in item["type"]:
            found.append(item)
        found += [child for child in item.get("children", []) if kind in child["type"]]
    return found


def test_a_post_is_an_h_entry_with_every_property(built):
    data, soup = parsed(built, DUISBURG)
    (entry,) = items_of(data, "h-entry")
    props = entry["properties"]
    assert props["name"] == ["Duisburg digital: viel Ankündigung, wenig Antrag"]
    assert props["summary"][0].startswith("Die Stadt Duisburg meldet regelmäßig Fortschritte")
    published, updated = (dt.datetime.fromisoformat(props[key][0]) for key in ("published", "updated"))
    assert published == dt.datetime.fromisoformat("2026-10-12T08:30:00+02:00") and published.utcoffset()
    assert updated >= published
    assert props["url"] == [f"{SITE}/{DUISBURG}/"]
    assert {"Duisburg", "OZG", "Bürgeramt"} <= set(props["category"])
    (author,) = props["author"]
    assert author["type"] == ["h-card"] and author["properties"]["name"] == ["Wachhund-Redaktion"]
    assert author["properties"]["url"] == [f"{SITE}/autor/wachhund-redaktion/"]
    content = props["content"][0]
    assert "Mehrfach haben wir bei der Duisburger Stadtspitze nachgefragt" in content["value"]
    assert "<h2" in content["html"]
    assert soup.find("meta", attrs={"name": "fediverse:creator"})["content"] == "@redaktion@social.example"


def test_list_pages_are_h_feeds_of_h_entries(built):
    for path, name in (("", "Beiträge"), ("kategorie/duisburg", "Kategorie: Duisburg"),
                       ("schlagwort/ozg", "Schlagwort: OZG")):
        data, _ = parsed(built, path)
        (feed,) = [item for item in data["items"] if "h-feed" in item["type"]]
        assert feed["properties"]["name"] == [name], path
        entries = [child for child in feed["children"] if "h-entry" in child["type"]]
        assert entries, path
        for entry in entries:
            assert entry["properties"]["url"][0].startswith(f"{SITE}/2026/")
            assert entry["properties"]["name"] and entry["properties"]["published"], path


def test_the_blog_has_an_h_card_with_its_profiles_and_rel_me(built):
    data, soup = parsed(built, "")
    cards = [item for item in data["items"] if "h-card" in item["type"]]
    (card,) = [c for c in cards if f"{SITE}/" in c["properties"].get("url", [])]
    assert card["properties"]["name"] == ["Wachhund"]
    assert PROFILE in card["properties"]["url"] and card["properties"]["uid"] == [f"{SITE}/"]
    assert data["rels"]["me"] == [PROFILE, "https://github.com/wachhund"]
    about, soup = parsed(built, "ueber-dieses-blog")
    assert about["rels"]["me"] == [PROFILE, "https://github.com/wachhund"]
    assert soup.find("h2", id="folgen") and len(soup.select('main a[rel="me"]')) == 2


def test_without_the_settings_no_tag_and_no_profiles(site):
    html = (site / DUISBURG / "index.html").read_text(encoding="utf-8")
    assert "fediverse:creator" not in html and 'rel="me"' not in html
    data = mf2py.parse(doc=html, url=f"{SITE}/{DUISBURG}/")
    assert items_of(data, "h-entry")  # the microformats do not depend on them


@pytest.mark.parametrize("settings, message", [
    ({"FEDIVERSE_CREATOR": "redaktion@social.example"}, "FEDIVERSE_CREATOR must be a fediverse handle"),
    ({"FEDIVERSE_CREATOR": "@redaktion@localhost"}, "FEDIVERSE_CREATOR must be"),
    ({"FEDIVERSE_CREATOR": '@a"b@social.example'}, "FEDIVERSE_CREATOR must be"),
    ({"REL_ME": "https://social.example/@a"}, "REL_ME must be a list of https profile URLs"),
    ({"REL_ME": ["http://social.example/@a"]}, "REL_ME must be"),
    ({"REL_ME": ["javascript:alert(1)"]}, "REL_ME must be"),
])
def test_bad_settings_are_refused_with_the_setting_named(settings, message):
    with pytest.raises(SettingsError, match=message):
        get_settings(settings)


def test_good_settings_are_kept():
    checked = get_settings({"FEDIVERSE_CREATOR": "@red_aktion@social.example.org", "REL_ME": [PROFILE]})
    assert checked.creator == "@red_aktion@social.example.org" and checked.rel_me == (PROFILE,)
    assert checked.shown(PROFILE) == "social.example/@wachhund"


def test_a_bad_setting_stops_the_build(project, tmp_path):
    append(project, "pelicanconf.py", '\nFEDIVERSE_CREATOR = "wachhund"\n')
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "FEDIVERSE_CREATOR must be a fediverse handle like '@wachhund@social.example'" in result.stdout + result.stderr
