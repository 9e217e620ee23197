"""Open data: each configured portal's catalogue over time (/offene-daten/), the
`{% opendaten %}` directive and the change feed `offene-daten`.

The store (data/offene-daten/, written by `make update-opendata`) is read and checked
once per build, on `initialized`; a broken line fails the build with file:line.
"""

from pathlib import Path

from pelican import signals

from wachhund.lib.feeds import ChangeFeed
from wachhund.lib.files import shown_path
from wachhund.opendata.model import entries, load
from wachhund.opendata.settings import get_settings
from wachhund.site import site_of

from .directive import OpenDataExtension
from .pages import OpenDataPagesGenerator

KEY = "opendata"


def on_initialized(pelican):
    settings = get_settings(pelican.settings)
    root = Path(pelican.settings["PATH"]).resolve().parent
    catalogues = load(settings, lambda path: shown_path(path, root))
    site = site_of(pelican.settings)
    site.private[KEY] = (settings, catalogues)
    site.reserved_folders.add(settings.output_dir)
    site.feeds.add(ChangeFeed(
        name="offene-daten", title="Offene Daten",
        text="Neue, aktualisierte und entfernte Datensätze der beobachteten Open-Data-Portale, je Abfrage.",
        page=f"{settings.output_dir}/",
        entries=lambda: entries(catalogues, site.site_url, settings.output_dir),
        fallback_date=max((c.stand for c in catalogues.values() if c.stand), default=None)))
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(OpenDataExtension(catalogues, settings.output_dir))


def get_generators(pelican):
    return OpenDataPagesGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
