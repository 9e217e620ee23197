"""Link health in the build: mark links from the recorded state, write the report.

The build never touches the network; `make linkcheck` (link_health.check)
writes data/link-health.yaml and the build only reads it.
"""

from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Page

from .annotate import annotate
from .belege import belege
from .extension import LinkHealthExtension
from .report import LinkReportGenerator
from .settings import get_settings
from .state import load_state

_state = {}


def on_initialized(pelican):
    root = Path(pelican.settings["PATH"]).resolve().parent
    settings = get_settings(pelican.settings, root)
    try:
        shown = str(settings.state_file.relative_to(root))
    except ValueError:
        shown = str(settings.state_file)
    _state.update(settings=settings, links=load_state(settings.state_file, shown), documents=[])
    pelican.settings.setdefault("SITEMAP_EXTRA", [])
    pelican.settings["LINK_REPORT_URL"] = settings.report_url
    # The change feeds read the recorded state from here (the build never checks links).
    pelican.settings["LINK_STATE"] = _state["links"]
    # Generated pages (the OZG plugin's tables) mark their links through this, without importing us.
    pelican.settings["LINK_ANNOTATE"] = lambda html: Markup(annotate(str(html), _state["links"], settings))
    pelican.settings.setdefault("JINJA_GLOBALS", {})["belege"] = lambda doc: belege(doc, _state["links"])
    pelican.settings.setdefault("JINJA_FILTERS", {})["link_marks"] = pelican.settings["LINK_ANNOTATE"]
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(LinkHealthExtension(_state["links"], settings))


def on_content(instance):
    """Remember every post and page for the report. Their links were marked while
    Markdown rendered them (extension.py); no other reader is enabled."""
    if isinstance(instance, (Article, Page)):
        _state["documents"].append(instance)


def get_generators(pelican):
    class _Bound(LinkReportGenerator):
        def __init__(self, *args, **kwargs):
            super().__init__(
                *args, link_state=_state["links"], link_settings=_state["settings"],
                documents=_state["documents"], **kwargs,
            )

    return _Bound


def register():
    signals.initialized.connect(on_initialized)
    signals.content_object_init.connect(on_content)
    signals.get_generators.connect(get_generators)
