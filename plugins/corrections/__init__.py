"""Corrections: the page listing every correction and its change feed.

`Korrektur:` lines are read and checked with the post (wachhund.corrections,
called by the reader); this plugin collects them from the published posts.
"""

from pelican import signals
from pelican.generators import Generator

from wachhund.corrections import correction_entries, corrections_of
from wachhund.lib.feeds import ChangeFeed
from wachhund.site import site_of

from .settings import get_settings


def on_initialized(pelican):
    config = get_settings(pelican.settings)
    site_of(pelican.settings).reserved_folders.add(config.url.split("/", 1)[0])


class CorrectionsGenerator(Generator):
    def generate_context(self):
        config = get_settings(self.settings)
        site = site_of(self.settings)
        self.context["CORRECTIONS_URL"] = config.url
        self.context["SITEMAP_EXTRA"] = list(self.context.get("SITEMAP_EXTRA", [])) + [config.url]
        # Plugin generators run after the posts are read: the published ones are in the context.
        site.feeds.add(ChangeFeed(
            name="korrekturen", title="Korrekturen", page=config.url,
            text="Jede Korrektur eines Beitrags, mit Datum und was korrigiert wurde.",
            entries=lambda: correction_entries(self.context.get("articles", []), site.site_url),
        ))

    def generate_output(self, writer):
        config = get_settings(self.settings)
        feeds_url = site_of(self.settings).feeds_url  # None when no plugin writes feeds
        writer.write_file(
            f"{config.url}index.html", self.get_template("korrekturen"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], page_name="korrekturen",
            corrections=corrections_of(self.context.get("articles", [])),
            corrections_feed=feeds_url and f"{feeds_url}korrekturen.atom.xml",
            corrections_feed_page=feeds_url and f"{feeds_url}korrekturen/",
        )


def get_generators(pelican):
    return CorrectionsGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
