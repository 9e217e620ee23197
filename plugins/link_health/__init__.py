"""Link health in the build: mark links from the recorded state, write the report.

The build never touches the network; `make linkcheck` (wachhund.commands.linkcheck)
writes data/link-health.jsonl and the build only reads it (wachhund.links).
"""

from pathlib import Path

from markupsafe import Markup
from pelican import signals

from wachhund.lib.files import shown_path
from wachhund.links.settings import get_settings
from wachhund.links.state import load_state
from wachhund.site import site_of

from .annotate import annotate
from .belege import belege
from .extension import LinkHealthExtension
from .report import STATE, LinkReportGenerator


def on_initialized(pelican):
    """Load the recorded state once; everything the build needs of it goes into the
    build's own settings (no module-level state survives into the next build)."""
    root = Path(pelican.settings["PATH"]).resolve().parent
    settings = get_settings(pelican.settings, root)
    links = load_state(settings.state_file, shown_path(settings.state_file, root))
    site = site_of(pelican.settings)
    site.private[STATE] = (settings, links)
    site.link_report_url = settings.report_url
    site.reserved_folders.add(settings.report_url.split("/", 1)[0])
    # Generated pages (the OZG plugin's tables) mark their links through this, without importing us.
    site.mark_links = lambda html: Markup(annotate(str(html), links, settings))
    pelican.settings.setdefault("JINJA_GLOBALS", {})["belege"] = lambda doc: belege(doc, links)
    pelican.settings.setdefault("JINJA_FILTERS", {})["link_marks"] = site.mark_links
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(LinkHealthExtension(links, settings))


def get_generators(pelican):
    return LinkReportGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
