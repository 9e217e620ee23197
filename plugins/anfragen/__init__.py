"""Questions to authorities: /anfragen/, one page per question, `{% anfrage id="…" %}`,
and the feed `anfragen` (issue 26). The data lives in wachhund.anfragen.

Data is loaded and checked once per build (on `initialized`): a problem in any
question file or in the FragDenStaat history fails the build with file:line.
"""

from pathlib import Path

from pelican import signals

from wachhund.anfragen import load_anfragen
from wachhund.anfragen.feed import entries
from wachhund.anfragen.settings import get_settings
from wachhund.lib.feeds import ChangeFeed
from wachhund.lib.files import shown_path
from wachhund.site import site_of

from .directive import AnfrageExtension
from .pages import AnfragenGenerator


def on_initialized(pelican):
    root = Path(pelican.settings["PATH"]).resolve().parent
    settings = get_settings(pelican.settings, root)
    anfragen = load_anfragen(settings.data_dir, settings.fragdenstaat_url, lambda path: shown_path(path, root))
    site = site_of(pelican.settings)
    site.reserved_folders.add(settings.output_dir)
    site.feeds.add(ChangeFeed(
        name="anfragen", title="Anfragen",
        text="Neue Anfragen an Behörden, Antworten, abgelaufene Fristen und jede Statusänderung auf FragDenStaat.",
        page=f"{settings.output_dir}/",
        entries=lambda: entries(anfragen, site.site_url, settings.output_dir)))
    # Kept in the build's Site: nothing outlives a build, and no other plugin reads it.
    site.private["anfragen"] = {"data": anfragen, "settings": settings}
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(AnfrageExtension(anfragen, settings.output_dir))


def get_generators(pelican):
    return AnfragenGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
