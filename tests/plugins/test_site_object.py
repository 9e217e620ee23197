"""Plugins meet through one object (wachhund.site): a new capability brings its own
feed without an edit in the feeds plugin, and a missing provider stops the build."""

import feedparser
from bs4 import BeautifulSoup

from tests.support import build_site, copy_project, replace

PROBE = '''
import datetime as dt

from markupsafe import Markup
from pelican import signals

from wachhund.lib.feeds import ChangeEntry, ChangeFeed, as_moment
from wachhund.site import site_of


def on_initialized(pelican):
    site = site_of(pelican.settings)
    {extra}
    entry = ChangeEntry(id="urn:wachhund:probe-1", title="Probe <b>fett</b> & so", link=site.site_url + "/probe/",
                        date=as_moment(dt.date(2026, 12, 1)), content=Markup("<p>{}</p>").format("<script>x</script>"))
    site.feeds.add(ChangeFeed(name="probe", title="Probe-Änderungen", text="Nur ein Test.", page="",
                              entries=lambda: [entry]))


def register():
    signals.initialized.connect(on_initialized)
'''


def with_probe(tmp_path, extra=""):
    project = copy_project(tmp_path / "p", copy_plugins=True)
    (project / "plugins/probe").mkdir()
    (project / "plugins/probe/__init__.py").write_text(PROBE.replace("{extra}", extra), encoding="utf-8")
    replace(project, "pelicanconf.py", '"plugins.subscriber_feeds",', '"plugins.subscriber_feeds",\n    "plugins.probe",')
    return project


def test_a_new_capability_brings_its_feed_without_touching_the_feeds_plugin(tmp_path):
    project = with_probe(tmp_path)
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((out / "feeds/probe.atom.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["Probe <b>fett</b> & so"]
    assert "&lt;script&gt;" in feed.entries[0].content[0].value
    overview = BeautifulSoup((out / "feeds/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "/feeds/probe.atom.xml" in {c.get_text() for c in overview.select(".feed-list code")}
    page = BeautifulSoup((out / "feeds/probe/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".feed-eintraege h3").get_text() == "Probe <b>fett</b> & so"
    assert page.select_one(".feed-eintraege time").get_text() == "1. Dezember 2026"
    assert not page.select(".feed-eintraege script")


def test_a_field_no_enabled_plugin_provides_stops_the_build_at_start(tmp_path):
    project = with_probe(tmp_path, extra='site.require("mark_links", "plugins.probe")')
    replace(project, "pelicanconf.py", '    "plugins.link_health",\n', "")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode != 0
    assert "plugins.probe needs 'mark_links', which plugins.link_health provides" in result.stderr
    assert not (out / "index.html").exists()


def test_the_same_feed_registered_twice_stops_the_build(tmp_path):
    project = with_probe(tmp_path, extra='site.feeds.add(ChangeFeed("probe", "x", "x", "", lambda: []))')
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0 and "feed 'probe' is registered twice" in result.stderr
